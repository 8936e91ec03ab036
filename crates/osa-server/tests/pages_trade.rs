//! Trade screening's pages over HTTP, on SQLite and PostgreSQL: a screening run from the form
//! (303 to its page, kept), the products table filtered and sorted by the query (rows counted),
//! the chart of dependent import value by top supplier, downloads of exactly the rows shown (CSV,
//! JSON, and XLSX read back with calamine holding the CSV's cells), bad form input answered 422
//! naming the field with nothing written; and the real BACI sample where present.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use common::{Server, page_json as json_of, page_text as text};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::io::Cursor;

async fn sign_in(s: &Server, name: &str) -> reqwest::Client {
    common::form_sign_in(s, name, "/trade").await
}

/// Registers a trade file (with its country table) as a reviewer, uploaded through the API.
async fn register(s: &Server, id: &str, path: &std::path::Path) {
    let rev = s.client("rev").await;
    let table = path.with_file_name(if path.ends_with("screen_fixture.csv") {
        "country_codes_fixture.csv"
    } else {
        "baci_country_codes_V202201.csv"
    });
    let job = common::trade_dataset(s, &rev, id, (path, &table)).await;
    assert_eq!(job["phase"], "done", "{job}");
}

fn fixture() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../osa-trade/tests/data/screen_fixture.csv")
}

