//! Compiling a [`Scenario`] against a checked ecosystem into a [`Model`]: suppliers resolved to
//! countries, blocs or firms; each hit input's exposure (the shocked suppliers' shares of it);
//! the inputs the shock can reach, in topological levels with their order (distance from a
//! directly shocked input); and each node's mitigation parameters.
//!
//! The model is independent of the numbers the Monte Carlo draws: a [`Draw`] supplies them, so one
//! model serves the point estimate, the unmitigated run and every draw.

use crate::error::Error;
use crate::scenario::{ALL_SUPPLIERS, Scenario, Target, Value};
use osa_ecosystem::metrics::input_metrics;
use osa_ecosystem::shares::{self, CountryShares, FirmShares};
use osa_ecosystem::{Holder, MetricsOptions, YearChoice};
use osa_model::{Blocs, Checked, InputKind, Place};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::VecDeque;

/// How a category (an input others are a type of, over `is_type_of`) combines its kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KindRule {
    /// The mean availability of its kinds: a category is the sum of its kinds, in equal parts
    /// (the data has no volumes to weight them by). The default.
    #[default]
    Mean,
    /// The availability of its scarcest kind: every kind serves uses no other kind can.
    Min,
}

impl KindRule {
    /// Spelling on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            KindRule::Mean => "mean",
            KindRule::Min => "min",
        }
    }
}

impl std::str::FromStr for KindRule {
    type Err = String;
    fn from_str(s: &str) -> Result<KindRule, String> {
        match s {
            "mean" => Ok(KindRule::Mean),
            "min" => Ok(KindRule::Min),
            other => Err(format!(
                "unknown kind rule `{other}` (expected mean or min)"
            )),
        }
    }
}

/// How to compile a scenario.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Which year of shares to read (default: the latest each input has).
    pub year: YearChoice,
    /// How categories combine their kinds.
    pub kinds: KindRule,
    /// Horizon in weeks; overrides the scenario's. Any horizon makes the run weekly.
    pub weeks: Option<u32>,
    /// Unknown input ids are errors (true) or warnings (false, for scenarios written for several
    /// ecosystems).
    pub strict: bool,
}

/// Level of a supplier term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Level {
    /// A country or region share.
    Country = 0,
    /// A firm share.
    Firm = 1,
    /// The whole world supply (`*`).
    World = 2,
}

/// One shocked supplier of one input: its share and the shocks that hit it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Term {
    pub(crate) level: Level,
    pub(crate) share: f64,
    pub(crate) shocks: (u32, u32),
}

/// Per-node constants the long-run kernel reads (kept small: the kernel streams them).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hot {
    /// The input's own substitutability (used when no mitigation record sets it).
    pub(crate) sigma: f64,
    /// Spare capacity when no mitigation record sets it (0).
    pub(crate) spare: f64,
    /// All kinds of the node, also those the shock cannot reach (they stay at 1).
    pub(crate) n_kinds: u32,
    /// Mitigation record that sets substitution, or [`NONE`].
    pub(crate) sigma_src: u32,
    /// Mitigation record that sets spare capacity, or [`NONE`].
    pub(crate) spare_src: u32,
}

/// Per-node constants only the weekly kernel reads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cold {
    pub(crate) sub_ramp: f64,
    pub(crate) spare_ramp: f64,
    pub(crate) stock_months: f64,
    pub(crate) stock_src: u32,
}

/// Widest run the kernel has a fixed-width loop for.
pub(crate) const MAX_RUN_WIDTH: u32 = 8;

/// Plan nodes `start..end` of one level: with `width` > 0 none is hit directly or has kinds, and
/// each has exactly `width` inputs going into it; with `width` 0 they take the general path.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Run {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) width: u32,
}

/// No mitigation record sets this parameter.
pub(crate) const NONE: u32 = u32::MAX;

/// A shock's numbers as the engine needs them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ShockTiming {
    pub(crate) lost: Value,
    pub(crate) start: u32,
    pub(crate) end: Option<u32>,
}

impl ShockTiming {
    pub(crate) fn active(&self, week: u32) -> bool {
        week >= self.start && self.end.is_none_or(|e| week < e)
    }
}

