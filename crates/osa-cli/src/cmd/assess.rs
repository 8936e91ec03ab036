//! `osa assess TECH`: the full four-step dossier of one technology (ecosystem findings, the four
//! dimensions judged and computed, geopolitical context, tensions, ranked instruments, actors).

use crate::cmd::baseline::{self, BaselineArgs};
use crate::common::{output_sheets, warned};
use crate::flags::BriefOutput;
use anyhow::Result;
use clap::Args;
use osa_app::assess::DossierOptions;
use osa_view::assess as view;

/// `osa assess`
#[derive(Debug, Args)]
pub struct AssessArgs {
    /// The technology: its id (e.g. chip-design) or name (e.g. "Chip design").
    pub technology: String,
    #[command(flatten)]
    pub baseline: BaselineArgs,
    #[command(flatten)]
    pub common: BriefOutput,
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

/// Runs `osa assess`.
pub fn run(args: AssessArgs) -> Result<()> {
    let b = baseline::load(&args.baseline)?;
    let opts = DossierOptions {
        ecosystem: args.ecosystem.clone(),
        scope: args.scope.clone(),
        year: args.baseline.year(),
        priority: args.priority,
    };
    let v = warned(osa_app::assess::dossier_view(
        &b,
        &args.technology,
        &opts,
        &|spec| osa_app::ecosystem::load(Some(spec)),
    )?);
    if let Some(format) = args.common.brief() {
        let ctx = osa_app::brief::BriefContext::now("osa's baseline, as the command line reads it");
        return crate::common::write_brief(&args.common, format, |seed| {
            osa_app::brief::dossier(&v, &ctx, format, seed)
        });
    }
    output_sheets(
        args.common.view(),
        args.common.output.as_deref(),
        |f| view::render_dossier(&v, f),
        || osa_view::sheets::dossier_sheets(&v),
    )
}
