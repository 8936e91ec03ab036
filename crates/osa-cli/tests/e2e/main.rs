//! End-to-end tests of the `osa` binary, built as one test binary (one link, not one per file).
//!
//! - `ecosystem`: step 1 commands on hand-checked fixtures and the real ETO data, bad input;
//! - `step1`: the built-in ecosystems of the case studies (6G, V2X, facial recognition and urban AI,
//!   blockchain), their hand-checked concentration figures and scenarios;
//! - `assess`: steps 2-4 (matrix, assess, actors, checklist, report), the JSON contracts, editing the
//!   toolkit without a rebuild;
//! - `step4`: issue 19: step 4 in two tiers (the report's recommendations quoted, then osa's
//!   inference), rules only on trade-offs and consumer-facing technologies, the basis of every
//!   matrix cell, and every recommendation tag checked against its cited lines;
//! - `diff`: comparing two snapshots of an ecosystem (fixtures and the two ETO releases);
//! - `simulate`: disruption scenarios, Monte Carlo and input-output models;
//! - `trade`: trade screening, critical raw materials and GeoPolRisk;
//! - `crash`: kill -9 during every file and folder output and during `trade ingest`, two writers;
//! - `intake`: `osa release add` and `osa trade add` from an operator's paths, `osa user link`;
//! - `hardening`: the limits and guarantees of ARCHITECTURE.md, one test per observed example;
//! - `serve`: `osa serve` as a child process: kill -9 during a burst of writes, `OSA_CRASH_ITERATIONS`
//!   times per backend (default 50), loses no acknowledged write and leaves nothing half-written;
//!   SIGTERM lets requests in flight finish;
//! - `browser`: the HTML report in headless Chromium;
//! - `formats`: xlsx and Parquet output hold what CSV holds;
//! - `own`: an analyst's own technology, and the embedded defaults exported for editing;
//! - `readable`: tables fit 100 columns; no raw ids in table, Markdown or HTML output;
//! - `readme`: every shell command of the README runs as written;
//! - `record`: issue 17: content seals and checkpoints through `osa audit verify` and `osa serve`;
//! - `width`: every README command's output fits 80 and 100 columns and cuts no word;
//! - `snapshot`: each command's table at 80 and 100 columns, as insta snapshots;
//! - `step1`: step 1 of the case studies (their ecosystems, concentration with its lines, scenarios);
//! - `tidy`: the crate graph follows ARCHITECTURE.md, and every module has a `//!` header;
//! - `tidy_code`: no function over 100 lines, no cycle among a crate's sibling modules.

mod assess;
mod brief;
mod browser;
mod crash;
mod diff;
mod ecosystem;
mod formats;
mod hardening;
mod intake;
mod own;
mod readable;
mod readme;
mod record;
mod serve;
mod simulate;
mod snapshot;
mod step1;
mod step4;
mod tidy;
mod tidy_code;
mod trade;
mod util;
mod width;
