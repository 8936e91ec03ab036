//! The propagation kernels: one pass over the plan in topological order, long-run
//! ([`run_static`]) or week by week ([`run_weekly`]), single-threaded or level by level on several
//! threads, and a batched long-run kernel ([`run_static_batch`]) that runs many Monte Carlo draws
//! through each node at once. The model they compute is described in the crate documentation.
//!
//! All variants do the same floating-point operations in the same order for a given draw, so
//! their results are bit-identical.

use crate::compile::{Cold, Draw, Hot, KindRule, Level, Model, NONE};
use crate::scenario::WEEKS_PER_MONTH;

/// The smaller of two availabilities. Availabilities are never NaN (every input is checked and
/// every result clamped), so this skips `f64::min`'s NaN handling and compiles to one `minsd`.
#[inline(always)]
fn min(a: f64, b: f64) -> f64 {
    if b < a { b } else { a }
}

/// `x` clamped to [0, 1] (the same as `f64::clamp` for numbers, without its checks).
#[inline(always)]
fn clamp01(x: f64) -> f64 {
    min(max(x, 0.0), 1.0)
}

/// The larger of two numbers without NaN handling (see [`min`]).
#[inline(always)]
fn max(a: f64, b: f64) -> f64 {
    if b > a { b } else { a }
}

/// Fraction of a ramp-up done `elapsed` weeks after the start of the disruption (linear over
/// `ramp` weeks; complete at once when `ramp` is 0).
#[inline]
pub(crate) fn ramp(elapsed: f64, ramp: f64) -> f64 {
    if ramp <= 0.0 {
        1.0
    } else {
        (elapsed / ramp).clamp(0.0, 1.0)
    }
}

/// Substitution and spare capacity of a node under a draw.
#[inline(always)]
fn sigma_spare(h: &Hot, draw: &Draw, mitigate: bool) -> (f64, f64) {
    if !mitigate {
        return (0.0, 0.0);
    }
    let sigma = if h.sigma_src == NONE {
        h.sigma
    } else {
        draw.mitigation[h.sigma_src as usize][1]
    };
    let spare = if h.spare_src == NONE {
        h.spare
    } else {
        draw.mitigation[h.spare_src as usize][2]
    };
    (sigma, spare)
}

/// Weeks of normal use held in stock by the node's users under a draw.
#[inline]
fn stock_weeks(c: &Cold, draw: &Draw, mitigate: bool) -> f64 {
    if !mitigate {
        0.0
    } else if c.stock_src == NONE {
        c.stock_months * WEEKS_PER_MONTH
    } else {
        draw.mitigation[c.stock_src as usize][0] * WEEKS_PER_MONTH
    }
}

/// Combines per-level losses (countries, firms, world) as independent losses.
#[inline]
fn combine(by_level: [f64; 3]) -> f64 {
    let keep = (1.0 - min(by_level[Level::Country as usize], 1.0))
        * (1.0 - min(by_level[Level::Firm as usize], 1.0))
        * (1.0 - min(by_level[Level::World as usize], 1.0));
    clamp01(1.0 - keep)
}

/// Direct loss of plan node `k` (0-1) with the shocks `active` says are on: per supplier the
/// largest lost share of the shocks on it times the supplier's share, summed per level and
/// combined across levels as independent losses.
#[inline(always)]
fn direct_loss(model: &Model, k: usize, draw: &Draw, active: impl Fn(usize) -> bool) -> f64 {
    let (lo, hi) = (model.term_off[k] as usize, model.term_off[k + 1] as usize);
    if lo == hi {
        return 0.0;
    }
    let mut by_level = [0.0f64; 3];
    for t in &model.terms[lo..hi] {
        let mut lost = 0.0f64;
        for &s in &model.term_shocks[t.shocks.0 as usize..t.shocks.1 as usize] {
            if active(s as usize) {
                lost = max(lost, draw.lost[s as usize]);
            }
        }
        by_level[t.level as usize] += t.share * lost;
    }
    combine(by_level)
}

/// Supply of a node itself after spare capacity: 1 − max(0, L − c·(1 − L)), which is 1 when
/// L = 0 (written without a branch so that batches vectorise).
#[inline(always)]
fn own_supply(l: f64, spare: f64) -> f64 {
    1.0 - max(l - spare * (1.0 - l), 0.0)
}

