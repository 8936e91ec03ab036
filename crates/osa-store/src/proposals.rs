//! Four-eyes review. An analyst's change to published work is a proposal: the new document, the
//! change asked for (JSON), a required note, and the version it was made against. A reviewer who
//! is not its author approves it (it becomes a revision, authored by the analyst and approved by
//! the reviewer) or rejects it with a comment. A proposal whose base is no longer the published
//! version cannot be approved until it is brought up to date; the database itself refuses a
//! reviewer equal to the author. Refusals are audited like writes.

use crate::docs::{Authorship, Put, Revision};
use crate::effects::Effects;
use crate::seal::PROPOSALS;
use crate::{Actor, Result, Store, StoreError, Tx, col};
use serde::Serialize;

/// A proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Proposal {
    /// Id.
    pub id: i64,
    /// The document's kind.
    pub kind: String,
    /// The document's key.
    pub key: String,
    /// What in the document it changes (e.g. `6g/national_security`).
    pub subject: String,
    /// The published version it was made against.
    pub base_version: i64,
    /// The whole new document.
    #[serde(skip)]
    pub body: String,
    /// The change asked for (JSON).
    pub change: serde_json::Value,
    /// Why.
    pub note: String,
    /// Who proposed it.
    pub author: String,
    /// When.
    pub created_at: String,
    /// `open`, `approved`, `rejected` or `withdrawn`.
    pub status: String,
    /// Who reviewed it.
    pub reviewer: Option<String>,
    /// The reviewer's comment.
    pub review_comment: Option<String>,
    /// When it was reviewed.
    pub reviewed_at: Option<String>,
    /// The revision an approval created.
    pub revision_id: Option<i64>,
}

/// A proposal to make.
#[derive(Debug, Clone)]
pub struct NewProposal {
    /// The document's kind.
    pub kind: String,
    /// The document's key.
    pub key: String,
    /// What it changes.
    pub subject: String,
    /// The published version it was made against (the ETag the analyst saw).
    pub base_version: i64,
    /// The whole new document (already validated by the caller).
    pub body: String,
    /// The change asked for.
    pub change: serde_json::Value,
    /// Why.
    pub note: String,
}

pub use crate::effects::EffectsOf;

/// A reviewer's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Publish it.
    Approve,
    /// Do not publish it.
    Reject,
}

impl Store {
    /// Records a proposal. Refused (and audited) when the base is not the published version, when
    /// the same subject already has an open proposal, or without a note.
    pub async fn propose(&self, actor: &Actor, p: &NewProposal) -> Result<Proposal> {
        self.propose_with(actor, p, &|_| Effects::none()).await
    }

    /// [`Store::propose`], writing `effects` of the new proposal (change-log entries,
    /// notifications) in its transaction.
    pub async fn propose_with(
        &self,
        actor: &Actor,
        p: &NewProposal,
        effects: &EffectsOf<'_, Proposal>,
    ) -> Result<Proposal> {
        let target = format!("{}/{}", p.kind, p.key);
        let detail = serde_json::json!({ "subject": p.subject, "base_version": p.base_version, "change": p.change, "note": p.note });
        let r = async {
            let mut tx = self.write().await?;
            let prop = self.insert_proposal(&mut tx, actor, p).await?;
            let head = self.head_in(&mut tx).await?;
            self.record_effects(&mut tx, actor, head, &effects(&prop))
                .await?;
            self.audit(
                &mut tx,
                actor,
                "proposal.create",
                &format!("proposal/{}", prop.id),
                "ok",
                detail.clone(),
            )
            .await?;
            tx.commit().await?;
            Ok(prop)
        }
        .await;
        self.audited(r, actor, "proposal.create", &target, detail)
            .await
    }

