//! Two snapshots of an ecosystem compared (the comparison of `osa diff` and of monitoring): the
//! chokepoints lost and gained, every change, the inputs unchanged or in one snapshot only.

use super::pickers::{compare_form, last_two};
use super::{eco_path, given, link, parse_share, pc, pco};
use crate::{Ctx, Page};
use maud::{Markup, html};
use osa_app::workbench::Workbench;
use osa_app::workbench::explorer::Comparison;
use osa_app::{AppError, Result};
use osa_view::diff::{ChangeView, DiffView, InputDiffRow, ReadingView, StandingView};
use osa_view::format::num3;
use serde::Serialize;

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
