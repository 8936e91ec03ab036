//! The ecosystem explorer (step 1 of the report's method, seed L960-1007): the ecosystems in the
//! record with their snapshots; an ecosystem's value chain as a graph laid out by stage (a column
//! per stage in value-chain order, a node per input, an arrow per `goes_into` edge), each node
//! filled by a chosen holder's share and the holder's chokepoints marked, beside the holder's
//! chokepoints, its leverage and every input's metrics; an input's page (its place in the chain,
//! country and firm shares in every year the data has, the rows behind each figure); and two
//! snapshots compared (the comparison of `osa diff` and of monitoring).
//!
//! The figures come from the application layer (`osa_app::workbench::explorer`); this module lays
//! out and draws. The graph is plain SVG (no script): fills, outlines and arrows are attributes,
//! every node is a link with a `<title>` that says its share and whether it is a chokepoint.

use crate::layout::encode;
use crate::{Ctx, Page};
use maud::{Markup, PreEscaped, html};
use osa_app::workbench::Workbench;
use osa_app::workbench::explorer::{
    Comparison, Exploration, HolderOption, InputAnswer, SnapshotEntry, StageRef,
};
use osa_app::{AppError, Result};
use osa_view::chart::{Bars, GREY, Series, bars_svg, color};
use osa_view::diff::{ChangeView, DiffView, InputDiffRow, ReadingView, StandingView};
use osa_view::ecosystem::{InputYear, SourceRow};
use osa_view::format::{cut, num3};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

// ------------------------------------------------------------------------------ arguments

/// A year argument: empty is none (the latest year each input has).
pub fn parse_year(s: Option<&str>) -> Result<Option<i32>> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(t) => t
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=2200).contains(y))
            .map(Some)
            .ok_or_else(|| AppError::invalid("year", format!("`{t}` is not a year"))),
    }
}

/// A share argument (0-1, or a percentage written with `%`): empty is none (the default).
pub fn parse_share(field: &str, s: Option<&str>) -> Result<Option<f64>> {
    let Some(t) = s.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let v = match t.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map(|v| v / 100.0),
        None => t.parse::<f64>(),
    };
    v.ok()
        .filter(|v| v.is_finite())
        .map(Some)
        .ok_or_else(|| AppError::invalid(field, format!("`{t}` is not a share (0-1, e.g. 0.9)")))
}

/// A non-empty argument.
pub fn given(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

// ------------------------------------------------------------------------------ formatting

/// A share (0-1) as a percentage: whole where it is one (`98%`), else one decimal (`97.6%`).
pub fn pc(v: f64) -> String {
    let p = v * 100.0;
    if (p - p.round()).abs() < 0.05 {
        format!("{:.0}%", p.round())
    } else {
        format!("{p:.1}%")
    }
}

fn pco(v: Option<f64>) -> String {
    v.map(pc).unwrap_or_default()
}

/// A link on the server with query arguments, keeping the as-of.
fn link(ctx: &Ctx, path: &str, params: &[(&str, &str)]) -> String {
    let mut q: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    if let Some(a) = &ctx.as_of {
        q.push(format!("as_of={}", encode(a)));
    }
    let mut s = format!("{}{path}", ctx.links.root);
    if !q.is_empty() {
        s.push('?');
        s.push_str(&q.join("&"));
    }
    s
}

fn eco_path(name: &str) -> String {
    format!("ecosystems/{}", encode(name))
}

fn input_path(eco: &str, input: &str) -> String {
    format!("ecosystems/{}/inputs/{}", encode(eco), encode(input))
}

fn as_of_field(ctx: &Ctx) -> Markup {
    html! { @if let Some(a) = &ctx.as_of { input type="hidden" name="as_of" value=(a); } }
}

fn snapshot_when(s: &SnapshotEntry) -> String {
    s.at.get(..10).unwrap_or(&s.at).to_string()
}

// ------------------------------------------------------------------------------ the list

/// An ecosystem in the record.
#[derive(Debug, Clone, Serialize)]
pub struct EcosystemItem {
    /// Its name in the record.
    pub name: String,
    /// Its current version (the revision that wrote it).
    pub version: i64,
    /// Inputs.
    pub inputs: usize,
    /// Its snapshots, oldest first.
    pub snapshots: Vec<SnapshotEntry>,
}

/// The ecosystems page.
#[derive(Debug, Clone, Serialize)]
pub struct EcosystemsPage {
    /// The ecosystems.
    pub ecosystems: Vec<EcosystemItem>,
    /// Every snapshot in the record, oldest first.
    pub snapshots: Vec<SnapshotEntry>,
}

/// The ecosystems in the record and their snapshots, as of an as-of argument.
pub async fn build_index(wb: &Workbench, as_of: Option<&str>) -> Result<(i64, EcosystemsPage)> {
    let rev = wb.revision_of(as_of).await?;
    let at = format!("r{rev}");
    let snapshots = wb.snapshots(None, Some(&at)).await?;
    let ecosystems = wb
        .ecosystems(Some(&at))
        .await?
        .into_iter()
        .map(|e| EcosystemItem {
            snapshots: snapshots
                .iter()
                .filter(|s| s.ecosystem == e.name)
                .cloned()
                .collect(),
            name: e.name,
            version: e.version,
            inputs: e.inputs,
        })
        .collect();
    Ok((
        rev,
        EcosystemsPage {
            ecosystems,
            snapshots,
        },
    ))
}

/// The value a snapshot takes in a compare form of `eco`'s page: its label for `eco`'s own
/// snapshots, `other@label` for another ecosystem's.
fn snapshot_value(eco: &str, s: &SnapshotEntry) -> String {
    if s.ecosystem == eco {
        s.label.clone()
    } else {
        format!("{}@{}", s.ecosystem, s.label)
    }
}

/// A snapshot select of a compare form: every snapshot, and the current argument where it names
/// no snapshot (an ecosystem by name).
fn snapshot_select(
    eco: &str,
    all: &[SnapshotEntry],
    name: &str,
    id: &str,
    current: &str,
) -> Markup {
    let full = |s: &SnapshotEntry| format!("{}@{}", s.ecosystem, s.label);
    let is = |s: &SnapshotEntry| snapshot_value(eco, s) == current || full(s) == current;
    html! {
        select #(id) name=(name) {
            @if !current.is_empty() && !all.iter().any(is) { option value=(current) selected { (current) } }
            @for s in all {
                option value=(snapshot_value(eco, s)) selected[is(s)] { (full(s)) " (" (snapshot_when(s)) ")" }
            }
        }
    }
}

/// A form comparing two snapshots on `eco`'s compare page, with the holders watched.
fn compare_form(
    ctx: &Ctx,
    eco: &str,
    all: &[SnapshotEntry],
    (from, to, holders): (&str, &str, &str),
    k: usize,
) -> Markup {
    html! {
        form.compare method="get" action=(ctx.plain(&format!("{}/compare", eco_path(eco)))) {
            label for={"from-" (k)} { "From" } " "
            (snapshot_select(eco, all, "from", &format!("from-{k}"), from))
            " " label for={"to-" (k)} { "to" } " "
            (snapshot_select(eco, all, "to", &format!("to-{k}"), to))
            " " label for={"holder-" (k)} { "Holders watched" } " "
            input #{"holder-" (k)} name="holder" type="text" value=(holders) placeholder="EU27,CHN" size="14";
            (as_of_field(ctx))
            " " button type="submit" { "Compare" }
        }
    }
}

