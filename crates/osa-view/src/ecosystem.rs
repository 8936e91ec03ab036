//! Views and printers for step 1 (ecosystem analysis): metrics per input and per stage,
//! chokepoints, and the mutual-dependency balance. JSON fields are documented in docs/json.md.

use crate::format::{self, Format, RenderError, cut, num3, pct, r6, r6o};
use osa_ecosystem::{Chokepoint, CountryShares, InputMetrics, Leverage, StageMetrics};
use osa_model::{Checked, Provision};
use serde::Serialize;
use std::collections::BTreeMap;

/// How the country HHI is computed (shown with every metric for provenance).
pub const HHI_FORMULA: &str = "hhi = sum over supplier countries of share^2 (shares 0-1 of the world market; unattributed share excluded, so hhi is a lower bound; shares scaled to sum 1 when the source's rounding pushes them above)";

/// One provision row behind a figure.
#[derive(Debug, Clone, Serialize)]
pub struct SourceRow {
    /// Provider as written.
    pub provider: String,
    /// Share in percent as written.
    pub share: Option<f64>,
    /// Year.
    pub year: Option<i32>,
    /// Source.
    pub source: String,
}

/// The data rows and formula behind a figure.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    /// Formula.
    pub formula: &'static str,
    /// Rows used.
    pub rows: Vec<SourceRow>,
}

/// The provision rows `used` (indexes into `rows`), as written.
pub(crate) fn source_rows(rows: &[Provision], used: &[usize]) -> Vec<SourceRow> {
    used.iter()
        .filter_map(|&j| rows.get(j))
        .map(|p| SourceRow {
            provider: p.provider.clone(),
            share: p.share,
            year: p.year,
            source: p.source.clone(),
        })
        .collect()
}

fn provenance(rows: &[Provision], used: &[usize], formula: &'static str) -> Provenance {
    Provenance {
        formula,
        rows: source_rows(rows, used),
    }
}

fn share_map(c: Option<&CountryShares>) -> BTreeMap<String, f64> {
    c.map(|c| {
        c.shares
            .iter()
            .map(|(p, s)| (p.code().to_string(), r6(*s)))
            .collect()
    })
    .unwrap_or_default()
}

/// A firm and its share.
#[derive(Debug, Clone, Serialize)]
pub struct FirmShare {
    /// Firm id.
    pub id: String,
    /// Firm name.
    pub name: String,
    /// Home country or region.
    pub country: Option<String>,
    /// Share, 0-1.
    pub share: f64,
}

fn firm_share(checked: &Checked, firm: usize, share: f64) -> FirmShare {
    let f = &checked.ecosystem().firms[firm];
    FirmShare {
        id: f.id.clone(),
        name: f.name.clone(),
        country: checked.firm_place(firm).map(|p| p.code().to_string()),
        share: r6(share),
    }
}

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
            let body: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
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
                })
                .collect();
            format::csv(&header, &body)
        }
        Format::Table | Format::Md | Format::Html => {
            let mut header = vec!["id", "input", "stage", "year", "HHI", "top", "top-3", "n"];
            header.extend(holders.iter().map(String::as_str));
            header.push("firm HHI");
            let body: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
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
                })
                .collect();
            Ok(format::table(&header, &body, format == Format::Md))
        }
    }
}

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

/// One dependency in the leverage view.
#[derive(Debug, Clone, Serialize)]
pub struct DependencyRow {
    /// Input id.
    pub id: String,
    /// Input name.
    pub name: String,
    /// Year.
    pub year: i32,
    /// Share of the side holding the input, 0-1.
    pub holder_share: f64,
    /// Share of the dependent side, 0-1.
    pub dependent_share: f64,
    /// Substitutability used, 0-1.
    pub substitutability: f64,
    /// Inputs fed downstream.
    pub reach: usize,
    /// Leverage weight share^2 * (1 - substitutability) * (1 + reach).
    pub weight: f64,
}

