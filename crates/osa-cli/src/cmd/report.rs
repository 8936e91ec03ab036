//! `osa report -o DIR`: the whole baseline as a self-contained HTML report (the matrix as SVG, a
//! dossier per technology, actors, the AI-application checklist, sources, method notes), or as one
//! Markdown or JSON document. The directory is written completely or not at all.

use crate::cmd::baseline::{self, BaselineArgs};
use anyhow::{Result, bail};
use clap::Args;
use osa_report::Format;
use osa_report::assess as view;
use std::collections::BTreeMap;
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
    #[arg(long, default_value = "html", value_parser = crate::cli::format_parser(&["html", "md", "json"]))]
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
                md.push_str(&osa_report::format::md_from_csv(&a.csv)?);
            }
            files[0].1.push_str(&md);
        }
        _ => {
            let mut v: serde_json::Value = serde_json::from_str(&files[0].1)?;
            v["analyses"] = analyses
                .iter()
                .map(|a| serde_json::json!({"title": a.title, "source": a.source, "csv": a.csv}))
                .collect();
            files[0].1 = osa_report::format::json(&v)?;
        }
    }
    Ok(())
}

/// Method notes shown in the report.
pub const METHOD_NOTES: &str = "osa follows the four steps of the Digital Power China report (its Chapter 1, lines 955-1121). Step 1 maps a technology's ecosystem: who supplies each input with what share, how concentrated supply is (country HHI on a 0-1 scale), where one holder controls an input (chokepoints; with the EU as holder, its strategic indispensability) and whether dependencies are mutual (leverage: share squared x (1 - substitutability) x (1 + downstream reach), balanced between two sides).

Step 2 assesses the four dimensions: supply-chain resilience, national security, values and sustainability, technological competitiveness. Each technology's level on each dimension (0 none or negligible, possibly a net benefit; 1 low; 2 moderate or conditional; 3 high; 4 critical) is the osa baseline team's reading of the report's own wording, with evidence items citing the report's lines (\"seed L...\"; the Sources page gives the chapter and authors of each), or an explicit mark where the report is silent. Where ecosystem data exists, supply resilience (the worst single foreign dependency, net of substitutability) and competitiveness (the EU's share and indispensability) are also computed and shown next to the judged level; disagreements of two levels or more are flagged, never hidden. Where a second reader could defend another level, the cell records the range with its reason and lines; where risks diverge within one dimension, it holds several signals (a risk and a benefit, each with its level), as the report's overview puts several notifications in one box (seed L134-138). The matrix is osa's reading of the chapters, not the report's Figure 0.1, and the report's caveat applies: comparison across technologies needs a pinch of salt (seed L139-148).

Step 3 places each dependency in its geopolitical context. The report names the factors (partner or systemic rival, security alliances, regime type, severity, likelihood of weaponization, deterring mutual dependencies) but no formula; osa's likelihood model (its parameters are part of the baseline; osa baseline export writes them for editing): a base by the EU's stance on the dimension, adjusted for regime, governance, coercion history and the legal exposure of the country's firms, then reduced for security allies and for leverage the EU holds. Risk is severity (level/4) times likelihood, judged against a tolerance that is lower for systemic rivals and for national security.

Step 4 chooses instruments by political priority (seed L1096-1107): the priority dimension is given (osa assess --priority) or, by default, the highest judged level, a tie broken only by the chapter's own ranking, otherwise left open. Instruments are ranked with the toolkit's rules (osa toolkit export writes them for editing; --toolkit uses the edited file without recompiling), plus the report's own recommendations for the technology. Each instrument names the findings that triggered it and the conflicts it creates; tensions list where dimensions pull apart, as stated by the report, as divergences in the levels, or as instruments that serve one dimension and strain another.

Data: the baseline is written by the osa team from the Digital Power China report and public sources, each record citing its source. Real datasets (CSET ETO, WGI, V-Dem) are read at run time and never embedded.";

fn sources(b: &osa_assess::Baseline) -> Vec<(String, Vec<String>)> {
    let mut by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut add = |s: String, t: &str| {
        let e = by.entry(s).or_default();
        if !e.iter().any(|x| x == t) {
            e.push(t.to_string());
        }
    };
    for t in &b.technologies {
        for d in &t.dimensions {
            for e in &d.evidence {
                add(e.source.to_string(), &t.id);
            }
        }
        for x in &t.tensions {
            add(x.source.to_string(), &t.id);
        }
        for x in &t.actors {
            add(x.source.to_string(), &t.id);
        }
        for x in &t.recommendations {
            add(x.source.to_string(), &t.id);
        }
    }
    for i in &b.toolkit.instruments {
        add(i.source.to_string(), "toolkit");
    }
    for r in &b.toolkit.rules {
        add(r.source.to_string(), "toolkit");
    }
    for p in b.geopolitics.profiles.values() {
        for s in &p.sources {
            add(s.to_string(), &format!("country {}", p.code));
        }
    }
    let mut out: Vec<(String, Vec<String>)> = by.into_iter().collect();
    // Seed references in line order first, then the rest alphabetically.
    out.sort_by_key(|(s, _)| {
        let line = s
            .strip_prefix("seed L")
            .and_then(|r| r.split('-').next())
            .and_then(|n| n.parse::<u32>().ok());
        (line.is_none(), line.unwrap_or(0), s.clone())
    });
    out
}

/// Runs `osa report`.
pub fn run(args: ReportArgs) -> Result<()> {
    osa_io::write::check_dir_target(Path::new(&args.output), args.force)?;
    let b = baseline::load(&args.baseline)?;
    let analyses = own_analyses(&args)?;
    let year = args.baseline.year();
    let dossiers = crate::common::warned(osa_app::assess::all_dossiers(&b, year)?);
    let techs: Vec<&osa_assess::Technology> = b.technologies.iter().collect();
    let matrix = view::matrix(&techs);
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
        Format::Html => osa_report::html::site(&osa_report::html::Site {
            matrix: &matrix,
            dossiers: &dossiers,
            actors: &actors,
            checklist: &b.checklist,
            sources: &sources(&b),
            method: METHOD_NOTES,
            generated: &format!("{} (assessment year {year})", env!("CARGO_PKG_VERSION")),
            analyses: &listed,
        }),
        Format::Json => vec![(
            "report.json".into(),
            osa_report::format::json(&serde_json::json!({
                "matrix": matrix,
                "dossiers": dossiers,
                "actors": actors,
                "method": METHOD_NOTES,
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
            md.push_str(METHOD_NOTES);
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
    eprintln!(
        "wrote {} file{} to {} ({} technologies)",
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        dir.display(),
        dossiers.len()
    );
    Ok(())
}
