//! Critical raw materials supply risk (`osa crm`): the governance-weighted HHI terms, the two
//! sides of a stage, the row per material and stage, and the printer.

use crate::format::{self, Format, RenderError, num3, pct, r6};
use serde::Serialize;

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

/// Rounds every figure to six decimals, then prints the rows as JSON, as CSV, or as a table
/// followed by the formula, the published SRs not reproduced and, with `detail`, the terms of each
/// HHI.
fn render_crm_signed(rows: &[CrmRow], detail: bool, format: Format) -> Result<String, RenderError> {
    let rounded: Vec<CrmRow> = rows.iter().map(rounded_row).collect();
    match format {
        Format::Json => format::json(&rounded),
        Format::Csv | Format::Xlsx | Format::Parquet => format::csv(
            &CSV_HEADER,
            &rounded.iter().map(csv_row).collect::<Vec<_>>(),
        ),
        Format::Table | Format::Md | Format::Html => {
            let md = format == Format::Md;
            let mut out = table(&rounded, md);
            out.push_str(&legend(rows));
            if detail {
                for r in &rounded {
                    out.push_str(&terms_detail(r, md));
                }
            }
            Ok(out)
        }
    }
}

/// A row with its figures rounded to six decimals.
fn rounded_row(r: &CrmRow) -> CrmRow {
    CrmRow {
        sr: r.sr.map(r6),
        global_supply: r.global_supply.as_ref().map(rounded_side),
        eu_sourcing: r.eu_sourcing.as_ref().map(rounded_side),
        ..r.clone()
    }
}

/// A side with its figures and terms rounded to six decimals.
fn rounded_side(s: &CrmSide) -> CrmSide {
    CrmSide {
        hhi_wgi_t: r6(s.hhi_wgi_t),
        chn_share: r6(s.chn_share),
        share_sum: r6(s.share_sum),
        missing_wgi: s.missing_wgi.clone(),
        terms: s
            .terms
            .iter()
            .map(|t| CrmTerm {
                share: r6(t.share),
                wgi_mean: t.wgi_mean.map(r6),
                wgi_scaled: r6(t.wgi_scaled),
                contribution: r6(t.contribution),
                ..t.clone()
            })
            .collect(),
    }
}

/// The CSV columns.
const CSV_HEADER: [&str; 14] = [
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
];

/// One row of the CSV: figures in full, empty where missing.
fn csv_row(r: &CrmRow) -> Vec<String> {
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
}

/// The table of supply risks, one line per material and stage (the bottleneck starred).
fn table(rows: &[CrmRow], md: bool) -> String {
    let body: Vec<Vec<String>> = rows.iter().map(table_row).collect();
    format::table(
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
    )
}

/// One line of the table.
fn table_row(r: &CrmRow) -> Vec<String> {
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
}

/// Under the table: the formula, the WGI year, and why a bottleneck's published SR is not
/// reproduced.
fn legend(rows: &[CrmRow]) -> String {
    let mut out = format!(
        "\n{CRM_FORMULA}\n* = bottleneck stage (the reported SR); WGI year {}\n",
        rows.first().map_or(0, |r| r.wgi_year)
    );
    for r in rows.iter().filter(|r| r.bottleneck) {
        if let Some(g) = &r.reproduction_gap {
            out.push_str(&format!("not reproduced: {g}\n"));
        }
    }
    out
}

/// With `detail`: the terms of each side's HHI for one row, then its sources.
fn terms_detail(r: &CrmRow, md: bool) -> String {
    let mut out = String::new();
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
        let terms: Vec<Vec<String>> = s.terms.iter().map(term_row).collect();
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
    out
}

/// One term of an HHI in the detail table.
fn term_row(t: &CrmTerm) -> Vec<String> {
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
}
