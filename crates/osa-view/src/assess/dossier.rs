//! The four-step dossier of one technology: the view's parts (ecosystem, dimensions, counterparts,
//! ranked instruments in two tiers, recommendations) and how they are built from an assessment.

use super::{
    ActorView, BasisView, EvidenceView, FlagView, LIKELIHOOD_MODEL, MatrixCell, actors_of,
    judged_cell,
};
use crate::format::{r6, words};
use osa_assess::Dimension;
use osa_assess::dossier::{CounterpartAssessment, DimensionResult, Dossier, LeverageBasis, Origin};
use osa_assess::indicators::EcosystemFindings;
use osa_assess::technology::Technology;
use osa_assess::tensions::Tension;
use osa_assess::toolkit::Ranked;
use osa_assess::toolkit::{Toolkit, Trigger};
use osa_model::Checked;
use serde::Serialize;
use std::collections::BTreeMap;

/// A computed indicator.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    /// Name.
    pub name: String,
    /// Value.
    pub value: f64,
    /// Detail.
    pub detail: String,
    /// Data sources.
    pub sources: Vec<String>,
}

/// A computed level.
#[derive(Debug, Clone, Serialize)]
pub struct ComputedView {
    /// Level 0-4.
    pub level: u8,
    /// Formula.
    pub formula: &'static str,
    /// Indicators.
    pub indicators: Vec<IndicatorView>,
}

/// A dimension of a dossier: the judged level as in the matrix, plus the computed one.
#[derive(Debug, Clone, Serialize)]
pub struct DimensionView {
    /// The analyst's judgment (`level`, `label`, `silent`, `rationale`, `evidence` in JSON).
    #[serde(flatten)]
    pub judged: MatrixCell,
    /// The level computed from ecosystem data, where there is any.
    pub computed: Option<ComputedView>,
    /// `agree` (equal), `close` (one level apart), `disagree` (two or more apart), `judged_only`,
    /// `computed_only` or `neither`.
    pub agreement: &'static str,
}

/// A likelihood factor.
#[derive(Debug, Clone, Serialize)]
pub struct FactorView {
    /// Factor.
    pub name: String,
    /// Its value.
    pub value: String,
    /// Its effect.
    pub effect: String,
}

/// Step 3 on one dimension for one counterpart.
#[derive(Debug, Clone, Serialize)]
pub struct RiskView {
    /// The EU's stance on this dimension.
    pub stance: &'static str,
    /// Likelihood of weaponization 0-1.
    pub likelihood: f64,
    /// The factors behind it.
    pub factors: Vec<FactorView>,
    /// Severity (level/4).
    pub severity: f64,
    /// severity x likelihood.
    pub risk: f64,
    /// Tolerance.
    pub tolerance: f64,
    /// Whether the risk exceeds the tolerance.
    pub beyond_tolerance: bool,
}

/// A counterpart of the technology.
#[derive(Debug, Clone, Serialize)]
pub struct CounterpartView {
    /// ISO3 code.
    pub country: String,
    /// Name.
    pub name: String,
    /// Default relationship.
    pub relationship: &'static str,
    /// Regime type.
    pub regime: Option<&'static str>,
    /// Where the regime type comes from.
    pub regime_source: Option<String>,
    /// WGI mean, year and source, where loaded.
    pub governance: Option<serde_json::Value>,
    /// Freedom House status, score, year and source, where loaded.
    pub freedom_house: Option<serde_json::Value>,
    /// True when osa has no profile for the country (a default partner profile was used).
    pub default_profile: bool,
    /// Why it is a counterpart.
    pub origins: Vec<String>,
    /// The security bloc it shares with the EU.
    pub security_ally: Option<String>,
    /// Blocs it belongs to in the assessment year.
    pub memberships: Vec<String>,
    /// The EU's share of mutual leverage.
    pub eu_leverage: Option<f64>,
    /// Where that figure comes from.
    pub eu_leverage_basis: Option<String>,
    /// Recorded coercion events.
    pub coercion_events: usize,
    /// Legal exposure of its firms.
    pub legal_exposure: Vec<EvidenceView>,
    /// Per dimension.
    pub dimensions: BTreeMap<&'static str, RiskView>,
}

/// Step 3 of a dossier.
#[derive(Debug, Clone, Serialize)]
pub struct GeopoliticsView {
    /// Assessment year.
    pub year: i32,
    /// The model.
    pub model: &'static str,
    /// Source of its parameters.
    pub source: String,
    /// Counterparts.
    pub counterparts: Vec<CounterpartView>,
}

