//! The European Commission's bottom-up screening of strategic dependencies (SWD(2021) 352,
//! docs/trade.md), for any importer bloc and year.
//!
//! For an importer bloc B, a year and an HS6 product p, with M_c the imports of p into B from a
//! supplier c outside B, M^extra = Σ_c M_c, M^intra the imports of B's members from each other and
//! X^extra the exports of B's members to countries outside B (all values of flows, BACI `v`):
//!
//! 1. concentration: `hhi = Σ_c (M_c / M^extra)²` (0-1); concentrated when `hhi > 0.4`;
//! 2. importance of extra-bloc imports: `extra_share = M^extra / (M^extra + M^intra)`; passes when
//!    `> 0.5`;
//! 3. substitutability with the bloc's own output: `import_export_ratio = M^extra / X^extra`;
//!    passes when `> 1`. When X^extra is zero the ratio is [`RATIO_NO_EXPORTS`] (9999, CEPII
//!    GeoDep's convention): imports without any exports are as far from substitutable as data can
//!    show, the ratio passes, and the value stays a finite number in JSON and CSV.
//!
//! A product is **dependent** when it passes all three (strict inequalities, thresholds
//! configurable). Products are screened when the bloc imports them from outside (M^extra > 0);
//! products imported only from members are counted apart. Membership is taken as of the year (on
//! 1 July: Croatia is in the EU for 2013, the United Kingdom out for 2020). A flow between two codes
//! of one country (BACI's 276 and 280) is not trade and is ignored.
//!
//! [`Accumulator`] is the kernel: dense per-thread arrays indexed by product slot and supplier,
//! no hashing, merged at the end. It is fed by any scan (see `ingest`) and holds no I/O. Values are
//! summed as integers of 10^-6 thousand USD (a thousandth of a dollar), so sums do not depend on
//! the order rows arrive in: the CSV and the cache, with any number of threads, give identical
//! results. Each flow is at most [`MAX_FLOW_VALUE`](crate::rows::MAX_FLOW_VALUE) (the readers reject
//! larger ones); a cell that would pass 9.2e12 thousand USD (400 times world trade) makes
//! [`screen`] refuse, never clamp, and sums over suppliers are 128-bit.

mod groups;
#[cfg(test)]
mod tests;

pub use groups::{Group, InputTrade, annotate, dependent_suppliers, group_by, total};

use crate::rows::{Row, RowSink};
use osa_model::{Bloc, CountryCode};

/// The import/export ratio reported when the bloc exports none of a product it imports.
pub const RATIO_NO_EXPORTS: f64 = 9999.0;

/// How many suppliers each product keeps in its result (all count toward the HHI).
pub const TOP_SUPPLIERS: usize = 5;

const HS_LIMIT: usize = 1_000_000;
const NONE: u32 = u32::MAX;
/// Fixed-point scale of sums: units of 10^-6 of BACI's thousand USD.
const SCALE: f64 = 1e6;

#[inline(always)]
fn fixed(v: f64) -> i64 {
    // Values are non-negative (the readers reject others), so adding one half and truncating
    // rounds to nearest without a libm call; `as` saturates beyond 9.2e12 thousand USD.
    (v * SCALE + 0.5) as i64
}

#[inline]
fn float(v: i64) -> f64 {
    v as f64 / SCALE
}

/// The screening thresholds (strictly greater than).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// HHI of extra-bloc imports (Commission: 0.4).
    pub hhi: f64,
    /// Extra-bloc share of total imports (Commission: 0.5).
    pub extra_share: f64,
    /// Extra-bloc imports over extra-bloc exports (Commission: 1).
    pub ratio: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            hhi: 0.4,
            extra_share: 0.5,
            ratio: 1.0,
        }
    }
}

/// Which entities (see `ingest::countries`) are inside the importer bloc in the year screened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partition {
    /// The year.
    pub year: u16,
    /// Membership by entity index.
    pub member: Vec<bool>,
}

impl Partition {
    /// Members of `bloc` as of `year`, over entities described by their countries (`None` for
    /// pseudo-countries, never members).
    pub fn of_bloc(bloc: &Bloc, year: u16, entities: &[Option<CountryCode>]) -> Partition {
        Partition {
            year,
            member: entities
                .iter()
                .map(|c| c.is_some_and(|c| bloc.contains(c, year as i32)))
                .collect(),
        }
    }
}

