//! The AI-application checklist at work (seed L6745-7025): the ten criteria with the report's
//! reference assessments and the record's own, a form to assess a named application (a proposal
//! that awaits review like a cell), and one application's assessment beside the references,
//! criterion by criterion, with its history.

use crate::library::ChecklistPage;
use crate::records::{FieldError, field_error};
use crate::{Ctx, Page};
use maud::{Markup, html};
use osa_app::workbench::Workbench;
use osa_app::workbench::records::{AppAssessment, Rated, kind};
use osa_assess::checklist::{Checklist, Rating};
use osa_store::proposals::Proposal;
use serde::Serialize;

/// An application assessment in a list.
#[derive(Debug, Clone, Serialize)]
pub struct AppRow {
    /// Its key (the page is `/apps/{id}`).
    pub id: String,
    /// The application.
    pub name: String,
    /// Its firm.
    pub firm: String,
    /// The firm's country.
    pub country: String,
    /// `published` or `awaiting review`.
    pub status: String,
    /// Criteria rated.
    pub rated: usize,
}

/// The checklist, the report's reference assessments and the record's.
#[derive(Debug, Clone, Serialize)]
pub struct AppsPage {
    /// The checklist with the report's reference assessments.
    pub reference: ChecklistPage,
    /// The record's assessments (published, then those awaiting review).
    pub apps: Vec<AppRow>,
}

fn row(id: &str, a: &AppAssessment, status: &str) -> AppRow {
    AppRow {
        id: id.to_string(),
        name: a.name.clone(),
        firm: a.firm.clone(),
        country: a.country.clone(),
        status: status.to_string(),
        rated: a.ratings.len(),
    }
}

/// Proposals of application assessments (`status`: only those; `key`: only one application's).
async fn app_proposals(
    wb: &Workbench,
    status: Option<&str>,
    key: Option<&str>,
) -> osa_app::Result<Vec<Proposal>> {
    let all = wb
        .store()
        .proposals(status, key.map(|k| (kind::APP_ASSESSMENT, k)), 200, 0)
        .await?;
    Ok(all
        .into_iter()
        .filter(|p| p.kind == kind::APP_ASSESSMENT)
        .collect())
}

fn proposed(p: &Proposal) -> Option<AppAssessment> {
    serde_json::from_value(p.change.clone()).ok()
}

/// The apps page as of an as-of argument.
pub async fn build(wb: &Workbench, as_of: Option<&str>) -> osa_app::Result<(i64, AppsPage)> {
    let rev = wb.revision_of(as_of).await?;
    let b = wb.baseline_at(rev).await?;
    let mut apps: Vec<AppRow> = wb
        .app_assessments(as_of)
        .await?
        .iter()
        .map(|s| row(&s.key, &s.value, "published"))
        .collect();
    if as_of.is_none() {
        for p in app_proposals(wb, Some("open"), None).await? {
            if let Some(a) = proposed(&p) {
                apps.push(row(&p.key, &a, "awaiting review"));
            }
        }
    }
    Ok((
        rev,
        AppsPage {
            reference: ChecklistPage {
                checklist: b.checklist.clone(),
            },
            apps,
        },
    ))
}

impl Page for AppsPage {
    fn title(&self) -> String {
        "AI apps".into()
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        html! {
            section aria-labelledby="own" {
                h2 #own { "Applications assessed in the record" }
                @if self.apps.is_empty() { p { "No application assessed yet." } }
                @else { div.scroll { table {
                    thead { tr { th { "Application" } th { "Firm" } th { "Country" } th { "Criteria rated" } th { "Status" } } }
                    tbody { @for a in &self.apps { tr {
                        td { a href=(ctx.href(&format!("apps/{}", a.id))) { (a.name) } }
                        td { (a.firm) } td { (a.country) } td { (a.rated) " of 10" } td { span.tag { (a.status) } }
                    } } }
                } } }
                @if ctx.is_live() && ctx.can("analyst") { p { a.button href=(ctx.plain("apps/new")) { "Assess a new application" } } }
            }
            (self.reference.body(ctx))
        }
    }
}

/// A criterion as the form shows it.
#[derive(Debug, Clone, Serialize)]
pub struct CriterionView {
    /// Id.
    pub id: String,
    /// Position (1-10).
    pub number: u32,
    /// Macro or micro.
    pub level: String,
    /// Title.
    pub title: String,
    /// What to ask.
    pub question: String,
    /// What counts as a concern.
    pub guidance: String,
}

fn criteria(c: &Checklist) -> Vec<CriterionView> {
    c.criteria
        .iter()
        .map(|x| CriterionView {
            id: x.id.clone(),
            number: x.number,
            level: x.level.as_str().to_string(),
            title: x.title.clone(),
            question: x.question.clone(),
            guidance: x.guidance.clone(),
        })
        .collect()
}

