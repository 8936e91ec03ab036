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
            s
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
    String::from_utf8(bytes).map_err(|e| RenderError(format!("CSV is not UTF-8: {e}")))
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
    let mut s = t.to_string();
    s.push('\n');
    s
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