/// A tension.
#[derive(Debug, Clone, Serialize)]
pub struct TensionView {
    /// `stated`, `divergence` or `instrument`.
    pub kind: &'static str,
    /// `trade_off`, `compounding` or `other`: only trade-offs let toolkit rules on tensions fire.
    pub relation: &'static str,
    /// Dimensions involved.
    pub dimensions: Vec<&'static str>,
    /// Explanation.
    pub text: String,
    /// Source.
    pub source: Option<String>,
}

/// What triggered an instrument.
#[derive(Debug, Clone, Serialize)]
pub struct TriggerView {
    /// `rule` or `report`.
    pub kind: &'static str,
    /// Rule id (for rules).
    pub id: Option<String>,
    /// Weight added.
    pub weight: f64,
    /// Rationale or recommendation.
    pub text: String,
    /// The findings that made the rule hold.
    pub findings: Vec<String>,
    /// The chapter's words (for the report's recommendations, where recorded).
    pub quote: Option<String>,
    /// Source.
    pub source: String,
}

/// A conflict an instrument creates.
#[derive(Debug, Clone, Serialize)]
pub struct ConflictView {
    /// Dimension strained.
    pub dimension: &'static str,
    /// Its level.
    pub level: Option<u8>,
    /// How.
    pub text: String,
    /// True where the strain is osa's inference from the cited lines, not stated there.
    pub inference: bool,
    /// Source.
    pub source: String,
}

/// A ranked instrument.
#[derive(Debug, Clone, Serialize)]
pub struct InstrumentView {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// `report` (the report recommends it for this technology, listed first) or `osa` (only osa's
    /// rules suggest it: osa's inference).
    pub tier: &'static str,
    /// `the report recommends` or `osa's inference`.
    pub label: &'static str,
    /// Score (within the `osa` tier, the order).
    pub score: f64,
    /// One-paragraph rationale naming the findings that triggered it and the conflicts it creates.
    pub rationale: String,
    /// Triggers.
    pub triggers: Vec<TriggerView>,
    /// Conflicts.
    pub conflicts: Vec<ConflictView>,
}

/// A recommendation of the report.
#[derive(Debug, Clone, Serialize)]
pub struct RecommendationView {
    /// Text.
    pub text: String,
    /// Instruments.
    pub instruments: Vec<String>,
    /// Dimensions.
    pub dimensions: Vec<&'static str>,
    /// Whether the report states the dimension mapping.
    pub stated: bool,
    /// The chapter's own words, verbatim from `source`.
    pub quote: Option<String>,
    /// Source.
    pub source: String,
}

/// The priority of step 4.
#[derive(Debug, Clone, Serialize)]
pub struct PriorityView {
    /// The dimension that comes first, or null (a tie the chapter does not break).
    pub dimension: Option<&'static str>,
    /// `given`, `highest_level`, `report_ranking`, `tie` or `no_levels`.
    pub basis: &'static str,
    /// One sentence.
    pub text: String,
    /// The default and tie rule.
    pub rule: &'static str,
}

/// Step 1 findings in a dossier.
#[derive(Debug, Clone, Serialize)]
pub struct EcosystemView {
    /// Ecosystem id.
    pub id: String,
    /// Inputs in scope.
    pub scope: Vec<String>,
    /// Inputs in scope where the EU holds at least half.
    pub eu_chokepoints: Vec<serde_json::Value>,
    /// Non-EU countries holding at least `major_supplier_min_share` of an input in scope:
    /// `{country, share, input}` (their largest share and that input).
    pub major_suppliers: Vec<serde_json::Value>,
    /// The threshold (0-1).
    pub major_supplier_min_share: f64,
    /// Country shares of each input in scope (the latest year with shares), for the supplier chart.
    pub supplier_shares: Vec<InputSharesView>,
}

/// Who supplies one input, and with what share of the world market.
#[derive(Debug, Clone, Serialize)]
pub struct InputSharesView {
    /// Input id.
    pub id: String,
    /// Input name.
    pub name: String,
    /// Year of the shares.
    pub year: i32,
    /// (country or region code, share 0-1), largest first.
    pub shares: Vec<(String, f64)>,
    /// Share of no named country.
    pub unattributed: f64,
    /// Herfindahl-Hirschman index of the attributed shares (0-1; a lower bound where some share
    /// is unattributed): the input's concentration.
    pub hhi: f64,
    /// The sources of the provision rows behind these shares (seed lines or publications), each
    /// once, in the file's order.
    pub sources: Vec<String>,
}

