//! The command-line interface: every subcommand and flag, with the help text users see.

use clap::builder::TypedValueParser;
use clap::{Args, Parser, Subcommand};
use osa_view::Format;

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
    Metrics(crate::cmd::metrics::MetricsArgs),
    /// Inputs where a holder (country or bloc) supplies at least a share, ranked by downstream reach.
    Chokepoints(crate::cmd::chokepoints::ChokepointsArgs),
    /// What changed between two snapshots of an ecosystem: top holders, shares, HHI, chokepoints.
    Diff(crate::cmd::diff::DiffArgs),
    /// What two holders depend on each other for, and whether the dependency is mutual.
    Leverage(crate::cmd::leverage::LeverageArgs),
    /// The full four-step dossier of one technology of the report.
    Assess(crate::cmd::assess::AssessArgs),
    /// Technologies x dimensions: osa's readings of each chapter's text (not the report's Figure 0.1), with the report's caveat.
    Matrix(crate::cmd::matrix::MatrixArgs),
    /// The whole baseline as a self-contained HTML report (or Markdown, JSON).
    Report(crate::cmd::report::ReportArgs),
    /// Actors to watch, per technology (foresight).
    Actors(crate::cmd::actors::ActorsArgs),
    /// The checklist for assessing Chinese AI-based consumer applications.
    Checklist(crate::cmd::checklist::ChecklistArgs),
    /// Second- and third-order effects: propagate supply shocks through the value chain.
    Simulate(crate::cmd::simulate::SimulateArgs),
    /// Named disruption scenarios: list, show, save, compare.
    #[command(subcommand)]
    Scenario(crate::cmd::scenario::ScenarioCommand),
    /// Input-output models (Leontief, Ghosh, inoperability) on a sector table, tier by tier.
    Iomodel(crate::cmd::iomodel::IomodelArgs),
    Trade(crate::cmd::trade::TradeArgs),
    Screen(crate::cmd::screen::ScreenArgs),
    Crm(crate::cmd::crm::CrmArgs),
    Geopolrisk(crate::cmd::geopolrisk::GeoPolRiskArgs),
    /// The toolkit (policy instruments and the rules that rank them): export it for editing.
    #[command(subcommand)]
    Toolkit(crate::cmd::edit::ToolkitCommand),
    /// The assessment baseline: export it into a folder for editing.
    #[command(subcommand)]
    Baseline(crate::cmd::edit::BaselineCommand),
    /// Start your own work: a technology case template.
    #[command(subcommand)]
    New(crate::cmd::edit::NewCommand),
    /// Start the workbench: the web pages for analysts and reviewers (and their JSON API) over the
    /// shared record (history, review, monitoring).
    Serve(crate::cmd::serve::ServeArgs),
    /// The shared record's database: migrate, backup, export, import.
    #[command(subcommand)]
    Db(crate::cmd::db::DbCommand),
    /// Users of the shared record: add, list, disable, enable, link.
    #[command(subcommand)]
    User(crate::cmd::user::UserCommand),
    /// The audit log of the shared record.
    #[command(subcommand)]
    Audit(crate::cmd::audit::AuditCommand),
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

/// The ecosystem argument shared by commands.
#[derive(Debug, Args)]
pub struct EcoArg {
    /// An osa TOML file, an ETO directory, or a built-in name (default: semiconductors).
    pub ecosystem: Option<String>,
}

/// Options shared by the analysis commands.
#[derive(Debug, Args)]
pub struct Common {
    /// Output format: a table for reading, json/csv for machines, md, html, or an Excel workbook
    /// (xlsx: numbers as numbers, shares as percentages, a Sources sheet).
    #[arg(long, default_value = "table", value_parser = format_parser(FORMATS))]
    pub format: Format,
    /// Write the output to a file instead of standard output.
    #[arg(short, long)]
    pub output: Option<String>,
    /// Define a bloc: NAME=ISO3,ISO3,... (repeatable), usable as a holder.
    #[arg(long = "bloc", value_name = "NAME=CODES")]
    pub blocs: Vec<String>,
}

/// Output options of commands that take no bloc definitions (assessment and CRM commands).
#[derive(Debug, Args)]
pub struct Output {
    /// Output format: a table for reading, json/csv for machines, md, html, or an Excel workbook
    /// (xlsx: numbers as numbers, shares as percentages, a Sources sheet).
    #[arg(long, default_value = "table", value_parser = format_parser(FORMATS))]
    pub format: Format,
    /// Write the output to a file instead of standard output.
    #[arg(short, long)]
    pub output: Option<String>,
}

/// The output options of `osa screen`: those of [`Common`], and Parquet for pandas and Polars.
#[derive(Debug, Args)]
pub struct ScreenCommon {
    /// Output format: a table for reading, json/csv for machines, md, html, an Excel workbook
    /// (xlsx), or a Parquet file of the rows (parquet, for pandas and Polars).
    #[arg(long, default_value = "table", value_parser = format_parser(SCREEN_FORMATS))]
    pub format: Format,
    /// Write the output to a file instead of standard output.
    #[arg(short, long)]
    pub output: Option<String>,
    /// Define a bloc: NAME=ISO3,ISO3,... (repeatable), usable as a holder.
    #[arg(long = "bloc", value_name = "NAME=CODES")]
    pub blocs: Vec<String>,
}

/// The formats of `osa screen`.
pub const SCREEN_FORMATS: &[&str] = &["table", "json", "csv", "md", "html", "xlsx", "parquet"];

/// The formats of every table-printing command.
pub const FORMATS: &[&str] = &["table", "json", "csv", "md", "html", "xlsx"];

/// A `--format` parser that lists `values` in `--help` and in its error.
pub fn format_parser(values: &'static [&'static str]) -> impl TypedValueParser<Value = Format> {
    clap::builder::PossibleValuesParser::new(values)
        .map(|s| s.parse::<Format>().unwrap_or_default())
}
