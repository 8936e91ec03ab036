//! Tests of the screening kernel and indicators: the three indicators by hand, growing past the
//! initial product room, bounded HHI and shares, and merged accumulators equal to one pass.

use super::*;
use proptest::prelude::*;

fn acc(member: &[bool]) -> Accumulator {
    Accumulator::new(&Partition {
        year: 2021,
        member: member.to_vec(),
    })
}

#[test]
fn three_indicators_by_hand() {
    // Entities: 0, 1 members; 2, 3 outside.
    let mut a = acc(&[true, true, false, false]);
    // Product 1: extra imports 60 from 2 and 20 from 3, intra 20, exports 40.
    a.add(2021, 2, 0, 1, 60.0);
    a.add(2021, 3, 1, 1, 20.0);
    a.add(2021, 0, 1, 1, 20.0);
    a.add(2021, 1, 2, 1, 40.0);
    // Product 2: imports 10 from 2, no exports.
    a.add(2021, 2, 0, 2, 10.0);
    // Ignored: other year, neither side, a self flow.
    a.add(2020, 2, 0, 1, 1000.0);
    a.add(2021, 2, 3, 1, 1000.0);
    a.add(2021, 0, 0, 1, 1000.0);
    let s = screen(&a, Thresholds::default(), Some(2)).unwrap();
    let p1 = &s.products[0];
    assert_eq!(p1.extra_imports, 80.0);
    assert_eq!(p1.hhi, 0.75 * 0.75 + 0.25 * 0.25);
    assert_eq!(p1.extra_share, 0.8);
    assert_eq!(p1.import_export_ratio, 2.0);
    assert!(p1.dependent);
    assert_eq!(p1.chn_share, 0.75);
    let p2 = &s.products[1];
    assert_eq!(p2.import_export_ratio, RATIO_NO_EXPORTS);
    assert_eq!(p2.hhi, 1.0);
    assert_eq!((s.rows_other_year, s.rows_self, s.rows_used), (1, 1, 5));
}

#[test]
fn more_products_than_the_initial_room() {
    let mut a = acc(&[true, false, false]);
    for k in 0..(INITIAL_CAP as u32 + 10) {
        a.add(2021, 1 + k % 2, 0, k * 7, 1.0 + k as f64);
    }
    let mut b = acc(&[true, false, false]);
    b.add(2021, 2, 0, 7 * 6005, 1000.0);
    a.merge(&b);
    let s = screen(&a, Thresholds::default(), None).unwrap();
    assert_eq!(s.products.len(), INITIAL_CAP + 10);
    let p = s
        .products
        .iter()
        .find(|p| p.product == 7 * 6005)
        .expect("product");
    // Exporter 2 (6005 is odd): 6006 from a, 1000 from b.
    assert_eq!(p.extra_imports, 7006.0);
    assert_eq!(p.suppliers.len(), 1);
}

#[test]
fn huge_values_never_give_an_hhi_above_one() {
    // Observed: several flows of 5e12 on one product gave an HHI of 2.0, two suppliers each
    // with a share of 1.0, and a clamped import value.
    let mut a = acc(&[true, false, false]);
    for _ in 0..3 {
        a.add(2021, 1, 0, 1, 5e12);
        a.add(2021, 2, 0, 1, 5e12);
    }
    match screen(&a, Thresholds::default(), None) {
        Err(e) => assert!(e.to_string().contains("duplicated or implausible"), "{e}"),
        Ok(s) => {
            let p = &s.products[0];
            assert!(p.hhi <= 1.0, "{}", p.hhi);
            assert!(p.suppliers.iter().map(|s| s.share).sum::<f64>() <= 1.0 + 1e-12);
        }
    }
    // Values at the plausible bound, many times over: still exact, or refused.
    let mut b = acc(&[true, false, false]);
    for _ in 0..1000 {
        b.add(2021, 1, 0, 1, crate::rows::MAX_FLOW_VALUE);
    }
    assert!(screen(&b, Thresholds::default(), None).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn hhi_in_unit_interval_and_shares_sum_to_at_most_one(
        flows in proptest::collection::vec(
            (0u32..6, 0u32..6, 0u32..4, prop_oneof![0.0f64..1.0, 0.0f64..=crate::rows::MAX_FLOW_VALUE], 1usize..400),
            0..40,
        ),
    ) {
        let member = [true, true, false, false, false, true];
        let mut a = acc(&member);
        for &(i, j, k, v, copies) in &flows {
            for _ in 0..copies {
                a.add(2021, i, j, k, v);
            }
        }
        // Refusing (a sum beyond the integer range) is allowed; a wrong answer is not.
        if let Ok(s) = screen(&a, Thresholds::default(), None) {
            for p in &s.products {
                prop_assert!((0.0..=1.0).contains(&p.hhi), "hhi {}", p.hhi);
                prop_assert!((0.0..=1.0).contains(&p.extra_share));
                let shares: f64 = p.suppliers.iter().map(|s| s.share).sum();
                prop_assert!(shares <= 1.0 + 1e-12, "shares {shares}");
                prop_assert!(p.suppliers.iter().all(|s| (0.0..=1.0).contains(&s.share)));
                prop_assert!(p.extra_imports.is_finite() && p.extra_imports > 0.0);
            }
        }
    }

    #[test]
    fn merge_equals_single_pass_and_hhi_is_bounded(
        flows in proptest::collection::vec((0u32..6, 0u32..6, 0u32..20, 0.0f64..1e6), 0..300),
        split in 0usize..300,
    ) {
        let member = [true, true, false, false, false, true];
        let mut one = acc(&member);
        let (mut a, mut b) = (acc(&member), acc(&member));
        for (n, &(i, j, k, v)) in flows.iter().enumerate() {
            one.add(2021, i, j, k, v);
            if n < split { a.add(2021, i, j, k, v) } else { b.add(2021, i, j, k, v) }
        }
        a.merge(&b);
        let (s1, s2) = (screen(&one, Thresholds::default(), None).unwrap(), screen(&a, Thresholds::default(), None).unwrap());
        prop_assert_eq!(s1.products.len(), s2.products.len());
        for (p, q) in s1.products.iter().zip(&s2.products) {
            prop_assert_eq!(p.product, q.product);
            prop_assert!((p.hhi - q.hhi).abs() < 1e-9);
            prop_assert!(p.hhi > 0.0 && p.hhi <= 1.0 + 1e-12);
            prop_assert!(p.extra_share > 0.0 && p.extra_share <= 1.0);
            prop_assert!(p.hhi >= 1.0 / p.suppliers.len() as f64 - 1e-12);
        }
    }
}
