//! Views and text printers for steps 2-4: the cross-technology matrix (the report's Figure 0.1),
//! the four-step dossier of one technology, actors to watch, and the AI-application checklist.
//! JSON fields are documented in docs/json.md.

use crate::format::{self, Format, RenderError, cut, r6, words};
use osa_assess::checklist::Checklist;
use osa_assess::dossier::{Dossier, LeverageBasis, Origin};
use osa_assess::technology::Technology;
use osa_assess::tensions::Tension;
use osa_assess::toolkit::{Toolkit, Trigger};
use osa_assess::{Baseline, Dimension};
use osa_model::Checked;
use serde::Serialize;
use std::collections::BTreeMap;

/// The likelihood model in one line, shown with every geopolitical figure.
pub const LIKELIHOOD_MODEL: &str = "likelihood = clamp(base by the EU's stance + regime + governance + coercion history + legal exposure) x alliance factor (security ally) x (1 - maximum deterrence x EU share of mutual leverage); risk = level/4 x likelihood, beyond tolerance when above the tolerance for the stance and dimension (parameters: the baseline's likelihood settings; osa baseline export writes them for editing)";

/// What a dossier says where osa has no ecosystem data for the technology.
pub const NO_ECOSYSTEM: &str = "osa has no ecosystem data for this technology yet, so step 1 (who supplies each input, chokepoints, mutual dependence) and the computed levels are missing. To add it, name an ecosystem and the inputs the technology rests on in its case file (ecosystem = \"semiconductors\", scope = [\"N20\"]), or pass --ecosystem and --scope to osa assess; osa ecosystem import turns an ETO release into an ecosystem file.";

/// What a dossier says where the case names no counterpart country.
pub const NO_COUNTERPARTS: &str = "No counterpart country is recorded for this technology, so osa cannot say how likely a weaponization of the dependency is. Add the countries the EU depends on to the case file ([[counterparts]] with country, note and source).";

/// "11 technologies (7 case studies, 4 examples)" from the technologies' kinds.
pub fn count_phrase<'a>(kinds: impl Iterator<Item = &'a str>) -> String {
    let (mut cases, mut examples) = (0, 0);
    for k in kinds {
        if k == "example" {
            examples += 1;
        } else {
            cases += 1;
        }
    }
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{} ({} and {})",
        plural(cases + examples, "technology", "technologies"),
        plural(cases, "case study", "case studies"),
        plural(examples, "example", "examples")
    )
}

/// An evidence item.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceView {
    /// What the source says.
    pub text: String,
    /// Where (e.g. `seed L1649-1655`).
    pub source: String,
}

/// A dimension in the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixCell {
    /// Level 0-4, or null where the report is silent.
    pub level: Option<u8>,
    /// The scale's words for the level.
    pub label: Option<&'static str>,
    /// Whether the report is silent.
    pub silent: bool,
    /// Why.
    pub rationale: String,
    /// Evidence.
    pub evidence: Vec<EvidenceView>,
}

/// A technology row of the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// `case` or `example`.
    pub kind: &'static str,
    /// Chapter lines.
    pub seed_lines: String,
    /// Dimension id to cell.
    pub dimensions: BTreeMap<&'static str, MatrixCell>,
}

/// The matrix (`osa matrix --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct MatrixView {
    /// Rows.
    pub technologies: Vec<MatrixRow>,
    /// The level scale.
    pub scale: BTreeMap<u8, &'static str>,
}

fn cell(t: &Technology, d: Dimension) -> MatrixCell {
    judged_cell(t.judged(d))
}

fn judged_cell(j: &osa_assess::technology::DimensionJudgment) -> MatrixCell {
    MatrixCell {
        level: j.level.map(|l| l.value()),
        label: j.level.map(|l| l.label()),
        silent: j.is_silent(),
        rationale: j.rationale.clone(),
        evidence: j
            .evidence
            .iter()
            .map(|e| EvidenceView {
                text: e.text.clone(),
                source: e.source.to_string(),
            })
            .collect(),
    }
}

/// Builds the matrix of the given technologies.
pub fn matrix(techs: &[&Technology]) -> MatrixView {
    MatrixView {
        technologies: techs
            .iter()
            .map(|t| MatrixRow {
                id: t.id.clone(),
                name: t.name.clone(),
                kind: t.kind.as_str(),
                seed_lines: t.seed_lines.clone(),
                dimensions: Dimension::ALL
                    .iter()
                    .map(|&d| (d.id(), cell(t, d)))
                    .collect(),
            })
            .collect(),
        scale: (0..=4u8)
            .filter_map(|v| osa_assess::Level::new(i64::from(v)).map(|l| (v, l.label())))
            .collect(),
    }
}

