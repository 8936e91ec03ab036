//! Flows through the server in a real browser: the first-run sign-in link (and sign-out), the
//! sign-in form, and hostile pages on another origin that post forms to the server with the
//! signed-in cookie (an API write adding an admin, and the workbench's own cell form): refused,
//! nothing written, the refusal audited. `127.0.0.1` on another port is the same *site* but
//! another *origin* (the SameSite cookie goes along; the server's `Sec-Fetch-Site` check refuses
//! with 403); `localhost` is another site (the browser withholds the SameSite=Strict cookie; the
//! request is anonymous, 401).

use crate::common::Server;
use crate::harness::Browser;
use crate::site::Site;
use serde_json::{Value, json};

/// Signs the browser in as a test user through the sign-in form; ends on the overview.
pub async fn sign_in(b: &Browser, name: &str) {
    b.goto("/signin?next=/").await;
    b.fill("#name", name).await;
    b.fill("#password", &format!("{name}-password-long")).await;
    b.click("form.signin button[type=submit]").await;
    b.wait_for_path("/").await;
    b.find("form.signout").await;
}

/// A same-origin request from the current page with the session cookie: (status, JSON body).
pub async fn fetch(b: &Browser, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let r = b
        .script_async(
            r"const [method, path, body, done] = [arguments[0], arguments[1], arguments[2], arguments[arguments.length - 1]];
              const init = { method, headers: {} };
              if (body !== null) { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(body); }
              fetch(path, init).then(async r => done([r.status, await r.text()])).catch(e => done([0, String(e)]));",
            vec![json!(method), json!(path), body.unwrap_or(Value::Null)],
        )
        .await;
    let status = u16::try_from(r[0].as_u64().unwrap_or(0)).unwrap_or(0);
    let text = r[1].as_str().unwrap_or_default();
    (
        status,
        serde_json::from_str(text).unwrap_or_else(|_| json!(text)),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_run_link_signs_the_admin_in_once() {
    let s = Server::sqlite().await;
    let Some(b) = Browser::open(&s.url("")).await else {
        s.stop().await;
        return;
    };
    let link = s.link.clone().expect("a first run has a sign-in link");
    b.goto(&link).await;
    b.wait_for_path("/").await;
    assert!(
        b.text("form.signout .who").await.contains("admin"),
        "the overview names who is signed in"
    );
    b.goto("/api/v1/session").await;
    let me = b.body_json().await;
    assert_eq!(
        (&me["name"], &me["role"], &me["via"]),
        (&json!("admin"), &json!("admin"), &json!("session")),
        "{me}"
    );
    // The session cookie is HttpOnly: the page's scripts cannot read it.
    assert_eq!(b.script("return document.cookie", vec![]).await, json!(""));
    let (status, _) = fetch(&b, "GET", "/api/v1/users", None).await;
    assert_eq!(status, 200, "the admin's session reads the users");
    // Signing out is a form post; the session is gone after.
    b.goto("/").await;
    b.click("form.signout button[type=submit]").await;
    b.wait_for_path("/signin").await;
    let (status, _) = fetch(&b, "GET", "/api/v1/session", None).await;
    assert_eq!(status, 401, "signed out");
    // The link works once.
    b.goto(&link).await;
    let page = b.body_text().await;
    assert!(
        !page.contains("Sign out") && b.url().await.contains("/signin"),
        "a used link does not sign in: {page}"
    );
    b.close().await;
    s.stop().await;
}

/// The hostile page: an auto-submitting form that adds an admin. `text/plain` is the one form
/// encoding that can carry a JSON-looking body.
fn hostile(target: &str) -> String {
    format!(
        r#"<!doctype html><html lang="en"><title>Win a prize</title>
<form id="f" method="post" enctype="text/plain" action="{target}">
<input type="hidden" name='{{"name":"mallory","role":"admin","password":"mallory-password-long","x":"' value='"}}'>
</form><script>document.getElementById("f").submit()</script></html>"#
    )
}

/// A hostile copy of the cell form: proposes 6G national security at level 1.
fn hostile_proposal(target: &str, base_version: &str) -> String {
    format!(
        r#"<!doctype html><html lang="en"><title>Survey</title>
<form id="f" method="post" action="{target}">
<input type="hidden" name="base_version" value="{base_version}"><input type="hidden" name="level" value="1">
<input type="hidden" name="rationale" value="pwned"><input type="hidden" name="evidence_text_1" value="x">
<input type="hidden" name="evidence_source_1" value="seed L2062-2063"><input type="hidden" name="note" value="pwned">
</form><script>document.getElementById("f").submit()</script></html>"#
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_site_form_post_is_refused_and_writes_nothing() {
    let s = Server::sqlite_with_users().await;
    let Some(b) = Browser::open(&s.url("")).await else {
        s.stop().await;
        return;
    };
    sign_in(&b, "adm").await;
    // The session can write from the server's own origin (the control).
    let (status, body) = fetch(
        &b,
        "POST",
        "/api/v1/tokens",
        Some(json!({ "label": "legit" })),
    )
    .await;
    assert_eq!(status, 201, "a same-origin write: {body}");
    let target = s.url("/api/v1/users");
    let evil = Site::start(vec![("/", hostile(&target))], false).await;
    for (host, expected, why) in [
        (
            "127.0.0.1",
            403,
            "same site, another origin: the cookie goes along, Sec-Fetch-Site refuses",
        ),
        (
            "localhost",
            401,
            "another site: the SameSite=Strict cookie stays home",
        ),
    ] {
        b.goto(&evil.url(host, "/")).await;
        b.wait_for_path("/api/v1/users").await;
        let url = b.url().await;
        assert!(url.starts_with(&target), "the form went to {url}");
        let p = b.body_json().await;
        assert_eq!(p["status"], expected, "{host} ({why}): {p}");
    }
    // The workbench's own cell form, posted from the other origin.
    b.goto("/tech/6g/national_security/propose").await;
    let base = b
        .find("input[name=base_version]")
        .await
        .attr("value")
        .await
        .expect("the form's base version")
        .expect("a base version");
    let target = s.url("/tech/6g/national_security/propose");
    let evil_form = Site::start(vec![("/", hostile_proposal(&target, &base))], false).await;
    b.goto(&evil_form.url("127.0.0.1", "/")).await;
    b.wait_for_path("/tech/6g/national_security/propose").await;
    b.wait_for_text("cross-site").await;
    let (_, open) = fetch(&b, "GET", "/api/v1/proposals?status=open", None).await;
    assert_eq!(open["items"], json!([]), "no proposal: {open}");
    // Nothing was written: no mallory, and the refusal is in the audit log.
    b.goto("/api/v1/health").await;
    let (status, users) = fetch(&b, "GET", "/api/v1/users", None).await;
    assert_eq!(status, 200);
    let names: Vec<&str> = users
        .as_array()
        .expect("a user list")
        .iter()
        .filter_map(|u| u["name"].as_str())
        .collect();
    assert!(!names.contains(&"mallory"), "{names:?}");
    assert!(names.contains(&"adm"), "{names:?}");
    let (_, audit) = fetch(&b, "GET", "/api/v1/audit", None).await;
    let refused: Vec<&Value> = audit
        .as_array()
        .expect("audit entries")
        .iter()
        .filter(|e| {
            e["target"]
                .as_str()
                .is_some_and(|t| t.contains("/api/v1/users"))
        })
        .filter(|e| e["action"] == "request")
        .collect();
    assert!(
        refused.iter().any(|e| e["outcome"]
            .as_str()
            .is_some_and(|o| o.contains("cross-site request"))
            && e["actor"].as_str().is_some_and(|a| a.contains("adm"))),
        "the cross-site refusal is audited: {refused:#?}"
    );
    assert!(
        refused.iter().any(|e| e["outcome"]
            .as_str()
            .is_some_and(|o| o.contains("not signed in"))),
        "the anonymous refusal is audited: {refused:#?}"
    );
    b.close().await;
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn times_are_shown_in_the_readers_time_zone_to_the_minute() {
    let s = Server::sqlite_with_users().await;
    let Some(b) = Browser::open(&s.url("")).await else {
        s.stop().await;
        return;
    };
    sign_in(&b, "ana").await;
    b.goto("/changes/compare?from=r1").await;
    b.find("time[data-local]").await;
    let shown = b
        .script(
            "return Array.from(document.querySelectorAll('time[datetime]')).map(t => [t.textContent, t.title, t.hasAttribute('data-local')])",
            vec![],
        )
        .await;
    let shown = shown.as_array().expect("times");
    assert!(!shown.is_empty());
    for t in shown {
        let (text, title) = (t[0].as_str().unwrap(), t[1].as_str().unwrap());
        assert_eq!(t[2], json!(true), "{t}");
        assert!(
            title.ends_with(" UTC") && title.len() == 20,
            "the server's UTC: {t}"
        );
        let minute = text.get(..16).unwrap_or_default();
        assert!(
            minute.len() == 16 && &minute[4..5] == "-" && &minute[13..14] == ":",
            "local time to the minute: {t}"
        );
    }
    b.close().await;
    s.stop().await;
}
