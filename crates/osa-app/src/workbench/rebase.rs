//! Bringing an open proposal up to date with its file as published now ("bring up to date"). A
//! cell's change is applied again to the published case file; a whole file's new text (a baseline
//! file, a scenario, an application's assessment) is merged entry by entry with what was
//! published since it was made ([`super::merge`]), refused whole, naming the entries, where both
//! changed one differently. Either way the result is validated as a new proposal is, and stored
//! against the version published now (`Store::rebase`). A form posted against a version since
//! replaced is carried onto the published text the same way (`carry_onto_published`).

use super::merge::{self, Format, MergeError};
use super::records::{AppAssessment, kind as records_kind};
use super::{Workbench, kind};
use crate::{AppError, Result};
use osa_assess::Dimension;
use osa_store::Actor;
use osa_store::proposals::Proposal;
use osa_store::users::{Principal, Role};

/// A cell proposal's dimension and change; `None` for a whole file's proposal.
fn cell_change(p: &Proposal) -> Option<(Dimension, super::cells::CellChange)> {
    if p.kind != kind::BASELINE || p.subject == format!("{}/{}", p.kind, p.key) {
        return None;
    }
    let dim = p.subject.rsplit('/').next()?.parse().ok()?;
    Some((dim, serde_json::from_value(p.change.clone()).ok()?))
}

/// Whether "bring up to date" can carry a proposal of this kind onto the published file.
pub fn rebasable_kind(doc_kind: &str) -> bool {
    [kind::BASELINE, kind::SCENARIO, records_kind::APP_ASSESSMENT].contains(&doc_kind)
}

/// What a merged text is validated as (its file and note) and called in a refusal.
#[derive(Debug)]
struct Carried<'a> {
    file: (&'a str, &'a str),
    note: &'a str,
    what: String,
}

/// A refused merge as the use case's error.
fn refusal(what: &str, e: MergeError) -> AppError {
    match e {
        MergeError::Conflicts(_) => AppError::Conflict(format!(
            "{what} cannot be brought up to date: {e}; propose the file again from the version published now"
        )),
        MergeError::Unreadable(m) => AppError::invalid("text", m),
    }
}

impl Workbench {
    /// Brings an open proposal up to date (its author): its change carried onto the file as
    /// published now and validated again; refused, naming the entries, where the published file
    /// changed an entry the proposal changes too.
    pub async fn rebase(&self, actor: &Actor, who: &Principal, id: i64) -> Result<Proposal> {
        let target = format!("proposal/{id}");
        self.require(actor, who, Role::Analyst, "proposal.rebase", &target)
            .await?;
        let p = self.store.proposal(id).await?;
        let head = self.store.head().await?;
        let doc = self
            .store
            .doc(&p.kind, &p.key, head)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("{} is no longer in the record", p.key)))?;
        let body = match cell_change(&p) {
            Some((dim, change)) => {
                self.validated(head, &doc.key, &doc.body, dim, &change)
                    .await
            }
            None => {
                let c = Carried {
                    file: (&p.kind, &p.key),
                    note: &p.note,
                    what: format!("proposal {id}"),
                };
                self.merged_file(&c, (p.base_version, &p.body), &doc.body)
                    .await
            }
        };
        let body = self
            .audit_check(
                body,
                actor,
                ("proposal.rebase", &target),
                serde_json::json!({ "base_version": doc.version }),
            )
            .await?;
        let as_who = Actor {
            name: who.name.clone(),
            ..actor.clone()
        };
        Ok(self.store.rebase(&as_who, id, doc.version, &body).await?)
    }

    /// A whole file's new text (`text`, made against version `base`) carried onto the
    /// `published` text and validated as that file.
    async fn merged_file(
        &self,
        c: &Carried<'_>,
        (base, text): (i64, &str),
        published: &str,
    ) -> Result<String> {
        let (doc_kind, key) = c.file;
        let base = match base {
            0 => None,
            v => self.store.doc(doc_kind, key, v).await?.map(|d| d.body),
        };
        if doc_kind == records_kind::APP_ASSESSMENT {
            let m = merge::merge(Format::Json, base.as_deref(), text, published)
                .map_err(|e| refusal(&c.what, e))?;
            let mut a: AppAssessment = serde_json::from_str(&m.text)
                .map_err(|e| AppError::data("the merged assessment", e))?;
            a.note = c.note.to_string();
            self.check_app(key, &a).await?;
            return serde_json::to_string(&a).map_err(|e| AppError::data("the assessment", e));
        }
        if !rebasable_kind(doc_kind) {
            return Err(AppError::invalid(
                "kind",
                format!("a file of kind `{doc_kind}` cannot be brought up to date"),
            ));
        }
        let m = merge::merge(Format::Toml, base.as_deref(), text, published)
            .map_err(|e| refusal(&c.what, e))?;
        self.check_file(doc_kind, key, &m.text, c.note).await?;
        Ok(m.text)
    }

    /// A whole file's text edited from version `base_version` (a form opened before the file was
    /// published again), carried onto the file as published now: the published version and the
    /// merged text, validated. Refused, naming the entries, where both changed one.
    pub async fn carry_onto_published(
        &self,
        (doc_kind, key): (&str, &str),
        base_version: i64,
        text: &str,
        note: &str,
    ) -> Result<(i64, String)> {
        let head = self.store.head().await?;
        let doc = self
            .store
            .doc(doc_kind, key, head)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("no file {doc_kind}/{key}")))?;
        let c = Carried {
            file: (doc_kind, key),
            note,
            what: "your text".into(),
        };
        let merged = self
            .merged_file(&c, (base_version, text), &doc.body)
            .await?;
        Ok((doc.version, merged))
    }
}