fn level_str(l: Option<u8>) -> String {
    l.map_or("–".to_string(), |v| v.to_string())
}

/// Prints the matrix.
pub fn render_matrix(m: &MatrixView, format: Format) -> Result<String, RenderError> {
    let header = [
        "technology",
        "kind",
        "supply resilience",
        "national security",
        "values & sust.",
        "competitiveness",
    ];
    let rows: Vec<Vec<String>> = m
        .technologies
        .iter()
        .map(|t| {
            let mut r = vec![t.name.clone(), t.kind.to_string()];
            r.extend(
                Dimension::ALL
                    .iter()
                    .map(|d| level_str(t.dimensions[d.id()].level)),
            );
            r
        })
        .collect();
    match format {
        Format::Json => format::json(m),
        Format::Csv | Format::Xlsx | Format::Parquet => {
            let rows: Vec<Vec<String>> = m
                .technologies
                .iter()
                .map(|t| {
                    let mut r = vec![t.id.clone(), t.name.clone(), t.kind.to_string()];
                    r.extend(Dimension::ALL.iter().map(|d| {
                        t.dimensions[d.id()]
                            .level
                            .map(|v| v.to_string())
                            .unwrap_or_default()
                    }));
                    r
                })
                .collect();
            format::csv(
                &[
                    "id",
                    "name",
                    "kind",
                    "supply_resilience",
                    "national_security",
                    "values_sustainability",
                    "competitiveness",
                ],
                &rows,
            )
        }
        Format::Html => Ok(crate::html::matrix_page(m)),
        Format::Table | Format::Md => {
            let mut out = format::table(&header, &rows, format == Format::Md);
            out.push_str(
                "\nLevels: 0 none or negligible (or a net benefit), 1 low, 2 moderate or conditional, 3 high, 4 critical; – the report is silent.\n",
            );
            Ok(out)
        }
    }
}

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
    /// `agree`, `disagree` (two or more apart), `judged_only`, `computed_only` or `neither`.
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
    /// Score.
    pub score: f64,
    /// One-paragraph rationale naming the findings that triggered it and the conflicts it creates.
    pub rationale: String,
    /// Triggers.
    pub triggers: Vec<TriggerView>,
    /// Conflicts.
    pub conflicts: Vec<ConflictView>,
}

/// An actor.
#[derive(Debug, Clone, Serialize)]
pub struct ActorView {
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: &'static str,
    /// ISO3, EU27 or INT.
    pub country: String,
    /// Role.
    pub role: String,
    /// Source.
    pub source: String,
    /// Technology id (in lists across technologies).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub technology: Option<String>,
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
    /// Source.
    pub source: String,
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
    /// Countries holding at least a quarter of an input in scope.
    pub major_suppliers: Vec<serde_json::Value>,
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
    /// Step 4, ranked.
    pub instruments: Vec<InstrumentView>,
    /// Actors to watch.
    pub actors: Vec<ActorView>,
    /// The report's recommendations.
    pub recommendations: Vec<RecommendationView>,
}

