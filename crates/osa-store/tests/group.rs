//! Concurrent writers (group commit on SQLite, one transaction each on PostgreSQL): 48 writers at
//! once, a third of them refused (a stale base) and a few abandoned mid-write; every write that
//! returned `Ok` is there, nothing of a refused or abandoned one is, and the chain verifies.

use osa_store::docs::Put;
use osa_store::proposals::NewProposal;
use osa_store::testkit::TestDb;
use osa_store::{Actor, Store};

fn proposal(key: &str, base: i64) -> NewProposal {
    NewProposal {
        kind: "note".into(),
        key: key.into(),
        subject: format!("{key}/text"),
        base_version: base,
        body: format!("new {key}"),
        change: serde_json::json!({ "key": key }),
        note: "concurrent".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_keep_every_acknowledged_write_and_nothing_else() {
    for db in TestDb::all().await {
        let (s, label): (Store, _) = (db.store().await.unwrap(), db.label);
        let puts: Vec<Put> = (0..48)
            .map(|i| Put {
                kind: "note".into(),
                key: format!("k{i}"),
                body: Some("old".into()),
                expected: None,
            })
            .collect();
        s.write_revision(&Actor::system(), "seed", "seed", &puts)
            .await
            .unwrap();
        let tasks: Vec<_> = (0..48)
            .map(|i| {
                let s = s.clone();
                tokio::spawn(async move {
                    let who = Actor::cli(&format!("w{i}"));
                    // Every third writer proposes against a version that never was: refused.
                    let base = if i % 3 == 0 { 7 } else { 1 };
                    let p = proposal(&format!("k{i}"), base);
                    if i % 8 == 5 {
                        // Abandoned: the future is dropped while (perhaps) queued or writing.
                        let r = tokio::time::timeout(
                            std::time::Duration::from_micros(50),
                            s.propose(&who, &p),
                        )
                        .await;
                        return (i, r.ok().map(|r| r.is_ok()));
                    }
                    (i, Some(s.propose(&who, &p).await.is_ok()))
                })
            })
            .collect();
        let mut acknowledged = Vec::new();
        for t in tasks {
            let (i, r) = t.await.unwrap();
            if i % 3 == 0 {
                assert_ne!(r, Some(true), "{label}: writer {i} was stale");
            } else if i % 8 != 5 {
                assert_eq!(r, Some(true), "{label}: writer {i}");
            }
            if r == Some(true) {
                acknowledged.push(i);
            }
        }
        // Let abandoned writers' clean-up run.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let stored = s.proposals(None, None, 200, 0).await.unwrap();
        let mut keys: Vec<String> = stored.iter().map(|p| p.key.clone()).collect();
        keys.sort();
        for i in &acknowledged {
            assert!(
                keys.contains(&format!("k{i}")),
                "{label}: acknowledged k{i} missing"
            );
        }
        assert!(
            keys.iter()
                .all(|k| k[1..].parse::<usize>().unwrap() % 3 != 0),
            "{label}: {keys:?}"
        );
        let ids: Vec<i64> = stored.iter().map(|p| p.id).rev().collect();
        assert_eq!(
            ids,
            (1..=ids.len() as i64).collect::<Vec<_>>(),
            "{label}: dense ids"
        );
        let v = s.verify_audit().await.unwrap();
        assert!(v.problems.is_empty(), "{label}: {:?}", v.problems);
        let refused = s.audit_entries(None, 500).await.unwrap();
        let n = refused
            .iter()
            .filter(|e| e.outcome.starts_with("refused"))
            .count();
        assert!(n >= 14, "{label}: {n} refusals audited");
        s.close().await;
        db.drop_db().await;
    }
}
