//! The columnar cache: a BACI CSV converted once to Parquet, for fast reloads.
//!
//! Layout (`osa-baci-cache/1`): the CSV's six columns with the CSV's names, so that any Parquet
//! reader (DuckDB, pandas) runs the same queries on both: `t`, `i`, `j`, `k` REQUIRED INT32
//! (dictionary-encoded), `v` REQUIRED DOUBLE, `q` OPTIONAL DOUBLE (null where BACI has `NA`), both
//! PLAIN. No compression: the file is about 20 bytes a row and decodes at memory speed. Row groups
//! of [`ROW_GROUP_ROWS`] rows carry min/max statistics, so a scan for one year skips the other
//! years' row groups and does not read `t` at all when a group holds one year. Key-value metadata
//! carries the BACI country table (`osa.countries`), so the cache stands alone, and the CSV's
//! name and read/rejected counts (`osa.source`, `osa.rows_read`, `osa.rows_rejected`).
//!
//! The file is written to a temporary name beside the target (`.osa-tmp-<pid>-...`, removed by
//! the next run if the ingest is killed) and renamed when complete: a failed ingest leaves no cache
//! behind. A new cache takes its mode from the umask; a replaced one keeps its mode.
//!
//! **Integrity.** The footer carries an XXH64 digest of every column chunk (`osa.chunks`: its
//! dictionary page, page headers and pages) and one of everything the scan reads from the footer
//! (`osa.footer`: row groups, offsets, encodings, statistics, key-value metadata). Opening a cache
//! checks the footer; a scan checks each chunk in the buffer it has just read, before decoding it
//! (no extra read; a few ms per 100 MB). A flipped bit gives "the cache is corrupted", never a
//! different result. (The `parquet` crate writes no page CRCs.)

mod digest;
mod posfile;
mod scan;
mod write;

pub use scan::scan;
pub use write::{CacheWriter, ColumnBuf};

use super::countries::CountryTable;
use crate::error::{Error, Result};
use digest::verify;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::statistics::Statistics;
use posfile::{PosFile, open_pos};
use std::fs::File;
use std::path::Path;

/// The format tag in the file's metadata.
pub const FORMAT: &str = "osa-baci-cache/1";
/// Rows per row group.
pub const ROW_GROUP_ROWS: usize = 1 << 19;

fn pq_err(file: &Path, e: parquet::errors::ParquetError) -> Error {
    Error::file(&file.display().to_string(), format!("Parquet: {e}"))
}

/// The error for a cache that fails to decode or to match its digest.
fn corrupt(file: &Path, detail: impl std::fmt::Display) -> Error {
    Error::file(
        &file.display().to_string(),
        format!("the cache is corrupted ({detail}); re-run osa trade ingest"),
    )
}

/// What a cache's footer says.
#[derive(Debug, Clone)]
pub struct CacheInfo {
    /// Rows in the file.
    pub rows: u64,
    /// Row groups.
    pub row_groups: usize,
    /// The embedded country table, when present.
    pub countries: Option<CountryTable>,
    /// The CSV it was made from.
    pub source: Option<String>,
    /// Rows the ingest read and rejected.
    pub ingest_read: Option<u64>,
    /// Rows the ingest rejected.
    pub ingest_rejected: Option<u64>,
}

/// Whether a file starts with Parquet's magic bytes.
pub fn is_parquet(path: &Path) -> bool {
    use std::io::Read;
    let mut magic = [0u8; 4];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && &magic == b"PAR1"
}

fn open(path: &Path) -> Result<SerializedFileReader<PosFile>> {
    let reader = open_reader(path, open_pos(path)?)?;
    verify(&reader, path)?;
    Ok(reader)
}

/// Reads the footer; a file that is not Parquet says so, one that fails to decode is corrupted.
fn open_reader(path: &Path, pos: PosFile) -> Result<SerializedFileReader<PosFile>> {
    if !is_parquet(path) {
        return Err(Error::file(
            &path.display().to_string(),
            "not a Parquet file (an osa cache starts with PAR1); make one with osa trade ingest",
        ));
    }
    SerializedFileReader::new(pos).map_err(|e| corrupt(path, e))
}

/// Reads a cache's footer and checks its columns.
pub fn info(path: &Path) -> Result<CacheInfo> {
    let reader = open(path)?;
    check_schema(&reader, path)?;
    let meta = reader.metadata();
    let kv = |key: &str| -> Option<String> {
        meta.file_metadata()
            .key_value_metadata()?
            .iter()
            .find(|k| k.key == key)?
            .value
            .clone()
    };
    let countries = match kv("osa.countries") {
        Some(text) => Some(CountryTable::parse(
            &text,
            &format!("{} (embedded country table)", path.display()),
        )?),
        None => None,
    };
    Ok(CacheInfo {
        rows: meta.file_metadata().num_rows().max(0) as u64,
        row_groups: meta.num_row_groups(),
        countries,
        source: kv("osa.source"),
        ingest_read: kv("osa.rows_read").and_then(|v| v.parse().ok()),
        ingest_rejected: kv("osa.rows_rejected").and_then(|v| v.parse().ok()),
    })
}

/// The smallest year of the first row group (from its statistics), if any.
pub fn first_year(path: &Path) -> Result<Option<u16>> {
    let reader = open(path)?;
    check_schema(&reader, path)?;
    let meta = reader.metadata();
    if meta.num_row_groups() == 0 {
        return Ok(None);
    }
    Ok(int_range(meta.row_group(0).column(0).statistics())
        .and_then(|(lo, _)| u16::try_from(lo).ok()))
}

/// The smallest and largest year over every row group (from their statistics), if any.
pub fn year_range(path: &Path) -> Result<Option<(i32, i32)>> {
    let reader = open(path)?;
    check_schema(&reader, path)?;
    let meta = reader.metadata();
    let mut range: Option<(i32, i32)> = None;
    for g in 0..meta.num_row_groups() {
        if meta.row_group(g).num_rows() == 0 {
            continue;
        }
        if let Some((lo, hi)) = int_range(meta.row_group(g).column(0).statistics()) {
            range = Some(range.map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))));
        }
    }
    Ok(range)
}

fn check_schema(reader: &SerializedFileReader<PosFile>, path: &Path) -> Result<()> {
    use parquet::basic::Type as P;
    let schema = reader.metadata().file_metadata().schema_descr();
    let want = [
        ("t", P::INT32),
        ("i", P::INT32),
        ("j", P::INT32),
        ("k", P::INT32),
        ("v", P::DOUBLE),
        ("q", P::DOUBLE),
    ];
    let ok = schema.num_columns() == want.len()
        && want.iter().enumerate().all(|(n, (name, ty))| {
            let c = schema.column(n);
            c.name() == *name && c.physical_type() == *ty
        });
    if ok {
        Ok(())
    } else {
        let found: Vec<String> = (0..schema.num_columns())
            .map(|n| {
                let c = schema.column(n);
                format!("{} {}", c.name(), c.physical_type())
            })
            .collect();
        Err(Error::file(
            &path.display().to_string(),
            format!(
                "not an osa BACI cache: expected columns t, i, j, k (INT32), v, q (DOUBLE); found {} (write one with `osa trade ingest`)",
                found.join(", ")
            ),
        ))
    }
}

fn int_range(stats: Option<&Statistics>) -> Option<(i32, i32)> {
    match stats? {
        Statistics::Int32(s) => Some((*s.min_opt()?, *s.max_opt()?)),
        _ => None,
    }
}
