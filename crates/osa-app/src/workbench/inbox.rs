//! Each user's inbox (mentions, review requests, decisions on their proposals, changes their
//! watchlists follow), readable only by its owner, and the mails it makes: one per notification
//! (`immediate`) or one digest a day (`daily`), composed here and sent by the server's mailer
//! after the writes that made them committed.

use super::Workbench;
use crate::{AppError, Result};
use osa_store::Actor;
use osa_store::notify::{MailPrefs, Note};
use osa_store::users::Principal;
use serde::Serialize;

/// Notifications per inbox page.
pub const PER_PAGE: i64 = 50;
/// Most notifications in one digest (the rest go in the next).
pub const MAX_DIGEST: i64 = 200;

/// An inbox page.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Inbox {
    /// The owner.
    pub user: String,
    /// Notifications, newest first.
    pub notes: Vec<Note>,
    /// How many are unread.
    pub unread: u64,
    /// The page (from 1).
    pub page: u32,
    /// Mail preferences, if set.
    pub mail: Option<MailPrefs>,
}

/// A mail to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mail {
    /// The user.
    pub user: String,
    /// The address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// The notifications it carries.
    pub ids: Vec<i64>,
    /// Whether it is a daily digest.
    pub digest: bool,
}

/// Checks an e-mail address: one '@' with text on both sides, no spaces or controls, at most
/// 254 bytes.
pub fn check_email(s: &str) -> Result<()> {
    let ok = s.len() <= 254
        && s.split('@').count() == 2
        && s.split('@').all(|p| !p.is_empty())
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"".contains(c));
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid(
            "email",
            format!("`{s}` is not an e-mail address"),
        ))
    }
}

fn line(base: &str, n: &Note) -> String {
    format!(
        "- {} ({}): {}{}",
        n.text,
        n.at.get(..16).unwrap_or(&n.at).replace('T', " "),
        base,
        n.link
    )
}

impl Workbench {
    /// The caller's inbox, page `page` (from 1).
    pub async fn inbox(&self, who: &Principal, page: u32) -> Result<Inbox> {
        let page = page.max(1);
        Ok(Inbox {
            user: who.name.clone(),
            notes: self
                .store
                .inbox(&who.name, PER_PAGE, (i64::from(page) - 1) * PER_PAGE)
                .await?,
            unread: self.store.unread(&who.name).await?,
            page,
            mail: self.store.mail_prefs(&who.name).await?,
        })
    }

    /// How many of the caller's notifications are unread.
    pub async fn unread(&self, who: &Principal) -> Result<u64> {
        Ok(self.store.unread(&who.name).await?)
    }

    /// Marks the caller's notifications up to `up_to` read.
    pub async fn mark_inbox_read(&self, actor: &Actor, who: &Principal, up_to: i64) -> Result<u64> {
        let as_who = Actor {
            name: who.name.clone(),
            ..actor.clone()
        };
        Ok(self.store.mark_read(&as_who, up_to).await?)
    }

    /// Sets how the caller's notifications are mailed (`off`, `immediate`, `daily`).
    pub async fn set_mail(
        &self,
        actor: &Actor,
        who: &Principal,
        email: &str,
        delivery: &str,
    ) -> Result<()> {
        if delivery != "off" || !email.is_empty() {
            check_email(email)?;
        }
        let as_who = Actor {
            name: who.name.clone(),
            ..actor.clone()
        };
        Ok(self.store.set_mail_prefs(&as_who, email, delivery).await?)
    }

    /// The mails due now (`now`: UTC, RFC 3339): every unmailed notification of an `immediate`
    /// user as its own mail; for a `daily` user with unmailed notifications and no digest yet
    /// today, one digest. `base` is the server's address, for the links.
    pub async fn due_mails(&self, now: &str, base: &str) -> Result<Vec<Mail>> {
        let mut out = Vec::new();
        for (user, p) in self.store.mail_recipients().await? {
            let notes = self.store.unmailed(&user, MAX_DIGEST).await?;
            if notes.is_empty() {
                continue;
            }
            if p.delivery == "immediate" {
                out.extend(notes.iter().map(|n| Mail {
                    user: user.clone(),
                    to: p.email.clone(),
                    subject: format!("osa: {}", n.text.chars().take(120).collect::<String>()),
                    body: format!("{}\n\nosa, for {user}\n", line(base, n)),
                    ids: vec![n.id],
                    digest: false,
                }));
            } else if p.last_digest.as_deref().and_then(|d| d.get(..10)) < now.get(..10) {
                let lines: Vec<String> = notes.iter().map(|n| line(base, n)).collect();
                out.push(Mail {
                    user: user.clone(),
                    to: p.email.clone(),
                    subject: format!("osa: {} notifications", notes.len()),
                    body: format!("{}\n\nosa's daily digest for {user}\n", lines.join("\n")),
                    ids: notes.iter().map(|n| n.id).collect(),
                    digest: true,
                });
            }
        }
        Ok(out)
    }

    /// Records a mail as sent.
    pub async fn mailed(&self, m: &Mail) -> Result<()> {
        Ok(self.store.mark_mailed(&m.user, &m.ids, m.digest).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked() {
        assert!(check_email("ana@unit.example").is_ok());
        assert!(check_email("ana").is_err());
        assert!(check_email("a b@c").is_err());
        assert!(check_email("a@b@c").is_err());
        assert!(check_email("<a@b>").is_err());
    }
}
