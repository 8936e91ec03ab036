//! The four steps as one pipeline for one technology: ecosystem findings (step 1, where data
//! exists) → dimensions, judged and computed (step 2) → counterparts' likelihood and risk against
//! tolerance (step 3) → tensions and ranked instruments (step 4). The result is a [`Dossier`].

use crate::dimension::{Dimension, Level};
use crate::geopolitics::{self, Context, CountryProfile, Geopolitics, Risk};
use crate::indicators::{self, Computed, EcosystemFindings};
use crate::priority::{self, Priority};
use crate::technology::{DimensionJudgment, Technology};
use crate::tensions::{self, Tension};
use crate::toolkit::{self, Facts, Ranked, Toolkit};
use osa_ecosystem::{Holder, MetricsOptions};
use osa_model::{Checked, CountryCode, Place};

/// Errors of the assessment.
#[derive(Debug, thiserror::Error)]
pub enum AssessError {
    /// The blocs lack the EU, which every assessment is about.
    #[error("the bloc registry has no `EU27` bloc; the assessment is from the EU's point of view")]
    NoEu,
}

pub use crate::agreement::{Agreement, Basis};

/// One dimension of a dossier.
#[derive(Debug, Clone)]
pub struct DimensionResult {
    /// The dimension.
    pub dimension: Dimension,
    /// The analyst's judgment.
    pub judged: DimensionJudgment,
    /// The level computed from ecosystem data.
    pub computed: Option<Computed>,
}

impl DimensionResult {
    /// How the two levels compare.
    pub fn agreement(&self) -> Agreement {
        Agreement::of(self.judged.level, self.computed.as_ref().map(|c| c.level))
    }

    /// What the cell rests on.
    pub fn basis(&self) -> Basis {
        Basis::of(self.judged.level, self.computed.as_ref().map(|c| c.level))
    }
}

/// Why a country is a counterpart of the technology.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// Named in the technology file.
    Declared {
        /// The note.
        note: String,
        /// Source.
        source: String,
    },
    /// A major supplier in the ecosystem data (largest share of an input in scope).
    Supplier {
        /// Share 0-1.
        share: f64,
    },
}

/// Where the EU's leverage figure comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum LeverageBasis {
    /// Computed from the ecosystem (step 1).
    Ecosystem,
    /// An analyst's estimate in the technology file.
    Judged(String),
}

/// Step 3 for one counterpart.
#[derive(Debug, Clone)]
pub struct CounterpartAssessment {
    /// The profile.
    pub profile: CountryProfile,
    /// True when osa has no profile and a default (partner) was used.
    pub default_profile: bool,
    /// Why it is a counterpart.
    pub origins: Vec<Origin>,
    /// The security bloc it shares with the EU, if any.
    pub ally: Option<String>,
    /// The blocs it belongs to in the assessment year (EU27, NATO, G7, OECD, ...).
    pub memberships: Vec<String>,
    /// The EU's share of mutual leverage, with its basis.
    pub eu_leverage: Option<(f64, LeverageBasis)>,
    /// Risk per dimension, in [`Dimension::ALL`] order.
    pub risks: Vec<Risk>,
}

/// The four-step dossier of one technology.
#[derive(Debug, Clone)]
pub struct Dossier {
    /// The technology.
    pub technology: Technology,
    /// The assessment year (memberships and coercion recency).
    pub year: i32,
    /// Step 1 findings, where ecosystem data exists.
    pub ecosystem: Option<EcosystemFindings>,
    /// Step 2.
    pub dimensions: Vec<DimensionResult>,
    /// Step 3.
    pub counterparts: Vec<CounterpartAssessment>,
    /// Tensions.
    pub tensions: Vec<Tension>,
    /// The priority dimension of step 4 and why.
    pub priority: Priority,
    /// Step 4.
    pub instruments: Vec<Ranked>,
}

/// Most suppliers from the ecosystem that are added as counterparts.
pub const MAX_SUPPLIER_COUNTERPARTS: usize = 5;
/// Share of an input in scope from which a supplier becomes a counterpart of step 3.
pub const COUNTERPART_SHARE: f64 = 0.25;

/// Choices an analyst makes for one assessment.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The priority dimension of step 4; `None`: the default rule of [`crate::priority`].
    pub priority: Option<Dimension>,
}

/// Runs the four steps for a technology with the default options.
pub fn assess(
    tech: &Technology,
    ecosystem: Option<&Checked>,
    geo: &Geopolitics,
    toolkit: &Toolkit,
    year: i32,
) -> Result<Dossier, AssessError> {
    assess_with(tech, ecosystem, geo, toolkit, year, &Options::default())
}

