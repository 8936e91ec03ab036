//! The plan: the inputs a shock can reach (breadth-first downstream from the directly shocked),
//! sorted into topological levels, their inputs and kinds inside the plan (CSR), the runs of
//! same-shaped nodes the kernel takes in fixed-width loops, and the supplier terms of exposed
//! nodes.

use super::exposure::Exposure;
use super::model::{MAX_RUN_WIDTH, Run, Term};
use osa_model::Checked;
use std::collections::VecDeque;

/// The inputs reached downstream of the directly shocked ones.
pub(super) struct Reach {
    /// Per input: breadth-first distance from the nearest directly shocked input (`u32::MAX`
    /// where not reached).
    pub(super) dist: Vec<u32>,
    /// Reached inputs, in breadth-first order.
    pub(super) reached: Vec<usize>,
}

/// Order: breadth-first distance downstream over goes_into and is_type_of.
pub(super) fn reach_downstream(checked: &Checked, shocked: &[usize]) -> Reach {
    let mut dist = vec![u32::MAX; checked.n_inputs()];
    let mut queue = VecDeque::new();
    for &i in shocked {
        dist[i] = 0;
        queue.push_back(i);
    }
    let mut reached = Vec::new();
    while let Some(i) = queue.pop_front() {
        reached.push(i);
        for t in checked.downstream(i) {
            if dist[t] == u32::MAX {
                dist[t] = dist[i] + 1;
                queue.push_back(t);
            }
        }
    }
    Reach { dist, reached }
}

/// Per input, what decides the path the kernel takes for it.
pub(super) struct Shapes {
    /// Whether some shocked supplier supplies it.
    pub(super) exposed: Vec<bool>,
    /// Number of all its kinds, reached or not.
    pub(super) n_kinds: Vec<u32>,
    /// Number of reached inputs that go into it.
    pub(super) n_preds: Vec<u32>,
}

impl Shapes {
    pub(super) fn of(checked: &Checked, reached: &[usize], exposure: &[Exposure]) -> Shapes {
        let n = checked.n_inputs();
        let mut n_preds = vec![0u32; n];
        for &i in reached {
            for &t in checked.goes_into(i) {
                n_preds[t] += 1;
            }
        }
        let mut n_kinds = vec![0u32; n];
        for i in 0..n {
            for &t in checked.is_type_of(i) {
                n_kinds[t] += 1;
            }
        }
        Shapes {
            exposed: exposure.iter().map(|l| !l.is_empty()).collect(),
            n_kinds,
            n_preds,
        }
    }

    /// Sort key within a level: nodes with the same shape (hit directly or not, number of inputs
    /// and of kinds) sit together, so the kernel's loops run the same trip counts in long runs
    /// and its branches are predictable. The order within a level changes no result.
    fn key(&self, i: usize) -> (bool, u32, u32, usize) {
        (self.exposed[i], self.n_kinds[i], self.n_preds[i], i)
    }

    /// Width of the fixed-width loop that can take input `i`: its number of inputs (1 to
    /// [`MAX_RUN_WIDTH`]) when it is not hit directly and has no kinds, else 0 (the general path).
    fn run_width(&self, i: usize) -> u32 {
        let simple = !self.exposed[i] && self.n_kinds[i] == 0;
        if simple && (1..=MAX_RUN_WIDTH).contains(&self.n_preds[i]) {
            self.n_preds[i]
        } else {
            0
        }
    }
}

/// Reached inputs in topological levels.
pub(super) struct Levels {
    /// Plan node -> input index.
    pub(super) nodes: Vec<usize>,
    /// Start of each level in plan order, plus the end.
    pub(super) level_starts: Vec<usize>,
    /// Input index -> plan node (`u32::MAX` where not in the plan).
    pub(super) local: Vec<u32>,
}

/// Levels over the reached subgraph (Kahn in waves): every node after all its predecessors.
pub(super) fn sort_levels(checked: &Checked, reached: &[usize], shapes: &Shapes) -> Levels {
    let n = checked.n_inputs();
    let mut indegree = vec![0u32; n];
    for &i in reached {
        for t in checked.downstream(i) {
            indegree[t] += 1;
        }
    }
    let shape = |i: &usize| shapes.key(*i);
    let mut wave: Vec<usize> = reached
        .iter()
        .copied()
        .filter(|&i| indegree[i] == 0)
        .collect();
    wave.sort_unstable_by_key(shape);
    let mut nodes = Vec::with_capacity(reached.len());
    let mut level_starts = vec![0];
    while !wave.is_empty() {
        nodes.extend_from_slice(&wave);
        level_starts.push(nodes.len());
        let mut next = Vec::new();
        for &i in &wave {
            for t in checked.downstream(i) {
                indegree[t] -= 1;
                if indegree[t] == 0 {
                    next.push(t);
                }
            }
        }
        next.sort_unstable();
        next.dedup();
        next.sort_unstable_by_key(shape);
        wave = next;
    }
    debug_assert_eq!(
        nodes.len(),
        reached.len(),
        "a checked ecosystem has no cycle"
    );
    let mut local = vec![u32::MAX; n];
    for (k, &i) in nodes.iter().enumerate() {
        local[i] = k as u32;
    }
    Levels {
        nodes,
        level_starts,
        local,
    }
}