/// The default pair of a compare form: the ecosystem's last two snapshots (or its only one twice).
fn last_two(eco: &str, all: &[SnapshotEntry]) -> (String, String) {
    let own: Vec<&SnapshotEntry> = all.iter().filter(|s| s.ecosystem == eco).collect();
    let to = own.last().map(|s| s.label.clone()).unwrap_or_default();
    let from = own
        .len()
        .checked_sub(2)
        .and_then(|k| own.get(k))
        .map_or_else(|| to.clone(), |s| s.label.clone());
    (from, to)
}

impl Page for EcosystemsPage {
    fn title(&self) -> String {
        "Ecosystems".into()
    }

    fn body(&self, ctx: &Ctx) -> Markup {
        html! {
            h1 { "Ecosystems" }
            p { "Each ecosystem in the record is a technology's value chain: its stages, the inputs of each stage, what goes into what, and who supplies each input with what share (step 1 of the report's method). "
                "Open one for its graph coloured by a holder's share with the holder's chokepoints marked, and each input's shares over the years; "
                "compare two snapshots (two data releases) to see what changed." }
            @if self.ecosystems.is_empty() { p.muted { "The record holds no ecosystem." } }
            @for (k, e) in self.ecosystems.iter().enumerate() {
                section.ecosystem aria-labelledby={"eco-" (k)} {
                    h2 #{"eco-" (k)} { a href=(link(ctx, &eco_path(&e.name), &[])) { (e.name) } }
                    p.muted { (e.inputs) " inputs · version r" (e.version) " · "
                        a href=(link(ctx, &eco_path(&e.name), &[])) { "Explore the value chain" } }
                    @if e.snapshots.is_empty() {
                        p.muted { "No registered snapshot (the ecosystem was written in the record directly)." }
                    } @else {
                        div.scroll tabindex="0" { table {
                            caption.muted { "Snapshots of " (e.name) ", oldest first" }
                            thead { tr { th { "Snapshot" } th { "Registered" } th { "By" } th { "Inputs" } th { "From" } th { "Note" } } }
                            tbody { @for s in &e.snapshots {
                                tr { td { (s.label) } td { time datetime=(s.at) { (snapshot_when(s)) } " (r" (s.revision) ")" } td { (s.author) }
                                    td { @if let Some(n) = s.inputs { (n) } } td { (s.origin.as_deref().map(|o| cut(o, 60)).unwrap_or_default()) } td { (s.note) } }
                            } }
                        } }
                        @let (from, to) = last_two(&e.name, &self.snapshots);
                        (compare_form(ctx, &e.name, &self.snapshots, (&from, &to, ""), k))
                    }
                }
            }
        }
    }
}

// ------------------------------------------------------------------------------ the graph

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

/// The colour scale of the holder's share: (lower bound, fill, text colour, legend label).
const SCALE: [(f64, &str, &str, &str); 6] = [
    (0.0, "#ffffff", "#1d2733", "0%"),
    (1e-9, "#deebf7", "#1d2733", "under 10%"),
    (0.10, "#9ecae1", "#1d2733", "10-25%"),
    (0.25, "#6baed6", "#1d2733", "25-50%"),
    (0.50, "#2171b5", "#ffffff", "50-75%"),
    (0.75, "#08519c", "#ffffff", "75-100%"),
];
/// Fill of an input without shares.
const NO_DATA: (&str, &str) = ("#eceff2", "#5b6773");
/// Outline and marker of a chokepoint.
const CHOKE: &str = "#b3261e";

/// The fill and text colour of a node with the holder's share `s`.
pub fn fill(s: Option<f64>) -> (&'static str, &'static str) {
    match s {
        None => NO_DATA,
        Some(s) => {
            let k = SCALE.iter().rposition(|b| s >= b.0).unwrap_or(0);
            (SCALE[k].1, SCALE[k].2)
        }
    }
}

fn edge_path(a: &Node, b: &Node) -> String {
    let (x1, y1) = (a.x + NODE_W, a.y + NODE_H / 2);
    let (x2, y2) = (b.x, b.y + NODE_H / 2);
    let dx = (i64::from(x2) - i64::from(x1)).unsigned_abs() / 2;
    let dx = dx.clamp(30, 160);
    format!(
        "M{x1} {y1}C{} {y1} {} {y2} {x2} {y2}",
        u64::from(x1) + dx,
        i64::from(x2) - dx as i64
    )
}

/// What a node's title says.
fn node_title(n: &Node, holder: &str, min_share: f64, stage: &str) -> String {
    let share = match (n.share, n.year) {
        (Some(s), Some(y)) => format!("{holder} {} ({y})", pc(s)),
        (Some(s), None) => format!("{holder} {}", pc(s)),
        _ => "no shares".to_string(),
    };
    let inferred = if n.stage_inferred { " (inferred)" } else { "" };
    let mut t = format!("{} · {stage}{inferred} · {share}", n.name);
    if n.chokepoint {
        t.push_str(&format!(
            " · chokepoint of {holder} (share at least {})",
            pc(min_share)
        ));
    }
    t
}

/// The graph as SVG: the stage columns, the arrows, then the nodes (links to their pages).
pub fn graph_svg(g: &Graph, x: &Exploration, ctx: &Ctx) -> Markup {
    let holder = x.holder.as_str();
    let year = x.year.map(|y| y.to_string()).unwrap_or_default();
    let min_share = if x.min_share == osa_app::workbench::explorer::DEFAULT_MIN_SHARE {
        String::new()
    } else {
        x.min_share.to_string()
    };
    html! {
        svg xmlns="http://www.w3.org/2000/svg" width=(g.width) height=(g.height)
            viewBox={"0 0 " (g.width) " " (g.height)} role="group"
            aria-label={"The value chain of " (x.name) " by stage: each input filled by " (holder) "'s share, its chokepoints outlined" } {
            defs {
                marker #arrow viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto" {
                    path d="M0 0L10 5L0 10z" fill="#8a96a3" {}
                }
                marker #arrow-cp viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto" {
                    path d="M0 0L10 5L0 10z" fill=(CHOKE) {}
                }
            }
            @for (k, c) in g.columns.iter().enumerate() {
                rect x=(c.x) y="0" width=(c.width) height=(g.height) fill=(if k % 2 == 0 { "#f5f8fb" } else { "#ffffff" }) {}
                text x=(c.x + 10) y="26" font-size="14" font-weight="600" fill="#1d2733" { (c.name) }
            }
            g.edges fill="none" {
                @for e in &g.edges {
                    @let (a, b) = (&g.nodes[e.from], &g.nodes[e.to]);
                    @if a.chokepoint {
                        path.edge.from-chokepoint d=(edge_path(a, b)) stroke=(CHOKE) stroke-width="1.6" stroke-opacity="0.8" marker-end="url(#arrow-cp)" {}
                    } @else {
                        path.edge d=(edge_path(a, b)) stroke="#8a96a3" stroke-width="1" stroke-opacity="0.55" marker-end="url(#arrow)" {}
                    }
                }
            }
            @for n in &g.nodes {
                @let (bg, ink) = fill(n.share);
                @let stage = g.columns[n.column].name.as_str();
                a.node href=(link(ctx, &input_path(&x.ecosystem, &n.id), &[("holder", holder), ("year", &year), ("min_share", &min_share)])) {
                    title { (node_title(n, holder, x.min_share, stage)) }
                    @if n.chokepoint {
                        rect.chokepoint x=(n.x) y=(n.y) width=(NODE_W) height=(NODE_H) rx="4" fill=(bg) stroke=(CHOKE) stroke-width="3" {}
                        text x=(n.x + 6) y=(n.y + 15) font-size="11" fill=(ink) { (cut(&n.name, LABEL_CHARS - 2)) }
                        text x=(n.x + NODE_W - 14) y=(n.y + 15) font-size="12" font-weight="700" fill=(if ink == "#ffffff" { "#ffffff" } else { CHOKE }) { "◆" }
                    } @else {
                        rect x=(n.x) y=(n.y) width=(NODE_W) height=(NODE_H) rx="4" fill=(bg)
                            stroke=(if n.share.is_some() { "#6b7c8f" } else { "#aab4be" }) stroke-width="1"
                            stroke-dasharray=[n.share.is_none().then_some("3 2")] {}
                        text x=(n.x + 6) y=(n.y + 15) font-size="11" fill=(ink) { (cut(&n.name, LABEL_CHARS)) }
                    }
                }
            }
        }
    }
}

