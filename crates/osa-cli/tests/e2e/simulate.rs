//! End-to-end tests of `osa simulate`, `osa scenario` and `osa iomodel`: hand-checked values on the
//! embedded ecosystem, the ETO 2026 release (SKIP without ../shared/data), reproducible Monte
//! Carlo output, and the bad-input contract (what is wrong is named; exit 2; nothing written).

use crate::util::{by_id, json, osa, stdout};
use predicates::prelude::*;
use serde_json::Value;

fn eto_2026(test: &str) -> Option<String> {
    osa_io::shared::data_dir_or_skip(test)
        .map(|d| d.join("eto/v2026_chip_explorer").display().to_string())
}

#[test]
fn a_chinese_gallium_stop_on_the_embedded_ecosystem() {
    let rows = json(&["simulate", "--shock", "CHN:gallium=1.0", "--format", "json"]);
    // Gallium: China 98%, substitutability 0.1: 1 - 0.9 * 0.98 = 0.118.
    let ga = by_id(&rows, "gallium");
    assert_eq!(ga["order"], 0);
    assert_eq!(ga["availability"], 0.118);
    assert_eq!(ga["direct_loss"], 0.98);
    assert_eq!(ga["unmitigated"], 0.02);
    // What it goes into, one edge down, with 15% substitution: 1 - 0.85 * 0.882 = 0.2503.
    let fab = by_id(&rows, "compound-semiconductor-fabrication");
    assert_eq!(fab["order"], 1);
    assert_eq!(fab["availability"], 0.2503);
    // Power and RF chips, two edges down.
    assert_eq!(by_id(&rows, "power-rf-semiconductors")["order"], 2);
    // Without draws or durations there are no percentiles and no weekly profile.
    let obj = ga.as_object().expect("object");
    for key in ["p5", "p50", "p95", "weekly"] {
        assert!(!obj.contains_key(key), "{key}");
    }
    for r in rows.as_array().expect("array") {
        let a = r["availability"].as_f64().expect("number");
        assert!((0.0..=1.0).contains(&a));
    }
}

#[test]
fn draws_are_reproducible_and_independent_of_threads() {
    let args = |threads: &'static str| {
        vec![
            "simulate",
            "--shock",
            "CHN:rare-earth-elements=0.5..1.0@0+26",
            "--substitution",
            "rare-earth-elements=0..0.3@8",
            "--stock",
            "rare-earth-elements=0..2",
            "--draws",
            "300",
            "--seed",
            "7",
            "--threads",
            threads,
            "--format",
            "json",
        ]
    };
    let a = stdout(&args("1"));
    assert_eq!(a, stdout(&args("1")));
    assert_eq!(a, stdout(&args("2")));
    let rows: Value = serde_json::from_str(&a).expect("JSON");
    let ree = by_id(&rows, "rare-earth-elements");
    let (p5, p50, p95) = (
        ree["p5"].as_f64().expect("p5"),
        ree["p50"].as_f64().expect("p50"),
        ree["p95"].as_f64().expect("p95"),
    );
    assert!(p5 <= p50 && p50 <= p95 && p5 < p95, "{p5} {p50} {p95}");
    assert_eq!(ree["weekly"].as_array().expect("weekly").len(), 26);
    // Another seed gives other draws.
    let mut other = args("1");
    other[10] = "8";
    assert_ne!(a, stdout(&other));
}

#[test]
fn csv_and_table_outputs() {
    let csv = stdout(&["simulate", "--shock", "UKR:neon=1@0+4", "--format", "csv"]);
    let header = csv.lines().next().expect("header");
    assert_eq!(
        header,
        "id,name,kind,order,availability,unmitigated,direct_loss,worst_week,week_0,week_1,week_2,week_3"
    );
    let table = stdout(&["simulate", "--shock", "UKR:neon=1@0+4"]);
    assert!(table.contains("weekly profile") && table.contains("neon"));
}

#[test]
fn eto_2026_dutch_euv_tools() {
    let Some(eto) = eto_2026("eto_2026_dutch_euv_tools") else {
        return;
    };
    let rows = json(&[
        "simulate",
        &eto,
        "--shock",
        "NLD:N20=1.0",
        "--format",
        "json",
    ]);
    assert_eq!(by_id(&rows, "N20")["availability"], 0.0);
    assert_eq!(by_id(&rows, "N19")["availability"], 0.875);
    let photo = by_id(&rows, "N25");
    assert!(photo["order"].as_u64().expect("order") >= 1);
    assert!(photo["availability"].as_f64().expect("a") < 1.0);
    let chip = by_id(&rows, "N99");
    assert!(chip["order"].as_u64().expect("order") >= 2);
    assert!(chip["availability"].as_f64().expect("a") < 1.0);
    // A country that supplies nothing changes nothing.
    osa()
        .args(["simulate", &eto, "--shock", "ATA:*=1.0", "--format", "json"])
        .assert()
        .success()
        .stdout("[]\n")
        .stderr(predicate::str::contains("supplies none"));
}

