//! Running a compiled scenario: the point estimate, the same without mitigation (to show how much
//! stock, substitution and spare capacity soften the shock), the weekly profile when the run is
//! timed, and the Monte Carlo percentiles when draws are asked for.

use crate::compile::{self, Model, Options};
use crate::engine;
use crate::error::Error;
use crate::montecarlo;
use crate::scenario::Scenario;
use osa_model::{Blocs, Checked};

/// How to run.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Monte Carlo draws (0 = none).
    pub draws: usize,
    /// Seed of the Monte Carlo.
    pub seed: u64,
    /// Threads (1 = the calling thread only). Results do not depend on it.
    pub threads: usize,
}

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions {
            draws: 0,
            seed: DEFAULT_SEED,
            threads: 1,
        }
    }
}

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 42;

/// What happens to one input the shock reaches.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeOutcome {
    /// Input index.
    pub input: usize,
    /// Order: edges from the nearest directly shocked input (0 = hit directly).
    pub order: u32,
    /// Direct loss (0-1) before any mitigation: the shocked suppliers' share of the input times
    /// the share they lose (largest week in a weekly run); 0 for inputs hit only downstream.
    pub direct_loss: f64,
    /// Availability (0-1) at the point estimate; in a weekly run, the worst week's.
    pub availability: f64,
    /// Availability with no stock, substitution or spare capacity anywhere.
    pub unmitigated: f64,
    /// The first week with the lowest availability (weekly runs).
    pub worst_week: Option<u32>,
    /// Availability per week (weekly runs).
    pub weekly: Option<Vec<f64>>,
    /// p5, p50, p95 availability over the Monte Carlo draws.
    pub percentiles: Option<[f64; 3]>,
    /// p5 and p95 availability per week over the draws (weekly runs with draws).
    pub weekly_band: Option<Vec<[f64; 2]>>,
}

/// The result of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Inputs the shock reaches, by order, then availability (lowest first), then input index.
    pub nodes: Vec<NodeOutcome>,
    /// Weeks of the weekly profile, when timed.
    pub weeks: Option<u32>,
    /// Draws run.
    pub draws: usize,
    /// Seed used.
    pub seed: u64,
    /// Warnings from compiling the scenario.
    pub warnings: Vec<String>,
}

fn worst(series: &[f64]) -> (f64, u32) {
    let mut best = (1.0f64, 0u32);
    for (w, &v) in series.iter().enumerate() {
        if v < best.0 {
            best = (v, w as u32);
        }
    }
    best
}

/// Runs a compiled model.
pub fn run(model: &Model, opts: &RunOptions) -> Result<Outcome, Error> {
    let n = model.n_nodes();
    crate::limits::check_draws(opts.draws)?;
    crate::limits::check_threads(opts.threads)?;
    if let Some(w) = model.horizon() {
        crate::limits::check_weekly(n, w)?;
    }
    let point = model.point();
    let threads = opts.threads.max(1);
    let mut nodes: Vec<NodeOutcome> = Vec::with_capacity(n);
    match model.horizon() {
        None => {
            let mut with = vec![0.0; n];
            let mut without = vec![0.0; n];
            engine::run_static_threaded(model, &point, true, &mut with, threads);
            engine::run_static_threaded(model, &point, false, &mut without, threads);
            let direct = engine::direct_losses(model, &point);
            for k in 0..n {
                nodes.push(NodeOutcome {
                    input: model.input(k),
                    order: model.order(k),
                    direct_loss: direct[k],
                    availability: with[k],
                    unmitigated: without[k],
                    worst_week: None,
                    weekly: None,
                    percentiles: None,
                    weekly_band: None,
                });
            }
        }
        Some(weeks) => {
            let w = weeks as usize;
            let mut with = vec![0.0; n * w];
            let mut without = vec![0.0; n * w];
            engine::run_weekly_threaded(model, &point, true, w, &mut with, threads);
            engine::run_weekly_threaded(model, &point, false, w, &mut without, threads);
            let direct = engine::peak_direct_losses(model, &point, weeks);
            for k in 0..n {
                let series = &with[k * w..(k + 1) * w];
                let (availability, week) = worst(series);
                nodes.push(NodeOutcome {
                    input: model.input(k),
                    order: model.order(k),
                    direct_loss: direct[k],
                    availability,
                    unmitigated: worst(&without[k * w..(k + 1) * w]).0,
                    worst_week: Some(week),
                    weekly: Some(series.to_vec()),
                    percentiles: None,
                    weekly_band: None,
                });
            }
        }
    }
    if opts.draws > 0 {
        let q = montecarlo::monte_carlo(model, opts.draws, opts.seed, threads)?;
        for (node, q) in nodes.iter_mut().zip(q) {
            node.percentiles = Some(q);
        }
        if let Some(band) = montecarlo::weekly_band(model, opts.draws, opts.seed) {
            for (node, b) in nodes.iter_mut().zip(band) {
                node.weekly_band = Some(b);
            }
        }
    }
    nodes.sort_by(|a, b| {
        a.order
            .cmp(&b.order)
            .then(a.availability.total_cmp(&b.availability))
            .then(a.input.cmp(&b.input))
    });
    Ok(Outcome {
        nodes,
        weeks: model.horizon(),
        draws: opts.draws,
        seed: opts.seed,
        warnings: model.warnings().to_vec(),
    })
}

/// Compiles a scenario against an ecosystem and runs it.
pub fn simulate(
    checked: &Checked,
    blocs: &Blocs,
    scenario: &Scenario,
    opts: &Options,
    run_opts: &RunOptions,
) -> Result<Outcome, Error> {
    let model = compile::compile(checked, blocs, scenario, opts)?;
    run(&model, run_opts)
}
