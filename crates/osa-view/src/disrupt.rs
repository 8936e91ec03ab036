//! Views and printers for disruption analysis: the inputs a scenario reaches (order,
//! availability, percentiles, weekly profile), two scenarios side by side, the input-output tier
//! decomposition, and the list of scenarios. JSON fields are documented in docs/scenarios.md.
//!
//! The command line fills these rows from `osa-disrupt` results; this module only prints them.

use crate::format::{self, Format, RenderError, cut, r6};
use serde::{Deserialize, Serialize};

/// One input a disruption reaches (one element of `osa simulate --format json`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SimulateRow {
    /// Input id.
    pub id: String,
    /// Input name.
    pub name: String,
    /// Input kind.
    pub kind: String,
    /// Order: 0 for inputs hit directly, k for inputs k edges downstream of the nearest one.
    pub order: u32,
    /// Availability (0-1) at the point estimate; the worst week's in a weekly run.
    pub availability: f64,
    /// 5th percentile of availability over the Monte Carlo draws.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p5: Option<f64>,
    /// Median.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p50: Option<f64>,
    /// 95th percentile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p95: Option<f64>,
    /// Availability without stock, substitution or spare capacity.
    pub unmitigated: f64,
    /// Direct loss (0-1): the shocked suppliers' share times the share they lose.
    pub direct_loss: f64,
    /// First week with the lowest availability (weekly runs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worst_week: Option<u32>,
    /// Availability per week (weekly runs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weekly: Option<Vec<f64>>,
    /// p5 and p95 availability per week over the Monte Carlo draws (weekly runs with draws).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weekly_band: Option<Vec<[f64; 2]>>,
}

impl SimulateRow {
    /// Whether mitigation covered the whole outage here: full availability although the
    /// unmitigated run loses supply.
    pub fn covered(&self) -> bool {
        self.availability >= 1.0 - 1e-9 && self.unmitigated < 1.0 - 1e-9
    }

    /// Rounds every number to 6 decimals (so JSON shows 0.3, not 0.30000000000000004).
    pub fn rounded(mut self) -> SimulateRow {
        self.availability = r6(self.availability);
        self.p5 = self.p5.map(r6);
        self.p50 = self.p50.map(r6);
        self.p95 = self.p95.map(r6);
        self.unmitigated = r6(self.unmitigated);
        self.direct_loss = r6(self.direct_loss);
        if let Some(w) = &mut self.weekly {
            w.iter_mut().for_each(|v| *v = r6(*v));
        }
        if let Some(b) = &mut self.weekly_band {
            b.iter_mut().for_each(|q| *q = [r6(q[0]), r6(q[1])]);
        }
        self
    }
}

/// The HTML page of a run: the availability chart over the table.
fn simulate_page(rows: &[SimulateRow]) -> Result<String, RenderError> {
    const SOURCE: &str = "Source: osa's propagation over the ecosystem's value chain (shares, substitutability, stocks and ramp-ups as the scenario and ecosystem give them)";
    let mut figures: Vec<crate::html::Figure> = crate::chart::availability(rows)
        .map(|svg| crate::html::Figure {
            svg,
            caption: format!("{SOURCE}; band: the 5th to 95th percentile of the Monte Carlo draws (at the worst week in a weekly run)."),
        })
        .into_iter()
        .collect();
    if let Some(svg) = crate::chart::weekly(rows) {
        figures.push(crate::html::Figure {
            svg,
            caption: format!("{SOURCE}; lines: the point estimate, week by week; shaded: the 5th to 95th percentile of the Monte Carlo draws in each week, for the three inputs hit hardest."),
        });
    }
    let csv = render_simulate(rows, Format::Csv)?;
    Ok(crate::html::table_page(
        "Second- and third-order effects",
        &csv,
        &figures,
    ))
}

