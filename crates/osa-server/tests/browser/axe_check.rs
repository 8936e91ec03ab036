//! The axe helper checked on pages this test serves itself, with osa's Content-Security-Policy:
//! it must find the violations planted in a bad page and none in a good one, and it must load
//! although the policy blocks the page's own inline script. And it loads into a document of the
//! real server (an API answer, under the same header).

use crate::axe::{self, axe_source};
use crate::common::Server;
use crate::harness::Browser;
use crate::site::Site;
use serde_json::json;

const BAD: &str = r#"<!doctype html><html><head><title>bad</title></head><body>
<script>window.inlineRan = true;</script>
<main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><button></button>
<p style="color:#777;background:#888">grey on grey</p></main></body></html>"#;

const GOOD: &str = r#"<!doctype html><html lang="en"><head><title>good</title></head><body>
<header><h1>Overview</h1></header><main><p>Text with enough contrast.</p>
<img alt="a dot" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<label>Name <input name="n"></label><button type="submit">Send</button></main></body></html>"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_planted_violations_under_the_servers_csp() {
    let Some(src) = axe_source() else {
        return;
    };
    let site = Site::start(
        vec![("/bad", BAD.to_string()), ("/good", GOOD.to_string())],
        true,
    )
    .await;
    let Some(b) = Browser::open(&site.url("127.0.0.1", "")).await else {
        return;
    };
    b.goto("/bad").await;
    assert_eq!(
        b.script("return window.inlineRan === true", vec![]).await,
        json!(false),
        "the CSP is in force: the page's inline script did not run"
    );
    let bad = axe::serious(&b, &src).await;
    let ids: Vec<&str> = bad.iter().map(|v| v.id.as_str()).collect();
    for want in ["image-alt", "button-name", "html-has-lang"] {
        assert!(ids.contains(&want), "{want} is found: {ids:?}");
    }
    let img = bad.iter().find(|v| v.id == "image-alt").expect("image-alt");
    assert_eq!(img.targets, vec!["img".to_string()], "{img}");
    b.goto("/good").await;
    axe::assert_accessible(&b, &src, "the good page").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_loads_into_a_document_of_the_server() {
    let Some(src) = axe_source() else {
        return;
    };
    let s = Server::sqlite().await;
    let Some(b) = Browser::open(&s.url("")).await else {
        s.stop().await;
        return;
    };
    b.goto("/api/v1/health").await;
    // Chromium shows the JSON in a page of its own; the server's CSP header applies to it.
    let v = axe::violations(&b, &src).await;
    let _ = v; // Chromium's viewer is not osa's markup: only the injection is checked here.
    b.close().await;
    s.stop().await;
}

const FORM: &str = r#"<!doctype html><html lang="en"><head><title>form</title></head><body><main>
<h1>Ask</h1><form action="/done" method="get"><label>Name <input id="name" name="name"></label>
<button id="go" type="submit">Send</button></form><p>one</p><p>two</p></main></body></html>"#;

/// A page taller than the window (no inline style: the CSP would drop it).
fn tall() -> String {
    let lines: String = (1..=120).map(|i| format!("<p>Line {i}</p>\n")).collect();
    format!(
        r#"<!doctype html><html lang="en"><head><title>tall</title></head><body><main>
<h1>Top</h1>{lines}<p>Bottom</p></main></body></html>"#
    )
}

const DONE: &str = r#"<!doctype html><html lang="en"><head><title>done</title></head><body><main>
<h1>Thanks</h1><p>Received.</p></main></body></html>"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_helpers_fill_click_wait_and_read() {
    let site = Site::start(
        vec![
            ("/form", FORM.to_string()),
            ("/done", DONE.to_string()),
            ("/tall", tall()),
        ],
        true,
    )
    .await;
    let Some(b) = Browser::open(&site.url("127.0.0.1", "")).await else {
        return;
    };
    b.goto("/form").await;
    assert_eq!(b.client().title().await.expect("a title"), "form");
    assert_eq!(b.find_all("p").await.len(), 2);
    b.fill("#name", "Ada").await;
    b.click("#go").await;
    b.wait_for_path("/done?name=Ada").await;
    b.wait_for_text("Received.").await;
    assert_eq!(b.text("h1").await, "Thanks");
    // A full-page screenshot holds the whole page, at the width asked for.
    b.resize(420, 700).await;
    b.goto("/tall").await;
    let png = std::fs::read(b.screenshot("harness-self-test-420").await).expect("the file");
    let dim = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
    assert_eq!(dim(16), 420, "width");
    assert!(dim(20) >= 2400, "the whole page: {} px high", dim(20));
    b.close().await;
}
