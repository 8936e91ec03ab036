//! `osa screen`: the Commission's trade-based screening of strategic dependencies (SWD(2021) 352)
//! for an importer bloc and year, from a BACI CSV or osa's cache; per product, or summarised by HS
//! section, end use, supplier, ecosystem input or ecosystem.

use crate::cli::ScreenCommon;
use crate::cmd::trade::{ScanBar, SourceArgs, report_scan};
use crate::common::{output, warned};
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
}

/// Screen HS6 products for strategic dependencies on trade data (the Commission's three indicators).
#[derive(Debug, Args)]
pub struct ScreenArgs {
    /// Trade file: a BACI CSV (t,i,j,k,v,q) or an osa cache (`osa trade ingest`).
    #[arg(long, value_name = "FILE")]
    pub trade: PathBuf,
    /// Importer: a bloc (EU27, NATO, G7, or one defined with --bloc) or an ISO3 country.
    #[arg(long, default_value = "EU27")]
    pub importer: String,
    /// Year (default: the first row's year; membership is as of 1 July of it).
    #[arg(long)]
    pub year: Option<u16>,
    /// What one row is.
    #[arg(long, value_enum, default_value = "product")]
    pub by: By,
    /// Show dependent products only.
    #[arg(long)]
    pub dependent: bool,
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

/// Runs `osa screen`.
pub fn run(args: ScreenArgs) -> Result<()> {
    let req = ScreenRequest {
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
            By::Product => ScreenBy::Product,
            By::Section => ScreenBy::Section,
            By::EndUse => ScreenBy::EndUse,
            By::Supplier => ScreenBy::Supplier,
            By::Input => ScreenBy::Input,
            By::Ecosystem => ScreenBy::Ecosystem,
        },
        dependent_only: args.dependent,
        ecosystems: args.ecosystems.clone(),
    };
    let bar = ScanBar::new("screen");
    let a = warned(osa_app::screen::screen(&req, &bar)?);
    bar.finish();
    report_scan(&a.scanned.file, &a.scanned.stats, a.scanned.seconds);
    for n in &a.notes {
        eprintln!("{n}");
    }
    let render = |format: Format| -> Result<String> {
        Ok(match &a.view {
            ScreenView::Products { rows, footer } => {
                let mut out = view::render_screen(rows, format)?;
                if matches!(format, Format::Table | Format::Md | Format::Html) {
                    out.push_str(footer);
                }
                out
            }
            ScreenView::Groups { rows, what } => view::render_groups(rows, what, format)?,
            ScreenView::Suppliers(rows) => view::render_suppliers(rows, format)?,
            ScreenView::Inputs(rows) => view::render_inputs(rows, format)?,
        })
    };
    output(args.common.format, args.common.output.as_deref(), render)
}