/// The colour scale and the chokepoint mark, as a small SVG above the graph.
pub fn legend_svg(holder: &str, min_share: f64) -> Markup {
    let w = 92;
    let width = 16 + SCALE.len() as u32 * w;
    html! {
        svg.legend xmlns="http://www.w3.org/2000/svg" width=(width) height="64" viewBox={"0 0 " (width) " 64"} role="img"
            aria-label={"Legend: fill is " (holder) "'s share of the input's world market; a thick red outline and ◆ mark a chokepoint of " (holder)} {
            text x="8" y="13" font-size="12" fill="#1d2733" { (holder) "'s share of each input's world market" }
            @for (k, (_, bg, _, label)) in SCALE.iter().enumerate() {
                rect x=(8 + k as u32 * w) y="20" width="18" height="14" rx="3" fill=(bg) stroke="#6b7c8f" {}
                text x=(30 + k as u32 * w) y="32" font-size="11" fill="#1d2733" { (label) }
            }
            rect x="8" y="44" width="18" height="14" rx="3" fill=(NO_DATA.0) stroke="#aab4be" stroke-dasharray="3 2" {}
            text x="30" y="56" font-size="11" fill="#1d2733" { "no shares" }
            rect x=(8 + 2 * w) y="44" width="18" height="14" rx="3" fill="#ffffff" stroke=(CHOKE) stroke-width="3" {}
            text x=(30 + 2 * w) y="56" font-size="11" fill="#1d2733" { "◆ chokepoint of " (holder) " (at least " (pc(min_share)) ")" }
        }
    }
}

// ------------------------------------------------------------------------------ the explorer

/// An ecosystem's explorer page.
#[derive(Debug, Clone, Serialize)]
pub struct ExplorerPage {
    /// The ecosystem read for the holder.
    pub exploration: Exploration,
    /// The graph laid out.
    pub graph: Graph,
}

impl ExplorerPage {
    /// The page of an exploration (lays the graph out).
    pub fn new(x: Exploration) -> ExplorerPage {
        let chokepoints: HashSet<&str> = x.chokepoints.iter().map(|c| c.id.as_str()).collect();
        let inputs = x
            .inputs
            .iter()
            .map(|m| GraphInput {
                id: m.id.clone(),
                name: m.name.clone(),
                stage: m.stage.clone(),
                stage_inferred: m.stage_inferred,
                share: m.bloc_shares.get(&x.holder).copied(),
                year: m.year,
                chokepoint: chokepoints.contains(m.id.as_str()),
            })
            .collect();
        let graph = layout(&x.stages, inputs, &x.edges);
        ExplorerPage {
            exploration: x,
            graph,
        }
    }
}

/// What the explorer asks for.
#[derive(Debug, Clone, Default)]
pub struct ExploreArgs<'a> {
    /// Holder (`EU27`, `EU`, `CHN`, `NLD`, a bloc).
    pub holder: Option<&'a str>,
    /// The leverage's counterpart.
    pub vs: Option<&'a str>,
    /// Year.
    pub year: Option<&'a str>,
    /// Chokepoint threshold.
    pub min_share: Option<&'a str>,
}

/// An ecosystem's explorer page as of an as-of argument.
pub async fn build_explorer(
    wb: &Workbench,
    name: &str,
    as_of: Option<&str>,
    a: &ExploreArgs<'_>,
) -> Result<(i64, ExplorerPage)> {
    let year = parse_year(a.year)?;
    let min_share = parse_share("min_share", a.min_share)?;
    let x = wb
        .explore(name, as_of, given(a.holder), given(a.vs), year, min_share)
        .await?;
    Ok((x.revision, ExplorerPage::new(x)))
}

fn holder_select(holders: &[HolderOption], current: &str) -> Markup {
    html! {
        select #holder name="holder" {
            optgroup label="Blocs" {
                @for h in holders.iter().filter(|h| h.kind == "bloc") {
                    option value=(h.id) selected[h.id == current] { (h.id) " · " (h.name) }
                }
            }
            optgroup label="Countries and regions supplying the ecosystem" {
                @for h in holders.iter().filter(|h| h.kind != "bloc") {
                    option value=(h.id) selected[h.id == current] { (h.id) " · " (h.name) }
                }
            }
        }
    }
}

fn explorer_form(x: &Exploration, ctx: &Ctx) -> Markup {
    html! {
        form.picker method="get" action=(ctx.plain(&eco_path(&x.ecosystem))) {
            label for="holder" { "Holder (a country or a bloc)" } " "
            (holder_select(&x.holders, &x.holder))
            " " label for="year" { "Year" } " "
            select #year name="year" {
                option value="" selected[x.year.is_none()] { "the latest each input has" }
                @for y in &x.years { option value=(y) selected[x.year == Some(*y)] { (y) } }
            }
            " " label for="vs" { "Leverage against" } " "
            select #vs name="vs" {
                @for h in &x.holders { option value=(h.id) selected[h.id == x.counterpart] { (h.id) } }
            }
            " " label for="min_share" { "Chokepoint at a share of at least (0-1)" } " "
            input #min_share name="min_share" type="number" min="0" max="1" step="0.05" value=(x.min_share);
            (as_of_field(ctx))
            " " button type="submit" { "Show" }
        }
    }
}

