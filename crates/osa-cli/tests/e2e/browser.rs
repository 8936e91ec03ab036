//! The HTML report in a real browser: `osa report` on the embedded baseline must load in headless
//! Chromium with no console message (errors, warnings or logs), render the matrix SVG, and run its
//! script (the actor filter fills in its count). Chromium comes from Debian (`.ci/run` installs it);
//! without it the test prints SKIP, except under CI=true where it fails.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("OSA_CHROMIUM").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromium")),
        Some(PathBuf::from("/usr/bin/chromium-browser")),
    ];
    let found = candidates.into_iter().flatten().find(|p| p.is_file());
    if found.is_none() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("chromium is missing and CI=true: .ci/run should install Debian's chromium");
        }
        // Straight to standard error: the harness would swallow `eprintln!` of a passing test.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIP browser tests: chromium not found (apt-get install chromium, or set OSA_CHROMIUM)"
        );
    }
    found
}

/// Loads a page headless; returns (DOM after scripts ran, console lines).
fn load(chrome: &Path, page: &Path, profile: &Path) -> (String, Vec<String>) {
    let out = Process::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=2000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    let console = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    (String::from_utf8_lossy(&out.stdout).into_owned(), console)
}

#[test]
fn the_report_loads_in_chromium_without_console_messages() {
    let Some(chrome) = chromium() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("report");
    crate::util::osa()
        .args(["report", "-o"])
        .arg(&dir)
        .assert()
        .success();
    let profile = tmp.path().join("profile");
    let pages = [
        "index.html",
        "tech/chip-design.html",
        "tech/6g.html",
        "tech/front-end-fabrication.html",
        "actors.html",
        "checklist.html",
        "sources.html",
        "method.html",
    ];
    for page in pages {
        let path = dir.join(page);
        assert!(path.is_file(), "missing {page}");
        let (dom, console) = load(&chrome, &path, &profile);
        assert!(console.is_empty(), "{page}: console messages: {console:#?}");
        assert!(
            dom.contains("osa · Open Strategic Autonomy workbench"),
            "{page}: not rendered"
        );
    }
    let (dom, _) = load(&chrome, &dir.join("index.html"), &profile);
    assert!(dom.contains("<svg"), "the matrix SVG is missing");
    assert!(dom.contains("Chip design") && dom.contains("Urban AI"));
    // The actor filter script ran and counted the rows.
    let (dom, _) = load(&chrome, &dir.join("actors.html"), &profile);
    let counted = dom
        .split("id=\"count\"")
        .nth(1)
        .and_then(|rest| rest.split('>').nth(1))
        .and_then(|t| t.split('<').next())
        .unwrap_or("");
    assert!(
        counted.contains(" of "),
        "actor filter did not run: {counted:?}"
    );
}

