//! Search over the record: the index of one revision (technologies, rationales, evidence,
//! actors, events, ecosystems' inputs and HS6 codes, scenarios, the comments of threads on
//! proposals and cells), the proposals, and the report's text, built once per state of the record and kept (`crate::search`).

use super::records::Event;
use super::{Workbench, kind};
use crate::reader::SeedText;
use crate::search::{Entry, MAX_QUERY, SearchIndex, SearchKind, SearchResults, collect};
use crate::{AppError, Result};
use std::sync::Arc;

/// The most proposals indexed (the newest).
const MAX_PROPOSALS: i64 = 5_000;

/// What the index was built from: a revision, the proposals then (the newest one's id, and how
/// many are open: a decision changes it), and whether the report's text was included.
pub(crate) type IndexStamp = (i64, i64, u64, bool);

/// The last index built, with its stamp.
pub(crate) type IndexCache = Option<(IndexStamp, Arc<SearchIndex>)>;

/// A search request.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// The words searched.
    pub query: String,
    /// Only hits of this kind (`technology`, `report`, ...; empty: all).
    pub kind: Option<String>,
    /// As of (empty: latest).
    pub as_of: Option<String>,
    /// The most hits listed.
    pub limit: usize,
}

impl Workbench {
    /// Searches the record as of a revision (and the report's text when `seed` is given).
    pub async fn search(
        &self,
        req: &SearchRequest,
        seed: Option<&SeedText>,
    ) -> Result<(i64, SearchResults)> {
        let query = check_query(&req.query)?;
        let kind = match req.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            None => None,
            Some(k) => Some(SearchKind::parse(k).ok_or_else(|| {
                let ids: Vec<&str> = SearchKind::ALL.iter().map(|k| k.id()).collect();
                AppError::invalid("kind", format!("`{k}` is not one of {}", ids.join(", ")))
            })?),
        };
        let rev = self.revision_of(req.as_of.as_deref()).await?;
        let index = self.search_index(rev, seed).await?;
        Ok((rev, index.search(query, kind, req.limit.max(1))))
    }

    /// The index of a revision, from the cache when the record has not moved since.
    async fn search_index(&self, rev: i64, seed: Option<&SeedText>) -> Result<Arc<SearchIndex>> {
        let stamp: IndexStamp = (
            rev,
            self.store
                .proposals(None, None, 1, 0)
                .await?
                .first()
                .map_or(0, |p| p.id),
            self.store.count_proposals("open").await?,
            seed.is_some(),
        );
        if let Some((s, i)) = self.search.lock().map_err(poisoned)?.as_ref()
            && *s == stamp
        {
            return Ok(i.clone());
        }
        let entries = self.search_entries(rev, seed).await?;
        let index = Arc::new(SearchIndex::build(entries));
        *self.search.lock().map_err(poisoned)? = Some((stamp, index.clone()));
        Ok(index)
    }

    /// Everything the index holds at a revision.
    async fn search_entries(&self, rev: i64, seed: Option<&SeedText>) -> Result<Vec<Entry>> {
        let mut out = Vec::new();
        let b = self.baseline_at(rev).await?;
        collect::technologies(&b, &mut out);
        collect::actors(&b, &mut out);
        collect::coercion(&b, &mut out);
        for d in self.store.docs(kind::ECOSYSTEM, rev).await? {
            let l = self.ecosystem_at(&d.key, rev).await?;
            collect::ecosystem(l.checked.ecosystem(), &mut out);
        }
        for d in self.store.docs(kind::SCENARIO, rev).await? {
            collect::scenario(&d.key, &d.body, &mut out);
        }
        self.event_entries(rev, &mut out).await?;
        self.comment_entries(rev, &mut out).await?;
        self.proposal_entries(&mut out).await?;
        if let Some(seed) = seed {
            collect::report(seed, &mut out);
        }
        Ok(out)
    }

    async fn event_entries(&self, rev: i64, out: &mut Vec<Entry>) -> Result<()> {
        for d in self.store.docs(super::records::kind::EVENT, rev).await? {
            let e: Event = serde_json::from_str(&d.body)
                .map_err(|e| AppError::data(format!("the stored event `{}`", d.key), e))?;
            let about = e
                .technologies
                .first()
                .map(|t| format!("/events?technology={}", collect::query_value(t)))
                .unwrap_or_else(|| "/events".into());
            out.push(Entry {
                kind: SearchKind::Event,
                title: format!("{}: {}", e.date, e.title),
                link: about,
                text: format!(
                    "{} Actors: {}. Technologies: {}. Source: {}.",
                    e.text,
                    e.actors.join(", "),
                    e.technologies.join(", "),
                    e.source
                ),
            });
        }
        Ok(())
    }

    /// Every comment of every thread at `rev`, linking to its thread's proposal or cell.
    async fn comment_entries(&self, rev: i64, out: &mut Vec<Entry>) -> Result<()> {
        for d in self.store.docs(super::discussion::THREAD, rev).await? {
            let t: super::discussion::Thread = serde_json::from_str(&d.body)
                .map_err(|e| AppError::data(format!("the stored thread `{}`", d.key), e))?;
            let Ok(s) = super::discussion::subject(&t.subject) else {
                continue;
            };
            for c in &t.comments {
                out.push(Entry {
                    kind: SearchKind::Comment,
                    title: format!("{} on {}", c.author, s.words),
                    link: s.link.clone(),
                    text: c.text.clone(),
                });
            }
        }
        Ok(())
    }

    async fn proposal_entries(&self, out: &mut Vec<Entry>) -> Result<()> {
        for p in self.store.proposals(None, None, MAX_PROPOSALS, 0).await? {
            out.push(Entry {
                kind: SearchKind::Proposal,
                title: format!("Proposal {}: {}", p.id, p.subject),
                link: format!("/review/{}", p.id),
                text: format!(
                    "{} By {}, {}. {} {}",
                    p.note,
                    p.author,
                    p.status,
                    p.review_comment.unwrap_or_default(),
                    p.key
                ),
            });
        }
        Ok(())
    }
}

/// A query: not empty, at most [`MAX_QUERY`] characters, no control characters.
fn check_query(q: &str) -> Result<&str> {
    let q = q.trim();
    if q.is_empty() {
        return Err(AppError::invalid("q", "give the words to search for"));
    }
    if q.chars().count() > MAX_QUERY {
        return Err(AppError::invalid(
            "q",
            format!("longer than {MAX_QUERY} characters"),
        ));
    }
    if q.chars().any(char::is_control) {
        return Err(AppError::invalid("q", "holds a control character"));
    }
    Ok(q)
}

fn poisoned<T>(_: T) -> AppError {
    AppError::Store(osa_store::StoreError::Corrupt(
        "the search cache's lock was poisoned".into(),
    ))
}
