//! The likelihood parameters (`likelihood.toml`) of step 3, checked so that the model keeps its
//! properties.

use super::S;
use super::diags::Diags;
use crate::error::Result;
use crate::text::from_toml as parse_toml;
use osa_assess::Dimension;
use osa_assess::geopolitics::{LikelihoodParams, Regime, Relationship};
use serde::Deserialize;
use std::collections::BTreeMap;

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

/// The record every diagnostic of this file names.
const REC: &str = "likelihood parameters";

/// Parses the likelihood parameters, checking ranges that keep the model's properties
/// (probabilities in 0-1; an alliance and EU leverage can only lower the likelihood): the format,
/// the base likelihood by relationship, the regime and legal-exposure terms, the tolerances, then
/// the bounds of the alliance, deterrence and clamp.
pub fn parse_likelihood(text: &str, file: &str) -> Result<LikelihoodParams> {
    let raw: RawLikelihood = parse_toml(text, file)?;
    let mut d = Diags::new(file, text);
    if raw.format != "osa-likelihood/1" {
        d.push(
            None,
            REC,
            "format",
            format!("unsupported format `{}`", raw.format),
        );
    }
    let source = d.source(&raw.source, REC, "source");
    let base = base_likelihood(&mut d, &raw.base);
    let regime = regime_terms(&mut d, &raw.regime);
    let legal_exposure = legal_exposure_terms(&mut d, &raw.legal_exposure);
    let tolerance = tolerances(&mut d, &raw.tolerance);
    check_bounds(&mut d, &raw);
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

/// The base likelihood by relationship: every relationship present, each a probability.
fn base_likelihood(d: &mut Diags, raw: &BTreeMap<String, f64>) -> BTreeMap<Relationship, f64> {
    let mut base = BTreeMap::new();
    for (k, v) in raw {
        match Relationship::parse(k) {
            Some(r) if (0.0..=1.0).contains(v) => {
                base.insert(r, *v);
            }
            Some(_) => d.push(
                None,
                REC,
                &format!("base.{k}"),
                format!("{v} is outside 0-1"),
            ),
            None => d.push(None, REC, "base", format!("unknown relationship `{k}`")),
        }
    }
    for &(r, name) in Relationship::ALL {
        if !base.contains_key(&r) {
            d.push(None, REC, &format!("base.{name}"), "missing".into());
        }
    }
    base
}

/// The term added by the counterpart's regime.
fn regime_terms(d: &mut Diags, raw: &BTreeMap<String, f64>) -> BTreeMap<Regime, f64> {
    let mut regime = BTreeMap::new();
    for (k, v) in raw {
        match Regime::parse(k) {
            Some(r) => {
                regime.insert(r, *v);
            }
            None => d.push(None, REC, "regime", format!("unknown regime `{k}`")),
        }
    }
    regime
}

/// The term added by legal exposure, by dimension.
fn legal_exposure_terms(d: &mut Diags, raw: &BTreeMap<String, f64>) -> BTreeMap<Dimension, f64> {
    let mut legal_exposure = BTreeMap::new();
    for (k, v) in raw {
        match k.parse::<Dimension>() {
            Ok(dim) => {
                legal_exposure.insert(dim, *v);
            }
            Err(m) => d.push(None, REC, "legal_exposure", m),
        }
    }
    legal_exposure
}

/// The tolerance by relationship and dimension.
fn tolerances(
    d: &mut Diags,
    raw: &BTreeMap<String, BTreeMap<String, f64>>,
) -> BTreeMap<(Relationship, Dimension), f64> {
    let mut tolerance = BTreeMap::new();
    for (r, dims) in raw {
        let Some(rel) = Relationship::parse(r) else {
            d.push(
                None,
                REC,
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
                Err(m) => d.push(None, REC, &format!("tolerance.{r}"), m),
            }
        }
    }
    tolerance
}

/// Bounds that keep the model's properties: an alliance and EU leverage can only lower the
/// likelihood, and the clamp stays within 0-1.
fn check_bounds(d: &mut Diags, raw: &RawLikelihood) {
    if !(0.0..=1.0).contains(&raw.alliance.factor) {
        d.push(
            None,
            REC,
            "alliance.factor",
            "must lie in 0-1 (an alliance cannot raise the likelihood)".into(),
        );
    }
    if !(0.0..=1.0).contains(&raw.deterrence.max) {
        d.push(
            None,
            REC,
            "deterrence.max",
            "must lie in 0-1 (EU leverage cannot raise the likelihood)".into(),
        );
    }
    if !(0.0 <= raw.clamp.floor && raw.clamp.floor <= raw.clamp.ceiling && raw.clamp.ceiling <= 1.0)
    {
        d.push(None, REC, "clamp", "need 0 <= floor <= ceiling <= 1".into());
    }
}
