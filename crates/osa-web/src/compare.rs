//! What changed, in words (`/changes/compare`): a form choosing two dates or revisions (the
//! revisions the as-of picker offers), then the matrix cells that changed (level before and after,
//! evidence added and removed, who proposed, who approved and why), each technology's step-4
//! priority and instrument ranking changes, and the other documents. The view model is
//! `osa_app`'s `Comparison`, the same `osa diff --record` prints.

use crate::overview::RevisionItem;
use crate::{Ctx, Page};
use maud::{Markup, html};
use osa_app::workbench::compare::{CellChange, Comparison, Why, level_words, why_words};
use serde::Serialize;

/// The page: the form, and the comparison once both ends are chosen.
#[derive(Debug, Clone, Serialize)]
pub struct ComparePage {
    /// The `from` field as given.
    pub from: String,
    /// The `to` field as given (empty: the latest revision).
    pub to: String,
    /// The revisions offered, newest first.
    pub revisions: Vec<RevisionItem>,
    /// The comparison (none before the form is sent).
    pub comparison: Option<Comparison>,
}

impl ComparePage {
    /// The page for a request: the revisions offered and, given `from`, the comparison.
    pub async fn build(
        wb: &osa_app::workbench::Workbench,
        who: &osa_store::users::Principal,
        from: Option<String>,
        to: Option<String>,
    ) -> osa_app::Result<ComparePage> {
        let revisions = crate::overview::revision_items(wb).await?;
        let from = from.filter(|f| !f.trim().is_empty());
        let to = to.filter(|t| !t.trim().is_empty());
        let comparison = match &from {
            Some(f) => Some(wb.compare(who, f, to.as_deref()).await?),
            None => None,
        };
        Ok(ComparePage {
            from: from.unwrap_or_default(),
            to: to.unwrap_or_default(),
            revisions,
            comparison,
        })
    }
}

impl Page for ComparePage {
    fn title(&self) -> String {
        match &self.comparison {
            Some(c) => format!("What changed from r{} to r{}", c.from, c.to),
            None => "What changed between two dates".into(),
        }
    }

    fn body(&self, _ctx: &Ctx) -> Markup {
        html! {
            h1 { (self.title()) }
            (self.form())
            @if let Some(c) = &self.comparison { (comparison(c)) }
        }
    }
}

impl ComparePage {
    fn form(&self) -> Markup {
        html! {
            form.compare method="get" action="/changes/compare" {
                datalist #revisions {
                    @for r in &self.revisions {
                        option value={"r" (r.id)} { "r" (r.id) " · " (minute(&r.at)) " · " (r.author) ": " (osa_view::format::cut(&r.note, 60)) }
                    }
                }
                label for="from" { "From (a date YYYY-MM-DD or a revision rN)" } " "
                input #from name="from" list="revisions" value=(self.from) maxlength="40" required;
                " " label for="to" { "to (empty: the latest)" } " "
                input #to name="to" list="revisions" value=(self.to) maxlength="40";
                " " button type="submit" { "Compare" }
            }
        }
    }
}

fn minute(at: &str) -> String {
    at.get(..16).unwrap_or(at).replace('T', " ")
}

fn when(at: &str) -> Markup {
    crate::layout::time(at)
}

fn comparison(c: &Comparison) -> Markup {
    html! {
        p role="status" {
            "From r" (c.from) " (" (when(&c.from_at)) ") to r" (c.to) " (" (when(&c.to_at)) "): "
            (c.cells.len()) " matrix cells, " (c.step4.len()) " technologies' step 4, "
            (c.other.len()) " other documents changed."
        }
        @if !c.cells.is_empty() {
            h2 { "Matrix cells" }
            table.compare-cells {
                caption { "Cells whose level, rationale or evidence changed" }
                thead { tr { th scope="col" { "Cell" } th scope="col" { "Level" } th scope="col" { "Evidence" } th scope="col" { "Who and why" } } }
                tbody { @for x in &c.cells { (cell_row(x)) } }
            }
        }
        @if !c.step4.is_empty() {
            h2 { "Step 4: priority and instruments" }
            @for s in &c.step4 {
                section.step4-change {
                    h3 { a href={"/tech/" (s.technology)} { (s.name) } }
                    ul { @for l in &s.lines { li { (l) } } }
                    (whys(&s.why))
                }
            }
        }
        @if !c.other.is_empty() {
            h2 { "Other documents" }
            ul { @for o in &c.other { li { (o.text) (whys(&o.why)) } } }
        }
    }
}

fn cell_row(x: &CellChange) -> Markup {
    html! {
        tr {
            th scope="row" { a href={"/tech/" (x.technology) "/" (x.dimension) "/history"} { (x.name) ", " (x.dimension.replace('_', " ")) } }
            td { (level_words(x.before)) " → " (level_words(x.after))
                @if x.rationale_before != x.rationale_after { @if let Some(r) = &x.rationale_after { p.muted { "Rationale now: " (r) } } } }
            td {
                @for e in &x.evidence_added { p { "added: " (e) } }
                @for e in &x.evidence_removed { p { "removed: " (e) } }
            }
            td { (whys(&x.why)) }
        }
    }
}

fn whys(v: &[Why]) -> Markup {
    html! {
        @if !v.is_empty() {
            ul.why { @for w in v { li { (why_words(w)) " (" (when(&w.at)) ")" } } }
        }
    }
}
