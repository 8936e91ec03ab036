//! The scenario runner's pages over HTTP, on SQLite and PostgreSQL: the stored scenarios and a
//! scenario in words, a run from the form (303 to its page, kept with who ran it, the same rows as
//! the API's), the run's chart (one line per input reached, coloured by order, axes and source),
//! two runs compared, a new scenario proposed from the form (reviewed like any file), and bad
//! form input answered 422 naming the field, with nothing written.

mod common;

use common::{Server, page_json as json, page_text as text};
use reqwest::StatusCode;
use serde_json::Value;

async fn sign_in(s: &Server, name: &str) -> reqwest::Client {
    common::form_sign_in(s, name, "/scenarios").await
}

async fn post(
    c: &reqwest::Client,
    s: &Server,
    path: &str,
    f: &[(&str, &str)],
) -> reqwest::Response {
    c.post(s.url(path)).form(f).send().await.unwrap()
}

const RARE: &str = "/scenarios/china-rare-earths";
const EVIL: &str = "<script>alert(1)</script>";

#[tokio::test]
async fn scenarios_are_listed_and_described_in_words() {
    for s in Server::all().await {
        let vic = sign_in(&s, "vic").await;
        let (st, page) = text(&vic, &s, "/scenarios").await;
        assert_eq!(st, 200, "{}", s.label);
        assert!(page.contains("China restricts rare-earth supply for a year"));
        assert!(
            page.contains("Noble-gas shortage: Ukrainian neon stops"),
            "{}",
            s.label
        );
        assert!(
            !page.contains("Propose the scenario"),
            "a viewer has no form"
        );
        let list = json(&vic, &s, "/scenarios?format=json").await;
        // Four on the semiconductor chain, four on the case studies' ecosystems.
        assert_eq!(list["scenarios"].as_array().unwrap().len(), 9);
        assert_eq!(
            list["scenarios"][0]["scenario"]["id"],
            "china-back-end-packaging"
        );

        let (st, page) = text(&vic, &s, RARE).await;
        assert_eq!(st, 200);
        let shock = "CHN loses 50% to 100% (drawn) of its deliveries of rare-earth-ores, rare-earth-elements from week 0 for 52 weeks (source: seed L2587-2596)";
        assert!(page.contains(shock), "{page}");
        let d = json(&vic, &s, &format!("{RARE}?format=json")).await;
        assert_eq!(d["scenario"]["shocks"][0], shock);
        assert!(
            d["scenario"]["mitigations"][0]
                .as_str()
                .unwrap()
                .starts_with("rare-earth-ores, rare-earth-elements: other suppliers add 0% to 10% (drawn) of their output over 26 weeks")
        );
        assert_eq!(
            (d["max_draws"].clone(), d["max_weeks"].clone()),
            (10000.into(), 520.into())
        );
        let (st, _) = text(&vic, &s, "/scenarios/no-such-scenario").await;
        assert_eq!(st, 404);
        s.stop().await;
    }
}

#[tokio::test]
async fn a_run_from_the_form_is_kept_and_drawn() {
    for s in Server::all().await {
        let ana = sign_in(&s, "ana").await;
        let (_, page) = text(&ana, &s, RARE).await;
        for id in ["draws", "weeks", "seed", "ecosystem"] {
            assert!(page.contains(&format!("<label for=\"{id}\">")), "{id}");
        }
        let f = [
            ("draws", "200"),
            ("weeks", "52"),
            ("seed", "7"),
            ("ecosystem", ""),
        ];
        let r = post(&ana, &s, &format!("{RARE}/runs"), &f).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", s.label);
        assert_eq!(
            r.headers()["location"],
            "/scenarios/china-rare-earths/runs/1"
        );

        // The page's rows are the API's stored run.
        let run = json(&ana, &s, "/scenarios/china-rare-earths/runs/1?format=json").await;
        let api = json(&ana, &s, "/api/v1/scenarios/china-rare-earths/runs").await;
        assert_eq!(run["rows"], api[0]["rows"], "{}", s.label);
        assert_eq!(run["by"], "ana");
        assert_eq!(run["request"]["draws"], 200);
        let rows = run["rows"].as_array().unwrap();
        let by_id = |id: &str| rows.iter().find(|r| r["id"] == id).cloned().unwrap();
        // Hit directly: order 0, the worst week during the 52-week restriction, a p5-p95 band.
        let ree = by_id("rare-earth-elements");
        assert_eq!(ree["order"], 0);
        assert_eq!(ree["weekly"].as_array().unwrap().len(), 52);
        let (p5, p95) = (ree["p5"].as_f64().unwrap(), ree["p95"].as_f64().unwrap());
        assert!(p5 < p95 && p95 <= 1.0, "{ree}");
        assert!(rows.iter().any(|r| r["order"] == 1), "second-order effects");
        // The command line's figures: `osa simulate --scenario china-rare-earths --draws 200
        // --seed 7 --weeks 52 --format json`.
        assert_eq!(rows.len(), 10);
        assert_eq!(
            (
                ree["availability"].clone(),
                ree["p5"].clone(),
                ree["worst_week"].clone()
            ),
            (0.442562.into(), 0.279384.into(), 47.into())
        );
        assert_eq!(by_id("wafer-fabrication")["p5"], 0.351446);

        // The chart: one line per input reached, coloured by order, axes labelled, source under it.
        let (st, html) = text(&ana, &s, "/scenarios/china-rare-earths/runs/1").await;
        assert_eq!(st, 200);
        assert!(html.contains("<svg"));
        let lines = rows.len().min(24);
        assert_eq!(
            html.matches(" effect; worst ").count(),
            lines,
            "{}",
            s.label
        );
        assert!(
            html.contains("Rare earth elements (first-order effect; worst ")
                || html.contains("(first-order effect; worst ")
        );
        assert!(
            html.contains("week after the shock")
                && html.contains("availability (% of normal supply)")
        );
        assert!(html.contains("figcaption class=\"src\""));
        assert!(html.contains("<table class=\"run\">"));
        assert!(!html.contains(" style=\""), "no inline style (CSP)");

        // Listed on the scenario's page with who ran it.
        let d = json(&ana, &s, &format!("{RARE}?format=json")).await;
        assert_eq!(d["runs"][0]["number"], 1);
        assert_eq!(d["runs"][0]["by"], "ana");
        s.stop().await;
    }
}

