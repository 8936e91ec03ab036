//! Where the assessment baseline (technologies, country profiles, blocs, likelihood parameters,
//! toolkit, checklist) comes from: the embedded one, a directory with its layout, a replacement
//! toolkit file, and governance data that refines the country profiles.

use crate::{Answer, AppError, Result};
use osa_assess::Baseline;
use std::path::PathBuf;

/// What the user asked the baseline to be made of.
#[derive(Debug, Clone, Default)]
pub struct BaselineSource {
    /// A directory with the layout of `data/baseline`; `None`: the embedded baseline.
    pub dir: Option<PathBuf>,
    /// A toolkit file replacing the baseline's.
    pub toolkit: Option<PathBuf>,
    /// A directory with WGI, V-Dem and Freedom House data (the layout of `../shared/data`).
    pub governance_data: Option<PathBuf>,
}

/// Loads the baseline as `source` says; the governance summary, if any, comes back as a note.
pub fn load(source: &BaselineSource) -> Result<Answer<Baseline>> {
    let mut b = match &source.dir {
        Some(dir) => osa_io::baseline::load_dir(dir).map_err(|e| {
            AppError::data(
                format!("could not load the baseline in {}", dir.display()),
                e,
            )
        })?,
        None => osa_io::baseline::embedded()
            .map_err(|e| AppError::data("the embedded baseline is invalid", e))?,
    };
    if let Some(file) = &source.toolkit {
        b.toolkit = osa_io::baseline::load_toolkit(file).map_err(|e| {
            AppError::data(format!("could not load the toolkit {}", file.display()), e)
        })?;
    }
    let mut warnings = Vec::new();
    if let Some(dir) = &source.governance_data {
        let summary = osa_io::governance::apply(&mut b.geopolitics.profiles, dir).map_err(|e| {
            AppError::data(
                format!("could not read governance data in {}", dir.display()),
                e,
            )
        })?;
        warnings.push(summary.to_string());
    }
    Ok(Answer { value: b, warnings })
}

/// This year (UTC), from the system clock: the default assessment year.
pub fn current_year() -> i32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // 365.2425 days per year is exact enough away from new year's day boundaries.
    1970 + (secs / 31_556_952) as i32
}
