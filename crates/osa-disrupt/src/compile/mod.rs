//! Compiling a [`Scenario`] against a checked ecosystem into a [`Model`]: suppliers resolved to
//! countries, blocs or firms; each hit input's exposure (the shocked suppliers' shares of it);
//! the inputs the shock can reach, in topological levels with their order (distance from a
//! directly shocked input); and each node's mitigation parameters.
//!
//! The model is independent of the numbers the Monte Carlo draws: a [`Draw`] supplies them, so one
//! model serves the point estimate, the unmitigated run and every draw.

mod exposure;
mod model;
mod params;
mod plan;
mod targets;

pub(crate) use model::{Cold, Hot, Level, NONE, ShockTiming};
pub use model::{Draw, Model};
pub use targets::{hint, unknown_ids};

use crate::error::Error;
use crate::scenario::Scenario;
use osa_ecosystem::YearChoice;
use osa_model::{Blocs, Checked};

/// How a category (an input others are a type of, over `is_type_of`) combines its kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KindRule {
    /// The mean availability of its kinds: a category is the sum of its kinds, in equal parts
    /// (the data has no volumes to weight them by). The default.
    #[default]
    Mean,
    /// The availability of its scarcest kind: every kind serves uses no other kind can.
    Min,
}

impl KindRule {
    /// Spelling on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            KindRule::Mean => "mean",
            KindRule::Min => "min",
        }
    }
}

impl std::str::FromStr for KindRule {
    type Err = String;
    fn from_str(s: &str) -> Result<KindRule, String> {
        match s {
            "mean" => Ok(KindRule::Mean),
            "min" => Ok(KindRule::Min),
            other => Err(format!(
                "unknown kind rule `{other}` (expected mean or min)"
            )),
        }
    }
}

/// How to compile a scenario.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Which year of shares to read (default: the latest each input has).
    pub year: YearChoice,
    /// How categories combine their kinds.
    pub kinds: KindRule,
    /// Horizon in weeks; overrides the scenario's. Any horizon makes the run weekly.
    pub weeks: Option<u32>,
    /// Unknown input ids are errors (true) or warnings (false, for scenarios written for several
    /// ecosystems).
    pub strict: bool,
}

/// When the run is weekly: its horizon, and the week the ramps start from.
struct Timing {
    /// Weeks of the weekly profile; `None` for a long-run (untimed) scenario.
    horizon: Option<u32>,
    /// The earliest shock's start: firms react to the news, not to the shortage reaching them.
    ramp_origin: u32,
}

/// Time: a horizon (given, the scenario's, or up to the last shock's end) makes the run weekly.
fn timing(scenario: &Scenario, opts: &Options) -> Timing {
    let timed = opts.weeks.is_some() || scenario.is_timed();
    let horizon = if timed {
        let last = scenario
            .shocks
            .iter()
            .map(|s| s.end_week().unwrap_or(s.start_week.saturating_add(1)))
            .max()
            .unwrap_or(1);
        Some(opts.weeks.or(scenario.weeks).unwrap_or(last).max(1))
    } else {
        None
    };
    let ramp_origin = scenario
        .shocks
        .iter()
        .map(|s| s.start_week)
        .min()
        .unwrap_or(0);
    Timing {
        horizon,
        ramp_origin,
    }
}

/// Per week of the horizon: whether the set of active shocks changes (week 0 always).
fn shock_boundaries(scenario: &Scenario, horizon: Option<u32>) -> Vec<bool> {
    let mut boundaries = vec![false; horizon.unwrap_or(0) as usize];
    if let Some(first) = boundaries.first_mut() {
        *first = true;
    }
    for s in &scenario.shocks {
        for w in [Some(s.start_week), s.end_week()].into_iter().flatten() {
            if let Some(b) = boundaries.get_mut(w as usize) {
                *b = true;
            }
        }
    }
    boundaries
}

/// The shocks' numbers as the engine needs them.
fn shock_timings(scenario: &Scenario) -> Vec<ShockTiming> {
    scenario
        .shocks
        .iter()
        .map(|s| ShockTiming {
            lost: s.lost,
            start: s.start_week,
            end: s.end_week(),
        })
        .collect()
}

/// Compiles a scenario against a checked ecosystem, in steps:
///
/// 1. check the scenario and settle its timing (a horizon makes the run weekly);
/// 2. resolve each shock's supplier and targets and expand it into exposure: per input, the
///    shocked suppliers' shares and the shocks on them;
/// 3. find the directly shocked inputs and reach downstream from them (the order of a node is
///    its distance);
/// 4. sort the reached inputs into topological levels, same-shaped nodes together, and lay out
///    their inputs and kinds inside the plan, the fixed-width runs and the supplier terms;
/// 5. set each node's own mitigation parameters and apply the mitigation records over them;
/// 6. mark the weeks where the set of active shocks changes.
pub fn compile(
    checked: &Checked,
    blocs: &Blocs,
    scenario: &Scenario,
    opts: &Options,
) -> Result<Model, Error> {
    scenario.check()?;
    if let Some(w) = opts.weeks {
        crate::limits::check_weeks("--weeks", w)?;
    }
    let mut warnings = Vec::new();
    let Timing {
        horizon,
        ramp_origin,
    } = timing(scenario, opts);
    let exposure = exposure::expand_shocks(checked, blocs, scenario, opts, &mut warnings)?;
    let shocked = exposure::directly_shocked(&exposure, scenario, horizon);
    let reach = plan::reach_downstream(checked, &shocked);
    let shapes = plan::Shapes::of(checked, &reach.reached, &exposure);
    let levels = plan::sort_levels(checked, &reach.reached, &shapes);
    let edges = plan::plan_edges(checked, &levels);
    let runs = plan::find_runs(&levels, &shapes);
    let terms = plan::exposure_terms(&levels.nodes, &exposure);
    let mut params = params::own_parameters(checked, &levels.nodes, &shapes.n_kinds);
    let mitigations = params::apply_mitigations(
        checked,
        scenario,
        opts,
        &levels.local,
        &mut params,
        &mut warnings,
    )?;
    Ok(Model {
        n_inputs: checked.n_inputs(),
        order: levels.nodes.iter().map(|&i| reach.dist[i]).collect(),
        nodes: levels.nodes,
        level_starts: levels.level_starts,
        pred_off: edges.pred_off,
        preds: edges.preds,
        kind_off: edges.kind_off,
        kinds: edges.kinds,
        term_off: terms.term_off,
        terms: terms.terms,
        hot: params.hot,
        cold: params.cold,
        runs,
        term_shocks: terms.term_shocks,
        shocks: shock_timings(scenario),
        mitigations,
        horizon,
        boundaries: shock_boundaries(scenario, horizon),
        ramp_origin,
        rule: opts.kinds,
        warnings,
    })
}
