//! Documents with revisions. A document is a (kind, key) with a text body: a baseline file
//! (`baseline`, `cases/6g.toml`), an ecosystem snapshot (`ecosystem`, `semiconductors@eto-2026`), a
//! scenario, an actor event... Each write creates a revision (who, when, a required note, and the
//! reviewer where one approved it); a document's row is valid from the revision that wrote it until
//! the one that replaced it, so any past state reads back exactly ("as of").

use crate::seal::{DOCUMENTS, REVISIONS};
use crate::{Actor, Result, Store, StoreError, Tx, col};
use serde::Serialize;

/// Which state to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AsOf {
    /// The latest revision.
    Latest,
    /// As of a revision id.
    Revision(i64),
    /// As of a time (stored form, see `clock`).
    Time(String),
}

impl AsOf {
    /// Parses an `as_of` argument: empty (latest), `r12` or `12` (a revision), or a time.
    pub fn parse(s: Option<&str>) -> Result<AsOf> {
        let Some(s) = s.map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok(AsOf::Latest);
        };
        let digits = s.strip_prefix('r').unwrap_or(s);
        if !digits.is_empty() && digits.len() <= 18 && digits.bytes().all(|b| b.is_ascii_digit()) {
            return digits
                .parse()
                .map(AsOf::Revision)
                .map_err(|_| StoreError::invalid("as_of", format!("`{s}` is not a revision")));
        }
        crate::clock::parse("as_of", s).map(AsOf::Time)
    }
}

/// A document as stored at one revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Doc {
    /// Its kind.
    pub kind: String,
    /// Its key within the kind.
    pub key: String,
    /// The revision that wrote this version (its ETag).
    pub version: i64,
    /// The text.
    pub body: String,
}

/// A revision: one write to the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Revision {
    /// Its id (dense, from 1).
    pub id: i64,
    /// When.
    pub at: String,
    /// Who made the change.
    pub author: String,
    /// Why (required).
    pub note: String,
    /// Who approved it (four eyes), if it went through review.
    pub reviewer: Option<String>,
    /// The proposal it came from.
    pub proposal_id: Option<i64>,
}

/// One document to write: a new body, or `None` to remove it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Put {
    /// Kind.
    pub kind: String,
    /// Key.
    pub key: String,
    /// The new text; `None` removes the document.
    pub body: Option<String>,
    /// The version the writer saw (`Some(0)`: must not exist yet; `None`: no check).
    pub expected: Option<i64>,
}

/// Who wrote a revision and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorship<'a> {
    /// The author.
    pub author: &'a str,
    /// The note.
    pub note: &'a str,
    /// The reviewer who approved it.
    pub reviewer: Option<&'a str>,
    /// The proposal.
    pub proposal_id: Option<i64>,
}

