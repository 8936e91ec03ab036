//! Finding cycles in the value chain: a depth-first search over both edge kinds (goes_into and
//! is_type_of), reporting each back edge with the path it closes.

use super::problem::{Collector, Record};
use crate::ecosystem::Ecosystem;

/// Depth-first search over both edge kinds; reports each back edge as a cycle.
pub(super) fn find_cycles(
    c: &mut Collector,
    eco: &Ecosystem,
    goes_into: &[Vec<usize>],
    is_type_of: &[Vec<usize>],
) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    /// An out-edge: (target, field, item index in the field's list).
    type Edge = (usize, &'static str, usize);
    /// A DFS frame: (node, its out-edges, next edge to follow).
    type Frame = (usize, Vec<Edge>, usize);
    let n = goes_into.len();
    let mut mark = vec![Mark::New; n];
    let targets = |i: usize| -> Vec<Edge> {
        let field_index = |field: &[String], t: usize| {
            field
                .iter()
                .position(|id| id == &eco.inputs[t].id)
                .unwrap_or(0)
        };
        goes_into[i]
            .iter()
            .map(|&t| (t, "goes_into", field_index(&eco.inputs[i].goes_into, t)))
            .chain(
                is_type_of[i]
                    .iter()
                    .map(|&t| (t, "is_type_of", field_index(&eco.inputs[i].is_type_of, t))),
            )
            .collect()
    };
    for root in 0..n {
        if mark[root] != Mark::New {
            continue;
        }
        let mut stack: Vec<Frame> = vec![(root, targets(root), 0)];
        mark[root] = Mark::Open;
        while let Some(top) = stack.last_mut() {
            let (node, edges, pos) = (top.0, &top.1, top.2);
            if pos < edges.len() {
                let (t, field, item) = edges[pos];
                top.2 += 1;
                match mark[t] {
                    Mark::New => {
                        mark[t] = Mark::Open;
                        let e = targets(t);
                        stack.push((t, e, 0));
                    }
                    Mark::Open => {
                        let start = stack.iter().position(|f| f.0 == t).unwrap_or(0);
                        let mut path: Vec<&str> = stack[start..]
                            .iter()
                            .map(|f| eco.inputs[f.0].id.as_str())
                            .collect();
                        path.push(eco.inputs[t].id.as_str());
                        c.push(
                            Record::Input(node),
                            field,
                            Some(item),
                            format!("cycle in the value chain: {}", path.join(" -> ")),
                        );
                    }
                    Mark::Done => {}
                }
            } else {
                mark[node] = Mark::Done;
                stack.pop();
            }
        }
    }
}
