//! Checking the provision records of one input or stage: each provider resolves, no provider has
//! two records for a year, years are plausible, shares lie in 0-100, and the shares of a year
//! (country level and firm level apart) sum to at most 100% plus the rounding tolerance.

use super::checked::{Provider, resolve_provider};
use super::problem::{Collector, Record};
use super::{SHARE_SUM_TOLERANCE, SMALL_SHARE_SLACK};
use crate::ecosystem::Provision;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;

pub(super) fn check_provision(
    c: &mut Collector,
    rows: &[Provision],
    firm_by_id: &HashMap<String, usize>,
    rec: impl Fn(usize) -> Record,
) -> Vec<Provider> {
    let mut out = Vec::with_capacity(rows.len());
    // (year, level) -> (sum, last row, tolerance)
    let mut sums: BTreeMap<(Option<i32>, bool), (f64, usize, f64)> = BTreeMap::new();
    let mut seen: HashSet<(&str, Option<i32>)> = HashSet::default();
    for (j, p) in rows.iter().enumerate() {
        let provider = match resolve_provider(&p.provider, firm_by_id) {
            Ok(pr) => pr,
            Err(m) => {
                c.push(rec(j), "provider", None, m);
                Provider::Unattributed
            }
        };
        out.push(provider);
        if !seen.insert((p.provider.as_str(), p.year)) {
            c.push(
                rec(j),
                "provider",
                None,
                format!(
                    "duplicate provision: provider `{}` already has a record for year {}",
                    p.provider,
                    p.year.map_or("(none)".to_string(), |y| y.to_string())
                ),
            );
        }
        if let Some(y) = p.year
            && !(1900..=2100).contains(&y)
        {
            c.push(rec(j), "year", None, format!("{y} is not a plausible year"));
        }
        if let Some(s) = p.share {
            if !(s.is_finite() && (0.0..=100.0).contains(&s)) {
                c.push(
                    rec(j),
                    "share",
                    None,
                    format!("{s} is outside 0-100 (shares are percent of the world market)"),
                );
            } else {
                let e = sums
                    .entry((p.year, provider.is_country_level()))
                    .or_insert((0.0, j, SHARE_SUM_TOLERANCE));
                e.0 += s;
                e.1 = j;
                if s > 0.0 && s <= 1.0 {
                    e.2 += SMALL_SHARE_SLACK;
                }
            }
        }
    }
    for ((year, country_level), (sum, last, tolerance)) in sums {
        if sum > 100.0 + tolerance {
            let level = if country_level { "country" } else { "firm" };
            let year = year.map_or("(no year)".to_string(), |y| y.to_string());
            c.push(
                rec(last),
                "share",
                None,
                format!(
                    "{level} shares for year {year} sum to {sum:.1}%, above 100% plus the {tolerance} point rounding tolerance"
                ),
            );
        }
    }
    out
}
