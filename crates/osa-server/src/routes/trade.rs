//! Routes of trade: registered trade datasets and their screening runs, and panel screenings of
//! the record's datasets.

use super::{Doc, Route, doc, s};
use crate::{records, upload};
use axum::routing::{get, post, put};
use osa_app::workbench::{ingest, panels, receive, records as rec, runs, trade as tr};

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
            put(upload::register_dataset),
            Doc {
                body: Some(s::<ingest::TradeUpload>),
                response: Some(s::<ingest::JobView>),
                status: 202,
                ..doc(
                    "Register uploaded trade data (a BACI CSV, CEPII's .zip, an osa cache): a job ingests it",
                    "reviewer"
                )
            }
        ),
        route!(
            "PUT",
            "/api/v1/trade-datasets/{id}/csv",
            put(upload::receive_csv),
            Doc {
                query: Some(s::<receive::CsvStream>),
                raw_body: true,
                response: Some(s::<ingest::JobView>),
                status: 202,
                ..doc(
                    "Register a BACI CSV sent as the body (streamed), ingested by a job while it arrives",
                    "reviewer"
                )
            }
        ),
        route!(
            "GET",
            "/api/v1/jobs/{id}",
            get(upload::job),
            Doc {
                response: Some(s::<ingest::JobView>),
                ..doc("A trade ingest job's progress and result", "viewer")
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

/// The kept panel screenings of the record's datasets.
pub(super) fn panel_routes() -> Vec<Route> {
    vec![
        route!(
            "GET",
            "/api/v1/trade-panels",
            get(records::panels),
            Doc {
                query: Some(s::<records::AsOf>),
                response: Some(s::<Vec<runs::Numbered<panels::PanelRun>>>),
                ..doc(
                    "The kept panel screenings of the record's datasets, newest first",
                    "viewer"
                )
            }
        ),
        route!(
            "POST",
            "/api/v1/trade-panels",
            post(records::run_panel),
            Doc {
                body: Some(s::<panels::PanelRunRequest>),
                response: Some(s::<runs::Numbered<panels::PanelRun>>),
                status: 201,
                ..doc(
                    "Screen the record's panel (one dataset per year) by a built-in method and keep the run",
                    "analyst"
                )
            }
        ),
        route!(
            "GET",
            "/api/v1/trade-panels/{number}",
            get(records::panel),
            Doc {
                query: Some(s::<records::AsOf>),
                response: Some(s::<runs::Numbered<panels::PanelRun>>),
                ..doc(
                    "A kept panel screening: churn, spells, dependent products by top supplier",
                    "viewer"
                )
            }
        ),
    ]
}
