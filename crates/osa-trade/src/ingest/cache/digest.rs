//! The cache's integrity: an XXH64 digest of every column chunk and one of everything the scan
//! reads from the footer, written by the ingest and checked on open and as each chunk is read.

use super::corrupt;
use super::posfile::{PosFile, Window, read_at};
use crate::error::{Error, Result};
use parquet::file::reader::{FileReader, SerializedFileReader};
use std::fs::File;
use std::path::Path;

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
pub(super) fn chunk_digests(
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
pub(super) struct Digests {
    columns: usize,
    chunks: Vec<u64>,
}

impl Digests {
    /// Checks the chunks `cols` of row group `g` in a window that holds them.
    pub(super) fn check(
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
pub(super) fn footer_digest(
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

/// Checks the footer against its digest and returns the chunk digests, which the scan checks
/// as it reads each chunk.
pub(super) fn verify(reader: &SerializedFileReader<PosFile>, path: &Path) -> Result<Digests> {
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
