//! The application layer: osa's use cases, called alike by the `osa` command line and by
//! `osa serve`. Each use case takes plain inputs (what the user asked for), runs the analysis
//! crates in the report's order and returns the serializable view (`osa-view`) with the warnings
//! it met. Interfaces parse, call and render; they orchestrate nothing themselves.
//!
//! - [`ecosystem`]: step 1 (load an ecosystem, blocs and holders; metrics, chokepoints, leverage);
//! - [`baseline`]: where the assessment baseline comes from (embedded, a directory, a store);
//! - [`assess`]: steps 2-4 (dossier, matrix, actors, checklist); [`brief`]: a dossier or the
//!   matrix as a PDF or Word document;
//! - [`simulate`]: disruption scenarios (second- and third-order effects);
//! - [`trade`]: critical raw materials supply risk, GeoPolRisk; [`screen`]: trade screening;
//! - [`analyses`]: the analyst's own results (JSON outputs, named scenarios) for the report.
//! - [`intake`]: data that comes in as bytes (the managed upload area, release archives);
//! - [`reader`]: the report's text, read at run time, for the passages its citations name.
//! - [`search`]: one ranked index over what the record publishes and the report's text.
//! - [`workbench`]: the same use cases over the shared record (`osa-store`), as of any revision,
//!   and every write: proposals and review, data releases and monitoring, users.

pub mod analyses;
pub mod assess;
pub mod baseline;
pub mod brief;
pub mod ecosystem;
pub mod error;
pub mod intake;
pub mod reader;
pub mod screen;
pub mod screen_panel;
pub mod search;
pub mod simulate;
pub mod spelling;
pub mod trade;
pub mod workbench;

pub use error::{AppError, Result};

/// A use case's answer with the warnings met on the way (the CLI prints them on standard error;
/// the server returns them beside the result).
#[derive(Debug)]
pub struct Answer<T> {
    /// The result.
    pub value: T,
    /// Warnings, in the order met.
    pub warnings: Vec<String>,
}

impl<T> Answer<T> {
    /// An answer without warnings.
    pub fn new(value: T) -> Self {
        Answer {
            value,
            warnings: Vec::new(),
        }
    }

    /// Maps the value, keeping the warnings.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Answer<U> {
        Answer {
            value: f(self.value),
            warnings: self.warnings,
        }
    }
}