fn side(x: &Exploration, ctx: &Ctx) -> Markup {
    let holder = &x.holder;
    let input_link = |id: &str| link(ctx, &input_path(&x.ecosystem, id), &[("holder", holder)]);
    html! {
        section.side aria-labelledby="choke-h" {
            h2 #choke-h { "Chokepoints of " (holder) }
            p.muted { "Inputs where " (x.holder_name) " supplies at least " (pc(x.min_share)) " of the world market, ranked by how much of the value chain they feed (downstream reach)." }
            @if x.chokepoints.is_empty() {
                p { "None at this threshold." }
            } @else {
                table.chokepoints {
                    thead { tr { th { "Input" } th { "Share" } th { "Year" } th { "Reach" } } }
                    tbody { @for c in &x.chokepoints {
                        tr { td { a href=(input_link(&c.id)) { (c.name) } } td { (pc(c.share)) } td { (c.year) }
                            td { (c.reach) " (" (pc(c.reach_share)) ")" } }
                    } }
                }
            }
            @if let Some(l) = &x.leverage {
                h2 { "Leverage: " (l.a) " and " (l.b) }
                p { (l.interpretation) "." }
                p.muted { "Leverage " (l.a) " over " (l.b) ": " (format!("{:.3}", l.leverage_a)) "; " (l.b) " over " (l.a) ": " (format!("{:.3}", l.leverage_b))
                    "; balance " (format!("{:+.3}", l.balance)) " (−1 to 1, positive: " (l.a) " holds more); mutuality " (format!("{:.3}", l.mutuality)) "." }
                @if !l.a_depends_on_b.is_empty() {
                    h3 { "What " (l.a) " depends on " (l.b) " for" }
                    ul { @for d in l.a_depends_on_b.iter().take(8) {
                        li { a href=(input_link(&d.id)) { (d.name) } " · " (l.b) " " (pc(d.holder_share)) } } }
                }
                @if !l.b_depends_on_a.is_empty() {
                    h3 { "What " (l.b) " depends on " (l.a) " for" }
                    ul { @for d in l.b_depends_on_a.iter().take(8) {
                        li { a href=(input_link(&d.id)) { (d.name) } " · " (l.a) " " (pc(d.holder_share)) } } }
                }
                p.src { (l.formula) }
            }
        }
    }
}

/// Every input's metrics, filterable (the script filters `#filtered` by `#filter`).
fn inputs_table(x: &Exploration, ctx: &Ctx) -> Markup {
    let holder = &x.holder;
    let chokepoints: HashSet<&str> = x.chokepoints.iter().map(|c| c.id.as_str()).collect();
    let stage_name: HashMap<&str, &str> = x
        .stages
        .iter()
        .map(|s| (s.id.as_str(), s.name.as_str()))
        .collect();
    html! {
        h2 #inputs-h { "Every input" }
        p { label for="filter" { "Filter " } input #filter type="search" placeholder="an input, a stage, a country"; " " span #count.muted {} }
        div.scroll tabindex="0" { table #filtered aria-labelledby="inputs-h" {
            thead { tr { th { "Input" } th { "Stage" } th { "Year" } th { (holder) " share" } th { "Top country" } th { "HHI" } th { "Top firm" } } }
            tbody {
                @for m in &x.inputs {
                    tr {
                        td { a href=(link(ctx, &input_path(&x.ecosystem, &m.id), &[("holder", holder)])) { (m.name) }
                            @if chokepoints.contains(m.id.as_str()) { " " span.tag title={"a chokepoint of " (holder)} { "◆ chokepoint" } } }
                        td { (m.stage.as_deref().map(|s| stage_name.get(s).copied().unwrap_or(s)).unwrap_or("")) @if m.stage_inferred { " (inferred)" } }
                        td { (m.year.map(|y| y.to_string()).unwrap_or_default()) }
                        td { (pco(m.bloc_shares.get(holder).copied())) }
                        td { @if let (Some(c), Some(s)) = (&m.top_country, m.top_share) { (c) " " (pc(s)) } }
                        td { (num3(m.hhi)) }
                        td { @if let Some(f) = &m.top_firm { (f.name) " " (pc(f.share)) } }
                    }
                }
            }
        } }
    }
}

impl Page for ExplorerPage {
    fn title(&self) -> String {
        format!("{}: the value chain", self.exploration.name)
    }

    fn body(&self, ctx: &Ctx) -> Markup {
        let x = &self.exploration;
        let holder = &x.holder;
        let (from, to) = last_two(&x.ecosystem, &x.snapshots);
        html! {
            h1 { (x.name) }
            p.muted { "Ecosystem " code { (x.ecosystem) } " · " (x.inputs.len()) " inputs in " (x.stages.len()) " stages · "
                a href=(link(ctx, "ecosystems", &[])) { "All ecosystems" }
                @if x.snapshots.len() >= 2 { " · " a href=(link(ctx, &format!("{}/compare", eco_path(&x.ecosystem)), &[("from", &from), ("to", &to)])) { "Compare its last two snapshots" } } }
            @if !x.description.is_empty() { details { summary { "What it covers" } p { (x.description) } } }
            (explorer_form(x, ctx))
            div.explorer {
                figure.graph {
                    (legend_svg(holder, x.min_share))
                    div.scroll tabindex="0" role="region" aria-label="The value chain (scrolls)" {
                        (graph_svg(&self.graph, x, ctx))
                    }
                    figcaption.src {
                        "Columns: the stages in value-chain order (an input without a declared stage takes the stage of what it goes into). Arrows: goes into. "
                        "Fill: " (x.holder_name) "'s share of each input's world market, " (x.year.map_or("the latest year each input has".to_string(), |y| format!("in {y}"))) ". "
                        "Shares from each input's provision rows; each node opens its input's page with the rows behind its figures (the ecosystem's sources are listed below)."
                    }
                }
                (side(x, ctx))
            }
            (inputs_table(x, ctx))
            p.src { (osa_view::ecosystem::HHI_FORMULA) }
            @if !x.sources.is_empty() {
                h2 { "Sources" }
                ul { @for s in &x.sources { li { (ctx.links.cite(s)) } } }
            }
        }
    }
}

// ------------------------------------------------------------------------------ an input

/// An input's page.
#[derive(Debug, Clone, Serialize)]
pub struct InputPage {
    /// The input with its shares over the years.
    pub answer: InputAnswer,
}

/// An input's page as of an as-of argument.
pub async fn build_input(
    wb: &Workbench,
    name: &str,
    input: &str,
    as_of: Option<&str>,
    a: &ExploreArgs<'_>,
) -> Result<(i64, InputPage)> {
    let min_share = parse_share("min_share", a.min_share)?;
    let answer = wb
        .input(name, input, as_of, given(a.holder), min_share)
        .await?;
    Ok((answer.revision, InputPage { answer }))
}

/// One year's row of a stacked chart: the year, the providers' shares (0-1, largest first) and
/// the unattributed share.
type YearShares = (String, Vec<(String, f64)>, f64);

/// Stacked shares by year: the seven largest providers over the years get a colour each, the
/// rest are "others"; unattributed share is drawn apart.
fn by_year(title: &str, x_desc: &str, rows: &[YearShares]) -> Option<String> {
    let mut totals: BTreeMap<&str, f64> = BTreeMap::new();
    for (_, shares, _) in rows {
        for (p, s) in shares {
            *totals.entry(p.as_str()).or_default() += s;
        }
    }
    let mut top: Vec<(&str, f64)> = totals.into_iter().collect();
    top.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    top.truncate(7);
    let mut series: Vec<Series> = top
        .iter()
        .enumerate()
        .map(|(k, (p, _))| Series::new(*p, color(k), Vec::new()))
        .collect();
    let mut other = Series::new("others", GREY, Vec::new());
    let mut unattributed = Series::new("unattributed", color(9), Vec::new());
    for (row, (_, shares, un)) in rows.iter().enumerate() {
        let mut x = 0.0;
        for (p, s) in shares {
            let target = match top.iter().position(|(t, _)| t == p) {
                Some(k) => &mut series[k],
                None => &mut other,
            };
            target.bars.push((row, x, x + s));
            x += s;
        }
        if *un > 0.0 {
            unattributed.bars.push((row, x, x + un));
        }
    }
    for s in [other, unattributed] {
        if !s.bars.is_empty() {
            series.push(s);
        }
    }
    if series.iter().all(|s| s.bars.is_empty()) {
        return None;
    }
    bars_svg(&Bars {
        title: title.to_string(),
        x_desc: x_desc.to_string(),
        x_range: (0.0, 1.0),
        percent: true,
        rows: rows.iter().map(|r| r.0.clone()).collect(),
        series,
    })
}

