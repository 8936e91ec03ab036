//! End-to-end tests of the trade commands (`osa trade`, `osa screen`, `osa crm`, `osa
//! geopolrisk`) on hand-checked fixtures (`crates/osa-trade/tests/data`) and on the real data in
//! ../shared/data (BACI sample, EU CRM tables, WGI, the GeoPolRisk peer reference).

use crate::util::{json, osa, stdout};
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A fixture of the trade crate's tests.
fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../osa-trade/tests/data")
        .join(name)
        .display()
        .to_string()
}

fn by_product<'a>(rows: &'a Value, product: &str) -> &'a Value {
    rows.as_array()
        .and_then(|a| a.iter().find(|r| r["product"] == product))
        .unwrap_or_else(|| panic!("no product {product}"))
}

fn screen_fixture(year: &str, extra: &[&str]) -> Value {
    let trade = fixture("screen_fixture.csv");
    let countries = fixture("country_codes_fixture.csv");
    let mut args = vec![
        "screen",
        "--trade",
        &trade,
        "--countries",
        &countries,
        "--importer",
        "EU27",
        "--year",
        year,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    json(&args)
}

#[test]
fn screening_by_hand_2020() {
    let rows = screen_fixture("2020", &[]);
    assert_eq!(rows.as_array().map(Vec::len), Some(4));
    // Processors: extra-EU imports CHN 600, USA 200, GBR 100 (out of the EU in 2020), Taiwan
    // (BACI 490) 100 = 1000; intra-EU DEU->FRA 50 (the 280->276 flow is Germany to itself and
    // ignored); extra-EU exports FRA->USA 300 + DEU->GBR 100 = 400.
    let ic = by_product(&rows, "854231");
    assert_eq!(ic["hhi"], 0.42); // 0.6^2 + 0.2^2 + 0.1^2 + 0.1^2
    assert_eq!(ic["extra_share"], 0.952381); // 1000 / 1050
    assert_eq!(ic["import_export_ratio"], 2.5); // 1000 / 400
    assert_eq!(ic["dependent"], true);
    assert_eq!(ic["top_supplier"], "CHN");
    assert_eq!(ic["top_share"], 0.6);
    assert_eq!(ic["chn_share"], 0.6);
    assert_eq!(ic["import_value"], 1000.0);
    assert_eq!(ic["intra_imports"], 50.0);
    assert_eq!(ic["extra_exports"], 400.0);
    assert_eq!(ic["n_suppliers"], 4);
    // GBR and Taiwan tie at 100: the country table's order decides (490 comes before 826).
    assert_eq!(ic["suppliers"][2]["country"], "TWN");
    assert_eq!(ic["suppliers"][3]["country"], "GBR");
    assert_eq!(ic["end_use"], "intermediate");
    assert_eq!(ic["section"], "XVI");
    // Rare-earth metals: no extra-EU exports, so the ratio is 9999 (defined, and passes).
    let ree = by_product(&rows, "280530");
    assert_eq!(ree["hhi"], 0.82);
    assert_eq!(ree["extra_share"], 1.0);
    assert_eq!(ree["import_export_ratio"], 9999.0);
    assert_eq!(ree["extra_exports"], 0.0);
    assert_eq!(ree["dependent"], true);
    assert_eq!(ree["chn_share"], 0.9);
    // Cars: concentrated (0.5) but the EU trades them inside and exports more than it imports.
    let cars = by_product(&rows, "870323");
    assert_eq!(cars["hhi"], 0.5);
    assert_eq!(cars["extra_share"], 0.333333); // 200 / 600
    assert_eq!(cars["import_export_ratio"], 0.4); // 200 / 500
    assert_eq!(cars["dependent"], false);
    assert_eq!(cars["passes"]["hhi"], true);
    assert_eq!(cars["passes"]["extra_share"], false);
    assert_eq!(cars["passes"]["import_export_ratio"], false);
    // A tie (USA 100, CHN 100) goes to the country table's first entity.
    assert_eq!(cars["top_supplier"], "CHN");
    // A code written without its leading zero (90111) is HS6 090111.
    let coffee = by_product(&rows, "090111");
    assert_eq!(coffee["end_use"], "raw_material");
    assert_eq!(coffee["hhi"], 1.0);
    assert_eq!(coffee["top_supplier"], "USA");
    assert_eq!(coffee["chn_share"], 0.0);
    // Nickel ores are only traded inside the EU: not screened.
    assert!(
        rows.as_array()
            .is_some_and(|a| a.iter().all(|r| r["product"] != "260400"))
    );
}

#[test]
fn membership_follows_the_year() {
    // In 2019 the United Kingdom is in the EU: its flows to and from Germany are intra-EU.
    let rows = screen_fixture("2019", &[]);
    assert_eq!(rows.as_array().map(Vec::len), Some(1));
    let ic = by_product(&rows, "854231");
    assert_eq!(ic["import_value"], 900.0); // CHN 600, USA 200, TWN 100
    assert_eq!(ic["hhi"], 0.506173); // 41/81
    assert_eq!(ic["intra_imports"], 250.0); // 50 + GBR->DEU 100 + DEU->GBR 100
    assert_eq!(ic["extra_share"], 0.782609); // 900 / 1150
    assert_eq!(ic["import_export_ratio"], 3.0); // 900 / 300
    assert_eq!(ic["n_suppliers"], 3);
}

#[test]
fn summaries_by_end_use_and_supplier() {
    let groups = screen_fixture("2020", &["--by", "end-use"]);
    let key = |k: &str| {
        groups
            .as_array()
            .and_then(|a| a.iter().find(|g| g["key"] == k))
            .cloned()
            .unwrap_or_else(|| panic!("no group {k}"))
    };
    let inter = key("intermediate"); // 854231, 280530
    assert_eq!(inter["n_products"], 2);
    assert_eq!(inter["n_dependent"], 2);
    assert_eq!(inter["dependent_value"], 1100.0);
    assert_eq!(inter["dependent_chn_share"], 0.627273); // (600 + 90) / 1100
    let fin = key("final"); // 870323
    assert_eq!(fin["n_products"], 1);
    assert_eq!(fin["n_dependent"], 0);
    let raw = key("raw_material"); // 090111, coffee not roasted
    assert_eq!(raw["n_dependent"], 1);
    assert_eq!(raw["name"], "raw materials");
    let sup = screen_fixture("2020", &["--by", "supplier"]);
    // Dependent products: 1150 of imports, 690 of it from China.
    assert_eq!(sup[0]["country"], "CHN");
    assert_eq!(sup[0]["share"], 0.6);
}

#[test]
fn ecosystem_inputs_carry_their_trade_dependency() {
    let rows = screen_fixture("2020", &["--ecosystem", "semiconductors", "--by", "input"]);
    let ic: Vec<&Value> = rows
        .as_array()
        .map(|a| a.iter().filter(|r| r["hs6"] == "854231").collect())
        .unwrap_or_default();
    assert!(!ic.is_empty());
    assert!(
        ic.iter()
            .all(|r| r["dependent"] == true && r["hhi"] == 0.42)
    );
    let eco = screen_fixture(
        "2020",
        &["--ecosystem", "semiconductors", "--by", "ecosystem"],
    );
    assert_eq!(eco[0]["key"], "semiconductors");
    assert_eq!(eco[0]["n_dependent"], 2); // 854231 and 280530
}

#[test]
fn several_years_need_a_year() {
    osa()
        .args([
            "screen",
            "--trade",
            &fixture("screen_fixture.csv"),
            "--countries",
            &fixture("country_codes_fixture.csv"),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("holds several years"));
}

#[test]
fn cache_gives_identical_results() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = dir.path().join("fixture.parquet");
    let cache = cache.display().to_string();
    osa()
        .args([
            "trade",
            "ingest",
            &fixture("screen_fixture.csv"),
            "--countries",
            &fixture("country_codes_fixture.csv"),
            "-o",
            &cache,
        ])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("read 25 rows").and(predicate::str::contains("(0 rejected)")),
        );
    for year in ["2019", "2020"] {
        let from_csv = screen_fixture(year, &[]);
        // The cache embeds the country table: no --countries needed.
        let from_cache = json(&[
            "screen",
            "--trade",
            &cache,
            "--importer",
            "EU27",
            "--year",
            year,
            "--format",
            "json",
        ]);
        assert_eq!(from_csv, from_cache, "year {year}");
    }
    osa()
        .args(["trade", "info", &cache])
        .assert()
        .success()
        .stdout(predicate::str::contains("2020: 18 rows"));
}

