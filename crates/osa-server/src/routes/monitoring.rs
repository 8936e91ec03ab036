//! Routes of monitoring: what changed between revisions, the change log and its feed, data
//! releases.

use super::{Doc, Page, Route, doc, s};
use crate::{api, upload};
use axum::routing::{get, post};
use osa_app::workbench::{diff, monitor, uploads};
use osa_store::changes;

/// Revisions compared, the change log and its Atom feed.
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
    ]
}

/// Uploads and the data releases made from them.
pub(super) fn release_routes() -> Vec<Route> {
    vec![
        route!(
            "POST",
            "/api/v1/uploads",
            post(upload::upload),
            Doc {
                raw_body: true,
                response: Some(s::<upload::Uploaded>),
                status: 201,
                ..doc(
                    "Upload a file's bytes (streamed, bounded); answers its SHA-256, the name other routes take",
                    "analyst"
                )
            }
        ),
        route!(
            "GET",
            "/api/v1/releases",
            get(upload::pending_releases),
            Doc {
                response: Some(s::<Vec<uploads::PendingRelease>>),
                ..doc("Uploaded releases waiting for a reviewer", "viewer")
            }
        ),
        route!(
            "POST",
            "/api/v1/releases",
            post(upload::stage_release),
            Doc {
                body: Some(s::<upload::StageRelease>),
                response: Some(s::<uploads::PendingRelease>),
                status: 201,
                ..doc(
                    "Stage an uploaded data release (an ETO .zip or .tar.gz, an osa TOML), validated whole",
                    "analyst"
                )
            }
        ),
        route!(
            "POST",
            "/api/v1/releases/{upload}/approve",
            post(upload::approve_release),
            Doc {
                body: Some(s::<upload::Approve>),
                response: Some(s::<monitor::ReleaseReport>),
                status: 201,
                ..doc(
                    "Approve an uploaded release (not its uploader): the ecosystem's next snapshot",
                    "reviewer"
                )
            }
        ),
    ]
}
