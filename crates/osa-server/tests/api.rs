//! The JSON API end to end, on every configured backend (SQLite always; PostgreSQL where
//! OSA_TEST_PG_URL is set, and always under CI): a real server on a free port, real HTTP.

mod common;
mod guards;

use common::{Server, users};
use osa_view::Format;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn change(level: Value) -> Value {
    json!({
        "level": level,
        "rationale": "The abstract ranks national security first within the chapter; across technologies 3 is tenable.",
        "evidence": [{ "text": "National security is still the greatest concern (within the chapter).", "source": "seed L2062-2063" }],
        "note": "second reading of L2062-2063"
    })
}

const CELL: &str = "/api/v1/technologies/6g/dimensions/national_security/proposals";

fn six_g_level(m: &Value) -> Value {
    m["technologies"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["id"] == "6g"))
        .map(|t| t["dimensions"]["national_security"]["level"].clone())
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn matrix_and_dossier_are_the_command_lines() {
    for s in Server::all().await {
        let c = s.client("vic").await;
        let m: Value = s.get_json(&c, "/api/v1/matrix").await;
        let b = osa_io::baseline::embedded().unwrap();
        let cli = osa_view::assess::render_matrix(
            &osa_app::assess::matrix_view(&b, &[], &osa_app::assess::cached_loader())
                .unwrap()
                .value,
            Format::Json,
        )
        .unwrap();
        assert_eq!(
            m,
            serde_json::from_str::<Value>(&cli).unwrap(),
            "{}",
            s.label
        );
        let r = c
            .get(s.url("/api/v1/technologies/front-end-fabrication"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.headers().get("etag").is_some());
        let d: Value = r.json().await.unwrap();
        let opts = osa_app::assess::DossierOptions {
            year: osa_app::baseline::current_year(),
            ..Default::default()
        };
        let v = osa_app::assess::dossier_view(&b, "front-end-fabrication", &opts, &|n| {
            osa_app::ecosystem::load(Some(n))
        })
        .unwrap();
        let cli = osa_view::assess::render_dossier(&v.value, Format::Json).unwrap();
        assert_eq!(
            d,
            serde_json::from_str::<Value>(&cli).unwrap(),
            "{}",
            s.label
        );
        s.stop().await;
    }
}

#[tokio::test]
async fn six_g_security_goes_through_four_eyes_review() {
    for s in Server::all().await {
        let (ana, rev, adm) = (
            s.client("ana").await,
            s.client("rev").await,
            s.client("adm").await,
        );
        let r = ana
            .get(s.url("/api/v1/technologies/6g"))
            .send()
            .await
            .unwrap();
        let etag = r.headers()["etag"].to_str().unwrap().to_string();
        let r = ana
            .post(s.url(CELL))
            .header("if-match", &etag)
            .json(&change(json!(3)))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::CREATED,
            "{}: {}",
            s.label,
            r.text().await.unwrap()
        );
        let p: Value = s.get_json(&ana, "/api/v1/proposals?status=open").await;
        let id = p["items"][0]["id"].as_i64().unwrap();
        let matrix =
            |c: &reqwest::Client, q: &str| c.get(s.url(&format!("/api/v1/matrix{q}"))).send();
        let m: Value = matrix(&ana, "").await.unwrap().json().await.unwrap();
        assert_eq!(
            six_g_level(&m),
            json!(4),
            "{}: unchanged until approved",
            s.label
        );
        let own = ana
            .post(s.url(&format!("/api/v1/proposals/{id}/approve")))
            .json(&json!({"comment": "mine"}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            own.status(),
            StatusCode::FORBIDDEN,
            "{}: an analyst cannot approve",
            s.label
        );
        let ok = rev
            .post(s.url(&format!("/api/v1/proposals/{id}/approve")))
            .json(&json!({"comment": "agreed"}))
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status(), StatusCode::OK, "{}", s.label);
        let m: Value = matrix(&ana, "").await.unwrap().json().await.unwrap();
        assert_eq!(six_g_level(&m), json!(3), "{}", s.label);
        let before: Value = matrix(&ana, "?as_of=1")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            six_g_level(&before),
            json!(4),
            "{}: as of before the approval",
            s.label
        );
        let d: Value = s.get_json(&ana, "/api/v1/diff?from=1").await;
        let ch = d["changes"].as_array().unwrap();
        assert_eq!(ch.len(), 1, "{}: {d}", s.label);
        assert_eq!(
            (ch[0]["technology"].clone(), ch[0]["dimension"].clone()),
            (json!("6g"), json!("national_security"))
        );
        assert_eq!(ch[0]["revisions"][0]["author"], "ana");
        assert_eq!(ch[0]["revisions"][0]["reviewer"], "rev");
        assert_eq!(
            ch[0]["revisions"][0]["note"],
            "second reading of L2062-2063"
        );
        let h: Value = s
            .get_json(
                &ana,
                "/api/v1/technologies/6g/dimensions/national_security/history",
            )
            .await;
        let levels: Vec<Value> = h
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["level"].clone())
            .collect();
        assert_eq!(levels, vec![json!(4), json!(3)]);
        let a: Value = s.get_json(&adm, "/api/v1/audit?per_page=200").await;
        let actions: Vec<&str> = a
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        for want in ["proposal.create", "proposal.approve", "seed"] {
            assert!(
                actions.contains(&want),
                "{}: {want} in {actions:?}",
                s.label
            );
        }
        assert!(
            a.as_array()
                .unwrap()
                .iter()
                .any(|e| e["action"] == "proposal.approve"
                    && e["outcome"].as_str().unwrap().starts_with("refused"))
        );
        let v: Value = s.get_json(&adm, "/api/v1/audit/verify").await;
        assert_eq!(v["problems"], json!([]), "{}", s.label);
        s.stop().await;
    }
}