/// The dossier (`osa assess TECH --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct DossierView {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: &'static str,
    /// Chapter.
    pub chapter: String,
    /// Chapter lines.
    pub seed_lines: String,
    /// Summary.
    pub summary: String,
    /// Who set the judged levels, when, how.
    pub judgment: serde_json::Value,
    /// Step 1.
    pub ecosystem: Option<EcosystemView>,
    /// Step 2.
    pub dimensions: BTreeMap<&'static str, DimensionView>,
    /// Where dimensions pull apart.
    pub tensions: Vec<TensionView>,
    /// Step 3.
    pub geopolitics: GeopoliticsView,
    /// Step 4's priority dimension and why.
    pub priority: PriorityView,
    /// Step 4, ranked.
    pub instruments: Vec<InstrumentView>,
    /// Actors to watch.
    pub actors: Vec<ActorView>,
    /// The report's recommendations.
    pub recommendations: Vec<RecommendationView>,
    /// Set where the technology reaches consumers directly (rules scoped to consumer-facing
    /// technologies fire only then).
    pub consumer_facing: Option<FlagView>,
    /// Set where the technology's row is osa's construction, not the report's assessment.
    pub osa_construction: Option<FlagView>,
}

fn tension_view(t: &Tension) -> TensionView {
    TensionView {
        kind: t.kind.as_str(),
        relation: t.relation.as_str(),
        dimensions: t.dimensions.iter().map(|d| d.id()).collect(),
        text: t.text.clone(),
        source: t.source.clone(),
    }
}

/// Builds the dossier view.
pub fn dossier(
    d: &Dossier,
    toolkit: &Toolkit,
    params_source: &str,
    ecosystem: Option<&Checked>,
) -> DossierView {
    let t = &d.technology;
    let dimensions = d.dimensions.iter().map(dimension_view).collect();
    let counterparts = d.counterparts.iter().map(counterpart_view).collect();
    let instruments = d
        .instruments
        .iter()
        .map(|r| instrument_view(r, toolkit))
        .collect();
    let eco_view = d.ecosystem.as_ref().map(|f| ecosystem_view(f, ecosystem));
    DossierView {
        id: t.id.clone(),
        name: t.name.clone(),
        kind: t.kind.as_str(),
        chapter: t.chapter.clone(),
        seed_lines: t.seed_lines.clone(),
        summary: t.summary.clone(),
        judgment: serde_json::json!({
            "author": t.judgment.author, "date": t.judgment.date, "method": t.judgment.method
        }),
        ecosystem: eco_view,
        priority: PriorityView {
            dimension: d.priority.dimension.map(Dimension::id),
            basis: d.priority.basis_str(),
            text: d.priority.explain(),
            rule: osa_assess::priority::RULE,
        },
        dimensions,
        tensions: d.tensions.iter().map(tension_view).collect(),
        geopolitics: GeopoliticsView {
            year: d.year,
            model: LIKELIHOOD_MODEL,
            source: params_source.to_string(),
            counterparts,
        },
        instruments,
        actors: actors_of(t, false),
        recommendations: recommendation_views(t),
        consumer_facing: t.consumer_facing.as_ref().map(FlagView::of),
        osa_construction: t.osa_construction.as_ref().map(FlagView::of),
    }
}

/// The report's recommendations for the technology, in its file's order.
fn recommendation_views(t: &Technology) -> Vec<RecommendationView> {
    t.recommendations
        .iter()
        .map(|r| RecommendationView {
            text: r.text.clone(),
            instruments: r.instruments.clone(),
            dimensions: r.dimensions.iter().map(|d| d.id()).collect(),
            stated: r.stated,
            quote: r.quote.clone(),
            source: r.source.to_string(),
        })
        .collect()
}
/// Step 2 for one dimension: the judged cell and the computed level.
fn dimension_view(r: &DimensionResult) -> (&'static str, DimensionView) {
    (
        r.dimension.id(),
        DimensionView {
            judged: MatrixCell {
                basis: BasisView::of(r.judged.level, r.computed.as_ref().map(|c| c.level)),
                ..judged_cell(&r.judged)
            },
            computed: r.computed.as_ref().map(|c| ComputedView {
                level: c.level.value(),
                formula: c.formula,
                indicators: c
                    .indicators
                    .iter()
                    .map(|i| IndicatorView {
                        name: i.name.clone(),
                        value: r6(i.value),
                        detail: i.detail.clone(),
                        sources: i.sources.clone(),
                    })
                    .collect(),
            }),
            agreement: r.agreement().as_str(),
        },
    )
}

