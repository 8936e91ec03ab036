//! End-to-end tests of the `osa` binary: step 1 commands on hand-checked fixtures and on the real
//! ETO data, and the bad-input contract (file, line, record and field named; exit 2; nothing written).

use crate::util::{by_id, fixture, json, osa};
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn eto(release: &str, test: &str) -> Option<String> {
    osa_io::shared::data_dir_or_skip(test)
        .map(|d| d.join("eto").join(release).display().to_string())
}

#[test]
fn metrics_on_a_hand_checked_chain() {
    let rows = json(&["metrics", &fixture("small.toml"), "--format", "json"]);
    let gas = by_id(&rows, "gas");
    // Neon: UKR 50%, CHN 30%, 20% unattributed -> HHI = 0.25 + 0.09 = 0.34 (a lower bound).
    assert_eq!(gas["hhi"], 0.34);
    assert_eq!(gas["top_country"], "UKR");
    assert_eq!(gas["top_share"], 0.5);
    assert_eq!(gas["unattributed"], 0.2);
    assert_eq!(gas["year"], 2021);
    // The stage is inferred from what neon goes into.
    assert_eq!(gas["stage"], "fab");
    assert_eq!(gas["stage_inferred"], true);
    let litho = by_id(&rows, "litho");
    assert_eq!(litho["hhi"], 0.68);
    assert_eq!(litho["bloc_shares"]["EU27"], 0.8);
    assert_eq!(litho["firm_hhi"], 0.64);
    assert_eq!(litho["top_firm"]["name"], "ToolCo");
    let chip = by_id(&rows, "chip");
    assert_eq!(chip["hhi"], Value::Null);
}

#[test]
fn chokepoints_rank_by_reach() {
    let rows = json(&[
        "chokepoints",
        &fixture("small.toml"),
        "--holder",
        "NLD",
        "--min-share",
        "0.8",
        "--format",
        "json",
    ]);
    let ids: Vec<&str> = rows
        .as_array()
        .expect("array")
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    // EUV feeds litho, fabbing and chip (3); litho feeds fabbing and chip (2).
    assert_eq!(ids, ["euv", "litho"]);
    assert_eq!(rows[0]["reach"], 3);
    assert_eq!(rows[0]["holder"], "NLD");
    assert_eq!(rows[0]["share"], 1.0);
}

