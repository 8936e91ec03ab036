//! `osa checklist`: the report's criteria for assessing Chinese AI-based consumer applications,
//! with its reference applications rated on each.

use crate::cmd::baseline::{self, BaselineDir};
use crate::common::output;
use crate::flags::Output;
use anyhow::Result;
use clap::Args;
use osa_view::assess as view;

/// `osa checklist`
#[derive(Debug, Args)]
pub struct ChecklistArgs {
    #[command(flatten)]
    pub baseline: BaselineDir,
    #[command(flatten)]
    pub common: Output,
}

/// Runs `osa checklist`.
pub fn run(args: ChecklistArgs) -> Result<()> {
    let b = baseline::load_dir(&args.baseline)?;
    output(args.common.format, args.common.output.as_deref(), |f| {
        view::render_checklist(&b.checklist, f)
    })
}
