//! One dimension of a technology file: its level (or silence), evidence, contested range and
//! divergent signals.

use super::S;
use super::diags::Diags;
use osa_assess::technology::{DimensionJudgment, Evidence, LevelRange, Signal, SignalKind};
use osa_assess::{Dimension, Level, Source};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDimension {
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
pub(super) fn parse_dimension(
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
