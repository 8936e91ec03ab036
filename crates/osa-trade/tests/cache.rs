//! The Parquet cache against the CSV it was made from: same rows, same screening, with row groups
//! small enough that a scan for one year skips the other year's groups and leaves `t` undecoded.

use osa_model::{Bloc, CountryCode};
use osa_trade::ingest::countries::CountryTable;
use osa_trade::ingest::trade::{Kind, TradeFile, ingest_with};
use osa_trade::rows::{Row, RowSink};
use osa_trade::screen::{Accumulator, Partition, Thresholds, screen};
use std::path::PathBuf;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

#[derive(Default)]
struct Keep(Vec<Row>);

impl RowSink for Keep {
    fn row(&mut self, r: &Row) {
        self.0.push(*r);
    }
}

fn eu() -> Bloc {
    let members: Vec<CountryCode> = ["FRA", "DEU", "GBR"]
        .iter()
        .filter_map(|c| CountryCode::parse(c))
        .collect();
    let mut b = Bloc::undated("EUX", "test", &members, "test");
    // The United Kingdom leaves on 2020-02-01, as in the built-in EU27.
    b.members[2].until = osa_model::Date::parse("2020-02-01");
    b
}

fn rows(file: &TradeFile, threads: usize, year: Option<u16>) -> (Vec<Row>, u64) {
    let mut sinks: Vec<Keep> = (0..threads).map(|_| Keep::default()).collect();
    let stats = file.scan(&mut sinks, year, true, &|_| {}).expect("scan");
    let mut all: Vec<Row> = sinks.into_iter().flat_map(|s| s.0).collect();
    all.sort_by_key(|r| (r.year, r.exporter, r.importer, r.product));
    (all, stats.rows_skipped)
}

#[test]
fn cache_round_trip_and_year_skipping() {
    let csv = data("screen_fixture.csv");
    let countries = data("country_codes_fixture.csv");
    let table = CountryTable::load(&countries).expect("table");
    let dir = tempfile::tempdir().expect("temp dir");
    let pq = dir.path().join("fixture.parquet");
    // 7 rows per group: the first group holds exactly the 7 rows of 2019.
    let stats = ingest_with(&csv, &table, &pq, 2, 7, &|_| {}).expect("ingest");
    assert_eq!((stats.rows_read, stats.rows_rejected), (25, 0));
    let from_csv = TradeFile::open(&csv, Some(&countries)).expect("csv");
    let from_pq = TradeFile::open(&pq, None).expect("cache");
    assert_eq!(from_pq.kind, Kind::Parquet);
    assert_eq!(from_pq.info.as_ref().map(|i| i.row_groups), Some(4));
    // Every row comes back, quantities included (NA and empty as NaN).
    let (a, _) = rows(&from_csv, 3, None);
    let (b, skipped) = rows(&from_pq, 3, None);
    assert_eq!(skipped, 0);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(
            (x.year, x.exporter, x.importer, x.product),
            (y.year, y.exporter, y.importer, y.product)
        );
        assert_eq!(x.value, y.value);
        assert!(x.quantity == y.quantity || (x.quantity.is_nan() && y.quantity.is_nan()));
    }
    // A scan for 2020 skips the 2019 group by its statistics.
    let (b2020, skipped) = rows(&from_pq, 2, Some(2020));
    assert_eq!(skipped, 7);
    assert!(b2020.iter().all(|r| r.year == 2020));
    assert_eq!(b2020.len(), 18);
    // And the screening is the same from both, for both years, with any number of threads.
    let entities: Vec<Option<CountryCode>> = table.entities().iter().map(|e| e.country).collect();
    for year in [2019u16, 2020] {
        let part = Partition::of_bloc(&eu(), year, &entities);
        let run = |f: &TradeFile, threads: usize| {
            let mut accs: Vec<Accumulator> =
                (0..threads).map(|_| Accumulator::new(&part)).collect();
            let stats = f.scan(&mut accs, Some(year), false, &|_| {}).expect("scan");
            let mut s = screen(
                &Accumulator::merge_all(accs).expect("acc"),
                Thresholds::default(),
                None,
            )
            .expect("screens");
            // Rows of other years are either seen and set aside, or skipped by statistics.
            s.rows_other_year += stats.rows_skipped;
            s
        };
        let s1 = run(&from_csv, 1);
        assert_eq!(s1, run(&from_pq, 2), "year {year}");
        assert_eq!(s1, run(&from_pq, 3), "year {year}");
        assert_eq!(s1, run(&from_csv, 4), "year {year}");
    }
}

