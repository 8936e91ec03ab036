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

use crate::chokepoints::holds;
use crate::holder::Holder;
use crate::shares::{self, CountryShares, YearChoice};
use osa_model::{Checked, Place};

/// Default chokepoint threshold: a holder with at least half an input's world market.
pub const DEFAULT_MIN_SHARE: f64 = 0.5;
/// Default threshold of a share move, in percentage points.
pub const DEFAULT_MIN_SHARE_POINTS: f64 = 10.0;
/// Default threshold of an HHI move (HHI on the 0-1 scale).
pub const DEFAULT_MIN_HHI: f64 = 0.1;

/// Float noise below which two readings count as equal.
const EPS: f64 = 1e-9;

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
    fn none() -> Reading {
        Reading {
            year: None,
            place: None,
            value: None,
            rows: Vec::new(),
        }
    }

    fn of(shares: &CountryShares, place: Option<Place>, value: f64) -> Reading {
        Reading {
            year: Some(shares.year),
            place,
            value: Some(value),
            rows: shares.rows.clone(),
        }
    }

    fn top(shares: &CountryShares) -> Reading {
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
fn changes(id: &str, before: &Standing, after: &Standing, t: &Thresholds) -> Vec<InputChange> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use osa_model::{Bloc, CountryCode, Ecosystem, Input, Provision, validate};
    use proptest::prelude::*;

    fn prov(provider: &str, share: f64, year: i32) -> Provision {
        Provision {
            provider: provider.into(),
            share: Some(share),
            year: Some(year),
            source: "test".into(),
            negligible: false,
        }
    }

    fn input(id: &str, provision: Vec<Provision>) -> Input {
        Input {
            id: id.into(),
            name: id.into(),
            provision,
            ..Input::default()
        }
    }

    fn checked(inputs: Vec<Input>) -> Checked {
        validate(Ecosystem {
            id: "t".into(),
            inputs,
            ..Ecosystem::default()
        })
        .expect("valid")
    }

    fn country(code: &str) -> Holder {
        Holder::Place(Place::Country(CountryCode::parse(code).expect("ISO3")))
    }

    fn watching(holders: &[&str]) -> CompareOptions {
        CompareOptions {
            holders: holders.iter().map(|h| country(h)).collect(),
            ..CompareOptions::default()
        }
    }

    /// (kind, holder, before value, after value) of a change.
    type Summary = (&'static str, Option<String>, Option<f64>, Option<f64>);

    /// The summary of each change of input `id`, values rounded to 6 decimals.
    fn summary(diff: &EcosystemDiff, id: &str) -> Vec<Summary> {
        let round = |v: Option<f64>| v.map(|v| (v * 1e6).round() / 1e6);
        diff.changes()
            .filter(|c| c.input == id)
            .map(|c| {
                let holder = c.kind.holder().map(str::to_string);
                (
                    c.kind.as_str(),
                    holder,
                    round(c.before.value),
                    round(c.after.value),
                )
            })
            .collect()
    }

    /// ETO's integrated assembly tools in small: China 98% (2019) -> Singapore 100% (2025).
    fn assembly_tools() -> (Checked, Checked) {
        let old = checked(vec![
            input("iat", vec![prov("CHN", 98.0, 2019), prov("DEU", 2.0, 2019)]),
            input("euv", vec![prov("NLD", 100.0, 2019)]),
            input("gone", vec![prov("USA", 100.0, 2019)]),
        ]);
        let new = checked(vec![
            input("euv", vec![prov("NLD", 100.0, 2025)]),
            input("iat", vec![prov("SGP", 100.0, 2025)]),
            input("fresh", vec![prov("JPN", 100.0, 2025)]),
        ]);
        (old, new)
    }

    #[test]
    fn china_loses_integrated_assembly_tools_and_euv_is_unchanged() {
        let (old, new) = assembly_tools();
        let diff = compare(&old, &new, &watching(&["CHN"]));
        let s = |v: &str| Some(v.to_string());
        // HHI 0.98^2 + 0.02^2 = 0.9608 -> 1.0 moves 0.0392 < 0.1: no HHI change.
        assert_eq!(
            summary(&diff, "iat"),
            [
                ("top_holder", None, Some(0.98), Some(1.0)),
                ("share", s("CHN"), Some(0.98), Some(0.0)),
                ("share", s("SGP"), Some(0.0), Some(1.0)),
                ("lost_chokepoint", s("CHN"), Some(0.98), Some(0.0)),
                ("new_chokepoint", s("SGP"), Some(0.0), Some(1.0)),
            ]
        );
        let top = diff.changes().next().expect("a change");
        assert_eq!(top.before.place.map(|p| p.code().to_string()), s("CHN"));
        assert_eq!(top.after.place.map(|p| p.code().to_string()), s("SGP"));
        assert_eq!((top.before.year, top.after.year), (Some(2019), Some(2025)));
        // Provenance: both CHN and DEU rows of the old snapshot, the SGP row of the new one.
        assert_eq!(
            (top.before.rows.clone(), top.after.rows.clone()),
            (vec![0, 1], vec![0])
        );
        let euv = diff.inputs.iter().find(|c| c.id == "euv").expect("euv");
        assert!(euv.is_unchanged());
        assert_eq!(euv.before.top().map(|t| t.1), Some(1.0));
        assert_eq!(euv.after.chokepoints, ["NLD"]);
        assert_eq!((euv.before.input, euv.after.input), (1, 0));
        // Matched inputs in the new snapshot's order; added and removed by index.
        let ids: Vec<&str> = diff.inputs.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["euv", "iat"]);
        assert_eq!(
            (diff.added.clone(), diff.removed.clone()),
            (vec![2], vec![2])
        );
        assert_eq!(diff.n_changed(), 1);
        assert!(!diff.is_empty());
    }

    #[test]
    fn thresholds_are_inclusive_and_stated() {
        // a: 40 -> 50 points (exactly 10: a change); b: 40 -> 49.9 (not one).
        let old = checked(vec![
            input("a", vec![prov("CHN", 40.0, 2020), prov("USA", 60.0, 2020)]),
            input("b", vec![prov("CHN", 40.0, 2020), prov("USA", 60.0, 2020)]),
        ]);
        let new = checked(vec![
            input("a", vec![prov("CHN", 50.0, 2021), prov("USA", 50.0, 2021)]),
            input("b", vec![prov("CHN", 49.9, 2021), prov("USA", 50.1, 2021)]),
        ]);
        let opts = CompareOptions {
            top_holders: false,
            ..watching(&["CHN"])
        };
        let diff = compare(&old, &new, &opts);
        // a: CHN 0.4 -> 0.5 also makes it a CHN chokepoint at 0.5; HHI 0.52 -> 0.5 is no change;
        // USA ties with CHN at 50% and so stays a top holder: no top-holder change.
        assert_eq!(
            summary(&diff, "a"),
            [
                ("share", Some("CHN".into()), Some(0.4), Some(0.5)),
                ("new_chokepoint", Some("CHN".into()), Some(0.4), Some(0.5)),
            ]
        );
        assert!(summary(&diff, "b").is_empty());
        assert_eq!(diff.thresholds, Thresholds::default());
        assert_eq!(diff.holders, ["CHN"]);
        // A looser HHI threshold catches a's 0.02 move.
        let loose = CompareOptions {
            thresholds: Thresholds {
                min_hhi: 0.02,
                ..Thresholds::default()
            },
            ..opts
        };
        let hhi = compare(&old, &new, &loose);
        assert_eq!(summary(&hhi, "a")[1], ("hhi", None, Some(0.52), Some(0.5)));
    }

    #[test]
    fn bloc_share_and_coverage() {
        // EU (NLD + DEU) 30% -> 70%; USA's top place gives way to NLD. c loses its shares.
        let old = checked(vec![
            input(
                "a",
                vec![
                    prov("NLD", 20.0, 2020),
                    prov("DEU", 10.0, 2020),
                    prov("USA", 70.0, 2020),
                ],
            ),
            input("c", vec![prov("KOR", 100.0, 2020)]),
        ]);
        let new = checked(vec![
            input(
                "a",
                vec![
                    prov("NLD", 40.0, 2021),
                    prov("DEU", 30.0, 2021),
                    prov("USA", 30.0, 2021),
                ],
            ),
            input("c", vec![]),
        ]);
        let members = ["NLD", "DEU"].map(|c| CountryCode::parse(c).expect("ISO3"));
        let opts = CompareOptions {
            holders: vec![Holder::Bloc(Bloc::undated("EU27", "EU", &members, "test"))],
            ..CompareOptions::default()
        };
        let diff = compare(&old, &new, &opts);
        let s = |v: &str| Some(v.to_string());
        // HHI 0.04 + 0.01 + 0.49 = 0.54 -> 0.16 + 0.09 + 0.09 = 0.34.
        assert_eq!(
            summary(&diff, "a"),
            [
                ("top_holder", None, Some(0.7), Some(0.4)),
                ("share", s("EU27"), Some(0.3), Some(0.7)),
                ("share", s("NLD"), Some(0.2), Some(0.4)),
                ("share", s("USA"), Some(0.7), Some(0.3)),
                ("hhi", None, Some(0.54), Some(0.34)),
                ("new_chokepoint", s("EU27"), Some(0.3), Some(0.7)),
                ("lost_chokepoint", s("USA"), Some(0.7), Some(0.3)),
            ]
        );
        assert_eq!(summary(&diff, "c"), [("coverage", None, Some(1.0), None)]);
    }

    #[test]
    fn chosen_years_are_read() {
        let both = vec![prov("CHN", 90.0, 2019), prov("SGP", 100.0, 2025)];
        let old = checked(vec![input("iat", both.clone())]);
        let new = checked(vec![input("iat", both)]);
        assert!(compare(&old, &new, &CompareOptions::default()).is_empty());
        let opts = CompareOptions {
            old_year: YearChoice::Exact(2019),
            ..CompareOptions::default()
        };
        let diff = compare(&old, &new, &opts);
        assert_eq!(
            diff.changes().next().map(|c| c.kind.clone()),
            Some(ChangeKind::TopHolder)
        );
        assert_eq!(diff.inputs[0].before.year(), Some(2019));
        assert_eq!(diff.inputs[0].after.year(), Some(2025));
    }

    #[test]
    fn thresholds_outside_their_range_are_refused() {
        assert_eq!(Thresholds::default().check(), Ok(()));
        let bad = Thresholds {
            min_share_points: 150.0,
            ..Thresholds::default()
        };
        assert_eq!(bad.check(), Err(ThresholdError::MinSharePoints(150.0)));
        let nan = Thresholds {
            min_hhi: f64::NAN,
            ..Thresholds::default()
        };
        assert!(nan.check().is_err());
    }

    const POOL: [&str; 4] = ["CHN", "NLD", "USA", "SGP"];

    /// A random snapshot: inputs a..e, each present or not, with whole-percent country shares
    /// (scaled down to sum at most 100) in 2019 or 2025.
    fn snapshot() -> impl Strategy<Value = Checked> {
        let one = (
            any::<bool>(),
            prop::collection::vec(0u32..=100, 4),
            any::<bool>(),
        );
        prop::collection::vec(one, 5).prop_map(|spec| {
            let inputs = spec
                .into_iter()
                .enumerate()
                .filter(|(_, (present, _, _))| *present)
                .map(|(k, (_, shares, late))| {
                    let year = if late { 2025 } else { 2019 };
                    let total: u32 = shares.iter().sum();
                    let shares = shares
                        .iter()
                        .map(|&s| if total > 100 { s * 100 / total } else { s });
                    let rows = POOL
                        .iter()
                        .zip(shares)
                        .filter(|(_, s)| *s > 0)
                        .map(|(c, s)| prov(c, f64::from(s), year))
                        .collect();
                    input(&((b'a' + k as u8) as char).to_string(), rows)
                })
                .collect();
            checked(inputs)
        })
    }

    fn ids(checked: &Checked, idx: &[usize]) -> Vec<String> {
        idx.iter()
            .map(|&i| checked.ecosystem().inputs[i].id.clone())
            .collect()
    }

    proptest! {
        #[test]
        fn a_snapshot_compared_with_itself_has_no_change(
            s in snapshot(),
            points in prop_oneof![Just(0.0), 0.0f64..50.0],
            min_hhi in prop_oneof![Just(0.0), 0.0f64..0.5],
        ) {
            let opts = CompareOptions {
                thresholds: Thresholds { min_share_points: points, min_hhi, ..Thresholds::default() },
                ..watching(&["CHN"])
            };
            let diff = compare(&s, &s, &opts);
            prop_assert!(diff.is_empty());
            prop_assert_eq!(diff.inputs.len(), s.n_inputs());
        }

        #[test]
        fn swapping_old_and_new_reverses_the_diff(old in snapshot(), new in snapshot()) {
            let opts = watching(&["CHN", "USA"]);
            let forward = compare(&old, &new, &opts);
            let backward = compare(&new, &old, &opts);
            prop_assert_eq!(ids(&new, &forward.added), ids(&new, &backward.removed));
            prop_assert_eq!(ids(&old, &forward.removed), ids(&old, &backward.added));
            prop_assert_eq!(forward.inputs.len(), backward.inputs.len());
            for f in &forward.inputs {
                let b = backward.inputs.iter().find(|b| b.id == f.id);
                prop_assert!(b.is_some());
                // The same changes in the same order (watch order does not depend on the side).
                let expect: Vec<InputChange> = f.changes.iter().map(InputChange::reversed).collect();
                prop_assert_eq!(b.map(|b| b.changes.clone()).unwrap_or_default(), expect);
            }
        }
    }
}
