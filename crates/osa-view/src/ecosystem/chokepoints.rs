//! Chokepoints (`osa chokepoints`): the row of one chokepoint, how it is built, and the printer.

use super::{FirmShare, Provenance, firm_share, provenance};
use crate::format::{self, Format, RenderError, cut, pct, r6};
use osa_ecosystem::{Chokepoint, InputMetrics};
use osa_model::Checked;
use serde::Serialize;
use std::collections::BTreeMap;

/// One chokepoint (one element of `osa chokepoints --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct ChokepointRow {
    /// Input id.
    pub id: String,
    /// Input name.
    pub name: String,
    /// The holder asked about.
    pub holder: String,
    /// The holder's share, 0-1.
    pub share: f64,
    /// Year of the shares.
    pub year: i32,
    /// Stage id.
    pub stage: Option<String>,
    /// Inputs fed downstream.
    pub reach: usize,
    /// Reach as a share of the other inputs, 0-1.
    pub reach_share: f64,
    /// Final outputs fed downstream.
    pub final_outputs_reached: usize,
    /// Country (or region) shares that make up the holder's share.
    pub parts: BTreeMap<String, f64>,
    /// The holder's firms and their shares.
    pub firms: Vec<FirmShare>,
    /// Data rows and formula.
    pub provenance: Provenance,
}

/// Formula of the chokepoint test.
pub const CHOKEPOINT_FORMULA: &str = "share = sum of the holder's country shares (members as of the year; regions within the bloc count); listed when share >= min-share; ranked by downstream reach over goes_into and is_type_of";

/// Builds the chokepoint view.
pub fn chokepoint_rows(
    checked: &Checked,
    holder: &str,
    items: &[Chokepoint],
    metrics: &[InputMetrics],
) -> Vec<ChokepointRow> {
    let eco = checked.ecosystem();
    let n = checked.n_inputs();
    items
        .iter()
        .map(|c| {
            let inp = &eco.inputs[c.input];
            let m = metrics.iter().find(|m| m.input == c.input);
            let used = m
                .and_then(|m| m.country.as_ref())
                .map(|s| s.rows.clone())
                .unwrap_or_default();
            ChokepointRow {
                id: inp.id.clone(),
                name: inp.name.clone(),
                holder: holder.to_string(),
                share: r6(c.share),
                year: c.year,
                stage: m.and_then(|m| m.stage).map(|s| eco.stages[s].id.clone()),
                reach: c.reach.nodes,
                reach_share: r6(c.reach.share(n)),
                final_outputs_reached: c.reach.final_outputs,
                parts: c
                    .parts
                    .iter()
                    .map(|(p, s)| (p.code().to_string(), r6(*s)))
                    .collect(),
                firms: c
                    .firms
                    .iter()
                    .map(|&(f, s)| firm_share(checked, f, s))
                    .collect(),
                provenance: provenance(&inp.provision, &used, CHOKEPOINT_FORMULA),
            }
        })
        .collect()
}

/// Prints the chokepoint view.
pub fn render_chokepoints(rows: &[ChokepointRow], format: Format) -> Result<String, RenderError> {
    render_chokepoints_signed(rows, format).map(|s| format::unsigned_zero(&s))
}

fn render_chokepoints_signed(
    rows: &[ChokepointRow],
    format: Format,
) -> Result<String, RenderError> {
    let header = [
        "id", "input", "holder", "share", "year", "reach", "finals", "firms",
    ];
    let cells = |r: &ChokepointRow| -> Vec<String> {
        vec![
            r.id.clone(),
            cut(&r.name, 40),
            r.holder.clone(),
            pct(Some(r.share)),
            r.year.to_string(),
            format!("{} ({})", r.reach, pct(Some(r.reach_share))),
            r.final_outputs_reached.to_string(),
            cut(
                &r.firms
                    .iter()
                    .map(|f| format!("{} {}", f.name, pct(Some(f.share))))
                    .collect::<Vec<_>>()
                    .join(", "),
                40,
            ),
        ]
    };
    match format {
        Format::Json => format::json(rows),
        Format::Csv | Format::Xlsx | Format::Parquet => format::csv(
            &[
                "id",
                "name",
                "holder",
                "share",
                "year",
                "stage",
                "reach",
                "reach_share",
                "final_outputs_reached",
            ],
            &rows
                .iter()
                .map(|r| {
                    vec![
                        r.id.clone(),
                        r.name.clone(),
                        r.holder.clone(),
                        r.share.to_string(),
                        r.year.to_string(),
                        r.stage.clone().unwrap_or_default(),
                        r.reach.to_string(),
                        r.reach_share.to_string(),
                        r.final_outputs_reached.to_string(),
                    ]
                })
                .collect::<Vec<_>>(),
        ),
        _ => Ok(format::table(
            &header,
            &rows.iter().map(cells).collect::<Vec<_>>(),
            format == Format::Md,
        )),
    }
}
