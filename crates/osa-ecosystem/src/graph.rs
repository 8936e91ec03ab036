//! The value chain as a directed acyclic graph: inputs point to what they go into and to what they
//! are a type of. Reach (how much of the chain an input feeds) and stage inference live here.

use osa_model::{Checked, InputKind};
use std::collections::VecDeque;

/// How far a disruption of one input can travel downstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reach {
    /// Number of inputs reachable downstream (the input itself not counted).
    pub nodes: usize,
    /// Of those, how many are final outputs.
    pub final_outputs: usize,
}

impl Reach {
    /// Reach as a share (0-1) of the other inputs of the ecosystem.
    pub fn share(&self, n_inputs: usize) -> f64 {
        if n_inputs <= 1 {
            0.0
        } else {
            self.nodes as f64 / (n_inputs - 1) as f64
        }
    }
}

/// Breadth-first search downstream of input `start` over `goes_into` and `is_type_of`.
pub fn reach(checked: &Checked, start: usize) -> Reach {
    let mut seen = vec![false; checked.n_inputs()];
    seen[start] = true;
    let mut queue = VecDeque::from([start]);
    let mut out = Reach::default();
    let inputs = &checked.ecosystem().inputs;
    while let Some(i) = queue.pop_front() {
        for t in checked.downstream(i) {
            if !seen[t] {
                seen[t] = true;
                out.nodes += 1;
                if inputs[t].kind == InputKind::FinalOutput {
                    out.final_outputs += 1;
                }
                queue.push_back(t);
            }
        }
    }
    out
}

/// Reach of every input.
pub fn reach_all(checked: &Checked) -> Vec<Reach> {
    (0..checked.n_inputs()).map(|i| reach(checked, i)).collect()
}

/// Inputs in an order where every input comes before all inputs downstream of it (Kahn's algorithm).
/// A checked ecosystem has no cycle, so every input appears.
pub fn topological_order(checked: &Checked) -> Vec<usize> {
    let n = checked.n_inputs();
    let mut indegree = vec![0usize; n];
    for i in 0..n {
        for t in checked.downstream(i) {
            indegree[t] += 1;
        }
    }
    let mut queue: VecDeque<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(i) = queue.pop_front() {
        order.push(i);
        for t in checked.downstream(i) {
            indegree[t] -= 1;
            if indegree[t] == 0 {
                queue.push_back(t);
            }
        }
    }
    order
}

/// The stage of each input: the declared one, or else the stage of the first downstream input
/// (`goes_into` before `is_type_of`, in file order) that has one. The flag says it was inferred.
pub fn stages(checked: &Checked) -> Vec<(Option<usize>, bool)> {
    let n = checked.n_inputs();
    let mut out: Vec<(Option<usize>, bool)> =
        (0..n).map(|i| (checked.input_stage(i), false)).collect();
    // Downstream inputs come later in topological order, so walk it backwards.
    for &i in topological_order(checked).iter().rev() {
        if out[i].0.is_some() {
            continue;
        }
        if let Some(s) = checked.downstream(i).find_map(|t| out[t].0) {
            out[i] = (Some(s), true);
        }
    }
    out
}
