//! The analysts' own records beside the assessments: dated events about actors and technologies
//! (foresight), each user's watchlists (what they follow in the change log), and checklist
//! assessments of named AI applications (seed L6745-7025), which go through review like a cell.
//! Each is a JSON document in the store, validated against the baseline as of the write.

use super::Workbench;
use crate::{AppError, Result};
use osa_assess::Source;
use osa_store::Actor;
use osa_store::docs::{Doc, Put};
use osa_store::proposals::{NewProposal, Proposal};
use osa_store::users::{Principal, Role};
use serde::{Deserialize, Serialize};

/// Document kinds of the records.
pub mod kind {
    /// A dated event.
    pub const EVENT: &str = "event";
    /// A user's watchlist (`user/name`).
    pub const WATCHLIST: &str = super::super::watch::WATCHLIST;
    /// A checklist assessment of a named AI application.
    pub const APP_ASSESSMENT: &str = "app-assessment";
}

/// Longest text field (bytes).
const MAX_TEXT: usize = 20_000;
/// Most items in a list field.
const MAX_ITEMS: usize = 200;

/// A dated event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// When it happened (YYYY-MM-DD).
    pub date: String,
    /// What happened, in one line.
    pub title: String,
    /// More.
    #[serde(default)]
    pub text: String,
    /// Actors it concerns (names of the baseline's actors to watch).
    #[serde(default)]
    pub actors: Vec<String>,
    /// Technologies it concerns (ids).
    #[serde(default)]
    pub technologies: Vec<String>,
    /// Where it is reported (`pub: ...`, `data: ...`, `seed L..`, `judgment: ...`).
    pub source: String,
}

/// A watchlist: the subjects a user follows (`technology/6g`, `ecosystem/semiconductors`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Watchlist {
    /// Subjects.
    pub subjects: Vec<String>,
}

/// One criterion's rating in an application assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rated {
    /// The criterion id (from the checklist).
    pub criterion: String,
    /// `concern`, `partial`, `no_concern` or `unknown`.
    pub rating: String,
    /// Why.
    pub text: String,
    /// Where.
    pub source: String,
}

/// A checklist assessment of a named AI application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppAssessment {
    /// The application's name.
    pub name: String,
    /// Its firm.
    pub firm: String,
    /// The firm's country (ISO3).
    pub country: String,
    /// Ratings, one per criterion at most.
    pub ratings: Vec<Rated>,
    /// Why this assessment (required; recorded with the proposal).
    #[serde(default, skip_serializing)]
    pub note: String,
}

/// A stored record with its key and version.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[schemars(rename = "Stored_{T}")]
pub struct Stored<T> {
    /// Its key.
    pub key: String,
    /// Its version (ETag).
    pub version: i64,
    /// The record.
    #[serde(flatten)]
    pub value: T,
}

fn text(field: &str, s: &str, required: bool) -> Result<()> {
    if (required && s.trim().is_empty()) || s.len() > MAX_TEXT {
        return Err(AppError::invalid(
            field,
            format!("give {} to {MAX_TEXT} bytes", u8::from(required)),
        ));
    }
    Ok(())
}

fn source(field: &str, s: &str) -> Result<()> {
    Source::parse(s)
        .map(|_| ())
        .map_err(|m| AppError::invalid(field, m))
}

/// A key segment: 1-64 of letters, digits, '.', '_', '-'.
pub fn check_key(field: &str, s: &str) -> Result<()> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid(
            field,
            format!("`{s}`: use 1-64 letters, digits, '.', '_' or '-'"),
        ))
    }
}

fn date(field: &str, s: &str) -> Result<()> {
    let b = s.as_bytes();
    let ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.split('-').all(|p| p.bytes().all(|c| c.is_ascii_digit()))
        && osa_store::clock::parse(field, s).is_ok();
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid(
            field,
            format!("`{s}` is not a date (YYYY-MM-DD)"),
        ))
    }
}

