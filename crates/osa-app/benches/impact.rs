//! The impact preview of a cell proposal (6G national security 4 -> 3): the baseline rebuilt with
//! the proposal applied and validated, and the technology's dossier compared with the published
//! one. Timed afresh each time (no cache of impacts; the published baseline cached as in a running
//! server), and cold (a new workbench each time, so the published baseline is parsed too), on a
//! fresh SQLite record. Prints p50, p99 and max. Goal (issue 16): p99 under 100 ms.
//!
//! Rerun: `cargo bench -p osa-app --bench impact` (ITERATIONS=300 by default).

use osa_app::workbench::Workbench;
use osa_app::workbench::cells::CellChange;
use osa_store::Actor;
use osa_store::testkit::TestDb;
use osa_store::users::{Principal, Role};
use std::time::{Duration, Instant};

fn quantiles(mut v: Vec<Duration>) -> String {
    v.sort();
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    format!(
        "p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} runs)",
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        at(1.0).as_secs_f64() * 1e3,
        v.len()
    )
}

fn main() {
    let n: usize = std::env::var("ITERATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(async {
        let db = TestDb::sqlite();
        let wb = Workbench::open(&db.url).await.expect("the record opens");
        let ana = Principal {
            name: "ana".into(),
            role: Role::Analyst,
            via: "session",
        };
        let change = CellChange {
            level: Some(3),
            silent: false,
            rationale: None,
            evidence: Vec::new(),
            range: None,
            clear_range: false,
            signals: None,
            note: "benchmark".into(),
        };
        let head = wb.store().head().await.expect("head");
        let (_, base) = wb.technology_version("6g", head).await.expect("6g");
        let p = wb
            .propose_cell(
                &Actor::cli("bench"),
                &ana,
                ("6g", "national_security"),
                base,
                &change,
            )
            .await
            .expect("the proposal");
        let first = wb.compute_impact(&p, head).await.expect("the impact");
        assert_eq!(
            first.technologies[0].priority_dimension.0.as_deref(),
            Some("National security")
        );
        let mut warm = Vec::with_capacity(n);
        for _ in 0..n {
            let t = Instant::now();
            let i = wb.compute_impact(&p, head).await.expect("the impact");
            warm.push(t.elapsed());
            assert_eq!(i.technologies.len(), 1);
        }
        println!(
            "impact preview, published baseline cached: {}",
            quantiles(warm)
        );
        let mut cold = Vec::with_capacity(n / 3);
        for _ in 0..n / 3 {
            let fresh = Workbench::over(wb.store().clone());
            let t = Instant::now();
            fresh.compute_impact(&p, head).await.expect("the impact");
            cold.push(t.elapsed());
        }
        println!("impact preview, nothing cached: {}", quantiles(cold));
    });
}
