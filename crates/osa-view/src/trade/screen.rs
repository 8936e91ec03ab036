//! Trade-based screening of products (`osa screen`): the screened product, the indicators that
//! pass their thresholds, and the printer.

use super::{ratio_text, screen_no_exports, value_m};
use crate::format::{self, Format, RenderError, cut, pct, r6};
use serde::{Deserialize, Serialize};

/// The screening formulas, shown with the results.
pub const SCREEN_FORMULA: &str = "hhi = sum_c (M_c / M_extra)^2 over suppliers c outside the bloc; extra_share = M_extra / (M_extra + M_intra); import_export_ratio = M_extra / X_extra (with no extra-bloc exports: 9999 in JSON, empty with no_extra_exports = true in CSV); dependent = hhi > T1 and extra_share > T2 and import_export_ratio > T3";

/// Which indicators pass their thresholds.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Passes {
    /// HHI above its threshold.
    pub hhi: bool,
    /// Extra-bloc share above its threshold.
    pub extra_share: bool,
    /// Import/export ratio above its threshold.
    pub import_export_ratio: bool,
}

/// A supplier's share of a product.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SupplierShare {
    /// ISO3 code (or a BACI pseudo-country such as `baci:697`).
    pub country: String,
    /// Imports from it, thousand USD.
    pub value: f64,
    /// Share of extra-bloc imports, 0-1.
    pub share: f64,
}

/// One screened product (one element of `osa screen --format json`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScreenRow {
    /// HS6 code, six digits.
    pub product: String,
    /// HS description (the heading's, marked `[heading]`, when the code is not described).
    pub description: String,
    /// HS section (Roman numeral).
    pub section: String,
    /// raw_material, intermediate, final (or empty when no rule matches).
    pub end_use: String,
    /// Indicator 1: HHI of extra-bloc imports, 0-1.
    pub hhi: f64,
    /// Indicator 2: extra-bloc share of the bloc's imports, 0-1.
    pub extra_share: f64,
    /// Indicator 3: extra-bloc imports over extra-bloc exports (9999 when exports are zero).
    pub import_export_ratio: f64,
    /// All three indicators pass.
    pub dependent: bool,
    /// Each indicator's verdict.
    pub passes: Passes,
    /// Largest supplier outside the bloc.
    pub top_supplier: String,
    /// Its share of extra-bloc imports.
    pub top_share: f64,
    /// China's share of extra-bloc imports.
    pub chn_share: f64,
    /// Extra-bloc imports (M_extra), thousand USD.
    pub import_value: f64,
    /// Intra-bloc imports (M_intra), thousand USD.
    pub intra_imports: f64,
    /// Extra-bloc exports (X_extra), thousand USD.
    pub extra_exports: f64,
    /// Number of suppliers outside the bloc.
    pub n_suppliers: usize,
    /// The five largest suppliers.
    pub suppliers: Vec<SupplierShare>,
}

/// Renders screened products.
pub fn render_screen(rows: &[ScreenRow], format: Format) -> Result<String, RenderError> {
    render_screen_signed(rows, format).map(|s| format::unsigned_zero(&s))
}

/// Rounds every figure to six decimals, then prints the products as JSON, as CSV (the ratio empty
/// and flagged where there are no extra-bloc exports), or as a table marking the indicators that
/// pass.
fn render_screen_signed(rows: &[ScreenRow], format: Format) -> Result<String, RenderError> {
    let rounded: Vec<ScreenRow> = rows.iter().map(rounded_row).collect();
    match format {
        Format::Json => format::json(&rounded),
        Format::Csv | Format::Xlsx | Format::Parquet => format::csv(
            &CSV_HEADER,
            &rounded.iter().map(csv_row).collect::<Vec<_>>(),
        ),
        Format::Table | Format::Md | Format::Html => Ok(format::table(
            &[
                "HS6",
                "description",
                "end use",
                "HHI",
                "extra",
                "M/X",
                "dependent",
                "top",
                "top %",
                "CHN %",
                "imports USD m",
            ],
            &rounded.iter().map(table_row).collect::<Vec<_>>(),
            format == Format::Md,
        )),
    }
}

/// A product with its figures and suppliers rounded to six decimals.
fn rounded_row(r: &ScreenRow) -> ScreenRow {
    ScreenRow {
        hhi: r6(r.hhi),
        extra_share: r6(r.extra_share),
        import_export_ratio: r6(r.import_export_ratio),
        top_share: r6(r.top_share),
        chn_share: r6(r.chn_share),
        import_value: r6(r.import_value),
        intra_imports: r6(r.intra_imports),
        extra_exports: r6(r.extra_exports),
        suppliers: r
            .suppliers
            .iter()
            .map(|s| SupplierShare {
                country: s.country.clone(),
                value: r6(s.value),
                share: r6(s.share),
            })
            .collect(),
        ..r.clone()
    }
}

/// The CSV columns.
const CSV_HEADER: [&str; 19] = [
    "product",
    "description",
    "section",
    "end_use",
    "hhi",
    "extra_share",
    "import_export_ratio",
    "no_extra_exports",
    "dependent",
    "hhi_pass",
    "extra_share_pass",
    "ratio_pass",
    "top_supplier",
    "top_share",
    "chn_share",
    "import_value",
    "intra_imports",
    "extra_exports",
    "n_suppliers",
];

/// One product in the CSV.
fn csv_row(r: &ScreenRow) -> Vec<String> {
    vec![
        r.product.clone(),
        r.description.clone(),
        r.section.clone(),
        r.end_use.clone(),
        r.hhi.to_string(),
        r.extra_share.to_string(),
        // No exports: an empty ratio and the flag (JSON keeps 9999).
        if r.import_export_ratio >= screen_no_exports() {
            String::new()
        } else {
            r.import_export_ratio.to_string()
        },
        (r.import_export_ratio >= screen_no_exports()).to_string(),
        r.dependent.to_string(),
        r.passes.hhi.to_string(),
        r.passes.extra_share.to_string(),
        r.passes.import_export_ratio.to_string(),
        r.top_supplier.clone(),
        r.top_share.to_string(),
        r.chn_share.to_string(),
        r.import_value.to_string(),
        r.intra_imports.to_string(),
        r.extra_exports.to_string(),
        r.n_suppliers.to_string(),
    ]
}

/// One product in the table; `*` marks an indicator past its threshold.
fn table_row(r: &ScreenRow) -> Vec<String> {
    let mark = |b: bool| if b { "*" } else { "" };
    vec![
        r.product.clone(),
        cut(&r.description, 38),
        crate::format::words(&r.end_use),
        format!("{:.3}{}", r.hhi, mark(r.passes.hhi)),
        format!("{}{}", pct(Some(r.extra_share)), mark(r.passes.extra_share)),
        format!(
            "{}{}",
            ratio_text(r.import_export_ratio),
            mark(r.passes.import_export_ratio)
        ),
        if r.dependent {
            "yes".into()
        } else {
            String::new()
        },
        r.top_supplier.clone(),
        pct(Some(r.top_share)),
        pct(Some(r.chn_share)),
        value_m(r.import_value),
    ]
}