/// The mutual-dependency balance (`osa leverage --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct LeverageView {
    /// Side A.
    pub a: String,
    /// Side B.
    pub b: String,
    /// L(A over B).
    pub leverage_a: f64,
    /// L(B over A).
    pub leverage_b: f64,
    /// (L_A - L_B) / (L_A + L_B), -1..1; positive when A holds more leverage.
    pub balance: f64,
    /// 1 - |balance|; 1 is perfectly mutual.
    pub mutuality: f64,
    /// A one-line reading of the numbers.
    pub interpretation: String,
    /// Inputs with shares considered.
    pub n_inputs: usize,
    /// The listing threshold used.
    pub min_share: f64,
    /// What A depends on B for (B holds at least min_share).
    pub a_depends_on_b: Vec<DependencyRow>,
    /// What B depends on A for.
    pub b_depends_on_a: Vec<DependencyRow>,
    /// The formula.
    pub formula: &'static str,
}

/// The leverage formula.
pub const LEVERAGE_FORMULA: &str = "L(X over Y) = sum over inputs of (X's share)^2 * (1 - substitutability) * (1 + reach); balance = (L_A - L_B) / (L_A + L_B); mutuality = 1 - |balance|";

/// Builds the leverage view.
pub fn leverage_view(checked: &Checked, lev: &Leverage, min_share: f64) -> LeverageView {
    let eco = checked.ecosystem();
    let dep = |d: &osa_ecosystem::Dependency| DependencyRow {
        id: eco.inputs[d.input].id.clone(),
        name: eco.inputs[d.input].name.clone(),
        year: d.year,
        holder_share: r6(d.holder_share),
        dependent_share: r6(d.dependent_share),
        substitutability: r6(d.substitutability),
        reach: d.reach,
        weight: r6(d.weight),
    };
    let balance = lev.balance();
    let interpretation = if lev.leverage_a + lev.leverage_b <= 0.0 {
        format!("neither {} nor {} holds a share of any input", lev.a, lev.b)
    } else if balance.abs() < 0.2 {
        format!(
            "mutual: {} and {} hold comparable leverage over each other",
            lev.a, lev.b
        )
    } else if balance > 0.0 {
        format!(
            "one-sided toward {}: {} depends on {} more than the reverse",
            lev.a, lev.b, lev.a
        )
    } else {
        format!(
            "one-sided toward {}: {} depends on {} more than the reverse",
            lev.b, lev.a, lev.b
        )
    };
    LeverageView {
        a: lev.a.clone(),
        b: lev.b.clone(),
        leverage_a: r6(lev.leverage_a),
        leverage_b: r6(lev.leverage_b),
        balance: r6(balance),
        mutuality: r6(lev.mutuality()),
        interpretation,
        n_inputs: lev.n_inputs,
        min_share,
        a_depends_on_b: lev.a_depends_on_b.iter().map(dep).collect(),
        b_depends_on_a: lev.b_depends_on_a.iter().map(dep).collect(),
        formula: LEVERAGE_FORMULA,
    }
}

/// Prints the leverage view.
pub fn render_leverage(v: &LeverageView, format: Format) -> Result<String, RenderError> {
    render_leverage_signed(v, format).map(|s| format::unsigned_zero(&s))
}

