//! Search: one ranked index over what the record publishes (technologies, their rationales and
//! evidence, actors, events, ecosystems' inputs and the HS6 codes they give them, scenarios,
//! proposals) and the report's text, with facets by kind.
//!
//! The index is built in memory from one revision of the record (plus the open proposals and the
//! report's lines), never from the database's own full-text engine: a revision never changes, so
//! the same revision gives the same answer on SQLite and PostgreSQL, in any number of server
//! processes, with one ranking (BM25 over unicode words, stemmed, stop words removed, accents and
//! non-Latin scripts transliterated, by the `bm25` crate). [`collect`] gathers the entries.

pub mod collect;

use bm25::{Language, SearchEngine, SearchEngineBuilder};
use serde::Serialize;

/// The longest query searched (characters); longer ones are refused.
pub const MAX_QUERY: usize = 200;
/// The most hits one answer lists.
pub const MAX_LIMIT: usize = 100;
/// The characters of context a snippet shows on each side of the first match.
const SNIPPET_SIDE: usize = 90;

/// What an entry is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SearchKind {
    /// A technology (its name, chapter and summary).
    Technology,
    /// A dimension's rationale for a technology.
    Rationale,
    /// A piece of evidence behind a level.
    Evidence,
    /// An actor to watch.
    Actor,
    /// An event recorded in the record.
    Event,
    /// An input of a stored ecosystem.
    Input,
    /// An HS6 product code an ecosystem gives one of its inputs.
    Product,
    /// A disruption scenario.
    Scenario,
    /// A proposal (open or decided).
    Proposal,
    /// A comment in a thread on a proposal or a cell.
    Comment,
    /// A line of the report.
    Report,
}

impl SearchKind {
    /// Every kind, in the order facets list them.
    pub const ALL: [SearchKind; 11] = [
        SearchKind::Technology,
        SearchKind::Rationale,
        SearchKind::Evidence,
        SearchKind::Actor,
        SearchKind::Event,
        SearchKind::Input,
        SearchKind::Product,
        SearchKind::Scenario,
        SearchKind::Proposal,
        SearchKind::Comment,
        SearchKind::Report,
    ];

    /// The kind's id (`technology`, `report`, ...), as in `?kind=`.
    pub fn id(self) -> &'static str {
        match self {
            SearchKind::Technology => "technology",
            SearchKind::Rationale => "rationale",
            SearchKind::Evidence => "evidence",
            SearchKind::Actor => "actor",
            SearchKind::Event => "event",
            SearchKind::Input => "input",
            SearchKind::Product => "product",
            SearchKind::Scenario => "scenario",
            SearchKind::Proposal => "proposal",
            SearchKind::Comment => "comment",
            SearchKind::Report => "report",
        }
    }

    /// The kind in words, plural (facet labels).
    pub fn label(self) -> &'static str {
        match self {
            SearchKind::Technology => "Technologies",
            SearchKind::Rationale => "Rationales",
            SearchKind::Evidence => "Evidence",
            SearchKind::Actor => "Actors",
            SearchKind::Event => "Events",
            SearchKind::Input => "Inputs",
            SearchKind::Product => "HS products",
            SearchKind::Scenario => "Scenarios",
            SearchKind::Proposal => "Proposals",
            SearchKind::Comment => "Comments",
            SearchKind::Report => "The report",
        }
    }

    /// The kind of an id, if it is one.
    pub fn parse(s: &str) -> Option<SearchKind> {
        SearchKind::ALL.into_iter().find(|k| k.id() == s)
    }
}

/// One thing that can be found.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// What it is.
    pub kind: SearchKind,
    /// Its title (a technology's name, an input's name, "Report line 960").
    pub title: String,
    /// Where it is shown (a page path of the workbench).
    pub link: String,
    /// The text searched besides the title.
    pub text: String,
}

/// One hit.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Hit {
    /// What it is.
    pub kind: SearchKind,
    /// Its title.
    pub title: String,
    /// Where it is shown.
    pub link: String,
    /// The text around the first word that matched (or the text's beginning).
    pub snippet: String,
    /// Its BM25 score (higher ranks first).
    pub score: f32,
}

/// How many hits of one kind.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Facet {
    /// The kind.
    pub kind: SearchKind,
    /// Its label.
    pub label: String,
    /// Hits of that kind.
    pub count: usize,
}

/// The answer to a query.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SearchResults {
    /// The query as searched.
    pub query: String,
    /// The kind asked for, if one was.
    pub kind: Option<SearchKind>,
    /// Hits of every kind (before the kind filter).
    pub total: usize,
    /// Hits per kind, in [`SearchKind::ALL`] order, kinds without hits left out.
    pub facets: Vec<Facet>,
    /// The hits shown, best first (ties by title).
    pub hits: Vec<Hit>,
    /// How many entries were searched.
    pub searched: usize,
}

/// An index over entries.
pub struct SearchIndex {
    entries: Vec<Entry>,
    engine: SearchEngine<u32>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SearchIndex {{ {} entries }}", self.entries.len())
    }
}

