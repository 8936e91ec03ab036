//! Views and text printers for steps 2-4: the matrix of technologies x dimensions (osa's reading of
//! the report's text, not its Figure 0.1, which is an image),
//! the four-step dossier of one technology, actors to watch, and the AI-application checklist.
//! JSON fields are documented in docs/json.md.

use crate::format::{self, Format, RenderError, cut, r6, words};
use osa_assess::checklist::Checklist;
use osa_assess::dossier::{CounterpartAssessment, DimensionResult, Dossier, LeverageBasis, Origin};
use osa_assess::indicators::EcosystemFindings;
use osa_assess::technology::Technology;
use osa_assess::tensions::Tension;
use osa_assess::toolkit::Ranked;
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

/// Where the matrix comes from and the report's own caveat on reading it, carried by every matrix
/// output (table, Markdown, CSV, HTML, and the JSON field `caveat`).
pub const MATRIX_CAVEAT: &str = "These levels are osa's readings of the report's text, chapter by chapter; they are not the report's Figure 0.1 (an image of which the text gives only the caption). The report's own caveat applies: risk is hard to compare across technologies, ranking within one technology is easier, the cross-technology summary 'needs to be taken with a pinch of salt', and there is no clearly defined ranking of concerns across technologies (seed L139-148).";

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
    /// Defensible levels where the level is contestable, or null.
    pub range: Option<RangeView>,
    /// Divergent signals within the cell (several notifications in one box); empty when one level
    /// says it all.
    pub signals: Vec<SignalView>,
}

/// Where a level is contestable.
#[derive(Debug, Clone, Serialize)]
pub struct RangeView {
    /// Lowest defensible level.
    pub low: u8,
    /// Highest defensible level.
    pub high: u8,
    /// Why.
    pub reason: String,
    /// Lines supporting the other reading.
    pub sources: Vec<String>,
}

/// One of several signals in a cell.
#[derive(Debug, Clone, Serialize)]
pub struct SignalView {
    /// `risk` or `benefit`.
    pub kind: &'static str,
    /// The level this signal alone gives.
    pub level: u8,
    /// What it is.
    pub text: String,
    /// Where the report says it.
    pub sources: Vec<String>,
}

impl MatrixCell {
    /// The cell in a few characters: `3`, `2 (1-2)` with a range, `0 [benefit 0, risk 2]` with
    /// signals, `–` where the report is silent.
    pub fn short(&self) -> String {
        let mut out = level_str(self.level);
        if let Some(r) = &self.range {
            out.push_str(&format!(" ({}-{})", r.low, r.high));
        }
        if !self.signals.is_empty() {
            let sig: Vec<String> = self
                .signals
                .iter()
                .map(|x| format!("{} {}", x.kind, x.level))
                .collect();
            out.push_str(&format!(" [{}]", sig.join(", ")));
        }
        out
    }

    /// Lines explaining the range and signals of a cell (empty when it has neither).
    pub fn notes(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(r) = &self.range {
            out.push(format!(
                "range {}-{}: {} [{}]",
                r.low,
                r.high,
                r.reason,
                r.sources.join(", ")
            ));
        }
        for x in &self.signals {
            out.push(format!(
                "{} (level {}): {} [{}]",
                x.kind,
                x.level,
                x.text,
                x.sources.join(", ")
            ));
        }
        out
    }
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
    /// What the matrix is (osa's readings) and the report's caveat on comparing across rows.
    pub caveat: &'static str,
}

fn cell(t: &Technology, d: Dimension) -> MatrixCell {
    judged_cell(t.judged(d))
}

