//! The embedded assessment baseline: the report's ten technologies, with the levels the report
//! states, every level backed by seed-referenced evidence or an explicit silence marker.

use osa_assess::{Dimension, Level, Source};
use osa_io::baseline;

fn level(b: &osa_assess::Baseline, tech: &str, d: Dimension) -> Option<u8> {
    b.technology(tech)
        .unwrap_or_else(|| panic!("no technology {tech}"))
        .level(d)
        .map(Level::value)
}

#[test]
fn all_ten_technologies_load_with_evidence_or_silence() {
    let b = baseline::embedded().unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<&str> = b.technologies.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "front-end-fabrication",
            "5g-standardization",
            "facial-recognition",
            "chip-design",
            "6g",
            "blockchain",
            "e-cny",
            "v2x",
            "urban-ai",
            "ai-ethics"
        ]
    );
    for t in &b.technologies {
        for d in Dimension::ALL {
            let j = t.judged(d);
            if !j.is_silent() {
                assert!(
                    j.evidence
                        .iter()
                        .any(|e| matches!(e.source, Source::Seed { .. })),
                    "{} {d}: no seed-referenced evidence",
                    t.id
                );
            }
            assert!(!j.rationale.is_empty(), "{} {d}: no rationale", t.id);
        }
        assert!(!t.judgment.author.is_empty());
    }
}

#[test]
fn levels_follow_the_report() {
    let b = baseline::embedded().unwrap_or_else(|e| panic!("{e}"));
    // 6G: national security is "the greatest concern" (seed L2062-2063), the highest of the four.
    let ns = level(&b, "6g", Dimension::NationalSecurity).expect("6G NS level");
    for d in [
        Dimension::SupplyResilience,
        Dimension::ValuesSustainability,
        Dimension::Competitiveness,
    ] {
        assert!(level(&b, "6g", d).is_some_and(|l| l < ns), "6G {d}");
    }
    // Chip design: values "negligible" (seed L1718-1734), 0 or 1 and the lowest of the four.
    let v = level(&b, "chip-design", Dimension::ValuesSustainability).expect("values");
    assert!(v <= 1);
    for d in [
        Dimension::SupplyResilience,
        Dimension::NationalSecurity,
        Dimension::Competitiveness,
    ] {
        assert!(
            level(&b, "chip-design", d).is_some_and(|l| l > v),
            "chip design {d}"
        );
    }
    // Front-end fabrication: a stated tension between supply resilience and national security.
    let fe = b
        .technology("Front-end fabrication")
        .or(b.technology("front-end-fabrication"))
        .expect("front-end");
    assert!(
        fe.tensions
            .iter()
            .any(|t| t.dimensions.contains(&Dimension::SupplyResilience)
                && t.dimensions.contains(&Dimension::NationalSecurity))
    );
    // The report is silent on values for front-end fabrication.
    assert_eq!(
        level(&b, "front-end-fabrication", Dimension::ValuesSustainability),
        None
    );
}

#[test]
fn checklist_has_four_macro_and_six_micro_criteria() {
    let b = baseline::embedded().unwrap_or_else(|e| panic!("{e}"));
    let c = &b.checklist;
    use osa_assess::checklist::CriterionLevel;
    assert_eq!(
        c.criteria
            .iter()
            .filter(|x| x.level == CriterionLevel::Macro)
            .count(),
        4
    );
    assert_eq!(
        c.criteria
            .iter()
            .filter(|x| x.level == CriterionLevel::Micro)
            .count(),
        6
    );
    let apps: Vec<&str> = c.applications.iter().map(|a| a.name.as_str()).collect();
    assert!(apps.contains(&"TikTok") && apps.contains(&"WeChat"));
}

#[test]
fn geopolitics_covers_the_required_countries() {
    let b = baseline::embedded().unwrap_or_else(|e| panic!("{e}"));
    for code in [
        "CHN", "USA", "JPN", "KOR", "TWN", "GBR", "CHE", "NOR", "CAN", "AUS", "IND", "RUS", "SGP",
        "MYS", "VNM", "ISR", "DEU", "FRA", "NLD",
    ] {
        let c = osa_model::CountryCode::parse(code).expect("code");
        assert!(
            b.geopolitics.profiles.contains_key(&c),
            "no profile for {code}"
        );
    }
    let eu = b.geopolitics.blocs.get("EU27").expect("EU27");
    assert_eq!(eu.members_in(2025).len(), 27);
    for m in eu.members_in(2025) {
        assert!(
            b.geopolitics.profiles.contains_key(&m),
            "no profile for member {m}"
        );
    }
    let chn = &b.geopolitics.profiles[&osa_model::CountryCode::parse("CHN").expect("CHN")];
    use osa_assess::geopolitics::Relationship;
    assert_eq!(
        chn.stance(Dimension::NationalSecurity),
        Relationship::SystemicRival
    );
    assert_eq!(
        chn.stance(Dimension::Competitiveness),
        Relationship::Competitor
    );
    assert_eq!(
        chn.stance(Dimension::SupplyResilience),
        Relationship::Partner
    );
    assert!(chn.coercion.iter().any(|e| e.target == "LTU"));
}

