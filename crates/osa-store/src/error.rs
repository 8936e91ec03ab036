//! Errors of the store. `Stale` and `Conflict` are the lost-update guards (a write made against an
//! older version); `Refused` is a rule of the record (four eyes, a closed proposal); `Db` wraps the
//! database's own error.

/// A store error.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    /// Nothing with this id or key.
    #[error("{0}")]
    NotFound(String),
    /// The write was made against version `expected`; the record is at `current` now.
    #[error("{what} changed since version {expected} (now {current}); reload and try again")]
    Stale {
        /// What was written.
        what: String,
        /// The version the writer saw.
        expected: String,
        /// The version now.
        current: String,
    },
    /// A rule of the record refuses the write.
    #[error("{0}")]
    Refused(String),
    /// An argument outside its domain.
    #[error("{field}: {message}")]
    Invalid {
        /// The argument.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// Stored data that cannot be what osa wrote (a tampered audit chain, an unknown migration).
    #[error("{0}")]
    Corrupt(String),
}

impl StoreError {
    /// An invalid argument.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        StoreError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Results of the store.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
