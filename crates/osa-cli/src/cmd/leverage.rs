//! `osa leverage --between A B`: the mutual-dependency balance between two holders.

use crate::cli::LeverageArgs;
use crate::common::{blocs, emit, holder, load_ecosystem, share_flag, year};
use anyhow::{Result, bail};
use osa_ecosystem::{MetricsOptions, leverage, metrics};
use osa_report::ecosystem as view;

/// Runs `osa leverage`.
pub fn run(args: LeverageArgs) -> Result<()> {
    let min_share = share_flag("--min-share", args.min_share)?;
    let [a, b] = args.between.as_slice() else {
        bail!("--between takes exactly two holders, e.g. --between EU27 CHN");
    };
    let loaded = load_ecosystem(args.eco.ecosystem.as_deref())?;
    let blocs = blocs(&loaded, &args.common.blocs)?;
    let (ha, hb) = (holder(a, &blocs)?, holder(b, &blocs)?);
    let m = metrics(
        &loaded.checked,
        &MetricsOptions {
            year: year(args.year),
            holders: Vec::new(),
        },
    );
    let lev = leverage(&loaded.checked, &m.inputs, &ha, &hb, min_share);
    let v = view::leverage_view(&loaded.checked, &lev, min_share);
    emit(
        &view::render_leverage(&v, args.common.format)?,
        args.common.output.as_deref(),
    )
}
