//! The report's text, read at run time from a configured file (never compiled in), so that every
//! seed citation ("seed L960-1000": lines of the report without blank lines) opens its passage.

use crate::{AppError, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The largest report file read.
pub const MAX_BYTES: u64 = 20 * 1024 * 1024;
/// The most lines one passage shows (cited lines plus context).
pub const MAX_LINES: usize = 400;
/// Lines of context shown before and after the cited lines.
pub const CONTEXT: usize = 3;

/// The report's text, line by line.
#[derive(Debug, Clone)]
pub struct SeedText {
    /// The file it was read from.
    pub path: PathBuf,
    lines: Vec<String>,
}

/// One line of a passage.
#[derive(Debug, Clone, Serialize)]
pub struct PassageLine {
    /// Its number (from 1).
    pub number: usize,
    /// Its text.
    pub text: String,
    /// Whether the citation names it (else it is context).
    pub cited: bool,
}

/// The passage a citation names, with a few lines of context.
#[derive(Debug, Clone, Serialize)]
pub struct Passage {
    /// The first cited line.
    pub from: usize,
    /// The last cited line.
    pub to: usize,
    /// The report's part these lines belong to, with its authors.
    pub part: String,
    /// The lines shown.
    pub lines: Vec<PassageLine>,
    /// How many lines the report has.
    pub total: usize,
}

impl SeedText {
    /// Reads the report's text (at most [`MAX_BYTES`]; blank lines are dropped, as in the
    /// citations' line count).
    pub fn load(path: &Path) -> Result<SeedText> {
        let err = |m: String| AppError::Invalid {
            field: "seed".into(),
            message: format!("{}: {m}", path.display()),
        };
        let meta = std::fs::metadata(path).map_err(|e| err(e.to_string()))?;
        if meta.len() > MAX_BYTES {
            return Err(err(format!("larger than {MAX_BYTES} bytes")));
        }
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        Ok(SeedText {
            path: path.to_path_buf(),
            lines: text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect(),
        })
    }

    /// How many lines the text has.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The lines with their numbers (from 1, as citations count them).
    pub fn lines(&self) -> impl Iterator<Item = (usize, &str)> {
        self.lines
            .iter()
            .enumerate()
            .map(|(i, l)| (i + 1, l.as_str()))
    }

    /// The passage of a line range (`960-1000`, `L960-1000` or `960`).
    pub fn passage(&self, range: &str) -> Result<Passage> {
        let (from, to) = parse_range(range, self.lines.len())?;
        let first = from.saturating_sub(CONTEXT).max(1);
        let last = (to + CONTEXT).min(self.lines.len());
        let part = osa_view::bibliography::CHAPTERS
            .iter()
            .find(|(a, b, _, _)| (*a as usize..=*b as usize).contains(&from))
            .map(|(_, _, part, authors)| {
                if authors.is_empty() {
                    (*part).to_string()
                } else {
                    format!("{part} ({authors})")
                }
            })
            .unwrap_or_else(|| "front matter".into());
        Ok(Passage {
            from,
            to,
            part,
            lines: (first..=last)
                .map(|n| PassageLine {
                    number: n,
                    text: self.lines[n - 1].clone(),
                    cited: (from..=to).contains(&n),
                })
                .collect(),
            total: self.lines.len(),
        })
    }
}

/// A citation's line range, checked against the text's length and [`MAX_LINES`].
pub fn parse_range(range: &str, len: usize) -> Result<(usize, usize)> {
    let bad = |m: &str| AppError::Invalid {
        field: "lines".into(),
        message: format!("`{}`: {m}", range.chars().take(40).collect::<String>()),
    };
    let r = range
        .trim()
        .trim_start_matches("seed ")
        .trim_start_matches('L');
    let (a, b) = r.split_once('-').unwrap_or((r, r));
    let num = |s: &str| {
        s.trim()
            .trim_start_matches('L')
            .parse::<usize>()
            .map_err(|_| bad("not a line range such as 960-1000"))
    };
    let (from, to) = (num(a)?, num(b)?);
    if from == 0 || to < from {
        return Err(bad(
            "lines count from 1 and the range must not run backwards",
        ));
    }
    if to > len {
        return Err(bad(&format!("the report has {len} lines")));
    }
    if to - from + 1 > MAX_LINES {
        return Err(bad(&format!("a passage shows at most {MAX_LINES} lines")));
    }
    Ok((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text() -> SeedText {
        SeedText {
            path: PathBuf::from("t"),
            lines: (1..=20).map(|n| format!("line {n}")).collect(),
        }
    }

    #[test]
    fn a_passage_has_its_lines_marked_with_context() {
        let p = text().passage("L5-6").unwrap();
        assert_eq!((p.from, p.to), (5, 6));
        let shown: Vec<(usize, bool)> = p.lines.iter().map(|l| (l.number, l.cited)).collect();
        assert_eq!(
            shown,
            vec![
                (2, false),
                (3, false),
                (4, false),
                (5, true),
                (6, true),
                (7, false),
                (8, false),
                (9, false)
            ]
        );
        assert_eq!(p.lines[3].text, "line 5");
        assert_eq!(text().passage("1").unwrap().lines[0].number, 1);
        assert_eq!(
            text().passage("20").unwrap().lines.last().unwrap().number,
            20
        );
    }

    #[test]
    fn bad_ranges_are_refused_with_the_field() {
        for r in ["0", "5-3", "21", "x", "1-", "", "3-x"] {
            let e = text().passage(r).unwrap_err();
            assert!(
                matches!(&e, AppError::Invalid { field, .. } if field == "lines"),
                "{r}: {e}"
            );
        }
    }
}
