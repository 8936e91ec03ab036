//! What a reviewer and an analyst read around a proposal of any kind: for a cell, the cell as
//! published and as the proposal would make it (before and after, side by side); for any other
//! file (a scenario, an application assessment, the toolkit, countries, blocs, likelihood), its
//! entries before and after field by field; what the change does to what is published (`impact`);
//! and a cell's history as a timeline of proposals, reviews and the revisions they published.

use super::entries::{Reading, SectionChange, diff_json, diff_toml};
use super::impact::Impact;
use super::records::kind as records_kind;
use super::{Workbench, bound, kind};
use crate::{AppError, Result};
use osa_assess::Dimension;
use osa_store::docs::Revision;
use osa_store::proposals::Proposal;
use osa_view::assess::{MatrixCell, judged_cell};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// A proposal with the cell it changes before and after.
#[derive(Debug, Clone, Serialize)]
pub struct ProposalReview {
    /// The proposal.
    pub proposal: Proposal,
    /// The technology and dimension, for a cell proposal.
    pub cell: Option<(String, String)>,
    /// The technology's name.
    pub name: Option<String>,
    /// The cell as published at the proposal's base version.
    pub before: Option<MatrixCell>,
    /// The cell as the proposal makes it.
    pub after: Option<MatrixCell>,
    /// What the proposal changes, in words (`a cell`, `a scenario`, `the toolkit`).
    pub what: String,
    /// Any other file's change, entry by entry (empty for a cell).
    pub changes: Vec<SectionChange>,
    /// Why the change cannot be shown entry by entry, if it cannot.
    pub changes_unreadable: Option<String>,
    /// What the change does to what is published (an open proposal).
    pub impact: Impact,
    /// The document's published version now (0: none).
    pub current_version: i64,
    /// The published document moved since the proposal was made: it must be brought up to date.
    pub stale: bool,
    /// Whether "bring up to date" can carry the change onto the published file by itself (a
    /// cell's change, a baseline file, a scenario, an application's assessment).
    pub rebasable: bool,
}

/// One step of a cell's history.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineStep {
    /// When.
    pub at: String,
    /// `proposed`, `approved`, `rejected`, `withdrawn` or `published`.
    pub what: String,
    /// Who.
    pub who: String,
    /// The note or the review's comment.
    pub text: String,
    /// The proposal, where the step is one.
    pub proposal: Option<i64>,
    /// The revision published, and the cell's level in it.
    pub revision: Option<i64>,
    /// The cell as the step left it (published steps).
    pub cell: Option<MatrixCell>,
}

/// A proposal's cells before and after, by (proposal, base version): a proposal's body changes
/// only when it is rebased, which moves its base.
pub(crate) type ReviewCache = HashMap<(i64, i64), Arc<Cells>>;

/// What a cell proposal changes.
#[derive(Debug)]
pub(crate) struct Cells {
    cell: Option<(String, String)>,
    name: Option<String>,
    before: Option<MatrixCell>,
    after: Option<MatrixCell>,
    changes: Result<Vec<SectionChange>, String>,
}

/// What a proposal of a kind and key changes, in words.
fn what_of(p: &Proposal, cell: bool) -> String {
    if cell {
        return "a cell of the matrix".into();
    }
    file_words(&p.kind, &p.key)
}

/// A stored file in words (`the toolkit (instruments and rules)`, `a scenario`).
pub fn file_words(doc_kind: &str, key: &str) -> String {
    match (doc_kind, key) {
        (kind::SCENARIO, _) => "a scenario".into(),
        (records_kind::APP_ASSESSMENT, _) => "the assessment of an AI application".into(),
        (kind::BASELINE, "toolkit.toml") => "the toolkit (instruments and rules)".into(),
        (kind::BASELINE, "countries.toml") => "the country profiles".into(),
        (kind::BASELINE, "blocs.toml") => "the blocs".into(),
        (kind::BASELINE, "likelihood.toml") => "the likelihood model's parameters".into(),
        (kind::BASELINE, "checklist.toml") => "the AI-application checklist".into(),
        (kind::BASELINE, k) if k.starts_with("cases/") => "a technology's case file".into(),
        (k, _) => format!("a stored {k}"),
    }
}

