//! Routes of the assessments: the matrix, technologies and their cells, proposals and their review,
//! whole files.

use super::{Doc, Page, Route, doc, s};
use crate::api;
use axum::routing::{get, post};
use osa_app::workbench::{cells, read};
use osa_store::proposals;

/// The matrix, technologies, their dossiers and cells' histories, and proposing a change to a cell.
pub(super) fn cell_routes() -> Vec<Route> {
    vec![
        route!(
            "GET",
            "/api/v1/matrix",
            get(api::matrix),
            Doc {
                query: Some(s::<api::AsOfQuery>),
                view: Some("matrix"),
                ..doc(
                    "The matrix of published levels (osa matrix --format json)",
                    "viewer"
                )
            }
        ),
        route!(
            "GET",
            "/api/v1/technologies",
            get(api::technologies),
            Doc {
                query: Some(s::<api::AsOfQuery>),
                response: Some(s::<Vec<read::TechnologyEntry>>),
                ..doc("Technologies with their versions", "viewer")
            }
        ),
        route!(
            "GET",
            "/api/v1/technologies/{id}",
            get(api::dossier),
            Doc {
                query: Some(s::<api::AsOfQuery>),
                view: Some("dossier"),
                ..doc(
                    "A technology's dossier (osa assess ID --format json); ETag",
                    "viewer"
                )
            }
        ),
        route!(
            "GET",
            "/api/v1/technologies/{id}/dimensions/{dimension}/history",
            get(api::cell_history),
            Doc {
                response: Some(s::<Vec<read::CellStep>>),
                ..doc("A cell's history", "viewer")
            }
        ),
        route!(
            "POST",
            "/api/v1/technologies/{id}/dimensions/{dimension}/proposals",
            post(api::propose),
            Doc {
                body: Some(s::<cells::CellChange>),
                response: Some(s::<proposals::Proposal>),
                status: 201,
                ..doc("Propose a change to a cell (If-Match required)", "analyst")
            }
        ),
    ]
}

/// Proposals and their four-eyes review.
pub(super) fn review_routes() -> Vec<Route> {
    vec![
        route!(
            "GET",
            "/api/v1/proposals",
            get(api::proposals),
            Doc {
                query: Some(s::<api::ListQuery>),
                response: Some(s::<Page<proposals::Proposal>>),
                ..doc("Proposals, newest first", "viewer")
            }
        ),
        route!(
            "GET",
            "/api/v1/proposals/{id}",
            get(api::proposal),
            Doc {
                response: Some(s::<proposals::Proposal>),
                ..doc("One proposal", "viewer")
            }
        ),
        route!(
            "POST",
            "/api/v1/proposals/{id}/approve",
            post(api::approve),
            Doc {
                body: Some(s::<api::Review>),
                ..doc("Approve (not your own)", "reviewer")
            }
        ),
        route!(
            "POST",
            "/api/v1/proposals/{id}/reject",
            post(api::reject),
            Doc {
                body: Some(s::<api::Review>),
                ..doc("Reject with a comment", "reviewer")
            }
        ),
        route!(
            "POST",
            "/api/v1/proposals/{id}/rebase",
            post(api::rebase),
            Doc {
                response: Some(s::<proposals::Proposal>),
                ..doc("Bring your proposal up to date", "analyst")
            }
        ),
    ]
}

/// Stored files, and proposing a whole file.
pub(super) fn file_routes() -> Vec<Route> {
    vec![
        route!(
            "GET",
            "/api/v1/files/{kind}/{*key}",
            get(api::file),
            Doc {
                query: Some(s::<api::AsOfQuery>),
                response: Some(s::<api::FileView>),
                ..doc(
                    "A stored file (baseline, ecosystem, scenario) with its version",
                    "viewer"
                )
            }
        ),
        route!(
            "POST",
            "/api/v1/proposals/files",
            post(api::propose_file),
            Doc {
                body: Some(s::<api::FileProposal>),
                response: Some(s::<proposals::Proposal>),
                status: 201,
                ..doc(
                    "Propose a whole baseline file or scenario (validated)",
                    "analyst"
                )
            }
        ),
    ]
}
