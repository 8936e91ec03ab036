//! No printer shows a negative zero (`-0`, `-0.00`): values that round to zero print unsigned, in
//! every format. Property test over the GeoPolRisk, input-output and simulation printers, whose
//! inputs include sums of empty sets (Rust's empty f64 sum is -0.0) and tiny negative differences.

use osa_view::disrupt::{IoRow, SimulateRow, render_io, render_simulate};
use osa_view::format::{Format, unsigned_zero};
use osa_view::trade::{GprRow, GprSupplier, render_geopolrisk};
use proptest::prelude::*;

const FORMATS: [Format; 5] = [
    Format::Table,
    Format::Json,
    Format::Csv,
    Format::Md,
    Format::Html,
];

fn row(v: f64) -> GprRow {
    GprRow {
        commodity: "Nickel".into(),
        hs6: vec!["260400".into()],
        importer: "USA".into(),
        year: 2022,
        hhi: v,
        numerator: -0.0,
        total_imports: v,
        domestic_production: -0.0,
        import_risk: v,
        score: v * 1e-3,
        midpoint: Some(v),
        cf: Some(-0.0),
        missing_weight: Vec::new(),
        rows_without_quantity: 0,
        suppliers: vec![GprSupplier {
            country: "CAN".into(),
            quantity: v,
            value: -0.0,
            weight: Some(v),
        }],
        formula: "",
    }
}

/// A printed number that is zero but carries a minus sign, if any.
fn minus_zero_token(s: &str) -> Option<String> {
    s.split(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | 'e' | 'E' | '+')))
        .filter(|t| t.starts_with("-0"))
        .find(|t| t.parse::<f64>().is_ok_and(|v| v == 0.0))
        .map(str::to_string)
}

fn io_row(v: f64) -> IoRow {
    IoRow {
        sector: "agri".into(),
        output: 100.0,
        shock: -0.0,
        tiers: vec![v, -0.0, v],
        higher: v,
        total: v,
        linear_total: v,
        saturated: false,
        output_loss: v * 100.0,
        relative: v,
    }
}

fn sim_row(v: f64) -> SimulateRow {
    SimulateRow {
        id: "x".into(),
        name: "X".into(),
        kind: "material".into(),
        order: 0,
        availability: 1.0 + v,
        p5: Some(v),
        p50: Some(-0.0),
        p95: Some(v),
        unmitigated: v,
        direct_loss: -0.0,
        worst_week: Some(0),
        weekly: Some(vec![v, -0.0]),
        weekly_band: None,
    }
}

proptest! {
    #[test]
    fn io_and_simulate_never_print_minus_zero(v in -1e-7f64..0.0) {
        for f in FORMATS {
            for out in [
                render_io(&[io_row(v)], f).expect("renders"),
                render_simulate(&[sim_row(v)], f).expect("renders"),
            ] {
                prop_assert!(minus_zero_token(&out).is_none(), "format {}: {:?}", f, minus_zero_token(&out));
            }
        }
    }

    #[test]
    fn geopolrisk_never_prints_minus_zero(v in -1e-6f64..0.0) {
        for f in FORMATS {
            let out = render_geopolrisk(&[row(v)], f).expect("renders");
            prop_assert_eq!(unsigned_zero(&out), out.clone(), "format {}", f);
            prop_assert!(minus_zero_token(&out).is_none(), "format {}: {:?}", f, minus_zero_token(&out));
        }
    }
}

#[test]
fn an_empty_sum_prints_unsigned() {
    let empty: f64 = std::iter::empty::<f64>().sum();
    assert!(
        empty.is_sign_negative(),
        "Rust's empty sum is -0.0; this test guards it"
    );
    let out = render_geopolrisk(&[row(empty)], Format::Csv).expect("renders");
    assert_eq!(minus_zero_token(&out), None, "{out}");
    assert_eq!(minus_zero_token("a -0.00 b"), Some("-0.00".into()));
}
