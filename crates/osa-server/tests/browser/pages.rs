//! Every HTML page of the workbench in the browser, at 1280 px and at 420 px wide: a full-page
//! screenshot of each (`ci-artifacts/pages/NAME-WIDTH.png`) and axe-core over each (serious and
//! critical violations fail, all listed at once). [`PAGES`] lists the pages; one the server does
//! not serve yet (a 4xx answer that is not HTML) is noted and passed over, so this test grows with
//! the workbench; a server error or an HTML error page fails.

use crate::axe::{self, axe_source};
use crate::common::Server;
use crate::flows::{fetch, sign_in};
use crate::harness::{Browser, HEIGHT};
use std::io::Write;

/// (screenshot name, path, signed in?). Add each new page here.
pub const PAGES: &[(&str, &str, bool)] = &[
    ("signin", "/signin", false),
    ("overview", "/", true),
    ("tech-6g", "/tech/6g", true),
];

/// The widths every page is shot and checked at.
pub const WIDTHS: [u32; 2] = [1280, 420];

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
    let Some(b) = Browser::open(&s.url("")).await else {
        s.stop().await;
        return;
    };
    let mut failures = Vec::new();
    let mut shot = 0;
    for signed_in in [false, true] {
        if signed_in {
            sign_in(&b, "adm").await;
        } else {
            b.goto("/api/v1/health").await;
        }
        for &(name, path, _) in PAGES.iter().filter(|p| p.2 == signed_in) {
            let (status, ctype) = served(&b, path).await;
            let html = ctype.starts_with("text/html");
            if !html && (400..500).contains(&status) {
                let _ = writeln!(
                    std::io::stderr(),
                    "SKIP page {path}: not served yet ({status} {ctype})"
                );
                continue;
            }
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
                let bad = axe::serious(&b, &src).await;
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
    let _ = fetch; // the page flows use it
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