#[tokio::test]
async fn same_etag_one_wins_one_gets_412() {
    for s in Server::all().await {
        let (ana, bea) = (s.client("ana").await, s.client("bea").await);
        let etag = ana
            .get(s.url("/api/v1/technologies/6g"))
            .send()
            .await
            .unwrap()
            .headers()["etag"]
            .to_str()
            .unwrap()
            .to_string();
        let (a, b) = tokio::join!(
            ana.post(s.url(CELL))
                .header("if-match", &etag)
                .json(&change(json!(3)))
                .send(),
            bea.post(s.url(CELL))
                .header("if-match", &etag)
                .json(&change(json!(3)))
                .send()
        );
        let mut codes = [a.unwrap().status().as_u16(), b.unwrap().status().as_u16()];
        codes.sort();
        assert_eq!(codes, [201, 412], "{}", s.label);
        let p: Value = s.get_json(&ana, "/api/v1/proposals").await;
        assert_eq!(
            p["items"].as_array().unwrap().len(),
            1,
            "{}: the winner's proposal is kept",
            s.label
        );
        let none = ana
            .post(s.url(CELL))
            .json(&change(json!(3)))
            .send()
            .await
            .unwrap();
        assert_eq!(none.status(), StatusCode::PRECONDITION_REQUIRED);
        s.stop().await;
    }
}

#[tokio::test]
async fn refusals_are_401_403_and_audited() {
    for s in Server::all().await {
        let (vic, ana, adm) = (
            s.client("vic").await,
            s.client("ana").await,
            s.client("adm").await,
        );
        let anon = reqwest::Client::new();
        let etag = vic
            .get(s.url("/api/v1/technologies/6g"))
            .send()
            .await
            .unwrap()
            .headers()["etag"]
            .to_str()
            .unwrap()
            .to_string();
        let r = vic
            .post(s.url(CELL))
            .header("if-match", &etag)
            .json(&change(json!(3)))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::FORBIDDEN,
            "{}: a viewer's write",
            s.label
        );
        let r = anon
            .post(s.url(CELL))
            .header("if-match", &etag)
            .json(&change(json!(3)))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        let r = ana
            .post(s.url(CELL))
            .header("if-match", &etag)
            .header("sec-fetch-site", "cross-site")
            .json(&change(json!(3)))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::FORBIDDEN,
            "{}: a cross-site browser POST",
            s.label
        );
        let r = ana
            .post(s.url(CELL))
            .header("if-match", &etag)
            .header("origin", "http://evil.example")
            .json(&change(json!(3)))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::FORBIDDEN,
            "{}: a foreign Origin",
            s.label
        );
        let a: Value = s.get_json(&adm, "/api/v1/audit?per_page=200").await;
        let outcomes: Vec<String> = a
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["outcome"].as_str().unwrap().to_string())
            .collect();
        assert!(
            outcomes.iter().any(|o| o.contains("viewer")),
            "{}: {outcomes:?}",
            s.label
        );
        assert!(outcomes.iter().any(|o| o.contains("not signed in")));
        assert!(outcomes.iter().filter(|o| o.contains("cross-site")).count() >= 2);
        let p: Value = s.get_json(&adm, "/api/v1/proposals").await;
        assert_eq!(p["items"], json!([]), "{}: nothing written", s.label);
        s.stop().await;
    }
}

