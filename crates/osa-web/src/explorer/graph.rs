//! The value chain laid out for drawing: a column per stage, lanes by depth along `goes_into`,
//! nodes ordered so arrows cross less.

use osa_app::workbench::explorer::StageRef;
use serde::Serialize;
use std::collections::{HashMap, HashSet, VecDeque};

/// Width of a node.
pub const NODE_W: u32 = 176;
/// Height of a node.
pub const NODE_H: u32 = 22;
/// Vertical distance between nodes.
pub const ROW_H: u32 = 28;
/// Width of a lane (a node and the gap the arrows cross).
pub const LANE_W: u32 = 224;
/// Room above the nodes for the stage names.
pub const TOP: u32 = 44;
/// Margin around the graph.
pub const PAD: u32 = 16;
/// Most nodes in one lane; a longer layer is spread over several lanes.
pub const MAX_ROWS: usize = 24;
/// Longest label in a node (the full name is in its title).
pub const LABEL_CHARS: usize = 27;

/// One input to lay out.
#[derive(Debug, Clone)]
pub struct GraphInput {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Stage id (declared or inferred).
    pub stage: Option<String>,
    /// Whether the stage was inferred from what the input goes into.
    pub stage_inferred: bool,
    /// The holder's share, 0-1; `None` without shares.
    pub share: Option<f64>,
    /// The year of the shares.
    pub year: Option<i32>,
    /// Whether it is a chokepoint of the holder.
    pub chokepoint: bool,
}

/// A column of the graph: one stage (or the inputs without one).
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    /// Stage id; `None` for the inputs without a stage.
    pub stage: Option<String>,
    /// Stage name.
    pub name: String,
    /// Left edge.
    pub x: u32,
    /// Width.
    pub width: u32,
}

/// A node (an input) where it is drawn.
#[derive(Debug, Clone, Serialize)]
pub struct Node {
    /// Input id.
    pub id: String,
    /// Input name.
    pub name: String,
    /// Stage id.
    pub stage: Option<String>,
    /// Whether the stage was inferred from what the input goes into.
    pub stage_inferred: bool,
    /// Its column (index into `columns`).
    pub column: usize,
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// The holder's share, 0-1.
    pub share: Option<f64>,
    /// The year of the shares.
    pub year: Option<i32>,
    /// A chokepoint of the holder.
    pub chokepoint: bool,
}

/// An arrow: `from` goes into `to` (indexes into `nodes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Edge {
    /// The input that goes into the other.
    pub from: usize,
    /// The input it goes into.
    pub to: usize,
}

/// The value chain laid out.
#[derive(Debug, Clone, Serialize)]
pub struct Graph {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// Columns, in value-chain order.
    pub columns: Vec<Column>,
    /// Nodes, in the order given.
    pub nodes: Vec<Node>,
    /// Arrows, each `goes_into` edge once.
    pub edges: Vec<Edge>,
}

/// Lays the value chain out: a column per stage in the order given (and one for inputs without
/// a stage, last); within a column, lanes by depth along the column's own `goes_into` edges (what
/// goes into another input is to its left), a layer longer than [`MAX_ROWS`] spread over several
/// lanes; within a layer, nodes ordered by the mean position of their neighbours (four sweeps)
/// so arrows cross less. Edges naming unknown inputs, self-loops and repeats are dropped.
pub fn layout(stages: &[StageRef], inputs: Vec<GraphInput>, edges: &[(String, String)]) -> Graph {
    let n = inputs.len();
    let (mut columns, col) = columns_of(stages, &inputs);
    let edge_list = unique_edges(&inputs, edges);
    let depth = depths(n, &col, &edge_list);
    let (mut layers, layer_col) = layers_of(columns.len(), &col, &depth);
    order_layers(&mut layers, n, &edge_list);
    let lanes = lanes_of(&layers, &layer_col, columns.len());
    let max_rows = lanes.iter().map(|l| l.1.len()).max().unwrap_or(0).max(1);
    let height = TOP + max_rows as u32 * ROW_H + PAD;
    let mut xy = vec![(0u32, 0u32); n];
    for (k, (c, members)) in lanes.iter().enumerate() {
        let left = PAD + k as u32 * LANE_W;
        let column = &mut columns[*c];
        if column.width == 0 {
            column.x = left;
        }
        column.width += LANE_W;
        for (r, &i) in members.iter().enumerate() {
            xy[i] = (left + (LANE_W - NODE_W) / 2, TOP + r as u32 * ROW_H);
        }
    }
    let nodes = inputs
        .into_iter()
        .enumerate()
        .map(|(k, i)| Node {
            id: i.id,
            name: i.name,
            stage: i.stage,
            stage_inferred: i.stage_inferred,
            column: col[k],
            x: xy[k].0,
            y: xy[k].1,
            share: i.share,
            year: i.year,
            chokepoint: i.chokepoint,
        })
        .collect();
    Graph {
        width: 2 * PAD + lanes.len() as u32 * LANE_W,
        height,
        columns,
        nodes,
        edges: edge_list,
    }
}

/// A column per stage (and one, last, for the inputs without a known stage), and each input's.
fn columns_of(stages: &[StageRef], inputs: &[GraphInput]) -> (Vec<Column>, Vec<usize>) {
    let mut columns: Vec<Column> = stages
        .iter()
        .map(|s| Column {
            stage: Some(s.id.clone()),
            name: s.name.clone(),
            x: 0,
            width: 0,
        })
        .collect();
    let stage_col: HashMap<&str, usize> = stages
        .iter()
        .enumerate()
        .map(|(k, s)| (s.id.as_str(), k))
        .collect();
    let col: Vec<Option<usize>> = inputs
        .iter()
        .map(|i| i.stage.as_deref().and_then(|s| stage_col.get(s).copied()))
        .collect();
    let none = columns.len();
    if col.iter().any(Option::is_none) {
        columns.push(Column {
            stage: None,
            name: "No stage".into(),
            x: 0,
            width: 0,
        });
    }
    (
        columns,
        col.into_iter().map(|c| c.unwrap_or(none)).collect(),
    )
}

