//! Helpers shared by the end-to-end tests: running the binary, reading its JSON, locating fixtures.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The `osa` binary under test.
pub fn osa() -> Command {
    Command::cargo_bin("osa").expect("osa binary")
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

/// Runs osa, asserts success, parses standard output as JSON.
pub fn json(args: &[&str]) -> Value {
    let out = osa().args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "osa {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}