#[test]
fn malformed_rows_are_rejected_with_file_and_line() {
    let bad = fixture("screen_bad_rows.csv");
    osa()
        .args([
            "screen",
            "--trade",
            &bad,
            "--countries",
            &fixture("country_codes_fixture.csv"),
            "--year",
            "2020",
        ])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("read 8 rows")
                .and(predicate::str::contains("(6 rejected)"))
                .and(predicate::str::contains(format!(
                    "{bad}:3: field `row`: expected 6 fields (t,i,j,k,v,q), found 4"
                )))
                .and(predicate::str::contains(format!(
                    "{bad}:4: field `i`: unknown exporter code 999"
                )))
                .and(predicate::str::contains(format!(
                    "{bad}:5: field `k`: `8542311` is not an HS6 code"
                )))
                .and(predicate::str::contains(format!(
                    "{bad}:6: field `v`: `-5` is not a non-negative value"
                )))
                .and(predicate::str::contains(format!("{bad}:8: field `q`"))),
        );
}

#[test]
fn a_file_that_is_not_baci_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let f = dir.path().join("x.csv");
    std::fs::write(&f, "year,exporter\n2020,1\n").expect("write");
    osa()
        .args([
            "screen",
            "--trade",
            &f.display().to_string(),
            "--countries",
            &fixture("country_codes_fixture.csv"),
            "--year",
            "2020",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "x.csv:1: field `header`: expected `t,i,j,k,v,q`",
        ));
}

