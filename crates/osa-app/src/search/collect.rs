//! The entries of the search index, gathered from what the record publishes: a baseline's
//! technologies (summary, rationales, evidence, recommendations), actors, an ecosystem's inputs
//! and HS6 codes, scenarios, and the report's lines. Each entry links to the page that shows it.
//! Events and proposals are gathered by the workbench, which holds their types.

use super::{Entry, SearchKind};
use crate::reader::SeedText;
use osa_assess::{Baseline, Dimension};
use osa_model::Ecosystem;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use std::collections::BTreeMap;

/// A value for a link's query string.
pub fn query_value(s: &str) -> String {
    utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
}

/// A path segment of a link.
pub fn segment(s: &str) -> String {
    query_value(s)
}

/// A technology, its four rationales with their evidence, and its recommendations.
pub fn technologies(b: &Baseline, out: &mut Vec<Entry>) {
    for t in &b.technologies {
        let tech = segment(&t.id);
        out.push(Entry {
            kind: SearchKind::Technology,
            title: t.name.clone(),
            link: format!("/tech/{tech}"),
            text: format!("{} {}. {}", t.id, t.chapter, t.summary),
        });
        for d in Dimension::ALL {
            judgment(t, d, out);
        }
        for r in &t.recommendations {
            out.push(Entry {
                kind: SearchKind::Evidence,
                title: format!("{}: the report recommends", t.name),
                link: format!("/tech/{tech}"),
                text: format!("{} ({})", r.text, r.source),
            });
        }
    }
}

/// The coercion each country profile records (step 3's evidence of weaponization), linked to the
/// first technology whose dependency is on that country.
pub fn coercion(b: &Baseline, out: &mut Vec<Entry>) {
    for (code, p) in &b.geopolitics.profiles {
        let link = b
            .technologies
            .iter()
            .find(|t| t.counterparts.iter().any(|c| c.country == *code))
            .map_or_else(
                || "/sources".to_string(),
                |t| format!("/tech/{}", segment(&t.id)),
            );
        for c in &p.coercion {
            out.push(Entry {
                kind: SearchKind::Evidence,
                title: format!("{}: coercion against {}, {}", p.name, c.target, c.date),
                link: link.clone(),
                text: format!("{} ({})", c.text, c.source),
            });
        }
    }
}

/// One dimension's rationale and evidence.
fn judgment(t: &osa_assess::Technology, d: Dimension, out: &mut Vec<Entry>) {
    let j = t.judged(d);
    let link = format!("/tech/{}/{}/history", segment(&t.id), d.id());
    if !j.rationale.trim().is_empty() {
        out.push(Entry {
            kind: SearchKind::Rationale,
            title: format!("{}: {}", t.name, d.name()),
            link: link.clone(),
            text: j.rationale.clone(),
        });
    }
    for e in &j.evidence {
        out.push(Entry {
            kind: SearchKind::Evidence,
            title: format!("{}: {}", t.name, d.name()),
            link: link.clone(),
            text: format!("{} ({})", e.text, e.source),
        });
    }
}

/// The actors to watch, once each (an actor named by several technologies lists them all).
pub fn actors(b: &Baseline, out: &mut Vec<Entry>) {
    let mut by_name: BTreeMap<&str, (String, Vec<&str>)> = BTreeMap::new();
    for t in &b.technologies {
        for a in &t.actors {
            let e = by_name.entry(a.name.as_str()).or_insert_with(|| {
                (
                    format!("{} ({}). {}", a.role, a.source, a.relevance.why),
                    vec![],
                )
            });
            e.1.push(t.name.as_str());
        }
    }
    for (name, (text, techs)) in by_name {
        out.push(Entry {
            kind: SearchKind::Actor,
            title: name.to_string(),
            link: format!("/actors?filter={}", query_value(name)),
            text: format!("{text} Watched for: {}.", techs.join(", ")),
        });
    }
}

/// An ecosystem's inputs, and one product entry per HS6 code it gives an input.
pub fn ecosystem(eco: &Ecosystem, out: &mut Vec<Entry>) {
    let name = segment(&eco.id);
    for i in &eco.inputs {
        let link = format!("/ecosystems/{name}/inputs/{}", segment(&i.id));
        out.push(Entry {
            kind: SearchKind::Input,
            title: format!("{} ({})", i.name, eco.name),
            link: link.clone(),
            text: format!("{} {}. {}", i.id, i.description, i.notes),
        });
        for code in &i.hs6 {
            out.push(Entry {
                kind: SearchKind::Product,
                title: format!("HS {code}: {}", i.name),
                link: link.clone(),
                text: format!(
                    "HS6 {code}, the code {} gives the input {} ({}).",
                    eco.name, i.name, i.id
                ),
            });
        }
    }
}

/// A scenario (osa TOML), searched as written.
pub fn scenario(key: &str, body: &str, out: &mut Vec<Entry>) {
    let title = body
        .lines()
        .find_map(|l| {
            let l = l.trim();
            let v = l.strip_prefix("name")?.trim_start().strip_prefix('=')?;
            Some(v.trim().trim_matches('"').to_string())
        })
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| key.to_string());
    out.push(Entry {
        kind: SearchKind::Scenario,
        title,
        link: format!("/scenarios/{}", segment(key)),
        text: body.chars().take(20_000).collect(),
    });
}

/// Lines of the report one entry holds.
pub const REPORT_LINES: usize = 4;

/// The report, one entry per [`REPORT_LINES`] lines (the lines citations count), with words that
/// a line break hyphenates joined again ("sup-" + "plied").
pub fn report(seed: &SeedText, out: &mut Vec<Entry>) {
    let lines: Vec<(usize, &str)> = seed.lines().collect();
    for chunk in lines.chunks(REPORT_LINES) {
        let (first, last) = (chunk[0].0, chunk[chunk.len() - 1].0);
        out.push(Entry {
            kind: SearchKind::Report,
            title: format!("The report, lines {first}-{last}"),
            link: format!("/seed?lines={first}-{last}"),
            text: join_lines(chunk.iter().map(|(_, l)| *l)),
        });
    }
}

/// Lines joined with spaces, a trailing hyphen joining its word to the next line's.
pub fn join_lines<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for l in lines {
        let l = l.trim();
        if out.ends_with('-') && l.starts_with(|c: char| c.is_lowercase()) {
            out.pop();
        } else if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(l);
    }
    out
}
