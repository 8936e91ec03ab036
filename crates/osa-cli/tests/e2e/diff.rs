//! End-to-end tests of `osa diff OLD NEW`: two hand-checked snapshots of the small fixture, the two
//! ETO releases (integrated assembly tools leave China, EUV stays Dutch), and the bad-input contract.

use crate::util::{by_id, fixture, json, osa, stdout};
use predicates::prelude::*;
use serde_json::Value;

fn small_diff(extra: &[&str]) -> Value {
    let (old, new) = (fixture("small.toml"), fixture("small-next.toml"));
    let mut args = vec!["diff", old.as_str(), new.as_str(), "--format", "json"];
    args.extend_from_slice(extra);
    json(&args)
}

/// (kind, holder, before value, after value) of each change of one input row.
fn changes(row: &Value) -> Vec<(String, Value, Value, Value)> {
    row["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            let kind = c["kind"].as_str().expect("kind").to_string();
            (
                kind,
                c["holder"].clone(),
                c["before"]["value"].clone(),
                c["after"]["value"].clone(),
            )
        })
        .collect()
}

#[test]
fn diff_of_two_hand_checked_snapshots() {
    let v = small_diff(&[]);
    assert_eq!(v["added"][0]["id"], "resist");
    assert_eq!(v["removed"][0]["id"], "gas");
    assert_eq!(
        (v["n_compared"].clone(), v["n_changed"].clone()),
        (4.into(), 1.into())
    );
    // Wafer fabrication: TWN 60% / CHN 40% (2022) -> CHN 70% / TWN 30% (2023). Both shares move
    // 30 points; HHI 0.52 -> 0.58 moves 0.06 < 0.1, no change; CHN gains and TWN loses a chokepoint.
    let fab = by_id(&v["inputs"], "fabbing");
    let s = |v: &str| Value::from(v);
    assert_eq!(
        changes(fab),
        [
            ("top_holder".into(), Value::Null, 0.6.into(), 0.7.into()),
            ("share".into(), s("CHN"), 0.4.into(), 0.7.into()),
            ("share".into(), s("TWN"), 0.6.into(), 0.3.into()),
            ("new_chokepoint".into(), s("CHN"), 0.4.into(), 0.7.into()),
            ("lost_chokepoint".into(), s("TWN"), 0.6.into(), 0.3.into()),
        ]
    );
    assert_eq!(fab["changes"][0]["before"]["place"], "TWN");
    assert_eq!(fab["changes"][0]["after"]["place"], "CHN");
    assert_eq!(fab["changes"][0]["after"]["rows"][0]["source"], "test next");
    assert_eq!(fab["before"]["hhi"], 0.52);
    assert_eq!(fab["after"]["hhi"], 0.58);
    // Lithography: NLD 80% -> 85% moves 5 points (EU27 too): below 10, unchanged.
    let litho = by_id(&v["inputs"], "litho");
    assert_eq!(litho["changed"], false);
    assert_eq!(litho["after"]["holder_shares"]["EU27"], 0.85);
    assert_eq!(by_id(&v["inputs"], "euv")["changed"], false);
    assert_eq!(v["thresholds"]["min_share_points"], 10.0);
    assert_eq!(v["thresholds"]["min_hhi"], 0.1);
    assert_eq!(v["thresholds"]["min_share"], 0.5);
    assert_eq!(v["holders"], serde_json::json!(["EU27", "CHN"]));
}

