//! The overview: the matrix of published levels (several signals per cell where the assessment
//! has them, and a mark per cell for what its level rests on: judged, computed or both, and
//! whether they agree), the report's caveat that comparing technologies is indicative (seed
//! L143-147), an as-of picker over the record's revisions, and the technologies with their dossiers.
//! The legend names the cells whose level is also computed from step 1's data (the others rest on
//! judgment alone), and, for a chosen date, the cells changed since then are outlined and listed.

use crate::{Ctx, Page};
use maud::{Markup, html};
use osa_view::assess::{DossierView, MatrixView};
use osa_view::html::{matrix_caveat, matrix_notes_html, matrix_svg_marked};
use serde::Serialize;

/// A technology in the list under the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct TechnologyItem {
    /// Id (its dossier's address).
    pub id: String,
    /// Name.
    pub name: String,
    /// `case` or `example`.
    pub kind: String,
    /// Its three best-ranked instruments (where the dossiers were computed).
    pub top_instruments: Vec<String>,
}

/// A revision offered by the as-of picker.
#[derive(Debug, Clone, Serialize)]
pub struct RevisionItem {
    /// Id.
    pub id: i64,
    /// When.
    pub at: String,
    /// Who.
    pub author: String,
    /// Why.
    pub note: String,
}

/// The overview page.
#[derive(Debug, Clone, Serialize)]
pub struct OverviewPage {
    /// The matrix.
    pub matrix: MatrixView,
    /// The technologies.
    pub technologies: Vec<TechnologyItem>,
    /// Recent revisions, newest first (the workbench only).
    pub revisions: Vec<RevisionItem>,
    /// The analyst's own analyses in an exported report: (page file, title, source).
    pub analyses: Vec<(String, String, String)>,
    /// osa's version and the assessment year (the exported report).
    pub generated: Option<String>,
    /// When the record begins (its first revision's date; the workbench only).
    pub begins: Option<String>,
    /// The date (or revision) cells are compared with, if chosen (`?changed_since=`).
    #[serde(default)]
    pub changed_since: Option<String>,
    /// The cells changed since then.
    #[serde(default)]
    pub changed: Vec<ChangedCell>,
}

/// A cell changed since the chosen date.
#[derive(Debug, Clone, Serialize)]
pub struct ChangedCell {
    /// Technology id.
    pub technology: String,
    /// Dimension id.
    pub dimension: String,
    /// The level then (null: silent or absent).
    pub before: Option<u8>,
    /// The level now.
    pub after: Option<u8>,
    /// Who changed it (authors and reviewers of the revisions).
    pub by: Vec<String>,
}

/// The cells changed after `since` up to `as_of` (as-of arguments).
pub async fn changed_cells(
    wb: &osa_app::workbench::Workbench,
    since: &str,
    as_of: Option<&str>,
) -> osa_app::Result<Vec<ChangedCell>> {
    use osa_app::workbench::diff::DiffItem;
    let d = wb.diff(Some(since), as_of).await?;
    Ok(d.changes
        .into_iter()
        .filter_map(|c| match c {
            DiffItem::Cell {
                technology,
                dimension,
                before,
                after,
                revisions,
                ..
            } => Some(ChangedCell {
                technology,
                dimension: dimension.to_string(),
                before: before.and_then(|b| b.level),
                after: after.and_then(|a| a.level),
                by: revisions
                    .iter()
                    .flat_map(|r| std::iter::once(r.author.clone()).chain(r.reviewer.clone()))
                    .fold(Vec::new(), |mut v, n| {
                        if !v.contains(&n) {
                            v.push(n);
                        }
                        v
                    }),
            }),
            _ => None,
        })
        .collect())
}

impl OverviewPage {
    /// The list of technologies from computed dossiers (with their top instruments).
    pub fn items(dossiers: &[DossierView]) -> Vec<TechnologyItem> {
        dossiers
            .iter()
            .map(|d| TechnologyItem {
                id: d.id.clone(),
                name: d.name.clone(),
                kind: d.kind.to_string(),
                top_instruments: d
                    .instruments
                    .iter()
                    .take(3)
                    .map(|i| i.name.clone())
                    .collect(),
            })
            .collect()
    }
}

