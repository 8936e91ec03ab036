//! Loading the assessment baseline (`data/baseline/`, formats in docs/formats.md §2): the report's
//! technologies, country profiles and blocs, the likelihood parameters, the toolkit (instruments and
//! rules) and the AI-application checklist. The embedded copy is compiled in; `load_dir` reads an
//! analyst's edited copy at run time, and `load_toolkit` just a toolkit file.
//!
//! Every problem names the file, line, record and field; all problems are collected before failing.

use crate::error::{Diagnostic, Error, Result};
use crate::lines::LineIndex;
use crate::text::{from_toml as parse_toml, read_text as read};
use osa_assess::checklist::{
    Application, Assessment, Checklist, Criterion, CriterionLevel, Rating,
};
use osa_assess::geopolitics::{
    CoercionEvent, CountryProfile, Geopolitics, LegalExposure, LikelihoodParams, Regime,
    Relationship,
};
use osa_assess::priority::ReportRanking;
use osa_assess::technology::{
    Actor, ActorHome, ActorKind, Counterpart, DimensionJudgment, Evidence, Judgment, LevelRange,
    Recommendation, Relevance, RelevanceLevel, Signal, SignalKind, StatedTension, Technology,
    TechnologyKind,
};
use osa_assess::toolkit::{Condition, Instrument, Rule, Strain, Toolkit};
use osa_assess::{Baseline, Dimension, Level, Source};
use osa_model::{Blocs, CountryCode, Date};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use toml::Spanned;

type S<T> = Spanned<T>;

/// The embedded technology files, in the report's order.
pub const CASES: &[(&str, &str)] = &[
    (
        "front-end-fabrication.toml",
        include_str!("../../../data/baseline/cases/front-end-fabrication.toml"),
    ),
    (
        "5g-standardization.toml",
        include_str!("../../../data/baseline/cases/5g-standardization.toml"),
    ),
    (
        "facial-recognition.toml",
        include_str!("../../../data/baseline/cases/facial-recognition.toml"),
    ),
    (
        "chip-design.toml",
        include_str!("../../../data/baseline/cases/chip-design.toml"),
    ),
    (
        "6g.toml",
        include_str!("../../../data/baseline/cases/6g.toml"),
    ),
    (
        "blockchain.toml",
        include_str!("../../../data/baseline/cases/blockchain.toml"),
    ),
    (
        "e-cny.toml",
        include_str!("../../../data/baseline/cases/e-cny.toml"),
    ),
    (
        "v2x.toml",
        include_str!("../../../data/baseline/cases/v2x.toml"),
    ),
    (
        "urban-ai.toml",
        include_str!("../../../data/baseline/cases/urban-ai.toml"),
    ),
    (
        "ai-ethics.toml",
        include_str!("../../../data/baseline/cases/ai-ethics.toml"),
    ),
];
/// The embedded country profiles.
pub const COUNTRIES: &str = include_str!("../../../data/baseline/countries.toml");
/// The embedded likelihood parameters.
pub const LIKELIHOOD: &str = include_str!("../../../data/baseline/likelihood.toml");
/// The embedded toolkit (instruments and rules).
pub const TOOLKIT: &str = include_str!("../../../data/baseline/toolkit.toml");
/// The embedded AI-application checklist.
pub const CHECKLIST: &str = include_str!("../../../data/baseline/checklist.toml");

/// Collects diagnostics for one file.
struct Diags<'a> {
    file: &'a str,
    lines: LineIndex,
    out: Vec<Diagnostic>,
}

