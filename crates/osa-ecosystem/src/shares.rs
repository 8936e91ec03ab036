//! Who supplies what share of an input (or stage) in a year, at country and firm level, and the
//! concentration measures on those shares.
//!
//! Conventions (documented in ARCHITECTURE.md, "Share arithmetic"):
//! - shares are fractions 0-1 of the world market (files hold percent);
//! - country-level shares come from the country, region and `unattributed` records of the year; when
//!   there are none, they are derived by adding up firm shares by home country (basis `from_firms`);
//! - when a year's shares sum above 1 (rounding in the source), all are scaled down to sum to 1 and
//!   the raw sum is kept in `scaled_from`;
//! - `unattributed` share counts toward no provider: HHI is then a lower bound.

use osa_model::{Checked, Place, Provider, Provision};
use std::collections::BTreeMap;

/// Which year to read shares for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum YearChoice {
    /// The latest year the input has shares for.
    #[default]
    Latest,
    /// A given year (inputs without shares that year have none).
    Exact(i32),
}

/// Where country shares come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareBasis {
    /// Country records of the source.
    Reported,
    /// Summed from firm shares by home country.
    FromFirms,
}

impl ShareBasis {
    /// Spelling in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            ShareBasis::Reported => "reported",
            ShareBasis::FromFirms => "from_firms",
        }
    }
}

/// Country-level shares of one input or stage in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct CountryShares {
    /// The year.
    pub year: i32,
    /// Attributed shares (0-1), largest first, ties by code.
    pub shares: Vec<(Place, f64)>,
    /// Share the source leaves unattributed (0-1).
    pub unattributed: f64,
    /// Where the shares come from.
    pub basis: ShareBasis,
    /// The raw sum (0-1 scale) when it exceeded 1 and shares were scaled down.
    pub scaled_from: Option<f64>,
    /// Indexes of the provision records used (provenance).
    pub rows: Vec<usize>,
}

impl CountryShares {
    /// Herfindahl-Hirschman index, 0-1: sum of squared attributed shares.
    pub fn hhi(&self) -> f64 {
        hhi(self.shares.iter().map(|s| s.1))
    }
    /// The largest supplier.
    pub fn top(&self) -> Option<(Place, f64)> {
        self.shares.first().copied()
    }
    /// Sum of the `k` largest shares.
    pub fn top_k(&self, k: usize) -> f64 {
        self.shares.iter().take(k).map(|s| s.1).sum()
    }
    /// Number of attributed suppliers with a positive share.
    pub fn n_suppliers(&self) -> usize {
        self.shares.iter().filter(|s| s.1 > 0.0).count()
    }
    /// Share of one place.
    pub fn share_of(&self, place: &Place) -> f64 {
        self.shares
            .iter()
            .find(|s| &s.0 == place)
            .map_or(0.0, |s| s.1)
    }
}

/// Firm-level shares of one input or stage in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct FirmShares {
    /// The year.
    pub year: i32,
    /// Firm index and share (0-1), largest first.
    pub shares: Vec<(usize, f64)>,
    /// Firm-level share the source leaves unattributed.
    pub unattributed: f64,
    /// Firms named for the year, with or without a share.
    pub n_named: usize,
    /// Indexes of the provision records used.
    pub rows: Vec<usize>,
}

impl FirmShares {
    /// HHI over firms, 0-1; `None` when no firm has a share.
    pub fn hhi(&self) -> Option<f64> {
        (!self.shares.is_empty()).then(|| hhi(self.shares.iter().map(|s| s.1)))
    }
}

/// HHI of fractions (0-1 each).
pub fn hhi(shares: impl IntoIterator<Item = f64>) -> f64 {
    shares.into_iter().map(|s| s * s).sum()
}

