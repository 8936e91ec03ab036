//! `osa screen` on panels (`--importer all`, `--years`, `--method`, a panel folder): one row per
//! importer, product and year, or churn per importer and year, or spells; the chart of dependent
//! products per year by top supplier with `--chart FILE`.

use crate::cmd::trade::ScanBar;
use crate::common::{emit_bytes, output};
use anyhow::{Context, Result};
use osa_app::screen_panel::{PanelRequest, parse_years, screen_panel};
use osa_view::Format;
use osa_view::trade as view;

/// Rows a table on standard output shows without `--all`.
const TOP: usize = 20;

/// What one row of a panel's output is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// One row per importer, product and year.
    Product,
    /// Per importer and year.
    Churn,
    /// Per spell of dependency.
    Spell,
}

/// What `osa screen` passes to a panel screening.
#[derive(Debug)]
pub struct PanelArgs {
    /// The trade file or panel folder.
    pub trade: std::path::PathBuf,
    /// The importer.
    pub importer: String,
    /// One year.
    pub year: Option<u16>,
    /// A range of years.
    pub years: Option<String>,
    /// The method.
    pub method: Option<String>,
    /// The chart's file.
    pub chart: Option<std::path::PathBuf>,
    /// The view.
    pub by: By,
    /// Dependent rows only.
    pub dependent: bool,
    /// Every row in the terminal.
    pub all: bool,
    /// The trade file's options.
    pub source: crate::cmd::trade::SourceArgs,
    /// Format, output, blocs.
    pub common: crate::flags::ScreenCommon,
}

/// Runs a panel screening.
pub fn run(args: &PanelArgs) -> Result<()> {
    let years = match (&args.years, args.year) {
        (Some(s), _) => Some(parse_years(s)?),
        (None, Some(y)) => Some((y, y)),
        (None, None) => None,
    };
    let req = PanelRequest {
        trade: args.trade.clone(),
        countries: args.source.countries.clone(),
        threads: args.source.threads(),
        importer: args.importer.clone(),
        bloc_definitions: args.common.blocs.clone(),
        years,
        method: args.method.clone().unwrap_or_else(|| "swd2021".into()),
        dependent_only: args.dependent,
    };
    let bar = ScanBar::new("screen");
    let start = std::time::Instant::now();
    let a = screen_panel(&req, &bar)?;
    bar.finish();
    say!("screened in {:.2} s", start.elapsed().as_secs_f64());
    for n in &a.notes {
        say!("{n}");
    }
    if let Some(path) = &args.chart {
        let title = format!(
            "Dependent products per year by top supplier ({}, method {})",
            args.importer, a.method.id
        );
        let svg = view::dependent_chart(&title, &a.by_supplier).unwrap_or_default();
        osa_io::write::write_atomic(path, svg.as_bytes())
            .with_context(|| format!("could not write {}", path.display()))?;
        say!("wrote {}", path.display());
    }
    let format = args.common.format;
    let path = args.common.output.as_deref();
    if format == Format::Parquet && args.by == By::Product {
        let bytes = view::panel_parquet(&a.rows, &a.method.id, &a.method.source)?;
        return emit_bytes(&bytes, path, &format!("{} rows", a.rows.len()));
    }
    let summary = format == Format::Table && path.is_none() && !args.all;
    output(format, path, |f| -> Result<String> {
        Ok(match args.by {
            By::Churn => view::render_churn(&a.churn, f)?,
            By::Spell => view::render_spells(&a.spells, f)?,
            _ => {
                let n = if summary {
                    a.rows.len().min(TOP)
                } else {
                    a.rows.len()
                };
                let mut out = view::render_panel(&a.rows[..n], f)?;
                if summary && a.rows.len() > n {
                    out.push_str(&format!(
                        "\nthe first {n} of {} rows (--all prints every row; -o FILE or --format csv|parquet writes them)\n",
                        a.rows.len()
                    ));
                }
                out
            }
        })
    })
}
