//! Benchmarks of the shared record (issue 17): `writes` times proposal writes from 64 concurrent
//! writers on SQLite (each a proposal, its seal and its audit row, committed before it returns),
//! and `verify` times the verification of an audit log of N entries (default 1,000,000) that each
//! seal one proposal row, the rows and the chain generated directly (the same bytes osa writes).
//!
//! Rerun (release build):
//!   cargo bench -p osa-bench --bench record -- writes [WRITERS] [PER_WRITER]
//!   cargo bench -p osa-bench --bench record -- verify [ENTRIES]
//! `OSA_BENCH_PG=postgres://...` runs `writes` on PostgreSQL instead.

use osa_store::audit::{Entry, GENESIS, row_hash};
use osa_store::docs::Put;
use osa_store::migrate::hex;
use osa_store::proposals::NewProposal;
use osa_store::seal::digest;
use osa_store::{Actor, Store};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let n = |i: usize, d: usize| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(d);
    match args.first().map(String::as_str) {
        Some("writes") => rt.block_on(writes(n(1, 64), n(2, 100))),
        Some("verify") => rt.block_on(verify(n(1, 1_000_000))),
        _ => {
            rt.block_on(writes(64, 100));
            rt.block_on(verify(100_000));
        }
    }
}

async fn open(dir: &std::path::Path) -> Store {
    let url = std::env::var("OSA_BENCH_PG")
        .unwrap_or_else(|_| format!("sqlite:{}", dir.join("osa.db").display()));
    let s = Store::open(&url).await.expect("the store");
    s.migrate().await.expect("migrations");
    s
}

fn body(i: usize) -> String {
    format!(
        "# case file {i}\n{}",
        "level = \"L2\"\nrationale = \"benchmark text\"\n".repeat(12)
    )
}

