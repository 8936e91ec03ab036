//! The server's edges (issue 17 item 7): sign-in only from osa's own pages (login CSRF), a
//! public origin enforced for Host and Origin (scheme included), and one client holding many
//! half-open connections cannot take the others' slots.

mod common;

use common::{Server, browser};
use osa_server::origin::WebOrigin;
use osa_store::testkit::TestDb;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// POSTs the JSON sign-in of `ana` with extra headers.
async fn sign_in(s: &Server, c: &reqwest::Client, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut r = c
        .post(s.url("/api/v1/session"))
        .json(&json!({ "name": "ana", "password": "ana-password-long" }));
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    r.send().await.unwrap()
}

/// POSTs the sign-in form of `ana` with extra headers.
async fn form_sign_in(s: &Server, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut r = browser().post(s.url("/signin")).form(&[
        ("name", "ana"),
        ("password", "ana-password-long"),
        ("next", "/"),
    ]);
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    r.send().await.unwrap()
}

async fn detail(r: reqwest::Response) -> String {
    let p: Value = r.json().await.unwrap();
    p["detail"].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn sign_in_from_another_site_is_refused_and_audited() {
    for s in Server::all().await {
        let own = format!("http://{}", s.addr);
        let https = format!("https://{}", s.addr);
        let refused: [&[(&str, &str)]; 6] = [
            &[("origin", "https://evil.example")],
            // An opaque origin without the browser's own fetch metadata.
            &[("origin", "null")],
            &[("origin", "null"), ("sec-fetch-site", "cross-site")],
            &[("sec-fetch-site", "cross-site")],
            &[("sec-fetch-site", "same-site"), ("origin", own.as_str())],
            // An https page of the same host is another origin than this plain-http server.
            &[("origin", https.as_str())],
        ];
        for h in refused {
            let r = sign_in(&s, &browser(), h).await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{}: {h:?}", s.label);
            assert!(detail(r).await.contains("cross-site sign-in"), "{h:?}");
            let r = form_sign_in(&s, h).await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{}: form {h:?}", s.label);
        }
        let accepted: [&[(&str, &str)]; 5] = [
            &[("origin", own.as_str()), ("sec-fetch-site", "same-origin")],
            &[("origin", own.as_str())],
            &[("sec-fetch-site", "same-origin")],
            &[],
            // What Chromium sends from a page served with `Referrer-Policy: no-referrer`.
            &[("origin", "null"), ("sec-fetch-site", "same-origin")],
        ];
        // (Ten sign-ins a minute per client: seven here, two below.)
        for (i, h) in accepted.into_iter().enumerate() {
            let r = sign_in(&s, &browser(), h).await;
            assert_eq!(r.status(), StatusCode::OK, "{}: {h:?}", s.label);
            if i % 2 == 1 {
                let r = form_sign_in(&s, h).await;
                assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}: form {h:?}", s.label);
            }
        }
        let adm = s.client("adm").await;
        let a: Value = s.get_json(&adm, "/api/v1/audit?per_page=200").await;
        let n = a
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| {
                e["outcome"]
                    .as_str()
                    .unwrap()
                    .contains("cross-site sign-in")
            })
            .count();
        assert!(n >= 2, "{}: the refusals are audited: {a}", s.label);
        // A signed-in write over https to this plain-http server is cross-site too.
        let ana = s.client("ana").await;
        let r = ana
            .post(s.url("/api/v1/tokens"))
            .header("origin", https.as_str())
            .json(&json!({ "label": "edge" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{}", s.label);
        s.stop().await;
    }
}

/// A server on SQLite whose public origin is `url`.
async fn public(url: &str) -> Server {
    let origin = Arc::new(WebOrigin::public(url).unwrap());
    Server::tuned(TestDb::sqlite(), move |_, st| st.public = Some(origin)).await
}

#[tokio::test]
async fn a_public_origin_is_enforced_for_host_and_origin_scheme_included() {
    let s = public("https://osa.example.org").await;
    let host = [("host", "osa.example.org")];
    // Another Host: 421, naming the Host.
    let r = browser().get(s.url("/signin")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::MISDIRECTED_REQUEST);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["field"], "Host");
    assert!(
        p["detail"].as_str().unwrap().contains("osa.example.org"),
        "{p}"
    );
    let r = browser()
        .get(s.url("/signin"))
        .header("host", "evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::MISDIRECTED_REQUEST);
    // The health check answers on any Host (load balancers probe by address).
    let r = browser().get(s.url("/api/v1/health")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = browser()
        .get(s.url("/signin"))
        .header("host", "osa.example.org:443")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // The Origin must be the public one, scheme included.
    for o in ["http://osa.example.org", "https://evil.example"] {
        let r = sign_in(&s, &browser(), &[host[0], ("origin", o)]).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{o}");
    }
    let ana = browser();
    let r = sign_in(&s, &ana, &[host[0], ("origin", "https://osa.example.org")]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let write = |o: &'static str| {
        ana.post(s.url("/api/v1/tokens"))
            .header("host", "osa.example.org")
            .header("origin", o)
            .json(&json!({ "label": "edge" }))
            .send()
    };
    assert_eq!(
        write("http://osa.example.org").await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    assert!(
        write("https://osa.example.org")
            .await
            .unwrap()
            .status()
            .is_success()
    );
    s.stop().await;

    // And the other way round: an https Origin to an http public origin.
    let s = public("http://osa.example.org:8080").await;
    let h = ("host", "osa.example.org:8080");
    let r = sign_in(
        &s,
        &browser(),
        &[h, ("origin", "https://osa.example.org:8080")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = sign_in(
        &s,
        &browser(),
        &[h, ("origin", "http://osa.example.org:8080")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    s.stop().await;
}

/// Opens a connection from `from` (a loopback address) to the server.
async fn connect(s: &Server, from: &str) -> tokio::net::TcpStream {
    let sock = tokio::net::TcpSocket::new_v4().unwrap();
    sock.bind(format!("{from}:0").parse().unwrap()).unwrap();
    sock.connect(s.addr).await.unwrap()
}

/// Reads what the server answers until it closes (or 30 s pass: a failure, not a timing).
async fn answer(c: &mut tokio::net::TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match tokio::time::timeout(Duration::from_secs(30), c.read(&mut chunk)).await {
            Ok(Ok(0) | Err(_)) => break,
            Ok(Ok(n)) => {
                buf.extend_from_slice(&chunk[..n]);
                if buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    break;
                }
            }
            Err(_) => panic!("no answer and no close within 30 s"),
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

#[tokio::test]
async fn one_client_hoarding_connections_leaves_room_for_the_others() {
    const SHARE: usize = 8;
    let s = Server::tuned(TestDb::sqlite(), |cfg, _| {
        cfg.max_client_connections = SHARE;
        // Long enough that the hoarder's connections stay open through the test.
        cfg.header_timeout = Duration::from_secs(120);
    })
    .await;
    // The hoarder (127.0.0.2) opens its share, each with half a request.
    let mut held = Vec::new();
    for _ in 0..SHARE {
        let mut c = connect(&s, "127.0.0.2").await;
        c.write_all(b"GET /api/v1/health HTTP/1.1\r\n")
            .await
            .unwrap();
        held.push(c);
    }
    // One more from the hoarder is closed at once, with no answer.
    let mut extra = connect(&s, "127.0.0.2").await;
    let _ = extra
        .write_all(b"GET /api/v1/health HTTP/1.1\r\nhost: x\r\n\r\n")
        .await;
    assert_eq!(answer(&mut extra).await, "", "over its share: closed");
    // Another client is served.
    let r = browser().get(s.url("/api/v1/health")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let mut other = connect(&s, "127.0.0.3").await;
    other
        .write_all(b"GET /api/v1/health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    assert!(answer(&mut other).await.starts_with("HTTP/1.1 200"));
    // The hoarder's connections were held, not dropped: the first one finishes its request.
    held[0]
        .write_all(b"host: x\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    assert!(answer(&mut held[0]).await.starts_with("HTTP/1.1 200"));
    // Once its connections close, the hoarder gets its slots back.
    drop(held);
    let mut served = false;
    for _ in 0..100 {
        let mut c = connect(&s, "127.0.0.2").await;
        let _ = c
            .write_all(b"GET /api/v1/health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
            .await;
        if answer(&mut c).await.starts_with("HTTP/1.1 200") {
            served = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(served, "the slots of closed connections are given back");
    s.stop().await;
}