    async fn insert_proposal(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        p: &NewProposal,
    ) -> Result<Proposal> {
        if p.note.trim().is_empty() {
            return Err(StoreError::invalid("note", "a note saying why is required"));
        }
        let id = self.check_base(tx, p).await?;
        let prop = Proposal {
            id,
            kind: p.kind.clone(),
            key: p.key.clone(),
            subject: p.subject.clone(),
            base_version: p.base_version,
            body: p.body.clone(),
            change: p.change.clone(),
            note: p.note.clone(),
            author: actor.name.clone(),
            created_at: crate::clock::now(),
            status: "open".into(),
            reviewer: None,
            review_comment: None,
            reviewed_at: None,
            revision_id: None,
        };
        sqlx::query(self.sql(
            "INSERT INTO proposals (id, kind, key, subject, base_rev, body, change, note, author, created_at, status) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')",
        ))
        .bind(prop.id)
        .bind(&prop.kind)
        .bind(&prop.key)
        .bind(&prop.subject)
        .bind(prop.base_version)
        .bind(&prop.body)
        .bind(prop.change.to_string())
        .bind(&prop.note)
        .bind(&prop.author)
        .bind(&prop.created_at)
        .execute(&mut **tx)
        .await?;
        self.seal(tx, &PROPOSALS, &[prop.id.into()]).await?;
        Ok(prop)
    }

    /// Refuses a proposal whose base is not the published version, or whose subject already has
    /// an open proposal on that version; returns the next proposal id. One round trip.
    async fn check_base(&self, tx: &mut Tx, p: &NewProposal) -> Result<i64> {
        let (current, open_id, open_author, id): (i64, Option<i64>, Option<String>, i64) =
            sqlx::query_as(self.sql(
                "SELECT COALESCE((SELECT rev_from FROM documents WHERE kind = ? AND key = ? \
                 AND rev_to IS NULL AND body IS NOT NULL), 0), \
                 (SELECT MIN(id) FROM proposals WHERE kind = ? AND key = ? AND subject = ? \
                 AND status = 'open' AND base_rev = ?), \
                 (SELECT MIN(author) FROM proposals WHERE kind = ? AND key = ? AND subject = ? \
                 AND status = 'open' AND base_rev = ?), \
                 (SELECT COALESCE(MAX(id), 0) + 1 FROM proposals)",
            ))
            .bind(&p.kind)
            .bind(&p.key)
            .bind(&p.kind)
            .bind(&p.key)
            .bind(&p.subject)
            .bind(p.base_version)
            .bind(&p.kind)
            .bind(&p.key)
            .bind(&p.subject)
            .bind(p.base_version)
            .fetch_one(&mut **tx)
            .await?;
        if current != p.base_version {
            return Err(StoreError::Stale {
                what: format!("{}/{}", p.kind, p.key),
                expected: p.base_version.to_string(),
                current: current.to_string(),
            });
        }
        if let (Some(open), Some(author)) = (open_id, open_author) {
            return Err(StoreError::Stale {
                what: format!("{} (open proposal {open} by {author})", p.subject),
                expected: p.base_version.to_string(),
                current: format!("{current} with proposal {open} pending"),
            });
        }
        Ok(id)
    }

    /// Approves or rejects an open proposal. Refused (and audited) for its own author, for a
    /// closed proposal, and (approval) when the published version moved since it was made.
    pub async fn review(
        &self,
        actor: &Actor,
        id: i64,
        decision: Decision,
        comment: &str,
    ) -> Result<(Proposal, Option<Revision>)> {
        self.review_with(actor, id, decision, comment, None, &|_| Effects::none())
            .await
    }

    /// As [`Store::review`]; an approval publishes `publish` in place of the proposal's text
    /// when given (the caller's final touch, such as the judge and date of a case file), and the
    /// proposal then holds that text, so an approved proposal always holds what it published.
    pub async fn review_publishing(
        &self,
        actor: &Actor,
        id: i64,
        decision: Decision,
        comment: &str,
        publish: Option<&str>,
    ) -> Result<(Proposal, Option<Revision>)> {
        self.review_with(actor, id, decision, comment, publish, &|_| Effects::none())
            .await
    }

