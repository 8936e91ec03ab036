//! The review pages of every proposal kind and the account page in Chromium, at 1280 and 420 px:
//! a scenario proposal names its shocked inputs and the loss, an AI-app proposal its criteria, the
//! 6G national security 4 -> 3 proposal what step 4 loses; none shows raw JSON or byte counts or
//! scrolls sideways, and axe-core finds no serious or critical violation. On the account page an
//! API token is made (shown once), used, listed and revoked, and a feed key is made, fetched by a
//! client with no session (a feed reader) and revoked.

use crate::axe::{self, axe_source};
use crate::common::Server;
use crate::flows::sign_in;
use crate::harness::{Browser, HEIGHT};
use crate::pages::WIDTHS;
use serde_json::{Value, json};

async fn created(r: reqwest::Response) -> i64 {
    let st = r.status();
    let body: Value = r.json().await.expect("JSON");
    assert_eq!(st, 201, "{body}");
    body["id"].as_i64().expect("an id")
}

/// A scenario, an AI-app and a cell proposal by `ana`: their ids.
async fn proposals(s: &Server) -> [i64; 3] {
    let ana = s.client("ana").await;
    let f: Value = s
        .get_json(&ana, "/api/v1/files/scenario/china-rare-earths-6g")
        .await;
    let text = f["text"]
        .as_str()
        .expect("the scenario")
        .replace("lost = [0.5, 1.0]", "lost = [0.2, 0.4]");
    let scenario = created(
        ana.post(s.url("/api/v1/proposals/files"))
            .json(&json!({"kind": "scenario", "key": "china-rare-earths-6g",
                "base_version": f["version"], "text": text, "note": "a milder restriction"}))
            .send()
            .await
            .expect("a scenario proposal"),
    )
    .await;
    let app = created(
        ana.post(s.url("/api/v1/app-assessments/deepchat/proposals"))
            .json(
                &json!({"name": "DeepChat", "firm": "Example AI Ltd", "country": "CHN",
                "note": "first assessment", "ratings": [{"criterion": "legal-data-requests",
                "rating": "concern", "text": "Subject to the National Intelligence Law.",
                "source": "seed L6800-6810"}]}),
            )
            .send()
            .await
            .expect("an app proposal"),
    )
    .await;
    let r = ana
        .get(s.url("/api/v1/technologies/6g"))
        .send()
        .await
        .expect("6G");
    let etag = r.headers()["etag"].to_str().expect("an ETag").to_string();
    let cell = created(
        ana.post(s.url("/api/v1/technologies/6g/dimensions/national_security/proposals"))
            .header("if-match", etag)
            .json(&json!({"level": 3, "note": "second reading of L2062-2063"}))
            .send()
            .await
            .expect("a cell proposal"),
    )
    .await;
    [scenario, app, cell]
}

/// At both widths: the page's words, no raw JSON or byte counts, no sideways scroll, axe clean.
async fn check_page(b: &Browser, src: &str, path: &str, wants: &[&str]) {
    for w in WIDTHS {
        b.resize(w, HEIGHT).await;
        b.goto(path).await;
        let text = b.body_text().await;
        for want in wants {
            assert!(text.contains(want), "{path} at {w} px: {want} in {text}");
        }
        assert!(
            !text.contains("{\"") && !text.contains("bytes"),
            "{path}: {text}"
        );
        let overflow = b
            .script(
                "return document.documentElement.scrollWidth - window.innerWidth",
                vec![],
            )
            .await;
        assert!(
            overflow.as_i64().is_some_and(|o| o <= 0),
            "{path} at {w} px scrolls sideways by {overflow} px"
        );
        b.screenshot(&format!("review{}-{w}", path.replace(['/', '?', '='], "-")))
            .await;
        axe::assert_accessible(b, src, &format!("{path} at {w} px")).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_proposal_kind_reads_in_words_at_two_widths() {
    let Some(src) = axe_source() else {
        return;
    };
    let s = Server::sqlite_with_users().await;
    let [scenario, app, cell] = proposals(&s).await;
    let Some(b) = Browser::open(&s.url("")).await else {
        s.stop().await;
        return;
    };
    sign_in(&b, "rev").await;
    let path = format!("/review/{scenario}");
    let wants = [
        "The change: a scenario",
        "rare-earth-ores, rare-earth-elements",
        "share lost",
        "0.5 to 1 (drawn)",
        "0.2 to 0.4 (drawn)",
        "Scenario results",
    ];
    check_page(&b, &src, &path, &wants).await;
    let path = format!("/review/{app}");
    let wants = [
        "the assessment of an AI application",
        "Legal data requests under the National Security Law",
        "Subject to the National Intelligence Law.",
    ];
    check_page(&b, &src, &path, &wants).await;
    let path = format!("/review/{cell}");
    let wants = [
        "Loses its national security priority",
        "no instrument moves",
        "range reason",
    ];
    check_page(&b, &src, &path, &wants).await;
    b.close().await;
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_and_the_feed_key_are_made_and_revoked_on_the_account_page() {
    let Some(src) = axe_source() else {
        return;
    };
    let s = Server::sqlite_with_users().await;
    let Some(b) = Browser::open(&s.url("")).await else {
        s.stop().await;
        return;
    };
    sign_in(&b, "ana").await;
    b.click("a.who").await;
    b.wait_for_path("/account").await;
    check_page(&b, &src, "/account", &["API tokens", "Feed key"]).await;
    b.fill("#label", "nightly export").await;
    b.click("form.token button[type=submit]").await;
    b.wait_for_text("Copy it now").await;
    let token = b.text("code.secret").await;
    assert!(token.starts_with("osa_"), "{token}");
    let script = reqwest::Client::new();
    let matrix = |t: String| script.get(s.url("/api/v1/matrix")).bearer_auth(t).send();
    assert_eq!(matrix(token.clone()).await.expect("the API").status(), 200);
    // Shown once: the account page lists it without its secret.
    b.goto("/account").await;
    let text = b.body_text().await;
    assert!(
        text.contains("nightly export") && !text.contains(&token),
        "{text}"
    );
    b.click("form.inline button[aria-label='Revoke the token nightly export']")
        .await;
    b.wait_for_text("revoked").await;
    assert_eq!(matrix(token).await.expect("the API").status(), 401);
    // The feed key: a feed reader (no session) fetches the feed, until the key is revoked.
    b.click("form.inline[action='/account/feed-key'] button")
        .await;
    b.wait_for_text("Everything that changed").await;
    let feed = b.text("li code.secret").await;
    assert!(
        feed.contains("/api/v1/changes.atom?key=osa_feed_"),
        "{feed}"
    );
    let r = script.get(&feed).send().await.expect("the feed");
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("application/atom+xml")
    );
    // The key reads feeds only.
    let key = feed.split("key=").nth(1).unwrap_or_default().to_string();
    let other = script
        .get(s.url(&format!("/api/v1/matrix?key={key}")))
        .send()
        .await
        .expect("the API");
    assert_eq!(other.status(), 401);
    b.goto("/account").await;
    b.click("form.inline[action='/account/feed-key/revoke'] button")
        .await;
    b.wait_for_text("You have no feed key").await;
    assert_eq!(
        script.get(&feed).send().await.expect("the feed").status(),
        401
    );
    b.close().await;
    s.stop().await;
}
