//! What a comparison watches and when a difference counts as a change: the thresholds (with
//! their ranges) and the years and holders read.

use crate::holder::Holder;
use crate::shares::YearChoice;

/// Default chokepoint threshold: a holder with at least half an input's world market.
pub const DEFAULT_MIN_SHARE: f64 = 0.5;
/// Default threshold of a share move, in percentage points.
pub const DEFAULT_MIN_SHARE_POINTS: f64 = 10.0;
/// Default threshold of an HHI move (HHI on the 0-1 scale).
pub const DEFAULT_MIN_HHI: f64 = 0.1;

/// Float noise below which two readings count as equal.
pub(super) const EPS: f64 = 1e-9;

/// When a difference counts as a change.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// A holder with at least this share (0-1) of an input holds it as a chokepoint.
    pub min_share: f64,
    /// A holder's share moving by at least this many percentage points (0-100) is a change.
    pub min_share_points: f64,
    /// The HHI (0-1) moving by at least this much is a change.
    pub min_hhi: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            min_share: DEFAULT_MIN_SHARE,
            min_share_points: DEFAULT_MIN_SHARE_POINTS,
            min_hhi: DEFAULT_MIN_HHI,
        }
    }
}

/// A threshold outside its range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ThresholdError {
    /// `min_share` is not a share.
    #[error("min-share {0} is outside 0-1 (a share of the world market, e.g. 0.5)")]
    MinShare(f64),
    /// `min_share_points` is not a number of percentage points.
    #[error("min-share-points {0} is outside 0-100 (percentage points, e.g. 10)")]
    MinSharePoints(f64),
    /// `min_hhi` is not on the HHI's scale.
    #[error("min-hhi {0} is outside 0-1 (the HHI runs from 0 to 1, e.g. 0.1)")]
    MinHhi(f64),
}

impl Thresholds {
    /// Checks that every threshold lies within its range.
    pub fn check(&self) -> Result<(), ThresholdError> {
        let within = |v: f64, max: f64| v.is_finite() && (0.0..=max).contains(&v);
        if !within(self.min_share, 1.0) {
            return Err(ThresholdError::MinShare(self.min_share));
        }
        if !within(self.min_share_points, 100.0) {
            return Err(ThresholdError::MinSharePoints(self.min_share_points));
        }
        if !within(self.min_hhi, 1.0) {
            return Err(ThresholdError::MinHhi(self.min_hhi));
        }
        Ok(())
    }

    /// Whether a share moving from `before` to `after` (0-1 each) is a change.
    pub fn share_moved(&self, before: f64, after: f64) -> bool {
        moved(before, after, self.min_share_points / 100.0)
    }

    /// Whether an HHI moving from `before` to `after` is a change.
    pub fn hhi_moved(&self, before: f64, after: f64) -> bool {
        moved(before, after, self.min_hhi)
    }
}

/// A real move (beyond float noise) of at least `threshold`.
fn moved(before: f64, after: f64, threshold: f64) -> bool {
    let d = (after - before).abs();
    d > EPS && d + EPS >= threshold
}

/// What to compare.
#[derive(Debug, Clone)]
pub struct CompareOptions {
    /// Year read in the old snapshot.
    pub old_year: YearChoice,
    /// Year read in the new snapshot.
    pub new_year: YearChoice,
    /// Holders watched for every input (e.g. EU27 and CHN), in this order.
    pub holders: Vec<Holder>,
    /// Also watch each input's top holder in either snapshot.
    pub top_holders: bool,
    /// When a difference counts as a change.
    pub thresholds: Thresholds,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            old_year: YearChoice::Latest,
            new_year: YearChoice::Latest,
            holders: Vec::new(),
            top_holders: true,
            thresholds: Thresholds::default(),
        }
    }
}
