//! The managed upload area: `<data>/uploads/tmp` for uploads being written (removed when refused,
//! dropped or found at start) and `<data>/uploads/blobs/<sha256>` for accepted ones. A blob's name
//! is the SHA-256 of its bytes, computed while they are written.

use super::{hex, is_digest};
use crate::{AppError, Result};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The upload area of a data folder.
#[derive(Debug, Clone)]
pub struct Area {
    root: PathBuf,
}

/// An upload being written: bytes go to a temporary file (removed if this is dropped unfinished).
#[derive(Debug)]
pub struct Incoming {
    file: std::io::BufWriter<tempfile::NamedTempFile>,
    hasher: Sha256,
    bytes: u64,
    limit: u64,
    blobs: PathBuf,
}

/// An accepted upload: its content's SHA-256, its size and where the area keeps it.
#[derive(Debug, Clone)]
pub struct Blob {
    /// SHA-256 of the bytes, lowercase hex: the blob's only name.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
    path: PathBuf,
}

impl Blob {
    /// Where the area keeps it (made by the area, never from a client's text).
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn io(what: &str, p: &Path) -> impl FnOnce(std::io::Error) -> AppError {
    let context = format!("{what} {}", p.display());
    move |e| AppError::data(context, e)
}

impl Area {
    /// The area under `data` (created when missing; uploads left half-written by a previous run
    /// are removed).
    pub fn open(data: &Path) -> Result<Area> {
        let root = data.join("uploads");
        for d in [root.join("tmp"), root.join("blobs")] {
            std::fs::create_dir_all(&d).map_err(io("could not create", &d))?;
        }
        let tmp = root.join("tmp");
        if let Ok(rd) = std::fs::read_dir(&tmp) {
            for e in rd.flatten() {
                let p = e.path();
                let _ = if p.is_dir() {
                    std::fs::remove_dir_all(&p)
                } else {
                    std::fs::remove_file(&p)
                };
            }
        }
        Ok(Area { root })
    }

    /// A message with the area's folder left out (clients see uploads by digest, not where the
    /// server keeps them).
    pub fn scrub(&self, message: &str) -> String {
        message
            .replace(&format!("{}/blobs/", self.root.display()), "upload ")
            .replace(&format!("{}/", self.root.display()), "")
    }

    /// Starts an upload of at most `limit` bytes.
    pub fn begin(&self, limit: u64) -> Result<Incoming> {
        let tmp = self.root.join("tmp");
        let file = tempfile::Builder::new()
            .prefix("upload-")
            .tempfile_in(&tmp)
            .map_err(io("could not create a file in", &tmp))?;
        Ok(Incoming {
            file: std::io::BufWriter::with_capacity(1 << 20, file),
            hasher: Sha256::new(),
            bytes: 0,
            limit,
            blobs: self.root.join("blobs"),
        })
    }

    /// A fresh temporary folder inside the area (removed when dropped).
    pub fn scratch(&self) -> Result<tempfile::TempDir> {
        let tmp = self.root.join("tmp");
        tempfile::Builder::new()
            .prefix("unpack-")
            .tempdir_in(&tmp)
            .map_err(io("could not create a folder in", &tmp))
    }

    /// An accepted upload by its digest.
    pub fn blob(&self, sha256: &str) -> Result<Blob> {
        if !is_digest(sha256) {
            return Err(AppError::invalid("upload", "not a SHA-256 in hex"));
        }
        let path = self.root.join("blobs").join(sha256);
        let bytes = std::fs::metadata(&path)
            .map_err(|_| AppError::NotFound(format!("no upload {sha256}")))?
            .len();
        Ok(Blob {
            sha256: sha256.into(),
            bytes,
            path,
        })
    }

    /// A derived file beside the blobs (`<sha256>.<ext>`, e.g. a trade file's Parquet cache).
    pub fn derived(&self, sha256: &str, ext: &str) -> Result<PathBuf> {
        if !is_digest(sha256) || !ext.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(AppError::invalid("upload", "not a SHA-256 in hex"));
        }
        Ok(self.root.join("blobs").join(format!("{sha256}.{ext}")))
    }

    /// Takes a file made inside the area's temporary folder (a Parquet cache ingested there) as a
    /// blob named by its SHA-256.
    pub fn adopt(&self, file: &Path) -> Result<Blob> {
        let mut f = std::fs::File::open(file).map_err(io("could not read", file))?;
        let mut hasher = Sha256::new();
        let bytes = std::io::copy(&mut f, &mut hasher).map_err(io("could not read", file))?;
        let sha256 = hex(&hasher.finalize());
        let path = self.root.join("blobs").join(&sha256);
        std::fs::rename(file, &path).map_err(io("could not keep", file))?;
        Ok(Blob {
            sha256,
            bytes,
            path,
        })
    }

    /// Where the area records its ingest jobs (`uploads/jobs.json`).
    pub fn jobs_file(&self) -> PathBuf {
        self.root.join("jobs.json")
    }

