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
    assert_eq!((d.line, d.field.as_str()), (Some(6), "ecosystem"), "{e}");
    assert!(d.message.contains("semiconductorz"), "{e}");
}