#[test]
fn user_blocs_from_the_command_line() {
    let rows = json(&[
        "chokepoints",
        &fixture("small.toml"),
        "--bloc",
        "EAST=TWN,CHN",
        "--holder",
        "EAST",
        "--min-share",
        "0.99",
        "--format",
        "json",
    ]);
    assert_eq!(rows[0]["id"], "fabbing");
    osa()
        .args(["chokepoints", &fixture("small.toml"), "--bloc", "X=ZZZ"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown country code `ZZZ`"));
}

#[test]
fn leverage_balance_on_the_fixture() {
    let v = json(&[
        "leverage",
        &fixture("small.toml"),
        "--between",
        "EU27",
        "CHN",
        "--format",
        "json",
    ]);
    // EU27 (NLD): litho 0.8^2*(1+2)=1.92, euv 1*(1+3)=4 -> 5.92.
    // CHN: gas 0.3^2*(1-0.2)*(1+3)=0.288, fabbing 0.4^2*(1+1)=0.32 -> 0.608.
    assert_eq!(v["leverage_a"], 5.92);
    assert_eq!(v["leverage_b"], 0.608);
    let balance = (5.92 - 0.608) / (5.92 + 0.608);
    assert!((v["balance"].as_f64().expect("balance") - balance).abs() < 1e-6);
    assert_eq!(v["a_depends_on_b"][0]["id"], "fabbing");
}

#[test]
fn default_ecosystem_is_embedded() {
    osa()
        .args(["metrics"])
        .assert()
        .success()
        .stdout(predicate::str::contains("euv-lithography"));
    osa()
        .args(["ecosystem", "validate"])
        .assert()
        .success()
        .stdout(predicate::str::contains("semiconductors: valid"));
}

#[test]
fn csv_output_has_a_header_and_a_row_per_input() {
    let out = osa()
        .args(["metrics", &fixture("small.toml"), "--format", "csv"])
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf8");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("id,name,kind,stage,year,hhi,top_country"));
    assert_eq!(lines.len(), 6);
}

// --- Real data (../shared/data/eto) ---

#[test]
fn eto_2026_euv_is_a_dutch_monopoly() {
    let Some(dir) = eto("v2026_chip_explorer", "eto_2026_euv_is_a_dutch_monopoly") else {
        return;
    };
    let rows = json(&["metrics", &dir, "--format", "json"]);
    assert_eq!(rows.as_array().map(Vec::len), Some(126));
    let euv = rows
        .as_array()
        .and_then(|a| a.iter().find(|r| r["name"] == "EUV lithography tools"))
        .expect("EUV row");
    assert_eq!(euv["hhi"], 1.0);
    assert_eq!(euv["shares"]["NLD"], 1.0);
    assert_eq!(euv["top_country"], "NLD");
    assert_eq!(euv["year"], 2025);
}

#[test]
fn eto_2026_eu_indispensability() {
    let Some(dir) = eto("v2026_chip_explorer", "eto_2026_eu_indispensability") else {
        return;
    };
    let rows = json(&[
        "chokepoints",
        &dir,
        "--holder",
        "EU27",
        "--min-share",
        "0.9",
        "--format",
        "json",
    ]);
    let names: Vec<&str> = rows
        .as_array()
        .expect("array")
        .iter()
        .map(|r| r["name"].as_str().expect("name"))
        .collect();
    assert!(names.contains(&"EUV lithography tools"), "{names:?}");
    assert!(
        names.contains(&"ArF immersion (DUV) lithography tools"),
        "{names:?}"
    );
    for r in rows.as_array().expect("array") {
        assert!(r["share"].as_f64().expect("share") >= 0.9);
        assert_eq!(r["holder"], "EU27");
    }
}

#[test]
fn eto_2025_china_holds_integrated_assembly_tools() {
    let Some(dir) = eto(
        "v2025_supply_chain",
        "eto_2025_china_holds_integrated_assembly_tools",
    ) else {
        return;
    };
    let rows = json(&[
        "chokepoints",
        &dir,
        "--holder",
        "CHN",
        "--min-share",
        "0.9",
        "--format",
        "json",
    ]);
    let iat = by_id(&rows, "N77");
    assert_eq!(iat["name"], "Integrated assembly tools");
    assert_eq!(iat["share"], 0.98);
}

#[test]
fn eto_import_then_save_round_trips_byte_for_byte() {
    let Some(dir) = eto(
        "v2026_chip_explorer",
        "eto_import_then_save_round_trips_byte_for_byte",
    ) else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let first = tmp.path().join("first.toml");
    let second = tmp.path().join("second.toml");
    osa()
        .args(["ecosystem", "import", "eto", &dir, "-o"])
        .arg(&first)
        .assert()
        .success();
    osa()
        .args(["ecosystem", "save"])
        .arg(&first)
        .arg("-o")
        .arg(&second)
        .assert()
        .success();
    let (a, b) = (
        std::fs::read(&first).expect("first"),
        std::fs::read(&second).expect("second"),
    );
    assert!(
        a == b,
        "import -> save -> load -> save is not byte-identical"
    );
    // The saved file is a valid input for every command.
    let rows = json(&["metrics", &first.display().to_string(), "--format", "json"]);
    assert_eq!(by_id(&rows, "N20")["hhi"], 1.0);
}

#[test]
fn eto_leverage_eu_china() {
    let Some(dir) = eto("v2026_chip_explorer", "eto_leverage_eu_china") else {
        return;
    };
    let v = json(&[
        "leverage",
        &dir,
        "--between",
        "EU27",
        "CHN",
        "--format",
        "json",
    ]);
    // On the chip tool chain the EU holds far more leverage than China.
    assert!(v["balance"].as_f64().expect("balance") > 0.5);
    let eu_holds: Vec<&str> = v["b_depends_on_a"]
        .as_array()
        .expect("array")
        .iter()
        .map(|d| d["id"].as_str().expect("id"))
        .collect();
    assert!(eu_holds.contains(&"N20"));
}

// --- Bad input ---

fn broken(tmp: &Path, name: &str, from: &str, to: &str) -> PathBuf {
    let text = std::fs::read_to_string(fixture("small.toml")).expect("fixture");
    assert!(text.contains(from), "fixture lacks {from}");
    let path = tmp.join(name);
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    path
}

fn assert_rejected(file: &Path, expect: &[&str]) {
    let out_path = file.with_extension("out.toml");
    let out = osa()
        .args(["ecosystem", "save"])
        .arg(file)
        .arg("-o")
        .arg(&out_path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for e in expect {
        assert!(err.contains(e), "stderr lacks {e:?}:\n{err}");
    }
    assert!(!out_path.exists(), "-o target was created");
}

#[test]
fn share_over_100_is_rejected_with_file_line_record_and_field() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let f = broken(tmp.path(), "share.toml", "share = 100.0", "share = 150.0");
    let name = f.display().to_string();
    // The EUV share sits on line 67 of the fixture.
    assert_rejected(
        &f,
        &[
            &format!("{name}:67:"),
            "input \"euv\" provision #1 (provider \"NLD\")",
            "field `share`",
            "150 is outside 0-100",
        ],
    );
}

#[test]
fn unknown_country_is_rejected() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let f = broken(
        tmp.path(),
        "country.toml",
        "provider = \"UKR\"",
        "provider = \"UKX\"",
    );
    assert_rejected(
        &f,
        &[
            "input \"gas\" provision #1",
            "field `provider`",
            "unknown country code `UKX`",
        ],
    );
}

#[test]
fn a_goes_into_cycle_is_rejected() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let f = broken(
        tmp.path(),
        "cycle.toml",
        "kind = \"final_output\"",
        "kind = \"final_output\"\ngoes_into = [\"litho\"]",
    );
    assert_rejected(
        &f,
        &[
            "input \"chip\"",
            "field `goes_into[0]`",
            "cycle in the value chain: litho -> fabbing -> chip -> litho",
        ],
    );
}