#[test]
fn every_dossier_with_data_has_charts_and_prints() {
    let Some(chrome) = chromium() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("report");
    crate::util::osa()
        .args(["report", "-o"])
        .arg(&dir)
        .assert()
        .success();
    let profile = tmp.path().join("profile");
    let mut with_ecosystem = 0;
    let mut pages: Vec<_> = std::fs::read_dir(dir.join("tech"))
        .expect("tech pages")
        .map(|e| e.expect("entry").path())
        .collect();
    pages.sort();
    for page in &pages {
        let (dom, console) = load(&chrome, page, &profile);
        let name = page.display();
        assert!(console.is_empty(), "{name}: console messages: {console:#?}");
        if dom.contains("osa has no ecosystem data for this technology yet") {
            assert!(!dom.contains("Who supplies each input"), "{name}");
        } else {
            with_ecosystem += 1;
            assert!(
                dom.contains("Who supplies each input in scope"),
                "{name}: no supplier chart"
            );
            assert!(
                dom.contains("share of the world market (%)"),
                "{name}: no axis label"
            );
        }
        if dom.contains("<td>National security</td>") {
            // Counterparts: the risk chart, with its axis and legend.
            assert!(
                dom.contains("Risk against tolerance"),
                "{name}: no risk chart"
            );
            assert!(
                dom.contains("likelihood of weaponization (0-1)"),
                "{name}: no axis label"
            );
            // plotters writes SVG text on its own line.
            let legend = dom.contains(">\ntolerance\n</text>") || dom.contains(">tolerance</text>");
            assert!(legend, "{name}: no legend");
        }
        assert!(dom.contains("<svg"), "{name}: no chart at all");
    }
    assert_eq!(
        with_ecosystem, 7,
        "chip design, front-end fabrication, 6G, V2X, facial recognition, urban AI and blockchain \
         have step 1"
    );
    // A dossier prints to PDF with the print stylesheet (no header bar, rows kept whole).
    let pdf = tmp.path().join("chip-design.pdf");
    let out = Process::new(&chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!(
            "file://{}",
            dir.join("tech/chip-design.html").display()
        ))
        .output()
        .expect("chromium runs");
    assert!(out.status.success(), "print failed");
    let bytes = std::fs::read(&pdf).expect("pdf written");
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    let html = std::fs::read_to_string(dir.join("tech/chip-design.html")).expect("page");
    assert!(html.contains(r#"<link rel="stylesheet" href="../assets/osa.css">"#));
    let css = std::fs::read_to_string(dir.join("assets/osa.css")).expect("stylesheet");
    assert!(css.contains("@media print") && css.contains("break-inside: avoid"));
    // At the width of an A4 page's text (182 mm, about 690 px), with the print stylesheet, no
    // table or chart is wider than the text: a probe script (added to a copy of each dossier)
    // counts those that would be cut.
    for page in &pages {
        let text = std::fs::read_to_string(page).expect("page");
        let probe = r#"<script>addEventListener('load', function () {
  var main = document.querySelector('main');
  var cut = Array.prototype.filter.call(document.querySelectorAll('main table, main svg'),
    function (t) { return t.getBoundingClientRect().right > main.getBoundingClientRect().right + 1; });
  document.body.setAttribute('data-cut', String(cut.length));
});</script></body>"#;
        let copy = tmp.path().join("probe.html");
        // The print stylesheet applied on screen, so the layout is the printed one.
        let printed = text
            .replace(
                r#"<link rel="stylesheet" href="../assets/osa.css">"#,
                &format!(
                    "<style>{}</style>",
                    css.replace("@media print", "@media all")
                ),
            )
            .replace("</body>", probe);
        std::fs::write(&copy, printed).expect("copy");
        let out = Process::new(&chrome)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args([
                "--window-size=690,1000",
                "--virtual-time-budget=2000",
                "--dump-dom",
            ])
            .arg(format!("file://{}", copy.display()))
            .output()
            .expect("chromium runs");
        let dom = String::from_utf8_lossy(&out.stdout);
        assert!(
            dom.contains("data-cut=\"0\""),
            "{}: a table or chart is wider than an A4 page",
            page.display()
        );
    }
}

#[test]
fn command_pages_have_their_charts() {
    let Some(chrome) = chromium() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let profile = tmp.path().join("profile");
    let fx = |n: &str| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../osa-trade/tests/data")
            .join(n)
            .display()
            .to_string()
    };
    let (trade, countries) = (fx("screen_fixture.csv"), fx("country_codes_fixture.csv"));
    let cases: [(&[&str], &str); 3] = [
        (
            &[
                "simulate",
                "--scenario",
                "noble-gas-shortage",
                "--draws",
                "200",
            ],
            "availability (% of normal supply",
        ),
        (
            &[
                "screen",
                "--trade",
                &trade,
                "--countries",
                &countries,
                "--year",
                "2019",
                "--by",
                "supplier",
            ],
            "imports of the dependent products, million USD",
        ),
        (&["chokepoints", "--holder", "CHN"], "<table>"),
    ];
    for (k, (args, expect)) in cases.iter().enumerate() {
        let page = tmp.path().join(format!("page{k}.html"));
        crate::util::osa()
            .args(*args)
            .args(["--format", "html", "-o"])
            .arg(&page)
            .assert()
            .success();
        let (dom, console) = load(&chrome, &page, &profile);
        assert!(
            console.is_empty(),
            "{args:?}: console messages: {console:#?}"
        );
        assert!(dom.contains(expect), "{args:?}: {expect} missing");
        assert!(dom.contains("<table>"), "{args:?}: no table");
    }
}
