//! One module per subcommand; [`run`] dispatches.

pub mod chokepoints;
pub mod ecosystem;
pub mod leverage;
pub mod metrics;

use crate::cli::{Cli, Command};
use anyhow::Result;

/// Runs the parsed command.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Ecosystem(c) => ecosystem::run(c),
        Command::Metrics(a) => metrics::run(a),
        Command::Chokepoints(a) => chokepoints::run(a),
        Command::Leverage(a) => leverage::run(a),
    }
}
