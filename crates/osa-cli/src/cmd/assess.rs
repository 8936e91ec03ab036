//! `osa assess TECH`: the full four-step dossier of one technology (ecosystem findings, the four
//! dimensions judged and computed, geopolitical context, tensions, ranked instruments, actors).

use crate::cli::Common;
use crate::cmd::baseline::{self, BaselineArgs};
use crate::common::{emit, load_ecosystem};
use anyhow::{Result, anyhow};
use clap::Args;
use osa_assess::Technology;
use osa_report::assess as view;

/// `osa assess`
#[derive(Debug, Args)]
pub struct AssessArgs {
    /// The technology: its id (e.g. chip-design) or name (e.g. "Chip design").
    pub technology: String,
    #[command(flatten)]
    pub baseline: BaselineArgs,
    #[command(flatten)]
    pub common: Common,
    /// Ecosystem data for the computed indicators (a file, an ETO directory or a built-in),
    /// instead of the one the technology names.
    #[arg(long, value_name = "ECOSYSTEM")]
    pub ecosystem: Option<String>,
    /// Inputs of the ecosystem in scope (comma-separated ids), instead of the technology's own.
    #[arg(long, value_delimiter = ',')]
    pub scope: Vec<String>,
    /// The dimension that comes first in step 4 (e.g. national_security); default: the highest
    /// judged level, ties broken only by the chapter's own ranking.
    #[arg(long, value_name = "DIMENSION")]
    pub priority: Option<osa_assess::Dimension>,
}

/// Finds a technology or says which exist.
pub fn find<'a>(b: &'a osa_assess::Baseline, q: &str) -> Result<&'a Technology> {
    b.technology(q).ok_or_else(|| {
        anyhow!(
            "no technology `{q}` (known: {})",
            b.technologies
                .iter()
                .map(|t| t.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

/// Runs `osa assess`.
pub fn run(args: AssessArgs) -> Result<()> {
    let b = baseline::load(&args.baseline)?;
    let mut tech = find(&b, &args.technology)?.clone();
    if !args.scope.is_empty() {
        tech.scope = args.scope.clone();
    }
    let spec = args.ecosystem.clone().or(tech.ecosystem.clone());
    let loaded = match &spec {
        Some(s) => Some(load_ecosystem(Some(s))?),
        None => None,
    };
    if let Some(l) = &loaded {
        let missing: Vec<&String> = tech
            .scope
            .iter()
            .filter(|id| l.checked.input_index(id).is_none())
            .collect();
        if !missing.is_empty() {
            eprintln!(
                "warning: scope inputs not in ecosystem `{}`: {}",
                l.checked.ecosystem().id,
                missing
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            if missing.len() == tech.scope.len() {
                eprintln!("warning: none of the scope is in this ecosystem; using all its inputs");
                tech.scope.clear();
            }
        }
    }
    let checked = loaded.as_ref().map(|l| &l.checked);
    let dossier = osa_assess::assess_with(
        &tech,
        checked,
        &b.geopolitics,
        &b.toolkit,
        args.baseline.year(),
        &osa_assess::Options {
            priority: args.priority,
        },
    )?;
    let v = view::dossier(
        &dossier,
        &b.toolkit,
        &b.geopolitics.params.source.to_string(),
        checked,
    );
    emit(
        &view::render_dossier(&v, args.common.format)?,
        args.common.output.as_deref(),
    )
}