#[tokio::test]
async fn bad_requests_name_the_field_and_write_nothing() {
    for s in Server::all().await {
        let ana = s.client("ana").await;
        let etag = ana
            .get(s.url("/api/v1/technologies/6g"))
            .send()
            .await
            .unwrap()
            .headers()["etag"]
            .to_str()
            .unwrap()
            .to_string();
        let mut evidence_without_source = change(json!(3));
        evidence_without_source["evidence"] = json!([{ "text": "x" }]);
        let mut unknown = change(json!(3));
        unknown["colour"] = json!("red");
        let mut bad_source = change(json!(3));
        bad_source["evidence"] = json!([{ "text": "x", "source": "seed L999999" }]);
        let cases: Vec<(Value, u16, &str)> = vec![
            (change(json!("three")), 422, "level"),
            (change(json!(7)), 422, "level"),
            (evidence_without_source, 422, "evidence[0]"),
            (bad_source, 422, "evidence[0].source"),
            (unknown, 422, "colour"),
        ];
        for (body, code, field) in cases {
            let r = ana
                .post(s.url(CELL))
                .header("if-match", &etag)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status().as_u16(), code, "{}: {body}", s.label);
            assert_eq!(r.headers()["content-type"], "application/problem+json");
            let p: Value = r.json().await.unwrap();
            assert_eq!(p["field"], json!(field), "{}: {p}", s.label);
        }
        let r = ana
            .post(s.url("/api/v1/technologies/quantum/dimensions/national_security/proposals"))
            .header("if-match", &etag)
            .json(&change(json!(3)))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        let r = ana
            .post(s.url("/api/v1/technologies/6g/dimensions/vibes/proposals"))
            .header("if-match", &etag)
            .json(&change(json!(3)))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let big = "x".repeat(10 * 1024 * 1024);
        let r = ana
            .post(s.url(CELL))
            .header("if-match", &etag)
            .header("content-type", "application/json")
            .body(big)
            .send()
            .await;
        assert!(
            r.map(|r| r.status() == StatusCode::PAYLOAD_TOO_LARGE)
                .unwrap_or(true),
            "{}: 10 MB body",
            s.label
        );
        let r = ana
            .get(s.url("/api/v1/matrix?as_of=yesterday"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json::<Value>().await.unwrap()["field"], "as_of");
        let p: Value = s.get_json(&ana, "/api/v1/proposals").await;
        assert_eq!(p["items"], json!([]), "{}: nothing written", s.label);
        let h: Value = s.get_json(&ana, "/api/v1/health").await;
        assert_eq!(h["revision"], 1);
        s.stop().await;
    }
}

#[tokio::test]
async fn every_route_but_the_public_ones_needs_credentials() {
    let s = Server::sqlite().await;
    let anon = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut checked = 0;
    for r in osa_server::routes::all() {
        let (method, route) = (r.method, r.path);
        assert_eq!(
            osa_server::auth::is_public(&method.parse().unwrap(), route),
            r.doc.role == "public",
            "{method} {route}: the public list and the route's documented role agree"
        );
        if r.doc.role == "public" {
            continue;
        }
        let path = route
            .replace("{id}", "6g")
            .replace("{dimension}", "national_security")
            .replace("{name}", "x");
        // A page read in a browser goes to the sign-in form; everything else is refused.
        let page = method == "GET" && !route.starts_with("/api/");
        let req = anon
            .request(method.parse().unwrap(), s.url(&path))
            .header("content-type", "application/json")
            .body("{}");
        let r = req.send().await.unwrap();
        if page {
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{method} {route}");
            let to = r.headers()["location"].to_str().unwrap();
            assert!(to.starts_with("/signin?next=%2F"), "{method} {route}: {to}");
        } else {
            assert_eq!(
                r.status(),
                StatusCode::UNAUTHORIZED,
                "{method} {route} answers without credentials"
            );
        }
        checked += 1;
    }
    assert!(checked >= 20, "{checked}");
    s.stop().await;
}

