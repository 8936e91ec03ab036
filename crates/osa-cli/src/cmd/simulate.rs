//! `osa simulate`: second- and third-order effects of a supply disruption. Propagates shocks
//! (a supplier losing a share of what it supplies) through `goes_into` and `is_type_of`, softened
//! by stock, substitution and spare capacity, and reports each input reached with its order and
//! availability (weekly profile when shocks have durations; p5/p50/p95 with `--draws`). The model
//! and the shock syntax are in docs/scenarios.md.

use crate::common::{blocs, output, warned};
use crate::flags::{Common, EcoArg};
use anyhow::{Result, anyhow, bail};
use clap::Args;
use osa_app::ecosystem::year;
use osa_app::simulate::{Assembled, ScenarioSpec};
use osa_disrupt::compile::{KindRule, Options};
use osa_disrupt::simulate::{DEFAULT_SEED, Outcome, RunOptions};
use osa_disrupt::{Mitigation, Scenario, Shock};
use osa_io::Loaded;
use osa_model::Blocs;
use osa_view::disrupt as view;

/// `osa simulate`
#[derive(Debug, Args)]
#[command(after_help = "Shock syntax: SUPPLIER:INPUTS=LOST[@START[+WEEKS]]
  SUPPLIER  ISO3 country (CHN), region (EUR), bloc (EU27, NATO, a --bloc), firm id (asml), or * (world)
  INPUTS    an input id, a comma list, a stage id (its processes), or * (all inputs)
  LOST      share of the supplier's deliveries lost, 0-1, or a range 0.5..0.9 for --draws
  START     first week (default 0); +WEEKS makes the shock last that long (default: permanent)

Examples:
  osa simulate --shock 'CHN:gallium=1.0'
  osa simulate --shock 'TWN:leading-edge-logic-fabrication=1.0@0+8' --shock 'KOR:leading-edge-logic-fabrication=1.0@0+8'
  osa simulate ../shared/data/eto/v2026_chip_explorer --shock 'NLD:N20=1.0' --format json
  osa simulate --shock 'CHN:rare-earth-elements=0.5..1.0' --substitution 'rare-earth-elements=0..0.3' --draws 1000
  osa simulate --scenario noble-gas-shortage --format csv")]
pub struct SimulateArgs {
    #[command(flatten)]
    pub eco: EcoArg,
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub scenario: ScenarioFlags,
    #[command(flatten)]
    pub run: RunFlags,
}

/// Flags that define a scenario or add to one.
#[derive(Debug, Args)]
pub struct ScenarioFlags {
    /// Start from a scenario: a file or a built-in id (`osa scenario list`).
    #[arg(long, value_name = "NAME|FILE")]
    pub scenario: Option<String>,
    /// A shock, SUPPLIER:INPUTS=LOST[@START+WEEKS] (repeatable), e.g. 'CHN:gallium=1.0'.
    #[arg(long = "shock", value_name = "SPEC")]
    pub shocks: Vec<String>,
    /// Months of normal use users hold in stock, INPUTS=MONTHS (repeatable; default: each
    /// input's storability_months), e.g. 'neon=3' or '*=1..2'.
    #[arg(long = "stock", value_name = "INPUTS=MONTHS")]
    pub stock: Vec<String>,
    /// Share of use that can switch to substitutes, INPUTS=SHARE[@RAMP_WEEKS] (repeatable;
    /// default: each input's substitutability, at once), e.g. 'gallium=0.3@12'.
    #[arg(long = "substitution", value_name = "INPUTS=SHARE[@WEEKS]")]
    pub substitution: Vec<String>,
    /// Extra output the other suppliers can add, as a share of theirs, INPUTS=SHARE[@RAMP_WEEKS]
    /// (repeatable; default 0), e.g. '*=0.1@4'.
    #[arg(long = "spare", value_name = "INPUTS=SHARE[@WEEKS]")]
    pub spare: Vec<String>,
}

impl ScenarioFlags {
    /// The scenario these flags describe, with the shocks and mitigations given as flags.
    pub fn build(&self) -> Result<(Scenario, Vec<Shock>, Vec<Mitigation>)> {
        let a = osa_app::simulate::assemble(&ScenarioSpec {
            scenario: self.scenario.clone(),
            shocks: self.shocks.clone(),
            stock: self.stock.clone(),
            substitution: self.substitution.clone(),
            spare: self.spare.clone(),
        })?;
        Ok((a.scenario, a.shocks, a.mitigations))
    }
}