impl<'a> Diags<'a> {
    fn new(file: &'a str, text: &str) -> Diags<'a> {
        Diags {
            file,
            lines: LineIndex::new(text),
            out: Vec::new(),
        }
    }
    fn push(&mut self, at: Option<usize>, record: &str, field: &str, message: String) {
        self.out.push(Diagnostic {
            file: self.file.to_string(),
            line: at.map(|o| self.lines.line(o)),
            record: record.to_string(),
            field: field.to_string(),
            message,
        });
    }
    fn source(&mut self, s: &S<String>, record: &str, field: &str) -> Source {
        match Source::parse(s.get_ref()) {
            Ok(src) => src,
            Err(m) => {
                self.push(Some(s.span().start), record, field, m);
                Source::Judgment("invalid source".into())
            }
        }
    }
    fn dimension(&mut self, s: &S<String>, record: &str, field: &str) -> Option<Dimension> {
        match s.get_ref().parse::<Dimension>() {
            Ok(d) => Some(d),
            Err(m) => {
                self.push(Some(s.span().start), record, field, m);
                None
            }
        }
    }
    fn country(&mut self, s: &S<String>, record: &str, field: &str) -> Option<CountryCode> {
        let c = CountryCode::parse(s.get_ref());
        if c.is_none() {
            self.push(
                Some(s.span().start),
                record,
                field,
                format!(
                    "unknown country code `{}` (not ISO 3166-1 alpha-3)",
                    s.get_ref()
                ),
            );
        }
        c
    }
    fn date(&mut self, s: &S<String>, record: &str, field: &str) -> Option<Date> {
        let d = Date::parse(s.get_ref());
        if d.is_none() {
            self.push(
                Some(s.span().start),
                record,
                field,
                format!("`{}` is not a date (YYYY-MM-DD)", s.get_ref()),
            );
        }
        d
    }
    fn finish<T>(self, value: T) -> Result<T> {
        if self.out.is_empty() {
            Ok(value)
        } else {
            Err(Error::Invalid(self.out))
        }
    }
}

// ------------------------------------------------------------------------------ technologies

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTechnology {
    id: S<String>,
    name: String,
    kind: S<String>,
    #[serde(default)]
    chapter: String,
    #[serde(default)]
    seed_lines: String,
    #[serde(default)]
    ecosystem: Option<S<String>>,
    #[serde(default)]
    scope: Vec<S<String>>,
    summary: String,
    judgment: RawJudgment,
    dimensions: BTreeMap<String, S<RawDimension>>,
    #[serde(default)]
    tensions: Vec<RawTension>,
    #[serde(default)]
    counterparts: Vec<RawCounterpart>,
    #[serde(default)]
    actors: Vec<RawActor>,
    #[serde(default)]
    recommendations: Vec<RawRecommendation>,
    #[serde(default)]
    priority: Option<RawRanking>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRanking {
    order: Vec<S<String>>,
    source: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJudgment {
    author: String,
    date: S<String>,
    method: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDimension {
    #[serde(default)]
    level: Option<S<i64>>,
    #[serde(default)]
    silent: bool,
    #[serde(default)]
    rationale: String,
    #[serde(default)]
    evidence: Vec<RawEvidence>,
    #[serde(default)]
    range: Option<S<RawRange>>,
    #[serde(default)]
    signals: Vec<S<RawSignal>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRange {
    low: S<i64>,
    high: S<i64>,
    reason: String,
    sources: Vec<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSignal {
    kind: S<String>,
    level: S<i64>,
    text: String,
    sources: Vec<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvidence {
    text: String,
    source: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTension {
    dimensions: Vec<S<String>>,
    text: String,
    source: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCounterpart {
    country: S<String>,
    #[serde(default)]
    note: String,
    #[serde(default)]
    eu_leverage: Option<S<f64>>,
    source: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawActor {
    name: S<String>,
    kind: S<String>,
    country: S<String>,
    #[serde(default)]
    role: String,
    source: S<String>,
    #[serde(default)]
    relevance: Option<S<RawRelevance>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelevance {
    level: S<String>,
    why: String,
    source: S<String>,
}

/// An actor's relevance: required (with its lines) for an actor in the PRC; an actor elsewhere is
/// context, and may say so explicitly but claim no other level.
fn actor_relevance(
    d: &mut Diags,
    r: Option<&S<RawRelevance>>,
    home: Option<&ActorHome>,
    arec: &str,
    at: usize,
) -> Option<Relevance> {
    let prc = home.is_some_and(ActorHome::is_prc);
    let Some(r) = r else {
        if prc {
            d.push(
                Some(at),
                arec,
                "relevance",
                "an actor in the PRC needs its relevance: { level = high|medium|low, why, source }"
                    .into(),
            );
            return None;
        }
        return Some(Relevance::context());
    };
    let r = r.get_ref();
    let level = RelevanceLevel::parse(r.level.get_ref());
    let source = d.source(&r.source, arec, "relevance.source");
    match level {
        None => d.push(
            Some(r.level.span().start),
            arec,
            "relevance.level",
            format!(
                "unknown relevance `{}` (expected one of {})",
                r.level.get_ref(),
                RelevanceLevel::spellings()
            ),
        ),
        Some(l) if prc == (l == RelevanceLevel::Context) => d.push(
            Some(r.level.span().start),
            arec,
            "relevance.level",
            if prc {
                "an actor in the PRC is an actor to watch: high, medium or low, not context".into()
            } else {
                "an actor outside the PRC is context, not an actor to watch (seed L221-225)".into()
            },
        ),
        Some(_) => {}
    }
    if r.why.trim().is_empty() {
        d.push(
            Some(at),
            arec,
            "relevance.why",
            "say why, from the chapter's text".into(),
        );
    }
    Some(Relevance {
        level: level?,
        why: r.why.clone(),
        source,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRecommendation {
    text: String,
    instruments: Vec<S<String>>,
    dimensions: Vec<S<String>>,
    #[serde(default)]
    stated: bool,
    source: S<String>,
}

/// A level 0-4 from a file, or a diagnostic.
fn level_in(d: &mut Diags, v: &S<i64>, record: &str, field: &str) -> Option<Level> {
    let l = Level::new(*v.get_ref());
    if l.is_none() {
        d.push(
            Some(v.span().start),
            record,
            field,
            format!("{} is outside 0-4", v.get_ref()),
        );
    }
    l
}

/// Sources that must not be empty (a range or a signal says nothing without its lines).
fn sources_in(d: &mut Diags, v: &[S<String>], at: usize, record: &str, field: &str) -> Vec<Source> {
    if v.is_empty() {
        d.push(
            Some(at),
            record,
            field,
            "at least one source is needed".into(),
        );
    }
    v.iter().map(|s| d.source(s, record, field)).collect()
}

/// A level range: low < high, the level within it, a reason and sources.
fn parse_range(
    d: &mut Diags,
    r: &S<RawRange>,
    level: Option<Level>,
    drec: &str,
) -> Option<LevelRange> {
    let at = r.span().start;
    let r = r.get_ref();
    let low = level_in(d, &r.low, drec, "range.low");
    let high = level_in(d, &r.high, drec, "range.high");
    let sources = sources_in(d, &r.sources, at, drec, "range.sources");
    if r.reason.trim().is_empty() {
        d.push(
            Some(at),
            drec,
            "range.reason",
            "say why the level is contestable".into(),
        );
    }
    let (low, high) = (low?, high?);
    let Some(level) = level else {
        d.push(
            Some(at),
            drec,
            "range",
            "a silent dimension has no range".into(),
        );
        return None;
    };
    if low >= high || level < low || level > high {
        d.push(
            Some(at),
            drec,
            "range",
            format!("the range {low}-{high} must run upwards and contain the level {level}"),
        );
        return None;
    }
    Some(LevelRange {
        low,
        high,
        reason: r.reason.clone(),
        sources,
    })
}

/// One signal of a cell with several.
fn parse_signal(d: &mut Diags, x: &S<RawSignal>, drec: &str) -> Option<Signal> {
    let at = x.span().start;
    let x = x.get_ref();
    let kind = SignalKind::parse(x.kind.get_ref());
    if kind.is_none() {
        d.push(
            Some(x.kind.span().start),
            drec,
            "signals.kind",
            format!(
                "unknown signal kind `{}` (expected one of {})",
                x.kind.get_ref(),
                SignalKind::spellings()
            ),
        );
    }
    let level = level_in(d, &x.level, drec, "signals.level");
    let sources = sources_in(d, &x.sources, at, drec, "signals.sources");
    if x.text.trim().is_empty() {
        d.push(Some(at), drec, "signals.text", "missing text".into());
    }
    Some(Signal {
        kind: kind?,
        level: level?,
        text: x.text.clone(),
        sources,
    })
}

/// Whether an ecosystem named in a case file can be loaded: a built-in name, or an existing file or
/// folder (checked further when it is loaded).
pub fn ecosystem_exists(name: &str) -> bool {
    crate::builtin::names().contains(&name) || Path::new(name).exists()
}

/// A dimension's level: 0-4, or none where it is silent; both or neither is refused.
fn dimension_level(
    d: &mut Diags,
    dim: &RawDimension,
    at: Option<usize>,
    drec: &str,
) -> Option<Level> {
    match (&dim.level, dim.silent) {
        (Some(l), false) => match Level::new(*l.get_ref()) {
            Some(level) => Some(level),
            None => {
                d.push(
                    Some(l.span().start),
                    drec,
                    "level",
                    format!("{} is outside 0-4", l.get_ref()),
                );
                None
            }
        },
        (Some(l), true) => {
            d.push(
                Some(l.span().start),
                drec,
                "level",
                "a dimension is either silent or has a level, not both".into(),
            );
            None
        }
        (None, true) => None,
        (None, false) => {
            d.push(
                at,
                drec,
                "level",
                "missing: give a level 0-4, or `silent = true` where the report is silent".into(),
            );
            None
        }
    }
}

/// One dimension of a technology file: its level (or silence), evidence, range and signals.
fn parse_dimension(
    d: &mut Diags,
    name: &str,
    dim: &S<RawDimension>,
    rec: &str,
) -> Option<(Dimension, DimensionJudgment)> {
    let at = Some(dim.span().start);
    let Ok(dimension) = name.parse::<Dimension>() else {
        d.push(at, rec, "dimensions", format!("unknown dimension `{name}`"));
        return None;
    };
    let dim = dim.get_ref();
    let drec = format!("{rec} dimension {name}");
    let level = dimension_level(d, dim, at, &drec);
    if !dim.silent && dim.evidence.is_empty() {
        d.push(
            at,
            &drec,
            "evidence",
            "a level needs at least one evidence item with its source".into(),
        );
    }
    if dim.rationale.trim().is_empty() {
        d.push(at, &drec, "rationale", "missing rationale".into());
    }
    let evidence = dim
        .evidence
        .iter()
        .map(|e| Evidence {
            text: e.text.clone(),
            source: d.source(&e.source, &drec, "evidence.source"),
        })
        .collect();
    let range = dim
        .range
        .as_ref()
        .and_then(|r| parse_range(d, r, level, &drec));
    let signals = dim
        .signals
        .iter()
        .filter_map(|x| parse_signal(d, x, &drec))
        .collect();
    Some((
        dimension,
        DimensionJudgment {
            level,
            rationale: dim.rationale.clone(),
            evidence,
            range,
            signals,
        },
    ))
}

/// The tensions a technology file states.
fn parse_tensions(d: &mut Diags, raw: &[RawTension], rec: &str) -> Vec<StatedTension> {
    raw.iter()
        .enumerate()
        .map(|(k, t)| {
            let trec = format!("{rec} tension #{}", k + 1);
            let dimensions: Vec<Dimension> = t
                .dimensions
                .iter()
                .filter_map(|x| d.dimension(x, &trec, "dimensions"))
                .collect();
            if t.dimensions.len() < 2 {
                d.push(
                    Some(t.source.span().start),
                    &trec,
                    "dimensions",
                    "a tension involves at least two dimensions".into(),
                );
            }
            StatedTension {
                dimensions,
                text: t.text.clone(),
                source: d.source(&t.source, &trec, "source"),
            }
        })
        .collect()
}

/// The countries a technology file names as counterparts.
fn parse_counterparts(d: &mut Diags, raw: &[RawCounterpart], rec: &str) -> Vec<Counterpart> {
    raw.iter()
        .enumerate()
        .filter_map(|(k, c)| {
            let crec = format!("{rec} counterpart #{}", k + 1);
            let source = d.source(&c.source, &crec, "source");
            let eu_leverage = c.eu_leverage.as_ref().and_then(|l| {
                let v = *l.get_ref();
                if (0.0..=1.0).contains(&v) {
                    Some(v)
                } else {
                    d.push(
                        Some(l.span().start),
                        &crec,
                        "eu_leverage",
                        format!("{v} is outside 0-1"),
                    );
                    None
                }
            });
            d.country(&c.country, &crec, "country")
                .map(|country| Counterpart {
                    country,
                    note: c.note.clone(),
                    eu_leverage,
                    source,
                })
        })
        .collect()
}

/// The actors of a technology file, each with its relevance.
fn parse_actors(d: &mut Diags, raw: &[RawActor], rec: &str) -> Vec<Actor> {
    raw.iter()
        .filter_map(|a| {
            let arec = format!("{rec} actor \"{}\"", a.name.get_ref());
            let kind = ActorKind::parse(a.kind.get_ref());
            if kind.is_none() {
                d.push(
                    Some(a.kind.span().start),
                    &arec,
                    "kind",
                    format!(
                        "unknown actor kind `{}` (expected one of {})",
                        a.kind.get_ref(),
                        ActorKind::spellings()
                    ),
                );
            }
            let home = ActorHome::parse(a.country.get_ref());
            if home.is_none() {
                d.push(
                    Some(a.country.span().start),
                    &arec,
                    "country",
                    format!(
                        "`{}` is not an ISO 3166-1 alpha-3 code, EU27 or INT",
                        a.country.get_ref()
                    ),
                );
            }
            let source = d.source(&a.source, &arec, "source");
            let relevance = actor_relevance(
                d,
                a.relevance.as_ref(),
                home.as_ref(),
                &arec,
                a.name.span().start,
            );
            Some(Actor {
                name: a.name.get_ref().clone(),
                kind: kind?,
                home: home?,
                role: a.role.clone(),
                source,
                relevance: relevance?,
            })
        })
        .collect()
}

/// The report's recommendations in a technology file; instrument ids checked against `toolkit`.
fn parse_recommendations(
    d: &mut Diags,
    raw: &[RawRecommendation],
    rec: &str,
    toolkit: Option<&Toolkit>,
) -> Vec<Recommendation> {
    raw.iter()
        .enumerate()
        .map(|(k, r)| {
            let rrec = format!("{rec} recommendation #{}", k + 1);
            let instruments: Vec<String> = r
                .instruments
                .iter()
                .filter(|i| {
                    let known = toolkit.is_none_or(|t| t.instrument(i.get_ref()).is_some());
                    if !known {
                        d.push(
                            Some(i.span().start),
                            &rrec,
                            "instruments",
                            format!("unknown instrument `{}` (not in the toolkit)", i.get_ref()),
                        );
                    }
                    known
                })
                .map(|i| i.get_ref().clone())
                .collect();
            let dimensions = r
                .dimensions
                .iter()
                .filter_map(|x| d.dimension(x, &rrec, "dimensions"))
                .collect();
            Recommendation {
                text: r.text.clone(),
                instruments,
                dimensions,
                stated: r.stated,
                source: d.source(&r.source, &rrec, "source"),
            }
        })
        .collect()
}

/// The chapter's own ranking of dimensions, where the file records one.
fn parse_ranking(d: &mut Diags, r: Option<&RawRanking>, rec: &str) -> Option<ReportRanking> {
    r.map(|r| {
        let prec = format!("{rec} priority");
        let order: Vec<Dimension> = r
            .order
            .iter()
            .filter_map(|x| d.dimension(x, &prec, "order"))
            .collect();
        if order.is_empty() {
            d.push(
                Some(r.source.span().start),
                &prec,
                "order",
                "name the dimensions in the order the chapter ranks them".into(),
            );
        }
        ReportRanking {
            order,
            source: d.source(&r.source, &prec, "source"),
        }
    })
}

/// Parses one technology file. Instrument ids are checked against `toolkit` when given; the
/// ecosystem it names must be a built-in or an existing file or folder.
pub fn parse_technology(text: &str, file: &str, toolkit: Option<&Toolkit>) -> Result<Technology> {
    parse_technology_in(text, file, toolkit, &ecosystem_exists)
}

/// Parses one technology file where `known` says which ecosystem names exist (the shared record
/// adds its registered ecosystems to the built-ins).
pub fn parse_technology_in(
    text: &str,
    file: &str,
    toolkit: Option<&Toolkit>,
    known: &dyn Fn(&str) -> bool,
) -> Result<Technology> {
    let raw: RawTechnology = parse_toml(text, file)?;
    let mut d = Diags::new(file, text);
    let id = raw.id.get_ref().clone();
    let rec = format!("technology \"{id}\"");
    let kind = match raw.kind.get_ref().as_str() {
        "case" => TechnologyKind::Case,
        "example" => TechnologyKind::Example,
        other => {
            d.push(
                Some(raw.kind.span().start),
                &rec,
                "kind",
                format!("unknown kind `{other}` (expected case or example)"),
            );
            TechnologyKind::Case
        }
    };
    if raw.judgment.author.trim().is_empty() {
        d.push(
            None,
            &rec,
            "judgment.author",
            "who set the levels is missing".into(),
        );
    }
    d.date(&raw.judgment.date, &rec, "judgment.date");

    let mut dims: [Option<DimensionJudgment>; 4] = Default::default();
    for (name, dim) in &raw.dimensions {
        if let Some((dimension, j)) = parse_dimension(&mut d, name, dim, &rec) {
            dims[dimension.index()] = Some(j);
        }
    }
    for dim in Dimension::ALL {
        if dims[dim.index()].is_none() && !raw.dimensions.contains_key(dim.id()) {
            d.push(
                None,
                &rec,
                &format!("dimensions.{}", dim.id()),
                "missing dimension (give a level, or silent = true)".into(),
            );
        }
    }
    let tensions = parse_tensions(&mut d, &raw.tensions, &rec);
    let counterparts = parse_counterparts(&mut d, &raw.counterparts, &rec);
    let actors = parse_actors(&mut d, &raw.actors, &rec);
    let recommendations = parse_recommendations(&mut d, &raw.recommendations, &rec, toolkit);
    let dimensions = dims.map(|x| {
        x.unwrap_or(DimensionJudgment {
            level: None,
            rationale: String::new(),
            evidence: Vec::new(),
            range: None,
            signals: Vec::new(),
        })
    });
    let ranking = parse_ranking(&mut d, raw.priority.as_ref(), &rec);
    if let Some(e) = &raw.ecosystem
        && !known(e.get_ref())
    {
        d.push(
            Some(e.span().start),
            &format!("technology `{id}`"),
            "ecosystem",
            format!(
                "`{}` is not a built-in ecosystem ({}), an ecosystem file or an ETO directory",
                osa_model::id::escaped(e.get_ref()),
                crate::builtin::names().join(", ")
            ),
        );
    }
    let tech = Technology {
        id,
        name: raw.name,
        kind,
        chapter: raw.chapter,
        seed_lines: raw.seed_lines,
        ecosystem: raw.ecosystem.map(|e| e.into_inner()),
        scope: raw.scope.into_iter().map(Spanned::into_inner).collect(),
        summary: raw.summary,
        judgment: Judgment {
            author: raw.judgment.author,
            date: raw.judgment.date.into_inner(),
            method: raw.judgment.method,
        },
        dimensions,
        tensions,
        counterparts,
        actors,
        recommendations,
        ranking,
    };
    d.finish(tech)
}

// ------------------------------------------------------------------------------ countries

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCountries {
    countries: Vec<RawCountry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCountry {
    code: S<String>,
    name: String,
    relationship: S<String>,
    #[serde(default)]
    stances: BTreeMap<String, S<String>>,
    #[serde(default)]
    regime: Option<S<String>>,
    #[serde(default)]
    sources: Vec<S<String>>,
    #[serde(default)]
    coercion: Vec<RawCoercion>,
    #[serde(default)]
    legal_exposure: Vec<RawLegal>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCoercion {
    date: S<String>,
    target: S<String>,
    text: String,
    dimensions: Vec<S<String>>,
    source: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLegal {
    text: String,
    source: S<String>,
}

fn relationship(d: &mut Diags, s: &S<String>, rec: &str, field: &str) -> Relationship {
    Relationship::parse(s.get_ref()).unwrap_or_else(|| {
        d.push(
            Some(s.span().start),
            rec,
            field,
            format!(
                "unknown relationship `{}` (expected {})",
                s.get_ref(),
                Relationship::spellings()
            ),
        );
        Relationship::Partner
    })
}

/// Parses the country profiles.
pub fn parse_countries(text: &str, file: &str) -> Result<BTreeMap<CountryCode, CountryProfile>> {
    let raw: RawCountries = parse_toml(text, file)?;
    let mut d = Diags::new(file, text);
    let mut out = BTreeMap::new();
    for c in raw.countries {
        let rec = format!("country \"{}\"", c.code.get_ref());
        let Some(code) = d.country(&c.code, &rec, "code") else {
            continue;
        };
        let rel = relationship(&mut d, &c.relationship, &rec, "relationship");
        let mut stances = BTreeMap::new();
        for (k, v) in &c.stances {
            match k.parse::<Dimension>() {
                Ok(dim) => {
                    stances.insert(dim, relationship(&mut d, v, &rec, &format!("stances.{k}")));
                }
                Err(m) => d.push(Some(v.span().start), &rec, "stances", m),
            }
        }
        let regime = c
            .regime
            .as_ref()
            .and_then(|r| match Regime::parse(r.get_ref()) {
                Some(reg) => Some((reg, "data/baseline/countries.toml".to_string())),
                None => {
                    d.push(
                        Some(r.span().start),
                        &rec,
                        "regime",
                        format!("unknown regime `{}`", r.get_ref()),
                    );
                    None
                }
            });
        let sources = c
            .sources
            .iter()
            .map(|s| d.source(s, &rec, "sources"))
            .collect();
        let coercion = c
            .coercion
            .iter()
            .filter_map(|e| {
                let erec = format!("{rec} coercion on {}", e.date.get_ref());
                let date = d.date(&e.date, &erec, "date");
                let target = e.target.get_ref();
                if target != "EU27" && CountryCode::parse(target).is_none() {
                    d.push(
                        Some(e.target.span().start),
                        &erec,
                        "target",
                        format!("`{target}` is neither an ISO3 code nor EU27"),
                    );
                }
                let dimensions = e
                    .dimensions
                    .iter()
                    .filter_map(|x| d.dimension(x, &erec, "dimensions"))
                    .collect();
                let source = d.source(&e.source, &erec, "source");
                Some(CoercionEvent {
                    date: date?,
                    target: target.clone(),
                    text: e.text.clone(),
                    dimensions,
                    source,
                })
            })
            .collect();
        let legal_exposure = c
            .legal_exposure
            .iter()
            .map(|l| LegalExposure {
                text: l.text.clone(),
                source: d.source(&l.source, &rec, "legal_exposure.source"),
            })
            .collect();
        if out.contains_key(&code) {
            d.push(
                Some(c.code.span().start),
                &rec,
                "code",
                "duplicate country profile".into(),
            );
        }
        out.insert(
            code,
            CountryProfile {
                code,
                name: c.name,
                relationship: rel,
                stances,
                regime,
                governance: None,
                freedom_house: None,
                sources,
                coercion,
                legal_exposure,
            },
        );
    }
    d.finish(out)
}

// ------------------------------------------------------------------------------ likelihood

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLikelihood {
    format: String,
    source: S<String>,
    base: BTreeMap<String, f64>,
    regime: BTreeMap<String, f64>,
    governance: RawGov,
    coercion: RawCoercionParams,
    legal_exposure: BTreeMap<String, f64>,
    clamp: RawClamp,
    alliance: RawAlliance,
    deterrence: RawDeterrence,
    tolerance: BTreeMap<String, BTreeMap<String, f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGov {
    per_point: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCoercionParams {
    per_event: f64,
    cap: f64,
    recent_years: i32,
    horizon_years: i32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClamp {
    floor: f64,
    ceiling: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAlliance {
    factor: f64,
    blocs: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeterrence {
    max: f64,
}

/// Parses the likelihood parameters, checking ranges that keep the model's properties
/// (probabilities in 0-1; an alliance and EU leverage can only lower the likelihood).
pub fn parse_likelihood(text: &str, file: &str) -> Result<LikelihoodParams> {
    let raw: RawLikelihood = parse_toml(text, file)?;
    let mut d = Diags::new(file, text);
    let rec = "likelihood parameters";
    if raw.format != "osa-likelihood/1" {
        d.push(
            None,
            rec,
            "format",
            format!("unsupported format `{}`", raw.format),
        );
    }
    let source = d.source(&raw.source, rec, "source");
    let mut base = BTreeMap::new();
    for (k, v) in &raw.base {
        match Relationship::parse(k) {
            Some(r) if (0.0..=1.0).contains(v) => {
                base.insert(r, *v);
            }
            Some(_) => d.push(
                None,
                rec,
                &format!("base.{k}"),
                format!("{v} is outside 0-1"),
            ),
            None => d.push(None, rec, "base", format!("unknown relationship `{k}`")),
        }
    }
    for &(r, name) in Relationship::ALL {
        if !base.contains_key(&r) {
            d.push(None, rec, &format!("base.{name}"), "missing".into());
        }
    }
    let mut regime = BTreeMap::new();
    for (k, v) in &raw.regime {
        match Regime::parse(k) {
            Some(r) => {
                regime.insert(r, *v);
            }
            None => d.push(None, rec, "regime", format!("unknown regime `{k}`")),
        }
    }
    let mut legal_exposure = BTreeMap::new();
    for (k, v) in &raw.legal_exposure {
        match k.parse::<Dimension>() {
            Ok(dim) => {
                legal_exposure.insert(dim, *v);
            }
            Err(m) => d.push(None, rec, "legal_exposure", m),
        }
    }
    let mut tolerance = BTreeMap::new();
    for (r, dims) in &raw.tolerance {
        let Some(rel) = Relationship::parse(r) else {
            d.push(
                None,
                rec,
                "tolerance",
                format!("unknown relationship `{r}`"),
            );
            continue;
        };
        for (k, v) in dims {
            match k.parse::<Dimension>() {
                Ok(dim) => {
                    tolerance.insert((rel, dim), *v);
                }
                Err(m) => d.push(None, rec, &format!("tolerance.{r}"), m),
            }
        }
    }
    if !(0.0..=1.0).contains(&raw.alliance.factor) {
        d.push(
            None,
            rec,
            "alliance.factor",
            "must lie in 0-1 (an alliance cannot raise the likelihood)".into(),
        );
    }
    if !(0.0..=1.0).contains(&raw.deterrence.max) {
        d.push(
            None,
            rec,
            "deterrence.max",
            "must lie in 0-1 (EU leverage cannot raise the likelihood)".into(),
        );
    }
    if !(0.0 <= raw.clamp.floor && raw.clamp.floor <= raw.clamp.ceiling && raw.clamp.ceiling <= 1.0)
    {
        d.push(None, rec, "clamp", "need 0 <= floor <= ceiling <= 1".into());
    }
    d.finish(LikelihoodParams {
        base,
        regime,
        governance_per_point: raw.governance.per_point,
        coercion_per_event: raw.coercion.per_event,
        coercion_cap: raw.coercion.cap,
        coercion_recent_years: raw.coercion.recent_years,
        coercion_horizon_years: raw.coercion.horizon_years,
        legal_exposure,
        floor: raw.clamp.floor,
        ceiling: raw.clamp.ceiling,
        alliance_factor: raw.alliance.factor,
        alliance_blocs: raw.alliance.blocs,
        max_deterrence: raw.deterrence.max,
        tolerance,
        source,
    })
}

// ------------------------------------------------------------------------------ toolkit

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawToolkit {
    format: String,
    #[serde(default = "one")]
    recommendation_weight: f64,
    instruments: Vec<RawInstrument>,
    #[serde(default)]
    rules: Vec<RawRule>,
}

fn one() -> f64 {
    1.0
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInstrument {
    id: S<String>,
    name: String,
    #[serde(default)]
    description: String,
    serves: Vec<S<String>>,
    source: S<String>,
    #[serde(default)]
    strains: Vec<RawStrain>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStrain {
    dimension: S<String>,
    text: String,
    source: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: S<String>,
    instrument: S<String>,
    weight: S<f64>,
    when: Vec<S<String>>,
    rationale: String,
    source: S<String>,
}

/// Parses a toolkit file (instruments and rules).
pub fn parse_toolkit(text: &str, file: &str) -> Result<Toolkit> {
    let raw: RawToolkit = parse_toml(text, file)?;
    let mut d = Diags::new(file, text);
    if raw.format != "osa-toolkit/1" {
        d.push(
            None,
            "toolkit",
            "format",
            format!("unsupported format `{}`", raw.format),
        );
    }
    let instruments: Vec<Instrument> = raw
        .instruments
        .iter()
        .map(|i| {
            let rec = format!("instrument \"{}\"", i.id.get_ref());
            Instrument {
                id: i.id.get_ref().clone(),
                name: i.name.clone(),
                description: i.description.clone(),
                serves: i
                    .serves
                    .iter()
                    .filter_map(|x| d.dimension(x, &rec, "serves"))
                    .collect(),
                strains: i
                    .strains
                    .iter()
                    .filter_map(|s| {
                        let dim = d.dimension(&s.dimension, &rec, "strains.dimension")?;
                        Some(Strain {
                            dimension: dim,
                            text: s.text.clone(),
                            source: d.source(&s.source, &rec, "strains.source"),
                        })
                    })
                    .collect(),
                source: d.source(&i.source, &rec, "source"),
            }
        })
        .collect();
    for (k, i) in raw.instruments.iter().enumerate() {
        if raw.instruments[..k]
            .iter()
            .any(|j| j.id.get_ref() == i.id.get_ref())
        {
            d.push(
                Some(i.id.span().start),
                &format!("instrument \"{}\"", i.id.get_ref()),
                "id",
                "duplicate instrument id".into(),
            );
        }
    }
    let rules = raw
        .rules
        .iter()
        .map(|r| {
            let rec = format!("rule \"{}\"", r.id.get_ref());
            if !instruments.iter().any(|i| &i.id == r.instrument.get_ref()) {
                d.push(
                    Some(r.instrument.span().start),
                    &rec,
                    "instrument",
                    format!("unknown instrument `{}`", r.instrument.get_ref()),
                );
            }
            if !(r.weight.get_ref().is_finite() && *r.weight.get_ref() >= 0.0) {
                d.push(
                    Some(r.weight.span().start),
                    &rec,
                    "weight",
                    "must be a non-negative number".into(),
                );
            }
            let when = r
                .when
                .iter()
                .filter_map(|c| match Condition::parse(c.get_ref()) {
                    Ok(c) => Some(c),
                    Err(m) => {
                        d.push(Some(c.span().start), &rec, "when", m);
                        None
                    }
                })
                .collect();
            Rule {
                id: r.id.get_ref().clone(),
                instrument: r.instrument.get_ref().clone(),
                weight: *r.weight.get_ref(),
                when,
                rationale: r.rationale.clone(),
                source: d.source(&r.source, &rec, "source"),
            }
        })
        .collect();
    d.finish(Toolkit {
        instruments,
        rules,
        recommendation_weight: raw.recommendation_weight,
    })
}

// ------------------------------------------------------------------------------ checklist

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChecklist {
    title: String,
    source: S<String>,
    #[serde(default)]
    note: String,
    criteria: Vec<RawCriterion>,
    applications: Vec<RawApplication>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    id: S<String>,
    level: S<String>,
    number: u32,
    title: String,
    question: String,
    guidance: String,
    source: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApplication {
    id: S<String>,
    name: String,
    firm: String,
    country: S<String>,
    source: S<String>,
    judgment: RawJudgment,
    assessments: Vec<RawAssessment>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAssessment {
    criterion: S<String>,
    rating: S<String>,
    text: String,
    source: S<String>,
}

/// Parses the AI-application checklist.
pub fn parse_checklist(text: &str, file: &str) -> Result<Checklist> {
    let raw: RawChecklist = parse_toml(text, file)?;
    let mut d = Diags::new(file, text);
    let source = d.source(&raw.source, "checklist", "source");
    let criteria: Vec<Criterion> = raw
        .criteria
        .iter()
        .map(|c| {
            let rec = format!("criterion \"{}\"", c.id.get_ref());
            let level = match c.level.get_ref().as_str() {
                "macro" => CriterionLevel::Macro,
                "micro" => CriterionLevel::Micro,
                other => {
                    d.push(
                        Some(c.level.span().start),
                        &rec,
                        "level",
                        format!("`{other}` is not macro or micro"),
                    );
                    CriterionLevel::Micro
                }
            };
            Criterion {
                id: c.id.get_ref().clone(),
                level,
                number: c.number,
                title: c.title.clone(),
                question: c.question.clone(),
                guidance: c.guidance.clone(),
                source: d.source(&c.source, &rec, "source"),
            }
        })
        .collect();
    let applications = raw
        .applications
        .iter()
        .filter_map(|a| {
            let rec = format!("application \"{}\"", a.id.get_ref());
            let country = d.country(&a.country, &rec, "country");
            let source = d.source(&a.source, &rec, "source");
            d.date(&a.judgment.date, &rec, "judgment.date");
            let assessments = a
                .assessments
                .iter()
                .map(|x| {
                    if !criteria.iter().any(|c| &c.id == x.criterion.get_ref()) {
                        d.push(
                            Some(x.criterion.span().start),
                            &rec,
                            "assessments.criterion",
                            format!("unknown criterion `{}`", x.criterion.get_ref()),
                        );
                    }
                    let rating = Rating::parse(x.rating.get_ref()).unwrap_or_else(|| {
                        d.push(
                            Some(x.rating.span().start),
                            &rec,
                            "assessments.rating",
                            format!(
                                "unknown rating `{}` (expected concern, partial, no_concern or unknown)",
                                x.rating.get_ref()
                            ),
                        );
                        Rating::Unknown
                    });
                    Assessment {
                        criterion: x.criterion.get_ref().clone(),
                        rating,
                        text: x.text.clone(),
                        source: d.source(&x.source, &rec, "assessments.source"),
                    }
                })
                .collect();
            Some(Application {
                id: a.id.get_ref().clone(),
                name: a.name.clone(),
                firm: a.firm.clone(),
                country: country?,
                source,
                judgment: Judgment {
                    author: a.judgment.author.clone(),
                    date: a.judgment.date.get_ref().clone(),
                    method: a.judgment.method.clone(),
                },
                assessments,
            })
        })
        .collect();
    d.finish(Checklist {
        title: raw.title,
        source,
        note: raw.note,
        criteria,
        applications,
    })
}

// ------------------------------------------------------------------------------ whole baseline

/// Builds a baseline from texts; collects every file's problems before failing.
fn build(
    cases: &[(String, String)],
    countries: (&str, &str),
    likelihood: (&str, &str),
    toolkit: (&str, &str),
    checklist: (&str, &str),
    blocs: Blocs,
    known: &dyn Fn(&str) -> bool,
) -> Result<Baseline> {
    let mut diags = Vec::new();
    fn keep(diags: &mut Vec<Diagnostic>, r: Result<()>) {
        if let Err(e) = r {
            match e {
                Error::Invalid(d) => diags.extend(d),
                other => diags.push(Diagnostic {
                    file: String::new(),
                    line: None,
                    record: String::new(),
                    field: String::new(),
                    message: other.to_string(),
                }),
            }
        }
    }
    let toolkit = parse_toolkit(toolkit.0, toolkit.1);
    let tk = toolkit.as_ref().ok();
    let mut technologies = Vec::new();
    for (file, text) in cases {
        match parse_technology_in(text, file, tk, known) {
            Ok(t) => technologies.push(t),
            Err(e) => keep(&mut diags, Err(e)),
        }
    }
    let countries = parse_countries(countries.0, countries.1);
    let params = parse_likelihood(likelihood.0, likelihood.1);
    let checklist = parse_checklist(checklist.0, checklist.1);
    for id in technologies
        .iter()
        .map(|t| t.id.clone())
        .collect::<Vec<_>>()
    {
        if technologies.iter().filter(|t| t.id == id).count() > 1 {
            keep(
                &mut diags,
                Err(Error::one(
                    "cases",
                    None,
                    &format!("technology \"{id}\""),
                    "id",
                    "duplicate technology id".into(),
                )),
            );
        }
    }
    match (toolkit, countries, params, checklist) {
        (Ok(toolkit), Ok(profiles), Ok(params), Ok(checklist)) if diags.is_empty() => {
            technologies.sort_by_key(|t| first_seed_line(&t.seed_lines));
            Ok(Baseline {
                technologies,
                geopolitics: Geopolitics {
                    profiles,
                    blocs,
                    params,
                },
                toolkit,
                checklist,
            })
        }
        (toolkit, countries, params, checklist) => {
            keep(&mut diags, toolkit.map(|_| ()));
            keep(&mut diags, countries.map(|_| ()));
            keep(&mut diags, params.map(|_| ()));
            keep(&mut diags, checklist.map(|_| ()));
            Err(Error::Invalid(diags))
        }
    }
}

fn first_seed_line(lines: &str) -> u32 {
    lines
        .trim_start_matches('L')
        .split(['-', ','])
        .next()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(u32::MAX)
}

/// A baseline as the texts of its files (the layout of `data/baseline/`): what the store keeps,
/// what `osa db export` writes and `osa db import` reads. File names are relative (`countries.toml`,
/// `cases/6g.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BaselineFiles {
    /// `cases/<id>.toml`: (file name relative to the baseline, text).
    pub cases: Vec<(String, String)>,
    /// `countries.toml`.
    pub countries: String,
    /// `likelihood.toml`.
    pub likelihood: String,
    /// `toolkit.toml`.
    pub toolkit: String,
    /// `checklist.toml`.
    pub checklist: String,
    /// `blocs.toml`.
    pub blocs: String,
}

/// The names of the single files of a baseline, in a fixed order.
pub const SINGLE_FILES: [&str; 5] = [
    "countries.toml",
    "likelihood.toml",
    "toolkit.toml",
    "checklist.toml",
    "blocs.toml",
];

impl BaselineFiles {
    /// The text of one of [`SINGLE_FILES`].
    pub fn single(&self, name: &str) -> Option<&str> {
        Some(match name {
            "countries.toml" => &self.countries,
            "likelihood.toml" => &self.likelihood,
            "toolkit.toml" => &self.toolkit,
            "checklist.toml" => &self.checklist,
            "blocs.toml" => &self.blocs,
            _ => return None,
        })
    }

    /// Sets one of [`SINGLE_FILES`]; false for another name.
    pub fn set_single(&mut self, name: &str, text: String) -> bool {
        let slot = match name {
            "countries.toml" => &mut self.countries,
            "likelihood.toml" => &mut self.likelihood,
            "toolkit.toml" => &mut self.toolkit,
            "checklist.toml" => &mut self.checklist,
            "blocs.toml" => &mut self.blocs,
            _ => return false,
        };
        *slot = text;
        true
    }

    /// Every file as (relative name, text): the single files, then the cases.
    pub fn all(&self) -> Vec<(String, &str)> {
        let mut v: Vec<(String, &str)> = SINGLE_FILES
            .iter()
            .filter_map(|n| self.single(n).map(|t| (n.to_string(), t)))
            .collect();
        v.extend(self.cases.iter().map(|(n, t)| (n.clone(), t.as_str())));
        v
    }
}

/// The embedded baseline's files.
pub fn embedded_files() -> BaselineFiles {
    BaselineFiles {
        cases: CASES
            .iter()
            .map(|(f, t)| (format!("cases/{f}"), t.to_string()))
            .collect(),
        countries: COUNTRIES.to_string(),
        likelihood: LIKELIHOOD.to_string(),
        toolkit: TOOLKIT.to_string(),
        checklist: CHECKLIST.to_string(),
        blocs: crate::builtin::BLOCS_TOML.to_string(),
    }
}

/// Validates and builds a baseline from its files; `origin` prefixes file names in diagnostics
/// (a directory, or `<built-in>`).
pub fn from_files(files: &BaselineFiles, origin: &str) -> Result<Baseline> {
    from_files_in(files, origin, &ecosystem_exists)
}

/// [`from_files`] where `known` says which ecosystem names the cases may use.
pub fn from_files_in(
    files: &BaselineFiles,
    origin: &str,
    known: &dyn Fn(&str) -> bool,
) -> Result<Baseline> {
    let name = |n: &str| {
        if origin.starts_with('<') {
            format!("<built-in {n}>")
        } else {
            format!("{origin}/{n}")
        }
    };
    let cases: Vec<(String, String)> = files
        .cases
        .iter()
        .map(|(f, t)| (name(f), t.clone()))
        .collect();
    build(
        &cases,
        (&files.countries, &name("countries.toml")),
        (&files.likelihood, &name("likelihood.toml")),
        (&files.toolkit, &name("toolkit.toml")),
        (&files.checklist, &name("checklist.toml")),
        crate::blocs::parse(&files.blocs, &name("blocs.toml"))?,
        known,
    )
}

/// The embedded baseline.
pub fn embedded() -> Result<Baseline> {
    from_files(&embedded_files(), "<built-in>")
}

/// Reads the files of a baseline directory with the layout of `data/baseline/` (cases/*.toml,
/// countries.toml, blocs.toml, likelihood.toml, toolkit.toml, checklist.toml).
pub fn read_files(dir: &Path) -> Result<BaselineFiles> {
    let cases_dir = dir.join("cases");
    let mut paths: Vec<_> = std::fs::read_dir(&cases_dir)
        .map_err(|source| Error::Io {
            path: cases_dir.clone(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut files = BaselineFiles::default();
    for p in &paths {
        let file = p
            .file_name()
            .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
        files.cases.push((format!("cases/{file}"), read(p)?));
    }
    for n in SINGLE_FILES {
        files.set_single(n, read(&dir.join(n))?);
    }
    Ok(files)
}

/// A baseline directory with the layout of `data/baseline/`.
pub fn load_dir(dir: &Path) -> Result<Baseline> {
    from_files(&read_files(dir)?, &dir.display().to_string())
}

/// Reads a toolkit file (instruments and rules) to use instead of the baseline's.
pub fn load_toolkit(path: &Path) -> Result<Toolkit> {
    parse_toolkit(&read(path)?, &path.display().to_string())
}
