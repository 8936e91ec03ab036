//! `osa report -o DIR`: the whole baseline as a self-contained HTML report (the matrix as SVG, a
//! dossier per technology, actors, the AI-application checklist, sources, method notes), or as one
//! Markdown or JSON document. The directory is written completely or not at all.

use crate::cmd::baseline::{self, BaselineArgs};
use anyhow::{Result, bail};
use clap::Args;
use osa_view::Format;
use osa_view::assess as view;
use std::path::{Path, PathBuf};

/// `osa report`
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Replace the output directory even if osa did not write it (its files are deleted).
    #[arg(long)]
    pub force: bool,
    /// Output directory (replaced as a whole when the report is complete).
    #[arg(short, long, default_value = "osa-report")]
    pub output: String,
    /// html (a site: index.html and pages), md (report.md) or json (report.json).
    #[arg(long, default_value = "html", value_parser = crate::flags::format_parser(&["html", "md", "json"]))]
    pub format: Format,
    #[command(flatten)]
    pub baseline: BaselineArgs,
    /// Your own results to add, as osa wrote them with --format json (screen, crm, geopolrisk,
    /// simulate, metrics, ...); repeatable. Each becomes a page (a section in md and json).
    #[arg(long = "include", value_name = "FILE")]
    pub include: Vec<PathBuf>,
    /// A named scenario (or scenario file) to run and add as a page; repeatable.
    #[arg(long = "scenario", value_name = "NAME")]
    pub scenarios: Vec<String>,
    /// Monte Carlo draws for the scenarios added with --scenario.
    #[arg(long, default_value_t = 500, requires = "scenarios")]
    pub draws: usize,
}

/// The analyst's own analyses the flags name.
fn own_analyses(args: &ReportArgs) -> Result<Vec<osa_app::analyses::Analysis>> {
    let mut out = Vec::new();
    for f in &args.include {
        out.push(osa_app::analyses::from_json_file(f)?);
    }
    for s in &args.scenarios {
        out.push(crate::common::warned(osa_app::analyses::from_scenario(
            s, args.draws,
        )?));
    }
    Ok(out)
}

/// Adds the analyses to the report's files: pages (html), a section (md) or a field (json).
fn add_analyses(
    files: &mut [(String, String)],
    pages: &mut Vec<(String, String)>,
    format: Format,
    analyses: &[osa_app::analyses::Analysis],
) -> Result<()> {
    if analyses.is_empty() {
        return Ok(());
    }
    match format {
        Format::Html => {
            for (k, a) in analyses.iter().enumerate() {
                pages.push((format!("analysis-{}.html", k + 1), a.html.clone()));
            }
        }
        Format::Md => {
            let mut md = String::from("\n# Your analyses\n");
            for a in analyses {
                md.push_str(&format!("\n## {}\n\nSource: {}\n\n", a.title, a.source));
                md.push_str(&osa_view::format::md_from_csv(&a.csv)?);
            }
            files[0].1.push_str(&md);
        }
        _ => {
            let mut v: serde_json::Value = serde_json::from_str(&files[0].1)?;
            v["analyses"] = analyses
                .iter()
                .map(|a| serde_json::json!({"title": a.title, "source": a.source, "csv": a.csv}))
                .collect();
            files[0].1 = osa_view::format::json(&v)?;
        }
    }
    Ok(())
}

/// The levels each dossier computed from step 1's data, for the matrix's basis marks.
fn computed_levels(dossiers: &[view::DossierView]) -> Vec<[Option<osa_assess::Level>; 4]> {
    dossiers
        .iter()
        .map(|d| {
            osa_assess::Dimension::ALL.map(|dim| {
                d.dimensions[dim.id()]
                    .computed
                    .as_ref()
                    .and_then(|c| osa_assess::Level::new(i64::from(c.level)))
            })
        })
        .collect()
}

/// Runs `osa report`.
pub fn run(args: ReportArgs) -> Result<()> {
    osa_io::write::check_dir_target(Path::new(&args.output), args.force)?;
    let b = baseline::load(&args.baseline)?;
    let analyses = own_analyses(&args)?;
    let year = args.baseline.year();
    let dossiers = crate::common::warned(osa_app::assess::all_dossiers(&b, year)?);
    let techs: Vec<&osa_assess::Technology> = b.technologies.iter().collect();
    let matrix = view::matrix(&techs, &computed_levels(&dossiers));
    let actors = view::all_actors(&b, &view::ActorFilter::default());
    let dir = Path::new(&args.output);
    let listed: Vec<(String, String, String)> = analyses
        .iter()
        .enumerate()
        .map(|(k, a)| {
            (
                format!("analysis-{}.html", k + 1),
                a.title.clone(),
                a.source.clone(),
            )
        })
        .collect();
    let mut files: Vec<(String, String)> = match args.format {
        Format::Html => osa_web::export::site(&osa_web::export::Site {
            matrix: &matrix,
            dossiers: &dossiers,
            actors: &actors,
            checklist: &b.checklist,
            sources: &osa_app::baseline::cited_sources(&b),
            generated: &format!("{} (assessment year {year})", env!("CARGO_PKG_VERSION")),
            analyses: &listed,
        }),
        Format::Json => vec![(
            "report.json".into(),
            osa_view::format::json(&serde_json::json!({
                "matrix": matrix,
                "dossiers": dossiers,
                "actors": actors,
                "method": osa_web::library::METHOD_NOTES,
            }))?,
        )],
        Format::Md => {
            let mut md = String::from(
                "# China's digital tech power and EU Open Strategic Autonomy: the osa baseline\n\n",
            );
            md.push_str(&view::render_matrix(&matrix, Format::Md)?);
            for d in &dossiers {
                md.push('\n');
                md.push_str(&view::render_dossier(d, Format::Md)?);
            }
            md.push_str("\n# AI-application checklist\n\n");
            md.push_str(&view::render_checklist(&b.checklist, Format::Md)?);
            md.push_str("\n# Method\n\n");
            md.push_str(osa_web::library::METHOD_NOTES);
            md.push('\n');
            vec![("report.md".into(), md)]
        }
        other => bail!("osa report writes html, md or json, not {other}"),
    };
    let mut pages = Vec::new();
    add_analyses(&mut files, &mut pages, args.format, &analyses)?;
    files.extend(pages);
    let bytes: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(name, text)| (name.clone(), text.clone().into_bytes()))
        .collect();
    osa_io::write::write_dir(dir, &bytes, args.force)?;
    say!(
        "wrote {} file{} to {} ({} technologies)",
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        dir.display(),
        dossiers.len()
    );
    Ok(())
}
