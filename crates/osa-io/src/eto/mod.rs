//! Importer for the CSET Emerging Technology Observatory (ETO) semiconductor supply-chain dataset,
//! in both published layouts:
//!
//! - **2026** (`eto-chip-explorer`): `provision.csv` has numeric `share_provided` (0-100), `year` and
//!   `source`; `providers.csv` has `alias`;
//! - **2025** (`eto-supply-chain`): shares are text like `61%`, there is no year (the figures are the
//!   CSET 2021 report's, which describe 2019, so osa records year 2019), and a
//!   `negligible_market_share` flag.
//!
//! Mapping: country providers become ISO3 providers (`EUR`, "Europe", stays a region; the 2025
//! release's `MAL` is read as `MYS`); "Various countries" becomes `unattributed` and "Various
//! companies" `unattributed-firms` (never a country); organisations become firms with their home
//! country; provision on `S1`-`S3` becomes stage provision; `sequence.csv` gives `goes_into` and
//! `is_type_of` edges. Exact duplicate rows are dropped with a warning. Every record keeps the file
//! and line it came from, so validation problems point at the CSV line.
//!
//! The import is in [`import()`] (its steps in `import.rs`), the way back to the 2026
//! layout in [`export()`] (`export.rs`).

mod export;
mod import;

pub use export::export;
pub use import::import;

use osa_model::Checked;
use std::path::Path;

/// Which release layout a directory holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// The 2026 `eto-chip-explorer` release.
    V2026,
    /// The 2025 `eto-supply-chain` release.
    V2025,
}

impl Layout {
    fn label(self) -> &'static str {
        match self {
            Layout::V2026 => "CSET ETO chip explorer (2026 release)",
            Layout::V2025 => "CSET ETO supply chain (2025 release)",
        }
    }
}

/// Year recorded for the 2025 release, whose shares describe 2019 (CSET, The Semiconductor Supply
/// Chain: Assessing National Competitiveness, 2021).
pub const V2025_YEAR: i32 = 2019;

/// The result of an import: the checked ecosystem and the warnings an analyst should read.
#[derive(Debug)]
pub struct Imported {
    /// The ecosystem.
    pub checked: Checked,
    /// Which layout was read.
    pub layout: Layout,
    /// Non-fatal findings (aliases applied, duplicates dropped).
    pub warnings: Vec<String>,
}

/// Whether a directory looks like an ETO release.
pub fn is_eto_dir(dir: &Path) -> bool {
    [
        "inputs.csv",
        "providers.csv",
        "provision.csv",
        "sequence.csv",
        "stages.csv",
    ]
    .iter()
    .all(|f| dir.join(f).is_file())
}
