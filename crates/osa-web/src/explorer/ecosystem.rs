//! An ecosystem's explorer page: the value chain as a graph beside the holder's chokepoints, its
//! leverage and every input's metrics.

use super::pickers::{holder_select, last_two};
use super::{
    Graph, GraphInput, as_of_field, eco_path, given, graph_svg, input_path, layout, legend_svg,
    link, parse_share, parse_year, pc, pco,
};
use crate::{Ctx, Page};
use maud::{Markup, html};
use osa_app::Result;
use osa_app::workbench::Workbench;
use osa_app::workbench::explorer::Exploration;
use osa_view::format::num3;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

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