/// The form to assess an application.
#[derive(Debug, Clone, Serialize)]
pub struct AppFormPage {
    /// The ten criteria.
    pub criteria: Vec<CriterionView>,
    /// The form's values (shown again with its problem).
    pub form: AppAssessment,
    /// The form's problem.
    pub error: Option<FieldError>,
    /// Assessments awaiting review (one proposal per application at a time).
    pub open: Vec<osa_store::proposals::Proposal>,
}

/// The form, empty (or with values and their problem).
pub async fn form(
    wb: &Workbench,
    values: Option<AppAssessment>,
    error: Option<FieldError>,
) -> osa_app::Result<AppFormPage> {
    let b = wb.baseline_at(wb.store().head().await?).await?;
    let open = wb
        .open_proposals_on_file(kind::APP_ASSESSMENT, None)
        .await?;
    Ok(AppFormPage {
        open,
        criteria: criteria(&b.checklist),
        form: values.unwrap_or(AppAssessment {
            name: String::new(),
            firm: String::new(),
            country: "CHN".into(),
            ratings: Vec::new(),
            note: String::new(),
        }),
        error,
    })
}

/// A rated criterion's problem: the error when it names `ratings[i]` of this criterion.
fn rating_error(page: &AppFormPage, criterion: &str) -> Option<String> {
    let e = page.error.as_ref()?;
    let i = page
        .form
        .ratings
        .iter()
        .position(|r| r.criterion == criterion)?;
    e.field
        .starts_with(&format!("ratings[{i}]"))
        .then(|| format!("{}: {}", e.field, e.message))
}

