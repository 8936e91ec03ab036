//! What a panel says over time, per importer: the products entering and leaving dependency each
//! year, churn rates over 1 and 5 years (CEPII Policy Brief 2023-41's measure: the share of the
//! products dependent in year t that are not dependent in t+k), spells of dependency (how long
//! each lasted) and changes of top supplier between consecutive dependent years. All of it is
//! computed from compact [`Dep`] records (importer, year, product, top supplier) of the dependent
//! cells, so a streamed panel keeps those and not its rows.

use super::Cell;
use std::collections::{BTreeMap, BTreeSet};

/// One importer and year.
#[derive(Debug, Clone, PartialEq)]
pub struct YearChurn {
    /// Importer (label index).
    pub importer: u32,
    /// Year t.
    pub year: u16,
    /// Dependent products in t.
    pub n_dependent: usize,
    /// Dependent in t, not in t-1 (`None` when t-1 is not in the panel).
    pub entered: Option<usize>,
    /// Dependent in t-1, not in t.
    pub left: Option<usize>,
    /// Share of t's dependent products not dependent in t+1 (`None` without t+1 or without any).
    pub churn_1: Option<f64>,
    /// Share not dependent in t+5.
    pub churn_5: Option<f64>,
    /// Products dependent in t-1 and t whose top supplier changed.
    pub top_changes: Option<usize>,
}

/// A spell: consecutive years in which an importer depends on a product.
#[derive(Debug, Clone, PartialEq)]
pub struct Spell {
    /// Importer (label index).
    pub importer: u32,
    /// HS6 code.
    pub product: u32,
    /// First year.
    pub from: u16,
    /// Last year.
    pub to: u16,
    /// Whether it runs to the panel's last year (still going).
    pub open: bool,
    /// Top supplier in each year of the spell (label indices).
    pub top_suppliers: Vec<u32>,
}

impl Spell {
    /// Years it lasted.
    pub fn years(&self) -> u16 {
        self.to - self.from + 1
    }

    /// Changes of top supplier within it.
    pub fn top_changes(&self) -> usize {
        self.top_suppliers
            .windows(2)
            .filter(|w| w[0] != w[1])
            .count()
    }
}

/// A dependent cell reduced to what churn, spells and the chart need: a panel keeps these, one
/// small record per dependent importer, product and year, instead of its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dep {
    /// Importer (label index).
    pub importer: u32,
    /// Year.
    pub year: u16,
    /// HS6 code.
    pub product: u32,
    /// Top supplier (label index).
    pub top_supplier: u32,
}

impl Dep {
    /// The record of a dependent cell.
    pub fn of(c: &Cell) -> Dep {
        Dep {
            importer: c.importer,
            year: c.year,
            product: c.product,
            top_supplier: c.top_supplier,
        }
    }
}

/// The dependent cells of `cells`, as [`Dep`] records.
pub fn deps(cells: &[Cell]) -> Vec<Dep> {
    cells.iter().filter(|c| c.dependent).map(Dep::of).collect()
}

type Dependent = BTreeMap<(u32, u16), BTreeMap<u32, u32>>;

/// Dependent products with their top supplier, by importer and year.
fn dependent_sets(deps: &[Dep]) -> Dependent {
    let mut d: Dependent = BTreeMap::new();
    for c in deps {
        d.entry((c.importer, c.year))
            .or_default()
            .insert(c.product, c.top_supplier);
    }
    d
}

/// Churn per importer and year, over the panel's `years` (sorted, distinct). Every importer with
/// a cell gets a row for every year.
pub fn year_churn(cells: &[Cell], years: &[u16]) -> Vec<YearChurn> {
    let importers: BTreeSet<u32> = cells.iter().map(|c| c.importer).collect();
    year_churn_of(&deps(cells), &importers, years)
}

