//! The compiled [`Model`] the kernels read: plan nodes in topological levels, their inputs and
//! kinds in CSR form, supplier terms, per-node mitigation constants, and the [`Draw`]s (the
//! numbers of one run) taken from the seeded random stream.

use super::KindRule;
use crate::scenario::Value;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Level of a supplier term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Level {
    /// A country or region share.
    Country = 0,
    /// A firm share.
    Firm = 1,
    /// The whole world supply (`*`).
    World = 2,
}

/// One shocked supplier of one input: its share and the shocks that hit it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Term {
    pub(crate) level: Level,
    pub(crate) share: f64,
    pub(crate) shocks: (u32, u32),
}

/// Per-node constants the long-run kernel reads (kept small: the kernel streams them).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hot {
    /// The input's own substitutability (used when no mitigation record sets it).
    pub(crate) sigma: f64,
    /// Spare capacity when no mitigation record sets it (0).
    pub(crate) spare: f64,
    /// All kinds of the node, also those the shock cannot reach (they stay at 1).
    pub(crate) n_kinds: u32,
    /// Mitigation record that sets substitution, or [`NONE`].
    pub(crate) sigma_src: u32,
    /// Mitigation record that sets spare capacity, or [`NONE`].
    pub(crate) spare_src: u32,
}

/// Per-node constants only the weekly kernel reads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cold {
    pub(crate) sub_ramp: f64,
    pub(crate) spare_ramp: f64,
    pub(crate) stock_months: f64,
    pub(crate) stock_src: u32,
}

/// Widest run the kernel has a fixed-width loop for.
pub(crate) const MAX_RUN_WIDTH: u32 = 8;

/// Plan nodes `start..end` of one level: with `width` > 0 none is hit directly or has kinds, and
/// each has exactly `width` inputs going into it; with `width` 0 they take the general path.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Run {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) width: u32,
}

/// No mitigation record sets this parameter.
pub(crate) const NONE: u32 = u32::MAX;

/// A shock's numbers as the engine needs them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ShockTiming {
    pub(crate) lost: Value,
    pub(crate) start: u32,
    pub(crate) end: Option<u32>,
}

impl ShockTiming {
    pub(crate) fn active(&self, week: u32) -> bool {
        week >= self.start && self.end.is_none_or(|e| week < e)
    }
}

/// A scenario compiled against an ecosystem.
#[derive(Debug, Clone)]
pub struct Model {
    pub(crate) n_inputs: usize,
    /// Plan node -> input index, in topological levels.
    pub(crate) nodes: Vec<usize>,
    /// Plan node -> order (0 = directly shocked).
    pub(crate) order: Vec<u32>,
    /// Start of each level in plan order, plus the end.
    pub(crate) level_starts: Vec<usize>,
    /// Plan node k's inputs that go into it: `preds[pred_off[k]..pred_off[k + 1]]`.
    pub(crate) pred_off: Vec<u32>,
    pub(crate) preds: Vec<u32>,
    /// Plan node k's kinds inside the plan: `kinds[kind_off[k]..kind_off[k + 1]]`.
    pub(crate) kind_off: Vec<u32>,
    pub(crate) kinds: Vec<u32>,
    /// Plan node k's supplier terms: `terms[term_off[k]..term_off[k + 1]]`.
    pub(crate) term_off: Vec<u32>,
    pub(crate) terms: Vec<Term>,
    pub(crate) hot: Vec<Hot>,
    pub(crate) cold: Vec<Cold>,
    /// Plan nodes in runs of the same shape, in plan order (see [`Run`]).
    pub(crate) runs: Vec<Run>,
    pub(crate) term_shocks: Vec<u32>,
    pub(crate) shocks: Vec<ShockTiming>,
    pub(crate) mitigations: Vec<[Option<Value>; 3]>,
    pub(crate) horizon: Option<u32>,
    /// Per week of the horizon: whether the set of active shocks changes (week 0 always).
    pub(crate) boundaries: Vec<bool>,
    pub(crate) ramp_origin: u32,
    pub(crate) rule: KindRule,
    pub(crate) warnings: Vec<String>,
}

/// The numbers of one run: lost shares per shock, and the mitigation values per mitigation record
/// (stock months, substitution, spare capacity).
#[derive(Debug, Clone, PartialEq)]
pub struct Draw {
    /// Per shock.
    pub lost: Vec<f64>,
    /// Per mitigation record: stock months, substitution, spare capacity (NaN where unset).
    pub mitigation: Vec<[f64; 3]>,
}

