//! The browser tests of `osa serve`: real pages in Debian's headless Chromium over WebDriver
//! (chromedriver), with axe-core accessibility checks and screenshots into
//! `ci-artifacts/pages/` (or `$OSA_ARTIFACTS`). `harness` drives the browser, `axe` checks
//! accessibility, `site` serves a second origin, `flows` walks sign-in and cross-site refusals,
//! `pages` shoots and checks every HTML page, `review` the review page of every proposal kind and
//! the account page, `uploads` sends files through the upload forms, `fcp` measures first-contentful-paint (ignored: a
//! measurement that `benches/run_pages.sh` runs).
//!
//! Run: `cargo test -p osa-server --test browser`. Without chromium, chromedriver or axe-core the
//! tests print SKIP and pass, except under CI=true where they fail.

#[path = "../common/mod.rs"]
mod common;

mod axe;
mod axe_check;
mod fcp;
mod flows;
mod harness;
mod pages;
mod review;
mod site;
mod uploads;
mod workbench;
