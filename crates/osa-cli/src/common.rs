//! What the commands share: printing a use case's warnings, loading the ecosystem argument, and
//! writing output to standard output or, atomically, to a file.

use anyhow::{Context, Result, anyhow};
use osa_io::Loaded;
use osa_model::Blocs;
use std::io::Write;
use std::path::Path;

/// Prints a use case's warnings on standard error and returns its value.
pub fn warned<T>(a: osa_app::Answer<T>) -> T {
    for w in &a.warnings {
        say(&format!("warning: {w}"));
    }
    a.value
}

/// Prints a message on standard error, its lines wrapped at spaces to the width of the terminal
/// (or `$COLUMNS`).
pub fn say(text: &str) {
    eprintln!("{}", said(text));
}

/// A message as [`say`] prints it.
pub fn said(text: &str) -> String {
    match stderr_width() {
        Some(w) => osa_view::format::wrap(text, w),
        None => text.to_string(),
    }
}

/// The width standard error fits in: `$COLUMNS` when set, else the terminal's, if it is one.
fn stderr_width() -> Option<usize> {
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
    {
        return Some(n.max(40));
    }
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return None;
    }
    terminal_size::terminal_size_of(std::io::stderr()).map(|(w, _)| usize::from(w.0).max(40))
}

/// Loads the ecosystem argument and prints import warnings to standard error.
pub fn load_ecosystem(spec: Option<&str>) -> Result<Loaded> {
    Ok(warned(osa_app::ecosystem::load(spec)?))
}

/// The built-in blocs, plus the ecosystem's own, plus `--bloc NAME=A,B,C` definitions.
pub fn blocs(loaded: &Loaded, cli_blocs: &[String]) -> Result<Blocs> {
    Ok(osa_app::ecosystem::blocs(loaded, cli_blocs)?)
}

/// Writes text to standard output, or atomically to `path`, saying what it wrote.
pub fn emit(text: &str, path: Option<&str>) -> Result<()> {
    let lines = text.lines().count();
    emit_counted(text, path, &format!("{} lines", thousands(lines)))
}

/// Writes text to standard output, or atomically to `path`, saying what it wrote: `what` (how many
/// rows or lines) and its size.
fn emit_counted(text: &str, path: Option<&str>, what: &str) -> Result<()> {
    match path {
        Some(p) => {
            osa_io::write::write_atomic(Path::new(p), text.as_bytes())
                .with_context(|| format!("could not write {p}"))?;
            wrote(p, what, text.len());
            Ok(())
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
            Ok(())
        }
    }
}

/// Renders a view in `format` and writes it: text formats as they are; xlsx and parquet from the
/// view's CSV rendering. A binary format needs `-o FILE` or a pipe, never a terminal.
pub fn output<E>(
    format: osa_view::Format,
    path: Option<&str>,
    render: impl Fn(osa_view::Format) -> std::result::Result<String, E>,
) -> Result<()>
where
    anyhow::Error: From<E>,
{
    if format == osa_view::Format::Html {
        let page = render(format)?;
        if page.starts_with("<!DOCTYPE") {
            return emit(&page, path);
        }
        // A command without a page of its own: its table as a page.
        let title = format!("osa {}", sheet_name());
        let csv = render(osa_view::Format::Csv)?;
        return emit(&osa_view::html::table_page(&title, &csv, &[]), path);
    }
    write_rendered(format, path, render(format.text())?)
}

/// Writes `text`, rendered in `format.text()`, as `format` says (see [`output`]).
pub fn write_rendered(format: osa_view::Format, path: Option<&str>, text: String) -> Result<()> {
    if format == osa_view::Format::Table
        && let Some(w) = osa_view::format::text_width()
    {
        return emit(&osa_view::format::wrap(&text, w), path);
    }
    if format == osa_view::Format::Csv {
        return emit_counted(&text, path, &format!("{} rows", thousands(csv_rows(&text))));
    }
    if !format.is_binary() {
        return emit(&text, path);
    }
    if path.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return Err(anyhow!(
            "--format {format} writes a binary file: give -o FILE (or pipe the output)"
        ));
    }
    let bytes = match format {
        osa_view::Format::Parquet => osa_view::parquet::from_csv(&text)?,
        _ => osa_view::xlsx::workbook(
            &[osa_view::xlsx::SheetCsv {
                name: sheet_name(),
                csv: &text,
            }],
            &provenance(),
        )?,
    };
    emit_bytes(
        &bytes,
        path,
        &format!("{} rows", thousands(csv_rows(&text))),
    )
}

