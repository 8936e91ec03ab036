//! What a comparison finds: the kinds of change, the readings before and after, each input's
//! standing in either snapshot, and the diff of two snapshots.

use super::options::Thresholds;
use crate::shares::{CountryShares, YearChoice};
use osa_model::Place;

/// What changed about an input.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// The input has country shares in one snapshot only.
    Coverage,
    /// The top holder (largest supplier country or region) changed.
    TopHolder,
    /// A watched holder's share moved by at least `min_share_points`.
    Share {
        /// The holder's id (`CHN`, `EU27`).
        holder: String,
    },
    /// The country HHI moved by at least `min_hhi`.
    Hhi,
    /// The input became a chokepoint of the holder (share rose to `min_share` or above).
    NewChokepoint {
        /// The holder's id.
        holder: String,
    },
    /// The input stopped being a chokepoint of the holder (share fell below `min_share`).
    LostChokepoint {
        /// The holder's id.
        holder: String,
    },
}

impl ChangeKind {
    /// Spelling in outputs.
    pub fn as_str(&self) -> &'static str {
        match self {
            ChangeKind::Coverage => "coverage",
            ChangeKind::TopHolder => "top_holder",
            ChangeKind::Share { .. } => "share",
            ChangeKind::Hhi => "hhi",
            ChangeKind::NewChokepoint { .. } => "new_chokepoint",
            ChangeKind::LostChokepoint { .. } => "lost_chokepoint",
        }
    }

    /// The holder the change is about, for share and chokepoint changes.
    pub fn holder(&self) -> Option<&str> {
        match self {
            ChangeKind::Share { holder }
            | ChangeKind::NewChokepoint { holder }
            | ChangeKind::LostChokepoint { holder } => Some(holder),
            _ => None,
        }
    }

    /// The same change seen from the other side (new and lost chokepoints swap).
    pub fn reversed(&self) -> ChangeKind {
        match self {
            ChangeKind::NewChokepoint { holder } => ChangeKind::LostChokepoint {
                holder: holder.clone(),
            },
            ChangeKind::LostChokepoint { holder } => ChangeKind::NewChokepoint {
                holder: holder.clone(),
            },
            other => other.clone(),
        }
    }
}

/// What one snapshot says about the quantity a change is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// Year of the shares read; `None` when the input has no shares (that year) in this snapshot.
    pub year: Option<i32>,
    /// For a top-holder or coverage change: the largest supplier; otherwise `None`.
    pub place: Option<Place>,
    /// The share (0-1) of the top or watched holder, or the HHI; `None` without share data.
    pub value: Option<f64>,
    /// Provision rows behind the value: indexes into the input's provision in this snapshot.
    pub rows: Vec<usize>,
}

impl Reading {
    /// A snapshot without share data for the input.
    pub(super) fn none() -> Reading {
        Reading {
            year: None,
            place: None,
            value: None,
            rows: Vec::new(),
        }
    }

    pub(super) fn of(shares: &CountryShares, place: Option<Place>, value: f64) -> Reading {
        Reading {
            year: Some(shares.year),
            place,
            value: Some(value),
            rows: shares.rows.clone(),
        }
    }

    pub(super) fn top(shares: &CountryShares) -> Reading {
        let top = shares.top();
        Reading {
            value: top.map(|t| t.1),
            ..Reading::of(shares, top.map(|t| t.0), 0.0)
        }
    }
}

/// One change of one input between the two snapshots.
#[derive(Debug, Clone, PartialEq)]
pub struct InputChange {
    /// The input's id (the same in both snapshots).
    pub input: String,
    /// What changed.
    pub kind: ChangeKind,
    /// The reading in the old snapshot.
    pub before: Reading,
    /// The reading in the new snapshot.
    pub after: Reading,
}

impl InputChange {
    /// The same change seen from the other side: readings swapped, new and lost chokepoints swapped.
    pub fn reversed(&self) -> InputChange {
        InputChange {
            input: self.input.clone(),
            kind: self.kind.reversed(),
            before: self.after.clone(),
            after: self.before.clone(),
        }
    }
}

/// What one snapshot says about an input.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    /// The input's index in this snapshot.
    pub input: usize,
    /// Country shares of the year read; `None` without share data.
    pub shares: Option<CountryShares>,
    /// Each watched holder's share (0-1), in the order watched; empty without share data.
    pub holder_shares: Vec<(String, f64)>,
    /// The watched holders that hold the input as a chokepoint (share >= `min_share`).
    pub chokepoints: Vec<String>,
}

impl Standing {
    /// Year of the shares read.
    pub fn year(&self) -> Option<i32> {
        self.shares.as_ref().map(|s| s.year)
    }
    /// The top holder and its share.
    pub fn top(&self) -> Option<(Place, f64)> {
        self.shares.as_ref().and_then(CountryShares::top)
    }
    /// Country HHI, 0-1.
    pub fn hhi(&self) -> Option<f64> {
        self.shares.as_ref().map(CountryShares::hhi)
    }
}

/// An input present in both snapshots.
#[derive(Debug, Clone, PartialEq)]
pub struct InputComparison {
    /// The input's id.
    pub id: String,
    /// What the old snapshot says.
    pub before: Standing,
    /// What the new snapshot says.
    pub after: Standing,
    /// The changes, by kind (coverage, top holder, shares, HHI, chokepoints), holders in watch order.
    pub changes: Vec<InputChange>,
}

impl InputComparison {
    /// Whether nothing changed beyond the thresholds.
    pub fn is_unchanged(&self) -> bool {
        self.changes.is_empty()
    }
}

/// The comparison of two snapshots.
#[derive(Debug, Clone, PartialEq)]
pub struct EcosystemDiff {
    /// The thresholds applied.
    pub thresholds: Thresholds,
    /// The configured holders watched (ids), in order.
    pub holders: Vec<String>,
    /// Whether each input's top holders were watched too.
    pub top_holders: bool,
    /// Year read in the old snapshot.
    pub old_year: YearChoice,
    /// Year read in the new snapshot.
    pub new_year: YearChoice,
    /// Inputs in the new snapshot only (indexes into the new snapshot, in its order).
    pub added: Vec<usize>,
    /// Inputs in the old snapshot only (indexes into the old snapshot, in its order).
    pub removed: Vec<usize>,
    /// Inputs in both, in the new snapshot's order.
    pub inputs: Vec<InputComparison>,
}

impl EcosystemDiff {
    /// Every change, input by input.
    pub fn changes(&self) -> impl Iterator<Item = &InputChange> {
        self.inputs.iter().flat_map(|c| c.changes.iter())
    }
    /// Inputs present in both snapshots with at least one change.
    pub fn n_changed(&self) -> usize {
        self.inputs.iter().filter(|c| !c.is_unchanged()).count()
    }
    /// Whether the snapshots agree: no input added or removed, and no change.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.n_changed() == 0
    }
}