fn render_leverage_signed(v: &LeverageView, format: Format) -> Result<String, RenderError> {
    let header = [
        "id",
        "input",
        "holder share",
        "dependent share",
        "reach",
        "weight",
    ];
    let cells = |d: &DependencyRow| -> Vec<String> {
        vec![
            d.id.clone(),
            cut(&d.name, 40),
            pct(Some(d.holder_share)),
            pct(Some(d.dependent_share)),
            d.reach.to_string(),
            format!("{:.3}", d.weight),
        ]
    };
    match format {
        Format::Json => format::json(v),
        Format::Csv | Format::Xlsx | Format::Parquet => {
            let mut rows = Vec::new();
            for (side, deps) in [
                (format!("{} depends on {}", v.a, v.b), &v.a_depends_on_b),
                (format!("{} depends on {}", v.b, v.a), &v.b_depends_on_a),
            ] {
                for d in deps {
                    let mut r = vec![side.clone()];
                    r.extend([
                        d.id.clone(),
                        d.name.clone(),
                        d.holder_share.to_string(),
                        d.dependent_share.to_string(),
                        d.reach.to_string(),
                        d.weight.to_string(),
                    ]);
                    rows.push(r);
                }
            }
            format::csv(
                &[
                    "direction",
                    "id",
                    "name",
                    "holder_share",
                    "dependent_share",
                    "reach",
                    "weight",
                ],
                &rows,
            )
        }
        _ => {
            let md = format == Format::Md;
            let mut out = format!(
                "Mutual dependency {a} <-> {b} ({n} inputs with shares)\n\
                 leverage {a} over {b}: {la:.3}   leverage {b} over {a}: {lb:.3}\n\
                 balance {bal:+.3} (-1..1, positive: {a} holds more)   mutuality {mu:.3} (1 = fully mutual)\n\
                 {interp}\n\n",
                a = v.a,
                b = v.b,
                n = v.n_inputs,
                la = v.leverage_a,
                lb = v.leverage_b,
                bal = v.balance,
                mu = v.mutuality,
                interp = v.interpretation
            );
            out.push_str(&format!(
                "What {} depends on {} for (share >= {}):\n",
                v.a,
                v.b,
                pct(Some(v.min_share))
            ));
            out.push_str(&format::table(
                &header,
                &v.a_depends_on_b.iter().map(cells).collect::<Vec<_>>(),
                md,
            ));
            out.push_str(&format!(
                "\nWhat {} depends on {} for (share >= {}):\n",
                v.b,
                v.a,
                pct(Some(v.min_share))
            ));
            out.push_str(&format::table(
                &header,
                &v.b_depends_on_a.iter().map(cells).collect::<Vec<_>>(),
                md,
            ));
            out.push_str(&format!("\nformula: {}\n", v.formula));
            Ok(out)
        }
    }
}

/// Another input, as an input's page links to it.
#[derive(Debug, Clone, Serialize)]
pub struct InputLink {
    /// Input id.
    pub id: String,
    /// Input name.
    pub name: String,
}

/// One year of an input's shares: who provides it, by country and by firm, and the rows behind.
#[derive(Debug, Clone, Serialize)]
pub struct InputYear {
    /// The year.
    pub year: i32,
    /// Country (ISO3, or region code) to share, 0-1; empty when the year has firm rows only and
    /// none with a home country.
    pub shares: BTreeMap<String, f64>,
    /// Unattributed country-level share, 0-1.
    pub unattributed: Option<f64>,
    /// `reported` (country records) or `from_firms` (summed from firm shares).
    pub basis: Option<String>,
    /// Raw share sum (0-1 scale) when it exceeded 1 and shares were scaled down.
    pub scaled_from: Option<f64>,
    /// Country HHI, 0-1.
    pub hhi: Option<f64>,
    /// Holder (the ones asked for) to share, 0-1.
    pub holder_shares: BTreeMap<String, f64>,
    /// The holders (of those asked for) that hold the input as a chokepoint this year.
    pub chokepoints: Vec<String>,
    /// Firms with a share, largest first.
    pub firms: Vec<FirmShare>,
    /// Firm-level share the source leaves unattributed, 0-1.
    pub firms_unattributed: Option<f64>,
    /// Firms named for the year, with or without a share.
    pub firms_named: usize,
    /// Firm-level HHI, where firm shares exist.
    pub firm_hhi: Option<f64>,
    /// The provision rows of the year (countries and firms), as written.
    pub rows: Vec<SourceRow>,
}

/// One input with its place in the value chain and its shares in every year the data has (the
/// explorer's input page).
#[derive(Debug, Clone, Serialize)]
pub struct InputView {
    /// Input id.
    pub id: String,
    /// Input name.
    pub name: String,
    /// Input kind.
    pub kind: String,
    /// Description.
    pub description: String,
    /// Stage id (declared or inferred).
    pub stage: Option<String>,
    /// Stage name.
    pub stage_name: Option<String>,
    /// Whether the stage was inferred from downstream inputs.
    pub stage_inferred: bool,
    /// What it goes into.
    pub goes_into: Vec<InputLink>,
    /// What goes into it.
    pub comes_from: Vec<InputLink>,
    /// The broader inputs it is a type of.
    pub is_type_of: Vec<InputLink>,
    /// The inputs that are a type of it.
    pub types: Vec<InputLink>,
    /// HS six-digit codes standing for it.
    pub hs6: Vec<String>,
    /// Short-run share (0-1) of its use that can switch to a substitute.
    pub substitutability: Option<f64>,
    /// Substitutes, as written.
    pub substitutes: Vec<String>,
    /// Months of use a user can hold in stock.
    pub storability_months: Option<f64>,
    /// Analyst notes.
    pub notes: String,
    /// Sources of the description and attributes.
    pub sources: Vec<String>,
    /// The chokepoint threshold applied, 0-1.
    pub min_share: f64,
    /// Every year with shares, oldest first.
    pub years: Vec<InputYear>,
    /// How the HHI is computed.
    pub formula: &'static str,
}

