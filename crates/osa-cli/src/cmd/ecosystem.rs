//! `osa ecosystem import|validate|save|list`: getting value chains into osa and checking them.

use crate::common::{emit, load_ecosystem};
use crate::flags::EcoArg;
use anyhow::{Context, Result};
use clap::Subcommand;
use osa_io::{eto, toml_eco};
use std::path::Path;

/// Runs an ecosystem subcommand.
pub fn run(cmd: EcosystemCommand) -> Result<()> {
    match cmd {
        EcosystemCommand::Import(ImportCommand::Eto { dir, output }) => {
            let imported = eto::import(Path::new(&dir))
                .with_context(|| format!("could not import ETO release {dir}"))?;
            for w in &imported.warnings {
                say!("warning: {w}");
            }
            let text = toml_eco::to_file_text(&imported.checked)?;
            emit(&text, Some(&output))?;
            let eco = imported.checked.ecosystem();
            say!(
                "imported {} ({:?} layout): {} stages, {} inputs, {} firms -> {output}",
                dir,
                imported.layout,
                eco.stages.len(),
                eco.inputs.len(),
                eco.firms.len()
            );
            Ok(())
        }
        EcosystemCommand::Validate(arg) => {
            let loaded = load_ecosystem(arg.ecosystem.as_deref())?;
            let eco = loaded.checked.ecosystem();
            let n_rows: usize = eco.inputs.iter().map(|i| i.provision.len()).sum::<usize>()
                + eco.stages.iter().map(|s| s.provision.len()).sum::<usize>();
            let n_edges: usize = eco
                .inputs
                .iter()
                .map(|i| i.goes_into.len() + i.is_type_of.len())
                .sum();
            let no_shares = eco
                .inputs
                .iter()
                .filter(|i| i.provision.iter().all(|p| p.share.is_none()))
                .count();
            let text = format!(
                "{}: valid ({})\n  {} stages, {} inputs, {} firms, {} provision records, {} edges\n  {} inputs have no share data\n",
                eco.id,
                loaded.origin.describe(),
                eco.stages.len(),
                eco.inputs.len(),
                eco.firms.len(),
                n_rows,
                n_edges,
                no_shares
            );
            emit(&text, None)
        }
        EcosystemCommand::Save { eco, output } => {
            let loaded = load_ecosystem(eco.ecosystem.as_deref())?;
            emit(&toml_eco::to_file_text(&loaded.checked)?, Some(&output))
        }
        EcosystemCommand::Export { eco, output, force } => {
            osa_io::write::check_dir_target(Path::new(&output), force)?;
            let loaded = load_ecosystem(eco.ecosystem.as_deref())?;
            let lost = eto::export(&loaded.checked, Path::new(&output), force)
                .with_context(|| format!("could not export to {output}"))?;
            if !lost.is_empty() {
                say!(
                    "warning: the ETO layout has no columns for {}; they were not written",
                    lost.join(", ")
                );
            }
            Ok(())
        }
        EcosystemCommand::List => {
            let mut text = String::new();
            for name in osa_io::builtin::names() {
                let c = osa_io::builtin::ecosystem(name)?;
                text.push_str(&format!(
                    "{name}\t{}\t{} inputs\n",
                    c.ecosystem().name,
                    c.n_inputs()
                ));
            }
            emit(&text, None)
        }
    }
}

/// `osa ecosystem ...`
#[derive(Debug, Subcommand)]
pub enum EcosystemCommand {
    /// Import a dataset into an osa ecosystem file.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Check an ecosystem and print a summary (and warnings).
    Validate(EcoArg),
    /// Write an ecosystem (file, ETO directory or built-in) as a canonical osa TOML file.
    Save {
        #[command(flatten)]
        eco: EcoArg,
        /// Output file (written atomically; not created when the ecosystem is invalid).
        #[arg(short, long)]
        output: String,
    },
    /// Write an ecosystem as an ETO 2026-layout CSV directory (for ETO tools, and fast loading of
    /// very large ecosystems).
    Export {
        #[command(flatten)]
        eco: EcoArg,
        /// Output directory (replaced as a whole when the export is complete).
        #[arg(short, long)]
        output: String,
        /// Replace the output directory even if osa did not write it (its files are deleted).
        #[arg(long)]
        force: bool,
    },
    /// List the built-in ecosystems.
    List,
}

/// `osa ecosystem import ...`
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A CSET ETO semiconductor supply-chain release (2025 or 2026 layout).
    Eto {
        /// The release directory (inputs.csv, providers.csv, provision.csv, sequence.csv, stages.csv).
        dir: String,
        /// Output file (written atomically; not created when the import fails).
        #[arg(short, long)]
        output: String,
    },
}
