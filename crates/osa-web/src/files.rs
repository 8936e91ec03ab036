//! The form proposing a new text of a whole stored file: a baseline file (the toolkit, the
//! country profiles, the blocs, the likelihood parameters, the checklist, a technology's case
//! file) or a scenario. The text as published in a text box, a required note, the proposals
//! already open on the file with links; a refused post comes back with the problem next to the
//! text (the line and field, as the API reports them) and the text kept. Also the list of the
//! baseline's files with links to their forms, for the method page.

use crate::records::{FieldError, field_error};
use crate::{Ctx, Page};
use maud::{Markup, html};
use osa_store::proposals::Proposal;
use serde::{Deserialize, Serialize};

/// The baseline's files a form can propose a new text of: (key, in words).
pub const BASELINE_FILES: &[(&str, &str)] = &[
    (
        "toolkit.toml",
        "the toolkit: policy instruments and the rules that rank them",
    ),
    (
        "countries.toml",
        "the country profiles: stances, regimes, coercion history",
    ),
    ("blocs.toml", "the blocs and their members over time"),
    (
        "likelihood.toml",
        "the likelihood model's parameters and tolerances",
    ),
    (
        "checklist.toml",
        "the AI-application checklist and the report's assessments",
    ),
];

/// The form as posted (every field text, as browsers send it).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileForm {
    /// The version the text was edited from (its ETag).
    pub base_version: i64,
    /// The whole new text.
    #[serde(default)]
    pub text: String,
    /// Why (required; kept with the revision).
    #[serde(default)]
    pub note: String,
}

/// `/propose/{kind}/{key}`: the form proposing a new text of one file.
#[derive(Debug, Clone, Serialize)]
pub struct FilePage {
    /// The file's kind (`baseline`, `scenario`).
    pub kind: String,
    /// Its key (`toolkit.toml`, `cases/6g.toml`, a scenario's id).
    pub key: String,
    /// The file in words.
    pub what: String,
    /// Its version published now.
    pub version: i64,
    /// The form's values (the published text, or what was posted).
    pub form: FileForm,
    /// Proposals open on the file (one new text at a time is reviewed).
    pub open: Vec<Proposal>,
    /// Why the last post was refused, or what became of it.
    pub error: Option<FieldError>,
}

/// Proposals in words, for a message: `proposal #4 by ana (2026-12-08)`.
pub fn proposals_words(ps: &[&Proposal]) -> String {
    ps.iter()
        .map(|p| {
            let day = p.created_at.get(..10).unwrap_or(&p.created_at);
            format!("proposal #{} by {} ({day})", p.id, p.author)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The proposals open on a file or cell, each a link to its review page.
pub fn open_list(label: &str, lead: &str, open: &[Proposal]) -> Markup {
    html! {
        @if !open.is_empty() {
            div.stale role="note" aria-label=(label) {
                p { strong { (label) "." } " " (lead) }
                ul.open-proposals { @for o in open { li {
                    a href={"/review/" (o.id)} { "Proposal #" (o.id) }
                    " on " code { @if o.subject == format!("{}/{}", o.kind, o.key) { (o.key) } @else { (o.subject) } }
                    " by " (o.author) " (" (o.created_at.get(..10).unwrap_or(&o.created_at)) "): "
                    (osa_view::format::cut(&o.note, 120))
                } } }
            }
        }
    }
}

/// Where the file is read: a technology's dossier, a scenario's page.
fn read_link(p: &FilePage) -> Option<(String, String)> {
    let case = p
        .key
        .strip_prefix("cases/")
        .and_then(|k| k.strip_suffix(".toml"));
    match (p.kind.as_str(), case) {
        ("baseline", Some(id)) => Some((format!("/tech/{id}"), "The technology's dossier".into())),
        ("scenario", _) => Some((format!("/scenarios/{}", p.key), "The scenario".into())),
        _ => None,
    }
}

impl Page for FilePage {
    fn title(&self) -> String {
        format!("Propose a new text: {}", self.key)
    }
    fn body(&self, _ctx: &Ctx) -> Markup {
        let e = &self.error;
        let action = format!("/propose/{}/{}", self.kind, self.key);
        html! {
            h1 { "Propose a new text of " code { (self.key) } }
            p { "This is " (self.what) ", version " (self.version) " as published. "
                "Edit the text; it is validated as osa reads the file, and a reviewer other than you approves or rejects it (four eyes). Until then the published text stands."
                @if let Some((href, label)) = read_link(self) { " " a href=(href) { (label) } "." } }
            (open_list("Proposals open on this file", "Open one to read or discuss it; a new text of the whole file is proposed once the one open is decided.", &self.open))
            form.propose-file method="post" action=(action) {
                input type="hidden" name="base_version" value=(self.form.base_version);
                @if let Some(x) = e.as_ref().filter(|x| x.field != "text" && x.field != "note") {
                    p.error role="alert" { (x.field) ": " (x.message) }
                }
                p { label for="text" { "The file's text (" (if self.kind == "scenario" { "osa-scenario/1" } else { "osa" }) " TOML)" } br;
                    textarea #text name="text" rows="30" spellcheck="false"
                        aria-invalid=[e.as_ref().filter(|x| x.field == "text").map(|_| "true")]
                        aria-describedby=[e.as_ref().filter(|x| x.field == "text").map(|_| "err-text")] { "\n" (self.form.text) }
                    (field_error(e, "text")) }
                p { label for="note" { "Note: why this change (required, kept with the revision)" } br;
                    textarea #note name="note" rows="2" required maxlength="20000" { (self.form.note) } (field_error(e, "note")) }
                p.muted { "The form is sent whole: at most 256 KiB as the browser encodes it." }
                p { button type="submit" { "Propose for review" } }
            }
        }
    }
}

/// The baseline's files with links to propose a new text of each (analysts, live).
pub fn baseline_links(ctx: &Ctx) -> Markup {
    html! {
        @if ctx.is_live() && ctx.can("analyst") {
            h2 { "The baseline's files" }
            p { "Each is changed through review: propose a new text of" }
            ul { @for (key, what) in BASELINE_FILES {
                li { a href=(ctx.plain(&format!("propose/baseline/{key}"))) { code { (key) } } ", " (what) }
            } }
            p.muted { "A technology's case file is proposed from its dossier." }
        }
    }
}
