//! The store on every configured backend (SQLite always; PostgreSQL where OSA_TEST_PG_URL is set):
//! revisions and as-of reads, four-eyes review with lost-update guards, users and tokens, and the
//! audit chain detecting an edit made behind osa's back.

use osa_store::docs::{AsOf, Put};
use osa_store::proposals::{Decision, NewProposal};
use osa_store::testkit::TestDb;
use osa_store::users::Role;
use osa_store::{Actor, Store, StoreError};

fn put(key: &str, body: &str) -> Put {
    Put {
        kind: "note".into(),
        key: key.into(),
        body: Some(body.into()),
        expected: None,
    }
}

fn proposal(base: i64, body: &str) -> NewProposal {
    NewProposal {
        kind: "note".into(),
        key: "a".into(),
        subject: "a/text".into(),
        base_version: base,
        body: body.into(),
        change: serde_json::json!({ "text": body }),
        note: "because".into(),
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

#[tokio::test]
async fn revisions_read_back_as_of() {
    each(async |s, label| {
        let sys = Actor::system();
        let r1 = s
            .write_revision(&sys, "seed", "first", &[put("a", "one")])
            .await
            .unwrap();
        let r2 = s
            .write_revision(&sys, "edit", "second", &[put("a", "two")])
            .await
            .unwrap();
        assert_eq!((r1.id, r2.id), (1, 2), "{label}");
        let at = |r| s.doc("note", "a", r);
        assert_eq!(at(1).await.unwrap().unwrap().body, "one", "{label}");
        assert_eq!(at(2).await.unwrap().unwrap().body, "two", "{label}");
        assert_eq!(at(2).await.unwrap().unwrap().version, 2);
        assert!(at(0).await.unwrap().is_none());
        let t = s.resolve(&AsOf::Time(r1.at.clone())).await.unwrap();
        assert_eq!(t, 1, "{label}: as of the first revision's time");
        assert!(matches!(
            s.resolve(&AsOf::Revision(9)).await,
            Err(StoreError::NotFound(_))
        ));
        let e = s
            .write_revision(&sys, "edit", " ", &[put("a", "x")])
            .await
            .unwrap_err();
        assert!(
            matches!(e, StoreError::Invalid { ref field, .. } if field == "note"),
            "{e}"
        );
    })
    .await;
}

#[tokio::test]
async fn four_eyes_and_lost_updates() {
    each(async |s, label| {
        let sys = Actor::system();
        s.write_revision(&sys, "seed", "first", &[put("a", "one")])
            .await
            .unwrap();
        let ana = Actor::cli("ana");
        let bob = Actor::cli("bob");
        let p = s.propose(&ana, &proposal(1, "two")).await.unwrap();
        // A second proposal on the same subject and base: refused, the first is kept.
        let e = s.propose(&bob, &proposal(1, "three")).await.unwrap_err();
        assert!(matches!(e, StoreError::Stale { .. }), "{label}: {e}");
        // A proposal against an old version: refused.
        assert!(matches!(
            s.propose(&bob, &proposal(0, "x")).await,
            Err(StoreError::Stale { .. })
        ));
        // Published state unchanged until approval.
        assert_eq!(
            s.doc("note", "a", s.head().await.unwrap())
                .await
                .unwrap()
                .unwrap()
                .body,
            "one"
        );
        let e = s
            .review(&ana, p.id, Decision::Approve, "ok")
            .await
            .unwrap_err();
        assert!(
            matches!(e, StoreError::Refused(_)),
            "{label}: author approving: {e}"
        );
        let (done, rev) = s
            .review(&bob, p.id, Decision::Approve, "fine")
            .await
            .unwrap();
        let rev = rev.unwrap();
        assert_eq!(done.status, "approved");
        assert_eq!(
            (rev.author.as_str(), rev.reviewer.as_deref()),
            ("ana", Some("bob"))
        );
        assert_eq!(
            s.doc("note", "a", rev.id).await.unwrap().unwrap().body,
            "two"
        );
        assert!(matches!(
            s.review(&bob, p.id, Decision::Reject, "no").await,
            Err(StoreError::Refused(_))
        ));
        // The database itself refuses a reviewer equal to the author.
        let direct = sqlx::query(s.sql("UPDATE proposals SET reviewer = author WHERE id = ?"))
            .bind(p.id)
            .execute(s.pool())
            .await;
        assert!(direct.is_err(), "{label}: the CHECK constraint holds");
        // A proposal made before another approval cannot be approved.
        let p2 = s.propose(&ana, &proposal(2, "four")).await.unwrap();
        s.write_revision(&sys, "edit", "meanwhile", &[put("a", "five")])
            .await
            .unwrap();
        let e = s
            .review(&bob, p2.id, Decision::Approve, "ok")
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Stale { .. }), "{label}: {e}");
        let v = s.verify_audit().await.unwrap();
        assert!(v.problems.is_empty(), "{label}: {:?}", v.problems);
        let refused = s.audit_entries(None, 100).await.unwrap();
        assert!(
            refused
                .iter()
                .filter(|e| e.outcome.starts_with("refused"))
                .count()
                >= 5
        );
    })
    .await;
}

