//! Views and printers for step 1 (ecosystem analysis): metrics per input and per stage,
//! chokepoints, and the mutual-dependency balance. JSON fields are documented in docs/json.md.

mod chokepoints;
mod input;
mod leverage;
mod metrics;
mod stages;

pub use chokepoints::{CHOKEPOINT_FORMULA, ChokepointRow, chokepoint_rows, render_chokepoints};
pub use input::{InputLink, InputView, InputYear, input_view};
pub use leverage::{DependencyRow, LEVERAGE_FORMULA, LeverageView, leverage_view, render_leverage};
pub use metrics::{MetricsRow, metrics_rows, render_metrics};
pub use stages::{StageRow, render_stages, stage_rows};

use crate::format::r6;
use osa_ecosystem::CountryShares;
use osa_model::{Checked, Provision};
use serde::Serialize;
use std::collections::BTreeMap;

/// How the country HHI is computed (shown with every metric for provenance).
pub const HHI_FORMULA: &str = "hhi = sum over supplier countries of share^2 (shares 0-1 of the world market; unattributed share excluded, so hhi is a lower bound; shares scaled to sum 1 when the source's rounding pushes them above)";

/// One provision row behind a figure.
#[derive(Debug, Clone, Serialize)]
pub struct SourceRow {
    /// Provider as written.
    pub provider: String,
    /// Share in percent as written.
    pub share: Option<f64>,
    /// Year.
    pub year: Option<i32>,
    /// Source.
    pub source: String,
}

/// The data rows and formula behind a figure.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    /// Formula.
    pub formula: &'static str,
    /// Rows used.
    pub rows: Vec<SourceRow>,
}

/// The provision rows `used` (indexes into `rows`), as written.
pub(crate) fn source_rows(rows: &[Provision], used: &[usize]) -> Vec<SourceRow> {
    used.iter()
        .filter_map(|&j| rows.get(j))
        .map(|p| SourceRow {
            provider: p.provider.clone(),
            share: p.share,
            year: p.year,
            source: p.source.clone(),
        })
        .collect()
}

fn provenance(rows: &[Provision], used: &[usize], formula: &'static str) -> Provenance {
    Provenance {
        formula,
        rows: source_rows(rows, used),
    }
}

fn share_map(c: Option<&CountryShares>) -> BTreeMap<String, f64> {
    c.map(|c| {
        c.shares
            .iter()
            .map(|(p, s)| (p.code().to_string(), r6(*s)))
            .collect()
    })
    .unwrap_or_default()
}

/// A firm and its share.
#[derive(Debug, Clone, Serialize)]
pub struct FirmShare {
    /// Firm id.
    pub id: String,
    /// Firm name.
    pub name: String,
    /// Home country or region.
    pub country: Option<String>,
    /// Share, 0-1.
    pub share: f64,
}

fn firm_share(checked: &Checked, firm: usize, share: f64) -> FirmShare {
    let f = &checked.ecosystem().firms[firm];
    FirmShare {
        id: f.id.clone(),
        name: f.name.clone(),
        country: checked.firm_place(firm).map(|p| p.code().to_string()),
        share: r6(share),
    }
}
