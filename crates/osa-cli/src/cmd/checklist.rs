//! `osa checklist`: the report's criteria for assessing Chinese AI-based consumer applications,
//! with its reference applications rated on each.

use crate::cli::Common;
use crate::cmd::baseline::{self, BaselineArgs};
use crate::common::emit;
use anyhow::Result;
use clap::Args;
use osa_report::assess as view;

/// `osa checklist`
#[derive(Debug, Args)]
pub struct ChecklistArgs {
    #[command(flatten)]
    pub baseline: BaselineArgs,
    #[command(flatten)]
    pub common: Common,
}

/// Runs `osa checklist`.
pub fn run(args: ChecklistArgs) -> Result<()> {
    let b = baseline::load(&args.baseline)?;
    emit(
        &view::render_checklist(&b.checklist, args.common.format)?,
        args.common.output.as_deref(),
    )
}
