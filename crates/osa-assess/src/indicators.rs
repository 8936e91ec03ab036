//! Step 2, computed side: where a technology has ecosystem data, supply resilience and
//! competitiveness levels are computed from step 1's results, so that they can stand next to the
//! analyst's judged levels.
//!
//! - **Supply resilience.** For each input in scope, the largest share held by one country outside
//!   the EU, times (1 - substitutability): how much of the input hinges on one foreign supplier.
//!   The indicator is the worst input; levels 1-4 start at 0.3, 0.5, 0.7 and 0.9.
//! - **Competitiveness.** The EU's position: half from its mean share across the inputs in scope
//!   (saturating at 50%), half from the fraction of inputs where it holds at least 50% (strategic
//!   indispensability, seed L1930-1962). The challenge is 1 - position; levels 1-4 start at 0.2,
//!   0.4, 0.6 and 0.8.
//!
//! Both are deliberately simple and shown with the rows they come from; they complement, never
//! replace, the analyst's reading.

use crate::dimension::{Dimension, Level};
use osa_ecosystem::{Holder, InputMetrics, Metrics};
use osa_model::{Checked, CountryCode, InputKind, Place};

/// Lower bounds of levels 1-4 for the supply-resilience indicator.
pub const SUPPLY_BOUNDS: [f64; 4] = [0.3, 0.5, 0.7, 0.9];
/// Lower bounds of levels 1-4 for the competitiveness challenge.
pub const COMPETITIVENESS_BOUNDS: [f64; 4] = [0.2, 0.4, 0.6, 0.8];

/// A number behind a computed level.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// What it measures.
    pub name: String,
    /// Its value.
    pub value: f64,
    /// How it was obtained, with the input, country, share and year.
    pub detail: String,
    /// The sources of the data rows used.
    pub sources: Vec<String>,
}

/// A computed level with its indicators.
#[derive(Debug, Clone, PartialEq)]
pub struct Computed {
    /// The dimension.
    pub dimension: Dimension,
    /// The level.
    pub level: Level,
    /// The indicators, the deciding one first.
    pub indicators: Vec<Indicator>,
    /// The formula in words.
    pub formula: &'static str,
}

/// What step 1 tells the assessment about one technology.
#[derive(Debug, Clone, PartialEq)]
pub struct EcosystemFindings {
    /// Ecosystem id.
    pub ecosystem: String,
    /// Inputs in scope (indexes).
    pub scope: Vec<usize>,
    /// Computed supply-resilience level.
    pub supply: Option<Computed>,
    /// Computed competitiveness level.
    pub competitiveness: Option<Computed>,
    /// Inputs in scope where the EU holds at least half the supply: (input, share, year).
    pub eu_chokepoints: Vec<(usize, f64, i32)>,
    /// Non-EU countries holding at least [`MAJOR_SUPPLIER_SHARE`] of an input in scope, with their
    /// largest share and that input's index.
    pub major_suppliers: Vec<(CountryCode, f64)>,
    /// For each major supplier, the input where it holds its largest share.
    pub major_supplier_inputs: Vec<usize>,
}

/// The share of an input in scope from which a non-EU country is listed as a major supplier.
pub const MAJOR_SUPPLIER_SHARE: f64 = 0.10;

/// The formula of the supply indicator.
pub const SUPPLY_FORMULA: &str = "max over inputs in scope of (largest single non-EU country share) * (1 - substitutability); levels from 0.3/0.5/0.7/0.9";
/// The formula of the competitiveness indicator.
pub const COMPETITIVENESS_FORMULA: &str = "challenge = 1 - (0.5 * min(1, 2 * mean EU share) + 0.5 * fraction of inputs with EU share >= 50%); levels from 0.2/0.4/0.6/0.8";

fn sources_of(checked: &Checked, m: &InputMetrics, place: Option<&Place>) -> Vec<String> {
    let inp = &checked.ecosystem().inputs[m.input];
    let Some(c) = &m.country else {
        return Vec::new();
    };
    let mut out: Vec<String> = c
        .rows
        .iter()
        .filter_map(|&j| inp.provision.get(j))
        .filter(|p| place.is_none_or(|pl| p.provider == pl.code()))
        .map(|p| p.source.clone())
        .collect();
    out.dedup();
    out
}

