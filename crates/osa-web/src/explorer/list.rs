//! The ecosystems page: the ecosystems in the record with their snapshots, and a form comparing
//! two of them.

use super::pickers::{compare_form, last_two};
use super::{eco_path, link, snapshot_when};
use crate::{Ctx, Page};
use maud::{Markup, html};
use osa_app::Result;
use osa_app::workbench::Workbench;
use osa_app::workbench::explorer::SnapshotEntry;
use osa_view::format::cut;
use serde::Serialize;

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
            @if ctx.is_live() { p { "A new data release is uploaded and reviewed on " a href=(ctx.plain("releases")) { "Data releases" } "." } }
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
