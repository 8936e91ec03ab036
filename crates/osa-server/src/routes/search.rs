//! Routes of search: one ranked answer over the record and the report's text.

use super::{Doc, Route, doc, s};
use crate::api;
use axum::routing::get;
use osa_app::search::SearchResults;

/// Search.
pub(super) fn search_routes() -> Vec<Route> {
    vec![route!(
        "GET",
        "/api/v1/search",
        get(api::search),
        Doc {
            query: Some(s::<api::SearchQuery>),
            response: Some(s::<SearchResults>),
            ..doc(
                "Search technologies, rationales, evidence, actors, events, inputs, HS products, scenarios, proposals, comments and the report's text, ranked, with counts per kind",
                "viewer"
            )
        }
    )]
}
