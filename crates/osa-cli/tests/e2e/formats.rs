//! Excel and Parquet output hold what CSV holds: every table command's `--format xlsx` workbook,
//! read back with calamine, has the CSV's cells (numbers as numbers, equal to the last digit) and
//! a Sources sheet (shares carry a percentage style: `osa-view`'s xlsx module); `osa screen --format parquet` has the CSV's rows and typed columns.

use crate::util::{osa, stdout};
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use std::io::Cursor;
use std::path::Path;

/// Runs osa with `--format xlsx -o FILE` and returns the workbook's bytes.
fn xlsx(args: &[&str], dir: &Path) -> Vec<u8> {
    let file = dir.join("out.xlsx");
    let mut a: Vec<&str> = args.to_vec();
    let f = file.display().to_string();
    a.extend(["--format", "xlsx", "-o", &f]);
    osa().args(&a).assert().success();
    std::fs::read(&file).expect("workbook written")
}

/// Asserts that sheet `sheet` holds the CSV's cells; returns the number of numeric cells.
fn same_as_csv(book: &[u8], sheet: &str, csv_text: &str) -> usize {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(book.to_vec())).expect("opens");
    let names = wb.sheet_names();
    assert!(
        names.iter().any(|n| n == sheet),
        "no sheet {sheet}: {names:?}"
    );
    assert_eq!(names.last().map(String::as_str), Some("Sources"), "sheets");
    let range = wb.worksheet_range(sheet).expect("sheet");
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.expect("record").iter().map(String::from).collect())
        .collect();
    assert_eq!(range.height(), rows.len() + 1, "rows");
    // Headers in words (`import export ratio`), the CSV's field names otherwise.
    for (c, h) in header.iter().enumerate() {
        let words = osa_view::xlsx::header_in_words(h);
        assert_eq!(range.get((0, c)), Some(&Data::String(words)));
    }
    let mut numbers = 0;
    for (k, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let got = range.get((k + 1, c)).unwrap_or(&Data::Empty);
            match got {
                Data::Float(v) => {
                    numbers += 1;
                    assert_eq!(
                        *v,
                        cell.parse::<f64>().expect("a number in CSV"),
                        "{h} row {k}",
                        h = header[c]
                    );
                }
                Data::Int(v) => assert_eq!(v.to_string(), *cell),
                Data::Bool(b) => assert_eq!(b.to_string(), *cell),
                Data::String(s) => assert_eq!(s, cell),
                Data::Empty => assert!(cell.is_empty(), "{} row {k} lost {cell}", header[c]),
                other => panic!("unexpected cell {other:?}"),
            }
        }
    }
    let sources = wb.worksheet_range("Sources").expect("Sources");
    let text: Vec<String> = sources
        .rows()
        .flat_map(|r| r.iter().map(|d| d.to_string()))
        .collect();
    assert!(
        text.iter().any(|t| t.starts_with("osa ")),
        "the command is recorded: {text:?}"
    );
    numbers
}

#[test]
fn xlsx_holds_the_numbers_of_csv() {
    let dir = tempfile::tempdir().expect("temp dir");
    let io = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/three-sectors.csv");
    let io = io.display().to_string();
    let fx = |n: &str| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../osa-trade/tests/data")
            .join(n)
            .display()
            .to_string()
    };
    let (trade, countries) = (fx("screen_fixture.csv"), fx("country_codes_fixture.csv"));
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["chokepoints", "--holder", "CHN", "--min-share", "0.5"],
            "chokepoints",
        ),
        (vec!["metrics"], "metrics"),
        (vec!["metrics", "--stages"], "metrics"),
        (vec!["leverage", "--between", "EU27", "CHN"], "leverage"),
        (vec!["matrix"], "matrix"),
        (vec!["actors", "--country", "CHN"], "actors"),
        (vec!["checklist"], "checklist"),
        (vec!["assess", "6g"], "instruments"),
        (vec!["simulate", "--shock", "CHN:gallium=1.0"], "simulate"),
        (vec!["scenario", "list"], "scenario"),
        (
            vec!["iomodel", &io, "--shock", "manufacturing=0.1"],
            "iomodel",
        ),
        (
            vec![
                "screen",
                "--trade",
                &trade,
                "--countries",
                &countries,
                "--year",
                "2020",
            ],
            "screen",
        ),
        (
            vec![
                "screen",
                "--trade",
                &trade,
                "--countries",
                &countries,
                "--year",
                "2020",
                "--by",
                "supplier",
            ],
            "screen",
        ),
    ];
    for (args, sheet) in cases {
        let book = xlsx(&args, dir.path());
        let mut a = args.clone();
        a.extend(["--format", "csv"]);
        let csv_text = stdout(&a);
        let n = same_as_csv(&book, sheet, &csv_text);
        if sheet != "checklist" && sheet != "actors" && sheet != "scenario" {
            assert!(n > 0, "{args:?}: no number in the workbook");
        }
    }
}

#[test]
fn xlsx_writes_shares_as_numbers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let book = xlsx(
        &["chokepoints", "--holder", "CHN", "--min-share", "0.5"],
        dir.path(),
    );
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(book)).expect("opens");
    let range = wb.worksheet_range("chokepoints").expect("sheet");
    // gallium: China holds 98% (a number, 0.98, not the text "98.0%").
    let gallium = range
        .rows()
        .find(|r| r.first() == Some(&Data::String("gallium".into())))
        .expect("gallium row");
    assert_eq!(gallium[3], Data::Float(0.98));
    // The Sources sheet gives the formula behind the share.
    let sources = wb.worksheet_range("Sources").expect("Sources");
    let formula = sources
        .rows()
        .find(|r| r.first() == Some(&Data::String("formula".into())))
        .expect("a formula row");
    assert!(
        formula[1]
            .to_string()
            .starts_with("share = sum of the holder's country shares")
    );
}