#[test]
fn malformed_toml_names_the_line() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let f = broken(tmp.path(), "syntax.toml", "name = \"Neon\"", "name = Neon");
    assert_rejected(&f, &[":17:"]);
    let f = broken(
        tmp.path(),
        "typo.toml",
        "storability_months",
        "storabilty_months",
    );
    assert_rejected(&f, &["unknown field `storabilty_months`"]);
}

#[test]
fn a_broken_eto_release_fails_and_writes_nothing() {
    let Some(dir) = eto(
        "v2026_chip_explorer",
        "a_broken_eto_release_fails_and_writes_nothing",
    ) else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let copy = tmp.path().join("eto");
    std::fs::create_dir(&copy).expect("mkdir");
    for f in [
        "inputs.csv",
        "providers.csv",
        "provision.csv",
        "sequence.csv",
        "stages.csv",
    ] {
        std::fs::copy(Path::new(&dir).join(f), copy.join(f)).expect("copy");
    }
    // Push ASML's EUV share to 150 and expect the error on that CSV line.
    let prov = std::fs::read_to_string(copy.join("provision.csv")).expect("read");
    let line_no = prov
        .lines()
        .position(|l| l.starts_with("ASML,P88,EUV lithography tools,N20,100.0"))
        .expect("ASML EUV row")
        + 1;
    std::fs::write(
        copy.join("provision.csv"),
        prov.replacen(
            "ASML,P88,EUV lithography tools,N20,100.0",
            "ASML,P88,EUV lithography tools,N20,150.0",
            1,
        ),
    )
    .expect("write");
    let out_path = tmp.path().join("out.toml");
    let out = osa()
        .args(["ecosystem", "import", "eto"])
        .arg(&copy)
        .arg("-o")
        .arg(&out_path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("provision.csv:{line_no}:")), "{err}");
    assert!(err.contains("field `share`"), "{err}");
    assert!(!out_path.exists());
}

#[test]
fn bad_flags_are_errors() {
    osa()
        .args(["chokepoints", "--min-share", "1.5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("outside 0-1"));
    osa()
        .args(["chokepoints", "--holder", "ATLANTIS"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown holder `ATLANTIS`"));
    osa()
        .args(["metrics", "no-such-ecosystem"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "not a file, an ETO directory, or a built-in",
        ));
}
