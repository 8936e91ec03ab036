//! Tests of validation: clean ecosystems resolve, and each kind of problem is reported with its
//! record and field.

use super::*;
use crate::country::CountryCode;
use crate::ecosystem::{Firm, Input, Provision, Stage};

fn input(id: &str, goes_into: &[&str]) -> Input {
    Input {
        id: id.into(),
        name: id.into(),
        goes_into: goes_into.iter().map(|s| s.to_string()).collect(),
        ..Input::default()
    }
}

fn prov(provider: &str, share: f64, year: i32) -> Provision {
    Provision {
        provider: provider.into(),
        share: Some(share),
        year: Some(year),
        source: "test".into(),
        negligible: false,
    }
}

fn eco(inputs: Vec<Input>) -> Ecosystem {
    Ecosystem {
        id: "t".into(),
        inputs,
        ..Ecosystem::default()
    }
}

fn messages(r: Result<Checked, Box<Rejected>>) -> Vec<(Record, &'static str, String)> {
    match r {
        Ok(_) => vec![],
        Err(r) => r
            .problems
            .into_iter()
            .map(|p| (p.record, p.field, p.message))
            .collect(),
    }
}

#[test]
fn a_clean_ecosystem_resolves() {
    let mut a = input("a", &["b"]);
    a.provision = vec![prov("NLD", 90.0, 2022), prov("asml", 100.0, 2022)];
    let mut e = eco(vec![a, input("b", &[])]);
    e.firms.push(Firm {
        id: "asml".into(),
        name: "ASML".into(),
        country: Some("NLD".into()),
        source: String::new(),
    });
    let checked = validate(e).expect("valid");
    assert_eq!(checked.goes_into(0), &[1]);
    assert_eq!(
        checked.input_providers(0),
        &[
            Provider::Country(CountryCode::parse("NLD").expect("NLD")),
            Provider::Firm(0)
        ]
    );
}

#[test]
fn share_over_100_is_rejected_naming_the_field() {
    let mut a = input("a", &[]);
    a.provision = vec![prov("NLD", 150.0, 2022)];
    let m = messages(validate(eco(vec![a])));
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].0, Record::InputProvision(0, 0));
    assert_eq!(m[0].1, "share");
    assert!(m[0].2.contains("150"), "{}", m[0].2);
}

#[test]
fn unknown_country_is_rejected() {
    let mut a = input("a", &[]);
    a.provision = vec![prov("XYZ", 10.0, 2022)];
    let m = messages(validate(eco(vec![a])));
    assert_eq!(m[0].1, "provider");
    assert!(m[0].2.contains("unknown country code `XYZ`"));
}

#[test]
fn sums_over_tolerance_are_rejected_but_rounding_is_not() {
    let mut a = input("a", &[]);
    a.provision = vec![prov("NLD", 60.0, 2022), prov("JPN", 42.0, 2022)];
    assert!(validate(eco(vec![a.clone()])).is_ok());
    // Shares of 1% or less may be rounded up: each adds a point of tolerance.
    let mut b = a.clone();
    b.provision[1].share = Some(38.0);
    for c in ["USA", "DEU", "KOR", "TWN", "SGP", "CHN"] {
        b.provision.push(prov(c, 1.0, 2022));
    }
    assert!(validate(eco(vec![b])).is_ok());
    a.provision.push(prov("USA", 2.0, 2022));
    let m = messages(validate(eco(vec![a.clone()])));
    assert_eq!(m.len(), 1);
    assert!(m[0].2.contains("sum to 104.0%"), "{}", m[0].2);
    // Different years do not add up.
    a.provision[2].year = Some(2019);
    assert!(validate(eco(vec![a])).is_ok());
}

#[test]
fn cycles_are_found_with_their_path() {
    let e = eco(vec![
        input("a", &["b"]),
        input("b", &["c"]),
        input("c", &["a"]),
    ]);
    let m = messages(validate(e));
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].0, Record::Input(2));
    assert_eq!(m[0].1, "goes_into");
    assert_eq!(m[0].2, "cycle in the value chain: a -> b -> c -> a");
}

#[test]
fn duplicates_and_unknown_references() {
    let mut e = eco(vec![input("a", &["zz"]), input("a", &[])]);
    e.inputs[0].stage = Some("nope".into());
    e.stages.push(Stage {
        id: "s".into(),
        ..Stage::default()
    });
    let m = messages(validate(e));
    let fields: Vec<&str> = m.iter().map(|x| x.1).collect();
    assert!(fields.contains(&"id"));
    assert!(fields.contains(&"stage"));
    assert!(fields.contains(&"goes_into"));
}

#[test]
fn firm_ids_cannot_be_country_codes() {
    let mut e = eco(vec![]);
    e.firms.push(Firm {
        id: "USA".into(),
        name: "x".into(),
        country: Some("ZZZ".into()),
        source: String::new(),
    });
    let m = messages(validate(e));
    assert_eq!(m.len(), 2);
}
