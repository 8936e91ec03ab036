//! Loading blocs with dated memberships (`data/baseline/blocs.toml`, format in docs/formats.md §2.2).

use crate::error::{Diagnostic, Error, Result};
use crate::lines::LineIndex;
use osa_model::{Bloc, Blocs, CountryCode, Date, Membership};
use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    blocs: Vec<RawBloc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBloc {
    id: Spanned<String>,
    name: String,
    #[serde(default)]
    security: bool,
    #[serde(default)]
    source: String,
    #[serde(default)]
    members: Vec<RawMember>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMember {
    country: Spanned<String>,
    #[serde(default)]
    from: Option<Spanned<String>>,
    #[serde(default)]
    until: Option<Spanned<String>>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

/// Parses a blocs file.
pub fn parse(text: &str, file: &str) -> Result<Blocs> {
    let lines = LineIndex::new(text);
    let raw: RawFile = crate::text::from_toml(text, file)?;
    let mut diags = Vec::new();
    let mut blocs = Vec::new();
    for b in raw.blocs {
        let record = format!("bloc \"{}\"", b.id.get_ref());
        let mut members = Vec::new();
        for m in b.members {
            let mut diag = |span: std::ops::Range<usize>, field: &str, message: String| {
                diags.push(Diagnostic {
                    file: file.to_string(),
                    line: Some(lines.line(span.start)),
                    record: record.clone(),
                    field: field.to_string(),
                    message,
                })
            };
            let Some(country) = CountryCode::parse(m.country.get_ref()) else {
                diag(
                    m.country.span(),
                    "country",
                    format!("unknown country code `{}`", m.country.get_ref()),
                );
                continue;
            };
            let mut date = |d: &Option<Spanned<String>>, field: &str| -> Option<Date> {
                let d = d.as_ref()?;
                let parsed = Date::parse(d.get_ref());
                if parsed.is_none() {
                    diag(
                        d.span(),
                        field,
                        format!("`{}` is not a date (YYYY-MM-DD)", d.get_ref()),
                    );
                }
                parsed
            };
            let from = date(&m.from, "from");
            let until = date(&m.until, "until");
            if let (Some(f), Some(u)) = (from, until)
                && u <= f
            {
                diag(
                    m.country.span(),
                    "until",
                    format!("membership of {country} ends ({u}) before it starts ({f})"),
                );
            }
            members.push(Membership {
                country,
                from,
                until,
            });
        }
        blocs.push(Bloc {
            id: b.id.get_ref().clone(),
            name: b.name,
            security: b.security,
            members,
            source: b.source,
        });
    }
    if diags.is_empty() {
        Ok(Blocs::new(blocs))
    } else {
        Err(Error::Invalid(diags))
    }
}
