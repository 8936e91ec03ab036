//! What the commands share: loading the ecosystem and the blocs, resolving holders, and writing
//! output to standard output or, atomically, to a file.

use anyhow::{Context, Result, anyhow, bail};
use osa_ecosystem::{Holder, YearChoice};
use osa_io::Loaded;
use osa_model::{Bloc, Blocs, CountryCode};
use std::io::Write;
use std::path::Path;

/// Loads the ecosystem argument and prints import warnings to standard error.
pub fn load_ecosystem(spec: Option<&str>) -> Result<Loaded> {
    let loaded = osa_io::load(spec).with_context(|| {
        format!(
            "could not load ecosystem `{}`",
            spec.unwrap_or(osa_io::builtin::DEFAULT_ECOSYSTEM)
        )
    })?;
    for w in &loaded.warnings {
        eprintln!("warning: {w}");
    }
    Ok(loaded)
}

/// The built-in blocs, plus the ecosystem's own, plus `--bloc NAME=A,B,C` definitions.
pub fn blocs(loaded: &Loaded, cli_blocs: &[String]) -> Result<Blocs> {
    let mut blocs = osa_io::builtin::blocs().context("the built-in blocs are invalid")?;
    for b in loaded.checked.user_blocs() {
        blocs.insert(b.clone());
    }
    for def in cli_blocs {
        let (name, codes) = def
            .split_once('=')
            .ok_or_else(|| anyhow!("--bloc `{def}`: expected NAME=ISO3,ISO3,..."))?;
        let name = name.trim();
        if name.is_empty() {
            bail!("--bloc `{def}`: the bloc name is empty");
        }
        let mut members = Vec::new();
        for code in codes.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            members.push(CountryCode::parse(code).ok_or_else(|| {
                anyhow!("--bloc `{def}`: unknown country code `{code}` (not ISO 3166-1 alpha-3)")
            })?);
        }
        if members.is_empty() {
            bail!("--bloc `{def}`: no members");
        }
        blocs.insert(Bloc::undated(name, name, &members, "command line"));
    }
    Ok(blocs)
}

/// Resolves a holder name against blocs, countries and regions.
pub fn holder(name: &str, blocs: &Blocs) -> Result<Holder> {
    Holder::resolve(name, blocs).ok_or_else(|| {
        anyhow!(
            "unknown holder `{name}`: not a bloc ({}), an ISO 3166-1 alpha-3 country code, or a region (EUR)",
            blocs.iter().map(|b| b.id.as_str()).collect::<Vec<_>>().join(", ")
        )
    })
}

/// The year choice from `--year`.
pub fn year(y: Option<i32>) -> YearChoice {
    y.map_or(YearChoice::Latest, YearChoice::Exact)
}

/// Checks a 0-1 share flag.
pub fn share_flag(name: &str, v: f64) -> Result<f64> {
    if v.is_finite() && (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        bail!("{name} {v} is outside 0-1 (a share of the world market, e.g. 0.9)")
    }
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
