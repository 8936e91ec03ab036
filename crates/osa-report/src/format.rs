//! Output formats and the small helpers every printer shares (tables, CSV, rounding).

use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// A readable table (default).
    #[default]
    Table,
    /// JSON (fields documented in docs/json.md).
    Json,
    /// CSV, one row per record.
    Csv,
    /// Markdown.
    Md,
    /// Self-contained HTML.
    Html,
}

impl Format {
    /// Spelling on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Md => "md",
            Format::Html => "html",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "table" => Ok(Format::Table),
            "json" => Ok(Format::Json),
            "csv" => Ok(Format::Csv),
            "md" | "markdown" => Ok(Format::Md),
            "html" => Ok(Format::Html),
            other => Err(format!(
                "unknown format `{other}` (expected table, json, csv, md or html)"
            )),
        }
    }
}

/// Errors of printers.
#[derive(Debug)]
pub struct RenderError(pub String);

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RenderError {}

/// Rounds to 6 decimals, so JSON shows 0.3 and not 0.30000000000000004.
pub fn r6(v: f64) -> f64 {
    // Adding 0.0 turns -0.0 (the sum of an empty iterator) into 0.0.
    (v * 1e6).round() / 1e6 + 0.0
}

/// Rounds an optional value to 6 decimals.
pub fn r6o(v: Option<f64>) -> Option<f64> {
    v.map(r6)
}

/// Pretty JSON with a trailing newline.
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<String, RenderError> {
    serde_json::to_string_pretty(value)
        .map(|mut s| {
            s.push('\n');
            unsigned_zero(&s)
        })
        .map_err(|e| RenderError(format!("could not render JSON: {e}")))
}

/// CSV from a header and rows of cells.
pub fn csv(header: &[&str], rows: &[Vec<String>]) -> Result<String, RenderError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| RenderError(format!("could not render CSV: {e}"));
    w.write_record(header).map_err(err)?;
    for r in rows {
        w.write_record(r).map_err(err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| RenderError(format!("could not render CSV: {e}")))?;
    String::from_utf8(bytes)
        .map(|s| unsigned_zero(&s))
        .map_err(|e| RenderError(format!("CSV is not UTF-8: {e}")))
}

/// A text table (or a Markdown table when `markdown`), with a trailing newline.
pub fn table(header: &[&str], rows: &[Vec<String>], markdown: bool) -> String {
    let mut t = Table::new();
    t.load_style(if markdown {
        presets::ASCII_MARKDOWN
    } else {
        presets::UTF8_BORDERS_ONLY
    });
    t.set_content_arrangement(ContentArrangement::Disabled);
    t.set_header(header.iter().copied());
    for r in rows {
        t.add_row(r.iter().cloned());
    }
    let mut s = unsigned_zero(&t.to_string());
    s.push('\n');
    s
}

/// Rewrites every printed negative zero (`-0`, `-0.00`, `-0.0e0`) as an unsigned zero. A value that
/// rounds to zero at the printed precision carries no sign worth showing; `-0.001` is left alone.
/// A minus sign right after a letter or digit (a range such as `L12-0`, a date) is not a sign.
pub fn unsigned_zero(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for (i, &c) in b.iter().enumerate() {
        if c != b'-' || i < last || b.get(i + 1) != Some(&b'0') {
            continue;
        }
        if i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.') {
            continue;
        }
        let mut j = i + 2;
        if b.get(j) == Some(&b'.') {
            j += 1;
            while b.get(j) == Some(&b'0') {
                j += 1;
            }
        }
        if matches!(b.get(j), Some(&(b'e' | b'E'))) {
            let mut k = j + 1;
            if matches!(b.get(k), Some(&(b'+' | b'-'))) {
                k += 1;
            }
            while b.get(k).is_some_and(u8::is_ascii_digit) {
                k += 1;
            }
            j = k;
        }
        if b.get(j).is_some_and(u8::is_ascii_digit) {
            continue;
        }
        out.push_str(&s[last..i]);
        last = i + 1;
    }
    out.push_str(&s[last..]);
    out
}

/// A share (0-1) as a percentage with one decimal, or empty.
pub fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_default()
}

/// A number with three decimals, or empty.
pub fn num3(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.3}")).unwrap_or_default()
}

/// Cuts text to `n` characters, marking the cut with an ellipsis.
pub fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn negative_zeros_lose_their_sign_and_nothing_else_changes() {
        assert_eq!(
            unsigned_zero("-0.00 x -0 (-0.0%) -0.0e0"),
            "0.00 x 0 (0.0%) 0.0e0"
        );
        for keep in [
            "-0.01",
            "-0.5",
            "-1",
            "L12-0",
            "2021-01-01",
            "a-0",
            "x -0.001",
        ] {
            assert_eq!(unsigned_zero(keep), keep);
        }
    }

    proptest! {
        #[test]
        fn printed_values_keep_their_value_but_never_show_minus_zero(
            x in -1e-3f64..1e-3, prec in 0usize..7
        ) {
            let printed = format!("{x:.prec$}");
            let fixed = unsigned_zero(&printed);
            let a: f64 = printed.parse().expect("a number");
            let b: f64 = fixed.parse().expect("a number");
            prop_assert_eq!(a, b);
            if b == 0.0 {
                prop_assert!(!fixed.starts_with('-'), "{} -> {}", printed, fixed);
            }
            let csv = csv(&["v"], &[vec![printed.clone()]]).expect("csv");
            let table = table(&["v"], &[vec![printed.clone()]], false);
            for out in [csv, table] {
                prop_assert_eq!(unsigned_zero(&out), out.clone());
            }
        }
    }
}
