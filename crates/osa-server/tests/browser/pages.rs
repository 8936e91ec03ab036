//! Every HTML page of the workbench in the browser, at 1280 px and at 420 px wide: a full-page
//! screenshot of each (`ci-artifacts/pages/NAME-WIDTH.png`) and axe-core over each (serious and
//! critical violations fail, all listed at once). [`PAGES`] lists the pages with concrete paths;
//! a test checks that every GET page route of the server has one, so a new page cannot go
//! unchecked. A page that does not answer 200 HTML fails.

use crate::axe::{self, axe_source};
use crate::common::Server;
use crate::flows::sign_in;
use crate::harness::{Browser, HEIGHT};
use serde_json::{Value, json};
use std::io::Write;

/// (screenshot name, path, signed in?); `{proposal}` stands for an open proposal's id. Every GET
/// page route of the server must match one (checked): add each new page here.
pub const PAGES: &[(&str, &str, bool)] = &[
    ("signin", "/signin", false),
    ("overview", "/", true),
    ("overview-changed", "/?changed_since=r1", true),
    ("tech-6g", "/tech/6g", true),
    ("actors", "/actors", true),
    ("search", "/search?q=gallium", true),
    ("checklist", "/checklist", true),
    ("sources", "/sources", true),
    ("method", "/method", true),
    ("seed", "/seed?lines=960-962", true),
    ("propose", "/tech/6g/national_security/propose", true),
    ("propose-file", "/propose/baseline/toolkit.toml", true),
    ("history", "/tech/6g/national_security/history", true),
    ("review", "/review", true),
    ("proposal", "/review/{proposal}", true),
    ("ecosystems", "/ecosystems", true),
    ("ecosystem", "/ecosystems/semiconductors?holder=EU27", true),
    (
        "ecosystem-input",
        "/ecosystems/semiconductors/inputs/euv-lithography",
        true,
    ),
    (
        "ecosystem-compare",
        "/ecosystems/semiconductors/compare?from=osa-curated&to=semiconductors",
        true,
    ),
    ("scenarios", "/scenarios", true),
    ("scenario", "/scenarios/china-rare-earths", true),
    ("scenario-run", "/scenarios/china-rare-earths/runs/1", true),
    (
        "scenario-compare",
        "/scenarios/compare?a=china-rare-earths/1&b=china-rare-earths/1",
        true,
    ),
    ("trade", "/trade", true),
    ("screening", "/trade/screenings/fixture/1", true),
    ("panel", "/trade/panels/1", true),
    ("trade-job", "/trade/jobs/1", true),
    ("releases", "/releases", true),
    ("actors-filtered", "/actors?technology=6g&prc=prc", true),
    ("events", "/events", true),
    ("watchlists", "/watchlists", true),
    ("watchlist", "/watchlists/mine", true),
    ("changes", "/changes", true),
    ("changes-compare", "/changes/compare?from=r1", true),
    ("inbox", "/inbox", true),
    ("change", "/changes/1", true),
    ("apps", "/apps", true),
    ("apps-new", "/apps/new", true),
    ("app", "/apps/deepchat", true),
    ("account", "/account", true),
];

/// Whether a path (without its query) matches a route pattern (`{x}` one segment, `{*x}` the rest).
fn matches(pattern: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or(path);
    let (mut p, mut q) = (pattern.split('/'), path.split('/'));
    loop {
        match (p.next(), q.next()) {
            (None, None) => return true,
            (Some(a), _) if a.starts_with("{*") => return true,
            (Some(a), Some(b)) if a == b || (a.starts_with('{') && !b.is_empty()) => {}
            _ => return false,
        }
    }
}

#[test]
fn every_page_route_is_listed() {
    let missing: Vec<&str> = osa_server::pages::routes()
        .iter()
        .filter(|r| r.method == "GET" && r.path != "/assets/{name}")
        .filter(|r| !PAGES.iter().any(|(_, p, _)| matches(r.path, p)))
        .map(|r| r.path)
        .collect();
    assert!(
        missing.is_empty(),
        "page routes without an entry in PAGES (tests/browser/pages.rs): {missing:?}"
    );
}

