//! Two processes on one database behave as one (scale out): the shared counters give the same
//! answers as their pure rules on both backends and count across two stores; writers of two
//! stores are serialized into one dense history and one audit chain; on PostgreSQL the head
//! cached between writes follows another store's writes by notification, and falls back to
//! asking the database when the listener is lost.

use osa_store::docs::Put;
use osa_store::limits::{self, Slot};
use osa_store::testkit::TestDb;
use osa_store::{Actor, Store};
use std::time::Duration;

fn put(key: &str, body: &str) -> Put {
    Put {
        kind: "note".into(),
        key: key.into(),
        body: Some(body.into()),
        expected: None,
    }
}

#[tokio::test]
async fn shared_counters_follow_their_rules_across_two_stores() {
    for db in TestDb::all().await {
        let (a, b) = (db.store().await.unwrap(), db.store().await.unwrap());
        let label = db.label;
        // A window counted by two stores in turn: one count; then the next window.
        let mut pure: Option<Slot> = None;
        for (i, t) in [0, 5, 10, 59_999, 60_000, 60_001, 200_000]
            .into_iter()
            .enumerate()
        {
            let s = if i % 2 == 0 { &a } else { &b };
            let got = s
                .count_in_window("signin/10.0.0.1", Duration::from_secs(60), 1_000_000 + t)
                .await
                .unwrap();
            pure = Some(limits::count(pure, 1_000_000 + t, 60_000));
            assert_eq!(Some(got), pure, "{label}: window at {t} ms");
        }
        assert_eq!(pure.map(|p| (p.n, p.prev)), Some((1, 2)), "{label}");
        // A bucket of 3 refilled at 2 a second, drained from both stores, a clock behind too.
        let mut pure: Option<Slot> = None;
        let times = [0, 0, 0, 0, 100, 499, 500, 1_000, 900, 10_000, 10_000];
        for (i, t) in times.into_iter().enumerate() {
            let s = if i % 2 == 0 { &a } else { &b };
            let got = s.take_token("write/ana", 3.0, 2.0, t).await.unwrap();
            pure = Some(limits::take(pure, t, 3.0, 2.0));
            let p = pure.unwrap();
            assert_eq!(
                (got.started_ms, got.n),
                (p.started_ms, p.n),
                "{label}: take at {t}"
            );
            assert!((got.level - p.level).abs() < 1e-9, "{label}: {got:?} {p:?}");
        }
        let taken: Vec<i64> = {
            let mut v = Vec::new();
            let mut p = None;
            for t in times {
                let s = limits::take(p, t, 3.0, 2.0);
                v.push(s.n);
                p = Some(s);
            }
            v
        };
        assert_eq!(taken, [1, 1, 1, 0, 0, 0, 1, 1, 0, 1, 1], "{label}");
        assert_eq!(
            a.purge_limits(150_000).await.unwrap(),
            1,
            "{label}: the bucket"
        );
        a.close().await;
        b.close().await;
        db.drop_db().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writers_of_two_stores_make_one_history_and_one_chain() {
    for db in TestDb::all().await {
        let (a, b) = (db.store().await.unwrap(), db.store().await.unwrap());
        let write = |s: Store, who: &'static str| async move {
            let mut ids = Vec::new();
            for i in 0..20 {
                let r = s
                    .write_revision(
                        &Actor::cli(who),
                        "note",
                        &format!("{who} {i}"),
                        &[put(&format!("{who}-{i}"), "text")],
                    )
                    .await
                    .unwrap();
                ids.push(r.id);
            }
            ids
        };
        let (x, y) = tokio::join!(
            tokio::spawn(write(a.clone(), "ana")),
            tokio::spawn(write(b.clone(), "bea"))
        );
        let mut ids: Vec<i64> = x.unwrap().into_iter().chain(y.unwrap()).collect();
        ids.sort();
        assert_eq!(ids, (1..=40).collect::<Vec<_>>(), "{}", db.label);
        let v = b.verify_audit().await.unwrap();
        assert!(v.problems.is_empty(), "{}: {:?}", db.label, v.problems);
        a.close().await;
        b.close().await;
        db.drop_db().await;
    }
}

/// Waits (at most 5 s) until `f` holds.
async fn until(what: &str, mut f: impl AsyncFnMut() -> bool) {
    for _ in 0..500 {
        if f().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{what}: not within 5 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cached_head_follows_notifications_and_falls_back_when_the_listener_drops() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let (a, b) = (db.store().await.unwrap(), db.store().await.unwrap());
    let sys = Actor::system();
    a.watch_head().await.unwrap();
    assert!(a.watching_head());
    assert_eq!(a.head().await.unwrap(), 0);
    // Its own write moves it at once; another store's by notification.
    a.write_revision(&sys, "note", "one", &[put("a", "1")])
        .await
        .unwrap();
    assert_eq!(a.head().await.unwrap(), 1);
    b.write_revision(&sys, "note", "two", &[put("a", "2")])
        .await
        .unwrap();
    until("the notification of revision 2", async || {
        a.head().await.unwrap() == 2
    })
    .await;
    // The listener's connection is killed: the process stops caching, so a write of the other
    // store is seen at once, even before the listener is back.
    sqlx::raw_sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()",
    )
    .execute(b.pool())
    .await
    .unwrap();
    until("the lost listener noticed", async || !a.watching_head()).await;
    assert_eq!(a.head_watch_lost(), 1);
    b.write_revision(&sys, "note", "three", &[put("a", "3")])
        .await
        .unwrap();
    assert_eq!(a.head().await.unwrap(), 3, "the fallback asks the database");
    until("the listener back", async || a.watching_head()).await;
    assert_eq!(a.head().await.unwrap(), 3);
    b.write_revision(&sys, "note", "four", &[put("a", "4")])
        .await
        .unwrap();
    until("the notification of revision 4", async || {
        a.head().await.unwrap() == 4
    })
    .await;
    a.close().await;
    b.close().await;
    db.drop_db().await;
}
