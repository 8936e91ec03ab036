//! The in-suite fuzzing harness of every text parser osa-io has: the ecosystem TOML, the ETO CSV
//! release, scenario files and the shock syntax, input-output tables, blocs and every baseline
//! file. Mutation-based and structure-aware: each case starts from a valid file (a built-in) and
//! applies a few byte-level and line-level mutations (flips, inserts of characters parsers care
//! about, deletions, duplicated or swapped lines, truncation). The property: no panic, and an
//! error always names its file.
//!
//! Cases per target: 48 by default (a few seconds in all); `OSA_FUZZ_CASES` raises it for longer
//! runs (BENCHMARKS.md, "Fuzzing"). A failing case is saved by proptest under
//! `proptest-regressions/` and becomes a regression test.

use osa_io::{baseline, blocs, eto, scenario, toml_eco};
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("OSA_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}

/// One mutation: (kind, position, byte, length), positions taken modulo the text's length.
type Mutation = (u8, usize, u8, usize);

/// Bytes parsers care about: quotes, separators, brackets, line ends, digits, dots, signs,
/// a UTF-8 lead byte, a bidirectional override's first byte.
const INTERESTING: &[u8] = b"\"',=[]{}.\n\r\t#-+0129eE \\\xc3\xe2\xff\x00";

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    proptest::collection::vec((0u8..7, any::<usize>(), any::<u8>(), 1usize..64), 1..6)
}

/// Applies mutations to `seed`.
fn mutate(seed: &[u8], muts: &[Mutation]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for &(kind, pos, byte, len) in muts {
        let n = b.len().max(1);
        let at = pos % n;
        let end = (at + len).min(b.len());
        match kind {
            0 if at < b.len() => b[at] ^= 1 << (byte % 8),
            1 => b.insert(
                at.min(b.len()),
                INTERESTING[byte as usize % INTERESTING.len()],
            ),
            2 if at < end => {
                b.drain(at..end);
            }
            3 if at < end => {
                let piece = b[at..end].to_vec();
                b.splice(at..at, piece);
            }
            4 => b.truncate(at),
            5 => {
                // Swap two lines.
                let text = String::from_utf8_lossy(&b).into_owned();
                let mut lines: Vec<&str> = text.split('\n').collect();
                let k = lines.len();
                lines.swap(at % k, (at + len) % k);
                b = lines.join("\n").into_bytes();
            }
            6 if at < b.len() => b[at] = INTERESTING[byte as usize % INTERESTING.len()],
            _ => {}
        }
    }
    b
}

/// The text a parser gets: valid UTF-8 as is; otherwise the file reader's error must name the file.
fn text_of(bytes: Vec<u8>, file: &str) -> Option<String> {
    match osa_io::text::utf8(bytes, file) {
        Ok(t) => Some(t),
        Err(e) => {
            assert!(e.to_string().contains(file), "{e}");
            None
        }
    }
}

fn names_file<T>(r: Result<T, osa_io::Error>, file: &str) -> Result<(), TestCaseError> {
    if let Err(e) = r {
        let msg = e.to_string();
        prop_assert!(msg.contains(file), "error without its file: {msg}");
    }
    Ok(())
}

fn builtin_ecosystem_text() -> String {
    toml_eco::to_string(&osa_io::builtin::ecosystem("semiconductors").expect("built-in"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn ecosystem_toml(muts in mutations()) {
        let seed = builtin_ecosystem_text();
        if let Some(text) = text_of(mutate(seed.as_bytes(), &muts), "eco.toml") {
            names_file(toml_eco::parse(&text, "eco.toml"), "eco.toml")?;
        }
    }

    #[test]
    fn scenario_files(muts in mutations(), which in 0usize..16) {
        let names = scenario::builtin_names();
        let sc = scenario::builtin(names[which % names.len()]).expect("built-in");
        let seed = scenario::to_string(&sc);
        if let Some(text) = text_of(mutate(seed.as_bytes(), &muts), "sc.toml") {
            names_file(scenario::parse(&text, "sc.toml"), "sc.toml")?;
        }
    }

    #[test]
    fn shock_and_mitigation_syntax(muts in mutations()) {
        for seed in ["CHN:gallium,germanium=0.5..1.0@4+12", "TWN:*=1", "EU27:S1=0.3@0"] {
            let text = String::from_utf8_lossy(&mutate(seed.as_bytes(), &muts)).into_owned();
            let _ = text.parse::<osa_disrupt::Shock>();
            let _ = osa_disrupt::Mitigation::parse_stock(&text);
            let _ = osa_disrupt::Mitigation::parse_substitution(&text);
            let _ = osa_disrupt::Mitigation::parse_spare(&text);
        }
    }

    #[test]
    fn io_tables(muts in mutations()) {
        let seed = "sector,agri,manu,serv,households\nagri,10,20,5,65\nmanu,15,40,20,125\nserv,5,30,10,155\nvalue_added,70,110,165,\n";
        if let Some(text) = text_of(mutate(seed.as_bytes(), &muts), "io.csv") {
            names_file(scenario::parse_iotable(&text, "io.csv"), "io.csv")?;
        }
    }

    #[test]
    fn baseline_case_files(muts in mutations(), which in 0usize..10) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/baseline/cases");
        let mut files: Vec<_> = std::fs::read_dir(&dir).expect("cases").flatten().map(|e| e.path()).collect();
        files.sort();
        let seed = std::fs::read(&files[which % files.len()]).expect("case");
        if let Some(text) = text_of(mutate(&seed, &muts), "case.toml") {
            names_file(baseline::parse_technology(&text, "case.toml", None), "case.toml")?;
        }
    }

    #[test]
    fn baseline_tables(muts in mutations(), which in 0usize..5) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/baseline");
        let name = ["countries.toml", "likelihood.toml", "toolkit.toml", "checklist.toml", "blocs.toml"][which];
        let seed = std::fs::read(dir.join(name)).expect("baseline file");
        if let Some(text) = text_of(mutate(&seed, &muts), name) {
            match which {
                0 => names_file(baseline::parse_countries(&text, name), name)?,
                1 => names_file(baseline::parse_likelihood(&text, name), name)?,
                2 => names_file(baseline::parse_toolkit(&text, name), name)?,
                3 => names_file(baseline::parse_checklist(&text, name), name)?,
                _ => names_file(blocs::parse(&text, name), name)?,
            }
        }
    }

    #[test]
    fn eto_release(muts in mutations(), which in 0usize..5) {
        let t = tempfile::tempdir().expect("tempdir");
        let dir = t.path().join("eto");
        let eco = osa_io::builtin::ecosystem("semiconductors").expect("built-in");
        eto::export(&eco, &dir, false).expect("export");
        let name = ["stages.csv", "inputs.csv", "providers.csv", "provision.csv", "sequence.csv"][which];
        let path = dir.join(name);
        let seed = std::fs::read(&path).expect("csv");
        std::fs::write(&path, mutate(&seed, &muts)).expect("write");
        if let Err(e) = eto::import(&dir) {
            let msg = e.to_string();
            prop_assert!(msg.contains(".csv"), "error without its file: {msg}");
        }
    }
}
