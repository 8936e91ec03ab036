//! Routes of the analysts' own records: dated events, watchlists and checklist assessments of AI
//! applications.

use super::{Doc, Page, Route, doc, s};
use crate::records;
use axum::routing::{get, post, put};
use osa_app::workbench::records as rec;
use osa_store::{changes, proposals};

/// Dated events.
pub(super) fn event_routes() -> Vec<Route> {
    vec![
        route!(
            "GET",
            "/api/v1/events",
            get(records::events),
            Doc {
                query: Some(s::<records::EventsQuery>),
                response: Some(s::<Vec<rec::Stored<rec::Event>>>),
                ..doc("Dated events, newest first", "viewer")
            }
        ),
        route!(
            "POST",
            "/api/v1/events",
            post(records::add_event),
            Doc {
                body: Some(s::<rec::Event>),
                response: Some(s::<rec::Stored<rec::Event>>),
                status: 201,
                ..doc("Record an event", "analyst")
            }
        ),
    ]
}

/// Each user's watchlists and what changed about what they follow.
pub(super) fn watchlist_routes() -> Vec<Route> {
    vec![
        route!(
            "GET",
            "/api/v1/watchlists",
            get(records::watchlists),
            Doc {
                response: Some(s::<Vec<rec::Stored<rec::Watchlist>>>),
                ..doc("Your watchlists", "viewer")
            }
        ),
        route!(
            "PUT",
            "/api/v1/watchlists/{name}",
            put(records::put_watchlist),
            Doc {
                body: Some(s::<rec::Watchlist>),
                response: Some(s::<rec::Stored<rec::Watchlist>>),
                ..doc("Set one of your watchlists", "viewer")
            }
        ),
        route!(
            "GET",
            "/api/v1/watchlists/{name}/changes",
            get(records::watchlist_changes),
            Doc {
                query: Some(s::<records::Paging>),
                response: Some(s::<Page<changes::Change>>),
                ..doc("Changes about what a watchlist follows", "viewer")
            }
        ),
        route!(
            "GET",
            "/api/v1/watchlists/{name}/changes.atom",
            get(records::watchlist_atom),
            Doc {
                view: Some("atom"),
                ..doc("The same as an Atom feed", "viewer")
            }
        ),
    ]
}

/// Checklist assessments of named AI applications.
pub(super) fn app_routes() -> Vec<Route> {
    vec![
        route!(
            "GET",
            "/api/v1/app-assessments",
            get(records::app_assessments),
            Doc {
                query: Some(s::<records::AsOf>),
                response: Some(s::<Vec<rec::Stored<rec::AppAssessment>>>),
                ..doc(
                    "Published checklist assessments of AI applications",
                    "viewer"
                )
            }
        ),
        route!(
            "POST",
            "/api/v1/app-assessments/{id}/proposals",
            post(records::propose_app),
            Doc {
                body: Some(s::<rec::AppAssessment>),
                response: Some(s::<proposals::Proposal>),
                status: 201,
                ..doc("Propose an application's assessment", "analyst")
            }
        ),
    ]
}
