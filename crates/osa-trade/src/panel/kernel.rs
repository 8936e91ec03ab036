//! The all-importer kernel: one pass over a year's flows gives, for every importing country and
//! product, its imports from others (sum, sum of squares per supplier, the largest supplier and
//! their count), and for every exporter and product its exports to the world; the blocs ride on
//! the same pass with one [`Accumulator`] each.
//!
//! Sums are integers of 10^-6 thousand USD (as in [`crate::screen`]), squares 128-bit, so results
//! do not depend on threads. An HHI needs one value per supplier: rows of one exporter, importer
//! and product that follow each other are added before squaring, and rows of an entity with
//! several codes (BACI's 276 and 280) go through a side table, summed there first.

use crate::rows::{Row, RowSink};
use crate::screen::Accumulator;
use std::collections::HashMap;

const HS_LIMIT: usize = 1_000_000;
const NONE: u32 = u32::MAX;
const SCALE: f64 = 1e6;
const INITIAL_CAP: usize = 6_000;

#[inline(always)]
fn fixed(v: f64) -> i64 {
    (v * SCALE + 0.5) as i64
}

/// Product code -> dense slot, in two levels (heading, then subheading).
#[derive(Debug, Clone)]
struct Slots {
    heading_block: Vec<u32>,
    blocks: Vec<u32>,
    codes: Vec<u32>,
}

impl Slots {
    fn new() -> Slots {
        Slots {
            heading_block: vec![0; HS_LIMIT / 100],
            blocks: Vec::new(),
            codes: Vec::new(),
        }
    }

    #[inline(always)]
    fn get(&self, product: u32) -> Option<usize> {
        let b = self.heading_block[(product / 100) as usize];
        if b == 0 {
            return None;
        }
        let s = self.blocks[(b as usize - 1) * 100 + (product % 100) as usize];
        (s != NONE).then_some(s as usize)
    }

    /// The slot of a product, made when new (then `true`).
    #[inline(always)]
    fn slot(&mut self, product: u32) -> (usize, bool) {
        if let Some(s) = self.get(product) {
            return (s, false);
        }
        let h = (product / 100) as usize;
        if self.heading_block[h] == 0 {
            self.blocks.resize(self.blocks.len() + 100, NONE);
            self.heading_block[h] = (self.blocks.len() / 100) as u32;
        }
        let entry = (self.heading_block[h] as usize - 1) * 100 + (product % 100) as usize;
        let s = self.codes.len();
        self.blocks[entry] = s as u32;
        self.codes.push(product);
        (s, true)
    }
}

/// Re-lays out a `rows x cap` matrix with a larger `cap`.
fn grow<T: Copy>(m: &mut Vec<T>, rows: usize, cap: usize, new_cap: usize, empty: T) {
    let mut out = filled(rows * new_cap, empty);
    for r in 0..rows {
        out[r * new_cap..r * new_cap + cap].copy_from_slice(&m[r * cap..(r + 1) * cap]);
    }
    *m = out;
}

/// A matrix written through once, here: a zeroed allocation would map the shared zero page,
/// and the scan's first read-then-write of each page would then fault twice and flush the other
/// threads' TLBs (a fifth of a year's scan before).
fn filled<T: Copy>(len: usize, v: T) -> Vec<T> {
    let mut out = Vec::with_capacity(len);
    out.resize(len, std::hint::black_box(v));
    out
}

/// One importer and product: imports from others (sum, sum of squares per supplier, the largest
/// supplier and the count), in one record so that a row touches one place.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Imports {
    /// M: the sum.
    pub(crate) m: i64,
    /// The largest supplier's value.
    pub(crate) top_v: i64,
    /// Σ value², per supplier.
    pub(crate) sq: i128,
    /// The largest supplier (entity), `NONE` when none.
    pub(crate) top_e: u32,
    /// Suppliers.
    pub(crate) count: u32,
}

const NO_IMPORTS: Imports = Imports {
    m: 0,
    top_v: 0,
    sq: 0,
    top_e: NONE,
    count: 0,
};

/// Supplier values (exporter, importer, slot, value) a batch holds before they are added.
const BATCH_ROWS: usize = 1 << 17;

/// A batch of supplier values. Rows come by exporter, so adding them as they come touches a
/// different importer's row of the matrix each time (a cache miss per row, most of a year's
/// scan); grouped by importer first (a stable counting sort), each importer's row is visited
/// once per batch. The sums do not depend on the order in which values are added.
#[derive(Debug, Clone)]
struct Batch {
    rows: Vec<(u32, u32, u32, i64)>,
    sorted: Vec<(u32, u32, u32, i64)>,
    starts: Vec<usize>,
}

