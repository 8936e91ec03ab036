//! Discussion: a comment thread on a proposal (`proposal/3`) or on a cell (`cell/6g/national_security`),
//! plain text with links, `@name` mentions that notify the user named, "request review from" on a
//! proposal, and a thread marked resolved or open again. A thread is a document of the record
//! (kind `thread`), so every comment is a revision: audited, readable as of any revision, exported
//! by `osa db export` (`threads/KEY.json`) and restored by `osa db import`.

use super::Workbench;
use crate::{AppError, Result};
use osa_assess::Dimension;
use osa_store::Actor;
use osa_store::changes::Effects;
use osa_store::docs::{Put, Revision};
use osa_store::notify::NewNote;
use osa_store::users::{Principal, Role};
use serde::{Deserialize, Serialize};

/// The document kind of a thread.
pub const THREAD: &str = "thread";
/// Longest comment (bytes).
pub const MAX_COMMENT: usize = 10_000;
/// Most comments in one thread.
pub const MAX_COMMENTS: usize = 500;
/// How often a comment's write is retried when another comment was written meanwhile.
const TRIES: usize = 5;

/// One comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Comment {
    /// Its number in the thread, from 1.
    pub n: u32,
    /// Who wrote it.
    pub author: String,
    /// When (UTC).
    pub at: String,
    /// The text (plain; links are shown as links).
    pub text: String,
    /// The users it mentions (and notified).
    #[serde(default)]
    pub mentions: Vec<String>,
}

/// A thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Thread {
    /// What it discusses: `proposal/3` or `cell/6g/national_security`.
    pub subject: String,
    /// Resolved (the discussion is over) or open.
    #[serde(default)]
    pub resolved: bool,
    /// Reviews asked for: (who asked, of whom).
    #[serde(default)]
    pub review_requests: Vec<(String, String)>,
    /// The comments, oldest first.
    #[serde(default)]
    pub comments: Vec<Comment>,
}

/// A thread's subject, checked: its document key and the page it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// `proposal/3`, `cell/6g/national_security`.
    pub id: String,
    /// The document key (`proposal-3`, `cell-6g-national_security`).
    pub key: String,
    /// The page (`/review/3`, `/tech/6g/national_security/history`).
    pub link: String,
    /// In words (`proposal 3`, `6g, national security`).
    pub words: String,
}

/// Parses a thread's subject.
pub fn subject(s: &str) -> Result<Subject> {
    let bad = || {
        AppError::invalid(
            "subject",
            format!("`{s}`: expected proposal/N or cell/TECHNOLOGY/DIMENSION"),
        )
    };
    let parts: Vec<&str> = s.split('/').collect();
    match parts.as_slice() {
        ["proposal", n] => {
            let id: i64 = n.parse().map_err(|_| bad())?;
            if id < 1 {
                return Err(bad());
            }
            Ok(Subject {
                id: format!("proposal/{id}"),
                key: format!("proposal-{id}"),
                link: format!("/review/{id}"),
                words: format!("proposal {id}"),
            })
        }
        ["cell", t, d] => {
            super::records::check_key("subject", t)?;
            let dim: Dimension = d.parse().map_err(|_| bad())?;
            Ok(Subject {
                id: format!("cell/{t}/{}", dim.id()),
                key: format!("cell-{t}-{}", dim.id()),
                link: format!("/tech/{t}/{}/history", dim.id()),
                words: super::watch::cell_words(t, dim),
            })
        }
        _ => Err(bad()),
    }
}

