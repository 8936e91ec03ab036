//! Scanning a cache: row groups shared out to worker threads in turn, each group's column chunks
//! read in one window and checked against their digests, then decoded batch by batch into rows
//! for the worker's sink.

use super::digest::{Digests, verify};
use super::posfile::{PosFile, open_pos, window};
use super::{check_schema, corrupt, int_range, open_reader};
use crate::error::{Error, Rejected, Result};
use crate::ingest::baci::{MAX_REPORTED, ScanStats};
use crate::ingest::countries::{CODE_LIMIT, CountryTable};
use crate::rows::{Row, RowSink};
use parquet::column::reader::{ColumnReaderImpl, get_typed_column_reader};
use parquet::data_type::{DataType, DoubleType, Int32Type};
use parquet::file::metadata::RowGroupMetaData;
use parquet::file::properties::ReaderProperties;
use parquet::file::reader::{FileReader, RowGroupReader, SerializedFileReader};
use parquet::file::serialized_reader::SerializedRowGroupReader;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Rows decoded at a time.
const BATCH: usize = 1 << 13;

/// Scans a cache into `sinks` (one per worker thread; workers take row groups in turn). With
/// `year`, row groups whose statistics exclude it are skipped (counted in `rows_skipped`), and `t`
/// is not read where a group holds that year only. `quantity` false leaves `q` unread (NaN).
pub fn scan<S: RowSink>(
    path: &Path,
    table: &CountryTable,
    sinks: &mut [S],
    year: Option<u16>,
    quantity: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<ScanStats> {
    let scan = CacheScan::open(path, table, year, quantity, progress)?;
    let next = AtomicUsize::new(0);
    let results: Vec<Result<ScanStats>> = std::thread::scope(|s| {
        let handles: Vec<_> = sinks
            .iter_mut()
            .map(|sink| {
                let (scan, next) = (&scan, &next);
                s.spawn(move || scan.worker(sink, next))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    merge_stats(results)
}

/// The workers' counts added up, with the first [`MAX_REPORTED`] rejected rows by line.
fn merge_stats(results: Vec<Result<ScanStats>>) -> Result<ScanStats> {
    let mut stats = ScanStats::default();
    let mut all_rejected = Vec::new();
    for r in results {
        let s = r?;
        all_rejected.extend(s.rejected.iter().cloned());
        stats.absorb(s);
    }
    all_rejected.sort_by_key(|r| r.line);
    all_rejected.truncate(MAX_REPORTED);
    stats.rejected = all_rejected;
    Ok(stats)
}

/// An opened, verified cache and what every worker of a scan reads.
struct CacheScan<'a> {
    path: &'a Path,
    /// The path as error messages name it.
    file: String,
    table: &'a CountryTable,
    pos: PosFile,
    reader: SerializedFileReader<PosFile>,
    digests: Digests,
    props: Arc<ReaderProperties>,
    /// First row (0-based) of each row group.
    starts: Vec<u64>,
    year: Option<u16>,
    quantity: bool,
    progress: &'a (dyn Fn(u64) + Sync),
}

/// Which rows of a row group a scan for one year needs, by the group's statistics.
enum GroupYear {
    /// None: the group holds other years only.
    Skip,
    /// All: the group holds the year asked for only (`t` is not read).
    Only(u16),
    /// Some, or all years are asked for: `t` is read.
    Mixed,
}

impl<'a> CacheScan<'a> {
    /// Opens a cache and checks its footer digest and columns.
    fn open(
        path: &'a Path,
        table: &'a CountryTable,
        year: Option<u16>,
        quantity: bool,
        progress: &'a (dyn Fn(u64) + Sync),
    ) -> Result<CacheScan<'a>> {
        let pos = open_pos(path)?;
        let reader = open_reader(path, pos.clone())?;
        let digests = verify(&reader, path)?;
        check_schema(&reader, path)?;
        let starts: Vec<u64> = reader
            .metadata()
            .row_groups()
            .iter()
            .scan(0u64, |acc, rg| {
                let s = *acc;
                *acc += rg.num_rows().max(0) as u64;
                Some(s)
            })
            .collect();
        Ok(CacheScan {
            path,
            file: path.display().to_string(),
            table,
            pos,
            reader,
            digests,
            props: Arc::new(ReaderProperties::builder().build()),
            starts,
            year,
            quantity,
            progress,
        })
    }

    /// One worker: takes the next row group until none is left, scanning each into `sink`.
    fn worker<S: RowSink>(&self, sink: &mut S, next: &AtomicUsize) -> Result<ScanStats> {
        let n_groups = self.reader.metadata().num_row_groups();
        let mut stats = ScanStats::default();
        let mut spare: Vec<u8> = Vec::new();
        loop {
            let g = next.fetch_add(1, Ordering::Relaxed);
            if g >= n_groups {
                break;
            }
            let n = self.reader.metadata().row_group(g).num_rows().max(0) as u64;
            self.row_group(g, sink, &mut stats, &mut spare)?;
            (self.progress)(n);
        }
        Ok(stats)
    }

    /// Which rows of a row group the scan needs.
    fn group_year(&self, meta: &RowGroupMetaData) -> GroupYear {
        match (self.year, int_range(meta.column(0).statistics())) {
            (Some(y), Some((lo, hi))) if (y as i32) < lo || (y as i32) > hi => GroupYear::Skip,
            (Some(y), Some((lo, hi))) if lo == hi && lo == y as i32 => GroupYear::Only(y),
            _ => GroupYear::Mixed,
        }
    }

    /// Scans row group `g`: skipped by its statistics, or its chunks read into one window,
    /// checked against their digests and decoded. `spare` carries a window's buffer to the next.
    fn row_group<S: RowSink>(
        &self,
        g: usize,
        sink: &mut S,
        stats: &mut ScanStats,
        spare: &mut Vec<u8>,
    ) -> Result<()> {
        let meta = self.reader.metadata().row_group(g);
        let only = match self.group_year(meta) {
            GroupYear::Skip => {
                let n = meta.num_rows().max(0) as u64;
                stats.rows_skipped += n;
                stats.rows_read += n;
                return Ok(());
            }
            GroupYear::Only(y) => Some(y),
            GroupYear::Mixed => None,
        };
        // The chunks this scan decodes, read with one pread.
        let mut cols = vec![1, 2, 3, 4];
        if only.is_none() {
            cols.push(0);
        }
        if self.quantity {
            cols.push(5);
        }
        // Every chunk decoded is checked against its digest first.
        let win = window(&self.pos, meta, &cols, spare)
            .filter(|w| self.digests.check(w, meta, g, &cols))
            .map(Arc::new)
            .ok_or_else(|| {
                corrupt(
                    self.path,
                    format!("row group {g} does not match its digests"),
                )
            })?;
        let rg: Box<dyn RowGroupReader> = Box::new(
            SerializedRowGroupReader::new(
                Arc::clone(&win),
                meta,
                self.reader.metadata().page_index_for_row_group(g),
                Arc::clone(&self.props),
            )
            .map_err(|e| corrupt(self.path, e))?,
        );
        let plan = GroupPlan {
            table: self.table,
            only_year: only,
            quantity: self.quantity,
            first_row: self.starts[g],
            file: &self.file,
        };
        scan_group(rg.as_ref(), &plan, sink, stats)?;
        drop(rg);
        // Take the window's buffer back for the next row group.
        if let Ok(w) = Arc::try_unwrap(win)
            && let Ok(m) = w.data.try_into_mut()
        {
            *spare = m.into();
        }
        Ok(())
    }
}

/// How one row group is decoded.
struct GroupPlan<'a> {
    table: &'a CountryTable,
    /// The group's only year, when `t` is not read.
    only_year: Option<u16>,
    /// Whether `q` is read (NaN where not).
    quantity: bool,
    /// The group's first row (0-based) in the file.
    first_row: u64,
    /// The path as error messages name it.
    file: &'a str,
}

/// The error for a chunk that fails to decode.
fn parquet_corrupt(file: &str, e: parquet::errors::ParquetError) -> Error {
    Error::file(
        file,
        format!("the cache is corrupted (Parquet: {e}); re-run osa trade ingest"),
    )
}

/// A typed reader for a column whose type [`check_schema`] has verified.
fn typed<T: DataType>(
    rg: &dyn RowGroupReader,
    col: usize,
    path: &str,
) -> Result<ColumnReaderImpl<T>> {
    let reader = rg
        .get_column_reader(col)
        .map_err(|e| parquet_corrupt(path, e))?;
    Ok(get_typed_column_reader::<T>(reader))
}

/// The column readers of one row group (`t` and `q` only where read).
struct GroupReaders {
    t: Option<ColumnReaderImpl<Int32Type>>,
    i: ColumnReaderImpl<Int32Type>,
    j: ColumnReaderImpl<Int32Type>,
    k: ColumnReaderImpl<Int32Type>,
    v: ColumnReaderImpl<DoubleType>,
    q: Option<ColumnReaderImpl<DoubleType>>,
}

/// One batch of decoded columns (`q` holds the known quantities, `qdef` says which rows have one).
struct Columns {
    t: Vec<i32>,
    i: Vec<i32>,
    j: Vec<i32>,
    k: Vec<i32>,
    v: Vec<f64>,
    q: Vec<f64>,
    qdef: Vec<i16>,
}

impl Columns {
    fn with_capacity(n: usize) -> Columns {
        Columns {
            t: Vec::with_capacity(n),
            i: Vec::with_capacity(n),
            j: Vec::with_capacity(n),
            k: Vec::with_capacity(n),
            v: Vec::with_capacity(n),
            q: Vec::with_capacity(n),
            qdef: Vec::with_capacity(n),
        }
    }
}

impl GroupReaders {
    fn open(rg: &dyn RowGroupReader, plan: &GroupPlan) -> Result<GroupReaders> {
        let file = plan.file;
        Ok(GroupReaders {
            t: match plan.only_year {
                Some(_) => None,
                None => Some(typed::<Int32Type>(rg, 0, file)?),
            },
            i: typed::<Int32Type>(rg, 1, file)?,
            j: typed::<Int32Type>(rg, 2, file)?,
            k: typed::<Int32Type>(rg, 3, file)?,
            v: typed::<DoubleType>(rg, 4, file)?,
            q: if plan.quantity {
                Some(typed::<DoubleType>(rg, 5, file)?)
            } else {
                None
            },
        })
    }

    /// Decodes up to `want` rows of every column read into `c`; returns the rows decoded (0 at
    /// the end). A column shorter than `i` is an error.
    fn read(&mut self, want: usize, c: &mut Columns, file: &str) -> Result<usize> {
        let pe = |e| parquet_corrupt(file, e);
        let read = |r: &mut ColumnReaderImpl<Int32Type>, out: &mut Vec<i32>| -> Result<usize> {
            out.clear();
            let (n, _, _) = r.read_records(want, None, None, out).map_err(pe)?;
            Ok(n)
        };
        let got = read(&mut self.i, &mut c.i)?;
        if got == 0 {
            return Ok(0);
        }
        let short = |what: &str| {
            Error::file(
                file,
                format!("column `{what}` is shorter than the others in a row group"),
            )
        };
        if read(&mut self.j, &mut c.j)? != got {
            return Err(short("j"));
        }
        if read(&mut self.k, &mut c.k)? != got {
            return Err(short("k"));
        }
        if let Some(r) = self.t.as_mut()
            && read(r, &mut c.t)? != got
        {
            return Err(short("t"));
        }
        c.v.clear();
        if self
            .v
            .read_records(want, None, None, &mut c.v)
            .map_err(pe)?
            .0
            != got
        {
            return Err(short("v"));
        }
        if let Some(r) = self.q.as_mut() {
            c.q.clear();
            c.qdef.clear();
            let (n, _, _) = r
                .read_records(want, Some(&mut c.qdef), None, &mut c.q)
                .map_err(pe)?;
            if n != got {
                return Err(short("q"));
            }
        }
        Ok(got)
    }
}

/// Decodes a row group batch by batch, checking each row and passing it to `sink`.
fn scan_group<S: RowSink>(
    rg: &dyn RowGroupReader,
    plan: &GroupPlan,
    sink: &mut S,
    stats: &mut ScanStats,
) -> Result<()> {
    let n_rows = rg.metadata().num_rows().max(0) as usize;
    let mut readers = GroupReaders::open(rg, plan)?;
    let mut columns = Columns::with_capacity(BATCH);
    let mut done = 0usize;
    while done < n_rows {
        let want = BATCH.min(n_rows - done);
        let got = readers.read(want, &mut columns, plan.file)?;
        if got == 0 {
            break;
        }
        emit_rows(&columns, got, plan, done, sink, stats);
        stats.rows_read += got as u64;
        done += got;
    }
    Ok(())
}

/// Checks the `got` rows of a batch (starting at row `done` of the group) and passes each valid
/// one to `sink`; the others are counted, and the first [`MAX_REPORTED`] kept.
#[inline]
fn emit_rows<S: RowSink>(
    c: &Columns,
    got: usize,
    plan: &GroupPlan,
    done: usize,
    sink: &mut S,
    stats: &mut ScanStats,
) {
    let (q, qdef, t) = (&c.q, &c.qdef, &c.t);
    let (i, j, k, v) = (&c.i, &c.j, &c.k, &c.v);
    let (has_q, only_year, table) = (plan.quantity, plan.only_year, plan.table);
    let first_row = plan.first_row;
    let mut qi = 0usize;
    for n in 0..got {
        let quantity_n = if has_q {
            if qdef[n] == 1 {
                qi += 1;
                q[qi - 1]
            } else {
                f64::NAN
            }
        } else {
            f64::NAN
        };
        let year = match only_year {
            Some(y) => y as i32,
            None => t[n],
        };
        let row_no = first_row as usize + done + n + 1;
        match check_row(year, i[n], j[n], k[n], v[n], quantity_n, table) {
            Ok(row) => sink.row(&row),
            Err((field, message)) => {
                stats.rows_rejected += 1;
                if stats.rejected.len() < MAX_REPORTED {
                    stats.rejected.push(Rejected {
                        line: row_no,
                        field,
                        message,
                    });
                }
            }
        }
    }
}

/// Checks one row's fields (year, country codes, HS6 code, value, quantity) into a [`Row`], or
/// says which field is wrong and why.
#[inline(always)]
fn check_row(
    t: i32,
    i: i32,
    j: i32,
    k: i32,
    v: f64,
    q: f64,
    table: &CountryTable,
) -> std::result::Result<Row, (&'static str, String)> {
    let code =
        |c: i32, field: &'static str| -> std::result::Result<(u16, u32), (&'static str, String)> {
            if c < 0 || c as usize >= CODE_LIMIT {
                return Err((field, format!("{c} is not a country code")));
            }
            table
                .entity_of(c as u16)
                .map(|idx| (c as u16, idx))
                .ok_or_else(|| (field, format!("unknown country code {c}")))
        };
    if !(1000..=9999).contains(&t) {
        return Err(("t", format!("{t} is not a year")));
    }
    let (exporter, exporter_idx) = code(i, "i")?;
    let (importer, importer_idx) = code(j, "j")?;
    if !(0..=999_999).contains(&k) {
        return Err(("k", format!("{k} is not an HS6 code")));
    }
    if !crate::rows::plausible_value(v) {
        crate::rows::check_value(v).map_err(|m| ("v", m))?;
    }
    if !q.is_nan() && !crate::rows::plausible_quantity(q) {
        crate::rows::check_quantity(q).map_err(|m| ("q", m))?;
    }
    Ok(Row {
        year: t as u16,
        exporter,
        importer,
        exporter_idx,
        importer_idx,
        product: k as u32,
        value: v,
        quantity: q,
    })
}
