//! The command-line interface: the commands, with the help text users see (each command's own
//! flags are in its `cmd` module, the flags several commands share in `flags`).

use clap::{Parser, Subcommand};

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
    Ecosystem(crate::cmd::ecosystem::EcosystemCommand),
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
    /// Data releases of the shared record, from a path on this host: add.
    #[command(subcommand)]
    Release(crate::cmd::release::ReleaseCommand),
    /// Users of the shared record: add, list, disable, enable, link.
    #[command(subcommand)]
    User(crate::cmd::user::UserCommand),
    /// The audit log of the shared record.
    #[command(subcommand)]
    Audit(crate::cmd::audit::AuditCommand),
}
