//! Data in by upload, in the browser: `/releases` lists the uploaded releases waiting for a
//! reviewer (approve buttons for reviewers other than the uploader) with the upload form (an ETO
//! release as .zip or .tar.gz of its folder, or an osa ecosystem as TOML); the trade page's form
//! for a dataset (`trade_upload_form`); and a trade ingest job's progress (`/trade/jobs/{id}`).
//! The forms work with the one shared script: it sends the chosen file to `POST /api/v1/uploads`
//! with a progress bar, puts the answered SHA-256 in the form's hidden field and submits the form.

use crate::{Ctx, Page};
use maud::{Markup, html};
use osa_app::workbench::Workbench;
use osa_app::workbench::ingest::JobView;
use osa_app::workbench::uploads::PendingRelease;
use serde::Serialize;

/// `/releases`: uploaded releases waiting for a reviewer, and the upload form.
#[derive(Debug, Clone, Serialize)]
pub struct ReleasesPage {
    /// Waiting for a reviewer.
    pub pending: Vec<PendingRelease>,
    /// The form's problem: (field, message).
    pub error: Option<(String, String)>,
}

/// The releases page.
pub async fn build(wb: &Workbench, as_of: Option<&str>) -> osa_app::Result<ReleasesPage> {
    Ok(ReleasesPage {
        pending: wb.pending_releases(as_of).await?,
        error: None,
    })
}

fn field_error(error: &Option<(String, String)>, f: &str) -> Option<String> {
    error
        .as_ref()
        .filter(|(x, _)| x == f)
        .map(|(_, m)| m.clone())
}

/// A file chooser that the shared script uploads, with its progress bar and the hidden field that
/// receives the upload's SHA-256.
fn file_field(id: &str, label: &str, hint: &str, accept: &str, required: bool) -> Markup {
    html! {
        p.upload-file {
            label for=(id) { (label) } " " span.muted { (hint) } br;
            input id=(id) type="file" accept=(accept) data-upload=(id) required[required];
            input type="hidden" name=(id) data-upload-for=(id);
            br;
            progress id={(id) "-progress"} max="100" value="0" hidden aria-label={"Upload of " (label)} {}
            span.muted id={(id) "-status"} role="status" {}
        }
    }
}

fn text_field(id: &str, label: &str, hint: &str, error: &Option<(String, String)>) -> Markup {
    let e = field_error(error, id);
    html! {
        p { label for=(id) { (label) } " " span.muted { (hint) } br;
            input id=(id) name=(id) type="text" required aria-invalid=[e.as_ref().map(|_| "true")];
            @if let Some(m) = e { br; span.error role="alert" { (m) } } }
    }
}

fn other_error(error: &Option<(String, String)>, fields: &[&str]) -> Markup {
    html! {
        @if let Some((f, m)) = error.as_ref().filter(|(f, _)| !fields.contains(&f.as_str())) {
            p.error role="alert" { (f) ": " (m) }
        }
    }
}

fn release_form(error: &Option<(String, String)>) -> Markup {
    let fields = ["upload", "ecosystem", "label", "note"];
    html! {
        form.upload-form method="post" action="/releases" {
            (file_field("upload", "Release file", ".zip or .tar.gz of an ETO release folder, or an osa ecosystem (.toml)", ".zip,.gz,.tgz,.toml", true))
            @if let Some(m) = field_error(error, "upload").or_else(|| field_error(error, "body")) { p.error role="alert" { (m) } }
            (text_field("ecosystem", "Ecosystem", "e.g. eto-semiconductors", error))
            (text_field("label", "Label", "e.g. eto-2026", error))
            (text_field("note", "Why", "the source and what it is", error))
            (other_error(error, &[&fields[..], &["body"]].concat()))
            p { button type="submit" { "Upload for review" } }
        }
    }
}

impl Page for ReleasesPage {
    fn title(&self) -> String {
        "Data releases".into()
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        let me = ctx.user.as_ref().map(|u| u.name.as_str()).unwrap_or("");
        html! {
            h1 { "Data releases" }
            p { "A new release of an ecosystem's data is uploaded here, checked whole, and registered as the ecosystem's next snapshot once a reviewer other than the uploader approves it. Monitoring then records what it changes (" a href=(ctx.href("changes")) { "changes" } ")." }
            h2 { "Waiting for review" }
            @if self.pending.is_empty() { p.muted { "No release is waiting." } }
            @for p in &self.pending {
                section.pending {
                    h3 { (p.meta.ecosystem) " @ " (p.meta.label) }
                    p.muted { (p.format) " · " (p.bytes) " bytes · " (p.inputs) " inputs · uploaded by " (p.by) " · " (p.meta.note) }
                    p.muted { "SHA-256 " code { (p.upload) } }
                    @if !p.warnings.is_empty() { details { summary { (p.warnings.len()) " import warnings" } ul { @for w in &p.warnings { li { (w) } } } } }
                    @if ctx.is_live() && ctx.can("reviewer") && p.by != me {
                        form.approve-form method="post" action={"/releases/" (p.upload) "/approve"} {
                            button type="submit" { "Approve and register " (p.meta.label) }
                        }
                    }
                }
            }
            @if ctx.is_live() && ctx.can("analyst") {
                h2 #new-release { "Upload a release" }
                (release_form(&self.error))
            }
        }
    }
}

/// The trade page's form: a BACI year (CSV with its country table, or CEPII's .zip) or an osa
/// Parquet cache, ingested by a job.
pub fn trade_upload_form(error: &Option<(String, String)>) -> Markup {
    let fields = ["upload", "countries", "id", "note"];
    html! {
        form.upload-form method="post" action="/trade/datasets" {
            (file_field("upload", "Trade file", "a BACI year as CSV or CEPII's .zip, or an osa Parquet cache", ".csv,.zip,.parquet", true))
            (file_field("countries", "BACI country table", "country_codes_V*.csv; only with a bare CSV", ".csv", false))
            @if let Some(m) = field_error(error, "upload").or_else(|| field_error(error, "countries")) { p.error role="alert" { (m) } }
            (text_field("id", "Dataset id", "e.g. baci-2022", error))
            (text_field("note", "Why", "the source and what it is", error))
            (other_error(error, &fields))
            p { button type="submit" { "Upload and ingest" } }
        }
    }
}

/// `/trade/jobs/{id}`: a trade ingest job's progress.
#[derive(Debug, Clone, Serialize)]
pub struct JobPage {
    /// The job.
    pub job: JobView,
}

impl Page for JobPage {
    fn title(&self) -> String {
        format!("Ingest of {}", self.job.dataset)
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        let j = &self.job;
        let pct = (j.done * 100).checked_div(j.total).unwrap_or(0);
        html! {
            h1 { "Ingest of " (j.dataset) }
            div #job data-job=(j.id) data-phase=(j.phase) {
                p { "Started by " (j.by) ". " span #job-phase role="status" { (j.phase) } }
                progress #job-progress max="100" value=(pct) aria-label="Ingest progress" {}
                p.muted #job-bytes { (j.done) " of " (j.total) " bytes read" }
                @if let Some(e) = &j.error { p.error role="alert" { (e) } }
                @if !j.notes.is_empty() { ul.notes { @for n in &j.notes { li { (n) } } } }
                p #job-done hidden[j.phase != "done"] {
                    "Registered: " a href=(ctx.href("trade")) { "the trade datasets" } "."
                }
                @if j.phase != "done" && j.phase != "failed" {
                    p.muted { "This page follows the job (reload it without the script)." }
                }
            }
        }
    }
}
