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

use super::baci::{MAX_REPORTED, ScanStats};
use super::countries::{CODE_LIMIT, CountryTable};
use crate::error::{Error, Rejected, Result};
use crate::rows::{Row, RowSink};
use parquet::basic::Compression;
use parquet::column::reader::{ColumnReaderImpl, get_typed_column_reader};
use parquet::data_type::{DataType, DoubleType, Int32Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterVersion};
use parquet::file::reader::{FileReader, RowGroupReader, SerializedFileReader};
use parquet::file::statistics::Statistics;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use parquet::schema::types::ColumnPath;
use std::fs::File;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The format tag in the file's metadata.
pub const FORMAT: &str = "osa-baci-cache/1";
/// Rows per row group.
pub const ROW_GROUP_ROWS: usize = 1 << 19;
const BATCH: usize = 1 << 13;
const SCHEMA: &str = "message baci {
  REQUIRED INT32 t;
  REQUIRED INT32 i;
  REQUIRED INT32 j;
  REQUIRED INT32 k;
  REQUIRED DOUBLE v;
  OPTIONAL DOUBLE q;
}";

/// Rows buffered column by column (a [`RowSink`] that keeps raw BACI codes).
#[derive(Debug, Default)]
pub struct ColumnBuf {
    t: Vec<i32>,
    i: Vec<i32>,
    j: Vec<i32>,
    k: Vec<i32>,
    v: Vec<f64>,
    q: Vec<f64>,
}

impl ColumnBuf {
    fn len(&self) -> usize {
        self.t.len()
    }

    fn append(&mut self, other: &mut ColumnBuf) {
        self.t.append(&mut other.t);
        self.i.append(&mut other.i);
        self.j.append(&mut other.j);
        self.k.append(&mut other.k);
        self.v.append(&mut other.v);
        self.q.append(&mut other.q);
    }

    fn split_front(&mut self, n: usize) -> ColumnBuf {
        let mut rest = ColumnBuf {
            t: self.t.split_off(n),
            i: self.i.split_off(n),
            j: self.j.split_off(n),
            k: self.k.split_off(n),
            v: self.v.split_off(n),
            q: self.q.split_off(n),
        };
        std::mem::swap(self, &mut rest);
        rest
    }
}

impl RowSink for ColumnBuf {
    #[inline]
    fn row(&mut self, r: &Row) {
        self.t.push(r.year as i32);
        self.i.push(r.exporter as i32);
        self.j.push(r.importer as i32);
        self.k.push(r.product as i32);
        self.v.push(r.value);
        self.q.push(r.quantity);
    }
}

/// Writes a cache, row group by row group.
#[derive(Debug)]
pub struct CacheWriter {
    target: std::path::PathBuf,
    keep_mode: Option<std::fs::Permissions>,
    /// Key-value metadata written at creation (the footer digest covers it).
    kv: Vec<(String, String)>,
    tmp: tempfile::TempPath,
    writer: SerializedFileWriter<File>,
    pending: ColumnBuf,
    rows: u64,
    group_rows: usize,
}

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

/// XXH64 of some bytes.
fn xxh64(bytes: &[u8]) -> u64 {
    twox_hash::XxHash64::oneshot(0, bytes)
}

/// The byte range of a column chunk (dictionary page, page headers and pages), if valid.
fn chunk_range(c: &parquet::file::metadata::ColumnChunkMetaData) -> Option<(u64, u64)> {
    let start = c.dictionary_page_offset().unwrap_or(c.data_page_offset());
    let len = c.compressed_size();
    (start >= 0 && len >= 0).then_some((start as u64, len as u64))
}

