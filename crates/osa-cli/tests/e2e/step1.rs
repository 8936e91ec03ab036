//! Step 1 for the case studies whose chapters name inputs and suppliers: the built-in ecosystems
//! `6g`, `v2x`, `urban-surveillance` (facial recognition and urban AI) and `blockchain`, the case
//! files that name them, and the disruption scenarios written on them. Every expected number is
//! worked out by hand from the data files, with the arithmetic in a comment.

use crate::util::{by_id, json, osa, stdout};
use predicates::prelude::*;
use serde_json::Value;

/// The built-in ecosystems added for the case studies, with their number of inputs.
const NEW_ECOSYSTEMS: [(&str, usize); 4] = [
    ("6g", 11),
    ("v2x", 7),
    ("urban-surveillance", 9),
    ("blockchain", 6),
];

/// The built-in scenarios written on them, with the ecosystem and the input each shocks first.
const NEW_SCENARIOS: [(&str, &str, &str); 4] = [
    ("china-rare-earths-6g", "6g", "rare-earth-elements"),
    ("china-filters-6g", "6g", "filters"),
    ("china-chip-back-end-v2x", "v2x", "automotive-chip-back-end"),
    (
        "china-surveillance-cameras",
        "urban-surveillance",
        "surveillance-cameras",
    ),
];

/// Equal up to the six decimals osa's JSON output keeps.
fn close(a: &Value, b: f64) -> bool {
    a.as_f64().is_some_and(|a| (a - b).abs() < 1e-6)
}

fn shares_of<'a>(dossier: &'a Value, input: &str) -> &'a Value {
    dossier["ecosystem"]["supplier_shares"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["id"] == input))
        .unwrap_or_else(|| panic!("no supplier shares for {input}"))
}

fn indicator<'a>(dim: &'a Value, name: &str) -> &'a Value {
    dim["computed"]["indicators"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["name"] == name))
        .unwrap_or_else(|| panic!("no indicator `{name}`"))
}