/// Computes the findings for inputs `scope` (ids; empty means all) of a checked ecosystem: the
/// inputs in scope with country shares, their worst single foreign dependency (supply resilience),
/// the EU's position (competitiveness, with the inputs where it is indispensable), and the non-EU
/// countries that are major suppliers.
pub fn findings(
    checked: &Checked,
    metrics: &Metrics,
    scope: &[String],
    eu: &Holder,
) -> EcosystemFindings {
    let in_scope = inputs_in_scope(checked, scope);
    let with_shares: Vec<&InputMetrics> = in_scope
        .iter()
        .filter_map(|&i| metrics.inputs.get(i))
        .filter(|m| m.country.is_some())
        .collect();
    let deps = foreign_dependencies(checked, &with_shares, eu);
    let supply = supply_level(checked, &deps);
    let eu_shares: Vec<(usize, f64, i32)> = with_shares
        .iter()
        .filter_map(|m| {
            let c = m.country.as_ref()?;
            Some((m.input, eu.share(c).0, c.year))
        })
        .collect();
    let eu_chokepoints: Vec<(usize, f64, i32)> = eu_shares
        .iter()
        .filter(|(_, s, _)| *s + 1e-9 >= 0.5)
        .copied()
        .collect();
    let competitiveness = competitiveness_level(checked, &eu_shares, &eu_chokepoints);
    let major = major_suppliers(&with_shares, eu);
    EcosystemFindings {
        ecosystem: checked.ecosystem().id.clone(),
        scope: in_scope,
        supply,
        competitiveness,
        eu_chokepoints,
        major_suppliers: major.iter().map(|m| (m.0, m.1)).collect(),
        major_supplier_inputs: major.iter().map(|m| m.2).collect(),
    }
}

/// The indexes of the inputs in scope (ids; empty means all).
fn inputs_in_scope(checked: &Checked, scope: &[String]) -> Vec<usize> {
    if scope.is_empty() {
        (0..checked.n_inputs()).collect()
    } else {
        scope
            .iter()
            .filter_map(|id| checked.input_index(id))
            .collect()
    }
}

/// One input's largest single dependency on a country outside the EU.
struct Dependency<'a> {
    /// share * (1 - substitutability).
    value: f64,
    /// The input's metrics.
    input: &'a InputMetrics,
    /// The country.
    place: Place,
    /// Its share.
    share: f64,
    /// The input's substitutability.
    substitutability: f64,
}

/// For each input with shares, its largest non-EU supplier weighed by substitutability, worst
/// first (ties by input).
fn foreign_dependencies<'a>(
    checked: &Checked,
    with_shares: &[&'a InputMetrics],
    eu: &Holder,
) -> Vec<Dependency<'a>> {
    let eco = checked.ecosystem();
    let mut deps: Vec<Dependency> = Vec::new();
    for m in with_shares {
        let Some(c) = &m.country else { continue };
        let Some((place, share)) = c
            .shares
            .iter()
            .find(|(p, _)| !eu.includes(p, c.year))
            .copied()
        else {
            continue;
        };
        let sub = eco.inputs[m.input].substitutability.unwrap_or(0.0);
        deps.push(Dependency {
            value: share * (1.0 - sub),
            input: m,
            place,
            share,
            substitutability: sub,
        });
    }
    deps.sort_by(|a, b| {
        b.value
            .total_cmp(&a.value)
            .then(a.input.input.cmp(&b.input.input))
    });
    deps
}

/// The supply-resilience level from the worst dependency, with the inputs at 0.5 or more.
fn supply_level(checked: &Checked, deps: &[Dependency]) -> Option<Computed> {
    let eco = checked.ecosystem();
    let worst = deps.first()?;
    let m = worst.input;
    let year = m.year.unwrap_or_default();
    let mut indicators = vec![Indicator {
        name: "worst single-country dependency outside the EU".into(),
        value: worst.value,
        detail: format!(
            "{} ({}): {} holds {:.0}% ({year}), substitutability {:.2}",
            eco.inputs[m.input].name,
            eco.inputs[m.input].id,
            worst.place.code(),
            worst.share * 100.0,
            worst.substitutability
        ),
        sources: sources_of(checked, m, Some(&worst.place)),
    }];
    let n_half = deps.iter().filter(|d| d.value >= 0.5).count();
    indicators.push(Indicator {
        name: "inputs with a dependency of 0.5 or more".into(),
        value: n_half as f64,
        detail: deps
            .iter()
            .filter(|d| d.value >= 0.5)
            .take(5)
            .map(|d| {
                format!(
                    "{} {} {:.0}%",
                    eco.inputs[d.input.input].id,
                    d.place.code(),
                    d.share * 100.0
                )
            })
            .collect::<Vec<_>>()
            .join(", "),
        sources: Vec::new(),
    });
    Some(Computed {
        dimension: Dimension::SupplyResilience,
        level: Level::from_indicator(worst.value, SUPPLY_BOUNDS),
        indicators,
        formula: SUPPLY_FORMULA,
    })
}

