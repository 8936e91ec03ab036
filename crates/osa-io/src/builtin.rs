//! The data compiled into the binary: the curated default ecosystem(s) and the baseline blocs, all
//! written by the osa team from the seed report and public facts (see each file's sources).

use crate::error::{Error, Result};
use osa_model::{Blocs, Checked};

/// Name of the default ecosystem, used when a command is given none.
pub const DEFAULT_ECOSYSTEM: &str = "semiconductors";

/// Built-in ecosystems: (name, TOML text).
pub const ECOSYSTEMS: &[(&str, &str)] = &[
    (
        "semiconductors",
        include_str!("../../../data/ecosystems/semiconductors.toml"),
    ),
    ("6g", include_str!("../../../data/ecosystems/6g.toml")),
    ("v2x", include_str!("../../../data/ecosystems/v2x.toml")),
    (
        "urban-surveillance",
        include_str!("../../../data/ecosystems/urban-surveillance.toml"),
    ),
    (
        "blockchain",
        include_str!("../../../data/ecosystems/blockchain.toml"),
    ),
];

/// The baseline blocs file.
pub const BLOCS_TOML: &str = include_str!("../../../data/baseline/blocs.toml");

/// Loads a built-in ecosystem by name.
pub fn ecosystem(name: &str) -> Result<Checked> {
    let (_, text) = ECOSYSTEMS.iter().find(|(n, _)| *n == name).ok_or_else(|| {
        Error::NotFound(format!(
            "no built-in ecosystem named `{name}` (built-ins: {})",
            names().join(", ")
        ))
    })?;
    crate::toml_eco::parse(text, &format!("<built-in {name}>"))
}

/// Names of the built-in ecosystems.
pub fn names() -> Vec<&'static str> {
    ECOSYSTEMS.iter().map(|(n, _)| *n).collect()
}

/// The built-in blocs (EU27 with accession and exit dates, NATO, G7, ...).
pub fn blocs() -> Result<Blocs> {
    crate::blocs::parse(BLOCS_TOML, "<built-in blocs.toml>")
}
