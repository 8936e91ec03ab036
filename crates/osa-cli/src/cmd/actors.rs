//! `osa actors`: the actors each chapter says to watch (foresight), filterable by technology,
//! country, kind, relevance, and PRC or context actors.

use crate::cmd::baseline::{self, BaselineDir};
use crate::common::output;
use crate::flags::Output;
use anyhow::Result;
use clap::Args;
use osa_app::assess::ActorFilter;
use osa_view::assess as view;

/// `osa actors`
#[derive(Debug, Args)]
pub struct ActorsArgs {
    /// Only actors of this technology (id or name).
    #[arg(long)]
    pub technology: Option<String>,
    /// Only actors based in this country (ISO3, EU27 or INT).
    #[arg(long)]
    pub country: Option<String>,
    /// Only actors of this kind.
    #[arg(long, value_parser = actor_kinds())]
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
    /// Only actors whose name, role, kind, country or technology holds every word (any case).
    #[arg(long, value_name = "WORDS")]
    pub text: Option<String>,
    #[command(flatten)]
    pub baseline: BaselineDir,
    #[command(flatten)]
    pub common: Output,
}

/// The actor kinds, listed by `--help`.
fn actor_kinds() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(
        osa_assess::technology::ActorKind::ALL
            .iter()
            .map(|(_, s)| clap::builder::PossibleValue::new(*s)),
    )
}

/// Runs `osa actors`.
pub fn run(args: ActorsArgs) -> Result<()> {
    let b = baseline::load_dir(&args.baseline)?;
    let filter = ActorFilter {
        technology: args.technology.clone(),
        country: args.country.clone(),
        kind: args.kind.clone(),
        relevance: args.relevance.clone(),
        prc: (args.prc || args.context).then_some(args.prc),
        text: args.text.clone(),
    };
    let actors = osa_app::assess::actors_view(&b, &filter)?;
    output(args.common.format, args.common.output.as_deref(), |f| {
        view::render_actors(&actors, f)
    })
}
