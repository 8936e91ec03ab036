//! The embedded defaults as files an analyst can edit: the whole assessment baseline (for
//! `osa baseline export`), the toolkit alone (`osa toolkit export`), and a commented template of a
//! technology case (`osa new technology`) that loads as written and says what to fill in.

use crate::baseline::{CASES, CHECKLIST, COUNTRIES, LIKELIHOOD, TOOLKIT};
use crate::builtin::BLOCS_TOML;

/// The embedded baseline as (relative path, text) pairs, in the layout `--baseline DIR` reads.
pub fn baseline_files() -> Vec<(String, &'static str)> {
    let mut files: Vec<(String, &'static str)> = vec![
        ("countries.toml".into(), COUNTRIES),
        ("blocs.toml".into(), BLOCS_TOML),
        ("likelihood.toml".into(), LIKELIHOOD),
        ("toolkit.toml".into(), TOOLKIT),
        ("checklist.toml".into(), CHECKLIST),
    ];
    files.extend(CASES.iter().map(|(f, t)| (format!("cases/{f}"), *t)));
    files
}

/// The embedded toolkit file (instruments and rules).
pub fn toolkit() -> &'static str {
    TOOLKIT
}

/// Whether `id` can name a technology file: lowercase ASCII letters, digits and hyphens, starting
/// with a letter or digit.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A commented case template for technology `id`, judged by `author` on `date` (YYYY-MM-DD). It
/// loads as written: every dimension starts silent, with a commented example of a level and its
/// evidence.
pub fn technology(id: &str, author: &str, date: &str) -> String {
    let name = title_case(id);
    let mut out = format!(
        r#"# A technology case for osa (format: osa's assessment baseline, one file per technology).
# Fill in what you know; every level needs a rationale and evidence with a source. A source is
#   "pub: Author, Title, Publisher, Year, address"   a publication,
#   "data: Dataset, release, table"                   a dataset,
#   "judgment: who, when, why"                        your own judgment,
#   "seed L<from>-<to>"                               lines of the Digital Power China report.
# Check it with: osa assess {id} --baseline <this baseline folder>

id = "{id}"
name = "{name}"
kind = "case"                 # case (a full case study) or example (a short illustration)
# chapter = "Where the assessment is written up (optional)"
summary = "One paragraph: what the technology is and where the EU's dependencies lie."
# ecosystem = "semiconductors" # a built-in ecosystem or a file, for step 1 (optional)
# scope = ["euv-lithography"]  # the ecosystem's input ids this technology rests on (osa metrics ECOSYSTEM lists them)

[judgment]
author = "{author}"
date = "{date}"
method = "How the levels were set (reading of sources, expert workshop, ...)"
"#
    );
    for (dim, words) in [
        ("supply_resilience", "supply-chain resilience"),
        ("national_security", "national security"),
        ("values_sustainability", "values and sustainability"),
        ("competitiveness", "technological competitiveness"),
    ] {
        out.push_str(&dimension_block(dim, words));
    }
    out.push_str(STEPS_3_AND_4);
    out
}

/// A technology id as a title: `front-end-fabrication` becomes `Front End Fabrication`.
fn title_case(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The template's block for one dimension: silent, with a commented example level and evidence.
fn dimension_block(dim: &str, words: &str) -> String {
    format!(
        r#"
# {words}: a level 0-4 (0 none, 1 low, 2 moderate, 3 high, 4 critical) with evidence,
# or silent = true while you have nothing to say.
[dimensions.{dim}]
silent = true
rationale = "Not assessed yet."
# level = 2                   # replaces silent = true
# rationale = "Why this level."
# [[dimensions.{dim}.evidence]]
# text = "What the source says."
# source = "pub: Author, Title, Publisher, Year"
"#
    )
}

/// The template's end: counterparts (step 3), actors, and recommendations (step 4), commented.
const STEPS_3_AND_4: &str = r#"
# Step 3, the geopolitical context: the countries the EU depends on for this technology.
# Without counterparts osa cannot say how likely a weaponization is.
# [[counterparts]]
# country = "CHN"              # ISO 3166-1 alpha-3
# note = "Why this country matters here."
# source = "judgment: who, when, why"

# Actors to watch (kind: party_organ, ministry, agency, regulator, soe, firm, standards_body,
# research_institute, university, alliance, eu_body, ...).
# [[actors]]
# name = "An organisation"
# kind = "firm"
# country = "CHN"
# role = "What it does."
# source = "pub: ..."

# Step 4: what your source itself recommends for this technology comes first in step 4, labelled
# "the report recommends", before osa's rule-based suggestions (instrument ids: osa toolkit
# export). Name only instruments the quoted words name.
# [[recommendations]]
# text = "What should be done."
# instruments = ["industrial_policy"]
# dimensions = ["national_security"]
# quote = "The source's own words."
# source = "pub: ..."
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_loads_as_written() {
        let text = technology("quantum-sensing", "A. Analyst", "2026-11-30");
        let t = crate::baseline::parse_technology(&text, "quantum-sensing.toml", None)
            .expect("template parses");
        assert_eq!(t.id, "quantum-sensing");
        assert_eq!(t.name, "Quantum Sensing");
        assert_eq!(t.judgment.author, "A. Analyst");
        assert!(t.seed_lines.is_empty());
    }

    #[test]
    fn ids_are_file_names() {
        assert!(valid_id("quantum"));
        assert!(valid_id("6g-ran"));
        assert!(!valid_id("../etc"));
        assert!(!valid_id("Quantum"));
        assert!(!valid_id(""));
    }

    #[test]
    fn the_baseline_files_are_complete() {
        let files = baseline_files();
        assert_eq!(files.len(), 5 + CASES.len());
        assert!(files.iter().any(|(p, _)| p == "cases/6g.toml"));
    }
}