fn tension_view(t: &Tension) -> TensionView {
    TensionView {
        kind: t.kind.as_str(),
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
    let dimensions = d
        .dimensions
        .iter()
        .map(|r| {
            (
                r.dimension.id(),
                DimensionView {
                    judged: judged_cell(&r.judged),
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
        })
        .collect();
    let counterparts = d
        .counterparts
        .iter()
        .map(|c| CounterpartView {
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
        })
        .collect();
    let instruments = d
        .instruments
        .iter()
        .map(|r| {
            let name = toolkit
                .instrument(&r.id)
                .map_or(r.id.clone(), |i| i.name.clone());
            let triggers: Vec<TriggerView> = r
                .triggers
                .iter()
                .map(|tr| match tr {
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
                        source: source.to_string(),
                    },
                    Trigger::Report { text, source } => TriggerView {
                        kind: "report",
                        id: None,
                        weight: toolkit.recommendation_weight,
                        text: text.clone(),
                        findings: Vec::new(),
                        source: source.to_string(),
                    },
                })
                .collect();
            let conflicts: Vec<ConflictView> = r
                .conflicts
                .iter()
                .map(|c| ConflictView {
                    dimension: c.dimension.id(),
                    level: c.level.map(|l| l.value()),
                    text: c.text.clone(),
                    source: c.source.to_string(),
                })
                .collect();
            let mut rationale = String::new();
            let findings: Vec<String> = triggers
                .iter()
                .filter(|t| t.kind == "rule")
                .map(|t| format!("{} ({}; {})", t.text, t.findings.join("; "), t.source))
                .collect();
            if !findings.is_empty() {
                rationale.push_str(&findings.join(" "));
            }
            let n_report = triggers.iter().filter(|t| t.kind == "report").count();
            if n_report > 0 {
                if !rationale.is_empty() {
                    rationale.push(' ');
                }
                rationale.push_str(&format!(
                    "The report recommends it for this technology {n_report} time{} ({}).",
                    if n_report == 1 { "" } else { "s" },
                    triggers
                        .iter()
                        .filter(|t| t.kind == "report")
                        .map(|t| t.source.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            if !conflicts.is_empty() {
                rationale.push_str(&format!(
                    " Conflicts: strains {}.",
                    conflicts
                        .iter()
                        .map(|c| words(c.dimension))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            InstrumentView {
                id: r.id.clone(),
                name,
                score: r6(r.score),
                rationale,
                triggers,
                conflicts,
            }
        })
        .collect();
    let eco_view = d.ecosystem.as_ref().map(|f| {
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
                .map(|(c, s)| serde_json::json!({"country": c.to_string(), "share": r6(*s)}))
                .collect(),
            supplier_shares: Vec::new(),
        }
    });
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
        recommendations: t
            .recommendations
            .iter()
            .map(|r| RecommendationView {
                text: r.text.clone(),
                instruments: r.instruments.clone(),
                dimensions: r.dimensions.iter().map(|d| d.id()).collect(),
                stated: r.stated,
                source: r.source.to_string(),
            })
            .collect(),
    }
}

/// The actors of a technology.
pub fn actors_of(t: &Technology, tag: bool) -> Vec<ActorView> {
    t.actors
        .iter()
        .map(|a| ActorView {
            name: a.name.clone(),
            kind: a.kind.as_str(),
            country: a.home.code(),
            role: a.role.clone(),
            source: a.source.to_string(),
            technology: tag.then(|| t.id.clone()),
        })
        .collect()
}

/// Prints a dossier as readable text (table) or Markdown.
pub fn render_dossier(v: &DossierView, format: Format) -> Result<String, RenderError> {
    match format {
        Format::Json => format::json(v),
        Format::Html => Ok(crate::html::dossier_page(v)),
        Format::Csv | Format::Xlsx | Format::Parquet => {
            let rows: Vec<Vec<String>> = v
                .instruments
                .iter()
                .enumerate()
                .map(|(k, i)| {
                    vec![
                        (k + 1).to_string(),
                        i.id.clone(),
                        i.name.clone(),
                        i.score.to_string(),
                        i.rationale.clone(),
                    ]
                })
                .collect();
            format::csv(&["rank", "id", "name", "score", "rationale"], &rows)
        }
        Format::Table | Format::Md => Ok(dossier_text(v, format == Format::Md)),
    }
}

/// A section heading: Markdown `##`, or the title in capitals underlined.
fn heading(md: bool, level: usize, s: &str) -> String {
    if md {
        format!("\n{} {s}\n\n", "#".repeat(level))
    } else {
        format!(
            "\n{}\n{}\n",
            s.to_uppercase(),
            "=".repeat(s.chars().count())
        )
    }
}

fn dossier_text(v: &DossierView, md: bool) -> String {
    let h = |level: usize, s: &str| heading(md, level, s);
    let mut out = String::new();
    out.push_str(&if md || v.seed_lines.is_empty() {
        format!("{}{} ({})\n\n", if md { "# " } else { "" }, v.name, v.kind)
    } else {
        format!(
            "{} ({}, the report's lines {})\n",
            v.name,
            v.kind,
            v.seed_lines.trim_start_matches('L')
        )
    });
    out.push_str(&format!("{}\n", v.summary));
    out.push_str(&format!(
        "Judged by {} on {}: {}\n",
        v.judgment["author"].as_str().unwrap_or(""),
        v.judgment["date"].as_str().unwrap_or(""),
        v.judgment["method"].as_str().unwrap_or("")
    ));

    if v.ecosystem.is_none() {
        out.push_str(&h(2, "Step 1 - Ecosystem"));
        out.push_str(NO_ECOSYSTEM);
        out.push('\n');
    }
    if let Some(e) = &v.ecosystem {
        out.push_str(&h(2, "Step 1 - Ecosystem"));
        out.push_str(&format!(
            "ecosystem `{}`, scope: {}\n",
            e.id,
            e.scope.join(", ")
        ));
        let choke: Vec<String> = e
            .eu_chokepoints
            .iter()
            .map(|c| {
                format!(
                    "{} {:.0}%",
                    c["id"].as_str().unwrap_or(""),
                    c["share"].as_f64().unwrap_or(0.0) * 100.0
                )
            })
            .collect();
        out.push_str(&format!(
            "EU holds half or more of: {}\n",
            if choke.is_empty() {
                "nothing in scope".to_string()
            } else {
                choke.join(", ")
            }
        ));
        let sup: Vec<String> = e
            .major_suppliers
            .iter()
            .map(|c| {
                format!(
                    "{} {:.0}%",
                    c["country"].as_str().unwrap_or(""),
                    c["share"].as_f64().unwrap_or(0.0) * 100.0
                )
            })
            .collect();
        out.push_str(&format!("major non-EU suppliers: {}\n", sup.join(", ")));
    }

    out.push_str(&h(2, "Step 2 - Four dimensions"));
    let rows: Vec<Vec<String>> = Dimension::ALL
        .iter()
        .map(|d| {
            let x = &v.dimensions[d.id()];
            vec![
                d.name().to_string(),
                level_str(x.judged.level),
                x.computed
                    .as_ref()
                    .map_or("–".to_string(), |c| c.level.to_string()),
                words(x.agreement),
                cut(&x.judged.rationale, 90),
            ]
        })
        .collect();
    out.push_str(&format::table(
        &["dimension", "judged", "computed", "agreement", "rationale"],
        &rows,
        md,
    ));
    for d in Dimension::ALL {
        let x = &v.dimensions[d.id()];
        out.push_str(&format!("\n{} evidence:\n", d.name()));
        if x.judged.evidence.is_empty() && x.computed.is_none() {
            out.push_str("  none recorded\n");
        }
        for e in &x.judged.evidence {
            out.push_str(&format!("  - {} [{}]\n", e.text, e.source));
        }
        if let Some(c) = &x.computed {
            out.push_str(&format!("  computed level {} ({}):\n", c.level, c.formula));
            for i in &c.indicators {
                out.push_str(&format!("    {} = {:.3}: {}\n", i.name, i.value, i.detail));
            }
        }
    }
    if !v.tensions.is_empty() {
        out.push_str(&h(3, "Tensions"));
        for t in &v.tensions {
            out.push_str(&format!(
                "  - [{}] {}: {}{}\n",
                words(t.kind),
                t.dimensions
                    .iter()
                    .map(|d| words(d))
                    .collect::<Vec<_>>()
                    .join(" vs "),
                t.text,
                t.source
                    .as_ref()
                    .map_or(String::new(), |s| format!(" [{s}]"))
            ));
        }
    }

    out.push_str(&h(2, "Step 3 - Geopolitical context"));
    if v.geopolitics.counterparts.is_empty() {
        out.push_str(NO_COUNTERPARTS);
        out.push('\n');
    }
    let rows: Vec<Vec<String>> = v
        .geopolitics
        .counterparts
        .iter()
        .flat_map(|c| {
            Dimension::ALL.iter().map(move |d| {
                let r = &c.dimensions[d.id()];
                vec![
                    c.country.clone(),
                    words(d.id()),
                    words(r.stance),
                    format!("{:.2}", r.likelihood),
                    format!("{:.2}", r.risk),
                    format!("{:.2}", r.tolerance),
                    if r.beyond_tolerance {
                        "BEYOND".into()
                    } else {
                        "within".into()
                    },
                ]
            })
        })
        .collect();
    if rows.is_empty() {
        return out + &dossier_toolkit_text(v, md);
    }
    out.push_str(&format::table(
        &[
            "country",
            "dimension",
            "stance",
            "likelihood",
            "risk",
            "tolerance",
            "verdict",
        ],
        &rows,
        md,
    ));
    for c in &v.geopolitics.counterparts {
        out.push_str(&format!(
            "{} ({}): {}, regime {}, member of {}, ally {}, EU share of mutual leverage {}{}\n",
            c.country,
            c.name,
            words(c.relationship),
            words(c.regime.unwrap_or("unknown")),
            if c.memberships.is_empty() {
                "no listed bloc".to_string()
            } else {
                c.memberships.join(", ")
            },
            c.security_ally.as_deref().unwrap_or("no"),
            c.eu_leverage
                .map_or("unknown".to_string(), |l| format!("{:.0}%", l * 100.0)),
            if c.default_profile {
                " [no osa profile: default partner]"
            } else {
                ""
            }
        ));
    }
    out.push_str(&format!("model: {}\n", v.geopolitics.model));
    out + &dossier_toolkit_text(v, md)
}

/// Steps 4 and the actors of a dossier as text.
fn dossier_toolkit_text(v: &DossierView, md: bool) -> String {
    let h = |level: usize, s: &str| heading(md, level, s);
    let mut out = String::new();

    out.push_str(&h(2, "Step 4 - Toolkit"));
    for (k, i) in v.instruments.iter().enumerate() {
        out.push_str(&format!(
            "{}. {} (score {:.1})\n   {}\n",
            k + 1,
            i.name,
            i.score,
            i.rationale
        ));
    }
    if !v.actors.is_empty() {
        out.push_str(&h(2, "Actors to watch"));
        let rows: Vec<Vec<String>> = v
            .actors
            .iter()
            .map(|a| {
                vec![
                    cut(&a.name, 50),
                    words(a.kind),
                    a.country.clone(),
                    cut(&a.role, 70),
                    a.source.clone(),
                ]
            })
            .collect();
        out.push_str(&format::table(
            &["actor", "kind", "country", "role", "source"],
            &rows,
            md,
        ));
    }
    out
}

/// All actors of the baseline, optionally filtered.
pub fn all_actors(
    b: &Baseline,
    technology: Option<&str>,
    country: Option<&str>,
    kind: Option<&str>,
) -> Vec<ActorView> {
    b.technologies
        .iter()
        .filter(|t| technology.is_none_or(|q| t.matches(q)))
        .flat_map(|t| actors_of(t, true))
        .filter(|a| country.is_none_or(|c| a.country == c))
        .filter(|a| kind.is_none_or(|k| a.kind == k))
        .collect()
}

/// Prints actors.
pub fn render_actors(actors: &[ActorView], format: Format) -> Result<String, RenderError> {
    let rows: Vec<Vec<String>> = actors
        .iter()
        .map(|a| {
            vec![
                a.technology.clone().unwrap_or_default(),
                a.name.clone(),
                a.kind.to_string(),
                a.country.clone(),
                a.role.clone(),
                a.source.clone(),
            ]
        })
        .collect();
    let header = ["technology", "name", "kind", "country", "role", "source"];
    match format {
        Format::Json => format::json(actors),
        Format::Csv | Format::Xlsx | Format::Parquet => format::csv(&header, &rows),
        _ => {
            let short: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r[0].clone(),
                        cut(&r[1], 50),
                        words(&r[2]),
                        r[3].clone(),
                        cut(&r[4], 60),
                        r[5].clone(),
                    ]
                })
                .collect();
            Ok(format::table(&header, &short, format == Format::Md))
        }
    }
}

/// Prints the checklist: criteria, and the reference applications' ratings.
pub fn render_checklist(c: &Checklist, format: Format) -> Result<String, RenderError> {
    match format {
        Format::Json => {
            let v = serde_json::json!({
                "title": c.title,
                "source": c.source.to_string(),
                "note": c.note,
                "criteria": c.criteria.iter().map(|x| serde_json::json!({
                    "id": x.id, "level": x.level.as_str(), "number": x.number, "title": x.title,
                    "question": x.question, "guidance": x.guidance, "source": x.source.to_string()
                })).collect::<Vec<_>>(),
                "applications": c.applications.iter().map(|a| serde_json::json!({
                    "id": a.id, "name": a.name, "firm": a.firm, "country": a.country.to_string(),
                    "source": a.source.to_string(),
                    "judgment": {"author": a.judgment.author, "date": a.judgment.date, "method": a.judgment.method},
                    "tally": {"concern": a.tally()[0], "partial": a.tally()[1], "no_concern": a.tally()[2], "unknown": a.tally()[3]},
                    "assessments": a.assessments.iter().map(|x| serde_json::json!({
                        "criterion": x.criterion, "rating": x.rating.as_str(), "text": x.text, "source": x.source.to_string()
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            });
            format::json(&v)
        }
        _ => {
            let mut header = vec!["#", "level", "criterion"];
            header.extend(c.applications.iter().map(|a| a.name.as_str()));
            let rows: Vec<Vec<String>> = c
                .criteria
                .iter()
                .map(|x| {
                    let mut r = vec![
                        x.number.to_string(),
                        x.level.as_str().to_string(),
                        cut(&x.title, 60),
                    ];
                    r.extend(c.applications.iter().map(|a| {
                        a.rating(&x.id)
                            .map_or("–".to_string(), |r| r.rating.as_str().to_string())
                    }));
                    r
                })
                .collect();
            match format {
                Format::Csv | Format::Xlsx | Format::Parquet => format::csv(&header, &rows),
                _ => {
                    let mut out = format!("{}\n({})\n", c.title, c.source);
                    out.push_str(&format::table(&header, &rows, format == Format::Md));
                    out.push_str(&format!("{}\n", c.note));
                    Ok(out)
                }
            }
        }
    }
}