/// Step 3 for one counterpart.
fn counterpart_view(c: &CounterpartAssessment) -> CounterpartView {
    CounterpartView {
        country: c.profile.code.to_string(),
        name: c.profile.name.clone(),
        relationship: c.profile.relationship.as_str(),
        regime: c.profile.regime.as_ref().map(|r| r.0.as_str()),
        regime_source: c.profile.regime.as_ref().map(|r| r.1.clone()),
        governance: c.profile.governance.as_ref().map(|g| {
            serde_json::json!({"wgi_mean": r6(g.wgi_mean), "year": g.year, "source": g.source})
        }),
        freedom_house: c.profile.freedom_house.as_ref().map(|f| {
            serde_json::json!({"status": f.status, "score": f.score, "year": f.year, "source": f.source})
        }),
        default_profile: c.default_profile,
        origins: c
            .origins
            .iter()
            .map(|o| match o {
                Origin::Declared { note, source } => format!("named by the report: {note} ({source})"),
                Origin::Supplier { share } => format!(
                    "major supplier in the ecosystem data: up to {:.0}% of an input in scope",
                    share * 100.0
                ),
            })
            .collect(),
        security_ally: c.ally.clone(),
        memberships: c.memberships.clone(),
        eu_leverage: c.eu_leverage.as_ref().map(|l| r6(l.0)),
        eu_leverage_basis: c.eu_leverage.as_ref().map(|l| match &l.1 {
            LeverageBasis::Ecosystem => "computed from the ecosystem (osa leverage)".to_string(),
            LeverageBasis::Judged(s) => format!("analyst estimate ({s})"),
        }),
        coercion_events: c.profile.coercion.len(),
        legal_exposure: c
            .profile
            .legal_exposure
            .iter()
            .map(|l| EvidenceView {
                text: l.text.clone(),
                source: l.source.to_string(),
            })
            .collect(),
        dimensions: Dimension::ALL
            .iter()
            .zip(&c.risks)
            .map(|(dim, r)| {
                (
                    dim.id(),
                    RiskView {
                        stance: c.profile.stance(*dim).as_str(),
                        likelihood: r6(r.likelihood.value),
                        factors: r
                            .likelihood
                            .factors
                            .iter()
                            .map(|f| FactorView {
                                name: f.name.clone(),
                                value: f.value.clone(),
                                effect: f.effect.clone(),
                            })
                            .collect(),
                        severity: r6(r.severity),
                        risk: r6(r.risk),
                        tolerance: r6(r.tolerance),
                        beyond_tolerance: r.beyond_tolerance(),
                    },
                )
            })
            .collect(),
    }
}

/// One ranked instrument, with its tier and the rationale naming its triggers and conflicts.
fn instrument_view(r: &Ranked, toolkit: &Toolkit) -> InstrumentView {
    let name = toolkit
        .instrument(&r.id)
        .map_or(r.id.clone(), |i| i.name.clone());
    let triggers: Vec<TriggerView> = r
        .triggers
        .iter()
        .map(|tr| trigger_view(tr, toolkit))
        .collect();
    let conflicts: Vec<ConflictView> = r
        .conflicts
        .iter()
        .map(|c| ConflictView {
            dimension: c.dimension.id(),
            level: c.level.map(|l| l.value()),
            text: c.text.clone(),
            inference: c.inference,
            source: c.source.to_string(),
        })
        .collect();
    let rationale = instrument_rationale(&triggers, &conflicts);
    InstrumentView {
        id: r.id.clone(),
        name,
        tier: r.tier.as_str(),
        label: r.tier.label(),
        score: r6(r.score),
        rationale,
        triggers,
        conflicts,
    }
}

