//! Concentration metrics per input for a chosen year, rolled up per stage: country HHI, top-1 and
//! top-3 shares, holder (bloc) shares, number of suppliers, firm-level HHI.

use crate::graph;
use crate::holder::Holder;
use crate::shares::{self, CountryShares, FirmShares, YearChoice};
use osa_model::{Checked, Place};

/// HHI above which an input counts as concentrated (the Commission's import-concentration threshold,
/// SWD(2021) 352, reused here for world-market shares).
pub const CONCENTRATED_HHI: f64 = 0.4;

/// What to compute.
#[derive(Debug, Clone, Default)]
pub struct MetricsOptions {
    /// Which year to read.
    pub year: YearChoice,
    /// Holders whose share is reported for every input (e.g. EU27, CHN, USA, user blocs).
    pub holders: Vec<Holder>,
}

/// Metrics of one input.
#[derive(Debug, Clone)]
pub struct InputMetrics {
    /// Input index.
    pub input: usize,
    /// Stage index (declared or inferred).
    pub stage: Option<usize>,
    /// Whether the stage was inferred from downstream inputs.
    pub stage_inferred: bool,
    /// The year read, when the input has shares.
    pub year: Option<i32>,
    /// Country-level shares.
    pub country: Option<CountryShares>,
    /// Firm-level shares.
    pub firms: Option<FirmShares>,
    /// Share of each requested holder (id, 0-1), in the order asked; `None` without share data.
    pub holder_shares: Vec<(String, Option<f64>)>,
}

impl InputMetrics {
    /// Country HHI, 0-1.
    pub fn hhi(&self) -> Option<f64> {
        self.country.as_ref().map(CountryShares::hhi)
    }
    /// Largest supplier country.
    pub fn top(&self) -> Option<(Place, f64)> {
        self.country.as_ref().and_then(CountryShares::top)
    }
    /// Sum of the three largest country shares.
    pub fn top3(&self) -> Option<f64> {
        self.country.as_ref().map(|c| c.top_k(3))
    }
    /// Number of supplier countries.
    pub fn n_suppliers(&self) -> usize {
        self.country.as_ref().map_or(0, CountryShares::n_suppliers)
    }
    /// Firm-level HHI where firm shares exist.
    pub fn firm_hhi(&self) -> Option<f64> {
        self.firms.as_ref().and_then(FirmShares::hhi)
    }
}

/// Roll-up of one stage.
#[derive(Debug, Clone)]
pub struct StageMetrics {
    /// Stage index.
    pub stage: usize,
    /// The stage's own country shares (latest or chosen year), where the source gives them.
    pub direct: Option<CountryShares>,
    /// Inputs in the stage (declared or inferred).
    pub n_inputs: usize,
    /// Of those, inputs with shares.
    pub n_with_shares: usize,
    /// Mean country HHI of those inputs.
    pub mean_hhi: Option<f64>,
    /// The most concentrated input and its HHI.
    pub max_hhi: Option<(usize, f64)>,
    /// Inputs with HHI above [`CONCENTRATED_HHI`].
    pub n_concentrated: usize,
    /// Mean share of each requested holder across the stage's inputs with shares.
    pub holder_mean_shares: Vec<(String, f64)>,
}

/// Metrics of a whole ecosystem.
#[derive(Debug, Clone)]
pub struct Metrics {
    /// Per input, in file order.
    pub inputs: Vec<InputMetrics>,
    /// Per stage, in file order.
    pub stages: Vec<StageMetrics>,
}

/// Metrics of one input.
pub fn input_metrics(
    checked: &Checked,
    i: usize,
    stage: (Option<usize>, bool),
    opts: &MetricsOptions,
) -> InputMetrics {
    let rows = &checked.ecosystem().inputs[i].provision;
    let providers = checked.input_providers(i);
    let year = shares::pick_year(rows, opts.year);
    let country = year.and_then(|y| shares::country_shares(checked, rows, providers, y));
    let firms = year.and_then(|y| shares::firm_shares(rows, providers, y));
    let holder_shares = opts
        .holders
        .iter()
        .map(|h| {
            let s = country.as_ref().map(|c| h.share(c).0);
            (h.id().to_string(), s)
        })
        .collect();
    InputMetrics {
        input: i,
        stage: stage.0,
        stage_inferred: stage.1,
        year,
        country,
        firms,
        holder_shares,
    }
}

/// Computes metrics for every input and stage.
pub fn metrics(checked: &Checked, opts: &MetricsOptions) -> Metrics {
    let stages = graph::stages(checked);
    let inputs: Vec<InputMetrics> = (0..checked.n_inputs())
        .map(|i| input_metrics(checked, i, stages[i], opts))
        .collect();
    let eco = checked.ecosystem();
    let stage_metrics = (0..eco.stages.len())
        .map(|s| {
            let rows = &eco.stages[s].provision;
            let providers = checked.stage_providers(s);
            let direct = shares::pick_year(rows, opts.year)
                .and_then(|y| shares::country_shares(checked, rows, providers, y));
            let members: Vec<&InputMetrics> =
                inputs.iter().filter(|m| m.stage == Some(s)).collect();
            let with: Vec<(&InputMetrics, f64)> = members
                .iter()
                .filter_map(|m| m.hhi().map(|h| (*m, h)))
                .collect();
            let n_with = with.len();
            let mean_hhi =
                (n_with > 0).then(|| with.iter().map(|w| w.1).sum::<f64>() / n_with as f64);
            let max_hhi = with
                .iter()
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.input.cmp(&a.0.input)))
                .map(|(m, h)| (m.input, *h));
            let n_concentrated = with.iter().filter(|w| w.1 > CONCENTRATED_HHI).count();
            let holder_mean_shares = opts
                .holders
                .iter()
                .enumerate()
                .map(|(k, h)| {
                    let mean = if n_with == 0 {
                        0.0
                    } else {
                        with.iter()
                            .map(|w| w.0.holder_shares[k].1.unwrap_or(0.0))
                            .fold(0.0, |a, b| a + b)
                            / n_with as f64
                    };
                    (h.id().to_string(), mean)
                })
                .collect();
            StageMetrics {
                stage: s,
                direct,
                n_inputs: members.len(),
                n_with_shares: n_with,
                mean_hhi,
                max_hhi,
                n_concentrated,
                holder_mean_shares,
            }
        })
        .collect();
    Metrics {
        inputs,
        stages: stage_metrics,
    }
}