/// The digest of every column chunk of the written row groups, read back from the file, as the
/// footer's `osa.chunks` holds them (hex, comma-separated, row group by row group).
fn chunk_digests(
    file: &File,
    groups: &[parquet::file::metadata::RowGroupMetaData],
) -> std::io::Result<String> {
    let mut out = Vec::new();
    let mut buf = Vec::new();
    for g in groups {
        for c in g.columns() {
            let (start, len) = chunk_range(c).ok_or(std::io::ErrorKind::InvalidData)?;
            buf.resize(len as usize, 0);
            let mut done = 0;
            while done < buf.len() {
                match read_at(file, &mut buf[done..], start + done as u64)? {
                    0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
                    n => done += n,
                }
            }
            out.push(format!("{:016x}", xxh64(&buf)));
        }
    }
    Ok(out.join(","))
}

/// The chunk digests a cache's footer holds, checked against its footer digest.
#[derive(Debug, Clone)]
struct Digests {
    columns: usize,
    chunks: Vec<u64>,
}

impl Digests {
    /// Checks the chunks `cols` of row group `g` in a window that holds them.
    fn check(
        &self,
        win: &Window,
        meta: &parquet::file::metadata::RowGroupMetaData,
        g: usize,
        cols: &[usize],
    ) -> bool {
        cols.iter().all(|&c| {
            let Some(chunk) = meta.columns().get(c) else {
                return false;
            };
            let stored = self.chunks.get(g * self.columns + c);
            chunk_range(chunk)
                .and_then(|(start, len)| win.inside(start, len))
                .is_some_and(|r| Some(&xxh64(&win.data[r])) == stored)
        })
    }
}

/// A digest of what the scan reads from the footer: every row group's and column chunk's
/// offsets, sizes, counts, encodings and statistics, the rows, and the key-value metadata (but
/// the digests). The footer cannot hold a digest of its own bytes; this covers what matters.
fn footer_digest(
    groups: &[parquet::file::metadata::RowGroupMetaData],
    kv: &[(String, String)],
    rows: u64,
) -> String {
    use std::fmt::Write as _;
    use std::hash::Hasher;
    let mut text = format!("rows {rows}\n");
    for g in groups {
        let _ = writeln!(text, "group {} {}", g.num_rows(), g.total_byte_size());
        for c in g.columns() {
            let enc: Vec<String> = c.encodings().map(|e| format!("{e:?}")).collect();
            let _ = writeln!(
                text,
                "col {} {:?} {:?} {} {} {:?} {} {} {} {:?}",
                c.column_path(),
                c.column_type(),
                c.compression(),
                c.file_offset(),
                c.data_page_offset(),
                c.dictionary_page_offset(),
                c.compressed_size(),
                c.uncompressed_size(),
                c.num_values(),
                enc
            );
            if let Some(st) = c.statistics() {
                let _ = writeln!(
                    text,
                    "stats {:?} {:?} {:?}",
                    st.min_bytes_opt(),
                    st.max_bytes_opt(),
                    st.null_count_opt()
                );
            }
        }
    }
    let mut kv: Vec<&(String, String)> = kv.iter().collect();
    kv.sort();
    for (k, v) in kv {
        let _ = writeln!(text, "kv {k} {} {v}", v.len());
    }
    let mut h = twox_hash::XxHash64::with_seed(0);
    h.write(text.as_bytes());
    format!("xxh64:{:016x}", h.finish())
}

impl CacheWriter {
    /// Starts a cache at `target` (written under a temporary name until [`finish`](Self::finish)).
    pub fn create(target: &Path, table: &CountryTable, source: &str) -> Result<CacheWriter> {
        CacheWriter::create_with(target, table, source, ROW_GROUP_ROWS)
    }

