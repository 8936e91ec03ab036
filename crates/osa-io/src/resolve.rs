//! Resolving the ECOSYSTEM argument every command takes: a TOML file, an ETO directory, or the
//! name of a built-in ecosystem (the default when none is given).

use crate::error::{Error, Result};
use crate::{builtin, eto, toml_eco};
use osa_model::Checked;
use std::path::Path;

pub use crate::text::MAX_FILE_BYTES;

/// Where a loaded ecosystem came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A TOML file.
    File(String),
    /// An ETO directory and its layout.
    Eto(String, eto::Layout),
    /// A built-in ecosystem.
    Builtin(String),
}

impl Origin {
    /// A short description for reports.
    pub fn describe(&self) -> String {
        match self {
            Origin::File(p) => p.clone(),
            Origin::Eto(p, l) => format!("{p} (ETO {l:?})"),
            Origin::Builtin(n) => format!("built-in `{n}`"),
        }
    }
}

/// A loaded, checked ecosystem.
#[derive(Debug)]
pub struct Loaded {
    /// The ecosystem.
    pub checked: Checked,
    /// Where it came from.
    pub origin: Origin,
    /// Warnings from the import.
    pub warnings: Vec<String>,
}

/// Reads a TOML ecosystem file.
pub fn load_file(path: &Path) -> Result<Checked> {
    let text = crate::text::read_text(path)?;
    toml_eco::parse(&text, &path.display().to_string())
}

/// Loads an ecosystem: `None` is the default built-in; otherwise a file, an ETO directory, or a
/// built-in name, in that order.
pub fn load(spec: Option<&str>) -> Result<Loaded> {
    let spec = spec.unwrap_or(builtin::DEFAULT_ECOSYSTEM);
    let path = Path::new(spec);
    if path.is_dir() {
        if !eto::is_eto_dir(path) {
            return Err(Error::NotFound(format!(
                "{spec}: a directory, but not an ETO release (expected inputs.csv, providers.csv, provision.csv, sequence.csv, stages.csv)"
            )));
        }
        let imported = eto::import(path)?;
        return Ok(Loaded {
            checked: imported.checked,
            origin: Origin::Eto(spec.to_string(), imported.layout),
            warnings: imported.warnings,
        });
    }
    if path.is_file() {
        return Ok(Loaded {
            checked: load_file(path)?,
            origin: Origin::File(spec.to_string()),
            warnings: Vec::new(),
        });
    }
    if builtin::names().contains(&spec) {
        return Ok(Loaded {
            checked: builtin::ecosystem(spec)?,
            origin: Origin::Builtin(spec.to_string()),
            warnings: Vec::new(),
        });
    }
    Err(Error::NotFound(format!(
        "`{spec}` is not a file, an ETO directory, or a built-in ecosystem (built-ins: {})",
        builtin::names().join(", ")
    )))
}
