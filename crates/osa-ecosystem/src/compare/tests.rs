//! Tests of the snapshot comparison: changes found, thresholds, and the properties (self
//! comparison, swapping old and new).

use super::*;
use osa_model::{Bloc, CountryCode, Ecosystem, Input, Provision, validate};
use proptest::prelude::*;

fn prov(provider: &str, share: f64, year: i32) -> Provision {
    Provision {
        provider: provider.into(),
        share: Some(share),
        year: Some(year),
        source: "test".into(),
        negligible: false,
    }
}

fn input(id: &str, provision: Vec<Provision>) -> Input {
    Input {
        id: id.into(),
        name: id.into(),
        provision,
        ..Input::default()
    }
}

fn checked(inputs: Vec<Input>) -> Checked {
    validate(Ecosystem {
        id: "t".into(),
        inputs,
        ..Ecosystem::default()
    })
    .expect("valid")
}

fn country(code: &str) -> Holder {
    Holder::Place(Place::Country(CountryCode::parse(code).expect("ISO3")))
}

fn watching(holders: &[&str]) -> CompareOptions {
    CompareOptions {
        holders: holders.iter().map(|h| country(h)).collect(),
        ..CompareOptions::default()
    }
}

/// (kind, holder, before value, after value) of a change.
type Summary = (&'static str, Option<String>, Option<f64>, Option<f64>);

/// The summary of each change of input `id`, values rounded to 6 decimals.
fn summary(diff: &EcosystemDiff, id: &str) -> Vec<Summary> {
    let round = |v: Option<f64>| v.map(|v| (v * 1e6).round() / 1e6);
    diff.changes()
        .filter(|c| c.input == id)
        .map(|c| {
            let holder = c.kind.holder().map(str::to_string);
            (
                c.kind.as_str(),
                holder,
                round(c.before.value),
                round(c.after.value),
            )
        })
        .collect()
}

/// ETO's integrated assembly tools in small: China 98% (2019) -> Singapore 100% (2025).
fn assembly_tools() -> (Checked, Checked) {
    let old = checked(vec![
        input("iat", vec![prov("CHN", 98.0, 2019), prov("DEU", 2.0, 2019)]),
        input("euv", vec![prov("NLD", 100.0, 2019)]),
        input("gone", vec![prov("USA", 100.0, 2019)]),
    ]);
    let new = checked(vec![
        input("euv", vec![prov("NLD", 100.0, 2025)]),
        input("iat", vec![prov("SGP", 100.0, 2025)]),
        input("fresh", vec![prov("JPN", 100.0, 2025)]),
    ]);
    (old, new)
}

#[test]
fn china_loses_integrated_assembly_tools_and_euv_is_unchanged() {
    let (old, new) = assembly_tools();
    let diff = compare(&old, &new, &watching(&["CHN"]));
    let s = |v: &str| Some(v.to_string());
    // HHI 0.98^2 + 0.02^2 = 0.9608 -> 1.0 moves 0.0392 < 0.1: no HHI change.
    assert_eq!(
        summary(&diff, "iat"),
        [
            ("top_holder", None, Some(0.98), Some(1.0)),
            ("share", s("CHN"), Some(0.98), Some(0.0)),
            ("share", s("SGP"), Some(0.0), Some(1.0)),
            ("lost_chokepoint", s("CHN"), Some(0.98), Some(0.0)),
            ("new_chokepoint", s("SGP"), Some(0.0), Some(1.0)),
        ]
    );
    let top = diff.changes().next().expect("a change");
    assert_eq!(top.before.place.map(|p| p.code().to_string()), s("CHN"));
    assert_eq!(top.after.place.map(|p| p.code().to_string()), s("SGP"));
    assert_eq!((top.before.year, top.after.year), (Some(2019), Some(2025)));
    // Provenance: both CHN and DEU rows of the old snapshot, the SGP row of the new one.
    assert_eq!(
        (top.before.rows.clone(), top.after.rows.clone()),
        (vec![0, 1], vec![0])
    );
    let euv = diff.inputs.iter().find(|c| c.id == "euv").expect("euv");
    assert!(euv.is_unchanged());
    assert_eq!(euv.before.top().map(|t| t.1), Some(1.0));
    assert_eq!(euv.after.chokepoints, ["NLD"]);
    assert_eq!((euv.before.input, euv.after.input), (1, 0));
    // Matched inputs in the new snapshot's order; added and removed by index.
    let ids: Vec<&str> = diff.inputs.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["euv", "iat"]);
    assert_eq!(
        (diff.added.clone(), diff.removed.clone()),
        (vec![2], vec![2])
    );
    assert_eq!(diff.n_changed(), 1);
    assert!(!diff.is_empty());
}