#[test]
fn geopolrisk_by_hand() {
    // USA imports 100 t of nickel ores from China and 100 t from Canada; production is read from a
    // hand-written table: CHN 60, CAN 30, USA 10 -> HHI 0.46; domestic production 10 t.
    let dir = tempfile::tempdir().expect("temp dir");
    let trade = dir.path().join("t.csv");
    std::fs::write(
        &trade,
        "t,i,j,k,v,q\n2022,156,842,260400,50,100\n2022,124,842,260400,70,100\n2022,156,842,260400,1,NA\n2022,156,276,260400,9,999\n",
    )
    .expect("write");
    let countries = dir.path().join("c.csv");
    std::fs::write(
        &countries,
        "country_code,country_name,country_iso2,country_iso3\n124,Canada,CA,CAN\n156,China,CN,CHN\n276,Germany,DE,DEU\n842,USA,US,USA\n",
    )
    .expect("write");
    let prod = dir.path().join("p.csv");
    std::fs::write(
        &prod,
        "commodity,country,un_m49,iso3,year,production,unit,data_source\nNickel,China,156,CHN,2022,60,metr. t,x\nNickel,Canada,124,CAN,2022,30,metr. t,x\nNickel,USA,840,USA,2022,10,metr. t,x\n",
    )
    .expect("write");
    let wgi = dir.path().join("w.csv");
    // g = (2.5 - estimate) / 5: CHN -0.5 -> 0.6, CAN 1.5 -> 0.2.
    std::fs::write(
        &wgi,
        "country,iso3,year,estimate,std_err,percentile_rank,normalized_0_1\nChina,CHN,2022,-0.5,0,0,0.6\nCanada,CAN,2022,1.5,0,0,0.2\n",
    )
    .expect("write");
    let s = |p: &PathBuf| p.display().to_string();
    let rows = json(&[
        "geopolrisk",
        "--trade",
        &s(&trade),
        "--countries",
        &s(&countries),
        "--importer",
        "USA",
        "--year",
        "2022",
        "--commodity",
        "Nickel",
        "--hs",
        "260400",
        "--production",
        &s(&prod),
        "--wgi",
        &s(&wgi),
        "--price",
        "2",
        "--cu-midpoint",
        "0.5",
        "--format",
        "json",
    ]);
    let r = &rows[0];
    let close = |v: &Value, want: f64| {
        let got = v.as_f64().expect("number");
        assert!((got - want).abs() < 1e-12, "{got} != {want}");
    };
    close(&r["hhi"], 0.46); // 0.36 + 0.09 + 0.01
    close(&r["numerator"], 80.0); // 100 * 0.6 + 100 * 0.2
    close(&r["total_imports"], 200.0); // the NA row is left out; DEU's import is not the USA's
    close(&r["domestic_production"], 10.0);
    close(&r["import_risk"], 80.0 / 210.0);
    close(&r["score"], 0.46 * 80.0 / 210.0);
    close(&r["midpoint"], 0.46 * 80.0 / 210.0 * 2.0);
    close(&r["cf"], 0.46 * 80.0 / 210.0 * 2.0 / 0.5);
    assert_eq!(r["rows_without_quantity"], 1);
}