/// Years that have at least one share, ascending.
pub fn years_with_shares(rows: &[Provision]) -> Vec<i32> {
    let mut years: Vec<i32> = rows
        .iter()
        .filter(|p| p.share.is_some())
        .filter_map(|p| p.year)
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// Picks the year to analyse.
pub fn pick_year(rows: &[Provision], choice: YearChoice) -> Option<i32> {
    let years = years_with_shares(rows);
    match choice {
        YearChoice::Latest => years.last().copied(),
        YearChoice::Exact(y) => years.contains(&y).then_some(y),
    }
}

/// Country-level shares for a year from provision records and their resolved providers.
pub fn country_shares(
    checked: &Checked,
    rows: &[Provision],
    providers: &[Provider],
    year: i32,
) -> Option<CountryShares> {
    let in_year = |j: &usize| rows[*j].year == Some(year) && rows[*j].share.is_some();
    let reported: Vec<usize> = (0..rows.len())
        .filter(in_year)
        .filter(|&j| providers[j].is_country_level())
        .collect();
    let (basis, used) = if !reported.is_empty() {
        (ShareBasis::Reported, reported)
    } else {
        let firm_rows: Vec<usize> = (0..rows.len())
            .filter(in_year)
            .filter(|&j| !providers[j].is_country_level())
            .collect();
        if firm_rows.is_empty() {
            return None;
        }
        (ShareBasis::FromFirms, firm_rows)
    };
    let mut by_place: BTreeMap<Place, f64> = BTreeMap::new();
    let mut unattributed = 0.0;
    for &j in &used {
        let s = rows[j].share.unwrap_or(0.0) / 100.0;
        let place = match providers[j] {
            Provider::Country(c) => Some(Place::Country(c)),
            Provider::Region(r) => Some(Place::Region(r)),
            Provider::Firm(f) => checked.firm_place(f),
            Provider::Unattributed | Provider::UnattributedFirms => None,
        };
        match place {
            Some(p) => *by_place.entry(p).or_insert(0.0) += s,
            None => unattributed += s,
        }
    }
    let total: f64 = by_place.values().sum::<f64>() + unattributed;
    let scaled_from = (total > 1.0 + 1e-9).then_some(total);
    let scale = scaled_from.map_or(1.0, |t| 1.0 / t);
    let mut shares: Vec<(Place, f64)> = by_place.into_iter().map(|(p, s)| (p, s * scale)).collect();
    shares.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.code().cmp(b.0.code())));
    Some(CountryShares {
        year,
        shares,
        unattributed: unattributed * scale,
        basis,
        scaled_from,
        rows: used,
    })
}

/// Firm-level shares for a year; `None` when no firm is named that year.
pub fn firm_shares(rows: &[Provision], providers: &[Provider], year: i32) -> Option<FirmShares> {
    let in_year: Vec<usize> = (0..rows.len())
        .filter(|&j| rows[j].year == Some(year) && !providers[j].is_country_level())
        .collect();
    if in_year.is_empty() {
        return None;
    }
    let mut by_firm: BTreeMap<usize, f64> = BTreeMap::new();
    let mut unattributed = 0.0;
    let mut n_named = 0;
    for &j in &in_year {
        match providers[j] {
            Provider::Firm(f) => {
                n_named += 1;
                if let Some(s) = rows[j].share {
                    *by_firm.entry(f).or_insert(0.0) += s / 100.0;
                }
            }
            _ => unattributed += rows[j].share.unwrap_or(0.0) / 100.0,
        }
    }
    let total: f64 = by_firm.values().sum::<f64>() + unattributed;
    let scale = if total > 1.0 + 1e-9 { 1.0 / total } else { 1.0 };
    let mut shares: Vec<(usize, f64)> = by_firm.into_iter().map(|(f, s)| (f, s * scale)).collect();
    shares.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    Some(FirmShares {
        year,
        shares,
        unattributed: unattributed * scale,
        n_named,
        rows: in_year,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// HHI of shares summing to at most 1 lies in [max², max] and within [0, 1].
        #[test]
        fn hhi_bounds(raw in proptest::collection::vec(0.0f64..1.0, 1..20)) {
            let total: f64 = raw.iter().sum();
            let shares: Vec<f64> = if total > 1.0 { raw.iter().map(|s| s / total).collect() } else { raw };
            let h = hhi(shares.iter().copied());
            let max = shares.iter().copied().fold(0.0, f64::max);
            prop_assert!((0.0..=1.0 + 1e-12).contains(&h));
            prop_assert!(h + 1e-12 >= max * max);
            prop_assert!(h <= max + 1e-12);
        }

        /// For shares summing to exactly 1 over n suppliers, HHI is at least 1/n.
        #[test]
        fn hhi_at_least_one_over_n(raw in proptest::collection::vec(0.01f64..1.0, 1..20)) {
            let total: f64 = raw.iter().sum();
            let n = raw.len() as f64;
            let h = hhi(raw.iter().map(|s| s / total));
            prop_assert!(h + 1e-12 >= 1.0 / n);
        }
    }

    #[test]
    fn hhi_of_a_monopoly_and_a_duopoly() {
        assert_eq!(hhi([1.0]), 1.0);
        assert!((hhi([0.5, 0.5]) - 0.5).abs() < 1e-12);
        assert!((hhi([0.91, 0.09]) - 0.8362).abs() < 1e-12);
    }
}
