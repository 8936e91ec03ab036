//! Reading and writing osa data.
//!
//! - [`toml_eco`]: the hand-writable `osa-ecosystem/1` TOML format (load with line numbers, save
//!   canonically);
//! - [`eto`]: the CSET ETO semiconductor supply-chain importer (2025 and 2026 layouts);
//! - [`blocs`]: blocs with dated memberships;
//! - [`builtin`]: the data compiled into the binary;
//! - [`resolve`]: what the ECOSYSTEM argument of every command means (file, ETO directory, built-in);
//! - [`template`]: the embedded defaults as editable files, and a technology case template;
//! - [`write`]: atomic writes, so that no output is ever half-written.
//!
//! **Architecture invariant:** errors are [`Error`]s whose [`Diagnostic`]s name file, line, record
//! and field; nothing here prints.

pub mod baseline;
pub mod blocs;
pub mod builtin;
mod csvtable;
pub mod error;
pub mod eto;
pub mod governance;
pub mod lines;
pub mod resolve;
pub mod scenario;
pub mod shared;
pub mod template;
pub mod text;
pub mod toml_eco;
pub mod write;

pub use error::{Diagnostic, Error, Result};
pub use resolve::{Loaded, Origin, load};
