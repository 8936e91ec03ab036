//! The flags several commands share (the ecosystem argument, baseline and output options, the
//! screening's common flags) and the output formats they accept.

use clap::Args;
use clap::builder::TypedValueParser;
use osa_view::Format;

/// The ecosystem argument shared by commands.
#[derive(Debug, Args)]
pub struct EcoArg {
    /// An osa TOML file, an ETO directory, or a built-in name (default: semiconductors).
    pub ecosystem: Option<String>,
}

/// Options shared by the analysis commands.
#[derive(Debug, Args)]
pub struct Common {
    /// Output format: a table for reading, json/csv for machines, md, html, or an Excel workbook
    /// (xlsx: numbers as numbers, shares as percentages, a Sources sheet).
    #[arg(long, default_value = "table", value_parser = format_parser(FORMATS))]
    pub format: Format,
    /// Write the output to a file instead of standard output.
    #[arg(short, long)]
    pub output: Option<String>,
    /// Define a bloc: NAME=ISO3,ISO3,... (repeatable), usable as a holder.
    #[arg(long = "bloc", value_name = "NAME=CODES")]
    pub blocs: Vec<String>,
}

/// Output options of commands that take no bloc definitions (assessment and CRM commands).
#[derive(Debug, Args)]
pub struct Output {
    /// Output format: a table for reading, json/csv for machines, md, html, or an Excel workbook
    /// (xlsx: numbers as numbers, shares as percentages, a Sources sheet).
    #[arg(long, default_value = "table", value_parser = format_parser(FORMATS))]
    pub format: Format,
    /// Write the output to a file instead of standard output.
    #[arg(short, long)]
    pub output: Option<String>,
}

/// The output options of `osa screen`: those of [`Common`], and Parquet for pandas and Polars.
#[derive(Debug, Args)]
pub struct ScreenCommon {
    /// Output format: a table for reading, json/csv for machines, md, html, an Excel workbook
    /// (xlsx), or a Parquet file of the rows (parquet, for pandas and Polars).
    #[arg(long, default_value = "table", value_parser = format_parser(SCREEN_FORMATS))]
    pub format: Format,
    /// Write the output to a file instead of standard output.
    #[arg(short, long)]
    pub output: Option<String>,
    /// Define a bloc: NAME=ISO3,ISO3,... (repeatable), usable as a holder.
    #[arg(long = "bloc", value_name = "NAME=CODES")]
    pub blocs: Vec<String>,
}

/// Output options of the commands that also write briefs (`osa assess`, `osa matrix`).
#[derive(Debug, Args)]
pub struct BriefOutput {
    /// Output format: a table for reading, json/csv for machines, md, html, an Excel workbook
    /// (xlsx), or a brief: pdf (typeset, fonts embedded, seed citations as footnotes) or docx
    /// (Word).
    #[arg(long, default_value = "table", value_parser = clap::builder::PossibleValuesParser::new(BRIEF_FORMATS))]
    pub format: String,
    /// Write the output to a file instead of standard output.
    #[arg(short, long)]
    pub output: Option<String>,
    /// The report's text (its .compact.txt), so a brief's footnotes quote the lines they cite
    /// (default: $OSA_SEED; without it footnotes name the chapter and lines only).
    #[arg(long, value_name = "FILE")]
    pub seed: Option<std::path::PathBuf>,
}

impl BriefOutput {
    /// The brief's format, when a brief was asked for.
    pub fn brief(&self) -> Option<osa_app::brief::BriefFormat> {
        osa_app::brief::BriefFormat::parse(&self.format)
    }

    /// The view's format (table when a brief was asked for).
    pub fn view(&self) -> Format {
        self.format.parse().unwrap_or_default()
    }
}

/// The formats of `osa assess` and `osa matrix`.
pub const BRIEF_FORMATS: &[&str] = &["table", "json", "csv", "md", "html", "xlsx", "pdf", "docx"];

/// The formats of `osa screen`.
pub const SCREEN_FORMATS: &[&str] = &["table", "json", "csv", "md", "html", "xlsx", "parquet"];

/// The formats of every table-printing command.
pub const FORMATS: &[&str] = &["table", "json", "csv", "md", "html", "xlsx"];

/// A `--format` parser that lists `values` in `--help` and in its error.
pub fn format_parser(values: &'static [&'static str]) -> impl TypedValueParser<Value = Format> {
    clap::builder::PossibleValuesParser::new(values)
        .map(|s| s.parse::<Format>().unwrap_or_default())
}
