//! Errors of osa-trade. Every data problem names the file, the line (or, in a Parquet file, the
//! row group and row) and the field, so an analyst can go straight to the fix.

use std::fmt;
use std::path::PathBuf;

/// Errors of the trade layer.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A bad value in a data file.
    #[error("{file}:{line}: field `{field}`: {message}")]
    Data {
        /// The file.
        file: String,
        /// 1-based line (for Parquet files, the 1-based row).
        line: usize,
        /// The column or field.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// A problem with a whole file (wrong layout, not Parquet, missing column).
    #[error("{file}: {message}")]
    File {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// A request that the data cannot answer (unknown importer, no rows for a year, ...).
    #[error("{0}")]
    Invalid(String),
}

impl Error {
    /// An I/O error on a path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// A bad value at a file, line and field.
    pub fn data(file: &str, line: usize, field: &str, message: impl Into<String>) -> Error {
        Error::Data {
            file: file.to_string(),
            line,
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// A problem with a whole file.
    pub fn file(file: &str, message: impl Into<String>) -> Error {
        Error::File {
            file: file.to_string(),
            message: message.into(),
        }
    }
}

/// Result alias.
pub type Result<T> = std::result::Result<T, Error>;

/// A row of a trade file that was rejected (not an error: reading goes on, and the count is
/// reported).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// 1-based line in the file (for Parquet, the 1-based row over the whole file).
    pub line: usize,
    /// The field at fault (`t`, `i`, `j`, `k`, `v`, `q`, or `row` for a wrong field count).
    pub field: &'static str,
    /// What is wrong, quoting the value.
    pub message: String,
}

impl Rejected {
    /// Displays the rejection with its file.
    pub fn display<'a>(&'a self, file: &'a str) -> impl fmt::Display + 'a {
        struct D<'a>(&'a Rejected, &'a str);
        impl fmt::Display for D<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(
                    f,
                    "{}:{}: field `{}`: {}",
                    self.1, self.0.line, self.0.field, self.0.message
                )
            }
        }
        D(self, file)
    }
}