#[test]
fn diff_thresholds_and_holders_come_from_the_flags() {
    // 5 points is enough now: lithography's NLD and EU27 shares move; TWN is not watched beyond its
    // top place, and only the asked holder and the top holders are.
    let v = small_diff(&[
        "--min-share-points",
        "5",
        "--holder",
        "EU27",
        "--min-hhi",
        "0.05",
    ]);
    let litho = by_id(&v["inputs"], "litho");
    let kinds: Vec<(String, Value)> = changes(litho).into_iter().map(|c| (c.0, c.1)).collect();
    assert_eq!(
        kinds,
        [
            ("share".into(), "EU27".into()),
            ("share".into(), "NLD".into()),
            ("hhi".into(), Value::Null),
        ]
    );
    assert_eq!(v["holders"], serde_json::json!(["EU27"]));
    // A --bloc is a holder; EAST holds 100% of wafer fabrication in both snapshots: no EAST change.
    let v = small_diff(&["--bloc", "EAST=TWN,CHN", "--holder", "EAST"]);
    let fab = by_id(&v["inputs"], "fabbing");
    assert_eq!(fab["before"]["chokepoints"][0], "EAST");
    assert!(changes(fab).iter().all(|c| c.1 != "EAST"));
    // NEW read in 2022, a year it has no shares for: every input with shares in OLD loses coverage.
    let v = small_diff(&["--new-year", "2022"]);
    assert_eq!(v["new"]["year"], 2022);
    assert_eq!(v["old"]["year"], Value::Null);
    let fab = by_id(&v["inputs"], "fabbing");
    assert_eq!(
        changes(fab),
        [("coverage".into(), Value::Null, 0.6.into(), Value::Null)]
    );
    assert_eq!(fab["changes"][0]["before"]["place"], "TWN");
    assert_eq!(fab["changes"][0]["after"]["year"], Value::Null);
}

