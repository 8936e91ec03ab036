//! `osa screen`: the Commission's trade-based screening of strategic dependencies (SWD(2021) 352)
//! for an importer bloc and year, from a BACI CSV or osa's cache; per product, or summarised by HS
//! section, end use, supplier, ecosystem input or ecosystem.

use crate::cmd::trade::{ScanBar, SourceArgs, report_scan};
use crate::common::{output, say, warned};
use crate::flags::ScreenCommon;
use anyhow::Result;
use clap::{Args, ValueEnum};
use osa_app::screen::{ScreenBy, ScreenRequest, ScreenView, threshold};
use osa_trade::screen::Thresholds;
use osa_view::Format;
use osa_view::trade as view;
use std::path::PathBuf;

/// What one row of output is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    /// One row per HS6 product.
    Product,
    /// Totals per HS section.
    Section,
    /// Totals per end use (raw material, intermediate, final).
    EndUse,
    /// Suppliers of the dependent products.
    Supplier,
    /// Each HS6 code of each ecosystem input (needs --ecosystem).
    Input,
    /// Totals per ecosystem over its inputs' HS6 codes (needs --ecosystem).
    Ecosystem,
    /// Panels: products entering and leaving dependency, churn over 1 and 5 years, per importer
    /// and year.
    Churn,
    /// Panels: spells of dependency (first and last year, top supplier changes).
    Spell,
}

/// Screen HS6 products for strategic dependencies on trade data (the Commission's three indicators).
#[derive(Debug, Args)]
pub struct ScreenArgs {
    /// Trade file: a BACI CSV (t,i,j,k,v,q) or an osa cache (`osa trade ingest`).
    #[arg(long, value_name = "FILE")]
    pub trade: PathBuf,
    /// Importer: a bloc (EU27, NATO, G7, or one defined with --bloc) or an ISO3 country; `all`
    /// (every country and every bloc, members as of each year) or `countries` for a panel.
    #[arg(long, default_value = "EU27")]
    pub importer: String,
    /// Year (default: the first row's year; membership is as of 1 July of it).
    #[arg(long)]
    pub year: Option<u16>,
    /// Years of a panel (`1996-2023`): one row per importer, product and year. With a panel
    /// folder (`osa trade ingest` of several years) the default is every year it holds.
    #[arg(long, value_name = "FROM-TO")]
    pub years: Option<String>,
    /// The method of a panel: `swd2021` (the Commission's), `geodep2024` (CEPII GeoDep) or a
    /// method file (copy data/trade/methods/*.toml and edit it).
    #[arg(long, value_name = "METHOD")]
    pub method: Option<String>,
    /// Panels: write the chart of dependent products per year by top supplier (SVG) to FILE.
    #[arg(long, value_name = "FILE")]
    pub chart: Option<PathBuf>,
    /// What one row is.
    #[arg(long, value_enum, default_value = "product")]
    pub by: By,
    /// Show dependent products only.
    #[arg(long)]
    pub dependent: bool,
    /// Print every row in the terminal. Without it, a table on standard output is a summary: the
    /// warnings, the totals and the top rows; `-o FILE` and the other formats hold every row.
    #[arg(long)]
    pub all: bool,
    /// HHI threshold (strictly above passes).
    #[arg(long, default_value_t = 0.4)]
    pub hhi_threshold: f64,
    /// Extra-bloc share threshold (strictly above passes).
    #[arg(long, default_value_t = 0.5)]
    pub share_threshold: f64,
    /// Import/export ratio threshold (strictly above passes).
    #[arg(long, default_value_t = 1.0)]
    pub ratio_threshold: f64,
    /// The country whose share is reported as chn_share.
    #[arg(long, default_value = "CHN")]
    pub reference: String,
    /// HS nomenclature file(s) for descriptions (default: ../shared/data/hs, HS 2017 then 2022).
    #[arg(long = "hs", value_name = "FILE")]
    pub hs: Vec<PathBuf>,
    /// End-use rules (osa-hs-end-use/1; default: data/trade/end_use.toml, built in).
    #[arg(long, value_name = "FILE")]
    pub end_use: Option<PathBuf>,
    /// Ecosystems whose inputs carry HS6 codes (file, ETO directory or built-in name; repeatable).
    #[arg(long = "ecosystem", value_name = "ECOSYSTEM")]
    pub ecosystems: Vec<String>,
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub common: ScreenCommon,
}

