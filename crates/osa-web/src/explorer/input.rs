//! An input's page: its place in the value chain, country and firm shares in every year the data
//! has, and the rows behind each figure.

use super::pickers::holder_select;
use super::{ExploreArgs, as_of_field, eco_path, given, input_path, link, parse_share, pc, pco};
use crate::{Ctx, Page};
use maud::{Markup, PreEscaped, html};
use osa_app::Result;
use osa_app::workbench::Workbench;
use osa_app::workbench::explorer::InputAnswer;
use osa_view::chart::{Bars, GREY, Series, bars_svg, color};
use osa_view::ecosystem::{InputYear, SourceRow};
use osa_view::format::{cut, num3};
use serde::Serialize;
use std::collections::BTreeMap;

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
