//! `osa screen` on panels (`--importer all`, `--years`, `--method`, a panel folder): one row per
//! importer, product and year, or churn per importer and year, or spells; the chart of dependent
//! products per year by top supplier with `--chart FILE`.

use crate::cmd::trade::ScanBar;
use crate::common::output;
use anyhow::{Context, Result};
use osa_app::screen_panel::{
    PanelRequest, PanelSummary, load_method, parse_years, screen_panel, screen_panel_stream,
};
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
    if args.common.format == Format::Parquet && args.by == By::Product {
        return stream_parquet(args, &req);
    }
    let bar = ScanBar::new("screen");
    let start = std::time::Instant::now();
    let a = screen_panel(&req, &bar)?;
    bar.finish();
    say!("screened in {:.2} s", start.elapsed().as_secs_f64());
    for n in &a.notes {
        say!("{n}");
    }
    chart(args, &a.method.id, &a.by_supplier)?;
    let format = args.common.format;
    let path = args.common.output.as_deref();
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

/// Writes the chart asked for with `--chart`.
fn chart(args: &PanelArgs, method: &str, counts: &[(u16, Option<String>, usize)]) -> Result<()> {
    let Some(path) = &args.chart else {
        return Ok(());
    };
    let title = format!(
        "Dependent products per year by top supplier ({}, method {method})",
        args.importer
    );
    let svg = view::dependent_chart(&title, counts).unwrap_or_default();
    osa_io::write::write_atomic(path, svg.as_bytes())
        .with_context(|| format!("could not write {}", path.display()))?;
    say!("wrote {}", path.display());
    Ok(())
}

/// The panel's rows as Parquet, streamed: each year's rows go to a writer thread as soon as they
/// are screened (it encodes them while the next year is scanned), so memory holds a year's rows,
/// not the panel's. To a file (renamed into place when complete) or to standard output.
fn stream_parquet(args: &PanelArgs, req: &PanelRequest) -> Result<()> {
    let method = load_method(&req.method)?;
    let bar = ScanBar::new("screen");
    let start = std::time::Instant::now();
    let (summary, bytes) = match args.common.output.as_deref() {
        Some(p) => {
            let staged = osa_io::write::StagedFile::create(std::path::Path::new(p))?;
            let (s, out) = stream_to(req, &bar, &method, std::io::BufWriter::new(staged))?;
            let mut staged = out
                .into_inner()
                .map_err(|e| anyhow::anyhow!("could not write {p}: {}", e.error()))?;
            let bytes = staged.file().metadata().map_or(0, |m| m.len());
            staged.commit()?;
            (s, Some((p, bytes)))
        }
        None => {
            let (s, mut out) = stream_to(
                req,
                &bar,
                &method,
                std::io::BufWriter::new(std::io::stdout()),
            )?;
            std::io::Write::flush(&mut out)?;
            (s, None)
        }
    };
    bar.finish();
    say!("screened in {:.2} s", start.elapsed().as_secs_f64());
    for n in &summary.notes {
        say!("{n}");
    }
    chart(args, &summary.method.id, &summary.by_supplier)?;
    if let Some((p, bytes)) = bytes {
        say!(
            "wrote {p} ({} rows, {})",
            summary.rows,
            crate::common::size(bytes as usize)
        );
    }
    Ok(())
}

/// Screens `req` with the rows going, year by year, through a writer thread into `out`.
fn stream_to<W: std::io::Write + Send>(
    req: &PanelRequest,
    bar: &ScanBar,
    method: &osa_trade::method::Method,
    out: W,
) -> Result<(PanelSummary, W)> {
    let mut writer = view::PanelParquetWriter::new(out, &method.id, &method.source)?;
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<view::PanelBatch>(1);
        let encoder = s.spawn(move || -> Result<W> {
            for batch in rx {
                writer.write_batch(&batch)?;
            }
            Ok(writer.finish()?)
        });
        let summary = screen_panel_stream(req, bar, &mut |batch| {
            // A closed channel means the encoder failed: its error is reported below.
            let _ = tx.send(batch);
            Ok(())
        });
        drop(tx);
        let out = encoder
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        let summary = summary?;
        Ok((summary, out?))
    })
}
