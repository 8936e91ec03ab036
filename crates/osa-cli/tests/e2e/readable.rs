//! Output people read: at 100 columns no line of a command's table output is wider than 100
//! characters, and no raw snake_case id shows in table, Markdown or HTML output (ids stay in JSON
//! and CSV); the screening summary puts its warning first; filters, ids and years find what a
//! reader means or say why not.

use crate::util::osa;
use std::path::Path;

/// Commands on the embedded data and the repository's sample files.
fn commands() -> Vec<Vec<String>> {
    let io = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/three-sectors.csv")
        .display()
        .to_string();
    let mut c: Vec<Vec<&str>> = vec![
        vec!["matrix"],
        vec!["actors"],
        vec!["checklist"],
        vec!["simulate", "--shock", "CHN:gallium=1.0"],
        vec![
            "simulate",
            "--scenario",
            "noble-gas-shortage",
            "--draws",
            "100",
        ],
        vec!["scenario", "list"],
        vec!["iomodel", &io, "--shock", "manufacturing=0.1"],
        vec!["metrics"],
        vec!["metrics", "--stages"],
        vec!["chokepoints", "--holder", "CHN", "--min-share", "0.5"],
        vec!["leverage", "--between", "EU27", "CHN"],
    ];
    let techs = [
        "front-end-fabrication",
        "5g-standardization",
        "facial-recognition",
        "chip-design",
        "6g",
        "blockchain",
        "e-cny",
        "v2x",
        "urban-ai",
        "ai-ethics",
    ];
    c.extend(techs.iter().map(|t| vec!["assess", *t]));
    c.into_iter()
        .map(|v| v.into_iter().map(String::from).collect())
        .collect()
}

fn run(args: &[String], format: &str) -> String {
    let out = osa()
        .args(args)
        .args(["--format", format])
        .env("COLUMNS", "100")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "osa {args:?} --format {format} failed"
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The snake_case words of a text (`a_b`, letters and digits around underscores).
fn snake_case(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| {
            w.contains('_')
                && !w.starts_with('_')
                && !w.ends_with('_')
                && w.chars().any(|c| c.is_ascii_lowercase())
        })
        .map(String::from)
        .collect()
}

#[test]
fn tables_fit_100_columns() {
    let mut wide = Vec::new();
    for args in commands() {
        let text = run(&args, "table");
        for line in text.lines() {
            let n = line.chars().count();
            if n > 100 {
                wide.push(format!("osa {}: {n} chars: {line}", args.join(" ")));
            }
        }
    }
    assert!(
        wide.is_empty(),
        "lines wider than 100:\n{}",
        wide.join("\n")
    );
}

#[test]
fn no_raw_ids_in_tables_markdown_and_html() {
    let mut found = Vec::new();
    for args in commands() {
        for format in ["table", "md", "html"] {
            let text = run(&args, format);
            let ids = snake_case(&text);
            if !ids.is_empty() {
                found.push(format!("osa {} --format {format}: {ids:?}", args.join(" ")));
            }
        }
    }
    assert!(found.is_empty(), "raw ids:\n{}", found.join("\n"));
}

#[test]
fn snake_case_finds_ids_only() {
    assert_eq!(
        snake_case("a systemic_rival, judged only"),
        ["systemic_rival"]
    );
    assert!(snake_case("EU_27 __init__ x").is_empty());
}

#[test]
fn help_lists_the_values_of_enumerated_options() {
    let commands: &[&[&str]] = &[
        &["matrix"],
        &["assess"],
        &["actors"],
        &["checklist"],
        &["report"],
        &["metrics"],
        &["chokepoints"],
        &["leverage"],
        &["simulate"],
        &["scenario", "list"],
        &["scenario", "compare"],
        &["iomodel"],
        &["screen"],
        &["crm"],
        &["geopolrisk"],
    ];
    for c in commands {
        let out = osa().args(*c).arg("--help").output().expect("runs");
        let help = String::from_utf8(out.stdout).expect("UTF-8");
        // Every --format (and --by, --model, --kinds, --kind) says its values.
        let text = help.replace('\n', " ");
        let values =
            text.matches("possible values:").count() + text.matches("Possible values:").count();
        let enumerated = [
            "--format <",
            "--by <",
            "--model <",
            "--kinds <",
            "--kind <",
            "--relevance <",
        ]
        .iter()
        .filter(|o| text.contains(*o))
        .count();
        assert!(enumerated > 0, "{c:?}: no enumerated option?");
        assert_eq!(
            values, enumerated,
            "{c:?}: an enumerated option without its values:\n{help}"
        );
    }
    // Options a command ignored are gone.
    let matrix = stdout_help(&["matrix"]);
    for gone in ["--toolkit", "--governance-data", "--year", "--bloc"] {
        assert!(!matrix.contains(gone), "osa matrix still offers {gone}");
    }
    let checklist = stdout_help(&["checklist"]);
    assert!(!checklist.contains("--toolkit") && !checklist.contains("--governance-data"));
}