#[test]
fn bad_shocks_are_refused_with_the_reason() {
    osa()
        .args(["simulate", "--shock", "CHN:galium=1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`galium`").and(predicate::str::contains("gallium")));
    osa()
        .args(["simulate", "--shock", "CHN:gallium=1.5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("outside 0-1"));
    osa()
        .args(["simulate", "--shock", "XYZ:gallium=1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown supplier `XYZ`"));
    osa()
        .args(["simulate"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no shock given"));
}

#[test]
fn scenarios_are_listed_saved_shown_run_and_compared() {
    let list = json(&["scenario", "list", "--format", "json"]);
    let ids: Vec<&str> = list
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    for id in [
        "china-rare-earths",
        "china-back-end-packaging",
        "taiwan-korea-leading-edge-outage",
        "noble-gas-shortage",
    ] {
        assert!(ids.contains(&id), "{id}");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("gallium.toml");
    let file_s = file.display().to_string();
    osa()
        .args([
            "scenario",
            "save",
            "gallium-stop",
            "--shock",
            "CHN:gallium=0.5..1@0+12",
            "--stock",
            "gallium=1",
            "--source",
            "judgment: test, 2026-12-01, a test",
            "-o",
            &file_s,
        ])
        .assert()
        .success();
    let shown = stdout(&["scenario", "show", &file_s]);
    assert!(shown.starts_with("format = \"osa-scenario/1\""), "{shown}");
    assert!(shown.contains("lost = [0.5, 1.0]"), "{shown}");
    let rows = json(&["simulate", "--scenario", &file_s, "--format", "json"]);
    assert_eq!(by_id(&rows, "gallium")["order"], 0);
    // Compared with the baseline, every difference is 1 minus the scenario's availability.
    let cmp = json(&["scenario", "compare", &file_s, "--format", "json"]);
    for r in cmp.as_array().expect("array") {
        let a = r["availability_a"].as_f64().expect("a");
        assert_eq!(r["availability_b"], 1.0);
        assert!((r["difference"].as_f64().expect("d") - (1.0 - a)).abs() < 1e-9);
    }
    // Two scenarios side by side.
    let two = json(&[
        "scenario",
        "compare",
        "noble-gas-shortage",
        "china-rare-earths",
        "--format",
        "json",
    ]);
    assert!(by_id(&two, "neon")["order_b"].is_null());
    assert_eq!(by_id(&two, "neon")["order_a"], 0);
    // A scenario that does not apply is not written.
    let bad = dir.path().join("bad.toml");
    osa()
        .args([
            "scenario",
            "save",
            "bad",
            "--shock",
            "CHN:unobtainium=1",
            "-o",
            &bad.display().to_string(),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unobtainium"));
    assert!(!bad.exists());
}

#[test]
fn iomodel_tiers_on_a_hand_checked_table() {
    let dir = tempfile::tempdir().expect("temp dir");
    let table = dir.path().join("io.csv");
    std::fs::write(
        &table,
        "sector,agri,manu,serv,final_demand\n\
         agri,10,40,10,40\n\
         manu,20,60,40,80\n\
         serv,10,20,20,150\n",
    )
    .expect("write");
    let t = table.display().to_string();
    let rows = json(&[
        "iomodel", &t, "--model", "leontief", "--shock", "agri=1", "--format", "json",
    ]);
    // Losing agri's final demand (40): first-order A·Δf = (4, 8, 4); second-order (2.2, 4, 1.6).
    let agri = &rows[0];
    assert_eq!(agri["sector"], "agri");
    assert_eq!(agri["tiers"][0], 40.0);
    assert_eq!(agri["tiers"][1], 4.0);
    assert_eq!(agri["tiers"][2], 2.2);
    assert_eq!(rows[1]["tiers"][1], 8.0);
    assert_eq!(rows[1]["tiers"][2], 4.0);
    for r in rows.as_array().expect("array") {
        let sum: f64 = r["tiers"]
            .as_array()
            .expect("tiers")
            .iter()
            .map(|v| v.as_f64().expect("number"))
            .sum::<f64>()
            + r["higher"].as_f64().expect("higher");
        assert!((sum - r["total"].as_f64().expect("total")).abs() < 1e-5);
    }
    let text = stdout(&["iomodel", &t, "--model", "iim", "--shock", "serv=0.2"]);
    assert!(text.contains("(all sectors)") && text.contains("1st order"));
    // Inoperability is bounded: losing all of agri saturates the linear model (120.9%).
    let rows = json(&[
        "iomodel", &t, "--model", "iim", "--shock", "agri=1", "--format", "json",
    ]);
    assert_eq!(rows[0]["total"], 1.0);
    assert_eq!(rows[0]["saturated"], true);
    assert!((rows[0]["linear_total"].as_f64().expect("linear") - 1.209118).abs() < 1e-5);
    for r in rows.as_array().expect("array") {
        assert!(r["relative"].as_f64().expect("relative") <= 1.0, "{r}");
    }
    let text = stdout(&["iomodel", &t, "--model", "iim", "--shock", "agri=1"]);
    assert!(
        text.contains("100.0%") && !text.contains("120.9%  "),
        "{text}"
    );
    assert!(text.contains("saturates: agri 120.9%"), "{text}");
    osa()
        .args(["iomodel", &t, "--shock", "mining=0.5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no sector `mining`"));
}
