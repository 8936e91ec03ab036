//! Content in the chain, on every configured backend: each write's audit entry seals the rows it
//! wrote, and `verify_audit` names a row edited, inserted or deleted behind osa's back (with raw
//! SQL, triggers dropped where needed), a truncated log, and a disabled trigger on PostgreSQL.

use osa_store::docs::Put;
use osa_store::proposals::{Decision, NewProposal};
use osa_store::testkit::TestDb;
use osa_store::users::Role;
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

async fn each(f: impl AsyncFn(Store, &'static str)) {
    for db in TestDb::all().await {
        let store = db.store().await.expect("store");
        f(store.clone(), db.label).await;
        store.close().await;
        db.drop_db().await;
    }
}

/// Every kind of write osa makes: revisions, users, sessions, tokens, sign-in links, proposals
/// (approved, rejected, brought up to date), marks.
async fn every_kind_of_write(s: &Store) {
    let sys = Actor::system();
    let ttl = Duration::from_secs(3600);
    s.write_revision(&sys, "seed", "first", &[put("a", "one"), put("b", "bee")])
        .await
        .unwrap();
    s.add_user(
        &sys,
        "ana",
        Role::Analyst,
        Some("correct horse battery".into()),
    )
    .await
    .unwrap();
    s.add_user(&sys, "bob", Role::Reviewer, None).await.unwrap();
    let (cookie, _) = s
        .sign_in(&sys, "ana", "correct horse battery", ttl)
        .await
        .unwrap();
    s.sign_out(&Actor::cli("ana"), &cookie).await.unwrap();
    s.create_token(&sys, "ana", Role::Viewer, "script", ttl)
        .await
        .unwrap();
    s.revoke_tokens(&sys, "ana", "script").await.unwrap();
    let link = s.signin_link(&sys, "bob", ttl).await.unwrap();
    s.use_signin_link(&sys, &link, ttl).await.unwrap();
    s.set_password(&sys, "bob", "another good password".into())
        .await
        .unwrap();
    s.set_disabled(&sys, "bob", true).await.unwrap();
    s.set_disabled(&sys, "bob", false).await.unwrap();
    let (ana, bob) = (Actor::cli("ana"), Actor::cli("bob"));
    let p = s.propose(&ana, &proposal("a", 1, "two")).await.unwrap();
    s.review(&bob, p.id, Decision::Approve, "fine")
        .await
        .unwrap();
    let p = s.propose(&ana, &proposal("b", 1, "bees")).await.unwrap();
    s.review(&bob, p.id, Decision::Reject, "no").await.unwrap();
    let p = s.propose(&ana, &proposal("b", 1, "bees!")).await.unwrap();
    s.write_revision(&sys, "edit", "meanwhile", &[put("b", "bee 2")])
        .await
        .unwrap();
    s.rebase(&ana, p.id, 3, "bees 2").await.unwrap();
    s.set_mark(&ana, "changes", 0).await.unwrap();
    s.set_mark(&ana, "changes", 0).await.unwrap();
}

fn proposal(key: &str, base: i64, body: &str) -> NewProposal {
    NewProposal {
        kind: "note".into(),
        key: key.into(),
        subject: format!("{key}/text"),
        base_version: base,
        body: body.into(),
        change: serde_json::json!({ "text": body }),
        note: "because".into(),
    }
}

async fn problems(s: &Store) -> Vec<String> {
    s.verify_audit().await.unwrap().problems
}

async fn raw(s: &Store, sql: &str) {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(s.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn drop_triggers(s: &Store, label: &str) {
    match label {
        "sqlite" => {
            raw(
                s,
                "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;",
            )
            .await
        }
        _ => raw(s, "DROP TRIGGER audit_no_update ON audit;").await,
    }
}

#[tokio::test]
async fn every_write_is_sealed_and_verifies() {
    each(async |s, label| {
        every_kind_of_write(&s).await;
        assert_eq!(problems(&s).await, Vec::<String>::new(), "{label}");
        // The approval's audit entry seals the proposal, the revision and both document rows
        // (the one it replaced, now closed, and the new one).
        let e = s.audit_entries(None, 200).await.unwrap();
        let approve = e.iter().find(|e| e.action == "proposal.approve").unwrap();
        let d: serde_json::Value = serde_json::from_str(&approve.detail).unwrap();
        let tables: Vec<&str> = d["sealed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s[0].as_str().unwrap())
            .collect();
        assert_eq!(
            tables,
            ["revisions", "documents", "documents", "proposals"],
            "{label}"
        );
        assert_eq!(d["sealed"][1][1], r#"["note","a","1"]"#, "{label}");
        assert_eq!(d["sealed"][2][1], r#"["note","a","2"]"#, "{label}");
    })
    .await;
}

#[tokio::test]
async fn a_document_body_edited_with_sql_is_named() {
    each(async |s, label| {
        every_kind_of_write(&s).await;
        raw(&s, "UPDATE documents SET body = 'injected' WHERE kind = 'note' AND key = 'a' AND rev_to IS NULL").await;
        let p = problems(&s).await;
        assert_eq!(p.len(), 1, "{label}: {p:?}");
        assert!(
            p[0].starts_with(r#"documents/["note","a","2"]: its content differs from what audit row "#)
                && p[0].contains("edited"),
            "{label}: {p:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_user_made_admin_with_sql_is_named() {
    each(async |s, label| {
        every_kind_of_write(&s).await;
        raw(&s, "UPDATE users SET role = 'admin' WHERE name = 'ana'").await;
        let p = problems(&s).await;
        assert_eq!(p.len(), 1, "{label}: {p:?}");
        assert!(
            p[0].starts_with("users/1: its content differs"),
            "{label}: {p:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn rows_deleted_or_inserted_with_sql_are_named() {
    each(async |s, label| {
        every_kind_of_write(&s).await;
        raw(&s, "DELETE FROM proposals WHERE id = 2").await;
        raw(
            &s,
            "INSERT INTO sessions (hash, user_id, stamp, created_at, expires_at, revoked) \
             SELECT 'forged', id, stamp, '2026-01-01T00:00:00.000Z', '2999-01-01T00:00:00.000Z', 0 FROM users WHERE name = 'ana'",
        )
        .await;
        let p = problems(&s).await;
        assert_eq!(p.len(), 2, "{label}: {p:?}");
        assert!(p[0].starts_with("proposals/2: sealed by audit row ") && p[0].contains("missing"), "{label}: {p:?}");
        assert!(p[1].starts_with("sessions/forged: no audit row seals it"), "{label}: {p:?}");
    })
    .await;
}

#[tokio::test]
async fn the_newest_audit_rows_deleted_without_triggers_are_found() {
    each(async |s, label| {
        every_kind_of_write(&s).await;
        let rows = s.verify_audit().await.unwrap().rows;
        drop_triggers(&s, label).await;
        // The last two entries: two marks (the second re-seals the same row).
        raw(&s, &format!("DELETE FROM audit WHERE seq > {}", rows - 2)).await;
        let p = problems(&s).await;
        assert!(p.iter().any(|p| p.contains("trigger")), "{label}: {p:?}");
        assert!(
            p.iter().any(|p| p
                == &format!(
                    "the log ends at row {} but its head was row {rows}: rows {}-{rows} deleted (log truncated)",
                    rows - 2,
                    rows - 1
                )),
            "{label}: {p:?}"
        );
        assert!(
            p.iter().any(|p| p.starts_with(r#"user_marks/["ana","changes"]: no audit row seals it"#)),
            "{label}: {p:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn deleting_audit_rows_with_triggers_in_place_is_refused() {
    each(async |s, label| {
        every_kind_of_write(&s).await;
        let del = sqlx::query("DELETE FROM audit WHERE seq = 3")
            .execute(s.pool())
            .await;
        assert!(del.is_err(), "{label}");
        assert!(problems(&s).await.is_empty(), "{label}");
    })
    .await;
}

#[tokio::test]
async fn a_disabled_trigger_on_postgres_is_named() {
    each(async |s, label| {
        if label != "postgres" {
            return;
        }
        every_kind_of_write(&s).await;
        raw(&s, "ALTER TABLE audit DISABLE TRIGGER audit_no_update").await;
        let p = problems(&s).await;
        assert_eq!(
            p,
            ["the append-only trigger `audit_no_update` on the audit log is disabled"],
            "{label}"
        );
        raw(
            &s,
            "DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit)",
        )
        .await;
        let p = problems(&s).await;
        // The mark the deleted entry sealed comes first (its audit row 21 sealed an older state),
        // then the truncation at row 22.
        assert_eq!(p.len(), 3, "{label}: {p:?}");
        assert!(
            p[1].starts_with(r#"user_marks/["ana","changes"]: its content differs"#),
            "{p:?}"
        );
        assert!(p[2].contains("rows 22-22 deleted (log truncated)"), "{p:?}");
    })
    .await;
}

#[tokio::test]
async fn rows_written_before_seals_are_sealed_as_found_when_migrated() {
    for db in TestDb::all().await {
        let s = Store::open(&db.url).await.unwrap();
        s.migrate_to(2).await.unwrap();
        raw(&s, "INSERT INTO revisions (id, at, author, note) VALUES (1, '2026-01-01T00:00:00.000Z', 'osa', 'old')").await;
        raw(
            &s,
            "INSERT INTO documents (kind, key, rev_from, body) VALUES ('note', 'a', 1, 'old body')",
        )
        .await;
        let newer: Vec<i64> = (3..=osa_store::migrate::latest_version()).collect();
        assert_eq!(s.migrate().await.unwrap(), newer, "{}", db.label);
        let e = s.audit_entries(None, 10).await.unwrap();
        assert_eq!(e.len(), 1);
        assert_eq!(
            (e[0].action.as_str(), e[0].actor.as_str()),
            ("record.seal", "osa")
        );
        assert!(problems(&s).await.is_empty(), "{}", db.label);
        raw(&s, "UPDATE documents SET body = 'new body'").await;
        let p = problems(&s).await;
        assert_eq!(p.len(), 1, "{}: {p:?}", db.label);
        assert!(p[0].contains("what audit row 1 sealed"), "{p:?}");
        s.close().await;
        db.drop_db().await;
    }
}