impl Batch {
    fn new(n: usize) -> Batch {
        Batch {
            rows: Vec::with_capacity(BATCH_ROWS),
            sorted: Vec::new(),
            starts: vec![0; n + 1],
        }
    }

    /// The rows, grouped by importer (in their order within an importer); the rows are cleared.
    fn by_importer(&mut self) -> Vec<(u32, u32, u32, i64)> {
        let mut sorted = std::mem::take(&mut self.sorted);
        sorted.clear();
        sorted.resize(self.rows.len(), (0, 0, 0, 0));
        self.starts.fill(0);
        for r in &self.rows {
            self.starts[r.1 as usize + 1] += 1;
        }
        for i in 1..self.starts.len() {
            self.starts[i] += self.starts[i - 1];
        }
        for r in &self.rows {
            let at = &mut self.starts[r.1 as usize];
            sorted[*at] = *r;
            *at += 1;
        }
        self.rows.clear();
        sorted
    }

    /// Gives the sorted buffer back for the next batch.
    fn done(&mut self, sorted: Vec<(u32, u32, u32, i64)>) {
        self.sorted = sorted;
    }
}

/// Adds another accumulator's sums of one importer and product.
#[inline(always)]
fn add_imports(c: &mut Imports, o: &Imports) {
    if o.count == 0 {
        return;
    }
    c.m = c.m.saturating_add(o.m);
    c.sq += o.sq;
    c.count += o.count;
    if o.top_v > c.top_v || (o.top_v == c.top_v && o.top_e < c.top_e) {
        c.top_v = o.top_v;
        c.top_e = o.top_e;
    }
}

/// One year's sums for every importer (a [`RowSink`], one per thread, merged).
#[derive(Debug, Clone)]
pub struct WorldAcc {
    pub(crate) year: u16,
    pub(crate) n: usize,
    multi: Vec<bool>,
    slots: Slots,
    pub(crate) cap: usize,
    /// Imports of importer j from others: `[j * cap + slot]`.
    pub(crate) imports: Vec<Imports>,
    /// Exports of exporter i to the world: `[i * cap + slot]`.
    pub(crate) w: Vec<i64>,
    pending: (u32, u32, u32, i64),
    /// Supplier values waiting to be added, grouped by importer before they are ([`Batch`]).
    batch: Batch,
    side: HashMap<(u32, u32, u32), i64>,
    /// One accumulator per bloc.
    pub(crate) blocs: Vec<Accumulator>,
    /// Rows of other years.
    pub rows_other_year: u64,
    overflow: bool,
}

impl WorldAcc {
    /// An empty year over `n` entities; `multi[e]`: entity e has several codes.
    pub fn new(year: u16, multi: Vec<bool>, blocs: Vec<Accumulator>) -> WorldAcc {
        let n = multi.len();
        WorldAcc {
            year,
            n,
            multi,
            slots: Slots::new(),
            cap: INITIAL_CAP,
            imports: filled(n * INITIAL_CAP, NO_IMPORTS),
            w: filled(n * INITIAL_CAP, 0),
            pending: (NONE, NONE, NONE, 0),
            batch: Batch::new(n),
            side: HashMap::new(),
            blocs,
            rows_other_year: 0,
            overflow: false,
        }
    }

    /// The slot of a product, growing the matrices when full.
    #[inline(always)]
    fn slot(&mut self, product: u32) -> usize {
        let (s, new) = self.slots.slot(product);
        if new && s == self.cap {
            let (n, cap, new_cap) = (self.n, self.cap, self.cap * 2);
            grow(&mut self.imports, n, cap, new_cap, NO_IMPORTS);
            grow(&mut self.w, n, cap, new_cap, 0);
            self.cap = new_cap;
        }
        s
    }

    /// Adds one supplier's value to an importer's cell.
    #[inline(always)]
    fn put(&mut self, exporter: u32, importer: u32, slot: usize, v: i64) {
        let c = &mut self.imports[importer as usize * self.cap + slot];
        match c.m.checked_add(v) {
            Some(s) => c.m = s,
            None => self.overflow = true,
        }
        c.sq += i128::from(v) * i128::from(v);
        c.count += 1;
        if v > c.top_v || (v == c.top_v && exporter < c.top_e) {
            c.top_v = v;
            c.top_e = exporter;
        }
    }

