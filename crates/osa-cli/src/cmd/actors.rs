//! `osa actors`: the actors each chapter says to watch (foresight), filterable by technology,
//! country, kind, relevance, and PRC or context actors.

use crate::cli::Common;
use crate::cmd::baseline::{self, BaselineArgs};
use crate::common::emit;
use anyhow::Result;
use clap::Args;
use osa_app::assess::ActorFilter;
use osa_report::assess as view;

/// `osa actors`
#[derive(Debug, Args)]
pub struct ActorsArgs {
    /// Only actors of this technology (id or name).
    #[arg(long)]
    pub technology: Option<String>,
    /// Only actors based in this country (ISO3, EU27 or INT).
    #[arg(long)]
    pub country: Option<String>,
    /// Only actors of this kind (e.g. ministry, soe, firm, standards_body).
    #[arg(long)]
    pub kind: Option<String>,
    /// Only actors of this relevance: high, medium, low, or context (outside the PRC).
    #[arg(long, value_parser = ["high", "medium", "low", "context"])]
    pub relevance: Option<String>,
    /// Only actors in the PRC (the report's actors to watch).
    #[arg(long, conflicts_with = "context")]
    pub prc: bool,
    /// Only context actors (outside the PRC).
    #[arg(long)]
    pub context: bool,
    #[command(flatten)]
    pub baseline: BaselineArgs,
    #[command(flatten)]
    pub common: Common,
}

/// Runs `osa actors`.
pub fn run(args: ActorsArgs) -> Result<()> {
    let b = baseline::load(&args.baseline)?;
    let filter = ActorFilter {
        technology: args.technology.clone(),
        country: args.country.clone(),
        kind: args.kind.clone(),
        relevance: args.relevance.clone(),
        prc: (args.prc || args.context).then_some(args.prc),
    };
    let actors = osa_app::assess::actors_view(&b, &filter)?;
    emit(
        &view::render_actors(&actors, args.common.format)?,
        args.common.output.as_deref(),
    )
}
