//! The ETO importer on the real data in ../shared/data/eto, and the TOML round trip.

use osa_io::{eto, shared, toml_eco};
use osa_model::Provider;

fn eto_dir(release: &str, test: &str) -> Option<std::path::PathBuf> {
    shared::data_dir_or_skip(test).map(|d| d.join("eto").join(release))
}

#[test]
fn imports_the_2026_release() {
    let Some(dir) = eto_dir("v2026_chip_explorer", "imports_the_2026_release") else {
        return;
    };
    let imp = eto::import(&dir).expect("2026 release imports");
    assert_eq!(imp.layout, eto::Layout::V2026);
    let c = &imp.checked;
    assert_eq!(c.n_inputs(), 126);
    assert_eq!(c.ecosystem().stages.len(), 3);
    let euv = c.input_index("N20").expect("EUV");
    assert_eq!(c.ecosystem().inputs[euv].name, "EUV lithography tools");
    assert_eq!(
        c.ecosystem().inputs[euv].is_type_of,
        vec!["N19".to_string()]
    );
    // "Various countries" is unattributed share, never a country.
    let all: Vec<Provider> = (0..c.n_inputs())
        .flat_map(|i| c.input_providers(i).to_vec())
        .collect();
    assert!(all.contains(&Provider::Unattributed));
    assert!(c.firm_index("P5").is_none());
    // Every provision row is kept (1,300 rows, none duplicated in this release).
    let n_rows: usize = c
        .ecosystem()
        .inputs
        .iter()
        .map(|i| i.provision.len())
        .sum::<usize>()
        + c.ecosystem()
            .stages
            .iter()
            .map(|s| s.provision.len())
            .sum::<usize>();
    assert_eq!(n_rows, 1300);
}

#[test]
fn imports_the_2025_release_with_text_shares() {
    let Some(dir) = eto_dir(
        "v2025_supply_chain",
        "imports_the_2025_release_with_text_shares",
    ) else {
        return;
    };
    let imp = eto::import(&dir).expect("2025 release imports");
    assert_eq!(imp.layout, eto::Layout::V2025);
    let c = &imp.checked;
    assert_eq!(c.n_inputs(), 79);
    // `MAL` is read as Malaysia, and the one duplicated Powertech row is dropped, both with warnings.
    assert!(
        imp.warnings.iter().any(|w| w.contains("`MAL` read as MYS")),
        "{:?}",
        imp.warnings
    );
    assert!(
        imp.warnings
            .iter()
            .any(|w| w.contains("duplicate of line 54")),
        "{:?}",
        imp.warnings
    );
    let s3 = c.stage_index("S3").expect("ATP stage");
    let twn = c.ecosystem().stages[s3]
        .provision
        .iter()
        .find(|p| p.provider == "TWN")
        .expect("TWN share of ATP");
    assert_eq!(twn.share, Some(29.0));
    assert_eq!(twn.year, Some(eto::V2025_YEAR));
    // 73 rows carry the negligible flag: 72 on inputs, 1 on a stage.
    let negligible = |rows: &[osa_model::Provision]| rows.iter().filter(|p| p.negligible).count();
    let on_inputs: usize = c
        .ecosystem()
        .inputs
        .iter()
        .map(|i| negligible(&i.provision))
        .sum();
    let on_stages: usize = c
        .ecosystem()
        .stages
        .iter()
        .map(|s| negligible(&s.provision))
        .sum();
    assert_eq!((on_inputs, on_stages), (72, 1));
}

#[test]
fn import_save_load_save_is_byte_identical() {
    for release in ["v2026_chip_explorer", "v2025_supply_chain"] {
        let Some(dir) = eto_dir(release, "import_save_load_save_is_byte_identical") else {
            return;
        };
        let imp = eto::import(&dir).expect("imports");
        let first = toml_eco::to_string(&imp.checked);
        let reloaded = toml_eco::parse(&first, "first.toml").expect("saved file loads");
        assert_eq!(
            reloaded.ecosystem(),
            imp.checked.ecosystem(),
            "{release}: lossless"
        );
        let second = toml_eco::to_string(&reloaded);
        assert_eq!(first, second, "{release}: byte-identical");
    }
}

#[test]
fn export_to_eto_layout_and_back_keeps_shares_and_edges() {
    let c = osa_io::builtin::ecosystem("semiconductors").expect("built-in");
    let tmp = tempfile::tempdir().expect("tempdir");
    let lost = eto::export(&c, tmp.path(), false).expect("exports");
    assert!(lost.contains(&"substitutability"));
    let back = eto::import(tmp.path()).expect("re-imports");
    let (a, b) = (c.ecosystem(), back.checked.ecosystem());
    assert_eq!(a.inputs.len(), b.inputs.len());
    for (x, y) in a.inputs.iter().zip(&b.inputs) {
        assert_eq!(x.id, y.id);
        assert_eq!(x.goes_into, y.goes_into);
        assert_eq!(x.is_type_of, y.is_type_of);
        let shares = |v: &[osa_model::Provision]| -> Vec<(String, Option<f64>, Option<i32>)> {
            v.iter()
                .map(|p| (p.provider.clone(), p.share, p.year))
                .collect()
        };
        assert_eq!(shares(&x.provision), shares(&y.provision), "{}", x.id);
    }
    assert_eq!(a.firms.len(), b.firms.len());
}

/// Exports the built-in ecosystem, puts `row` on line 2 of sequence.csv, and imports it.
fn import_with_edge(row: &str) -> osa_io::Error {
    let t = tempfile::tempdir().expect("tempdir");
    let dir = t.path().join("eto");
    let eco = osa_io::builtin::ecosystem("semiconductors").expect("built-in");
    eto::export(&eco, &dir, false).expect("exports");
    let seq = dir.join("sequence.csv");
    let text = std::fs::read_to_string(&seq).expect("sequence");
    let (header, rest) = text.split_once('\n').expect("header");
    std::fs::write(&seq, format!("{header}\n{row}\n{rest}")).expect("write");
    match eto::import(&dir) {
        Ok(_) => panic!("`{row}` was accepted"),
        Err(e) => e,
    }
}

#[test]
fn edge_problems_point_at_their_sequence_line() {
    // Observed: a cycle or bad id on line 2 of sequence.csv was reported against inputs.csv:13.
    let e = import_with_edge("Chip design,chip-design,Nothing,no-such-input,,");
    let d = &e.diagnostics()[0];
    assert!(d.file.ends_with("sequence.csv") && d.line == Some(2), "{e}");
    let e = import_with_edge("Chip design,chip-design,EDA,eda-software,,");
    let d = e
        .diagnostics()
        .iter()
        .find(|d| d.message.contains("cycle"))
        .expect("a cycle");
    assert!(d.file.ends_with("sequence.csv") && d.line.is_some(), "{e}");
}
