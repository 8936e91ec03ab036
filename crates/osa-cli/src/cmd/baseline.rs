//! What the assessment commands (`assess`, `matrix`, `report`, `actors`, `checklist`) share:
//! loading the baseline (embedded, or an edited copy), a replacement toolkit, and governance data.

use anyhow::Result;
use clap::Args;
use osa_app::baseline::BaselineSource;
use osa_assess::Baseline;
use std::path::PathBuf;

/// Where the assessment baseline comes from, for commands that only read it (matrix, actors,
/// checklist): no toolkit, governance data or year, which they would not use.
#[derive(Debug, Args)]
pub struct BaselineDir {
    /// A baseline directory with the layout of data/baseline (cases/, countries.toml, blocs.toml,
    /// likelihood.toml, toolkit.toml, checklist.toml) instead of the embedded one; `osa baseline
    /// export DIR` writes one to edit.
    #[arg(long, value_name = "DIR")]
    pub baseline: Option<String>,
}

/// Where the assessment baseline comes from, and what refines it.
#[derive(Debug, Args)]
pub struct BaselineArgs {
    #[command(flatten)]
    pub dir: BaselineDir,
    /// A toolkit file (instruments and rules) to use instead of the baseline's; edits take effect
    /// without recompiling.
    #[arg(long, value_name = "FILE")]
    pub toolkit: Option<String>,
    /// Refine country profiles with WGI governance and V-Dem regime data from this directory
    /// (the layout of ../shared/data).
    #[arg(long, value_name = "DIR")]
    pub governance_data: Option<String>,
    /// Assessment year (alliances and coercion recency); default: this year.
    #[arg(long)]
    pub year: Option<i32>,
}

impl BaselineArgs {
    /// The assessment year.
    pub fn year(&self) -> i32 {
        self.year.unwrap_or_else(current_year)
    }
}

/// This year (UTC), from the system clock.
pub fn current_year() -> i32 {
    osa_app::baseline::current_year()
}

/// Loads the baseline of a directory, or the embedded one.
pub fn load_dir(args: &BaselineDir) -> Result<Baseline> {
    load_source(&BaselineSource {
        dir: args.baseline.as_ref().map(PathBuf::from),
        ..Default::default()
    })
}

/// Loads the baseline as the flags say.
pub fn load(args: &BaselineArgs) -> Result<Baseline> {
    load_source(&BaselineSource {
        dir: args.dir.baseline.as_ref().map(PathBuf::from),
        toolkit: args.toolkit.as_ref().map(PathBuf::from),
        governance_data: args.governance_data.as_ref().map(PathBuf::from),
    })
}

fn load_source(source: &BaselineSource) -> Result<Baseline> {
    let a = osa_app::baseline::load(source)?;
    for note in &a.warnings {
        say!("{note}");
    }
    Ok(a.value)
}
