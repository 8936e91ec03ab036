//! `osa toolkit export`, `osa baseline export` and `osa new technology`: the embedded defaults
//! and a case template written as files an analyst edits and passes back with `--toolkit` or
//! `--baseline`.

use crate::common::{emit, warned};
use anyhow::Result;
use clap::{Args, Subcommand};
use std::path::Path;

/// `osa toolkit ...`
#[derive(Debug, Subcommand)]
pub enum ToolkitCommand {
    /// Write the embedded toolkit (instruments and rules) for editing; use it with --toolkit.
    Export {
        /// Output file (default: standard output).
        #[arg(short, long)]
        output: Option<String>,
    },
}

/// `osa baseline ...`
#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Write the embedded assessment baseline (cases, countries, blocs, likelihood, toolkit,
    /// checklist) into a folder for editing; use it with --baseline. Existing files are kept.
    Export {
        /// The folder (created if missing).
        dir: String,
    },
}

/// `osa new ...`
#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// Write a commented case template for a technology into a baseline folder (exporting the
    /// embedded baseline there first when the folder has none).
    Technology(NewTechnologyArgs),
}

/// `osa new technology`
#[derive(Debug, Args)]
pub struct NewTechnologyArgs {
    /// The technology's id: lowercase letters, digits and hyphens (it names the file).
    pub id: String,
    /// The baseline folder to add it to.
    #[arg(long, value_name = "DIR")]
    pub baseline: String,
    /// Who judges the levels (recorded in the case's judgment).
    #[arg(long, default_value = "the analyst")]
    pub author: String,
}

/// Runs `osa toolkit ...`.
pub fn run_toolkit(c: ToolkitCommand) -> Result<()> {
    match c {
        ToolkitCommand::Export { output } => {
            emit(osa_io::template::toolkit(), output.as_deref())?;
            if let Some(p) = output {
                say!("wrote the toolkit to {p}: edit it, then pass --toolkit {p}");
            }
            Ok(())
        }
    }
}

/// Runs `osa baseline ...`.
pub fn run_baseline(c: BaselineCommand) -> Result<()> {
    match c {
        BaselineCommand::Export { dir } => {
            let written = warned(osa_app::baseline::export(Path::new(&dir))?);
            say!(
                "wrote {} files to {dir}: edit them, then pass --baseline {dir}",
                written.len()
            );
            Ok(())
        }
    }
}

/// Runs `osa new ...`.
pub fn run_new(c: NewCommand) -> Result<()> {
    match c {
        NewCommand::Technology(a) => {
            let path = warned(osa_app::baseline::new_technology(
                &a.id,
                Path::new(&a.baseline),
                &a.author,
            )?);
            say!(
                "wrote {}: fill it in, then run osa assess {} --baseline {}",
                path.display(),
                a.id,
                a.baseline
            );
            Ok(())
        }
    }
}
