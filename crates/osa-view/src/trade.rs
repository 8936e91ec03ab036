//! Views and printers for trade-based screening (`osa screen`), critical raw materials supply risk
//! (`osa crm`) and GeoPolRisk (`osa geopolrisk`). The views are plain serializable rows that the
//! CLI fills from osa-trade's results; JSON fields are documented in docs/trade.md.

use crate::format::{self, Format, RenderError, cut, num3, pct, r6};
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

fn value_m(v: f64) -> String {
    format!("{:.1}", v / 1000.0)
}

/// The ratio that stands for "no extra-bloc exports" in JSON (CEPII GeoDep's 9999).
fn screen_no_exports() -> f64 {
    9999.0
}

fn ratio_text(r: f64) -> String {
    if r >= screen_no_exports() {
        "no exports".into()
    } else {
        format!("{r:.2}")
    }
}

/// Renders screened products.
pub fn render_screen(rows: &[ScreenRow], format: Format) -> Result<String, RenderError> {
    render_screen_signed(rows, format).map(|s| format::unsigned_zero(&s))
}

fn render_screen_signed(rows: &[ScreenRow], format: Format) -> Result<String, RenderError> {
    let rounded: Vec<ScreenRow> = rows
        .iter()
        .map(|r| ScreenRow {
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
        })
        .collect();
    match format {
        Format::Json => format::json(&rounded),
        Format::Csv | Format::Xlsx | Format::Parquet => format::csv(
            &[
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
            ],
            &rounded
                .iter()
                .map(|r| {
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
                })
                .collect::<Vec<_>>(),
        ),
        Format::Table | Format::Md | Format::Html => {
            let mark = |b: bool| if b { "*" } else { "" };
            let body: Vec<Vec<String>> = rounded
                .iter()
                .map(|r| {
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
                })
                .collect();
            Ok(format::table(
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
                &body,
                format == Format::Md,
            ))
        }
    }
}

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
    let header = [
        what,
        "name",
        "n_products",
        "n_dependent",
        "import_value",
        "dependent_value",
        "dependent_value_share",
        "dependent_chn_share",
    ];
    let cells = |r: &GroupRow, table: bool| {
        vec![
            if table {
                crate::format::words(&r.key)
            } else {
                r.key.clone()
            },
            if table {
                cut(&r.name, 40)
            } else {
                r.name.clone()
            },
            r.n_products.to_string(),
            r.n_dependent.to_string(),
            if table {
                value_m(r.import_value)
            } else {
                r.import_value.to_string()
            },
            if table {
                value_m(r.dependent_value)
            } else {
                r.dependent_value.to_string()
            },
            if table {
                pct(Some(r.dependent_value_share))
            } else {
                r.dependent_value_share.to_string()
            },
            if table {
                pct(Some(r.dependent_chn_share))
            } else {
                r.dependent_chn_share.to_string()
            },
        ]
    };
    match format {
        Format::Json => format::json(&rounded),
        Format::Csv | Format::Xlsx | Format::Parquet => format::csv(
            &header,
            &rounded.iter().map(|r| cells(r, false)).collect::<Vec<_>>(),
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
            &rounded.iter().map(|r| cells(r, true)).collect::<Vec<_>>(),
            format == Format::Md,
        )),
    }
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

fn render_inputs_signed(rows: &[InputRow], format: Format) -> Result<String, RenderError> {
    let o = |v: Option<f64>| v.map(r6);
    let rounded: Vec<InputRow> = rows
        .iter()
        .map(|r| InputRow {
            hhi: o(r.hhi),
            extra_share: o(r.extra_share),
            import_export_ratio: o(r.import_export_ratio),
            top_share: o(r.top_share),
            chn_share: o(r.chn_share),
            import_value: o(r.import_value),
            ..r.clone()
        })
        .collect();
    let s = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
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
            &rounded
                .iter()
                .map(|r| {
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
                })
                .collect::<Vec<_>>(),
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
            &rounded
                .iter()
                .map(|r| {
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
                })
                .collect::<Vec<_>>(),
            format == Format::Md,
        )),
    }
}

/// One term of a governance-weighted HHI.
#[derive(Debug, Clone, Serialize)]
pub struct CrmTerm {
    /// The country as the table writes it.
    pub country: String,
    /// ISO3, when it resolves.
    pub iso3: Option<String>,
    /// Share as written.
    pub share_text: String,
    /// Share, 0-1.
    pub share: f64,
    /// Mean of the six WGI estimates (None: counted at the midpoint).
    pub wgi_mean: Option<f64>,
    /// WGI on the 0-10 scale.
    pub wgi_scaled: f64,
    /// Trade variable t.
    pub t: f64,
    /// share² · wgi_scaled · t.
    pub contribution: f64,
}

