//! `osa diff OLD NEW`: what changed between two snapshots of an ecosystem (two ETO releases, two
//! edits of a file): inputs added and removed, top holders, shares, HHI and chokepoints.

use crate::common::load_ecosystem;
use crate::flags::Common;
use anyhow::Result;
use clap::Args;
use osa_app::ecosystem::DiffRequest;
use osa_ecosystem::{
    Thresholds,
    compare::{DEFAULT_MIN_HHI, DEFAULT_MIN_SHARE, DEFAULT_MIN_SHARE_POINTS},
};
use osa_view::diff as view;

/// `osa diff`
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old snapshot: an osa TOML file, an ETO directory, or a built-in name.
    pub old: String,
    /// The new snapshot: an osa TOML file, an ETO directory, or a built-in name.
    pub new: String,
    #[command(flatten)]
    pub common: Common,
    /// Holders watched for every input, besides each input's top holders (repeatable; default:
    /// EU27 and CHN).
    #[arg(long = "holder", value_name = "HOLDER")]
    pub holders: Vec<String>,
    /// A holder with at least this share (0-1) of an input holds a chokepoint.
    #[arg(long, default_value_t = DEFAULT_MIN_SHARE)]
    pub min_share: f64,
    /// Report a holder's share moving by at least this many percentage points (0-100).
    #[arg(long, default_value_t = DEFAULT_MIN_SHARE_POINTS)]
    pub min_share_points: f64,
    /// Report the HHI (0-1) moving by at least this much.
    #[arg(long, default_value_t = DEFAULT_MIN_HHI)]
    pub min_hhi: f64,
    /// Year read in OLD (default: the latest year each input has).
    #[arg(long)]
    pub old_year: Option<i32>,
    /// Year read in NEW (default: the latest year each input has).
    #[arg(long)]
    pub new_year: Option<i32>,
}

/// Runs `osa diff`.
pub fn run(args: DiffArgs) -> Result<()> {
    let old = load_ecosystem(Some(&args.old))?;
    let new = load_ecosystem(Some(&args.new))?;
    let req = DiffRequest {
        holders: args.holders.clone(),
        bloc_definitions: args.common.blocs.clone(),
        thresholds: Thresholds {
            min_share: args.min_share,
            min_share_points: args.min_share_points,
            min_hhi: args.min_hhi,
        },
        old_year: args.old_year,
        new_year: args.new_year,
    };
    let v = osa_app::ecosystem::diff_view(&old, &new, (&args.old, &args.new), &req)?;
    crate::common::write_rendered(
        args.common.format,
        args.common.output.as_deref(),
        view::render_diff(&v, args.common.format)?,
    )
}
