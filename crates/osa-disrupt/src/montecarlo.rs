//! Monte Carlo over a scenario's ranges: `draws` seeded draws (one ChaCha8 stream per draw, see
//! [`Model::sample`]), run on any number of threads with identical results, summarised per node as
//! the 5th, 50th and 95th percentiles of availability (the worst week's, in a weekly run).

use crate::compile::Model;
use crate::engine;
use crate::error::Error;

/// Largest draws-by-nodes matrix a Monte Carlo may hold (bytes).
pub const MAX_MATRIX_BYTES: usize = 2 << 30;

/// Percentiles reported per node.
pub const PERCENTILES: [f64; 3] = [0.05, 0.50, 0.95];

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

/// Availability of every plan node in every draw: row `d` holds draw `d` (worst week in a weekly
/// run). Draw `d` uses stream `d` of `seed` whichever thread runs it.
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
    let mut matrix = vec![0.0; draws * n];
    if n == 0 || draws == 0 {
        return Ok(matrix);
    }
    let weeks = model.horizon().map(|w| w as usize);
    let run_chunk = |first: usize, rows: &mut [f64]| {
        let mut scratch = vec![0.0; n * weeks.unwrap_or(1)];
        for (j, row) in rows.chunks_mut(n).enumerate() {
            let draw = model.sample(seed, (first + j) as u64);
            match weeks {
                None => engine::run_static(model, &draw, true, row),
                Some(w) => {
                    engine::run_weekly(model, &draw, true, w, &mut scratch);
                    for (k, slot) in row.iter_mut().enumerate() {
                        *slot = scratch[k * w..(k + 1) * w]
                            .iter()
                            .copied()
                            .fold(1.0, f64::min);
                    }
                }
            }
        }
    };
    let threads = threads.clamp(1, draws);
    if threads == 1 {
        run_chunk(0, &mut matrix);
    } else {
        let per = draws.div_ceil(threads);
        std::thread::scope(|scope| {
            for (c, rows) in matrix.chunks_mut(per * n).enumerate() {
                let run_chunk = &run_chunk;
                scope.spawn(move || run_chunk(c * per, rows));
            }
        });
    }
    Ok(matrix)
}

/// p5, p50 and p95 of each node (column) of a draws-by-nodes matrix.
pub fn percentiles(matrix: &[f64], draws: usize, n: usize) -> Vec<[f64; 3]> {
    let mut column = Vec::with_capacity(draws);
    (0..n)
        .map(|k| {
            column.clear();
            column.extend((0..draws).map(|d| matrix[d * n + k]));
            column.sort_unstable_by(f64::total_cmp);
            PERCENTILES.map(|p| quantile_sorted(&column, p))
        })
        .collect()
}

/// Runs `draws` draws and returns p5, p50 and p95 availability per plan node.
pub fn monte_carlo(
    model: &Model,
    draws: usize,
    seed: u64,
    threads: usize,
) -> Result<Vec<[f64; 3]>, Error> {
    let matrix = draw_matrix(model, draws, seed, threads)?;
    Ok(percentiles(&matrix, draws, model.n_nodes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_like_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile_sorted(&v, 0.5), 3.0);
        // numpy.percentile([1, 2, 3, 4, 5], 5) = 1.2; 95 -> 4.8.
        assert!((quantile_sorted(&v, 0.05) - 1.2).abs() < 1e-12);
        assert!((quantile_sorted(&v, 0.95) - 4.8).abs() < 1e-12);
        assert_eq!(quantile_sorted(&[7.0], 0.95), 7.0);
        assert!(quantile_sorted(&[], 0.5).is_nan());
    }
}
