//! Flows through the server in a real browser: the first-run sign-in link, and a hostile page on
//! another origin that posts a form to the server with the signed-in cookie (refused, nothing
//! written). `127.0.0.1` on another port is the same *site* but another *origin* (the SameSite
//! cookie goes along; the server's `Sec-Fetch-Site` check refuses with 403); `localhost` is
//! another site (the browser withholds the SameSite=Strict cookie; the request is anonymous, 401).

use crate::common::Server;
use crate::harness::Browser;
use crate::site::Site;
use serde_json::{Value, json};

/// Signs the browser in as a test user through the JSON API, from a page of the server's own
/// origin (as the sign-in form would).
pub async fn sign_in(b: &Browser, name: &str) {
    b.goto("/api/v1/health").await;
    let r = b
        .script_async(
            r"const [name, done] = [arguments[0], arguments[arguments.length - 1]];
              fetch('/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' },
                  body: JSON.stringify({ name, password: name + '-password-long' }) })
                .then(r => done(r.status)).catch(e => done(String(e)));",
            vec![json!(name)],
        )
        .await;
    assert_eq!(r, json!(200), "sign in as {name}");
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
    b.wait_for_path("/api/v1/session").await;
    let me = b.body_json().await;
    assert_eq!(
        (&me["name"], &me["role"], &me["via"]),
        (&json!("admin"), &json!("admin"), &json!("session")),
        "{me}"
    );
    // The session cookie is HttpOnly: the page's scripts cannot read it.
    assert_eq!(b.script("return document.cookie", vec![]).await, json!(""));
    // Later requests carry the session.
    b.goto("/api/v1/session").await;
    assert_eq!(b.body_json().await["name"], "admin");
    let (status, _) = fetch(&b, "GET", "/api/v1/users", None).await;
    assert_eq!(status, 200, "the admin's session reads the users");
    // The link works once.
    b.goto(&link).await;
    assert_eq!(b.body_json().await["status"], 401, "a used link");
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