    fn flush(&mut self) {
        let (e, j, s, v) = self.pending;
        if e != NONE {
            self.batch.rows.push((e, j, s, v));
            if self.batch.rows.len() >= BATCH_ROWS {
                self.drain();
            }
        }
        self.pending = (NONE, NONE, NONE, 0);
    }

    /// Adds the waiting supplier values, importer by importer.
    fn drain(&mut self) {
        let sorted = self.batch.by_importer();
        for &(e, j, s, v) in &sorted {
            self.put(e, j, s as usize, v);
        }
        self.batch.done(sorted);
    }

    /// Adds one flow.
    #[inline(always)]
    pub fn add(&mut self, year: u16, exporter: u32, importer: u32, product: u32, value: f64) {
        if year != self.year {
            self.rows_other_year += 1;
            return;
        }
        for b in &mut self.blocs {
            b.add(year, exporter, importer, product, value);
        }
        if exporter == importer || product as usize >= HS_LIMIT {
            return;
        }
        let v = fixed(value);
        let s = self.slot(product);
        let wc = exporter as usize * self.cap + s;
        match self.w[wc].checked_add(v) {
            Some(x) => self.w[wc] = x,
            None => self.overflow = true,
        }
        if self.multi[exporter as usize] || self.multi[importer as usize] {
            *self.side.entry((exporter, importer, product)).or_default() += v;
            return;
        }
        let (e, j, ps, pv) = self.pending;
        if e == exporter && j == importer && ps == s as u32 {
            self.pending.3 = pv.saturating_add(v);
        } else {
            self.flush();
            self.pending = (exporter, importer, s as u32, v);
        }
    }

    /// Flushes the last pending row and folds the side table in (before merging or reading).
    pub fn settle(&mut self) {
        self.flush();
        self.drain();
        let side = std::mem::take(&mut self.side);
        let mut entries: Vec<((u32, u32, u32), i64)> = side.into_iter().collect();
        entries.sort_unstable();
        for ((e, j, k), v) in entries {
            let s = self.slot(k);
            self.put(e, j, s, v);
        }
    }

    /// Adds another settled accumulator of the same year and entities.
    pub fn merge(&mut self, mut other: WorldAcc) {
        self.rows_other_year += other.rows_other_year;
        self.overflow |= other.overflow;
        let map: Vec<usize> = other
            .slots
            .codes
            .clone()
            .iter()
            .map(|&k| self.slot(k))
            .collect();
        // Importers' rows in two halves, on two threads.
        let (cap, ocap) = (self.cap, other.cap);
        let per = self.n.div_ceil(2).max(1);
        let mine = self
            .imports
            .chunks_mut(per * cap)
            .zip(self.w.chunks_mut(per * cap));
        let theirs = other
            .imports
            .chunks(per * ocap)
            .zip(other.w.chunks(per * ocap));
        std::thread::scope(|sc| {
            for ((imports, w), (o_imports, o_w)) in mine.zip(theirs) {
                let map = &map;
                sc.spawn(move || {
                    let rows = imports.len() / cap;
                    for r in 0..rows {
                        let (row, o_row) = (r * cap, r * ocap);
                        for (os, &s) in map.iter().enumerate() {
                            let (a, b) = (row + s, o_row + os);
                            w[a] = w[a].saturating_add(o_w[b]);
                            add_imports(&mut imports[a], &o_imports[b]);
                        }
                    }
                });
            }
        });
        for (b, ob) in self.blocs.iter_mut().zip(std::mem::take(&mut other.blocs)) {
            b.merge(&ob);
        }
    }

    /// Whether a sum went beyond 64 bits.
    pub fn overflowed(&self) -> bool {
        self.overflow
    }

    /// The products seen, by slot.
    pub(crate) fn codes(&self) -> &[u32] {
        &self.slots.codes
    }

    /// The slot of a product, if seen.
    pub(crate) fn slot_of(&self, product: u32) -> Option<usize> {
        self.slots.get(product)
    }
}

impl RowSink for WorldAcc {
    #[inline(always)]
    fn row(&mut self, r: &Row) {
        self.add(r.year, r.exporter_idx, r.importer_idx, r.product, r.value);
    }
}

/// The fixed-point value as thousand USD.
pub(crate) fn float(v: i64) -> f64 {
    v as f64 / SCALE
}
