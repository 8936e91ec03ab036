//! The outputs of osa: serializable views of analysis results and their printers.
//!
//! Core crates return plain Rust values; this crate turns them into the views that CLI, reports and
//! the API show, and prints each view as a table, JSON, CSV, Markdown, HTML or an Excel workbook. JSON field names are a
//! contract (see docs/json.md): change them only with the docs and tests.
//!
//! **Architecture invariant:** views and printers only; no analysis and no I/O here.

pub mod assess;
pub mod bibliography;
pub mod chart;
pub mod diff;
pub mod disrupt;
pub mod ecosystem;
pub mod format;
pub mod html;
pub mod parquet;
pub mod sheets;
pub mod trade;
pub mod xlsx;

pub use format::{Format, RenderError};
