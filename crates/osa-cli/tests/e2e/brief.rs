//! Briefs from the command line: `osa assess 6g --format pdf|docx` and `osa matrix --format pdf`,
//! read back with pdftotext and pdffonts (poppler-utils) and as a zip package: the steps'
//! headings, every seed citation a footnote quoting the report (with its text), fonts embedded.

use crate::util::osa;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The report's text beside the shared data (a SKIP notice when absent; a failure under CI=true).
fn seed_file() -> Option<PathBuf> {
    let shared = std::env::var_os("OSA_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    let f = shared.join("../seed/000_0bfe460a9d94b6ca.compact.txt");
    if f.exists() {
        return Some(f);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the report's text is missing under CI=true: {}",
        f.display()
    );
    eprintln!(
        "SKIP brief quotes: the report's text is absent ({})",
        f.display()
    );
    None
}

/// A command's output, asserting it ran.
fn run(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .expect("the tool runs (poppler-utils installed by .ci/run)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_dossier_as_pdf_has_the_steps_footnotes_quoting_the_report_and_embedded_fonts() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("6g.pdf");
    let mut c = osa();
    c.args(["assess", "6g", "--format", "pdf", "-o"]).arg(&pdf);
    let seed = seed_file();
    if let Some(s) = &seed {
        c.arg("--seed").arg(s);
    }
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Words as read, whatever the lines they were typeset on.
    let text = run(Command::new("pdftotext").arg(&pdf).arg("-"))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for heading in [
        "Step 1 - Ecosystem",
        "Step 2 - Four dimensions",
        "Step 3 - Geopolitical context",
        "Step 4 - Toolkit",
        "Sources",
    ] {
        assert!(text.contains(heading), "{heading} in {text}");
    }
    // Footnotes name the chapter and lines of each citation.
    assert!(text.contains("DPC report, "), "{text}");
    assert!(text.contains("lines 2062-2063"), "the abstract's citation");
    if seed.is_some() {
        // seed L2062-2063 quotes the chapter's abstract: "national security is still the greatest concern".
        assert!(text.contains("greatest concern"), "{text}");
    }
    let pages = run(Command::new("pdfinfo").arg(&pdf));
    let n: u32 = pages
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|p| p.trim().parse().ok())
        .expect("a page count");
    assert!(n >= 4, "{n} pages");
    let fonts = run(Command::new("pdffonts").arg(&pdf));
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    assert!(
        rows.iter()
            .all(|r| r.split_whitespace().rev().nth(4) == Some("yes")),
        "every font embedded: {fonts}"
    );
}

#[test]
fn a_dossier_as_docx_is_a_word_package_with_the_same_headings() {
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("6g.docx");
    let out = osa()
        .args(["assess", "6g", "--format", "docx", "-o"])
        .arg(&docx)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&docx).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip package");
    let listing = run(Command::new("unzip").arg("-l").arg(&docx));
    for part in [
        "[Content_Types].xml",
        "word/document.xml",
        "word/footnotes.xml",
        "word/styles.xml",
    ] {
        assert!(listing.contains(part), "{part} in {listing}");
    }
    let xml = run(Command::new("unzip")
        .arg("-p")
        .arg(&docx)
        .arg("word/document.xml"));
    for heading in ["Step 1 - Ecosystem", "Step 4 - Toolkit", "Sources"] {
        assert!(xml.contains(heading), "{heading}");
    }
    assert!(
        xml.contains("w:pStyle w:val=\"Heading2\""),
        "Word's heading styles"
    );
    let notes = run(Command::new("unzip")
        .arg("-p")
        .arg(&docx)
        .arg("word/footnotes.xml"));
    assert!(notes.contains("lines 2062-2063"), "a footnote per citation");
}

#[test]
fn the_matrix_as_pdf_and_binary_output_needs_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("matrix.pdf");
    let out = osa()
        .args(["matrix", "--format", "pdf", "-o"])
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = run(Command::new("pdftotext").arg(&pdf).arg("-"));
    assert!(text.contains("The matrix of dependencies"));
    assert!(text.contains("6G"));
    // A bad format is refused by name.
    let bad = osa().args(["matrix", "--format", "odt"]).output().unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("pdf"));
}
