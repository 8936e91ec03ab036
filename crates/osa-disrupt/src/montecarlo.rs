//! Monte Carlo over a scenario's ranges: `draws` seeded draws (one ChaCha8 stream per draw, see
//! [`Model::sample`]), run on any number of threads with identical results, summarised per node as
//! the 5th, 50th and 95th percentiles of availability (the worst week's, in a weekly run).
//!
//! Long-run draws go through the batched kernel ([`engine::run_static_batch`]) [`BATCH`] at a
//! time; weekly draws one by one. Percentiles select the order statistics they need instead of
//! sorting.

use crate::compile::Model;
use crate::engine::{self, Batch, BatchScratch};
use crate::error::Error;

/// Largest nodes-by-draws matrix a Monte Carlo may hold (bytes). Several threads hold it twice
/// (their blocks, then the matrix), so a run peaks near twice this (ARCHITECTURE.md, limits).
pub const MAX_MATRIX_BYTES: usize = 384 << 20;

/// Most bytes of weekly scratch (one nodes-by-weeks profile per thread) a weekly Monte Carlo
/// holds; fewer threads run when the profile is large.
pub const MAX_WEEKLY_SCRATCH_BYTES: usize = 256 << 20;

/// Percentiles reported per node.
pub const PERCENTILES: [f64; 3] = [0.05, 0.50, 0.95];

/// Smallest Monte Carlo (nodes × draws × weeks) that runs on more than one thread.
pub const MIN_PARALLEL_WORK: usize = 1 << 21;

/// Draws per batch of the batched kernel (a batch of the plan fits in cache for small plans).
pub const BATCH: usize = 256;

/// The `p` quantile (0-1) of sorted values, interpolating linearly between order statistics
/// (Hyndman and Fan type 7, numpy's default).
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// The ranks (0-based order statistics) type-7 interpolation needs for [`PERCENTILES`] of `n`
/// values, and for each percentile its (low rank, high rank, weight of the high one).
fn ranks(n: usize) -> (Vec<usize>, [(usize, usize, f64); 3]) {
    let parts = PERCENTILES.map(|p| {
        let h = (n - 1) as f64 * p;
        (h.floor() as usize, h.ceil() as usize, h - h.floor())
    });
    let mut ks: Vec<usize> = parts.iter().flat_map(|p| [p.0, p.1]).collect();
    ks.sort_unstable();
    ks.dedup();
    (ks, parts)
}

fn interpolate(parts: [(usize, usize, f64); 3], value: impl Fn(usize) -> f64) -> [f64; 3] {
    parts.map(|(lo, hi, w)| {
        let (vl, vh) = (value(lo), value(hi));
        vl + w * (vh - vl)
    })
}

/// The [`PERCENTILES`] of `values` (type 7), reordering `values`: the order statistics needed are
/// selected in ascending order, each in what is left to the right of the previous one.
pub fn percentiles_of(values: &mut [f64]) -> [f64; 3] {
    let n = values.len();
    if n == 0 {
        return [f64::NAN; 3];
    }
    let (ks, parts) = ranks(n);
    let mut start = 0;
    for &k in &ks {
        values[start..].select_nth_unstable_by(k - start, f64::total_cmp);
        start = k + 1;
    }
    interpolate(parts, |k| values[k])
}

/// Reusable scratch space of [`percentiles_in_unit`].
#[derive(Debug, Default)]
pub struct Selector {
    keys: Vec<u64>,
    copy: Vec<f64>,
}

/// Selects the order statistics `ks` (ascending, distinct) of `keys[lo..hi]`, which holds ranks
/// `lo..hi`, writing `(rank, key)` pairs: the middle rank first, then each side.
fn select_ranks(keys: &mut [u64], lo: usize, ks: &[usize], out: &mut Vec<(usize, u64)>) {
    let Some(mid) = ks.len().checked_sub(1).map(|l| l / 2) else {
        return;
    };
    let k = ks[mid];
    let (left, nth, right) = keys.select_nth_unstable(k - lo);
    out.push((k, *nth));
    let (below, above) = (&ks[..mid], &ks[mid + 1..]);
    select_ranks(left, lo, below, out);
    // The next rank up is the smallest key to the right: a scan, not a selection.
    let above = match above.first() {
        Some(&next) if next == k + 1 => {
            if let Some((pos, &m)) = right.iter().enumerate().min_by_key(|e| *e.1) {
                right.swap(0, pos);
                out.push((next, m));
            }
            &above[1..]
        }
        _ => above,
    };
    select_ranks(right, k + 1, above, out);
}

