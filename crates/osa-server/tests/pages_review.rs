//! The review page for every kind of proposal, on SQLite and PostgreSQL: a scenario's shocks and
//! mitigations field by field with its results before and after, an AI application's criteria,
//! the toolkit's entries that change; what approving the 6G national security 4 -> 3 proposal
//! changes (step 4 loses its national-security priority, instrument ranks move, the rationale and
//! range reason go stale) and that approval records the new judge; no raw JSON or byte counts; no
//! dead ends (an open proposal on the cell is named on the form, a stale form or proposal is
//! brought up to date in one step).

mod common;

use common::{Server, form_sign_in, page_json, page_text as text};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// No raw JSON or byte counts where a person reads.
fn readable(page: &str) {
    let body = &page[page.find("<main").unwrap_or(0)..];
    assert!(
        !body.contains("{\"") && !body.contains("{&quot;"),
        "raw JSON: {body}"
    );
    assert!(!body.contains("bytes"), "byte counts: {body}");
}

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
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap()
    );
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn a_scenario_proposal_reads_as_shocks_and_results() {
    for s in Server::all().await {
        let ana = s.client("ana").await;
        let (version, text0) = file(&s, &ana, "scenario", "china-rare-earths-6g").await;
        let text1 = text0.replace("lost = [0.5, 1.0]", "lost = [0.2, 0.4]");
        assert_ne!(
            text0, text1,
            "the built-in scenario has the shock this test edits"
        );
        let id = propose_file(
            &s,
            &ana,
            json!({"kind": "scenario", "key": "china-rare-earths-6g", "base_version": version,
                   "text": text1, "note": "a milder restriction"}),
        )
        .await;
        let rev = form_sign_in(&s, "rev", "/review").await;
        let (st, page) = text(&rev, &s, &format!("/review/{id}")).await;
        assert_eq!(st, StatusCode::OK, "{}", s.label);
        readable(&page);
        for want in [
            "The change: a scenario",
            "Shocks",
            "Mitigations",
            "rare-earth-ores, rare-earth-elements",
            "share lost",
            "0.5 to 1 (drawn)",
            "0.2 to 0.4 (drawn)",
            "CHN",
            "Scenario results",
        ] {
            assert!(page.contains(want), "{}: {want} in {page}", s.label);
        }
        let j = page_json(&rev, &s, &format!("/review/{id}?format=json")).await;
        let shocks = j["review"]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["title"] == "Shocks")
            .cloned()
            .unwrap();
        let lost = shocks["entries"][0]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == "share lost")
            .cloned()
            .unwrap();
        assert_eq!(lost["changed"], true);
        // A milder shock leaves more available: every input the results list gains.
        let results = j["review"]["impact"]["scenario"].as_array().unwrap();
        assert!(!results.is_empty(), "{j}");
        for r in results {
            assert!(r["after"].as_f64() > r["before"].as_f64(), "{r}");
        }
        s.stop().await;
    }
}

