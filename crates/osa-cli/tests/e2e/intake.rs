//! Data in at the terminal (issue 16): an operator on the server's host registers a release
//! (`osa release add`: an ETO folder, a .tar.gz of one, an osa TOML) and a trade file (`osa trade
//! add`) from paths of their own, straight into the record; bad input names the file and writes
//! nothing; `osa user link NAME` prints the full address to open.

use crate::util::{fixture, osa};
use std::process::Output;

fn run(args: &[&str]) -> Output {
    osa().args(args).output().expect("osa runs")
}

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "osa {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[test]
fn an_operator_adds_a_release_and_a_trade_file_from_paths() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().display().to_string();
    let out = ok(&[
        "release",
        "add",
        "small",
        "one",
        &fixture("small.toml"),
        "--note",
        "first",
        "--data",
        &data,
    ]);
    assert!(
        out.starts_with("registered small@one as revision r2 ("),
        "{out}"
    );
    let out = ok(&[
        "release",
        "add",
        "small",
        "two",
        &fixture("small-next.toml"),
        "--note",
        "second",
        "--data",
        &data,
    ]);
    assert!(
        out.starts_with("registered small@two as revision r3 ("),
        "{out}"
    );
    assert!(
        !out.contains("0 changes recorded"),
        "the second release changes things: {out}"
    );
    // The same label again: refused, nothing written.
    let again = run(&[
        "release",
        "add",
        "small",
        "two",
        &fixture("small-next.toml"),
        "--note",
        "again",
        "--data",
        &data,
    ]);
    assert!(!again.status.success());
    // A file that is no release: named, refused.
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "not = [an ecosystem").unwrap();
    let out = run(&[
        "release",
        "add",
        "small",
        "three",
        bad.to_str().unwrap(),
        "--note",
        "bad",
        "--data",
        &data,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bad.toml"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A trade file (its country table beside it) registered where it is.
    let trade = crate::util::repo().join("crates/osa-trade/tests/data/screen_fixture.csv");
    let out = ok(&[
        "trade",
        "add",
        "fixture",
        trade.to_str().unwrap(),
        "--note",
        "the fixture",
        "--data",
        &data,
    ]);
    assert!(
        out.starts_with("registered trade dataset fixture as revision r4 (csv, "),
        "{out}"
    );
    ok(&["audit", "verify", "--data", &data]);
}

#[test]
fn an_eto_release_as_a_tar_gz_is_added() {
    let Some(shared) = osa_io::shared::data_dir_or_skip("an_eto_release_as_a_tar_gz_is_added")
    else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data").display().to_string();
    let tgz = dir.path().join("eto-2026.tar.gz");
    let st = std::process::Command::new("tar")
        .arg("-czf")
        .arg(&tgz)
        .arg("-C")
        .arg(shared.join("eto"))
        .arg("v2026_chip_explorer")
        .status()
        .expect("tar runs");
    assert!(st.success());
    let out = ok(&[
        "release",
        "add",
        "eto-semiconductors",
        "eto-2026",
        tgz.to_str().unwrap(),
        "--note",
        "CSET ETO 2026",
        "--data",
        &data,
    ]);
    assert!(out.contains("(126 inputs;"), "{out}");
}

#[test]
fn user_link_prints_the_full_address() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().display().to_string();
    let out = osa()
        .args(["user", "add", "ana", "--role", "analyst", "--data", &data])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let link = ok(&["user", "link", "ana", "--data", &data]);
    assert!(
        link.starts_with("http://127.0.0.1:8080/signin?token="),
        "{link}"
    );
    let link = ok(&[
        "user",
        "link",
        "ana",
        "--url",
        "https://osa.example.org/",
        "--data",
        &data,
    ]);
    assert!(
        link.starts_with("https://osa.example.org/signin?token="),
        "{link}"
    );
    let bad = run(&[
        "user",
        "link",
        "ana",
        "--url",
        "osa.example.org",
        "--data",
        &data,
    ]);
    assert_eq!(bad.status.code(), Some(2));
}