/// A key from a title: its ASCII letters and digits, lowercased, runs of anything else as one
/// '-', at most 40 characters (`SMIC expands!` -> `smic-expands`). A title with none (`中芯国际扩产`)
/// gets `t` and a stable 16-hex hash of the title instead, so every title has a usable key.
pub fn slug(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    let out: String = out.trim_matches('-').chars().take(40).collect();
    if out.is_empty() {
        format!("t{:016x}", fnv1a(s))
    } else {
        out
    }
}

/// FNV-1a, 64 bits: stable across builds and platforms (unlike `std`'s hasher).
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Checks a watchlist's subject: `KIND/VALUE` with a kind of [`super::watch::SUBJECT_KINDS`]; an
/// actor's name may hold spaces and any letters (at most 200 bytes, no control characters), other
/// values are keys.
fn check_subject(s: &str) -> std::result::Result<(), String> {
    let ok = s.split_once('/').is_some_and(|(k, v)| {
        super::watch::SUBJECT_KINDS.contains(&k)
            && if k == "actor" {
                !v.trim().is_empty() && v.len() <= 200 && !v.chars().any(char::is_control)
            } else {
                check_key("subject", v).is_ok()
            }
    });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{s}`: expected technology/ID, dimension/ID, actor/NAME, ecosystem/NAME, input/ID, \
             hs/SECTION, trade/DATASET or proposal/N"
        ))
    }
}

/// An event's change-log entry: in words, about its technologies and actors.
fn event_change(author: &str, e: &Event) -> osa_store::changes::NewChange {
    let about: Vec<&str> = e
        .technologies
        .iter()
        .chain(e.actors.iter())
        .map(String::as_str)
        .collect();
    let mut topics: Vec<String> = e
        .technologies
        .iter()
        .map(|t| format!("technology/{t}"))
        .collect();
    topics.extend(e.actors.iter().map(|a| format!("actor/{a}")));
    osa_store::changes::NewChange {
        subject: topics.first().cloned().unwrap_or_else(|| "events".into()),
        kind: "event_new".into(),
        title: format!(
            "{author} recorded an event of {}: {}{}",
            e.date,
            e.title,
            if about.is_empty() {
                String::new()
            } else {
                format!(" (about {})", about.join(", "))
            }
        ),
        detail: serde_json::json!({ "date": e.date, "source": e.source }),
        link: "/events".into(),
        topics,
        ..Default::default()
    }
}

/// How often an event's write is retried when another writer took its key meanwhile.
const KEY_TRIES: usize = 5;

impl Workbench {
    fn as_who(actor: &Actor, who: &Principal) -> Actor {
        Actor {
            name: who.name.clone(),
            ..actor.clone()
        }
    }

    /// Records an event (analysts and above); its key is its date and title's slug, with `-2`,
    /// `-3`... when another event has it.
    pub async fn add_event(
        &self,
        actor: &Actor,
        who: &Principal,
        e: &Event,
    ) -> Result<Stored<Event>> {
        self.require(actor, who, Role::Analyst, "event.add", "events")
            .await?;
        let checked = self.check_event(e).await;
        let as_who = Self::as_who(actor, who);
        self.audit_check(
            checked,
            &as_who,
            ("event.add", "events"),
            serde_json::json!({}),
        )
        .await?;
        let base = format!("{}-{}", e.date, slug(&e.title));
        let mut tries = 0;
        loop {
            let key = self.free_event_key(&base).await?;
            match self.write_event(&as_who, &key, e).await {
                Err(AppError::Store(osa_store::StoreError::Stale { .. })) if tries < KEY_TRIES => {
                    tries += 1;
                }
                r => return r,
            }
        }
    }

    /// The first of `base`, `base-2`, `base-3`... no live event has: keys never collide, and a
    /// key once given stays its event's.
    async fn free_event_key(&self, base: &str) -> Result<String> {
        let head = self.store.head().await?;
        let taken: std::collections::HashSet<String> = self
            .store
            .docs(kind::EVENT, head)
            .await?
            .into_iter()
            .map(|d| d.key)
            .collect();
        Ok((1..)
            .map(|n| {
                if n == 1 {
                    base.to_string()
                } else {
                    format!("{base}-{n}")
                }
            })
            .find(|k| !taken.contains(k))
            .unwrap_or_else(|| base.to_string()))
    }

    /// Writes a new event under `key` (refused as stale when the key was taken meanwhile).
    async fn write_event(&self, as_who: &Actor, key: &str, e: &Event) -> Result<Stored<Event>> {
        let body = serde_json::to_string(e).map_err(|x| AppError::data("the event", x))?;
        let put = Put {
            kind: kind::EVENT.into(),
            key: key.to_string(),
            body: Some(body),
            expected: Some(0),
        };
        let change = event_change(&as_who.name, e);
        let watchers = self.watchers().await?;
        let effects = |_: &osa_store::docs::Revision| {
            watchers.effects(&as_who.name, vec![change.clone()], Vec::new())
        };
        let rev = self
            .store
            .write_revision_with(
                as_who,
                "event.add",
                &format!("event: {}", e.title),
                &[put],
                &effects,
            )
            .await?;
        Ok(Stored {
            key: key.to_string(),
            version: rev.id,
            value: e.clone(),
        })
    }

    async fn check_event(&self, e: &Event) -> Result<()> {
        date("date", &e.date)?;
        text("title", &e.title, true)?;
        if e.title.len() > 500 {
            return Err(AppError::invalid("title", "at most 500 bytes"));
        }
        text("text", &e.text, false)?;
        source("source", &e.source)?;
        if e.actors.len() > MAX_ITEMS || e.technologies.len() > MAX_ITEMS {
            return Err(AppError::invalid(
                "actors",
                format!("at most {MAX_ITEMS} items"),
            ));
        }
        let b = self.baseline_at(self.store.head().await?).await?;
        for (i, t) in e.technologies.iter().enumerate() {
            if b.technology(t).is_none() {
                return Err(AppError::invalid(
                    format!("technologies[{i}]"),
                    format!("no technology `{t}`"),
                ));
            }
        }
        for (i, a) in e.actors.iter().enumerate() {
            if !b
                .technologies
                .iter()
                .any(|t| t.actors.iter().any(|x| x.name == *a))
            {
                return Err(AppError::invalid(
                    format!("actors[{i}]"),
                    format!("`{a}` is not an actor to watch in the baseline"),
                ));
            }
        }
        Ok(())
    }

    /// Events as of an as-of, newest first, optionally about one technology or actor.
    pub async fn events(
        &self,
        as_of: Option<&str>,
        technology: Option<&str>,
        actor: Option<&str>,
    ) -> Result<Vec<Stored<Event>>> {
        let rev = self.revision_of(as_of).await?;
        let mut out: Vec<Stored<Event>> = parse_all(self.store.docs(kind::EVENT, rev).await?)?;
        out.retain(|e| technology.is_none_or(|t| e.value.technologies.iter().any(|x| x == t)));
        out.retain(|e| actor.is_none_or(|a| e.value.actors.iter().any(|x| x == a)));
        out.sort_by(|a, b| b.value.date.cmp(&a.value.date));
        Ok(out)
    }

    /// Sets one of the caller's watchlists.
    pub async fn put_watchlist(
        &self,
        actor: &Actor,
        who: &Principal,
        name: &str,
        w: &Watchlist,
    ) -> Result<Stored<Watchlist>> {
        check_key("name", name)?;
        if w.subjects.len() > MAX_ITEMS {
            return Err(AppError::invalid(
                "subjects",
                format!("at most {MAX_ITEMS}"),
            ));
        }
        for (i, s) in w.subjects.iter().enumerate() {
            check_subject(s).map_err(|m| AppError::invalid(format!("subjects[{i}]"), m))?;
        }
        let key = format!("{}/{name}", who.name);
        let body = serde_json::to_string(w).map_err(|x| AppError::data("the watchlist", x))?;
        let put = Put {
            kind: kind::WATCHLIST.into(),
            key: key.clone(),
            body: Some(body),
            expected: None,
        };
        let rev = self
            .store
            .write_revision(
                &Self::as_who(actor, who),
                "watchlist.put",
                &format!("watchlist {name}"),
                &[put],
            )
            .await?;
        Ok(Stored {
            key,
            version: rev.id,
            value: w.clone(),
        })
    }

    /// The caller's watchlists.
    pub async fn watchlists(&self, who: &Principal) -> Result<Vec<Stored<Watchlist>>> {
        let head = self.store.head().await?;
        let prefix = format!("{}/", who.name);
        let docs = self.store.docs(kind::WATCHLIST, head).await?;
        parse_all(
            docs.into_iter()
                .filter(|d| d.key.starts_with(&prefix))
                .collect(),
        )
    }

    /// One of the caller's watchlists.
    pub async fn watchlist(&self, who: &Principal, name: &str) -> Result<Watchlist> {
        let head = self.store.head().await?;
        let d = self
            .store
            .doc(kind::WATCHLIST, &format!("{}/{name}", who.name), head)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("you have no watchlist `{name}`")))?;
        serde_json::from_str(&d.body).map_err(|e| AppError::data("a stored watchlist", e))
    }

    /// Proposes a checklist assessment of a named application (analysts; reviewed like a cell).
    pub async fn propose_app_assessment(
        &self,
        actor: &Actor,
        who: &Principal,
        id: &str,
        base_version: i64,
        a: &AppAssessment,
    ) -> Result<Proposal> {
        let target = format!("app-assessment/{id}");
        self.require(actor, who, Role::Analyst, "proposal.create", &target)
            .await?;
        let checked = self.check_app(id, a).await;
        let as_who = Self::as_who(actor, who);
        self.audit_check(
            checked,
            &as_who,
            ("proposal.create", &target),
            serde_json::json!({}),
        )
        .await?;
        let p = NewProposal {
            kind: kind::APP_ASSESSMENT.into(),
            key: id.into(),
            subject: format!("app-assessment/{id}"),
            base_version,
            body: serde_json::to_string(a).map_err(|e| AppError::data("the assessment", e))?,
            change: serde_json::to_value(a).map_err(|e| AppError::data("the assessment", e))?,
            note: a.note.clone(),
        };
        self.propose_described(&Self::as_who(actor, who), &p).await
    }

    /// Checks an assessment: its key, texts, country, and each rating against the checklist.
    pub(super) async fn check_app(&self, id: &str, a: &AppAssessment) -> Result<()> {
        check_key("id", id)?;
        text("name", &a.name, true)?;
        text("firm", &a.firm, true)?;
        text("note", &a.note, true)?;
        if osa_model::CountryCode::parse(&a.country).is_none() {
            return Err(AppError::invalid(
                "country",
                format!("`{}` is not an ISO 3166-1 alpha-3 code", a.country),
            ));
        }
        let b = self.baseline_at(self.store.head().await?).await?;
        let mut seen = Vec::new();
        for (i, r) in a.ratings.iter().enumerate() {
            if !b.checklist.criteria.iter().any(|c| c.id == r.criterion) {
                return Err(AppError::invalid(
                    format!("ratings[{i}].criterion"),
                    format!("no criterion `{}`", r.criterion),
                ));
            }
            if seen.contains(&&r.criterion) {
                return Err(AppError::invalid(
                    format!("ratings[{i}].criterion"),
                    "rated twice",
                ));
            }
            seen.push(&r.criterion);
            if !["concern", "partial", "no_concern", "unknown"].contains(&r.rating.as_str()) {
                return Err(AppError::invalid(
                    format!("ratings[{i}].rating"),
                    "concern, partial, no_concern or unknown",
                ));
            }
            text(&format!("ratings[{i}].text"), &r.text, true)?;
            source(&format!("ratings[{i}].source"), &r.source)?;
        }
        Ok(())
    }

    /// The published application assessments as of an as-of.
    pub async fn app_assessments(&self, as_of: Option<&str>) -> Result<Vec<Stored<AppAssessment>>> {
        let rev = self.revision_of(as_of).await?;
        parse_all(self.store.docs(kind::APP_ASSESSMENT, rev).await?)
    }

    /// The version of a stored record (0: none), for If-Match.
    pub async fn record_version(&self, kind: &str, key: &str) -> Result<i64> {
        Ok(self.store.latest_version(kind, key).await?)
    }
}

impl Workbench {
    /// Keeps a run (of a scenario, a screening...) as a document of `kind` keyed `owner/NNNN`, the
    /// next number, written by `who`.
    pub(crate) async fn keep_run<T: Serialize>(
        &self,
        (actor, who): (&Actor, &Principal),
        (kind, owner): (&str, &str),
        (action, note): (&str, &str),
        run: &T,
    ) -> Result<String> {
        let head = self.store.head().await?;
        let prefix = format!("{owner}/");
        let n = self
            .store
            .docs(kind, head)
            .await?
            .iter()
            .filter(|d| d.key.starts_with(&prefix))
            .count();
        let key = format!("{owner}/{:04}", n + 1);
        let put = Put {
            kind: kind.into(),
            key: key.clone(),
            body: Some(serde_json::to_string(run).map_err(|e| AppError::data("the run", e))?),
            expected: Some(0),
        };
        self.store
            .write_revision(&Self::as_who(actor, who), action, note, &[put])
            .await?;
        Ok(key)
    }

    /// The runs kept for `owner`, newest first.
    pub(crate) async fn runs_of<T: serde::de::DeserializeOwned>(
        &self,
        kind: &str,
        owner: &str,
        as_of: Option<&str>,
    ) -> Result<Vec<T>> {
        let rev = self.revision_of(as_of).await?;
        let prefix = format!("{owner}/");
        let mut out = Vec::new();
        for d in self.store.docs(kind, rev).await?.into_iter().rev() {
            if d.key.starts_with(&prefix) {
                out.push(
                    serde_json::from_str(&d.body).map_err(|e| AppError::data("a stored run", e))?,
                );
            }
        }
        Ok(out)
    }
}

fn parse_all<T: serde::de::DeserializeOwned>(docs: Vec<Doc>) -> Result<Vec<Stored<T>>> {
    docs.into_iter()
        .map(|d| {
            let value = serde_json::from_str(&d.body)
                .map_err(|e| AppError::data(format!("the stored {} `{}`", d.kind, d.key), e))?;
            Ok(Stored {
                key: d.key,
                version: d.version,
                value,
            })
        })
        .collect()
}

/// What changed since a user's last visit to the change log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SinceLastVisit {
    /// When they last visited (`None`: never).
    pub last_visit: Option<String>,
    /// How many changes were recorded since.
    pub changes: u64,
    /// The newest change id they had seen (newer changes are new to them).
    pub after: i64,
}

/// The mark of the change log.
const CHANGES_MARK: &str = "changes";

impl Workbench {
    /// What changed since the user's last visit to the change log (reads only).
    pub async fn since_last_visit(&self, who: &Principal) -> Result<SinceLastVisit> {
        let mark = self.store.mark(&who.name, CHANGES_MARK).await?;
        let after = mark.as_ref().map_or(0, |m| m.change_id);
        Ok(SinceLastVisit {
            last_visit: mark.map(|m| m.at),
            changes: self.store.count_changes_after(after).await?,
            after,
        })
    }

    /// A visit to the change log: what changed since the last one, then marks this one. The
    /// mark is written only when it moves (a newer change, or another day), so reading the page
    /// again does not write.
    pub async fn visit_changes(&self, actor: &Actor, who: &Principal) -> Result<SinceLastVisit> {
        let since = self.since_last_visit(who).await?;
        let latest = self.store.latest_change_id().await?;
        let today = osa_store::clock::now();
        let same_day = since
            .last_visit
            .as_deref()
            .is_some_and(|d| d.get(..10) == today.get(..10));
        if since.last_visit.is_none() || since.after != latest || !same_day {
            self.store
                .set_mark(&Self::as_who(actor, who), CHANGES_MARK, latest)
                .await?;
        }
        Ok(since)
    }
}

/// Whether `who` may read a stored document: a watchlist (`user/name`) only by its owner; every
/// other kind of document in the record by every signed-in user.
pub fn readable_by(doc_kind: &str, key: &str, who: &Principal) -> bool {
    doc_kind != kind::WATCHLIST
        || key
            .split_once('/')
            .is_some_and(|(owner, _)| owner == who.name)
}

/// The key of an application's assessment from its name (`DeepChat 2` -> `deepchat-2`).
pub fn app_key(name: &str) -> String {
    slug(name)
}
