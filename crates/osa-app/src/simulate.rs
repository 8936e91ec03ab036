//! Disruption use cases (second- and third-order effects): a scenario assembled from a saved one
//! and/or shock and mitigation specs, the ecosystem it runs on, and the run itself, as rows of the
//! report's simulate view.

use crate::{Answer, AppError, Result};
use osa_disrupt::compile::{self, Options};
use osa_disrupt::simulate::{self, Outcome, RunOptions};
use osa_disrupt::{Mitigation, Scenario, Shock};
use osa_io::Loaded;
use osa_model::Blocs;
use osa_view::disrupt::SimulateRow;

/// A scenario as the user gives it: a saved scenario (name or file) and/or specs.
#[derive(Debug, Clone, Default)]
pub struct ScenarioSpec {
    /// A saved scenario's name or file.
    pub scenario: Option<String>,
    /// Shocks `SUPPLIER:INPUTS=LOST[@START[+WEEKS]]`.
    pub shocks: Vec<String>,
    /// Stock mitigations `INPUTS=MONTHS`.
    pub stock: Vec<String>,
    /// Substitution mitigations `INPUTS=SHARE[@WEEKS]`.
    pub substitution: Vec<String>,
    /// Spare-capacity mitigations `INPUTS=SHARE[@WEEKS]`.
    pub spare: Vec<String>,
}

/// A scenario ready to run, with the shocks and mitigations that came from specs (their ids are
/// checked against the ecosystem with [`check_spec_ids`]).
#[derive(Debug, Clone)]
pub struct Assembled {
    /// The scenario.
    pub scenario: Scenario,
    /// Shocks from specs.
    pub shocks: Vec<Shock>,
    /// Mitigations from specs.
    pub mitigations: Vec<Mitigation>,
}

/// Assembles the scenario: the saved one (or an empty command-line one) plus the specs.
pub fn assemble(spec: &ScenarioSpec) -> Result<Assembled> {
    let mut sc = match &spec.scenario {
        Some(s) => osa_io::scenario::load(s)
            .map_err(|e| AppError::data(format!("could not load scenario `{s}`"), e))?,
        None => Scenario {
            id: "command-line".into(),
            name: "Scenario from the command line".into(),
            ..Scenario::default()
        },
    };
    // The spec is shown escaped: an id may hide bidirectional overrides or invisible characters.
    let bad = |field: &str, s: &str, e: osa_disrupt::Error| {
        AppError::invalid(
            format!("{field} `{}`", osa_model::id::escaped(s)),
            e.to_string(),
        )
    };
    let shocks = spec
        .shocks
        .iter()
        .map(|s| s.parse::<Shock>().map_err(|e| bad("shock", s, e)))
        .collect::<Result<Vec<_>>>()?;
    let mut mitigations = Vec::new();
    for s in &spec.stock {
        mitigations.push(Mitigation::parse_stock(s).map_err(|e| bad("stock", s, e))?);
    }
    for s in &spec.substitution {
        mitigations.push(Mitigation::parse_substitution(s).map_err(|e| bad("substitution", s, e))?);
    }
    for s in &spec.spare {
        mitigations.push(Mitigation::parse_spare(s).map_err(|e| bad("spare", s, e))?);
    }
    sc.shocks.extend(shocks.iter().cloned());
    sc.mitigations.extend(mitigations.iter().cloned());
    Ok(Assembled {
        scenario: sc,
        shocks,
        mitigations,
    })
}

/// Checks that the specs' targets name inputs or stages of the ecosystem.
pub fn check_spec_ids(loaded: &Loaded, a: &Assembled) -> Result<()> {
    let targets = a
        .shocks
        .iter()
        .map(|s| (format!("shock `{s}`"), &s.target))
        .chain(
            a.mitigations
                .iter()
                .map(|m| (format!("mitigation on `{}`", m.target), &m.target)),
        );
    for (what, target) in targets {
        if let Some(id) = compile::unknown_ids(&loaded.checked, target).first() {
            return Err(AppError::NotFound(format!(
                "{what}: ecosystem `{}` has no input or stage `{id}`{}",
                loaded.checked.ecosystem().id,
                compile::hint(&loaded.checked, id)
            )));
        }
    }
    Ok(())
}

/// The ecosystem a scenario runs on: the one given, else the scenario's own when it is built in,
/// else the default.
pub fn ecosystem_for(arg: Option<&str>, sc: &Scenario) -> Result<Answer<Loaded>> {
    let spec = arg.or_else(|| {
        sc.ecosystem
            .as_deref()
            .filter(|e| osa_io::builtin::names().contains(e))
    });
    crate::ecosystem::load(spec)
}

/// Runs a scenario; warnings include a note when the shocks reach no input.
pub fn run(
    loaded: &Loaded,
    blocs: &Blocs,
    sc: &Scenario,
    opts: &Options,
    run: &RunOptions,
) -> Result<Answer<Outcome>> {
    let out = simulate::simulate(&loaded.checked, blocs, sc, opts, run)
        .map_err(|e| AppError::data(format!("could not run scenario `{}`", sc.id), e))?;
    let mut warnings = out.warnings.clone();
    if out.nodes.is_empty() {
        warnings.push(format!(
            "the shocks reach no input of `{}`",
            loaded.checked.ecosystem().id
        ));
    }
    Ok(Answer {
        value: out,
        warnings,
    })
}

