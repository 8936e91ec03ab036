//! Reading text files with a size guard, and deserialising TOML with the error pointing at the line.

use crate::error::{Error, Result};
use crate::lines::LineIndex;
use serde::Deserialize;
use std::path::Path;

/// Largest text file osa reads (96 MiB). Reading and checking a CSV file takes about 12 times its
/// size in memory (an ETO release of 83 MB with 240,000 inputs peaks at 0.98 GB), so this keeps
/// any command under its 2 GB budget (ARCHITECTURE.md, "Limits and guarantees").
pub const MAX_FILE_BYTES: u64 = 96 * 1024 * 1024;

/// Largest TOML file osa parses (48 MiB): TOML with line numbers takes about 20 times its size
/// in memory (112 MB peaked at 2.3 GB). Larger ecosystems go in the ETO CSV layout.
pub const MAX_TOML_BYTES: usize = 48 * 1024 * 1024;

/// Reads at most `limit` bytes of a file, refusing a longer one (also a device or a pipe, whose
/// size metadata does not tell).
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    let too_large = |size| Error::TooLarge {
        path: path.to_path_buf(),
        size,
        limit,
    };
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Turns bytes into text; invalid UTF-8 is an error naming the line and byte where it starts.
pub fn utf8(bytes: Vec<u8>, file: &str) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
        let column = 1 + at
            - bytes[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
        Error::one(
            file,
            Some(line),
            "",
            "",
            format!(
                "not valid UTF-8 text (byte 0x{:02x} at column {column}); save the file as UTF-8",
                bytes[at]
            ),
        )
    })
}

/// Reads a UTF-8 text file, refusing files above [`MAX_FILE_BYTES`].
pub fn read_text(path: &Path) -> Result<String> {
    utf8(
        read_bounded(path, MAX_FILE_BYTES)?,
        &path.display().to_string(),
    )
}

/// Deserialises TOML; a syntax or type error names `file` and the line.
pub fn from_toml<T: for<'de> Deserialize<'de>>(text: &str, file: &str) -> Result<T> {
    if text.len() > MAX_TOML_BYTES {
        return Err(Error::one(
            file,
            None,
            "",
            "",
            format!(
                "{} bytes is beyond the limit of {MAX_TOML_BYTES} bytes (48 MiB) for a TOML file; write a large ecosystem in the ETO CSV layout (osa ecosystem export)",
                text.len()
            ),
        ));
    }
    toml::from_str(text).map_err(|e| {
        let message = e.message().trim_end().to_string();
        match e.span() {
            Some(s) => {
                let line = LineIndex::new(text).line(s.start);
                let (record, field) = place(text, line);
                Error::one(file, Some(line), &record, &field, message)
            }
            // Errors without a place (the parser's recursion limit): point at the most deeply
            // nested line, which is where such errors come from.
            None => {
                let (line, depth) = deepest_line(text);
                Error::one(
                    file,
                    Some(line),
                    "",
                    "",
                    format!("{message} (this line nests {depth} levels of dotted keys, tables or arrays)"),
                )
            }
        }
    })
}

/// The record (the table a line is in, with the nearest `id` above it in that table) and the
/// field (the line's key) of a 1-based line of TOML, for errors the parser gives with a place only.
fn place(text: &str, line: usize) -> (String, String) {
    let lines: Vec<&str> = text.lines().collect();
    let Some(this) = lines.get(line.saturating_sub(1)) else {
        return (String::new(), String::new());
    };
    let key = |l: &str| -> Option<String> {
        let (k, _) = l.split_once('=')?;
        let k = k.trim().trim_matches('"');
        (!k.is_empty() && !k.starts_with('#')).then(|| k.to_string())
    };
    let field = key(this).unwrap_or_default();
    let mut id = None;
    let mut table = String::new();
    for l in lines[..line.saturating_sub(1)].iter().rev() {
        let t = l.trim();
        if t.starts_with('[') {
            table = t.trim_matches(|c| c == '[' || c == ']').to_string();
            break;
        }
        if id.is_none() && key(t).as_deref() == Some("id") {
            id = t
                .split_once('=')
                .map(|(_, v)| v.trim().trim_matches('"').to_string());
        }
    }
    let record = match (table.is_empty(), id) {
        (true, _) => String::new(),
        (false, Some(id)) => format!("[{table}] `{}`", osa_model::id::escaped(&id)),
        (false, None) => format!("[{table}]"),
    };
    (record, field)
}

/// The line (1-based) with the most dots, brackets and braces outside quotes, and that count.
fn deepest_line(text: &str) -> (usize, usize) {
    let mut best = (1, 0);
    for (n, line) in text.lines().enumerate() {
        let mut depth = 0;
        let mut quote: Option<char> = None;
        for c in line.chars() {
            match (quote, c) {
                (None, '#') => break,
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '.' | '[' | '{') => depth += 1,
                _ => {}
            }
        }
        if depth > best.1 {
            best = (n + 1, depth);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_too_deep_dotted_key_names_its_line() {
        let key = vec!["a"; 100_000].join(".");
        let text = format!("format = \"osa-ecosystem/1\"\nid = \"x\"\n{key} = 1\n");
        let e = from_toml::<toml::Table>(&text, "deep.toml").unwrap_err();
        let d = &e.diagnostics()[0];
        assert_eq!(d.line, Some(3), "{e}");
    }

    #[test]
    fn a_toml_file_beyond_its_limit_is_refused_before_parsing() {
        let text = format!("# {}\n", "x".repeat(MAX_TOML_BYTES));
        let e = from_toml::<toml::Table>(&text, "big.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("big.toml") && e.contains("48 MiB"), "{e}");
    }

    #[test]
    fn a_string_where_a_number_belongs_names_record_and_field() {
        #[derive(Debug, serde::Deserialize)]
        struct Item {
            #[allow(dead_code)]
            id: String,
            #[allow(dead_code)]
            share: f64,
        }
        #[derive(Debug, serde::Deserialize)]
        struct Doc {
            #[allow(dead_code)]
            inputs: Vec<Item>,
        }
        let text =
            "[[inputs]]\nid = \"a\"\nshare = 1.0\n\n[[inputs]]\nid = \"b\"\nshare = \"ten\"\n";
        let e = from_toml::<Doc>(text, "x.toml").unwrap_err();
        let d = &e.diagnostics()[0];
        assert_eq!(d.line, Some(7), "{e}");
        assert_eq!(d.field, "share", "{e}");
        assert_eq!(d.record, "[inputs] `b`", "{e}");
    }

    #[test]
    fn invalid_utf8_names_its_line() {
        let e = utf8(b"a,b\nc,d\ne,\xff\n".to_vec(), "x.csv").unwrap_err();
        let d = &e.diagnostics()[0];
        assert_eq!(d.line, Some(3));
        assert!(d.message.contains("column 3"), "{}", d.message);
    }

    #[test]
    fn a_device_is_read_only_up_to_the_limit() {
        // /dev/zero reports size 0 and never ends: the bound stops it.
        if Path::new("/dev/zero").exists() {
            let e = read_bounded(Path::new("/dev/zero"), 1024).unwrap_err();
            assert!(matches!(e, Error::TooLarge { .. }), "{e}");
        }
    }
}
