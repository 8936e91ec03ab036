//! One module per subcommand; [`run`] dispatches.

pub mod actors;
pub mod assess;
pub mod audit;
pub mod baseline;
pub mod checklist;
pub mod chokepoints;
pub mod crm;
pub mod db;
pub mod diff;
pub mod ecosystem;
pub mod edit;
pub mod geopolrisk;
pub mod iomodel;
pub mod leverage;
pub mod matrix;
pub mod metrics;
pub mod report;
pub mod scenario;
pub mod screen;
pub mod serve;
pub mod simulate;
pub mod trade;
pub mod user;

use crate::cli::{Cli, Command};
use anyhow::Result;

/// Runs the parsed command.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Ecosystem(c) => ecosystem::run(c),
        Command::Metrics(a) => metrics::run(a),
        Command::Chokepoints(a) => chokepoints::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Leverage(a) => leverage::run(a),
        Command::Assess(a) => assess::run(a),
        Command::Matrix(a) => matrix::run(a),
        Command::Report(a) => report::run(a),
        Command::Actors(a) => actors::run(a),
        Command::Checklist(a) => checklist::run(a),
        Command::Simulate(a) => simulate::run(a),
        Command::Scenario(c) => scenario::run(c),
        Command::Iomodel(a) => iomodel::run(a),
        Command::Trade(a) => trade::run(a),
        Command::Screen(a) => screen::run(a),
        Command::Crm(a) => crm::run(a),
        Command::Geopolrisk(a) => geopolrisk::run(a),
        Command::Toolkit(c) => edit::run_toolkit(c),
        Command::Baseline(c) => edit::run_baseline(c),
        Command::New(c) => edit::run_new(c),
        Command::Serve(a) => serve::run(a),
        Command::Db(c) => db::run(c),
        Command::User(c) => user::run(c),
        Command::Audit(c) => audit::run(c),
    }
}
