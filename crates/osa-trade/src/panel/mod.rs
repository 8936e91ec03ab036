//! Panels: every importer (each country, and blocs with their members as of each year), every
//! product and every year of a set, screened by a [`Method`](crate::method::Method), with the
//! persistence rule applied across years, then what a panel says over time ([`churn`]): products
//! entering and leaving dependency, churn rates over 1 and 5 years, spells, top-supplier changes.
//!
//! Per year: [`kernel::WorldAcc`] is filled by a scan, then [`year_cells`] turns it into one
//! [`Cell`] per importer and product the importer buys from others. Indicators, for importer B
//! (a country, or a bloc's members), product p, supplier c outside B, exporter e anywhere:
//!
//! - `import_hhi` = Σ_c (M_c / M)², M = Σ_c M_c;
//! - `extra_share` = M / (M + M_intra) (1 for a country);
//! - `import_export_ratio` = M / X, X = B's exports to others (9999 when X is nil);
//! - `world_export_hhi` = Σ_e (W_e / W)², W_e = e's exports of p to the world (all importers).
//!
//! A dependent cell's alternatives: the exporters of p to the world outside B other than its top
//! supplier (`n_alternatives`), and how many of them export at least M (`n_can_cover`).

pub mod churn;
pub mod kernel;
#[cfg(test)]
mod tests;

use crate::method::{Indicator, Method};
use crate::screen::{self, Accumulator, RATIO_NO_EXPORTS, Thresholds};
use kernel::{WorldAcc, float};

/// One importer, product and year.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Importer: an index into the panel's labels.
    pub importer: u32,
    /// HS6 code.
    pub product: u32,
    /// Year.
    pub year: u16,
    /// M: imports from outside, thousand USD.
    pub import_value: f64,
    /// M_intra: imports of members from members (0 for a country).
    pub intra_imports: f64,
    /// X: exports to outside.
    pub exports: f64,
    /// Indicators.
    pub import_hhi: f64,
    /// M / (M + M_intra).
    pub extra_share: f64,
    /// M / X, or 9999.
    pub import_export_ratio: f64,
    /// HHI of the world's exporters of the product.
    pub world_export_hhi: f64,
    /// Top supplier (label index) and its share of M.
    pub top_supplier: u32,
    /// Its share.
    pub top_share: f64,
    /// Suppliers outside the importer.
    pub n_suppliers: u32,
    /// Every criterion holds in the year.
    pub meets: bool,
    /// Meets, and persists as the method asks (the verdict).
    pub dependent: bool,
    /// Other exporters to the world (met cells only).
    pub n_alternatives: u32,
    /// Of them, those exporting at least `import_value`.
    pub n_can_cover: u32,
}

impl Cell {
    /// An indicator's value.
    pub fn value(&self, i: Indicator) -> f64 {
        match i {
            Indicator::ImportHhi => self.import_hhi,
            Indicator::ExtraShare => self.extra_share,
            Indicator::ImportExportRatio => self.import_export_ratio,
            Indicator::WorldExportHhi => self.world_export_hhi,
        }
    }
}

/// Labels shared over a panel's years (importers and suppliers).
#[derive(Debug, Clone, Default)]
pub struct Labels {
    names: Vec<String>,
    index: std::collections::HashMap<String, u32>,
}

impl Labels {
    /// The index of a label, added when new.
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(s.to_string());
        self.index.insert(s.to_string(), i);
        i
    }

    /// The label of an index.
    pub fn name(&self, i: u32) -> &str {
        self.names.get(i as usize).map_or("?", String::as_str)
    }

    /// Every label, by index.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The index of a label, if known.
    pub fn get(&self, s: &str) -> Option<u32> {
        self.index.get(s).copied()
    }
}

/// A year's importers: the country entities that import (entity index, label index), and the
/// blocs (label index; their accumulators are in the [`WorldAcc`], in the same order, with the
/// members by entity).
#[derive(Debug, Clone)]
pub struct YearImporters {
    /// Entity labels (label index of each entity).
    pub entity_label: Vec<u32>,
    /// Whether each entity is a country that counts as an importer.
    pub is_country: Vec<bool>,
    /// Blocs: label and membership by entity.
    pub blocs: Vec<(u32, Vec<bool>)>,
}