#[test]
fn contested_cells_carry_a_range_or_signals_with_their_lines() {
    let b = baseline::embedded().unwrap_or_else(|e| panic!("{e}"));
    let cell = |t: &str, d| {
        b.technology(t)
            .unwrap_or_else(|| panic!("no {t}"))
            .judged(d)
            .clone()
    };
    // Front-end supply resilience: a benefit (more capacity) and a growing dependency, one box.
    let fe = cell("front-end-fabrication", Dimension::SupplyResilience);
    use osa_assess::technology::SignalKind;
    let kinds: Vec<(SignalKind, u8)> = fe
        .signals
        .iter()
        .map(|s| (s.kind, s.level.value()))
        .collect();
    assert_eq!(kinds, [(SignalKind::Benefit, 0), (SignalKind::Risk, 2)]);
    assert!(fe.signals.iter().all(|s| !s.sources.is_empty()));
    // Every cell the review named has a changed level or a recorded range with reason and lines.
    let ranged = [
        ("6g", Dimension::SupplyResilience, 1, 1, 2),
        ("6g", Dimension::NationalSecurity, 4, 3, 4),
        ("5g-standardization", Dimension::NationalSecurity, 2, 2, 3),
        ("v2x", Dimension::SupplyResilience, 2, 2, 3),
        ("chip-design", Dimension::SupplyResilience, 1, 1, 2),
        ("urban-ai", Dimension::ValuesSustainability, 3, 2, 3),
    ];
    for (t, d, level, low, high) in ranged {
        let c = cell(t, d);
        let r = c.range.unwrap_or_else(|| panic!("{t} {d}: no range"));
        assert_eq!(c.level.map(Level::value), Some(level), "{t} {d}");
        assert_eq!((r.low.value(), r.high.value()), (low, high), "{t} {d}");
        assert!(!r.reason.is_empty() && !r.sources.is_empty(), "{t} {d}");
    }
    // AI ethics: the chapter grades no dimension, so every graded cell records a range.
    for d in Dimension::ALL {
        let c = cell("ai-ethics", d);
        assert!(c.is_silent() || c.range.is_some(), "ai-ethics {d}");
    }
}

const MINIMAL: &str = r#"
id = "t"
name = "T"
kind = "case"
chapter = "c"
seed_lines = "L1-2"
summary = "s"
[judgment]
author = "a"
date = "2026-11-30"
method = "m"
[dimensions.supply_resilience]
level = 2
rationale = "r"
[[dimensions.supply_resilience.evidence]]
text = "e"
source = "seed L10-12"
RANGE
[dimensions.national_security]
silent = true
rationale = "r"
[dimensions.values_sustainability]
silent = true
rationale = "r"
[dimensions.competitiveness]
silent = true
rationale = "r"
"#;

fn parse_with(extra: &str) -> Result<osa_assess::Technology, String> {
    baseline::parse_technology(&MINIMAL.replace("RANGE", extra), "t.toml", None)
        .map_err(|e| e.to_string())
}

#[test]
fn ranges_and_signals_are_checked_and_sources_are_required() {
    assert!(parse_with("").is_ok());
    let ok = "[dimensions.supply_resilience.range]\nlow = 1\nhigh = 2\nreason = \"x\"\nsources = [\"seed L5\"]";
    assert!(parse_with(ok).is_ok());
    // A range that excludes the level, an empty source list, an unknown signal kind, a signal
    // without sources, and evidence without a source are all refused.
    for bad in [
        "[dimensions.supply_resilience.range]\nlow = 3\nhigh = 4\nreason = \"x\"\nsources = [\"seed L5\"]",
        "[dimensions.supply_resilience.range]\nlow = 1\nhigh = 2\nreason = \"x\"\nsources = []",
        "[[dimensions.supply_resilience.signals]]\nkind = \"hope\"\nlevel = 0\ntext = \"x\"\nsources = [\"seed L5\"]",
        "[[dimensions.supply_resilience.signals]]\nkind = \"risk\"\nlevel = 2\ntext = \"x\"\nsources = []",
        "[[dimensions.supply_resilience.evidence]]\ntext = \"no source\"",
        "[[dimensions.supply_resilience.evidence]]\ntext = \"empty source\"\nsource = \"\"",
    ] {
        assert!(parse_with(bad).is_err(), "accepted: {bad}");
    }
}

#[test]
fn a_rule_without_a_source_is_refused() {
    let text = include_str!("../../../data/baseline/toolkit.toml");
    assert!(baseline::parse_toolkit(text, "toolkit.toml").is_ok());
    // The last rule's source line, removed; then emptied.
    let i = text.rfind("source = \"seed L").expect("a rule source");
    let j = i + text[i..].find('\n').expect("line end");
    let without = format!("{}{}", &text[..i], &text[j..]);
    let e = baseline::parse_toolkit(&without, "toolkit.toml").expect_err("no source");
    assert!(e.to_string().contains("source"), "{e}");
    let empty = format!("{}source = \"\"{}", &text[..i], &text[j..]);
    assert!(baseline::parse_toolkit(&empty, "toolkit.toml").is_err());
    // Every rule and instrument of the shipped toolkit cites the report or says it is a judgment.
    let tk = baseline::parse_toolkit(text, "toolkit.toml").expect("parses");
    for r in &tk.rules {
        assert!(
            matches!(r.source, Source::Seed { .. } | Source::Judgment(_)),
            "{}: {}",
            r.id,
            r.source
        );
    }
}

#[test]
fn a_bad_ecosystem_in_a_case_file_names_the_case_file() {
    // Observed: the error named no file (it came when the ecosystem was loaded).
    let text = include_str!("../../../data/baseline/cases/chip-design.toml").replace(
        "ecosystem = \"semiconductors\"",
        "ecosystem = \"semiconductorz\"",
    );
    let e = osa_io::baseline::parse_technology(&text, "cases/chip-design.toml", None)
        .expect_err("unknown ecosystem");
    let d = &e.diagnostics()[0];
    assert_eq!(d.file, "cases/chip-design.toml");
    let line = text
        .lines()
        .position(|l| l.starts_with("ecosystem = "))
        .map(|i| i + 1);
    assert_eq!((d.line, d.field.as_str()), (line, "ecosystem"), "{e}");
    assert!(d.message.contains("semiconductorz"), "{e}");
}
