//! Writing outputs whole or not at all, and never over what is not osa's.
//!
//! - **Files** ([`write_atomic`], [`StagedFile`]): content goes to a temporary file beside the
//!   target (`.osa-tmp-<pid>-...`), is flushed to disk, and is renamed over the target only when
//!   complete. The target must be a regular file or a new path: a device (`/dev/null`), a pipe or
//!   a folder is refused. A new file takes its mode from the umask; a replaced file keeps its mode.
//! - **Folders** ([`write_dir`]): every file is staged in a temporary folder beside the target,
//!   with a marker file ([`MARKER`]); the staged folder is then swapped with the target in one
//!   step (`renameat2(RENAME_EXCHANGE)` on Linux; two renames elsewhere) and the old version is
//!   removed. An existing folder without the marker is not osa's: it is replaced only with
//!   `force`. Two concurrent writers each swap in a complete folder: the last one wins.
//! - **Temporary files** are removed on every error path; those left by a killed run (their
//!   process is gone) are removed by the next write into the same folder ([`clean_stale`]).
//!
//! Write errors (a full disk, a quota) are errors, never a silent success.

use crate::error::{Error, Result};
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The prefix of every temporary file and folder osa creates (`.osa-tmp-<pid>-<random>`).
pub const TMP_PREFIX: &str = ".osa-tmp-";

/// Temporary names of earlier osa versions (report staging folders, cache files).
const LEGACY_PREFIXES: [&str; 2] = [".osa-report-", ".osa-cache-"];

/// The marker file osa puts in every folder it writes; osa replaces only folders that have it.
pub const MARKER: &str = ".osa-output";

/// What the marker file says.
const MARKER_TEXT: &str =
    "This folder was written by osa. osa replaces it as a whole when asked to write here again.\n";

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn refuse(path: &Path, message: String) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(message),
    }
}

/// The folder a path lives in (`.` for a bare file name).
pub fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The name prefix of this process's temporary files.
fn own_prefix() -> String {
    format!("{TMP_PREFIX}{}-", std::process::id())
}

/// Checks that `path` can take a file output: a new path, or an existing regular file (also
/// through a symbolic link). Returns the path to write (a link's target) and the mode to keep.
pub fn check_file_target(path: &Path) -> Result<(PathBuf, Option<fs::Permissions>)> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((path.to_path_buf(), None)),
        Err(e) => Err(io_err(path)(e)),
        Ok(m) if m.is_file() => Ok((path.to_path_buf(), Some(m.permissions()))),
        Ok(m) if m.file_type().is_symlink() => {
            let real = fs::canonicalize(path).map_err(io_err(path))?;
            match fs::metadata(&real) {
                Ok(t) if t.is_file() => Ok((real, Some(t.permissions()))),
                _ => Err(refuse(
                    path,
                    "is a link to something that is not a regular file; osa writes only regular files".into(),
                )),
            }
        }
        Ok(m) if m.is_dir() => Err(refuse(
            path,
            "is a folder; give a file name (osa writes this output as one file)".into(),
        )),
        Ok(_) => Err(refuse(
            path,
            "is not a regular file (a device, pipe or socket); osa writes only regular files or new paths (leave out -o to write to standard output)".into(),
        )),
    }
}

/// A file being written beside its target; [`StagedFile::commit`] renames it over the target.
/// Dropped without commit (an error, a panic), it is removed.
#[derive(Debug)]
pub struct StagedFile {
    target: PathBuf,
    keep_mode: Option<fs::Permissions>,
    tmp: tempfile::NamedTempFile,
}

impl StagedFile {
    /// Starts a file output to `path` (refusing a target that is not a regular file or new path,
    /// and removing stale temporary files of killed runs beside it).
    pub fn create(path: &Path) -> Result<StagedFile> {
        let (target, keep_mode) = check_file_target(path)?;
        let dir = parent_of(&target);
        clean_stale(&dir);
        let prefix = own_prefix();
        let tmp = builder(&prefix, false)
            .tempfile_in(&dir)
            .map_err(io_err(path))?;
        Ok(StagedFile {
            target,
            keep_mode,
            tmp,
        })
    }

    /// The file to write to.
    pub fn file(&mut self) -> &mut File {
        self.tmp.as_file_mut()
    }

