//! `osa matrix`: technologies x dimensions, osa's readings of the report's chapters (not its Figure 0.1).

use crate::cli::Common;
use crate::cmd::baseline::{self, BaselineArgs};
use crate::common::emit;
use anyhow::Result;
use clap::Args;
use osa_report::assess as view;

/// `osa matrix`
#[derive(Debug, Args)]
pub struct MatrixArgs {
    /// Only these technologies (ids or names); default: all ten.
    pub technologies: Vec<String>,
    #[command(flatten)]
    pub baseline: BaselineArgs,
    #[command(flatten)]
    pub common: Common,
}

/// Runs `osa matrix`.
pub fn run(args: MatrixArgs) -> Result<()> {
    let b = baseline::load(&args.baseline)?;
    let m = osa_app::assess::matrix_view(&b, &args.technologies)?;
    emit(
        &view::render_matrix(&m, args.common.format)?,
        args.common.output.as_deref(),
    )
}