/// Sums of flows per product, for one importer bloc and year.
///
/// Layout: `extra[exporter * cap + slot]`, exporter-major, because BACI rows come sorted by
/// exporter, importer and product, and slots are handed out in order of first appearance (hence
/// mostly in product order): consecutive rows then touch neighbouring cells.
#[derive(Debug, Clone)]
pub struct Accumulator {
    year: u16,
    member: Vec<bool>,
    n: usize,
    cap: usize,
    /// Product -> slot in two levels, small enough to stay in cache: the heading (first four
    /// digits) gives a block of 100 subheadings (`0` = no block yet; else block number + 1).
    heading_block: Vec<u32>,
    blocks: Vec<u32>,
    codes: Vec<u32>,
    extra: Vec<i64>,
    intra: Vec<i64>,
    exports: Vec<i64>,
    /// Entities seen exporting / importing in the year (coverage).
    seen_exporter: Vec<bool>,
    seen_importer: Vec<bool>,
    /// Value of every flow of the year, in fixed point (coverage).
    value_all: i64,
    /// Rows that counted (one side in the bloc).
    pub rows_used: u64,
    /// Rows of other years (ignored).
    pub rows_other_year: u64,
    /// Rows between two codes of one country (ignored).
    pub rows_self: u64,
    /// Whether a sum went beyond the integer range (then [`screen`] refuses).
    overflow: bool,
}

/// Initial product capacity: a full HS6 year has about 5,400 products.
const INITIAL_CAP: usize = 6_000;

impl Accumulator {
    /// An empty accumulator for a partition.
    pub fn new(partition: &Partition) -> Accumulator {
        let n = partition.member.len();
        Accumulator {
            year: partition.year,
            member: partition.member.clone(),
            n,
            cap: INITIAL_CAP,
            heading_block: vec![0; HS_LIMIT / 100],
            blocks: Vec::new(),
            codes: Vec::new(),
            extra: vec![0; INITIAL_CAP * n],
            intra: Vec::new(),
            exports: Vec::new(),
            seen_exporter: vec![false; n],
            seen_importer: vec![false; n],
            value_all: 0,
            rows_used: 0,
            rows_other_year: 0,
            rows_self: 0,
            overflow: false,
        }
    }

    #[inline(always)]
    fn slot(&mut self, product: u32) -> usize {
        let b = self.heading_block[(product / 100) as usize];
        if b != 0 {
            let s = self.blocks[(b as usize - 1) * 100 + (product % 100) as usize];
            if s != NONE {
                return s as usize;
            }
        }
        self.new_slot(product)
    }

    #[cold]
    fn new_slot(&mut self, product: u32) -> usize {
        let h = (product / 100) as usize;
        if self.heading_block[h] == 0 {
            self.blocks.resize(self.blocks.len() + 100, NONE);
            self.heading_block[h] = (self.blocks.len() / 100) as u32;
        }
        let entry = (self.heading_block[h] as usize - 1) * 100 + (product % 100) as usize;
        let s = self.codes.len();
        if s == self.cap {
            // Re-lay out with twice the room (never for real HS6 data).
            let cap = self.cap * 2;
            let mut extra = vec![0; cap * self.n];
            for c in 0..self.n {
                extra[c * cap..c * cap + self.cap]
                    .copy_from_slice(&self.extra[c * self.cap..(c + 1) * self.cap]);
            }
            self.extra = extra;
            self.cap = cap;
        }
        self.blocks[entry] = s as u32;
        self.codes.push(product);
        self.intra.push(0);
        self.exports.push(0);
        s
    }

    /// Adds one flow.
    #[inline(always)]
    pub fn add(&mut self, year: u16, exporter: u32, importer: u32, product: u32, value: f64) {
        if year != self.year {
            self.rows_other_year += 1;
            return;
        }
        let ie = self.member[exporter as usize];
        let je = self.member[importer as usize];
        self.seen_exporter[exporter as usize] = true;
        self.seen_importer[importer as usize] = true;
        self.value_all = self.value_all.saturating_add(fixed(value));
        if !ie && !je {
            return;
        }
        if exporter == importer {
            self.rows_self += 1;
            return;
        }
        if product as usize >= HS_LIMIT {
            return;
        }
        self.rows_used += 1;
        let s = self.slot(product);
        let v = fixed(value);
        let cell = match (ie, je) {
            (false, true) => &mut self.extra[exporter as usize * self.cap + s],
            (true, true) => &mut self.intra[s],
            _ => &mut self.exports[s],
        };
        match cell.checked_add(v) {
            Some(sum) => *cell = sum,
            None => self.overflow = true,
        }
    }