/// The [`PERCENTILES`] of availabilities (numbers that are not negative), without reordering
/// them: the values' bit patterns order like the values, so the order statistics needed are
/// selected on integers, the median first and then each side. Gives exactly what
/// [`percentiles_of`] gives; negative or NaN values fall back to it.
pub fn percentiles_in_unit(values: &[f64], sel: &mut Selector) -> [f64; 3] {
    let n = values.len();
    if n == 0 {
        return [f64::NAN; 3];
    }
    sel.keys.clear();
    sel.keys.extend(values.iter().map(|v| v.to_bits()));
    // A value below +0.0 (the sign bit set) or a NaN sorts wrongly as an integer.
    if sel.keys.iter().any(|&b| b >= 0x7ff0_0000_0000_0001) {
        sel.copy.clear();
        sel.copy.extend_from_slice(values);
        return percentiles_of(&mut sel.copy);
    }
    let (ks, parts) = ranks(n);
    let mut found = Vec::with_capacity(ks.len());
    select_ranks(&mut sel.keys, 0, &ks, &mut found);
    interpolate(parts, |k| {
        found
            .iter()
            .find(|f| f.0 == k)
            .map_or(f64::NAN, |f| f64::from_bits(f.1))
    })
}

/// Availability of every plan node in every draw: row `k` holds plan node k's `draws` values
/// (the worst week's in a weekly run). Draw `d` uses stream `d` of `seed` whichever thread runs
/// it: the draws are cut into contiguous ranges, one per thread, each run into its own
/// nodes-by-draws block, and the blocks are copied into the matrix.
pub fn draw_matrix(
    model: &Model,
    draws: usize,
    seed: u64,
    threads: usize,
) -> Result<Vec<f64>, Error> {
    let n = model.n_nodes();
    check_matrix_size(n, draws)?;
    if n == 0 || draws == 0 {
        return Ok(vec![0.0; draws * n]);
    }
    let weeks = model.horizon().map(|w| w as usize);
    let run_range = |d0: usize, d1: usize| run_draws(model, seed, weeks, d0, d1);
    let threads = matrix_threads(n, draws, weeks, threads);
    if threads == 1 {
        // One thread writes straight into the result.
        return Ok(run_range(0, draws));
    }
    let per = draws.div_ceil(threads);
    // The calling thread runs the first range; the others go to spawned threads.
    let blocks: Vec<(usize, usize, Vec<f64>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (per..draws)
            .step_by(per)
            .map(|d0| {
                let d1 = (d0 + per).min(draws);
                let run_range = &run_range;
                scope.spawn(move || (d0, d1, run_range(d0, d1)))
            })
            .collect();
        let mut blocks = vec![(0, per.min(draws), run_range(0, per.min(draws)))];
        blocks.extend(
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))),
        );
        blocks
    });
    Ok(assemble_matrix(n, draws, blocks))
}

/// Refuses a nodes-by-draws matrix over [`MAX_MATRIX_BYTES`].
fn check_matrix_size(n: usize, draws: usize) -> Result<(), Error> {
    let bytes = draws.saturating_mul(n).saturating_mul(8);
    if bytes > MAX_MATRIX_BYTES {
        return Err(Error::TooLarge(format!(
            "{draws} draws of {n} affected inputs need {} MiB (limit {} MiB); use fewer draws",
            bytes >> 20,
            MAX_MATRIX_BYTES >> 20
        )));
    }
    Ok(())
}

/// Threads a Monte Carlo of `draws` over `n` nodes runs on: one below about two million
/// node-draws (node-weeks in a weekly run), where a second thread costs more to start than it
/// saves; else no more than the weekly scratch allows, nor than there are batches (draws, weekly).
fn matrix_threads(n: usize, draws: usize, weeks: Option<usize>, threads: usize) -> usize {
    let work = n * draws * weeks.unwrap_or(1);
    if work < MIN_PARALLEL_WORK {
        return 1;
    }
    let by_memory = match weeks {
        Some(w) => (MAX_WEEKLY_SCRATCH_BYTES / (n * w * 8).max(1)).max(1),
        None => usize::MAX,
    };
    threads
        .min(by_memory)
        .clamp(1, draws.div_ceil(if weeks.is_some() { 1 } else { BATCH }))
}

/// Draws `d0..d1` into a nodes-by-draws block of width `d1 - d0`: long-run draws [`BATCH`] at a
/// time through the batched kernel, weekly draws one by one (each node's worst week).
fn run_draws(model: &Model, seed: u64, weeks: Option<usize>, d0: usize, d1: usize) -> Vec<f64> {
    let n = model.n_nodes();
    let width = d1 - d0;
    let mut block = vec![0.0; n * width];
    match weeks {
        None => {
            let mut scratch = BatchScratch::default();
            for b0 in (d0..d1).step_by(BATCH) {
                let lanes = BATCH.min(d1 - b0);
                let batch = Batch::sample(model, seed, b0 as u64, lanes);
                engine::run_static_batch(model, &batch, &mut scratch, &mut block, width, b0 - d0);
            }
        }
        Some(w) => {
            let mut weekly = vec![0.0; n * w];
            for d in d0..d1 {
                let draw = model.sample(seed, d as u64);
                engine::run_weekly(model, &draw, true, w, &mut weekly);
                for k in 0..n {
                    block[k * width + d - d0] = weekly[k * w..(k + 1) * w]
                        .iter()
                        .copied()
                        .fold(1.0, f64::min);
                }
            }
        }
    }
    block
}

