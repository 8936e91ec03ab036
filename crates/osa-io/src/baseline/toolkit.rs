//! The toolkit (`toolkit.toml`): the instruments of step 4, where each strains other dimensions,
//! and the rules that rank them.

use super::S;
use super::diags::Diags;
use crate::error::Result;
use crate::text::from_toml as parse_toml;
use osa_assess::toolkit::{Condition, Instrument, Rule, Strain, Toolkit};
use serde::Deserialize;

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
    #[serde(default)]
    keywords: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStrain {
    dimension: S<String>,
    text: String,
    #[serde(default)]
    inference: bool,
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

/// Parses a toolkit file: the format, the instruments (ids unique), then the rules (each naming a
/// known instrument, with a non-negative weight and conditions that parse).
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
        .map(|i| instrument(&mut d, i))
        .collect();
    check_unique_ids(&mut d, &raw.instruments);
    let rules = raw
        .rules
        .iter()
        .map(|r| rule(&mut d, r, &instruments))
        .collect();
    d.finish(Toolkit {
        instruments,
        rules,
        recommendation_weight: raw.recommendation_weight,
    })
}

/// One instrument with the dimensions it serves and strains.
fn instrument(d: &mut Diags, i: &RawInstrument) -> Instrument {
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
            .filter_map(|s| strain(d, s, &rec))
            .collect(),
        keywords: i.keywords.iter().map(|k| k.to_lowercase()).collect(),
        source: d.source(&i.source, &rec, "source"),
    }
}

/// Where an instrument strains a dimension.
fn strain(d: &mut Diags, s: &RawStrain, rec: &str) -> Option<Strain> {
    let dim = d.dimension(&s.dimension, rec, "strains.dimension")?;
    Some(Strain {
        dimension: dim,
        text: s.text.clone(),
        inference: s.inference,
        source: d.source(&s.source, rec, "strains.source"),
    })
}

/// Refuses an instrument id given twice.
fn check_unique_ids(d: &mut Diags, instruments: &[RawInstrument]) {
    for (k, i) in instruments.iter().enumerate() {
        if instruments[..k]
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
}

/// One rule: its instrument must exist, its weight be non-negative and its conditions parse.
fn rule(d: &mut Diags, r: &RawRule, instruments: &[Instrument]) -> Rule {
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
}