/// Every importer's cells of one year from a settled, merged accumulator, in importer then
/// product order; criteria and alternatives per `method` (persistence is applied later, by
/// [`apply_persistence`]). The countries are shared among `threads` threads.
pub fn year_cells(
    acc: &WorldAcc,
    who: &YearImporters,
    method: &Method,
    threads: usize,
) -> Result<Vec<Cell>, crate::Error> {
    if acc.overflowed() {
        return Err(crate::Error::Invalid(format!(
            "the values of one product in {} add up beyond 9.2e12 thousand USD: the file holds duplicated or implausible rows",
            acc.year
        )));
    }
    let world = WorldExports::of(acc);
    let mut order: Vec<usize> = (0..acc.codes().len()).collect();
    order.sort_unstable_by_key(|&s| acc.codes()[s]);
    let ctx = YearContext {
        acc,
        who,
        method,
        world: &world,
        order: &order,
    };
    let mut cells = ctx.countries(threads.max(1));
    for (b, (label, member)) in acc.blocs.iter().zip(&who.blocs) {
        bloc_cells(&ctx, b, *label, member, &mut cells)?;
    }
    Ok(cells)
}

/// What a year's cells are computed from.
struct YearContext<'a> {
    acc: &'a WorldAcc,
    who: &'a YearImporters,
    method: &'a Method,
    world: &'a WorldExports,
    /// Slots in product order.
    order: &'a [usize],
}

impl YearContext<'_> {
    /// Every country's cells, the importers split in contiguous ranges over `threads` threads
    /// (the same cells in the same order as one thread gives).
    fn countries(&self, threads: usize) -> Vec<Cell> {
        let n = self.acc.n;
        let per = n.div_ceil(threads).max(1);
        let ranges: Vec<(usize, usize)> =
            (0..n).step_by(per).map(|a| (a, (a + per).min(n))).collect();
        if ranges.len() <= 1 {
            return self.country_range(0, n);
        }
        std::thread::scope(|s| {
            let handles: Vec<_> = ranges
                .iter()
                .map(|&(a, b)| s.spawn(move || self.country_range(a, b)))
                .collect();
            let parts: Vec<Vec<Cell>> = handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect();
            let mut all = Vec::with_capacity(parts.iter().map(Vec::len).sum());
            for p in parts {
                all.extend(p);
            }
            all
        })
    }

    /// The cells of countries `from..to`.
    fn country_range(&self, from: usize, to: usize) -> Vec<Cell> {
        let acc = self.acc;
        let countries = || (from..to).filter(|&j| self.who.is_country[j]);
        let n: usize = countries()
            .map(|j| {
                let row = &acc.imports[j * acc.cap..(j + 1) * acc.cap];
                row.iter().filter(|c| c.m > 0).count()
            })
            .sum();
        let mut cells = Vec::with_capacity(n);
        for j in countries() {
            for &s in self.order {
                let c = acc.imports[j * acc.cap + s];
                if c.m > 0 {
                    cells.push(self.country_cell(j, s, &c));
                }
            }
        }
        cells
    }

    /// Country `j`'s cell of slot `s`.
    fn country_cell(&self, j: usize, s: usize, c: &kernel::Imports) -> Cell {
        let acc = self.acc;
        let m = c.m as f64;
        let x = acc.w[j * acc.cap + s];
        let mut cell = Cell {
            importer: self.who.entity_label[j],
            product: acc.codes()[s],
            year: acc.year,
            import_value: float(c.m),
            intra_imports: 0.0,
            exports: float(x),
            import_hhi: (c.sq as f64 / (m * m)).min(1.0),
            extra_share: 1.0,
            import_export_ratio: if x > 0 {
                m / x as f64
            } else {
                RATIO_NO_EXPORTS
            },
            world_export_hhi: self.world.hhi[s],
            top_supplier: self.who.entity_label[c.top_e as usize],
            top_share: c.top_v as f64 / m,
            n_suppliers: c.count,
            meets: false,
            dependent: false,
            n_alternatives: 0,
            n_can_cover: 0,
        };
        cell.meets = self.method.meets(|i| cell.value(i));
        cell.dependent = cell.meets;
        if cell.meets {
            let top = c.top_e as usize;
            let exclude = [acc.w[j * acc.cap + s], acc.w[top * acc.cap + s]];
            (cell.n_alternatives, cell.n_can_cover) =
                self.world.alternatives(s, need(&cell), &exclude);
        }
        cell
    }
}