#[test]
fn six_g_step_one_shows_rare_earth_processing_and_the_filters_with_their_lines() {
    let v = json(&["assess", "6g", "--format", "json"]);
    let eco = &v["ecosystem"];
    assert_eq!(eco["id"], "6g");
    let scope: Vec<&str> = eco["scope"]
        .as_array()
        .expect("scope")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(scope.len(), 11);
    for id in [
        "rare-earth-ores",
        "rare-earth-elements",
        "filters",
        "ran-equipment",
    ] {
        assert!(scope.contains(&id), "{id} not in scope: {scope:?}");
    }

    // Rare-earth processing: China 85% of capacity (seed L2587-2589), the rest unattributed.
    let ree = shares_of(&v, "rare-earth-elements");
    assert_eq!(ree["year"], 2021);
    assert_eq!(ree["shares"], serde_json::json!([["CHN", 0.85]]));
    assert!(close(&ree["unattributed"], 0.15));
    // The filters: made only in the PRC (seed L2636-2639).
    let filters = shares_of(&v, "filters");
    assert_eq!(filters["year"], 2022);
    assert_eq!(filters["shares"], serde_json::json!([["CHN", 1.0]]));
    assert_eq!(eco["major_suppliers"][0]["country"], "CHN");
    assert_eq!(eco["major_suppliers"][0]["input"], "filters");
    // Step 1 states each input's concentration with the lines behind it: HHI of the attributed
    // shares, 0.85^2 = 0.7225 for processing (the unattributed 15% left out: a lower bound) and
    // 1.0^2 = 1 for the filters.
    assert!(close(&ree["hhi"], 0.7225));
    assert_eq!(ree["sources"], serde_json::json!(["seed L2587-2589"]));
    assert!(close(&filters["hhi"], 1.0));
    assert_eq!(filters["sources"], serde_json::json!(["seed L2636-2639"]));
    let text = stdout(&["assess", "6g"]);
    let line = |id: &str| {
        text.lines()
            .find(|l| l.starts_with('│') && l.contains(&format!("({id})")))
            .unwrap_or_else(|| panic!("no step-1 line for {id}"))
            .to_string()
    };
    let ree_line = line("rare-earth-elements");
    assert!(
        ree_line.contains("CHN 85%") && ree_line.contains("0.72"),
        "{ree_line}"
    );
    assert!(ree_line.contains("seed L2587-2589"), "{ree_line}");
    let filters_line = line("filters");
    assert!(filters_line.contains("CHN 100%") && filters_line.contains("1.00"));
    assert!(filters_line.contains("seed L2636-2639"), "{filters_line}");
    assert!(close(&eco["major_suppliers"][0]["share"], 1.0));

    // Computed supply resilience: the worst input is the filters, 1.00 x (1 - 0.15) = 0.85, level 3
    // (0.7 <= 0.85 < 0.9). Rare-earth processing follows: 0.85 x (1 - 0.10) = 0.765. Four inputs
    // reach 0.5: filters 0.85, rare-earth-elements 0.765, advanced-chip-fabrication
    // 0.69 x 0.95 = 0.6555, rare-earth-ores 0.70 x 0.90 = 0.63.
    let sr = &v["dimensions"]["supply_resilience"];
    assert_eq!(
        sr["level"], 1,
        "the judged level stays the chapter's reading"
    );
    assert_eq!(sr["computed"]["level"], 3);
    assert_eq!(sr["agreement"], "disagree");
    let worst = &sr["computed"]["indicators"][0];
    assert!(close(&worst["value"], 0.85), "{worst}");
    let detail = worst["detail"].as_str().expect("detail");
    assert!(
        detail.contains("(filters): CHN holds 100% (2022)"),
        "{detail}"
    );
    assert_eq!(worst["sources"], serde_json::json!(["seed L2636-2639"]));
    let many = indicator(sr, "inputs with a dependency of 0.5 or more");
    assert!(close(&many["value"], 4.0));
    assert!(
        many["detail"]
            .as_str()
            .is_some_and(|d| d.contains("rare-earth-elements CHN 85%")),
        "{many}"
    );
    let rival = indicator(
        sr,
        "largest share of an input held by systemic rivals or adversaries",
    );
    assert!(close(&rival["value"], 1.0));
    assert_eq!(rival["sources"], serde_json::json!(["seed L2636-2639"]));

    // Competitiveness: EU shares over the seven inputs with shares are 0, 0, 0, 0, 0 (ores,
    // processing, filters, chip fabrication, back end), 0.48 (RAN equipment: Ericsson 29 + Nokia
    // 19) and 0.089 (6G patents, Europe 8.9%); mean 0.569 / 7 = 0.081286; position
    // 0.5 x min(1, 2 x 0.081286) + 0.5 x 0 = 0.081286; challenge 0.918714, level 4 (judged 2).
    let comp = &v["dimensions"]["competitiveness"];
    assert_eq!(comp["level"], 2);
    assert_eq!(comp["computed"]["level"], 4);
    let challenge = &comp["computed"]["indicators"][0]["value"];
    assert!(close(challenge, 1.0 - 0.569 / 7.0), "{challenge}");

    // The table names the ecosystem and the filters' single supplier.
    let table = stdout(&["assess", "6g"]);
    assert!(table.contains("ecosystem `6g`, scope:"), "{table}");
    assert!(table.contains("CHN 100% (filters)"), "{table}");
    assert!(!table.contains("osa has no ecosystem data for this technology yet"));
}