/// A weekly profile as a bar per week (▁ for 0 up to █ for 1).
pub fn sparkline(weekly: &[f64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    weekly
        .iter()
        .map(|v| BARS[((v.clamp(0.0, 1.0) * 7.0).round()) as usize])
        .collect()
}

fn p(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

fn po(v: Option<f64>) -> String {
    v.map(p).unwrap_or_default()
}

/// Prints the inputs a disruption reaches.
pub fn render_simulate(rows: &[SimulateRow], format: Format) -> Result<String, RenderError> {
    render_simulate_signed(rows, format).map(|s| format::unsigned_zero(&s))
}

/// Finds the optional columns the rows fill, then prints them as the HTML page, JSON, CSV (one
/// column per week), or a table (a sparkline per input) with notes on what each column means.
fn render_simulate_signed(rows: &[SimulateRow], format: Format) -> Result<String, RenderError> {
    let columns = SimulateColumns::of(rows);
    if format == Format::Html {
        return simulate_page(rows);
    }
    match format {
        Format::Json => format::json(rows),
        Format::Csv | Format::Xlsx | Format::Parquet => {
            let header = simulate_csv_header(columns);
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            let cells: Vec<Vec<String>> =
                rows.iter().map(|r| simulate_csv_row(r, columns)).collect();
            format::csv(&header, &cells)
        }
        _ => {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| simulate_table_row(r, columns))
                .collect();
            let header = simulate_table_header(columns);
            let mut out = format::table(&header, &cells, format == Format::Md);
            out.push_str(&simulate_notes(rows, columns.draws, columns.weekly));
            Ok(out)
        }
    }
}

/// The optional columns of a simulation: percentiles when it drew shocks, the weekly profile
/// (over `n_weeks` in CSV) when it ran week by week.
#[derive(Debug, Clone, Copy)]
struct SimulateColumns {
    draws: bool,
    weekly: bool,
    n_weeks: usize,
}

impl SimulateColumns {
    fn of(rows: &[SimulateRow]) -> Self {
        SimulateColumns {
            draws: rows.iter().any(|r| r.p50.is_some()),
            weekly: rows.iter().any(|r| r.weekly.is_some()),
            n_weeks: rows
                .iter()
                .filter_map(|r| r.weekly.as_ref().map(Vec::len))
                .max()
                .unwrap_or(0),
        }
    }
}

/// The CSV columns: the fixed ones, then percentiles and weeks when there are any.
fn simulate_csv_header(columns: SimulateColumns) -> Vec<String> {
    let mut header: Vec<String> = [
        "id",
        "name",
        "kind",
        "order",
        "availability",
        "unmitigated",
        "direct_loss",
    ]
    .map(String::from)
    .to_vec();
    if columns.draws {
        header.extend(["p5", "p50", "p95"].map(String::from));
    }
    if columns.weekly {
        header.push("worst_week".into());
        header.extend((0..columns.n_weeks).map(|w| format!("week_{w}")));
    }
    header
}

/// One input in the CSV, figures in full.
fn simulate_csv_row(r: &SimulateRow, columns: SimulateColumns) -> Vec<String> {
    let mut c = vec![
        r.id.clone(),
        r.name.clone(),
        r.kind.clone(),
        r.order.to_string(),
        r.availability.to_string(),
        r.unmitigated.to_string(),
        r.direct_loss.to_string(),
    ];
    if columns.draws {
        for v in [r.p5, r.p50, r.p95] {
            c.push(v.map(|v| v.to_string()).unwrap_or_default());
        }
    }
    if columns.weekly {
        c.push(r.worst_week.map(|w| w.to_string()).unwrap_or_default());
        let w = r.weekly.as_deref().unwrap_or(&[]);
        c.extend((0..columns.n_weeks).map(|k| w.get(k).map(f64::to_string).unwrap_or_default()));
    }
    c
}

/// The table's columns: percentiles after availability, the weekly profile last.
fn simulate_table_header(columns: SimulateColumns) -> Vec<&'static str> {
    let mut header = vec!["id", "input", "kind", "order", "availability"];
    if columns.draws {
        header.extend(["p5", "p50", "p95"]);
    }
    header.extend(["unmitigated", "direct loss"]);
    if columns.weekly {
        header.extend(["worst week", "weekly profile"]);
    }
    header
}