/// The value an alternative must export to cover a cell's imports (fixed point).
fn need(cell: &Cell) -> i64 {
    (cell.import_value * 1e6).round() as i64
}

/// The world's exporters of each product (by slot): the HHI of their exports, and their
/// positive export values in increasing order, so that a cell's alternatives are counted by a
/// binary search instead of a pass over every exporter.
struct WorldExports {
    hhi: Vec<f64>,
    sorted: Vec<Vec<i64>>,
}

impl WorldExports {
    fn of(acc: &WorldAcc) -> WorldExports {
        let slots = acc.codes().len();
        let mut sorted: Vec<Vec<i64>> = vec![Vec::new(); slots];
        let (mut sum, mut sq) = (vec![0i128; slots], vec![0i128; slots]);
        for e in 0..acc.n {
            let row = &acc.w[e * acc.cap..e * acc.cap + slots];
            for (s, &w) in row.iter().enumerate() {
                if w > 0 {
                    sorted[s].push(w);
                    sum[s] += i128::from(w);
                    sq[s] += i128::from(w) * i128::from(w);
                }
            }
        }
        for v in &mut sorted {
            v.sort_unstable();
        }
        let hhi = sum
            .iter()
            .zip(&sq)
            .map(|(&t, &q)| {
                if t > 0 {
                    (q as f64 / (t as f64 * t as f64)).min(1.0)
                } else {
                    0.0
                }
            })
            .collect();
        WorldExports { hhi, sorted }
    }

    /// Exporters of slot `s` with positive exports, and of them those exporting at least `need`,
    /// leaving out the values of `exclude` (the importer itself and its top supplier, each
    /// counted where positive: they are distinct exporters).
    fn alternatives(&self, s: usize, need: i64, exclude: &[i64]) -> (u32, u32) {
        let v = &self.sorted[s];
        let (mut alt, mut cover) = (v.len(), v.len() - v.partition_point(|&w| w < need));
        for &w in exclude.iter().filter(|w| **w > 0) {
            alt -= 1;
            if w >= need {
                cover -= 1;
            }
        }
        (alt as u32, cover as u32)
    }
}

/// A bloc cell's alternatives: every exporter outside the bloc but its top supplier (members
/// are many, so this one passes over the exporters).
fn bloc_alternatives(cell: &mut Cell, acc: &WorldAcc, s: usize, top: u32, member: &[bool]) {
    let need = need(cell);
    for (e, inside) in member.iter().enumerate().take(acc.n) {
        let w = acc.w[e * acc.cap + s];
        if w > 0 && e as u32 != top && !inside {
            cell.n_alternatives += 1;
            if w >= need {
                cell.n_can_cover += 1;
            }
        }
    }
}

/// A bloc's cells, from its accumulator (the Commission's screening gives M, M_intra, X and the
/// suppliers).
fn bloc_cells(
    ctx: &YearContext<'_>,
    b: &Accumulator,
    label: u32,
    member: &[bool],
    cells: &mut Vec<Cell>,
) -> Result<(), crate::Error> {
    let acc = ctx.acc;
    let s = screen::screen(b, Thresholds::default(), None)?;
    for p in &s.products {
        let Some(slot) = acc.slot_of(p.product) else {
            continue;
        };
        let top = p.top().map_or(0, |t| t.entity);
        let mut cell = Cell {
            importer: label,
            product: p.product,
            year: acc.year,
            import_value: p.extra_imports,
            intra_imports: p.intra_imports,
            exports: p.extra_exports,
            import_hhi: p.hhi,
            extra_share: p.extra_share,
            import_export_ratio: p.import_export_ratio,
            world_export_hhi: ctx.world.hhi[slot],
            top_supplier: ctx.who.entity_label[top as usize],
            top_share: p.top().map_or(0.0, |t| t.share),
            n_suppliers: p.suppliers.len() as u32,
            meets: false,
            dependent: false,
            n_alternatives: 0,
            n_can_cover: 0,
        };
        cell.meets = ctx.method.meets(|i| cell.value(i));
        cell.dependent = cell.meets;
        if cell.meets {
            bloc_alternatives(&mut cell, acc, slot, top, member);
        }
        cells.push(cell);
    }
    Ok(())
}

