//! `osa iomodel`: sector-level propagation on an input-output table (CSV) where firm data is
//! absent: the Leontief demand-pull model, the Ghosh supply-push model or the inoperability
//! input-output model, with first-, second- and third-order effects as separate numbers
//! (formulas in docs/scenarios.md).

use crate::common::output;
use anyhow::{Context, Result, bail};
use clap::Args;
use osa_disrupt::iomodel::{self, IoModel, IoShock};
use osa_report::Format;
use osa_report::disrupt::{self as view, IoRow};
use osa_report::format::r6;
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
    #[arg(long, default_value = "table", value_parser = crate::cli::format_parser(crate::cli::FORMATS))]
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
    if args.tiers > 50 {
        bail!(
            "--tiers {} is more than 50 (the series has converged long before)",
            args.tiers
        );
    }
    let shocks = args
        .shocks
        .iter()
        .map(|s| s.parse::<IoShock>())
        .collect::<Result<Vec<_>, _>>()?;
    let table = osa_io::scenario::read_iotable(Path::new(&args.table))
        .with_context(|| format!("could not read input-output table `{}`", args.table))?;
    let out = iomodel::run(&table, args.model, &shocks, args.tiers)?;
    let rows: Vec<IoRow> = out
        .effects
        .iter()
        .map(|e| IoRow {
            sector: table.sectors()[e.sector].clone(),
            output: r6(table.output()[e.sector]),
            shock: r6(e.shock),
            tiers: e.tiers.iter().map(|&v| r6(v)).collect(),
            higher: r6(e.higher),
            total: r6(e.total),
            linear_total: r6(e.linear_total),
            saturated: e.saturated,
            output_loss: r6(e.output_loss),
            relative: r6(e.relative),
        })
        .collect();
    output(args.format, args.output.as_deref(), |f| {
        view::render_io(&rows, f)
    })
}
