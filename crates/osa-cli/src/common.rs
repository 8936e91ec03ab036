//! What the commands share: printing a use case's warnings, loading the ecosystem argument, and
//! writing output to standard output or, atomically, to a file.

use anyhow::{Context, Result, anyhow};
use osa_io::Loaded;
use osa_model::Blocs;
use std::io::Write;
use std::path::Path;

/// Prints a use case's warnings on standard error and returns its value.
pub fn warned<T>(a: osa_app::Answer<T>) -> T {
    for w in &a.warnings {
        eprintln!("warning: {w}");
    }
    a.value
}

/// Loads the ecosystem argument and prints import warnings to standard error.
pub fn load_ecosystem(spec: Option<&str>) -> Result<Loaded> {
    Ok(warned(osa_app::ecosystem::load(spec)?))
}

/// The built-in blocs, plus the ecosystem's own, plus `--bloc NAME=A,B,C` definitions.
pub fn blocs(loaded: &Loaded, cli_blocs: &[String]) -> Result<Blocs> {
    Ok(osa_app::ecosystem::blocs(loaded, cli_blocs)?)
}

/// Writes text to standard output, or atomically to `path`.
pub fn emit(text: &str, path: Option<&str>) -> Result<()> {
    match path {
        Some(p) => osa_io::write::write_atomic(Path::new(p), text.as_bytes())
            .with_context(|| format!("could not write {p}")),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
            Ok(())
        }
    }
}

/// A file of the real data directory (`../shared/data` or `$OSA_SHARED_DATA`), used when the flag
/// that names it was not given.
pub fn shared_file(rel: &str, flag: &str) -> Result<std::path::PathBuf> {
    osa_io::shared::data_dir()
        .map(|d| d.join(rel))
        .ok_or_else(|| {
            anyhow!("{flag} not given and ../shared/data (or OSA_SHARED_DATA) not found")
        })
}
