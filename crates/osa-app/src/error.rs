//! Errors of the use cases. Each says what the user asked for that could not be done: a name that
//! matches nothing (`NotFound`), an argument out of its domain (`Invalid`, naming the argument),
//! or data that failed to load or validate (`Data`, carrying the loader's diagnostic with file,
//! line, record and field).

use std::error::Error as StdError;

/// A use case's error.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A technology, holder, scenario... that does not exist.
    #[error("{0}")]
    NotFound(String),
    /// An argument outside its domain; `field` names the argument (flag or JSON field).
    #[error("{field}: {message}")]
    Invalid {
        /// The argument.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The caller may not do this (a viewer writing, an author approving their own proposal...).
    #[error("{0}")]
    Forbidden(String),
    /// A body or an archive larger than its bound (nothing of it is kept).
    #[error("{0}")]
    TooLarge(String),
    /// Two changes to the same entries that cannot both stand (a proposal brought up to date
    /// onto a file another change rewrote there); the message names the entries.
    #[error("{0}")]
    Conflict(String),
    /// The shared record refused or failed (stale versions, closed proposals, the database).
    #[error(transparent)]
    Store(#[from] osa_store::StoreError),
    /// Data that could not be loaded, validated or computed on.
    #[error("{context}")]
    Data {
        /// What was being done.
        context: String,
        /// Why it failed.
        #[source]
        source: Box<dyn StdError + Send + Sync>,
    },
}

impl AppError {
    /// An invalid argument.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Wraps a data error with what was being done.
    pub fn data(context: impl Into<String>, source: impl StdError + Send + Sync + 'static) -> Self {
        AppError::Data {
            context: context.into(),
            source: Box::new(source),
        }
    }
}

/// Results of the use cases.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// An error with its sources, one line (`context: cause: cause`).
pub fn chain(e: &dyn StdError) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(c) = src {
        s.push_str(": ");
        s.push_str(&c.to_string());
        src = c.source();
    }
    s
}