/// A scenario compiled against an ecosystem.
#[derive(Debug, Clone)]
pub struct Model {
    pub(crate) n_inputs: usize,
    /// Plan node -> input index, in topological levels.
    pub(crate) nodes: Vec<usize>,
    /// Plan node -> order (0 = directly shocked).
    pub(crate) order: Vec<u32>,
    /// Start of each level in plan order, plus the end.
    pub(crate) level_starts: Vec<usize>,
    /// Plan node k's inputs that go into it: `preds[pred_off[k]..pred_off[k + 1]]`.
    pub(crate) pred_off: Vec<u32>,
    pub(crate) preds: Vec<u32>,
    /// Plan node k's kinds inside the plan: `kinds[kind_off[k]..kind_off[k + 1]]`.
    pub(crate) kind_off: Vec<u32>,
    pub(crate) kinds: Vec<u32>,
    /// Plan node k's supplier terms: `terms[term_off[k]..term_off[k + 1]]`.
    pub(crate) term_off: Vec<u32>,
    pub(crate) terms: Vec<Term>,
    pub(crate) hot: Vec<Hot>,
    pub(crate) cold: Vec<Cold>,
    /// Plan nodes in runs of the same shape, in plan order (see [`Run`]).
    pub(crate) runs: Vec<Run>,
    pub(crate) term_shocks: Vec<u32>,
    pub(crate) shocks: Vec<ShockTiming>,
    pub(crate) mitigations: Vec<[Option<Value>; 3]>,
    pub(crate) horizon: Option<u32>,
    /// Per week of the horizon: whether the set of active shocks changes (week 0 always).
    pub(crate) boundaries: Vec<bool>,
    pub(crate) ramp_origin: u32,
    pub(crate) rule: KindRule,
    pub(crate) warnings: Vec<String>,
}

/// The numbers of one run: lost shares per shock, and the mitigation values per mitigation record
/// (stock months, substitution, spare capacity).
#[derive(Debug, Clone, PartialEq)]
pub struct Draw {
    /// Per shock.
    pub lost: Vec<f64>,
    /// Per mitigation record: stock months, substitution, spare capacity (NaN where unset).
    pub mitigation: Vec<[f64; 3]>,
}

impl Model {
    /// Number of inputs the shock can reach (the plan's nodes).
    pub fn n_nodes(&self) -> usize {
        self.nodes.len()
    }
    /// Input index of plan node `k`.
    pub fn input(&self, k: usize) -> usize {
        self.nodes[k]
    }
    /// Order of plan node `k`: the number of edges from the nearest directly shocked input.
    pub fn order(&self, k: usize) -> u32 {
        self.order[k]
    }
    /// Number of goes_into and is_type_of edges inside the plan.
    pub fn n_edges(&self) -> usize {
        self.preds.len() + self.kinds.len()
    }
    /// Weeks of the weekly profile, when the run is weekly.
    pub fn horizon(&self) -> Option<u32> {
        self.horizon
    }
    /// Problems that did not stop the run (unknown ids in a scenario file, shocks that hit nothing).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
    /// Number of inputs of the ecosystem.
    pub fn n_inputs(&self) -> usize {
        self.n_inputs
    }
    /// Number of topological levels.
    pub fn n_levels(&self) -> usize {
        self.level_starts.len().saturating_sub(1)
    }

    /// Direct loss (0-1) of every plan node under a draw, with every shock on (the long run).
    pub fn direct_losses(&self, draw: &Draw) -> Vec<f64> {
        crate::engine::direct_losses(self, draw)
    }

    /// The point estimate: every range at its midpoint.
    pub fn point(&self) -> Draw {
        Draw {
            lost: self.shocks.iter().map(|s| s.lost.mid()).collect(),
            mitigation: self
                .mitigations
                .iter()
                .map(|m| m.map(|v| v.map_or(f64::NAN, |v| v.mid())))
                .collect(),
        }
    }

    /// Number of values a draw takes from the random stream: one per range.
    fn n_ranged(&self) -> usize {
        self.shocks.iter().filter(|s| s.lost.is_range()).count()
            + self
                .mitigations
                .iter()
                .flatten()
                .flatten()
                .filter(|v| v.is_range())
                .count()
    }

    /// Number of parameter slots of a draw: one lost share per shock, then three per mitigation
    /// record (stock months, substitution, spare capacity).
    pub(crate) fn n_slots(&self) -> usize {
        self.shocks.len() + 3 * self.mitigations.len()
    }