#[tokio::test]
async fn users_sessions_and_tokens() {
    each(async |s, label| {
        let sys = Actor::system();
        s.add_user(
            &sys,
            "ana",
            Role::Analyst,
            Some("correct horse battery".into()),
        )
        .await
        .unwrap();
        assert!(
            s.add_user(&sys, "ana", Role::Viewer, None).await.is_err(),
            "{label}"
        );
        assert!(
            s.add_user(&sys, "bad name", Role::Viewer, None)
                .await
                .is_err()
        );
        let ttl = std::time::Duration::from_secs(3600);
        assert!(
            s.sign_in(&sys, "ana", "wrong password!", ttl)
                .await
                .is_err()
        );
        let (cookie, p) = s
            .sign_in(&sys, "ana", "correct horse battery", ttl)
            .await
            .unwrap();
        assert_eq!(p.role, Role::Analyst);
        assert_eq!(s.session(&cookie).await.unwrap().unwrap().name, "ana");
        let tok = s
            .create_token(&sys, "ana", Role::Viewer, "script", ttl)
            .await
            .unwrap();
        assert_eq!(s.token(&tok).await.unwrap().unwrap().role, Role::Viewer);
        assert!(
            s.create_token(&sys, "ana", Role::Admin, "x", ttl)
                .await
                .is_err()
        );
        s.set_disabled(&sys, "ana", true).await.unwrap();
        assert!(
            s.session(&cookie).await.unwrap().is_none(),
            "{label}: disabling ends sessions"
        );
        assert!(s.token(&tok).await.unwrap().is_none());
        s.set_disabled(&sys, "ana", false).await.unwrap();
        assert!(
            s.session(&cookie).await.unwrap().is_none(),
            "{label}: the old session stays ended"
        );
        let link = s.signin_link(&sys, "ana", ttl).await.unwrap();
        assert!(s.use_signin_link(&sys, &link, ttl).await.is_ok());
        assert!(
            s.use_signin_link(&sys, &link, ttl).await.is_err(),
            "{label}: one-time"
        );
    })
    .await;
}

#[tokio::test]
async fn audit_chain_detects_edits_behind_osas_back() {
    each(async |s, label| {
        let sys = Actor::system();
        for i in 0..5 {
            s.write_revision(&sys, "edit", &format!("n{i}"), &[put("a", &i.to_string())])
                .await
                .unwrap();
        }
        let v = s.verify_audit().await.unwrap();
        assert_eq!((v.rows, v.problems.len()), (5, 0), "{label}");
        // The database refuses edits through osa's own connection...
        let upd = sqlx::query("UPDATE audit SET actor = 'mallory' WHERE seq = 2")
            .execute(s.pool())
            .await;
        assert!(upd.is_err(), "{label}: UPDATE refused");
        assert!(
            sqlx::query("DELETE FROM audit WHERE seq = 5")
                .execute(s.pool())
                .await
                .is_err()
        );
        // ...so an attacker drops the triggers first.
        match label {
            "sqlite" => {
                sqlx::raw_sql("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;")
                    .execute(s.pool())
                    .await
                    .unwrap();
            }
            _ => {
                sqlx::raw_sql("DROP TRIGGER audit_no_update ON audit;")
                    .execute(s.pool())
                    .await
                    .unwrap();
            }
        }
        sqlx::query("UPDATE audit SET actor = 'mallory' WHERE seq = 2")
            .execute(s.pool())
            .await
            .unwrap();
        let v = s.verify_audit().await.unwrap();
        assert!(
            v.problems
                .iter()
                .any(|p| p.contains("row 2") && p.contains("edited")),
            "{label}: {:?}",
            v.problems
        );
        assert!(
            v.problems.iter().any(|p| p.contains("trigger")),
            "{:?}",
            v.problems
        );
    })
    .await;
}

#[tokio::test]
async fn refusals_quoting_control_characters_are_stored_on_every_backend() {
    each(async |s, label| {
        let who = Actor {
            name: "an\0on".into(),
            request_id: "r\x01".into(),
            client: "127.0.0.1".into(),
        };
        s.audit_refusal(
            &who,
            "sign_in",
            "user/a\0b\nc",
            "no such\0user",
            serde_json::json!({ "sent": "x\0y" }),
        )
        .await
        .unwrap_or_else(|e| panic!("{label}: {e}"));
        let e = &s.audit_entries(None, 1).await.unwrap()[0];
        assert_eq!(e.actor, "an\u{FFFD}on", "{label}");
        assert_eq!(e.target, "user/a\u{FFFD}b\u{FFFD}c", "{label}");
        assert_eq!(e.outcome, "refused: no such\u{FFFD}user", "{label}");
        let v = s.verify_audit().await.unwrap();
        assert!(v.problems.is_empty(), "{label}: {:?}", v.problems);
    })
    .await;
}