#[derive(Debug, Args)]
pub struct RunFlags {
    /// Monte Carlo draws over the ranges (adds p5, p50, p95 availability per input).
    #[arg(long, default_value_t = 0)]
    pub draws: usize,
    /// Seed of the Monte Carlo: the same seed and draws give the same output.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// Threads (default: all cores); the output does not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Weeks of the weekly profile (default: to the end of the last timed shock); makes any
    /// run weekly.
    #[arg(long)]
    pub weeks: Option<u32>,
    /// Year of the shares (default: the latest year each input has).
    #[arg(long)]
    pub year: Option<i32>,
    /// How a category combines its kinds (is_type_of): mean (default) or min.
    #[arg(long, default_value = "mean", value_parser = parse_kinds())]
    pub kinds: KindRule,
}

fn parse_kinds() -> impl clap::builder::TypedValueParser<Value = KindRule> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["mean", "min"]).try_map(|s| s.parse::<KindRule>())
}

impl RunFlags {
    /// Compile and run options.
    pub fn options(&self, strict: bool) -> Result<(Options, RunOptions)> {
        if self.weeks == Some(0) {
            bail!("--weeks 0 leaves no week to show");
        }
        let threads = match self.threads {
            Some(0) => bail!("--threads 0: give at least 1"),
            Some(t) => t,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        Ok((
            Options {
                year: year(self.year),
                kinds: self.kinds,
                weeks: self.weeks,
                strict,
            },
            RunOptions {
                draws: self.draws,
                seed: self.seed,
                threads,
            },
        ))
    }
}

/// Checks that flag shocks and mitigations name inputs or stages of the ecosystem.
pub fn check_flag_ids(loaded: &Loaded, shocks: &[Shock], mitigations: &[Mitigation]) -> Result<()> {
    let a = Assembled {
        scenario: Scenario::default(),
        shocks: shocks.to_vec(),
        mitigations: mitigations.to_vec(),
    };
    Ok(osa_app::simulate::check_spec_ids(loaded, &a)?)
}

/// The ecosystem a scenario runs on (printing import warnings).
pub fn ecosystem_for(arg: Option<&str>, sc: &Scenario) -> Result<Loaded> {
    Ok(warned(osa_app::simulate::ecosystem_for(arg, sc)?))
}

/// Runs a scenario, printing its warnings.
pub fn run_scenario(
    loaded: &Loaded,
    blocs: &Blocs,
    sc: &Scenario,
    opts: &Options,
    run: &RunOptions,
) -> Result<Outcome> {
    // A long run (many draws over a large ecosystem) shows it is working, on a terminal only:
    // indicatif draws nothing when standard error is not one.
    let work = run.draws.max(1) * loaded.checked.ecosystem().inputs.len();
    let spinner = (run.draws > 0 && work >= 200_000).then(|| {
        let pb = indicatif::ProgressBar::new_spinner();
        pb.set_message(format!(
            "running {} Monte Carlo draws over {} inputs",
            run.draws,
            loaded.checked.ecosystem().inputs.len()
        ));
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
        pb
    });
    let out = osa_app::simulate::run(loaded, blocs, sc, opts, run);
    if let Some(pb) = spinner {
        pb.finish_and_clear();
    }
    Ok(warned(out?))
}

/// Runs `osa simulate`.
pub fn run(args: SimulateArgs) -> Result<()> {
    let (sc, flag_shocks, flag_mitigations) = args.scenario.build()?;
    if sc.shocks.is_empty() {
        return Err(anyhow!(
            "no shock given: add --shock SUPPLIER:INPUTS=LOST (e.g. --shock 'CHN:gallium=1.0') or --scenario NAME (`osa scenario list`)"
        ));
    }
    let loaded = ecosystem_for(args.eco.ecosystem.as_deref(), &sc)?;
    check_flag_ids(&loaded, &flag_shocks, &flag_mitigations)?;
    let blocs = blocs(&loaded, &args.common.blocs)?;
    let (opts, run) = args.run.options(args.scenario.scenario.is_none())?;
    let out = run_scenario(&loaded, &blocs, &sc, &opts, &run)?;
    let rows = osa_app::simulate::rows(&loaded, &out);
    output(args.common.format, args.common.output.as_deref(), |f| {
        view::render_simulate(&rows, f)
    })
}