/// One side (global supply or EU sourcing) of a stage.
#[derive(Debug, Clone, Serialize)]
pub struct CrmSide {
    /// HHI_WGI,t.
    pub hhi_wgi_t: f64,
    /// China's share, 0-1.
    pub chn_share: f64,
    /// Sum of the shares as the table gives them.
    pub share_sum: f64,
    /// Countries without WGI estimates.
    pub missing_wgi: Vec<String>,
    /// The terms (with `--detail`, or for one material).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<CrmTerm>,
}

/// Supply risk of one material at one stage (one element of `osa crm --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct CrmRow {
    /// Material.
    pub material: String,
    /// E or P.
    pub stage: String,
    /// Whether this stage is the material's bottleneck.
    pub bottleneck: bool,
    /// Supply risk.
    pub sr: Option<f64>,
    /// gs_and_eu, gs_only, eu_only.
    pub variant: Option<String>,
    /// Global supply side.
    pub global_supply: Option<CrmSide>,
    /// EU sourcing side.
    pub eu_sourcing: Option<CrmSide>,
    /// Import reliance used.
    pub import_reliance: Option<f64>,
    /// End-of-life recycling input rate.
    pub eol_rir: f64,
    /// Substitution index (SR).
    pub substitution_index: f64,
    /// What is missing when sr is null.
    pub missing: Vec<String>,
    /// The study's published SR for the material (its bottleneck stage).
    pub published_sr: Option<f64>,
    /// The stage the study assessed.
    pub published_stage: Option<String>,
    /// Where the published SR comes from.
    pub published_source: Option<String>,
    /// Why the computed SR does not reproduce the published one (null when they agree within
    /// 0.1, or when there is nothing to compare).
    pub reproduction_gap: Option<String>,
    /// WGI year used.
    pub wgi_year: i32,
    /// The formula.
    pub formula: &'static str,
    /// Sources: tables, WGI, parameters.
    pub sources: Vec<String>,
}

/// The CRM formula, shown with the results.
pub const CRM_FORMULA: &str = "SR = [HHI_GS * IR/2 + HHI_EU * (1 - IR/2)] * (1 - EoL_RIR) * SI_SR (one side alone when the other has no data); HHI = sum_c S_c^2 * WGI_c * t_c; WGI_c = 5 - 2 * mean of the six WGI estimates";

/// Renders CRM rows; `detail` adds the terms of each HHI to the table.
pub fn render_crm(rows: &[CrmRow], detail: bool, format: Format) -> Result<String, RenderError> {
    render_crm_signed(rows, detail, format).map(|s| format::unsigned_zero(&s))
}

