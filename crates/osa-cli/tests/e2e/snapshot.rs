//! Each command's table output at 80 and 100 columns, as insta snapshots (in `snapshots/`): a
//! change in layout, wording or wrapping shows as a diff to review (`cargo insta review`, or
//! `INSTA_UPDATE=always` to accept). Commands on the shared data run when it is there.

use crate::util::osa;
use std::path::Path;

/// (snapshot name, arguments) of commands on the embedded data and the repository's examples.
fn embedded() -> Vec<(&'static str, Vec<String>)> {
    let io = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/three-sectors.csv")
        .display()
        .to_string();
    let c: Vec<(&str, Vec<&str>)> = vec![
        ("matrix", vec!["matrix"]),
        ("assess_chip_design", vec!["assess", "chip-design"]),
        (
            "actors_chn_ministry",
            vec!["actors", "--country", "China", "--kind", "ministry"],
        ),
        ("checklist", vec!["checklist"]),
        (
            "simulate_gallium",
            vec!["simulate", "--shock", "CHN:gallium=1.0"],
        ),
        ("scenario_list", vec!["scenario", "list"]),
        (
            "iomodel",
            vec!["iomodel", &io, "--shock", "manufacturing=0.1"],
        ),
        ("metrics", vec!["metrics"]),
        ("metrics_stages", vec!["metrics", "--stages"]),
        (
            "chokepoints_chn",
            vec!["chokepoints", "--holder", "CHN", "--min-share", "0.5"],
        ),
        ("leverage", vec!["leverage", "--between", "EU27", "CHN"]),
        ("ecosystem_list", vec!["ecosystem", "list"]),
    ];
    c.into_iter()
        .map(|(n, v)| (n, v.into_iter().map(String::from).collect()))
        .collect()
}

/// (snapshot name, arguments) of commands on the shared data.
fn shared(d: &Path) -> Vec<(&'static str, Vec<String>)> {
    let baci = d
        .join("baci_sample/baci_2021_exporters_AFG_ZAF_from_R-IO-PS.csv")
        .display()
        .to_string();
    let eto = d.join("eto/v2026_chip_explorer").display().to_string();
    let old = d.join("eto/v2025_supply_chain").display().to_string();
    let c: Vec<(&str, Vec<&str>)> = vec![
        ("screen", vec!["screen", "--trade", &baci]),
        (
            "screen_by_section",
            vec!["screen", "--trade", &baci, "--by", "section"],
        ),
        ("crm_gallium", vec!["crm", "Gallium"]),
        (
            "geopolrisk_nickel",
            vec![
                "geopolrisk",
                "--trade",
                &baci,
                "--importer",
                "USA",
                "--year",
                "2021",
                "--commodity",
                "Nickel",
            ],
        ),
        (
            "leverage_eto",
            vec!["leverage", &eto, "--between", "EU27", "CHN"],
        ),
        ("diff_eto", vec!["diff", &old, &eto]),
    ];
    c.into_iter()
        .map(|(n, v)| (n, v.into_iter().map(String::from).collect()))
        .collect()
}

/// A command's table output at `width` columns, with the shared data's folder written `DATA`.
fn table(args: &[String], width: usize, data: Option<&Path>) -> String {
    let out = osa()
        .args(args)
        .env("COLUMNS", width.to_string())
        .output()
        .expect("runs");
    assert!(out.status.success(), "osa {args:?} failed");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    match data {
        Some(d) => text.replace(&d.display().to_string(), "DATA"),
        None => text,
    }
}

#[test]
fn tables_at_80_and_100_columns() {
    let data = osa_io::shared::data_dir();
    let mut all = embedded();
    if let Some(d) = &data {
        all.extend(shared(d));
    }
    for (name, args) in all {
        for width in [80, 100] {
            insta::assert_snapshot!(
                format!("{name}_{width}"),
                table(&args, width, data.as_deref())
            );
        }
    }
}