/// The record's latest 200 revisions, newest first, for an as-of picker.
pub async fn revision_items(
    wb: &osa_app::workbench::Workbench,
) -> osa_app::Result<Vec<RevisionItem>> {
    Ok(wb
        .recent_revisions(200)
        .await?
        .into_iter()
        .map(|r| RevisionItem {
            id: r.id,
            at: r.at,
            author: r.author,
            note: r.note,
        })
        .collect())
}

/// The overview as of an as-of argument.
pub async fn build(
    wb: &osa_app::workbench::Workbench,
    as_of: Option<&str>,
) -> osa_app::Result<(i64, OverviewPage)> {
    let m = wb.matrix(as_of).await?;
    let begins = wb
        .store()
        .revision(1)
        .await
        .map_err(osa_app::AppError::from)?
        .map(|r| r.at.get(..10).unwrap_or(&r.at).to_string());
    let revisions = revision_items(wb).await?;
    let technologies = m
        .value
        .technologies
        .iter()
        .map(|t| TechnologyItem {
            id: t.id.clone(),
            name: t.name.clone(),
            kind: t.kind.to_string(),
            top_instruments: Vec::new(),
        })
        .collect();
    Ok((
        m.revision,
        OverviewPage {
            matrix: m.value,
            technologies,
            revisions,
            analyses: Vec::new(),
            generated: None,
            begins,
            changed_since: None,
            changed: Vec::new(),
        },
    ))
}

/// The cells whose level is also computed from step 1's data: (technology name, dimension, mark).
fn computed_cells(m: &MatrixView) -> Vec<(String, &'static str, String)> {
    let mut out = Vec::new();
    for t in &m.technologies {
        for d in osa_assess::Dimension::ALL {
            let c = &t.dimensions[d.id()];
            if c.basis.computed.is_some() {
                out.push((t.name.clone(), d.name(), c.basis_mark()));
            }
        }
    }
    out
}

/// What each cell rests on, in words, and the cells changed since the chosen date.
fn reliance(p: &OverviewPage, ctx: &Ctx) -> Markup {
    let computed = computed_cells(&p.matrix);
    let cells = p.matrix.technologies.len() * 4;
    html! {
        p.basis-legend #computed {
            strong { "What each level rests on. " }
            (computed.len()) " of " (cells) " cells also have a level computed from step 1's ecosystem data: "
            @for (i, (t, d, mark)) in computed.iter().enumerate() { @if i > 0 { "; " } (t) " · " (d.to_lowercase()) " (" (mark) ")" }
            @if computed.is_empty() { "none" }
            ". Every other cell is judgment alone (osa's reading of the report, J), however precise it looks."
        }
        @if ctx.is_live() {
            form.asof-picker method="get" action="/" aria-label="Cells changed since a date" {
                @if let Some(a) = &ctx.as_of { input type="hidden" name="as_of" value=(a); }
                label for="changed_since" { "Cells changed since" }
                input #changed_since type="text" name="changed_since" value=[p.changed_since.as_deref()]
                    placeholder="a date (2026-11-30) or a revision (r12)" autocomplete="off";
                button type="submit" { "Mark" }
            }
        }
        @if let Some(since) = &p.changed_since {
            p.status role="status" { @if p.changed.is_empty() { "No cell changed since " (since) "." } @else {
                (p.changed.len()) " cell" @if p.changed.len() != 1 { "s" } " changed since " (since) " (outlined in the matrix, marked “changed” in the table): "
                @for (i, c) in p.changed.iter().enumerate() { @if i > 0 { "; " }
                    a href=(format!("/tech/{}/{}/history", c.technology, c.dimension)) { (c.technology) " · " (c.dimension.replace('_', " ")) }
                    " " (level_text(c.before)) " → " (level_text(c.after))
                    @if !c.by.is_empty() { " (" (c.by.join(", ")) ")" } }
                "." } }
        }
    }
}

fn level_text(l: Option<u8>) -> String {
    l.map_or_else(|| "–".to_string(), |l| l.to_string())
}