    /// [`Store::review_publishing`], writing `effects` of the decision (given the proposal
    /// decided and the revision an approval made) in its transaction.
    pub async fn review_with(
        &self,
        actor: &Actor,
        id: i64,
        decision: Decision,
        comment: &str,
        publish: Option<&str>,
        effects: &EffectsOf<'_, (Proposal, Option<Revision>)>,
    ) -> Result<(Proposal, Option<Revision>)> {
        let action = match decision {
            Decision::Approve => "proposal.approve",
            Decision::Reject => "proposal.reject",
        };
        let target = format!("proposal/{id}");
        let detail = serde_json::json!({ "comment": comment });
        let r = async {
            let mut tx = self.write().await?;
            let out = self
                .decide(&mut tx, actor, id, (decision, publish), comment)
                .await?;
            let rev = match &out.1 {
                Some(r) => r.id,
                None => self.head_in(&mut tx).await?,
            };
            self.record_effects(&mut tx, actor, rev, &effects(&out))
                .await?;
            let d =
                serde_json::json!({ "comment": comment, "revision": out.1.as_ref().map(|r| r.id) });
            self.audit(&mut tx, actor, action, &target, "ok", d).await?;
            tx.commit().await?;
            Ok(out)
        }
        .await;
        self.audited(r, actor, action, &target, detail).await
    }

    async fn decide(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        id: i64,
        (decision, publish): (Decision, Option<&str>),
        comment: &str,
    ) -> Result<(Proposal, Option<Revision>)> {
        let mut p = self.open_proposal(tx, id).await?;
        if p.author == actor.name {
            return Err(StoreError::Refused(format!(
                "four eyes: {} proposed this change and cannot review it; another reviewer must",
                actor.name
            )));
        }
        let revision = match decision {
            Decision::Reject => {
                if comment.trim().is_empty() {
                    return Err(StoreError::invalid(
                        "comment",
                        "say why the proposal is rejected",
                    ));
                }
                None
            }
            Decision::Approve => {
                // What is published is what the proposal holds from now on.
                if let Some(text) = publish {
                    p.body = text.to_string();
                }
                let by = Authorship {
                    author: &p.author,
                    note: &p.note,
                    reviewer: Some(&actor.name),
                    proposal_id: Some(p.id),
                };
                let put = Put {
                    kind: p.kind.clone(),
                    key: p.key.clone(),
                    body: Some(p.body.clone()),
                    expected: Some(p.base_version),
                };
                Some(self.commit_revision(tx, &by, &[put]).await?)
            }
        };
        p.status = if revision.is_some() {
            "approved"
        } else {
            "rejected"
        }
        .into();
        p.reviewer = Some(actor.name.clone());
        p.review_comment = Some(comment.into());
        p.reviewed_at = Some(crate::clock::now());
        p.revision_id = revision.as_ref().map(|r| r.id);
        sqlx::query(self.sql(
            "UPDATE proposals SET status = ?, reviewer = ?, review_comment = ?, reviewed_at = ?, revision_id = ?, body = ? WHERE id = ?",
        ))
        .bind(&p.status)
        .bind(p.reviewer.clone())
        .bind(p.review_comment.clone())
        .bind(p.reviewed_at.clone())
        .bind(p.revision_id)
        .bind(&p.body)
        .bind(p.id)
        .execute(&mut **tx)
        .await?;
        self.seal(tx, &PROPOSALS, &[p.id.into()]).await?;
        Ok((p, revision))
    }