fn sorted(m: &BTreeMap<String, f64>) -> Vec<(String, f64)> {
    let mut v: Vec<(String, f64)> = m.iter().map(|(k, v)| (k.clone(), *v)).collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// The rows behind a figure: provider, share, year and the source (file and line for datasets).
fn rows_table(rows: &[&SourceRow], caption: &str, ctx: &Ctx) -> Markup {
    html! {
        details.rows {
            summary { (caption) " (" (rows.len()) ")" }
            div.scroll tabindex="0" { table {
                thead { tr { th { "Provider" } th { "Share" } th { "Year" } th { "Source" } } }
                tbody { @for r in rows {
                    tr { td { (r.provider) } td { @if let Some(s) = r.share { (format!("{s}%")) } @else { "named, no share" } }
                        td { (r.year.map(|y| y.to_string()).unwrap_or_default()) } td { (ctx.links.cite(&r.source)) } }
                } }
            } }
        }
    }
}

fn input_links(
    ctx: &Ctx,
    eco: &str,
    holder: &str,
    items: &[osa_view::ecosystem::InputLink],
) -> Markup {
    html! {
        @if items.is_empty() { span.muted { "none" } }
        @for (k, i) in items.iter().enumerate() {
            @if k > 0 { ", " }
            a href=(link(ctx, &input_path(eco, &i.id), &[("holder", holder)])) { (i.name) }
        }
    }
}

/// An input's place in the value chain and what the model says of it.
fn input_facts(a: &InputAnswer, ctx: &Ctx) -> Markup {
    let (i, eco, holder) = (&a.input, &a.ecosystem, &a.holder);
    html! {
        h2 { "In the value chain" }
        table.facts {
            tbody {
                tr { th scope="row" { "Goes into" } td { (input_links(ctx, eco, holder, &i.goes_into)) } }
                tr { th scope="row" { "Comes from" } td { (input_links(ctx, eco, holder, &i.comes_from)) } }
                @if !i.is_type_of.is_empty() { tr { th scope="row" { "A type of" } td { (input_links(ctx, eco, holder, &i.is_type_of)) } } }
                @if !i.types.is_empty() { tr { th scope="row" { "Its types" } td { (input_links(ctx, eco, holder, &i.types)) } } }
                @if let Some(s) = i.substitutability { tr { th scope="row" { "Substitutability" } td { (pc(s)) " of its use could switch to a substitute within about six months" } } }
                @if !i.substitutes.is_empty() { tr { th scope="row" { "Substitutes" } td { (i.substitutes.join("; ")) } } }
                @if let Some(m) = i.storability_months { tr { th scope="row" { "Storability" } td { (m) " months of use held in stock" } } }
                @if !i.hs6.is_empty() { tr { th scope="row" { "HS codes" } td { (i.hs6.join(", ")) } } }
            }
        }
        @if !i.notes.is_empty() { p { strong { "Notes. " } (i.notes) } }
        @if !i.sources.is_empty() { p.src { "Sources: " @for s in &i.sources { (ctx.links.cite(s)) " " } } }
    }
}

/// Whether a provision row is on the country level (a country, a region, unattributed).
fn country_level(r: &SourceRow) -> bool {
    osa_model::CountryCode::parse(&r.provider).is_some()
        || osa_model::country::region(&r.provider).is_some()
        || r.provider == osa_model::UNATTRIBUTED
}

/// The sources of some provision rows, each once: a dataset's rows grouped by file with their
/// line numbers (`CSET ETO chip explorer (2026 release), provision.csv lines 12, 40`).
pub fn row_sources<'a>(rows: impl IntoIterator<Item = &'a SourceRow>) -> Vec<String> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for r in rows {
        let src = r.source.trim().trim_end_matches(']');
        let (key, line) = match src.rsplit_once(" line ") {
            Some((head, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                (head.to_string(), Some(n.to_string()))
            }
            _ => (r.source.clone(), None),
        };
        let at = match groups.iter().position(|g| g.0 == key) {
            Some(k) => k,
            None => {
                groups.push((key, Vec::new()));
                groups.len() - 1
            }
        };
        groups[at].1.extend(line);
    }
    groups
        .into_iter()
        .map(|(key, lines)| {
            let close = if key.contains(" [") { "]" } else { "" };
            match lines.len() {
                0 => key,
                1 => format!("{key} line {}{close}", lines[0]),
                _ => format!("{key} lines {}{close}", lines.join(", ")),
            }
        })
        .collect()
}

/// The sources under a chart: per year, where its rows come from.
fn chart_sources(years: &[&InputYear], pick: impl Fn(&SourceRow) -> bool) -> Markup {
    html! {
        @for y in years {
            @let sources = row_sources(y.rows.iter().filter(|r| pick(r)));
            @if !sources.is_empty() { br; (y.year) ": " (sources.join("; ")) }
        }
    }
}

/// Country shares by year: the chart, the table, and the rows behind each year.
fn country_years(a: &InputAnswer, ctx: &Ctx) -> Markup {
    let (i, holder) = (&a.input, &a.holder);
    let rows: Vec<YearShares> = i
        .years
        .iter()
        .map(|y| {
            (
                y.year.to_string(),
                sorted(&y.shares),
                y.unattributed.unwrap_or(0.0),
            )
        })
        .collect();
    let chart = by_year(
        &format!("Who provides {}, by country and year", cut(&i.name, 40)),
        "share of the world market (%)",
        &rows,
    );
    html! {
        @if let Some(svg) = &chart {
            figure.chart { (PreEscaped(svg))
                figcaption.src { "Country (or region) shares of the world market in each year the data has; "
                    "country records where the source gives them, else firm shares added up by home country. Rows by year (each listed under the table):"
                    (chart_sources(&i.years.iter().collect::<Vec<_>>(), country_level)) } }
        }
        div.scroll tabindex="0" { table.years {
            thead { tr { th { "Year" } th { "Countries" } th { "Unattributed" } th { "HHI" } th { (holder) } th { "Chokepoint" } th { "Basis" } } }
            tbody { @for y in &i.years {
                tr { td { (y.year) }
                    td { @for (k, (c, s)) in sorted(&y.shares).iter().enumerate() { @if k > 0 { ", " } (c) " " (pc(*s)) } }
                    td { (pco(y.unattributed)) } td { (num3(y.hhi)) }
                    td { (pco(y.holder_shares.get(holder).copied())) }
                    td { @if y.chokepoints.contains(holder) { strong { "◆ chokepoint of " (holder) } } @else { "no" } }
                    td { (y.basis.as_deref().map(osa_view::format::words).unwrap_or_default())
                        @if let Some(s) = y.scaled_from { " (scaled down from " (pc(s)) ")" } } }
            } }
        } }
        @for y in &i.years {
            @let rows: Vec<&SourceRow> = y.rows.iter().filter(|r| country_level(r)).collect();
            @if !rows.is_empty() { (rows_table(&rows, &format!("{} country rows", y.year), ctx)) }
        }
    }
}