fn as_of_picker(p: &OverviewPage, ctx: &Ctx) -> Markup {
    let first = &p.begins;
    let chosen = ctx.as_of.as_deref().unwrap_or("");
    html! {
        div.asof-picker {
            form method="get" action="/" {
                label for="as_of" { "Read the record as of" } " "
                select #as_of name="as_of" {
                    option value="" selected[chosen.is_empty()] { "the latest revision" }
                    @for r in &p.revisions {
                        @let v = format!("r{}", r.id);
                        option value=(v) selected[chosen == v] { "r" (r.id) " · " (r.at.get(..16).unwrap_or(&r.at).replace('T', " ")) " · " (r.author) ": " (osa_view::format::cut(&r.note, 60)) }
                    }
                }
                " " button type="submit" { "Show" }
            }
            @if let Some(first) = &first {
                form method="get" action="/" {
                    label for="as_of_date" { "or as of a date" } " "
                    input #as_of_date type="date" name="as_of" min=(first) value=[ctx.as_of.as_deref().filter(|a| a.len() == 10)];
                    " " button type="submit" { "Show" }
                    " " span.muted { "(the record begins at r1, " (first) ")" }
                }
            }
        }
    }
}

/// The matrix as a table: what narrow screens show instead of the heat map (and what a screen
/// reader reads as cells).
fn matrix_table(m: &MatrixView, ctx: &Ctx, changed: &[(String, String)]) -> Markup {
    use osa_assess::Dimension;
    html! {
        div.scroll.matrix-table {
            table {
                caption { "Levels by technology and dimension" }
                thead { tr { th scope="col" { "Technology" } @for d in Dimension::ALL { th scope="col" { (d.name()) } } } }
                tbody {
                    @for t in &m.technologies {
                        tr {
                            th scope="row" { a href=(ctx.href(&format!("tech/{}", t.id))) { (osa_view::assess::row_name(t)) } }
                            @for d in Dimension::ALL {
                                @let c = &t.dimensions[d.id()];
                                td { span class={"lvl " (c.level.map_or("ls".to_string(), |l| format!("l{l}")))} { (c.short()) }
                                    " " span.basis title=(format!("basis: {}{}", osa_view::format::words(c.basis.kind), c.basis.agreement.map_or(String::new(), |a| format!(", {a}")))) { (c.basis_mark()) }
                                    @if changed.iter().any(|(ct, cd)| *ct == t.id && cd == d.id()) { " " span.tag { "changed" } } }
                            }
                        }
                    }
                }
            }
        }
    }
}

impl Page for OverviewPage {
    fn title(&self) -> String {
        "Overview".into()
    }

    fn body(&self, ctx: &Ctx) -> Markup {
        let show_instruments = self
            .technologies
            .iter()
            .any(|t| !t.top_instruments.is_empty());
        html! {
            h1 { "China's digital tech power and EU Open Strategic Autonomy" }
            p { "The report's four-step method applied to " (osa_view::assess::count_phrase(self.technologies.iter().map(|t| t.kind.as_str()))) ": "
                "each technology's challenge to Europe on the four dimensions (0 none … 4 critical; – where the report is silent). "
                "Click a cell for the full dossier: evidence with references to the report's lines (\"seed L…\"), computed indicators where ecosystem data exists, "
                "the geopolitical context and the ranked policy instruments." }
            @if ctx.is_live() { (as_of_picker(self, ctx)) (crate::layout::brief_links(ctx)) }
            (matrix_caveat(&self.matrix))
            @let changed: Vec<(String, String)> = self.changed.iter().map(|c| (c.technology.clone(), c.dimension.clone())).collect();
            figure.matrix { (matrix_svg_marked(&self.matrix, &ctx.links, &changed)) }
            (matrix_table(&self.matrix, ctx, &changed))
            (reliance(self, ctx))
            (matrix_notes_html(&self.matrix))
            h2 { "Dossiers" }
            div.scroll tabindex="0" role="region" aria-label="Dossiers" { table {
                thead { tr { th { "Technology" } th { "Kind" } @if show_instruments { th { "Top instruments" } } } }
                tbody {
                    @for d in &self.technologies {
                        tr { td { a href=(ctx.href(&format!("tech/{}", d.id))) { (d.name) } } td { (d.kind) }
                            @if show_instruments { td { @for i in &d.top_instruments { span.tag { (i) } } } } }
                    }
                }
            } }
            @if !self.analyses.is_empty() {
                h2 { "Your analyses" }
                ul { @for (file, title, source) in &self.analyses {
                    li { a href=(file) { (title) } " " span.src { "(" (source) ")" } } } }
            }
            @if let Some(g) = &self.generated { p.src { "Generated by osa " (g) "." } }
        }
    }
}
