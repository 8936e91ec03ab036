//! `osa diff OLD NEW`: what changed between two snapshots of an ecosystem (two ETO releases, two
//! edits of a file): inputs added and removed, top holders, shares, HHI and chokepoints. With
//! `--record FROM TO`: what changed in the published matrix and dossiers of the shared record
//! between two dates or revisions, in words, with who and why (`osa_app`'s `compare`).

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
    /// The old snapshot: an osa TOML file, an ETO directory, or a built-in name (with --record:
    /// a date YYYY-MM-DD or a revision rN of the record).
    pub old: String,
    /// The new snapshot: an osa TOML file, an ETO directory, or a built-in name (with --record:
    /// a date or a revision; `head` for the latest).
    pub new: String,
    /// Compare the shared record's published matrix and dossiers at OLD and NEW instead: cells,
    /// evidence, step-4 priority and instruments, with who proposed, who approved and why
    /// (formats: table, md, json).
    #[arg(long)]
    pub record: bool,
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub store: crate::cmd::db::StoreArgs,
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
    if args.record {
        return record(&args);
    }
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

/// `osa diff --record FROM TO`.
fn record(args: &DiffArgs) -> Result<()> {
    use osa_view::Format;
    let format = args.common.format;
    if !matches!(format, Format::Table | Format::Md | Format::Json) {
        anyhow::bail!("osa diff --record writes --format table, md or json, not {format}");
    }
    let (_, who) = crate::cmd::db::operator();
    let to = (args.new != "head").then_some(args.new.as_str());
    let c = crate::cmd::db::runtime()?.block_on(async {
        let wb = args.store.open().await?;
        wb.compare(&who, &args.old, to)
            .await
            .map_err(|e| anyhow::anyhow!("osa diff --record {} {}: {e}", args.old, args.new))
    })?;
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&c)? + "\n",
        f => c.render_text(f == Format::Md),
    };
    crate::common::write_rendered(format, args.common.output.as_deref(), text)
}
