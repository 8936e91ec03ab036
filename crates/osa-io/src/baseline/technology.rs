//! One technology file (`data/baseline/cases/*.toml`): its judgment, dimensions, tensions,
//! counterparts, actors, the report's recommendations and the chapter's ranking of dimensions.

use super::S;
use super::actors::{RawActor, parse_actors};
use super::diags::Diags;
use super::dimension::{RawDimension, parse_dimension};
use crate::error::Result;
use crate::text::from_toml as parse_toml;
use osa_assess::Dimension;
use osa_assess::priority::ReportRanking;
use osa_assess::technology::{
    Counterpart, DimensionJudgment, Flag, Judgment, Recommendation, StatedTension, Technology,
    TechnologyKind, TensionRelation,
};
use osa_assess::toolkit::Toolkit;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use toml::Spanned;

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
    #[serde(default)]
    consumer_facing: Option<RawFlag>,
    #[serde(default)]
    osa_construction: Option<RawFlag>,
}

/// A flag with its reason and lines (`{ why, source }`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFlag {
    why: String,
    source: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRanking {
    order: Vec<S<String>>,
    source: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawJudgment {
    pub(super) author: String,
    pub(super) date: S<String>,
    pub(super) method: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTension {
    dimensions: Vec<S<String>>,
    #[serde(default)]
    kind: Option<S<String>>,
    #[serde(default)]
    against: Vec<S<String>>,
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
struct RawRecommendation {
    text: String,
    instruments: Vec<S<String>>,
    dimensions: Vec<S<String>>,
    #[serde(default)]
    stated: bool,
    #[serde(default)]
    quote: Option<String>,
    source: S<String>,
}

/// Whether an ecosystem named in a case file can be loaded: a built-in name, or an existing file or
/// folder (checked further when it is loaded).
pub fn ecosystem_exists(name: &str) -> bool {
    crate::builtin::names().contains(&name) || Path::new(name).exists()
}

/// The tensions a technology file states, each with its relation (a trade-off unless the file
/// says otherwise) and, for a trade-off, the side that pulls against the others.
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
            let relation = tension_relation(d, t.kind.as_ref(), &trec);
            let against = tension_against(d, t, &dimensions, relation, &trec);
            StatedTension {
                dimensions,
                relation,
                against,
                text: t.text.clone(),
                source: d.source(&t.source, &trec, "source"),
            }
        })
        .collect()
}

/// A tension's relation: `trade_off` (the default), `compounding` or `other`.
fn tension_relation(d: &mut Diags, kind: Option<&S<String>>, trec: &str) -> TensionRelation {
    let Some(k) = kind else {
        return TensionRelation::TradeOff;
    };
    TensionRelation::parse(k.get_ref()).unwrap_or_else(|| {
        d.push(
            Some(k.span().start),
            trec,
            "kind",
            format!(
                "unknown kind `{}` (expected one of {})",
                k.get_ref(),
                TensionRelation::spellings()
            ),
        );
        TensionRelation::TradeOff
    })
}

/// The side of a trade-off that pulls against the others: some of its dimensions, not all, and
/// only on a trade-off.
fn tension_against(
    d: &mut Diags,
    t: &RawTension,
    dimensions: &[Dimension],
    relation: TensionRelation,
    trec: &str,
) -> Vec<Dimension> {
    let against: Vec<Dimension> = t
        .against
        .iter()
        .filter_map(|x| d.dimension(x, trec, "against"))
        .collect();
    if against.is_empty() {
        return against;
    }
    let at = Some(t.against[0].span().start);
    if relation != TensionRelation::TradeOff {
        d.push(at, trec, "against", "only a trade-off has sides".into());
    } else if !against.iter().all(|a| dimensions.contains(a)) || against.len() >= dimensions.len() {
        d.push(
            at,
            trec,
            "against",
            "name some of the tension's dimensions, not all: the side that pulls against the others"
                .into(),
        );
    }
    against
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
            if r.quote.as_ref().is_some_and(|q| q.trim().is_empty()) {
                d.push(
                    Some(r.source.span().start),
                    &rrec,
                    "quote",
                    "an empty quote: give the chapter's words, or leave the field out".into(),
                );
            }
            Recommendation {
                text: r.text.clone(),
                instruments,
                dimensions,
                stated: r.stated,
                quote: r.quote.clone(),
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
/// adds its registered ecosystems to the built-ins): its kind and judgment, the four dimensions,
/// tensions, counterparts, actors, recommendations and ranking, then the ecosystem it names.
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
    let kind = technology_kind(&mut d, &raw.kind, &rec);
    check_judgment(&mut d, &raw.judgment, &rec);
    let dims = parse_dimensions(&mut d, &raw.dimensions, &rec);
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
    if let Some(e) = &raw.ecosystem {
        check_ecosystem(&mut d, e, &id, known);
    }
    let consumer_facing = flag(
        &mut d,
        raw.consumer_facing.as_ref(),
        &rec,
        "consumer_facing",
    );
    let osa_construction = flag(
        &mut d,
        raw.osa_construction.as_ref(),
        &rec,
        "osa_construction",
    );
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
        consumer_facing,
        osa_construction,
    };
    d.finish(tech)
}

/// A flag on the technology: its reason must be given, its source must parse.
fn flag(d: &mut Diags, raw: Option<&RawFlag>, rec: &str, field: &str) -> Option<Flag> {
    let f = raw?;
    if f.why.trim().is_empty() {
        d.push(
            Some(f.source.span().start),
            rec,
            &format!("{field}.why"),
            "say why, from the report's text".into(),
        );
    }
    Some(Flag {
        why: f.why.clone(),
        source: d.source(&f.source, rec, &format!("{field}.source")),
    })
}

/// A case of the report or an example.
fn technology_kind(d: &mut Diags, kind: &S<String>, rec: &str) -> TechnologyKind {
    match kind.get_ref().as_str() {
        "case" => TechnologyKind::Case,
        "example" => TechnologyKind::Example,
        other => {
            d.push(
                Some(kind.span().start),
                rec,
                "kind",
                format!("unknown kind `{other}` (expected case or example)"),
            );
            TechnologyKind::Case
        }
    }
}

/// Who set the levels, and when.
fn check_judgment(d: &mut Diags, judgment: &RawJudgment, rec: &str) {
    if judgment.author.trim().is_empty() {
        d.push(
            None,
            rec,
            "judgment.author",
            "who set the levels is missing".into(),
        );
    }
    d.date(&judgment.date, rec, "judgment.date");
}

/// The four dimensions, in [`Dimension::ALL`] order; a dimension the file leaves out is refused.
fn parse_dimensions(
    d: &mut Diags,
    raw: &BTreeMap<String, S<RawDimension>>,
    rec: &str,
) -> [Option<DimensionJudgment>; 4] {
    let mut dims: [Option<DimensionJudgment>; 4] = Default::default();
    for (name, dim) in raw {
        if let Some((dimension, j)) = parse_dimension(d, name, dim, rec) {
            dims[dimension.index()] = Some(j);
        }
    }
    for dim in Dimension::ALL {
        if dims[dim.index()].is_none() && !raw.contains_key(dim.id()) {
            d.push(
                None,
                rec,
                &format!("dimensions.{}", dim.id()),
                "missing dimension (give a level, or silent = true)".into(),
            );
        }
    }
    dims
}

/// The ecosystem a file names must be known.
fn check_ecosystem(d: &mut Diags, e: &S<String>, id: &str, known: &dyn Fn(&str) -> bool) {
    if !known(e.get_ref()) {
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
}