fn cell_of(body: &str, key: &str, dim: Dimension) -> Option<MatrixCell> {
    osa_io::baseline::parse_technology(body, key, None)
        .ok()
        .map(|t| judged_cell(t.judged(dim)))
}

fn name_of(body: &str, key: &str) -> Option<String> {
    osa_io::baseline::parse_technology(body, key, None)
        .ok()
        .map(|t| t.name)
}

impl Workbench {
    /// A proposal with, for a cell proposal, the cell before (at its base) and after.
    pub async fn proposal_review(&self, id: i64) -> Result<ProposalReview> {
        let p = self.store.proposal(id).await?;
        let key = (p.id, p.base_version);
        let cached = self.reviews.lock().ok().and_then(|m| m.get(&key).cloned());
        let cells = match cached {
            Some(c) => c,
            None => {
                let mut c = self.cells_of(&p).await?;
                if c.cell.is_none() {
                    c.changes = self.changes_of(&p).await?;
                }
                let c = Arc::new(c);
                if let Ok(mut m) = self.reviews.lock() {
                    m.insert(key, c.clone());
                    bound(&mut m);
                }
                c
            }
        };
        let impact = self.proposal_impact(&p).await?.as_ref().clone();
        let current_version = self.store.latest_version(&p.kind, &p.key).await?;
        let stale = p.status == "open" && current_version != p.base_version;
        Ok(ProposalReview {
            what: what_of(&p, cells.cell.is_some()),
            cell: cells.cell.clone(),
            name: cells.name.clone(),
            before: cells.before.clone(),
            after: cells.after.clone(),
            changes: cells.changes.clone().unwrap_or_default(),
            changes_unreadable: cells.changes.clone().err(),
            impact,
            current_version,
            stale,
            rebasable: cells.cell.is_some() || super::rebase::rebasable_kind(&p.kind),
            proposal: p,
        })
    }

    /// A file proposal's change entry by entry, against the file at the proposal's base.
    async fn changes_of(
        &self,
        p: &Proposal,
    ) -> Result<std::result::Result<Vec<SectionChange>, String>> {
        let base = match p.base_version {
            0 => None,
            v => self.store.doc(&p.kind, &p.key, v).await?.map(|d| d.body),
        };
        if p.kind == records_kind::APP_ASSESSMENT {
            let b = self.baseline_at(self.store.head().await?).await?;
            let names = |_: &str, id: &str| {
                b.checklist
                    .criteria
                    .iter()
                    .find(|c| c.id == id)
                    .map(|c| c.title.clone())
            };
            let r = Reading {
                ranges: false,
                names: Some(&names),
            };
            return Ok(diff_json(base.as_deref(), &p.body, r));
        }
        let r = Reading {
            ranges: p.kind == kind::SCENARIO,
            names: None,
        };
        Ok(diff_toml(base.as_deref(), &p.body, r))
    }

    async fn cells_of(&self, p: &Proposal) -> Result<Cells> {
        let cell = p
            .subject
            .split_once('/')
            .filter(|_| p.kind == kind::BASELINE && p.key.starts_with("cases/"))
            .and_then(|(t, d)| d.parse::<Dimension>().ok().map(|d| (t.to_string(), d)));
        let Some((tech, dim)) = cell else {
            return Ok(Cells {
                cell: None,
                name: None,
                before: None,
                after: None,
                changes: Ok(Vec::new()),
            });
        };
        let base = self
            .store
            .doc(kind::BASELINE, &p.key, p.base_version)
            .await?;
        let before = base.as_ref().and_then(|d| cell_of(&d.body, &p.key, dim));
        let after = cell_of(&p.body, &p.key, dim);
        Ok(Cells {
            name: name_of(&p.body, &p.key),
            cell: Some((tech, dim.id().to_string())),
            before,
            after,
            changes: Ok(Vec::new()),
        })
    }