#[tokio::test]
async fn an_idle_connection_is_closed() {
    use tokio::io::AsyncReadExt;
    let s = Server::sqlite().await;
    let mut tcp = tokio::net::TcpStream::connect(s.addr).await.unwrap();
    let mut buf = [0u8; 64];
    let t = std::time::Instant::now();
    let n = tokio::time::timeout(std::time::Duration::from_secs(20), tcp.read(&mut buf)).await;
    assert!(
        matches!(n, Ok(Ok(_))),
        "the server closes an idle connection"
    );
    assert!(t.elapsed() <= osa_server::serve::HEADER_TIMEOUT + std::time::Duration::from_secs(3));
    s.stop().await;
}

#[tokio::test]
async fn a_silent_connection_does_not_hold_up_the_stop() {
    // Regression: a connection that had not sent a byte kept its graceful-shutdown watcher, so
    // stopping waited for HEADER_TIMEOUT (10 s) before it could finish.
    let s = Server::sqlite().await;
    let tcp = tokio::net::TcpStream::connect(s.addr).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let t = std::time::Instant::now();
    s.stop().await;
    assert!(
        t.elapsed() < std::time::Duration::from_secs(3),
        "the stop waited {:?} for a silent connection",
        t.elapsed()
    );
    drop(tcp);
}

