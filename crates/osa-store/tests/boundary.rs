//! The audit log's boundaries beyond the chain: checkpoints kept elsewhere catch a truncated tail
//! that leaves no other trace (SQLite and PostgreSQL), and on PostgreSQL the server role set up by
//! `grant_server_role` cannot alter the log or disable its triggers, while osa's writes work as it.

use osa_store::checkpoint::Checkpoint;
use osa_store::docs::Put;
use osa_store::testkit::TestDb;
use osa_store::{Actor, Store};

fn put(key: &str, body: &str) -> Put {
    Put {
        kind: "note".into(),
        key: key.into(),
        body: Some(body.into()),
        expected: None,
    }
}

async fn raw(s: &Store, sql: &str) {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(s.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

#[tokio::test]
async fn a_truncated_tail_is_caught_by_a_checkpoint() {
    for db in TestDb::all().await {
        let (s, label) = (db.store().await.unwrap(), db.label);
        let sys = Actor::system();
        s.write_revision(&sys, "seed", "first", &[put("a", "one")])
            .await
            .unwrap();
        let refuse = async |n| {
            for i in 0..n {
                s.audit_refusal(
                    &sys,
                    "signin",
                    "user/x",
                    "wrong name or password",
                    serde_json::json!({ "i": i }),
                )
                .await
                .unwrap();
            }
        };
        refuse(3).await;
        let c = s.checkpoint().await.unwrap();
        assert_eq!(c.seq, 4, "{label}");
        refuse(2).await;
        let later = s.checkpoint().await.unwrap();
        let file = "checkpoints";
        let both = [(1, c.clone()), (2, later.clone())];
        assert!(
            s.check_checkpoints(file, &both).await.unwrap().is_empty(),
            "{label}"
        );
        // The attacker deletes the newest rows (refusals: they sealed no content) and moves the
        // head kept beside the write lock back: the database alone no longer tells.
        match label {
            "sqlite" => raw(&s, "DROP TRIGGER audit_no_delete").await,
            _ => raw(&s, "ALTER TABLE audit DISABLE TRIGGER audit_no_update").await,
        }
        raw(&s, "DELETE FROM audit WHERE seq > 3").await;
        raw(&s, "UPDATE store_lock SET head_seq = 3, head_hash = (SELECT hash FROM audit WHERE seq = 3)").await;
        if label == "sqlite" {
            raw(&s, "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;").await;
        } else {
            raw(&s, "ALTER TABLE audit ENABLE TRIGGER audit_no_update").await;
        }
        let v = s.verify_audit().await.unwrap();
        assert_eq!(
            (v.rows, v.problems.len()),
            (3, 0),
            "{label}: {:?}",
            v.problems
        );
        let p = s.check_checkpoints(file, &both).await.unwrap();
        assert_eq!(
            p,
            [
                format!(
                    "checkpoints:1: the checkpoint of {} names row 4, but the log ends at row 3 (rows 4-4 deleted)",
                    c.at
                ),
                format!(
                    "checkpoints:2: the checkpoint of {} names row 6, but the log ends at row 3 (rows 4-6 deleted)",
                    later.at
                ),
            ],
            "{label}"
        );
        // Rewritten instead: a row at a checkpoint's position with another hash.
        let forged = Checkpoint {
            hash: "0".repeat(64),
            ..s.checkpoint().await.unwrap()
        };
        let p = s.check_checkpoints(file, &[(7, forged)]).await.unwrap();
        assert_eq!(p.len(), 1, "{label}");
        assert!(
            p[0].starts_with("checkpoints:7: row 3 differs from the checkpoint"),
            "{p:?}"
        );
        s.close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn the_server_role_cannot_alter_the_audit_log_on_postgres() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let owner = db.store().await.unwrap();
    let sys = Actor::system();
    owner
        .write_revision(&sys, "seed", "first", &[put("a", "one")])
        .await
        .unwrap();
    // Before: the owner could alter the log; a check of it as the server role says so.
    let r = owner.check_roles(Some("postgres")).await.unwrap();
    assert!(
        r.problems.iter().any(|p| p.contains("is a superuser")),
        "{r:?}"
    );
    raw(&owner, "CREATE ROLE osa_server LOGIN").await;
    assert!(
        owner.grant_server_role("postgres").await.is_err(),
        "a superuser is refused"
    );
    assert!(owner.grant_server_role("nobody_here").await.is_err());
    owner.grant_server_role("osa_server").await.unwrap();
    let r = owner.check_roles(Some("osa_server")).await.unwrap();
    assert_eq!(r.problems, Vec::<String>::new());
    assert_eq!(
        r.notes,
        [
            "the role `osa_server` has INSERT and SELECT on the audit log only and does not own it: it cannot alter the log or disable its triggers"
        ]
    );
    // As the server role: osa works (it migrates nothing, writes, verifies)...
    let url = db
        .url
        .replacen("postgres://postgres@", "postgres://osa_server@", 1);
    let server = Store::open(&url).await.unwrap();
    assert_eq!(server.migrate().await.unwrap(), Vec::<i64>::new());
    server
        .write_revision(&sys, "edit", "second", &[put("a", "two")])
        .await
        .unwrap();
    assert!(server.verify_audit().await.unwrap().problems.is_empty());
    assert!(server.check_roles(None).await.unwrap().problems.is_empty());
    // ...but cannot alter the log, even with the triggers' help gone.
    for sql in [
        "UPDATE audit SET actor = 'mallory'",
        "DELETE FROM audit",
        "TRUNCATE audit",
        "ALTER TABLE audit DISABLE TRIGGER audit_no_update",
        "DROP TRIGGER audit_no_update ON audit",
        "SET session_replication_role = replica",
    ] {
        let e = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(server.pool())
            .await
            .expect_err(sql);
        assert!(
            e.to_string().contains("permission denied") || e.to_string().contains("must be owner"),
            "{sql}: {e}"
        );
    }
    server.close().await;
    owner.close().await;
    db.drop_db().await;
}
