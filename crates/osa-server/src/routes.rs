//! Every route of the server in one table: method, path, handler, and what the OpenAPI document
//! says of it (summary, role, query parameters, body and response types). The router and the
//! OpenAPI document are both built from this table, so no route can be served undocumented, and
//! a test walks it to check that every route but the public ones refuses an anonymous request.

use crate::{AppState, api, records};
use axum::Router;
use axum::routing::{MethodRouter, delete, get, post, put};
use schemars::{JsonSchema, Schema, SchemaGenerator};

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

fn s<T: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    g.subschema_for::<T>()
}

const fn doc(summary: &'static str, role: &'static str) -> Doc {
    Doc {
        summary,
        role,
        query: None,
        body: None,
        response: None,
        view: None,
        status: 200,
    }
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

use osa_app::workbench::{analysis as an, cells, diff, monitor, read, records as rec};
use osa_store::{audit, changes, proposals, users};

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

/// Every route of the API (`/api/v1`, and the one-time link).
pub fn routes() -> Vec<Route> {
    let mut v = session_routes();
    v.extend(record_routes());
    v.extend(other_routes());
    v.extend(trade_routes());
    v
}

fn trade_routes() -> Vec<Route> {
    use osa_app::workbench::trade as tr;
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

fn session_routes() -> Vec<Route> {
    vec![
        route!(
            "GET",
            "/api/v1/health",
            get(api::health),
            doc("Liveness and the latest revision", "public")
        ),
        route!(
            "GET",
            "/api/v1/openapi.json",
            get(api::openapi),
            doc("This document", "public")
        ),
        route!(
            "GET",
            "/api/v1/session",
            get(api::whoami),
            Doc {
                response: Some(s::<users::Principal>),
                ..doc("Who you are", "viewer")
            }
        ),
        route!(
            "POST",
            "/api/v1/session",
            post(api::sign_in),
            Doc {
                body: Some(s::<api::SignIn>),
                response: Some(s::<users::Principal>),
                ..doc("Sign in: sets the session cookie (rate-limited)", "public")
            }
        ),
        route!(
            "DELETE",
            "/api/v1/session",
            delete(api::sign_out),
            Doc {
                status: 204,
                ..doc("Sign out", "viewer")
            }
        ),
        route!(
            "GET",
            "/signin",
            get(crate::pages::session::signin),
            Doc {
                query: Some(s::<crate::pages::session::LinkQuery>),
                status: 303,
                ..doc("Use a one-time sign-in link", "public")
            }
        ),
        route!(
            "POST",
            "/api/v1/tokens",
            post(api::create_token),
            Doc {
                body: Some(s::<api::NewToken>),
                status: 201,
                ..doc("Create an API token for yourself", "viewer")
            }
        ),
        route!(
            "DELETE",
            "/api/v1/tokens/{label}",
            delete(api::revoke_token),
            doc("Revoke your tokens with this label", "viewer")
        ),
        route!(
            "GET",
            "/api/v1/users",
            get(api::users),
            Doc {
                response: Some(s::<Vec<users::User>>),
                ..doc("Users", "admin")
            }
        ),
        route!(
            "POST",
            "/api/v1/users",
            post(api::add_user),
            Doc {
                body: Some(s::<api::NewUser>),
                response: Some(s::<users::User>),
                status: 201,
                ..doc("Add a user", "admin")
            }
        ),
        route!(
            "GET",
            "/api/v1/audit",
            get(api::audit),
            Doc {
                query: Some(s::<api::AuditQuery>),
                response: Some(s::<Vec<audit::Entry>>),
                ..doc("The audit log, newest first", "admin")
            }
        ),
        route!(
            "GET",
            "/api/v1/audit/verify",
            get(api::audit_verify),
            Doc {
                response: Some(s::<audit::Verification>),
                ..doc("Verify the audit log's hash chain and triggers", "admin")
            }
        ),
    ]
}

fn record_routes() -> Vec<Route> {
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

fn other_routes() -> Vec<Route> {
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

/// The router built from [`routes`].
pub fn router() -> Router<AppState> {
    all()
        .into_iter()
        .fold(Router::new(), |r, x| r.route(x.path, x.handler))
}
