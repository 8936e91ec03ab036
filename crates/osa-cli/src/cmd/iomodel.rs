//! `osa iomodel`: sector-level propagation on an input-output table (CSV) where firm data is
//! absent: the Leontief demand-pull model, the Ghosh supply-push model or the inoperability
//! input-output model, with first-, second- and third-order effects as separate numbers
//! (formulas in docs/scenarios.md).

use crate::common::output;
use anyhow::Result;
use clap::Args;
use osa_disrupt::iomodel::IoModel;
use osa_view::Format;
use osa_view::disrupt as view;
use std::path::Path;

/// `osa iomodel`
#[derive(Debug, Args)]
#[command(
    after_help = "Table: CSV with a header `sector,<sectors...>,<final-demand columns...>[,output]`,
one row per sector (flows from the row's sector to each column's sector), and an optional
`value_added` row. Shocks are SECTOR=LOST (0-1): the share of the sector's final demand lost
(leontief), of its primary inputs lost (ghosh), or its initial inoperability c* (iim).

Example:
  osa iomodel table.csv --model leontief --shock manufacturing=0.1 --tiers 3"
)]
pub struct IomodelArgs {
    /// The input-output table (CSV).
    pub table: String,
    /// Model: leontief (demand-pull), ghosh (supply-push) or iim (inoperability).
    #[arg(long, default_value = "leontief", value_parser = parse_model())]
    pub model: IoModel,
    /// A shock, SECTOR=LOST (repeatable).
    #[arg(long = "shock", value_name = "SECTOR=LOST", required = true)]
    pub shocks: Vec<String>,
    /// Last order shown separately (3: first-, second- and third-order effects).
    #[arg(long, default_value_t = 3)]
    pub tiers: usize,
    /// Output format.
    #[arg(long, default_value = "table", value_parser = crate::flags::format_parser(crate::flags::FORMATS))]
    pub format: Format,
    /// Write the output to a file instead of standard output.
    #[arg(short, long)]
    pub output: Option<String>,
}

fn parse_model() -> impl clap::builder::TypedValueParser<Value = IoModel> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["leontief", "ghosh", "iim"])
        .try_map(|s| s.parse::<IoModel>())
}

/// Runs `osa iomodel`.
pub fn run(args: IomodelArgs) -> Result<()> {
    let rows =
        osa_app::simulate::iomodel(Path::new(&args.table), args.model, &args.shocks, args.tiers)?;
    output(args.format, args.output.as_deref(), |f| {
        view::render_io(&rows, f)
    })
}