impl Store {
    /// The latest revision id (0 before the first write); cached between writes while the process watches the head (see [`crate::watch`]).
    pub async fn head(&self) -> Result<i64> {
        let generation = self.watch.generation();
        if let Some(h) = generation.and_then(|g| self.watch.cached(g)) {
            return Ok(h);
        }
        let (h,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM revisions")
            .fetch_one(&self.pool)
            .await?;
        if let Some(g) = generation {
            self.watch.remember(g, h);
        }
        Ok(h)
    }

    /// The revision id an as-of names (0: before the first revision).
    pub async fn resolve(&self, as_of: &AsOf) -> Result<i64> {
        match as_of {
            AsOf::Latest => self.head().await,
            AsOf::Revision(r) => {
                let head = self.head().await?;
                if *r < 0 || *r > head {
                    return Err(StoreError::NotFound(format!(
                        "no revision {r} (the record is at revision {head})"
                    )));
                }
                Ok(*r)
            }
            AsOf::Time(t) => {
                let (r,): (i64,) = sqlx::query_as(
                    self.sql("SELECT COALESCE(MAX(id), 0) FROM revisions WHERE at <= ?"),
                )
                .bind(t)
                .fetch_one(&self.pool)
                .await?;
                Ok(r)
            }
        }
    }

    /// Every document of a kind as of revision `rev`, ordered by key.
    pub async fn docs(&self, kind: &str, rev: i64) -> Result<Vec<Doc>> {
        let rows = sqlx::query(self.sql(
            "SELECT kind, key, rev_from, body FROM documents WHERE kind = ? AND rev_from <= ? \
             AND (rev_to IS NULL OR rev_to > ?) AND body IS NOT NULL ORDER BY key",
        ))
        .bind(kind)
        .bind(rev)
        .bind(rev)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(doc).collect()
    }

    /// The keys and versions of every document of a kind as of revision `rev`, without bodies.
    pub async fn keys(&self, kind: &str, rev: i64) -> Result<Vec<(String, i64)>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(self.sql(
            "SELECT key, rev_from FROM documents WHERE kind = ? AND rev_from <= ? \
             AND (rev_to IS NULL OR rev_to > ?) AND body IS NOT NULL ORDER BY key",
        ))
        .bind(kind)
        .bind(rev)
        .bind(rev)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// One document as of revision `rev`.
    pub async fn doc(&self, kind: &str, key: &str, rev: i64) -> Result<Option<Doc>> {
        let row = sqlx::query(self.sql(
            "SELECT kind, key, rev_from, body FROM documents WHERE kind = ? AND key = ? \
             AND rev_from <= ? AND (rev_to IS NULL OR rev_to > ?) AND body IS NOT NULL",
        ))
        .bind(kind)
        .bind(key)
        .bind(rev)
        .bind(rev)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(doc).transpose()
    }

    /// The version of one document as of revision `rev`, without reading its body.
    pub async fn doc_version(&self, kind: &str, key: &str, rev: i64) -> Result<Option<i64>> {
        let row: Option<(i64,)> = sqlx::query_as(self.sql(
            "SELECT rev_from FROM documents WHERE kind = ? AND key = ? \
             AND rev_from <= ? AND (rev_to IS NULL OR rev_to > ?) AND body IS NOT NULL",
        ))
        .bind(kind)
        .bind(key)
        .bind(rev)
        .bind(rev)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| r.0))
    }

    /// The published version of a document now (0: none), in one query.
    pub async fn latest_version(&self, kind: &str, key: &str) -> Result<i64> {
        let row: Option<(i64,)> = sqlx::query_as(self.sql(
            "SELECT rev_from FROM documents WHERE kind = ? AND key = ? AND rev_to IS NULL AND body IS NOT NULL",
        ))
        .bind(kind)
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map_or(0, |r| r.0))
    }

    /// The current version of a document inside a write transaction (0: none).
    pub async fn current_version(&self, tx: &mut Tx, kind: &str, key: &str) -> Result<i64> {
        let row: Option<(i64,)> = sqlx::query_as(self.sql(
            "SELECT rev_from FROM documents WHERE kind = ? AND key = ? AND rev_to IS NULL AND body IS NOT NULL",
        ))
        .bind(kind)
        .bind(key)
        .fetch_optional(&mut **tx)
        .await?;
        Ok(row.map_or(0, |r| r.0))
    }

    /// Writes a revision inside `tx`: checks each put's expected version, then closes the current
    /// rows and inserts the new ones. Nothing is written when a check fails.
    pub async fn commit_revision(
        &self,
        tx: &mut Tx,
        by: &Authorship<'_>,
        puts: &[Put],
    ) -> Result<Revision> {
        if by.note.trim().is_empty() {
            return Err(StoreError::invalid("note", "a note saying why is required"));
        }
        for p in puts {
            if let Some(expected) = p.expected {
                let current = self.current_version(tx, &p.kind, &p.key).await?;
                if current != expected {
                    return Err(StoreError::Stale {
                        what: format!("{}/{}", p.kind, p.key),
                        expected: expected.to_string(),
                        current: current.to_string(),
                    });
                }
            }
        }
        // Revision times strictly increase (writers are serialized), so "as of a revision's time"
        // names that revision even when two are written within one millisecond.
        let (id, last_at): (i64, Option<String>) =
            sqlx::query_as("SELECT COALESCE(MAX(id), 0) + 1, MAX(at) FROM revisions")
                .fetch_one(&mut **tx)
                .await?;
        let rev = Revision {
            id,
            at: crate::clock::after_previous(last_at.as_deref()),
            author: by.author.into(),
            note: by.note.into(),
            reviewer: by.reviewer.map(String::from),
            proposal_id: by.proposal_id,
        };
        sqlx::query(self.sql(
            "INSERT INTO revisions (id, at, author, note, reviewer, proposal_id) VALUES (?, ?, ?, ?, ?, ?)",
        ))
        .bind(rev.id)
        .bind(&rev.at)
        .bind(&rev.author)
        .bind(&rev.note)
        .bind(rev.reviewer.clone())
        .bind(rev.proposal_id)
        .execute(&mut **tx)
        .await?;
        self.seal(tx, &REVISIONS, &[id.into()]).await?;
        for p in puts {
            self.put(tx, id, p).await?;
        }
        Ok(rev)
    }

    async fn put(&self, tx: &mut Tx, rev: i64, p: &Put) -> Result<()> {
        let closed: Option<(i64,)> =
            sqlx::query_as(self.sql(
                "SELECT rev_from FROM documents WHERE kind = ? AND key = ? AND rev_to IS NULL",
            ))
            .bind(&p.kind)
            .bind(&p.key)
            .fetch_optional(&mut **tx)
            .await?;
        sqlx::query(
            self.sql(
                "UPDATE documents SET rev_to = ? WHERE kind = ? AND key = ? AND rev_to IS NULL",
            ),
        )
        .bind(rev)
        .bind(&p.kind)
        .bind(&p.key)
        .execute(&mut **tx)
        .await?;
        sqlx::query(self.sql(
            "INSERT INTO documents (kind, key, rev_from, rev_to, body) VALUES (?, ?, ?, NULL, ?)",
        ))
        .bind(&p.kind)
        .bind(&p.key)
        .bind(rev)
        .bind(p.body.clone())
        .execute(&mut **tx)
        .await?;
        let (kind, key) = ((&p.kind).into(), (&p.key).into());
        if let Some((from,)) = closed {
            self.seal(tx, &DOCUMENTS, &[kind, key, from.into()]).await?;
        }
        self.seal(tx, &DOCUMENTS, &[kind, key, rev.into()]).await?;
        Ok(())
    }

    /// Writes one revision directly (no review): seeding, imports by an admin, data releases.
    /// The revision and its audit row commit together.
    pub async fn write_revision(
        &self,
        actor: &Actor,
        action: &str,
        note: &str,
        puts: &[Put],
    ) -> Result<Revision> {
        self.write_revision_with(actor, action, note, puts, &|_| {
            crate::effects::Effects::none()
        })
        .await
    }

    /// [`Store::write_revision`], writing `effects` of the new revision (change-log entries,
    /// notifications) in its transaction.
    pub async fn write_revision_with(
        &self,
        actor: &Actor,
        action: &str,
        note: &str,
        puts: &[Put],
        effects: &crate::effects::EffectsOf<'_, Revision>,
    ) -> Result<Revision> {
        let mut tx = self.write().await?;
        let by = Authorship {
            author: &actor.name,
            note,
            reviewer: None,
            proposal_id: None,
        };
        let rev = self.commit_revision(&mut tx, &by, puts).await?;
        self.record_effects(&mut tx, actor, rev.id, &effects(&rev))
            .await?;
        let keys: Vec<String> = puts
            .iter()
            .map(|p| format!("{}/{}", p.kind, p.key))
            .collect();
        self.audit(
            &mut tx,
            actor,
            action,
            &format!("revision/{}", rev.id),
            "ok",
            serde_json::json!({ "note": note, "documents": keys }),
        )
        .await?;
        tx.commit().await?;
        Ok(rev)
    }

    /// One revision.
    pub async fn revision(&self, id: i64) -> Result<Option<Revision>> {
        let row = sqlx::query(self.sql("SELECT * FROM revisions WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(revision).transpose()
    }

    /// Revisions after `from` up to and including `to`, oldest first.
    pub async fn revisions_between(&self, from: i64, to: i64) -> Result<Vec<Revision>> {
        let rows =
            sqlx::query(self.sql("SELECT * FROM revisions WHERE id > ? AND id <= ? ORDER BY id"))
                .bind(from)
                .bind(to)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(revision).collect()
    }

    /// Every version of one document, oldest first, with the revision that wrote it (a removal
    /// has an empty body).
    pub async fn versions(&self, kind: &str, key: &str) -> Result<Vec<(Doc, Revision)>> {
        let rows = sqlx::query(self.sql(
            "SELECT d.kind AS kind, d.key AS key, d.rev_from AS rev_from, COALESCE(d.body, '') AS body, \
             r.id AS id, r.at AS at, r.author AS author, r.note AS note, r.reviewer AS reviewer, \
             r.proposal_id AS proposal_id FROM documents d JOIN revisions r ON r.id = d.rev_from \
             WHERE d.kind = ? AND d.key = ? ORDER BY d.rev_from",
        ))
        .bind(kind)
        .bind(key)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok((doc(r)?, revision(r)?))).collect()
    }

    /// The (kind, key, revision) of every document written after `from` up to `to`.
    pub async fn writes_between(&self, from: i64, to: i64) -> Result<Vec<(String, String, i64)>> {
        let rows: Vec<(String, String, i64)> = sqlx::query_as(self.sql(
            "SELECT kind, key, rev_from FROM documents WHERE rev_from > ? AND rev_from <= ? ORDER BY rev_from, kind, key",
        ))
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }
}

fn doc(r: &sqlx::any::AnyRow) -> Result<Doc> {
    Ok(Doc {
        kind: col(r, "kind")?,
        key: col(r, "key")?,
        version: col(r, "rev_from")?,
        body: col(r, "body")?,
    })
}

fn revision(r: &sqlx::any::AnyRow) -> Result<Revision> {
    Ok(Revision {
        id: col(r, "id")?,
        at: col(r, "at")?,
        author: col(r, "author")?,
        note: col(r, "note")?,
        reviewer: col(r, "reviewer")?,
        proposal_id: col(r, "proposal_id")?,
    })
}

impl Store {
    /// A consistent copy of a live SQLite database (`VACUUM INTO`); PostgreSQL has pg_dump.
    pub async fn backup_into(&self, file: &std::path::Path) -> Result<()> {
        if self.backend != crate::Backend::Sqlite {
            return Err(StoreError::invalid(
                "backup",
                "PostgreSQL databases are backed up with pg_dump",
            ));
        }
        let path = file
            .to_str()
            .ok_or_else(|| StoreError::invalid("file", "not UTF-8"))?;
        sqlx::query("VACUUM INTO ?")
            .bind(path)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