/// A cell as judged (level, rationale, evidence, range, signals).
pub fn judged_cell(j: &osa_assess::technology::DimensionJudgment) -> MatrixCell {
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
        range: j.range.as_ref().map(|r| RangeView {
            low: r.low.value(),
            high: r.high.value(),
            reason: r.reason.clone(),
            sources: r.sources.iter().map(ToString::to_string).collect(),
        }),
        signals: j
            .signals
            .iter()
            .map(|x| SignalView {
                kind: x.kind.as_str(),
                level: x.level.value(),
                text: x.text.clone(),
                sources: x.sources.iter().map(ToString::to_string).collect(),
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
        caveat: MATRIX_CAVEAT,
    }
}

fn level_str(l: Option<u8>) -> String {
    l.map_or("–".to_string(), |v| v.to_string())
}

/// Prints the matrix.
pub fn render_matrix(m: &MatrixView, format: Format) -> Result<String, RenderError> {
    render_matrix_signed(m, format).map(|s| format::unsigned_zero(&s))
}

fn render_matrix_signed(m: &MatrixView, format: Format) -> Result<String, RenderError> {
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
            r.extend(Dimension::ALL.iter().map(|d| t.dimensions[d.id()].short()));
            r
        })
        .collect();
    match format {
        Format::Json => format::json(m),
        Format::Csv | Format::Xlsx | Format::Parquet => matrix_csv(m),
        Format::Html => Ok(crate::html::matrix_page(m)),
        Format::Table | Format::Md => {
            let md = format == Format::Md;
            let mut out = if md {
                format!("*{}*\n\n", m.caveat)
            } else {
                format!("{}\n\n", m.caveat)
            };
            out.push_str(&format::table(&header, &rows, md));
            out.push_str(&format!("\n{MATRIX_LEGEND}\n"));
            let notes = matrix_notes(m);
            if !notes.is_empty() {
                out.push_str("\nContested levels and divergent signals:\n");
                for n in notes {
                    out.push_str(&format!("{}{n}\n", if md { "- " } else { "  - " }));
                }
            }
            Ok(out)
        }
    }
}

/// The legend under every matrix.
pub const MATRIX_LEGEND: &str = "Levels: 0 none or negligible (or a net benefit), 1 low, 2 moderate or conditional, 3 high, 4 critical; – the report is silent; (a-b) the range a second reader could defend; [risk n, benefit n] divergent signals in one cell.";

/// "Technology / dimension: note" for every cell with a range or signals.
pub fn matrix_notes(m: &MatrixView) -> Vec<String> {
    let mut out = Vec::new();
    for t in &m.technologies {
        for d in Dimension::ALL {
            for n in t.dimensions[d.id()].notes() {
                out.push(format!("{} / {}: {n}", t.name, d.name()));
            }
        }
    }
    out
}

/// The matrix as CSV: per dimension its level, range (`low-high`) and signals (`risk 2; benefit
/// 0`); the caveat in a last column on every row.
fn matrix_csv(m: &MatrixView) -> Result<String, RenderError> {
    let mut header = vec!["id".to_string(), "name".into(), "kind".into()];
    for d in Dimension::ALL {
        header.extend([
            d.id().to_string(),
            format!("{}_range", d.id()),
            format!("{}_signals", d.id()),
        ]);
    }
    header.push("caveat".into());
    let rows: Vec<Vec<String>> = m
        .technologies
        .iter()
        .map(|t| {
            let mut r = vec![t.id.clone(), t.name.clone(), t.kind.to_string()];
            for d in Dimension::ALL {
                let c = &t.dimensions[d.id()];
                r.push(c.level.map(|v| v.to_string()).unwrap_or_default());
                r.push(
                    c.range
                        .as_ref()
                        .map(|x| format!("{}-{}", x.low, x.high))
                        .unwrap_or_default(),
                );
                r.push(
                    c.signals
                        .iter()
                        .map(|x| format!("{} {}", x.kind, x.level))
                        .collect::<Vec<_>>()
                        .join("; "),
                );
            }
            r.push(m.caveat.to_string());
            r
        })
        .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    format::csv(&header, &rows)
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
    /// A rough indication of its relevance to European foresight.
    pub relevance: RelevanceView,
    /// Whether it is in the PRC (an actor to watch); false: a context actor.
    pub prc: bool,
    /// Technology id (in lists across technologies).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub technology: Option<String>,
}

/// An actor's relevance.
#[derive(Debug, Clone, Serialize)]
pub struct RelevanceView {
    /// `high`, `medium`, `low`, or `context` (outside the PRC).
    pub level: &'static str,
    /// Why, from the chapter's text.
    pub why: String,
    /// The lines.
    pub source: String,
}

