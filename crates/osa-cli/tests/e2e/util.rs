//! Helpers shared by the end-to-end tests: running the binary, reading its JSON, locating fixtures.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The `osa` binary under test, with full-width output whatever the terminal of the test run
/// (`COLUMNS` would fit tables to it).
pub fn osa() -> Command {
    let mut c = Command::cargo_bin("osa").expect("osa binary");
    c.env_remove("COLUMNS");
    c
}

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fixture in `tests/data`.
pub fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
        .display()
        .to_string()
}

/// Runs osa, asserts success, returns standard output.
pub fn stdout(args: &[&str]) -> String {
    let out = osa().args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "osa {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// Runs osa, asserts success, parses standard output as JSON.
pub fn json(args: &[&str]) -> Value {
    serde_json::from_str(&stdout(args)).expect("valid JSON")
}

/// The row with `id` in a JSON array.
pub fn by_id<'a>(rows: &'a Value, id: &str) -> &'a Value {
    rows.as_array()
        .and_then(|a| a.iter().find(|r| r["id"] == id))
        .unwrap_or_else(|| panic!("no row {id}"))
}