/// One input in the table, in percent, with its weekly profile as a sparkline.
fn simulate_table_row(r: &SimulateRow, columns: SimulateColumns) -> Vec<String> {
    let mut c = vec![
        r.id.clone(),
        cut(&r.name, 40),
        crate::format::words(&r.kind),
        r.order.to_string(),
        if r.covered() {
            format!("{} (covered)", p(r.availability))
        } else {
            p(r.availability)
        },
    ];
    if columns.draws {
        c.extend([po(r.p5), po(r.p50), po(r.p95)]);
    }
    c.push(p(r.unmitigated));
    c.push(if r.direct_loss > 0.0 {
        p(r.direct_loss)
    } else {
        String::new()
    });
    if columns.weekly {
        c.push(r.worst_week.map(|w| w.to_string()).unwrap_or_default());
        c.push(r.weekly.as_deref().map(sparkline).unwrap_or_default());
    }
    c
}

/// Under the simulate table: where mitigation covered the outage, and what each column means.
fn simulate_notes(rows: &[SimulateRow], draws: bool, weekly: bool) -> String {
    let mut out = String::new();
    let covered: Vec<&SimulateRow> = rows.iter().filter(|r| r.covered()).collect();
    if !covered.is_empty() {
        out.push_str(&format!(
            "\n{} of {} inputs reached keep full availability because mitigation (their users' stock, \
             substitutes, spare capacity) covered the whole outage; without it: {}.\n",
            covered.len(),
            rows.len(),
            covered
                .iter()
                .map(|r| format!("{} {}", r.id, p(r.unmitigated)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out.push_str("\nColumns: order = edges from the nearest directly shocked input (0 = hit directly); \
        availability = share of normal supply users get after mitigation (stock, substitutes, spare capacity)");
    out.push_str(if weekly { ", in the worst week" } else { "" });
    out.push_str("; (covered) = mitigation made up the whole loss");
    if draws {
        out.push_str("; p5/p50/p95 = percentiles of availability over the Monte Carlo draws");
    }
    out.push_str("; unmitigated = availability with no stock, substitution or spare capacity; \
        direct loss = the shocked suppliers' share times the share they lose (blank for inputs hit only downstream)");
    if weekly {
        out.push_str("; worst week = first week with the lowest availability; weekly profile = one bar per week, ▁ 0% to █ 100%");
    }
    out.push_str(".\n");
    out
}

/// One input in two runs side by side (one element of `osa scenario compare --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct CompareRow {
    /// Input id.
    pub id: String,
    /// Input name.
    pub name: String,
    /// Order in run A (`None`: not reached).
    pub order_a: Option<u32>,
    /// Availability in run A (1 when not reached).
    pub availability_a: f64,
    /// Order in run B.
    pub order_b: Option<u32>,
    /// Availability in run B.
    pub availability_b: f64,
    /// availability_b − availability_a.
    pub difference: f64,
}

/// Prints two runs side by side; `a` and `b` name them.
pub fn render_compare(
    rows: &[CompareRow],
    a: &str,
    b: &str,
    format: Format,
) -> Result<String, RenderError> {
    render_compare_signed(rows, a, b, format).map(|s| format::unsigned_zero(&s))
}

fn render_compare_signed(
    rows: &[CompareRow],
    a: &str,
    b: &str,
    format: Format,
) -> Result<String, RenderError> {
    let order = |o: Option<u32>| o.map(|o| o.to_string()).unwrap_or_default();
    match format {
        Format::Json => format::json(rows),
        Format::Csv | Format::Xlsx | Format::Parquet => format::csv(
            &[
                "id",
                "name",
                "order_a",
                "availability_a",
                "order_b",
                "availability_b",
                "difference",
            ],
            &rows
                .iter()
                .map(|r| {
                    vec![
                        r.id.clone(),
                        r.name.clone(),
                        order(r.order_a),
                        r.availability_a.to_string(),
                        order(r.order_b),
                        r.availability_b.to_string(),
                        r.difference.to_string(),
                    ]
                })
                .collect::<Vec<_>>(),
        ),
        _ => {
            let (oa, aa, ob, ab) = (
                format!("order {}", cut(a, 24)),
                format!("availability {}", cut(a, 24)),
                format!("order {}", cut(b, 24)),
                format!("availability {}", cut(b, 24)),
            );
            let header = ["id", "input", &oa, &aa, &ob, &ab, "difference"];
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.id.clone(),
                        cut(&r.name, 40),
                        order(r.order_a),
                        p(r.availability_a),
                        order(r.order_b),
                        p(r.availability_b),
                        format!("{:+.1} pts", r.difference * 100.0),
                    ]
                })
                .collect();
            Ok(format::table(&header, &cells, format == Format::Md))
        }
    }
}

/// One sector of an input-output run (one element of `osa iomodel --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct IoRow {
    /// Sector name.
    pub sector: String,
    /// Gross output x.
    pub output: f64,
    /// The shock vector's entry: Δf (Leontief), Δv (Ghosh) or c* (IIM).
    pub shock: f64,
    /// Tier k of the series: tiers[0] is the shock, tiers[1] first-order, tiers[2]
    /// second-order, tiers[3] third-order.
    pub tiers: Vec<f64>,
    /// Everything beyond the last tier.
    pub higher: f64,
    /// Total: Δx (Leontief, Ghosh) or inoperability q (IIM, bounded to 0-1).
    pub total: f64,
    /// The linear model's total (the tiers plus `higher` sum to it); differs from `total` only
    /// where the IIM saturates.
    pub linear_total: f64,
    /// Whether the linear IIM exceeds 100% here, so `total` is capped.
    pub saturated: bool,
    /// Output lost in table units.
    pub output_loss: f64,
    /// Share of gross output lost.
    pub relative: f64,
}