// ---- real data ------------------------------------------------------------------------------

fn shared(test: &str) -> Option<PathBuf> {
    osa_io::shared::data_dir_or_skip(test)
}

#[test]
fn baci_sample_screens_with_its_rejected_count() {
    let Some(d) = shared("baci_sample_screens_with_its_rejected_count") else {
        return;
    };
    let trade = d
        .join("baci_sample/baci_2021_exporters_AFG_ZAF_from_R-IO-PS.csv")
        .display()
        .to_string();
    // EU27: the sample holds exports of Afghanistan and South Africa only.
    let out = osa()
        .args([
            "screen",
            "--trade",
            &trade,
            "--importer",
            "EU27",
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    // Italy is coded 380 in the sample but 381 in its table: the ISO numeric fallback keeps it.
    assert!(err.contains("read 71,192 rows"), "{err}");
    assert!(err.contains("(0 rejected)"), "{err}");
    let rows: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(rows.as_array().map(Vec::len), Some(2900));
    // 2,900 of 2,900 dependent says nothing about the EU: the file holds two exporters, a
    // fraction of a percent of 2021 world trade, and the output says so.
    assert!(
        err.contains("coverage 2021: 2 exporters and 211 importers"),
        "{err}"
    );
    assert!(
        err.contains("0.31% of the year's known world merchandise exports"),
        "{err}"
    );
    assert!(
        err.contains("warning: partial trade data (2 exporters"),
        "{err}"
    );
    let table = stdout(&["screen", "--trade", &trade, "--importer", "EU27"]);
    assert!(table.contains("warning: partial trade data"), "{table}");
    // A bloc that contains South Africa: AFG's sales to it are extra-bloc, ZAF's intra-bloc.
    let rows = json(&[
        "screen",
        "--trade",
        &trade,
        "--bloc",
        "SACU=ZAF,BWA,NAM,LSO,SWZ",
        "--importer",
        "SACU",
        "--format",
        "json",
    ]);
    assert_eq!(rows.as_array().map(Vec::len), Some(56));
    // Dried apricots (081310), checked by hand on the CSV: SACU imports 31.866 from AFG, 39.355
    // from members, and exports 3,159.534 outside.
    let apricots = by_product(&rows, "081310");
    assert_eq!(apricots["import_value"], 31.866);
    assert_eq!(apricots["hhi"], 1.0);
    assert_eq!(apricots["extra_share"], 0.447424);
    assert_eq!(apricots["import_export_ratio"], 0.010086);
    assert_eq!(apricots["dependent"], false);
    assert_eq!(apricots["top_supplier"], "AFG");
    // Descriptions come from the HS nomenclature; codes HS 2017 dropped fall back to the heading.
    assert!(
        apricots["description"]
            .as_str()
            .is_some_and(|d| d.contains("apricots"))
    );
}

#[test]
fn germanium_and_neodymium_print_why_they_do_not_reproduce_the_study() {
    let Some(_) = shared("germanium_and_neodymium_print_why") else {
        return;
    };
    let rows = json(&["crm", "Germanium", "Neodymium", "--format", "json"]);
    let row = |m: &str, st: &str| {
        rows.as_array()
            .and_then(|a| a.iter().find(|r| r["material"] == m && r["stage"] == st))
            .unwrap_or_else(|| panic!("no {m} {st}"))
            .clone()
    };
    let ge = row("Germanium", "P");
    assert_eq!(ge["sr"], 3.590725);
    assert_eq!(ge["published_sr"], 1.8);
    let gap = ge["reproduction_gap"].as_str().expect("a documented cause");
    assert!(
        gap.contains("HHI* = 1.8 / ((1 - 0.02) x 0.94) = 1.95"),
        "{gap}"
    );
    assert!(gap.contains("repeats the global-supply shares"), "{gap}");
    let nd = row("Neodymium", "E");
    assert_eq!(nd["published_sr"], 4.5);
    assert!(
        nd["published_source"]
            .as_str()
            .is_some_and(|s| s.contains("CritMAT"))
    );
    let gap = nd["reproduction_gap"].as_str().expect("a documented cause");
    assert!(
        gap.contains("= 4.59") && gap.contains("stage P gives 4.10"),
        "{gap}"
    );
    let table = stdout(&["crm", "Germanium"]);
    assert!(table.contains("not reproduced: Germanium computes 3.59 against the published 1.8"));
    // Gallium's gap (3.74 against 3.9) is explained too; magnesium reproduces within 0.1.
    let mg = json(&["crm", "Magnesium", "--format", "json"]);
    assert!(mg[0]["reproduction_gap"].is_null(), "{}", mg[0]);
}

#[test]
fn gallium_processing_supply_risk() {
    let Some(_) = shared("gallium_processing_supply_risk") else {
        return;
    };
    let rows = json(&["crm", "Gallium", "--format", "json"]);
    let p = &rows[0];
    assert_eq!(p["stage"], "P");
    assert_eq!(p["bottleneck"], true);
    assert_eq!(p["wgi_year"], 2020);
    let gs = &p["global_supply"];
    let eu = &p["eu_sourcing"];
    assert_eq!(gs["chn_share"], 0.938);
    assert_eq!(eu["chn_share"], 0.69);
    // China's term: 0.938^2 * WGI * t, WGI = 5 - 2 * mean(-0.07, 0.64, -0.47, -0.10, -0.20, -1.66)
    // = 5 - 2 * (-0.31) = 5.62 (WGI 2020) and t = 1.0: 0.879844 * 5.62 = 4.944723.
    let chn = gs["terms"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["iso3"] == "CHN"))
        .expect("China's term");
    assert_eq!(chn["wgi_scaled"], 5.62);
    assert_eq!(chn["contribution"], 4.944723);
    // Sums over the six producers (GS) and eight sources (EU), by hand from the same WGI file.
    assert_eq!(gs["hhi_wgi_t"], 4.950476);
    assert_eq!(eu["hhi_wgi_t"], 2.731638);
    // SR = (4.950476 * 0.49 + 2.731638 * 0.51) * (1 - 0) * 0.98; the 2023 study published 3.9.
    assert_eq!(p["sr"], 3.742491);
    assert_eq!(p["published_sr"], 3.9);
    // The table shows the formula and every input.
    osa().args(["crm", "Gallium"]).assert().success().stdout(
        predicate::str::contains("SR = [HHI_GS * IR/2 + HHI_EU * (1 - IR/2)]")
            .and(predicate::str::contains(
                "Gallium P global supply: HHI_WGI,t = 4.9505",
            ))
            .and(predicate::str::contains("93.8%"))
            .and(predicate::str::contains("Korea, South")),
    );
}

#[test]
fn geopolrisk_matches_the_peer_reference() {
    let Some(d) = shared("geopolrisk_matches_the_peer_reference") else {
        return;
    };
    let refdir = d.join("geopolrisk_reference");
    // The peer's 60 trade rows, rewritten in BACI's layout (in a temporary directory only).
    let text = std::fs::read_to_string(
        refdir.join("testcase_baci_trade_usa_2022_graphite_nickel_manganese.csv"),
    )
    .expect("reference trade");
    let mut csv = String::from("t,i,j,k,v,q\n");
    let mut taiwan_tonnes = 0.0;
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let k = f[4].split(';').next().expect("code");
        csv.push_str(&format!(
            "{},{},{},{},{},{}\n",
            f[0], f[1], f[2], k, f[5], f[6]
        ));
        if f[1] == "490" {
            taiwan_tonnes += f[6].parse::<f64>().expect("q");
        }
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let trade = dir.path().join("usa_2022.csv");
    std::fs::write(&trade, csv).expect("write");
    let countries = d.join("baci_sample/baci_country_codes_V202201.csv");
    let rows = json(&[
        "geopolrisk",
        "--trade",
        &trade.display().to_string(),
        "--countries",
        &countries.display().to_string(),
        "--importer",
        "USA",
        "--year",
        "2022",
        "--commodity",
        "Nickel",
        "--commodity",
        "Manganese",
        "--commodity",
        "Graphite",
        "--format",
        "json",
    ]);
    let results = std::fs::read_to_string(refdir.join("testcase_geopolrisk_results_usa_2022.csv"))
        .expect("reference results");
    let rel = |a: f64, b: f64| (a - b).abs() / b.abs().max(1e-300);
    // Taiwan (BACI 490) has weight 0 in the peer, which cannot map "Other Asia, nes"; osa maps it
    // to TWN (WGI political stability 2022: 0.7541621327400208 -> g = 0.34916757...).
    let g_twn = (2.5 - 0.7541621327400208) / 5.0;
    for line in results.lines().skip(1) {
        let f: Vec<f64> = line
            .split(',')
            .map(|x| x.parse().unwrap_or(f64::NAN))
            .collect();
        let name = line.split(',').next().expect("name");
        let r = rows
            .as_array()
            .and_then(|a| a.iter().find(|r| r["commodity"] == name))
            .unwrap_or_else(|| panic!("no {name}"));
        let (hhi, prod, num, total, risk) = (f[5], f[6], f[7], f[8], f[9]);
        let got = |k: &str| r[k].as_f64().expect(k);
        assert!(
            rel(got("hhi"), hhi) < 1e-12,
            "{name} hhi {} vs {hhi}",
            got("hhi")
        );
        assert_eq!(got("domestic_production"), prod, "{name} production");
        assert!(rel(got("total_imports"), total) < 1e-12, "{name} F");
        let extra = if name == "Graphite" {
            taiwan_tonnes * g_twn
        } else {
            0.0
        };
        assert!(
            rel(got("numerator"), num + extra) < 1e-12,
            "{name} numerator {} vs {}",
            got("numerator"),
            num + extra
        );
        let want_risk = (num + extra) / (total + prod);
        assert!(
            rel(got("import_risk"), want_risk) < 1e-12,
            "{name} import risk"
        );
        assert!(rel(got("score"), hhi * want_risk) < 1e-12, "{name} score");
        if extra == 0.0 {
            // Nickel and manganese match the peer's import risk and score exactly.
            assert!(
                rel(got("import_risk"), risk) < 1e-12,
                "{name} peer import risk"
            );
            assert!(rel(got("score"), f[10]) < 1e-12, "{name} peer score");
        } else {
            // Graphite: 0.495 t from Taiwan move the import risk by less than 4e-6 (relative).
            assert!(
                rel(got("import_risk"), risk) < 4e-6,
                "{name} peer import risk"
            );
        }
    }
    // CF relative to copper: copper's midpoint follows from the peer's nickel row (midpoint / CF);
    // manganese's CF then follows from its score and price.
    let nickel: Vec<f64> = results
        .lines()
        .nth(1)
        .expect("nickel")
        .split(',')
        .map(|x| x.parse().unwrap_or(f64::NAN))
        .collect();
    let cu_midpoint = nickel[12] / nickel[13];
    let mn: Vec<f64> = results
        .lines()
        .nth(2)
        .expect("manganese")
        .split(',')
        .map(|x| x.parse().unwrap_or(f64::NAN))
        .collect();
    let rows = json(&[
        "geopolrisk",
        "--trade",
        &trade.display().to_string(),
        "--countries",
        &countries.display().to_string(),
        "--importer",
        "USA",
        "--year",
        "2022",
        "--commodity",
        "Manganese",
        "--price",
        &mn[11].to_string(),
        "--cu-midpoint",
        &cu_midpoint.to_string(),
        "--format",
        "json",
    ]);
    let cf = rows[0]["cf"].as_f64().expect("cf");
    assert!(rel(cf, mn[13]) < 1e-9, "CF {cf} vs {}", mn[13]);
}
