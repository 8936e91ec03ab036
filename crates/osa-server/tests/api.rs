//! The JSON API end to end, on every configured backend (SQLite always; PostgreSQL where
//! OSA_TEST_PG_URL is set, and always under CI): a real server on a free port, real HTTP.

mod common;

use common::{Server, users};
use osa_report::Format;
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
        let m: Value = c
            .get(s.url("/api/v1/matrix"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let b = osa_io::baseline::embedded().unwrap();
        let cli = osa_report::assess::render_matrix(
            &osa_app::assess::matrix_view(&b, &[]).unwrap(),
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
        let cli = osa_report::assess::render_dossier(&v.value, Format::Json).unwrap();
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
        let p: Value = ana
            .get(s.url("/api/v1/proposals?status=open"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
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
        let d: Value = ana
            .get(s.url("/api/v1/diff?from=1"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
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
        let h: Value = ana
            .get(s.url("/api/v1/technologies/6g/dimensions/national_security/history"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let levels: Vec<Value> = h
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["level"].clone())
            .collect();
        assert_eq!(levels, vec![json!(4), json!(3)]);
        let a: Value = adm
            .get(s.url("/api/v1/audit?per_page=200"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
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
        let v: Value = adm
            .get(s.url("/api/v1/audit/verify"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
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
                .json(&change(json!(2)))
                .send()
        );
        let mut codes = [a.unwrap().status().as_u16(), b.unwrap().status().as_u16()];
        codes.sort();
        assert_eq!(codes, [201, 412], "{}", s.label);
        let p: Value = ana
            .get(s.url("/api/v1/proposals"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
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
        let a: Value = adm
            .get(s.url("/api/v1/audit?per_page=200"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
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
        let p: Value = adm
            .get(s.url("/api/v1/proposals"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
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
        let p: Value = ana
            .get(s.url("/api/v1/proposals"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(p["items"], json!([]), "{}: nothing written", s.label);
        let h: Value = ana
            .get(s.url("/api/v1/health"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(h["revision"], 1);
        s.stop().await;
    }
}

#[tokio::test]
async fn every_route_but_the_public_ones_needs_credentials() {
    let s = Server::sqlite().await;
    let anon = reqwest::Client::new();
    let mut checked = 0;
    for (method, route) in osa_server::api::ROUTES {
        if osa_server::auth::is_public(&method.parse().unwrap(), route) {
            continue;
        }
        let path = route
            .replace("{id}", "6g")
            .replace("{dimension}", "national_security");
        let req = anon
            .request(method.parse().unwrap(), s.url(&path))
            .header("content-type", "application/json")
            .body("{}");
        let r = req.send().await.unwrap();
        assert_eq!(
            r.status(),
            StatusCode::UNAUTHORIZED,
            "{method} {route} answers without credentials"
        );
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
    let me: Value = c
        .get(s.url("/api/v1/session"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
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