#[tokio::test]
async fn first_run_link_signs_in_once() {
    let s = Server::sqlite().await;
    let link = s.link.clone().expect("no users before: a first-run link");
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = c.get(s.url(&link)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let me: Value = s.get_json(&c, "/api/v1/session").await;
    assert_eq!(me["role"], "admin");
    let again = reqwest::Client::new()
        .get(s.url(&link))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
    let _ = users;
    s.stop().await;
}

#[tokio::test]
async fn records_events_watchlists_apps_scenarios_and_ecosystems() {
    for s in Server::all().await {
        let (ana, rev, vic) = (
            s.client("ana").await,
            s.client("rev").await,
            s.client("vic").await,
        );
        let ev = json!({
            "date": "2026-11-20", "title": "MIIT publishes a 6G roadmap",
            "technologies": ["6g"], "source": "pub: MIIT, 6G roadmap (2026)"
        });
        let r = ana
            .post(s.url("/api/v1/events"))
            .json(&ev)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::CREATED,
            "{}: {}",
            s.label,
            r.text().await.unwrap()
        );
        let mut bad = ev.clone();
        bad["technologies"] = json!(["quantum"]);
        let r = ana
            .post(s.url("/api/v1/events"))
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(r.json::<Value>().await.unwrap()["field"], "technologies[0]");
        assert_eq!(
            vic.post(s.url("/api/v1/events"))
                .json(&ev)
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::FORBIDDEN
        );
        let list: Value = s.get_json(&vic, "/api/v1/events?technology=6g").await;
        assert_eq!(list[0]["title"], "MIIT publishes a 6G roadmap");

        let w = json!({ "subjects": ["technology/6g", "ecosystem/semiconductors"] });
        let r = vic
            .put(s.url("/api/v1/watchlists/mine"))
            .json(&w)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{}", s.label);
        let mine: Value = s.get_json(&vic, "/api/v1/watchlists").await;
        assert_eq!(mine[0]["key"], "vic/mine");
        assert_eq!(
            ana.get(s.url("/api/v1/watchlists/mine/changes"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::NOT_FOUND
        );
        let atom = vic
            .get(s.url("/api/v1/watchlists/mine/changes.atom"))
            .send()
            .await
            .unwrap();
        assert!(
            atom.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/atom+xml")
        );
        assert!(
            atom.text()
                .await
                .unwrap()
                .contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">")
        );

        let app = json!({
            "name": "DeepChat", "firm": "Example AI Ltd", "country": "CHN", "note": "first assessment",
            "ratings": [{ "criterion": "legal-data-requests", "rating": "concern",
                          "text": "The firm is subject to the National Intelligence Law.", "source": "seed L6800-6810" }]
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
            "{}: {}",
            s.label,
            r.text().await.unwrap()
        );
        let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let none: Value = s.get_json(&vic, "/api/v1/app-assessments").await;
        assert_eq!(none, json!([]), "unpublished until approved");
        let r = rev
            .post(s.url(&format!("/api/v1/proposals/{id}/approve")))
            .json(&json!({"comment": "ok"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let apps: Value = s.get_json(&vic, "/api/v1/app-assessments").await;
        assert_eq!(apps[0]["name"], "DeepChat");
        let mut bad = app.clone();
        bad["ratings"][0]["rating"] = json!("awful");
        let r = ana
            .post(s.url("/api/v1/app-assessments/other/proposals"))
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.json::<Value>().await.unwrap()["field"],
            "ratings[0].rating"
        );

        // The four built-in scenarios on the semiconductors chain and four on the case studies' step-1 ecosystems.
        let sc: Value = s.get_json(&vic, "/api/v1/scenarios").await;
        assert_eq!(sc.as_array().unwrap().len(), 9, "{}", s.label);
        let r = ana
            .post(s.url("/api/v1/scenarios/china-rare-earths/runs"))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::CREATED,
            "{}: {}",
            s.label,
            r.text().await.unwrap()
        );
        let run: Value = r.json().await.unwrap();
        assert!(!run["rows"].as_array().unwrap().is_empty());
        let r = ana
            .post(s.url("/api/v1/scenarios/china-rare-earths/runs"))
            .json(&json!({"draws": 100000000}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.json::<Value>().await.unwrap()["field"], "draws");
        let runs: Value = s
            .get_json(&vic, "/api/v1/scenarios/china-rare-earths/runs")
            .await;
        assert_eq!(runs.as_array().unwrap().len(), 1);

        let ecos: Value = s.get_json(&vic, "/api/v1/ecosystems").await;
        let semis = ecos
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == "semiconductors")
            .expect("the default ecosystem");
        assert_eq!(semis["snapshots"], json!(["osa-curated"]));
        let ch: Value = s
            .get_json(
                &vic,
                "/api/v1/ecosystems/semiconductors/chokepoints?holder=CHN&min_share=0.5",
            )
            .await;
        assert!(
            ch.as_array()
                .unwrap()
                .iter()
                .any(|r| r["input"] == "gallium" || r["id"] == "gallium"),
            "{ch}"
        );
        let actors: Value = s.get_json(&vic, "/api/v1/actors?technology=6g").await;
        assert!(!actors.as_array().unwrap().is_empty());
        s.stop().await;
    }
}

#[tokio::test]
async fn a_whole_file_goes_through_review_and_is_validated() {
    for s in Server::all().await {
        let (ana, rev) = (s.client("ana").await, s.client("rev").await);
        let f: Value = s
            .get_json(&ana, "/api/v1/files/baseline/toolkit.toml")
            .await;
        let text = f["text"].as_str().unwrap();
        let version = f["version"].as_i64().unwrap();
        let broken = json!({ "kind": "baseline", "key": "toolkit.toml", "base_version": version, "text": "[[instruments]]\nid = 3\n", "note": "x" });
        let r = ana
            .post(s.url("/api/v1/proposals/files"))
            .json(&broken)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{}", s.label);
        assert!(
            r.text().await.unwrap().contains("toolkit.toml"),
            "the error names the file"
        );
        let edited = text.replacen(
            "recommendation_weight = ",
            "recommendation_weight = 0.5 # was ",
            1,
        );
        assert_ne!(edited, text, "the toolkit has a recommendation_weight");
        let ok = json!({ "kind": "baseline", "key": "toolkit.toml", "base_version": version, "text": edited, "note": "halve the weight of recommendations" });
        let r = ana
            .post(s.url("/api/v1/proposals/files"))
            .json(&ok)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::CREATED,
            "{}: {}",
            s.label,
            r.text().await.unwrap()
        );
        let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let r = rev
            .post(s.url(&format!("/api/v1/proposals/{id}/approve")))
            .json(&json!({"comment": "ok"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let f2: Value = s
            .get_json(&ana, "/api/v1/files/baseline/toolkit.toml")
            .await;
        assert!(
            f2["text"]
                .as_str()
                .unwrap()
                .contains("recommendation_weight = 0.5")
        );
        let old: Value = s
            .get_json(&ana, "/api/v1/files/baseline/toolkit.toml?as_of=1")
            .await;
        assert_eq!(old["text"], f["text"], "{}: as of before", s.label);
        let d: Value = s.get_json(&ana, "/api/v1/diff?from=1").await;
        assert_eq!(d["changes"][0]["key"], "toolkit.toml", "{d}");
        s.stop().await;
    }
}

#[tokio::test]
async fn sessions_end_tokens_revoke_and_sign_in_is_rate_limited() {
    let s = Server::all().await.into_iter().next().unwrap();
    let ana = s.client("ana").await;
    let r = ana
        .post(s.url("/api/v1/tokens"))
        .json(&json!({"label": "script", "role": "viewer", "days": 30}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let tok = r.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let bearer = reqwest::Client::new();
    let me = |c: &reqwest::Client| {
        c.get(s.url("/api/v1/session"))
            .header("authorization", format!("Bearer {tok}"))
            .send()
    };
    let who: Value = me(&bearer).await.unwrap().json().await.unwrap();
    assert_eq!(
        (who["name"].clone(), who["role"].clone(), who["via"].clone()),
        (json!("ana"), json!("viewer"), json!("token"))
    );
    let up = ana
        .post(s.url("/api/v1/tokens"))
        .json(&json!({"label": "x", "role": "admin"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        up.status(),
        StatusCode::CREATED,
        "asking for more gives at most the user's role"
    );
    assert_eq!(up.json::<Value>().await.unwrap()["role"], "analyst");
    assert_eq!(
        ana.delete(s.url("/api/v1/tokens/script"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        me(&bearer).await.unwrap().status(),
        StatusCode::UNAUTHORIZED,
        "a revoked token"
    );
    assert_eq!(
        ana.delete(s.url("/api/v1/session"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        ana.get(s.url("/api/v1/session"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED,
        "signed out"
    );
    let anon = reqwest::Client::new();
    let mut codes = Vec::new();
    for _ in 0..12 {
        let r = anon
            .post(s.url("/api/v1/session"))
            .json(&json!({"name": "ana", "password": "wrong-password!"}))
            .send()
            .await
            .unwrap();
        codes.push(r.status().as_u16());
    }
    // The signing in of `ana` above was the first attempt from this address in this minute.
    assert_eq!(&codes[..9], &[401; 9]);
    assert_eq!(
        &codes[9..],
        &[429, 429, 429],
        "the 11th attempt in a minute is refused"
    );
    s.stop().await;
}

#[tokio::test]
async fn releases_are_monitored_and_the_feed_links_to_evidence() {
    let Some(data) =
        osa_io::shared::data_dir_or_skip("releases_are_monitored_and_the_feed_links_to_evidence")
    else {
        return;
    };
    for s in Server::all().await {
        let (rev, ana, rex) = (
            s.client("rev").await,
            s.client("ana").await,
            s.client("rex").await,
        );
        let zipped = |dir: &str| common::zip_folder(&data.join("eto").join(dir));
        // An analyst uploads and stages the 2025 release; only a reviewer approves it.
        let sha = common::upload(&s, &ana, zipped("v2025_supply_chain")).await;
        let r = ana
            .post(s.url("/api/v1/releases"))
            .json(&json!({ "upload": sha, "ecosystem": "eto-semiconductors",
                "label": "eto-2025", "note": "CSET ETO eto-2025" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "{}", s.label);
        let staged: Value = r.json().await.unwrap();
        assert_eq!(
            (
                staged["format"].clone(),
                staged["by"].clone(),
                staged["upload"].clone()
            ),
            (json!("eto-zip"), json!("ana"), json!(sha))
        );
        let pending: Value = s.get_json(&rev, "/api/v1/releases").await;
        assert_eq!(pending.as_array().unwrap().len(), 1, "{}", s.label);
        let approve = format!("/api/v1/releases/{sha}/approve");
        let r = ana
            .post(s.url(&approve))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::FORBIDDEN,
            "{}: analysts do not register releases",
            s.label
        );
        let r = rev
            .post(s.url(&approve))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "{}", s.label);
        let pending: Value = s.get_json(&rev, "/api/v1/releases").await;
        assert_eq!(
            pending,
            json!([]),
            "{}: approved, no longer pending",
            s.label
        );
        // A reviewer's own upload is approved by another reviewer (four eyes).
        let sha = common::upload(&s, &rev, zipped("v2026_chip_explorer")).await;
        let r = rev
            .post(s.url("/api/v1/releases"))
            .json(&json!({ "upload": sha, "ecosystem": "eto-semiconductors",
                "label": "eto-2026", "note": "CSET ETO eto-2026" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "{}", s.label);
        let approve = format!("/api/v1/releases/{sha}/approve");
        let r = rev
            .post(s.url(&approve))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{}: four eyes", s.label);
        let r = rex
            .post(s.url(&approve))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::CREATED,
            "{}: {}",
            s.label,
            r.text().await.unwrap()
        );
        let ch: Value = s
            .get_json(
                &ana,
                "/api/v1/changes?subject=ecosystem/eto-semiconductors&per_page=200",
            )
            .await;
        let items = ch["items"].as_array().unwrap();
        let assembly = items
            .iter()
            .find(|c| {
                c["title"]
                    .as_str()
                    .unwrap()
                    .starts_with("Integrated assembly tools: the top holder changed from")
            })
            .expect("the top holder change");
        assert!(
            assembly["title"]
                .as_str()
                .unwrap()
                .contains("from CHN (98%)"),
            "{assembly}"
        );
        assert!(
            !items
                .iter()
                .any(|c| c["title"].as_str().unwrap().contains("EUV")),
            "EUV unchanged"
        );
        let atom = ana
            .get(s.url("/api/v1/changes.atom?subject=ecosystem/eto-semiconductors"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let link = atom
            .split("<id>")
            .nth(2)
            .and_then(|x| x.split('<').next())
            .expect("an entry id");
        let path = link
            .split_once("/changes/")
            .map(|(_, p)| format!("/changes/{p}"))
            .expect("a link to the change's page");
        let one: Value = s.get_json(&ana, format!("{path}?format=json")).await;
        let id = path.trim_start_matches("/changes/");
        let api: Value = s.get_json(&ana, format!("/api/v1/changes/{id}")).await;
        assert!(
            api["detail"]["change"]["before"]["rows"].is_array(),
            "{}: the change has its evidence: {api}",
            s.label
        );
        assert!(
            one.to_string().contains("\"rows\""),
            "{}: the page shows the evidence: {one}",
            s.label
        );
        let ecos: Value = s.get_json(&ana, "/api/v1/ecosystems").await;
        let eto = ecos
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == "eto-semiconductors")
            .unwrap();
        assert_eq!(eto["snapshots"], json!(["eto-2025", "eto-2026"]));
        let old: Value = s.get_json(&ana, "/api/v1/ecosystems/eto-semiconductors/chokepoints?holder=CHN&min_share=0.9&as_of=3").await;
        assert!(
            old.to_string().contains("Integrated assembly tools"),
            "{}: as of the 2025 snapshot",
            s.label
        );
        s.stop().await;
    }
}

#[tokio::test]
async fn trade_datasets_are_registered_and_their_screenings_kept() {
    let Some(data) =
        osa_io::shared::data_dir_or_skip("trade_datasets_are_registered_and_their_screenings_kept")
    else {
        return;
    };
    let csv = data
        .join("baci_sample")
        .join("baci_2021_exporters_AFG_ZAF_from_R-IO-PS.csv");
    for s in Server::all().await {
        let (ana, rev, vic) = (
            s.client("ana").await,
            s.client("rev").await,
            s.client("vic").await,
        );
        let countries = data
            .join("baci_sample")
            .join("baci_country_codes_V202201.csv");
        let csv_up = common::upload(&s, &ana, std::fs::read(&csv).unwrap()).await;
        let table_up = common::upload(&s, &ana, std::fs::read(&countries).unwrap()).await;
        let body = json!({ "upload": csv_up, "countries": table_up,
            "note": "BACI 2021 sample (two exporters)" });
        let r = ana
            .put(s.url("/api/v1/trade-datasets/baci-2021-sample"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::FORBIDDEN,
            "{}: analysts do not register data",
            s.label
        );
        let r = rev
            .put(s.url("/api/v1/trade-datasets/baci-2021-sample"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::ACCEPTED, "{}", s.label);
        let job: Value = r.json().await.unwrap();
        let job = common::wait_job(&s, &vic, job["id"].as_u64().unwrap()).await;
        assert_eq!(job["phase"], "done", "{}: {job}", s.label);
        assert_eq!(
            job["done"], job["total"],
            "{}: progress reached the end",
            s.label
        );
        assert_eq!(job["result"]["rows"], 71192, "{}: {job}", s.label);
        // The CSV alone: no country table, refused before any job.
        let bad = json!({ "upload": csv_up, "note": "x" });
        let r = rev
            .put(s.url("/api/v1/trade-datasets/missing"))
            .json(&bad)
            .send()
            .await
            .unwrap();
        let job: Value = r.json().await.unwrap();
        let job = common::wait_job(&s, &vic, job["id"].as_u64().unwrap()).await;
        assert_eq!(job["phase"], "failed", "{}", s.label);
        assert!(
            job["error"].as_str().unwrap().contains("country table"),
            "{job}"
        );
        let list: Value = s.get_json(&vic, "/api/v1/trade-datasets").await;
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(
            (list[0]["format"].clone(), list[0]["year"].clone()),
            (json!("parquet"), json!(2021))
        );
        let r = ana
            .post(s.url("/api/v1/trade-datasets/baci-2021-sample/screenings"))
            .json(&json!({ "importer": "EU27", "year": 2021, "by": "supplier" }))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::CREATED,
            "{}: {}",
            s.label,
            r.text().await.unwrap()
        );
        let run: Value = r.json().await.unwrap();
        assert_eq!(run["rows_read"], 71192, "{}: the sample's rows", s.label);
        assert!(
            run["notes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n.as_str().unwrap().contains("partial trade data"))
        );
        assert!(!run["rows"].as_array().unwrap().is_empty());
        let r = ana
            .post(s.url("/api/v1/trade-datasets/baci-2021-sample/screenings"))
            .json(&json!({ "by": "galaxy" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.json::<Value>().await.unwrap()["field"], "by");
        let runs: Value = s
            .get_json(&vic, "/api/v1/trade-datasets/baci-2021-sample/screenings")
            .await;
        assert_eq!(runs.as_array().unwrap().len(), 1, "{}", s.label);
        assert_eq!(runs[0]["by"], "ana");
        // The same year registered again: monitoring compares it with the one before.
        let again =
            json!({ "upload": csv_up, "countries": table_up, "note": "the same file again" });
        let r = rev
            .put(s.url("/api/v1/trade-datasets/baci-2021-again"))
            .json(&again)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::ACCEPTED, "{}", s.label);
        let job: Value = r.json().await.unwrap();
        let job = common::wait_job(&s, &vic, job["id"].as_u64().unwrap()).await;
        assert_eq!(job["phase"], "done", "{}: {job}", s.label);
        let ch: Value = s
            .get_json(&vic, "/api/v1/changes?subject=trade/baci-2021-again")
            .await;
        let titles: Vec<&str> = ch["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["title"].as_str().unwrap())
            .collect();
        assert_eq!(
            titles,
            [
                "0 dependency changes against baci-2021-sample (0 listed)",
                "rev registered the trade dataset baci-2021-again (2021), 71192 rows: the same file again"
            ],
            "{}",
            s.label
        );
        s.stop().await;
    }
}

#[tokio::test]
async fn without_users_only_a_loopback_server_starts() {
    use osa_server::AppState;
    use osa_server::serve::{ServeConfig, ServeError, prepare, serve};
    let db = osa_store::testkit::TestDb::sqlite();
    let cfg = |bind: &str| ServeConfig::new(bind.parse().unwrap(), db.url.clone());
    let refused = prepare(&cfg("0.0.0.0:0")).await;
    assert!(matches!(refused, Err(ServeError::NoUser(_))), "{refused:?}");
    // A start that cannot listen (the port is taken) makes no admin and no link.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let busy = cfg(&taken.local_addr().unwrap().to_string());
    let wb = prepare(&busy).await.expect("loopback");
    let failed = serve(busy.clone(), AppState::new(wb.clone()), |_, _| {}, async {}).await;
    assert!(matches!(failed, Err(ServeError::Bind { .. })), "{failed:?}");
    assert_eq!(
        wb.store().user_count().await.unwrap(),
        0,
        "nothing half-made"
    );
    wb.store().close().await;
    // The next start listens and only then makes the admin and its link, a full address.
    let wb = prepare(&cfg("127.0.0.1:0")).await.expect("loopback");
    let (tx, rx) = std::sync::mpsc::channel();
    serve(
        cfg("127.0.0.1:0"),
        AppState::new(wb),
        move |addr, link| {
            let _ = tx.send((addr, link));
        },
        async {},
    )
    .await
    .expect("serves");
    let (addr, link) = rx.recv().unwrap();
    let link = link.expect("a first-run link");
    assert!(
        link.starts_with(&format!("http://{addr}/signin?token=")),
        "{link}"
    );
    let wb = prepare(&cfg("0.0.0.0:0")).await.expect("a user exists now");
    assert_eq!(wb.store().user_count().await.unwrap(), 1);
    wb.store().close().await;
}
