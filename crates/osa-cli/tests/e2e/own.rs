//! An analyst's own work: a new technology case from the template joins an exported baseline,
//! is assessed, says what data it lacks, and counts in the report; the embedded defaults export
//! as files that load back.

use crate::util::{osa, stdout};

#[test]
fn a_new_technology_is_assessed_and_counted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mine = dir.path().join("mine");
    let m = mine.display().to_string();
    osa()
        .args(["new", "technology", "quantum", "--baseline", &m])
        .assert()
        .success();
    assert!(mine.join("cases/quantum.toml").is_file());
    // Writing it twice is refused, nothing overwritten.
    osa()
        .args(["new", "technology", "quantum", "--baseline", &m])
        .assert()
        .code(2);
    let text = stdout(&["assess", "quantum", "--baseline", &m]);
    assert!(text.starts_with("Quantum (case)"), "{text}");
    assert!(text.contains("osa has no ecosystem data for this technology yet"));
    assert!(text.contains("No counterpart country is recorded"));
    assert!(!text.contains("┌──────────┐"), "no empty table");
    let report = dir.path().join("report");
    let r = report.display().to_string();
    osa()
        .args(["report", "--baseline", &m, "-o", &r])
        .assert()
        .success()
        .stderr(predicates::str::contains("(11 technologies)"));
    let index = std::fs::read_to_string(report.join("index.html")).expect("index");
    assert!(
        index.contains("11 technologies (8 case studies and 3 examples)"),
        "the index counts the technologies"
    );
    assert!(report.join("tech/quantum.html").is_file());
}

#[test]
fn the_embedded_defaults_export_and_load_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let toolkit = dir.path().join("toolkit.toml");
    let t = toolkit.display().to_string();
    osa()
        .args(["toolkit", "export", "-o", &t])
        .assert()
        .success();
    let exported = std::fs::read_to_string(&toolkit).expect("toolkit");
    assert!(exported.contains("[[instruments]]"));
    // The exported toolkit ranks the same instruments as the embedded one.
    let a = stdout(&["assess", "6g", "--format", "csv"]);
    let b = stdout(&["assess", "6g", "--format", "csv", "--toolkit", &t]);
    assert_eq!(a, b);
    let base = dir.path().join("base");
    let d = base.display().to_string();
    osa().args(["baseline", "export", &d]).assert().success();
    assert_eq!(
        stdout(&["matrix", "--format", "csv"]),
        stdout(&["matrix", "--format", "csv", "--baseline", &d])
    );
}

#[test]
fn no_embedded_judgment_is_dated_in_the_future() {
    let today = osa_app::baseline::today();
    let data = crate::util::repo().join("data");
    let mut future = Vec::new();
    for dir in ["scenarios", "baseline/cases"] {
        for e in std::fs::read_dir(data.join(dir)).expect("data dir") {
            let path = e.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("text");
            // Every YYYY-MM-DD date of the file.
            let b = text.as_bytes();
            for k in 0..b.len().saturating_sub(9) {
                let w = &b[k..k + 10];
                let shape = w.iter().enumerate().all(|(i, c)| {
                    if i == 4 || i == 7 {
                        *c == b'-'
                    } else {
                        c.is_ascii_digit()
                    }
                });
                let d = String::from_utf8_lossy(w);
                if shape && d.as_ref() > today.as_str() {
                    future.push(format!("{}: {d}", path.display()));
                }
            }
        }
    }
    assert!(future.is_empty(), "dated after {today}: {future:?}");
}

#[test]
fn the_report_carries_the_analysts_own_results() {
    let dir = tempfile::tempdir().expect("temp dir");
    let json = dir.path().join("chokepoints.json");
    let j = json.display().to_string();
    osa()
        .args([
            "chokepoints",
            "--holder",
            "CHN",
            "--format",
            "json",
            "-o",
            &j,
        ])
        .assert()
        .success();
    let report = dir.path().join("report");
    let r = report.display().to_string();
    osa()
        .args([
            "report",
            "-o",
            &r,
            "--include",
            &j,
            "--scenario",
            "noble-gas-shortage",
            "--draws",
            "50",
        ])
        .assert()
        .success();
    let index = std::fs::read_to_string(report.join("index.html")).expect("index");
    assert!(index.contains("Your analyses"));
    assert!(
        index.contains("Concentration metrics: chokepoints.json")
            || index.contains("Results: chokepoints.json")
    );
    assert!(index.contains("Disruption: Noble-gas shortage"));
    let page = std::fs::read_to_string(report.join("analysis-1.html")).expect("page");
    assert!(page.contains("<td>Gallium</td>"), "the chokepoint rows");
    let sim = std::fs::read_to_string(report.join("analysis-2.html")).expect("page");
    assert!(
        sim.contains("<svg") && sim.contains("p5-p95"),
        "the availability chart"
    );
    // Markdown: a section per analysis.
    let md = dir.path().join("md");
    let m = md.display().to_string();
    osa()
        .args(["report", "--format", "md", "-o", &m, "--include", &j])
        .assert()
        .success();
    let text = std::fs::read_to_string(md.join("report.md")).expect("md");
    assert!(text.contains("# Your analyses") && text.contains("| Gallium"));
    // Not an osa output: refused, nothing written.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{}").expect("write");
    let out = dir.path().join("never");
    osa()
        .args([
            "report",
            "-o",
            &out.display().to_string(),
            "--include",
            &bad.display().to_string(),
        ])
        .assert()
        .code(2);
    assert!(!out.exists());
}