    /// Flushes the file to disk and renames it over the target.
    pub fn commit(self) -> Result<()> {
        let err = io_err(&self.target);
        self.tmp.as_file().sync_all().map_err(&err)?;
        if let Some(mode) = self.keep_mode {
            fs::set_permissions(self.tmp.path(), mode).map_err(&err)?;
        }
        self.tmp.persist(&self.target).map_err(|e| err(e.error))?;
        sync_dir(&parent_of(&self.target));
        Ok(())
    }
}

impl Write for StagedFile {
    // Straight to the file: errors name the target (the callers add it), not the temporary.
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.tmp.as_file_mut().write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.tmp.as_file_mut().flush()
    }
}

/// A temporary file or folder builder: osa's name, and (on Unix) the mode of a new file or
/// folder less the umask (the kernel applies it), not tempfile's private 0600.
fn builder(prefix: &str, dir: bool) -> tempfile::Builder<'_, 'static> {
    let mut b = tempfile::Builder::new();
    b.prefix(prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(fs::Permissions::from_mode(if dir { 0o777 } else { 0o666 }));
    }
    #[cfg(not(unix))]
    let _ = dir;
    b
}

fn sync_dir(dir: &Path) {
    // Makes the rename durable; a file system that cannot sync a folder loses nothing by it.
    if let Ok(f) = File::open(dir) {
        let _ = f.sync_all();
    }
}

/// Writes `bytes` to `path` atomically (see the module notes).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut staged = StagedFile::create(path)?;
    staged.write_all(bytes).map_err(io_err(path))?;
    staged.commit()
}

/// Whether a folder entry is a temporary file of a run that is gone (on Linux: its process no
/// longer exists; elsewhere: older than a day). Entries of this process are never stale.
fn is_stale(dir: &Path, name: &str) -> bool {
    let age = || {
        fs::symlink_metadata(dir.join(name))
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .map_or(0, |age| age.as_secs())
    };
    // The names of osa before 0.2 (no process id): stale when an hour old.
    if LEGACY_PREFIXES.iter().any(|p| name.starts_with(p)) {
        return age() > 3600;
    }
    let Some(rest) = name.strip_prefix(TMP_PREFIX) else {
        return false;
    };
    let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
        return false;
    };
    if pid == std::process::id() {
        return false;
    }
    if Path::new("/proc/self").exists() {
        return !Path::new(&format!("/proc/{pid}")).exists();
    }
    age() > 24 * 3600
}

/// Removes temporary files and folders that killed osa runs left in `dir`; returns how many.
/// Best effort: what cannot be removed stays (and is tried again next time).
pub fn clean_stale(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !is_stale(dir, name) {
            continue;
        }
        let path = entry.path();
        let gone = match entry.file_type() {
            Ok(t) if t.is_dir() => fs::remove_dir_all(&path).is_ok(),
            Ok(_) => fs::remove_file(&path).is_ok(),
            Err(_) => false,
        };
        removed += usize::from(gone);
    }
    removed
}

/// Checks that `dir` can take a folder output: a new path, an empty folder, or a folder osa
/// wrote (it has [`MARKER`]); any other folder only with `force`. Never a file or a device.
pub fn check_dir_target(dir: &Path, force: bool) -> Result<()> {
    let meta = match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_err(dir)(e)),
        Ok(m) => m,
    };
    if !meta.is_dir() {
        return Err(refuse(
            dir,
            "exists and is not a folder; osa writes this output as a folder (give a new name)"
                .into(),
        ));
    }
    if is_precious(dir) {
        return Err(refuse(
            dir,
            "is the current folder, a home folder or a file-system root; osa never replaces it (give a new folder name)".into(),
        ));
    }
    if force || dir.join(MARKER).is_file() {
        return Ok(());
    }
    let entries = fs::read_dir(dir).map_err(io_err(dir))?.count();
    if entries == 0 {
        return Ok(());
    }
    Err(refuse(
        dir,
        format!(
            "is a folder osa did not write (no {MARKER} marker) holding {entries} entr{}; osa replaces its output folder as a whole, so it would delete them. Choose a new folder, or pass --force to replace it",
            if entries == 1 { "y" } else { "ies" }
        ),
    ))
}

/// Whether a folder is one osa must never replace, even with `force`: the current folder (or
/// one above it), the home folder, or a root.
fn is_precious(dir: &Path) -> bool {
    let Ok(real) = fs::canonicalize(dir) else {
        return false;
    };
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|c| fs::canonicalize(c).ok());
    let home = std::env::var_os("HOME").and_then(|h| fs::canonicalize(h).ok());
    real.parent().is_none()
        || cwd.is_some_and(|c| c.starts_with(&real))
        || home.is_some_and(|h| h == real)
}

