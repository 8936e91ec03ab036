//! The record's own changes in words, and who is told of them. A write that changes what the unit
//! publishes (a cell, a file, a proposal, an event, a data release, a dataset) brings
//! change-log entries ([`NewChange`], one sentence each, with the page it links to and the
//! subjects a watchlist may follow: `technology/6g`, `dimension/national_security`, `actor/NAME`,
//! `ecosystem/NAME`, `input/ID`, `hs/SECTION`, `trade/DATASET`), and notifications for the owners
//! of the watchlists that follow one of those subjects; both are written in the write's own
//! transaction ([`Effects`]).

use super::Workbench;
use crate::Result;
use osa_assess::{Dimension, Level};
use osa_store::changes::{Effects, NewChange};
use osa_store::notify::NewNote;

/// The document kind of a user's watchlist (`user/name`).
pub const WATCHLIST: &str = "watchlist";

/// The kinds of subject a watchlist may follow.
pub const SUBJECT_KINDS: [&str; 8] = [
    "technology",
    "dimension",
    "actor",
    "ecosystem",
    "input",
    "hs",
    "trade",
    "proposal",
];

/// A level in words: `3 (high)`, or `silent` where the report is silent.
pub fn level_words(level: Option<Level>) -> String {
    level.map_or_else(
        || "silent".to_string(),
        |l| format!("{} ({})", l.value(), l.label()),
    )
}

/// A cell's name in words: `6G, national security`.
pub fn cell_words(technology: &str, dim: Dimension) -> String {
    format!("{technology}, {}", dim.name().to_lowercase())
}

/// The path of a cell's history page.
pub fn cell_link(technology: &str, dim: Dimension) -> String {
    format!("/tech/{technology}/{}/history", dim.id())
}

/// The subjects of a cell: its technology and its dimension.
pub fn cell_topics(technology: &str, dim: Dimension) -> Vec<String> {
    vec![
        format!("technology/{technology}"),
        format!("dimension/{}", dim.id()),
    ]
}

/// Every user's watchlists: (owner, the subjects their watchlists follow).
#[derive(Debug, Clone, Default)]
pub struct Watchers(Vec<(String, Vec<String>)>);

impl Watchers {
    /// One notification per change for each owner (but `actor`) following one of its subjects.
    pub fn notes(&self, actor: &str, changes: &[NewChange]) -> Vec<NewNote> {
        let mut out = Vec::new();
        for (i, c) in changes.iter().enumerate() {
            let about = |s: &String| c.subject == *s || c.topics.contains(s);
            for (owner, subjects) in &self.0 {
                if owner != actor && subjects.iter().any(about) {
                    out.push(NewNote {
                        user: owner.clone(),
                        kind: "watchlist".into(),
                        text: c.title.clone(),
                        link: if c.link.is_empty() {
                            "/changes".into()
                        } else {
                            c.link.clone()
                        },
                        change: Some(i),
                    });
                }
            }
        }
        out
    }

    /// The effects of changes made by `actor`: the entries and their watchers' notifications,
    /// plus `extra` notifications.
    pub fn effects(&self, actor: &str, changes: Vec<NewChange>, extra: Vec<NewNote>) -> Effects {
        let mut notes = self.notes(actor, &changes);
        notes.extend(extra);
        Effects { changes, notes }
    }
}

impl Workbench {
    /// Every watchlist in the record, merged per owner.
    pub async fn watchers(&self) -> Result<Watchers> {
        let head = self.store.head().await?;
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        for d in self.store.docs(WATCHLIST, head).await? {
            let Some((owner, _)) = d.key.split_once('/') else {
                continue;
            };
            let subjects: Vec<String> = serde_json::from_str::<serde_json::Value>(&d.body)
                .ok()
                .and_then(|v| serde_json::from_value(v["subjects"].clone()).ok())
                .unwrap_or_default();
            match out.iter_mut().find(|(o, _)| o == owner) {
                Some((_, s)) => s.extend(subjects),
                None => out.push((owner.to_string(), subjects)),
            }
        }
        Ok(Watchers(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_watcher_is_told_of_a_change_about_what_they_follow_but_not_of_their_own() {
        let w = Watchers(vec![
            ("ana".into(), vec!["technology/6g".into()]),
            ("bo".into(), vec!["dimension/national_security".into()]),
            ("cy".into(), vec!["technology/v2x".into()]),
        ]);
        let c = NewChange {
            subject: "technology/6g".into(),
            title: "6G, national security: level 4 (critical) -> 3 (high)".into(),
            link: "/tech/6g/national_security/history".into(),
            topics: cell_topics("6g", Dimension::NationalSecurity),
            ..NewChange::default()
        };
        let notes = w.notes("ana", &[c]);
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].user, "bo");
        assert_eq!(notes[0].link, "/tech/6g/national_security/history");
        assert_eq!(notes[0].change, Some(0));
        assert_eq!(level_words(Level::new(3)), "3 (high)");
        assert_eq!(level_words(None), "silent");
    }
}
