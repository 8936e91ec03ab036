//! The README runs as written: every command of its `sh` blocks runs, in order, in a fresh folder
//! laid out like a clone (the repository's `examples/` inside, the real data at `../shared/data`),
//! with `osa` on the PATH being the binary under test. Each must exit 0 and print no warning (a
//! warning in the tour misleads a reader; the one expected says a new baseline was written).
//!
//! Markers, for commands that must not run here (a long-running server, the test command itself):
//! - `<!-- readme-test: skip -->` (any text may follow `skip`) on the line before a block skips
//!   the whole block;
//! - `# readme-test: skip` at the end of a command skips that command.
//!
//! `cargo run [--release] -p osa-cli --` is run as the `osa` binary under test (the same program,
//! without a second build).

use osa_io::shared::data_dir_or_skip;
use std::path::Path;
use std::process::Command;

const SKIP: &str = "readme-test: skip";

/// The commands of the README's `sh` blocks, in order, without the skipped ones.
pub fn commands(readme: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut in_sh, mut skip_block, mut pending) = (false, false, String::new());
    for line in readme.lines() {
        let t = line.trim();
        if !in_sh {
            if t.starts_with("<!--") && t.contains(SKIP) {
                skip_block = true;
            } else if t == "```sh" {
                in_sh = true;
            } else if t.starts_with("```") {
                skip_block = false;
            }
            continue;
        }
        if t == "```" {
            in_sh = false;
            skip_block = false;
            continue;
        }
        if skip_block || t.is_empty() || t.starts_with('#') {
            continue;
        }
        if let Some(head) = t.strip_suffix('\\') {
            pending.push_str(head);
            continue;
        }
        let cmd = std::mem::take(&mut pending) + t;
        if !cmd.contains(SKIP) {
            out.push(cmd);
        }
    }
    out
}

/// A command as the test runs it: `cargo run ... -p osa-cli --` becomes `osa`.
pub fn as_run(cmd: &str) -> String {
    for prefix in [
        "cargo run --release -p osa-cli --",
        "cargo run -p osa-cli --",
    ] {
        if let Some(rest) = cmd.strip_prefix(prefix) {
            return format!("osa{rest}");
        }
    }
    cmd.to_string()
}

#[test]
fn markers_skip_blocks_and_lines() {
    let md = "x\n```sh\nosa a\nosa b # readme-test: skip\nosa c \\\n  --x\n```\n\
              <!-- readme-test: skip (a server) -->\n```sh\nosa serve\n```\n```text\nnot run\n```\n\
              ```sh\n# a comment\ncargo run --release -p osa-cli -- report -o r\n```\n";
    let c = commands(md);
    assert_eq!(
        c,
        [
            "osa a",
            "osa c --x",
            "cargo run --release -p osa-cli -- report -o r"
        ]
    );
    assert_eq!(as_run(&c[2]), "osa report -o r");
}

#[test]
fn the_readme_runs_as_written() {
    let Some(data) = data_dir_or_skip("the_readme_runs_as_written") else {
        return;
    };
    let tour = Tour::new(&data);
    let cmds = tour.commands.clone();
    // The tour, your own work and the report command: the README's shell commands less the
    // skipped test command.
    assert!(cmds.len() >= 30, "only {} commands found", cmds.len());
    let clone = tour.clone.clone();
    let mut failures = Vec::new();
    for cmd in &cmds {
        let out = tour.run(cmd, &[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() {
            failures.push(format!("`{cmd}` exited {}: {stderr}", out.status));
        }
        // A tour command that warns misleads (a scope id the data lacks, ...). The expected
        // warnings: where the new technology's baseline came from; that the BACI sample is partial
        // trade data (the README says so); the ETO 2025 release's own quirks, read as documented.
        const EXPECTED: [&str; 4] = [
            "had no baseline",
            "partial trade data",
            "read as MYS",
            "duplicate of line",
        ];
        let warned = stderr
            .lines()
            .any(|l| l.starts_with("warning:") && !EXPECTED.iter().any(|e| l.contains(e)));
        if warned {
            failures.push(format!("`{cmd}` warns: {stderr}"));
        }
    }
    assert!(
        failures.is_empty(),
        "README commands failed:\n{}",
        failures.join("\n")
    );
    // What the tour wrote is there.
    for f in [
        "my-toolkit.toml",
        "baci_2021.parquet",
        "eto2026.toml",
        "mine/cases/quantum.toml",
    ] {
        assert!(clone.join(f).is_file(), "{f} not written");
    }
    assert!(clone.join("osa-report/index.html").is_file());
}

/// A fresh folder laid out like a clone (the repository's `examples/` inside, the real data at
/// `../shared/data`), the README's commands, and `osa` on the PATH being the binary under test.
pub struct Tour {
    _tmp: tempfile::TempDir,
    /// The clone's folder, where the commands run.
    pub clone: std::path::PathBuf,
    /// The README's commands, in order, without the skipped ones.
    pub commands: Vec<String>,
    path: String,
}

impl Tour {
    /// Lays out the folder around the shared data folder `data`.
    pub fn new(data: &Path) -> Tour {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let readme = std::fs::read_to_string(repo.join("README.md")).expect("README.md");
        let tmp = tempfile::tempdir().expect("temp dir");
        let clone = tmp.path().join("osa");
        std::fs::create_dir_all(tmp.path().join("shared")).expect("shared");
        std::fs::create_dir_all(&clone).expect("clone");
        let data = data.canonicalize().expect("data dir");
        symlink(&data, &tmp.path().join("shared/data"));
        symlink(
            &repo.join("examples").canonicalize().expect("examples"),
            &clone.join("examples"),
        );
        let bin = Path::new(env!("CARGO_BIN_EXE_osa"));
        let path = format!(
            "{}:{}",
            bin.parent().expect("bin dir").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        Tour {
            _tmp: tmp,
            clone,
            commands: commands(&readme),
            path,
        }
    }

    /// Runs a README command in the clone, with extra environment variables.
    pub fn run(&self, cmd: &str, env: &[(&str, &str)]) -> std::process::Output {
        Command::new("sh")
            .arg("-c")
            .arg(as_run(cmd))
            .current_dir(&self.clone)
            .env("PATH", &self.path)
            .env_remove("OSA_SHARED_DATA")
            .env_remove("COLUMNS")
            .envs(env.iter().copied())
            .output()
            .expect("sh runs")
    }
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}
