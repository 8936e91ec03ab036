//! The pickers the explorer's pages share: a holder select, and a form comparing two snapshots
//! (with its snapshot selects and its default pair).

use super::{as_of_field, eco_path, snapshot_when};
use crate::Ctx;
use maud::{Markup, html};
use osa_app::workbench::explorer::{HolderOption, SnapshotEntry};

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
pub(super) fn compare_form(
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
pub(super) fn last_two(eco: &str, all: &[SnapshotEntry]) -> (String, String) {
    let own: Vec<&SnapshotEntry> = all.iter().filter(|s| s.ecosystem == eco).collect();
    let to = own.last().map(|s| s.label.clone()).unwrap_or_default();
    let from = own
        .len()
        .checked_sub(2)
        .and_then(|k| own.get(k))
        .map_or_else(|| to.clone(), |s| s.label.clone());
    (from, to)
}

pub(super) fn holder_select(holders: &[HolderOption], current: &str) -> Markup {
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