impl Model {
    /// Direct loss (0-1) of every plan node under a draw, with every shock on (the long run).
    /// (Written here, beside the kernel, so that `compile` does not depend on `engine`.)
    pub fn direct_losses(&self, draw: &Draw) -> Vec<f64> {
        direct_losses(self, draw)
    }
}

/// Direct losses of every plan node at the draw's values (long run: every shock on).
pub(crate) fn direct_losses(model: &Model, draw: &Draw) -> Vec<f64> {
    (0..model.n_nodes())
        .map(|k| direct_loss(model, k, draw, |_| true))
        .collect()
}

/// The largest direct loss of every plan node over the weeks of the horizon.
pub(crate) fn peak_direct_losses(model: &Model, draw: &Draw, weeks: u32) -> Vec<f64> {
    (0..model.n_nodes())
        .map(|k| {
            (0..weeks)
                .map(|w| direct_loss(model, k, draw, |s| model.shocks[s].active(w)))
                .fold(0.0, f64::max)
        })
        .collect()
}

/// Availability of one node in the long run, given the availability of the nodes before it.
#[inline(always)]
fn static_node(model: &Model, k: usize, draw: &Draw, mitigate: bool, done: &[f64]) -> f64 {
    let h = &model.hot[k];
    let (sigma, spare) = sigma_spare(h, draw, mitigate);
    let mut p = own_supply(direct_loss(model, k, draw, |_| true), spare);
    let preds = &model.preds[model.pred_off[k] as usize..model.pred_off[k + 1] as usize];
    // Two running minima halve the dependency chain through the loop.
    let mut q = 1.0f64;
    let mut pairs = preds.chunks_exact(2);
    for pair in &mut pairs {
        p = min(p, done[pair[0] as usize]);
        q = min(q, done[pair[1] as usize]);
    }
    for &i in pairs.remainder() {
        p = min(p, done[i as usize]);
    }
    p = min(p, q);
    if h.n_kinds > 0 {
        let kinds = &model.kinds[model.kind_off[k] as usize..model.kind_off[k + 1] as usize];
        let c = match model.rule {
            KindRule::Mean => {
                let mut sum = (h.n_kinds as usize - kinds.len()) as f64;
                for &i in kinds {
                    sum += done[i as usize];
                }
                sum / h.n_kinds as f64
            }
            KindRule::Min => kinds.iter().fold(1.0f64, |m, &i| min(m, done[i as usize])),
        };
        p = min(p, c);
    }
    clamp01(1.0 - (1.0 - sigma) * (1.0 - p))
}

/// Long-run availability of nodes that are not hit directly, have no kinds, and have exactly `W`
/// inputs going into them: the same numbers as [`static_node`], in a loop without inner loops.
#[inline(always)]
fn static_run<const W: usize>(
    model: &Model,
    first: usize,
    draw: &Draw,
    mitigate: bool,
    done: &[f64],
    out: &mut [f64],
) {
    for (j, slot) in out.iter_mut().enumerate() {
        let k = first + j;
        let h = &model.hot[k];
        let (sigma, spare) = sigma_spare(h, draw, mitigate);
        let at = model.pred_off[k] as usize;
        let mut p = own_supply(0.0, spare);
        let mut q = 1.0f64;
        let preds = &model.preds[at..at + W];
        let mut pairs = preds.chunks_exact(2);
        for pair in &mut pairs {
            p = min(p, done[pair[0] as usize]);
            q = min(q, done[pair[1] as usize]);
        }
        for &i in pairs.remainder() {
            p = min(p, done[i as usize]);
        }
        p = min(p, q);
        *slot = clamp01(1.0 - (1.0 - sigma) * (1.0 - p));
    }
}

