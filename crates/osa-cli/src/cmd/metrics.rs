//! `osa metrics`: concentration per input (HHI, top shares, bloc shares, firm HHI) or per stage.

use crate::cli::MetricsArgs;
use crate::common::{blocs, emit, holder, load_ecosystem, year};
use anyhow::Result;
use osa_ecosystem::{MetricsOptions, metrics};
use osa_report::ecosystem as view;

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