/// Writes `files` (paths relative to the folder, contents) as the folder `dir`, whole or not at
/// all (see the module notes); `force` replaces a folder osa did not write.
pub fn write_dir(dir: &Path, files: &[(String, Vec<u8>)], force: bool) -> Result<()> {
    check_dir_target(dir, force)?;
    let parent = parent_of(dir);
    fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    clean_stale(&parent);
    let staged = stage_dir(&parent, dir, files)?;
    swap_in(staged, dir, force)
}

/// Writes the files and the marker into a new temporary folder in `parent` (errors name the
/// files as they will be in `dir`).
fn stage_dir(parent: &Path, dir: &Path, files: &[(String, Vec<u8>)]) -> Result<tempfile::TempDir> {
    let prefix = own_prefix();
    let tmp = builder(&prefix, true)
        .tempdir_in(parent)
        .map_err(io_err(parent))?;
    let marker = [(MARKER.to_string(), MARKER_TEXT.as_bytes().to_vec())];
    for (rel, content) in files.iter().chain(&marker) {
        let rel_path = Path::new(rel);
        if rel_path.is_absolute()
            || rel_path
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return Err(refuse(rel_path, "is not a plain relative path".into()));
        }
        let path = tmp.path().join(rel_path);
        let shown = dir.join(rel_path);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).map_err(io_err(&shown))?;
        }
        let mut f = File::create(&path).map_err(io_err(&shown))?;
        f.write_all(content).map_err(io_err(&shown))?;
        f.sync_all().map_err(io_err(&shown))?;
    }
    sync_dir(tmp.path());
    Ok(tmp)
}

/// Swaps the staged folder in as `dir` and removes the old version. A concurrent writer that
/// swaps in first is not an error: each swap puts a complete folder in place.
fn swap_in(staged: tempfile::TempDir, dir: &Path, force: bool) -> Result<()> {
    for _ in 0..3 {
        match fs::symlink_metadata(dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // A new folder. rename() onto a folder a concurrent run created meanwhile
                // fails (or replaces it when empty); the next round swaps instead.
                match fs::rename(staged.path(), dir) {
                    Ok(()) => {
                        let _ = staged.keep();
                        sync_dir(&parent_of(dir));
                        return Ok(());
                    }
                    // Not a race (the folder is still missing): a real error.
                    Err(e) if !dir.exists() => return Err(io_err(dir)(e)),
                    Err(_) => {}
                }
            }
            Err(e) => return Err(io_err(dir)(e)),
            Ok(_) => {
                check_dir_target(dir, force)?;
                exchange(staged.path(), dir)?;
                // `staged` now holds the old version; dropping it removes it.
                sync_dir(&parent_of(dir));
                drop(staged);
                return Ok(());
            }
        }
    }
    Err(refuse(
        dir,
        "another program keeps replacing this folder; try again".into(),
    ))
}