/// Long-run availability of plan nodes `lo..hi` (within one level) into `out` (`hi - lo` slots),
/// given the nodes of earlier levels in `done`.
fn static_range(
    model: &Model,
    lo: usize,
    hi: usize,
    draw: &Draw,
    mitigate: bool,
    done: &[f64],
    out: &mut [f64],
) {
    let first_run = model.runs.partition_point(|r| (r.end as usize) <= lo);
    for r in &model.runs[first_run..] {
        let (a, b) = ((r.start as usize).max(lo), (r.end as usize).min(hi));
        if a >= b {
            break;
        }
        let slots = &mut out[a - lo..b - lo];
        match r.width {
            1 => static_run::<1>(model, a, draw, mitigate, done, slots),
            2 => static_run::<2>(model, a, draw, mitigate, done, slots),
            3 => static_run::<3>(model, a, draw, mitigate, done, slots),
            4 => static_run::<4>(model, a, draw, mitigate, done, slots),
            5 => static_run::<5>(model, a, draw, mitigate, done, slots),
            6 => static_run::<6>(model, a, draw, mitigate, done, slots),
            7 => static_run::<7>(model, a, draw, mitigate, done, slots),
            8 => static_run::<8>(model, a, draw, mitigate, done, slots),
            _ => {
                for (j, slot) in slots.iter_mut().enumerate() {
                    *slot = static_node(model, a + j, draw, mitigate, done);
                }
            }
        }
    }
}

/// Long-run availability of every plan node (`out[k]` for plan node k), on the calling thread.
pub fn run_static(model: &Model, draw: &Draw, mitigate: bool, out: &mut [f64]) {
    debug_assert_eq!(out.len(), model.n_nodes());
    for w in model.level_starts.windows(2) {
        let (lo, hi) = (w[0], w[1]);
        let (done, rest) = out.split_at_mut(lo);
        static_range(model, lo, hi, draw, mitigate, done, &mut rest[..hi - lo]);
    }
}

/// Levels smaller than this many node-weeks run on the calling thread: spawning costs more than
/// it saves.
const MIN_PARALLEL_LEVEL: usize = 8192;

/// [`run_static`] on `threads` threads, level by level (the nodes of a level depend only on
/// earlier levels). Gives exactly the same numbers as one thread.
pub fn run_static_threaded(
    model: &Model,
    draw: &Draw,
    mitigate: bool,
    out: &mut [f64],
    threads: usize,
) {
    if threads <= 1 {
        return run_static(model, draw, mitigate, out);
    }
    for w in model.level_starts.windows(2) {
        let (lo, hi) = (w[0], w[1]);
        let (done, rest) = out.split_at_mut(lo);
        let level = &mut rest[..hi - lo];
        let done = &*done;
        if level.len() < MIN_PARALLEL_LEVEL {
            static_range(model, lo, hi, draw, mitigate, done, level);
            continue;
        }
        let chunk = level.len().div_ceil(threads);
        let work = move |c: usize, part: &mut [f64]| {
            let first = lo + c * chunk;
            static_range(model, first, first + part.len(), draw, mitigate, done, part);
        };
        // The calling thread takes the first chunk; the others go to spawned threads.
        std::thread::scope(|scope| {
            let mut parts = level.chunks_mut(chunk).enumerate();
            let own = parts.next();
            for (c, part) in parts {
                scope.spawn(move || work(c, part));
            }
            if let Some((c, part)) = own {
                work(c, part);
            }
        });
    }
}

