//! Every route of the server in one table: method, path, handler, and what the OpenAPI document
//! says of it (summary, role, query parameters, body and response types). The router and the
//! OpenAPI document are both built from this table, so no route can be served undocumented, and
//! a test walks it to check that every route but the public ones refuses an anonymous request.
//!
//! The API's table is written area by area, one file each: `session` (sessions, tokens, users,
//! audit), `cells` (matrix, technologies, proposals and review, files), `monitoring` (diff,
//! changes, releases), `analysis` (ecosystems, scenarios and runs), `analyst_records` (events,
//! watchlists, application assessments), `trade` (datasets and screenings) and `search`; the pages' table
//! is in [`crate::pages`].

use crate::AppState;
use axum::Router;
use schemars::{JsonSchema, Schema, SchemaGenerator};

pub use crate::route::{Doc, Route, SchemaFn};

fn s<T: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    g.subschema_for::<T>()
}

const fn doc(summary: &'static str, role: &'static str) -> Doc {
    Doc::new(summary, role)
}

macro_rules! route {
    ($m:literal, $p:literal, $h:expr, $d:expr) => {
        Route {
            method: $m,
            path: $p,
            handler: $h,
            doc: $d,
        }
    };
}

mod analysis;
mod analyst_records;
mod cells;
mod monitoring;
mod search;
mod session;
mod trade;

/// A page of a list, as answered.
#[derive(Debug, schemars::JsonSchema)]
#[schemars(rename = "Page_of_{T}")]
#[allow(dead_code)]
pub struct Page<T> {
    /// Items.
    items: Vec<T>,
    /// Page number from 1.
    page: u32,
    /// Items per page.
    per_page: u32,
}

/// Every route the server answers: the API's and the pages'.
pub fn all() -> Vec<Route> {
    let mut v = routes();
    v.extend(crate::pages::routes());
    v
}

/// Every route of the API (`/api/v1`, and the one-time link), area by area.
pub fn routes() -> Vec<Route> {
    let areas: [fn() -> Vec<Route>; 15] = [
        session::session_routes,
        session::admin_routes,
        cells::cell_routes,
        cells::review_routes,
        cells::file_routes,
        monitoring::monitoring_routes,
        monitoring::release_routes,
        analysis::analysis_routes,
        analysis::scenario_routes,
        analyst_records::event_routes,
        analyst_records::watchlist_routes,
        analyst_records::app_routes,
        trade::trade_routes,
        trade::panel_routes,
        search::search_routes,
    ];
    areas.into_iter().flat_map(|area| area()).collect()
}

/// The router built from [`routes`].
pub fn router() -> Router<AppState> {
    all()
        .into_iter()
        .fold(Router::new(), |r, x| r.route(x.path, x.handler))
}
