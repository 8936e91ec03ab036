//! The country profiles (`countries.toml`): relationship, stances by dimension, regime, coercion
//! events and legal exposure.

use super::S;
use super::diags::Diags;
use crate::error::Result;
use crate::text::from_toml as parse_toml;
use osa_assess::Dimension;
use osa_assess::geopolitics::{CoercionEvent, CountryProfile, LegalExposure, Regime, Relationship};
use osa_model::CountryCode;
use serde::Deserialize;
use std::collections::BTreeMap;

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

/// Parses the country profiles: for each country its code, relationship, stances, regime,
/// sources, coercion events and legal exposure; a code given twice is refused.
pub fn parse_countries(text: &str, file: &str) -> Result<BTreeMap<CountryCode, CountryProfile>> {
    let raw: RawCountries = parse_toml(text, file)?;
    let mut d = Diags::new(file, text);
    let mut out = BTreeMap::new();
    for c in raw.countries {
        let rec = format!("country \"{}\"", c.code.get_ref());
        let Some(code) = d.country(&c.code, &rec, "code") else {
            continue;
        };
        let profile = country_profile(&mut d, code, &c, &rec);
        if out.contains_key(&code) {
            d.push(
                Some(c.code.span().start),
                &rec,
                "code",
                "duplicate country profile".into(),
            );
        }
        out.insert(code, profile);
    }
    d.finish(out)
}

/// One country's profile (governance and Freedom House scores come from elsewhere).
fn country_profile(d: &mut Diags, code: CountryCode, c: &RawCountry, rec: &str) -> CountryProfile {
    let relationship = relationship(d, &c.relationship, rec, "relationship");
    let stances = stances(d, &c.stances, rec);
    let regime = c.regime.as_ref().and_then(|r| regime(d, r, rec));
    let sources = c
        .sources
        .iter()
        .map(|s| d.source(s, rec, "sources"))
        .collect();
    let coercion = c
        .coercion
        .iter()
        .filter_map(|e| coercion_event(d, e, rec))
        .collect();
    let legal_exposure = c
        .legal_exposure
        .iter()
        .map(|l| LegalExposure {
            text: l.text.clone(),
            source: d.source(&l.source, rec, "legal_exposure.source"),
        })
        .collect();
    CountryProfile {
        code,
        name: c.name.clone(),
        relationship,
        stances,
        regime,
        governance: None,
        freedom_house: None,
        sources,
        coercion,
        legal_exposure,
    }
}

/// A country's stances by dimension, where they differ from its relationship.
fn stances(
    d: &mut Diags,
    raw: &BTreeMap<String, S<String>>,
    rec: &str,
) -> BTreeMap<Dimension, Relationship> {
    let mut stances = BTreeMap::new();
    for (k, v) in raw {
        match k.parse::<Dimension>() {
            Ok(dim) => {
                stances.insert(dim, relationship(d, v, rec, &format!("stances.{k}")));
            }
            Err(m) => d.push(Some(v.span().start), rec, "stances", m),
        }
    }
    stances
}

/// A country's regime, with the file it comes from.
fn regime(d: &mut Diags, r: &S<String>, rec: &str) -> Option<(Regime, String)> {
    match Regime::parse(r.get_ref()) {
        Some(reg) => Some((reg, "data/baseline/countries.toml".to_string())),
        None => {
            d.push(
                Some(r.span().start),
                rec,
                "regime",
                format!("unknown regime `{}`", r.get_ref()),
            );
            None
        }
    }
}

/// One coercion event: its date, target (a country or the EU), text, dimensions and source.
fn coercion_event(d: &mut Diags, e: &RawCoercion, rec: &str) -> Option<CoercionEvent> {
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
}
