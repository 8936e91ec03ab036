//! Positional reads of a cache: a file read at explicit offsets (so threads share one reader),
//! and windows holding a row group's column chunks read with one `pread`.

use crate::error::{Error, Result};
use std::fs::File;
use std::path::Path;
use std::sync::Arc;

/// A file read at explicit offsets (`pread`), so that threads share one reader without sharing a
/// file cursor: `std::fs::File` clones share their offset, which breaks concurrent column reads.
#[derive(Debug, Clone)]
pub(super) struct PosFile {
    pub(super) file: Arc<File>,
    pub(super) len: u64,
}

/// A reader at a position of a [`PosFile`].
#[derive(Debug)]
pub(super) struct PosRead {
    file: Arc<File>,
    pos: u64,
}

pub(super) fn read_at(file: &File, buf: &mut [u8], pos: u64) -> std::io::Result<usize> {
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

pub(super) fn open_pos(path: &Path) -> Result<PosFile> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    Ok(PosFile {
        file: Arc::new(file),
        len,
    })
}

/// The bytes of some column chunks of one row group, read with one `pread`; reads outside them
/// go to the file.
#[derive(Debug)]
pub(super) struct Window {
    file: PosFile,
    base: u64,
    pub(super) data: bytes::Bytes,
}

impl Window {
    pub(super) fn inside(&self, start: u64, len: u64) -> Option<std::ops::Range<usize>> {
        let from = start.checked_sub(self.base)?;
        let to = from.checked_add(len)?;
        (to <= self.data.len() as u64).then_some(from as usize..to as usize)
    }
}

/// A reader over a [`Window`] or, outside it, the file.
#[derive(Debug)]
pub(super) enum WindowRead {
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
pub(super) fn window(
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
