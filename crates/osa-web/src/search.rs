//! The search page: the box, facets by kind (each a link that narrows to it), and the hits with
//! the text around the words found. The same view model answers `?format=json` and
//! `GET /api/v1/search`.

use crate::layout::encode;
use crate::{Ctx, Page};
use maud::{Markup, html};
use osa_app::search::{SearchKind, SearchResults};
use serde::Serialize;

/// Results, or the empty page before anything was asked.
#[derive(Debug, Clone, Serialize)]
pub struct SearchPage {
    /// The results (none before a query).
    pub results: Option<SearchResults>,
    /// Whether the report's text was searched (the server was given it).
    pub report_searched: bool,
}

impl Page for SearchPage {
    fn title(&self) -> String {
        match &self.results {
            Some(r) => format!("Search: {}", r.query),
            None => "Search".into(),
        }
    }

    fn body(&self, ctx: &Ctx) -> Markup {
        let query = self.results.as_ref().map_or("", |r| r.query.as_str());
        html! {
            h1 { "Search" }
            form.search-page role="search" method="get" action="/search" {
                label for="q" { "Words to find" }
                " " input #q type="search" name="q" value=(query) maxlength="200" required;
                @if let Some(k) = self.results.as_ref().and_then(|r| r.kind) {
                    input type="hidden" name="kind" value=(k.id());
                }
                " " button type="submit" { "Search" }
            }
            p.muted { "Technologies, rationales, evidence, actors, events, inputs and the HS products ecosystems give them, scenarios, proposals, comments"
                @if self.report_searched { ", and the report's text" } @else { " (not the report's text: this server was started without it)" } "." }
            @if let Some(r) = &self.results { (results(r, ctx)) }
        }
    }
}

fn results(r: &SearchResults, ctx: &Ctx) -> Markup {
    let q = encode(&r.query);
    let as_of = ctx
        .as_of
        .as_deref()
        .map(|a| format!("&as_of={}", encode(a)))
        .unwrap_or_default();
    html! {
        p role="status" {
            @if r.total == 0 { "Nothing found among " (r.searched) " entries." }
            @else { (r.total) " found among " (r.searched) " entries"
                @if let Some(k) = r.kind { "; showing " (k.label().to_lowercase()) } "." }
        }
        @if !r.facets.is_empty() {
            nav.facets aria-label="Kinds of results" {
                a href={"/search?q=" (q) (as_of)} aria-current=[r.kind.is_none().then_some("page")] { "All (" (r.total) ")" }
                @for f in &r.facets {
                    " " a href={"/search?q=" (q) "&kind=" (f.kind.id()) (as_of)}
                        aria-current=[(r.kind == Some(f.kind)).then_some("page")] { (f.label) " (" (f.count) ")" }
                }
            }
        }
        ol.hits {
            @for h in &r.hits {
                li {
                    span.kind { (kind_label(h.kind)) } " "
                    a href=(h.link) { (h.title) }
                    p.snippet { (h.snippet) }
                }
            }
        }
        @if r.hits.len() < r.kind.map_or(r.total, |k| r.facets.iter().find(|f| f.kind == k).map_or(0, |f| f.count)) {
            p.muted { "The best " (r.hits.len()) " are shown; add words or choose a kind to narrow the search." }
        }
    }
}

fn kind_label(k: SearchKind) -> &'static str {
    match k {
        SearchKind::Technology => "Technology",
        SearchKind::Rationale => "Rationale",
        SearchKind::Evidence => "Evidence",
        SearchKind::Actor => "Actor",
        SearchKind::Event => "Event",
        SearchKind::Input => "Input",
        SearchKind::Product => "HS product",
        SearchKind::Scenario => "Scenario",
        SearchKind::Proposal => "Proposal",
        SearchKind::Comment => "Comment",
        SearchKind::Report => "Report",
    }
}

/// The search box of the navigation.
pub fn nav_box() -> Markup {
    html! {
        form.nav-search role="search" method="get" action="/search" {
            input type="search" name="q" maxlength="200" placeholder="Search" aria-label="Search the record and the report";
        }
    }
}
