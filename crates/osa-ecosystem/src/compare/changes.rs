//! The changes between two standings of one input: coverage, top holder, watched holders'
//! shares, HHI and chokepoints, each against its threshold.

use super::diff::{ChangeKind, InputChange, Reading, Standing};
use super::options::{EPS, Thresholds};
use crate::chokepoints::holds;
use crate::shares::CountryShares;
use osa_model::Place;

/// The places tied for the largest positive share.
fn leaders(shares: &CountryShares) -> Vec<Place> {
    let max = shares.top().map_or(0.0, |t| t.1);
    shares
        .shares
        .iter()
        .filter(|(_, s)| *s > 0.0 && *s + EPS >= max)
        .map(|(p, _)| *p)
        .collect()
}

/// Whether the top holder changed: no place leads (alone or tied) in both snapshots. A tie that
/// keeps the old leader among the leaders is no change.
fn top_changed(before: &CountryShares, after: &CountryShares) -> bool {
    let (b, a) = (leaders(before), leaders(after));
    if b.is_empty() && a.is_empty() {
        return false;
    }
    !b.iter().any(|p| a.contains(p))
}

/// The changes between two standings of one input.
pub(super) fn changes(
    id: &str,
    before: &Standing,
    after: &Standing,
    t: &Thresholds,
) -> Vec<InputChange> {
    let change = |kind: ChangeKind, before: Reading, after: Reading| InputChange {
        input: id.to_string(),
        kind,
        before,
        after,
    };
    let (b, a) = match (&before.shares, &after.shares) {
        (None, None) => return Vec::new(),
        (Some(b), None) => {
            return vec![change(
                ChangeKind::Coverage,
                Reading::top(b),
                Reading::none(),
            )];
        }
        (None, Some(a)) => {
            return vec![change(
                ChangeKind::Coverage,
                Reading::none(),
                Reading::top(a),
            )];
        }
        (Some(b), Some(a)) => (b, a),
    };
    let mut out = Vec::new();
    if top_changed(b, a) {
        out.push(change(
            ChangeKind::TopHolder,
            Reading::top(b),
            Reading::top(a),
        ));
    }
    let pairs = before.holder_shares.iter().zip(&after.holder_shares);
    for ((holder, sb), (_, sa)) in pairs.clone() {
        if t.share_moved(*sb, *sa) {
            let kind = ChangeKind::Share {
                holder: holder.clone(),
            };
            out.push(change(
                kind,
                Reading::of(b, None, *sb),
                Reading::of(a, None, *sa),
            ));
        }
    }
    let (hb, ha) = (b.hhi(), a.hhi());
    if t.hhi_moved(hb, ha) {
        out.push(change(
            ChangeKind::Hhi,
            Reading::of(b, None, hb),
            Reading::of(a, None, ha),
        ));
    }
    for ((holder, sb), (_, sa)) in pairs {
        let holder = holder.clone();
        let kind = match (holds(*sb, t.min_share), holds(*sa, t.min_share)) {
            (false, true) => ChangeKind::NewChokepoint { holder },
            (true, false) => ChangeKind::LostChokepoint { holder },
            _ => continue,
        };
        out.push(change(
            kind,
            Reading::of(b, None, *sb),
            Reading::of(a, None, *sa),
        ));
    }
    out
}