/// Like [`output`], but an xlsx workbook gets one sheet per table of `sheets` (name, CSV) instead
/// of the CSV's one.
pub fn output_sheets<E>(
    format: osa_view::Format,
    path: Option<&str>,
    render: impl Fn(osa_view::Format) -> std::result::Result<String, E>,
    sheets: impl Fn() -> std::result::Result<Vec<(String, String)>, E>,
) -> Result<()>
where
    anyhow::Error: From<E>,
{
    if format != osa_view::Format::Xlsx {
        return output(format, path, render);
    }
    if path.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return Err(anyhow!(
            "--format xlsx writes a binary file: give -o FILE (or pipe the output)"
        ));
    }
    let tables = sheets()?;
    let sheets: Vec<osa_view::xlsx::SheetCsv> = tables
        .iter()
        .map(|(name, csv)| osa_view::xlsx::SheetCsv { name, csv })
        .collect();
    let rows: usize = tables.iter().map(|(_, csv)| csv_rows(csv)).sum();
    let what = format!("{} sheets, {} rows", tables.len(), thousands(rows));
    emit_bytes(
        &osa_view::xlsx::workbook(&sheets, &provenance())?,
        path,
        &what,
    )
}

/// The sheet's name: the command (`osa chokepoints` -> `chokepoints`).
fn sheet_name() -> &'static str {
    static NAME: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    NAME.get_or_init(|| std::env::args().nth(1).unwrap_or_else(|| "osa".into()))
}

/// Where a workbook's figures come from: the command and its inputs, osa's version, the date.
fn provenance() -> Vec<(String, String)> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let formula =
        osa_view::xlsx::formula_of(sheet_name()).map(|f| ("formula".to_string(), f.to_string()));
    let mut rows = vec![
        ("command".into(), format!("osa {}", args.join(" "))),
        ("osa version".into(), env!("CARGO_PKG_VERSION").into()),
        ("written on (UTC)".into(), osa_app::baseline::today()),
        (
            "inputs".into(),
            "the files and data named in the command; without them, osa's embedded data (the \
             Digital Power China report's cases and the curated semiconductor ecosystem)"
                .into(),
        ),
        (
            "units".into(),
            "shares are fractions of 1 shown as percentages; values as in the CSV output \
             (the same numbers, unrounded)"
                .into(),
        ),
        (
            "sources of rows".into(),
            "the `source` and formula columns of the table, where present".into(),
        ),
    ];
    rows.extend(formula);
    rows
}

/// Says on standard error what was written: `wrote out.csv (2,900 rows, 312 kB)`.
fn wrote(path: &str, what: &str, bytes: usize) {
    say(&format!("wrote {path} ({what}, {})", size(bytes)));
}

/// A size in bytes for people: `812 B`, `31.2 kB`, `4.1 MB`.
pub fn size(bytes: usize) -> String {
    let b = bytes as f64;
    if b < 1e3 {
        format!("{bytes} B")
    } else if b < 1e6 {
        format!("{:.1} kB", b / 1e3)
    } else {
        format!("{:.1} MB", b / 1e6)
    }
}

/// 1234567 -> "1,234,567".
fn thousands(n: usize) -> String {
    osa_app::screen::thousands(n as u64)
}

/// The rows of a CSV text (its lines less the header; a quoted field may hold a line break, so
/// this counts records).
fn csv_rows(text: &str) -> usize {
    csv::Reader::from_reader(text.as_bytes()).records().count()
}

/// Writes bytes to standard output, or atomically to `path`, saying what it wrote (`what`).
pub fn emit_bytes(bytes: &[u8], path: Option<&str>, what: &str) -> Result<()> {
    match path {
        Some(p) => {
            osa_io::write::write_atomic(Path::new(p), bytes)
                .with_context(|| format!("could not write {p}"))?;
            wrote(p, what, bytes.len());
            Ok(())
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)?;
            out.flush()?;
            Ok(())
        }
    }
}

/// A file of the real data directory (`../shared/data` or `$OSA_SHARED_DATA`), used when the flag
/// that names it was not given.
pub fn shared_file(rel: &str, flag: &str) -> Result<std::path::PathBuf> {
    osa_io::shared::data_dir()
        .map(|d| d.join(rel))
        .ok_or_else(|| {
            anyhow!("{flag} not given and ../shared/data (or OSA_SHARED_DATA) not found")
        })
}

/// Writes a brief (PDF or Word): to a file, or to standard output when it is not a terminal.
pub fn write_brief(
    out: &crate::flags::BriefOutput,
    format: osa_app::brief::BriefFormat,
    make: impl FnOnce(Option<&osa_app::reader::SeedText>) -> osa_app::Result<Vec<u8>>,
) -> Result<()> {
    let path = out.output.as_deref();
    if path.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return Err(anyhow!(
            "--format {} writes a binary file: give -o FILE (or pipe the output)",
            format.ext()
        ));
    }
    let seed_file = out
        .seed
        .clone()
        .or_else(|| std::env::var_os("OSA_SEED").map(std::path::PathBuf::from));
    let seed = match &seed_file {
        Some(f) => Some(osa_app::reader::SeedText::load(f)?),
        None => {
            say(
                "note: footnotes name the report's chapter and lines only; give --seed FILE (or set OSA_SEED) to quote the lines",
            );
            None
        }
    };
    let bytes = make(seed.as_ref())?;
    emit_bytes(&bytes, path, format.ext())
}
