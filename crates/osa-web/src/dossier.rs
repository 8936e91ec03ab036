//! A technology's dossier, the four steps in order (the fragment of `osa_view::html`), with,
//! in the workbench, the record's tools beside each dimension (propose a change, its history) and
//! the dated events the record holds about the technology as of the page's revision.

use crate::{Ctx, Page};
use maud::{Markup, html};
use osa_app::workbench::records::{Event, Stored};
use osa_assess::Dimension;
use osa_view::assess::DossierView;
use serde::Serialize;

/// The dossier page.
#[derive(Debug, Clone, Serialize)]
pub struct DossierPage {
    /// The dossier (the command line's `osa assess --format json`).
    pub dossier: DossierView,
    /// The record's events about the technology, newest first (the workbench only).
    pub events: Vec<Stored<Event>>,
}

/// A technology's dossier as of an as-of argument.
pub async fn build(
    wb: &osa_app::workbench::Workbench,
    id: &str,
    as_of: Option<&str>,
) -> osa_app::Result<(i64, DossierPage)> {
    let a = wb.dossier(id, as_of).await?;
    let rev = a.value.revision;
    let events = wb
        .events(Some(&format!("r{rev}")), Some(&a.value.value.id), None)
        .await?;
    Ok((
        rev,
        DossierPage {
            dossier: a.value.value,
            events,
        },
    ))
}

fn record_tools(p: &DossierPage, ctx: &Ctx) -> Markup {
    let id = &p.dossier.id;
    html! {
        section.record aria-labelledby="record-h" {
            h2 #record-h { "In the record" }
            table {
                thead { tr { th { "Dimension" } th { "History" } @if ctx.can("analyst") { th { "Change" } } } }
                tbody {
                    @for d in Dimension::ALL {
                        tr {
                            td { (d.name()) }
                            td { a href=(ctx.plain(&format!("tech/{id}/{}/history", d.id()))) { "History of " (d.name().to_lowercase()) } }
                            @if ctx.can("analyst") {
                                td { a href=(ctx.plain(&format!("tech/{id}/{}/propose", d.id()))) { "Propose a change to " (d.name().to_lowercase()) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The record's events about the technology.
fn events(p: &DossierPage, ctx: &Ctx) -> Markup {
    html! {
        section.record aria-labelledby="events-h" {
            h2 #events-h { "Events" }
            @if p.events.is_empty() { p.muted { "No event recorded about " (p.dossier.name) "." } }
            @else { ul { @for e in p.events.iter().take(50) { li {
                (e.value.date) ": " (e.value.title)
                @if !e.value.actors.is_empty() { " (" (e.value.actors.join(", ")) ")" }
                " · " (ctx.links.cite(&e.value.source))
            } } } }
            p { a href={(ctx.plain("events")) "?technology=" (crate::layout::encode(&p.dossier.id))} { "All events about " (p.dossier.name) } }
        }
    }
}

impl Page for DossierPage {
    fn title(&self) -> String {
        self.dossier.name.clone()
    }

    fn body(&self, ctx: &Ctx) -> Markup {
        html! {
            @if ctx.is_live() { (crate::layout::brief_links(ctx)) }
            article.dossier { (osa_view::html::dossier_body(&self.dossier, &ctx.links)) }
            @if ctx.user.is_some() { (record_tools(self, ctx)) (events(self, ctx)) }
        }
    }
}
