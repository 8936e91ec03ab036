//! The hardening contract (issue 11), one test per observed example: bounded resources, no wrong
//! answer with exit 0, whole-or-nothing outputs, nothing destroyed that osa did not create, and
//! errors that point at the right place.

use crate::util::osa;
use std::time::{Duration, Instant};

/// Runs osa, asserts exit 2 within `secs` seconds, returns standard error.
fn refused(args: &[&str], secs: u64) -> String {
    let start = Instant::now();
    let out = osa().args(args).output().expect("runs");
    assert!(
        start.elapsed() < Duration::from_secs(secs),
        "osa {args:?} took {:?}",
        start.elapsed()
    );
    assert_eq!(out.status.code(), Some(2), "osa {args:?} should be refused");
    assert!(out.stdout.is_empty(), "osa {args:?} printed a result");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn huge_weeks_starts_durations_and_draws_are_refused_before_allocating() {
    let e = refused(
        &[
            "simulate",
            "--shock",
            "CHN:gallium=1.0",
            "--weeks",
            "4000000000",
        ],
        10,
    );
    assert!(e.contains("limit of 5200 weeks"), "{e}");
    let e = refused(&["simulate", "--shock", "CHN:gallium=1.0@99999999"], 10);
    assert!(e.contains("start week") && e.contains("5200"), "{e}");
    let e = refused(&["simulate", "--shock", "CHN:gallium=1.0@0+99999999"], 10);
    assert!(e.contains("duration") && e.contains("5200"), "{e}");
    let e = refused(
        &[
            "simulate",
            "--shock",
            "CHN:gallium=1.0",
            "--weeks",
            "15000000",
        ],
        10,
    );
    assert!(e.contains("--weeks 15000000"), "{e}");
    let e = refused(
        &[
            "simulate",
            "--shock",
            "CHN:gallium=0.5..1",
            "--draws",
            "4000000000",
        ],
        10,
    );
    assert!(e.contains("--draws") && e.contains("limit"), "{e}");
    let e = refused(
        &[
            "simulate",
            "--shock",
            "CHN:gallium=0.5..1",
            "--draws",
            "100000",
            "--threads",
            "1000000",
        ],
        10,
    );
    assert!(
        e.contains("--threads 1000000") && e.contains("limit"),
        "{e}"
    );
    // Implausible mitigations: a stock for longer than the horizon's 100 years, a slower ramp.
    let e = refused(
        &[
            "simulate",
            "--shock",
            "CHN:gallium=1",
            "--stock",
            "gallium=1e308",
        ],
        10,
    );
    assert!(e.contains("stock_months") && e.contains("1200"), "{e}");
    let e = refused(
        &[
            "simulate",
            "--shock",
            "CHN:gallium=1",
            "--substitution",
            "gallium=0.3@1e12",
        ],
        10,
    );
    assert!(e.contains("substitution_ramp_weeks"), "{e}");
}

#[test]
fn a_shock_list_with_an_empty_id_is_refused() {
    let e = refused(&["simulate", "--shock", "CHN:gallium,,germanium=1.0"], 10);
    assert!(
        e.contains("input 2 of the list") && e.contains("empty"),
        "{e}"
    );
}

#[test]
fn ids_with_bidi_overrides_or_invisible_characters_are_refused() {
    let e = refused(&["simulate", "--shock", "CHN:\u{202e}muillag=1.0"], 10);
    assert!(e.contains("U+202E"), "{e}");
    assert!(
        !e.contains('\u{202e}'),
        "the override reaches the terminal: {e}"
    );
    let e = refused(&["simulate", "--shock", "CHN:gal\u{200b}lium=1.0"], 10);
    assert!(e.contains("U+200B"), "{e}");
    let e = refused(&["simulate", "--shock", "C\u{202e}HN:gallium=1.0"], 10);
    assert!(e.contains("supplier") && e.contains("U+202E"), "{e}");
}

/// Names of osa's temporary files in a folder.
fn temporaries(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".osa-"))
        .collect()
}

