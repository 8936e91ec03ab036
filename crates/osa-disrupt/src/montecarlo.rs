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

/// Largest nodes-by-draws matrix a Monte Carlo may hold (bytes).
pub const MAX_MATRIX_BYTES: usize = 2 << 30;

/// Percentiles reported per node.
pub const PERCENTILES: [f64; 3] = [0.05, 0.50, 0.95];

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

/// The [`PERCENTILES`] of `values` (type 7), reordering `values`: the order statistics needed are
/// selected in ascending order, each in what is left to the right of the previous one.
pub fn percentiles_of(values: &mut [f64]) -> [f64; 3] {
    let n = values.len();
    if n == 0 {
        return [f64::NAN; 3];
    }
    let hs = PERCENTILES.map(|p| (n - 1) as f64 * p);
    let mut ks: Vec<usize> = hs
        .iter()
        .flat_map(|h| [h.floor() as usize, h.ceil() as usize])
        .collect();
    ks.sort_unstable();
    ks.dedup();
    let mut at: [(usize, f64); 6] = [(usize::MAX, 0.0); 6];
    let mut start = 0;
    let mut prev = usize::MAX;
    for (j, &k) in ks.iter().enumerate() {
        if k == prev.wrapping_add(1) {
            // The next order statistic is the smallest of what is left: move it to the front.
            let rest = &mut values[start..];
            let mut m = 0;
            for (i, v) in rest.iter().enumerate() {
                if v.total_cmp(&rest[m]).is_lt() {
                    m = i;
                }
            }
            rest.swap(0, m);
        } else {
            values[start..].select_nth_unstable_by(k - start, f64::total_cmp);
        }
        at[j] = (k, values[k]);
        start = k + 1;
        prev = k;
    }
    let get = |k: usize| at.iter().find(|a| a.0 == k).map_or(f64::NAN, |a| a.1);
    hs.map(|h| {
        let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
        let (vl, vh) = (get(lo), get(hi));
        vl + (h - lo as f64) * (vh - vl)
    })
}

/// Availability of every plan node in every draw: row `k` holds plan node k's `draws` values
/// (the worst week's in a weekly run). Draw `d` uses stream `d` of `seed` whichever thread runs
/// it.
pub fn draw_matrix(
    model: &Model,
    draws: usize,
    seed: u64,
    threads: usize,
) -> Result<Vec<f64>, Error> {
    let n = model.n_nodes();
    let bytes = draws.saturating_mul(n).saturating_mul(8);
    if bytes > MAX_MATRIX_BYTES {
        return Err(Error::TooLarge(format!(
            "{draws} draws of {n} affected inputs need {} MiB (limit {} MiB); use fewer draws",
            bytes >> 20,
            MAX_MATRIX_BYTES >> 20
        )));
    }
    if n == 0 || draws == 0 {
        return Ok(vec![0.0; draws * n]);
    }
    // Each thread runs a contiguous range of draws into its own nodes-by-draws block; one
    // thread writes straight into the result.
    let weeks = model.horizon().map(|w| w as usize);
    let run_range = |d0: usize, d1: usize| -> Vec<f64> {
        let width = d1 - d0;
        let mut block = vec![0.0; n * width];
        match weeks {
            None => {
                let mut scratch = BatchScratch::default();
                for b0 in (d0..d1).step_by(BATCH) {
                    let lanes = BATCH.min(d1 - b0);
                    let batch = Batch::sample(model, seed, b0 as u64, lanes);
                    engine::run_static_batch(
                        model,
                        &batch,
                        &mut scratch,
                        &mut block,
                        width,
                        b0 - d0,
                    );
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
    };
    let threads = threads.clamp(1, draws.div_ceil(if weeks.is_some() { 1 } else { BATCH }));
    if threads == 1 {
        return Ok(run_range(0, draws));
    }
    let per = draws.div_ceil(threads);
    let blocks: Vec<(usize, usize, Vec<f64>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..draws)
            .step_by(per)
            .map(|d0| {
                let d1 = (d0 + per).min(draws);
                let run_range = &run_range;
                scope.spawn(move || (d0, d1, run_range(d0, d1)))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut matrix = vec![0.0; draws * n];
    for (d0, d1, block) in blocks {
        let width = d1 - d0;
        for k in 0..n {
            matrix[k * draws + d0..k * draws + d1]
                .copy_from_slice(&block[k * width..(k + 1) * width]);
        }
    }
    Ok(matrix)
}

/// p5, p50 and p95 of each row of a nodes-by-draws matrix (reorders each row).
pub fn percentiles(matrix: &mut [f64], draws: usize, threads: usize) -> Vec<[f64; 3]> {
    if draws == 0 {
        return Vec::new();
    }
    let rows = matrix.len() / draws;
    let threads = threads.clamp(1, rows.max(1));
    if threads == 1 || rows < 64 {
        return matrix.chunks_mut(draws).map(percentiles_of).collect();
    }
    let per = rows.div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = matrix
            .chunks_mut(per * draws)
            .map(|part| {
                scope.spawn(move || {
                    part.chunks_mut(draws)
                        .map(percentiles_of)
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// Runs `draws` draws and returns p5, p50 and p95 availability per plan node.
pub fn monte_carlo(
    model: &Model,
    draws: usize,
    seed: u64,
    threads: usize,
) -> Result<Vec<[f64; 3]>, Error> {
    let mut matrix = draw_matrix(model, draws, seed, threads)?;
    Ok(percentiles(&mut matrix, draws, threads))
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
        /// Selecting order statistics gives exactly what sorting gives.
        #[test]
        fn selection_matches_sorting(mut v in proptest::collection::vec(0.0f64..1.0, 1..400)) {
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            let want = PERCENTILES.map(|p| quantile_sorted(&sorted, p));
            prop_assert_eq!(percentiles_of(&mut v), want);
        }
    }
}
