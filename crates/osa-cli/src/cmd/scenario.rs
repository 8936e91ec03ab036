//! `osa scenario`: named disruption scenarios. List the built-in ones (from the seed report) and
//! those in a directory, show one as TOML, save one from command-line flags, and compare two
//! scenarios side by side, or one against the undisrupted baseline.

use crate::cmd::simulate::{RunFlags, ScenarioFlags, check_flag_ids, ecosystem_for};
use crate::common::{blocs, emit, output, warned};
use crate::flags::Common;
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use osa_disrupt::Scenario;
use osa_disrupt::compile;
use osa_view::disrupt::{self as view, ScenarioRow};
use std::path::Path;

/// `osa scenario ...`
#[derive(Debug, Subcommand)]
pub enum ScenarioCommand {
    /// List the built-in scenarios, and the scenario files of a directory.
    List(ListArgs),
    /// Print a scenario (file or built-in) as canonical TOML.
    Show {
        /// A scenario file or built-in id.
        scenario: String,
        /// Write to a file instead of standard output.
        #[arg(short, long)]
        output: Option<String>,
    },
    /// Save a scenario built from flags (and optionally a --scenario to start from) as TOML.
    Save(SaveArgs),
    /// Compare two scenarios side by side, or one against the baseline (no disruption).
    Compare(CompareArgs),
}

/// `osa scenario list`
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Also list the scenario files (*.toml) of this directory.
    #[arg(long)]
    pub dir: Option<String>,
    #[command(flatten)]
    pub common: crate::flags::Output,
}

/// `osa scenario save`
#[derive(Debug, Args)]
pub struct SaveArgs {
    /// Scenario id (kebab-case).
    pub id: String,
    /// Display name (default: the id).
    #[arg(long)]
    pub name: Option<String>,
    /// What the scenario models.
    #[arg(long)]
    pub description: Option<String>,
    /// A source for the scenario (repeatable): `seed L...`, `pub: ...`, `judgment: who, date, why`.
    #[arg(long = "source")]
    pub sources: Vec<String>,
    /// Ecosystem to check the ids against and to record in the file (default: semiconductors).
    #[arg(long)]
    pub ecosystem: Option<String>,
    /// Weeks of the weekly profile.
    #[arg(long)]
    pub weeks: Option<u32>,
    #[command(flatten)]
    pub scenario: ScenarioFlags,
    /// Output file (written atomically; not created when the scenario is invalid).
    #[arg(short, long)]
    pub output: String,
}

/// `osa scenario compare`
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Scenario A: a file or built-in id.
    pub a: String,
    /// Scenario B (default: the baseline, nothing disrupted).
    pub b: Option<String>,
    /// Ecosystem to run both on (default: A's own, else semiconductors).
    #[arg(long)]
    pub ecosystem: Option<String>,
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub run: RunFlags,
}

fn row(sc: &Scenario, origin: &str) -> ScenarioRow {
    ScenarioRow {
        id: sc.id.clone(),
        name: sc.name.clone(),
        origin: origin.to_string(),
        ecosystem: sc.ecosystem.clone(),
        shocks: sc.shocks.iter().map(|s| s.to_string()).collect(),
        sources: sc.sources.clone(),
    }
}

/// Runs `osa scenario ...`.
pub fn run(cmd: ScenarioCommand) -> Result<()> {
    match cmd {
        ScenarioCommand::List(a) => list(a),
        ScenarioCommand::Show { scenario, output } => {
            let sc = osa_io::scenario::load(&scenario)
                .with_context(|| format!("could not load scenario `{scenario}`"))?;
            emit(&osa_io::scenario::to_string(&sc), output.as_deref())
        }
        ScenarioCommand::Save(a) => save(a),
        ScenarioCommand::Compare(a) => compare(a),
    }
}

fn list(args: ListArgs) -> Result<()> {
    let mut rows = Vec::new();
    for name in osa_io::scenario::builtin_names() {
        rows.push(row(&osa_io::scenario::builtin(name)?, "built-in"));
    }
    if let Some(dir) = &args.dir {
        for (path, sc) in osa_io::scenario::list_dir(Path::new(dir))? {
            match sc {
                Ok(sc) => rows.push(row(&sc, &path)),
                Err(e) => say!("warning: skipped {path}: {e}"),
            }
        }
    }
    output(args.common.format, args.common.output.as_deref(), |f| {
        view::render_scenarios(&rows, f)
    })
}

fn save(args: SaveArgs) -> Result<()> {
    let (mut sc, shocks, mitigations) = args.scenario.build()?;
    if sc.shocks.is_empty() {
        bail!("no shock given: add --shock SUPPLIER:INPUTS=LOST or --scenario NAME");
    }
    sc.id = args.id.clone();
    sc.name = args.name.clone().unwrap_or_else(|| args.id.clone());
    if let Some(d) = &args.description {
        sc.description = d.clone();
    }
    sc.sources.extend(args.sources.iter().cloned());
    if args.weeks.is_some() {
        sc.weeks = args.weeks;
    }
    let loaded = ecosystem_for(args.ecosystem.as_deref(), &sc)?;
    check_flag_ids(&loaded, &shocks, &mitigations)?;
    if let osa_io::Origin::Builtin(name) = &loaded.origin {
        sc.ecosystem = Some(name.clone());
    }
    // Nothing is written unless the scenario compiles against the ecosystem.
    let blocs = blocs(&loaded, &[])?;
    let model = compile::compile(
        &loaded.checked,
        &blocs,
        &sc,
        &compile::Options {
            strict: false,
            ..compile::Options::default()
        },
    )
    .with_context(|| format!("scenario `{}` does not apply", sc.id))?;
    for w in model.warnings() {
        say!("warning: {w}");
    }
    let text = osa_io::scenario::to_string(&sc);
    // The file must read back as the same scenario.
    osa_io::scenario::parse(&text, &args.output)?;
    emit(&text, Some(&args.output))?;
    say!(
        "saved scenario `{}` ({} shocks, {} mitigations) to {}",
        sc.id,
        sc.shocks.len(),
        sc.mitigations.len(),
        args.output
    );
    Ok(())
}

fn compare(args: CompareArgs) -> Result<()> {
    let load = |s: &str| {
        osa_io::scenario::load(s).with_context(|| format!("could not load scenario `{s}`"))
    };
    let a = load(&args.a)?;
    let b = args.b.as_deref().map(load).transpose()?;
    let loaded = ecosystem_for(args.ecosystem.as_deref(), &a)?;
    let blocs = blocs(&loaded, &args.common.blocs)?;
    let (opts, run) = args.run.options(false)?;
    let rows = warned(osa_app::simulate::compare(
        &loaded,
        &blocs,
        (&a, b.as_ref()),
        &opts,
        &run,
    )?);
    let name_b = b.as_ref().map_or("baseline", |b| b.id.as_str());
    output(args.common.format, args.common.output.as_deref(), |f| {
        view::render_compare(&rows, &a.id, name_b, f)
    })
}
