//! "What changed since my last visit" on every configured backend: a first visit sees every
//! recorded change, a second one none, and after a release only the changes it brought.

use osa_app::workbench::Workbench;
use osa_store::Actor;
use osa_store::changes::{NewChange, Release};
use osa_store::testkit::TestDb;
use osa_store::users::{Principal, Role};

fn who(name: &str) -> Principal {
    Principal {
        name: name.into(),
        role: Role::Viewer,
        via: "session",
    }
}

async fn release(wb: &Workbench, n: usize) {
    let changes: Vec<NewChange> = (0..n)
        .map(|i| NewChange {
            subject: "technology/6g".into(),
            kind: "share_moved".into(),
            title: format!("change {i}"),
            detail: serde_json::json!({}),
            ..NewChange::default()
        })
        .collect();
    let puts = [osa_store::docs::Put {
        kind: "note".into(),
        key: format!("release-{n}"),
        body: Some("x".into()),
        expected: None,
    }];
    wb.store()
        .write_release(
            &Actor::cli("adm"),
            &Release {
                action: "release.register",
                target: "ecosystem/test",
                note: "a test release",
                puts: &puts,
                changes: &changes,
                notes: &[],
                detail: serde_json::json!({}),
            },
        )
        .await
        .expect("a release");
}

#[tokio::test]
async fn changes_since_the_last_visit() {
    for db in TestDb::all().await {
        let wb = Workbench::open(&db.url).await.expect("open");
        let (actor, vic) = (Actor::cli("test"), who("vic"));
        release(&wb, 2).await;
        let first = wb.visit_changes(&actor, &vic).await.unwrap();
        assert_eq!(
            (first.last_visit.is_none(), first.changes),
            (true, 2),
            "{}",
            db.label
        );
        let second = wb.visit_changes(&actor, &vic).await.unwrap();
        assert_eq!(second.changes, 0, "{}", db.label);
        assert!(second.last_visit.is_some());
        release(&wb, 3).await;
        assert_eq!(wb.since_last_visit(&vic).await.unwrap().changes, 3);
        let third = wb.visit_changes(&actor, &vic).await.unwrap();
        assert_eq!((third.changes, third.after), (3, 2), "{}", db.label);
        assert_eq!(wb.since_last_visit(&vic).await.unwrap().changes, 0);
        assert_eq!(
            wb.since_last_visit(&who("ana")).await.unwrap().changes,
            5,
            "another user's marks are their own"
        );
        db.drop_db().await;
    }
}