/// Weekly availability of one node, given the weekly availability of the nodes before it
/// (`done` holds `weeks` values per node).
fn weekly_node(
    model: &Model,
    k: usize,
    draw: &Draw,
    mitigate: bool,
    weeks: usize,
    done: &[f64],
    out: &mut [f64],
) {
    let h = &model.hot[k];
    let c = &model.cold[k];
    let (sigma, spare) = sigma_spare(h, draw, mitigate);
    let mut stock = stock_weeks(c, draw, mitigate);
    let origin = model.ramp_origin as f64;
    // Supply of the node itself: 1 minus its direct loss, less what spare capacity makes up.
    // The loss only changes in weeks where a shock starts or ends.
    if model.term_off[k] == model.term_off[k + 1] {
        out.fill(1.0);
    } else {
        let mut l = 0.0;
        for (w, p) in out.iter_mut().enumerate() {
            if model.boundaries.get(w).copied().unwrap_or(true) {
                l = direct_loss(model, k, draw, |s| model.shocks[s].active(w as u32));
            }
            let spare_now = if spare > 0.0 {
                spare * ramp(w as f64 - origin, c.spare_ramp)
            } else {
                0.0
            };
            *p = own_supply(l, spare_now);
        }
    }
    let preds = &model.preds[model.pred_off[k] as usize..model.pred_off[k + 1] as usize];
    for &i in preds {
        let a = &done[i as usize * weeks..(i as usize + 1) * weeks];
        for (p, &v) in out.iter_mut().zip(a) {
            *p = min(*p, v);
        }
    }
    if h.n_kinds > 0 {
        let kinds = &model.kinds[model.kind_off[k] as usize..model.kind_off[k + 1] as usize];
        let n_kinds = h.n_kinds as f64;
        let base = (h.n_kinds as usize - kinds.len()) as f64;
        for (w, p) in out.iter_mut().enumerate() {
            let c = match model.rule {
                KindRule::Mean => {
                    let mut sum = base;
                    for &i in kinds {
                        sum += done[i as usize * weeks + w];
                    }
                    sum / n_kinds
                }
                KindRule::Min => kinds
                    .iter()
                    .fold(1.0f64, |m, &i| min(m, done[i as usize * weeks + w])),
            };
            *p = min(*p, c);
        }
    }
    // Users switch a ramping share to substitutes and draw down their stock.
    for (w, p) in out.iter_mut().enumerate() {
        let sub = if sigma > 0.0 {
            sigma * ramp(w as f64 - origin, c.sub_ramp)
        } else {
            0.0
        };
        let gap = (1.0 - sub) * (1.0 - *p);
        let cover = min(gap, stock);
        stock -= cover;
        *p = clamp01(1.0 - (gap - cover));
    }
}

/// Weekly availability of every plan node: `out[k * weeks + w]` for plan node k in week w.
pub fn run_weekly(model: &Model, draw: &Draw, mitigate: bool, weeks: usize, out: &mut [f64]) {
    debug_assert_eq!(out.len(), model.n_nodes() * weeks);
    for k in 0..model.n_nodes() {
        let (done, rest) = out.split_at_mut(k * weeks);
        weekly_node(model, k, draw, mitigate, weeks, done, &mut rest[..weeks]);
    }
}

/// [`run_weekly`] on `threads` threads, level by level. Same numbers as one thread.
pub fn run_weekly_threaded(
    model: &Model,
    draw: &Draw,
    mitigate: bool,
    weeks: usize,
    out: &mut [f64],
    threads: usize,
) {
    if threads <= 1 {
        return run_weekly(model, draw, mitigate, weeks, out);
    }
    for lv in model.level_starts.windows(2) {
        let (lo, hi) = (lv[0], lv[1]);
        let (done, rest) = out.split_at_mut(lo * weeks);
        let level = &mut rest[..(hi - lo) * weeks];
        let done = &*done;
        if (hi - lo) * weeks < MIN_PARALLEL_LEVEL {
            for (j, slot) in level.chunks_mut(weeks).enumerate() {
                weekly_node(model, lo + j, draw, mitigate, weeks, done, slot);
            }
            continue;
        }
        let per = (hi - lo).div_ceil(threads);
        let work = move |c: usize, part: &mut [f64]| {
            for (j, slot) in part.chunks_mut(weeks).enumerate() {
                weekly_node(model, lo + c * per + j, draw, mitigate, weeks, done, slot);
            }
        };
        std::thread::scope(|scope| {
            let mut parts = level.chunks_mut(per * weeks).enumerate();
            let own = parts.next();
            for (c, part) in parts {
                scope.spawn(move || work(c, part));
            }
            if let Some((c, part)) = own {
                work(c, part);
            }
        });
    }
}

/// Several draws laid out for the batched kernel: lane `b` is draw `b` of the batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    lanes: usize,
    /// Lost share per shock: `lost[s * lanes + b]`.
    lost: Vec<f64>,
    /// Per mitigation record and field (stock, substitution, spare): `mit[(r * 3 + f) * lanes + b]`.
    mit: Vec<f64>,
}

