//! Every README command reads at 80 and 100 columns: no line of its output (standard output and
//! standard error; JSON and CSV aside) is wider than `COLUMNS`, and no table cell breaks a word
//! across lines. A break is mid-word when a cell's line ends in a letter, the cell's next line
//! starts with a letter, and the two pieces joined make a word that the same command prints whole
//! at 1000 columns (where nothing wraps).

use crate::readme::Tour;
use osa_io::shared::data_dir_or_skip;
use std::collections::HashSet;

/// The words of a text: runs of letters, digits and hyphens.
fn words(text: &str) -> HashSet<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

/// The column ranges of a table drawn with borders only: the runs of character positions where
/// some line has something other than a space, inside the outer borders.
fn columns(lines: &[Vec<char>]) -> Vec<(usize, usize)> {
    let width = lines.iter().map(Vec::len).max().unwrap_or(0);
    let used: Vec<bool> = (0..width)
        .map(|x| {
            x > 0
                && x + 1 < width
                && lines
                    .iter()
                    .any(|l| l.get(x).is_some_and(|c| *c != ' ' && *c != '│'))
        })
        .collect();
    let mut out = Vec::new();
    let mut start = None;
    for (x, u) in used.iter().chain(std::iter::once(&false)).enumerate() {
        match (u, start) {
            (true, None) => start = Some(x),
            (false, Some(s)) => {
                out.push((s, x));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The mid-word breaks in the tables of `text`: (the piece ending a line, the piece starting the
/// next line of the same cell), where the joined word is in `whole`.
pub fn mid_word_breaks(text: &str, whole: &HashSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    let mut table: Vec<Vec<char>> = Vec::new();
    for line in text.lines().chain(std::iter::once("")) {
        if line.starts_with('│') {
            table.push(line.chars().collect());
            continue;
        }
        let cols = columns(&table);
        for pair in table.windows(2) {
            for &(a, b) in &cols {
                let cell = |l: &Vec<char>| -> String {
                    l.get(a..b.min(l.len()))
                        .unwrap_or(&[])
                        .iter()
                        .collect::<String>()
                };
                let (top, next) = (cell(&pair[0]), cell(&pair[1]));
                let (top, next) = (top.trim(), next.trim());
                let tail = top.rsplit(' ').next().unwrap_or("");
                let head = next.split(' ').next().unwrap_or("");
                let ends = tail.chars().last().is_some_and(char::is_alphabetic);
                let starts = head.chars().next().is_some_and(char::is_alphabetic);
                let joined: String = format!("{tail}{head}")
                    .chars()
                    .filter(|c| c.is_alphanumeric() || *c == '-')
                    .collect();
                if ends && starts && whole.contains(&joined) {
                    found.push(format!("{tail}|{head}"));
                }
            }
        }
        table.clear();
    }
    found
}

#[test]
fn a_word_cut_across_lines_is_found() {
    let whole = words("description availability");
    let cut = "│ HS6   descriptio   end │\n│       n            use │\n";
    assert_eq!(mid_word_breaks(cut, &whole), ["descriptio|n"]);
    let fine = "│ HS6   Machinery; for   end │\n│       filtering        use │\n";
    assert!(mid_word_breaks(fine, &words("Machinery; for filtering")).is_empty());
}

/// Whether a command's standard output is for machines or files (JSON, CSV, Markdown, HTML), or
/// one unbreakable record to paste (a checkpoint line, a sign-in address).
fn machine_output(cmd: &str) -> bool {
    ["json", "csv", "md", "html", "xlsx", "parquet"]
        .iter()
        .any(|f| cmd.contains(&format!("--format {f}")))
        || ["osa audit checkpoint", "osa user link"]
            .iter()
            .any(|c| cmd.starts_with(c))
}

#[test]
fn readme_commands_fit_80_and_100_columns_without_cutting_words() {
    let Some(data) = data_dir_or_skip("readme_commands_fit_80_and_100_columns") else {
        return;
    };
    // Each width runs the tour from the start in a fresh folder (commands write files later
    // ones read, and some refuse to write twice).
    let wide: Vec<String> = {
        let tour = Tour::new(&data);
        let cmds = tour.commands.clone();
        cmds.iter()
            .map(|c| String::from_utf8_lossy(&tour.run(c, &[("COLUMNS", "1000")]).stdout).into())
            .collect()
    };
    let mut problems = Vec::new();
    for width in [80usize, 100] {
        let tour = Tour::new(&data);
        let cmds = tour.commands.clone();
        for (cmd, whole) in cmds.iter().zip(&wide) {
            let out = tour.run(cmd, &[("COLUMNS", &width.to_string())]);
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            let mut texts = vec![stderr.as_ref()];
            if !machine_output(cmd) {
                texts.push(stdout.as_ref());
            }
            for line in texts.iter().flat_map(|t| t.lines()) {
                let n = line.chars().count();
                if n > width {
                    problems.push(format!("{width}: `{cmd}`: {n} chars: {line}"));
                }
            }
            if !machine_output(cmd) {
                for b in mid_word_breaks(&stdout, &words(whole)) {
                    problems.push(format!("{width}: `{cmd}`: a word cut: {b}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