    /// Adds another accumulator's sums (same partition).
    pub fn merge(&mut self, other: &Accumulator) {
        for (a, b) in self.seen_exporter.iter_mut().zip(&other.seen_exporter) {
            *a |= *b;
        }
        for (a, b) in self.seen_importer.iter_mut().zip(&other.seen_importer) {
            *a |= *b;
        }
        self.value_all = self.value_all.saturating_add(other.value_all);
        self.rows_used += other.rows_used;
        self.rows_other_year += other.rows_other_year;
        self.rows_self += other.rows_self;
        let mut overflow = other.overflow;
        let mut add = |dst: &mut i64, v: i64| match dst.checked_add(v) {
            Some(sum) => *dst = sum,
            None => overflow = true,
        };
        // Slots first (they may re-lay out the matrix), then exporter by exporter, in memory order.
        let map: Vec<usize> = other.codes.iter().map(|&code| self.slot(code)).collect();
        for c in 0..self.n {
            let dst = &mut self.extra[c * self.cap..(c + 1) * self.cap];
            let src = &other.extra[c * other.cap..c * other.cap + other.codes.len()];
            for (&s, &v) in map.iter().zip(src) {
                add(&mut dst[s], v);
            }
        }
        for (os, &s) in map.iter().enumerate() {
            add(&mut self.intra[s], other.intra[os]);
            add(&mut self.exports[s], other.exports[os]);
        }
        self.overflow |= overflow;
    }

    /// Merges accumulators into one.
    pub fn merge_all(mut accs: Vec<Accumulator>) -> Option<Accumulator> {
        let mut first = accs.pop()?;
        for a in &accs {
            first.merge(a);
        }
        Some(first)
    }

    /// The year screened.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// What the scanned year covers, against the known world totals.
    pub fn coverage(&self, world: &[crate::coverage::WorldTotal]) -> crate::coverage::Coverage {
        crate::coverage::Coverage {
            year: self.year,
            exporters: self.seen_exporter.iter().filter(|s| **s).count(),
            importers: self.seen_importer.iter().filter(|s| **s).count(),
            entities: self.n,
            value_kusd: float(self.value_all),
            world: world.iter().find(|w| w.year == self.year).cloned(),
        }
    }
}

impl RowSink for Accumulator {
    #[inline(always)]
    fn row(&mut self, r: &Row) {
        self.add(r.year, r.exporter_idx, r.importer_idx, r.product, r.value);
    }
}

/// A supplier's imports of a product.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Supplier {
    /// Entity index.
    pub entity: u32,
    /// Value of the bloc's imports from it.
    pub value: f64,
    /// Its share of extra-bloc imports (0-1).
    pub share: f64,
}

/// One product's screening.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductResult {
    /// HS6 code.
    pub product: u32,
    /// M^extra: imports from outside the bloc.
    pub extra_imports: f64,
    /// M^intra: imports of members from members.
    pub intra_imports: f64,
    /// X^extra: exports of members to countries outside the bloc.
    pub extra_exports: f64,
    /// Indicator 1.
    pub hhi: f64,
    /// Indicator 2.
    pub extra_share: f64,
    /// Indicator 3 ([`RATIO_NO_EXPORTS`] when X^extra is zero).
    pub import_export_ratio: f64,
    /// Whether each indicator passes its threshold: hhi, extra_share, ratio.
    pub passes: [bool; 3],
    /// All three pass.
    pub dependent: bool,
    /// Suppliers outside the bloc, all of them: the first [`TOP_SUPPLIERS`] largest first (ties
    /// by entity index), the rest in no particular order.
    pub suppliers: Vec<Supplier>,
    /// Share of a reference country (China) in extra-bloc imports.
    pub chn_share: f64,
    /// The reference country's imports value.
    pub chn_value: f64,
}

impl ProductResult {
    /// The largest supplier.
    pub fn top(&self) -> Option<&Supplier> {
        self.suppliers.first()
    }
}

/// The screening of one importer bloc and year.
#[derive(Debug, Clone, PartialEq)]
pub struct Screening {
    /// The year.
    pub year: u16,
    /// Thresholds used.
    pub thresholds: Thresholds,
    /// Products with extra-bloc imports, by HS6 code.
    pub products: Vec<ProductResult>,
    /// Products imported only from members.
    pub n_only_intra: usize,
    /// Products the bloc exports but does not import.
    pub n_only_exported: usize,
    /// Rows that counted.
    pub rows_used: u64,
    /// Rows of other years.
    pub rows_other_year: u64,
    /// Rows between two codes of one country.
    pub rows_self: u64,
}

