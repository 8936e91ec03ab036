//! The workbench over the store on every configured backend: the seeded matrix equals the one the
//! command line computes from the embedded baseline; the 6G national-security change goes through
//! four-eyes review, reads back as of before and after, and shows in the diff; a registered ETO
//! release records what changed.

use osa_app::ecosystem::DiffRequest;
use osa_app::workbench::Workbench;
use osa_app::workbench::cells::{CellChange, EvidenceInput};
use osa_app::workbench::monitor::Release;
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
        rationale: Some("Ranked first within the chapter, not across technologies.".into()),
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

#[tokio::test]
async fn six_g_national_security_through_review() {
    for db in TestDb::all().await {
        let wb = Workbench::open(&db.url).await.expect("open");
        let label = db.label;
        let cli = osa_app::assess::matrix_view(
            &osa_io::baseline::embedded().unwrap(),
            &[],
            &osa_app::assess::cached_loader(),
        )
        .unwrap()
        .value;
        let stored = wb.matrix(None).await.unwrap();
        assert_eq!(
            serde_json::to_value(&stored.value).unwrap(),
            serde_json::to_value(&cli).unwrap(),
            "{label}"
        );
        let actor = Actor::cli("test");
        let ana = who("ana", Role::Analyst);
        let rev = who("rev", Role::Reviewer);
        let viewer = who("vic", Role::Viewer);
        let doc = wb.technology_doc("6g", 1).await.unwrap();
        assert!(
            wb.propose_cell(
                &actor,
                &viewer,
                ("6g", "national_security"),
                doc.version,
                &six_g_to_3()
            )
            .await
            .is_err()
        );
        let mut bad = six_g_to_3();
        bad.level = Some(7);
        assert!(
            wb.propose_cell(&actor, &ana, ("6g", "national_security"), doc.version, &bad)
                .await
                .is_err()
        );
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
        let level = |m: &osa_app::workbench::read::AsOfAnswer<osa_view::assess::MatrixView>| {
            let t = m.value.technologies.iter().find(|t| t.id == "6g").unwrap();
            t.dimensions["national_security"].level
        };
        assert_eq!(
            level(&wb.matrix(None).await.unwrap()),
            Some(4),
            "{label}: unchanged until approved"
        );
        assert!(
            wb.review(&actor, &ana, p.id, Decision::Approve, "self")
                .await
                .is_err(),
            "{label}"
        );
        let (_, r) = wb
            .review(&actor, &rev, p.id, Decision::Approve, "agreed")
            .await
            .unwrap();
        let r = r.unwrap();
        assert_eq!(level(&wb.matrix(None).await.unwrap()), Some(3), "{label}");
        assert_eq!(
            level(&wb.matrix(Some("1")).await.unwrap()),
            Some(4),
            "{label}: as of before"
        );
        let d = wb.diff(Some("1"), None).await.unwrap();
        assert_eq!(d.changes.len(), 1, "{label}: {:?}", d.changes);
        let j = serde_json::to_value(&d.changes[0]).unwrap();
        assert_eq!(j["technology"], "6g");
        assert_eq!(j["before"]["level"], 4);
        assert_eq!(j["after"]["level"], 3);
        assert_eq!(j["revisions"][0]["author"], "ana");
        assert_eq!(j["revisions"][0]["reviewer"], "rev");
        assert_eq!(j["revisions"][0]["note"], "second reading: 3 is tenable");
        assert_eq!(r.id, 2);
        let v = wb.store().verify_audit().await.unwrap();
        assert!(v.problems.is_empty(), "{label}: {:?}", v.problems);
        wb.store().close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn eto_releases_record_what_changed() {
    let Some(data) = osa_io::shared::data_dir_or_skip("eto_releases_record_what_changed") else {
        return;
    };
    for db in TestDb::all().await {
        let wb = Workbench::open(&db.url).await.expect("open");
        let actor = Actor::cli("test");
        let admin = who("adm", Role::Admin);
        let req = DiffRequest {
            holders: vec![],
            bloc_definitions: vec![],
            thresholds: osa_ecosystem::Thresholds::default(),
            old_year: None,
            new_year: None,
        };
        let release = |label: &str, dir: &str| Release {
            ecosystem: "eto-semiconductors".into(),
            label: label.into(),
            origin: data.join("eto").join(dir).display().to_string(),
            note: format!("CSET ETO release {label}"),
        };
        let load = |dir: &str| {
            osa_io::load(Some(&data.join("eto").join(dir).display().to_string())).unwrap()
        };
        let first = wb
            .register_release(
                &actor,
                &admin,
                &release("eto-2025", "v2025_supply_chain"),
                &load("v2025_supply_chain"),
                &req,
            )
            .await
            .unwrap();
        let kinds: Vec<&str> = first.changes.iter().map(|c| c.kind.as_str()).collect();
        assert_eq!(kinds, ["release_new"], "only the release itself");
        assert!(first.previous.is_none());
        let second = wb
            .register_release(
                &actor,
                &admin,
                &release("eto-2026", "v2026_chip_explorer"),
                &load("v2026_chip_explorer"),
                &req,
            )
            .await
            .unwrap();
        assert_eq!(second.previous.as_deref(), Some("eto-2025"));
        let titles: Vec<&str> = second.changes.iter().map(|c| c.title.as_str()).collect();
        assert!(
            titles.iter().any(|t| t
                .starts_with("Integrated assembly tools: the top holder changed from CHN (98%)")),
            "{}: {titles:#?}",
            db.label
        );
        assert!(titles.iter().any(|t| {
            t.starts_with("Integrated assembly tools is no longer a chokepoint held by CHN")
        }));
        assert!(
            !titles.iter().any(|t| t.to_lowercase().contains("euv")),
            "EUV unchanged"
        );
        // A case may now name the registered ecosystem: a whole-file proposal that does is valid.
        let head = wb.store().head().await.unwrap();
        let doc = wb
            .technology_doc("front-end-fabrication", head)
            .await
            .unwrap();
        let eco = |name: &str| {
            doc.body.replacen(
                "ecosystem = \"semiconductors\"",
                &format!("ecosystem = \"{name}\""),
                1,
            )
        };
        assert_ne!(eco("eto-semiconductors"), doc.body);
        let ana = who("ana", Role::Analyst);
        let file = ("baseline", doc.key.as_str());
        let why = "compute on the ETO data";
        let p = wb
            .propose_file(
                &actor,
                &ana,
                file,
                doc.version,
                &eco("eto-semiconductors"),
                why,
            )
            .await;
        assert!(p.is_ok(), "{}: {p:?}", db.label);
        let bad = wb
            .propose_file(&actor, &ana, file, doc.version, &eco("nowhere"), why)
            .await;
        assert!(
            bad.is_err(),
            "{}: an unknown ecosystem is refused",
            db.label
        );
        let stored = wb
            .store()
            .changes(Some(&["ecosystem/eto-semiconductors".to_string()]), 1000, 0)
            .await
            .unwrap();
        // Both releases' entries and the file proposal's (about the case, not the ecosystem).
        assert_eq!(stored.len(), first.changes.len() + second.changes.len());
        let case = ["technology/front-end-fabrication".to_string()];
        let about_case = wb.store().changes(Some(&case), 1, 0).await.unwrap();
        assert_eq!(
            about_case[0].title,
            "ana proposed a new text of baseline file `cases/front-end-fabrication.toml` (proposal 1)"
        );
        wb.store().close().await;
        db.drop_db().await;
    }
}
