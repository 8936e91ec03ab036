//! `osa metrics`: concentration per input (HHI, top shares, bloc shares, firm HHI) or per stage.

use crate::cli::{Common, EcoArg};
use crate::common::{blocs, emit, holder, load_ecosystem, year};
use anyhow::Result;
use clap::Args;
use osa_ecosystem::{MetricsOptions, metrics};
use osa_report::ecosystem as view;

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
    let mut names: Vec<String> = if args.holders.is_empty() {
        let mut v: Vec<String> = ["EU27", "CHN", "USA"].map(String::from).to_vec();
        v.extend(loaded.checked.user_blocs().iter().map(|b| b.id.clone()));
        v.extend(
            args.common
                .blocs
                .iter()
                .filter_map(|d| d.split_once('=').map(|(n, _)| n.trim().to_string())),
        );
        v
    } else {
        args.holders.clone()
    };
    names.dedup();
    let holders = names
        .iter()
        .map(|n| holder(n, &blocs))
        .collect::<Result<Vec<_>>>()?;
    let opts = MetricsOptions {
        year: year(args.year),
        holders,
    };
    let m = metrics(&loaded.checked, &opts);
    let text = if args.stages {
        view::render_stages(
            &view::stage_rows(&loaded.checked, &m.stages),
            args.common.format,
        )?
    } else {
        view::render_metrics(
            &view::metrics_rows(&loaded.checked, &m.inputs),
            &names,
            args.common.format,
        )?
    };
    emit(&text, args.common.output.as_deref())
}