impl Model {
    /// Number of inputs the shock can reach (the plan's nodes).
    pub fn n_nodes(&self) -> usize {
        self.nodes.len()
    }
    /// Input index of plan node `k`.
    pub fn input(&self, k: usize) -> usize {
        self.nodes[k]
    }
    /// Order of plan node `k`: the number of edges from the nearest directly shocked input.
    pub fn order(&self, k: usize) -> u32 {
        self.order[k]
    }
    /// Number of goes_into and is_type_of edges inside the plan.
    pub fn n_edges(&self) -> usize {
        self.preds.len() + self.kinds.len()
    }
    /// Weeks of the weekly profile, when the run is weekly.
    pub fn horizon(&self) -> Option<u32> {
        self.horizon
    }
    /// Problems that did not stop the run (unknown ids in a scenario file, shocks that hit nothing).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
    /// Number of inputs of the ecosystem.
    pub fn n_inputs(&self) -> usize {
        self.n_inputs
    }
    /// Number of topological levels.
    pub fn n_levels(&self) -> usize {
        self.level_starts.len().saturating_sub(1)
    }

    /// The point estimate: every range at its midpoint.
    pub fn point(&self) -> Draw {
        Draw {
            lost: self.shocks.iter().map(|s| s.lost.mid()).collect(),
            mitigation: self
                .mitigations
                .iter()
                .map(|m| m.map(|v| v.map_or(f64::NAN, |v| v.mid())))
                .collect(),
        }
    }

    /// Number of values a draw takes from the random stream: one per range.
    fn n_ranged(&self) -> usize {
        self.shocks.iter().filter(|s| s.lost.is_range()).count()
            + self
                .mitigations
                .iter()
                .flatten()
                .flatten()
                .filter(|v| v.is_range())
                .count()
    }

    /// Number of parameter slots of a draw: one lost share per shock, then three per mitigation
    /// record (stock months, substitution, spare capacity).
    pub(crate) fn n_slots(&self) -> usize {
        self.shocks.len() + 3 * self.mitigations.len()
    }

    /// The values of draws `first..first + count` of the Monte Carlo seeded with `seed`:
    /// `put(j, slot, value)` for draw `first + j` and every slot (NaN where a mitigation record
    /// leaves a field unset).
    ///
    /// One ChaCha8 stream (seed `seed`) is cut into equal segments, one per draw: draw d reads
    /// the 64-bit words from word position 2·d·R on, where R is the number of ranges. Each range
    /// takes one word x, in a fixed order (shocks, then mitigation records field by field), and
    /// becomes lo + u·(hi − lo) with u = (x >> 11)·2⁻⁵³ ∈ [0, 1). Point values take no word. A
    /// draw's numbers depend only on (seed, d), not on which thread runs it or in what batch.
    pub(crate) fn draw_values(
        &self,
        seed: u64,
        first: u64,
        count: usize,
        mut put: impl FnMut(usize, usize, f64),
    ) {
        let n_ranged = self.n_ranged();
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        if n_ranged > 0 {
            rng.set_word_pos(u128::from(first) * 2 * n_ranged as u128);
        }
        let mut pick = |v: Value| {
            if v.is_range() {
                let u = (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
                v.lo + u * (v.hi - v.lo)
            } else {
                v.lo
            }
        };
        let k = self.shocks.len();
        for j in 0..count {
            for (s, shock) in self.shocks.iter().enumerate() {
                put(j, s, pick(shock.lost));
            }
            for (r, m) in self.mitigations.iter().enumerate() {
                for (f, v) in m.iter().enumerate() {
                    put(j, k + 3 * r + f, v.map_or(f64::NAN, &mut pick));
                }
            }
        }
    }

    /// Draw `index` of the Monte Carlo seeded with `seed` (see [`Model::draw_values`] for how
    /// the stream is used).
    pub fn sample(&self, seed: u64, index: u64) -> Draw {
        let k = self.shocks.len();
        let mut draw = Draw {
            lost: vec![0.0; k],
            mitigation: vec![[f64::NAN; 3]; self.mitigations.len()],
        };
        self.draw_values(seed, index, 1, |_, slot, v| {
            if slot < k {
                draw.lost[slot] = v;
            } else {
                draw.mitigation[(slot - k) / 3][(slot - k) % 3] = v;
            }
        });
        draw
    }
}
