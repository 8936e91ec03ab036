//! Each user's inbox: notifications (a mention in a comment, a review asked of them, a decision on
//! their proposal, a change a watchlist of theirs follows), written in the transaction of the write
//! that sends them, readable only by their owner; and how each user wants them mailed (not at all,
//! one mail each, or a daily digest), with which ones were mailed already (an outbox: mails leave
//! after the write commits, and a mail is marked sent in its own audited write).

use crate::{Actor, Result, Store, StoreError, Tx, col};
use serde::Serialize;

/// What a notification is about.
pub const KINDS: [&str; 4] = ["mention", "review_request", "decision", "watchlist"];

/// A notification to send.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewNote {
    /// To whom (a user's name).
    pub user: String,
    /// One of [`KINDS`].
    pub kind: String,
    /// What happened, in words.
    pub text: String,
    /// The page it links to (a path).
    pub link: String,
    /// The index, in the same write's [`crate::effects::Effects`], of the change it reports.
    pub change: Option<usize>,
}

/// A notification in an inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Note {
    /// Id.
    pub id: i64,
    /// When.
    pub at: String,
    /// `mention`, `review_request`, `decision` or `watchlist`.
    pub kind: String,
    /// Who caused it.
    pub actor: String,
    /// What happened, in words.
    pub text: String,
    /// The page it links to.
    pub link: String,
    /// The change it reports, if any.
    pub change_id: Option<i64>,
    /// When its owner marked it read.
    pub read_at: Option<String>,
    /// When it was mailed.
    pub mailed_at: Option<String>,
}

/// How a user wants notifications mailed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MailPrefs {
    /// The address.
    pub email: String,
    /// `off`, `immediate` or `daily`.
    pub delivery: String,
    /// When the last daily digest went out.
    pub last_digest: Option<String>,
}

/// Longest notification text kept (bytes; longer texts are cut at a character boundary).
const MAX_NOTE: usize = 2_000;