/// `writers` tasks, each writing `per` proposals on its own document one after the other.
async fn writes(writers: usize, per: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = open(dir.path()).await;
    let puts: Vec<Put> = (0..writers)
        .map(|w| Put {
            kind: "note".into(),
            key: format!("w{w}"),
            body: Some(body(w)),
            expected: None,
        })
        .collect();
    s.write_revision(&Actor::system(), "seed", "bench", &puts)
        .await
        .expect("seed");
    let start = Instant::now();
    let tasks: Vec<_> = (0..writers)
        .map(|w| {
            let s = s.clone();
            tokio::spawn(async move {
                let actor = Actor::cli(&format!("writer{w}"));
                let mut lat = Vec::with_capacity(per);
                for i in 0..per {
                    let p = NewProposal {
                        kind: "note".into(),
                        key: format!("w{w}"),
                        subject: format!("w{w}/s{i}"),
                        base_version: 1,
                        body: body(i),
                        change: serde_json::json!({ "i": i }),
                        note: "benchmark write".into(),
                    };
                    let t = Instant::now();
                    s.propose(&actor, &p).await.expect("a proposal");
                    lat.push(t.elapsed());
                }
                lat
            })
        })
        .collect();
    let mut lat: Vec<Duration> = Vec::new();
    for t in tasks {
        lat.extend(t.await.expect("a writer"));
    }
    let wall = start.elapsed();
    lat.sort();
    let q = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
    let v = s.verify_audit().await.expect("verify");
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    println!(
        "writes: {} writers x {per} proposals = {} in {:.2} s: {:.0}/s, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (all acknowledged writes verified: {} audit rows)",
        writers,
        lat.len(),
        wall.as_secs_f64(),
        lat.len() as f64 / wall.as_secs_f64(),
        ms(q(0.50)),
        ms(q(0.99)),
        ms(lat[lat.len() - 1]),
        v.rows
    );
    s.close().await;
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Generates `n` audit entries each sealing one proposal, then times `verify_audit`.
async fn verify(n: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = open(dir.path()).await;
    let t = Instant::now();
    generate(&s, n).await;
    println!(
        "verify: generated {n} entries and proposals in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    for run in 1..=3 {
        let t = Instant::now();
        let v = s.verify_audit().await.expect("verify");
        let secs = t.elapsed().as_secs_f64();
        assert_eq!(v.rows as usize, n);
        assert!(
            v.problems.is_empty(),
            "{:?}",
            &v.problems[..v.problems.len().min(3)]
        );
        println!("verify: run {run}: {n} entries with content seals verified in {secs:.2} s");
    }
    s.close().await;
}

const COLS: &str =
    "id, kind, key, subject, base_rev, body, change, note, author, created_at, status";

async fn generate(s: &Store, n: usize) {
    let at = "2026-12-07T00:00:00.000Z";
    let mut prev = GENESIS.to_string();
    let mut tx = s.pool().begin().await.expect("begin");
    let batch = 200;
    for start in (1..=n).step_by(batch) {
        let end = (start + batch - 1).min(n);
        let mut props = Vec::new();
        let mut entries = Vec::new();
        for i in start..=end {
            let id = i.to_string();
            let row = [
                Some(id.as_str()),
                Some("note"),
                Some("k"),
                Some("k/s"),
                Some("0"),
                Some("x"),
                Some("{}"),
                Some("bench"),
                Some("ana"),
                Some(at),
                Some("open"),
                None,
                None,
                None,
                None,
            ];
            let mut row_owned: Vec<Option<String>> =
                row.iter().map(|v| v.map(String::from)).collect();
            let b = body(i);
            row_owned[5] = Some(b);
            let refs: Vec<Option<&str>> = row_owned.iter().map(Option::as_deref).collect();
            let d = hex(&digest("proposals", &refs));
            let mut e = Entry {
                seq: i as i64,
                at: at.into(),
                actor: "ana".into(),
                action: "proposal.create".into(),
                target: format!("proposal/{i}"),
                outcome: "ok".into(),
                request_id: String::new(),
                client: "bench".into(),
                detail: serde_json::json!({ "note": "bench", "sealed": [["proposals", id, d]] })
                    .to_string(),
                prev_hash: prev.clone(),
                hash: String::new(),
            };
            e.hash = row_hash(&e);
            prev = e.hash.clone();
            props.push(row_owned);
            entries.push(e);
        }
        insert_batch(s, &mut tx, &props, &entries).await;
    }
    sqlx::query(s.sql("UPDATE store_lock SET head_seq = ?, head_hash = ? WHERE id = 1"))
        .bind(n as i64)
        .bind(&prev)
        .execute(&mut *tx)
        .await
        .expect("head");
    tx.commit().await.expect("commit");
}

async fn insert_batch(
    s: &Store,
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    props: &[Vec<Option<String>>],
    entries: &[Entry],
) {
    let marks =
        |k: usize, rows: usize| vec![format!("({})", vec!["?"; k].join(", ")); rows].join(", ");
    let q = format!(
        "INSERT INTO proposals ({COLS}) VALUES {}",
        marks(11, props.len())
    );
    let mut query = sqlx::query(s.sql(&q));
    for p in props {
        query = query.bind(
            p[0].as_deref()
                .unwrap_or_default()
                .parse::<i64>()
                .unwrap_or(0),
        );
        for (c, v) in p.iter().enumerate().take(11).skip(1) {
            query = if c == 4 {
                query.bind(0i64)
            } else {
                query.bind(v.clone())
            };
        }
    }
    query.execute(&mut **tx).await.expect("proposals");
    let q = format!(
        "INSERT INTO audit (seq, at, actor, action, target, outcome, request_id, client, detail, prev_hash, hash) VALUES {}",
        marks(11, entries.len())
    );
    let mut query = sqlx::query(s.sql(&q));
    for e in entries {
        query = query
            .bind(e.seq)
            .bind(e.at.clone())
            .bind(e.actor.clone())
            .bind(e.action.clone())
            .bind(e.target.clone())
            .bind(e.outcome.clone())
            .bind(e.request_id.clone())
            .bind(e.client.clone())
            .bind(e.detail.clone())
            .bind(e.prev_hash.clone())
            .bind(e.hash.clone());
    }
    query.execute(&mut **tx).await.expect("audit");
}