#[test]
fn report_onto_a_folder_osa_did_not_write_keeps_its_files() {
    let t = tempfile::tempdir().expect("tempdir");
    let docs = t.path().join("mydocs");
    std::fs::create_dir(&docs).expect("mkdir");
    std::fs::write(docs.join("thesis.docx"), "years of work").expect("write");
    let d = docs.to_str().expect("path");
    let e = refused(&["report", "--format", "md", "-o", d], 60);
    assert!(e.contains("--force") && e.contains("did not write"), "{e}");
    assert!(
        docs.join("thesis.docx").is_file(),
        "thesis.docx was deleted"
    );
    assert_eq!(temporaries(t.path()), Vec::<String>::new());
    // osa's own folder is replaced without --force; a foreign one with it.
    let out = t.path().join("out");
    let o = out.to_str().expect("path");
    for _ in 0..2 {
        let st = osa()
            .args(["report", "--format", "md", "-o", o])
            .output()
            .expect("runs");
        assert!(
            st.status.success(),
            "{}",
            String::from_utf8_lossy(&st.stderr)
        );
    }
    assert!(out.join("report.md").is_file() && out.join(".osa-output").is_file());
    let st = osa()
        .args(["report", "--format", "md", "--force", "-o", d])
        .output()
        .expect("runs");
    assert!(st.status.success());
    assert!(!docs.join("thesis.docx").exists());
    assert_eq!(temporaries(t.path()), Vec::<String>::new());
}

#[test]
fn outputs_onto_devices_or_the_wrong_kind_of_file_are_refused() {
    // Observed: `-o /dev/null` replaced the device with a regular file. The devices are reached
    // through links in a temporary folder, so that a regression replaces a link, never a device
    // of the machine running the tests; a FIFO stands for any other special file.
    let t = tempfile::tempdir().expect("tempdir");
    let mut targets = Vec::new();
    #[cfg(unix)]
    for dev in ["/dev/null", "/dev/full"] {
        if std::path::Path::new(dev).exists() {
            let link = t.path().join(dev.trim_start_matches("/dev/"));
            std::os::unix::fs::symlink(dev, &link).expect("link");
            targets.push(link);
        }
    }
    #[cfg(unix)]
    {
        let fifo = t.path().join("fifo");
        if std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success())
        {
            targets.push(fifo);
        }
    }
    for target in &targets {
        let e = refused(
            &[
                "matrix",
                "--format",
                "json",
                "-o",
                target.to_str().expect("path"),
            ],
            30,
        );
        assert!(e.contains("not a regular file"), "{e}");
        let meta = std::fs::symlink_metadata(target).expect("target");
        assert!(
            !meta.is_file(),
            "{} was replaced by a regular file",
            target.display()
        );
    }
    let f = t.path().join("notes.txt");
    std::fs::write(&f, "mine").expect("write");
    let e = refused(
        &["report", "--format", "md", "-o", f.to_str().expect("path")],
        60,
    );
    assert!(e.contains("not a folder"), "{e}");
    assert_eq!(std::fs::read_to_string(&f).expect("read"), "mine");
    assert_eq!(temporaries(t.path()), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn outputs_take_the_umask_and_keep_an_existing_mode() {
    use std::os::unix::fs::PermissionsExt;
    let t = tempfile::tempdir().expect("tempdir");
    let f = t.path().join("m.json");
    let p = f.to_str().expect("path");
    let run = || {
        let st = osa()
            .args(["matrix", "--format", "json", "-o", p])
            .output()
            .expect("runs");
        assert!(st.status.success());
    };
    run();
    let mode = std::fs::metadata(&f).expect("meta").permissions().mode() & 0o777;
    assert_ne!(mode, 0o600, "a new output is private to its owner");
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    run();
    let mode = std::fs::metadata(&f).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o644);
}

#[test]
fn a_scenario_files_unknown_supplier_names_file_line_and_field() {
    let sc = osa_io::scenario::builtin("china-rare-earths").expect("built-in");
    let text = osa_io::scenario::to_string(&sc).replace("supplier = \"CHN\"", "supplier = \"XYZ\"");
    let line = 1 + text
        .lines()
        .position(|l| l.contains("\"XYZ\""))
        .expect("supplier line");
    let t = tempfile::tempdir().expect("tempdir");
    let f = t.path().join("mine.toml");
    std::fs::write(&f, text).expect("write");
    let e = refused(&["simulate", "--scenario", f.to_str().expect("path")], 30);
    assert!(
        e.contains(&format!("mine.toml:{line}: shock #1")) && e.contains("field `supplier`"),
        "{e}"
    );
}