    /// The values of draws `first..first + count` of the Monte Carlo seeded with `seed`:
    /// `put(j, slot, value)` for draw `first + j` and every slot (NaN where a mitigation record
    /// leaves a field unset).
    ///
    /// One ChaCha8 stream (seed `seed`) is cut into equal segments, one per draw: draw d reads
    /// the 64-bit words from word position 2·d·R on, where R is the number of ranges. Each range
    /// takes one word x, in a fixed order (shocks, then mitigation records field by field), and
    /// becomes lo + u·(hi − lo) with u = (x >> 11)·2⁻⁵³ ∈ [0, 1). Point values take no word. A
    /// draw's numbers depend only on (seed, d), not on which thread runs it or in what batch.
    pub(crate) fn draw_values(
        &self,
        seed: u64,
        first: u64,
        count: usize,
        mut put: impl FnMut(usize, usize, f64),
    ) {
        let n_ranged = self.n_ranged();
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        if n_ranged > 0 {
            rng.set_word_pos(u128::from(first) * 2 * n_ranged as u128);
        }
        let mut pick = |v: Value| {
            if v.is_range() {
                let u = (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
                v.lo + u * (v.hi - v.lo)
            } else {
                v.lo
            }
        };
        let k = self.shocks.len();
        for j in 0..count {
            for (s, shock) in self.shocks.iter().enumerate() {
                put(j, s, pick(shock.lost));
            }
            for (r, m) in self.mitigations.iter().enumerate() {
                for (f, v) in m.iter().enumerate() {
                    put(j, k + 3 * r + f, v.map_or(f64::NAN, &mut pick));
                }
            }
        }
    }

    /// Draw `index` of the Monte Carlo seeded with `seed` (see [`Model::draw_values`] for how
    /// the stream is used).
    pub fn sample(&self, seed: u64, index: u64) -> Draw {
        let k = self.shocks.len();
        let mut draw = Draw {
            lost: vec![0.0; k],
            mitigation: vec![[f64::NAN; 3]; self.mitigations.len()],
        };
        self.draw_values(seed, index, 1, |_, slot, v| {
            if slot < k {
                draw.lost[slot] = v;
            } else {
                draw.mitigation[(slot - k) / 3][(slot - k) % 3] = v;
            }
        });
        draw
    }
}

/// A resolved supplier.
#[derive(Debug, Clone)]
enum Supplier {
    World,
    Holder(Holder),
    Firm(usize),
}

/// Key of a term within one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Place(Place),
    Firm(usize),
    World,
}

