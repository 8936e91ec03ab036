//! Steps 2-4 of the report's method: assess a technology on the four dimensions of Open Strategic
//! Autonomy, place its dependencies in their geopolitical context, and choose the instruments that
//! fit (seed L1008-1107).
//!
//! - [`dimension`]: the four dimensions and the 0-4 level scale;
//! - [`source`]: where every fact and judgment comes from;
//! - [`technology`]: a technology as the report assesses it (levels, evidence, tensions, actors,
//!   recommendations);
//! - [`indicators`]: levels computed from step 1 where ecosystem data exists;
//! - [`agreement`]: what a cell rests on (judged, computed, both) and how the two compare;
//! - [`geopolitics`]: country profiles, likelihood of weaponization, risk against tolerance;
//! - [`tensions`]: where dimensions pull apart;
//! - [`toolkit`]: instruments and the rules that rank them;
//! - [`priority`]: which dimension comes first in step 4 (an explicit input, a stated tie rule);
//! - [`checklist`]: the AI-application checklist;
//! - [`dossier`]: the four steps as one pipeline, yielding a [`Dossier`].
//!
//! **Architecture invariant:** pure functions over typed data; loading lives in `osa-io`, printing
//! in `osa-view`. Geopolitics never changes ecosystem data.

pub mod agreement;
pub mod checklist;
pub mod dimension;
pub mod dossier;
pub mod geopolitics;
pub mod indicators;
pub mod priority;
pub mod source;
mod spelled;
pub mod technology;
pub mod tensions;
pub mod toolkit;

pub use dimension::{Dimension, Level};
pub use dossier::{Dossier, Options, assess, assess_with};
pub use geopolitics::Geopolitics;
pub use source::Source;
pub use technology::Technology;
pub use toolkit::Toolkit;

/// Everything the embedded baseline holds: the report's technologies, the country profiles and
/// blocs, the toolkit, and the AI-application checklist.
#[derive(Debug, Clone)]
pub struct Baseline {
    /// Technologies (cases and examples), in the report's order.
    pub technologies: Vec<Technology>,
    /// Geopolitics.
    pub geopolitics: Geopolitics,
    /// The toolkit.
    pub toolkit: Toolkit,
    /// The checklist.
    pub checklist: checklist::Checklist,
}

impl Baseline {
    /// Finds a technology by id or name (case-insensitive).
    pub fn technology(&self, query: &str) -> Option<&Technology> {
        self.technologies.iter().find(|t| t.matches(query))
    }
}