/// Which actors `osa actors` lists.
#[derive(Debug, Clone, Default)]
pub struct ActorFilter<'a> {
    /// Technology id or name.
    pub technology: Option<&'a str>,
    /// ISO3, EU27 or INT.
    pub country: Option<&'a str>,
    /// Actor kind.
    pub kind: Option<&'a str>,
    /// Relevance level (`high`, `medium`, `low`, `context`).
    pub relevance: Option<&'a str>,
    /// Only actors in the PRC (true) or only context actors (false).
    pub prc: Option<bool>,
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
/// Step 2 for one dimension: the judged cell and the computed level.
fn dimension_view(r: &DimensionResult) -> (&'static str, DimensionView) {
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

/// One ranked instrument, with the rationale naming its triggers and conflicts.
fn instrument_view(r: &Ranked, toolkit: &Toolkit) -> InstrumentView {
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
    let rationale = instrument_rationale(&triggers, &conflicts);
    InstrumentView {
        id: r.id.clone(),
        name,
        score: r6(r.score),
        rationale,
        triggers,
        conflicts,
    }
}

/// One paragraph: the rules that held with their findings, how often the report recommends the
/// instrument, and the dimensions it strains.
fn instrument_rationale(triggers: &[TriggerView], conflicts: &[ConflictView]) -> String {
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
        rationale.push_str(&format!(" Conflicts: {}.", strained(conflicts)));
    }
    rationale
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

/// "strains national_security; strains competitiveness (2 ways)": each strained dimension once, in
/// the order of first mention, with the number of distinct strains on it.
fn strained(conflicts: &[ConflictView]) -> String {
    let mut dims: Vec<(&str, usize)> = Vec::new();
    for c in conflicts {
        match dims.iter_mut().find(|(d, _)| *d == c.dimension) {
            Some(e) => e.1 += 1,
            None => dims.push((c.dimension, 1)),
        }
    }
    dims.iter()
        .map(|(d, n)| match n {
            1 => format!("strains {}", words(d)),
            _ => format!("strains {} ({n} ways)", words(d)),
        })
        .collect::<Vec<_>>()
        .join("; ")
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
            relevance: RelevanceView {
                level: a.relevance.level.as_str(),
                why: a.relevance.why.clone(),
                source: a.relevance.source.to_string(),
            },
            prc: a.prc(),
            technology: tag.then(|| t.id.clone()),
        })
        .collect()
}

/// Prints a dossier as readable text (table) or Markdown.
pub fn render_dossier(v: &DossierView, format: Format) -> Result<String, RenderError> {
    render_dossier_signed(v, format).map(|s| format::unsigned_zero(&s))
}

fn render_dossier_signed(v: &DossierView, format: Format) -> Result<String, RenderError> {
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

fn dossier_text(v: &DossierView, md: bool) -> String {
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

    text_step1(v, md, &mut out);
    text_step2(v, md, &mut out);
    text_step3(v, md, &mut out);
    text_step4(v, md, &mut out);
    out
}

/// A section heading: Markdown `#`s, or an underlined upper-case title.
fn heading(level: usize, s: &str, md: bool) -> String {
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

/// Step 1 of the dossier text: scope, EU chokepoints, major suppliers.
fn text_step1(v: &DossierView, md: bool, out: &mut String) {
    let h = |level: usize, s: &str| heading(level, s, md);
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
                    "{} {:.0}% ({})",
                    c["country"].as_str().unwrap_or(""),
                    c["share"].as_f64().unwrap_or(0.0) * 100.0,
                    c["input"].as_str().unwrap_or("")
                )
            })
            .collect();
        out.push_str(&format!(
            "major non-EU suppliers ({:.0}% or more of an input in scope): {}\n",
            e.major_supplier_min_share * 100.0,
            if sup.is_empty() {
                "none".to_string()
            } else {
                sup.join(", ")
            }
        ));
    }
}

