//! Whole files in the browser, on SQLite and PostgreSQL: the scenario forms name the proposal
//! open on the same scenario; the file form proposes a new text of the toolkit (303 to its review
//! page, which reads the change in words; a text that does not validate comes back 422 naming
//! its line and field); a stale toolkit proposal is brought up to date after another change to a
//! different instrument was published (both present after approval), and refused naming the
//! instrument when both changed the same one; a whole case file is brought up to date after a
//! cell of it was approved; an AI application's assessment keeps both sides' criteria.

mod common;

use common::{Server, form_sign_in, page_json, page_text as text};
use osa_store::Actor;
use osa_store::docs::Put;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn file(s: &Server, c: &reqwest::Client, kind: &str, key: &str) -> (i64, String) {
    let f: Value = s.get_json(c, format!("/api/v1/files/{kind}/{key}")).await;
    (
        f["version"].as_i64().expect("a version"),
        f["text"].as_str().expect("a text").to_string(),
    )
}

async fn propose_file(s: &Server, c: &reqwest::Client, body: Value) -> i64 {
    let r = c
        .post(s.url("/api/v1/proposals/files"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let answer = r.text().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    serde_json::from_str::<Value>(&answer).unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// The form's base version.
fn base_of(form: &str) -> String {
    let key = r#"name="base_version" value=""#;
    let at = form.find(key).expect("base_version") + key.len();
    form[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

/// Posts a form; answers the status, the redirect and the page.
async fn post(
    c: &reqwest::Client,
    s: &Server,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, Option<String>, String) {
    let r = c.post(s.url(path)).form(fields).send().await.unwrap();
    let to = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string());
    (r.status(), to, r.text().await.unwrap())
}

/// Publishes a new text of a baseline file behind the review queue, as `osa db import` does.
async fn import(s: &Server, key: &str, text: String, expected: i64) {
    import_kind(s, ("baseline", key), text, expected).await;
}

async fn import_kind(s: &Server, (kind, key): (&str, &str), text: String, expected: i64) {
    let store = s.store().await;
    let put = Put {
        kind: kind.into(),
        key: key.into(),
        body: Some(text),
        expected: Some(expected),
    };
    store
        .write_revision(&Actor::system(), "db.import", "reviewed offline", &[put])
        .await
        .expect("the import");
    store.close().await;
}

#[tokio::test]
async fn the_scenario_forms_name_the_proposal_open_on_the_same_scenario() {
    for s in Server::all().await {
        let ana = s.client("ana").await;
        let (version, text0) = file(&s, &ana, "scenario", "china-rare-earths-6g").await;
        let text1 = text0.replace("lost = [0.5, 1.0]", "lost = [0.2, 0.4]");
        let id = propose_file(
            &s,
            &ana,
            json!({"kind": "scenario", "key": "china-rare-earths-6g", "base_version": version,
                   "text": text1, "note": "a milder restriction"}),
        )
        .await;
        let bea = form_sign_in(&s, "bea", "/scenarios").await;
        let (st, page) = text(&bea, &s, "/scenarios").await;
        assert_eq!(st, StatusCode::OK, "{}", s.label);
        assert!(
            page.contains("Scenario proposals awaiting review"),
            "{page}"
        );
        assert!(page.contains(&format!("href=\"/review/{id}\"")), "{page}");
        assert!(page.contains("<code>china-rare-earths-6g</code>"), "{page}");
        // A second proposal on the same scenario is refused naming the open one, values kept.
        let text2 = text0.replace("lost = [0.5, 1.0]", "lost = [0.6, 1.0]");
        let (st, _, page) = post(
            &bea,
            &s,
            "/scenarios",
            &[("toml", text2.as_str()), ("note", "harsher")],
        )
        .await;
        assert_eq!(st, StatusCode::PRECONDITION_FAILED, "{}: {page}", s.label);
        assert!(
            page.contains(&format!(
                "a proposal on scenario `china-rare-earths-6g` is already open (proposal #{id} by ana"
            )),
            "{page}"
        );
        assert!(
            page.contains("lost = [0.6, 1.0]"),
            "the text is kept: {page}"
        );
        // The scenario's own form (its whole text) lists it too.
        let (st, page) = text(&bea, &s, "/propose/scenario/china-rare-earths-6g").await;
        assert_eq!(st, StatusCode::OK);
        assert!(page.contains("Proposals open on this file"), "{page}");
        assert!(page.contains(&format!("href=\"/review/{id}\"")), "{page}");
        let (_, page) = text(&bea, &s, "/scenarios/china-rare-earths-6g").await;
        assert!(page.contains("href=\"/propose/scenario/china-rare-earths-6g\""));
        s.stop().await;
    }
}

#[tokio::test]
async fn the_file_form_proposes_a_toolkit_change_read_in_words() {
    for s in Server::all().await {
        let ana = form_sign_in(&s, "ana", "/method").await;
        let (_, method) = text(&ana, &s, "/method").await;
        assert!(method.contains("href=\"/propose/baseline/toolkit.toml\""));
        let (st, form) = text(&ana, &s, "/propose/baseline/toolkit.toml").await;
        assert_eq!(st, StatusCode::OK, "{}", s.label);
        assert!(form.contains("the toolkit (instruments and rules), version"));
        let base = base_of(&form);
        let (_, toolkit) = file(&s, &ana, "baseline", "toolkit.toml").await;
        // A text that does not validate: 422, its line and field named, the text kept.
        let bad = toolkit.replacen(
            "serves = [\"national_security\"]",
            "serves = [\"loudness\"]",
            1,
        );
        let (st, _, page) = post(
            &ana,
            &s,
            "/propose/baseline/toolkit.toml",
            &[("base_version", &base), ("text", &bad), ("note", "n")],
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
        assert!(page.contains("toolkit.toml:"), "the line: {page}");
        assert!(page.contains("loudness"), "{page}");
        // A browser sends the text with CR LF line ends.
        let new = toolkit.replacen(
            "Licensing or bans on exports",
            "Licences or bans on exports",
            1,
        );
        assert_ne!(new, toolkit, "the toolkit has the text this test edits");
        let crlf = new.replace('\n', "\r\n");
        let (st, to, page) = post(
            &ana,
            &s,
            "/propose/baseline/toolkit.toml",
            &[
                ("base_version", &base),
                ("text", &crlf),
                ("note", "wording"),
            ],
        )
        .await;
        assert_eq!(st, StatusCode::SEE_OTHER, "{}: {page}", s.label);
        let at = to.expect("the proposal's page");
        assert!(at.starts_with("/review/"), "{at}");
        let rev = form_sign_in(&s, "rev", "/review").await;
        let (_, page) = text(&rev, &s, &at).await;
        for want in [
            "The change: the toolkit (instruments and rules)",
            "Export controls (export_controls)",
            "Licensing or bans on exports",
            "Licences or bans on exports",
            "unchanged entries are not shown",
        ] {
            assert!(page.contains(want), "{}: {want} in {page}", s.label);
        }
        // Proposing again while it is open: refused naming it.
        let (st, _, page) = post(
            &ana,
            &s,
            "/propose/baseline/toolkit.toml",
            &[("base_version", &base), ("text", &new), ("note", "again")],
        )
        .await;
        assert_eq!(st, StatusCode::PRECONDITION_FAILED);
        let id = at.trim_start_matches("/review/");
        assert!(
            page.contains(&format!(
                "a new text of this file is already proposed (proposal #{id} by ana"
            )),
            "{page}"
        );
        let r = rev
            .post(s.url(&at))
            .form(&[("decision", "approve"), ("comment", "ok")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (v2, published) = file(&s, &rev, "baseline", "toolkit.toml").await;
        assert_eq!(published, new, "stored with LF line ends");
        // A form opened before the toolkit was published again comes back carried onto it.
        let (_, form) = text(&ana, &s, "/propose/baseline/toolkit.toml").await;
        assert_eq!(base_of(&form), v2.to_string());
        let theirs = new.replacen("name = \"Regulation\"", "name = \"Binding regulation\"", 1);
        import(&s, "toolkit.toml", theirs, v2).await;
        let ours = new.replacen("Licences or bans", "Licences and bans", 1);
        let (st, _, page) = post(
            &ana,
            &s,
            "/propose/baseline/toolkit.toml",
            &[
                ("base_version", &v2.to_string()),
                ("text", &ours),
                ("note", "n"),
            ],
        )
        .await;
        assert_eq!(st, StatusCode::PRECONDITION_FAILED, "{page}");
        assert!(page.contains("was published again since you opened this form"));
        assert_ne!(
            base_of(&page),
            v2.to_string(),
            "the form stands on the new version"
        );
        assert!(page.contains("Binding regulation") && page.contains("Licences and bans"));
        s.stop().await;
    }
}

#[tokio::test]
async fn a_stale_toolkit_proposal_is_brought_up_to_date_or_refused_naming_the_entry() {
    for s in Server::all().await {
        let ana = form_sign_in(&s, "ana", "/review").await;
        let api = s.client("ana").await;
        let (v1, toolkit) = file(&s, &api, "baseline", "toolkit.toml").await;
        let ours = toolkit.replacen(
            "Licensing or bans on exports",
            "Licences or bans on exports",
            1,
        );
        let id = propose_file(
            &s,
            &api,
            json!({"kind": "baseline", "key": "toolkit.toml", "base_version": v1,
                   "text": ours, "note": "wording"}),
        )
        .await;
        // Another change, to a different instrument, is published meanwhile.
        let theirs = toolkit.replacen("name = \"Regulation\"", "name = \"Binding regulation\"", 1);
        import(&s, "toolkit.toml", theirs.clone(), v1).await;
        let at = format!("/review/{id}");
        let (_, page) = text(&ana, &s, &at).await;
        assert!(page.contains("Bring up to date"), "{page}");
        assert!(page.contains("carries the entries you changed"), "{page}");
        let r = ana
            .post(s.url(&format!("{at}/rebase")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", s.label);
        let rev = form_sign_in(&s, "rev", "/review").await;
        let (_, page) = text(&rev, &s, &at).await;
        assert!(!page.contains("brings it up to date"), "{page}");
        let r = rev
            .post(s.url(&at))
            .form(&[("decision", "approve"), ("comment", "ok")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (v3, published) = file(&s, &rev, "baseline", "toolkit.toml").await;
        assert!(published.contains("Licences or bans on exports"), "ours");
        assert!(
            published.contains("name = \"Binding regulation\""),
            "theirs"
        );
        assert!(
            published.starts_with("# Instrument catalogue"),
            "comments kept"
        );
        // Both change the same instrument: refused, naming it, nothing written.
        let ours = published.replacen("Licences or bans", "Licences and bans", 1);
        let id = propose_file(
            &s,
            &api,
            json!({"kind": "baseline", "key": "toolkit.toml", "base_version": v3,
                   "text": ours, "note": "wording again"}),
        )
        .await;
        let theirs = published.replacen("name = \"Export controls\"", "name = \"Export bans\"", 1);
        import(&s, "toolkit.toml", theirs, v3).await;
        let at = format!("/review/{id}");
        let r = ana
            .post(s.url(&format!("{at}/rebase")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CONFLICT, "{}", s.label);
        let page = r.text().await.unwrap();
        assert!(
            page.contains("Instruments: Export controls (export_controls) (the proposal changes it; the published text changed it since)"),
            "{page}"
        );
        let j = page_json(&ana, &s, &format!("{at}?format=json")).await;
        assert_eq!(j["review"]["proposal"]["base_version"], v3, "not rebased");
        assert_eq!(j["review"]["stale"], true);
        s.stop().await;
    }
}

#[tokio::test]
async fn a_whole_case_file_is_brought_up_to_date_after_a_cell_is_approved() {
    for s in Server::all().await {
        let api = s.client("ana").await;
        let (v1, case) = file(&s, &api, "baseline", "cases/6g.toml").await;
        let ours = case.replacen(
            "Invest in intelligence for a proper understanding",
            "Invest in intelligence for a sound understanding",
            1,
        );
        assert_ne!(ours, case, "the case file has the text this test edits");
        let id = propose_file(
            &s,
            &api,
            json!({"kind": "baseline", "key": "cases/6g.toml", "base_version": v1,
                   "text": ours, "note": "wording"}),
        )
        .await;
        // bea's change to a cell of the same file is approved.
        let bea = form_sign_in(&s, "bea", "/tech/6g").await;
        let (_, form) = text(&bea, &s, "/tech/6g/values_sustainability/propose").await;
        let (st, to, _) = post(
            &bea,
            &s,
            "/tech/6g/values_sustainability/propose",
            &[
                ("base_version", &base_of(&form)),
                ("level", "2"),
                ("note", "n"),
            ],
        )
        .await;
        assert_eq!(st, StatusCode::SEE_OTHER);
        let rev = form_sign_in(&s, "rev", "/review").await;
        let cell = to.unwrap();
        let r = rev
            .post(s.url(&cell))
            .form(&[("decision", "approve"), ("comment", "ok")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let ana = form_sign_in(&s, "ana", "/review").await;
        let at = format!("/review/{id}");
        let r = ana
            .post(s.url(&format!("{at}/rebase")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", s.label);
        let r = rev
            .post(s.url(&at))
            .form(&[("decision", "approve"), ("comment", "ok")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, published) = file(&s, &rev, "baseline", "cases/6g.toml").await;
        assert!(published.contains("for a sound understanding"), "ours");
        let cell = published
            .split("[dimensions.values_sustainability]")
            .nth(1)
            .expect("the cell");
        let level = cell.lines().find(|l| l.starts_with("level = "));
        assert_eq!(level, Some("level = 2"), "theirs: {published}");
        s.stop().await;
    }
}

#[tokio::test]
async fn an_app_assessment_is_brought_up_to_date_criterion_by_criterion() {
    for s in Server::all().await {
        let api = s.client("ana").await;
        let rating = |criterion: &str, text: &str| json!({"criterion": criterion, "rating": "concern", "text": text, "source": "seed L6790-6795"});
        let ours = json!({"name": "DeepChat", "firm": "Hangzhou DeepChat", "country": "CHN",
            "ratings": [rating("legal-data-requests", "Subject to the National Intelligence Law.")],
            "note": "first assessment"});
        let r = api
            .post(s.url("/api/v1/app-assessments/deepchat/proposals"))
            .json(&ours)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "{}", s.label);
        let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        // Another assessment of the same application, rating another criterion, is published.
        let theirs = json!({"name": "DeepChat", "firm": "Hangzhou DeepChat", "country": "CHN",
            "ratings": [rating("government-algorithm-access", "Not documented.")]});
        import_kind(&s, ("app-assessment", "deepchat"), theirs.to_string(), 0).await;
        let ana = form_sign_in(&s, "ana", "/review").await;
        let at = format!("/review/{id}");
        let r = ana
            .post(s.url(&format!("{at}/rebase")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", s.label);
        let rev = form_sign_in(&s, "rev", "/review").await;
        let r = rev
            .post(s.url(&at))
            .form(&[("decision", "approve"), ("comment", "ok")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, published) = file(&s, &rev, "app-assessment", "deepchat").await;
        let a: Value = serde_json::from_str(&published).unwrap();
        let rated: Vec<&str> = a["ratings"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["criterion"].as_str())
            .collect();
        assert_eq!(
            rated,
            ["government-algorithm-access", "legal-data-requests"],
            "{published}"
        );
        s.stop().await;
    }
}