#[test]
fn six_g_concentration_metrics_carry_hand_checked_hhi_and_seed_lines() {
    let m = json(&["metrics", "6g", "--format", "json"]);
    // Rare-earth processing: HHI = 0.85^2 = 0.7225 (the unattributed 15% is left out, so a lower
    // bound); top share 0.85; the row cites the report's line.
    let ree = by_id(&m, "rare-earth-elements");
    assert!(close(&ree["hhi"], 0.7225), "{ree}");
    assert_eq!(ree["top_country"], "CHN");
    assert!(close(&ree["top_share"], 0.85));
    let rows = ree["provenance"]["rows"].as_array().expect("rows");
    assert!(
        rows.iter().any(|r| r["provider"] == "CHN"
            && r["share"] == 85.0
            && r["source"] == "seed L2587-2589"),
        "{rows:?}"
    );
    // The filters: one country, HHI = 1.0^2 = 1.
    let f = by_id(&m, "filters");
    assert!(close(&f["hhi"], 1.0));
    assert!(close(&f["top_share"], 1.0));
    assert_eq!(f["provenance"]["rows"][0]["source"], "seed L2636-2639");
    // Mining, 2022 (USGS): 0.70^2 + 0.14^2 + 0.06^2 + 0.04^2 = 0.49 + 0.0196 + 0.0036 + 0.0016
    // = 0.5148.
    let ores = by_id(&m, "rare-earth-ores");
    assert_eq!(ores["year"], 2022);
    assert!(close(&ores["hhi"], 0.5148), "{ores}");
    // Mining, 2021: the report's 60% (seed L2587-2590), HHI 0.36.
    let m2021 = json(&["metrics", "6g", "--year", "2021", "--format", "json"]);
    let ores = by_id(&m2021, "rare-earth-ores");
    assert!(close(&ores["top_share"], 0.6));
    assert!(close(&ores["hhi"], 0.36));
    assert_eq!(ores["provenance"]["rows"][0]["source"], "seed L2587-2590");
    // RAN equipment from vendor shares (Dell'Oro 2020) summed by headquarters: China 33 + 10 = 43,
    // Sweden 29, Finland 19, Korea 6; HHI 0.1849 + 0.0841 + 0.0361 + 0.0036 = 0.3087.
    let ran = by_id(&m, "ran-equipment");
    assert_eq!(ran["basis"], "from_firms");
    assert!(close(&ran["hhi"], 0.3087), "{ran}");
    assert!(close(&ran["bloc_shares"]["EU27"], 0.48));
    // 6G patents (seed L2840-2846): 0.403^2 + 0.355^2 + 0.099^2 + 0.089^2 = 0.162409 + 0.126025
    // + 0.009801 + 0.007921 = 0.306156.
    assert!(close(&by_id(&m, "6g-patents")["hhi"], 0.306156));
    // Chokepoints: China holds half or more of mining, processing and the filters.
    let ch = json(&[
        "chokepoints",
        "6g",
        "--holder",
        "CHN",
        "--min-share",
        "0.5",
        "--format",
        "json",
    ]);
    let text = ch.to_string();
    for id in ["rare-earth-ores", "rare-earth-elements", "filters"] {
        assert!(text.contains(&format!("\"{id}\"")), "{id}: {text}");
    }
}