/// The rows of a run, one per input reached.
pub fn rows(loaded: &Loaded, out: &Outcome) -> Vec<SimulateRow> {
    let inputs = &loaded.checked.ecosystem().inputs;
    out.nodes
        .iter()
        .map(|n| {
            let inp = &inputs[n.input];
            SimulateRow {
                id: inp.id.clone(),
                name: inp.name.clone(),
                kind: inp.kind.as_str().to_string(),
                order: n.order,
                availability: n.availability,
                p5: n.percentiles.map(|q| q[0]),
                p50: n.percentiles.map(|q| q[1]),
                p95: n.percentiles.map(|q| q[2]),
                unmitigated: n.unmitigated,
                direct_loss: n.direct_loss,
                worst_week: n.worst_week,
                weekly: n.weekly.clone(),
                weekly_band: n.weekly_band.clone(),
            }
            .rounded()
        })
        .collect()
}

/// Two scenarios on one ecosystem, input by input (the second defaults to no shock at all):
/// each input either run reaches with its order and availability, largest differences first.
pub fn compare(
    loaded: &Loaded,
    blocs: &Blocs,
    (a, b): (&Scenario, Option<&Scenario>),
    opts: &Options,
    run_opts: &RunOptions,
) -> Result<Answer<Vec<osa_view::disrupt::CompareRow>>> {
    let out_a = run(loaded, blocs, a, opts, run_opts)?;
    let out_b = b
        .map(|b| run(loaded, blocs, b, opts, run_opts))
        .transpose()?;
    let mut warnings = out_a.warnings;
    // Union of the inputs either run reaches; availability 1 where a run does not reach.
    type Reached = Option<(u32, f64)>;
    let mut by_input: std::collections::BTreeMap<usize, (Reached, Reached)> = Default::default();
    for n in &out_a.value.nodes {
        by_input.entry(n.input).or_default().0 = Some((n.order, n.availability));
    }
    if let Some(o) = out_b {
        warnings.extend(o.warnings);
        for n in &o.value.nodes {
            by_input.entry(n.input).or_default().1 = Some((n.order, n.availability));
        }
    }
    let inputs = &loaded.checked.ecosystem().inputs;
    let mut rows: Vec<osa_view::disrupt::CompareRow> = by_input
        .into_iter()
        .map(|(i, (ra, rb))| compare_row(inputs[i].id.clone(), inputs[i].name.clone(), ra, rb))
        .collect();
    sort_compare(&mut rows);
    Ok(Answer {
        value: rows,
        warnings,
    })
}

/// One input in two runs: its order and availability in each (1 where a run does not reach it).
pub fn compare_row(
    id: String,
    name: String,
    ra: Option<(u32, f64)>,
    rb: Option<(u32, f64)>,
) -> osa_view::disrupt::CompareRow {
    let r6 = osa_view::format::r6;
    let (aa, ab) = (ra.map_or(1.0, |r| r.1), rb.map_or(1.0, |r| r.1));
    osa_view::disrupt::CompareRow {
        id,
        name,
        order_a: ra.map(|r| r.0),
        availability_a: r6(aa),
        order_b: rb.map(|r| r.0),
        availability_b: r6(ab),
        difference: r6(ab - aa),
    }
}

/// Largest differences first, then by id.
pub fn sort_compare(rows: &mut [osa_view::disrupt::CompareRow]) {
    rows.sort_by(|x, y| {
        y.difference
            .abs()
            .total_cmp(&x.difference.abs())
            .then(x.id.cmp(&y.id))
    });
}

/// Most tiers an input-output run prints (the series has converged long before).
pub const MAX_TIERS: usize = 50;

/// An input-output model run on a sector table, tier by tier.
pub fn iomodel(
    table: &std::path::Path,
    model: osa_disrupt::iomodel::IoModel,
    shocks: &[String],
    tiers: usize,
) -> Result<Vec<osa_view::disrupt::IoRow>> {
    use osa_view::format::r6;
    if tiers > MAX_TIERS {
        return Err(AppError::invalid(
            "tiers",
            format!("{tiers} is more than {MAX_TIERS} (the series has converged long before)"),
        ));
    }
    let shocks = shocks
        .iter()
        .map(|s| {
            s.parse::<osa_disrupt::iomodel::IoShock>().map_err(|e| {
                AppError::invalid(
                    format!("shock `{}`", osa_model::id::escaped(s)),
                    e.to_string(),
                )
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let t = osa_io::scenario::read_iotable(table).map_err(|e| {
        AppError::data(
            format!("could not read input-output table `{}`", table.display()),
            e,
        )
    })?;
    let out = osa_disrupt::iomodel::run(&t, model, &shocks, tiers)
        .map_err(|e| AppError::data("the input-output model", e))?;
    Ok(out
        .effects
        .iter()
        .map(|e| osa_view::disrupt::IoRow {
            sector: t.sectors()[e.sector].clone(),
            output: r6(t.output()[e.sector]),
            shock: r6(e.shock),
            tiers: e.tiers.iter().map(|&v| r6(v)).collect(),
            higher: r6(e.higher),
            total: r6(e.total),
            linear_total: r6(e.linear_total),
            saturated: e.saturated,
            output_loss: r6(e.output_loss),
            relative: r6(e.relative),
        })
        .collect())
}
