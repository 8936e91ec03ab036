//! End-to-end tests of the `osa` binary, built as one test binary (one link, not one per file).
//!
//! - `ecosystem`: step 1 commands on hand-checked fixtures and the real ETO data, bad input;
//! - `assess`: steps 2-4 (matrix, assess, actors, checklist, report), the JSON contracts, editing the
//!   toolkit without a rebuild;
//! - `simulate`: disruption scenarios, Monte Carlo and input-output models;
//! - `trade`: trade screening, critical raw materials and GeoPolRisk;
//! - `crash`: kill -9 during every file and folder output and during `trade ingest`, two writers;
//! - `browser`: the HTML report in headless Chromium;
//! - `hardening`: the limits and guarantees of ARCHITECTURE.md, one test per observed example;
//! - `tidy`: the crate graph follows ARCHITECTURE.md, and every module has a `//!` header.

mod assess;
mod browser;
mod crash;
mod ecosystem;
mod hardening;
mod simulate;
mod tidy;
mod trade;
mod util;