fn ordinal(k: usize) -> String {
    match k {
        0 => "shock".to_string(),
        1 => "1st order".to_string(),
        2 => "2nd order".to_string(),
        3 => "3rd order".to_string(),
        k => format!("{k}th order"),
    }
}

/// Prints an input-output run; the last row of the table sums all sectors.
pub fn render_io(rows: &[IoRow], format: Format) -> Result<String, RenderError> {
    render_io_signed(rows, format).map(|s| format::unsigned_zero(&s))
}

fn render_io_signed(rows: &[IoRow], format: Format) -> Result<String, RenderError> {
    let n_tiers = rows.first().map_or(0, |r| r.tiers.len());
    match format {
        Format::Json => format::json(rows),
        Format::Csv | Format::Xlsx | Format::Parquet => {
            let mut header: Vec<String> = vec!["sector".into(), "output".into(), "shock".into()];
            header.extend((0..n_tiers).map(|k| format!("tier_{k}")));
            header.extend(
                [
                    "higher",
                    "total",
                    "linear_total",
                    "saturated",
                    "output_loss",
                    "relative",
                ]
                .map(String::from),
            );
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    let mut c = vec![r.sector.clone(), r.output.to_string(), r.shock.to_string()];
                    c.extend(r.tiers.iter().map(f64::to_string));
                    c.extend([r.higher, r.total, r.linear_total].map(|v| v.to_string()));
                    c.push(r.saturated.to_string());
                    c.extend([r.output_loss, r.relative].map(|v| v.to_string()));
                    c
                })
                .collect();
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            format::csv(&header, &cells)
        }
        _ => {
            let mut header: Vec<String> = vec!["sector".into(), "output".into()];
            header.extend((0..n_tiers).map(ordinal));
            header.extend(["higher", "total", "output lost", "share"].map(String::from));
            let num = |v: f64| format!("{v:.4}");
            let mut cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    let mut c = vec![cut(&r.sector, 30), num(r.output)];
                    c.extend(r.tiers.iter().map(|&v| num(v)));
                    c.extend([
                        num(r.higher),
                        num(r.total),
                        num(r.output_loss),
                        p(r.relative),
                    ]);
                    c
                })
                .collect();
            let sum = |f: &dyn Fn(&IoRow) -> f64| rows.iter().map(f).sum::<f64>();
            let total_output = sum(&|r| r.output);
            let total_loss = sum(&|r| r.output_loss);
            let mut last = vec!["(all sectors)".to_string(), num(total_output)];
            last.extend((0..n_tiers).map(|k| num(sum(&|r| r.tiers[k]))));
            last.extend([
                num(sum(&|r| r.higher)),
                num(sum(&|r| r.total)),
                num(total_loss),
                if total_output > 0.0 {
                    p(total_loss / total_output)
                } else {
                    String::new()
                },
            ]);
            cells.push(last);
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            let mut out = format::table(&header, &cells, format == Format::Md);
            out.push_str(&saturation_note(rows));
            Ok(out)
        }
    }
}

