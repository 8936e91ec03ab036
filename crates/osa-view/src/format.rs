//! Output formats and the small helpers every printer shares (tables, CSV, rounding).

use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};

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
    /// An Excel workbook (the CSV table as a sheet, and a Sources sheet); binary.
    Xlsx,
    /// A Parquet file of the CSV table's columns (`osa screen` only); binary.
    Parquet,
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
            Format::Xlsx => "xlsx",
            Format::Parquet => "parquet",
        }
    }

    /// Whether the output is a binary file (written from the CSV rendering).
    pub fn is_binary(self) -> bool {
        matches!(self, Format::Xlsx | Format::Parquet)
    }

    /// The text format a printer renders for this format: CSV for the binary ones.
    pub fn text(self) -> Format {
        if self.is_binary() { Format::Csv } else { self }
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
            "xlsx" => Ok(Format::Xlsx),
            "parquet" => Ok(Format::Parquet),
            other => Err(format!(
                "unknown format `{other}` (expected table, json, csv, md, html, xlsx or parquet)"
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

/// The width text tables fit in (0: unlimited); set once by the interface (the terminal's width,
/// or `$COLUMNS`), read by every table printer.
static TABLE_WIDTH: AtomicUsize = AtomicUsize::new(0);

/// Sets the width text tables and text output fit in; `None`: unlimited (piped output).
pub fn set_text_width(width: Option<usize>) {
    TABLE_WIDTH.store(width.unwrap_or(0), Ordering::Relaxed);
}

/// The width text output fits in, if any.
pub fn text_width() -> Option<usize> {
    match TABLE_WIDTH.load(Ordering::Relaxed) {
        0 => None,
        w => Some(w),
    }
}

/// A text table (or a Markdown table when `markdown`), with a trailing newline. A text table fits
/// the width set with [`set_text_width`]: its cells wrap at spaces (or after a hyphen), never inside
/// a word; a word longer than its column is abbreviated with an ellipsis; when even that does not
/// fit, the last columns are left out and named under the table.
pub fn table(header: &[&str], rows: &[Vec<String>], markdown: bool) -> String {
    let mut t = Table::new();
    t.load_style(if markdown {
        presets::ASCII_MARKDOWN
    } else {
        presets::UTF8_BORDERS_ONLY
    });
    t.set_content_arrangement(ContentArrangement::Disabled);
    let fitted = text_width()
        .filter(|_| !markdown)
        .and_then(|w| fit_columns(header, rows, w));
    let (mut dropped, mut abbreviated) = (Vec::new(), Vec::new());
    match fitted {
        None => {
            t.set_header(header.iter().copied());
            for r in rows {
                t.add_row(r.iter().cloned());
            }
        }
        Some(widths) => {
            let keep = |cells: Vec<String>| -> Vec<String> {
                cells
                    .into_iter()
                    .zip(&widths)
                    .filter_map(|(c, w)| w.map(|w| wrap_cell(&c, usize::from(w))))
                    .collect()
            };
            let shown_header = keep(header.iter().map(|h| h.to_string()).collect());
            abbreviated.extend(
                header
                    .iter()
                    .zip(&shown_header)
                    .filter(|(h, s)| s.contains('…') && !h.contains('…'))
                    .map(|(h, s)| format!("{} = {h}", s.replace('\n', " "))),
            );
            t.set_header(shown_header);
            for r in rows {
                t.add_row(keep(r.clone()));
            }
            dropped.extend(
                header
                    .iter()
                    .zip(&widths)
                    .filter(|(_, w)| w.is_none())
                    .map(|(h, _)| *h),
            );
        }
    }
    let mut s = unsigned_zero(&t.to_string());
    s.push('\n');
    if !abbreviated.is_empty() {
        s.push_str(&format!("(abbreviated: {})\n", abbreviated.join("; ")));
    }
    if !dropped.is_empty() {
        s.push_str(&format!(
            "(not shown at this width: {}; a wider terminal or --format csv shows them)\n",
            dropped.join(", ")
        ));
    }
    s
}

/// The pieces a cell's line may break between: its words, and the parts of a hyphenated word
/// (each but the last keeping its hyphen).
fn pieces(line: &str) -> impl Iterator<Item = &str> {
    line.split(' ')
        .filter(|w| !w.is_empty())
        .flat_map(|w| w.split_inclusive('-'))
}

/// The longest unbreakable piece of a text, in characters.
fn longest_piece(text: &str) -> usize {
    text.lines()
        .flat_map(pieces)
        .map(|p| p.chars().count())
        .max()
        .unwrap_or(0)
}

/// A cell's text wrapped to `width` characters at spaces (or after a hyphen); a piece longer than
/// the width is abbreviated with an ellipsis rather than broken across lines.
pub fn wrap_cell(text: &str, width: usize) -> String {
    let width = width.max(1);
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        let mut cur = String::new();
        let mut len = 0;
        for word in line.split(' ').filter(|w| !w.is_empty()) {
            let wl = word.chars().count();
            let gap = usize::from(len > 0);
            if len + gap + wl <= width {
                if gap == 1 {
                    cur.push(' ');
                }
                cur.push_str(word);
                len += gap + wl;
                continue;
            }
            for (i, piece) in word.split_inclusive('-').enumerate() {
                let piece = cut(piece, width);
                let pl = piece.chars().count();
                // Pieces of one word join without a space.
                let gap = usize::from(len > 0 && i == 0);
                if len > 0 && len + gap + pl > width {
                    lines.push(std::mem::take(&mut cur));
                    len = 0;
                } else if gap == 1 {
                    cur.push(' ');
                    len += 1;
                }
                cur.push_str(&piece);
                len += pl;
            }
        }
        lines.push(cur);
    }
    lines.join("\n")
}

/// An id in words for readers (tables, Markdown, HTML): `systemic_rival` -> `systemic rival`,
/// `supply_resilience` -> `supply-chain resilience`, `eu_body` -> `EU body`. JSON and CSV keep ids.
pub fn words(id: &str) -> String {
    match id {
        "supply_resilience" => "supply-chain resilience".into(),
        "values_sustainability" => "values and sustainability".into(),
        "competitiveness" => "technological competitiveness".into(),
        "soe" => "state-owned enterprise".into(),
        "int" | "INT" => "international".into(),
        _ => {
            let s = id.replace('_', " ");
            match s.strip_prefix("eu ") {
                Some(rest) => format!("EU {rest}"),
                None => s,
            }
        }
    }
}

/// A CSV table as a Markdown table, headers in words.
pub fn md_from_csv(csv_text: &str) -> Result<String, RenderError> {
    let err = |e: csv::Error| RenderError(format!("could not read the table: {e}"));
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = r.headers().map_err(err)?.iter().map(words).collect();
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.map(|x| x.iter().map(String::from).collect()))
        .collect::<Result<_, _>>()
        .map_err(err)?;
    let h: Vec<&str> = header.iter().map(String::as_str).collect();
    Ok(table(&h, &rows, true))
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

/// Content widths for the columns of a table that must fit in `width` characters (`None`: the
/// column is dropped), or nothing when it fits as it is. Narrow columns (numbers, codes) keep
/// their width; the wide ones (names, text) get at least their longest word (up to
/// [`LONGEST_WORD`]), share what is left, the narrowest first, and wrap; when even that does not
/// fit, the last columns (the least important) are dropped.
fn fit_columns(header: &[&str], rows: &[Vec<String>], width: usize) -> Option<Vec<Option<u16>>> {
    let widest = |c: usize| -> usize {
        let cells = rows.iter().filter_map(|r| r.get(c)).map(String::as_str);
        cells
            .flat_map(str::lines)
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0)
    };
    let natural: Vec<usize> = (0..header.len())
        .map(|c| widest(c).max(header[c].chars().count()))
        .collect();
    if natural.iter().sum::<usize>() + frame(natural.len()) <= width {
        return None;
    }
    // What a column needs to show every cell on one line: its widest cell, and its header's
    // longest word (a header wraps).
    let needed: Vec<usize> = (0..header.len())
        .map(|c| widest(c).max(longest_piece(header[c])))
        .collect();
    // What it needs at least: all of a narrow column; a wide column's longest word.
    let least: Vec<usize> = (0..header.len())
        .map(|c| {
            if needed[c] <= NARROW {
                return needed[c];
            }
            let words = rows
                .iter()
                .filter_map(|r| r.get(c))
                .map(|s| longest_piece(s))
                .chain(std::iter::once(longest_piece(header[c])))
                .max()
                .unwrap_or(0);
            words.clamp(MIN_WIDE, LONGEST_WORD).min(needed[c])
        })
        .collect();
    // Dropping a column hides all of it: rather abbreviate the long words of the wide columns
    // (to MIN_WIDE) when that shows more columns.
    let hard: Vec<usize> = (0..header.len())
        .map(|c| {
            if needed[c] <= NARROW {
                needed[c]
            } else {
                MIN_WIDE.min(needed[c])
            }
        })
        .collect();
    let (words_shown, hard_shown) = (shown(&least, width), shown(&hard, width));
    let (base, shown) = if hard_shown > words_shown {
        (hard, hard_shown)
    } else {
        (least.clone(), words_shown)
    };
    let mut out: Vec<usize> = base[..shown].to_vec();
    let mut budget = width.saturating_sub(frame(shown) + out.iter().sum::<usize>());
    // What is left goes to whole words first, then to one line per cell.
    for target in [&least, &needed] {
        let mut short: Vec<usize> = (0..shown).filter(|&c| target[c] > out[c]).collect();
        short.sort_by_key(|&c| target[c] - out[c]);
        let mut left = short.len();
        for c in short {
            let more = (target[c] - out[c]).min(budget / left.max(1));
            out[c] += more;
            budget -= more;
            left -= 1;
        }
    }
    Some(
        (0..header.len())
            .map(|c| out.get(c).map(|&w| w as u16))
            .collect(),
    )
}

/// How many of the first columns fit in `width` at these widths (at least one).
fn shown(widths: &[usize], width: usize) -> usize {
    let mut n = widths.len();
    while n > 1 && frame(n) + widths[..n].iter().sum::<usize>() > width {
        n -= 1;
    }
    n
}

/// A column this wide or narrower (numbers, codes) keeps its width.
const NARROW: usize = 10;
/// The least width of a wide column.
const MIN_WIDE: usize = 8;
/// A word longer than this may be abbreviated in a narrow terminal rather than widen its column.
const LONGEST_WORD: usize = 24;

/// The characters a table of `n` columns draws besides their content: two outer borders, one
/// blank inner border between columns, one space of padding on each side of a column.
fn frame(n: usize) -> usize {
    1 + 3 * n
}

/// Wraps the lines of text output wider than `width` at spaces, continuing with the line's indent
/// plus two spaces; table lines (drawn with box characters) are left to the table printer.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let is_table = body.starts_with(['│', '┌', '└', '╞', '├', '╘', '|']);
        if body.chars().count() <= width || is_table {
            out.push_str(line);
            continue;
        }
        let indent: String = body.chars().take_while(|c| *c == ' ').collect();
        let cont = format!("{indent}  ");
        let (mut cur, mut cur_len, mut first) = (String::new(), 0, true);
        for word in body.trim_start().split(' ') {
            let wl = word.chars().count();
            if cur_len > 0 && cur_len + 1 + wl > width {
                out.push_str(&cur);
                out.push('\n');
                cur.clear();
                cur_len = 0;
                first = false;
            }
            if cur_len == 0 {
                let p = if first { &indent } else { &cont };
                cur.push_str(p);
                cur.push_str(word);
                cur_len = p.chars().count() + wl;
            } else {
                cur.push(' ');
                cur.push_str(word);
                cur_len += 1 + wl;
            }
        }
        out.push_str(&cur);
        out.push_str(nl);
    }
    out
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

    #[test]
    fn columns_fit_or_drop() {
        let rows = vec![vec![
            "Semiconductor front-end manufacturing".to_string(),
            "3".to_string(),
            "Taiwan and South Korea hold the leading edge".to_string(),
        ]];
        let header = ["technology", "national security", "note"];
        // Fits as it is at 120 columns.
        assert_eq!(fit_columns(&header, &rows, 120), None);
        // At 50: the level keeps its width (its header wraps), the text columns share the rest.
        let w = fit_columns(&header, &rows, 50).expect("fitted");
        let widths: Vec<u16> = w.iter().map(|x| x.expect("shown")).collect();
        assert_eq!(widths[1], 8);
        assert!(widths.iter().map(|&x| usize::from(x)).sum::<usize>() + 1 + 3 * 3 <= 50);
        // At 20 the last column goes.
        let w = fit_columns(&header, &rows, 20).expect("fitted");
        assert_eq!(w[2], None);
    }

    #[test]
    fn cells_wrap_between_words_and_abbreviate_what_cannot_fit() {
        let text = "Wafer fabrication (front-end manufacturing) of leading-edge logic";
        for width in 6..40 {
            let w = wrap_cell(text, width);
            assert!(
                w.lines().all(|l| l.chars().count() <= width),
                "{width}: {w}"
            );
            // Joined again at the breaks (a space, or nothing after a hyphen), the text is whole,
            // or a piece was abbreviated.
            let joined = w.replace("-\n", "-").replace('\n', " ");
            assert!(joined == text || joined.contains('…'), "{width}: {joined}");
        }
        assert_eq!(wrap_cell("availability", 8), "availab…");
        assert_eq!(
            wrap_cell("wafer-fabrication tools", 12),
            "wafer-\nfabrication\ntools"
        );
    }

    #[test]
    fn ids_in_words() {
        assert_eq!(words("systemic_rival"), "systemic rival");
        assert_eq!(words("supply_resilience"), "supply-chain resilience");
        assert_eq!(words("judged_only"), "judged only");
        assert_eq!(words("eu_body"), "EU body");
    }

    #[test]
    fn wrap_keeps_indent_and_tables() {
        let text =
            "  - one two three four five six\n│ a very long table line stays as it is │\nshort\n";
        let w = wrap(text, 16);
        assert_eq!(
            w,
            "  - one two\n    three four\n    five six\n│ a very long table line stays as it is │\nshort\n"
        );
        assert!(
            w.lines()
                .filter(|l| !l.starts_with('│'))
                .all(|l| l.chars().count() <= 16)
        );
    }
}
