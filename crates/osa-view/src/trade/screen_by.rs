//! The screening by group (`osa screen --by section|end-use|ecosystem`), by supplier and by
//! ecosystem input: their rows and printers.

use super::{ratio_text, value_m};
use crate::format::{self, Format, RenderError, cut, num3, pct, r6};
use serde::Serialize;

/// Totals of a group of products (one element of `osa screen --by section|end-use|ecosystem`).
#[derive(Debug, Clone, Serialize)]
pub struct GroupRow {
    /// Section numeral, end use, or ecosystem id.
    pub key: String,
    /// Its name.
    pub name: String,
    /// Products screened.
    pub n_products: usize,
    /// Dependent products.
    pub n_dependent: usize,
    /// Extra-bloc imports of its products, thousand USD.
    pub import_value: f64,
    /// Extra-bloc imports of its dependent products, thousand USD.
    pub dependent_value: f64,
    /// dependent_value / import_value.
    pub dependent_value_share: f64,
    /// China's share of dependent_value.
    pub dependent_chn_share: f64,
}

/// Renders groups.
pub fn render_groups(rows: &[GroupRow], what: &str, format: Format) -> Result<String, RenderError> {
    render_groups_signed(rows, what, format).map(|s| format::unsigned_zero(&s))
}

/// Rounds every figure to six decimals, then prints the groups as JSON, as CSV (figures in full),
/// or as a table (USD million and percent), the first column named after `what` they group by.
fn render_groups_signed(
    rows: &[GroupRow],
    what: &str,
    format: Format,
) -> Result<String, RenderError> {
    let rounded: Vec<GroupRow> = rows
        .iter()
        .map(|r| GroupRow {
            import_value: r6(r.import_value),
            dependent_value: r6(r.dependent_value),
            dependent_value_share: r6(r.dependent_value_share),
            dependent_chn_share: r6(r.dependent_chn_share),
            ..r.clone()
        })
        .collect();
    match format {
        Format::Json => format::json(&rounded),
        Format::Csv | Format::Xlsx | Format::Parquet => format::csv(
            &[
                what,
                "name",
                "n_products",
                "n_dependent",
                "import_value",
                "dependent_value",
                "dependent_value_share",
                "dependent_chn_share",
            ],
            &rounded.iter().map(group_csv_row).collect::<Vec<_>>(),
        ),
        Format::Table | Format::Md | Format::Html => Ok(format::table(
            &[
                &crate::format::words(what),
                "name",
                "products",
                "dependent",
                "imports USD m",
                "dependent USD m",
                "dependent % of value",
                "CHN % of dependent",
            ],
            &rounded.iter().map(group_table_row).collect::<Vec<_>>(),
            format == Format::Md,
        )),
    }
}

/// One group in the CSV, figures in full.
fn group_csv_row(r: &GroupRow) -> Vec<String> {
    vec![
        r.key.clone(),
        r.name.clone(),
        r.n_products.to_string(),
        r.n_dependent.to_string(),
        r.import_value.to_string(),
        r.dependent_value.to_string(),
        r.dependent_value_share.to_string(),
        r.dependent_chn_share.to_string(),
    ]
}

/// One group in the table: values in USD million, shares in percent.
fn group_table_row(r: &GroupRow) -> Vec<String> {
    vec![
        crate::format::words(&r.key),
        cut(&r.name, 40),
        r.n_products.to_string(),
        r.n_dependent.to_string(),
        value_m(r.import_value),
        value_m(r.dependent_value),
        pct(Some(r.dependent_value_share)),
        pct(Some(r.dependent_chn_share)),
    ]
}

/// A supplier of the dependent products (one element of `osa screen --by supplier`).
#[derive(Debug, Clone, Serialize)]
pub struct SupplierRow {
    /// ISO3 (or BACI pseudo-country).
    pub country: String,
    /// Name.
    pub name: String,
    /// Imports from it within the dependent products, thousand USD.
    pub value: f64,
    /// Share of the dependent products' import value.
    pub share: f64,
}

/// Renders suppliers.
pub fn render_suppliers(rows: &[SupplierRow], format: Format) -> Result<String, RenderError> {
    render_suppliers_signed(rows, format).map(|s| format::unsigned_zero(&s))
}