/// Runs the four steps for a technology.
pub fn assess_with(
    tech: &Technology,
    ecosystem: Option<&Checked>,
    geo: &Geopolitics,
    toolkit: &Toolkit,
    year: i32,
    options: &Options,
) -> Result<Dossier, AssessError> {
    let eu = eu_holder(geo)?;

    // Step 1.
    let metrics = ecosystem.map(|c| step1_metrics(c, &eu));
    let step1 = match (ecosystem, &metrics) {
        (Some(c), Some(m)) => Some((c, m)),
        _ => None,
    };
    let findings = step1.map(|(c, m)| indicators::findings(c, m, &tech.scope, &eu));

    // Step 2.
    let mut dimensions: Vec<DimensionResult> = Dimension::ALL
        .iter()
        .map(|&d| DimensionResult {
            dimension: d,
            judged: tech.judged(d).clone(),
            computed: findings.as_ref().and_then(|f| computed_of(f, d)),
        })
        .collect();

    // Step 3.
    let counterparts = counterparts(tech, step1, findings.as_ref(), geo, &eu, year);
    if let (Some((c, m)), Some(f)) = (step1, &findings) {
        add_context_indicators(c, m, f, geo, &counterparts, &mut dimensions);
    }

    // Step 4.
    let storable = match (step1, &findings) {
        (Some((c, m)), Some(f)) => indicators::storable_dependency(c, m, &f.scope, &eu),
        _ => None,
    };
    let (priority, tensions, instruments) = step4(
        tech,
        &counterparts,
        findings.as_ref(),
        storable,
        toolkit,
        options,
    );
    Ok(Dossier {
        technology: tech.clone(),
        year,
        ecosystem: findings,
        dimensions,
        counterparts,
        tensions,
        priority,
        instruments,
    })
}

/// The EU as a holder of shares: the `EU27` bloc.
fn eu_holder(geo: &Geopolitics) -> Result<Holder, AssessError> {
    Ok(Holder::Bloc(
        geo.blocs.get("EU27").ok_or(AssessError::NoEu)?.clone(),
    ))
}

/// Step 1's metrics with the EU as a holder.
fn step1_metrics(c: &Checked, eu: &Holder) -> osa_ecosystem::Metrics {
    osa_ecosystem::metrics(
        c,
        &MetricsOptions {
            holders: vec![eu.clone()],
            ..MetricsOptions::default()
        },
    )
}

/// The level step 1 computes for a dimension, where it computes one.
fn computed_of(f: &EcosystemFindings, d: Dimension) -> Option<Computed> {
    match d {
        Dimension::SupplyResilience => f.supply.clone(),
        Dimension::Competitiveness => f.competitiveness.clone(),
        _ => None,
    }
}

/// The levels step 1's data computes for a technology, in [`Dimension::ALL`] order, without steps
/// 3 and 4: what the matrix shows beside the judged levels. None where there is no data.
pub fn computed_levels(
    tech: &Technology,
    ecosystem: Option<&Checked>,
    geo: &Geopolitics,
) -> Result<[Option<Level>; 4], AssessError> {
    let eu = eu_holder(geo)?;
    let Some(c) = ecosystem else {
        return Ok([None; 4]);
    };
    let findings = indicators::findings(c, &step1_metrics(c, &eu), &tech.scope, &eu);
    Ok(Dimension::ALL.map(|d| computed_of(&findings, d).map(|x| x.level)))
}

/// Step 3: counterparts from the technology file, then major suppliers from the data, each with
/// its profile, alliances, the EU's share of mutual leverage and the risk on every dimension.
fn counterparts(
    tech: &Technology,
    step1: Option<(&Checked, &osa_ecosystem::Metrics)>,
    findings: Option<&EcosystemFindings>,
    geo: &Geopolitics,
    eu: &Holder,
    year: i32,
) -> Vec<CounterpartAssessment> {
    let mut order: Vec<(CountryCode, Vec<Origin>)> = Vec::new();
    for cp in &tech.counterparts {
        let origin = Origin::Declared {
            note: cp.note.clone(),
            source: cp.source.to_string(),
        };
        match order.iter_mut().find(|(c, _)| *c == cp.country) {
            Some(e) => e.1.push(origin),
            None => order.push((cp.country, vec![origin])),
        }
    }
    if let Some(f) = findings {
        for &(c, share) in f
            .major_suppliers
            .iter()
            .filter(|s| s.1 + 1e-9 >= COUNTERPART_SHARE)
            .take(MAX_SUPPLIER_COUNTERPARTS)
        {
            let origin = Origin::Supplier { share };
            match order.iter_mut().find(|(x, _)| *x == c) {
                Some(e) => e.1.push(origin),
                None => order.push((c, vec![origin])),
            }
        }
    }
    order
        .into_iter()
        .map(|(country, origins)| counterpart(tech, country, origins, step1, geo, eu, year))
        .collect()
}

