//! `osa chokepoints`: inputs where a holder supplies at least a share, ranked by downstream reach.
//! With `--holder EU27` this lists the EU's strategic indispensability (seed L1930-1962).

use crate::common::{blocs, load_ecosystem, output};
use crate::flags::{Common, EcoArg};
use anyhow::Result;
use clap::Args;
use osa_view::ecosystem as view;

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
    osa_app::ecosystem::share("--min-share", args.min_share)?;
    let loaded = load_ecosystem(args.eco.ecosystem.as_deref())?;
    let blocs = blocs(&loaded, &args.common.blocs)?;
    let rows = osa_app::ecosystem::chokepoints_view(
        &loaded,
        &blocs,
        &args.holder,
        args.min_share,
        args.year,
    )?;
    output(args.common.format, args.common.output.as_deref(), |f| {
        view::render_chokepoints(&rows, f)
    })
}
