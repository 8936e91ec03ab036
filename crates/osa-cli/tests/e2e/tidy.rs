//! Architecture checks that keep ARCHITECTURE.md true: the crates depend on each other only along
//! the pipeline (model ← ecosystem ← assess/disrupt/trade ← io ← report/store ← app ← web ← server ← cli), nothing depends on
//! the CLI, and every Rust module starts with a `//!` comment saying what it is for.

use crate::util::repo;
use std::collections::BTreeMap;
use std::path::Path;

/// The osa crates each crate may depend on (normal dependencies).
const ALLOWED: &[(&str, &[&str])] = &[
    ("osa-model", &[]),
    ("osa-ecosystem", &["osa-model"]),
    ("osa-assess", &["osa-model", "osa-ecosystem"]),
    ("osa-disrupt", &["osa-model", "osa-ecosystem"]),
    ("osa-trade", &["osa-model"]),
    ("osa-synth", &["osa-model"]),
    (
        "osa-io",
        &["osa-model", "osa-ecosystem", "osa-assess", "osa-disrupt"],
    ),
    (
        "osa-view",
        &[
            "osa-model",
            "osa-ecosystem",
            "osa-assess",
            "osa-disrupt",
            "osa-trade",
        ],
    ),
    (
        "osa-bench",
        &["osa-model", "osa-ecosystem", "osa-io", "osa-synth"],
    ),
    ("osa-brief", &["osa-view"]),
    ("osa-store", &["osa-model", "osa-assess", "osa-io"]),
    (
        "osa-app",
        &[
            "osa-model",
            "osa-ecosystem",
            "osa-assess",
            "osa-disrupt",
            "osa-trade",
            "osa-io",
            "osa-view",
            "osa-store",
            "osa-brief",
        ],
    ),
    (
        "osa-web",
        &[
            "osa-model",
            "osa-assess",
            "osa-view",
            "osa-store",
            "osa-app",
        ],
    ),
    (
        "osa-server",
        &[
            "osa-model",
            "osa-assess",
            "osa-io",
            "osa-view",
            "osa-store",
            "osa-app",
            "osa-web",
        ],
    ),
    (
        "osa-cli",
        &[
            "osa-model",
            "osa-ecosystem",
            "osa-assess",
            "osa-disrupt",
            "osa-trade",
            "osa-io",
            "osa-view",
            "osa-store",
            "osa-app",
            "osa-web",
            "osa-server",
        ],
    ),
];

fn osa_dependencies(manifest: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(manifest).expect("manifest");
    let mut in_deps = false;
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line == "[dependencies]";
            continue;
        }
        if in_deps && line.starts_with("osa-") {
            let name = line
                .split(['.', ' ', '='])
                .next()
                .unwrap_or_default()
                .to_string();
            out.push(name);
        }
    }
    out
}

#[test]
fn crates_depend_only_along_the_pipeline() {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let crates = repo().join("crates");
    for entry in std::fs::read_dir(&crates).expect("crates") {
        let dir = entry.expect("entry").path();
        let manifest = dir.join("Cargo.toml");
        if !manifest.is_file() {
            continue;
        }
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let ok = allowed
            .get(name.as_str())
            .unwrap_or_else(|| panic!("crate {name} is not in the architecture map of tidy.rs"));
        for dep in osa_dependencies(&manifest) {
            assert!(
                ok.contains(&dep.as_str()),
                "{name} depends on {dep}, which the architecture does not allow (ARCHITECTURE.md)"
            );
        }
        assert!(
            !osa_dependencies(&manifest).contains(&"osa-cli".to_string()),
            "{name} depends on the CLI"
        );
    }
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let p = entry.expect("entry").path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_module_says_what_it_is_for() {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(repo().join("crates")).expect("crates") {
        let src = entry.expect("entry").path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    assert!(files.len() > 40);
    let missing: Vec<String> = files
        .iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            !text.trim_start().starts_with("//!")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a //! header: {missing:#?}"
    );
}

/// Every source path the documents name (`crates/.../x.rs` or a folder `crates/.../x/`) exists, so
/// a file split or a rename cannot leave the map pointing nowhere.
#[test]
fn documents_name_only_paths_that_exist() {
    let mut docs = vec![
        repo().join("README.md"),
        repo().join("ARCHITECTURE.md"),
        repo().join("CONTRIBUTING.md"),
        repo().join("BENCHMARKS.md"),
    ];
    for entry in std::fs::read_dir(repo().join("docs")).expect("docs") {
        let p = entry.expect("entry").path();
        if p.extension().is_some_and(|e| e == "md") {
            docs.push(p);
        }
    }
    let mut missing = Vec::new();
    for doc in docs {
        let text = std::fs::read_to_string(&doc).unwrap_or_default();
        for (n, line) in text.lines().enumerate() {
            for word in line.split(|c: char| c == '`' || c.is_whitespace() || c == '(' || c == ')')
            {
                let path = word.trim_end_matches([',', '.', ';', ':']);
                let named = path.starts_with("crates/")
                    && (path.ends_with(".rs") || path.ends_with('/'))
                    && !path.contains(['{', '*', '<']);
                if named && !repo().join(path).exists() {
                    missing.push(format!("{}:{}: {path}", doc.display(), n + 1));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "documents name missing paths:\n{}",
        missing.join("\n")
    );
}
