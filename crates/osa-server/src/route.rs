//! The route table's row: one route's method, path, handler and what the OpenAPI document says of
//! it. The API's table (`routes`) and the pages' table (`pages`) are both lists of these rows, so
//! both depend on this module and not on each other's.

use crate::AppState;
use axum::routing::MethodRouter;
use schemars::{Schema, SchemaGenerator};

/// A schema maker for a type.
pub type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

/// What the OpenAPI document says of a route.
#[derive(Debug, Clone, Copy)]
pub struct Doc {
    /// One line.
    pub summary: &'static str,
    /// The least role that may call it (`public`, `viewer`, `analyst`, `reviewer`, `admin`).
    pub role: &'static str,
    /// The query parameters' type.
    pub query: Option<SchemaFn>,
    /// The JSON body's type.
    pub body: Option<SchemaFn>,
    /// The success response's type; `None`: see `view`.
    pub response: Option<SchemaFn>,
    /// For responses that are the command line's JSON: which document of docs/json.md.
    pub view: Option<&'static str>,
    /// The success status.
    pub status: u16,
    /// The body is a file's bytes (streamed), not JSON.
    pub raw_body: bool,
}

/// One route.
#[derive(Debug)]
pub struct Route {
    /// Method.
    pub method: &'static str,
    /// Path pattern.
    pub path: &'static str,
    /// Handler.
    pub handler: MethodRouter<AppState>,
    /// Documentation.
    pub doc: Doc,
}

impl Doc {
    /// A route's documentation with a summary and the least role, no schemas, status 200.
    pub const fn new(summary: &'static str, role: &'static str) -> Doc {
        Doc {
            summary,
            role,
            query: None,
            body: None,
            response: None,
            view: None,
            status: 200,
            raw_body: false,
        }
    }
}
