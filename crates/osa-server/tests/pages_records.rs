//! The records' pages end to end on every configured backend: actors filtered on the server,
//! events added through the form, watchlists and the changes they follow (after real ETO
//! releases), what changed since the last visit, and AI-application assessments proposed through
//! the form; each page as HTML and as its view model (`?format=json`).

mod common;

use common::Server;
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use serde_json::{Value, json};

/// A client signed in as `name` that does not follow redirects (to see the 303s).
async fn browser(s: &Server, name: &str) -> reqwest::Client {
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap();
    let r = c
        .post(s.url("/api/v1/session"))
        .json(&json!({ "name": name, "password": format!("{name}-password-long") }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "sign in as {name}");
    c
}

async fn html(s: &Server, c: &reqwest::Client, path: &str) -> (StatusCode, String) {
    let r = c.get(s.url(path)).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn post(
    s: &Server,
    c: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> (StatusCode, Option<String>, String) {
    let r = c.post(s.url(path)).form(form).send().await.unwrap();
    let to = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    (r.status(), to, r.text().await.unwrap())
}

#[tokio::test]
async fn actors_are_filtered_on_the_server() {
    let b = osa_io::baseline::embedded().unwrap();
    for s in Server::all().await {
        let vic = browser(&s, "vic").await;
        let all: Value = s.get_json(&vic, "/actors?format=json").await;
        let every = osa_app::assess::actors_view(&b, &Default::default()).unwrap();
        assert_eq!(
            all["actors"].as_array().unwrap().len(),
            every.len(),
            "{}",
            s.label
        );
        let ctx: Value = s.get_json(&vic, "/actors?prc=context&format=json").await;
        let want = osa_app::assess::actors_view(
            &b,
            &osa_app::assess::ActorFilter {
                prc: Some(false),
                ..Default::default()
            },
        )
        .unwrap();
        let got = ctx["actors"].as_array().unwrap();
        assert!(!got.is_empty() && got.len() < every.len());
        assert_eq!(got.len(), want.len());
        assert!(
            got.iter()
                .all(|a| a["prc"] == false && a["relevance"]["level"] == "context")
        );
        let six: Value = s
            .get_json(
                &vic,
                "/actors?technology=6g&relevance=high&prc=prc&format=json",
            )
            .await;
        let six = six["actors"].as_array().unwrap();
        assert!(!six.is_empty());
        assert!(
            six.iter()
                .all(|a| a["technology"] == "6g" && a["relevance"]["level"] == "high")
        );
        // The words box: every Chinese actor whose name or role names Huawei (Futurewei is
        // "Huawei's US subsidiary"; FISCO BCOS, China Mobile, SAIC and Alibaba work with it).
        let words: Value = s
            .get_json(&vic, "/actors?text=huawei%20CHN&format=json")
            .await;
        let names: Vec<(&str, &str)> = words["actors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["technology"].as_str().unwrap(),
                    a["name"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                ("chip-design", "Huawei"),
                ("6g", "Huawei"),
                ("6g", "Futurewei"),
                ("blockchain", "FISCO BCOS consortium"),
                ("blockchain", "Huawei"),
                ("v2x", "Huawei"),
                ("v2x", "China Mobile"),
                ("v2x", "Shanghai Automotive Industry Corporation (SAIC)"),
                ("urban-ai", "Huawei"),
                ("urban-ai", "Alibaba"),
                ("ai-ethics", "Huawei (Smart TV)")
            ],
            "{}",
            s.label
        );
        let (st, page) = html(&s, &vic, "/actors?text=huawei").await;
        assert_eq!(st, StatusCode::OK);
        assert!(page.contains("name=\"text\" maxlength=\"200\" value=\"huawei\""));
        let (st, _) = html(&s, &vic, &format!("/actors?text={}", "x".repeat(201))).await;
        assert_eq!(
            st,
            StatusCode::UNPROCESSABLE_ENTITY,
            "too long a text names the field"
        );
        let (st, page) = html(&s, &vic, "/actors?technology=6g&relevance=high").await;
        assert_eq!(st, StatusCode::OK);
        assert!(
            page.contains("<option value=\"6g\" selected>"),
            "the filter shows its choice"
        );
        assert!(page.contains(&format!("{} actors", six.len())));
        assert!(page.contains("id=\"filter\""), "the text filter stays");
        let (st, _) = html(&s, &vic, "/actors?technology=quantum").await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{}", s.label);
        s.stop().await;
    }
}

#[tokio::test]
async fn an_event_added_through_the_form_shows() {
    for s in Server::all().await {
        let (ana, vic) = (browser(&s, "ana").await, browser(&s, "vic").await);
        let (st, page) = html(&s, &ana, "/events").await;
        assert_eq!(st, StatusCode::OK);
        assert!(page.contains("Add an event") && page.contains("<label for=\"source\">"));
        assert!(
            !html(&s, &vic, "/events").await.1.contains("Add an event"),
            "not for viewers"
        );
        let actor = "Ministry of Industry and Information Technology (MIIT)";
        let form = [
            ("date", "2026-11-20"),
            ("title", "MIIT publishes a 6G roadmap"),
            ("text", "Targets for <b>2030</b>."),
            ("technologies", "6g"),
            ("actors", actor),
            ("source", "pub: MIIT, 6G roadmap (2026)"),
        ];
        let (st, to, body) = post(&s, &ana, "/events", &form).await;
        assert_eq!(
            (st, to.as_deref()),
            (StatusCode::SEE_OTHER, Some("/events")),
            "{}: {body}",
            s.label
        );
        let list: Value = s.get_json(&vic, "/events?technology=6g&format=json").await;
        assert_eq!(
            list["events"][0]["title"], "MIIT publishes a 6G roadmap",
            "{}",
            s.label
        );
        assert_eq!(list["events"][0]["actors"], json!([actor]));
        let (_, page) = html(&s, &vic, "/events").await;
        assert!(page.contains("MIIT publishes a 6G roadmap"));
        assert!(
            page.contains("Targets for &lt;b&gt;2030&lt;/b&gt;."),
            "escaped"
        );
        let none: Value = s
            .get_json(&vic, "/events?technology=front-end-fabrication&format=json")
            .await;
        assert_eq!(none["events"], json!([]));
        // On its technology's dossier, its actor's row of the actors page, and the change log.
        let (_, page) = html(&s, &vic, "/tech/6g").await;
        assert!(
            page.contains("<h2 id=\"events-h\">Events</h2>")
                && page.contains("2026-11-20: MIIT publishes a 6G roadmap"),
            "{}: {page}",
            s.label
        );
        let (_, page) = html(&s, &vic, "/tech/v2x").await;
        assert!(page.contains("No event recorded about"));
        let (_, page) = html(&s, &vic, "/actors?technology=6g").await;
        assert!(
            page.contains("2026-11-20: MIIT publishes a 6G roadmap"),
            "{page}"
        );
        let log: Value = s.get_json(&vic, "/api/v1/changes?subject=actor/Ministry of Industry and Information Technology (MIIT)").await;
        assert_eq!(
            log["items"][0]["title"],
            format!(
                "ana recorded an event of 2026-11-20: MIIT publishes a 6G roadmap (about 6g, {actor})"
            ),
            "{}: {log}",
            s.label
        );

        let mut bad = form;
        bad[0] = ("date", "2026-13-45");
        bad[1] = ("title", "another");
        let (st, _, page) = post(&s, &ana, "/events", &bad).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{}", s.label);
        assert!(
            page.contains("id=\"err-date\""),
            "the error is next to the field: {page}"
        );
        assert!(
            page.contains("value=\"another\""),
            "the form keeps its values"
        );
        let mut bad = form;
        bad[5] = ("source", "");
        bad[1] = ("title", "a third");
        let (st, _, page) = post(&s, &ana, "/events", &bad).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("id=\"err-source\""));
        let (st, _, page) = post(&s, &vic, "/events", &form).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{}", s.label);
        assert!(page.contains("<h1>Forbidden</h1>"), "{page}");
        let all: Value = s.get_json(&vic, "/api/v1/events").await;
        assert_eq!(all.as_array().unwrap().len(), 1, "nothing else written");
        s.stop().await;
    }
}

#[tokio::test]
async fn a_watchlist_shows_the_changes_of_a_release() {
    let Some(data) = osa_io::shared::data_dir_or_skip("a_watchlist_shows_the_changes_of_a_release")
    else {
        return;
    };
    for s in Server::all().await {
        let (rev, rex, vic) = (
            browser(&s, "rev").await,
            browser(&s, "rex").await,
            browser(&s, "vic").await,
        );
        let register = async |label: &str, dir: &str| {
            let zip = common::zip_folder(&data.join("eto").join(dir));
            common::release(&s, (&rev, &rex), ("eto-semiconductors", label), zip).await;
        };
        register("eto-2025", "v2025_supply_chain").await;
        let (_, page) = html(&s, &vic, "/changes").await;
        assert!(
            page.contains("Your first visit: <strong>1 change</strong>"),
            "{page}"
        );
        let (st, page) = html(&s, &vic, "/watchlists").await;
        assert_eq!(st, StatusCode::OK);
        assert!(
            page.contains("value=\"ecosystem/eto-semiconductors\""),
            "a subject to follow"
        );
        assert!(
            page.contains("HS section: XV Base metals and articles of base metal"),
            "HS sections by their names: {page}"
        );
        let form = [
            ("name", "chips"),
            ("subjects", "ecosystem/eto-semiconductors"),
            ("subjects", "technology/6g"),
            ("other", ""),
        ];
        let (st, to, _) = post(&s, &vic, "/watchlists", &form).await;
        assert_eq!(
            (st, to.as_deref()),
            (StatusCode::SEE_OTHER, Some("/watchlists/chips"))
        );
        let (st, _, page) = post(
            &s,
            &vic,
            "/watchlists",
            &[("name", "bad name"), ("subjects", "technology/6g")],
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("id=\"err-name\""), "{page}");
        let (st, _, page) = post(
            &s,
            &vic,
            "/watchlists",
            &[("name", "x"), ("other", "planets/mars")],
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("subjects[0]"));
        let before: Value = s.get_json(&vic, "/watchlists/chips?format=json").await;
        assert_eq!(
            before["changes"][0]["title"],
            "rex registered the release eto-2025 of the ecosystem eto-semiconductors: release eto-2025",
            "{}",
            s.label
        );
        assert_eq!(before["changes"].as_array().unwrap().len(), 1);

        register("eto-2026", "v2026_chip_explorer").await;
        let (st, page) = html(&s, &vic, "/watchlists/chips").await;
        assert_eq!(st, StatusCode::OK);
        assert!(
            page.contains("Integrated assembly tools: the top holder changed from CHN (98%)"),
            "{page}"
        );
        assert!(page.contains(
            "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/api/v1/watchlists/chips/changes.atom\""
        ));
        assert!(page.contains(
            "href=\"/api/v1/watchlists/chips/changes.atom\" type=\"application/atom+xml\">Atom feed"
        ));
        let after: Value = s.get_json(&vic, "/watchlists/chips?format=json").await;
        let changes = after["changes"].as_array().unwrap();
        let api: Value = s
            .get_json(&vic, "/api/v1/watchlists/chips/changes?per_page=200")
            .await;
        assert_eq!(
            changes,
            api["items"].as_array().unwrap(),
            "as the API answers"
        );
        let top = changes
            .iter()
            .find(|c| {
                c["title"]
                    .as_str()
                    .unwrap()
                    .starts_with("Integrated assembly tools: the top holder changed")
            })
            .unwrap();
        assert!(top["title"].as_str().unwrap().contains("CHN (98%)"));
        let link = format!("/changes/{}", top["id"]);
        assert!(
            page.contains(&format!("href=\"{link}\"")),
            "each change links to its evidence"
        );
        let (st, one) = html(&s, &vic, &link).await;
        assert_eq!(st, StatusCode::OK);
        assert!(
            one.contains("<dt>Before</dt>") && one.contains("<dt>Rows</dt>"),
            "{one}"
        );

        let n = s.get_json(&vic, "/api/v1/changes?per_page=200").await["items"]
            .as_array()
            .unwrap()
            .len()
            - 1; // the first release's entry was seen on the first visit
        assert!(n > 0);
        let (_, overview) = html(&s, &vic, "/").await;
        assert!(
            overview.contains(&format!(
                "aria-label=\"{n} new since your last visit\">{n}</span>"
            )),
            "the badge on the overview"
        );
        let (_, page) = html(&s, &vic, "/changes").await;
        assert!(
            !page.contains("new since your last visit\">"),
            "seen: no badge"
        );
        assert!(
            page.contains(&format!(
                "<strong>{n} changes</strong> since your last visit on "
            )),
            "{}: {page}",
            s.label
        );
        assert!(page.contains("<span class=\"tag\">new</span>"));
        assert!(page.contains(
            "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/api/v1/changes.atom\""
        ));
        let again: Value = s.get_json(&vic, "/changes?format=json").await;
        assert_eq!(again["since"]["changes"], 0, "seen now");
        let ana: Value = s
            .get_json(&browser(&s, "ana").await, "/changes?format=json")
            .await;
        assert_eq!(
            ana["since"]["changes"],
            n + 1,
            "another user's visits are their own"
        );
        assert_eq!(ana["since"]["last_visit"], Value::Null);
        s.stop().await;
    }
}

#[tokio::test]
async fn an_app_assessment_proposed_through_the_form_appears() {
    for s in Server::all().await {
        let (ana, bea, rev, vic) = (
            browser(&s, "ana").await,
            browser(&s, "bea").await,
            browser(&s, "rev").await,
            browser(&s, "vic").await,
        );
        let (st, page) = html(&s, &vic, "/apps").await;
        assert_eq!(st, StatusCode::OK);
        assert!(page.contains("No application assessed yet.") && page.contains("TikTok"));
        assert!(
            !page.contains("Assess a new application"),
            "not for viewers"
        );
        let (st, page) = html(&s, &vic, "/apps/new").await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{}: {page}", s.label);
        let (st, page) = html(&s, &ana, "/apps/new").await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(page.matches("<fieldset class=\"criterion\">").count(), 10);
        assert!(page.contains("<label for=\"rating-legal-data-requests\">"));
        let form: Value = s.get_json(&ana, "/apps/new?format=json").await;
        assert_eq!(form["criteria"].as_array().unwrap().len(), 10);
        assert_eq!(form["criteria"][0]["id"], "legal-data-requests");

        let evil = "<script>alert(1)</script>";
        let mut fields = vec![
            ("name", "DeepChat"),
            ("firm", "Example AI Ltd"),
            ("country", "chn"),
            ("note", "first assessment"),
            ("rating-legal-data-requests", "concern"),
            ("text-legal-data-requests", evil),
            ("source-legal-data-requests", "seed L6800-6810"),
            ("rating-allied-bans", ""),
            ("text-allied-bans", ""),
            ("source-allied-bans", ""),
        ];
        fields.push(("rating-data-transfer-scope", "partial"));
        fields.push(("text-data-transfer-scope", "Data may be stored abroad."));
        fields.push(("source-data-transfer-scope", ""));
        let (st, _, page) = post(&s, &ana, "/apps", &fields).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{}", s.label);
        assert!(
            page.contains("ratings[1].source"),
            "the field named: {page}"
        );
        assert!(!page.contains(evil) && page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert_eq!(
            s.get_json(&ana, "/api/v1/proposals").await["items"],
            json!([]),
            "nothing written"
        );
        fields.last_mut().unwrap().1 = "judgment: the privacy policy names servers in Singapore";
        let (st, _, _) = post(&s, &vic, "/apps", &fields).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{}", s.label);
        let (st, to, body) = post(&s, &ana, "/apps", &fields).await;
        assert_eq!(
            (st, to.as_deref()),
            (StatusCode::SEE_OTHER, Some("/apps/deepchat")),
            "{body}"
        );

        let (st, page) = html(&s, &vic, "/apps/deepchat").await;
        assert_eq!(st, StatusCode::OK);
        assert!(page.contains("awaiting review") && page.contains("href=\"/review\""));
        assert!(
            page.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !page.contains(evil),
            "{page}"
        );
        assert!(
            page.contains("TikTok (report)"),
            "beside the reference assessments"
        );
        let (_, list) = html(&s, &vic, "/apps").await;
        assert!(
            list.contains("href=\"/apps/deepchat\">DeepChat</a>")
                && list.contains("awaiting review")
        );
        let one: Value = s.get_json(&vic, "/apps/deepchat?format=json").await;
        assert_eq!(one["pending"]["country"], "CHN");
        assert_eq!(one["pending"]["ratings"][0]["text"], evil);
        assert_eq!(one["history"][0]["author"], "ana");
        let id = one["history"][0]["id"].as_i64().unwrap();
        assert!(
            page.contains(&format!("href=\"/review/{id}\"")),
            "links to its review"
        );
        let r = rev
            .post(s.url(&format!("/api/v1/proposals/{id}/approve")))
            .json(&json!({"comment": "sources check out"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{}", s.label);
        let one: Value = s.get_json(&vic, "/apps/deepchat?format=json").await;
        assert_eq!(one["published"]["name"], "DeepChat");
        assert_eq!(one["history"][0]["reviewer"], "rev");
        let (_, page) = html(&s, &vic, "/apps/deepchat").await;
        assert!(page.contains("reviewed by <strong>rev</strong>"), "{page}");
        let (_, page) = html(&s, &ana, "/apps/deepchat").await;
        assert!(page.contains("href=\"/apps/new?from=deepchat\""));
        let (st, page) = html(&s, &ana, "/apps/new?from=deepchat").await;
        assert_eq!(st, StatusCode::OK);
        assert!(
            page.contains("value=\"DeepChat\"")
                && page.contains("<option value=\"concern\" selected>")
        );
        fields[3].1 = "second reading";
        fields[4].1 = "partial";
        let (st, to, _) = post(&s, &bea, "/apps", &fields).await;
        assert_eq!(
            (st, to.as_deref()),
            (StatusCode::SEE_OTHER, Some("/apps/deepchat"))
        );
        let one: Value = s.get_json(&vic, "/apps/deepchat?format=json").await;
        assert_eq!(
            one["history"][0]["base_version"], one["version"],
            "against the published version"
        );
        assert_eq!(one["pending"]["ratings"][0]["rating"], "partial");
        assert_eq!(one["published"]["ratings"][0]["rating"], "concern");
        let apps: Value = s.get_json(&vic, "/apps?format=json").await;
        assert_eq!(apps["apps"][0]["status"], "published");
        assert_eq!(
            apps["reference"]["checklist"]["criteria"]
                .as_array()
                .unwrap()
                .len(),
            10
        );
        let (st, _) = html(&s, &vic, "/apps/nothing-here").await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        s.stop().await;
    }
}