#[test]
fn parquet_is_offered_by_screen_only() {
    // --format parquet is not offered where it would be ignored.
    osa()
        .args(["matrix", "--format", "parquet"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("possible values"));
}

#[test]
fn screen_writes_parquet_with_the_csv_rows() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let fx = |n: &str| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../osa-trade/tests/data")
            .join(n)
            .display()
            .to_string()
    };
    let (trade, countries) = (fx("screen_fixture.csv"), fx("country_codes_fixture.csv"));
    let base = [
        "screen",
        "--trade",
        &trade,
        "--countries",
        &countries,
        "--year",
        "2019",
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("screen.parquet");
    let f = file.display().to_string();
    let mut a = base.to_vec();
    a.extend(["--format", "parquet", "-o", &f]);
    osa().args(&a).assert().success();
    let mut c = base.to_vec();
    c.extend(["--format", "csv"]);
    let csv_text = stdout(&c);
    let csv_rows = csv_text.lines().count() - 1;
    let reader =
        SerializedFileReader::new(std::fs::File::open(&file).expect("file")).expect("parquet");
    let meta = reader.metadata().file_metadata();
    assert_eq!(meta.num_rows() as usize, csv_rows);
    let cols: Vec<String> = meta
        .schema_descr()
        .columns()
        .iter()
        .map(|c| format!("{}:{}", c.name(), c.physical_type()))
        .collect();
    assert!(cols.contains(&"product:BYTE_ARRAY".to_string()), "{cols:?}");
    assert!(cols.contains(&"hhi:DOUBLE".to_string()), "{cols:?}");
    assert!(cols.contains(&"dependent:BOOLEAN".to_string()), "{cols:?}");
}

#[test]
fn screen_csv_leaves_no_exports_empty_with_a_flag() {
    let fx = |n: &str| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../osa-trade/tests/data")
            .join(n)
            .display()
            .to_string()
    };
    let (trade, countries) = (fx("screen_fixture.csv"), fx("country_codes_fixture.csv"));
    let text = stdout(&[
        "screen",
        "--trade",
        &trade,
        "--countries",
        &countries,
        "--year",
        "2020",
        "--format",
        "csv",
    ]);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let col = |n: &str| h.iter().position(|x| x == n).expect(n);
    let (ratio, flag, product) = (
        col("import_export_ratio"),
        col("no_extra_exports"),
        col("product"),
    );
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    // Rare-earth metals (280530): no extra-EU exports (JSON: 9999).
    let ree = rows
        .iter()
        .find(|x| &x[product] == "280530")
        .expect("280530");
    assert_eq!(&ree[ratio], "");
    assert_eq!(&ree[flag], "true");
    assert!(!text.contains("9999"), "no 9999 in CSV");
    let other = rows
        .iter()
        .find(|x| &x[flag] == "false")
        .expect("a product with exports");
    assert!(other[ratio].parse::<f64>().is_ok());
}

#[test]
fn a_dossier_workbook_has_a_sheet_per_table() {
    let dir = tempfile::tempdir().expect("temp dir");
    let book = xlsx(&["assess", "chip-design"], dir.path());
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(book)).expect("opens");
    assert_eq!(
        wb.sheet_names(),
        [
            "instruments",
            "dimensions",
            "evidence",
            "indicators",
            "risks",
            "Sources"
        ]
    );
    // The risks sheet holds the JSON's numbers.
    let json = crate::util::json(&["assess", "chip-design", "--format", "json"]);
    let chn = json["geopolitics"]["counterparts"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["country"] == "CHN"))
        .expect("CHN");
    let risk = chn["dimensions"]["national_security"]["risk"]
        .as_f64()
        .expect("risk");
    let range = wb.worksheet_range("risks").expect("risks");
    let row = range
        .rows()
        .find(|r| {
            r.first() == Some(&Data::String("CHN".into()))
                && r.get(1) == Some(&Data::String("National security".into()))
        })
        .expect("CHN national security");
    assert_eq!(row[5], Data::Float(risk));
    // Evidence carries full citations.
    let ev = wb.worksheet_range("evidence").expect("evidence");
    assert!(ev.rows().any(|r| {
        r.get(3)
            .is_some_and(|c| c.to_string().starts_with("DPC report, Ch. 2"))
    }));
}

#[test]
fn real_data_workbooks_hold_the_numbers_of_csv() {
    let Some(d) = osa_io::shared::data_dir_or_skip("real_data_workbooks_hold_the_numbers_of_csv")
    else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let baci = d.join("baci_sample/baci_2021_exporters_AFG_ZAF_from_R-IO-PS.csv");
    let baci = baci.display().to_string();
    let cases: [(&[&str], &str); 3] = [
        (&["crm", "Gallium"], "crm"),
        (&["crm", "Germanium"], "crm"),
        (
            &[
                "screen",
                "--trade",
                &baci,
                "--importer",
                "USA",
                "--dependent",
            ],
            "screen",
        ),
    ];
    for (args, sheet) in cases {
        let book = xlsx(args, dir.path());
        let mut a = args.to_vec();
        a.extend(["--format", "csv"]);
        let n = same_as_csv(&book, sheet, &stdout(&a));
        assert!(n > 0, "{args:?}: no number");
    }
}
