//! Reading text files with a size guard, and deserialising TOML with the error pointing at the line.

use crate::error::{Error, Result};
use crate::lines::LineIndex;
use serde::Deserialize;
use std::path::Path;

/// Largest text file osa reads (256 MiB): a guard against reading a wrong, huge file.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Reads a UTF-8 text file, refusing files above [`MAX_FILE_BYTES`].
pub fn read_text(path: &Path) -> Result<String> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    std::fs::read_to_string(path).map_err(io)
}

/// Deserialises TOML; a syntax or type error names `file` and the line.
pub fn from_toml<T: for<'de> Deserialize<'de>>(text: &str, file: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| LineIndex::new(text).line(s.start));
        Error::one(file, line, "", "", e.message().trim_end().to_string())
    })
}