#[test]
fn five_of_the_seven_case_studies_have_step_one() {
    // (technology, ecosystem, computed supply level, worst dependency), by hand:
    // 6g: filters 1.00 x (1 - 0.15) = 0.85 -> 3; v2x: back end CHN 0.38 x (1 - 0.30) = 0.266 -> 0;
    // facial recognition: cameras CHN 0.67 x (1 - 0.30) = 0.469 -> 1; urban AI and blockchain:
    // leading-edge fabrication TWN 0.69 x (1 - 0.05) = 0.6555 -> 2.
    let expected: [(&str, &str, u64, f64); 5] = [
        ("6g", "6g", 3, 0.85),
        ("v2x", "v2x", 0, 0.266),
        ("facial-recognition", "urban-surveillance", 1, 0.469),
        ("urban-ai", "urban-surveillance", 2, 0.6555),
        ("blockchain", "blockchain", 2, 0.6555),
    ];
    for (tech, eco, level, value) in expected {
        let v = json(&["assess", tech, "--format", "json"]);
        assert_eq!(v["ecosystem"]["id"], eco, "{tech}");
        let c = &v["dimensions"]["supply_resilience"]["computed"];
        assert_eq!(c["level"], level, "{tech}");
        assert!(close(&c["indicators"][0]["value"], value), "{tech}: {c}");
        // Every deciding figure names its source.
        assert!(
            c["indicators"][0]["sources"]
                .as_array()
                .is_some_and(|s| !s.is_empty()),
            "{tech}"
        );
        assert!(v["dimensions"]["competitiveness"]["computed"]["level"].is_u64());
        assert!(
            !v["ecosystem"]["supplier_shares"]
                .as_array()
                .expect("shares")
                .is_empty(),
            "{tech}"
        );
    }
    // The two cases sharing one ecosystem keep their own scopes: the facial-recognition example
    // names no chips, so leading-edge fabrication is urban AI's only.
    let fr = json(&["assess", "facial-recognition", "--format", "json"]);
    let ua = json(&["assess", "urban-ai", "--format", "json"]);
    let has = |v: &Value, id: &str| {
        v["ecosystem"]["scope"]
            .as_array()
            .is_some_and(|s| s.iter().any(|x| x == id))
    };
    assert!(has(&fr, "surveillance-cameras") && has(&ua, "surveillance-cameras"));
    assert!(!has(&fr, "advanced-chip-fabrication") && has(&ua, "advanced-chip-fabrication"));
    // Cameras: more than two-thirds of sales by Chinese firms (seed L5911-5912).
    let cams = shares_of(&fr, "surveillance-cameras");
    assert_eq!(cams["shares"], serde_json::json!([["CHN", 0.67]]));
    assert_eq!(
        indicator(
            &fr["dimensions"]["supply_resilience"],
            "worst single-country dependency outside the EU"
        )["sources"],
        serde_json::json!(["seed L5911-5912"])
    );
    // The report says the EU does not depend on Chinese V2X suppliers (seed L5337-5339): the
    // modules carry no share, and the only major supplier is the back-end proxy.
    let v2x = json(&["assess", "v2x", "--format", "json"]);
    assert_eq!(
        v2x["ecosystem"]["major_suppliers"],
        serde_json::json!([{"country": "CHN", "input": "automotive-chip-back-end", "share": 0.38}])
    );
    // 5G standardization and the e-CNY have no step 1: their chapters name no supply shares.
    for tech in ["5g-standardization", "e-cny"] {
        let v = json(&["assess", tech, "--format", "json"]);
        assert!(v["ecosystem"].is_null(), "{tech}");
        assert!(
            stdout(&["assess", tech]).contains("osa has no ecosystem data for this technology yet")
        );
    }
}

#[test]
fn the_new_built_in_ecosystems_validate_and_cite_every_share() {
    for (name, n_inputs) in NEW_ECOSYSTEMS {
        osa()
            .args(["ecosystem", "validate", name])
            .assert()
            .success()
            .stdout(predicate::str::contains(format!(
                "{name}: valid (built-in `{name}`)"
            )))
            .stdout(predicate::str::contains(format!("{n_inputs} inputs")));
        let c = osa_io::builtin::ecosystem(name).expect("built-in");
        for inp in &c.ecosystem().inputs {
            assert!(!inp.sources.is_empty(), "{name}/{}: no source", inp.id);
            assert!(inp.substitutability.is_some(), "{name}/{}", inp.id);
            assert!(inp.storability_months.is_some(), "{name}/{}", inp.id);
            for p in &inp.provision {
                // A share comes from the report or a publication, never from judgment alone.
                if p.share.is_some() {
                    assert!(
                        p.source.starts_with("seed L") || p.source.starts_with("pub: "),
                        "{name}/{}: {} share sourced to `{}`",
                        inp.id,
                        p.provider,
                        p.source
                    );
                }
                assert!(!p.source.is_empty(), "{name}/{}", inp.id);
            }
        }
    }
    let list = stdout(&["ecosystem", "list"]);
    for (name, _) in NEW_ECOSYSTEMS {
        assert!(list.contains(&format!("{name}\t")), "{list}");
    }
    assert!(
        list.starts_with("semiconductors\t"),
        "the default stays first"
    );
}