fn render_crm_signed(rows: &[CrmRow], detail: bool, format: Format) -> Result<String, RenderError> {
    let o = |v: Option<f64>| v.map(r6);
    let side = |s: &Option<CrmSide>| {
        s.as_ref().map(|s| CrmSide {
            hhi_wgi_t: r6(s.hhi_wgi_t),
            chn_share: r6(s.chn_share),
            share_sum: r6(s.share_sum),
            missing_wgi: s.missing_wgi.clone(),
            terms: s
                .terms
                .iter()
                .map(|t| CrmTerm {
                    share: r6(t.share),
                    wgi_mean: o(t.wgi_mean),
                    wgi_scaled: r6(t.wgi_scaled),
                    contribution: r6(t.contribution),
                    ..t.clone()
                })
                .collect(),
        })
    };
    let rounded: Vec<CrmRow> = rows
        .iter()
        .map(|r| CrmRow {
            sr: o(r.sr),
            global_supply: side(&r.global_supply),
            eu_sourcing: side(&r.eu_sourcing),
            ..r.clone()
        })
        .collect();
    match format {
        Format::Json => format::json(&rounded),
        Format::Csv | Format::Xlsx | Format::Parquet => format::csv(
            &[
                "material",
                "stage",
                "bottleneck",
                "sr",
                "variant",
                "hhi_gs",
                "chn_share_gs",
                "hhi_eu",
                "chn_share_eu",
                "import_reliance",
                "eol_rir",
                "substitution_index",
                "published_sr",
                "missing",
            ],
            &rounded
                .iter()
                .map(|r| {
                    let f = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
                    vec![
                        r.material.clone(),
                        r.stage.clone(),
                        r.bottleneck.to_string(),
                        f(r.sr),
                        r.variant.clone().unwrap_or_default(),
                        f(r.global_supply.as_ref().map(|s| s.hhi_wgi_t)),
                        f(r.global_supply.as_ref().map(|s| s.chn_share)),
                        f(r.eu_sourcing.as_ref().map(|s| s.hhi_wgi_t)),
                        f(r.eu_sourcing.as_ref().map(|s| s.chn_share)),
                        f(r.import_reliance),
                        r.eol_rir.to_string(),
                        r.substitution_index.to_string(),
                        f(r.published_sr),
                        r.missing.join("; "),
                    ]
                })
                .collect::<Vec<_>>(),
        ),
        Format::Table | Format::Md | Format::Html => {
            let md = format == Format::Md;
            let body: Vec<Vec<String>> = rounded
                .iter()
                .map(|r| {
                    vec![
                        r.material.clone(),
                        format!("{}{}", r.stage, if r.bottleneck { " *" } else { "" }),
                        r.sr.map(|v| format!("{v:.2}"))
                            .unwrap_or_else(|| "-".into()),
                        r.published_sr
                            .map(|v| format!("{v:.1}"))
                            .unwrap_or_default(),
                        num3(r.global_supply.as_ref().map(|s| s.hhi_wgi_t)),
                        pct(r.global_supply.as_ref().map(|s| s.chn_share)),
                        num3(r.eu_sourcing.as_ref().map(|s| s.hhi_wgi_t)),
                        pct(r.eu_sourcing.as_ref().map(|s| s.chn_share)),
                        r.import_reliance
                            .map(|v| format!("{v:.2}"))
                            .unwrap_or_default(),
                        format!("{:.2}", r.eol_rir),
                        format!("{:.2}", r.substitution_index),
                        r.missing.join("; "),
                    ]
                })
                .collect();
            let mut out = format::table(
                &[
                    "material",
                    "stage",
                    "SR",
                    "published",
                    "HHI_GS",
                    "CHN GS",
                    "HHI_EU",
                    "CHN EU",
                    "IR",
                    "EoL-RIR",
                    "SI",
                    "missing",
                ],
                &body,
                md,
            );
            out.push_str(&format!(
                "\n{CRM_FORMULA}\n* = bottleneck stage (the reported SR); WGI year {}\n",
                rows.first().map_or(0, |r| r.wgi_year)
            ));
            for r in rows.iter().filter(|r| r.bottleneck) {
                if let Some(g) = &r.reproduction_gap {
                    out.push_str(&format!("not reproduced: {g}\n"));
                }
            }
            if detail {
                for r in &rounded {
                    for (name, s) in [
                        ("global supply", &r.global_supply),
                        ("EU sourcing", &r.eu_sourcing),
                    ] {
                        let Some(s) = s else { continue };
                        out.push_str(&format!(
                            "\n{} {} {}: HHI_WGI,t = {:.4} (shares sum to {:.1}%)\n",
                            r.material,
                            r.stage,
                            name,
                            s.hhi_wgi_t,
                            s.share_sum * 100.0
                        ));
                        let terms: Vec<Vec<String>> = s
                            .terms
                            .iter()
                            .map(|t| {
                                vec![
                                    t.country.clone(),
                                    t.iso3.clone().unwrap_or_else(|| "?".into()),
                                    t.share_text.clone(),
                                    t.wgi_mean
                                        .map(|v| format!("{v:.3}"))
                                        .unwrap_or_else(|| "none (5)".into()),
                                    format!("{:.3}", t.wgi_scaled),
                                    format!("{}", t.t),
                                    format!("{:.4}", t.contribution),
                                ]
                            })
                            .collect();
                        out.push_str(&format::table(
                            &[
                                "country",
                                "ISO3",
                                "share",
                                "WGI mean",
                                "WGI 0-10",
                                "t",
                                "S²·WGI·t",
                            ],
                            &terms,
                            md,
                        ));
                    }
                    out.push_str(&format!("sources: {}\n", r.sources.join("; ")));
                }
            }
            Ok(out)
        }
    }
}

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
            &rows
                .iter()
                .map(|r| {
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
                })
                .collect::<Vec<_>>(),
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
                &rows
                    .iter()
                    .map(|r| {
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
                    })
                    .collect::<Vec<_>>(),
                format == Format::Md,
            );
            out.push_str(&format!("\n{GPR_FORMULA}\n"));
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
            Ok(out)
        }
    }
}