/// Applies the method's persistence rule to cells of several years: a cell stays dependent when
/// it meets the criteria and so does the same importer and product in at least `at_least` of the
/// `years_before` years before (a year without the cell, or outside the data, does not count).
/// Sorts the cells by importer, product and year.
pub fn apply_persistence(cells: &mut [Cell], method: &Method) {
    cells.sort_unstable_by_key(|c| (c.importer, c.product, c.year));
    let Some(p) = method.persistence else {
        return;
    };
    let mut start = 0;
    while start < cells.len() {
        let key = (cells[start].importer, cells[start].product);
        let mut end = start;
        while end < cells.len() && (cells[end].importer, cells[end].product) == key {
            end += 1;
        }
        let met: Vec<(u16, bool)> = cells[start..end]
            .iter()
            .map(|c| (c.year, c.meets))
            .collect();
        for c in &mut cells[start..end] {
            if !c.meets {
                continue;
            }
            let lo = c.year.saturating_sub(p.years_before);
            let before = met
                .iter()
                .filter(|(y, m)| *m && *y >= lo && *y < c.year)
                .count();
            c.dependent = before >= usize::from(p.at_least);
        }
        start = end;
    }
}

/// The persistence rule applied year by year, for a panel streamed in increasing years: it keeps,
/// for the `years_before` years before, only the (importer, product) keys that met the criteria,
/// and gives the same verdicts as [`apply_persistence`] over the whole panel.
#[derive(Debug, Clone)]
pub struct PersistenceWindow {
    rule: Option<crate::method::Persistence>,
    /// Years seen (ascending) with their met keys, sorted.
    met: std::collections::VecDeque<(u16, Vec<u64>)>,
}

fn key(c: &Cell) -> u64 {
    (u64::from(c.importer) << 32) | u64::from(c.product)
}

impl PersistenceWindow {
    /// An empty window for a method.
    pub fn new(method: &Method) -> PersistenceWindow {
        PersistenceWindow {
            rule: method.persistence,
            met: Default::default(),
        }
    }

    /// Applies the rule to the cells of year `year` (each call's year after the previous one's),
    /// then remembers which met the criteria.
    pub fn apply(&mut self, year: u16, cells: &mut [Cell]) {
        let Some(p) = self.rule else {
            return;
        };
        let lo = year.saturating_sub(p.years_before);
        self.met.retain(|(y, _)| *y >= lo && *y < year);
        for c in cells.iter_mut().filter(|c| c.meets) {
            let k = key(c);
            let before = self
                .met
                .iter()
                .filter(|(_, keys)| keys.binary_search(&k).is_ok())
                .count();
            c.dependent = before >= usize::from(p.at_least);
        }
        let mut keys: Vec<u64> = cells.iter().filter(|c| c.meets).map(key).collect();
        keys.sort_unstable();
        self.met.push_back((year, keys));
    }
}

/// Entities with several codes in a country table (their rows are summed before squaring).
pub fn multi_code(table: &crate::ingest::countries::CountryTable) -> Vec<bool> {
    table.entities().iter().map(|e| e.codes.len() > 1).collect()
}

/// The accumulators of a year (one per thread, each made and written through on a thread of its
/// own), with one bloc accumulator per bloc.
pub fn new_accs(
    year: u16,
    table: &crate::ingest::countries::CountryTable,
    blocs: &[(u32, Vec<bool>)],
    threads: usize,
) -> Vec<WorldAcc> {
    let multi = multi_code(table);
    let one = || {
        let b = blocs
            .iter()
            .map(|(_, member)| {
                Accumulator::new(&screen::Partition {
                    year,
                    member: member.clone(),
                })
            })
            .collect();
        WorldAcc::new(year, multi.clone(), b)
    };
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads.max(1)).map(|_| s.spawn(one)).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

/// Settles and merges per-thread accumulators.
pub fn merge_accs(accs: Vec<WorldAcc>) -> Option<WorldAcc> {
    let mut it = accs.into_iter();
    let mut first = it.next()?;
    first.settle();
    for mut a in it {
        a.settle();
        first.merge(a);
    }
    Some(first)
}
