//! Routes of trade: registered trade datasets and their screening runs.

use super::{Doc, Route, doc, s};
use crate::records;
use axum::routing::{get, post, put};
use osa_app::workbench::{records as rec, trade as tr};

/// Registered trade datasets and their screenings.
pub(super) fn trade_routes() -> Vec<Route> {
    vec![
        route!(
            "GET",
            "/api/v1/trade-datasets",
            get(records::datasets),
            Doc {
                query: Some(s::<records::AsOf>),
                response: Some(s::<Vec<rec::Stored<tr::TradeDataset>>>),
                ..doc("Registered trade datasets", "viewer")
            }
        ),
        route!(
            "PUT",
            "/api/v1/trade-datasets/{id}",
            put(records::register_dataset),
            Doc {
                body: Some(s::<records::NewDataset>),
                response: Some(s::<rec::Stored<tr::TradeDataset>>),
                status: 201,
                ..doc(
                    "Register a BACI CSV or osa cache on the server (checked now)",
                    "reviewer"
                )
            }
        ),
        route!(
            "GET",
            "/api/v1/trade-datasets/{id}/screenings",
            get(records::screenings),
            Doc {
                query: Some(s::<records::AsOf>),
                response: Some(s::<Vec<tr::ScreeningRun>>),
                ..doc("A dataset's stored screening runs", "viewer")
            }
        ),
        route!(
            "POST",
            "/api/v1/trade-datasets/{id}/screenings",
            post(records::screen),
            Doc {
                body: Some(s::<tr::ScreeningRequest>),
                response: Some(s::<tr::ScreeningRun>),
                status: 201,
                ..doc(
                    "Screen a dataset (SWD(2021) 352) and keep the run",
                    "analyst"
                )
            }
        ),
    ]
}
