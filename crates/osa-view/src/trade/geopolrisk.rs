//! GeoPolRisk (`osa geopolrisk`): the row per commodity with its suppliers, and the printer.

use crate::format::{self, Format, RenderError};
use serde::Serialize;

/// One supplier in a GeoPolRisk result.
#[derive(Debug, Clone, Serialize)]
pub struct GprSupplier {
    /// ISO3 (or BACI pseudo-country).
    pub country: String,
    /// Imports, tonnes.
    pub quantity: f64,
    /// Imports, thousand USD.
    pub value: f64,
    /// Political-instability weight g (None: counted at 0.5).
    pub weight: Option<f64>,
}

/// GeoPolRisk of one commodity (one element of `osa geopolrisk --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct GprRow {
    /// Commodity (World Mining Data name).
    pub commodity: String,
    /// HS6 codes whose imports count.
    pub hs6: Vec<String>,
    /// Importer (country or bloc).
    pub importer: String,
    /// Year.
    pub year: i32,
    /// Global production HHI.
    pub hhi: f64,
    /// Σ g_i · f_i.
    pub numerator: f64,
    /// F, tonnes.
    pub total_imports: f64,
    /// p, tonnes.
    pub domestic_production: f64,
    /// Import risk.
    pub import_risk: f64,
    /// Score = HHI · import risk.
    pub score: f64,
    /// Midpoint = score · price (with --price).
    pub midpoint: Option<f64>,
    /// CF relative to copper (with --price and --cu-midpoint).
    pub cf: Option<f64>,
    /// Suppliers without a political-stability estimate.
    pub missing_weight: Vec<String>,
    /// Import rows without a quantity (left out).
    pub rows_without_quantity: u64,
    /// Suppliers, largest first.
    pub suppliers: Vec<GprSupplier>,
    /// The formula.
    pub formula: &'static str,
}

/// The GeoPolRisk formula.
pub const GPR_FORMULA: &str = "import_risk = sum_i g_i * f_i / (p + F); score = HHI * import_risk; g_i = (2.5 - WGI political stability) / 5; midpoint = score * price; CF = midpoint / midpoint_Cu";

/// Renders GeoPolRisk rows.
pub fn render_geopolrisk(rows: &[GprRow], format: Format) -> Result<String, RenderError> {
    render_geopolrisk_signed(rows, format).map(|s| format::unsigned_zero(&s))
}

/// Prints the rows as JSON, as CSV (figures in full), or as a table followed by the formula and,
/// per commodity, the suppliers without an estimate and the rows left out.
fn render_geopolrisk_signed(rows: &[GprRow], format: Format) -> Result<String, RenderError> {
    match format {
        Format::Json => format::json(rows),
        Format::Csv | Format::Xlsx | Format::Parquet => format::csv(
            &[
                "commodity",
                "hs6",
                "importer",
                "year",
                "hhi",
                "numerator",
                "total_imports",
                "domestic_production",
                "import_risk",
                "score",
                "midpoint",
                "cf",
            ],
            &rows.iter().map(csv_row).collect::<Vec<_>>(),
        ),
        Format::Table | Format::Md | Format::Html => {
            let mut out = format::table(
                &[
                    "commodity",
                    "HS6",
                    "importer",
                    "year",
                    "HHI",
                    "Σ g·f",
                    "F (t)",
                    "p (t)",
                    "import risk",
                    "score",
                    "CF",
                ],
                &rows.iter().map(table_row).collect::<Vec<_>>(),
                format == Format::Md,
            );
            out.push_str(&format!("\n{GPR_FORMULA}\n"));
            out.push_str(&gaps(rows));
            Ok(out)
        }
    }
}

/// One commodity in the CSV, figures in full.
fn csv_row(r: &GprRow) -> Vec<String> {
    let f = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    vec![
        r.commodity.clone(),
        r.hs6.join(";"),
        r.importer.clone(),
        r.year.to_string(),
        r.hhi.to_string(),
        r.numerator.to_string(),
        r.total_imports.to_string(),
        r.domestic_production.to_string(),
        r.import_risk.to_string(),
        r.score.to_string(),
        f(r.midpoint),
        f(r.cf),
    ]
}

/// One commodity in the table.
fn table_row(r: &GprRow) -> Vec<String> {
    vec![
        r.commodity.clone(),
        r.hs6.join(" "),
        r.importer.clone(),
        r.year.to_string(),
        format!("{:.4}", r.hhi),
        format!("{:.2}", r.numerator),
        format!("{:.1}", r.total_imports),
        format!("{:.1}", r.domestic_production),
        format!("{:.6}", r.import_risk),
        format!("{:.6}", r.score),
        r.cf.map(|v| format!("{v:.4}")).unwrap_or_default(),
    ]
}

/// Per commodity: the suppliers counted without a political-stability estimate, and the import
/// rows left out for want of a quantity.
fn gaps(rows: &[GprRow]) -> String {
    let mut out = String::new();
    for r in rows {
        if !r.missing_weight.is_empty() {
            out.push_str(&format!(
                "{}: no political-stability estimate for {} (counted at g = 0.5)\n",
                r.commodity,
                r.missing_weight.join(", ")
            ));
        }
        if r.rows_without_quantity > 0 {
            out.push_str(&format!(
                "{}: {} import rows without a quantity left out\n",
                r.commodity, r.rows_without_quantity
            ));
        }
    }
    out
}