    /// The proposals open on one cell (`technology/dimension`), oldest first.
    pub async fn open_proposals_on(&self, id: &str, dimension: &str) -> Result<Vec<Proposal>> {
        let head = self.store.head().await?;
        let doc = self.technology_doc(id, head).await?;
        let subject = format!("{id}/{dimension}");
        let mut v = self
            .open_proposals_on_file(kind::BASELINE, Some(&doc.key))
            .await?;
        v.retain(|p| p.subject == subject);
        Ok(v)
    }

    /// The proposals open on one stored file (a baseline file, a scenario, an application's
    /// assessment: its cells' too), or with `key` `None` on every file of the kind; oldest first.
    pub async fn open_proposals_on_file(
        &self,
        doc_kind: &str,
        key: Option<&str>,
    ) -> Result<Vec<Proposal>> {
        let found = match key {
            Some(k) => {
                self.store
                    .proposals(Some("open"), Some((doc_kind, k)), 200, 0)
                    .await?
            }
            None => self.store.proposals(Some("open"), None, 500, 0).await?,
        };
        let mut v: Vec<Proposal> = found.into_iter().filter(|p| p.kind == doc_kind).collect();
        v.reverse();
        Ok(v)
    }

    /// A cell's history, oldest first: each proposal on it (made, and reviewed) and each
    /// revision of the technology's file with the cell as it left it.
    pub async fn cell_timeline(&self, id: &str, dimension: &str) -> Result<Vec<TimelineStep>> {
        let dim: Dimension = dimension
            .parse()
            .map_err(|m: String| AppError::invalid("dimension", m))?;
        let versions = self.technology_history(id).await?;
        let Some((first, _)) = versions.first() else {
            return Ok(Vec::new());
        };
        let key = first.key.clone();
        let mut steps: Vec<TimelineStep> = versions
            .iter()
            .map(|(doc, rev)| published(doc.body.as_str(), &key, dim, rev))
            .collect();
        let subject = format!("{id}/{}", dim.id());
        let proposals = self
            .store
            .proposals(None, Some((kind::BASELINE, &key)), 1000, 0)
            .await?;
        for p in proposals.into_iter().filter(|p| p.subject == subject) {
            steps.extend(proposal_steps(&p));
        }
        // A revision a review published comes after that review, whatever the clocks say.
        let decided: std::collections::HashMap<i64, String> = steps
            .iter()
            .filter(|s| order(&s.what) == 1)
            .filter_map(|s| s.proposal.map(|p| (p, s.at.clone())))
            .collect();
        let key = |s: &TimelineStep| {
            let at = match (order(&s.what), s.proposal.and_then(|p| decided.get(&p))) {
                (2, Some(d)) if d > &s.at => d.clone(),
                _ => s.at.clone(),
            };
            (at, order(&s.what))
        };
        steps.sort_by_cached_key(key);
        Ok(steps)
    }
}

fn order(what: &str) -> u8 {
    match what {
        "proposed" => 0,
        "approved" | "rejected" | "withdrawn" => 1,
        _ => 2,
    }
}

fn published(body: &str, key: &str, dim: Dimension, rev: &Revision) -> TimelineStep {
    TimelineStep {
        at: rev.at.clone(),
        what: "published".into(),
        who: match &rev.reviewer {
            Some(r) => format!("{} (approved by {r})", rev.author),
            None => rev.author.clone(),
        },
        text: rev.note.clone(),
        proposal: rev.proposal_id,
        revision: Some(rev.id),
        cell: cell_of(body, key, dim),
    }
}

fn proposal_steps(p: &Proposal) -> Vec<TimelineStep> {
    let mut v = vec![TimelineStep {
        at: p.created_at.clone(),
        what: "proposed".into(),
        who: p.author.clone(),
        text: p.note.clone(),
        proposal: Some(p.id),
        revision: None,
        cell: None,
    }];
    if let (Some(who), Some(at)) = (&p.reviewer, &p.reviewed_at) {
        v.push(TimelineStep {
            at: at.clone(),
            what: p.status.clone(),
            who: who.clone(),
            text: p.review_comment.clone().unwrap_or_default(),
            proposal: Some(p.id),
            revision: p.revision_id,
            cell: None,
        });
    }
    v
}
