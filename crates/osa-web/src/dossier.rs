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
    /// The dimension the reader chose to come first in step 4 (`None`: the default rule).
    pub priority: Option<String>,
    /// The as-of the page was read at, kept by the priority control.
    pub as_of: Option<String>,
    /// The technology's case file in the record (`cases/6g.toml`).
    pub case_file: String,
}

/// A technology's dossier as of an as-of argument, step 4 led by `priority` when given.
pub async fn build(
    wb: &osa_app::workbench::Workbench,
    id: &str,
    as_of: Option<&str>,
    priority: Option<Dimension>,
) -> osa_app::Result<(i64, DossierPage)> {
    let a = wb.dossier_with_priority(id, as_of, priority).await?;
    let rev = a.value.revision;
    let events = wb
        .events(Some(&format!("r{rev}")), Some(&a.value.value.id), None)
        .await?;
    let (case_file, _) = wb.technology_version(&a.value.value.id, rev).await?;
    Ok((
        rev,
        DossierPage {
            dossier: a.value.value,
            events,
            priority: priority.map(|d| d.id().to_string()),
            as_of: as_of.map(str::to_string),
            case_file,
        },
    ))
}

/// Step 4's priority as a control: the default rule or a dimension the reader puts first.
fn priority_control(p: &DossierPage, ctx: &Ctx) -> Markup {
    let chosen = p.priority.as_deref().unwrap_or("");
    html! {
        form.priority method="get" action=(ctx.plain(&format!("tech/{}", p.dossier.id))) {
            @if let Some(a) = &p.as_of { input type="hidden" name="as_of" value=(a); }
            label for="priority" { "Step 4 priority" } " "
            select #priority name="priority" {
                option value="" selected[chosen.is_empty()] { "the default rule (highest judged level)" }
                @for d in Dimension::ALL {
                    option value=(d.id()) selected[chosen == d.id()] { (d.name()) " first" }
                }
            }
            " " button type="submit" { "Rank the instruments" }
        }
    }
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
            @if ctx.can("analyst") {
                p { "Propose a new text of " a href=(ctx.plain(&format!("propose/baseline/{}", p.case_file))) { "this technology's case file" }
                    " (every dimension, its evidence, recommendations and actors at once) or of "
                    a href=(ctx.plain("propose/baseline/toolkit.toml")) { "the toolkit" } " that step 4 ranks from." }
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
            @if ctx.is_live() { (crate::layout::brief_links_with(ctx, self.priority.as_deref())) }
            @if ctx.user.is_some() { (priority_control(self, ctx)) }
            article.dossier { (osa_view::html::dossier_body(&self.dossier, &ctx.links)) }
            @if ctx.user.is_some() { (record_tools(self, ctx)) (events(self, ctx)) }
        }
    }
}
