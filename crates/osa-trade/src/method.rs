//! Screening methods as data (`osa-screen-method/1`): which indicators a product must pass, with
//! which thresholds, and whether the verdict must persist over the previous years. Two are built
//! in: `swd2021` (the Commission's three indicators, SWD(2021) 352) and `geodep2024` (CEPII's
//! GeoDep, Policy Brief 47, 2024); a user copies either file and edits it (`--method FILE`).
//!
//! A product *meets* a method in year t when every criterion holds in t; it is *dependent* in t
//! when it meets it in t and, with a `[persistence]` table, in at least `at_least` of the
//! `years_before` years before t (GeoDep's "at least two years in a three-year window", read as
//! t and one of t-1, t-2). Errors name the file, the line and the field.

use crate::error::{Error, Result};
use serde::Deserialize;
use toml::Spanned;

/// The built-in `swd2021` method file.
pub const SWD2021: &str = include_str!("../../../data/trade/methods/swd2021.toml");
/// The built-in `geodep2024` method file.
pub const GEODEP2024: &str = include_str!("../../../data/trade/methods/geodep2024.toml");

/// Most criteria a method may list.
const MAX_CRITERIA: usize = 16;
/// Longest persistence window, in years.
const MAX_WINDOW: u16 = 10;

/// An indicator a criterion tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indicator {
    /// HHI of the importer's suppliers outside it (0-1).
    ImportHhi,
    /// Imports from outside over all imports (0-1; 1 for a country).
    ExtraShare,
    /// Imports from outside over exports to outside (9999 when exports are nil).
    ImportExportRatio,
    /// HHI of the world's exporters of the product (0-1).
    WorldExportHhi,
}

impl Indicator {
    /// The name in method files and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Indicator::ImportHhi => "import_hhi",
            Indicator::ExtraShare => "extra_share",
            Indicator::ImportExportRatio => "import_export_ratio",
            Indicator::WorldExportHhi => "world_export_hhi",
        }
    }

    fn parse(s: &str) -> Option<Indicator> {
        [
            Indicator::ImportHhi,
            Indicator::ExtraShare,
            Indicator::ImportExportRatio,
            Indicator::WorldExportHhi,
        ]
        .into_iter()
        .find(|i| i.as_str() == s)
    }
}

/// One criterion: an indicator against a threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Criterion {
    /// What is tested.
    pub indicator: Indicator,
    /// The threshold.
    pub threshold: f64,
    /// Greater or equal passes (`at_least`); else strictly greater (`above`).
    pub inclusive: bool,
}

impl Criterion {
    /// Whether a value passes.
    pub fn passes(&self, v: f64) -> bool {
        if self.inclusive {
            v >= self.threshold
        } else {
            v > self.threshold
        }
    }

    /// `import_hhi > 0.4`.
    pub fn describe(&self) -> String {
        format!(
            "{} {} {}",
            self.indicator.as_str(),
            if self.inclusive { ">=" } else { ">" },
            self.threshold
        )
    }
}

/// The persistence rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Persistence {
    /// How many years before t are looked at.
    pub years_before: u16,
    /// In how many of them the criteria must also hold.
    pub at_least: u16,
}

/// A screening method.
#[derive(Debug, Clone, PartialEq)]
pub struct Method {
    /// Short name (`swd2021`).
    pub id: String,
    /// Long name.
    pub name: String,
    /// The publication it follows.
    pub source: String,
    /// Every criterion must pass.
    pub criteria: Vec<Criterion>,
    /// Optional persistence over previous years.
    pub persistence: Option<Persistence>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMethod {
    format: Spanned<String>,
    id: Spanned<String>,
    name: String,
    source: Spanned<String>,
    criteria: Spanned<Vec<RawCriterion>>,
    persistence: Option<Spanned<RawPersistence>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    indicator: Spanned<String>,
    above: Option<Spanned<f64>>,
    at_least: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPersistence {
    years_before: u16,
    at_least: u16,
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    1 + text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

impl Method {
    /// A built-in method by name (`swd2021`, `geodep2024`).
    pub fn builtin(id: &str) -> Option<Method> {
        let (text, file) = match id {
            "swd2021" => (SWD2021, "data/trade/methods/swd2021.toml"),
            "geodep2024" => (GEODEP2024, "data/trade/methods/geodep2024.toml"),
            _ => return None,
        };
        Method::parse(text, file).ok()
    }

    /// Parses a method file; errors name the file, the line and the field.
    pub fn parse(text: &str, file: &str) -> Result<Method> {
        let raw: RawMethod = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| line_of(text, s.start));
            Error::data(file, line, "toml", e.message().trim().to_string())
        })?;
        let at = |span: std::ops::Range<usize>, field: &str, msg: String| {
            Error::data(file, line_of(text, span.start), field, msg)
        };
        if raw.format.get_ref() != "osa-screen-method/1" {
            return Err(at(
                raw.format.span(),
                "format",
                format!("`{}`, expected `osa-screen-method/1`", raw.format.get_ref()),
            ));
        }
        let id_ok = !raw.id.get_ref().is_empty()
            && raw
                .id
                .get_ref()
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !id_ok {
            return Err(at(
                raw.id.span(),
                "id",
                "letters, digits, `-` and `_` only, not empty".into(),
            ));
        }
        if raw.source.get_ref().trim().is_empty() {
            return Err(at(
                raw.source.span(),
                "source",
                "name the publication the method follows".into(),
            ));
        }
        let span = raw.criteria.span();
        let raws = raw.criteria.into_inner();
        if raws.is_empty() || raws.len() > MAX_CRITERIA {
            return Err(at(
                span,
                "criteria",
                format!("between 1 and {MAX_CRITERIA} criteria"),
            ));
        }
        let criteria = raws
            .into_iter()
            .map(|c| criterion(c, &at))
            .collect::<Result<Vec<_>>>()?;
        let persistence = match raw.persistence {
            None => None,
            Some(p) => {
                let span = p.span();
                let p = p.into_inner();
                if p.years_before == 0 || p.years_before > MAX_WINDOW || p.at_least > p.years_before
                {
                    return Err(at(
                        span,
                        "persistence",
                        format!(
                            "years_before must be 1-{MAX_WINDOW} and at_least at most years_before (found {} and {})",
                            p.years_before, p.at_least
                        ),
                    ));
                }
                Some(Persistence {
                    years_before: p.years_before,
                    at_least: p.at_least,
                })
            }
        };
        Ok(Method {
            id: raw.id.into_inner(),
            name: raw.name,
            source: raw.source.into_inner(),
            criteria,
            persistence,
        })
    }