#[test]
fn validate_lists_the_first_fifty_problems_and_the_count() {
    // Observed: 35 MB of problems for a broken 100,000-input export; here 2,000 bad inputs.
    let t = tempfile::tempdir().expect("tempdir");
    let dir = t.path().join("eto");
    let st = osa()
        .args(["ecosystem", "export", "-o", dir.to_str().expect("path")])
        .output()
        .expect("runs");
    assert!(st.status.success());
    let inputs = dir.join("inputs.csv");
    let mut text = std::fs::read_to_string(&inputs).expect("inputs");
    for k in 0..2000 {
        text.push_str(&format!("bad{k},Bad {k},no-such-type,,,\n"));
    }
    std::fs::write(&inputs, text).expect("write");
    let e = refused(&["ecosystem", "validate", dir.to_str().expect("path")], 60);
    assert!(e.lines().count() < 60, "{} lines", e.lines().count());
    assert!(e.contains("more (the first 50 are listed)"), "{e}");
}

#[test]
fn a_provision_csv_cut_inside_a_quoted_field_is_an_error_with_its_line() {
    let t = tempfile::tempdir().expect("tempdir");
    let dir = t.path().join("eto");
    let st = osa()
        .args(["ecosystem", "export", "-o", dir.to_str().expect("path")])
        .output()
        .expect("runs");
    assert!(st.status.success());
    let prov = dir.join("provision.csv");
    let text = std::fs::read_to_string(&prov).expect("provision");
    // Cut in the middle of the file, inside a quoted field that runs to the end.
    let half = text.len() / 2;
    let cut = &text[..text[..half].rfind('\n').expect("a line") + 1];
    let line = cut.lines().count() + 1;
    std::fs::write(
        &prov,
        format!("{cut}X,C-CHN,Gallium,gallium,5,2021,\"pub: a source, cut"),
    )
    .expect("write");
    let e = refused(&["ecosystem", "validate", dir.to_str().expect("path")], 60);
    assert!(e.contains(&format!("provision.csv:{line}")), "{e}");
    assert!(e.contains("never closed"), "{e}");
}

#[cfg(unix)]
#[test]
fn write_errors_are_errors_and_leave_nothing_behind() {
    // A full disk (ENOSPC), simulated with a file-size limit (EFBIG, the same write path): the
    // observed `-o /dev/full` exited 0. Here the write fails, osa says so, and nothing is left.
    let t = tempfile::tempdir().expect("tempdir");
    let osa_bin = assert_cmd::cargo::cargo_bin("osa");
    for args in [
        "matrix --format json -o out.json",
        "report --format md -o rep",
    ] {
        let out = std::process::Command::new("sh")
            .current_dir(t.path())
            .arg("-c")
            .arg(format!(
                "trap '' XFSZ; ulimit -f 1; exec {} {args}",
                osa_bin.display()
            ))
            .output()
            .expect("sh");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args}: {err}");
        assert!(err.contains("File too large"), "{args}: {err}");
        let left: Vec<_> = std::fs::read_dir(t.path())
            .expect("dir")
            .flatten()
            .collect();
        assert!(left.is_empty(), "{args}: {left:?}");
    }
}

#[test]
fn a_scenario_files_mitigation_problems_name_file_and_line() {
    let sc = osa_io::scenario::builtin("china-rare-earths").expect("built-in");
    let text = osa_io::scenario::to_string(&sc);
    // The second `inputs` line is the mitigation's: point it at an input the ecosystem lacks.
    let line = 1 + text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("inputs = "))
        .nth(1)
        .expect("mitigation inputs")
        .0;
    let text: String = text
        .lines()
        .enumerate()
        .map(|(k, l)| {
            if k + 1 == line {
                "inputs = [\"no-such-input\"]\n".to_string()
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let t = tempfile::tempdir().expect("tempdir");
    let f = t.path().join("mine.toml");
    std::fs::write(&f, text).expect("write");
    let out = osa()
        .args(["simulate", "--scenario", f.to_str().expect("path")])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("mine.toml:{line}: mitigation #1")),
        "{err}"
    );
}
