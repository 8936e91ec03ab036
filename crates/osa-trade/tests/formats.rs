//! Eurostat Comext and UN Comtrade fixtures (written from the formats' documentation, values
//! checked by hand: euro x 1.1827 / 1000 = thousand USD for 2021) screen to the same dependent
//! products, with the same import values, as the BACI fixture of the same flows.
//!
//! The flows, EU27 (France, Germany) in 2021: 850760 from China 946.16 and Korea 118.27 (HHI
//! 0.80), exports 59.135: dependent; 260400 from the USA, Canada and Brazil, 118.27 each (HHI
//! 0.33): not; 810194 from China 236.54, exports 354.81 (ratio 0.67): not; 280530 from China
//! 70.962, no exports (9999): dependent.

use osa_trade::ingest::baci;
use osa_trade::ingest::countries::CountryTable;
use osa_trade::ingest::formats::{self, Converted};
use osa_trade::rows::{Row, RowSink};
use osa_trade::screen::{Accumulator, Partition, Thresholds, screen};
use std::path::Path;

fn data(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// (product, import value, intra imports, exports, dependent) of EU members FRA and DEU.
fn screened(table: &CountryTable, rows: &[Row]) -> Vec<(u32, f64, f64, f64, bool)> {
    let member = table
        .entities()
        .iter()
        .map(|e| e.label == "FRA" || e.label == "DEU")
        .collect();
    let mut acc = Accumulator::new(&Partition { year: 2021, member });
    for r in rows {
        acc.row(r);
    }
    let s = screen(&acc, Thresholds::default(), None).unwrap();
    s.products
        .iter()
        .map(|p| {
            (
                p.product,
                p.extra_imports,
                p.intra_imports,
                p.extra_exports,
                p.dependent,
            )
        })
        .collect()
}

#[derive(Default)]
struct Collect(Vec<Row>);

impl RowSink for Collect {
    fn row(&mut self, r: &Row) {
        self.0.push(*r);
    }
}

fn baci_fixture() -> Vec<(u32, f64, f64, f64, bool)> {
    let table = CountryTable::load(&data("country_codes_formats.csv")).unwrap();
    let mut sinks = vec![Collect::default()];
    let stats = baci::scan(
        &data("baci_formats_2021.csv"),
        &table,
        &mut sinks,
        &|_| {},
        |_| Ok(()),
    )
    .unwrap();
    assert_eq!(stats.rows_rejected, 0);
    screened(&table, &sinks[0].0)
}

fn of(c: &Converted) -> Vec<(u32, f64, f64, f64, bool)> {
    screened(&c.table("converted").unwrap(), &c.rows)
}

#[test]
fn the_baci_fixture_is_what_the_comment_says() {
    let b = baci_fixture();
    let dependent: Vec<u32> = b.iter().filter(|p| p.4).map(|p| p.0).collect();
    assert_eq!(dependent, vec![280530, 850760]);
    assert_eq!(b[3], (850760, 1064.43, 35.481, 59.135, true));
}

#[test]
fn comext_screens_like_baci() {
    let rates = formats::eur_usd(formats::EUR_USD, "eur_usd.toml").unwrap();
    assert_eq!(rates[&2021], 1.1827);
    let c = formats::comext(&data("comext_formats_2021.dat"), &rates).unwrap();
    assert_eq!(of(&c), baci_fixture());
    assert_eq!(c.stats.rows_read, 14);
    assert!(
        c.notes[0].starts_with("1 lines with a product code"),
        "{:?}",
        c.notes
    );
    assert!(
        c.notes[1].starts_with("1 exports to another declarant"),
        "{:?}",
        c.notes
    );
}

#[test]
fn comtrade_screens_like_baci_with_mirror_data_noted() {
    let c = formats::comtrade(&data("comtrade_formats_2021.csv")).unwrap();
    assert_eq!(of(&c), baci_fixture());
    assert!(c.notes[0].starts_with("4 lines skipped"), "{:?}", c.notes);
    // Mirror flows: China's exports to France (France declared none), and France's and
    // Germany's exports to the USA (the USA is not a reporter of the file).
    assert!(
        c.notes[1].starts_with("3 flows declared only by the exporter"),
        "{:?}",
        c.notes
    );
}

#[test]
fn a_bad_comext_value_names_its_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.dat");
    std::fs::write(
        &p,
        "DECLARANT_ISO,PARTNER_ISO,PRODUCT_NC,FLOW,PERIOD,VALUE_IN_EUROS\nFR,CN,85076000,1,202152,12x\n",
    )
    .unwrap();
    let rates = formats::eur_usd(formats::EUR_USD, "eur_usd.toml").unwrap();
    let e = formats::comext(&p, &rates).unwrap_err().to_string();
    assert!(e.contains("bad.dat:2: field `VALUE_IN_EUROS`"), "{e}");
}
