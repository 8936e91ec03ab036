//! Shared timing helpers for osa's benchmarks: run a closure several times and report the median
//! and the spread, so figures in BENCHMARKS.md are reproducible.

use std::time::{Duration, Instant};

/// Timings of repeated runs.
#[derive(Debug, Clone)]
pub struct Timing {
    /// Every run, sorted.
    pub runs: Vec<Duration>,
}

impl Timing {
    /// The median run.
    pub fn median(&self) -> Duration {
        self.runs[self.runs.len() / 2]
    }
    /// The fastest run.
    pub fn min(&self) -> Duration {
        self.runs[0]
    }
    /// The slowest run.
    pub fn max(&self) -> Duration {
        self.runs[self.runs.len() - 1]
    }
}

/// Runs `f` once to warm up, then `n` times, and returns the sorted timings.
pub fn time<T>(n: usize, mut f: impl FnMut() -> T) -> Timing {
    std::hint::black_box(f());
    let mut runs: Vec<Duration> = (0..n.max(1))
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    runs.sort();
    Timing { runs }
}

/// Formats a duration in ms with two decimals.
pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// Prints one benchmark line: name, median, min, max, runs.
pub fn report(name: &str, t: &Timing) {
    println!(
        "{name:<58} median {:>11}   min {:>11}   max {:>11}   ({} runs)",
        ms(t.median()),
        ms(t.min()),
        ms(t.max()),
        t.runs.len()
    );
}
