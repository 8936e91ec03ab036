//! Expanding shocks into exposure: for every input a shock names, the shocked suppliers' shares
//! of it (its own shares, or its stage's for a process without any) and the shocks on each; and
//! which inputs are hit directly.

use super::Options;
use super::model::Level;
use super::targets::{Supplier, resolve_supplier, target_inputs};
use crate::error::Error;
use crate::scenario::Scenario;
use osa_ecosystem::metrics::input_metrics;
use osa_ecosystem::shares::{self, CountryShares, FirmShares};
use osa_ecosystem::{MetricsOptions, YearChoice};
use osa_model::{Blocs, Checked, InputKind, Place};

/// Key of a term within one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Key {
    Place(Place),
    Firm(usize),
    World,
}

impl Key {
    pub(super) fn level(self) -> Level {
        match self {
            Key::Place(_) => Level::Country,
            Key::Firm(_) => Level::Firm,
            Key::World => Level::World,
        }
    }
}

type Shares = (Option<CountryShares>, Option<FirmShares>);

/// Country and firm shares of each input, computed on demand; processes without shares of their
/// own take their declared stage's.
struct ShareCache<'a> {
    checked: &'a Checked,
    opts: MetricsOptions,
    inputs: Vec<Option<Shares>>,
    stages: Vec<Option<Shares>>,
}

impl<'a> ShareCache<'a> {
    fn new(checked: &'a Checked, year: YearChoice) -> ShareCache<'a> {
        ShareCache {
            checked,
            opts: MetricsOptions {
                year,
                holders: Vec::new(),
            },
            inputs: vec![None; checked.n_inputs()],
            stages: vec![None; checked.ecosystem().stages.len()],
        }
    }

    fn stage(&mut self, s: usize) -> &Shares {
        let checked = self.checked;
        let year = self.opts.year;
        self.stages[s].get_or_insert_with(|| {
            let rows = &checked.ecosystem().stages[s].provision;
            let providers = checked.stage_providers(s);
            match shares::pick_year(rows, year) {
                Some(y) => (
                    shares::country_shares(checked, rows, providers, y),
                    shares::firm_shares(rows, providers, y),
                ),
                None => (None, None),
            }
        })
    }

    fn input(&mut self, i: usize) -> &Shares {
        if self.inputs[i].is_none() {
            let checked = self.checked;
            let m = input_metrics(checked, i, (None, false), &self.opts);
            let own = (m.country, m.firms.filter(|f| !f.shares.is_empty()));
            let inp = &checked.ecosystem().inputs[i];
            let value = match (own, checked.input_stage(i)) {
                ((None, None), Some(s)) if inp.kind == InputKind::Process => self.stage(s).clone(),
                (own, _) => own,
            };
            self.inputs[i] = Some(value);
        }
        self.inputs[i].as_ref().unwrap_or_else(|| unreachable!())
    }
}

/// One input's shocked suppliers, sorted by key: (supplier, its share, the shocks on it).
pub(super) type Exposure = Vec<(Key, f64, Vec<u32>)>;

/// Expands every shock over the inputs it names: per input, each shocked supplier's share and
/// the shocks on it (sorted by supplier). Warns of a shock whose supplier supplies none of its
/// inputs; fails when no shock names any input of the ecosystem.
pub(super) fn expand_shocks(
    checked: &Checked,
    blocs: &Blocs,
    scenario: &Scenario,
    opts: &Options,
    warnings: &mut Vec<String>,
) -> Result<Vec<Exposure>, Error> {
    let mut cache = ShareCache::new(checked, opts.year);
    let mut exposure: Vec<Exposure> = vec![Vec::new(); checked.n_inputs()];
    let mut any_target = scenario.shocks.is_empty();
    for (k, shock) in scenario.shocks.iter().enumerate() {
        let what = shock.describe();
        let supplier = resolve_supplier(checked, blocs, &shock.supplier, &what)?;
        let inputs = target_inputs(checked, &shock.target, &what, opts.strict, warnings)?;
        any_target |= !inputs.is_empty();
        let mut hit = 0.0;
        for i in inputs {
            for (key, share) in supplier_parts(&mut cache, &supplier, i) {
                hit += share;
                let list = &mut exposure[i];
                match list.iter_mut().find(|e| e.0 == key) {
                    Some(e) => e.2.push(k as u32),
                    None => list.push((key, share, vec![k as u32])),
                }
            }
        }
        if hit == 0.0 {
            warnings.push(format!(
                "{what}: `{}` supplies none of the inputs it names (in the year read), so it changes nothing",
                shock.supplier
            ));
        }
    }
    if !any_target {
        return Err(Error::NothingApplies(scenario.id.clone()));
    }
    for list in &mut exposure {
        list.sort_by_key(|e| e.0);
    }
    Ok(exposure)
}

/// A supplier's positive shares of input `i`: the world supply needs no shares; the others read
/// the input's (or its stage's).
fn supplier_parts(cache: &mut ShareCache, supplier: &Supplier, i: usize) -> Vec<(Key, f64)> {
    let parts: Vec<(Key, f64)> = match supplier {
        Supplier::World => vec![(Key::World, 1.0)],
        Supplier::Holder(h) => cache
            .input(i)
            .0
            .as_ref()
            .map(|c| {
                h.share(c)
                    .1
                    .into_iter()
                    .map(|(p, s)| (Key::Place(p), s))
                    .collect()
            })
            .unwrap_or_default(),
        Supplier::Firm(f) => cache
            .input(i)
            .1
            .as_ref()
            .and_then(|fs| fs.shares.iter().find(|(g, _)| g == f))
            .map(|&(_, s)| vec![(Key::Firm(*f), s)])
            .unwrap_or_default(),
    };
    parts.into_iter().filter(|p| p.1 > 0.0).collect()
}

/// Directly shocked inputs: some supplier with a positive share under a shock that can lose
/// something within the horizon.
pub(super) fn directly_shocked(
    exposure: &[Exposure],
    scenario: &Scenario,
    horizon: Option<u32>,
) -> Vec<usize> {
    let can_bite = |k: u32| {
        let s = &scenario.shocks[k as usize];
        s.lost.hi > 0.0 && horizon.is_none_or(|w| s.start_week < w)
    };
    (0..exposure.len())
        .filter(|&i| {
            exposure[i]
                .iter()
                .any(|(_, share, ks)| *share > 0.0 && ks.iter().any(|&k| can_bite(k)))
        })
        .collect()
}