/// The edges between known inputs, each once, without self-loops.
fn unique_edges(inputs: &[GraphInput], edges: &[(String, String)]) -> Vec<Edge> {
    let index: HashMap<&str, usize> = inputs
        .iter()
        .enumerate()
        .map(|(k, i)| (i.id.as_str(), k))
        .collect();
    let mut seen = HashSet::new();
    edges
        .iter()
        .filter_map(|(a, b)| {
            Some(Edge {
                from: *index.get(a.as_str())?,
                to: *index.get(b.as_str())?,
            })
        })
        .filter(|e| e.from != e.to && seen.insert(*e))
        .collect()
}

/// Each input's depth in its column: the longest path to it along the column's own edges.
fn depths(n: usize, col: &[usize], edges: &[Edge]) -> Vec<usize> {
    let mut depth = vec![0usize; n];
    let mut indegree = vec![0usize; n];
    let mut inner: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in edges.iter().filter(|e| col[e.from] == col[e.to]) {
        indegree[e.to] += 1;
        inner[e.from].push(e.to);
    }
    let mut queue: VecDeque<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
    while let Some(a) = queue.pop_front() {
        for &b in &inner[a] {
            depth[b] = depth[b].max(depth[a] + 1);
            indegree[b] -= 1;
            if indegree[b] == 0 {
                queue.push_back(b);
            }
        }
    }
    depth
}

/// The layers (column, depth) in order, with each layer's column.
fn layers_of(columns: usize, col: &[usize], depth: &[usize]) -> (Vec<Vec<usize>>, Vec<usize>) {
    let n = col.len();
    let mut layers: Vec<Vec<usize>> = Vec::new();
    let mut layer_col: Vec<usize> = Vec::new();
    for c in 0..columns {
        let max_depth = (0..n).filter(|&i| col[i] == c).map(|i| depth[i]).max();
        for d in 0..=max_depth.unwrap_or(0) {
            let members: Vec<usize> = (0..n).filter(|&i| col[i] == c && depth[i] == d).collect();
            if !members.is_empty() {
                layers.push(members);
                layer_col.push(c);
            }
        }
    }
    (layers, layer_col)
}

/// Orders each layer by the mean relative position of its nodes' neighbours in earlier layers
/// (forward sweeps) or later ones (backward sweeps), four sweeps in all.
fn order_layers(layers: &mut [Vec<usize>], n: usize, edges: &[Edge]) {
    let mut layer_of = vec![0usize; n];
    for (l, members) in layers.iter().enumerate() {
        for &m in members {
            layer_of[m] = l;
        }
    }
    let mut pos = vec![0.0f64; n];
    let place = |layer: &[usize], pos: &mut [f64]| {
        let m = layer.len().max(1) as f64;
        for (k, &i) in layer.iter().enumerate() {
            pos[i] = (k as f64 + 0.5) / m;
        }
    };
    for l in layers.iter() {
        place(l, &mut pos);
    }
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut succs: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in edges {
        preds[e.to].push(e.from);
        succs[e.from].push(e.to);
    }
    for sweep in 0..4 {
        let forward = sweep % 2 == 0;
        let order: Vec<usize> = if forward {
            (0..layers.len()).collect()
        } else {
            (0..layers.len()).rev().collect()
        };
        for l in order {
            let key = |i: usize| {
                let near: Vec<f64> = if forward { &preds[i] } else { &succs[i] }
                    .iter()
                    .filter(|&&j| (layer_of[j] < l) == forward && layer_of[j] != l)
                    .map(|&j| pos[j])
                    .collect();
                if near.is_empty() {
                    pos[i]
                } else {
                    near.iter().sum::<f64>() / near.len() as f64
                }
            };
            let mut keyed: Vec<(f64, usize)> = layers[l].iter().map(|&i| (key(i), i)).collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            layers[l] = keyed.into_iter().map(|k| k.1).collect();
            place(&layers[l], &mut pos);
        }
    }
}

/// The lanes, left to right, with their column: a layer over [`MAX_ROWS`] nodes is dealt
/// round-robin over several, so the vertical order holds across them; every column takes at
/// least one lane (a stage without inputs still shows).
fn lanes_of(
    layers: &[Vec<usize>],
    layer_col: &[usize],
    columns: usize,
) -> Vec<(usize, Vec<usize>)> {
    let mut lanes: Vec<(usize, Vec<usize>)> = Vec::new();
    for (l, members) in layers.iter().enumerate() {
        let k = members.len().div_ceil(MAX_ROWS).max(1);
        let mut split = vec![Vec::new(); k];
        for (r, &i) in members.iter().enumerate() {
            split[r % k].push(i);
        }
        lanes.extend(split.into_iter().map(|s| (layer_col[l], s)));
    }
    for c in 0..columns {
        if !lanes.iter().any(|(lc, _)| *lc == c) {
            let at = lanes
                .iter()
                .position(|(lc, _)| *lc > c)
                .unwrap_or(lanes.len());
            lanes.insert(at, (c, Vec::new()));
        }
    }
    lanes
}