fn cut(s: &str) -> &str {
    let mut end = s.len().min(MAX_NOTE);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

impl Store {
    /// Inserts notifications inside a write transaction; `change_ids` maps a note's change index.
    pub(crate) async fn insert_notes(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        at: &str,
        notes: &[NewNote],
        change_ids: &[i64],
    ) -> Result<()> {
        for n in notes {
            if !KINDS.contains(&n.kind.as_str()) {
                return Err(StoreError::invalid(
                    "kind",
                    format!("no notification kind `{}`", n.kind),
                ));
            }
            let id = self.next_id(tx, "notifications", "id").await?;
            sqlx::query(self.sql(
                "INSERT INTO notifications (id, user_name, at, kind, actor, text, link, change_id) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            ))
            .bind(id)
            .bind(&n.user)
            .bind(at)
            .bind(&n.kind)
            .bind(&actor.name)
            .bind(cut(&n.text))
            .bind(&n.link)
            .bind(n.change.and_then(|i| change_ids.get(i).copied()))
            .execute(&mut **tx)
            .await?;
        }
        Ok(())
    }

    /// A user's notifications, newest first.
    pub async fn inbox(&self, user: &str, limit: i64, offset: i64) -> Result<Vec<Note>> {
        let rows = sqlx::query(self.sql(
            "SELECT * FROM notifications WHERE user_name = ? ORDER BY id DESC LIMIT ? OFFSET ?",
        ))
        .bind(user)
        .bind(limit.max(0))
        .bind(offset.max(0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(note).collect()
    }

    /// How many of a user's notifications are unread.
    pub async fn unread(&self, user: &str) -> Result<u64> {
        let (n,): (i64,) = sqlx::query_as(
            self.sql("SELECT COUNT(*) FROM notifications WHERE user_name = ? AND read_at IS NULL"),
        )
        .bind(user)
        .fetch_one(&self.pool)
        .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Marks the acting user's notifications up to `up_to` read (audited); returns how many.
    pub async fn mark_read(&self, actor: &Actor, up_to: i64) -> Result<u64> {
        let mut tx = self.write().await?;
        let r = sqlx::query(self.sql(
            "UPDATE notifications SET read_at = ? WHERE user_name = ? AND id <= ? AND read_at IS NULL",
        ))
        .bind(crate::clock::now())
        .bind(&actor.name)
        .bind(up_to)
        .execute(&mut *tx)
        .await?;
        let n = r.rows_affected();
        let target = format!("user/{}/inbox", actor.name);
        let detail = serde_json::json!({ "up_to": up_to, "marked": n });
        self.audit(&mut tx, actor, "inbox.read", &target, "ok", detail)
            .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// A user's mail preferences, if set.
    pub async fn mail_prefs(&self, user: &str) -> Result<Option<MailPrefs>> {
        let row = sqlx::query(self.sql("SELECT * FROM mail_prefs WHERE user_name = ?"))
            .bind(user)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| prefs(&r)).transpose()
    }

    /// Sets the acting user's mail preferences (audited).
    pub async fn set_mail_prefs(&self, actor: &Actor, email: &str, delivery: &str) -> Result<()> {
        if !["off", "immediate", "daily"].contains(&delivery) {
            return Err(StoreError::invalid("delivery", "off, immediate or daily"));
        }
        let mut tx = self.write().await?;
        let old = self.mail_prefs(&actor.name).await?;
        sqlx::query(self.sql("DELETE FROM mail_prefs WHERE user_name = ?"))
            .bind(&actor.name)
            .execute(&mut *tx)
            .await?;
        sqlx::query(self.sql(
            "INSERT INTO mail_prefs (user_name, email, delivery, last_digest) VALUES (?, ?, ?, ?)",
        ))
        .bind(&actor.name)
        .bind(email)
        .bind(delivery)
        .bind(old.and_then(|p| p.last_digest))
        .execute(&mut *tx)
        .await?;
        let target = format!("user/{}/mail", actor.name);
        let detail = serde_json::json!({ "delivery": delivery });
        self.audit(&mut tx, actor, "mail.prefs", &target, "ok", detail)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every user with mail preferences other than `off`: (user, prefs).
    pub async fn mail_recipients(&self) -> Result<Vec<(String, MailPrefs)>> {
        let rows =
            sqlx::query("SELECT * FROM mail_prefs WHERE delivery <> 'off' ORDER BY user_name")
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| Ok((col(r, "user_name")?, prefs(r)?)))
            .collect()
    }

    /// A user's notifications not mailed yet, oldest first, at most `limit`.
    pub async fn unmailed(&self, user: &str, limit: i64) -> Result<Vec<Note>> {
        let rows = sqlx::query(self.sql(
            "SELECT * FROM notifications WHERE user_name = ? AND mailed_at IS NULL ORDER BY id LIMIT ?",
        ))
        .bind(user)
        .bind(limit.max(0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(note).collect()
    }

    /// Marks notifications of `user` mailed (and, for a digest, the digest's time), audited as
    /// the system's write.
    pub async fn mark_mailed(&self, user: &str, ids: &[i64], digest: bool) -> Result<()> {
        let now = crate::clock::now();
        let mut tx = self.write().await?;
        for id in ids {
            sqlx::query(
                self.sql("UPDATE notifications SET mailed_at = ? WHERE id = ? AND user_name = ?"),
            )
            .bind(&now)
            .bind(id)
            .bind(user)
            .execute(&mut *tx)
            .await?;
        }
        if digest {
            sqlx::query(self.sql("UPDATE mail_prefs SET last_digest = ? WHERE user_name = ?"))
                .bind(&now)
                .bind(user)
                .execute(&mut *tx)
                .await?;
        }
        let detail = serde_json::json!({ "notifications": ids, "digest": digest });
        let target = format!("user/{user}/mail");
        self.audit(
            &mut tx,
            &Actor::system(),
            "mail.sent",
            &target,
            "ok",
            detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn note(r: &sqlx::any::AnyRow) -> Result<Note> {
    Ok(Note {
        id: col(r, "id")?,
        at: col(r, "at")?,
        kind: col(r, "kind")?,
        actor: col(r, "actor")?,
        text: col(r, "text")?,
        link: col(r, "link")?,
        change_id: col(r, "change_id")?,
        read_at: col(r, "read_at")?,
        mailed_at: col(r, "mailed_at")?,
    })
}

fn prefs(r: &sqlx::any::AnyRow) -> Result<MailPrefs> {
    Ok(MailPrefs {
        email: col(r, "email")?,
        delivery: col(r, "delivery")?,
        last_digest: col(r, "last_digest")?,
    })
}