/// Violations known on the pages as they landed, owned by `osa-web` (not this harness): printed as
/// KNOWN on every run instead of failing, until fixed there. (path, axe rule id, what it is.)
/// Remove an entry when its page is fixed; anything not listed fails.
pub const KNOWN: &[(&str, &str, &str)] = &[];

/// The widths every page is shot and checked at.
pub const WIDTHS: [u32; 2] = [1280, 420];

/// An open proposal by `ana` (6G national security 4 -> 3), through the API; its id.
async fn open_a_proposal(s: &Server) -> i64 {
    let ana = s.client("ana").await;
    let r = ana
        .get(s.url("/api/v1/technologies/6g"))
        .send()
        .await
        .expect("the dossier");
    let etag = r.headers()["etag"].to_str().expect("an ETag").to_string();
    let r = ana
        .post(s.url("/api/v1/technologies/6g/dimensions/national_security/proposals"))
        .header("if-match", etag)
        .json(&json!({
            "level": 3,
            "rationale": "The abstract ranks national security first within the chapter; across technologies 3 is tenable.",
            "evidence": [{ "text": "National security is still the greatest concern (within the chapter).", "source": "seed L2062-2063" }],
            "note": "second reading of L2062-2063"
        }))
        .send()
        .await
        .expect("a proposal");
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
    let open: Value = s.get_json(&ana, "/api/v1/proposals?status=open").await;
    let id = open["items"][0]["id"].as_i64().expect("the proposal's id");
    for subject in [format!("proposal/{id}"), "cell/6g/national_security".into()] {
        let r = ana
            .post(s.url("/discussion/comment"))
            .form(&[
                ("subject", subject.as_str()),
                (
                    "text",
                    "@adm does 3 hold across technologies? See https://example.org/6g",
                ),
            ])
            .send()
            .await
            .expect("a comment");
        assert!(r.status().is_success(), "{}", r.status());
    }
    id
}

/// A scenario run (`china-rare-earths` run 1), a trade screening (`fixture` run 1) and a panel run, made
/// through the pages' own forms, so their pages have content.
async fn run_and_screen(s: &Server, b: &Browser) {
    crate::common::trade_fixture(s, "fixture").await;
    b.goto("/scenarios/china-rare-earths").await;
    b.fill("#draws", "100").await;
    b.fill("#weeks", "26").await;
    b.click("form.run-form button[type=submit]").await;
    b.wait_for_path("/scenarios/china-rare-earths/runs/1").await;
    b.goto("/trade").await;
    b.fill("#year", "2020").await;
    b.click("form.screen-form button[type=submit]").await;
    b.wait_for_path("/trade/screenings/fixture/1").await;
    b.goto("/trade").await;
    b.click("form.panel-form button[type=submit]").await;
    b.wait_for_path("/trade/panels/1").await;
}

/// The records the records' pages show: two releases of the small test ecosystem (changes), a
/// watchlist `mine` of `adm` following it, an event, and an AI-app assessment awaiting review.
async fn records(s: &Server) {
    let (adm, ana) = (s.client("adm").await, s.client("ana").await);
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../osa-cli/tests/data");
    for (label, file) in [("one", "small.toml"), ("two", "small-next.toml")] {
        let toml = std::fs::read(data.join(file)).expect("the test ecosystem");
        crate::common::release(s, (&ana, &adm), ("small", label), toml).await;
    }
    let posts = [
        (
            &adm,
            "put",
            "/api/v1/watchlists/mine",
            json!({ "subjects": ["ecosystem/small", "technology/6g"] }),
        ),
        (
            &ana,
            "post",
            "/api/v1/events",
            json!({ "date": "2026-11-20", "title": "MIIT publishes a 6G roadmap",
            "technologies": ["6g"], "source": "pub: MIIT, 6G roadmap (2026)" }),
        ),
        (
            &ana,
            "post",
            "/api/v1/app-assessments/deepchat/proposals",
            json!({
            "name": "DeepChat", "firm": "Example AI Ltd", "country": "CHN", "note": "first assessment",
            "ratings": [{ "criterion": "legal-data-requests", "rating": "concern",
                          "text": "The firm is subject to the National Intelligence Law.", "source": "seed L6800-6810" }] }),
        ),
    ];
    for (c, method, path, body) in posts {
        let rb = if method == "put" {
            c.put(s.url(path))
        } else {
            c.post(s.url(path))
        };
        let r = rb.json(&body).send().await.expect("a record");
        assert!(
            r.status().is_success(),
            "{path}: {}",
            r.text().await.unwrap_or_default()
        );
    }
}

