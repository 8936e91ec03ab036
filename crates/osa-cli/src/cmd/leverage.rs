//! `osa leverage --between A B`: the mutual-dependency balance between two holders.

use crate::common::{blocs, load_ecosystem, output};
use crate::flags::{Common, EcoArg};
use anyhow::{Result, bail};
use clap::Args;
use osa_view::ecosystem as view;

/// `osa leverage`
#[derive(Debug, Args)]
pub struct LeverageArgs {
    #[command(flatten)]
    pub eco: EcoArg,
    #[command(flatten)]
    pub common: Common,
    /// The two holders, e.g. --between EU27 CHN.
    #[arg(long, num_args = 2, value_names = ["A", "B"], default_values = ["EU27", "CHN"])]
    pub between: Vec<String>,
    /// List inputs where a side holds at least this share (0-1); the score uses every input.
    #[arg(long, default_value_t = 0.25)]
    pub min_share: f64,
    /// Year to read (default: the latest year each input has).
    #[arg(long)]
    pub year: Option<i32>,
}

/// Runs `osa leverage`.
pub fn run(args: LeverageArgs) -> Result<()> {
    osa_app::ecosystem::share("--min-share", args.min_share)?;
    let [a, b] = args.between.as_slice() else {
        bail!("--between takes exactly two holders, e.g. --between EU27 CHN");
    };
    let loaded = load_ecosystem(args.eco.ecosystem.as_deref())?;
    let blocs = blocs(&loaded, &args.common.blocs)?;
    let v = osa_app::ecosystem::leverage_view(&loaded, &blocs, (a, b), args.min_share, args.year)?;
    output(args.common.format, args.common.output.as_deref(), |f| {
        view::render_leverage(&v, f)
    })
}