/// [`year_churn`] from the dependent records and the importers that have a cell.
pub fn year_churn_of(deps: &[Dep], importers: &BTreeSet<u32>, years: &[u16]) -> Vec<YearChurn> {
    let d = dependent_sets(deps);
    let has = |y: u16| years.binary_search(&y).is_ok();
    let empty = BTreeMap::new();
    let mut out = Vec::new();
    for &imp in importers {
        let set = |y: u16| d.get(&(imp, y)).unwrap_or(&empty);
        for &y in years {
            let now = set(y);
            let prev = (y > 0 && has(y - 1)).then(|| set(y - 1));
            let not_in = |k: u16| -> Option<f64> {
                let later = y.checked_add(k).filter(|&t| has(t))?;
                let later = set(later);
                (!now.is_empty()).then(|| {
                    now.keys().filter(|p| !later.contains_key(p)).count() as f64 / now.len() as f64
                })
            };
            out.push(YearChurn {
                importer: imp,
                year: y,
                n_dependent: now.len(),
                entered: prev.map(|p| now.keys().filter(|k| !p.contains_key(k)).count()),
                left: prev.map(|p| p.keys().filter(|k| !now.contains_key(k)).count()),
                churn_1: not_in(1),
                churn_5: not_in(5),
                top_changes: prev.map(|p| {
                    now.iter()
                        .filter(|(k, t)| p.get(k).is_some_and(|pt| pt != *t))
                        .count()
                }),
            });
        }
    }
    out
}

/// Spells of dependency, by importer and product, over the panel's `years` (sorted): a spell
/// breaks at a year of the panel in which the product is not dependent.
pub fn spells(cells: &[Cell], years: &[u16]) -> Vec<Spell> {
    spells_of(&deps(cells), years)
}

/// [`spells`] from the dependent records.
pub fn spells_of(deps: &[Dep], years: &[u16]) -> Vec<Spell> {
    let last = years.last().copied().unwrap_or(0);
    let mut by: BTreeMap<(u32, u32), BTreeMap<u16, u32>> = BTreeMap::new();
    for c in deps {
        by.entry((c.importer, c.product))
            .or_default()
            .insert(c.year, c.top_supplier);
    }
    let mut out = Vec::new();
    for ((importer, product), ys) in by {
        let mut cur: Option<Spell> = None;
        for &y in years {
            match (ys.get(&y), cur.as_mut()) {
                (Some(&top), Some(s)) => {
                    s.to = y;
                    s.top_suppliers.push(top);
                }
                (Some(&top), None) => {
                    cur = Some(Spell {
                        importer,
                        product,
                        from: y,
                        to: y,
                        open: false,
                        top_suppliers: vec![top],
                    })
                }
                (None, _) => out.extend(cur.take()),
            }
        }
        out.extend(cur.take().map(|mut s| {
            s.open = s.to == last;
            s
        }));
    }
    out
}

/// Dependent products per year by top supplier (for the chart): (year, supplier, count), the
/// suppliers beyond the `top` largest over the panel summed as `None`.
pub fn by_top_supplier(cells: &[Cell], top: usize) -> Vec<(u16, Option<u32>, usize)> {
    by_top_supplier_of(&deps(cells), top)
}

/// [`by_top_supplier`] from the dependent records.
pub fn by_top_supplier_of(deps: &[Dep], top: usize) -> Vec<(u16, Option<u32>, usize)> {
    let mut total: BTreeMap<u32, usize> = BTreeMap::new();
    for c in deps {
        *total.entry(c.top_supplier).or_default() += 1;
    }
    let mut ranked: Vec<(u32, usize)> = total.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let kept: BTreeSet<u32> = ranked.iter().take(top).map(|r| r.0).collect();
    let mut counts: BTreeMap<(u16, Option<u32>), usize> = BTreeMap::new();
    for c in deps {
        let k = kept.contains(&c.top_supplier).then_some(c.top_supplier);
        *counts.entry((c.year, k)).or_default() += 1;
    }
    counts.into_iter().map(|((y, s), n)| (y, s, n)).collect()
}
