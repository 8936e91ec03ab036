//! The record's own changes, the inbox and discussion on every configured backend: approving 6G
//! national security 4 -> 3 enters the change log in words with a link to the cell's history,
//! tells the analyst (a decision) and a watcher of 6G (a watchlist change), and makes one mail
//! each for users who asked for them; a comment mentioning `@rev` reaches rev's inbox; a thread
//! survives export and import.

use osa_app::workbench::Workbench;
use osa_app::workbench::cells::{CellChange, EvidenceInput};
use osa_app::workbench::records::Watchlist;
use osa_store::Actor;
use osa_store::proposals::Decision;
use osa_store::testkit::TestDb;
use osa_store::users::{Principal, Role};

fn who(name: &str, role: Role) -> Principal {
    Principal {
        name: name.into(),
        role,
        via: "session",
    }
}

fn six_g_to_3() -> CellChange {
    CellChange {
        level: Some(3),
        silent: false,
        rationale: None,
        evidence: vec![EvidenceInput {
            text: "The abstract ranks national security first within the 6G chapter.".into(),
            source: "seed L2062-2063".into(),
        }],
        range: None,
        clear_range: false,
        signals: None,
        note: "second reading: 3 is tenable".into(),
    }
}

async fn users(wb: &Workbench) {
    for (n, r) in [
        ("ana", Role::Analyst),
        ("rev", Role::Reviewer),
        ("vic", Role::Viewer),
    ] {
        wb.store()
            .add_user(&Actor::system(), n, r, None)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn an_approval_is_a_change_in_words_told_to_the_analyst_and_the_watchers() {
    for db in TestDb::all().await {
        let wb = Workbench::open(&db.url).await.expect("open");
        let label = db.label;
        users(&wb).await;
        let actor = Actor::cli("test");
        let (ana, rev, vic) = (
            who("ana", Role::Analyst),
            who("rev", Role::Reviewer),
            who("vic", Role::Viewer),
        );
        let w = Watchlist {
            subjects: vec!["technology/6g".into()],
        };
        wb.put_watchlist(&actor, &vic, "six-g", &w).await.unwrap();
        wb.set_mail(&actor, &ana, "ana@unit.example", "immediate")
            .await
            .unwrap();
        wb.set_mail(&actor, &vic, "vic@unit.example", "daily")
            .await
            .unwrap();
        let doc = wb.technology_doc("6g", 1).await.unwrap();
        let p = wb
            .propose_cell(
                &actor,
                &ana,
                ("6g", "national_security"),
                doc.version,
                &six_g_to_3(),
            )
            .await
            .unwrap();
        wb.review(&actor, &rev, p.id, Decision::Approve, "agreed")
            .await
            .unwrap();
        let log = wb.store().changes(None, 10, 0).await.unwrap();
        let titles: Vec<&str> = log.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "6G, national security: level 4 (critical) to 3 (high), proposed by ana and approved by rev (revision 3)",
                "ana proposed 6G, national security: level 4 (critical) to 3 (high) (proposal 1)",
            ],
            "{label}"
        );
        assert_eq!(log[0].link, "/tech/6g/national_security/history");
        assert_eq!(
            (log[0].actor.as_str(), log[0].kind.as_str()),
            ("rev", "published")
        );
        let watched = wb.store().changes(Some(&w.subjects), 10, 0).await.unwrap();
        assert_eq!(watched.len(), 2, "{label}");
        let dim = ["dimension/national_security".to_string()];
        assert_eq!(
            wb.store().changes(Some(&dim), 10, 0).await.unwrap().len(),
            2
        );
        let other = ["technology/v2x".to_string()];
        assert!(
            wb.store()
                .changes(Some(&other), 10, 0)
                .await
                .unwrap()
                .is_empty()
        );
        let inbox = wb.inbox(&ana, 1).await.unwrap();
        assert_eq!(inbox.notes.len(), 1, "{label}: {:?}", inbox.notes);
        assert_eq!(
            inbox.notes[0].text,
            "rev approved your proposal 1: 6G, national security: level 4 (critical) to 3 (high)"
        );
        assert_eq!(inbox.notes[0].kind, "decision");
        let vics = wb.inbox(&vic, 1).await.unwrap();
        assert_eq!(
            vics.notes.len(),
            2,
            "{label}: the proposal and the approval"
        );
        assert_eq!(vics.notes[0].link, "/tech/6g/national_security/history");
        assert!(wb.inbox(&rev, 1).await.unwrap().notes.is_empty(), "{label}");
        let mails = wb
            .due_mails("2026-12-07T12:00:00Z", "http://osa.test")
            .await
            .unwrap();
        assert_eq!(mails.len(), 2, "{label}: {mails:?}");
        let to_ana = mails.iter().find(|m| m.user == "ana").unwrap();
        assert!(!to_ana.digest && to_ana.ids.len() == 1);
        assert!(
            to_ana.body.contains("http://osa.test/review/1"),
            "{}",
            to_ana.body
        );
        let digest = mails.iter().find(|m| m.user == "vic").unwrap();
        assert!(digest.digest);
        assert_eq!(
            digest.body.lines().filter(|l| l.starts_with("- ")).count(),
            2
        );
        for m in &mails {
            wb.mailed(m).await.unwrap();
        }
        let again = wb.due_mails("2026-12-07T13:00:00Z", "x").await.unwrap();
        assert!(again.is_empty(), "{label}: nothing mailed twice");
        let since = wb.since_last_visit(&vic).await.unwrap();
        assert_eq!(since.changes, 2, "{label}");
        let v = wb.store().verify_audit().await.unwrap();
        assert!(v.problems.is_empty(), "{label}: {:?}", v.problems);
        wb.store().close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_comment_mentioning_rev_reaches_rev_and_the_thread_survives_export_and_import() {
    for db in TestDb::all().await {
        let wb = Workbench::open(&db.url).await.expect("open");
        let label = db.label;
        users(&wb).await;
        let actor = Actor::cli("test");
        let (ana, rev, vic) = (
            who("ana", Role::Analyst),
            who("rev", Role::Reviewer),
            who("vic", Role::Viewer),
        );
        let doc = wb.technology_doc("6g", 1).await.unwrap();
        let p = wb
            .propose_cell(
                &actor,
                &ana,
                ("6g", "national_security"),
                doc.version,
                &six_g_to_3(),
            )
            .await
            .unwrap();
        let s = format!("proposal/{}", p.id);
        assert!(wb.comment(&actor, &vic, &s, "viewers read").await.is_err());
        assert!(wb.comment(&actor, &ana, &s, "  ").await.is_err());
        let t = wb
            .comment(
                &actor,
                &ana,
                &s,
                "@rev see seed L2062-2063 <b>please</b> https://example.org",
            )
            .await
            .unwrap();
        assert_eq!(t.comments[0].mentions, ["rev"]);
        wb.request_review(&actor, &ana, p.id, "rev").await.unwrap();
        assert!(wb.request_review(&actor, &ana, p.id, "ana").await.is_err());
        assert!(wb.request_review(&actor, &ana, p.id, "vic").await.is_err());
        wb.resolve_thread(&actor, &rev, &s, true).await.unwrap();
        let inbox = wb.inbox(&rev, 1).await.unwrap();
        let kinds: Vec<&str> = inbox.notes.iter().map(|n| n.kind.as_str()).collect();
        assert_eq!(kinds, ["review_request", "mention"], "{label}");
        assert!(
            inbox.notes[1]
                .text
                .starts_with("ana mentioned you on proposal 1: @rev see")
        );
        assert_eq!(inbox.notes[1].link, "/review/1");
        assert_eq!(inbox.unread, 2);
        wb.mark_inbox_read(&actor, &rev, inbox.notes[0].id)
            .await
            .unwrap();
        assert_eq!(wb.unread(&rev).await.unwrap(), 0);
        assert!(
            wb.inbox(&ana, 1).await.unwrap().notes.is_empty(),
            "{label}: own inbox only"
        );
        let cell = wb
            .comment(
                &actor,
                &rev,
                "cell/6g/national_security",
                "The chapter ranks it first.",
            )
            .await
            .unwrap();
        assert_eq!(cell.comments.len(), 1);
        let head = wb.store().head().await.unwrap();
        let files = osa_app::workbench::portability::published_files(&wb, head)
            .await
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in &files {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        assert!(dir.path().join("threads/proposal-1.json").is_file());
        let fresh = TestDb::all()
            .await
            .into_iter()
            .find(|d| d.label == label)
            .unwrap();
        let wb2 = Workbench::open(&fresh.url).await.unwrap();
        let admin = who("adm", Role::Admin);
        wb2.import(&actor, &admin, dir.path(), "restore")
            .await
            .unwrap();
        let (_, back) = wb2.thread(&s, None).await.unwrap();
        assert_eq!(back, wb.thread(&s, None).await.unwrap().1, "{label}");
        assert!(back.resolved);
        assert_eq!(
            back.review_requests,
            [("ana".to_string(), "rev".to_string())]
        );
        wb2.store().close().await;
        fresh.drop_db().await;
        wb.store().close().await;
        db.drop_db().await;
    }
}