/// Step 2 of the dossier text: judged and computed levels, ranges, signals, evidence, tensions.
fn text_step2(v: &DossierView, md: bool, out: &mut String) {
    let h = |level: usize, s: &str| heading(level, s, md);
    out.push_str(&h(2, "Step 2 - Four dimensions"));
    let rows: Vec<Vec<String>> = Dimension::ALL
        .iter()
        .map(|d| {
            let x = &v.dimensions[d.id()];
            vec![
                d.name().to_string(),
                x.judged.short(),
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
        for n in x.judged.notes() {
            out.push_str(&format!("  * {n}\n"));
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
}

/// Step 3 of the dossier text: stance, likelihood and risk per counterpart and dimension.
fn text_step3(v: &DossierView, md: bool, out: &mut String) {
    let h = |level: usize, s: &str| heading(level, s, md);
    out.push_str(&h(2, "Step 3 - Geopolitical context"));
    if v.geopolitics.counterparts.is_empty() {
        out.push_str(NO_COUNTERPARTS);
        out.push('\n');
        return;
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
}

/// Step 4 of the dossier text: the priority, ranked instruments, actors to watch.
fn text_step4(v: &DossierView, md: bool, out: &mut String) {
    let h = |level: usize, s: &str| heading(level, s, md);
    out.push_str(&h(2, "Step 4 - Toolkit"));
    out.push_str(&format!(
        "Priority: {}\n({})\n\n",
        v.priority.text, v.priority.rule
    ));
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
                    format!("{} [{}]", a.relevance.level, a.relevance.source),
                    cut(&a.role, 70),
                    a.source.clone(),
                ]
            })
            .collect();
        out.push_str(&format::table(
            &["actor", "kind", "country", "relevance", "role", "source"],
            &rows,
            md,
        ));
        out.push_str(ACTORS_NOTE);
    }
}

/// All actors of the baseline that pass the filter.
pub fn all_actors(b: &Baseline, f: &ActorFilter) -> Vec<ActorView> {
    b.technologies
        .iter()
        .filter(|t| f.technology.is_none_or(|q| t.matches(q)))
        .flat_map(|t| actors_of(t, true))
        .filter(|a| f.country.is_none_or(|c| a.country == c))
        .filter(|a| f.kind.is_none_or(|k| a.kind == k))
        .filter(|a| f.relevance.is_none_or(|r| a.relevance.level == r))
        .filter(|a| f.prc.is_none_or(|p| a.prc == p))
        .collect()
}

/// Under every actors table: what the levels mean.
pub const ACTORS_NOTE: &str = "\nActors to watch are actors in the PRC (seed L221-225); relevance is a rough indication from each chapter's text, with its lines (seed L225-230): high = the chapter singles it out (it decides, leads or drives), medium = a substantive role, low = mentioned in passing; context = outside the PRC, named as context, not an actor to watch.\n";

/// Prints actors.
pub fn render_actors(actors: &[ActorView], format: Format) -> Result<String, RenderError> {
    render_actors_signed(actors, format).map(|s| format::unsigned_zero(&s))
}

fn render_actors_signed(actors: &[ActorView], format: Format) -> Result<String, RenderError> {
    let rows: Vec<Vec<String>> = actors
        .iter()
        .map(|a| {
            vec![
                a.technology.clone().unwrap_or_default(),
                a.name.clone(),
                words(a.kind),
                a.country.clone(),
                a.relevance.level.to_string(),
                a.role.clone(),
                a.source.clone(),
                a.relevance.why.clone(),
                a.relevance.source.clone(),
            ]
        })
        .collect();
    let header = [
        "technology",
        "name",
        "kind",
        "country",
        "relevance",
        "role",
        "source",
        "relevance_why",
        "relevance_source",
    ];
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
                        format!("{} [{}]", r[4], r[8]),
                        cut(&r[5], 60),
                        r[6].clone(),
                    ]
                })
                .collect();
            let mut out = format::table(&header[..7], &short, format == Format::Md);
            out.push_str(ACTORS_NOTE);
            Ok(out)
        }
    }
}

/// Prints the checklist: criteria, and the reference applications' ratings.
pub fn render_checklist(c: &Checklist, format: Format) -> Result<String, RenderError> {
    render_checklist_signed(c, format).map(|s| format::unsigned_zero(&s))
}

fn render_checklist_signed(c: &Checklist, format: Format) -> Result<String, RenderError> {
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
