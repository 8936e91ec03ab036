//! End-to-end tests of issue 19: step 4 in two tiers (what the report recommends for the
//! technology, quoted with its lines, then osa's inference with the rules that fired), rules on
//! tensions only on trade-offs, rules scoped to consumer-facing technologies, the AI-ethics row
//! marked as osa's construction, the basis of every matrix cell, and a check that every
//! recommendation tag of the baseline names its instrument within its cited lines.

use crate::util::{json, repo, stdout};
use serde_json::Value;
use std::path::PathBuf;

/// The instruments of a dossier as (id, tier), in order.
fn tiers(d: &Value) -> Vec<(String, String)> {
    d["instruments"]
        .as_array()
        .expect("instruments")
        .iter()
        .map(|i| {
            (
                i["id"].as_str().expect("id").to_string(),
                i["tier"].as_str().expect("tier").to_string(),
            )
        })
        .collect()
}

/// Where an instrument stands in a dossier's step 4 (0-based), if it is there.
fn position(d: &Value, id: &str) -> Option<usize> {
    tiers(d).iter().position(|(i, _)| i == id)
}

/// The ids of the rules that fired anywhere in a dossier's step 4.
fn fired(d: &Value) -> Vec<String> {
    d["instruments"]
        .as_array()
        .expect("instruments")
        .iter()
        .flat_map(|i| i["triggers"].as_array().cloned().unwrap_or_default())
        .filter(|t| t["kind"] == "rule")
        .filter_map(|t| t["id"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn chip_design_has_no_export_controls_labelled_as_the_reports() {
    let d = json(&["assess", "chip-design", "--format", "json"]);
    // The tag at the old chip-design.toml:494 said the report recommends export controls; its
    // lines (seed L1944-1953) ask that indispensability inform assessments of US controls.
    for i in d["instruments"].as_array().expect("instruments") {
        if i["id"] == "export_controls" {
            assert_eq!(i["tier"], "osa", "export controls labelled as the report's");
            assert_eq!(i["label"], "osa's inference");
            assert!(
                i["triggers"]
                    .as_array()
                    .expect("triggers")
                    .iter()
                    .all(|t| t["kind"] == "rule")
            );
        }
    }
    for r in d["recommendations"].as_array().expect("recommendations") {
        assert!(
            !r["instruments"]
                .as_array()
                .expect("instruments")
                .contains(&Value::from("export_controls")),
            "{r}"
        );
    }
    let us = d["recommendations"]
        .as_array()
        .expect("recommendations")
        .iter()
        .find(|r| r["source"] == "seed L1944-1953")
        .expect("the US export controls passage");
    assert_eq!(us["instruments"], serde_json::json!(["monitoring"]));
    assert!(
        us["quote"]
            .as_str()
            .is_some_and(|q| q.contains("assessments of US export controls"))
    );
    let table = stdout(&["assess", "chip-design"]);
    assert!(
        !table
            .lines()
            .any(|l| l.contains("Export controls [the report recommends]")),
        "{table}"
    );
}

#[test]
fn e_cny_puts_the_digital_euro_first_quoted_from_its_lines() {
    let d = json(&["assess", "e-cny", "--format", "json"]);
    let first = &d["instruments"][0];
    assert_eq!(first["id"], "payment_infrastructure");
    assert_eq!(first["tier"], "report");
    assert_eq!(first["label"], "the report recommends");
    let trigger = &first["triggers"][0];
    assert_eq!(trigger["kind"], "report");
    // The chapter's first recommendation, L4755-4762; its core (L4755-4758) is quoted.
    assert_eq!(trigger["source"], "seed L4755-4762");
    let quote = trigger["quote"].as_str().expect("a quote");
    assert!(
        quote.contains("Europe should speed up the development of its digital euro and issue it"),
        "{quote}"
    );
    assert!(
        first["rationale"].as_str().is_some_and(|r| r.starts_with(
            "The report recommends it for this technology: \u{201c}To protect the resilience"
        )),
        "{}",
        first["rationale"]
    );
    // Regulation was tagged on the CBDC passage (L4748-4752) without being named there: it is
    // osa's inference now, after the report's own recommendations.
    let regulation = position(&d, "regulation").expect("regulation");
    assert_eq!(tiers(&d)[regulation].1, "osa");
    let table = stdout(&["assess", "e-cny"]);
    let step4 = &table[table.find("STEP 4").expect("step 4")..];
    assert!(
        step4.contains(
            "1. European payment infrastructure (the digital euro) [the report recommends]"
        ),
        "{step4}"
    );
    assert!(step4.contains("seed L4755-4762"), "{step4}");
}

#[test]
fn v2x_puts_mutual_dependence_and_joint_development_above_reshoring() {
    let d = json(&["assess", "v2x", "--format", "json"]);
    let reshoring = position(&d, "industrial_policy").expect("industrial policy is suggested");
    assert!(
        reshoring >= 3,
        "reshoring in the top three: {:?}",
        tiers(&d)
    );
    assert_eq!(
        tiers(&d)[reshoring].1,
        "osa",
        "reshoring labelled as the report's"
    );
    let mutual = position(&d, "interdependence").expect("mutual dependence");
    let joint = position(&d, "diplomacy").expect("joint development");
    assert!(mutual < reshoring && joint < reshoring, "{:?}", tiers(&d));
    let quoted = |id: &str, words: &str| {
        d["instruments"][position(&d, id).expect("instrument")]["triggers"]
            .as_array()
            .expect("triggers")
            .iter()
            .any(|t| t["quote"].as_str().is_some_and(|q| q.contains(words)))
    };
    assert!(quoted(
        "interdependence",
        "maintaining Chinese dependencies on the EU"
    ));
    assert!(quoted(
        "diplomacy",
        "Aim for joint development of V2X technologies and standards"
    ));
}

#[test]
fn compounding_tensions_get_no_isolation_advice() {
    for id in ["facial-recognition", "front-end-fabrication"] {
        let d = json(&["assess", id, "--format", "json"]);
        let rules = fired(&d);
        for rule in [
            "competitiveness-cooperate",
            "competitiveness-standards-cooperate",
        ] {
            assert!(!rules.contains(&rule.to_string()), "{id}: {rule} fired");
        }
        let table = stdout(&["assess", id]);
        assert!(!table.contains("isolation strategy"), "{id}: {table}");
    }
    // Facial recognition's values-security-competitiveness relation is compounding, not a
    // trade-off, and says so.
    let d = json(&["assess", "facial-recognition", "--format", "json"]);
    assert!(
        d["tensions"]
            .as_array()
            .expect("tensions")
            .iter()
            .any(|t| t["relation"] == "compounding")
    );
    // Where security and competitiveness do trade off (chip design), the rule still fires.
    let chip = json(&["assess", "chip-design", "--format", "json"]);
    assert!(fired(&chip).contains(&"competitiveness-cooperate".to_string()));
}

#[test]
fn consumer_scoped_rules_fire_only_for_consumer_facing_technologies() {
    let sixg = json(&["assess", "6g", "--format", "json"]);
    assert!(!fired(&sixg).contains(&"values-security-awareness".to_string()));
    assert!(sixg["consumer_facing"].is_null());
    let apps = json(&["assess", "ai-ethics", "--format", "json"]);
    assert!(fired(&apps).contains(&"values-security-awareness".to_string()));
    assert_eq!(apps["consumer_facing"]["source"], "seed L6745-6751");
}

#[test]
fn inferred_strains_and_contested_levels_say_so() {
    let d = json(&["assess", "urban-ai", "--format", "json"]);
    let conflicts: Vec<&Value> = d["instruments"]
        .as_array()
        .expect("instruments")
        .iter()
        .flat_map(|i| i["conflicts"].as_array().expect("conflicts").iter())
        .collect();
    assert!(conflicts.iter().any(|c| c["inference"] == true));
    assert!(conflicts.iter().all(|c| c["inference"].is_boolean()));
    // Urban AI's supply resilience (2, range 1-2) alone makes the procurement rule fire: the
    // finding says the rule would not hold at the low end.
    let procurement = &d["instruments"][position(&d, "procurement").expect("procurement")];
    assert!(
        procurement["triggers"][0]["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f == "Supply-chain resilience level is 2 (contestable, 1-2: at 1 this would not hold)"),
        "{procurement}"
    );
    let table = stdout(&["assess", "urban-ai"]);
    assert!(table.contains("(osa's inference)"), "{table}");
}

#[test]
fn the_ai_ethics_row_is_marked_as_osas_construction_everywhere() {
    let m = json(&["matrix", "--format", "json"]);
    for t in m["technologies"].as_array().expect("technologies") {
        if t["id"] == "ai-ethics" {
            assert_eq!(t["osa_construction"]["source"], "seed L156-164");
        } else {
            assert!(t["osa_construction"].is_null(), "{}", t["id"]);
        }
    }
    for f in ["table", "md", "html"] {
        let out = stdout(&["matrix", "--format", f]);
        assert!(
            out.contains("osa's construction, not the report's assessment"),
            "{f}"
        );
        assert!(out.contains("consumer applications †"), "{f}");
    }
    let csv = stdout(&["matrix", "--format", "csv"]);
    let header = csv.lines().next().expect("header");
    assert!(header.contains("osa_construction"));
    let row = csv
        .lines()
        .find(|l| l.starts_with("ai-ethics,"))
        .expect("ai-ethics row");
    assert!(row.contains("seed L156-164"), "{row}");
    for f in ["json", "table", "md", "html"] {
        let out = stdout(&["assess", "ai-ethics", "--format", f]);
        assert!(
            out.contains("osa's construction") || out.contains("osa_construction"),
            "{f}"
        );
    }
    let d = json(&["assess", "ai-ethics", "--format", "json"]);
    assert_eq!(d["osa_construction"]["source"], "seed L156-164");
}

#[test]
fn every_matrix_cell_says_what_it_rests_on() {
    let m = json(&["matrix", "--format", "json"]);
    assert!(
        m["basis"]
            .as_str()
            .is_some_and(|b| b.contains("one level apart"))
    );
    for t in m["technologies"].as_array().expect("technologies") {
        for (d, c) in t["dimensions"].as_object().expect("dimensions") {
            let b = &c["basis"];
            let kind = b["kind"].as_str().expect("basis kind");
            match (c["level"].is_null(), b["computed"].is_null()) {
                (false, false) => assert_eq!(kind, "both", "{} {d}", t["id"]),
                (false, true) => assert_eq!(kind, "judged_only", "{} {d}", t["id"]),
                (true, false) => assert_eq!(kind, "computed_only", "{} {d}", t["id"]),
                (true, true) => assert_eq!(kind, "neither", "{} {d}", t["id"]),
            }
            if kind == "both" {
                let gap = (c["level"].as_i64().expect("level")
                    - b["computed"].as_i64().expect("computed"))
                .abs();
                let want = ["agree", "close"]
                    .get(gap as usize)
                    .copied()
                    .unwrap_or("disagree");
                assert_eq!(b["agreement"], want, "{} {d}", t["id"]);
            } else {
                assert!(b["agreement"].is_null());
            }
        }
    }
    // Chip design rests on both for supply resilience (judged 1, computed 2: close).
    let chip = crate::util::by_id(&m["technologies"], "chip-design");
    let supply = &chip["dimensions"]["supply_resilience"]["basis"];
    assert_eq!(supply["kind"], "both");
    assert_eq!(supply["computed"], 2);
    assert_eq!(supply["agreement"], "close");
    // Every other format shows it: a mark per cell and the legend.
    let table = stdout(&["matrix"]);
    assert!(table.contains("1 (1-2) J~C2"), "{table}");
    assert!(table.contains("Basis: J judged only"));
    let md = stdout(&["matrix", "--format", "md"]);
    assert!(md.contains("J~C2") && md.contains("Basis: J judged only"));
    let html = stdout(&["matrix", "--format", "html"]);
    assert!(html.contains("J~C2") && html.contains("Basis: J judged only"));
    let csv = stdout(&["matrix", "--format", "csv"]);
    let header: Vec<&str> = csv.lines().next().expect("header").split(',').collect();
    for col in [
        "supply_resilience_basis",
        "supply_resilience_computed",
        "supply_resilience_agreement",
    ] {
        assert!(header.contains(&col), "{col}");
    }
    let row = csv
        .lines()
        .find(|l| l.starts_with("chip-design,"))
        .expect("chip-design row");
    assert!(row.contains(",2,both,close,"), "{row}");
}

/// The report's text, from `OSA_SEED` or `seed/` beside the shared data; `None` after a visible
/// skip notice when it is missing (a failure under `CI=true`).
fn seed_text() -> Option<Vec<String>> {
    let path = std::env::var_os("OSA_SEED").map(PathBuf::from).or_else(|| {
        osa_io::shared::data_dir().map(|d| d.join("../seed/000_0bfe460a9d94b6ca.compact.txt"))
    });
    match path.and_then(|p| std::fs::read_to_string(p).ok()) {
        Some(t) => Some(t.lines().map(str::to_string).collect()),
        None if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("the report's text is missing (set OSA_SEED), and CI=true makes that a failure")
        }
        None => {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "SKIP the cited-lines half of every_recommendation_names_its_instrument_in_its_lines: the report's text not found (set OSA_SEED); the quotes are checked instead"
            );
            None
        }
    }
}

/// Words for keyword matching: lower case, a hyphen at a line break joined, every other
/// non-alphanumeric character a space; padded so that ` keyword` matches at the start of a word.
fn words(text: &str) -> String {
    let lower = text.to_lowercase();
    let joined: String = {
        let mut out = String::new();
        let mut chars = lower.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '-' && chars.peek().is_some_and(|n| n.is_whitespace()) {
                while chars.peek().is_some_and(|n| n.is_whitespace()) {
                    chars.next();
                }
            } else {
                out.push(c);
            }
        }
        out
    };
    let spaced: String = joined
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    format!(
        " {} ",
        spaced.split_whitespace().collect::<Vec<_>>().join(" ")
    )
}

/// Letters and digits only, lower case: how a quote is found in its lines whatever the line
/// breaks, hyphenation and typographic quotes.
fn canon(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Whether `quote` (pieces split at `...`) occurs in order within `lines`.
fn quoted_within(quote: &str, lines: &str) -> bool {
    let text = canon(lines);
    let mut from = 0;
    for piece in quote.split("...").map(canon).filter(|p| !p.is_empty()) {
        match text[from..].find(&piece) {
            Some(k) => from += k + piece.len(),
            None => return false,
        }
    }
    true
}

#[test]
fn every_recommendation_names_its_instrument_in_its_lines() {
    let b =
        osa_io::baseline::load_dir(&repo().join("data/baseline")).unwrap_or_else(|e| panic!("{e}"));
    let seed = seed_text();
    let mut problems = Vec::new();
    let mut checked = 0;
    for t in &b.technologies {
        for r in &t.recommendations {
            let at = format!("{} ({})", t.id, r.source);
            let Some(quote) = &r.quote else {
                problems.push(format!("{at}: no quote of the chapter's words"));
                continue;
            };
            let osa_assess::Source::Seed { from, to } = r.source else {
                problems.push(format!("{at}: the source is not the report's lines"));
                continue;
            };
            let lines = match &seed {
                Some(s) => s[(from as usize - 1)..(to as usize).min(s.len())].join("\n"),
                None => quote.clone(),
            };
            if seed.is_some() && !quoted_within(quote, &lines) {
                problems.push(format!(
                    "{at}: the quote is not in the cited lines: {quote}"
                ));
            }
            // The instrument must be named in the quoted words, which lie within the cited lines.
            let (in_lines, in_quote) = (words(&lines), words(quote));
            for id in &r.instruments {
                let inst = b
                    .toolkit
                    .instrument(id)
                    .unwrap_or_else(|| panic!("{at}: {id}"));
                let names = |text: &str| {
                    inst.keywords
                        .iter()
                        .chain(std::iter::once(&inst.name.to_lowercase()))
                        .any(|k| text.contains(&format!(" {}", words(k).trim())))
                };
                if !names(&in_lines) || !names(&in_quote) {
                    problems.push(format!(
                        "{at}: `{id}` is not named within the cited lines and their quote (keywords: {})",
                        inst.keywords.join(", ")
                    ));
                }
                checked += 1;
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(checked > 60, "only {checked} tags checked");
    // The check bites where lines do not name an instrument: industrial policy on the digital
    // euro (the old e-CNY tag) would fail. It cannot tell a named instrument from a recommended
    // one: chip design's lines on US export controls name export controls without recommending
    // them to the EU; the human re-read removed that tag, and
    // chip_design_has_no_export_controls_labelled_as_the_reports keeps it out.
    let industrial = b
        .toolkit
        .instrument("industrial_policy")
        .expect("industrial policy");
    let digital_euro = words(
        "To protect the resilience of its value chains, Europe should speed up the development of its digital euro and issue it",
    );
    assert!(
        !industrial
            .keywords
            .iter()
            .any(|k| digital_euro.contains(&format!(" {}", words(k).trim())))
    );
    assert!(quoted_within(
        "digital euro ... issue it",
        "development of its digital\neuro and issue it"
    ));
    assert!(!quoted_within(
        "issue it ... digital euro",
        "development of its digital\neuro and issue it"
    ));
}

#[test]
fn checklist_and_actor_corrections_hold() {
    let c = json(&["checklist", "--format", "json"]);
    let wechat = c["applications"]
        .as_array()
        .expect("applications")
        .iter()
        .find(|a| a["id"] == "wechat")
        .expect("wechat");
    let rating = |criterion: &str| {
        wechat["assessments"]
            .as_array()
            .expect("assessments")
            .iter()
            .find(|x| x["criterion"] == criterion)
            .map(|x| x["rating"].clone())
            .expect("criterion")
    };
    // Censorship "has not thus far been clearly detected" for WeChat Europe (seed L7016-7018).
    assert_eq!(rating("cross-border-obstacles"), "partial");
    // WeChat shares data with government agencies on request (seed L6983-6989).
    assert_eq!(rating("data-transfer-scope"), "concern");
    let actors = json(&["actors", "--technology", "6g", "--format", "json"]);
    let fw = actors
        .as_array()
        .expect("actors")
        .iter()
        .find(|a| a["name"] == "Futurewei")
        .expect("Futurewei");
    // "the only Chinese company in the Next G alliance" (seed L2244-2245).
    assert_eq!(fw["country"], "CHN");
    assert_eq!(fw["prc"], true);
}

#[test]
fn contested_cells_carry_their_ranges() {
    let m = json(&["matrix", "--format", "json"]);
    let cell =
        |t: &str, d: &str| crate::util::by_id(&m["technologies"], t)["dimensions"][d].clone();
    let range = |t: &str, d: &str| {
        let c = cell(t, d);
        (
            c["level"].as_u64(),
            c["range"]["low"].as_u64(),
            c["range"]["high"].as_u64(),
        )
    };
    // e-CNY national security: conditional (seed L4492-4494, L4743), 2 on osa's scale.
    assert_eq!(
        range("e-cny", "national_security"),
        (Some(2), Some(2), Some(3))
    );
    assert_eq!(
        range("urban-ai", "national_security"),
        (Some(4), Some(3), Some(4))
    );
    assert_eq!(
        range("urban-ai", "competitiveness"),
        (Some(3), Some(2), Some(3))
    );
    assert_eq!(
        range("urban-ai", "supply_resilience"),
        (Some(2), Some(1), Some(2))
    );
    assert_eq!(
        range("blockchain", "national_security"),
        (Some(1), Some(1), Some(2))
    );
    let d = json(&["assess", "e-cny", "--format", "json"]);
    assert_eq!(d["judgment"]["date"], "2026-12-07");
    assert!(
        d["judgment"]["method"]
            .as_str()
            .is_some_and(|m| m.contains("osa baseline team (issue 19"))
    );
}