impl SearchIndex {
    /// Indexes `entries` (title and text of each).
    pub fn build(entries: Vec<Entry>) -> SearchIndex {
        let corpus = entries
            .iter()
            // The title twice: a name found in a title ranks above a mention in a text.
            .map(|e| format!("{0}\n{0}\n{1}", e.title, e.text))
            .collect::<Vec<_>>();
        let documents = corpus
            .into_iter()
            .enumerate()
            .map(|(i, text)| bm25::Document::new(i as u32, text));
        let engine =
            SearchEngineBuilder::<u32>::with_documents(Language::English, documents).build();
        SearchIndex { entries, engine }
    }

    /// How many entries it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The hits of `query`, of `kind` if given, at most `limit` (bounded by [`MAX_LIMIT`]).
    pub fn search(&self, query: &str, kind: Option<SearchKind>, limit: usize) -> SearchResults {
        let query = query.trim();
        let mut scored: Vec<(f32, u32)> = self
            .engine
            .search(query, None)
            .into_iter()
            .map(|r| {
                let boost = title_boost(&self.entries[r.document.id as usize].title, query);
                (r.score * boost, r.document.id)
            })
            .collect();
        scored.sort_by(|a, b| {
            b.0.total_cmp(&a.0).then_with(|| {
                let (x, y) = (&self.entries[a.1 as usize], &self.entries[b.1 as usize]);
                (x.kind, &x.title, a.1).cmp(&(y.kind, &y.title, b.1))
            })
        });
        let facets = facets(scored.iter().map(|(_, i)| self.entries[*i as usize].kind));
        let hits = scored
            .iter()
            .filter(|(_, i)| kind.is_none_or(|k| self.entries[*i as usize].kind == k))
            .take(limit.min(MAX_LIMIT))
            .map(|(score, i)| self.hit(&self.entries[*i as usize], *score, query))
            .collect();
        SearchResults {
            query: query.to_string(),
            kind,
            total: scored.len(),
            facets,
            hits,
            searched: self.entries.len(),
        }
    }

    fn hit(&self, e: &Entry, score: f32, query: &str) -> Hit {
        Hit {
            kind: e.kind,
            title: e.title.clone(),
            link: e.link.clone(),
            snippet: snippet(&e.text, query),
            score,
        }
    }
}

/// How much a title that is the query (x3), or that holds every word of it (x1.5), lifts a
/// hit: an actor named "Huawei" ranks above an actor whose role mentions Huawei three times.
fn title_boost(title: &str, query: &str) -> f32 {
    let title = title.to_lowercase();
    let query = query.to_lowercase();
    if title == query {
        return 3.0;
    }
    let words: Vec<&str> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if query.split_whitespace().all(|q| words.contains(&q)) {
        1.5
    } else {
        1.0
    }
}

/// Counts per kind, in [`SearchKind::ALL`] order.
fn facets(kinds: impl Iterator<Item = SearchKind>) -> Vec<Facet> {
    let mut counts = [0usize; SearchKind::ALL.len()];
    for k in kinds {
        counts[k as usize] += 1;
    }
    SearchKind::ALL
        .into_iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(kind, count)| Facet {
            kind,
            label: kind.label().to_string(),
            count,
        })
        .collect()
}

/// The text around the first query word found in it (case-insensitive), cut at word boundaries;
/// the text's beginning when no word is found literally (a stemmed or transliterated match).
pub fn snippet(text: &str, query: &str) -> String {
    let lower = text.to_lowercase();
    // Each word as written, then its stem-like prefix ("earths" finds "Earth").
    let found = query
        .split_whitespace()
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 2)
        .filter_map(|w| {
            let n = w.chars().count();
            let prefix: String = w.chars().take(n.saturating_sub(3).max(4)).collect();
            lower.find(&w).or_else(|| lower.find(&prefix))
        })
        .min();
    // Lower-casing can change byte lengths (rare scripts): use the position only when the two
    // strings line up.
    let at = found.filter(|_| lower.len() == text.len()).unwrap_or(0);
    let start = floor_word(text, at.saturating_sub(SNIPPET_SIDE));
    let end = ceil_word(text, (at + SNIPPET_SIDE).min(text.len()));
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(text[start..end].trim());
    if end < text.len() {
        out.push('…');
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The start of the word holding byte `i` (a char boundary at or before it).
fn floor_word(text: &str, i: usize) -> usize {
    if i == 0 {
        return 0;
    }
    let mut i = i;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    match text[..i].rfind(char::is_whitespace) {
        Some(p) if i - p <= SNIPPET_SIDE => p + 1,
        // A long word (or a script without spaces): cut inside it.
        _ => i,
    }
}

/// The end of the word holding byte `i` (a char boundary at or after it).
fn ceil_word(text: &str, i: usize) -> usize {
    let mut i = i;
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    match text[i..].find(char::is_whitespace) {
        Some(p) if p <= SNIPPET_SIDE => i + p,
        None if text.len() - i <= SNIPPET_SIDE => text.len(),
        // A long word (or a script without spaces): cut inside it.
        _ => i,
    }
}

#[cfg(test)]
mod tests;
