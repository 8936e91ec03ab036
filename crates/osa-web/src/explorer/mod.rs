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
//!
//! One page per module: `list` (the ecosystems), `ecosystem` (the value chain of one, laid out
//! by `graph` and drawn by `graph_svg`), `input` and `compare`; `pickers` holds the forms
//! they share. This module holds the argument parsers and the links.

mod compare;
mod ecosystem;
mod graph;
mod graph_svg;
mod input;
mod list;
mod pickers;

pub use compare::{CompareArgs, ComparePage, build_compare, reading};
pub use ecosystem::{ExploreArgs, ExplorerPage, build_explorer};
pub use graph::{
    Column, Edge, Graph, GraphInput, LABEL_CHARS, LANE_W, MAX_ROWS, NODE_H, NODE_W, Node, PAD,
    ROW_H, TOP, layout,
};
pub use graph_svg::{fill, graph_svg, legend_svg};
pub use input::{InputPage, build_input, row_sources};
pub use list::{EcosystemItem, EcosystemsPage, build_index};

use crate::Ctx;
use crate::layout::encode;
use maud::{Markup, html};
use osa_app::workbench::explorer::SnapshotEntry;
use osa_app::{AppError, Result};

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

#[cfg(test)]
mod tests;
