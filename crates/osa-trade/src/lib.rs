//! Trade-based dependency screening (issue 5): the quantitative backbone of step 1 for anything
//! traded.
//!
//! Pure analysis (no I/O; typed input, typed output):
//!
//! - [`rows`]: one BACI flow and the [`rows::RowSink`] trait every scan feeds;
//! - [`screen`]: the European Commission's bottom-up screening (SWD(2021) 352): per HS6 product,
//!   the HHI of extra-bloc imports, the extra-bloc share of imports and the ratio of extra-bloc
//!   imports to extra-bloc exports, with thresholds and summaries;
//! - [`end_use`]: HS6 product -> raw material / intermediate / final good, by longest-prefix rules;
//! - [`coverage`]: exporters, importers and the share of world trade a file covers;
//! - [`crm`]: EU critical raw materials supply risk (2017 method);
//! - [`geopolrisk`]: GeoPolRisk import risk, score and characterisation factor;
//! - [`method`]: screening methods as data (`swd2021`, `geodep2024`, or a user's file);
//! - [`panel`]: every importer, product and year of a panel, persistence and churn;
//! - [`synth`]: a seeded generator of synthetic BACI years for benchmarks.
//!
//! Reading data ([`ingest`]): the BACI CSV (byte-level, parallel over chunks), its country-code
//! table, the Parquet cache, the HS nomenclature, WGI, the EU CRM tables, production, parameters.
//!
//! **Architecture invariant:** the analysis modules never open a file; [`ingest`] never computes
//! an indicator. Errors name the file, the line (or row group and row) and the field.

pub mod coverage;
pub mod crm;
pub mod end_use;
pub mod error;
pub mod geopolrisk;
pub mod ingest;
pub mod method;
pub mod panel;
pub mod rows;
pub mod screen;
pub mod sections;
pub mod synth;

pub use error::{Error, Rejected, Result};