    /// Whether the method tests an indicator.
    pub fn uses(&self, i: Indicator) -> bool {
        self.criteria.iter().any(|c| c.indicator == i)
    }

    /// Whether every criterion passes, given each indicator's value.
    pub fn meets(&self, value: impl Fn(Indicator) -> f64) -> bool {
        self.criteria.iter().all(|c| c.passes(value(c.indicator)))
    }

    /// The rule in one line: `import_hhi > 0.4 and ... ; persistent: ...`.
    pub fn describe(&self) -> String {
        let mut s = self
            .criteria
            .iter()
            .map(Criterion::describe)
            .collect::<Vec<_>>()
            .join(" and ");
        if let Some(p) = self.persistence {
            s.push_str(&format!(
                "; in year t and in at least {} of the {} years before",
                p.at_least, p.years_before
            ));
        }
        s
    }
}

fn criterion(
    c: RawCriterion,
    at: &impl Fn(std::ops::Range<usize>, &str, String) -> Error,
) -> Result<Criterion> {
    let indicator = Indicator::parse(c.indicator.get_ref()).ok_or_else(|| {
        at(
            c.indicator.span(),
            "indicator",
            format!(
                "`{}` is not one of import_hhi, extra_share, import_export_ratio, world_export_hhi",
                c.indicator.get_ref()
            ),
        )
    })?;
    let (value, inclusive) = match (c.above, c.at_least) {
        (Some(v), None) => (v, false),
        (None, Some(v)) => (v, true),
        _ => {
            return Err(at(
                c.indicator.span(),
                "above",
                "give exactly one of `above` (strictly greater) and `at_least`".into(),
            ));
        }
    };
    let field = if inclusive { "at_least" } else { "above" };
    let t = *value.get_ref();
    if !(t.is_finite() && t >= 0.0) {
        return Err(at(
            value.span(),
            field,
            format!("{t} must be a non-negative number"),
        ));
    }
    Ok(Criterion {
        indicator,
        threshold: t,
        inclusive,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_parse() {
        let s = Method::builtin("swd2021").expect("swd2021");
        assert_eq!(
            s.describe(),
            "import_hhi > 0.4 and extra_share > 0.5 and import_export_ratio > 1"
        );
        let g = Method::builtin("geodep2024").expect("geodep2024");
        assert_eq!(
            g.persistence,
            Some(Persistence {
                years_before: 2,
                at_least: 1
            })
        );
        assert!(g.uses(Indicator::WorldExportHhi));
        assert!(g.source.contains("Policy Brief No 47"));
    }

    #[test]
    fn a_bad_method_names_file_line_and_field() {
        let text = SWD2021.replace("above = 1.0", "at_least = -2");
        let e = Method::parse(&text, "m.toml").unwrap_err().to_string();
        assert!(
            e.starts_with("m.toml:20: field `at_least`: -2 must be"),
            "{e}"
        );
        let text = SWD2021.replace("\"extra_share\"", "\"share\"");
        let e = Method::parse(&text, "m.toml").unwrap_err().to_string();
        assert!(e.starts_with("m.toml:15: field `indicator`"), "{e}");
        let e = Method::parse("format = 3\n", "m.toml")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("m.toml:1: field `toml`"), "{e}");
    }

    #[test]
    fn a_deficit_of_at_least_twice() {
        let text = SWD2021.replace("above = 1.0", "at_least = 2.0");
        let m = Method::parse(&text, "m.toml").expect("parses");
        let c = m.criteria[2];
        assert!(c.passes(2.0) && !c.passes(1.99));
    }
}