/// Exchanges two folders in one step where the system can; elsewhere moves `dir` aside, moves
/// `staged` in, and moves the old version to `staged`'s name.
fn exchange(staged: &Path, dir: &Path) -> Result<()> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, staged, CWD, dir, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(io_err(dir)(e.into())),
        }
    }
    let aside = parent_of(dir).join(format!(
        "{}aside-{}",
        own_prefix(),
        staged
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    fs::rename(dir, &aside).map_err(io_err(dir))?;
    if let Err(e) = fs::rename(staged, dir) {
        let _ = fs::rename(&aside, dir);
        return Err(io_err(dir)(e));
    }
    fs::rename(&aside, staged).map_err(io_err(dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(v: &str) -> Vec<(String, Vec<u8>)> {
        vec![
            ("a.csv".into(), v.as_bytes().to_vec()),
            ("sub/b.csv".into(), v.as_bytes().to_vec()),
        ]
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(TMP_PREFIX))
            .collect()
    }

    #[test]
    fn a_folder_is_replaced_whole_and_leaves_nothing_behind() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("out");
        write_dir(&out, &files("1"), false).unwrap();
        write_dir(&out, &[("a.csv".into(), b"2".to_vec())], false).unwrap();
        assert_eq!(fs::read_to_string(out.join("a.csv")).unwrap(), "2");
        assert!(
            !out.join("sub").exists(),
            "a file of the old version survived"
        );
        assert!(out.join(MARKER).is_file());
        assert_eq!(leftovers(t.path()), Vec::<String>::new());
    }

    #[test]
    fn a_folder_osa_did_not_write_is_kept_unless_forced() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("mydocs");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("thesis.docx"), "years of work").unwrap();
        let e = write_dir(&out, &files("1"), false).unwrap_err().to_string();
        assert!(e.contains("--force") && e.contains("did not write"), "{e}");
        assert!(out.join("thesis.docx").is_file());
        assert_eq!(leftovers(t.path()), Vec::<String>::new());
        write_dir(&out, &files("1"), true).unwrap();
        assert!(!out.join("thesis.docx").exists());
        // Never the current folder, a home folder or a root, even with --force.
        for precious in [Path::new("."), Path::new("/")] {
            let e = check_dir_target(precious, true).unwrap_err().to_string();
            assert!(e.contains("never replaces"), "{e}");
        }
        // An empty folder is fine.
        let empty = t.path().join("empty");
        fs::create_dir(&empty).unwrap();
        write_dir(&empty, &files("1"), false).unwrap();
    }

    #[test]
    fn files_go_only_to_regular_files_or_new_paths() {
        let t = tempfile::tempdir().unwrap();
        // Devices through links, so that a regression replaces a link, not a device.
        #[cfg(unix)]
        for dev in ["/dev/null", "/dev/full"] {
            if Path::new(dev).exists() {
                let link = t.path().join(dev.trim_start_matches("/dev/"));
                std::os::unix::fs::symlink(dev, &link).unwrap();
                let e = write_atomic(&link, b"x").unwrap_err().to_string();
                assert!(e.contains("not a regular file"), "{e}");
                assert!(
                    fs::symlink_metadata(&link)
                        .unwrap()
                        .file_type()
                        .is_symlink()
                );
                fs::remove_file(&link).unwrap();
            }
        }
        let e = write_atomic(t.path(), b"x").unwrap_err().to_string();
        assert!(e.contains("is a folder"), "{e}");
        let f = t.path().join("f.txt");
        fs::write(&f, "old").unwrap();
        let e = write_dir(&f, &files("1"), true).unwrap_err().to_string();
        assert!(e.contains("not a folder"), "{e}");
        assert_eq!(fs::read_to_string(&f).unwrap(), "old");
        assert_eq!(leftovers(t.path()), Vec::<String>::new());
    }

    #[cfg(unix)]
    #[test]
    fn modes_come_from_the_umask_or_the_replaced_file() {
        use std::os::unix::fs::PermissionsExt;
        let t = tempfile::tempdir().unwrap();
        let f = t.path().join("new.csv");
        write_atomic(&f, b"x").unwrap();
        let mode = fs::metadata(&f).unwrap().permissions().mode() & 0o777;
        assert_ne!(mode, 0o600, "a new file is private whatever the umask");
        fs::set_permissions(&f, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&f, b"y").unwrap();
        assert_eq!(
            fs::metadata(&f).unwrap().permissions().mode() & 0o777,
            0o640
        );
        let d = t.path().join("d");
        write_dir(&d, &files("1"), false).unwrap();
        assert_ne!(
            fs::metadata(&d).unwrap().permissions().mode() & 0o777,
            0o700
        );
    }

    #[test]
    fn stale_temporaries_of_dead_runs_are_removed() {
        let t = tempfile::tempdir().unwrap();
        // Linux pids stay below 2^22 = 4194304; a folder and a file of a "dead" run.
        fs::create_dir(t.path().join(".osa-tmp-4194399-abc")).unwrap();
        fs::write(t.path().join(".osa-tmp-4194399-def.parquet.tmp"), "x").unwrap();
        fs::write(t.path().join(".osa-tmp-notapid"), "x").unwrap();
        fs::write(t.path().join("keep.txt"), "x").unwrap();
        let own = t.path().join(format!("{}live", own_prefix()));
        fs::write(&own, "x").unwrap();
        // Names of earlier versions: removed when an hour old, kept when fresh.
        let old = t.path().join(".osa-cache-x.parquet.tmp");
        fs::write(&old, "x").unwrap();
        let two_hours = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(two_hours)
            .unwrap();
        fs::write(t.path().join(".osa-report-fresh"), "x").unwrap();
        if Path::new("/proc/self").exists() {
            write_atomic(&t.path().join("out.txt"), b"x").unwrap();
            let mut left = leftovers(t.path());
            left.sort();
            assert_eq!(left.len(), 2, "{left:?}");
            assert!(t.path().join("keep.txt").exists() && own.exists());
            assert!(!old.exists() && t.path().join(".osa-report-fresh").exists());
        }
    }
}
