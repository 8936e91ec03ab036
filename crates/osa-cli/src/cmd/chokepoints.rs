//! `osa chokepoints`: inputs where a holder supplies at least a share, ranked by downstream reach.
//! With `--holder EU27` this lists the EU's strategic indispensability (seed L1930-1962).

use crate::cli::{Common, EcoArg};
use crate::common::{blocs, emit, holder, load_ecosystem, share_flag, year};
use anyhow::Result;
use clap::Args;
use osa_ecosystem::{MetricsOptions, chokepoints, metrics};
use osa_report::ecosystem as view;

/// `osa chokepoints`
#[derive(Debug, Args)]
pub struct ChokepointsArgs {
    #[command(flatten)]
    pub eco: EcoArg,
    #[command(flatten)]
    pub common: Common,
    /// The holder: an ISO3 country, a region (EUR), or a bloc (EU27, NATO, a --bloc).
    #[arg(long, default_value = "EU27")]
    pub holder: String,
    /// Minimum share of the input's world supply, 0-1.
    #[arg(long, default_value_t = 0.5)]
    pub min_share: f64,
    /// Year to read (default: the latest year each input has).
    #[arg(long)]
    pub year: Option<i32>,
}

/// Runs `osa chokepoints`.
pub fn run(args: ChokepointsArgs) -> Result<()> {
    let min_share = share_flag("--min-share", args.min_share)?;
    let loaded = load_ecosystem(args.eco.ecosystem.as_deref())?;
    let blocs = blocs(&loaded, &args.common.blocs)?;
    let h = holder(&args.holder, &blocs)?;
    let m = metrics(
        &loaded.checked,
        &MetricsOptions {
            year: year(args.year),
            holders: Vec::new(),
        },
    );
    let items = chokepoints(&loaded.checked, &m.inputs, &h, min_share);
    let rows = view::chokepoint_rows(&loaded.checked, h.id(), &items, &m.inputs);
    emit(
        &view::render_chokepoints(&rows, args.common.format)?,
        args.common.output.as_deref(),
    )
}
