//! Locating the real public data (`../shared/data`, or `OSA_SHARED_DATA`) that tests, benchmarks and
//! analysts' commands read at run time. osa never commits these files or copies of them.

use std::path::PathBuf;

/// The shared data directory: `$OSA_SHARED_DATA` when set, else `shared/data` beside the
/// repository (found from this crate's location at build time), else `../shared/data` from the
/// working directory. `None` when none exists.
pub fn data_dir() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("OSA_SHARED_DATA") {
        let p = PathBuf::from(p);
        return p.is_dir().then_some(p);
    }
    let from_repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if from_repo.is_dir() {
        return Some(from_repo);
    }
    let from_cwd = PathBuf::from("../shared/data");
    from_cwd.is_dir().then_some(from_cwd)
}

/// For tests: the shared data directory, or `None` after printing a skip notice (visible in the
/// test run's output even when the test passes). Under `CI=true`
/// a missing directory is a failure (panics), never a skip.
pub fn data_dir_or_skip(test: &str) -> Option<PathBuf> {
    match data_dir() {
        Some(p) => Some(p),
        None if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!(
                "{test}: ../shared/data (or OSA_SHARED_DATA) is missing, and CI=true makes that a failure"
            )
        }
        None => {
            // Written to the process's standard error directly, not with `eprintln!`, which the
            // test harness captures and drops when the test passes: a skip must show in the run.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "SKIP {test}: real data not found (set OSA_SHARED_DATA or place it at ../shared/data)"
            );
            None
        }
    }
}
