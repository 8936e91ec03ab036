//! What a write brings beside itself, written in its own transaction: change-log entries
//! ([`NewChange`], in words, with who, the page it links to and the subjects a watchlist may
//! follow) and notifications ([`crate::notify::NewNote`]). Every write path of the store takes
//! them ([`Store::record_effects`]), so an entry never exists without its write nor the reverse.

use crate::{Result, Store, Tx};

/// A change to record.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewChange {
    /// Subject.
    pub subject: String,
    /// Kind.
    pub kind: String,
    /// Title: one sentence in words.
    pub title: String,
    /// Details.
    pub detail: serde_json::Value,
    /// Who made it (empty: the actor of the write).
    pub actor: String,
    /// The page it links to (a path).
    pub link: String,
    /// Other subjects a watchlist may follow it by (its subject is always one).
    pub topics: Vec<String>,
}

/// What a write brings beside itself, written in its transaction: change-log entries and
/// notifications.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Effects {
    /// Change-log entries.
    pub changes: Vec<NewChange>,
    /// Notifications.
    pub notes: Vec<crate::notify::NewNote>,
}

impl Effects {
    /// No effect.
    pub fn none() -> Effects {
        Effects::default()
    }
}

/// What a write brings, given what it wrote (see [`Effects`]).
pub type EffectsOf<'a, T> = dyn Fn(&T) -> Effects + Send + Sync + 'a;

impl Store {
    /// Records a write's effects inside its transaction: its change-log entries against
    /// `revision_id` (the revision it wrote, or the head for a write that makes none), then its
    /// notifications (a note's `change` index becomes that entry's id).
    pub async fn record_effects(
        &self,
        tx: &mut Tx,
        actor: &crate::Actor,
        revision_id: i64,
        effects: &Effects,
    ) -> Result<()> {
        let at = crate::clock::now();
        let mut ids = Vec::with_capacity(effects.changes.len());
        for c in &effects.changes {
            let id = self.next_id(tx, "changes", "id").await?;
            let who = if c.actor.is_empty() {
                &actor.name
            } else {
                &c.actor
            };
            sqlx::query(self.sql(
                "INSERT INTO changes (id, at, revision_id, subject, kind, title, detail, actor, link, topics) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ))
            .bind(id)
            .bind(&at)
            .bind(revision_id)
            .bind(&c.subject)
            .bind(&c.kind)
            .bind(&c.title)
            .bind(c.detail.to_string())
            .bind(who)
            .bind(&c.link)
            .bind(topics_text(&c.subject, &c.topics))
            .execute(&mut **tx)
            .await?;
            self.seal(tx, &crate::seal::CHANGES, &[id.into()]).await?;
            ids.push(id);
        }
        self.insert_notes(tx, actor, &at, &effects.notes, &ids)
            .await
    }

    /// The head revision inside a write transaction (what a write that makes no revision, such as
    /// a proposal, is recorded against).
    pub async fn head_in(&self, tx: &mut Tx) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM revisions")
            .fetch_one(&mut **tx)
            .await?;
        Ok(n)
    }
}

/// Topics as stored: one a line, between newlines, so `LIKE '%\nS\n%'` finds one exactly.
fn topics_text(subject: &str, topics: &[String]) -> String {
    let mut all: Vec<&str> = vec![subject];
    all.extend(topics.iter().map(String::as_str).filter(|t| *t != subject));
    format!("\n{}\n", all.join("\n"))
}
