//! End-to-end tests of the `osa` binary, built as one test binary (one link, not one per file).
//!
//! - `ecosystem`: step 1 commands on hand-checked fixtures and the real ETO data, bad input;
//! - `assess`: steps 2-4 (matrix, assess, actors, checklist, report), the JSON contracts, editing the
//!   toolkit without a rebuild;
//! - `simulate`: disruption scenarios, Monte Carlo and input-output models;
//! - `trade`: trade screening, critical raw materials and GeoPolRisk;
//! - `browser`: the HTML report in headless Chromium;
//! - `formats`: xlsx and Parquet output hold what CSV holds;
//! - `own`: an analyst's own technology, and the embedded defaults exported for editing;
//! - `readable`: tables fit 100 columns; no raw ids in table, Markdown or HTML output;
//! - `readme`: every shell command of the README runs as written;
//! - `tidy`: the crate graph follows ARCHITECTURE.md, and every module has a `//!` header.

mod assess;
mod browser;
mod ecosystem;
mod formats;
mod own;
mod readable;
mod readme;
mod simulate;
mod tidy;
mod trade;
mod util;
