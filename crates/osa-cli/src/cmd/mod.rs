//! One module per subcommand; [`run`] dispatches.

mod chokepoints;
mod ecosystem;
mod leverage;
mod metrics;

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
