//! Routes of monitoring: what changed between revisions, the change log and its feed, data
//! releases.

use super::{Doc, Page, Route, doc, s};
use crate::api;
use axum::routing::{get, post};
use osa_app::workbench::{diff, monitor};
use osa_store::changes;

/// Revisions compared, the change log and its Atom feed, and registering a data release.
pub(super) fn monitoring_routes() -> Vec<Route> {
    vec![
        route!(
            "GET",
            "/api/v1/diff",
            get(api::diff),
            Doc {
                query: Some(s::<api::DiffQuery>),
                response: Some(s::<diff::RecordDiff>),
                ..doc(
                    "What changed between two revisions, with who and why",
                    "viewer"
                )
            }
        ),
        route!(
            "GET",
            "/api/v1/changes",
            get(api::changes),
            Doc {
                query: Some(s::<api::ChangesQuery>),
                response: Some(s::<Page<changes::Change>>),
                ..doc("What monitoring recorded", "viewer")
            }
        ),
        route!(
            "GET",
            "/api/v1/changes/{id}",
            get(api::change),
            Doc {
                response: Some(s::<changes::Change>),
                ..doc(
                    "One recorded change with its evidence (provision rows, formulas)",
                    "viewer"
                )
            }
        ),
        route!(
            "GET",
            "/api/v1/changes.atom",
            get(api::changes_atom),
            Doc {
                query: Some(s::<api::ChangesQuery>),
                view: Some("atom"),
                ..doc("The same as an Atom feed", "viewer")
            }
        ),
        route!(
            "POST",
            "/api/v1/releases",
            post(api::register_release),
            Doc {
                body: Some(s::<api::ReleaseBody>),
                response: Some(s::<monitor::ReleaseReport>),
                status: 201,
                ..doc(
                    "Register a data release as an ecosystem's next snapshot",
                    "reviewer"
                )
            }
        ),
    ]
}
