//! The ecosystem explorer's pages end to end, on every configured backend: the ecosystems with
//! their snapshots, the value chain graph with EUV lithography marked as an EU chokepoint, an
//! input's shares over the years, bad arguments as error pages naming the field, and the ETO
//! 2025 and 2026 releases compared after registering them (where the real data is present).

mod common;

use common::Server;
use reqwest::StatusCode;
use serde_json::json;

/// GETs a page as HTML: (status, body).
async fn page(s: &Server, c: &reqwest::Client, path: &str) -> (StatusCode, String) {
    let r = c.get(s.url(path)).send().await.expect("the server answers");
    let status = r.status();
    (status, r.text().await.expect("a body"))
}

/// The `<title>` of the graph's node for an input (its accessible name).
fn node_title<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let start = html.find(&format!("<title>{name} · "))?;
    let rest = &html[start..];
    rest.find("</title>").map(|end| &rest[..end])
}

#[tokio::test]
async fn the_graph_marks_euv_lithography_as_an_eu_chokepoint() {
    for s in Server::all().await {
        let c = s.client("vic").await;
        let (status, html) = page(&s, &c, "/ecosystems").await;
        assert_eq!(status, StatusCode::OK, "{}", s.label);
        assert!(
            html.contains("href=\"/ecosystems/semiconductors\""),
            "{html}"
        );
        assert!(html.contains("osa-curated") && html.contains("<time datetime="));
        let list = s.get_json(&c, "/ecosystems?format=json").await;
        let semis = list["ecosystems"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == "semiconductors")
            .expect("the embedded ecosystem");
        assert_eq!(semis["snapshots"][0]["label"], "osa-curated");
        assert_eq!(semis["snapshots"][0]["revision"], 1);

        for holder in ["EU27", "EU"] {
            let (status, html) = page(
                &s,
                &c,
                &format!("/ecosystems/semiconductors?holder={holder}"),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{}: {html}", s.label);
            let title = node_title(&html, "EUV lithography tools").expect("the EUV node");
            assert!(
                title.contains("EU27 100% (2022)") && title.contains("chokepoint of EU27"),
                "{title}"
            );
            assert!(html.contains("<rect class=\"chokepoint\""));
            assert!(html.contains("div class=\"scroll\""));
            assert!(
                html.contains("chokepoint of EU27 (at least 50%)"),
                "the legend"
            );
            assert!(html.len() < 300_000, "{} bytes", html.len());
        }
        let v = s
            .get_json(&c, "/ecosystems/semiconductors?holder=EU27&format=json")
            .await;
        let g = &v["graph"];
        let euv = g["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == "euv-lithography")
            .expect("the EUV node");
        assert_eq!(euv["chokepoint"], true);
        assert_eq!(euv["share"], 1.0);
        let column = &g["columns"][euv["column"].as_u64().unwrap() as usize];
        assert_eq!(column["stage"], "fabrication");
        let x = euv["x"].as_u64().unwrap();
        assert!(column["x"].as_u64().unwrap() <= x);
        assert!(x < column["x"].as_u64().unwrap() + column["width"].as_u64().unwrap());
        assert_eq!(
            g["edges"].as_array().unwrap().len(),
            v["exploration"]["edges"].as_array().unwrap().len(),
            "every goes_into edge drawn"
        );
        let choke = v["exploration"]["chokepoints"].as_array().unwrap();
        assert!(choke.iter().any(|c| c["id"] == "euv-lithography"));
        assert!(
            v["exploration"]["holders"]
                .as_array()
                .unwrap()
                .iter()
                .any(|h| h["id"] == "NLD" && h["kind"] == "country")
        );

        // Another holder: China holds rare earths, not EUV.
        let v = s
            .get_json(&c, "/ecosystems/semiconductors?holder=CHN&format=json")
            .await;
        let ids: Vec<&str> = v["exploration"]["chokepoints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        assert!(!ids.contains(&"euv-lithography"), "{ids:?}");
        assert!(!ids.is_empty());
        assert_eq!(v["exploration"]["counterpart"], "EU27");
        s.stop().await;
    }
}

#[tokio::test]
async fn an_input_page_shows_its_shares_over_the_years_with_the_rows() {
    for s in Server::all().await {
        let c = s.client("vic").await;
        let path = "/ecosystems/semiconductors/inputs/leading-edge-logic-fabrication";
        let (status, html) = page(&s, &c, &format!("{path}?holder=TWN")).await;
        assert_eq!(status, StatusCode::OK, "{}: {html}", s.label);
        for text in [
            "Leading-edge logic fabrication (7nm and below)",
            "TWN 92%",
            "TWN 69%",
            "<figure class=\"chart\"><svg",
            "Who provides Leading-edge logic",
            "2019 country rows",
            "2022 country rows",
            "SIA/BCG",
            "Goes into",
        ] {
            assert!(html.contains(text), "{}: {text} missing", s.label);
        }
        let v = s.get_json(&c, format!("{path}?format=json")).await;
        let years: Vec<i64> = v["answer"]["input"]["years"]
            .as_array()
            .unwrap()
            .iter()
            .map(|y| y["year"].as_i64().unwrap())
            .collect();
        assert_eq!(years, [2019, 2022]);
        assert_eq!(v["answer"]["input"]["years"][0]["shares"]["TWN"], 0.92);
        assert!(
            !v["answer"]["input"]["years"][0]["rows"]
                .as_array()
                .unwrap()
                .is_empty()
        );

        let v = s
            .get_json(
                &c,
                "/ecosystems/semiconductors/inputs/euv-lithography?holder=EU&format=json",
            )
            .await;
        let i = &v["answer"]["input"];
        assert_eq!(v["answer"]["holder"], "EU27");
        assert_eq!(i["stage"], "fabrication");
        assert_eq!(i["substitutability"], 0.0);
        assert_eq!(i["years"][0]["chokepoints"], json!(["EU27"]));
        assert_eq!(i["years"][0]["firms"][0]["name"], "ASML");
        assert!(
            i["goes_into"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["id"] == "leading-edge-logic-fabrication")
        );
        s.stop().await;
    }
}

#[tokio::test]
async fn bad_arguments_are_error_pages_naming_the_field() {
    for s in Server::all().await {
        let c = s.client("vic").await;
        for (path, status, field) in [
            (
                "/ecosystems/semiconductors?holder=XXQ",
                StatusCode::UNPROCESSABLE_ENTITY,
                "holder",
            ),
            (
                "/ecosystems/semiconductors?year=20x5",
                StatusCode::UNPROCESSABLE_ENTITY,
                "year",
            ),
            (
                "/ecosystems/semiconductors?year=1990",
                StatusCode::UNPROCESSABLE_ENTITY,
                "year",
            ),
            (
                "/ecosystems/semiconductors?min_share=2",
                StatusCode::UNPROCESSABLE_ENTITY,
                "min_share",
            ),
            (
                "/ecosystems/semiconductors/inputs/no-such-input",
                StatusCode::NOT_FOUND,
                "input",
            ),
            (
                "/ecosystems/semiconductors/inputs/euv-lithography?holder=nobody",
                StatusCode::UNPROCESSABLE_ENTITY,
                "holder",
            ),
            (
                "/ecosystems/semiconductors/compare?from=osa-curated&to=eto-2099",
                StatusCode::UNPROCESSABLE_ENTITY,
                "to",
            ),
            (
                "/ecosystems/semiconductors/compare",
                StatusCode::UNPROCESSABLE_ENTITY,
                "from",
            ),
            (
                "/ecosystems/6g/compare?from=6g&to=blockchain",
                StatusCode::UNPROCESSABLE_ENTITY,
                "to",
            ),
        ] {
            let (got, html) = page(&s, &c, path).await;
            assert_eq!(got, status, "{}: {path}: {html}", s.label);
            assert!(
                html.contains(&format!("(field <code>{field}</code>)")),
                "{path}: {html}"
            );
        }
        // Two different ecosystems are refused with the reason.
        let (_, html) = page(&s, &c, "/ecosystems/6g/compare?from=6g&to=blockchain").await;
        assert!(
            html.contains(
                "are snapshots of two different ecosystems (they share 1 of their 11 and 6 inputs)"
            ),
            "{html}"
        );
        let (got, html) = page(&s, &c, "/ecosystems/nothing-here").await;
        assert_eq!(got, StatusCode::NOT_FOUND, "{html}");
        assert!(html.contains("no ecosystem `nothing-here`"));
        // One snapshot compared with itself, or with an ecosystem by name, is no change.
        let v = s
            .get_json(
                &c,
                "/ecosystems/semiconductors/compare?from=osa-curated&to=semiconductors&format=json",
            )
            .await;
        assert_eq!(v["comparison"]["diff"]["n_changed"], 0, "{v}");
        // Watched holders, as the form sends them.
        let path =
            "/ecosystems/semiconductors/compare?from=osa-curated&to=semiconductors&holder=eu,nld";
        let v = s.get_json(&c, format!("{path}&format=json")).await;
        assert_eq!(v["comparison"]["diff"]["holders"], json!(["EU27", "NLD"]));
        let (_, html) = page(&s, &c, path).await;
        assert!(html.contains("value=\"EU27,NLD\""), "{html}");
        assert!(html.contains("<option value=\"semiconductors\" selected>"));
        let (got, html) = page(&s, &c, &format!("{path},XXQ")).await;
        assert_eq!(got, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("(field <code>holder</code>)"), "{html}");
        s.stop().await;
    }
}

#[tokio::test]
async fn the_eto_releases_of_2025_and_2026_compared() {
    let Some(data) = osa_io::shared::data_dir_or_skip("the_eto_releases_of_2025_and_2026_compared")
    else {
        return;
    };
    for s in Server::all().await {
        let (rev, rex, vic) = (
            s.client("rev").await,
            s.client("rex").await,
            s.client("vic").await,
        );
        let mut revisions = Vec::new();
        for (label, dir) in [
            ("eto-2025", "v2025_supply_chain"),
            ("eto-2026", "v2026_chip_explorer"),
        ] {
            let zip = common::zip_folder(&data.join("eto").join(dir));
            let rep = common::release(&s, (&rev, &rex), ("eto-semiconductors", label), zip).await;
            revisions.push(rep["revision"].as_i64().unwrap());
        }

        let (_, html) = page(&s, &vic, "/ecosystems").await;
        assert!(html.contains("href=\"/ecosystems/eto-semiconductors\""));
        assert!(html.contains("eto-2025") && html.contains("eto-2026"));

        let path = "/ecosystems/eto-semiconductors/compare?from=eto-2025&to=eto-2026";
        let (status, html) = page(&s, &vic, path).await;
        assert_eq!(status, StatusCode::OK, "{}: {html}", s.label);
        let assembly = html
            .split("<tr>")
            .filter(|row| row.contains("Integrated assembly tools"))
            .collect::<Vec<_>>()
            .join("");
        assert!(
            assembly.contains("top holder")
                && assembly.contains("CHN 98% (2019)")
                && assembly.contains("SGP 100% (2025)"),
            "{assembly}"
        );
        assert!(assembly.contains("lost chokepoint"), "{assembly}");
        assert!(html.contains("lost chokepoint of CHN"));
        let unchanged = html.split("<details class=\"unchanged\">").nth(1).unwrap();
        let euv = unchanged
            .split("<tr>")
            .find(|row| row.contains("EUV lithography tools"))
            .expect("EUV among the unchanged inputs");
        assert!(
            euv.contains("NLD 100% (2019)") && euv.contains("NLD 100% (2025)"),
            "{euv}"
        );

        let v = s.get_json(&vic, format!("{path}&format=json")).await;
        let d = &v["comparison"]["diff"];
        let row = |id: &str| {
            d["inputs"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["id"] == id)
                .cloned()
                .unwrap()
        };
        let n77 = row("N77");
        let top = n77["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["kind"] == "top_holder")
            .expect("the top holder change");
        assert_eq!(top["before"]["place"], "CHN");
        assert_eq!(top["before"]["value"], 0.98);
        assert_eq!(top["after"]["place"], "SGP");
        assert_eq!(top["after"]["value"], 1.0);
        assert!(
            n77["changes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["kind"] == "lost_chokepoint" && c["holder"] == "CHN")
        );
        assert_eq!(row("N20")["changed"], false, "EUV unchanged");
        // Without arguments: the last two snapshots.
        let dflt = s
            .get_json(&vic, "/ecosystems/eto-semiconductors/compare?format=json")
            .await;
        assert_eq!(dflt["comparison"]["diff"]["n_changed"], d["n_changed"]);

        // The graph of the 2026 release: EUV is the EU's (ASML, the Netherlands), one page.
        let (status, html) = page(&s, &vic, "/ecosystems/eto-semiconductors?holder=EU").await;
        assert_eq!(status, StatusCode::OK, "{html}");
        let title = node_title(&html, "EUV lithography tools").expect("the EUV node");
        assert!(title.contains("chokepoint of EU27"), "{title}");
        assert!(html.len() < 300_000, "{} bytes", html.len());
        // As of the 2025 snapshot, integrated assembly tools were China's.
        let (status, html) = page(
            &s,
            &vic,
            &format!(
                "/ecosystems/eto-semiconductors/inputs/N77?holder=CHN&as_of=r{}",
                revisions[0]
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(html.contains("CHN 98%") && html.contains("chokepoint of CHN"));
        // Under each chart, where its rows come from (file and line).
        let (_, html) = page(&s, &vic, "/ecosystems/eto-semiconductors/inputs/N20").await;
        assert!(
            html.contains("CSET ETO chip explorer (2026 release), provision.csv line"),
            "{html}"
        );
        s.stop().await;
    }
}