    /// Removes the blobs (and files derived from them, `<sha256>.<ext>`) that `keep` does not
    /// name and that were last written more than `age` ago; answers how many were removed.
    pub fn sweep(
        &self,
        keep: &std::collections::HashSet<String>,
        age: std::time::Duration,
    ) -> usize {
        let Ok(rd) = std::fs::read_dir(self.root.join("blobs")) else {
            return 0;
        };
        let now = std::time::SystemTime::now();
        let mut removed = 0;
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            let sha = name.split('.').next().unwrap_or_default();
            let old = e
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| now.duration_since(t).is_ok_and(|d| d >= age));
            if is_digest(sha)
                && !keep.contains(sha)
                && old
                && std::fs::remove_file(e.path()).is_ok()
            {
                removed += 1;
            }
        }
        removed
    }

    /// Removes a blob that was refused (its bytes are referenced by nothing: only validated
    /// uploads are referenced, and the same bytes are refused the same way).
    pub fn discard(&self, blob: &Blob) {
        let _ = std::fs::remove_file(&blob.path);
    }

    /// A file inside the area, written whole by `write` into the temporary folder and then
    /// named by its SHA-256 (used for the member a CEPII .zip holds).
    pub fn accept_with(
        &self,
        limit: u64,
        write: impl FnOnce(&mut Incoming) -> Result<()>,
    ) -> Result<Blob> {
        let mut inc = self.begin(limit)?;
        write(&mut inc)?;
        inc.finish()
    }
}

impl Incoming {
    /// Appends bytes; refuses (and, once dropped, removes the file) past the limit.
    pub fn write(&mut self, chunk: &[u8]) -> Result<()> {
        self.bytes += chunk.len() as u64;
        if self.bytes > self.limit {
            return Err(AppError::TooLarge(format!(
                "the upload is larger than {} bytes",
                self.limit
            )));
        }
        self.hasher.update(chunk);
        self.file
            .write_all(chunk)
            .map_err(|e| AppError::data("could not write the upload", e))
    }

    /// Bytes so far.
    pub fn len(&self) -> u64 {
        self.bytes
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.bytes == 0
    }

    /// Flushes, syncs and names the file by its SHA-256 (an identical upload is kept once).
    pub fn finish(self) -> Result<Blob> {
        let sha256 = hex(&self.hasher.finalize());
        let file = self
            .file
            .into_inner()
            .map_err(|e| AppError::data("could not write the upload", e.into_error()))?;
        file.as_file()
            .sync_all()
            .map_err(|e| AppError::data("could not write the upload", e))?;
        let path = self.blobs.join(&sha256);
        if path.exists() {
            // The same bytes again: the kept blob counts as new for the sweep.
            if let Ok(f) = std::fs::File::options().append(true).open(&path) {
                let _ = f.set_modified(std::time::SystemTime::now());
            }
        } else {
            file.persist(&path)
                .map_err(|e| AppError::data("could not keep the upload", e.error))?;
        }
        Ok(Blob {
            sha256,
            bytes: self.bytes,
            path,
        })
    }
}

impl std::io::Write for Incoming {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        Incoming::write(self, buf).map_err(std::io::Error::other)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upload_is_named_by_its_sha256_and_a_refused_one_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let area = Area::open(dir.path()).unwrap();
        let mut inc = area.begin(3).unwrap();
        inc.write(b"abc").unwrap();
        let blob = inc.finish().unwrap();
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assert_eq!(
            blob.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(std::fs::read(blob.path()).unwrap(), b"abc");
        let mut inc = area.begin(3).unwrap();
        inc.write(b"ab").unwrap();
        assert!(matches!(inc.write(b"cd"), Err(AppError::TooLarge(_))));
        drop(inc);
        let tmp = std::fs::read_dir(dir.path().join("uploads/tmp")).unwrap();
        assert_eq!(tmp.count(), 0, "the partial file is removed");
        assert!(
            area.blob("../osa.db").is_err(),
            "only a digest names a blob"
        );
    }

    #[test]
    fn the_sweep_removes_old_unreferenced_blobs_only() {
        let dir = tempfile::tempdir().unwrap();
        let area = Area::open(dir.path()).unwrap();
        let kept = area.accept_with(10, |i| i.write(b"kept")).unwrap();
        let gone = area.accept_with(10, |i| i.write(b"gone")).unwrap();
        let young = area.accept_with(10, |i| i.write(b"young")).unwrap();
        let derived = area.derived(&gone.sha256, "parquet").unwrap();
        std::fs::write(&derived, b"cache").unwrap();
        let day_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(86_400 + 60);
        for p in [kept.path(), gone.path(), derived.as_path()] {
            let f = std::fs::File::options().append(true).open(p).unwrap();
            f.set_modified(day_ago).unwrap();
        }
        let keep = std::collections::HashSet::from([kept.sha256.clone()]);
        let day = std::time::Duration::from_secs(86_400);
        assert_eq!(
            area.sweep(&keep, day),
            2,
            "the old blob and its derived file"
        );
        assert!(kept.path().exists() && young.path().exists());
        assert!(!gone.path().exists() && !derived.exists());
        // Uploading kept bytes again makes them young.
        let f = std::fs::File::options()
            .append(true)
            .open(kept.path())
            .unwrap();
        f.set_modified(day_ago).unwrap();
        area.accept_with(10, |i| i.write(b"kept")).unwrap();
        assert_eq!(area.sweep(&std::collections::HashSet::new(), day), 0);
    }
}