#[test]
fn thresholds_are_inclusive_and_stated() {
    // a: 40 -> 50 points (exactly 10: a change); b: 40 -> 49.9 (not one).
    let old = checked(vec![
        input("a", vec![prov("CHN", 40.0, 2020), prov("USA", 60.0, 2020)]),
        input("b", vec![prov("CHN", 40.0, 2020), prov("USA", 60.0, 2020)]),
    ]);
    let new = checked(vec![
        input("a", vec![prov("CHN", 50.0, 2021), prov("USA", 50.0, 2021)]),
        input("b", vec![prov("CHN", 49.9, 2021), prov("USA", 50.1, 2021)]),
    ]);
    let opts = CompareOptions {
        top_holders: false,
        ..watching(&["CHN"])
    };
    let diff = compare(&old, &new, &opts);
    // a: CHN 0.4 -> 0.5 also makes it a CHN chokepoint at 0.5; HHI 0.52 -> 0.5 is no change;
    // USA ties with CHN at 50% and so stays a top holder: no top-holder change.
    assert_eq!(
        summary(&diff, "a"),
        [
            ("share", Some("CHN".into()), Some(0.4), Some(0.5)),
            ("new_chokepoint", Some("CHN".into()), Some(0.4), Some(0.5)),
        ]
    );
    assert!(summary(&diff, "b").is_empty());
    assert_eq!(diff.thresholds, Thresholds::default());
    assert_eq!(diff.holders, ["CHN"]);
    // A looser HHI threshold catches a's 0.02 move.
    let loose = CompareOptions {
        thresholds: Thresholds {
            min_hhi: 0.02,
            ..Thresholds::default()
        },
        ..opts
    };
    let hhi = compare(&old, &new, &loose);
    assert_eq!(summary(&hhi, "a")[1], ("hhi", None, Some(0.52), Some(0.5)));
}

#[test]
fn bloc_share_and_coverage() {
    // EU (NLD + DEU) 30% -> 70%; USA's top place gives way to NLD. c loses its shares.
    let old = checked(vec![
        input(
            "a",
            vec![
                prov("NLD", 20.0, 2020),
                prov("DEU", 10.0, 2020),
                prov("USA", 70.0, 2020),
            ],
        ),
        input("c", vec![prov("KOR", 100.0, 2020)]),
    ]);
    let new = checked(vec![
        input(
            "a",
            vec![
                prov("NLD", 40.0, 2021),
                prov("DEU", 30.0, 2021),
                prov("USA", 30.0, 2021),
            ],
        ),
        input("c", vec![]),
    ]);
    let members = ["NLD", "DEU"].map(|c| CountryCode::parse(c).expect("ISO3"));
    let opts = CompareOptions {
        holders: vec![Holder::Bloc(Bloc::undated("EU27", "EU", &members, "test"))],
        ..CompareOptions::default()
    };
    let diff = compare(&old, &new, &opts);
    let s = |v: &str| Some(v.to_string());
    // HHI 0.04 + 0.01 + 0.49 = 0.54 -> 0.16 + 0.09 + 0.09 = 0.34.
    assert_eq!(
        summary(&diff, "a"),
        [
            ("top_holder", None, Some(0.7), Some(0.4)),
            ("share", s("EU27"), Some(0.3), Some(0.7)),
            ("share", s("NLD"), Some(0.2), Some(0.4)),
            ("share", s("USA"), Some(0.7), Some(0.3)),
            ("hhi", None, Some(0.54), Some(0.34)),
            ("new_chokepoint", s("EU27"), Some(0.3), Some(0.7)),
            ("lost_chokepoint", s("USA"), Some(0.7), Some(0.3)),
        ]
    );
    assert_eq!(summary(&diff, "c"), [("coverage", None, Some(1.0), None)]);
}