impl Page for AppFormPage {
    fn title(&self) -> String {
        "Assess an AI application".into()
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        let (v, e) = (&self.form, &self.error);
        html! {
            h1 { "Assess an AI application" }
            p.muted { "Rate the application on each of the checklist's ten criteria (seed L6745-7025) you have evidence for; each rated criterion needs its reasons and a source. A criterion left unrated is not recorded. The assessment is a proposal: a reviewer other than you approves it before it is published." }
            @if !self.open.is_empty() {
                div.stale role="note" aria-label="Assessments awaiting review" {
                    p { strong { "Assessments awaiting review." } " An application with one open is assessed again once it is decided; open it to read it." }
                    ul.open-proposals { @for o in &self.open { li { a href={"/review/" (o.id)} { "Proposal #" (o.id) } ": " (o.key) " by " (o.author) " on " (o.created_at.get(..10).unwrap_or(&o.created_at)) } } }
                }
            }
            form.record method="post" action=(ctx.plain("apps")) {
                @if let Some(e) = e { p.error role="alert" { "Not proposed. " (e.field) ": " (e.message) } }
                p { label for="name" { "Application" } input #name name="name" type="text" required value=(v.name); (field_error(e, "name")) }
                p { label for="firm" { "Firm" } input #firm name="firm" type="text" required value=(v.firm); (field_error(e, "firm")) }
                p { label for="country" { "The firm's country (ISO 3166-1 alpha-3)" } input #country name="country" type="text" required maxlength="3" value=(v.country); (field_error(e, "country")) }
                @for c in &self.criteria { (self.criterion(c)) }
                p { label for="note" { "Why this assessment (required)" } textarea #note name="note" rows="2" required { (v.note) } (field_error(e, "note")) }
                button type="submit" { "Propose the assessment" }
            }
        }
    }
}

impl AppFormPage {
    fn criterion(&self, c: &CriterionView) -> Markup {
        let r = self.form.ratings.iter().find(|r| r.criterion == c.id);
        let chosen = r.map(|r| r.rating.as_str()).unwrap_or("");
        let err = rating_error(self, &c.id);
        html! {
            fieldset.criterion {
                legend { (c.number) ". " (c.title) " (" (c.level) ")" }
                p.muted { (c.guidance) }
                @if let Some(m) = &err { p.error role="alert" { (m) } }
                p { label for={"rating-" (c.id)} { "Rating on: " (c.question) }
                    select #{"rating-" (c.id)} name={"rating-" (c.id)} {
                        option value="" selected[chosen.is_empty()] { "not rated" }
                        @for (_, s) in Rating::ALL { option value=(s) selected[chosen == *s] { (s.replace('_', " ")) } }
                    } }
                p { label for={"text-" (c.id)} { "Why (criterion " (c.number) ")" }
                    textarea #{"text-" (c.id)} name={"text-" (c.id)} rows="2" { (r.map(|r| r.text.as_str()).unwrap_or("")) } }
                p { label for={"source-" (c.id)} { "Source (criterion " (c.number) "; pub: ..., data: ..., seed L..., judgment: ...)" }
                    input #{"source-" (c.id)} name={"source-" (c.id)} type="text" value=(r.map(|r| r.source.as_str()).unwrap_or("")); }
            }
        }
    }
}

/// One application's assessment beside the report's reference assessments, with its history.
#[derive(Debug, Clone, Serialize)]
pub struct AppPage {
    /// Its key.
    pub id: String,
    /// The published assessment (as of the page's revision), if any.
    pub published: Option<AppAssessment>,
    /// Its version (0: none published).
    pub version: i64,
    /// The assessment awaiting review, if any.
    pub pending: Option<AppAssessment>,
    /// Its history: every proposal about it, newest first (who proposed, who reviewed).
    pub history: Vec<Proposal>,
    /// The checklist with the report's reference assessments.
    pub reference: ChecklistPage,
}

/// One application's page.
pub async fn app(wb: &Workbench, id: &str, as_of: Option<&str>) -> osa_app::Result<(i64, AppPage)> {
    let rev = wb.revision_of(as_of).await?;
    let b = wb.baseline_at(rev).await?;
    let stored = wb
        .app_assessments(as_of)
        .await?
        .into_iter()
        .find(|s| s.key == id);
    let history = app_proposals(wb, None, Some(id)).await?;
    let pending = history
        .iter()
        .find(|p| p.status == "open")
        .and_then(proposed);
    if stored.is_none() && history.is_empty() {
        return Err(osa_app::AppError::NotFound(format!(
            "no assessment of an application `{id}`"
        )));
    }
    Ok((
        rev,
        AppPage {
            id: id.to_string(),
            version: stored.as_ref().map_or(0, |s| s.version),
            published: stored.map(|s| s.value),
            pending,
            history,
            reference: ChecklistPage {
                checklist: b.checklist.clone(),
            },
        },
    ))
}

fn rated(ctx: &Ctx, r: Option<&Rated>) -> Markup {
    html! { @match r {
        Some(r) => { span.tag { (r.rating.replace('_', " ")) } " " (r.text) " " (ctx.links.cite(&r.source)) },
        None => { span.muted { "not rated" } },
    } }
}

impl Page for AppPage {
    fn title(&self) -> String {
        let name = self.published.as_ref().or(self.pending.as_ref());
        format!(
            "AI app: {}",
            name.map_or(self.id.as_str(), |a| a.name.as_str())
        )
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        let shown = self.published.as_ref().or(self.pending.as_ref());
        let c = &self.reference.checklist;
        html! {
            h1 { (self.title()) }
            @if let Some(a) = shown { p { (a.firm) " (" (a.country) ")" } }
            @if self.pending.is_some() {
                p.status role="status" { span.tag { "awaiting review" } " A proposed assessment awaits a reviewer: "
                    @match self.history.iter().find(|p| p.status == "open") {
                        Some(p) => { a href={"/review/" (p.id)} { "proposal " (p.id) } " in " a href="/review" { "the review queue" } },
                        None => { a href="/review" { "the review queue" } },
                    } "."
                    @if self.published.is_some() { " Below: the published assessment." } @else { " Below: the proposal." } }
            } @else if self.published.is_some() { p { span.tag { "published" } " version " (self.version)
                @if ctx.is_live() && ctx.can("analyst") && ctx.as_of.is_none() { " · " a href={(ctx.plain("apps/new")) "?from=" (self.id)} { "Propose a revised assessment" } } } }
            div.scroll { table {
                thead { tr { th { "#" } th { "Criterion" } th { (shown.map_or("This application", |a| a.name.as_str())) }
                    @for r in &c.applications { th { (r.name) " (report)" } } } }
                tbody { @for x in &c.criteria { tr {
                    td { (x.number) } td { strong { (x.title) } br; span.muted { (x.question) } }
                    td { (rated(ctx, shown.and_then(|a| a.ratings.iter().find(|r| r.criterion == x.id)))) }
                    @for r in &c.applications { td { @match r.rating(&x.id) {
                        Some(a) => { span.tag { (a.rating.as_str().replace('_', " ")) } " " (ctx.links.cite(&a.source.to_string()))
                            details.why { summary { "Why" } (a.text) } },
                        None => { "–" },
                    } } }
                } } }
            } }
            h2 { "History" }
            @if self.history.is_empty() { p { "Published without a proposal on record." } }
            ol.history { @for p in &self.history { li {
                "Proposal " (p.id) " by " strong { (p.author) } " on " (p.created_at.get(..10).unwrap_or(&p.created_at)) ": " (p.note) ". "
                span.tag { (p.status) }
                @if let Some(r) = &p.reviewer { " reviewed by " strong { (r) }
                    @if let Some(d) = &p.reviewed_at { " on " (d.get(..10).unwrap_or(d)) }
                    @if let Some(m) = &p.review_comment { ": " (m) } }
            } } }
            p { a href=(ctx.href("apps")) { "All applications" } }
        }
    }
}
