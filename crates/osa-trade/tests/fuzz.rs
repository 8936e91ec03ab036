//! The in-suite fuzzing harness of osa-trade's parsers: BACI rows and whole BACI files (scanned in
//! parallel), the BACI country table, end-use rules, and the Parquet cache. Mutation-based from
//! valid fixtures; the properties: no panic; a scan's rows are always within the documented
//! bounds; a mutated cache gives an error or exactly the original rows, never other rows.
//!
//! Cases per target: 48 by default; `OSA_FUZZ_CASES` raises it (BENCHMARKS.md, "Fuzzing").

use osa_trade::ingest::baci;
use osa_trade::ingest::countries::CountryTable;
use osa_trade::ingest::trade::{TradeFile, ingest_with};
use osa_trade::rows::{MAX_FLOW_QUANTITY, MAX_FLOW_VALUE, Row, RowSink};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn cases() -> u32 {
    std::env::var("OSA_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

type Mutation = (u8, usize, u8, usize);

const INTERESTING: &[u8] = b"\",\n\r .-+0159eENA\xff";

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    proptest::collection::vec((0u8..5, any::<usize>(), any::<u8>(), 1usize..64), 1..6)
}

fn mutate(seed: &[u8], muts: &[Mutation]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for &(kind, pos, byte, len) in muts {
        let at = pos % b.len().max(1);
        let end = (at + len).min(b.len());
        match kind {
            0 if at < b.len() => b[at] ^= 1 << (byte % 8),
            1 => b.insert(
                at.min(b.len()),
                INTERESTING[byte as usize % INTERESTING.len()],
            ),
            2 if at < end => {
                b.drain(at..end);
            }
            3 if at < end => {
                let piece = b[at..end].to_vec();
                b.splice(at..at, piece);
            }
            4 => b.truncate(at),
            _ => {}
        }
    }
    b
}

#[derive(Default)]
struct Keep(Vec<Row>);

impl RowSink for Keep {
    fn row(&mut self, r: &Row) {
        self.0.push(*r);
    }
}

fn table() -> CountryTable {
    CountryTable::load(&data("country_codes_fixture.csv")).expect("table")
}

fn sorted(mut rows: Vec<Row>) -> Vec<Row> {
    rows.sort_by(|a, b| {
        (a.year, a.exporter, a.importer, a.product)
            .cmp(&(b.year, b.exporter, b.importer, b.product))
            .then(a.value.total_cmp(&b.value))
    });
    rows
}

fn plausible(r: &Row) -> bool {
    r.value.is_finite()
        && (0.0..=MAX_FLOW_VALUE).contains(&r.value)
        && (r.quantity.is_nan() || (0.0..=MAX_FLOW_QUANTITY).contains(&r.quantity))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn baci_rows(line in proptest::collection::vec(any::<u8>(), 0..80), muts in mutations()) {
        let t = table();
        if let Ok(r) = baci::parse_row(&line, &t) {
            prop_assert!(plausible(&r));
        }
        let seed = b"2021,251,156,854140,5000000000.5,12.25";
        if let Ok(r) = baci::parse_row(&mutate(seed, &muts), &t) {
            prop_assert!(plausible(&r));
        }
    }

    #[test]
    fn baci_files(muts in mutations(), threads in 1usize..4) {
        let dir = tempfile::tempdir().expect("tempdir");
        let seed = std::fs::read(data("screen_fixture.csv")).expect("fixture");
        let csv = dir.path().join("baci.csv");
        std::fs::write(&csv, mutate(&seed, &muts)).expect("write");
        if let Ok(f) = TradeFile::open(&csv, Some(&data("country_codes_fixture.csv"))) {
            let mut sinks: Vec<Keep> = (0..threads).map(|_| Keep::default()).collect();
            if let Ok(stats) = f.scan(&mut sinks, None, true, &|_| {}) {
                let rows: Vec<Row> = sinks.into_iter().flat_map(|s| s.0).collect();
                prop_assert!(rows.iter().all(plausible));
                prop_assert_eq!(rows.len() as u64 + stats.rows_rejected, stats.rows_read);
            }
        }
    }

    #[test]
    fn country_tables(muts in mutations()) {
        let seed = std::fs::read(data("country_codes_fixture.csv")).expect("fixture");
        let text = String::from_utf8_lossy(&mutate(&seed, &muts)).into_owned();
        if let Err(e) = CountryTable::parse(&text, "codes.csv") {
            prop_assert!(e.to_string().contains("codes.csv"), "{e}");
        }
    }

    #[test]
    fn end_use_rules(muts in mutations()) {
        let seed = osa_trade::end_use::DEFAULT_RULES;
        let text = String::from_utf8_lossy(&mutate(seed.as_bytes(), &muts)).into_owned();
        if let Err(e) = osa_trade::end_use::EndUseRules::parse(&text, "end_use.toml") {
            prop_assert!(e.to_string().contains("end_use.toml"), "{e}");
        }
    }

    #[test]
    fn parquet_caches(muts in mutations()) {
        let dir = tempfile::tempdir().expect("tempdir");
        let pq = dir.path().join("c.parquet");
        ingest_with(&data("screen_fixture.csv"), &table(), &pq, 1, 7, &|_| {}).expect("ingest");
        let read = |p: &Path| -> Option<Vec<Row>> {
            let f = TradeFile::open(p, None).ok()?;
            let mut sinks = vec![Keep::default()];
            f.scan(&mut sinks, None, true, &|_| {}).ok()?;
            Some(sorted(sinks.pop().map(|s| s.0).unwrap_or_default()))
        };
        let good = read(&pq).expect("the cache reads");
        let bytes = std::fs::read(&pq).expect("read");
        std::fs::write(&pq, mutate(&bytes, &muts)).expect("write");
        if let Some(rows) = read(&pq) {
            prop_assert!(rows.len() == good.len() && rows.iter().zip(&good).all(|(a, b)| {
                (a.year, a.exporter, a.importer, a.product, a.value.to_bits())
                    == (b.year, b.exporter, b.importer, b.product, b.value.to_bits())
            }), "a mutated cache gave other rows");
        }
    }
}