/// A small cache of the fixture and the rows it gives.
fn fixture_cache(dir: &std::path::Path) -> (PathBuf, Vec<Row>) {
    let table = CountryTable::load(&data("country_codes_fixture.csv")).expect("table");
    let pq = dir.join("fixture.parquet");
    ingest_with(&data("screen_fixture.csv"), &table, &pq, 1, 7, &|_| {}).expect("ingest");
    let (rows, _) = rows(&TradeFile::open(&pq, None).expect("cache"), 1, None);
    (pq, rows)
}

/// What reading a cache gives: its rows, or the error message.
fn read(path: &std::path::Path) -> Result<Vec<Row>, String> {
    let f = TradeFile::open(path, None).map_err(|e| e.to_string())?;
    let mut sinks = vec![Keep::default()];
    f.scan(&mut sinks, None, true, &|_| {})
        .map_err(|e| e.to_string())?;
    let mut all: Vec<Row> = sinks.into_iter().flat_map(|s| s.0).collect();
    all.sort_by_key(|r| (r.year, r.exporter, r.importer, r.product));
    Ok(all)
}

fn same(a: &[Row], b: &[Row]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            (x.year, x.exporter, x.importer, x.product)
                == (y.year, y.exporter, y.importer, y.product)
                && x.value.to_bits() == y.value.to_bits()
                && x.quantity.to_bits() == y.quantity.to_bits()
        })
}

#[test]
fn flipped_bits_in_the_data_pages_are_detected() {
    // Observed: 12 of 200 single-bit flips in the data pages gave a different screening.
    let dir = tempfile::tempdir().expect("temp dir");
    let (pq, good) = fixture_cache(dir.path());
    let bytes = std::fs::read(&pq).expect("read");
    let n = bytes.len();
    let footer = u32::from_le_bytes(bytes[n - 8..n - 4].try_into().expect("4 bytes")) as usize;
    let data_end = n - 8 - footer;
    let bad = dir.path().join("bad.parquet");
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut detected = 0;
    for k in 0..200 {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let at = 4 + (x >> 33) as usize % (data_end - 4);
        let mut b = bytes.clone();
        b[at] ^= 1 << (k % 8);
        // A new name each time: a process verifies a file version (path, size, mtime) once.
        let bad = bad.with_file_name(format!("bad{k}.parquet"));
        std::fs::write(&bad, &b).expect("write");
        match read(&bad) {
            Err(e) if e.contains("the cache is corrupted") && e.contains("osa trade ingest") => {
                detected += 1
            }
            Err(e) => panic!("flip at byte {at}: unexpected message {e}"),
            Ok(rows) => assert!(same(&rows, &good), "flip at byte {at} changed the rows"),
        }
    }
    assert_eq!(detected, 200);
}

#[test]
fn flipped_bits_in_the_footer_never_panic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (pq, good) = fixture_cache(dir.path());
    let bytes = std::fs::read(&pq).expect("read");
    let n = bytes.len();
    let footer = u32::from_le_bytes(bytes[n - 8..n - 4].try_into().expect("4 bytes")) as usize;
    let bad = dir.path().join("bad.parquet");
    for at in (n - 8 - footer..n).step_by(7) {
        let mut b = bytes.clone();
        b[at] ^= 0x10;
        let bad = bad.with_file_name(format!("bad{at}.parquet"));
        std::fs::write(&bad, &b).expect("write");
        // Decoding fails, or the schema, digest or table checks refuse, or (a flip in a string
        // the scan does not use) the rows are the same.
        if let Ok(rows) = read(&bad) {
            assert!(
                same(&rows, &good),
                "footer flip at byte {at} changed the rows"
            );
        }
    }
}

#[test]
fn empty_or_foreign_files_are_not_parquet() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, content) in [
        ("empty.parquet", &b""[..]),
        ("text.parquet", b"t,i,j,k,v,q\n"),
        ("cut.parquet", b"PAR1\x00\x01"),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, content).expect("write");
        let e = TradeFile::open(&p, None).expect_err(name).to_string();
        assert!(
            e.contains("not a Parquet file") || e.contains("the cache is corrupted"),
            "{name}: {e}"
        );
        assert!(!e.contains("country table"), "{name}: {e}");
    }
    let p = dir.path().join("empty.csv");
    std::fs::write(&p, "").expect("write");
    let e = TradeFile::open(&p, None).expect_err("empty").to_string();
    assert!(e.contains("empty"), "{e}");
}
