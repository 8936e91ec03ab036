//! Each command's table output at 80 and 100 columns, as insta snapshots (in `snapshots/`): a
//! change in layout, wording or wrapping shows as a diff to review (`cargo insta review`, or
//! `INSTA_UPDATE=always` to accept). Commands on the shared data run when it is there.
//!
//! Every command runs in a scratch folder where `DATA` links to the shared data and `examples` to
//! the repository's examples, and names its files by those relative paths: the output (and where
//! it wraps) is then the same wherever the repository and the data live.

use crate::util::osa;
use std::path::Path;

/// (snapshot name, arguments) of commands on the embedded data and the repository's examples.
fn embedded() -> Vec<(&'static str, Vec<String>)> {
    let io = "examples/three-sectors.csv".to_string();
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

/// (snapshot name, arguments) of commands on the shared data (linked as `DATA`).
fn shared() -> Vec<(&'static str, Vec<String>)> {
    let baci = "DATA/baci_sample/baci_2021_exporters_AFG_ZAF_from_R-IO-PS.csv".to_string();
    let eto = "DATA/eto/v2026_chip_explorer".to_string();
    let old = "DATA/eto/v2025_supply_chain".to_string();
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

/// A command's table output at `width` columns, run in `dir`.
fn table(args: &[String], width: usize, dir: &Path) -> String {
    let out = osa()
        .args(args)
        .current_dir(dir)
        .env("COLUMNS", width.to_string())
        // Commands that find the shared data themselves (crm) find it through the link too.
        .env("OSA_SHARED_DATA", "DATA")
        .output()
        .expect("runs");
    assert!(out.status.success(), "osa {args:?} failed");
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// A scratch folder with `examples` (and, when given, `DATA`) linked in.
fn scratch(data: Option<&Path>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a scratch folder");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    std::os::unix::fs::symlink(examples, dir.path().join("examples")).expect("link examples");
    if let Some(d) = data {
        let d = d.canonicalize().expect("the shared data's folder");
        std::os::unix::fs::symlink(d, dir.path().join("DATA")).expect("link the data");
    }
    dir
}

#[test]
fn tables_at_80_and_100_columns() {
    let data = osa_io::shared::data_dir();
    let dir = scratch(data.as_deref());
    let mut all = embedded();
    if data.is_some() {
        all.extend(shared());
    }
    for (name, args) in all {
        for width in [80, 100] {
            insta::assert_snapshot!(format!("{name}_{width}"), table(&args, width, dir.path()));
        }
    }
}