/// Runs a screening from the form; answers the run page's path.
async fn screen(c: &reqwest::Client, s: &Server, dataset: &str, year: &str) -> String {
    let r = c
        .post(s.url("/trade/screenings"))
        .form(&[("dataset", dataset), ("importer", "EU27"), ("year", year)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", s.label);
    r.headers()["location"].to_str().unwrap().to_string()
}

fn products(page: &Value) -> Vec<String> {
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["product"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_screening_is_filtered_sorted_and_drawn() {
    for s in Server::all().await {
        register(&s, "fixture", &fixture()).await;
        let ana = sign_in(&s, "ana").await;
        let (st, page) = text(&ana, &s, "/trade").await;
        assert_eq!(st, 200);
        for id in ["dataset", "importer", "year"] {
            assert!(page.contains(&format!("<label for=\"{id}\">")), "{id}");
        }
        let run = screen(&ana, &s, "fixture", "2020").await;
        assert_eq!(run, "/trade/screenings/fixture/1");
        let list = json_of(&ana, &s, "/trade?format=json").await;
        assert_eq!(list["datasets"][0]["runs"][0]["number"], 1);
        assert_eq!(list["datasets"][0]["runs"][0]["by"], "ana");

        // The fixture's 2020 flows: four products, three dependent (two from CHN, one from USA).
        let all = json_of(&ana, &s, &format!("{run}?format=json")).await;
        assert_eq!(all["total"], 4);
        assert_eq!(
            products(&all),
            ["854231", "870323", "280530", "090111"],
            "import value, largest first"
        );
        assert_eq!(all["sort"], "-import_value");
        let count = |q: &'static str| {
            let (ana, s, run) = (&ana, &s, &run);
            async move {
                json_of(ana, s, &format!("{run}?format=json&{q}")).await["rows"]
                    .as_array()
                    .unwrap()
                    .len()
            }
        };
        assert_eq!(count("dependent=true").await, 3);
        assert_eq!(count("section=XVI").await, 1);
        assert_eq!(count("end_use=intermediate").await, 2);
        assert_eq!(count("supplier=CHN").await, 3);
        assert_eq!(count("supplier=CHN&dependent=true").await, 2);
        assert_eq!(count("section=I").await, 0);
        // HS sections show their names, in the table and in the filter.
        let (_, page) = text(&ana, &s, &run).await;
        assert!(
            page.contains("<td>XVI Machinery and mechanical appliances; electrical equipment</td>"),
            "{page}"
        );
        assert!(
            page.contains(r#"<option value="XVI">XVI Machinery and mechanical appliances; electrical equipment</option>"#),
            "{page}"
        );
        // The filter box: a code's beginning, and every word must match.
        assert_eq!(count("text=8542").await, 1);
        assert_eq!(count("text=28&dependent=true").await, 1);
        assert_eq!(count("text=8542%20870323").await, 0);
        let sorted = json_of(&ana, &s, &format!("{run}?format=json&sort=product")).await;
        assert_eq!(products(&sorted), ["090111", "280530", "854231", "870323"]);
        let by_hhi = json_of(&ana, &s, &format!("{run}?format=json&sort=-hhi")).await;
        assert_eq!(products(&by_hhi)[0], "090111");
        // Dependent import value by top supplier: CHN 1,000 + 100, USA 50 (thousand USD).
        let sup = &all["suppliers"];
        assert_eq!(
            (sup[0]["country"].clone(), sup[0]["value"].clone()),
            (json!("CHN"), json!(1100.0))
        );
        assert_eq!(
            (sup[1]["country"].clone(), sup[1]["value"].clone()),
            (json!("USA"), json!(50.0))
        );

        let (st, html) = text(&ana, &s, &format!("{run}?dependent=true&sort=product")).await;
        assert_eq!(st, 200);
        assert!(html.contains("3 of 4 products"));
        assert_eq!(
            html.matches("<tr><td><code>").count(),
            3,
            "three rows in the table"
        );
        assert!(
            html.contains("<table class=\"screen\">")
                && html.contains("<div class=\"scroll\" tabindex=\"0\" role=\"region\"")
        );
        assert!(
            html.contains("aria-sort=\"ascending\""),
            "the sorted column says so"
        );
        assert!(html.contains("<svg") && html.contains("China (CHN)"));
        assert!(html.contains("imports of the dependent products, million USD"));
        assert!(html.contains("figcaption class=\"src\""));
        assert!(!html.contains(" style=\""), "no inline style (CSP)");
        s.stop().await;
    }
}

/// Every number to 6 decimals (as the printers write them).
fn rounded(v: &Value) -> Value {
    match v {
        Value::Number(n) if n.is_f64() => {
            json!((n.as_f64().unwrap() * 1e6).round() / 1e6)
        }
        Value::Array(a) => Value::Array(a.iter().map(rounded).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, x)| (k.clone(), rounded(x))).collect()),
        other => other.clone(),
    }
}

fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

#[tokio::test]
async fn downloads_hold_exactly_the_rows_shown() {
    for s in Server::all().await {
        register(&s, "fixture", &fixture()).await;
        let ana = sign_in(&s, "ana").await;
        let run = screen(&ana, &s, "fixture", "2020").await;
        let get = |q: String| {
            let (ana, s) = (&ana, &s);
            async move { ana.get(s.url(&q)).send().await.unwrap() }
        };
        let r = get(format!("{run}?dependent=true&sort=product&download=csv")).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
        assert_eq!(
            r.headers()["content-disposition"],
            "attachment; filename=\"screening-fixture-1.csv\""
        );
        let csv = r.text().await.unwrap();
        let (header, rows) = csv_rows(&csv);
        assert_eq!(rows.len(), 3, "{csv}");
        let first: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(first, ["090111", "280530", "854231"]);
        // By extension, the same bytes.
        let r =
            get("/trade/screenings/fixture/1.csv?dependent=true&sort=product".to_string()).await;
        assert_eq!(r.text().await.unwrap(), csv);

        let r = get(format!("{run}?dependent=true&sort=product&download=json")).await;
        assert_eq!(r.headers()["content-type"], "application/json");
        let j: Value = r.json().await.unwrap();
        let page = json_of(
            &ana,
            &s,
            &format!("{run}?format=json&dependent=true&sort=product"),
        )
        .await;
        assert_eq!(j.as_array().unwrap().len(), 3);
        assert_eq!(
            j,
            rounded(&page["rows"]),
            "the JSON download is the rows shown (rounded to 6 decimals as osa screen prints them)"
        );

        let r = get(format!("{run}?dependent=true&sort=product&download=xlsx")).await;
        assert_eq!(
            r.headers()["content-type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert!(
            r.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .ends_with(".xlsx\"")
        );
        let book = r.bytes().await.unwrap();
        let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(book.to_vec())).expect("opens");
        assert_eq!(wb.sheet_names(), ["screen", "Sources"]);
        let range = wb.worksheet_range("screen").unwrap();
        assert_eq!(range.height(), rows.len() + 1);
        // The workbook's headers are the CSV's columns in words (`end_use` is "end use").
        for (c, h) in header.iter().enumerate() {
            let words = osa_view::xlsx::header_in_words(h);
            assert_eq!(range.get((0, c)), Some(&Data::String(words)));
        }
        for (k, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                match range.get((k + 1, c)).unwrap_or(&Data::Empty) {
                    Data::Float(v) => assert_eq!(*v, cell.parse::<f64>().unwrap(), "{}", header[c]),
                    Data::Int(v) => assert_eq!(v.to_string(), *cell),
                    Data::Bool(b) => assert_eq!(b.to_string(), *cell),
                    Data::String(t) => assert_eq!(t, cell),
                    Data::Empty => assert!(cell.is_empty()),
                    other => panic!("unexpected cell {other:?}"),
                }
            }
        }
        let sources: Vec<String> = wb
            .worksheet_range("Sources")
            .unwrap()
            .rows()
            .flat_map(|r| r.iter().map(|d| d.to_string()))
            .collect();
        assert!(
            sources.iter().any(|t| t == "dependent products only"),
            "{sources:?}"
        );
        assert!(sources.iter().any(|t| t == "fixture (screening 1)"));
        let r = get(format!("{run}?download=pdf")).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        s.stop().await;
    }
}

#[tokio::test]
async fn bad_screening_input_names_the_field_and_writes_nothing() {
    for s in Server::all().await {
        register(&s, "fixture", &fixture()).await;
        let ana = sign_in(&s, "ana").await;
        for (f, field) in [
            (
                [
                    ("dataset", "fixture"),
                    ("importer", "EU27"),
                    ("year", "next"),
                ],
                "year",
            ),
            (
                [("dataset", "nope"), ("importer", "EU27"), ("year", "2020")],
                "dataset",
            ),
            (
                [
                    ("dataset", "fixture"),
                    ("importer", "EU27"),
                    ("year", "1990"),
                ],
                "year",
            ),
        ] {
            let r = ana
                .post(s.url("/trade/screenings"))
                .form(&f)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{f:?}");
            let html = r.text().await.unwrap();
            assert!(
                html.contains(&format!("id=\"{field}\" name=\"{field}\""))
                    && html.contains("aria-invalid=\"true\""),
                "{field}: {html}"
            );
        }
        let list = json_of(&ana, &s, "/trade?format=json").await;
        assert_eq!(
            list["datasets"][0]["runs"].as_array().unwrap().len(),
            0,
            "nothing kept"
        );
        let vic = sign_in(&s, "vic").await;
        let r = vic
            .post(s.url("/trade/screenings"))
            .form(&[("dataset", "fixture"), ("year", "2020")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let (st, _) = text(&ana, &s, "/trade/screenings/fixture/7").await;
        assert_eq!(st, 404);
        s.stop().await;
    }
}

#[tokio::test]
async fn the_real_baci_sample_screens_in_the_browser() {
    let Some(data) =
        osa_io::shared::data_dir_or_skip("the_real_baci_sample_screens_in_the_browser")
    else {
        return;
    };
    let csv = data
        .join("baci_sample")
        .join("baci_2021_exporters_AFG_ZAF_from_R-IO-PS.csv");
    for s in Server::all().await {
        register(&s, "baci-2021-sample", &csv).await;
        let ana = sign_in(&s, "ana").await;
        let run = screen(&ana, &s, "baci-2021-sample", "2021").await;
        let all = json_of(&ana, &s, &format!("{run}?format=json")).await;
        assert_eq!(all["rows_read"], 71192, "{}: the sample's rows", s.label);
        let total = all["total"].as_u64().unwrap() as usize;
        assert_eq!(all["rows"].as_array().unwrap().len(), total);
        let dependent = all["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["dependent"] == true)
            .count();
        // Two exporters only (AFG, ZAF) and no EU exporter: every product imported is dependent.
        assert_eq!(dependent, total, "{}", s.label);
        let section = all["rows"][0]["section"].as_str().unwrap().to_string();
        let in_section = all["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["section"] == section.as_str())
            .count();
        let sec = json_of(&ana, &s, &format!("{run}?format=json&section={section}")).await;
        assert_eq!(sec["rows"].as_array().unwrap().len(), in_section);
        assert!(in_section < total);
        let dep = json_of(&ana, &s, &format!("{run}?format=json&dependent=true")).await;
        assert_eq!(dep["rows"].as_array().unwrap().len(), dependent);
        let value: f64 = dep["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["import_value"].as_f64().unwrap())
            .sum();
        let by_supplier: f64 = dep["suppliers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["value"].as_f64().unwrap())
            .sum();
        assert!(
            (value - by_supplier).abs() < 1e-6 * value.max(1.0),
            "the chart sums the rows shown"
        );
        let r = ana
            .get(s.url(&format!("{run}?dependent=true&download=csv")))
            .send()
            .await
            .unwrap();
        let (_, rows) = csv_rows(&r.text().await.unwrap());
        assert_eq!(rows.len(), dependent);
        // The page shows the table by pages of 200 rows and stays under 300 kB.
        assert!(total > 400, "{total}");
        for page in ["", "&page=2"] {
            let html = ana
                .get(s.url(&format!("{run}?dependent=true{page}")))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(html.len() < 300_000, "{} bytes", html.len());
            assert_eq!(html.matches("<td><code>").count(), 200, "{page}");
            assert!(html.contains(&format!("Rows {}–", if page.is_empty() { 1 } else { 201 })));
        }
        s.stop().await;
    }
}

/// The fixture's 2020 flows as one year's file: `year`, without the rows of `drop`, with `extra`.
fn year_file(dir: &std::path::Path, year: u16, drop: &str, extra: &[&str]) -> std::path::PathBuf {
    let text = std::fs::read_to_string(fixture()).unwrap();
    let mut out = String::from("\"t\",\"i\",\"j\",\"k\",\"v\",\"q\"\n");
    for line in text.lines().filter(|l| l.starts_with("2020,")) {
        if line.split(',').nth(3) != Some(drop) {
            out.push_str(&format!("{year}{}\n", &line[4..]));
        }
    }
    for e in extra {
        out.push_str(&format!("{year},{e}\n"));
    }
    let path = dir.join(format!("panel_{year}.csv"));
    std::fs::write(&path, out).unwrap();
    std::fs::copy(
        fixture().with_file_name("country_codes_fixture.csv"),
        dir.join("country_codes_fixture.csv"),
    )
    .unwrap();
    path
}

/// The titles of the change log's entries about a subject.
async fn change_titles(c: &reqwest::Client, s: &Server, subject: &str) -> Vec<String> {
    let page = json_of(c, s, &format!("/changes?format=json&subject={subject}")).await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_panel_is_kept_and_a_new_year_records_each_followed_importers_changes() {
    for s in Server::all().await {
        let dir = tempfile::tempdir().unwrap();
        // 2020: the fixture (EU27 depends on 854231, 280530, 090111; the USA on 854231, 870323).
        // 2021: without 280530. 2022: 280530 back, and the USA now buys it from China.
        let register_year = |year: u16, drop: &'static str, extra: &'static [&'static str]| {
            let (s, dir) = (&s, dir.path());
            async move {
                let rev = s.client("rev").await;
                let path = year_file(dir, year, drop, extra);
                let table = dir.join("country_codes_fixture.csv");
                let job =
                    common::trade_dataset(s, &rev, &format!("y{year}"), (&path, &table)).await;
                assert_eq!(job["phase"], "done", "{job}");
            }
        };
        register_year(2020, "", &[]).await;
        register_year(2021, "280530", &[]).await;
        let ana = sign_in(&s, "ana").await;
        let titles = change_titles(&ana, &s, "trade/y2021").await;
        assert!(
            titles.contains(
                &"EU27, 2020 to 2021 (swd2021): 0 product(s) became dependent, 1 ceased to be (HS 280530)"
                    .to_string()
            ),
            "{}: {titles:?}",
            s.label
        );

        // A panel run from the form, kept; its persistence and churn.
        let r = ana
            .post(s.url("/trade/panels"))
            .form(&[("importer", "EU27"), ("years", ""), ("method", "swd2021")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", s.label);
        assert_eq!(r.headers()["location"], "/trade/panels/1");
        let p = json_of(&ana, &s, "/trade/panels/1?format=json").await;
        assert_eq!(p["run"]["years"], json!([2020, 2021]));
        assert_eq!(p["run"]["by"], "ana");
        let churn = &p["run"]["churn"];
        assert_eq!(
            (churn[1]["year"].clone(), churn[1]["n_dependent"].clone()),
            (json!(2021), json!(2))
        );
        assert_eq!(
            (churn[1]["entered"].clone(), churn[1]["left"].clone()),
            (json!(0), json!(1))
        );
        // One in three of 2020's dependent products was not dependent in 2021.
        assert!(
            (churn[0]["churn_1"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-9,
            "{churn}"
        );
        let spells: Vec<(String, u64)> = p["run"]["spells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x["product"].as_str().unwrap().into(),
                    x["years"].as_u64().unwrap(),
                )
            })
            .collect();
        assert!(spells.contains(&("854231".into(), 2)) && spells.contains(&("280530".into(), 1)));
        let (st, html) = text(&ana, &s, "/trade/panels/1").await;
        assert_eq!(st, 200);
        assert!(html.contains("<svg") && html.contains("Churn per importer and year"));
        let (_, trade) = text(&ana, &s, "/trade").await;
        assert!(trade.contains("href=\"/trade/panels/1\""));

        // The USA is followed once a panel runs on it (through the API).
        let r = ana
            .post(s.url("/api/v1/trade-panels"))
            .json(&json!({ "importer": "USA", "method": "swd2021" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", s.label);
        let kept: Value = r.json().await.unwrap();
        assert_eq!(kept["number"], 2);
        assert_eq!(kept["churn"][1]["n_dependent"], 2, "{kept}");
        register_year(2022, "", &["156,842,280530,50,\"        2.000\""]).await;
        let titles = change_titles(&ana, &s, "trade/y2022").await;
        for t in [
            "EU27, 2021 to 2022 (swd2021): 1 product(s) became dependent (HS 280530), 0 ceased to be",
            "USA, 2021 to 2022 (swd2021): 1 product(s) became dependent (HS 280530), 0 ceased to be",
        ] {
            assert!(
                titles.contains(&t.to_string()),
                "{}: {t} in {titles:?}",
                s.label
            );
        }

        // Bad input names the field, and nothing is kept.
        for (field, value, named) in [
            ("method", "/etc/passwd", "method"),
            ("years", "2030-2031", "years"),
            ("importer", "EU27;x", "panel_importer"),
        ] {
            let mut form = vec![("importer", "EU27"), ("years", ""), ("method", "swd2021")];
            form.retain(|(k, _)| *k != field);
            form.push((field, value));
            let r = ana
                .post(s.url("/trade/panels"))
                .form(&form)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 422, "{}: {field}", s.label);
            let html = r.text().await.unwrap();
            assert!(html.contains(&format!("id=\"{named}\" name=")), "{field}");
            assert!(html.contains("aria-invalid=\"true\""), "{field}");
        }
        let list = s.get_json(&ana, "/api/v1/trade-panels").await;
        assert_eq!(list.as_array().unwrap().len(), 2);

        // A file of several years (the fixture: 2019 and 2020) registers beside the others,
        // compared with the latest dataset on its first year.
        register(&s, "fixture", &fixture()).await;
        let titles = change_titles(&ana, &s, "trade/fixture").await;
        assert!(
            titles
                .iter()
                .any(|t| t.contains("registered the trade dataset fixture")),
            "{}: {titles:?}",
            s.label
        );
        s.stop().await;
    }
}
