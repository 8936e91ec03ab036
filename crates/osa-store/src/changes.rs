//! What monitoring found: when a data release is registered, each change it brings (a new or lost
//! chokepoint, a holder's share moving, a computed level changing, judged and computed levels
//! starting to disagree) is recorded against the revision that registered it.

use crate::{Result, Store, Tx, col};
use serde::Serialize;

/// A recorded change.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Change {
    /// Id.
    pub id: i64,
    /// When.
    pub at: String,
    /// The revision that brought it.
    pub revision_id: i64,
    /// What it is about (`technology/front-end-fabrication`, `ecosystem/semiconductors`).
    pub subject: String,
    /// Its kind (`chokepoint_new`, `chokepoint_lost`, `share_moved`, `top_holder_changed`,
    /// `computed_level_changed`, `judged_computed_disagree`, ...).
    pub kind: String,
    /// One line for people.
    pub title: String,
    /// Details (JSON: before, after, evidence).
    pub detail: serde_json::Value,
}

/// A change to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewChange {
    /// Subject.
    pub subject: String,
    /// Kind.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Details.
    pub detail: serde_json::Value,
}

/// A revision that brings recorded changes: what to write and how to audit it.
#[derive(Debug, Clone)]
pub struct Release<'a> {
    /// The audit action (`release.register`).
    pub action: &'a str,
    /// The audit target (`ecosystem/semiconductors`).
    pub target: &'a str,
    /// Why (required).
    pub note: &'a str,
    /// The documents written.
    pub puts: &'a [crate::docs::Put],
    /// The changes found.
    pub changes: &'a [NewChange],
    /// Audit details.
    pub detail: serde_json::Value,
}

impl Store {
    /// Writes a revision, the changes it brings and its audit row in one transaction; a refused
    /// write (a stale version) is audited as such and writes nothing.
    pub async fn write_release(
        &self,
        actor: &crate::Actor,
        r: &Release<'_>,
    ) -> Result<crate::docs::Revision> {
        let mut tx = self.write().await?;
        let by = crate::docs::Authorship {
            author: &actor.name,
            note: r.note,
            reviewer: None,
            proposal_id: None,
        };
        let rev = match self.commit_revision(&mut tx, &by, r.puts).await {
            Ok(rev) => rev,
            Err(e) => {
                drop(tx);
                return self
                    .audited(Err(e), actor, r.action, r.target, r.detail.clone())
                    .await;
            }
        };
        self.record_changes(&mut tx, rev.id, r.changes).await?;
        let mut detail = r.detail.clone();
        detail["changes"] = serde_json::json!(r.changes.len());
        detail["note"] = serde_json::json!(r.note);
        self.audit(&mut tx, actor, r.action, r.target, "ok", detail)
            .await?;
        tx.commit().await?;
        Ok(rev)
    }

    /// Records changes found by a revision (inside its transaction).
    pub async fn record_changes(
        &self,
        tx: &mut Tx,
        revision_id: i64,
        changes: &[NewChange],
    ) -> Result<()> {
        let at = crate::clock::now();
        for c in changes {
            let id = self.next_id(tx, "changes", "id").await?;
            sqlx::query(self.sql(
                "INSERT INTO changes (id, at, revision_id, subject, kind, title, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
            ))
            .bind(id)
            .bind(&at)
            .bind(revision_id)
            .bind(&c.subject)
            .bind(&c.kind)
            .bind(&c.title)
            .bind(c.detail.to_string())
            .execute(&mut **tx)
            .await?;
            self.seal(tx, &crate::seal::CHANGES, &[id.into()]).await?;
        }
        Ok(())
    }

    /// Changes, newest first; only those whose subject is in `subjects` when given.
    pub async fn changes(
        &self,
        subjects: Option<&[String]>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Change>> {
        let rows = sqlx::query(self.sql("SELECT * FROM changes ORDER BY id DESC LIMIT ? OFFSET ?"))
            .bind(if subjects.is_some() { i64::MAX } else { limit })
            .bind(if subjects.is_some() { 0 } else { offset })
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::new();
        for r in &rows {
            let c = change(r)?;
            if subjects.is_none_or(|s| s.contains(&c.subject)) {
                out.push(c);
            }
        }
        if subjects.is_some() {
            out = out
                .into_iter()
                .skip(offset.max(0) as usize)
                .take(limit.max(0) as usize)
                .collect();
        }
        Ok(out)
    }
}

impl Store {
    /// One recorded change.
    pub async fn change(&self, id: i64) -> Result<Change> {
        let row = sqlx::query(self.sql("SELECT * FROM changes WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| crate::StoreError::NotFound(format!("no change {id}")))?;
        change(&row)
    }
}

fn change(r: &sqlx::any::AnyRow) -> Result<Change> {
    let detail: String = col(r, "detail")?;
    Ok(Change {
        id: col(r, "id")?,
        at: col(r, "at")?,
        revision_id: col(r, "revision_id")?,
        subject: col(r, "subject")?,
        kind: col(r, "kind")?,
        title: col(r, "title")?,
        detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::String(detail)),
    })
}