#[test]
fn the_new_scenarios_run_on_their_ecosystems() {
    let list = json(&["scenario", "list", "--format", "json"]);
    for (id, _, _) in NEW_SCENARIOS {
        assert!(
            list.as_array()
                .is_some_and(|a| a.iter().any(|r| r["id"] == id)),
            "{id} not listed"
        );
    }
    for (id, eco, first) in NEW_SCENARIOS {
        let sc = osa_io::scenario::builtin(id).expect("built-in");
        assert_eq!(sc.ecosystem.as_deref(), Some(eco), "{id}");
        // Run by name alone: the scenario's own ecosystem is the default.
        let rows = json(&["simulate", "--scenario", id, "--format", "json"]);
        let hit = by_id(&rows, first);
        assert_eq!(hit["order"], 0, "{id}");
        assert!(
            rows.as_array()
                .is_some_and(|a| a.iter().any(|r| r["order"].as_u64() >= Some(1))),
            "{id} reaches nothing downstream"
        );
        // Monte Carlo draws run too.
        stdout(&[
            "simulate",
            "--scenario",
            id,
            "--draws",
            "50",
            "--format",
            "csv",
        ]);
    }
    // Direct losses by hand (ranges at their midpoint):
    // rare earths: processing 0.85 x 0.75 = 0.6375, mining (2022) 0.70 x 0.75 = 0.525.
    let rows = json(&[
        "simulate",
        "--scenario",
        "china-rare-earths-6g",
        "--format",
        "json",
    ]);
    assert!(close(
        &by_id(&rows, "rare-earth-elements")["direct_loss"],
        0.6375
    ));
    assert!(close(
        &by_id(&rows, "rare-earth-ores")["direct_loss"],
        0.525
    ));
    assert_eq!(by_id(&rows, "base-station-manufacturing")["order"], 1);
    assert_eq!(by_id(&rows, "ran-equipment")["order"], 2);
    // Filters: all of China's 100% lost. With two months of stock the filters fall to
    // 1 - (1 - 0.15) = 0.15 once the stock is gone; with six months (26 weeks of normal use,
    // drawn at 0.85 a week) the 26-week stop is covered.
    let two = json(&[
        "simulate",
        "--scenario",
        "china-filters-6g",
        "--stock",
        "filters=2",
        "--format",
        "json",
    ]);
    let f = by_id(&two, "filters");
    assert!(close(&f["direct_loss"], 1.0));
    assert!(close(&f["availability"], 0.15), "{f}");
    assert!(close(&f["unmitigated"], 0.0));
    let six = json(&[
        "simulate",
        "--scenario",
        "china-filters-6g",
        "--stock",
        "filters=6",
        "--format",
        "json",
    ]);
    assert!(close(&by_id(&six, "filters")["availability"], 1.0));
    // Cameras: 67% lost; back end: 0.38 x 0.75 = 0.285.
    let cams = json(&[
        "simulate",
        "--scenario",
        "china-surveillance-cameras",
        "--format",
        "json",
    ]);
    assert!(close(
        &by_id(&cams, "surveillance-cameras")["direct_loss"],
        0.67
    ));
    assert_eq!(by_id(&cams, "safe-city-platforms")["order"], 1);
    let be = json(&[
        "simulate",
        "--scenario",
        "china-chip-back-end-v2x",
        "--format",
        "json",
    ]);
    assert!(close(
        &by_id(&be, "automotive-chip-back-end")["direct_loss"],
        0.285
    ));
    assert_eq!(by_id(&be, "v2x-modules")["order"], 2);
}