    /// Brings an open proposal up to date: a new base version and body (computed by the caller by
    /// re-applying the change to the published document). Only its author may.
    pub async fn rebase(
        &self,
        actor: &Actor,
        id: i64,
        base_version: i64,
        body: &str,
    ) -> Result<Proposal> {
        let target = format!("proposal/{id}");
        let detail = serde_json::json!({ "base_version": base_version });
        let r = async {
            let mut tx = self.write().await?;
            let mut p = self.open_proposal(&mut tx, id).await?;
            if p.author != actor.name {
                return Err(StoreError::Refused(format!(
                    "only its author ({}) can bring proposal {id} up to date",
                    p.author
                )));
            }
            let current = self.current_version(&mut tx, &p.kind, &p.key).await?;
            if current != base_version {
                return Err(StoreError::Stale {
                    what: format!("{}/{}", p.kind, p.key),
                    expected: base_version.to_string(),
                    current: current.to_string(),
                });
            }
            sqlx::query(self.sql("UPDATE proposals SET base_rev = ?, body = ? WHERE id = ?"))
                .bind(base_version)
                .bind(body)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            self.seal(&mut tx, &PROPOSALS, &[id.into()]).await?;
            self.audit(
                &mut tx,
                actor,
                "proposal.rebase",
                &target,
                "ok",
                detail.clone(),
            )
            .await?;
            tx.commit().await?;
            p.base_version = base_version;
            p.body = body.into();
            Ok(p)
        }
        .await;
        self.audited(r, actor, "proposal.rebase", &target, detail)
            .await
    }

    async fn open_proposal(&self, tx: &mut Tx, id: i64) -> Result<Proposal> {
        let row = sqlx::query(self.sql("SELECT * FROM proposals WHERE id = ?"))
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("no proposal {id}")))?;
        let p = proposal(&row)?;
        if p.status != "open" {
            return Err(StoreError::Refused(format!(
                "proposal {id} is {} already",
                p.status
            )));
        }
        Ok(p)
    }

    /// One proposal.
    pub async fn proposal(&self, id: i64) -> Result<Proposal> {
        let row = sqlx::query(self.sql("SELECT * FROM proposals WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("no proposal {id}")))?;
        proposal(&row)
    }

    /// Proposals, newest first, optionally only those of one status and/or one document.
    pub async fn proposals(
        &self,
        status: Option<&str>,
        kind_key: Option<(&str, &str)>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Proposal>> {
        let (kind, key) = kind_key.unwrap_or(("", ""));
        let rows = sqlx::query(self.sql(
            "SELECT * FROM proposals WHERE (? = '' OR status = ?) AND (? = '' OR (kind = ? AND key = ?)) \
             ORDER BY id DESC LIMIT ? OFFSET ?",
        ))
        .bind(status.unwrap_or(""))
        .bind(status.unwrap_or(""))
        .bind(kind)
        .bind(kind)
        .bind(key)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(proposal).collect()
    }

    /// How many proposals have a status (`open`: the review queue's length).
    pub async fn count_proposals(&self, status: &str) -> Result<u64> {
        let (n,): (i64,) =
            sqlx::query_as(self.sql("SELECT COUNT(*) FROM proposals WHERE status = ?"))
                .bind(status)
                .fetch_one(&self.pool)
                .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Passes a result through, auditing it when it is a refusal (stale, refused, invalid).
    pub(crate) async fn audited<T>(
        &self,
        r: Result<T>,
        actor: &Actor,
        action: &str,
        target: &str,
        detail: serde_json::Value,
    ) -> Result<T> {
        match r {
            Err(
                e @ (StoreError::Stale { .. }
                | StoreError::Refused(_)
                | StoreError::Invalid { .. }
                | StoreError::NotFound(_)),
            ) => {
                self.audit_refusal(actor, action, target, &e.to_string(), detail)
                    .await?;
                Err(e)
            }
            other => other,
        }
    }
}

fn proposal(r: &sqlx::any::AnyRow) -> Result<Proposal> {
    let change: String = col(r, "change")?;
    Ok(Proposal {
        id: col(r, "id")?,
        kind: col(r, "kind")?,
        key: col(r, "key")?,
        subject: col(r, "subject")?,
        base_version: col(r, "base_rev")?,
        body: col(r, "body")?,
        change: serde_json::from_str(&change)
            .map_err(|e| StoreError::Corrupt(format!("proposal change is not JSON: {e}")))?,
        note: col(r, "note")?,
        author: col(r, "author")?,
        created_at: col(r, "created_at")?,
        status: col(r, "status")?,
        reviewer: col(r, "reviewer")?,
        review_comment: col(r, "review_comment")?,
        reviewed_at: col(r, "reviewed_at")?,
        revision_id: col(r, "revision_id")?,
    })
}