#[tokio::test]
async fn an_app_and_a_toolkit_proposal_list_their_entries() {
    for s in Server::all().await {
        let ana = s.client("ana").await;
        let app = json!({
            "name": "DeepChat", "firm": "Hangzhou DeepChat", "country": "CHN",
            "ratings": [
                {"criterion": "legal-data-requests", "rating": "concern",
                 "text": "Subject to the National Intelligence Law.", "source": "seed L6790-6795"},
                {"criterion": "government-algorithm-access", "rating": "unknown",
                 "text": "Not documented.", "source": "judgment: ana, 2026-12-07, no source found"}
            ],
            "note": "first assessment"
        });
        let r = ana
            .post(s.url("/api/v1/app-assessments/deepchat/proposals"))
            .json(&app)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::CREATED,
            "{}",
            r.text().await.unwrap()
        );
        let app_id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        // The assessment form names what awaits review and offers to open it.
        let (_, form) = text(&ana, &s, "/apps/new").await;
        assert!(form.contains("Assessments awaiting review"), "{form}");
        assert!(
            form.contains(&format!("href=\"/review/{app_id}\"")),
            "{form}"
        );
        let (version, toolkit) = file(&s, &ana, "baseline", "toolkit.toml").await;
        let renamed = toolkit.replacen(
            "The report's first-choice tool",
            "The report's tool of first choice",
            1,
        );
        assert_ne!(renamed, toolkit, "the toolkit has the text this test edits");
        let tk_id = propose_file(
            &s,
            &ana,
            json!({"kind": "baseline", "key": "toolkit.toml", "base_version": version,
                   "text": renamed, "note": "shorter name"}),
        )
        .await;
        let rev = form_sign_in(&s, "rev", "/review").await;
        let (_, page) = text(&rev, &s, &format!("/review/{app_id}")).await;
        readable(&page);
        for want in [
            "the assessment of an AI application",
            "Ratings",
            "Legal data requests under the National Security Law (legal-data-requests)",
            "Potential for the Chinese government to gain access to algorithms",
            "Subject to the National Intelligence Law.",
            "seed L6790-6795",
            "added",
        ] {
            assert!(page.contains(want), "{}: {want} in {page}", s.label);
        }
        let (_, page) = text(&rev, &s, &format!("/review/{tk_id}")).await;
        readable(&page);
        for want in [
            "the toolkit (instruments and rules)",
            "Instruments",
            "Active industrial policy and reshoring (industrial_policy)",
            "description",
            "The report's tool of first choice",
            "unchanged entries are not shown",
            "No published level, priority, tension or instrument ranking changes",
        ] {
            assert!(page.contains(want), "{}: {want} in {page}", s.label);
        }
        s.stop().await;
    }
}

