//! Step 1 of the report's method (seed L960-1007): ecosystem analysis.
//!
//! Given a [`osa_model::Checked`] ecosystem, this crate says who supplies each input and how
//! concentrated that supply is ([`metrics`]), where one holder controls an input and how much of the
//! value chain depends on it ([`chokepoints`]), and whether two sides' dependencies on each other
//! balance ([`leverage`]); [`compare`] says what changed between two snapshots of an ecosystem.
//! [`graph`] holds the value-chain graph algorithms they share.
//!
//! **Architecture invariant:** pure functions over the model; no I/O, no formatting. Outputs carry
//! the provision row indexes they were computed from, so interfaces can show provenance.

pub mod chokepoints;
pub mod compare;
pub mod graph;
pub mod holder;
pub mod leverage;
pub mod metrics;
pub mod shares;

pub use chokepoints::{Chokepoint, chokepoints};
pub use compare::{
    ChangeKind, CompareOptions, EcosystemDiff, InputChange, InputComparison, Reading, Standing,
    ThresholdError, Thresholds, compare,
};
pub use graph::{Reach, reach};
pub use holder::Holder;
pub use leverage::{Dependency, Leverage, leverage};
pub use metrics::{InputMetrics, Metrics, MetricsOptions, StageMetrics, metrics};
pub use shares::{CountryShares, FirmShares, ShareBasis, YearChoice};