#[test]
fn diff_prints_table_csv_and_markdown_and_writes_files() {
    let (old, new) = (fixture("small.toml"), fixture("small-next.toml"));
    let table = stdout(&["diff", &old, &new]);
    assert!(table.contains("thresholds: top holder changes; holder share moves >= 10 points"));
    assert!(table.contains("TWN 60.0% (2022)"), "{table}");
    let csv = stdout(&["diff", &old, &new, "--format", "csv"]);
    assert!(
        csv.contains("top_holder,fabbing,Wafer fabrication,,2022,TWN,0.6,2023,CHN,0.7"),
        "{csv}"
    );
    assert!(
        csv.contains("unchanged,euv,EUV tools,,2022,NLD,1,2023,NLD,1"),
        "{csv}"
    );
    assert!(csv.contains("added,resist,Photoresist"), "{csv}");
    let md = stdout(&["diff", &old, &new, "--format", "md"]);
    assert!(md.contains("## Changes (5)"), "{md}");
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("diff.json");
    osa()
        .args(["diff", &old, &new, "--format", "json", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("written")).expect("JSON");
    assert_eq!(written["n_changed"], 1);
}

#[test]
fn diff_of_a_snapshot_with_itself_is_empty() {
    let v = json(&[
        "diff",
        &fixture("small.toml"),
        &fixture("small.toml"),
        "--format",
        "json",
    ]);
    assert_eq!(v["n_changed"], 0);
    assert_eq!(v["added"], serde_json::json!([]));
    assert_eq!(v["removed"], serde_json::json!([]));
}

#[test]
fn diff_of_the_two_eto_releases() {
    let Some(data) = osa_io::shared::data_dir_or_skip("diff_of_the_two_eto_releases") else {
        return;
    };
    let eto = |r: &str| data.join("eto").join(r).display().to_string();
    let (old, new) = (eto("v2025_supply_chain"), eto("v2026_chip_explorer"));
    let v = json(&["diff", &old, &new, "--format", "json"]);
    // Integrated assembly tools (N77): CHN 98% + DEU 2% (2019) -> SGP 100% (2025).
    let iat = by_id(&v["inputs"], "N77");
    assert_eq!(iat["name"], "Integrated assembly tools");
    assert_eq!(iat["before"]["top_holder"], "CHN");
    assert_eq!(iat["before"]["top_share"], 0.98);
    assert_eq!(iat["before"]["year"], 2019);
    assert_eq!(iat["after"]["top_holder"], "SGP");
    assert_eq!(iat["after"]["top_share"], 1.0);
    assert_eq!(iat["after"]["year"], 2025);
    let s = |v: &str| Value::from(v);
    assert_eq!(
        changes(iat),
        [
            ("top_holder".into(), Value::Null, 0.98.into(), 1.0.into()),
            ("share".into(), s("CHN"), 0.98.into(), 0.0.into()),
            ("share".into(), s("SGP"), 0.0.into(), 1.0.into()),
            ("lost_chokepoint".into(), s("CHN"), 0.98.into(), 0.0.into()),
            ("new_chokepoint".into(), s("SGP"), 0.0.into(), 1.0.into()),
        ]
    );
    // HHI 0.9608 -> 1.0 moves 0.0392: below 0.1, so no HHI change.
    assert_eq!(iat["before"]["hhi"], 0.9608);
    assert_eq!(iat["after"]["hhi"], 1.0);
    assert_eq!(iat["changes"][0]["before"]["rows"][0]["provider"], "CHN");
    assert_eq!(iat["changes"][0]["after"]["rows"][0]["provider"], "SGP");
    // EUV lithography (N20, "EUV scanners" in 2025): NLD 100% in both, unchanged.
    let euv = by_id(&v["inputs"], "N20");
    assert_eq!(euv["changed"], false);
    assert_eq!(euv["old_name"], "EUV scanners");
    assert_eq!(euv["name"], "EUV lithography tools");
    for side in ["before", "after"] {
        assert_eq!(euv[side]["top_holder"], "NLD");
        assert_eq!(euv[side]["top_share"], 1.0);
    }
    assert_eq!(euv["before"]["year"], 2019);
    assert_eq!(euv["after"]["year"], 2025);
    // The table says the same.
    let table = stdout(&["diff", &old, &new]);
    let line = |id: &str, what: &str| {
        table
            .lines()
            .find(|l| l.contains(&format!(" {id} ")) && l.contains(what))
            .unwrap_or_else(|| panic!("no {id} {what} line:\n{table}"))
            .to_string()
    };
    assert!(line("N77", "top holder").contains("CHN 98.0% (2019)"));
    assert!(line("N77", "top holder").contains("SGP 100.0% (2025)"));
    let euv_line = line("N20", "EUV lithography tools");
    assert!(euv_line.contains("NLD 100.0% (2019)") && euv_line.contains("NLD 100.0% (2025)"));
    let unchanged = table.find("Unchanged inputs").expect("unchanged section");
    assert!(table.find(&euv_line).expect("EUV line") > unchanged);
}

#[test]
fn diff_refuses_bad_input_with_exit_2_naming_the_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(fixture("small-next.toml")).expect("fixture");
    let bad = tmp.path().join("next-broken.toml");
    std::fs::write(&bad, text.replacen("share = 100.0", "share = 150.0", 1)).expect("write");
    let bad = bad.display().to_string();
    let out = tmp.path().join("diff.json");
    osa()
        .args(["diff", &fixture("small.toml"), &bad, "-o"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "could not load ecosystem `{bad}`"
        )))
        .stderr(predicate::str::contains(format!("{bad}:")))
        .stderr(predicate::str::contains("150 is outside 0-100"));
    assert!(!out.exists(), "-o target was created");
    osa()
        .args(["diff", &fixture("small.toml"), "no-such-snapshot"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-snapshot"));
    let small = fixture("small.toml");
    for (flag, value, says) in [
        (
            "--min-share-points",
            "150",
            "min-share-points 150 is outside 0-100",
        ),
        ("--min-share", "1.5", "min-share 1.5 is outside 0-1"),
        ("--min-hhi", "2", "min-hhi 2 is outside 0-1"),
        ("--holder", "ATLANTIS", "unknown holder `ATLANTIS`"),
    ] {
        osa()
            .args(["diff", &small, &small, flag, value])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
    }
}

/// A record where ana proposed 6G national security 4 -> 3 and rev approved it.
async fn six_g_approved(url: &str) {
    use osa_app::workbench::Workbench;
    use osa_app::workbench::cells::{CellChange, EvidenceInput};
    use osa_store::users::{Principal, Role};
    let wb = Workbench::open(url).await.expect("open");
    let actor = osa_store::Actor::cli("test");
    let who = |name: &str, role| Principal {
        name: name.into(),
        role,
        via: "session",
    };
    for (n, r) in [("ana", Role::Analyst), ("rev", Role::Reviewer)] {
        wb.store().add_user(&actor, n, r, None).await.unwrap();
    }
    let change = CellChange {
        level: Some(3),
        silent: false,
        rationale: None,
        evidence: vec![EvidenceInput {
            text: "The abstract ranks national security first within the 6G chapter.".into(),
            source: "seed L2062-2063".into(),
        }],
        range: None,
        clear_range: false,
        signals: None,
        note: "second reading: 3 is tenable".into(),
    };
    let doc = wb.technology_doc("6g", 1).await.unwrap();
    let p = wb
        .propose_cell(
            &actor,
            &who("ana", Role::Analyst),
            ("6g", "national_security"),
            doc.version,
            &change,
        )
        .await
        .unwrap();
    wb.review(
        &actor,
        &who("rev", Role::Reviewer),
        p.id,
        osa_store::proposals::Decision::Approve,
        "agreed",
    )
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn diff_record_names_the_cell_the_levels_who_and_why_on_every_backend() {
    for db in osa_store::testkit::TestDb::all().await {
        let label = db.label;
        six_g_approved(&db.url).await;
        let text = stdout(&["diff", "--record", "r1", "head", "--db", &db.url]);
        assert!(text.contains("What changed from r1 ("), "{label}: {text}");
        assert!(
            text.contains(
                "6G, national security: level 4 (critical) -> 3 (high); evidence: 1 added, 0 \
                 removed; proposed by ana, approved by rev in r2: second reading: 3 is tenable \
                 (reviewer: agreed)"
            ),
            "{label}: {text}"
        );
        let j = json(&[
            "diff", "--record", "r1", "head", "--db", &db.url, "--format", "json",
        ]);
        let cell = &j["cells"][0];
        assert_eq!(
            (cell["technology"].as_str(), cell["dimension"].as_str()),
            (Some("6g"), Some("national_security"))
        );
        assert_eq!(
            (cell["before"].as_u64(), cell["after"].as_u64()),
            (Some(4), Some(3))
        );
        assert_eq!(cell["why"][0]["proposed_by"], "ana");
        assert_eq!(cell["why"][0]["approved_by"], "rev");
        assert_eq!(cell["why"][0]["rationale"], "second reading: 3 is tenable");
        assert_eq!(j["from"], 1);
        assert_eq!(j["step4"][0]["technology"], "6g");
        assert_eq!(j["step4"][0]["priority_before"], "national_security");
        assert_eq!(j["step4"][0]["priority_after"], serde_json::Value::Null);
        // Nothing changed between a revision and itself; a bad date names the field.
        // Step 4: the tie that approval makes leaves 6G without a priority dimension.
        assert!(
            text.contains("    priority dimension: national security -> none (no priority: National security, Values and sustainability tie"),
            "{label}: {text}"
        );
        let same = stdout(&["diff", "--record", "r2", "r2", "--db", &db.url]);
        assert!(same.contains("Nothing published changed."), "{same}");
        osa()
            .args(["diff", "--record", "someday", "head", "--db", &db.url])
            .assert()
            .failure()
            .stderr(predicate::str::contains("osa diff --record someday head"));
        osa()
            .args([
                "diff", "--record", "r1", "head", "--db", &db.url, "--format", "csv",
            ])
            .assert()
            .failure()
            .stderr(predicate::str::contains(
                "writes --format table, md or json",
            ));
    }
}

#[test]
fn snapshots_of_two_different_ecosystems_are_refused_with_the_reason() {
    osa()
        .args(["diff", "6g", "blockchain"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "are snapshots of two different ecosystems (they share 1 of their 11 and 6 inputs)",
        ));
}
