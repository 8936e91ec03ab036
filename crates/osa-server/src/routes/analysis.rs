//! Routes of the analyses over stored ecosystems: actors, the checklist, metrics, chokepoints,
//! leverage, and scenarios with their runs.

use super::{Doc, Route, doc, s};
use crate::records;
use axum::routing::{get, post};
use osa_app::workbench::analysis as an;

/// Actors, the checklist, ecosystems and the analyses of one.
pub(super) fn analysis_routes() -> Vec<Route> {
    vec![
        route!(
            "GET",
            "/api/v1/actors",
            get(records::actors),
            Doc {
                query: Some(s::<records::ActorsQuery>),
                view: Some("actors"),
                ..doc("Actors to watch (osa actors --format json)", "viewer")
            }
        ),
        route!(
            "GET",
            "/api/v1/checklist",
            get(records::checklist),
            Doc {
                query: Some(s::<records::AsOf>),
                view: Some("checklist"),
                ..doc("The AI-application checklist", "viewer")
            }
        ),
        route!(
            "GET",
            "/api/v1/ecosystems",
            get(records::ecosystems),
            Doc {
                query: Some(s::<records::AsOf>),
                response: Some(s::<Vec<an::EcosystemEntry>>),
                ..doc("Stored ecosystems and their snapshots", "viewer")
            }
        ),
        route!(
            "GET",
            "/api/v1/ecosystems/{name}/metrics",
            get(records::metrics),
            Doc {
                query: Some(s::<records::MetricsQuery>),
                view: Some("metrics"),
                ..doc(
                    "Concentration metrics (osa metrics --format json)",
                    "viewer"
                )
            }
        ),
        route!(
            "GET",
            "/api/v1/ecosystems/{name}/chokepoints",
            get(records::chokepoints),
            Doc {
                query: Some(s::<records::ChokeQuery>),
                view: Some("chokepoints"),
                ..doc(
                    "Chokepoints of a holder (osa chokepoints --format json)",
                    "viewer"
                )
            }
        ),
        route!(
            "GET",
            "/api/v1/ecosystems/{name}/leverage",
            get(records::leverage),
            Doc {
                query: Some(s::<records::LeverageQuery>),
                view: Some("leverage"),
                ..doc("Mutual dependency (osa leverage --format json)", "viewer")
            }
        ),
    ]
}

/// Stored scenarios and their runs.
pub(super) fn scenario_routes() -> Vec<Route> {
    vec![
        route!(
            "GET",
            "/api/v1/scenarios",
            get(records::scenarios),
            Doc {
                query: Some(s::<records::AsOf>),
                ..doc("Stored scenarios", "viewer")
            }
        ),
        route!(
            "GET",
            "/api/v1/scenarios/{id}/runs",
            get(records::runs),
            Doc {
                query: Some(s::<records::AsOf>),
                response: Some(s::<Vec<an::ScenarioRun>>),
                ..doc("A scenario's stored runs", "viewer")
            }
        ),
        route!(
            "POST",
            "/api/v1/scenarios/{id}/runs",
            post(records::run),
            Doc {
                body: Some(s::<an::RunRequest>),
                response: Some(s::<an::ScenarioRun>),
                status: 201,
                ..doc("Run a stored scenario and keep the run", "analyst")
            }
        ),
    ]
}