/// One year of an input's shares, with each holder's share and whether it holds the input.
fn input_year(
    checked: &Checked,
    i: usize,
    year: i32,
    holders: &[osa_ecosystem::Holder],
    min_share: f64,
) -> InputYear {
    use osa_ecosystem::shares;
    let rows = &checked.ecosystem().inputs[i].provision;
    let providers = checked.input_providers(i);
    let c = shares::country_shares(checked, rows, providers, year);
    let f = shares::firm_shares(rows, providers, year);
    let mut holder_shares = BTreeMap::new();
    let mut chokepoints = Vec::new();
    if let Some(c) = &c {
        for h in holders {
            let s = h.share(c).0;
            holder_shares.insert(h.id().to_string(), r6(s));
            if osa_ecosystem::chokepoints::holds(s, min_share) {
                chokepoints.push(h.id().to_string());
            }
        }
    }
    let used: Vec<usize> = (0..rows.len())
        .filter(|&j| rows[j].year == Some(year))
        .collect();
    InputYear {
        year,
        shares: share_map(c.as_ref()),
        unattributed: r6o(c.as_ref().map(|c| c.unattributed)),
        basis: c.as_ref().map(|c| c.basis.as_str().to_string()),
        scaled_from: r6o(c.as_ref().and_then(|c| c.scaled_from)),
        hhi: r6o(c.as_ref().map(CountryShares::hhi)),
        holder_shares,
        chokepoints,
        firms: f
            .as_ref()
            .map(|f| {
                f.shares
                    .iter()
                    .map(|&(firm, s)| firm_share(checked, firm, s))
                    .collect()
            })
            .unwrap_or_default(),
        firms_unattributed: r6o(f.as_ref().map(|f| f.unattributed)),
        firms_named: f.as_ref().map_or(0, |f| f.n_named),
        firm_hhi: r6o(f.as_ref().and_then(|f| f.hhi())),
        rows: source_rows(rows, &used),
    }
}

/// Builds an input's view: its links in the value chain and its shares in every year with data,
/// with the share of each of `holders` and whether it holds the input at `min_share`.
pub fn input_view(
    checked: &Checked,
    i: usize,
    holders: &[osa_ecosystem::Holder],
    min_share: f64,
) -> InputView {
    use osa_ecosystem::shares;
    let eco = checked.ecosystem();
    let inp = &eco.inputs[i];
    let link = |j: usize| InputLink {
        id: eco.inputs[j].id.clone(),
        name: eco.inputs[j].name.clone(),
    };
    let (stage, stage_inferred) = osa_ecosystem::graph::stages(checked)[i];
    let years = shares::years_with_shares(&inp.provision)
        .into_iter()
        .map(|year| input_year(checked, i, year, holders, min_share))
        .collect();
    InputView {
        id: inp.id.clone(),
        name: inp.name.clone(),
        kind: inp.kind.as_str().to_string(),
        description: inp.description.clone(),
        stage: stage.map(|s| eco.stages[s].id.clone()),
        stage_name: stage.map(|s| eco.stages[s].name.clone()),
        stage_inferred,
        goes_into: checked.goes_into(i).iter().map(|&j| link(j)).collect(),
        comes_from: (0..checked.n_inputs())
            .filter(|&j| checked.goes_into(j).contains(&i))
            .map(link)
            .collect(),
        is_type_of: checked.is_type_of(i).iter().map(|&j| link(j)).collect(),
        types: (0..checked.n_inputs())
            .filter(|&j| checked.is_type_of(j).contains(&i))
            .map(link)
            .collect(),
        hs6: inp.hs6.clone(),
        substitutability: inp.substitutability,
        substitutes: inp.substitutes.clone(),
        storability_months: inp.storability_months,
        notes: inp.notes.clone(),
        sources: inp.sources.clone(),
        min_share: r6(min_share),
        years,
        formula: HHI_FORMULA,
    }
}
