//! The explorer's use cases over the store: an ecosystem read for a holder (EUV lithography an EU
//! chokepoint, `EU` read as `EU27`, an unknown holder an invalid `holder`), an input's shares in
//! every year, the snapshots with their revisions, and two snapshots compared (ETO 2025 and 2026
//! where the real data is present).

use osa_app::AppError;
use osa_app::ecosystem::DiffRequest;
use osa_app::workbench::Workbench;
use osa_app::workbench::monitor::Release;
use osa_store::Actor;
use osa_store::testkit::TestDb;
use osa_store::users::{Principal, Role};

fn field_of(e: AppError) -> String {
    match e {
        AppError::Invalid { field, .. } => field,
        other => panic!("not an invalid argument: {other}"),
    }
}

#[tokio::test]
async fn the_embedded_ecosystem_for_a_holder_and_an_input_over_the_years() {
    for db in TestDb::all().await {
        let wb = Workbench::open(&db.url).await.expect("open");
        let x = wb
            .explore("semiconductors", None, Some("EU"), None, None, None)
            .await
            .unwrap();
        assert_eq!(x.holder, "EU27");
        assert_eq!(x.counterpart, "CHN");
        assert!(x.chokepoints.iter().any(|c| c.id == "euv-lithography"));
        let euv = x.inputs.iter().find(|m| m.id == "euv-lithography").unwrap();
        assert_eq!(euv.bloc_shares["EU27"], 1.0);
        assert!(x.edges.contains(&(
            "euv-lithography".into(),
            "leading-edge-logic-fabrication".into()
        )));
        assert!(x.holders.iter().any(|h| h.id == "EU27" && h.kind == "bloc"));
        assert_eq!(x.snapshots.len(), 1);
        assert_eq!(x.snapshots[0].label, "osa-curated");
        let nld = wb
            .explore("semiconductors", None, Some("nld"), None, None, None)
            .await
            .unwrap();
        assert_eq!(nld.holder, "NLD");
        assert!(nld.chokepoints.iter().any(|c| c.id == "euv-lithography"));
        let bad = wb
            .explore("semiconductors", None, Some("XXQ"), None, None, None)
            .await
            .unwrap_err();
        assert_eq!(field_of(bad), "holder");
        let bad = wb
            .explore("semiconductors", None, None, None, Some(1990), None)
            .await
            .unwrap_err();
        assert_eq!(field_of(bad), "year");

        let i = wb
            .input(
                "semiconductors",
                "leading-edge-logic-fabrication",
                None,
                Some("TWN"),
                None,
            )
            .await
            .unwrap();
        let years: Vec<i32> = i.input.years.iter().map(|y| y.year).collect();
        assert_eq!(years, [2019, 2022]);
        assert_eq!(i.input.years[0].holder_shares["TWN"], 0.92);
        assert_eq!(i.input.years[1].holder_shares["TWN"], 0.69);
        assert_eq!(i.input.years[0].chokepoints, ["TWN"]);
        let bad = wb
            .input("semiconductors", "nothing", None, None, None)
            .await
            .unwrap_err();
        assert_eq!(field_of(bad), "input");
        db.drop_db().await;
    }
}

#[tokio::test]
async fn eto_2025_and_2026_compared() {
    let Some(data) = osa_io::shared::data_dir_or_skip("eto_2025_and_2026_compared") else {
        return;
    };
    for db in TestDb::all().await {
        let wb = Workbench::open(&db.url).await.expect("open");
        let admin = Principal {
            name: "adm".into(),
            role: Role::Admin,
            via: "session",
        };
        let req = DiffRequest {
            holders: vec![],
            bloc_definitions: vec![],
            thresholds: osa_ecosystem::Thresholds::default(),
            old_year: None,
            new_year: None,
        };
        for (label, dir) in [
            ("eto-2025", "v2025_supply_chain"),
            ("eto-2026", "v2026_chip_explorer"),
        ] {
            let path = data.join("eto").join(dir).display().to_string();
            let loaded = osa_io::load(Some(&path)).unwrap();
            let r = Release {
                ecosystem: "eto-semiconductors".into(),
                label: label.into(),
                origin: path,
                note: format!("CSET ETO release {label}"),
            };
            wb.register_release(&Actor::cli("test"), &admin, &r, &loaded, &req)
                .await
                .unwrap();
        }
        let snaps = wb
            .snapshots(Some("eto-semiconductors"), None)
            .await
            .unwrap();
        let labels: Vec<&str> = snaps.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["eto-2025", "eto-2026"]);
        assert!(snaps[0].revision < snaps[1].revision);
        assert_eq!(snaps[1].inputs, Some(126));
        let c = wb
            .compare_snapshots(
                "eto-semiconductors",
                ("eto-2025", "eto-2026"),
                None,
                &[],
                None,
            )
            .await
            .unwrap();
        assert_eq!(c.diff.old.source, "eto-semiconductors@eto-2025");
        let n77 = c.diff.inputs.iter().find(|r| r.id == "N77").unwrap();
        let top = n77.changes.iter().find(|c| c.kind == "top_holder").unwrap();
        assert_eq!(top.before.place.as_deref(), Some("CHN"));
        assert_eq!(top.before.value, Some(0.98));
        assert_eq!(top.after.place.as_deref(), Some("SGP"));
        assert!(
            n77.changes
                .iter()
                .any(|c| c.kind == "lost_chokepoint" && c.holder.as_deref() == Some("CHN"))
        );
        assert!(
            !c.diff
                .inputs
                .iter()
                .find(|r| r.id == "N20")
                .unwrap()
                .changed
        );
        // The same snapshot by its full name, compared with itself: no change.
        let same = wb
            .compare_snapshots(
                "semiconductors",
                ("eto-semiconductors@eto-2026", "eto-semiconductors"),
                None,
                &[],
                None,
            )
            .await
            .unwrap();
        assert_eq!(same.diff.n_changed, 0);
        let bad = wb
            .compare_snapshots(
                "eto-semiconductors",
                ("eto-2025", "eto-2099"),
                None,
                &[],
                None,
            )
            .await
            .unwrap_err();
        assert_eq!(field_of(bad), "to");
        db.drop_db().await;
    }
}
