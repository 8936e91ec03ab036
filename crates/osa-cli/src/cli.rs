//! The command-line interface: every subcommand and flag, with the help text users see.

use clap::{Args, Parser, Subcommand};
use osa_report::Format;

/// osa: the Open Strategic Autonomy workbench. Maps a technology's value chain, assesses the EU's
/// dependencies on four dimensions, places them in their geopolitical context and ranks the policy
/// instruments that fit (the method of the Digital Power China report).
#[derive(Debug, Parser)]
#[command(name = "osa", version, about, long_about = None)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// osa's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import, check and save ecosystems (value chains).
    #[command(subcommand)]
    Ecosystem(EcosystemCommand),
    /// Concentration metrics per input (or per stage with --stages).
    Metrics(MetricsArgs),
    /// Inputs where a holder (country or bloc) supplies at least a share, ranked by downstream reach.
    Chokepoints(ChokepointsArgs),
    /// What two holders depend on each other for, and whether the dependency is mutual.
    Leverage(LeverageArgs),
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

/// The ecosystem argument shared by commands.
#[derive(Debug, Args)]
pub struct EcoArg {
    /// An osa TOML file, an ETO directory, or a built-in name (default: semiconductors).
    pub ecosystem: Option<String>,
}

/// Options shared by the analysis commands.
#[derive(Debug, Args)]
pub struct Common {
    /// Output format.
    #[arg(long, default_value = "table", value_parser = parse_format)]
    pub format: Format,
    /// Write the output to a file instead of standard output.
    #[arg(short, long)]
    pub output: Option<String>,
    /// Define a bloc: NAME=ISO3,ISO3,... (repeatable), usable as a holder.
    #[arg(long = "bloc", value_name = "NAME=CODES")]
    pub blocs: Vec<String>,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

/// `osa metrics`
#[derive(Debug, Args)]
pub struct MetricsArgs {
    #[command(flatten)]
    pub eco: EcoArg,
    #[command(flatten)]
    pub common: Common,
    /// Year to read (default: the latest year each input has).
    #[arg(long)]
    pub year: Option<i32>,
    /// Holders whose share is shown for every input (default: EU27, CHN, USA, and the ecosystem's
    /// and --bloc blocs).
    #[arg(long = "holder", value_name = "HOLDER")]
    pub holders: Vec<String>,
    /// Roll up per stage instead of per input.
    #[arg(long)]
    pub stages: bool,
}

/// `osa chokepoints`
#[derive(Debug, Args)]
pub struct ChokepointsArgs {
    #[command(flatten)]
    pub eco: EcoArg,
    #[command(flatten)]
    pub common: Common,
    /// The holder: an ISO3 country, a region (EUR), or a bloc (EU27, NATO, a --bloc).
    #[arg(long, default_value = "EU27")]
    pub holder: String,
    /// Minimum share of the input's world supply, 0-1.
    #[arg(long, default_value_t = 0.5)]
    pub min_share: f64,
    /// Year to read (default: the latest year each input has).
    #[arg(long)]
    pub year: Option<i32>,
}

/// `osa leverage`
#[derive(Debug, Args)]
pub struct LeverageArgs {
    #[command(flatten)]
    pub eco: EcoArg,
    #[command(flatten)]
    pub common: Common,
    /// The two holders, e.g. --between EU27 CHN.
    #[arg(long, num_args = 2, value_names = ["A", "B"], default_values = ["EU27", "CHN"])]
    pub between: Vec<String>,
    /// List inputs where a side holds at least this share (0-1); the score uses every input.
    #[arg(long, default_value_t = 0.25)]
    pub min_share: f64,
    /// Year to read (default: the latest year each input has).
    #[arg(long)]
    pub year: Option<i32>,
}
