//! A technology's dossier, the four steps in order (the fragment of `osa_view::html`), with,
//! in the workbench, the record's tools beside each dimension: propose a change, its history.

use crate::{Ctx, Page};
use maud::{Markup, html};
use osa_assess::Dimension;
use osa_view::assess::DossierView;
use serde::Serialize;

/// The dossier page.
#[derive(Debug, Clone, Serialize)]
pub struct DossierPage {
    /// The dossier (the command line's `osa assess --format json`).
    pub dossier: DossierView,
}

/// A technology's dossier as of an as-of argument.
pub async fn build(
    wb: &osa_app::workbench::Workbench,
    id: &str,
    as_of: Option<&str>,
) -> osa_app::Result<(i64, DossierPage)> {
    let a = wb.dossier(id, as_of).await?;
    Ok((
        a.value.revision,
        DossierPage {
            dossier: a.value.value,
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

impl Page for DossierPage {
    fn title(&self) -> String {
        self.dossier.name.clone()
    }

    fn body(&self, ctx: &Ctx) -> Markup {
        html! {
            @if ctx.is_live() { (crate::layout::brief_links(ctx)) }
            article.dossier { (osa_view::html::dossier_body(&self.dossier, &ctx.links)) }
            @if ctx.user.is_some() { (record_tools(self, ctx)) }
        }
    }
}