/// The nodes-by-draws matrix from the blocks of draw ranges `(d0, d1, block)`.
fn assemble_matrix(n: usize, draws: usize, blocks: Vec<(usize, usize, Vec<f64>)>) -> Vec<f64> {
    let mut matrix = vec![0.0; draws * n];
    for (d0, d1, block) in blocks {
        let width = d1 - d0;
        for k in 0..n {
            matrix[k * draws + d0..k * draws + d1]
                .copy_from_slice(&block[k * width..(k + 1) * width]);
        }
    }
    matrix
}

/// p5, p50 and p95 of each row of a nodes-by-draws matrix.
pub fn percentiles(matrix: &[f64], draws: usize, threads: usize) -> Vec<[f64; 3]> {
    if draws == 0 {
        return Vec::new();
    }
    let rows = matrix.len() / draws;
    let threads = if matrix.len() < MIN_PARALLEL_WORK {
        1
    } else {
        threads.clamp(1, rows.max(1))
    };
    let run = |part: &[f64]| -> Vec<[f64; 3]> {
        let mut sel = Selector::default();
        part.chunks(draws)
            .map(|row| percentiles_in_unit(row, &mut sel))
            .collect()
    };
    if threads == 1 || rows < 64 {
        return run(matrix);
    }
    let per = rows.div_ceil(threads);
    std::thread::scope(|scope| {
        let mut parts = matrix.chunks(per * draws);
        let own = parts.next().unwrap_or(&[]);
        let handles: Vec<_> = parts
            .map(|part| {
                let run = &run;
                scope.spawn(move || run(part))
            })
            .collect();
        let mut out = run(own);
        for h in handles {
            out.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        out
    })
}

/// Largest weekly band (nodes × weeks × draws values) computed; a larger run reports none.
const MAX_BAND_VALUES: usize = 4_000_000;

/// In a weekly run, the p5 and p95 availability of every plan node in every week over `draws`
/// draws (the same draws as [`monte_carlo`]): row k, week t is `[p5, p95]`. `None` for a
/// long-run model, no draws, or a run larger than the band's limit.
pub fn weekly_band(model: &Model, draws: usize, seed: u64) -> Option<Vec<Vec<[f64; 2]>>> {
    let w = model.horizon()? as usize;
    let n = model.n_nodes();
    if n == 0 || w == 0 || draws == 0 || n.saturating_mul(w).saturating_mul(draws) > MAX_BAND_VALUES
    {
        return None;
    }
    // values[(k * w + t) * draws + d]: node k, week t, draw d.
    let mut values = vec![0.0; n * w * draws];
    let mut weekly = vec![0.0; n * w];
    for d in 0..draws {
        let draw = model.sample(seed, d as u64);
        engine::run_weekly(model, &draw, true, w, &mut weekly);
        for (kt, v) in weekly.iter().enumerate() {
            values[kt * draws + d] = *v;
        }
    }
    Some(
        values
            .chunks_mut(draws)
            .map(|v| {
                let q = percentiles_of(v);
                [q[0], q[2]]
            })
            .collect::<Vec<_>>()
            .chunks(w)
            .map(<[[f64; 2]]>::to_vec)
            .collect(),
    )
}

/// Runs `draws` draws and returns p5, p50 and p95 availability per plan node.
pub fn monte_carlo(
    model: &Model,
    draws: usize,
    seed: u64,
    threads: usize,
) -> Result<Vec<[f64; 3]>, Error> {
    let matrix = draw_matrix(model, draws, seed, threads)?;
    Ok(percentiles(&matrix, draws, threads))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quantiles_interpolate_like_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile_sorted(&v, 0.5), 3.0);
        // numpy.percentile([1, 2, 3, 4, 5], 5) = 1.2; 95 -> 4.8.
        assert!((quantile_sorted(&v, 0.05) - 1.2).abs() < 1e-12);
        assert!((quantile_sorted(&v, 0.95) - 4.8).abs() < 1e-12);
        assert_eq!(quantile_sorted(&[7.0], 0.95), 7.0);
        assert!(quantile_sorted(&[], 0.5).is_nan());
        let mut w = [5.0, 1.0, 4.0, 2.0, 3.0];
        let q = percentiles_of(&mut w);
        assert!((q[0] - 1.2).abs() < 1e-12 && q[1] == 3.0 && (q[2] - 4.8).abs() < 1e-12);
    }

    proptest! {
        /// Selecting order statistics, by partitioning or by buckets, gives exactly what
        /// sorting gives, also with many equal values and values outside [0, 1].
        #[test]
        fn selection_matches_sorting(
            mut v in proptest::collection::vec(
                prop_oneof![0.0f64..1.0, Just(1.0), Just(0.25), -1.0f64..2.0], 1..3000),
        ) {
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            let want = PERCENTILES.map(|p| quantile_sorted(&sorted, p));
            prop_assert_eq!(percentiles_in_unit(&v, &mut Selector::default()), want);
            prop_assert_eq!(percentiles_of(&mut v), want);
        }
    }
}