/// Firm shares by year: the chart, the table, and the rows behind each year.
fn firm_years(a: &InputAnswer, ctx: &Ctx) -> Markup {
    let i = &a.input;
    let rows: Vec<YearShares> = i
        .years
        .iter()
        .filter(|y| !y.firms.is_empty())
        .map(|y| {
            (
                y.year.to_string(),
                y.firms.iter().map(|f| (f.name.clone(), f.share)).collect(),
                y.firms_unattributed.unwrap_or(0.0),
            )
        })
        .collect();
    let chart = by_year(
        &format!("Firms providing {}, by year", cut(&i.name, 40)),
        "share of the world market (%)",
        &rows,
    );
    html! {
        h2 { "Firms, by year" }
        @if rows.is_empty() {
            p.muted { "The data names no firm with a share of this input." }
        } @else {
            @if let Some(svg) = &chart {
                figure.chart { (PreEscaped(svg))
                    figcaption.src { "Firm shares of the world market in each year the data names firms. Rows by year (each listed under the table):"
                        (chart_sources(&i.years.iter().filter(|y| !y.firms.is_empty()).collect::<Vec<_>>(), |r| !country_level(r))) } }
            }
            div.scroll tabindex="0" { table.firms {
                thead { tr { th { "Year" } th { "Firm" } th { "Based in" } th { "Share" } } }
                tbody { @for y in &i.years { @for f in &y.firms {
                    tr { td { (y.year) } td { (f.name) } td { (f.country.as_deref().unwrap_or("")) } td { (pc(f.share)) } }
                } } }
            } }
        }
        @for y in &i.years {
            @let rows: Vec<&SourceRow> = y.rows.iter().filter(|r| !country_level(r)).collect();
            @if !rows.is_empty() { (rows_table(&rows, &format!("{} firm rows", y.year), ctx)) }
        }
    }
}

impl Page for InputPage {
    fn title(&self) -> String {
        format!(
            "{} · {}",
            self.answer.input.name, self.answer.ecosystem_name
        )
    }

    fn body(&self, ctx: &Ctx) -> Markup {
        let a = &self.answer;
        let (i, holder, eco) = (&a.input, &a.holder, &a.ecosystem);
        html! {
            h1 { (i.name) }
            p.muted { (osa_view::format::words(&i.kind)) " · "
                @if let Some(s) = &i.stage_name { "stage " (s) @if i.stage_inferred { " (inferred from what it goes into)" } " · " }
                "in " a href=(link(ctx, &eco_path(eco), &[("holder", holder)])) { (a.ecosystem_name) } }
            @if !i.description.is_empty() { p { (i.description) } }
            form.picker method="get" action=(ctx.plain(&input_path(eco, &i.id))) {
                label for="holder" { "Holder (a country or a bloc)" } " "
                (holder_select(&a.holders, holder))
                (as_of_field(ctx))
                " " button type="submit" { "Show" }
            }
            (input_facts(a, ctx))
            h2 { "Who provides it, by year" }
            @if i.years.is_empty() {
                p { "The data has no shares for this input." }
            } @else {
                (country_years(a, ctx))
                (firm_years(a, ctx))
                p.src { (i.formula) }
            }
        }
    }
}

// ------------------------------------------------------------------------------ two snapshots

/// Two snapshots compared.
#[derive(Debug, Clone, Serialize)]
pub struct ComparePage {
    /// The comparison.
    pub comparison: Comparison,
}

/// What a compare page asks for.
#[derive(Debug, Clone, Default)]
pub struct CompareArgs<'a> {
    /// The older snapshot (default: the ecosystem's second-to-last).
    pub from: Option<&'a str>,
    /// The newer snapshot (default: the ecosystem's last).
    pub to: Option<&'a str>,
    /// Watched holders, comma-separated (default EU27, CHN).
    pub holder: Option<&'a str>,
    /// Chokepoint threshold.
    pub min_share: Option<&'a str>,
}

