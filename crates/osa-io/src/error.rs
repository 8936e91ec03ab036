//! Errors of the I/O layer. Every data problem becomes a [`Diagnostic`] that names the file, the
//! line (where known), the record and the field, so an analyst can go straight to the fix.

use std::fmt;
use std::path::PathBuf;

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file (or `<built-in semiconductors>` for embedded data).
    pub file: String,
    /// 1-based line, where known.
    pub line: Option<usize>,
    /// The record, e.g. `input "N20" provision #2 (provider "NLD")`.
    pub record: String,
    /// The field, e.g. `share` or `goes_into[1]`.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: ", self.file, l)?,
            None => write!(f, "{}: ", self.file)?,
        }
        if !self.record.is_empty() {
            write!(f, "{}, ", self.record)?;
        }
        if !self.field.is_empty() {
            write!(f, "field `{}`: ", self.field)?;
        }
        f.write_str(&self.message)
    }
}

/// Errors of the I/O layer.
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
    /// The data is invalid; every problem found is listed.
    #[error("{}", render(.0))]
    Invalid(Vec<Diagnostic>),
    /// An ecosystem, technology or file name that matches nothing.
    #[error("{0}")]
    NotFound(String),
    /// An upload or file larger than osa accepts.
    #[error("{}: {size} bytes is larger than the {limit} byte limit", path.display())]
    TooLarge {
        /// The path.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
}

/// Most problems an error lists (all are counted; the first ones are the ones to fix first).
pub const MAX_LISTED: usize = 50;

fn render(diags: &[Diagnostic]) -> String {
    let n = diags.len();
    let mut out = format!("{n} problem{} found", if n == 1 { "" } else { "s" });
    for d in diags.iter().take(MAX_LISTED) {
        out.push_str("\n  ");
        out.push_str(&d.to_string());
    }
    if n > MAX_LISTED {
        out.push_str(&format!(
            "\n  ... and {} more (the first {MAX_LISTED} are listed)",
            n - MAX_LISTED
        ));
    }
    out
}

impl Error {
    /// A single-diagnostic error.
    pub fn one(
        file: &str,
        line: Option<usize>,
        record: &str,
        field: &str,
        message: String,
    ) -> Error {
        Error::Invalid(vec![Diagnostic {
            file: file.to_string(),
            line,
            record: record.to_string(),
            field: field.to_string(),
            message,
        }])
    }

    /// The diagnostics, when the error is about invalid data.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Invalid(d) => d,
            _ => &[],
        }
    }
}

/// Result alias.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_problems_list_the_first_fifty_and_the_count() {
        let d = Diagnostic {
            file: "inputs.csv".into(),
            line: Some(2),
            record: String::new(),
            field: "type".into(),
            message: "bad".into(),
        };
        let text = Error::Invalid(vec![d; 100_000]).to_string();
        assert!(text.starts_with("100000 problems found"));
        assert_eq!(text.lines().count(), 1 + MAX_LISTED + 1);
        assert!(text.ends_with("... and 99950 more (the first 50 are listed)"));
    }
}
