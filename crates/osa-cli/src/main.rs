//! `osa`: the Open Strategic Autonomy workbench on the command line. Parses arguments, runs one
//! command, maps the outcome to an exit code: 0 success, 2 error (bad input, invalid data, I/O).
//! A closed pipe (`osa metrics | head`) is success.

/// Prints a message on standard error, wrapped to the terminal's width (see [`common::say`]).
macro_rules! say {
    ($($t:tt)*) => {
        $crate::common::say(&format!($($t)*))
    };
}

mod cli;
mod cmd;
mod common;
mod flags;

use anyhow::Result;
use clap::Parser;
use cli::{Cli, Command};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    osa_view::format::set_text_width(text_width());
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if err
                .chain()
                .filter_map(|c| c.downcast_ref::<std::io::Error>())
                .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("{}", common::said(&format!("error: {}", message(&err))));
            ExitCode::from(2)
        }
    }
}

/// The width text output fits in: `$COLUMNS` when set, else the terminal's; none when piped (a
/// pipe gets full-width lines).
fn text_width() -> Option<usize> {
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
    {
        return Some(n.max(40));
    }
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return None;
    }
    terminal_size::terminal_size().map(|(w, _)| usize::from(w.0).max(40))
}

/// The error and its causes, each said once: a cause whose text the message already holds (an
/// I/O error that its wrapper quotes) is not repeated.
fn message(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

/// Runs the parsed command.
fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Ecosystem(c) => cmd::ecosystem::run(c),
        Command::Metrics(a) => cmd::metrics::run(a),
        Command::Chokepoints(a) => cmd::chokepoints::run(a),
        Command::Diff(a) => cmd::diff::run(a),
        Command::Leverage(a) => cmd::leverage::run(a),
        Command::Assess(a) => cmd::assess::run(a),
        Command::Matrix(a) => cmd::matrix::run(a),
        Command::Report(a) => cmd::report::run(a),
        Command::Actors(a) => cmd::actors::run(a),
        Command::Checklist(a) => cmd::checklist::run(a),
        Command::Simulate(a) => cmd::simulate::run(a),
        Command::Scenario(c) => cmd::scenario::run(c),
        Command::Iomodel(a) => cmd::iomodel::run(a),
        Command::Trade(a) => cmd::trade::run(a),
        Command::Screen(a) => cmd::screen::run(a),
        Command::Crm(a) => cmd::crm::run(a),
        Command::Geopolrisk(a) => cmd::geopolrisk::run(a),
        Command::Toolkit(c) => cmd::edit::run_toolkit(c),
        Command::Baseline(c) => cmd::edit::run_baseline(c),
        Command::New(c) => cmd::edit::run_new(c),
        Command::Serve(a) => cmd::serve::run(a),
        Command::Db(c) => cmd::db::run(c),
        Command::Release(c) => cmd::release::run(c),
        Command::User(c) => cmd::user::run(c),
        Command::Audit(c) => cmd::audit::run(c),
    }
}