/// Two snapshots of an ecosystem compared, as of an as-of argument.
pub async fn build_compare(
    wb: &Workbench,
    name: &str,
    as_of: Option<&str>,
    a: &CompareArgs<'_>,
) -> Result<(i64, ComparePage)> {
    let rev = wb.revision_of(as_of).await?;
    let at = format!("r{rev}");
    let min_share = parse_share("min_share", a.min_share)?;
    let holders: Vec<String> = given(a.holder)
        .map(|h| {
            h.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let (from, to) = match (given(a.from), given(a.to)) {
        (Some(f), Some(t)) => (f.to_string(), t.to_string()),
        (f, t) => {
            let own = wb.snapshots(Some(name), Some(&at)).await?;
            if own.len() < 2 && (f.is_none() || t.is_none()) {
                let field = if f.is_none() { "from" } else { "to" };
                return Err(AppError::invalid(
                    field,
                    format!(
                        "name the snapshot to compare (`{name}` has {} registered snapshot{})",
                        own.len(),
                        if own.len() == 1 { "" } else { "s" }
                    ),
                ));
            }
            let (df, dt) = last_two(name, &own);
            (f.map_or(df, str::to_string), t.map_or(dt, str::to_string))
        }
    };
    let comparison = wb
        .compare_snapshots(name, (&from, &to), Some(&at), &holders, min_share)
        .await?;
    Ok((rev, ComparePage { comparison }))
}

/// A change's side as text: `CHN 98% (2019)`, `0.961 (2019)` or `no shares`.
pub fn reading(kind: &str, r: &ReadingView) -> String {
    let Some(year) = r.year else {
        return "no shares".to_string();
    };
    let value = if kind == "hhi" {
        num3(r.value)
    } else {
        pco(r.value)
    };
    match &r.place {
        Some(p) => format!("{p} {value} ({year})"),
        None => format!("{value} ({year})"),
    }
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "coverage" => "coverage",
        "top_holder" => "top holder",
        "share" => "share",
        "hhi" => "HHI",
        "new_chokepoint" => "new chokepoint",
        "lost_chokepoint" => "lost chokepoint",
        _ => "change",
    }
}

/// An input's top holder in one snapshot: `CHN 98% (2019)` or `no shares`.
fn top_text(s: &StandingView) -> String {
    match (&s.top_holder, s.top_share, s.year) {
        (Some(p), Some(v), Some(y)) => format!("{p} {} ({y})", pc(v)),
        _ => "no shares".to_string(),
    }
}

/// The chokepoints lost and gained.
fn chokepoint_changes(changed: &[&InputDiffRow]) -> Markup {
    let of = |kind: &str| -> Vec<(&InputDiffRow, &ChangeView)> {
        changed
            .iter()
            .flat_map(|r| {
                r.changes
                    .iter()
                    .filter(|ch| ch.kind == kind)
                    .map(move |ch| (*r, ch))
            })
            .collect()
    };
    let (gained, lost) = (of("new_chokepoint"), of("lost_chokepoint"));
    html! {
        h2 { "Chokepoints lost (" (lost.len()) ") and gained (" (gained.len()) ")" }
        @if lost.is_empty() && gained.is_empty() { p { "No input became or stopped being a chokepoint of a watched holder." } }
        @if !lost.is_empty() {
            h3 { "Lost" }
            ul.lost { @for (r, ch) in &lost {
                li { strong { (r.name) } ": lost chokepoint of " (ch.holder.as_deref().unwrap_or("")) ", "
                    (reading(ch.kind, &ch.before)) " → " (reading(ch.kind, &ch.after)) "; top holder now " (top_text(&r.after)) } } }
        }
        @if !gained.is_empty() {
            h3 { "Gained" }
            ul.gained { @for (r, ch) in &gained {
                li { strong { (r.name) } ": new chokepoint of " (ch.holder.as_deref().unwrap_or("")) ", "
                    (reading(ch.kind, &ch.before)) " → " (reading(ch.kind, &ch.after)) "; top holder before " (top_text(&r.before)) } } }
        }
    }
}

/// Every change, one row each.
fn changes_table(changed: &[&InputDiffRow]) -> Markup {
    html! {
        h2 #changes-h { "Every change (" (changed.iter().map(|r| r.changes.len()).sum::<usize>()) ")" }
        @if changed.is_empty() { p { "Nothing changed beyond the thresholds." } } @else {
            div.scroll tabindex="0" { table.changes aria-labelledby="changes-h" {
                thead { tr { th { "Input" } th { "Change" } th { "Holder" } th { "Before" } th { "After" } th { "Rows" } } }
                tbody { @for r in changed { @for ch in &r.changes {
                    tr { td { (r.name) @if let Some(o) = &r.old_name { br; span.muted { "was " (o) } } }
                        td { (kind_label(ch.kind)) } td { (ch.holder.as_deref().unwrap_or("")) }
                        td { (reading(ch.kind, &ch.before)) } td { (reading(ch.kind, &ch.after)) }
                        td.src { (ch.before.rows.len()) " → " (ch.after.rows.len()) } }
                } } }
            } }
        }
    }
}

/// The inputs without a change, and the inputs in one snapshot only.
fn unchanged_and_coverage(d: &DiffView) -> Markup {
    let unchanged: Vec<&InputDiffRow> = d.inputs.iter().filter(|r| !r.changed).collect();
    html! {
        @if !d.added.is_empty() {
            h2 { "Added inputs (" (d.added.len()) ")" }
            ul { @for i in &d.added { li { (i.name) " " span.muted { "(" (i.id) ")" } } } }
        }
        @if !d.removed.is_empty() {
            h2 { "Removed inputs (" (d.removed.len()) ")" }
            ul { @for i in &d.removed { li { (i.name) " " span.muted { "(" (i.id) ")" } } } }
        }
        h2 { "Unchanged inputs (" (unchanged.len()) ")" }
        details.unchanged {
            summary { "Top holder and HHI of the inputs without a change beyond the thresholds" }
            div.scroll tabindex="0" { table {
                thead { tr { th { "Input" } th { "Top holder before" } th { "After" } th { "HHI before" } th { "After" } } }
                tbody { @for r in &unchanged {
                    tr { td { (r.name) } td { (top_text(&r.before)) } td { (top_text(&r.after)) } td { (num3(r.before.hhi)) } td { (num3(r.after.hhi)) } }
                } }
            } }
        }
    }
}

impl Page for ComparePage {
    fn title(&self) -> String {
        format!(
            "{} compared with {}",
            self.comparison.diff.new.source, self.comparison.diff.old.source
        )
    }

    fn body(&self, ctx: &Ctx) -> Markup {
        let c = &self.comparison;
        let d = &c.diff;
        let year = |y: Option<i32>| {
            y.map_or("the latest year each input has".to_string(), |y| {
                y.to_string()
            })
        };
        let changed: Vec<&InputDiffRow> = d.inputs.iter().filter(|r| r.changed).collect();
        html! {
            h1 { (d.old.source) " → " (d.new.source) }
            p.muted { "Two snapshots compared as " code { "osa diff" } " and monitoring compare them · "
                a href=(link(ctx, &eco_path(&c.ecosystem), &[])) { "Explore " (c.ecosystem) } " · "
                a href=(link(ctx, "ecosystems", &[])) { "All ecosystems" } }
            (compare_form(ctx, &c.ecosystem, &c.snapshots, (&c.from, &c.to, &d.holders.join(",")), 0))
            ul.snapshots {
                li { "Before: " strong { (d.old.source) } " (" (d.old.name) ", " (d.old.n_inputs) " inputs, " (year(d.old.year)) ")" }
                li { "After: " strong { (d.new.source) } " (" (d.new.name) ", " (d.new.n_inputs) " inputs, " (year(d.new.year)) ")" }
            }
            p { strong { (d.n_changed) } " of the " (d.n_compared) " inputs present in both changed; "
                (d.added.len()) " added, " (d.removed.len()) " removed. Watched holders: " (d.holders.join(", "))
                @if d.top_holders { " and each input's top holders" } "." }
            (chokepoint_changes(&changed))
            (changes_table(&changed))
            (unchanged_and_coverage(d))
            p.src { "Thresholds: a chokepoint at a share of at least " (pc(d.thresholds.min_share)) "; a share moving by at least "
                (d.thresholds.min_share_points) " points; the HHI moving by at least " (d.thresholds.min_hhi) ". Rules: " (d.rules) "." }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(id: &str) -> StageRef {
        StageRef {
            id: id.into(),
            name: id.to_uppercase(),
        }
    }

    fn input(id: &str, stage: Option<&str>) -> GraphInput {
        GraphInput {
            id: id.into(),
            name: format!("input {id}"),
            stage: stage.map(str::to_string),
            stage_inferred: false,
            share: None,
            year: None,
            chokepoint: false,
        }
    }

    fn within(g: &Graph, n: &Node) -> bool {
        let c = &g.columns[n.column];
        n.x >= c.x && n.x + NODE_W <= c.x + c.width
    }

    /// The SVG's arrows and node links.
    fn svg_counts(g: &Graph, stages: &[StageRef]) -> (usize, usize) {
        let x = Exploration {
            ecosystem: "t".into(),
            name: "T".into(),
            description: String::new(),
            sources: Vec::new(),
            revision: 1,
            holder: "EU27".into(),
            holder_name: "European Union".into(),
            year: None,
            min_share: 0.5,
            stages: stages.to_vec(),
            inputs: Vec::new(),
            edges: Vec::new(),
            chokepoints: Vec::new(),
            counterpart: "CHN".into(),
            leverage: None,
            holders: Vec::new(),
            years: Vec::new(),
            snapshots: Vec::new(),
        };
        let svg = graph_svg(g, &x, &Ctx::live(None, None, "/ecosystems/t")).into_string();
        (
            svg.matches("<path class=\"edge").count(),
            svg.matches("<a class=\"node\"").count(),
        )
    }

    #[test]
    fn every_edge_is_drawn_once_and_nodes_sit_in_their_stage_column() {
        let stages = [stage("design"), stage("fab"), stage("atp")];
        let mut inputs = vec![
            input("eda", Some("design")),
            input("chip-design", Some("design")),
            input("litho", Some("fab")),
            input("wafer", Some("fab")),
            input("fab", Some("fab")),
            input("packaging", Some("atp")),
            input("loose", None),
        ];
        // A long layer, spread over lanes of at most MAX_ROWS.
        for k in 0..(MAX_ROWS + 5) {
            inputs.push(input(&format!("tool-{k}"), Some("fab")));
        }
        let mut edges: Vec<(String, String)> = [
            ("eda", "chip-design"),
            ("chip-design", "fab"),
            ("litho", "fab"),
            ("wafer", "fab"),
            ("fab", "packaging"),
            ("loose", "packaging"),
            ("eda", "chip-design"),
            ("eda", "nowhere"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        for k in 0..(MAX_ROWS + 5) {
            edges.push((format!("tool-{k}"), "wafer".into()));
        }
        let n = inputs.len();
        let g = layout(&stages, inputs, &edges);
        assert_eq!(g.nodes.len(), n);
        // Columns: the stages in order, then one for the input without a stage.
        let names: Vec<&str> = g.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["DESIGN", "FAB", "ATP", "No stage"]);
        assert!(g.columns.windows(2).all(|w| w[0].x + w[0].width <= w[1].x));
        for node in &g.nodes {
            let want = match node.stage.as_deref() {
                Some("design") => 0,
                Some("fab") => 1,
                Some("atp") => 2,
                _ => 3,
            };
            assert_eq!(node.column, want, "{}", node.id);
            assert!(within(&g, node), "{} is inside its column", node.id);
            assert!(node.x + NODE_W <= g.width && node.y + NODE_H <= g.height);
        }
        // Each known edge once; the repeat and the unknown target dropped.
        let known = edges.len() - 2;
        assert_eq!(g.edges.len(), known);
        let ids: HashSet<(&str, &str)> = g
            .edges
            .iter()
            .map(|e| (g.nodes[e.from].id.as_str(), g.nodes[e.to].id.as_str()))
            .collect();
        assert_eq!(ids.len(), known);
        for (a, b) in edges.iter().filter(|(_, b)| b != "nowhere") {
            assert!(ids.contains(&(a.as_str(), b.as_str())), "{a} -> {b}");
        }
        // Within a column, what goes into another input is to its left.
        let at = |id: &str| g.nodes.iter().find(|n| n.id == id).unwrap();
        assert!(at("eda").x < at("chip-design").x);
        assert!(at("wafer").x < at("fab").x && at("tool-0").x < at("wafer").x);
        // No two nodes overlap, and no lane holds more than MAX_ROWS.
        let mut spots = HashSet::new();
        for node in &g.nodes {
            assert!(spots.insert((node.x, node.y)), "{} overlaps", node.id);
        }
        let mut per_lane: HashMap<u32, usize> = HashMap::new();
        for node in &g.nodes {
            *per_lane.entry(node.x).or_default() += 1;
        }
        assert!(per_lane.values().all(|&k| k <= MAX_ROWS));
        assert_eq!(svg_counts(&g, &stages), (known, n));
    }

    #[test]
    fn a_stage_without_inputs_keeps_its_column() {
        let g = layout(
            &[stage("a"), stage("b"), stage("c")],
            vec![input("x", Some("a")), input("y", Some("c"))],
            &[("x".into(), "y".into())],
        );
        assert_eq!(g.columns.len(), 3);
        assert!(g.columns.iter().all(|c| c.width >= LANE_W));
        assert_eq!(g.nodes[1].column, 2);
        assert!(within(&g, &g.nodes[1]));
    }

    #[test]
    fn euv_lithography_is_an_eu_chokepoint_in_the_embedded_ecosystem() {
        let l = osa_app::ecosystem::load(Some("semiconductors"))
            .unwrap()
            .value;
        let blocs = osa_app::ecosystem::blocs(&l, &[]).unwrap();
        let holders = ["EU27".to_string()];
        let rows = match osa_app::ecosystem::metrics_view(&l, &blocs, &holders, &[], None, false)
            .unwrap()
        {
            osa_app::ecosystem::MetricsAnswer::Inputs { rows, .. } => rows,
            osa_app::ecosystem::MetricsAnswer::Stages(_) => unreachable!(),
        };
        let choke = osa_app::ecosystem::chokepoints_view(&l, &blocs, "EU27", 0.5, None).unwrap();
        let eco = l.checked.ecosystem();
        let stages: Vec<StageRef> = eco
            .stages
            .iter()
            .map(|s| StageRef {
                id: s.id.clone(),
                name: s.name.clone(),
            })
            .collect();
        let edges: Vec<(String, String)> = (0..l.checked.n_inputs())
            .flat_map(|i| {
                l.checked
                    .goes_into(i)
                    .iter()
                    .map(move |&j| (eco.inputs[i].id.clone(), eco.inputs[j].id.clone()))
            })
            .collect();
        let inputs = rows
            .iter()
            .map(|m| GraphInput {
                id: m.id.clone(),
                name: m.name.clone(),
                stage: m.stage.clone(),
                stage_inferred: m.stage_inferred,
                share: m.bloc_shares.get("EU27").copied(),
                year: m.year,
                chokepoint: choke.iter().any(|c| c.id == m.id),
            })
            .collect();
        let g = layout(&stages, inputs, &edges);
        assert_eq!(g.edges.len(), edges.len());
        let euv = g.nodes.iter().find(|n| n.id == "euv-lithography").unwrap();
        assert!(euv.chokepoint && euv.share == Some(1.0));
        assert_eq!(g.columns[euv.column].stage.as_deref(), Some("fabrication"));
        assert!(within(&g, euv));
        assert_eq!(fill(euv.share).0, SCALE[5].1);
    }

    #[test]
    fn dataset_rows_are_grouped_by_file_with_their_lines() {
        let row = |source: &str| SourceRow {
            provider: "NLD".into(),
            share: Some(100.0),
            year: Some(2025),
            source: source.into(),
        };
        let rows = [
            row(
                "CSET analysis (2025). [CSET ETO chip explorer (2026 release), provision.csv line 12]",
            ),
            row(
                "CSET analysis (2025). [CSET ETO chip explorer (2026 release), provision.csv line 40]",
            ),
            row("seed L1932-1935"),
        ];
        assert_eq!(
            row_sources(&rows),
            [
                "CSET analysis (2025). [CSET ETO chip explorer (2026 release), provision.csv lines 12, 40]",
                "seed L1932-1935"
            ]
        );
    }

    #[test]
    fn shares_read_as_percentages() {
        assert_eq!(pc(0.98), "98%");
        assert_eq!(pc(1.0), "100%");
        assert_eq!(pc(0.976), "97.6%");
        assert_eq!(fill(None), NO_DATA);
        assert_eq!(fill(Some(0.0)).0, "#ffffff");
        assert_eq!(fill(Some(0.05)).0, "#deebf7");
        assert_eq!(fill(Some(0.5)).0, "#2171b5");
        assert_eq!(parse_share("min_share", Some("90%")).unwrap(), Some(0.9));
        assert!(parse_share("min_share", Some("x")).is_err());
        assert_eq!(parse_year(Some(" ")).unwrap(), None);
        assert!(parse_year(Some("20x5")).is_err());
    }
}
