//! The record's guards end to end, on every backend (issue 17, items 4-6): bad tokens refused and
//! audited without flooding the log, text checked at the edge (NUL and invalid UTF-8 in every
//! carrier give one 422 naming the field, never 500, nothing written), event keys that never
//! collide, watchlists private to their owner, and per-user write budgets.

use crate::common::Server;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn event(date: &str, title: &str) -> Value {
    json!({ "date": date, "title": title, "technologies": ["6g"],
            "source": "pub: MIIT, 6G roadmap (2026)" })
}

/// The audit entries whose outcome mentions `why`, with their details parsed.
async fn refused(s: &Server, adm: &reqwest::Client, why: &str) -> Vec<Value> {
    let a: Value = s.get_json(adm, "/api/v1/audit?per_page=200").await;
    a.as_array()
        .unwrap()
        .iter()
        .filter(|e| e["outcome"].as_str().unwrap().contains(why))
        .map(|e| serde_json::from_str(e["detail"].as_str().unwrap()).unwrap())
        .collect()
}

/// A new API token of `client`'s user, labelled `label`.
async fn token(s: &Server, client: &reqwest::Client, label: &str) -> String {
    let r = client
        .post(s.url("/api/v1/tokens"))
        .json(&json!({"label": label, "role": "analyst", "days": 30}))
        .send()
        .await
        .unwrap();
    r.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn bad_tokens_are_refused_and_audited_and_a_flood_is_summarized() {
    for s in Server::all().await {
        let (ana, adm) = (s.client("ana").await, s.client("adm").await);
        let revoked = token(&s, &ana, "script").await;
        let ok = ana.delete(s.url("/api/v1/tokens/script")).send().await;
        assert_eq!(ok.unwrap().status(), StatusCode::OK);
        // A token that expires as it is made, written through osa (an edit with SQL would be
        // named by the verification below: the row's seal).
        let db = s.store().await;
        let (sys, role) = (osa_store::Actor::system(), osa_store::users::Role::Analyst);
        let expired = db
            .create_token(&sys, "ana", role, "old", std::time::Duration::ZERO)
            .await
            .unwrap();
        db.close().await;
        let anon = reqwest::Client::new();
        let write = |t: String| {
            anon.post(s.url("/api/v1/events"))
                .header("authorization", format!("Bearer {t}"))
                .json(&event("2026-05-05", "x"))
                .send()
        };
        for t in [revoked, expired, "osa_unknown".to_string()] {
            assert_eq!(write(t).await.unwrap().status(), StatusCode::UNAUTHORIZED);
        }
        assert_eq!(refused(&s, &adm, "API token").await.len(), 3, "{}", s.label);
        for _ in 0..1000 {
            assert_eq!(
                write("osa_flood".into()).await.unwrap().status(),
                StatusCode::UNAUTHORIZED
            );
        }
        let rows = refused(&s, &adm, "API token").await;
        assert!(rows.len() <= 13, "{}: {} rows", s.label, rows.len());
        let most = rows.iter().filter_map(|d| d["repeats"].as_u64()).max();
        assert_eq!(most, Some(1000), "{}: {rows:?}", s.label);
        let v: Value = s.get_json(&adm, "/api/v1/audit/verify").await;
        assert_eq!(v["problems"], json!([]), "{}: {v}", s.label);
        s.stop().await;
    }
}

/// Asserts a 422 problem naming `field`.
async fn refused_naming(label: &str, what: &str, r: reqwest::Response, field: &str) {
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "{label}: {what}"
    );
    let ct = r.headers()["content-type"].to_str().unwrap().to_string();
    let text = r.text().await.unwrap();
    if ct == "application/problem+json" {
        let p: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(p["field"], json!(field), "{label}: {what}: {p}");
    } else {
        let named = format!("(field <code>{field}</code>)");
        assert!(text.contains(&named), "{label}: {what}: {text}");
    }
}

