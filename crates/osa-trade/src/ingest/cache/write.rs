//! Writing a cache: rows buffered column by column, written row group by row group to a temporary
//! file that is digested, then renamed into place.

use super::digest::{chunk_digests, footer_digest};
use super::{FORMAT, ROW_GROUP_ROWS, pq_err};
use crate::error::{Error, Result};
use crate::ingest::baci::ScanStats;
use crate::ingest::countries::CountryTable;
use crate::rows::{Row, RowSink};
use parquet::basic::Compression;
use parquet::data_type::{DoubleType, Int32Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterVersion};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use parquet::schema::types::ColumnPath;
use std::fs::File;
use std::path::Path;
use std::sync::Arc;

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