/// A rule that held, or a recommendation of the report.
fn trigger_view(tr: &Trigger, toolkit: &Toolkit) -> TriggerView {
    match tr {
        Trigger::Rule {
            id,
            weight,
            rationale,
            findings,
            source,
        } => TriggerView {
            kind: "rule",
            id: Some(id.clone()),
            weight: *weight,
            text: rationale.clone(),
            findings: findings.clone(),
            quote: None,
            source: source.to_string(),
        },
        Trigger::Report {
            text,
            quote,
            source,
        } => TriggerView {
            kind: "report",
            id: None,
            weight: toolkit.recommendation_weight,
            text: text.clone(),
            findings: Vec::new(),
            quote: quote.clone(),
            source: source.to_string(),
        },
    }
}

/// One paragraph: what the report recommends (quoted, with its lines), then the rules that held
/// with their findings, labelled as osa's inference, then the dimensions it strains.
fn instrument_rationale(triggers: &[TriggerView], conflicts: &[ConflictView]) -> String {
    let report: Vec<String> = triggers
        .iter()
        .filter(|t| t.kind == "report")
        .map(|t| match &t.quote {
            Some(q) => format!("\u{201c}{q}\u{201d} ({})", t.source),
            None => format!("{} ({})", t.text, t.source),
        })
        .collect();
    let rules: Vec<String> = triggers
        .iter()
        .filter(|t| t.kind == "rule")
        .map(|t| {
            format!(
                "rule {}: {} ({}; {})",
                t.id.as_deref().unwrap_or(""),
                t.text,
                t.findings.join("; "),
                t.source
            )
        })
        .collect();
    let mut parts = Vec::new();
    if !report.is_empty() {
        parts.push(format!(
            "The report recommends it for this technology: {}.",
            report.join("; ")
        ));
    }
    if !rules.is_empty() {
        parts.push(format!(
            "{}: {}",
            if report.is_empty() {
                "osa's inference, not a recommendation of the report"
            } else {
                "osa's rules also suggest it (osa's inference)"
            },
            rules.join(" ")
        ));
    }
    if !conflicts.is_empty() {
        parts.push(format!("Conflicts: {}.", strained(conflicts)));
    }
    parts.join(" ")
}

/// Step 1 findings, with input ids and names from the ecosystem.
fn ecosystem_view(f: &EcosystemFindings, ecosystem: Option<&Checked>) -> EcosystemView {
    let name = |i: usize| {
        ecosystem
            .and_then(|c| c.ecosystem().inputs.get(i))
            .map_or(("?".to_string(), "?".to_string()), |inp| {
                (inp.id.clone(), inp.name.clone())
            })
    };
    EcosystemView {
        id: f.ecosystem.clone(),
        scope: f.scope.iter().map(|&i| name(i).0).collect(),
        eu_chokepoints: f
            .eu_chokepoints
            .iter()
            .map(|&(i, s, y)| {
                let (id, n) = name(i);
                serde_json::json!({"id": id, "name": n, "share": r6(s), "year": y})
            })
            .collect(),
        major_suppliers: f
            .major_suppliers
            .iter()
            .zip(&f.major_supplier_inputs)
            .map(|((c, s), &i)| {
                serde_json::json!({"country": c.to_string(), "share": r6(*s), "input": name(i).0})
            })
            .collect(),
        major_supplier_min_share: osa_assess::indicators::MAJOR_SUPPLIER_SHARE,
        supplier_shares: Vec::new(),
    }
}

/// "strains national security; strains competitiveness (2 ways, 1 osa's inference)": each
/// strained dimension once, in the order of first mention, with the number of distinct strains on
/// it and how many of them are osa's inference.
fn strained(conflicts: &[ConflictView]) -> String {
    let mut dims: Vec<(&str, usize, usize)> = Vec::new();
    for c in conflicts {
        let inferred = usize::from(c.inference);
        match dims.iter_mut().find(|(d, _, _)| *d == c.dimension) {
            Some(e) => (e.1, e.2) = (e.1 + 1, e.2 + inferred),
            None => dims.push((c.dimension, 1, inferred)),
        }
    }
    dims.iter()
        .map(|(d, n, inferred)| match (n, inferred) {
            (1, 0) => format!("strains {}", words(d)),
            (1, _) => format!("strains {} (osa's inference)", words(d)),
            (_, 0) => format!("strains {} ({n} ways)", words(d)),
            _ => format!(
                "strains {} ({n} ways, {inferred} osa's inference)",
                words(d)
            ),
        })
        .collect::<Vec<_>>()
        .join("; ")
}
