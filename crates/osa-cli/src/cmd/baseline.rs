//! What the assessment commands (`assess`, `matrix`, `report`, `actors`, `checklist`) share:
//! loading the baseline (embedded, or an edited copy), a replacement toolkit, and governance data.

use anyhow::{Context, Result};
use clap::Args;
use osa_assess::Baseline;
use std::path::Path;

/// Where the assessment baseline comes from.
#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// A baseline directory with the layout of data/baseline (cases/, countries.toml, blocs.toml,
    /// likelihood.toml, toolkit.toml, checklist.toml) instead of the embedded one.
    #[arg(long, value_name = "DIR")]
    pub baseline: Option<String>,
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
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // 365.2425 days per year is exact enough away from new year's day boundaries.
    1970 + (secs / 31_556_952) as i32
}

/// Loads the baseline as the flags say.
pub fn load(args: &BaselineArgs) -> Result<Baseline> {
    let mut b = match &args.baseline {
        Some(dir) => osa_io::baseline::load_dir(Path::new(dir))
            .with_context(|| format!("could not load the baseline in {dir}"))?,
        None => osa_io::baseline::embedded().context("the embedded baseline is invalid")?,
    };
    if let Some(file) = &args.toolkit {
        b.toolkit = osa_io::baseline::load_toolkit(Path::new(file))
            .with_context(|| format!("could not load the toolkit {file}"))?;
    }
    if let Some(dir) = &args.governance_data {
        let summary = osa_io::governance::apply(&mut b.geopolitics.profiles, Path::new(dir))
            .with_context(|| format!("could not read governance data in {dir}"))?;
        eprintln!("{summary}");
    }
    Ok(b)
}