/// Predecessors and kinds of each plan node inside the plan, in CSR form.
pub(super) struct Edges {
    pub(super) pred_off: Vec<u32>,
    pub(super) preds: Vec<u32>,
    pub(super) kind_off: Vec<u32>,
    pub(super) kinds: Vec<u32>,
}

/// Offsets of a CSR array from the counts of its rows.
fn offsets(counts: &[u32]) -> Vec<u32> {
    let mut o = Vec::with_capacity(counts.len() + 1);
    o.push(0u32);
    for &c in counts {
        o.push(o.last().copied().unwrap_or(0) + c);
    }
    o
}

/// Predecessors and kinds inside the plan (CSR; filled in plan order, so deterministic).
pub(super) fn plan_edges(checked: &Checked, levels: &Levels) -> Edges {
    let (nodes, local) = (&levels.nodes, &levels.local);
    let m = nodes.len();
    let mut n_preds = vec![0u32; m];
    let mut n_kinds_in = vec![0u32; m];
    for &i in nodes {
        for &t in checked.goes_into(i) {
            n_preds[local[t] as usize] += 1;
        }
        for &t in checked.is_type_of(i) {
            n_kinds_in[local[t] as usize] += 1;
        }
    }
    let pred_off = offsets(&n_preds);
    let kind_off = offsets(&n_kinds_in);
    let mut preds = vec![0u32; pred_off[m] as usize];
    let mut kinds = vec![0u32; kind_off[m] as usize];
    let mut fill_p = pred_off.clone();
    let mut fill_k = kind_off.clone();
    for (k, &i) in nodes.iter().enumerate() {
        for &t in checked.goes_into(i) {
            let j = local[t] as usize;
            preds[fill_p[j] as usize] = k as u32;
            fill_p[j] += 1;
        }
        for &t in checked.is_type_of(i) {
            let j = local[t] as usize;
            kinds[fill_k[j] as usize] = k as u32;
            fill_k[j] += 1;
        }
    }
    Edges {
        pred_off,
        preds,
        kind_off,
        kinds,
    }
}

/// Runs of plan nodes (within a level) that the kernel can take in a fixed-width loop: not hit
/// directly, no kinds, and the same number (1 to MAX_RUN_WIDTH) of inputs going into them.
pub(super) fn find_runs(levels: &Levels, shapes: &Shapes) -> Vec<Run> {
    let nodes = &levels.nodes;
    let mut runs = Vec::new();
    for lv in levels.level_starts.windows(2) {
        let mut k = lv[0];
        while k < lv[1] {
            let width = shapes.run_width(nodes[k]);
            let mut end = k + 1;
            while end < lv[1] && shapes.run_width(nodes[end]) == width {
                end += 1;
            }
            runs.push(Run {
                start: k as u32,
                end: end as u32,
                width,
            });
            k = end;
        }
    }
    runs
}

/// Supplier terms of the exposed plan nodes, with the shocks on each term.
pub(super) struct Terms {
    pub(super) term_off: Vec<u32>,
    pub(super) terms: Vec<Term>,
    pub(super) term_shocks: Vec<u32>,
}

/// Terms of directly exposed plan nodes.
pub(super) fn exposure_terms(nodes: &[usize], exposure: &[Exposure]) -> Terms {
    let mut terms = Vec::new();
    let mut term_shocks = Vec::new();
    let mut term_off = Vec::with_capacity(nodes.len() + 1);
    term_off.push(0u32);
    for &i in nodes {
        for (key, share, ks) in &exposure[i] {
            let s_lo = term_shocks.len() as u32;
            term_shocks.extend_from_slice(ks);
            terms.push(Term {
                level: key.level(),
                share: *share,
                shocks: (s_lo, term_shocks.len() as u32),
            });
        }
        term_off.push(terms.len() as u32);
    }
    Terms {
        term_off,
        terms,
        term_shocks,
    }
}