    /// Like [`create`](Self::create), with `group_rows` rows per row group (tests use small ones).
    pub fn create_with(
        target: &Path,
        table: &CountryTable,
        source: &str,
        group_rows: usize,
    ) -> Result<CacheWriter> {
        let group_rows = group_rows.max(1);
        let dir = target
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let keep_mode = check_target(target)?;
        let prefix = format!(".osa-tmp-{}-", std::process::id());
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".parquet");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let tmp = builder.tempfile_in(dir).map_err(|e| Error::io(dir, e))?;
        let (file, tmp) = tmp.into_parts();
        let schema = Arc::new(parse_message_type(SCHEMA).map_err(|e| pq_err(target, e))?);
        let props = WriterProperties::builder()
            .set_writer_version(WriterVersion::PARQUET_1_0)
            .set_compression(Compression::UNCOMPRESSED)
            .set_dictionary_enabled(true)
            .set_column_dictionary_enabled(ColumnPath::from("v"), false)
            .set_column_dictionary_enabled(ColumnPath::from("q"), false)
            .set_statistics_enabled(EnabledStatistics::Chunk)
            // No page index between the pages and the footer: the digest covers all but the footer.
            .set_offset_index_disabled(true)
            // Pages end at 1 MB, not at 20,000 rows: fewer page headers to read.
            .set_data_page_row_count_limit(usize::MAX)
            .set_max_row_group_row_count(Some(group_rows))
            .set_created_by(format!("osa {} (osa-trade)", env!("CARGO_PKG_VERSION")))
            .build();
        let mut writer = SerializedFileWriter::new(file, schema, Arc::new(props))
            .map_err(|e| pq_err(target, e))?;
        let kv = vec![
            ("osa.format".to_string(), FORMAT.to_string()),
            ("osa.countries".to_string(), table.text().to_string()),
            ("osa.source".to_string(), source.to_string()),
        ];
        for (k, v) in &kv {
            writer.append_key_value_metadata(KeyValue::new(k.clone(), v.clone()));
        }
        Ok(CacheWriter {
            target: target.to_path_buf(),
            keep_mode,
            kv,
            tmp,
            writer,
            pending: ColumnBuf::default(),
            rows: 0,
            group_rows,
        })
    }

    /// Takes the rows of a buffer (in order) and writes every full row group.
    pub fn append(&mut self, buf: &mut ColumnBuf) -> Result<()> {
        self.pending.append(buf);
        while self.pending.len() >= self.group_rows {
            let group = self.pending.split_front(self.group_rows);
            self.write_group(&group)?;
        }
        Ok(())
    }

    fn write_group(&mut self, g: &ColumnBuf) -> Result<()> {
        let target = self.target.clone();
        let e = |e| pq_err(&target, e);
        let mut rg = self.writer.next_row_group().map_err(e)?;
        for col in [&g.t, &g.i, &g.j, &g.k] {
            let mut w = rg
                .next_column()
                .map_err(e)?
                .ok_or_else(|| Error::file(&target.display().to_string(), "schema mismatch"))?;
            w.typed::<Int32Type>()
                .write_batch(col, None, None)
                .map_err(e)?;
            w.close().map_err(e)?;
        }
        let mut w = rg
            .next_column()
            .map_err(e)?
            .ok_or_else(|| Error::file(&target.display().to_string(), "schema mismatch"))?;
        w.typed::<DoubleType>()
            .write_batch(&g.v, None, None)
            .map_err(e)?;
        w.close().map_err(e)?;
        let known: Vec<f64> = g.q.iter().copied().filter(|q| !q.is_nan()).collect();
        let def: Vec<i16> = g.q.iter().map(|q| i16::from(!q.is_nan())).collect();
        let mut w = rg
            .next_column()
            .map_err(e)?
            .ok_or_else(|| Error::file(&target.display().to_string(), "schema mismatch"))?;
        w.typed::<DoubleType>()
            .write_batch(&known, Some(&def), None)
            .map_err(e)?;
        w.close().map_err(e)?;
        rg.close().map_err(e)?;
        self.rows += g.len() as u64;
        Ok(())
    }

    /// Every key-value pair of the footer but the digests.
    fn appended_kv(&self, stats: &ScanStats) -> Vec<(String, String)> {
        let mut kv = self.kv.clone();
        kv.push(("osa.rows_read".into(), stats.rows_read.to_string()));
        kv.push(("osa.rows_rejected".into(), stats.rows_rejected.to_string()));
        kv
    }

    /// Writes the last row group and the footer (with the scan's counts), then renames the file
    /// into place. Returns the rows written.
    pub fn finish(mut self, stats: &ScanStats) -> Result<u64> {
        let rest = std::mem::take(&mut self.pending);
        if rest.len() > 0 || self.rows == 0 {
            self.write_group(&rest)?;
        }
        let target = self.target.clone();
        for (k, v) in self.appended_kv(stats).into_iter().skip(self.kv.len()) {
            self.writer.append_key_value_metadata(KeyValue::new(k, v));
        }
        // Every page is written: digest each column chunk (read back from the file), then
        // everything the scan reads from the footer, chunk digests included.
        self.writer.flush().map_err(|e| Error::io(&self.tmp, e))?;
        let chunks = chunk_digests(self.writer.inner(), self.writer.flushed_row_groups())
            .map_err(|e| Error::io(&self.tmp, e))?;
        let mut kv = self.appended_kv(stats);
        kv.push(("osa.chunks".into(), chunks.clone()));
        let footer = footer_digest(self.writer.flushed_row_groups(), &kv, self.rows);
        self.writer
            .append_key_value_metadata(KeyValue::new("osa.chunks".into(), chunks));
        self.writer
            .append_key_value_metadata(KeyValue::new("osa.footer".into(), footer));
        let file = self.writer.into_inner().map_err(|e| pq_err(&target, e))?;
        file.sync_all().map_err(|e| Error::io(&target, e))?;
        if let Some(mode) = self.keep_mode {
            std::fs::set_permissions(&self.tmp, mode).map_err(|e| Error::io(&target, e))?;
        }
        self.tmp
            .persist(&target)
            .map_err(|e| Error::io(&target, e.error))?;
        Ok(self.rows)
    }
}