#[tokio::test]
async fn nul_and_invalid_utf8_are_one_422_naming_the_field_everywhere() {
    for s in Server::all().await {
        let (ana, l) = (s.client("ana").await, s.label);
        let anon = reqwest::Client::new();
        for bad in [&b"a\\u0000b"[..], &b"a\xffb"[..]] {
            let json = |name: &[u8], pre: &[u8], post: &[u8]| {
                let mut body = pre.to_vec();
                body.extend_from_slice(name);
                body.extend_from_slice(post);
                body
            };
            let signin = json(
                bad,
                br#"{"name":""#,
                br#"","password":"ana-password-long"}"#,
            );
            let r = anon
                .post(s.url("/api/v1/session"))
                .header("content-type", "application/json")
                .body(signin)
                .send()
                .await
                .unwrap();
            refused_naming(l, "sign-in name", r, "name").await;
            let ev = json(
                bad,
                br#"{"date":"2026-05-05","title":""#,
                br#"","source":"pub: MIIT (2026)"}"#,
            );
            let r = ana
                .post(s.url("/api/v1/events"))
                .header("content-type", "application/json")
                .body(ev)
                .send()
                .await
                .unwrap();
            refused_naming(l, "event title", r, "title").await;
        }
        for esc in ["%00", "%FF"] {
            let r = ana.get(s.url(&format!("/api/v1/technologies/a{esc}b")));
            refused_naming(l, "path segment", r.send().await.unwrap(), "id").await;
            let r = ana.get(s.url(&format!("/api/v1/files/baseline/x{esc}")));
            refused_naming(l, "wildcard segment", r.send().await.unwrap(), "key").await;
            let r = ana.get(s.url(&format!("/api/v1/events?technology=a{esc}b")));
            refused_naming(l, "query", r.send().await.unwrap(), "technology").await;
            let r = anon
                .post(s.url("/signin"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("name=a{esc}b&password=ana-password-long"))
                .send()
                .await
                .unwrap();
            refused_naming(l, "form field", r, "name").await;
        }
        let list: Value = s.get_json(&ana, "/api/v1/events").await;
        assert_eq!(list, json!([]), "{l}: nothing written");
        let adm = s.client("adm").await;
        let audited = refused(&s, &adm, "invalid text").await;
        assert_eq!(
            audited.len(),
            10,
            "{l}: the first ten of a minute, one row each"
        );
        let h: Value = s.get_json(&ana, "/api/v1/health").await;
        assert_eq!(h["revision"], 1, "{l}");
        s.stop().await;
    }
}

#[tokio::test]
async fn event_keys_never_collide_and_non_latin_titles_work() {
    for s in Server::all().await {
        let ana = s.client("ana").await;
        let mut keys = Vec::new();
        for title in [
            "中芯国际扩产",
            "中芯国际扩产",
            "SMIC expands",
            "SMIC expands!",
        ] {
            let r = ana
                .post(s.url("/api/v1/events"))
                .json(&event("2026-05-05", title))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::CREATED, "{}: {title}", s.label);
            let key = r.json::<Value>().await.unwrap()["key"]
                .as_str()
                .unwrap()
                .to_string();
            assert!(key.len() > "2026-05-05-".len(), "{}: {key}", s.label);
            assert!(!keys.contains(&key), "{}: {key} twice", s.label);
            keys.push(key);
        }
        assert_eq!(keys[2], "2026-05-05-smic-expands");
        assert_eq!(keys[3], "2026-05-05-smic-expands-2");
        let list: Value = s.get_json(&ana, "/api/v1/events").await;
        assert_eq!(list.as_array().unwrap().len(), 4, "{}", s.label);
        s.stop().await;
    }
}

#[tokio::test]
async fn another_users_watchlist_is_not_readable_nor_listed() {
    for s in Server::all().await {
        let (vic, ana, l) = (s.client("vic").await, s.client("ana").await, s.label);
        let w = json!({ "subjects": ["technology/6g"] });
        let r = vic.put(s.url("/api/v1/watchlists/mine")).json(&w).send();
        assert_eq!(r.await.unwrap().status(), StatusCode::OK, "{l}");
        let path = "/api/v1/files/watchlist/vic/mine";
        let own = vic.get(s.url(path)).send().await.unwrap();
        assert_eq!(own.status(), StatusCode::OK, "{l}: the owner reads it");
        let other = ana.get(s.url(path)).send().await.unwrap();
        assert_eq!(other.status(), StatusCode::NOT_FOUND, "{l}: as if absent");
        let listed = |d: &Value| {
            d["changes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["kind"] == "watchlist")
        };
        let d: Value = s.get_json(&ana, "/api/v1/diff?from=1").await;
        assert!(!listed(&d), "{l}: {d}");
        let d: Value = s.get_json(&vic, "/api/v1/diff?from=1").await;
        assert!(listed(&d), "{l}: the owner's diff lists it");
        s.stop().await;
    }
}

#[tokio::test]
async fn a_viewer_writing_in_a_tight_loop_gets_429_with_retry_after() {
    for s in Server::all().await {
        let (vic, adm, l) = (s.client("vic").await, s.client("adm").await, s.label);
        let w = json!({ "subjects": ["technology/6g"] });
        let mut codes = Vec::new();
        let mut retry_after = None;
        for i in 0..70 {
            let r = vic
                .put(s.url(&format!("/api/v1/watchlists/w{i}")))
                .json(&w)
                .send()
                .await
                .unwrap();
            codes.push(r.status().as_u16());
            if r.status() == StatusCode::TOO_MANY_REQUESTS {
                retry_after = r.headers().get("retry-after").cloned();
                break;
            }
        }
        assert!(codes[..60].iter().all(|c| *c == 200), "{l}: {codes:?}");
        assert_eq!(codes.last(), Some(&429), "{l}: {codes:?}");
        let secs: u64 = retry_after.unwrap().to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&secs), "{l}: Retry-After {secs}");
        assert!(!refused(&s, &adm, "write rate limit").await.is_empty());
        s.stop().await;
    }
}
