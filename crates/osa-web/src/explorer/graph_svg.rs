//! The value chain drawn as plain SVG (no script): the stage columns, the arrows, the nodes filled
//! by the holder's share (links to their pages), and the legend above.

use super::{Graph, LABEL_CHARS, NODE_H, NODE_W, Node, input_path, link, pc};
use crate::Ctx;
use maud::{Markup, html};
use osa_app::workbench::explorer::Exploration;
use osa_view::format::cut;

/// The colour scale of the holder's share: (lower bound, fill, text colour, legend label).
pub(super) const SCALE: [(f64, &str, &str, &str); 6] = [
    (0.0, "#ffffff", "#1d2733", "0%"),
    (1e-9, "#deebf7", "#1d2733", "under 10%"),
    (0.10, "#9ecae1", "#1d2733", "10-25%"),
    (0.25, "#6baed6", "#1d2733", "25-50%"),
    (0.50, "#2171b5", "#ffffff", "50-75%"),
    (0.75, "#08519c", "#ffffff", "75-100%"),
];
/// Fill of an input without shares.
pub(super) const NO_DATA: (&str, &str) = ("#eceff2", "#5b6773");
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