fn render_suppliers_signed(rows: &[SupplierRow], format: Format) -> Result<String, RenderError> {
    let rounded: Vec<SupplierRow> = rows
        .iter()
        .map(|r| SupplierRow {
            value: r6(r.value),
            share: r6(r.share),
            ..r.clone()
        })
        .collect();
    if format == Format::Html {
        let figures: Vec<crate::html::Figure> = crate::chart::import_value(&rounded)
            .map(|svg| crate::html::Figure {
                svg,
                caption: "Source: the trade file given (CEPII BACI: bilateral trade flows, value in thousand USD, shown in million USD); dependent products as the Commission's three indicators select them.".into(),
            })
            .into_iter()
            .collect();
        let csv = render_suppliers(rows, Format::Csv)?;
        return Ok(crate::html::table_page(
            "Suppliers of the dependent products",
            &csv,
            &figures,
        ));
    }
    match format {
        Format::Json => format::json(&rounded),
        Format::Csv | Format::Xlsx | Format::Parquet => format::csv(
            &["country", "name", "value", "share"],
            &rounded
                .iter()
                .map(|r| {
                    vec![
                        r.country.clone(),
                        r.name.clone(),
                        r.value.to_string(),
                        r.share.to_string(),
                    ]
                })
                .collect::<Vec<_>>(),
        ),
        Format::Table | Format::Md | Format::Html => Ok(format::table(
            &["country", "name", "dependent imports USD m", "share"],
            &rounded
                .iter()
                .map(|r| {
                    vec![
                        r.country.clone(),
                        cut(&r.name, 40),
                        value_m(r.value),
                        pct(Some(r.share)),
                    ]
                })
                .collect::<Vec<_>>(),
            format == Format::Md,
        )),
    }
}

/// An ecosystem input's HS6 code with its trade-based dependency (`osa screen --by input`).
#[derive(Debug, Clone, Serialize)]
pub struct InputRow {
    /// Ecosystem id.
    pub ecosystem: String,
    /// Input id.
    pub input: String,
    /// Input name.
    pub name: String,
    /// HS6 code as the ecosystem writes it.
    pub hs6: String,
    /// Whether the bloc imports it from outside in the year (if not, the fields below are empty).
    pub screened: bool,
    /// Indicator 1.
    pub hhi: Option<f64>,
    /// Indicator 2.
    pub extra_share: Option<f64>,
    /// Indicator 3.
    pub import_export_ratio: Option<f64>,
    /// All three pass.
    pub dependent: bool,
    /// Largest supplier.
    pub top_supplier: Option<String>,
    /// Its share.
    pub top_share: Option<f64>,
    /// China's share.
    pub chn_share: Option<f64>,
    /// Extra-bloc imports, thousand USD.
    pub import_value: Option<f64>,
}

/// Renders input annotations.
pub fn render_inputs(rows: &[InputRow], format: Format) -> Result<String, RenderError> {
    render_inputs_signed(rows, format).map(|s| format::unsigned_zero(&s))
}

/// Rounds every figure to six decimals, then prints the inputs as JSON, as CSV (figures in full),
/// or as a table saying which inputs have no extra-bloc imports.
fn render_inputs_signed(rows: &[InputRow], format: Format) -> Result<String, RenderError> {
    let rounded: Vec<InputRow> = rows.iter().map(rounded_input).collect();
    match format {
        Format::Json => format::json(&rounded),
        Format::Csv | Format::Xlsx | Format::Parquet => format::csv(
            &[
                "ecosystem",
                "input",
                "name",
                "hs6",
                "screened",
                "hhi",
                "extra_share",
                "import_export_ratio",
                "dependent",
                "top_supplier",
                "top_share",
                "chn_share",
                "import_value",
            ],
            &rounded.iter().map(input_csv_row).collect::<Vec<_>>(),
        ),
        Format::Table | Format::Md | Format::Html => Ok(format::table(
            &[
                "input",
                "name",
                "HS6",
                "HHI",
                "extra",
                "M/X",
                "dependent",
                "top",
                "top %",
                "CHN %",
                "imports USD m",
            ],
            &rounded.iter().map(input_table_row).collect::<Vec<_>>(),
            format == Format::Md,
        )),
    }
}

/// An input with its figures rounded to six decimals.
fn rounded_input(r: &InputRow) -> InputRow {
    let o = |v: Option<f64>| v.map(r6);
    InputRow {
        hhi: o(r.hhi),
        extra_share: o(r.extra_share),
        import_export_ratio: o(r.import_export_ratio),
        top_share: o(r.top_share),
        chn_share: o(r.chn_share),
        import_value: o(r.import_value),
        ..r.clone()
    }
}

/// One input in the CSV, figures in full, empty where missing.
fn input_csv_row(r: &InputRow) -> Vec<String> {
    let s = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    vec![
        r.ecosystem.clone(),
        r.input.clone(),
        r.name.clone(),
        r.hs6.clone(),
        r.screened.to_string(),
        s(r.hhi),
        s(r.extra_share),
        s(r.import_export_ratio),
        r.dependent.to_string(),
        r.top_supplier.clone().unwrap_or_default(),
        s(r.top_share),
        s(r.chn_share),
        s(r.import_value),
    ]
}

/// One input in the table.
fn input_table_row(r: &InputRow) -> Vec<String> {
    vec![
        r.input.clone(),
        cut(&r.name, 30),
        r.hs6.clone(),
        num3(r.hhi),
        pct(r.extra_share),
        r.import_export_ratio.map(ratio_text).unwrap_or_default(),
        if r.dependent {
            "yes".into()
        } else if r.screened {
            String::new()
        } else {
            "no extra-bloc imports".into()
        },
        r.top_supplier.clone().unwrap_or_default(),
        pct(r.top_share),
        pct(r.chn_share),
        r.import_value.map(value_m).unwrap_or_default(),
    ]
}
