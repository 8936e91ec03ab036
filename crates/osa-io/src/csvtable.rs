//! Reading CSV files with line numbers that point at the right line (also on CRLF files), for the
//! importers of ETO releases and of governance data.

use crate::error::{Error, Result};
use crate::lines::LineIndex;
use std::path::Path;

/// One CSV file. Small files are read into `rows`; large ones are streamed with [`Table::each`], so
/// that a million-row file costs no per-row allocation.
#[derive(Debug)]
pub(crate) struct Table {
    pub(crate) file: String,
    headers: Vec<String>,
    text: String,
    /// Line number and fields of every data row (when read with `keep_rows`).
    pub(crate) rows: Vec<(usize, csv::StringRecord)>,
}

/// Byte offset of a quote that opens a field and is never closed, if any (a file cut inside a
/// quoted field: the csv crate would read the rest of the file as that one field).
pub fn unterminated_quote(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut field_start = true;
    while i < b.len() {
        match b[i] {
            b'"' if field_start => {
                let open = i;
                i += 1;
                loop {
                    match memchr_quote(&b[i..]) {
                        None => return Some(open),
                        Some(q) if b.get(i + q + 1) == Some(&b'"') => i += q + 2,
                        Some(q) => {
                            i += q + 1;
                            break;
                        }
                    }
                }
                field_start = false;
                continue;
            }
            b',' | b'\n' | b'\r' => field_start = true,
            _ => field_start = false,
        }
        i += 1;
    }
    None
}

fn memchr_quote(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'"')
}

/// Refuses a CSV text with an unterminated quoted field, naming the line where it opens.
pub fn check_quotes(text: &str, file: &str) -> Result<()> {
    match unterminated_quote(text) {
        None => Ok(()),
        Some(at) => Err(Error::one(
            file,
            Some(LineIndex::new(text).line(at)),
            "",
            "",
            "a quoted field starts here and is never closed (is the file cut short?)".into(),
        )),
    }
}

impl Table {
    /// Reads a file and every row.
    pub(crate) fn read(path: &Path) -> Result<Table> {
        Table::open(path, true)
    }

    /// Reads a file; `keep_rows` parses every row into `rows` up front.
    pub(crate) fn open(path: &Path, keep_rows: bool) -> Result<Table> {
        let path = path.to_path_buf();
        let file = path.display().to_string();
        let bytes = crate::text::read_bounded(&path, crate::text::MAX_FILE_BYTES)?;
        let mut text = crate::text::utf8(bytes, &file)?;
        check_quotes(&text, &file)?;
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(text.as_bytes());
        let headers = rdr
            .headers()
            .map_err(|e| Error::one(&file, Some(1), "header", "", e.to_string()))?
            .iter()
            .map(str::to_string)
            .collect();
        let mut table = Table {
            file,
            headers,
            text: String::new(),
            rows: Vec::new(),
        };
        table.text = text;
        if keep_rows {
            let mut rows = Vec::new();
            table.each(|line, rec| {
                rows.push((line, rec.clone()));
                Ok(())
            })?;
            table.rows = rows;
        }
        Ok(table)
    }

    /// Calls `f` with the line number and fields of every data row, reusing one record buffer.
    pub(crate) fn each(
        &self,
        mut f: impl FnMut(usize, &csv::StringRecord) -> Result<()>,
    ) -> Result<()> {
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(self.text.as_bytes());
        // Line numbers come from byte offsets: the csv crate's own line count lags by one on CRLF
        // files (the 2025 release uses CRLF).
        let lines = LineIndex::new(&self.text);
        let bytes = self.text.as_bytes();
        let line_at = |byte: u64| {
            let mut at = byte as usize;
            while at < bytes.len() && (bytes[at] == b'\r' || bytes[at] == b'\n') {
                at += 1;
            }
            lines.line(at)
        };
        let mut rec = csv::StringRecord::new();
        loop {
            match rdr.read_record(&mut rec) {
                Ok(false) => return Ok(()),
                Ok(true) => {
                    let line = rec.position().map_or(0, |p| line_at(p.byte()));
                    f(line, &rec)?;
                }
                Err(e) => {
                    let line = e.position().map(|p| line_at(p.byte()));
                    return Err(Error::one(
                        &self.file,
                        line,
                        "",
                        "",
                        format!("malformed CSV row: {e}"),
                    ));
                }
            }
        }
    }

    pub(crate) fn file(&self) -> String {
        self.file.clone()
    }

    pub(crate) fn col(&self, name: &str) -> Result<usize> {
        self.headers.iter().position(|h| h == name).ok_or_else(|| {
            Error::one(
                &self.file(),
                Some(1),
                "header",
                name,
                format!("missing column `{name}`"),
            )
        })
    }

    pub(crate) fn opt_col(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }
}

#[cfg(test)]
mod quote_tests {
    use super::*;

    #[test]
    fn unterminated_quotes_are_found() {
        assert_eq!(unterminated_quote("a,b\n\"x\"\"y\",2\n"), None);
        assert_eq!(unterminated_quote("a,5\"\n"), None);
        assert_eq!(unterminated_quote("a,b\n1,\"cut"), Some(6));
        let e = check_quotes("a,b\n1,2\n3,\"long\ntext", "p.csv").unwrap_err();
        assert_eq!(e.diagnostics()[0].line, Some(3));
    }
}
