//! Two `osa serve` on one PostgreSQL database behave as one server (scale out): a client that
//! alternates between them signs in on one and acts on the other, signs out everywhere at once,
//! trips the sign-in limit after the same number of attempts spread over both, spends one write
//! budget, fills the audit log with one summary of repeated refusals; a proposal made on one is
//! read, searched and approved on the other; concurrent writes on both make one dense history;
//! one audit chain verifies. (Two in-process servers, each with its own pools, caches, counters
//! and listener, as two processes would have; the kill -9 test runs two real processes.)

mod common;

use common::Server;
use serde_json::{Value, json};

async fn two_servers() -> Option<(Server, Server)> {
    let a = Server::postgres_with_users().await?;
    let b = a.beside().await;
    Some((a, b))
}

async fn json_of(r: reqwest::Response) -> (u16, Value) {
    let st = r.status().as_u16();
    let text = r.text().await.unwrap();
    (
        st,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Proposes a level for a cell of `6g` on `s`; answers the proposal's id.
async fn propose(s: &Server, c: &reqwest::Client, dimension: &str, level: i64, note: &str) -> i64 {
    let r = c
        .get(s.url("/api/v1/technologies/6g"))
        .send()
        .await
        .unwrap();
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let r = c
        .post(s.url(&format!(
            "/api/v1/technologies/6g/dimensions/{dimension}/proposals"
        )))
        .header("if-match", etag)
        .json(&json!({
            "level": level,
            "rationale": format!("Level {level}: {note}."),
            "evidence": [{ "text": format!("Evidence: {note}."), "source": "judgment: scale-out test, 2026-12-08" }],
            "clear_range": true,
            "note": note,
        }))
        .send()
        .await
        .unwrap();
    let (st, v) = json_of(r).await;
    assert_eq!(st, 201, "propose on {}: {v}", s.addr);
    v["id"].as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_database_behave_as_one() {
    let Some((a, b)) = two_servers().await else {
        return;
    };
    // Cookies are per host, not per port: a session made on A is sent to B, as behind a
    // load balancer.
    let ana = a.client("ana").await;
    let (st, me) = json_of(ana.get(b.url("/api/v1/session")).send().await.unwrap()).await;
    assert_eq!(
        (st, me["name"].as_str()),
        (200, Some("ana")),
        "ana's session on B: {me}"
    );
    let rev = b.client("rev").await;
    let adm = a.client("adm").await;

    // A proposal made on A is read, found and approved on B; A then serves the new revision.
    let id = propose(&a, &ana, "national_security", 3, "scale-out quokka").await;
    let (st, p) = json_of(
        rev.get(b.url(&format!("/api/v1/proposals/{id}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((st, p["status"].as_str()), (200, Some("open")), "{p}");
    let hits = b.get_json(&rev, "/api/v1/search?q=quokka").await;
    assert_eq!(
        hits["hits"][0]["title"],
        format!("Proposal {id}: 6g/national_security"),
        "{hits}"
    );
    let (st, v) = json_of(
        rev.post(b.url(&format!("/api/v1/proposals/{id}/approve")))
            .json(&json!({ "comment": "approved on B" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(st, 200, "approve on B: {v}");
    let revision = v["revision"]["id"].as_i64().unwrap();
    let r = ana
        .get(a.url("/api/v1/technologies/6g"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["etag"],
        format!("\"{revision}\"").as_str(),
        "A sees B's revision"
    );
    let m = a.get_json(&ana, "/api/v1/matrix").await;
    let six = m["technologies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "6g")
        .unwrap();
    assert_eq!(six["dimensions"]["national_security"]["level"], 3);
    assert_eq!(
        a.get_json(&ana, "/api/v1/health").await["revision"],
        revision
    );

    // An event recorded on A (a new revision) is found on B right after.
    let (st, v) = json_of(
        ana.post(a.url("/api/v1/events"))
            .json(&json!({
                "date": "2026-12-08",
                "title": "Wombat fab opens",
                "text": "A fab recorded on one server, searched on the other.",
                "actors": [],
                "technologies": ["6g"],
                "source": "judgment: scale-out test, 2026-12-08"
            }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    let hits = b.get_json(&rev, "/api/v1/search?q=wombat").await;
    assert_eq!(
        hits["hits"][0]["title"], "2026-12-08: Wombat fab opens",
        "{hits}"
    );

    // Concurrent writes on both servers: one dense history.
    let head = a.get_json(&ana, "/api/v1/health").await["revision"]
        .as_i64()
        .unwrap();
    let posts = (0..8).map(|i| {
        let (s, c) = if i % 2 == 0 { (&a, &ana) } else { (&b, &ana) };
        c.post(s.url("/api/v1/events"))
            .json(&json!({
                "date": "2026-12-08",
                "title": format!("Concurrent event {i}"),
                "text": "Written while the other server writes.",
                "actors": [],
                "technologies": [],
                "source": "judgment: scale-out test, 2026-12-08"
            }))
            .send()
    });
    for r in futures_util::future::join_all(posts).await {
        assert_eq!(r.unwrap().status(), 201);
    }
    let store = a.store().await;
    let revs = store.revisions_between(head, head + 8).await.unwrap();
    let ids: Vec<i64> = revs.iter().map(|r| r.id).collect();
    assert_eq!(ids, (head + 1..=head + 8).collect::<Vec<_>>());
    assert_eq!(
        b.get_json(&rev, "/api/v1/health").await["revision"],
        head + 8
    );

    shared_limits(&a, &b, &store).await;
    sessions_end_everywhere(&a, &b, &store).await;

    // One audit chain.
    let v = b.get_json(&adm, "/api/v1/audit/verify").await;
    assert_eq!(v["problems"], json!([]), "{v}");
    store.close().await;
    b.stop().await;
    a.stop().await;
}

/// Sign-in attempts, write budgets and repeated refusals count once over both servers.
async fn shared_limits(a: &Server, b: &Server, store: &osa_store::Store) {
    // Four sign-ins so far from 127.0.0.1 (ana, rev, adm, and vic's below): six wrong ones
    // more, over both servers, reach the limit of 10; the 11th is refused on either.
    let vic = a.client("vic").await;
    let c = reqwest::Client::new();
    let attempt = async |s: &Server| {
        c.post(s.url("/api/v1/session"))
            .json(&json!({ "name": "ana", "password": "not-her-password" }))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    for i in 0..6 {
        let st = attempt(if i % 2 == 0 { a } else { b }).await;
        assert_eq!(st, 401, "wrong password {i}");
    }
    assert_eq!(attempt(b).await, 429, "the 11th attempt, on B");
    assert_eq!(attempt(a).await, 429, "the 12th, on A");
    // A viewer's 60 writes at once are one budget over both servers (refused ones count: the
    // budget is taken before the write is looked at).
    for i in 0..60 {
        let s = if i % 2 == 0 { a } else { b };
        let r = vic
            .post(s.url("/api/v1/tokens"))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "write {i}");
    }
    let r = vic
        .post(a.url("/api/v1/tokens"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429, "the 61st write");
    assert_eq!(r.headers()["retry-after"], "1");
    // 30 bad tokens over both servers: audited one by one up to 10, then counted.
    for i in 0..30 {
        let s = if i % 2 == 0 { a } else { b };
        let r = c
            .get(s.url("/api/v1/matrix"))
            .bearer_auth("osa_not_a_token")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    let rows = store.audit_entries(None, 100_000).await.unwrap();
    let bad = rows
        .iter()
        .filter(|e| e.outcome != "ok" && e.action == "request" && e.target == "GET /api/v1/matrix")
        .count();
    assert_eq!(bad, 10, "repeated refusals are summarized across servers");
}

/// Signing out on one server ends the session on the other; so does expiry.
async fn sessions_end_everywhere(a: &Server, b: &Server, store: &osa_store::Store) {
    // The sign-in limit is spent for 127.0.0.1: sessions are made in the database.
    let c = |name: &'static str, ttl: u64| async move {
        let sys = osa_store::Actor::system();
        let ttl = std::time::Duration::from_secs(ttl);
        let (secret, _) = store
            .sign_in(&sys, name, &format!("{name}-password-long"), ttl)
            .await
            .unwrap();
        let mut h = reqwest::header::HeaderMap::new();
        h.insert("cookie", format!("osa_session={secret}").parse().unwrap());
        reqwest::Client::builder()
            .default_headers(h)
            .build()
            .unwrap()
    };
    let bea = c("bea", 3600).await;
    assert_eq!(
        bea.get(b.url("/api/v1/session"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let r = bea.delete(a.url("/api/v1/session")).send().await.unwrap();
    assert_eq!(r.status(), 204, "sign out on A");
    assert_eq!(
        bea.get(b.url("/api/v1/session"))
            .send()
            .await
            .unwrap()
            .status(),
        401,
        "B"
    );
    // A session of 2 seconds, used on B, then past its time on both.
    let rex = c("rex", 2).await;
    assert_eq!(
        rex.get(b.url("/api/v1/session"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(
        rex.get(a.url("/api/v1/session"))
            .send()
            .await
            .unwrap()
            .status(),
        401,
        "expired"
    );
    assert_eq!(
        rex.get(b.url("/api/v1/session"))
            .send()
            .await
            .unwrap()
            .status(),
        401,
        "expired"
    );
}