/// Says where the inoperability model saturates (empty when it does not).
fn saturation_note(rows: &[IoRow]) -> String {
    let hit: Vec<String> = rows
        .iter()
        .filter(|r| r.saturated)
        .map(|r| format!("{} {}", r.sector, p(r.linear_total)))
        .collect();
    if hit.is_empty() {
        return String::new();
    }
    format!(
        "\nThe linear inoperability model saturates: {} (linear totals above 100%, which no sector can lose). \
         Totals, output lost and shares are the bounded model, the least fixpoint of q = min(1, A*q + c*); \
         the tier columns and `higher` are the linear series.\n",
        hit.join(", ")
    )
}

/// A scenario as listed by `osa scenario list`.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioRow {
    /// Scenario id.
    pub id: String,
    /// Name.
    pub name: String,
    /// `built-in` or the file it was read from.
    pub origin: String,
    /// The ecosystem it was written for.
    pub ecosystem: Option<String>,
    /// Its shocks in the command-line syntax.
    pub shocks: Vec<String>,
    /// Its sources.
    pub sources: Vec<String>,
}

/// Prints a list of scenarios.
pub fn render_scenarios(rows: &[ScenarioRow], format: Format) -> Result<String, RenderError> {
    render_scenarios_signed(rows, format).map(|s| format::unsigned_zero(&s))
}