/// The competitiveness level from the EU's shares: (input, share, year) for every input with
/// shares, and those where the EU holds half or more.
fn competitiveness_level(
    checked: &Checked,
    eu_shares: &[(usize, f64, i32)],
    eu_chokepoints: &[(usize, f64, i32)],
) -> Option<Computed> {
    if eu_shares.is_empty() {
        return None;
    }
    let eco = checked.ecosystem();
    let n = eu_shares.len() as f64;
    let mean = eu_shares.iter().map(|e| e.1).sum::<f64>() / n;
    let frac = eu_chokepoints.len() as f64 / n;
    let position = 0.5 * (2.0 * mean).min(1.0) + 0.5 * frac;
    let challenge = 1.0 - position;
    Some(Computed {
        dimension: Dimension::Competitiveness,
        level: Level::from_indicator(challenge, COMPETITIVENESS_BOUNDS),
        indicators: vec![
            Indicator {
                name: "competitiveness challenge (1 - EU position)".into(),
                value: challenge,
                detail: format!(
                    "EU mean share {:.1}% over {} inputs with shares; EU holds 50% or more of {}",
                    mean * 100.0,
                    eu_shares.len(),
                    eu_chokepoints.len()
                ),
                sources: Vec::new(),
            },
            Indicator {
                name: "EU strategic indispensability (inputs with EU share >= 50%)".into(),
                value: eu_chokepoints.len() as f64,
                detail: eu_chokepoints
                    .iter()
                    .take(8)
                    .map(|(i, s, _)| format!("{} {:.0}%", eco.inputs[*i].id, s * 100.0))
                    .collect::<Vec<_>>()
                    .join(", "),
                sources: Vec::new(),
            },
        ],
        formula: COMPETITIVENESS_FORMULA,
    })
}

/// Non-EU countries holding at least [`MAJOR_SUPPLIER_SHARE`] of some input in scope: (country,
/// its largest share, that input), largest first (ties by country).
fn major_suppliers(with_shares: &[&InputMetrics], eu: &Holder) -> Vec<(CountryCode, f64, usize)> {
    let mut major: Vec<(CountryCode, f64, usize)> = Vec::new();
    for m in with_shares {
        let Some(c) = &m.country else { continue };
        for (p, s) in &c.shares {
            if let Place::Country(cc) = p
                && *s + 1e-9 >= MAJOR_SUPPLIER_SHARE
                && !eu.includes(p, c.year)
            {
                match major.iter_mut().find(|(x, _, _)| x == cc) {
                    Some(e) if *s > e.1 => (e.1, e.2) = (*s, m.input),
                    Some(_) => {}
                    None => major.push((*cc, *s, m.input)),
                }
            }
        }
    }
    major.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    major
}

/// Fewest months of use a stock must cover for an input to count as stockable.
pub const STOCKABLE_MONTHS: f64 = 1.0;
/// Share one non-EU country must hold of a stockable input for stockpiling to be considered.
pub const STOCKPILE_SHARE: f64 = 0.5;

/// The first physical input in scope (a material or a final output: goods one can put in a
/// warehouse, not a licence or a process) that can be stocked (storability of
/// [`STOCKABLE_MONTHS`] or more) and of which one non-EU country holds [`STOCKPILE_SHARE`] or more:
/// the ecosystem's case for stockpiling and buffer stocks (seed L2634-2641: "enlarging what is kept
/// in stock helps").
pub fn storable_dependency(
    checked: &Checked,
    metrics: &Metrics,
    scope: &[usize],
    eu: &Holder,
) -> Option<String> {
    let eco = checked.ecosystem();
    scope.iter().find_map(|&i| {
        let inp = eco.inputs.get(i)?;
        if !matches!(inp.kind, InputKind::Material | InputKind::FinalOutput) {
            return None;
        }
        let months = inp.storability_months.filter(|m| *m >= STOCKABLE_MONTHS)?;
        let c = metrics.inputs.get(i)?.country.as_ref()?;
        let (place, share) = c
            .shares
            .iter()
            .find(|(p, s)| !eu.includes(p, c.year) && *s >= STOCKPILE_SHARE)?;
        Some(format!(
            "{} ({}) can be stocked for {months} months and {} holds {:.0}% ({})",
            inp.name,
            inp.id,
            place.code(),
            share * 100.0,
            c.year
        ))
    })
}

/// The largest share of an input in scope held by countries for which `is_rival` holds (systemic
/// rivals and adversaries): an indicator shown with supply resilience, not used for its level.
pub fn rival_share(
    checked: &Checked,
    metrics: &Metrics,
    scope: &[usize],
    is_rival: impl Fn(CountryCode) -> bool,
) -> Option<Indicator> {
    let eco = checked.ecosystem();
    let mut best: Option<(f64, &InputMetrics, Vec<String>)> = None;
    for m in scope.iter().filter_map(|&i| metrics.inputs.get(i)) {
        let Some(c) = &m.country else { continue };
        let parts: Vec<(CountryCode, f64)> = c
            .shares
            .iter()
            .filter_map(|(p, s)| match p {
                Place::Country(cc) if is_rival(*cc) => Some((*cc, *s)),
                _ => None,
            })
            .collect();
        let total: f64 = parts.iter().map(|p| p.1).sum();
        if total > 0.0 && best.as_ref().is_none_or(|b| total > b.0) {
            let who = parts
                .iter()
                .map(|(cc, s)| format!("{cc} {:.0}%", s * 100.0))
                .collect();
            best = Some((total, m, who));
        }
    }
    best.map(|(total, m, who)| Indicator {
        name: "largest share of an input held by systemic rivals or adversaries".into(),
        value: total,
        detail: format!(
            "{} ({}): {} ({})",
            eco.inputs[m.input].name,
            eco.inputs[m.input].id,
            who.join(", "),
            m.year.unwrap_or_default()
        ),
        sources: sources_of(checked, m, None),
    })
}