/// Computes the three indicators per product. `reference` is the entity whose share is reported
/// as `chn_share` (China; `None` gives 0). Sums over suppliers are exact (128-bit); a sum of
/// flows beyond the 64-bit cells (9.2e12 thousand USD for one supplier and product, only reached
/// by duplicated rows, each being at most [`MAX_FLOW_VALUE`](crate::rows::MAX_FLOW_VALUE)) is an
/// error, never a clamped value.
///
/// Steps: refuse an overflowed accumulator; gather each product's suppliers; then, product by
/// product in code order, count those imported only from members or only exported, and screen
/// the others.
pub fn screen(
    acc: &Accumulator,
    thresholds: Thresholds,
    reference: Option<u32>,
) -> Result<Screening, crate::error::Error> {
    if acc.overflow {
        return Err(crate::error::Error::Invalid(format!(
            "the values of one product from one supplier in {} add up beyond 9.2e12 thousand USD (400 times world trade): the file holds duplicated or implausible rows",
            acc.year
        )));
    }
    let mut order: Vec<usize> = (0..acc.codes.len()).collect();
    order.sort_unstable_by_key(|&s| acc.codes[s]);
    let by_slot = suppliers_by_slot(acc);
    let mut products = Vec::new();
    let (mut n_only_intra, mut n_only_exported) = (0, 0);
    for s in order {
        let row = &by_slot[s];
        let m_extra_fixed: i128 = row.iter().map(|v| i128::from(v.1)).sum();
        if m_extra_fixed <= 0 {
            if acc.intra[s] > 0 {
                n_only_intra += 1;
            } else {
                n_only_exported += 1;
            }
            continue;
        }
        products.push(screen_product(
            acc,
            s,
            row,
            m_extra_fixed,
            thresholds,
            reference,
        ));
    }
    Ok(Screening {
        year: acc.year,
        thresholds,
        products,
        n_only_intra,
        n_only_exported,
        rows_used: acc.rows_used,
        rows_other_year: acc.rows_other_year,
        rows_self: acc.rows_self,
    })
}

/// Suppliers of each slot with their extra-bloc value (fixed point), read exporter by exporter
/// (memory order), so in entity order.
fn suppliers_by_slot(acc: &Accumulator) -> Vec<Vec<(u32, i64)>> {
    let n_slots = acc.codes.len();
    let mut by_slot: Vec<Vec<(u32, i64)>> = vec![Vec::new(); n_slots];
    for c in 0..acc.n {
        let row = &acc.extra[c * acc.cap..c * acc.cap + n_slots];
        for (s, &v) in row.iter().enumerate() {
            if v > 0 {
                by_slot[s].push((c as u32, v));
            }
        }
    }
    by_slot
}

/// The screening of the product in slot `s`, whose suppliers (`row`, in entity order) sum to
/// `m_extra_fixed` (positive): its HHI, extra-bloc share and import/export ratio against the
/// thresholds, the top suppliers and the reference country's share.
fn screen_product(
    acc: &Accumulator,
    s: usize,
    row: &[(u32, i64)],
    m_extra_fixed: i128,
    thresholds: Thresholds,
    reference: Option<u32>,
) -> ProductResult {
    let (suppliers, hhi) = ranked_suppliers(row, m_extra_fixed);
    let extra_share = m_extra_fixed as f64 / (m_extra_fixed + i128::from(acc.intra[s])) as f64;
    let ratio = if acc.exports[s] > 0 {
        m_extra_fixed as f64 / acc.exports[s] as f64
    } else {
        RATIO_NO_EXPORTS
    };
    let passes = [
        hhi > thresholds.hhi,
        extra_share > thresholds.extra_share,
        ratio > thresholds.ratio,
    ];
    let chn_fixed = reference
        .and_then(|r| row.iter().find(|(c, _)| *c == r))
        .map_or(0, |(_, v)| *v);
    ProductResult {
        product: acc.codes[s],
        extra_imports: m_extra_fixed as f64 / SCALE,
        intra_imports: float(acc.intra[s]),
        extra_exports: float(acc.exports[s]),
        hhi,
        extra_share,
        import_export_ratio: ratio,
        passes,
        dependent: passes.iter().all(|p| *p),
        suppliers,
        chn_share: chn_fixed as f64 / m_extra_fixed as f64,
        chn_value: float(chn_fixed),
    }
}

/// The suppliers with their values and shares, the [`TOP_SUPPLIERS`] largest first in order of
/// value (ties by entity; the rest after them, unordered), and the HHI over all of them.
fn ranked_suppliers(row: &[(u32, i64)], m_extra_fixed: i128) -> (Vec<Supplier>, f64) {
    let mut suppliers: Vec<Supplier> = row
        .iter()
        .map(|&(c, v)| Supplier {
            entity: c,
            value: float(v),
            share: v as f64 / m_extra_fixed as f64,
        })
        .collect();
    // HHI in entity order (a fixed summation order), before the suppliers are ranked. The
    // shares sum to 1 up to rounding, so the HHI is at most 1 up to rounding: clamp that.
    let hhi: f64 = suppliers
        .iter()
        .map(|s| s.share * s.share)
        .sum::<f64>()
        .min(1.0);
    let by_value =
        |a: &Supplier, b: &Supplier| b.value.total_cmp(&a.value).then(a.entity.cmp(&b.entity));
    if suppliers.len() > TOP_SUPPLIERS {
        suppliers.select_nth_unstable_by(TOP_SUPPLIERS - 1, by_value);
        suppliers[..TOP_SUPPLIERS].sort_by(by_value);
    } else {
        suppliers.sort_by(by_value);
    }
    (suppliers, hhi)
}