/// Checks that a cache can be written to `target`: a new path or a regular file (whose mode is
/// returned, to keep). A device, pipe or folder is refused.
fn check_target(target: &Path) -> Result<Option<std::fs::Permissions>> {
    match std::fs::metadata(target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(target, e)),
        Ok(m) if m.is_file() => Ok(Some(m.permissions())),
        Ok(_) => Err(Error::file(
            &target.display().to_string(),
            "is not a regular file (a folder, device or pipe); write the cache to a file",
        )),
    }
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

/// A file read at explicit offsets (`pread`), so that threads share one reader without sharing a
/// file cursor: `std::fs::File` clones share their offset, which breaks concurrent column reads.
#[derive(Debug, Clone)]
struct PosFile {
    file: Arc<File>,
    len: u64,
}

/// A reader at a position of a [`PosFile`].
#[derive(Debug)]
struct PosRead {
    file: Arc<File>,
    pos: u64,
}

fn read_at(file: &File, buf: &mut [u8], pos: u64) -> std::io::Result<usize> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_at(file, buf, pos)
    }
    #[cfg(windows)]
    {
        std::os::windows::fs::FileExt::seek_read(file, buf, pos)
    }
}

impl std::io::Read for PosRead {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = read_at(&self.file, buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl parquet::file::reader::Length for PosFile {
    fn len(&self) -> u64 {
        self.len
    }
}

impl parquet::file::reader::ChunkReader for PosFile {
    type T = std::io::BufReader<PosRead>;

    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        Ok(std::io::BufReader::with_capacity(
            1024,
            PosRead {
                file: self.file.clone(),
                pos: start,
            },
        ))
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<bytes::Bytes> {
        let mut buf = vec![0u8; length];
        let mut done = 0;
        while done < length {
            let n = read_at(&self.file, &mut buf[done..], start + done as u64)?;
            if n == 0 {
                return Err(parquet::errors::ParquetError::EOF(format!(
                    "expected {length} bytes at offset {start}, the file ends after {done}"
                )));
            }
            done += n;
        }
        Ok(buf.into())
    }
}

fn open_pos(path: &Path) -> Result<PosFile> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    Ok(PosFile {
        file: Arc::new(file),
        len,
    })
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

/// Checks the footer against its digest and returns the chunk digests, which the scan checks
/// as it reads each chunk.
fn verify(reader: &SerializedFileReader<PosFile>, path: &Path) -> Result<Digests> {
    let meta = reader.metadata();
    let kv_of = |key: &str| -> Option<String> {
        meta.file_metadata()
            .key_value_metadata()?
            .iter()
            .find(|k| k.key == key)?
            .value
            .clone()
    };
    let (Some(stored), Some(chunks)) = (kv_of("osa.footer"), kv_of("osa.chunks")) else {
        return Err(Error::file(
            &path.display().to_string(),
            "the cache has no digests (written by an older osa, or not by osa); re-run osa trade ingest",
        ));
    };
    let kv: Vec<(String, String)> = meta
        .file_metadata()
        .key_value_metadata()
        .map(|kv| {
            kv.iter()
                .filter(|k| k.key != "osa.footer")
                .map(|k| (k.key.clone(), k.value.clone().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    let rows = meta.file_metadata().num_rows().max(0) as u64;
    if footer_digest(meta.row_groups(), &kv, rows) != stored {
        return Err(corrupt(path, "the footer does not match its digest"));
    }
    let columns = meta.file_metadata().schema_descr().num_columns();
    let chunks: Option<Vec<u64>> = if chunks.is_empty() {
        Some(Vec::new())
    } else {
        chunks
            .split(',')
            .map(|h| u64::from_str_radix(h, 16).ok())
            .collect()
    };
    match chunks {
        Some(chunks) if chunks.len() == columns * meta.num_row_groups() => {
            Ok(Digests { columns, chunks })
        }
        _ => Err(corrupt(path, "bad chunk digests")),
    }
}

/// The bytes of some column chunks of one row group, read with one `pread`; reads outside them
/// go to the file.
#[derive(Debug)]
struct Window {
    file: PosFile,
    base: u64,
    data: bytes::Bytes,
}

impl Window {
    fn inside(&self, start: u64, len: u64) -> Option<std::ops::Range<usize>> {
        let from = start.checked_sub(self.base)?;
        let to = from.checked_add(len)?;
        (to <= self.data.len() as u64).then_some(from as usize..to as usize)
    }
}

/// A reader over a [`Window`] or, outside it, the file.
#[derive(Debug)]
enum WindowRead {
    Memory(bytes::buf::Reader<bytes::Bytes>),
    File(std::io::BufReader<PosRead>),
}

impl std::io::Read for WindowRead {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            WindowRead::Memory(r) => r.read(buf),
            WindowRead::File(r) => r.read(buf),
        }
    }
}

impl parquet::file::reader::Length for Window {
    fn len(&self) -> u64 {
        self.file.len
    }
}

impl parquet::file::reader::ChunkReader for Window {
    type T = WindowRead;

    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        use bytes::Buf;
        match self.inside(start, 0) {
            Some(r) => Ok(WindowRead::Memory(self.data.slice(r.start..).reader())),
            None => Ok(WindowRead::File(self.file.get_read(start)?)),
        }
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<bytes::Bytes> {
        match self.inside(start, length as u64) {
            Some(r) => Ok(self.data.slice(r)),
            None => self.file.get_bytes(start, length),
        }
    }
}

/// Reads the column chunks `cols` of a row group into one [`Window`].
/// `spare` is a buffer from an earlier window, reused so that its pages are not faulted in again.
fn window(
    file: &PosFile,
    rg: &parquet::file::metadata::RowGroupMetaData,
    cols: &[usize],
    spare: &mut Vec<u8>,
) -> Option<Window> {
    let mut lo = u64::MAX;
    let mut hi = 0u64;
    for &c in cols {
        let m = rg.columns().get(c)?;
        let start = m.dictionary_page_offset().unwrap_or(m.data_page_offset());
        let len = m.compressed_size();
        if start < 0 || len < 0 {
            return None;
        }
        lo = lo.min(start as u64);
        hi = hi.max(start as u64 + len as u64);
    }
    if lo >= hi || hi > file.len {
        return None;
    }
    let mut buf = std::mem::take(spare);
    // Every byte is overwritten by the read: only a longer buffer needs new (zeroed) bytes.
    buf.resize((hi - lo) as usize, 0);
    let mut done = 0;
    while done < buf.len() {
        match read_at(&file.file, &mut buf[done..], lo + done as u64) {
            Ok(0) | Err(_) => return None,
            Ok(n) => done += n,
        }
    }
    Some(Window {
        file: file.clone(),
        base: lo,
        data: buf.into(),
    })
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
    let pos = open_pos(path)?;
    let reader = open_reader(path, pos.clone())?;
    let digests = verify(&reader, path)?;
    check_schema(&reader, path)?;
    let props = Arc::new(parquet::file::properties::ReaderProperties::builder().build());
    let n_groups = reader.metadata().num_row_groups();
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
    let next = AtomicUsize::new(0);
    let file = path.display().to_string();
    let results: Vec<Result<ScanStats>> = std::thread::scope(|s| {
        let handles: Vec<_> = sinks
            .iter_mut()
            .map(|sink| {
                let (reader, next, starts, file, pos, props, digests) =
                    (&reader, &next, &starts, &file, &pos, &props, &digests);
                s.spawn(move || -> Result<ScanStats> {
                    let mut stats = ScanStats::default();
                    let mut spare: Vec<u8> = Vec::new();
                    loop {
                        let g = next.fetch_add(1, Ordering::Relaxed);
                        if g >= n_groups {
                            break;
                        }
                        let meta = reader.metadata().row_group(g);
                        let n = meta.num_rows().max(0) as u64;
                        let range = int_range(meta.column(0).statistics());
                        let only = match (year, range) {
                            (Some(y), Some((lo, hi))) if (y as i32) < lo || (y as i32) > hi => {
                                stats.rows_skipped += n;
                                stats.rows_read += n;
                                progress(n);
                                continue;
                            }
                            (Some(y), Some((lo, hi))) if lo == hi && lo == y as i32 => Some(y),
                            _ => None,
                        };
                        // The chunks this scan decodes, read with one pread.
                        let mut cols = vec![1, 2, 3, 4];
                        if only.is_none() {
                            cols.push(0);
                        }
                        if quantity {
                            cols.push(5);
                        }
                        // Every chunk decoded is checked against its digest first.
                        let win = window(pos, meta, &cols, &mut spare)
                            .filter(|w| digests.check(w, meta, g, &cols))
                            .map(Arc::new)
                            .ok_or_else(|| {
                                corrupt(path, format!("row group {g} does not match its digests"))
                            })?;
                        let rg: Box<dyn RowGroupReader> = Box::new(
                            parquet::file::serialized_reader::SerializedRowGroupReader::new(
                                Arc::clone(&win),
                                meta,
                                reader.metadata().page_index_for_row_group(g),
                                Arc::clone(props),
                            )
                            .map_err(|e| corrupt(path, e))?,
                        );
                        scan_group(
                            rg.as_ref(),
                            table,
                            sink,
                            only,
                            quantity,
                            starts[g],
                            file,
                            &mut stats,
                        )?;
                        drop(rg);
                        // Take the window's buffer back for the next row group.
                        if let Ok(w) = Arc::try_unwrap(win)
                            && let Ok(m) = w.data.try_into_mut()
                        {
                            spare = m.into();
                        }
                        progress(n);
                    }
                    Ok(stats)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
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

fn int_range(stats: Option<&Statistics>) -> Option<(i32, i32)> {
    match stats? {
        Statistics::Int32(s) => Some((*s.min_opt()?, *s.max_opt()?)),
        _ => None,
    }
}

/// A typed reader for a column whose type [`check_schema`] has verified.
fn typed<T: DataType>(
    rg: &dyn RowGroupReader,
    col: usize,
    path: &str,
) -> Result<ColumnReaderImpl<T>> {
    let reader = rg.get_column_reader(col).map_err(|e| {
        Error::file(
            path,
            format!("the cache is corrupted (Parquet: {e}); re-run osa trade ingest"),
        )
    })?;
    Ok(get_typed_column_reader::<T>(reader))
}

#[allow(clippy::too_many_arguments)]
fn scan_group<S: RowSink>(
    rg: &dyn RowGroupReader,
    table: &CountryTable,
    sink: &mut S,
    only_year: Option<u16>,
    quantity: bool,
    first_row: u64,
    file: &str,
    stats: &mut ScanStats,
) -> Result<()> {
    let pe = |e: parquet::errors::ParquetError| {
        Error::file(
            file,
            format!("the cache is corrupted (Parquet: {e}); re-run osa trade ingest"),
        )
    };
    let n_rows = rg.metadata().num_rows().max(0) as usize;
    let mut t_reader = match only_year {
        Some(_) => None,
        None => Some(typed::<Int32Type>(rg, 0, file)?),
    };
    let mut i_reader = typed::<Int32Type>(rg, 1, file)?;
    let mut j_reader = typed::<Int32Type>(rg, 2, file)?;
    let mut k_reader = typed::<Int32Type>(rg, 3, file)?;
    let mut v_reader = typed::<DoubleType>(rg, 4, file)?;
    let mut q_reader = if quantity {
        Some(typed::<DoubleType>(rg, 5, file)?)
    } else {
        None
    };
    let (mut t, mut i, mut j, mut k) = (
        Vec::with_capacity(BATCH),
        Vec::with_capacity(BATCH),
        Vec::with_capacity(BATCH),
        Vec::with_capacity(BATCH),
    );
    let mut v: Vec<f64> = Vec::with_capacity(BATCH);
    let mut q: Vec<f64> = Vec::with_capacity(BATCH);
    let mut qdef: Vec<i16> = Vec::with_capacity(BATCH);
    let mut done = 0usize;
    while done < n_rows {
        let want = BATCH.min(n_rows - done);
        let read = |r: &mut ColumnReaderImpl<Int32Type>, out: &mut Vec<i32>| -> Result<usize> {
            out.clear();
            let (n, _, _) = r.read_records(want, None, None, out).map_err(pe)?;
            Ok(n)
        };
        let got = read(&mut i_reader, &mut i)?;
        if got == 0 {
            break;
        }
        let short = |what: &str| {
            Error::file(
                file,
                format!("column `{what}` is shorter than the others in a row group"),
            )
        };
        if read(&mut j_reader, &mut j)? != got {
            return Err(short("j"));
        }
        if read(&mut k_reader, &mut k)? != got {
            return Err(short("k"));
        }
        if let Some(r) = t_reader.as_mut()
            && read(r, &mut t)? != got
        {
            return Err(short("t"));
        }
        v.clear();
        if v_reader
            .read_records(want, None, None, &mut v)
            .map_err(pe)?
            .0
            != got
        {
            return Err(short("v"));
        }
        if let Some(r) = q_reader.as_mut() {
            q.clear();
            qdef.clear();
            let (n, _, _) = r
                .read_records(want, Some(&mut qdef), None, &mut q)
                .map_err(pe)?;
            if n != got {
                return Err(short("q"));
            }
        }
        let mut qi = 0usize;
        for n in 0..got {
            let quantity_n = if q_reader.is_some() {
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
        stats.rows_read += got as u64;
        done += got;
    }
    Ok(())
}

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