/// Step 3 for one country.
fn counterpart(
    tech: &Technology,
    country: CountryCode,
    origins: Vec<Origin>,
    step1: Option<(&Checked, &osa_ecosystem::Metrics)>,
    geo: &Geopolitics,
    eu: &Holder,
    year: i32,
) -> CounterpartAssessment {
    let (profile, default_profile) = geo.profile(country);
    let ally = geopolitics::security_ally(country, &geo.blocs, &geo.params, year);
    let memberships = geo
        .blocs
        .iter()
        .filter(|b| b.contains(country, year))
        .map(|b| b.id.clone())
        .collect();
    let eu_leverage = step1
        .and_then(|(c, m)| {
            let other = Holder::Place(Place::Country(country));
            let lev = osa_ecosystem::leverage(c, &m.inputs, eu, &other, 1.0);
            let total = lev.leverage_a + lev.leverage_b;
            (total > 0.0).then(|| (lev.leverage_a / total, LeverageBasis::Ecosystem))
        })
        .or_else(|| {
            tech.counterparts
                .iter()
                .find(|cp| cp.country == country)
                .and_then(|cp| {
                    cp.eu_leverage
                        .map(|l| (l, LeverageBasis::Judged(cp.source.to_string())))
                })
        });
    let ctx = Context {
        security_ally: ally.is_some(),
        eu_leverage: eu_leverage.as_ref().map(|l| l.0),
        year,
    };
    let risks = Dimension::ALL
        .iter()
        .map(|&d| geopolitics::risk(&profile, d, tech.level(d), &ctx, &geo.params))
        .collect();
    CounterpartAssessment {
        profile,
        default_profile,
        origins,
        ally,
        memberships,
        eu_leverage,
        risks,
    }
}

/// Indicators that need step 3's view of countries: rival shares (supply resilience) and the EU's
/// share of mutual leverage (competitiveness). Shown with the computed levels, not used for them.
fn add_context_indicators(
    c: &Checked,
    m: &osa_ecosystem::Metrics,
    f: &EcosystemFindings,
    geo: &Geopolitics,
    counterparts: &[CounterpartAssessment],
    dimensions: &mut [DimensionResult],
) {
    let rival = |cc: CountryCode| {
        matches!(
            geo.profile(cc).0.relationship,
            crate::geopolitics::Relationship::SystemicRival
                | crate::geopolitics::Relationship::Adversary
        )
    };
    if let (Some(ind), Some(comp)) = (
        indicators::rival_share(c, m, &f.scope, rival),
        dimensions[Dimension::SupplyResilience.index()]
            .computed
            .as_mut(),
    ) {
        comp.indicators.push(ind);
    }
    if let Some(comp) = dimensions[Dimension::Competitiveness.index()]
        .computed
        .as_mut()
    {
        for cp in counterparts {
            if let Some((share, LeverageBasis::Ecosystem)) = &cp.eu_leverage {
                comp.indicators.push(indicators::Indicator {
                    name: format!("EU share of mutual leverage with {}", cp.profile.code),
                    value: *share,
                    detail: "L(EU over X) / (L(EU over X) + L(X over EU)), whole ecosystem: the EU's share of the leverage both sides hold over each other".into(),
                    sources: Vec::new(),
                });
            }
        }
    }
}

/// Step 4: tensions, the priority dimension, the facts the rules ask about, ranked instruments
/// and the tensions they create.
fn step4(
    tech: &Technology,
    counterparts: &[CounterpartAssessment],
    findings: Option<&EcosystemFindings>,
    storable: Option<String>,
    toolkit: &Toolkit,
    options: &Options,
) -> (Priority, Vec<Tension>, Vec<Ranked>) {
    let mut tensions = tensions::from_levels(tech);
    let levels = Dimension::ALL.map(|d| tech.level(d));
    let priority = priority::choose(&levels, options.priority, tech.ranking.as_ref());
    let mut facts = Facts {
        levels,
        ranges: Dimension::ALL.map(|d| tech.judged(d).range.as_ref().map(|r| (r.low, r.high))),
        priority: priority.dimension,
        recommended: tech
            .recommendations
            .iter()
            .flat_map(|r| r.instruments.iter().cloned())
            .collect(),
        storable_dependency: storable,
        has_ecosystem: findings.is_some(),
        eu_indispensable: findings.map(|f| !f.eu_chokepoints.is_empty()),
        eu_leverage: counterparts
            .iter()
            .find(|c| c.profile.code.as_str() == "CHN")
            .or(counterparts.first())
            .and_then(|c| c.eu_leverage.as_ref().map(|l| l.0)),
        ..Facts::default()
    };
    for d in Dimension::ALL {
        let k = d.index();
        facts.max_likelihood[k] = counterparts
            .iter()
            .map(|c| c.risks[k].likelihood.value)
            .reduce(f64::max);
        facts.beyond_tolerance[k] = counterparts.iter().any(|c| c.risks[k].beyond_tolerance());
    }
    facts.stances = counterparts
        .iter()
        .map(|c| {
            (
                c.profile.code.to_string(),
                Dimension::ALL.map(|d| c.profile.stance(d)),
            )
        })
        .collect();
    facts.tensions = tensions
        .iter()
        .flat_map(|t| t.trade_offs.iter().copied())
        .collect();
    facts.consumer_facing = tech.consumer_facing.as_ref().map(|f| f.source.to_string());
    let instruments = toolkit::rank(toolkit, &facts, &tech.recommendations_in_order());
    tensions.extend(tensions::from_instruments(&instruments, toolkit));
    (priority, tensions, instruments)
}
