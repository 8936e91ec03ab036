//! `osa matrix`: technologies x dimensions, osa's readings of the report's chapters (not its Figure 0.1).

use crate::cmd::baseline::{self, BaselineDir};
use crate::common::output;
use crate::flags::Output;
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
    pub common: Output,
}

/// Runs `osa matrix`.
pub fn run(args: MatrixArgs) -> Result<()> {
    let b = baseline::load_dir(&args.baseline)?;
    let load = osa_app::assess::cached_loader();
    let m = crate::common::warned(osa_app::assess::matrix_view(&b, &args.technologies, &load)?);
    output(args.common.format, args.common.output.as_deref(), |f| {
        view::render_matrix(&m, f)
    })
}
