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
fn grow<T: Copy + Default>(m: &mut Vec<T>, rows: usize, cap: usize, new_cap: usize) {
    let mut out = vec![T::default(); rows * new_cap];
    for r in 0..rows {
        out[r * new_cap..r * new_cap + cap].copy_from_slice(&m[r * cap..(r + 1) * cap]);
    }
    *m = out;
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
    pub(crate) m: Vec<i64>,
    pub(crate) sq: Vec<i128>,
    pub(crate) top_v: Vec<i64>,
    pub(crate) top_e: Vec<u32>,
    pub(crate) count: Vec<u32>,
    /// Exports of exporter i to the world: `[i * cap + slot]`.
    pub(crate) w: Vec<i64>,
    pending: (u32, u32, u32, i64),
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
            m: vec![0; n * INITIAL_CAP],
            sq: vec![0; n * INITIAL_CAP],
            top_v: vec![0; n * INITIAL_CAP],
            top_e: vec![NONE; n * INITIAL_CAP],
            count: vec![0; n * INITIAL_CAP],
            w: vec![0; n * INITIAL_CAP],
            pending: (NONE, NONE, NONE, 0),
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
            grow(&mut self.m, n, cap, new_cap);
            grow(&mut self.sq, n, cap, new_cap);
            grow(&mut self.top_v, n, cap, new_cap);
            grow(&mut self.count, n, cap, new_cap);
            grow(&mut self.w, n, cap, new_cap);
            let mut top_e = vec![NONE; n * new_cap];
            for r in 0..n {
                top_e[r * new_cap..r * new_cap + cap]
                    .copy_from_slice(&self.top_e[r * cap..(r + 1) * cap]);
            }
            self.top_e = top_e;
            self.cap = new_cap;
        }
        s
    }

    /// Adds one supplier's value to an importer's cell.
    #[inline(always)]
    fn put(&mut self, exporter: u32, importer: u32, slot: usize, v: i64) {
        let c = importer as usize * self.cap + slot;
        match self.m[c].checked_add(v) {
            Some(s) => self.m[c] = s,
            None => self.overflow = true,
        }
        self.sq[c] += i128::from(v) * i128::from(v);
        self.count[c] += 1;
        if v > self.top_v[c] || (v == self.top_v[c] && exporter < self.top_e[c]) {
            self.top_v[c] = v;
            self.top_e[c] = exporter;
        }
    }

    fn flush(&mut self) {
        let (e, j, s, v) = self.pending;
        if e != NONE {
            self.put(e, j, s as usize, v);
        }
        self.pending = (NONE, NONE, NONE, 0);
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
        for r in 0..self.n {
            for (os, &s) in map.iter().enumerate() {
                let (a, b) = (r * self.cap + s, r * other.cap + os);
                self.w[a] = self.w[a].saturating_add(other.w[b]);
                if other.count[b] == 0 {
                    continue;
                }
                self.m[a] = self.m[a].saturating_add(other.m[b]);
                self.sq[a] += other.sq[b];
                self.count[a] += other.count[b];
                let (ov, oe) = (other.top_v[b], other.top_e[b]);
                if ov > self.top_v[a] || (ov == self.top_v[a] && oe < self.top_e[a]) {
                    self.top_v[a] = ov;
                    self.top_e[a] = oe;
                }
            }
        }
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
