//! The change log: what monitoring found when a data release is registered (a new or lost
//! chokepoint, a holder's share moving, a computed level changing, judged and computed levels
//! starting to disagree), and the record's own changes (published cells and files with before and
//! after, approvals, rejections, new proposals, events, datasets), each in words, with who made it,
//! the page it links to and the subjects a watchlist may follow. Entries are written with
//! [`Effects`] in the same transaction as the write that causes them, with the notifications the
//! write sends (see [`crate::notify`]).

pub use crate::effects::{Effects, NewChange};
use crate::{Result, Store, col};
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
    /// Who made it (empty for entries older than schema version 5).
    #[serde(default)]
    pub actor: String,
    /// The page it links to (a path: `/tech/6g/national_security/history`; empty: its own page).
    #[serde(default)]
    pub link: String,
    /// The subjects a watchlist may follow it by (`technology/6g`, `dimension/national_security`,
    /// `actor/Huawei`, `input/gallium`, `hs/XV`), its subject among them.
    #[serde(default)]
    pub topics: Vec<String>,
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
    /// The notifications they send (watchers of their subjects).
    pub notes: &'a [crate::notify::NewNote],
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
        let effects = Effects {
            changes: r.changes.to_vec(),
            notes: r.notes.to_vec(),
        };
        self.record_effects(&mut tx, actor, rev.id, &effects)
            .await?;
        let mut detail = r.detail.clone();
        detail["changes"] = serde_json::json!(r.changes.len());
        detail["note"] = serde_json::json!(r.note);
        self.audit(&mut tx, actor, r.action, r.target, "ok", detail)
            .await?;
        tx.commit().await?;
        Ok(rev)
    }

    /// Changes, newest first; only those about one of `subjects` (their subject or one of their
    /// topics) when given.
    pub async fn changes(
        &self,
        subjects: Option<&[String]>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Change>> {
        let (filter, binds) = subject_filter(subjects);
        let q = format!("SELECT * FROM changes{filter} ORDER BY id DESC LIMIT ? OFFSET ?");
        let mut query = sqlx::query(self.sql(&q));
        for b in &binds {
            query = query.bind(b.clone());
        }
        let rows = query
            .bind(limit.max(0))
            .bind(offset.max(0))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(change).collect()
    }

    /// How many changes about one of `subjects` are newer than `after`.
    pub async fn count_changes_about(&self, subjects: &[String], after: i64) -> Result<u64> {
        let (filter, binds) = subject_filter(Some(subjects));
        let q = format!("SELECT COUNT(*) FROM changes{filter} AND id > ?");
        let mut query = sqlx::query_as::<_, (i64,)>(self.sql(&q));
        for b in &binds {
            query = query.bind(b.clone());
        }
        let (n,) = query.bind(after).fetch_one(&self.pool).await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

/// ` WHERE (...)` matching a change about one of `subjects` (everything when `None`; nothing for
/// an empty list), and its bound values.
fn subject_filter(subjects: Option<&[String]>) -> (String, Vec<String>) {
    let Some(subjects) = subjects else {
        return (" WHERE 1 = 1".into(), Vec::new());
    };
    if subjects.is_empty() {
        return (" WHERE 1 = 0".into(), Vec::new());
    }
    let mut parts = Vec::new();
    let mut binds = Vec::new();
    for s in subjects {
        parts.push("subject = ? OR topics LIKE ? ESCAPE '!'".to_string());
        binds.push(s.clone());
        let esc = s.replace('!', "!!").replace('%', "!%").replace('_', "!_");
        binds.push(format!("%\n{esc}\n%"));
    }
    (format!(" WHERE ({})", parts.join(" OR ")), binds)
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
        actor: col(r, "actor")?,
        link: col(r, "link")?,
        topics: col::<String>(r, "topics")?
            .split('\n')
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect(),
    })
}