#[test]
fn chosen_years_are_read() {
    let both = vec![prov("CHN", 90.0, 2019), prov("SGP", 100.0, 2025)];
    let old = checked(vec![input("iat", both.clone())]);
    let new = checked(vec![input("iat", both)]);
    assert!(compare(&old, &new, &CompareOptions::default()).is_empty());
    let opts = CompareOptions {
        old_year: YearChoice::Exact(2019),
        ..CompareOptions::default()
    };
    let diff = compare(&old, &new, &opts);
    assert_eq!(
        diff.changes().next().map(|c| c.kind.clone()),
        Some(ChangeKind::TopHolder)
    );
    assert_eq!(diff.inputs[0].before.year(), Some(2019));
    assert_eq!(diff.inputs[0].after.year(), Some(2025));
}

#[test]
fn thresholds_outside_their_range_are_refused() {
    assert_eq!(Thresholds::default().check(), Ok(()));
    let bad = Thresholds {
        min_share_points: 150.0,
        ..Thresholds::default()
    };
    assert_eq!(bad.check(), Err(ThresholdError::MinSharePoints(150.0)));
    let nan = Thresholds {
        min_hhi: f64::NAN,
        ..Thresholds::default()
    };
    assert!(nan.check().is_err());
}

const POOL: [&str; 4] = ["CHN", "NLD", "USA", "SGP"];

/// A random snapshot: inputs a..e, each present or not, with whole-percent country shares
/// (scaled down to sum at most 100) in 2019 or 2025.
fn snapshot() -> impl Strategy<Value = Checked> {
    let one = (
        any::<bool>(),
        prop::collection::vec(0u32..=100, 4),
        any::<bool>(),
    );
    prop::collection::vec(one, 5).prop_map(|spec| {
        let inputs = spec
            .into_iter()
            .enumerate()
            .filter(|(_, (present, _, _))| *present)
            .map(|(k, (_, shares, late))| {
                let year = if late { 2025 } else { 2019 };
                let total: u32 = shares.iter().sum();
                let shares = shares
                    .iter()
                    .map(|&s| if total > 100 { s * 100 / total } else { s });
                let rows = POOL
                    .iter()
                    .zip(shares)
                    .filter(|(_, s)| *s > 0)
                    .map(|(c, s)| prov(c, f64::from(s), year))
                    .collect();
                input(&((b'a' + k as u8) as char).to_string(), rows)
            })
            .collect();
        checked(inputs)
    })
}

fn ids(checked: &Checked, idx: &[usize]) -> Vec<String> {
    idx.iter()
        .map(|&i| checked.ecosystem().inputs[i].id.clone())
        .collect()
}

proptest! {
    #[test]
    fn a_snapshot_compared_with_itself_has_no_change(
        s in snapshot(),
        points in prop_oneof![Just(0.0), 0.0f64..50.0],
        min_hhi in prop_oneof![Just(0.0), 0.0f64..0.5],
    ) {
        let opts = CompareOptions {
            thresholds: Thresholds { min_share_points: points, min_hhi, ..Thresholds::default() },
            ..watching(&["CHN"])
        };
        let diff = compare(&s, &s, &opts);
        prop_assert!(diff.is_empty());
        prop_assert_eq!(diff.inputs.len(), s.n_inputs());
    }

    #[test]
    fn swapping_old_and_new_reverses_the_diff(old in snapshot(), new in snapshot()) {
        let opts = watching(&["CHN", "USA"]);
        let forward = compare(&old, &new, &opts);
        let backward = compare(&new, &old, &opts);
        prop_assert_eq!(ids(&new, &forward.added), ids(&new, &backward.removed));
        prop_assert_eq!(ids(&old, &forward.removed), ids(&old, &backward.added));
        prop_assert_eq!(forward.inputs.len(), backward.inputs.len());
        for f in &forward.inputs {
            let b = backward.inputs.iter().find(|b| b.id == f.id);
            prop_assert!(b.is_some());
            // The same changes in the same order (watch order does not depend on the side).
            let expect: Vec<InputChange> = f.changes.iter().map(InputChange::reversed).collect();
            prop_assert_eq!(b.map(|b| b.changes.clone()).unwrap_or_default(), expect);
        }
    }
}
