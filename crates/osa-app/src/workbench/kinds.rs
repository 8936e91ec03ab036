//! The kinds of the stored runs and trade datasets, and the number in a run's key (`owner/NNNN`):
//! shared by the modules that keep runs (`analysis`, `trade`) and the one that reads them by number
//! (`runs`), so that neither needs the other.

/// A run of a scenario (JSON), keyed `scenario/NNNN`.
pub const SCENARIO_RUN: &str = "scenario-run";

/// Document kinds of trade.
pub mod trade {
    /// A registered trade dataset (JSON metadata).
    pub const DATASET: &str = "trade-dataset";
    /// A screening run (JSON), keyed `dataset/NNNN`.
    pub const SCREENING: &str = "screening-run";
    /// A panel screening of the record's datasets (JSON), keyed `panel/NNNN`.
    pub const PANEL: &str = "panel-run";
}

/// The number in a run's key (`owner/0003` is 3).
pub fn run_number(key: &str) -> Option<u32> {
    key.rsplit_once('/').and_then(|(_, n)| n.parse().ok())
}