#[tokio::test]
async fn bad_run_input_names_the_field_and_writes_nothing() {
    for s in Server::all().await {
        let ana = sign_in(&s, "ana").await;
        let cases: [(&[(&str, &str)], &str); 4] = [
            (&[("draws", "many")], "draws"),
            (&[("draws", "100000")], "draws"),
            (&[("draws", "10"), ("weeks", "9999")], "weeks"),
            (&[("draws", "10"), ("ecosystem", "atlantis")], "ecosystem"),
        ];
        for (f, field) in cases {
            let r = post(&ana, &s, &format!("{RARE}/runs"), f).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{f:?}");
            let html = r.text().await.unwrap();
            assert!(
                html.contains(&format!("id=\"{field}-error\"")),
                "{field}: {html}"
            );
            assert!(html.contains(&format!("id=\"{field}\" name=\"{field}\" type=\"text\"")));
        }
        let api = json(&ana, &s, "/api/v1/scenarios/china-rare-earths/runs").await;
        assert_eq!(
            api.as_array().unwrap().len(),
            0,
            "{}: nothing kept",
            s.label
        );
        // A viewer may not run.
        let vic = sign_in(&s, "vic").await;
        let r = post(&vic, &s, &format!("{RARE}/runs"), &[("draws", "10")]).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        s.stop().await;
    }
}

#[tokio::test]
async fn two_runs_compare_side_by_side() {
    for s in Server::all().await {
        let ana = sign_in(&s, "ana").await;
        for draws in ["0", "50"] {
            let r = post(
                &ana,
                &s,
                &format!("{RARE}/runs"),
                &[("draws", draws), ("weeks", "52")],
            )
            .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
        }
        let r = post(
            &ana,
            &s,
            "/scenarios/noble-gas-shortage/runs",
            &[("draws", "0")],
        )
        .await;
        assert_eq!(
            r.headers()["location"],
            "/scenarios/noble-gas-shortage/runs/1"
        );
        let a = json(&ana, &s, "/scenarios/china-rare-earths/runs/1?format=json").await;
        let b = json(&ana, &s, "/scenarios/noble-gas-shortage/runs/1?format=json").await;
        let c = json(
            &ana,
            &s,
            "/scenarios/compare?a=china-rare-earths/1&b=noble-gas-shortage&format=json",
        )
        .await;
        assert_eq!(c["a"], "china-rare-earths/1");
        assert_eq!(c["b"], "noble-gas-shortage/1", "a scenario's latest run");
        let rows = c["rows"].as_array().unwrap();
        let ids: std::collections::BTreeSet<&str> = a["rows"]
            .as_array()
            .unwrap()
            .iter()
            .chain(b["rows"].as_array().unwrap())
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(rows.len(), ids.len(), "every input either run reaches");
        for r in rows {
            let d = r["availability_b"].as_f64().unwrap() - r["availability_a"].as_f64().unwrap();
            assert!((r["difference"].as_f64().unwrap() - d).abs() < 1e-6, "{r}");
        }
        let ree = rows
            .iter()
            .find(|r| r["id"] == "rare-earth-elements")
            .unwrap();
        assert_eq!(
            ree["order_b"],
            Value::Null,
            "noble gases do not reach rare earths"
        );
        assert_eq!(ree["availability_b"], 1.0);
        let (st, html) = text(
            &ana,
            &s,
            "/scenarios/compare?a=china-rare-earths/1&b=china-rare-earths/2",
        )
        .await;
        assert_eq!(st, 200);
        assert!(html.contains("Availability in china-rare-earths/1 and china-rare-earths/2"));
        let (st, _) = text(
            &ana,
            &s,
            "/scenarios/compare?a=china-rare-earths/9&b=china-rare-earths/1",
        )
        .await;
        assert_eq!(st, 404);
        s.stop().await;
    }
}