impl Batch {
    /// Lays out draws (all of the same model).
    pub fn new(draws: &[Draw]) -> Batch {
        let lanes = draws.len();
        let n_shocks = draws.first().map_or(0, |d| d.lost.len());
        let n_mit = draws.first().map_or(0, |d| d.mitigation.len());
        let mut lost = vec![0.0; n_shocks * lanes];
        let mut mit = vec![0.0; n_mit * 3 * lanes];
        for (b, d) in draws.iter().enumerate() {
            for (s, &v) in d.lost.iter().enumerate() {
                lost[s * lanes + b] = v;
            }
            for (r, m) in d.mitigation.iter().enumerate() {
                for (f, &v) in m.iter().enumerate() {
                    mit[(r * 3 + f) * lanes + b] = v;
                }
            }
        }
        Batch { lanes, lost, mit }
    }

    /// Draws `first..first + lanes` of the Monte Carlo seeded with `seed`, straight into the
    /// batch layout (the same numbers as [`Model::sample`] draw by draw).
    pub fn sample(model: &Model, seed: u64, first: u64, lanes: usize) -> Batch {
        let k = model.shocks.len();
        let mut lost = vec![0.0; k * lanes];
        let mut mit = vec![0.0; (model.n_slots() - k) * lanes];
        model.draw_values(seed, first, lanes, |j, slot, v| {
            if slot < k {
                lost[slot * lanes + j] = v;
            } else {
                mit[(slot - k) * lanes + j] = v;
            }
        });
        Batch { lanes, lost, mit }
    }

    /// Number of draws.
    pub fn lanes(&self) -> usize {
        self.lanes
    }

    fn mit(&self, r: u32, field: usize) -> &[f64] {
        let at = (r as usize * 3 + field) * self.lanes;
        &self.mit[at..at + self.lanes]
    }
}

/// Scratch space of [`run_static_batch`].
#[derive(Debug, Default)]
pub struct BatchScratch {
    by_level: Vec<f64>,
    lost: Vec<f64>,
    sum: Vec<f64>,
}

/// Long-run availability of every plan node for every draw of a batch, with mitigation:
/// `out[k * stride + offset + b]` for plan node k and draw b of the batch (`out` holds `stride`
/// columns per node, the batch fills `lanes` of them from `offset`). Each node handles all draws
/// in tight loops the compiler vectorises; the numbers are bit-identical to [`run_static`] draw
/// by draw. Per node, as in [`run_static`]: own supply (direct loss less spare capacity), the
/// inputs that go into it, the kinds of a category, then substitution.
pub fn run_static_batch(
    model: &Model,
    batch: &Batch,
    scratch: &mut BatchScratch,
    out: &mut [f64],
    stride: usize,
    offset: usize,
) {
    let lanes = batch.lanes;
    assert!(offset + lanes <= stride && out.len() == model.n_nodes() * stride);
    scratch.by_level.resize(3 * lanes, 0.0);
    scratch.lost.resize(lanes, 0.0);
    scratch.sum.resize(lanes, 0.0);
    let rows = Rows {
        stride,
        offset,
        lanes,
    };
    for k in 0..model.n_nodes() {
        let h = &model.hot[k];
        let (done, rest) = out.split_at_mut(k * stride);
        let p = &mut rest[offset..offset + lanes];
        batch_own_supply(model, k, batch, scratch, p);
        batch_inputs(model, k, rows, done, p);
        if h.n_kinds > 0 {
            batch_kinds(model, k, rows, done, &mut scratch.sum, p);
        }
        batch_substitution(h, batch, p);
    }
}

/// Where a batch's lanes of a plan node sit in the output of [`run_static_batch`].
#[derive(Debug, Clone, Copy)]
struct Rows {
    stride: usize,
    offset: usize,
    lanes: usize,
}

impl Rows {
    /// The lanes of plan node `i`.
    #[inline]
    fn row(self, i: u32) -> std::ops::Range<usize> {
        let at = i as usize * self.stride + self.offset;
        at..at + self.lanes
    }
}

