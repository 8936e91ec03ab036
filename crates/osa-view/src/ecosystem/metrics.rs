//! Metrics per input (`osa metrics`): the row of one input, how it is built, and the printer.

use super::{FirmShare, HHI_FORMULA, Provenance, firm_share, provenance, share_map};
use crate::format::{self, Format, RenderError, cut, num3, pct, r6, r6o};
use osa_ecosystem::InputMetrics;
use osa_model::Checked;
use serde::Serialize;
use std::collections::BTreeMap;

/// Metrics of one input (one element of `osa metrics --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct MetricsRow {
    /// Input id.
    pub id: String,
    /// Input name.
    pub name: String,
    /// Input kind.
    pub kind: String,
    /// Stage id (declared or inferred).
    pub stage: Option<String>,
    /// Whether the stage was inferred from downstream inputs.
    pub stage_inferred: bool,
    /// Year of the shares.
    pub year: Option<i32>,
    /// Country HHI, 0-1.
    pub hhi: Option<f64>,
    /// Largest supplier country (or region).
    pub top_country: Option<String>,
    /// Its share, 0-1.
    pub top_share: Option<f64>,
    /// Sum of the three largest shares, 0-1.
    pub top3_share: Option<f64>,
    /// Number of supplier countries.
    pub n_suppliers: usize,
    /// Unattributed share, 0-1.
    pub unattributed: Option<f64>,
    /// Country (ISO3, or region code) to share, 0-1.
    pub shares: BTreeMap<String, f64>,
    /// Holder (EU27, CHN, USA, user blocs) to share, 0-1.
    pub bloc_shares: BTreeMap<String, f64>,
    /// Firm-level HHI, where firm shares exist.
    pub firm_hhi: Option<f64>,
    /// Firms named for the year.
    pub n_firms: usize,
    /// Largest firm.
    pub top_firm: Option<FirmShare>,
    /// `reported` (country records) or `from_firms` (summed from firm shares).
    pub basis: Option<String>,
    /// Raw share sum (0-1 scale) when it exceeded 1 and shares were scaled down.
    pub scaled_from: Option<f64>,
    /// Data rows and formula.
    pub provenance: Provenance,
}

/// Builds the metrics view.
pub fn metrics_rows(checked: &Checked, metrics: &[InputMetrics]) -> Vec<MetricsRow> {
    let eco = checked.ecosystem();
    metrics
        .iter()
        .map(|m| {
            let inp = &eco.inputs[m.input];
            let c = m.country.as_ref();
            let mut used: Vec<usize> = c.map(|c| c.rows.clone()).unwrap_or_default();
            if let Some(f) = &m.firms {
                used.extend(f.rows.iter().copied());
            }
            used.sort_unstable();
            used.dedup();
            MetricsRow {
                id: inp.id.clone(),
                name: inp.name.clone(),
                kind: inp.kind.as_str().to_string(),
                stage: m.stage.map(|s| eco.stages[s].id.clone()),
                stage_inferred: m.stage_inferred,
                year: m.year,
                hhi: r6o(m.hhi()),
                top_country: m.top().map(|t| t.0.code().to_string()),
                top_share: r6o(m.top().map(|t| t.1)),
                top3_share: r6o(m.top3()),
                n_suppliers: m.n_suppliers(),
                unattributed: r6o(c.map(|c| c.unattributed)),
                shares: share_map(c),
                bloc_shares: m
                    .holder_shares
                    .iter()
                    .filter_map(|(h, s)| s.map(|s| (h.clone(), r6(s))))
                    .collect(),
                firm_hhi: r6o(m.firm_hhi()),
                n_firms: m.firms.as_ref().map_or(0, |f| f.n_named),
                top_firm: m
                    .firms
                    .as_ref()
                    .and_then(|f| f.shares.first())
                    .map(|&(firm, s)| firm_share(checked, firm, s)),
                basis: c.map(|c| c.basis.as_str().to_string()),
                scaled_from: r6o(c.and_then(|c| c.scaled_from)),
                provenance: provenance(&inp.provision, &used, HHI_FORMULA),
            }
        })
        .collect()
}

/// Prints the metrics view. `holders` orders the holder columns of tables and CSV.
pub fn render_metrics(
    rows: &[MetricsRow],
    holders: &[String],
    format: Format,
) -> Result<String, RenderError> {
    render_metrics_signed(rows, holders, format).map(|s| format::unsigned_zero(&s))
}

/// Prints the rows as JSON, as CSV (figures in full), or as a table (in percent); both carry one
/// column per holder, in the order of `holders`.
fn render_metrics_signed(
    rows: &[MetricsRow],
    holders: &[String],
    format: Format,
) -> Result<String, RenderError> {
    match format {
        Format::Json => format::json(rows),
        Format::Csv | Format::Xlsx | Format::Parquet => {
            let mut header = vec![
                "id",
                "name",
                "kind",
                "stage",
                "year",
                "hhi",
                "top_country",
                "top_share",
                "top3_share",
                "n_suppliers",
                "unattributed",
            ];
            header.extend(holders.iter().map(String::as_str));
            header.extend(["firm_hhi", "n_firms", "top_firm", "basis"]);
            let body: Vec<Vec<String>> = rows.iter().map(|r| csv_row(r, holders)).collect();
            format::csv(&header, &body)
        }
        Format::Table | Format::Md | Format::Html => {
            let mut header = vec!["id", "input", "stage", "year", "HHI", "top", "top-3", "n"];
            header.extend(holders.iter().map(String::as_str));
            header.push("firm HHI");
            let body: Vec<Vec<String>> = rows.iter().map(|r| table_row(r, holders)).collect();
            Ok(format::table(&header, &body, format == Format::Md))
        }
    }
}

/// One input in the CSV, figures in full, empty where missing.
fn csv_row(r: &MetricsRow, holders: &[String]) -> Vec<String> {
    let opt = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let mut cells = vec![
        r.id.clone(),
        r.name.clone(),
        r.kind.clone(),
        r.stage.clone().unwrap_or_default(),
        r.year.map(|y| y.to_string()).unwrap_or_default(),
        opt(r.hhi),
        r.top_country.clone().unwrap_or_default(),
        opt(r.top_share),
        opt(r.top3_share),
        r.n_suppliers.to_string(),
        opt(r.unattributed),
    ];
    cells.extend(holders.iter().map(|h| {
        r.bloc_shares
            .get(h)
            .map(|v| v.to_string())
            .unwrap_or_default()
    }));
    cells.extend([
        opt(r.firm_hhi),
        r.n_firms.to_string(),
        r.top_firm
            .as_ref()
            .map(|f| f.name.clone())
            .unwrap_or_default(),
        r.basis.clone().unwrap_or_default(),
    ]);
    cells
}

/// One input in the table; an inferred stage in parentheses.
fn table_row(r: &MetricsRow, holders: &[String]) -> Vec<String> {
    let mut cells = vec![
        r.id.clone(),
        cut(&r.name, 38),
        r.stage
            .clone()
            .map(|s| {
                if r.stage_inferred {
                    format!("({s})")
                } else {
                    s
                }
            })
            .unwrap_or_default(),
        r.year.map(|y| y.to_string()).unwrap_or_default(),
        num3(r.hhi),
        match (&r.top_country, r.top_share) {
            (Some(c), Some(s)) => format!("{c} {}", pct(Some(s))),
            _ => String::new(),
        },
        pct(r.top3_share),
        r.n_suppliers.to_string(),
    ];
    cells.extend(holders.iter().map(|h| pct(r.bloc_shares.get(h).copied())));
    cells.push(num3(r.firm_hhi));
    cells
}