async fn propose_ns3(s: &Server, ana: &reqwest::Client) -> reqwest::Response {
    let (_, form) = text(ana, s, "/tech/6g/national_security/propose").await;
    let key = r#"name="base_version" value=""#;
    let at = form.find(key).expect("base_version") + key.len();
    let base: String = form[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    ana.post(s.url("/tech/6g/national_security/propose"))
        .form(&[
            ("base_version", base.as_str()),
            ("level", "3"),
            ("note", "second reading of L2062-2063"),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_6g_proposal_shows_what_step_4_and_the_ranking_lose() {
    for s in Server::all().await {
        let ana = form_sign_in(&s, "ana", "/tech/6g").await;
        let r = propose_ns3(&s, &ana).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", s.label);
        let at = r.headers()["location"].to_str().unwrap().to_string();
        let rev = form_sign_in(&s, "rev", "/review").await;
        let (_, page) = text(&rev, &s, &at).await;
        readable(&page);
        for want in [
            "What approving it changes in what is published",
            "Loses its national security priority",
            "no instrument moves (10 instruments, in the same order",
            "Text the change leaves stale",
            "6G · National security: range reason",
            "We keep 4",
            "6G · National security: rationale",
            "judged by",
            "Approval records the new judge: ana (approved by the reviewer)",
        ] {
            assert!(page.contains(want), "{}: {want} in {page}", s.label);
        }
        let j = page_json(&rev, &s, &format!("{at}?format=json")).await;
        let t = &j["review"]["impact"]["technologies"][0];
        assert_eq!(t["id"], "6g");
        assert_eq!(t["priority_dimension"], json!(["National security", null]));
        let cell = t["cells"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["dimension"] == "National security")
            .cloned()
            .unwrap();
        assert_eq!(cell["judged"], json!([4, 3]));
        // Every instrument keeps its place: the report's tier follows its recommendations and
        // no rule of osa's tier is conditioned on 6G's priority.
        assert_eq!(t["instruments"], json!([]), "{t}");
        assert_eq!(t["ranked"], 10);
        // The form names the open proposal and offers to open it.
        let (_, form) = text(&ana, &s, "/tech/6g/national_security/propose").await;
        assert!(
            form.contains("A proposal on this cell awaits review"),
            "{form}"
        );
        assert!(form.contains(&format!("href=\"{at}\"")), "{form}");
        let again = propose_ns3(&s, &ana).await;
        assert_eq!(again.status(), StatusCode::PRECONDITION_FAILED);
        let again = again.text().await.unwrap();
        assert!(
            again.contains("a proposal is already open on this cell"),
            "{again}"
        );
        // Approval records the new judge and date in the dossier's "judged by" line.
        let r = rev
            .post(s.url(&at))
            .form(&[("decision", "approve"), ("comment", "ok")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, dossier) = text(&rev, &s, "/tech/6g").await;
        let today = &osa_store::clock::now()[..10];
        assert!(
            dossier.contains(&format!(
                "Levels judged by ana (approved by rev) on {today}"
            )),
            "{dossier}"
        );
        s.stop().await;
    }
}

#[tokio::test]
async fn a_stale_form_and_a_stale_proposal_are_brought_up_to_date() {
    for s in Server::all().await {
        let ana = form_sign_in(&s, "ana", "/tech/6g").await;
        let bea = form_sign_in(&s, "bea", "/tech/6g").await;
        let rev = form_sign_in(&s, "rev", "/review").await;
        // ana proposes on national security; bea's change to another cell of 6G is published.
        let r = propose_ns3(&s, &ana).await;
        let at = r.headers()["location"].to_str().unwrap().to_string();
        let (_, form) = text(&bea, &s, "/tech/6g/values_sustainability/propose").await;
        let key = r#"name="base_version" value=""#;
        let i = form.find(key).unwrap() + key.len();
        let old_base: String = form[i..].chars().take_while(char::is_ascii_digit).collect();
        let r = bea
            .post(s.url("/tech/6g/values_sustainability/propose"))
            .form(&[
                ("base_version", old_base.as_str()),
                ("level", "2"),
                ("note", "n"),
            ])
            .send()
            .await
            .unwrap();
        let bea_at = r.headers()["location"].to_str().unwrap().to_string();
        let r = rev
            .post(s.url(&bea_at))
            .form(&[("decision", "approve"), ("comment", "ok")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        // ana's proposal offers "Bring up to date" to ana, and says so to the reviewer.
        let (_, page) = text(&ana, &s, &at).await;
        assert!(page.contains("Bring up to date"), "{page}");
        let (_, page) = text(&rev, &s, &at).await;
        assert!(
            page.contains("Its author, ana, brings it up to date"),
            "{page}"
        );
        let r = ana
            .post(s.url(&format!("{at}/rebase")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", s.label);
        let (_, page) = text(&rev, &s, &at).await;
        assert!(!page.contains("brings it up to date"), "{page}");
        assert!(page.contains("Approve and publish"));
        // A form opened before a publication: the form comes back on the new version, values kept.
        let r = bea
            .post(s.url("/tech/6g/competitiveness/propose"))
            .form(&[
                ("base_version", old_base.as_str()),
                ("level", "1"),
                ("note", "n"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::PRECONDITION_FAILED);
        let page = r.text().await.unwrap();
        assert!(
            page.contains("published again since you opened this form"),
            "{page}"
        );
        assert!(!page.contains(&format!("name=\"base_version\" value=\"{old_base}\"")));
        s.stop().await;
    }
}

#[tokio::test]
async fn step_4_priority_is_a_dossier_control_and_no_page_speaks_command_line() {
    let s = Server::sqlite_with_users().await;
    let ana = form_sign_in(&s, "ana", "/tech/6g").await;
    let (st, page) = text(&ana, &s, "/tech/6g?priority=values_sustainability").await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        page.contains("Values and sustainability first, as given"),
        "{page}"
    );
    assert!(
        page.contains(r#"<option value="values_sustainability" selected>"#),
        "{page}"
    );
    let (_, page) = text(&ana, &s, "/tech/6g").await;
    assert!(page.contains("National security first: the highest judged level"));
    assert!(
        page.contains(r#"<select id="priority" name="priority">"#),
        "{page}"
    );
    let (st, page) = text(&ana, &s, "/tech/6g?priority=loudest").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    // A tie the chapter does not break is answered with the control, not a flag.
    let r = propose_ns3(&s, &ana).await;
    let at = r.headers()["location"].to_str().unwrap().to_string();
    let cli = [
        "--priority",
        "--ecosystem",
        "--scope",
        "--toolkit",
        "osa assess",
        "osa baseline export",
        "osa toolkit export",
        "osa ecosystem",
        "osa metrics",
    ];
    for path in ["/", "/tech/6g", "/tech/e-cny", "/method", at.as_str()] {
        let (st, page) = text(&ana, &s, path).await;
        assert_eq!(st, StatusCode::OK, "{path}");
        for w in cli {
            assert!(!page.contains(w), "{path} says {w}: {page}");
        }
    }
    let (_, page) = text(&ana, &s, &at).await;
    assert!(page.contains("choose one with the priority control below the dossier"));
    s.stop().await;
}

#[tokio::test]
async fn the_as_of_picker_lists_revisions_and_says_where_the_record_begins() {
    for s in Server::all().await {
        let vic = form_sign_in(&s, "vic", "/").await;
        let (st, page) = text(&vic, &s, "/").await;
        assert_eq!(st, StatusCode::OK);
        assert!(page.contains(r#"<option value="r1">r1 · "#), "{page}");
        assert!(page.contains(r#"type="date" name="as_of""#), "{page}");
        let store = s.store().await;
        let first = store.revision(1).await.unwrap().expect("revision 1");
        store.close().await;
        let day = &first.at[..10];
        for early in ["2020-01-01", "r0", "2020-01-01T00:00:00Z"] {
            let (st, page) = text(&vic, &s, &format!("/?as_of={early}")).await;
            assert_eq!(st, StatusCode::NOT_FOUND, "{}: {early}", s.label);
            let want = format!("the record begins at r1 ({day})");
            assert!(page.contains(&want), "{early}: {page}");
            assert!(!page.contains("parse") && !page.contains("TOML"), "{page}");
        }
        s.stop().await;
    }
}

#[tokio::test]
async fn tokens_and_feed_keys_from_the_account_page_on_every_backend() {
    for s in Server::all().await {
        let ana = form_sign_in(&s, "ana", "/account").await;
        let r = ana
            .post(s.url("/account/tokens"))
            .form(&[("label", "nightly"), ("role", "admin"), ("days", "30")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "{}", s.label);
        let page = r.text().await.unwrap();
        let at = page.find("osa_").expect("the secret shown");
        let token: String = page[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        assert!(
            page.contains("(analyst, 30 days)"),
            "at most her role: {page}"
        );
        let script = reqwest::Client::new();
        let get = |t: &str| script.get(s.url("/api/v1/matrix")).bearer_auth(t).send();
        assert_eq!(get(&token).await.unwrap().status(), StatusCode::OK);
        let j = page_json(&ana, &s, "/account?format=json").await;
        assert_eq!(j["tokens"][0]["label"], "nightly");
        assert!(!j.to_string().contains(&token), "never shown again");
        let id = j["tokens"][0]["id"].as_i64().unwrap();
        let r = ana
            .post(s.url(&format!("/account/tokens/{id}/revoke")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            get(&token).await.unwrap().status(),
            StatusCode::UNAUTHORIZED
        );
        // Another user's token id is not hers to revoke.
        let bea = form_sign_in(&s, "bea", "/account").await;
        let r = bea
            .post(s.url(&format!("/account/tokens/{id}/revoke")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        // The feed key: the feed with the key, for a reader without a session.
        let r = ana.post(s.url("/account/feed-key")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let page = r.text().await.unwrap();
        let at = page.find("osa_feed_").expect("the key shown");
        let key: String = page[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let feed = |k: &str| {
            script
                .get(s.url(&format!("/api/v1/changes.atom?key={k}")))
                .send()
        };
        let r = feed(&key).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{}", s.label);
        assert!(r.text().await.unwrap().starts_with("<?xml"));
        let r = script
            .get(s.url(&format!("/api/v1/matrix?key={key}")))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::UNAUTHORIZED,
            "a feed key reads feeds only"
        );
        // A new key replaces the old one; revoking ends it.
        let r = ana.post(s.url("/account/feed-key")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        assert_eq!(feed(&key).await.unwrap().status(), StatusCode::UNAUTHORIZED);
        let r = ana
            .post(s.url("/account/feed-key/revoke"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let j = page_json(&ana, &s, "/account?format=json").await;
        assert_eq!(j["feed_key_created"], Value::Null);
        s.stop().await;
    }
}
