//! `osa matrix`: technologies x dimensions, osa's readings of the report's chapters (not its Figure 0.1).

use crate::cmd::baseline::{self, BaselineDir};
use crate::common::output;
use crate::flags::BriefOutput;
use anyhow::Result;
use clap::Args;
use osa_view::assess as view;

/// `osa matrix`
#[derive(Debug, Args)]
pub struct MatrixArgs {
    /// Only these technologies (ids or names); default: all.
    pub technologies: Vec<String>,
    #[command(flatten)]
    pub baseline: BaselineDir,
    #[command(flatten)]
    pub common: BriefOutput,
}

/// Runs `osa matrix`.
pub fn run(args: MatrixArgs) -> Result<()> {
    let b = baseline::load_dir(&args.baseline)?;
    let load = osa_app::assess::cached_loader();
    let m = crate::common::warned(osa_app::assess::matrix_view(&b, &args.technologies, &load)?);
    if let Some(format) = args.common.brief() {
        let ctx = osa_app::brief::BriefContext::now(baseline_words(&args.baseline));
        return crate::common::write_brief(&args.common, format, |seed| {
            osa_app::brief::matrix(&m, &ctx, format, seed)
        });
    }
    output(args.common.view(), args.common.output.as_deref(), |f| {
        view::render_matrix(&m, f)
    })
}

/// Which baseline a brief shows, in words.
fn baseline_words(b: &BaselineDir) -> String {
    match &b.baseline {
        Some(dir) => format!("The baseline in {dir}"),
        None => "osa's embedded baseline".to_string(),
    }
}