/// Direct loss and spare capacity of plan node `k`, every lane: 1 where no supplier of it is hit.
#[inline]
fn batch_own_supply(
    model: &Model,
    k: usize,
    batch: &Batch,
    scratch: &mut BatchScratch,
    p: &mut [f64],
) {
    let lanes = batch.lanes;
    let h = &model.hot[k];
    let (t_lo, t_hi) = (model.term_off[k] as usize, model.term_off[k + 1] as usize);
    if t_lo == t_hi {
        p.fill(1.0);
        return;
    }
    let by_level = &mut scratch.by_level;
    by_level.fill(0.0);
    for t in &model.terms[t_lo..t_hi] {
        let shocks = &model.term_shocks[t.shocks.0 as usize..t.shocks.1 as usize];
        let lane = |s: u32| &batch.lost[s as usize * lanes..(s as usize + 1) * lanes];
        let acc = &mut by_level[t.level as usize * lanes..(t.level as usize + 1) * lanes];
        let share = t.share;
        if let [s] = shocks {
            for (a, &l) in acc.iter_mut().zip(lane(*s)) {
                *a += share * max(0.0, l);
            }
        } else {
            let lost = &mut scratch.lost;
            lost.fill(0.0);
            for &s in shocks {
                for (l, &v) in lost.iter_mut().zip(lane(s)) {
                    *l = max(*l, v);
                }
            }
            for (a, &l) in acc.iter_mut().zip(lost.iter()) {
                *a += share * l;
            }
        }
    }
    let (country, rest) = by_level.split_at(lanes);
    let (firm, world) = rest.split_at(lanes);
    let direct = country.iter().zip(firm).zip(world);
    if h.spare_src == NONE {
        let spare = h.spare;
        for (x, ((&c, &f), &w)) in p.iter_mut().zip(direct) {
            *x = own_supply(combine([c, f, w]), spare);
        }
    } else {
        let spare = batch.mit(h.spare_src, 2);
        for ((x, ((&c, &f), &w)), &sp) in p.iter_mut().zip(direct).zip(spare) {
            *x = own_supply(combine([c, f, w]), sp);
        }
    }
}

/// Inputs that go into plan node `k`: no more than the scarcest of them, every lane.
#[inline]
fn batch_inputs(model: &Model, k: usize, rows: Rows, done: &[f64], p: &mut [f64]) {
    for &i in &model.preds[model.pred_off[k] as usize..model.pred_off[k + 1] as usize] {
        for (x, &v) in p.iter_mut().zip(&done[rows.row(i)]) {
            *x = min(*x, v);
        }
    }
}

/// Kinds of a category (plan node `k`): their mean or minimum availability bounds it, every lane.
/// Kinds outside the plan count as fully available.
#[inline]
fn batch_kinds(model: &Model, k: usize, rows: Rows, done: &[f64], sum: &mut [f64], p: &mut [f64]) {
    let n_kinds = model.hot[k].n_kinds;
    let kinds = &model.kinds[model.kind_off[k] as usize..model.kind_off[k + 1] as usize];
    match model.rule {
        KindRule::Mean => {
            sum.fill((n_kinds as usize - kinds.len()) as f64);
            for &i in kinds {
                for (s, &v) in sum.iter_mut().zip(&done[rows.row(i)]) {
                    *s += v;
                }
            }
            let n = n_kinds as f64;
            for (x, &s) in p.iter_mut().zip(sum.iter()) {
                *x = min(*x, s / n);
            }
        }
        KindRule::Min => {
            sum.fill(1.0);
            for &i in kinds {
                for (s, &v) in sum.iter_mut().zip(&done[rows.row(i)]) {
                    *s = min(*s, v);
                }
            }
            for (x, &s) in p.iter_mut().zip(sum.iter()) {
                *x = min(*x, s);
            }
        }
    }
}

/// Users' substitution (the node's own σ, or a mitigation record's), every lane.
#[inline]
fn batch_substitution(h: &Hot, batch: &Batch, p: &mut [f64]) {
    if h.sigma_src == NONE {
        let sigma = h.sigma;
        for x in p.iter_mut() {
            *x = clamp01(1.0 - (1.0 - sigma) * (1.0 - *x));
        }
    } else {
        for (x, &sigma) in p.iter_mut().zip(batch.mit(h.sigma_src, 1)) {
            *x = clamp01(1.0 - (1.0 - sigma) * (1.0 - *x));
        }
    }
}