fn render_scenarios_signed(rows: &[ScenarioRow], format: Format) -> Result<String, RenderError> {
    match format {
        Format::Json => format::json(rows),
        Format::Csv | Format::Xlsx | Format::Parquet => format::csv(
            &["id", "name", "origin", "ecosystem", "shocks", "sources"],
            &rows
                .iter()
                .map(|r| {
                    vec![
                        r.id.clone(),
                        r.name.clone(),
                        r.origin.clone(),
                        r.ecosystem.clone().unwrap_or_default(),
                        r.shocks.join(" "),
                        r.sources.join("; "),
                    ]
                })
                .collect::<Vec<_>>(),
        ),
        _ => Ok(format::table(
            &["id", "name", "ecosystem", "shocks", "sources"],
            &rows
                .iter()
                .map(|r| {
                    vec![
                        r.id.clone(),
                        cut(&r.name, 50),
                        r.ecosystem.clone().unwrap_or_default(),
                        r.shocks.join(" "),
                        cut(&r.sources.join("; "), 30),
                    ]
                })
                .collect::<Vec<_>>(),
            format == Format::Md,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(weekly: Option<Vec<f64>>, p50: Option<f64>) -> SimulateRow {
        SimulateRow {
            id: "ore".into(),
            name: "Ore".into(),
            kind: "material".into(),
            order: 0,
            availability: 0.4,
            p5: p50.map(|v| v - 0.1),
            p50,
            p95: p50.map(|v| v + 0.1),
            unmitigated: 0.4,
            direct_loss: 0.6,
            worst_week: weekly.as_ref().map(|_| 1),
            weekly,
            weekly_band: None,
        }
    }

    #[test]
    fn an_outage_that_stock_absorbs_says_so_and_shows_the_unmitigated_loss() {
        let mut covered = row(Some(vec![1.0, 1.0]), None);
        (covered.id, covered.availability, covered.unmitigated) = ("chips".into(), 1.0, 0.25);
        let t = render_simulate(&[row(Some(vec![1.0, 0.4]), None), covered], Format::Table)
            .expect("renders");
        assert!(t.contains("100.0% (covered)"), "{t}");
        assert!(
            t.contains("1 of 2 inputs reached keep full availability"),
            "{t}"
        );
        assert!(t.contains("without it: chips 25.0%"), "{t}");
        for column in [
            "order =",
            "availability =",
            "unmitigated =",
            "direct loss =",
            "worst week =",
        ] {
            assert!(t.contains(column), "{column} not explained: {t}");
        }
        let plain = render_simulate(&[row(None, None)], Format::Table).expect("renders");
        assert!(!plain.contains("covered the whole outage"));
    }

    #[test]
    fn json_leaves_out_what_was_not_run() {
        let text = render_simulate(&[row(None, None)], Format::Json).expect("renders");
        let v: serde_json::Value = serde_json::from_str(&text).expect("json");
        let obj = v[0].as_object().expect("object");
        for key in ["id", "name", "order", "availability"] {
            assert!(obj.contains_key(key), "{key}");
        }
        for key in ["p5", "p50", "p95", "weekly", "worst_week"] {
            assert!(!obj.contains_key(key), "{key}");
        }
        let text = render_simulate(&[row(Some(vec![1.0, 0.4]), Some(0.5))], Format::Json)
            .expect("renders");
        let v: serde_json::Value = serde_json::from_str(&text).expect("json");
        assert_eq!(v[0]["p50"], 0.5);
        assert_eq!(v[0]["weekly"][1], 0.4);
    }

    #[test]
    fn csv_and_table_carry_every_column() {
        let text =
            render_simulate(&[row(Some(vec![1.0, 0.4]), Some(0.5))], Format::Csv).expect("renders");
        let first = text.lines().next().expect("header");
        assert_eq!(
            first,
            "id,name,kind,order,availability,unmitigated,direct_loss,p5,p50,p95,worst_week,week_0,week_1"
        );
        let table = render_simulate(&[row(Some(vec![1.0, 0.0, 0.5]), None)], Format::Table)
            .expect("renders");
        assert!(table.contains("█▁▅") || table.contains("█▁▄"), "{table}");
        assert!(table.contains("40.0%"));
    }

    #[test]
    fn io_tables_sum_all_sectors() {
        let rows = vec![
            IoRow {
                sector: "a".into(),
                output: 100.0,
                shock: 10.0,
                tiers: vec![10.0, 1.0],
                higher: 0.5,
                total: 11.5,
                linear_total: 11.5,
                saturated: false,
                output_loss: 11.5,
                relative: 0.115,
            },
            IoRow {
                sector: "b".into(),
                output: 100.0,
                shock: 0.0,
                tiers: vec![0.0, 2.0],
                higher: 0.5,
                total: 2.5,
                linear_total: 2.5,
                saturated: false,
                output_loss: 2.5,
                relative: 0.025,
            },
        ];
        let t = render_io(&rows, Format::Table).expect("renders");
        assert!(t.contains("(all sectors)"));
        assert!(t.contains("14.0000") && t.contains("7.0%"), "{t}");
        assert!(t.contains("1st order"));
        assert!(!t.contains("saturates"));
        let mut sat = rows[0].clone();
        (sat.total, sat.linear_total, sat.saturated, sat.relative) = (1.0, 1.209, true, 1.0);
        let t = render_io(&[sat], Format::Table).expect("renders");
        assert!(t.contains("saturates: a 120.9%"), "{t}");
    }
}
