//! `osa metrics`: concentration per input (HHI, top shares, bloc shares, firm HHI) or per stage.

use crate::common::{blocs, load_ecosystem, output};
use crate::flags::{Common, EcoArg};
use anyhow::Result;
use clap::Args;
use osa_app::ecosystem::MetricsAnswer;
use osa_view::ecosystem as view;

/// `osa metrics`
#[derive(Debug, Args)]
pub struct MetricsArgs {
    #[command(flatten)]
    pub eco: EcoArg,
    #[command(flatten)]
    pub common: Common,
    /// Year to read (default: the latest year each input has).
    #[arg(long)]
    pub year: Option<i32>,
    /// Holders whose share is shown for every input (default: EU27, CHN, USA, and the ecosystem's
    /// and --bloc blocs).
    #[arg(long = "holder", value_name = "HOLDER")]
    pub holders: Vec<String>,
    /// Roll up per stage instead of per input.
    #[arg(long)]
    pub stages: bool,
}

/// Runs `osa metrics`.
pub fn run(args: MetricsArgs) -> Result<()> {
    let loaded = load_ecosystem(args.eco.ecosystem.as_deref())?;
    let blocs = blocs(&loaded, &args.common.blocs)?;
    let answer = osa_app::ecosystem::metrics_view(
        &loaded,
        &blocs,
        &args.holders,
        &args.common.blocs,
        args.year,
        args.stages,
    )?;
    output(
        args.common.format,
        args.common.output.as_deref(),
        |f| match &answer {
            MetricsAnswer::Stages(rows) => view::render_stages(rows, f),
            MetricsAnswer::Inputs { rows, holders } => view::render_metrics(rows, holders, f),
        },
    )
}