fn draft<'a>(over: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("id", "gallium-cut"),
        ("name", "China cuts gallium for half a year"),
        ("description", ""),
        ("ecosystem", "semiconductors"),
        ("weeks", "52"),
        ("supplier", "CHN"),
        ("inputs", "gallium"),
        ("lost", "0.5..0.9"),
        ("start_week", "0"),
        ("duration_weeks", "26"),
        ("shock_source", "judgment: a test"),
        ("mitigation_inputs", "gallium"),
        ("stock_months", "3"),
        ("substitution", ""),
        ("substitution_ramp_weeks", ""),
        ("mitigation_source", ""),
        ("toml", ""),
        ("note", "export controls on gallium, 2023"),
    ];
    for (k, v) in over {
        if let Some(x) = f.iter_mut().find(|(n, _)| n == k) {
            x.1 = v;
        }
    }
    f
}

#[tokio::test]
async fn a_scenario_is_proposed_from_the_form_for_review() {
    for s in Server::all().await {
        let ana = sign_in(&s, "ana").await;
        let (_, page) = text(&ana, &s, "/scenarios").await;
        for (id, _) in draft(&[]) {
            assert!(page.contains(&format!("<label for=\"{id}\">")), "{id}");
        }
        let open = |v: &Value| v["items"].as_array().map_or(0, Vec::len);
        let before = json(&ana, &s, "/api/v1/proposals?status=open").await;

        // Bad input: 422 naming the field, nothing written, the values kept and escaped.
        for (over, field) in [
            (vec![("lost", "1.5")], "lost"),
            (vec![("lost", "half")], "lost"),
            (vec![("id", "bad id")], "id"),
            (vec![("stock_months", "-1")], "stock_months"),
            (vec![("note", "")], "note"),
            (vec![("toml", "format = 1")], "toml"),
            (vec![("inputs", "no-such-input"), ("name", EVIL)], "inputs"),
        ] {
            let r = post(&ana, &s, "/scenarios", &draft(&over)).await;
            let status = r.status();
            let html = r.text().await.unwrap();
            if field == "inputs" {
                // The file is valid, but its ecosystem has no such input: refused at proposal.
                assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
                assert!(!html.contains(EVIL), "escaped");
                assert!(
                    html.contains("has no input or stage `no-such-input`"),
                    "{html}"
                );
                continue;
            }
            assert!(
                html.contains(&format!("id=\"{field}-error\"")) || field == "toml",
                "{field}: {html}"
            );
            assert!(html.contains("aria-invalid=\"true\""), "{field}");
        }
        let r = post(&ana, &s, "/scenarios", &draft(&[("lost", "1.5")])).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let after = json(&ana, &s, "/api/v1/proposals?status=open").await;
        assert_eq!(
            open(&after),
            open(&before),
            "{}: nothing was proposed",
            s.label
        );

        let r = post(&ana, &s, "/scenarios", &draft(&[("id", "gallium-cut-2")])).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let to = r.headers()["location"].to_str().unwrap().to_string();
        let id: i64 = to
            .strip_prefix("/scenarios?proposed=")
            .unwrap()
            .parse()
            .unwrap();
        let (_, html) = text(&ana, &s, &to).await;
        assert!(html.contains(&format!("href=\"/review/{id}\"")));
        let p = json(&ana, &s, &format!("/api/v1/proposals/{id}")).await;
        assert_eq!(
            (p["kind"].as_str(), p["key"].as_str()),
            (Some("scenario"), Some("gallium-cut-2"))
        );
        // Not published before review.
        let (st, _) = text(&ana, &s, "/scenarios/gallium-cut-2").await;
        assert_eq!(st, 404);
        // A reviewer approves it: it is a stored scenario and runs.
        let rev = sign_in(&s, "rev").await;
        let r = rev
            .post(s.url(&format!("/api/v1/proposals/{id}/approve")))
            .json(&serde_json::json!({ "comment": "fine" }))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{}", r.text().await.unwrap());
        let d = json(&ana, &s, "/scenarios/gallium-cut-2?format=json").await;
        assert_eq!(
            d["scenario"]["shocks"][0],
            "CHN loses 50% to 90% (drawn) of its deliveries of gallium from week 0 for 26 weeks (source: judgment: a test)"
        );
        assert_eq!(
            d["scenario"]["mitigations"][0],
            "gallium: 3 months of stock"
        );
        let r = post(
            &ana,
            &s,
            "/scenarios/gallium-cut-2/runs",
            &[("draws", "20")],
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let run = json(&ana, &s, "/scenarios/gallium-cut-2/runs/1?format=json").await;
        assert_eq!(run["rows"][0]["id"], "gallium");
        s.stop().await;
    }
}