/// Whether the server serves `path` as an HTML page now (status, content type), from the
/// current page's origin and session.
async fn served(b: &Browser, path: &str) -> (u16, String) {
    let r = b
        .script_async(
            r"const done = arguments[arguments.length - 1];
              fetch(arguments[0], { redirect: 'follow' })
                .then(r => done([r.status, r.headers.get('content-type') || '']))
                .catch(e => done([0, String(e)]));",
            vec![serde_json::json!(path)],
        )
        .await;
    (
        u16::try_from(r[0].as_u64().unwrap_or(0)).unwrap_or(0),
        r[1].as_str().unwrap_or_default().to_string(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_at_two_widths_is_shot_and_accessible() {
    let Some(src) = axe_source() else {
        return;
    };
    let s = Server::sqlite_with_users().await;
    let proposal = open_a_proposal(&s).await;
    records(&s).await;
    let Some(b) = Browser::open(&s.url("")).await else {
        s.stop().await;
        return;
    };
    let mut failures = Vec::new();
    let mut shot = 0;
    for signed_in in [false, true] {
        if signed_in {
            sign_in(&b, "adm").await;
            run_and_screen(&s, &b).await;
        } else {
            b.goto("/api/v1/health").await;
        }
        for &(name, path, _) in PAGES.iter().filter(|p| p.2 == signed_in) {
            if path.starts_with("/seed") && crate::common::seed_text().is_none() {
                assert!(
                    std::env::var("CI").is_err(),
                    "the report's text is missing under CI"
                );
                let _ = writeln!(
                    std::io::stderr(),
                    "SKIP page {path}: ../shared/seed is absent"
                );
                continue;
            }
            let path = &path.replace("{proposal}", &proposal.to_string());
            let (status, ctype) = served(&b, path).await;
            let html = ctype.starts_with("text/html");
            if status != 200 || !html {
                failures.push(format!("{path}: {status} {ctype}"));
                continue;
            }
            for w in WIDTHS {
                b.resize(w, HEIGHT).await;
                b.goto(path).await;
                let png = b.screenshot(&format!("{name}-{w}")).await;
                shot += 1;
                let overflow = b
                    .script(
                        "return document.documentElement.scrollWidth - window.innerWidth",
                        vec![],
                    )
                    .await;
                if overflow.as_i64().is_some_and(|o| o > 0) {
                    let _ = writeln!(
                        std::io::stderr(),
                        "note: {path} at {w} px scrolls sideways by {overflow} px"
                    );
                }
                let (known, bad): (Vec<_>, Vec<_>) =
                    axe::serious(&b, &src).await.into_iter().partition(|v| {
                        KNOWN
                            .iter()
                            .any(|(p, id, _)| *p == path.as_str() && *id == v.id)
                    });
                for v in known {
                    let _ = writeln!(
                        std::io::stderr(),
                        "KNOWN {path} at {w} px (osa-web to fix): {v}"
                    );
                }
                if !bad.is_empty() {
                    failures.push(format!(
                        "{path} at {w} px ({}):\n{}",
                        png.display(),
                        bad.iter()
                            .map(|v| format!("  {v}"))
                            .collect::<Vec<_>>()
                            .join("\n")
                    ));
                }
            }
            b.resize(crate::harness::WIDTH, HEIGHT).await;
        }
    }
    let _ = writeln!(
        std::io::stderr(),
        "pages: {shot} screenshots in {}",
        crate::harness::artifacts().display()
    );
    b.close().await;
    s.stop().await;
    assert!(
        failures.is_empty(),
        "pages with serious or critical accessibility violations or errors:\n{}",
        failures.join("\n")
    );
}