impl Key {
    fn level(self) -> Level {
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

/// Input and stage ids a target names that the ecosystem lacks.
pub fn unknown_ids(checked: &Checked, target: &Target) -> Vec<String> {
    match target {
        Target::All => Vec::new(),
        Target::Ids(ids) => ids
            .iter()
            .filter(|id| checked.input_index(id).is_none() && checked.stage_index(id).is_none())
            .cloned()
            .collect(),
    }
}

/// The inputs a target names: input ids as such, stage ids as the processes declared in the stage.
fn target_inputs(
    checked: &Checked,
    target: &Target,
    what: &str,
    strict: bool,
    warnings: &mut Vec<String>,
) -> Result<Vec<usize>, Error> {
    let eco = checked.ecosystem();
    match target {
        Target::All => Ok((0..checked.n_inputs()).collect()),
        Target::Ids(ids) => {
            let mut out = Vec::new();
            for id in ids {
                if let Some(i) = checked.input_index(id) {
                    out.push(i);
                } else if let Some(s) = checked.stage_index(id) {
                    out.extend((0..checked.n_inputs()).filter(|&i| {
                        checked.input_stage(i) == Some(s)
                            && eco.inputs[i].kind == InputKind::Process
                    }));
                } else if strict {
                    return Err(Error::UnknownInput {
                        what: what.to_string(),
                        id: id.clone(),
                        ecosystem: eco.id.clone(),
                        hint: hint(checked, id),
                    });
                } else {
                    warnings.push(format!(
                        "{what}: ecosystem `{}` has no input or stage `{id}`; skipped",
                        eco.id
                    ));
                }
            }
            out.sort_unstable();
            out.dedup();
            Ok(out)
        }
    }
}

/// Edit distance between two short strings (insertions, deletions, substitutions).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// A hint for an unknown input id: inputs whose id or name contains it, or whose id is within a
/// typo of it.
pub fn hint(checked: &Checked, id: &str) -> String {
    let needle = id.to_lowercase();
    let close: Vec<String> = checked
        .ecosystem()
        .inputs
        .iter()
        .filter(|i| {
            let iid = i.id.to_lowercase();
            iid.contains(&needle)
                || i.name.to_lowercase().contains(&needle)
                || (iid.len() >= 3 && needle.contains(&iid))
                || (needle.len() >= 4 && edit_distance(&iid, &needle) <= 2)
        })
        .take(5)
        .map(|i| format!("{} ({})", i.id, i.name))
        .collect();
    if close.is_empty() {
        " (`osa metrics` lists the ids)".to_string()
    } else {
        format!("; did you mean: {}", close.join(", "))
    }
}

fn resolve_supplier(
    checked: &Checked,
    blocs: &Blocs,
    name: &str,
    shock: &str,
) -> Result<Supplier, Error> {
    if name == ALL_SUPPLIERS {
        return Ok(Supplier::World);
    }
    if let Some(h) = Holder::resolve(name, blocs) {
        return Ok(Supplier::Holder(h));
    }
    if let Some(f) = checked.firm_index(name) {
        return Ok(Supplier::Firm(f));
    }
    Err(Error::UnknownSupplier {
        supplier: name.to_string(),
        shock: shock.to_string(),
        blocs: blocs
            .iter()
            .map(|b| b.id.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    })
}

/// Compiles a scenario against a checked ecosystem.
pub fn compile(
    checked: &Checked,
    blocs: &Blocs,
    scenario: &Scenario,
    opts: &Options,
) -> Result<Model, Error> {
    scenario.check()?;
    if let Some(w) = opts.weeks {
        crate::limits::check_weeks("--weeks", w)?;
    }
    let n = checked.n_inputs();
    let mut warnings = Vec::new();

    // Time: a horizon makes the run weekly.
    let timed = opts.weeks.is_some() || scenario.is_timed();
    let horizon = if timed {
        let last = scenario
            .shocks
            .iter()
            .map(|s| s.end_week().unwrap_or(s.start_week.saturating_add(1)))
            .max()
            .unwrap_or(1);
        Some(opts.weeks.or(scenario.weeks).unwrap_or(last).max(1))
    } else {
        None
    };
    let ramp_origin = scenario
        .shocks
        .iter()
        .map(|s| s.start_week)
        .min()
        .unwrap_or(0);

    // Exposure: per input, per shocked supplier, its share and the shocks on it.
    let mut cache = ShareCache::new(checked, opts.year);
    // Per input, its shocked suppliers: (supplier, share, shocks on it).
    type Exposure = Vec<(Key, f64, Vec<u32>)>;
    let mut exposure: Vec<Exposure> = vec![Vec::new(); n];
    let mut any_target = scenario.shocks.is_empty();
    for (k, shock) in scenario.shocks.iter().enumerate() {
        let text = shock.describe();
        let supplier = resolve_supplier(checked, blocs, &shock.supplier, &text)?;
        let what = text.clone();
        let inputs = target_inputs(checked, &shock.target, &what, opts.strict, &mut warnings)?;
        any_target |= !inputs.is_empty();
        let mut hit = 0.0;
        for i in inputs {
            // The world supply needs no shares; the others read the input's (or its stage's).
            let parts: Vec<(Key, f64)> = match &supplier {
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
            for (key, share) in parts.into_iter().filter(|p| p.1 > 0.0) {
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

    // Directly shocked inputs: some supplier with a positive share under a shock that can lose
    // something within the horizon.
    let can_bite = |k: u32| {
        let s = &scenario.shocks[k as usize];
        s.lost.hi > 0.0 && horizon.is_none_or(|w| s.start_week < w)
    };
    for list in &mut exposure {
        list.sort_by_key(|e| e.0);
    }
    let is_exposed: Vec<bool> = exposure.iter().map(|l| !l.is_empty()).collect();
    let shocked: Vec<usize> = (0..n)
        .filter(|&i| {
            exposure[i]
                .iter()
                .any(|(_, share, ks)| *share > 0.0 && ks.iter().any(|&k| can_bite(k)))
        })
        .collect();

    // Order: breadth-first distance downstream over goes_into and is_type_of.
    let mut dist = vec![u32::MAX; n];
    let mut queue = VecDeque::new();
    for &i in &shocked {
        dist[i] = 0;
        queue.push_back(i);
    }
    let mut reached = Vec::new();
    while let Some(i) = queue.pop_front() {
        reached.push(i);
        for t in checked.downstream(i) {
            if dist[t] == u32::MAX {
                dist[t] = dist[i] + 1;
                queue.push_back(t);
            }
        }
    }

    // Levels over the reached subgraph (Kahn in waves): every node after all its predecessors.
    let mut indegree = vec![0u32; n];
    let mut n_preds_in = vec![0u32; n];
    for &i in &reached {
        for t in checked.downstream(i) {
            indegree[t] += 1;
        }
        for &t in checked.goes_into(i) {
            n_preds_in[t] += 1;
        }
    }
    // All kinds of each input, reached or not.
    let mut n_kinds_all_inputs = vec![0u32; n];
    for i in 0..n {
        for &t in checked.is_type_of(i) {
            n_kinds_all_inputs[t] += 1;
        }
    }
    // Within a level, nodes with the same shape (hit directly or not, number of inputs and of
    // kinds) sit together, so the kernel's loops run the same trip counts in long runs and its
    // branches are predictable. The order within a level changes no result.
    let exposed = |i: usize| is_exposed[i];
    let shape = |i: &usize| (exposed(*i), n_kinds_all_inputs[*i], n_preds_in[*i], *i);
    let mut wave: Vec<usize> = reached
        .iter()
        .copied()
        .filter(|&i| indegree[i] == 0)
        .collect();
    wave.sort_unstable_by_key(shape);
    let mut nodes = Vec::with_capacity(reached.len());
    let mut level_starts = vec![0];
    while !wave.is_empty() {
        nodes.extend_from_slice(&wave);
        level_starts.push(nodes.len());
        let mut next = Vec::new();
        for &i in &wave {
            for t in checked.downstream(i) {
                indegree[t] -= 1;
                if indegree[t] == 0 {
                    next.push(t);
                }
            }
        }
        next.sort_unstable();
        next.dedup();
        next.sort_unstable_by_key(shape);
        wave = next;
    }
    debug_assert_eq!(
        nodes.len(),
        reached.len(),
        "a checked ecosystem has no cycle"
    );
    let mut local = vec![u32::MAX; n];
    for (k, &i) in nodes.iter().enumerate() {
        local[i] = k as u32;
    }

    // Predecessors and kinds inside the plan (CSR; filled in plan order, so deterministic).
    let m = nodes.len();
    let mut n_preds = vec![0u32; m];
    let mut n_kinds_in = vec![0u32; m];
    for &i in &nodes {
        for &t in checked.goes_into(i) {
            n_preds[local[t] as usize] += 1;
        }
        for &t in checked.is_type_of(i) {
            n_kinds_in[local[t] as usize] += 1;
        }
    }
    let offsets = |counts: &[u32]| -> Vec<u32> {
        let mut o = Vec::with_capacity(counts.len() + 1);
        o.push(0u32);
        for &c in counts {
            o.push(o.last().copied().unwrap_or(0) + c);
        }
        o
    };
    let pred_off = offsets(&n_preds);
    let kind_off = offsets(&n_kinds_in);
    let mut preds = vec![0u32; pred_off[m] as usize];
    let mut kinds = vec![0u32; kind_off[m] as usize];
    let mut fill_p = pred_off.clone();
    let mut fill_k = kind_off.clone();
    for (k, &i) in nodes.iter().enumerate() {
        for &t in checked.goes_into(i) {
            let j = local[t] as usize;
            preds[fill_p[j] as usize] = k as u32;
            fill_p[j] += 1;
        }
        for &t in checked.is_type_of(i) {
            let j = local[t] as usize;
            kinds[fill_k[j] as usize] = k as u32;
            fill_k[j] += 1;
        }
    }
    let n_kinds_all: Vec<u32> = nodes.iter().map(|&i| n_kinds_all_inputs[i]).collect();
    // Runs of plan nodes (within a level) that the kernel can take in a fixed-width loop: not hit
    // directly, no kinds, and the same number (1 to MAX_RUN_WIDTH) of inputs going into them.
    let mut runs = Vec::new();
    for lv in level_starts.windows(2) {
        let mut k = lv[0];
        while k < lv[1] {
            let i = nodes[k];
            let simple = !is_exposed[i] && n_kinds_all_inputs[i] == 0;
            let width = if simple && (1..=MAX_RUN_WIDTH).contains(&n_preds_in[i]) {
                n_preds_in[i]
            } else {
                0
            };
            let mut end = k + 1;
            while end < lv[1] && {
                let j = nodes[end];
                let simple_j = !is_exposed[j] && n_kinds_all_inputs[j] == 0;
                let width_j = if simple_j && (1..=MAX_RUN_WIDTH).contains(&n_preds_in[j]) {
                    n_preds_in[j]
                } else {
                    0
                };
                width_j == width
            } {
                end += 1;
            }
            runs.push(Run {
                start: k as u32,
                end: end as u32,
                width,
            });
            k = end;
        }
    }

    // Terms of directly exposed plan nodes.
    let mut terms = Vec::new();
    let mut term_shocks = Vec::new();
    let mut term_off = Vec::with_capacity(m + 1);
    term_off.push(0u32);
    for &i in &nodes {
        for (key, share, ks) in &exposure[i] {
            let s_lo = term_shocks.len() as u32;
            term_shocks.extend_from_slice(ks);
            terms.push(Term {
                level: key.level(),
                share: *share,
                shocks: (s_lo, term_shocks.len() as u32),
            });
        }
        term_off.push(terms.len() as u32);
    }

    // Mitigation parameters: the input's own values, overridden by mitigation records in order.
    let eco = checked.ecosystem();
    let mut hot: Vec<Hot> = (0..m)
        .map(|k| Hot {
            sigma: eco.inputs[nodes[k]]
                .substitutability
                .unwrap_or(0.0)
                .clamp(0.0, 1.0),
            spare: 0.0,
            n_kinds: n_kinds_all[k],
            sigma_src: NONE,
            spare_src: NONE,
        })
        .collect();
    let mut cold: Vec<Cold> = (0..m)
        .map(|k| Cold {
            sub_ramp: 0.0,
            spare_ramp: 0.0,
            stock_months: eco.inputs[nodes[k]]
                .storability_months
                .unwrap_or(0.0)
                .max(0.0),
            stock_src: NONE,
        })
        .collect();
    let mut mitigations = Vec::with_capacity(scenario.mitigations.len());
    for (r, mit) in scenario.mitigations.iter().enumerate() {
        let what = if mit.origin.is_empty() {
            format!("mitigation #{} on `{}`", r + 1, mit.target)
        } else {
            mit.describe()
        };
        let inputs = target_inputs(checked, &mit.target, &what, opts.strict, &mut warnings)?;
        let r = r as u32;
        for i in inputs {
            let k = local[i];
            if k == u32::MAX {
                continue;
            }
            let (h, c) = (&mut hot[k as usize], &mut cold[k as usize]);
            if mit.stock_months.is_some() {
                c.stock_src = r;
            }
            if mit.substitution.is_some() {
                h.sigma_src = r;
            }
            if mit.spare_capacity.is_some() {
                h.spare_src = r;
            }
            if let Some(w) = mit.substitution_ramp_weeks {
                c.sub_ramp = w;
            }
            if let Some(w) = mit.spare_ramp_weeks {
                c.spare_ramp = w;
            }
        }
        mitigations.push([mit.stock_months, mit.substitution, mit.spare_capacity]);
    }

    let order = nodes.iter().map(|&i| dist[i]).collect();
    let mut boundaries = vec![false; horizon.unwrap_or(0) as usize];
    if let Some(first) = boundaries.first_mut() {
        *first = true;
    }
    for s in &scenario.shocks {
        for w in [Some(s.start_week), s.end_week()].into_iter().flatten() {
            if let Some(b) = boundaries.get_mut(w as usize) {
                *b = true;
            }
        }
    }
    Ok(Model {
        n_inputs: n,
        nodes,
        order,
        level_starts,
        pred_off,
        preds,
        kind_off,
        kinds,
        term_off,
        terms,
        hot,
        cold,
        runs,
        term_shocks,
        shocks: scenario
            .shocks
            .iter()
            .map(|s| ShockTiming {
                lost: s.lost,
                start: s.start_week,
                end: s.end_week(),
            })
            .collect(),
        mitigations,
        horizon,
        boundaries,
        ramp_origin,
        rule: opts.kinds,
        warnings,
    })
}
