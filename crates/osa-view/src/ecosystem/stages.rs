//! The roll-up per stage (`osa metrics --stages`): the row of one stage, how it is built, and the
//! printer.

use super::share_map;
use crate::format::{self, Format, RenderError, cut, num3, pct, r6, r6o};
use osa_ecosystem::{CountryShares, StageMetrics};
use osa_model::Checked;
use serde::Serialize;
use std::collections::BTreeMap;

/// Roll-up of one stage (`osa metrics --stages`).
#[derive(Debug, Clone, Serialize)]
pub struct StageRow {
    /// Stage id.
    pub id: String,
    /// Stage name.
    pub name: String,
    /// Year of the stage's own shares.
    pub year: Option<i32>,
    /// The stage's own country shares, 0-1 (where the source gives them).
    pub shares: BTreeMap<String, f64>,
    /// HHI of the stage's own shares.
    pub hhi: Option<f64>,
    /// Inputs in the stage (declared or inferred).
    pub n_inputs: usize,
    /// Of those, inputs with shares.
    pub n_with_shares: usize,
    /// Mean input HHI.
    pub mean_hhi: Option<f64>,
    /// Most concentrated input.
    pub max_hhi_input: Option<String>,
    /// Its HHI.
    pub max_hhi: Option<f64>,
    /// Inputs with HHI above 0.4.
    pub n_concentrated: usize,
    /// Mean holder shares across the stage's inputs.
    pub holder_mean_shares: BTreeMap<String, f64>,
}

/// Builds the stage view.
pub fn stage_rows(checked: &Checked, stages: &[StageMetrics]) -> Vec<StageRow> {
    let eco = checked.ecosystem();
    stages
        .iter()
        .map(|s| StageRow {
            id: eco.stages[s.stage].id.clone(),
            name: eco.stages[s.stage].name.clone(),
            year: s.direct.as_ref().map(|d| d.year),
            shares: share_map(s.direct.as_ref()),
            hhi: r6o(s.direct.as_ref().map(CountryShares::hhi)),
            n_inputs: s.n_inputs,
            n_with_shares: s.n_with_shares,
            mean_hhi: r6o(s.mean_hhi),
            max_hhi_input: s.max_hhi.map(|(i, _)| eco.inputs[i].id.clone()),
            max_hhi: r6o(s.max_hhi.map(|m| m.1)),
            n_concentrated: s.n_concentrated,
            holder_mean_shares: s
                .holder_mean_shares
                .iter()
                .map(|(h, v)| (h.clone(), r6(*v)))
                .collect(),
        })
        .collect()
}

/// Prints the stage view.
pub fn render_stages(rows: &[StageRow], format: Format) -> Result<String, RenderError> {
    render_stages_signed(rows, format).map(|s| format::unsigned_zero(&s))
}

fn render_stages_signed(rows: &[StageRow], format: Format) -> Result<String, RenderError> {
    let header = [
        "id",
        "stage",
        "year",
        "stage shares",
        "inputs",
        "with shares",
        "mean HHI",
        "max HHI",
        "HHI>0.4",
    ];
    let cells = |r: &StageRow| -> Vec<String> {
        let mut top: Vec<(&String, &f64)> = r.shares.iter().collect();
        top.sort_by(|a, b| b.1.total_cmp(a.1));
        vec![
            r.id.clone(),
            cut(&r.name, 30),
            r.year.map(|y| y.to_string()).unwrap_or_default(),
            top.iter()
                .take(4)
                .map(|(c, s)| format!("{c} {}", pct(Some(**s))))
                .collect::<Vec<_>>()
                .join(", "),
            r.n_inputs.to_string(),
            r.n_with_shares.to_string(),
            num3(r.mean_hhi),
            match (&r.max_hhi_input, r.max_hhi) {
                (Some(i), Some(h)) => format!("{i} {h:.3}"),
                _ => String::new(),
            },
            r.n_concentrated.to_string(),
        ]
    };
    match format {
        Format::Json => format::json(rows),
        Format::Csv | Format::Xlsx | Format::Parquet => {
            format::csv(&header, &rows.iter().map(cells).collect::<Vec<_>>())
        }
        _ => Ok(format::table(
            &header,
            &rows.iter().map(cells).collect::<Vec<_>>(),
            format == Format::Md,
        )),
    }
}