/// Runs `osa screen`: a panel (every importer, several years, a method, churn or spells) or one
/// importer and year.
pub fn run(args: ScreenArgs) -> Result<()> {
    if is_panel(&args) {
        return run_panel(args);
    }
    let req = request(&args)?;
    let bar = ScanBar::new("screen");
    let a = warned(osa_app::screen::screen(&req, &bar)?);
    bar.finish();
    report_scan(&a.scanned.file, &a.scanned.stats, a.scanned.seconds);
    let format = args.common.format;
    let path = args.common.output.as_deref();
    // Text for people on standard output holds the notes (warnings first); elsewhere they go to
    // standard error, so that they are said once where the reader looks.
    let notes_in_text =
        path.is_none() && matches!(format, Format::Table | Format::Md | Format::Html);
    if !notes_in_text {
        for n in &a.notes {
            say(n);
        }
    }
    let summary = format == Format::Table && path.is_none() && !args.all;
    let render = |format: Format| -> Result<String> {
        let mut out = String::new();
        if notes_in_text && format != Format::Html {
            out.push_str(&notes(&a.notes));
        }
        out.push_str(&body(&a.view, format, summary)?);
        Ok(out)
    };
    output(format, path, render)
}

/// Whether the arguments ask for a panel screening.
fn is_panel(args: &ScreenArgs) -> bool {
    args.importer == "all"
        || args.importer == "countries"
        || args.years.is_some()
        || args.method.is_some()
        || args.trade.is_dir()
        || matches!(args.by, By::Churn | By::Spell)
}

/// A panel screening (`cmd::screen_panel`).
fn run_panel(args: ScreenArgs) -> Result<()> {
    use crate::cmd::screen_panel::{self as p, PanelArgs};
    let by = match args.by {
        By::Product => p::By::Product,
        By::Churn => p::By::Churn,
        By::Spell => p::By::Spell,
        _ => anyhow::bail!("panels show --by product, churn or spell"),
    };
    p::run(&PanelArgs {
        trade: args.trade,
        importer: args.importer,
        year: args.year,
        years: args.years,
        method: args.method,
        chart: args.chart,
        by,
        dependent: args.dependent,
        all: args.all,
        source: args.source,
        common: args.common,
    })
}

/// One importer and year's screening request.
fn request(args: &ScreenArgs) -> Result<ScreenRequest> {
    Ok(ScreenRequest {
        trade: args.trade.clone(),
        countries: args.source.countries.clone(),
        threads: args.source.threads(),
        importer: args.importer.clone(),
        bloc_definitions: args.common.blocs.clone(),
        year: args.year,
        thresholds: Thresholds {
            hhi: threshold("--hhi-threshold", args.hhi_threshold)?,
            extra_share: threshold("--share-threshold", args.share_threshold)?,
            ratio: threshold("--ratio-threshold", args.ratio_threshold)?,
        },
        reference: args.reference.clone(),
        hs: args.hs.clone(),
        end_use: args.end_use.clone(),
        by: match args.by {
            // Churn and spells are panel views, run above.
            By::Product | By::Churn | By::Spell => ScreenBy::Product,
            By::Section => ScreenBy::Section,
            By::EndUse => ScreenBy::EndUse,
            By::Supplier => ScreenBy::Supplier,
            By::Input => ScreenBy::Input,
            By::Ecosystem => ScreenBy::Ecosystem,
        },
        dependent_only: args.dependent,
        ecosystems: args.ecosystems.clone(),
    })
}

/// The notes, warnings first, then a blank line.
fn notes(notes: &[String]) -> String {
    let (warnings, rest): (Vec<&String>, Vec<&String>) =
        notes.iter().partition(|n| n.starts_with("warning:"));
    let mut out: String = warnings
        .iter()
        .chain(&rest)
        .map(|n| format!("{n}\n"))
        .collect();
    out.push('\n');
    out
}

/// How many rows a summary shows.
const TOP: usize = 8;

/// The view's rows (only the top ones in a summary, saying how many more there are), and the
/// footer under products.
fn body(v: &ScreenView, format: Format, summary: bool) -> Result<String> {
    let top = |n: usize, what: &str| -> (usize, String) {
        if summary && n > TOP {
            let head = format!(
                "the top {TOP} of {} {what} (--all prints every row; -o FILE or --format csv writes them)\n",
                osa_app::screen::thousands(n as u64)
            );
            (TOP, head)
        } else {
            (n, String::new())
        }
    };
    Ok(match v {
        ScreenView::Products { rows, footer } => {
            let (n, mut out) = top(rows.len(), "products, dependent first, by import value");
            out.push_str(&view::render_screen(&rows[..n], format)?);
            if summary {
                // The thresholds; the method and the end-use rules come with every row.
                let thresholds = footer.split("\nmethod:").next().unwrap_or(footer);
                out.push_str(thresholds);
                out.push_str("\nmethod and end-use rules: with --all, and in docs/trade.md\n");
            } else if matches!(format, Format::Table | Format::Md | Format::Html) {
                out.push_str(footer);
            }
            out
        }
        ScreenView::Groups { rows, what } => view::render_groups(rows, what, format)?,
        ScreenView::Suppliers(rows) => {
            let (n, mut out) = top(rows.len(), "suppliers, by value");
            out.push_str(&view::render_suppliers(&rows[..n], format)?);
            out
        }
        ScreenView::Inputs(rows) => {
            let (n, mut out) = top(rows.len(), "input products");
            out.push_str(&view::render_inputs(&rows[..n], format)?);
            out
        }
    })
}
