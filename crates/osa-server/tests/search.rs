//! Search end to end on every configured backend: "gallium" finds the input, its HS6 code, the
//! scenario, evidence and the report's lines; an actor's name finds the actor and, once recorded,
//! its events; the kind filter, the page, the navigation's box, and refusals of bad queries.

mod common;

use common::Server;
use serde_json::{Value, json};

fn kinds(r: &Value) -> Vec<String> {
    r["facets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap().to_string())
        .collect()
}

fn titles(r: &Value, kind: &str) -> Vec<String> {
    r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["kind"] == kind)
        .map(|h| h["title"].as_str().unwrap().to_string())
        .collect()
}

/// Whether the report's text is configured (a SKIP notice when not; a failure under CI=true).
fn report_present() -> bool {
    let present = common::seed_text().is_some();
    if !present {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the report's text (../shared/seed) is missing under CI=true"
        );
        eprintln!("SKIP report hits: the report's text (../shared/seed) is absent");
    }
    present
}

#[tokio::test]
async fn gallium_is_found_as_input_product_scenario_evidence_and_report_lines() {
    let with_report = report_present();
    for s in Server::all().await {
        let vic = s.client("vic").await;
        let r = s.get_json(&vic, "/api/v1/search?q=gallium&limit=100").await;
        let k = kinds(&r);
        for want in ["evidence", "input", "product", "scenario"] {
            assert!(
                k.contains(&want.to_string()),
                "{}: {want} in {k:?}",
                s.label
            );
        }
        assert_eq!(
            r["hits"][0]["link"], "/ecosystems/semiconductors/inputs/gallium",
            "{}: the input ranks first",
            s.label
        );
        assert!(
            titles(&r, "product")
                .iter()
                .any(|t| t.starts_with("HS 811292"))
        );
        assert_eq!(
            titles(&r, "scenario"),
            vec!["China stops licensing gallium exports to the EU for six months"]
        );
        assert!(
            titles(&r, "evidence")
                .iter()
                .any(|t| t.starts_with("China: coercion against EU27, 2023-08-01")),
            "{:?}",
            titles(&r, "evidence")
        );
        if with_report {
            // The report never names gallium; it discusses rare earths (seed L2587-2596).
            assert!(!kinds(&r).contains(&"report".to_string()));
            let all = s.get_json(&vic, "/api/v1/search?q=rare%20earths").await;
            let rep = s
                .get_json(&vic, "/api/v1/search?q=rare%20earths&kind=report&limit=100")
                .await;
            let hits = rep["hits"].as_array().unwrap();
            assert!(hits.len() >= 3, "{}: {rep}", s.label);
            assert!(hits.iter().all(|h| h["kind"] == "report"));
            for h in hits {
                let t = h["snippet"].as_str().unwrap().to_lowercase();
                assert!(t.contains("rare") || t.contains("earth"), "{h}");
            }
            assert!(hits[0]["snippet"].as_str().unwrap().contains("rare earth"));
            assert!(
                hits.iter().any(|h| h["link"] == "/seed?lines=2589-2592"),
                "{rep}"
            );
            // The filter narrows the hits, not the facets.
            assert_eq!(kinds(&rep), kinds(&all));
        }
        s.stop().await;
    }
}

#[tokio::test]
async fn an_actor_and_its_events_are_found_once_recorded() {
    for s in Server::all().await {
        let vic = s.client("vic").await;
        let r = s.get_json(&vic, "/api/v1/search?q=SMIC").await;
        assert_eq!(r["hits"][0]["kind"], "actor", "{}: {r}", s.label);
        assert!(r["hits"][0]["title"].as_str().unwrap().contains("SMIC"));
        assert!(titles(&r, "event").is_empty());
        let ana = s.client("ana").await;
        let e = ana
            .post(s.url("/api/v1/events"))
            .json(&json!({
                "date": "2026-11-20",
                "title": "SMIC announces a second 7 nm line",
                "text": "Capacity for advanced nodes in Shanghai.",
                "actors": ["SMIC"],
                "technologies": ["front-end-fabrication"],
                "source": "judgment: test, 2026-12-07, a fixture"
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(e.status(), 201, "{}: {}", s.label, e.text().await.unwrap());
        let r = s.get_json(&vic, "/api/v1/search?q=SMIC").await;
        assert_eq!(
            titles(&r, "event"),
            vec!["2026-11-20: SMIC announces a second 7 nm line"],
            "{}",
            s.label
        );
        s.stop().await;
    }
}

#[tokio::test]
async fn the_page_lists_facets_and_hits_and_every_page_has_the_box() {
    let s = Server::sqlite_with_users().await;
    let vic = s.client("vic").await;
    let html = vic
        .get(s.url("/search?q=gallium"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("found among"), "{html}");
    assert!(html.contains(r#"href="/ecosystems/semiconductors/inputs/gallium""#));
    assert!(html.contains(r#"href="/search?q=gallium&amp;kind=scenario""#));
    let narrowed = vic
        .get(s.url("/search?q=gallium&kind=scenario"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(narrowed.contains("showing scenarios"));
    assert!(!narrowed.contains(r#"href="/ecosystems/semiconductors/inputs/gallium""#));
    let overview = vic
        .get(s.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        overview.contains(r#"form class="nav-search" role="search" method="get" action="/search""#)
    );
    let empty = vic.get(s.url("/search")).send().await.unwrap();
    assert_eq!(empty.status(), 200);
    s.stop().await;
}

#[tokio::test]
async fn bad_queries_are_refused_naming_the_field() {
    let s = Server::sqlite_with_users().await;
    let vic = s.client("vic").await;
    for (q, field) in [
        ("/api/v1/search?q=", "q"),
        (&*format!("/api/v1/search?q={}", "a".repeat(201)), "q"),
        ("/api/v1/search?q=gallium&kind=planet", "kind"),
        ("/api/v1/search?q=%01gallium", "q"),
    ] {
        let r = vic.get(s.url(q)).send().await.unwrap();
        let status = r.status();
        let body = r.text().await.unwrap();
        assert!(status.is_client_error(), "{q}: {status} {body}");
        assert!(body.contains(field), "{q}: {body}");
    }
    let anon = reqwest::Client::new()
        .get(s.url("/api/v1/search?q=gallium"))
        .send()
        .await
        .unwrap();
    assert_eq!(anon.status(), 401);
    s.stop().await;
}
