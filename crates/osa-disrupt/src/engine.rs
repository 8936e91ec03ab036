//! The propagation kernels: one pass over the plan in topological order, long-run
//! ([`run_static`]) or week by week ([`run_weekly`]), single-threaded or level by level on several
//! threads. The model they compute is described in the crate documentation.

use crate::compile::{Draw, KindRule, Level, Model, NONE, NodeSpec};
use crate::scenario::WEEKS_PER_MONTH;

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

/// The mitigation values of a node under a draw: (substitution, stock weeks, spare capacity).
#[inline]
fn mitigation(s: &NodeSpec, draw: &Draw, mitigate: bool) -> (f64, f64, f64) {
    if !mitigate {
        return (0.0, 0.0, 0.0);
    }
    let pick = |src: u32, field: usize, own: f64| {
        if src == NONE {
            own
        } else {
            draw.mitigation[src as usize][field]
        }
    };
    (
        pick(s.sigma_src, 1, s.sigma),
        pick(s.stock_src, 0, s.stock_months) * WEEKS_PER_MONTH,
        pick(s.spare_src, 2, s.spare),
    )
}

/// Direct loss of a node (0-1) with the shocks `active` says are on: per supplier the largest
/// lost share of the shocks on it times the supplier's share, summed per level (countries,
/// firms, world) and combined across levels as independent losses.
#[inline]
fn direct_loss(model: &Model, s: &NodeSpec, draw: &Draw, active: impl Fn(usize) -> bool) -> f64 {
    let (lo, hi) = s.terms;
    if lo == hi {
        return 0.0;
    }
    let mut by_level = [0.0f64; 3];
    for t in &model.terms[lo as usize..hi as usize] {
        let mut lost = 0.0f64;
        for &k in &model.term_shocks[t.shocks.0 as usize..t.shocks.1 as usize] {
            if active(k as usize) {
                lost = lost.max(draw.lost[k as usize]);
            }
        }
        by_level[t.level as usize] += t.share * lost;
    }
    let keep = (1.0 - by_level[Level::Country as usize].min(1.0))
        * (1.0 - by_level[Level::Firm as usize].min(1.0))
        * (1.0 - by_level[Level::World as usize].min(1.0));
    (1.0 - keep).clamp(0.0, 1.0)
}

/// Direct losses of every plan node at the draw's values (long run: every shock on).
pub(crate) fn direct_losses(model: &Model, draw: &Draw) -> Vec<f64> {
    model
        .spec
        .iter()
        .map(|s| direct_loss(model, s, draw, |_| true))
        .collect()
}

/// The largest direct loss of every plan node over the weeks of the horizon.
pub(crate) fn peak_direct_losses(model: &Model, draw: &Draw, weeks: u32) -> Vec<f64> {
    model
        .spec
        .iter()
        .map(|s| {
            (0..weeks)
                .map(|w| direct_loss(model, s, draw, |k| model.shocks[k].active(w)))
                .fold(0.0, f64::max)
        })
        .collect()
}

/// Availability of one node in the long run, given the availability of the nodes before it.
#[inline]
fn static_node(model: &Model, k: usize, draw: &Draw, mitigate: bool, done: &[f64]) -> f64 {
    let s = &model.spec[k];
    let (sigma, _, spare) = mitigation(s, draw, mitigate);
    let l = direct_loss(model, s, draw, |_| true);
    let mut p = if l > 0.0 {
        1.0 - (l - spare * (1.0 - l)).max(0.0)
    } else {
        1.0
    };
    for &i in &model.preds[s.preds.0 as usize..s.preds.1 as usize] {
        p = p.min(done[i as usize]);
    }
    if s.n_kinds > 0 {
        let kinds = &model.kinds[s.kinds.0 as usize..s.kinds.1 as usize];
        let c = match model.rule {
            KindRule::Mean => {
                let mut sum = (s.n_kinds as usize - kinds.len()) as f64;
                for &i in kinds {
                    sum += done[i as usize];
                }
                sum / s.n_kinds as f64
            }
            KindRule::Min => kinds.iter().fold(1.0f64, |m, &i| m.min(done[i as usize])),
        };
        p = p.min(c);
    }
    (1.0 - (1.0 - sigma) * (1.0 - p)).clamp(0.0, 1.0)
}

