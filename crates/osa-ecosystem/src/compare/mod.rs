//! Comparing two snapshots of one ecosystem (two releases of a dataset, two edits of a file): the
//! building block of continual monitoring.
//!
//! Inputs are matched by id; inputs in one snapshot only are listed as added or removed. For each
//! input present in both, each snapshot is read at its own year (the latest it has by default, or a
//! chosen one), and a change is reported when
//! - the top holder (largest supplier country or region) changes: no place leads, alone or tied, in
//!   both snapshots;
//! - a watched holder's share moves by at least `min_share_points` percentage points;
//! - the country HHI moves by at least `min_hhi`;
//! - the input becomes, or stops being, a chokepoint of a watched holder (share >= `min_share`);
//! - the input has country shares in one snapshot only (coverage).
//!
//! Watched holders are the configured ones (e.g. EU27, CHN) plus, by default, each input's top holder
//! in either snapshot. Shares, HHI and chokepoints are compared only where both snapshots have shares:
//! "no data" is never read as a zero share. Every change carries the readings before and after and
//! the provision rows they rest on (indexes into the input's provision in that snapshot).
//!
//! Properties (tested): comparing a snapshot with itself yields no change; swapping old and new swaps
//! added and removed inputs, the readings of every change, and new with lost chokepoints.

mod changes;
mod diff;
mod options;
#[cfg(test)]
mod tests;

pub use diff::{ChangeKind, EcosystemDiff, InputChange, InputComparison, Reading, Standing};
pub use options::{
    CompareOptions, DEFAULT_MIN_HHI, DEFAULT_MIN_SHARE, DEFAULT_MIN_SHARE_POINTS, ThresholdError,
    Thresholds,
};

use crate::chokepoints::holds;
use crate::holder::Holder;
use crate::shares::{self, CountryShares, YearChoice};
use changes::changes;
use osa_model::{Checked, Place};

/// Compares two snapshots of an ecosystem. Pure: no I/O.
pub fn compare(old: &Checked, new: &Checked, opts: &CompareOptions) -> EcosystemDiff {
    let old_inputs = &old.ecosystem().inputs;
    let new_inputs = &new.ecosystem().inputs;
    let added = (0..new_inputs.len())
        .filter(|&j| old.input_index(&new_inputs[j].id).is_none())
        .collect();
    let removed = (0..old_inputs.len())
        .filter(|&i| new.input_index(&old_inputs[i].id).is_none())
        .collect();
    let inputs = (0..new_inputs.len())
        .filter_map(|j| {
            let i = old.input_index(&new_inputs[j].id)?;
            Some(compare_input(old, i, new, j, opts))
        })
        .collect();
    EcosystemDiff {
        thresholds: opts.thresholds,
        holders: opts.holders.iter().map(|h| h.id().to_string()).collect(),
        top_holders: opts.top_holders,
        old_year: opts.old_year,
        new_year: opts.new_year,
        added,
        removed,
        inputs,
    }
}

/// Country shares of input `i` for a year choice.
fn shares_of(checked: &Checked, i: usize, year: YearChoice) -> Option<CountryShares> {
    let rows = &checked.ecosystem().inputs[i].provision;
    let y = shares::pick_year(rows, year)?;
    shares::country_shares(checked, rows, checked.input_providers(i), y)
}

/// The holders watched for one input: the configured ones, then (when asked) the top holders of
/// either snapshot by code; each id once. The order does not depend on which snapshot is old.
fn watched(
    opts: &CompareOptions,
    before: Option<&CountryShares>,
    after: Option<&CountryShares>,
) -> Vec<Holder> {
    let mut out: Vec<Holder> = Vec::new();
    let mut push = |h: Holder| {
        if !out.iter().any(|o| o.id() == h.id()) {
            out.push(h);
        }
    };
    for h in &opts.holders {
        push(h.clone());
    }
    if opts.top_holders {
        let mut tops: Vec<Place> = [before, after]
            .into_iter()
            .flatten()
            .filter_map(|s| s.top().map(|t| t.0))
            .collect();
        tops.sort_by(|a, b| a.code().cmp(b.code()));
        for p in tops {
            push(Holder::Place(p));
        }
    }
    out
}

/// What one snapshot says about an input: its shares, each watched holder's share, and the watched
/// holders that hold it as a chokepoint.
fn standing(
    input: usize,
    shares: Option<CountryShares>,
    holders: &[Holder],
    t: &Thresholds,
) -> Standing {
    let holder_shares: Vec<(String, f64)> = shares
        .as_ref()
        .map(|s| {
            holders
                .iter()
                .map(|h| (h.id().to_string(), h.share(s).0))
                .collect()
        })
        .unwrap_or_default();
    let chokepoints = holder_shares
        .iter()
        .filter(|(_, s)| holds(*s, t.min_share))
        .map(|(h, _)| h.clone())
        .collect();
    Standing {
        input,
        shares,
        holder_shares,
        chokepoints,
    }
}

/// Compares input `i` of `old` with input `j` of `new`.
fn compare_input(
    old: &Checked,
    i: usize,
    new: &Checked,
    j: usize,
    opts: &CompareOptions,
) -> InputComparison {
    let before = shares_of(old, i, opts.old_year);
    let after = shares_of(new, j, opts.new_year);
    let holders = watched(opts, before.as_ref(), after.as_ref());
    let t = &opts.thresholds;
    let before = standing(i, before, &holders, t);
    let after = standing(j, after, &holders, t);
    let id = &new.ecosystem().inputs[j].id;
    let changes = changes(id, &before, &after, t);
    InputComparison {
        id: id.clone(),
        before,
        after,
        changes,
    }
}