/// The names `@name` mentions in a text (letters, digits, '.', '_', '-'), each once, in order.
pub fn mentions(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let b = text.as_bytes();
    for (i, _) in text.match_indices('@') {
        let before_ok = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.');
        let name: String = text[i + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || "._-".contains(*c))
            .collect();
        let name = name.trim_end_matches(['.', '-']).to_string();
        if before_ok && !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

fn check_text(text: &str) -> Result<()> {
    if text.trim().is_empty() || text.len() > MAX_COMMENT {
        return Err(AppError::invalid(
            "text",
            format!("write 1 to {MAX_COMMENT} bytes"),
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(AppError::invalid("text", "no control characters"));
    }
    Ok(())
}

/// A change to a thread.
enum Edit<'a> {
    Comment(&'a str),
    Resolve(bool),
    RequestReview(&'a str),
}

impl Workbench {
    /// A thread as of a revision (an empty one where nobody wrote yet).
    pub async fn thread(&self, s: &str, as_of: Option<&str>) -> Result<(i64, Thread)> {
        let sub = subject(s)?;
        let rev = self.revision_of(as_of).await?;
        self.thread_at(&sub, rev).await
    }

    async fn thread_at(&self, sub: &Subject, rev: i64) -> Result<(i64, Thread)> {
        match self.store.doc(THREAD, &sub.key, rev).await? {
            Some(d) => {
                let t = serde_json::from_str(&d.body)
                    .map_err(|e| AppError::data(format!("the stored thread `{}`", sub.key), e))?;
                Ok((d.version, t))
            }
            None => Ok((
                0,
                Thread {
                    subject: sub.id.clone(),
                    resolved: false,
                    review_requests: Vec::new(),
                    comments: Vec::new(),
                },
            )),
        }
    }

    /// Adds a comment (analysts and above); the users it mentions are notified.
    pub async fn comment(
        &self,
        actor: &Actor,
        who: &Principal,
        s: &str,
        text: &str,
    ) -> Result<Thread> {
        self.edit_thread(actor, who, s, Edit::Comment(text)).await
    }

    /// Marks a thread resolved, or open again (analysts and above).
    pub async fn resolve_thread(
        &self,
        actor: &Actor,
        who: &Principal,
        s: &str,
        resolved: bool,
    ) -> Result<Thread> {
        self.edit_thread(actor, who, s, Edit::Resolve(resolved))
            .await
    }

    /// Asks a reviewer (not the proposal's author) to review a proposal; they are notified.
    pub async fn request_review(
        &self,
        actor: &Actor,
        who: &Principal,
        proposal: i64,
        reviewer: &str,
    ) -> Result<Thread> {
        let s = format!("proposal/{proposal}");
        self.edit_thread(actor, who, &s, Edit::RequestReview(reviewer))
            .await
    }

    async fn edit_thread(
        &self,
        actor: &Actor,
        who: &Principal,
        s: &str,
        edit: Edit<'_>,
    ) -> Result<Thread> {
        let sub = subject(s)?;
        let action = match edit {
            Edit::Comment(_) => "comment.add",
            Edit::Resolve(_) => "thread.resolve",
            Edit::RequestReview(_) => "review.request",
        };
        self.require(actor, who, Role::Analyst, action, &sub.id)
            .await?;
        let as_who = Actor {
            name: who.name.clone(),
            ..actor.clone()
        };
        let checked = self.check_edit(&sub, &edit).await;
        let notes_to = self
            .audit_check(checked, &as_who, (action, &sub.id), serde_json::json!({}))
            .await?;
        let mut tries = 0;
        loop {
            match self.write_edit(&as_who, &sub, &edit, &notes_to).await {
                Err(AppError::Store(osa_store::StoreError::Stale { .. })) if tries < TRIES => {
                    tries += 1;
                }
                r => return r,
            }
        }
    }

    /// Checks an edit against the record; returns the users to notify.
    async fn check_edit(&self, sub: &Subject, edit: &Edit<'_>) -> Result<Vec<String>> {
        if let Some(id) = sub.id.strip_prefix("proposal/") {
            let id: i64 = id.parse().unwrap_or_default();
            self.store.proposal(id).await?;
        } else {
            let b = self.baseline_at(self.store.head().await?).await?;
            let tech = sub.id.split('/').nth(1).unwrap_or_default();
            if b.technology(tech).is_none() {
                return Err(AppError::invalid(
                    "subject",
                    format!("no technology `{tech}`"),
                ));
            }
        }
        let users = self.store.users().await?;
        let known = |n: &str| users.iter().find(|u| u.name == n && !u.disabled);
        match edit {
            Edit::Comment(text) => {
                check_text(text)?;
                Ok(mentions(text)
                    .into_iter()
                    .filter(|m| known(m).is_some())
                    .collect())
            }
            Edit::Resolve(_) => Ok(Vec::new()),
            Edit::RequestReview(name) => {
                let Some(u) = known(name) else {
                    return Err(AppError::invalid("reviewer", format!("no user `{name}`")));
                };
                if u.role < Role::Reviewer {
                    return Err(AppError::invalid(
                        "reviewer",
                        format!("{name} is not a reviewer"),
                    ));
                }
                let id: i64 = sub.id["proposal/".len()..].parse().unwrap_or_default();
                if self.store.proposal(id).await?.author == *name {
                    return Err(AppError::invalid(
                        "reviewer",
                        format!("{name} wrote this proposal: four eyes need another reviewer"),
                    ));
                }
                Ok(vec![name.to_string()])
            }
        }
    }

    async fn write_edit(
        &self,
        as_who: &Actor,
        sub: &Subject,
        edit: &Edit<'_>,
        notify: &[String],
    ) -> Result<Thread> {
        let head = self.store.head().await?;
        let (version, mut t) = self.thread_at(sub, head).await?;
        let by = &as_who.name;
        let (note, notes) = match edit {
            Edit::Comment(text) => {
                if t.comments.len() >= MAX_COMMENTS {
                    return Err(AppError::invalid(
                        "text",
                        format!("a thread holds at most {MAX_COMMENTS} comments; start another"),
                    ));
                }
                t.comments.push(Comment {
                    n: u32::try_from(t.comments.len() + 1).unwrap_or(u32::MAX),
                    author: by.clone(),
                    at: osa_store::clock::now(),
                    text: text.to_string(),
                    mentions: notify.to_vec(),
                });
                let excerpt: String = text.chars().take(200).collect();
                let notes = notes_for(notify, by, "mention", |_| {
                    format!("{by} mentioned you on {}: {excerpt}", sub.words)
                });
                (format!("comment on {}", sub.words), notes)
            }
            Edit::Resolve(r) => {
                t.resolved = *r;
                let what = if *r { "resolved" } else { "reopened" };
                (format!("{what} the thread on {}", sub.words), Vec::new())
            }
            Edit::RequestReview(name) => {
                t.review_requests.push((by.clone(), name.to_string()));
                let notes = notes_for(notify, by, "review_request", |_| {
                    format!("{by} asks you to review {}", sub.words)
                });
                (format!("{by} asked {name} to review {}", sub.words), notes)
            }
        };
        let notes: Vec<NewNote> = notes
            .into_iter()
            .map(|n| NewNote {
                link: sub.link.clone(),
                ..n
            })
            .collect();
        let put = Put {
            kind: THREAD.into(),
            key: sub.key.clone(),
            body: Some(serde_json::to_string(&t).map_err(|e| AppError::data("the thread", e))?),
            expected: Some(version),
        };
        let effects = |_: &Revision| Effects {
            changes: Vec::new(),
            notes: notes.clone(),
        };
        let action = match edit {
            Edit::Comment(_) => "comment.add",
            Edit::Resolve(_) => "thread.resolve",
            Edit::RequestReview(_) => "review.request",
        };
        self.store
            .write_revision_with(as_who, action, &note, &[put], &effects)
            .await?;
        Ok(t)
    }
}

fn notes_for(
    users: &[String],
    by: &str,
    kind: &str,
    text: impl Fn(&str) -> String,
) -> Vec<NewNote> {
    users
        .iter()
        .filter(|u| u.as_str() != by)
        .map(|u| NewNote {
            user: u.clone(),
            kind: kind.into(),
            text: text(u),
            link: String::new(),
            change: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_names_after_an_at_sign_each_once() {
        assert_eq!(
            mentions("@rev please look; cc @ana.b, and @rev again. mail a@b.org"),
            vec!["rev".to_string(), "ana.b".to_string()]
        );
        assert!(mentions("no mention here").is_empty());
    }

    #[test]
    fn subjects_are_proposals_and_cells() {
        let s = subject("cell/6g/national_security").unwrap();
        assert_eq!(s.key, "cell-6g-national_security");
        assert_eq!(s.link, "/tech/6g/national_security/history");
        assert_eq!(subject("proposal/3").unwrap().link, "/review/3");
        assert!(subject("proposal/x").is_err());
        assert!(subject("cell/6g/nope").is_err());
        assert!(subject("user/ana").is_err());
    }
}
