//! First-contentful-paint of pages in headless Chromium: a measurement, not a test (ignored;
//! `benches/run_pages.sh` runs it against a release `osa serve`). Each page is loaded
//! `OSA_FCP_RUNS` times (default 20, after 2 warm-up loads) and
//! `performance.getEntriesByName('first-contentful-paint')[0].startTime` is read; prints the
//! median and p95 per page.
//!
//! With `OSA_FCP_USER`, the browser signs in first through the sign-in form (the password is
//! `NAME-password-long`, as the test users' and the benchmark's).
//!
//! `OSA_FCP_BASE=http://127.0.0.1:PORT OSA_FCP_PATHS=/,/tech/6g OSA_FCP_USER=bench
//!  cargo test -p osa-server --test browser -- --ignored --exact fcp::fcp --nocapture`

use crate::harness::Browser;
use std::io::Write;
use std::time::{Duration, Instant};

/// The FCP of the current document in ms, waiting for the paint entry (at most 10 s).
async fn fcp_ms(b: &Browser) -> Option<f64> {
    let end = Instant::now() + Duration::from_secs(10);
    while Instant::now() < end {
        let v = b
            .script(
                "const e = performance.getEntriesByName('first-contentful-paint')[0]; return e ? e.startTime : null",
                vec![],
            )
            .await;
        if let Some(ms) = v.as_f64() {
            return Some(ms);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}

/// The nearest-rank percentile of sorted values.
fn pct(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: benches/run_pages.sh runs it with OSA_FCP_BASE set"]
async fn fcp() {
    let Ok(base) = std::env::var("OSA_FCP_BASE") else {
        panic!("set OSA_FCP_BASE (http://127.0.0.1:PORT) and OSA_FCP_PATHS (/,/tech/6g)");
    };
    let paths = std::env::var("OSA_FCP_PATHS").unwrap_or_else(|_| "/".into());
    let runs: usize = std::env::var("OSA_FCP_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20)
        .max(1);
    let Some(b) = Browser::open(&base).await else {
        return;
    };
    if let Ok(user) = std::env::var("OSA_FCP_USER") {
        crate::flows::sign_in(&b, user.trim()).await;
    }
    let mut out = std::io::stdout();
    for path in paths.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let mut v = Vec::with_capacity(runs);
        for i in 0..runs + 2 {
            b.goto(path).await;
            let ms = fcp_ms(&b)
                .await
                .unwrap_or_else(|| panic!("{path}: no first-contentful-paint in 10 s"));
            if i >= 2 {
                v.push(ms);
            }
        }
        v.sort_by(f64::total_cmp);
        let _ = writeln!(
            out,
            "FCP {path}: median {:.1} ms, p95 {:.1} ms, min {:.1} ms, max {:.1} ms ({runs} loads)",
            pct(&v, 50.0),
            pct(&v, 95.0),
            v[0],
            v[v.len() - 1]
        );
    }
    b.close().await;
}
