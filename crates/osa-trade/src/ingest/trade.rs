//! A trade file of either kind (BACI CSV or osa's Parquet cache, told apart by the file's first
//! bytes) with the country table that goes with it.

use super::baci::{self, ScanStats};
use super::cache::{self, CacheInfo};
use super::countries::{self, CountryTable};
use crate::error::{Error, Result};
use crate::rows::RowSink;
use std::path::{Path, PathBuf};

/// What kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// BACI CSV.
    Csv,
    /// osa's Parquet cache.
    Parquet,
}

/// An opened trade file.
#[derive(Debug, Clone)]
pub struct TradeFile {
    /// The path.
    pub path: PathBuf,
    /// CSV or Parquet.
    pub kind: Kind,
    /// The country table in use.
    pub table: CountryTable,
    /// The cache's footer (Parquet only).
    pub info: Option<CacheInfo>,
    /// File size in bytes.
    pub bytes: u64,
}

impl TradeFile {
    /// Opens a trade file. The country table is `countries` when given; else, for a cache, the
    /// one embedded in it; else a `*country_codes*.csv` beside the file.
    pub fn open(path: &Path, countries: Option<&Path>) -> Result<TradeFile> {
        let bytes = std::fs::metadata(path)
            .map_err(|e| Error::io(path, e))?
            .len();
        let named_parquet = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
        // A file named .parquet is read as a cache (and refused as "not a Parquet file" when it
        // is not one), never as a CSV that then lacks a country table.
        let (kind, info) = if named_parquet || cache::is_parquet(path) {
            (Kind::Parquet, Some(cache::info(path)?))
        } else if bytes == 0 {
            return Err(Error::file(
                &path.display().to_string(),
                "the file is empty: neither a BACI CSV nor an osa Parquet cache",
            ));
        } else {
            (Kind::Csv, None)
        };
        let table = match countries {
            Some(c) => CountryTable::load(c)?,
            None => match info.as_ref().and_then(|i| i.countries.clone()) {
                Some(t) => t,
                None => {
                    let found = countries::find_beside(path).ok_or_else(|| {
                        Error::Invalid(format!(
                            "no BACI country table for {}: pass --countries FILE (BACI ships country_codes_V*.csv beside its data)",
                            path.display()
                        ))
                    })?;
                    CountryTable::load(&found)?
                }
            },
        };
        Ok(TradeFile {
            path: path.to_path_buf(),
            kind,
            table,
            info,
            bytes,
        })
    }

    /// The year of the first data row (a cache: the first row group's smallest year), to default
    /// to when the user names none. `None` for an empty file.
    pub fn first_year(&self) -> Result<Option<u16>> {
        match self.kind {
            Kind::Parquet => cache::first_year(&self.path),
            Kind::Csv => {
                use std::io::Read;
                // The first 64 KB hold hundreds of rows; a file without line ends is not read whole.
                let f = std::fs::File::open(&self.path).map_err(|e| Error::io(&self.path, e))?;
                let mut head = Vec::new();
                f.take(1 << 16)
                    .read_to_end(&mut head)
                    .map_err(|e| Error::io(&self.path, e))?;
                for line in head.split(|&b| b == b'\n').skip(1).take(1000) {
                    let line = line.strip_suffix(b"\r").unwrap_or(line);
                    if let Ok(row) = baci::parse_row(line, &self.table) {
                        return Ok(Some(row.year));
                    }
                }
                Ok(None)
            }
        }
    }

    /// The units `scan` reports progress in: bytes for a CSV, rows for a cache.
    pub fn progress_total(&self) -> u64 {
        match (&self.kind, &self.info) {
            (Kind::Parquet, Some(i)) => i.rows,
            _ => self.bytes,
        }
    }

    /// Scans every valid row into `sinks` (one per worker thread). `year` lets a cache skip row
    /// groups (a CSV is read whole; sinks filter years themselves); `quantity` false lets a cache
    /// leave `q` unread.
    pub fn scan<S: RowSink>(
        &self,
        sinks: &mut [S],
        year: Option<u16>,
        quantity: bool,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<ScanStats> {
        match self.kind {
            Kind::Csv => baci::scan(&self.path, &self.table, sinks, progress, |_| Ok(())),
            Kind::Parquet => cache::scan(&self.path, &self.table, sinks, year, quantity, progress),
        }
    }
}

/// Converts a BACI CSV to the Parquet cache at `target`. Returns the scan's counts.
pub fn ingest(
    csv: &Path,
    table: &CountryTable,
    target: &Path,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<ScanStats> {
    ingest_with(csv, table, target, threads, cache::ROW_GROUP_ROWS, progress)
}

/// [`ingest`] with `group_rows` rows per row group. The parsed rows go to a writer thread
/// segment by segment, so that encoding the cache overlaps parsing the next segment.
pub fn ingest_with(
    csv: &Path,
    table: &CountryTable,
    target: &Path,
    threads: usize,
    group_rows: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<ScanStats> {
    let file = std::fs::File::open(csv).map_err(|e| Error::io(csv, e))?;
    ingest_reader(file, csv, table, target, (threads, group_rows), progress)
}

/// [`ingest_with`] of the CSV's bytes read from `file` (an upload as it arrives), named `csv` in
/// messages and in the cache's source; `(threads, group_rows)` as there.
pub fn ingest_reader(
    file: impl std::io::Read + Send,
    csv: &Path,
    table: &CountryTable,
    target: &Path,
    (threads, group_rows): (usize, usize),
    progress: &(dyn Fn(u64) + Sync),
) -> Result<ScanStats> {
    let source = csv
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut writer = cache::CacheWriter::create_with(target, table, &source, group_rows)?;
    let mut sinks: Vec<cache::ColumnBuf> =
        (0..threads.max(1)).map(|_| Default::default()).collect();
    let (stats, writer) = std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<cache::ColumnBuf>(threads.max(1) * 2);
        let encoder = s.spawn(move || -> Result<cache::CacheWriter> {
            for mut buf in rx {
                writer.append(&mut buf)?;
            }
            Ok(writer)
        });
        let stats = baci::scan_reader(file, csv, table, &mut sinks, progress, |sinks| {
            for s in sinks.iter_mut() {
                // A closed channel means the writer failed: its error is returned below.
                tx.send(std::mem::take(s))
                    .map_err(|_| Error::Invalid("the cache writer stopped".into()))?;
            }
            Ok(())
        });
        drop(tx);
        let writer = encoder
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (stats, writer)
    });
    let writer = writer?;
    let stats = stats?;
    writer.finish(&stats)?;
    Ok(stats)
}