fn stdout_help(args: &[&str]) -> String {
    let out = osa().args(args).arg("--help").output().expect("runs");
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn trade_tables_fit_100_columns() {
    let Some(d) = osa_io::shared::data_dir_or_skip("trade_tables_fit_100_columns") else {
        return;
    };
    let baci = d
        .join("baci_sample/baci_2021_exporters_AFG_ZAF_from_R-IO-PS.csv")
        .display()
        .to_string();
    let commands: Vec<Vec<String>> = [
        vec!["crm", "Gallium"],
        vec!["screen", "--trade", &baci],
        vec!["screen", "--trade", &baci, "--by", "section"],
        vec!["screen", "--trade", &baci, "--by", "supplier"],
        vec![
            "screen",
            "--trade",
            &baci,
            "--ecosystem",
            "semiconductors",
            "--by",
            "input",
        ],
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
    ]
    .iter()
    .map(|v| v.iter().map(|s| s.to_string()).collect())
    .collect();
    for args in commands {
        let text = run(&args, "table");
        for line in text.lines() {
            assert!(
                line.chars().count() <= 100,
                "osa {}: {} chars: {line}",
                args.join(" "),
                line.chars().count()
            );
        }
        // Ids in words; formulas (their variables, like g_i) and data file names excepted.
        for format in ["table", "md"] {
            let text = run(&args, format);
            // A wrapped formula or sources line goes on with indented lines.
            let mut skipping = false;
            let prose: String = text
                .lines()
                .filter(|l| {
                    skipping = l.contains('=')
                        || l.starts_with("sources:")
                        || (skipping && l.starts_with("  "));
                    !skipping
                })
                .collect::<Vec<_>>()
                .join("\n");
            let ids = snake_case(&prose);
            assert!(
                ids.is_empty(),
                "osa {} --format {format}: {ids:?}",
                args.join(" ")
            );
        }
    }
}

#[test]
fn a_missing_file_is_reported_once() {
    let out = osa()
        .args(["iomodel", "no-such-table.csv", "--shock", "a=0.1"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).expect("UTF-8");
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
    assert!(err.contains("no-such-table.csv"), "{err}");
}

#[test]
fn screen_summary_puts_the_warning_first_and_stays_short() {
    let Some(d) = osa_io::shared::data_dir_or_skip("screen_summary_puts_the_warning_first") else {
        return;
    };
    let baci = d
        .join("baci_sample/baci_2021_exporters_AFG_ZAF_from_R-IO-PS.csv")
        .display()
        .to_string();
    for columns in [None, Some("80"), Some("100")] {
        let mut c = osa();
        c.args(["screen", "--trade", &baci]);
        if let Some(w) = columns {
            c.env("COLUMNS", w);
        }
        let out = c.output().expect("runs");
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines
                .iter()
                .take(5)
                .any(|l| l.contains("partial trade data")),
            "{columns:?}:\n{text}"
        );
        assert!(lines.len() <= 60, "{columns:?}: {} lines", lines.len());
        // Said once: on standard output, not again on standard error.
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("partial trade data"), "{err}");
    }
    // --all prints every product; so does a file.
    let all = crate::util::stdout(&["screen", "--trade", &baci, "--all"]);
    assert!(all.lines().count() > 2900);
    let tmp = tempfile::tempdir().expect("tmp");
    let f = tmp.path().join("s.txt").display().to_string();
    let out = osa()
        .args(["screen", "--trade", &baci, "-o", &f])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("wrote {f} (")), "{err}");
    assert!(
        std::fs::read_to_string(&f)
            .expect("written")
            .lines()
            .count()
            > 2900
    );
}

#[test]
fn filters_and_ids_find_what_a_reader_means() {
    let china = crate::util::stdout(&["actors", "--country", "China", "--format", "csv"]);
    for q in ["chn", "CHN"] {
        let other = crate::util::stdout(&["actors", "--country", q, "--format", "csv"]);
        assert_eq!(other, china, "{q}");
    }
    assert!(
        china.lines().count() > 10 && china.contains("Hikvision"),
        "{china}"
    );
    // An empty result says why, and fails.
    let out = osa()
        .args(["actors", "--country", "FRA", "--kind", "ministry"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no actor to watch matches"));
    assert!(crate::util::stdout(&["assess", "CHIP-DESIGN"]).contains("Chip design"));
    let out = osa()
        .args(["assess", "chip-desing"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("did you mean chip-design?"), "{err}");
}

#[test]
fn a_year_the_file_lacks_names_the_one_it_has() {
    let Some(d) = osa_io::shared::data_dir_or_skip("a_year_the_file_lacks") else {
        return;
    };
    let baci = d
        .join("baci_sample/baci_2021_exporters_AFG_ZAF_from_R-IO-PS.csv")
        .display()
        .to_string();
    let out = osa()
        .args(["screen", "--trade", &baci, "--year", "2019"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("pass --year 2021"), "{err}");
}