/// Long-run availability of every plan node (`out[k]` for plan node k), on the calling thread.
pub fn run_static(model: &Model, draw: &Draw, mitigate: bool, out: &mut [f64]) {
    debug_assert_eq!(out.len(), model.n_nodes());
    for k in 0..out.len() {
        out[k] = static_node(model, k, draw, mitigate, out);
    }
}

/// Levels smaller than this run on the calling thread: spawning costs more than it saves.
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
        if level.len() < MIN_PARALLEL_LEVEL {
            for (j, slot) in level.iter_mut().enumerate() {
                *slot = static_node(model, lo + j, draw, mitigate, done);
            }
            continue;
        }
        let chunk = level.len().div_ceil(threads);
        let done = &*done;
        std::thread::scope(|scope| {
            for (c, part) in level.chunks_mut(chunk).enumerate() {
                scope.spawn(move || {
                    let first = lo + c * chunk;
                    for (j, slot) in part.iter_mut().enumerate() {
                        *slot = static_node(model, first + j, draw, mitigate, done);
                    }
                });
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
    let s = &model.spec[k];
    let (sigma, mut stock, spare) = mitigation(s, draw, mitigate);
    let origin = model.ramp_origin as f64;
    // Supply of the node itself: 1 minus its direct loss, less what spare capacity makes up.
    if s.terms.0 == s.terms.1 {
        out.fill(1.0);
    } else {
        for (w, p) in out.iter_mut().enumerate() {
            let l = direct_loss(model, s, draw, |j| model.shocks[j].active(w as u32));
            let c = spare * ramp(w as f64 - origin, s.spare_ramp);
            *p = if l > 0.0 {
                1.0 - (l - c * (1.0 - l)).max(0.0)
            } else {
                1.0
            };
        }
    }
    for &i in &model.preds[s.preds.0 as usize..s.preds.1 as usize] {
        let a = &done[i as usize * weeks..(i as usize + 1) * weeks];
        for (p, &v) in out.iter_mut().zip(a) {
            *p = p.min(v);
        }
    }
    if s.n_kinds > 0 {
        let kinds = &model.kinds[s.kinds.0 as usize..s.kinds.1 as usize];
        for (w, p) in out.iter_mut().enumerate() {
            let c = match model.rule {
                KindRule::Mean => {
                    let mut sum = (s.n_kinds as usize - kinds.len()) as f64;
                    for &i in kinds {
                        sum += done[i as usize * weeks + w];
                    }
                    sum / s.n_kinds as f64
                }
                KindRule::Min => kinds
                    .iter()
                    .fold(1.0f64, |m, &i| m.min(done[i as usize * weeks + w])),
            };
            *p = p.min(c);
        }
    }
    // Users switch a ramping share to substitutes and draw down their stock.
    for (w, p) in out.iter_mut().enumerate() {
        let sub = sigma * ramp(w as f64 - origin, s.sub_ramp);
        let gap = (1.0 - sub) * (1.0 - *p);
        let cover = gap.min(stock);
        stock -= cover;
        *p = (1.0 - (gap - cover)).clamp(0.0, 1.0);
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
        std::thread::scope(|scope| {
            for (c, part) in level.chunks_mut(per * weeks).enumerate() {
                scope.spawn(move || {
                    for (j, slot) in part.chunks_mut(weeks).enumerate() {
                        weekly_node(model, lo + c * per + j, draw, mitigate, weeks, done, slot);
                    }
                });
            }
        });
    }
}
