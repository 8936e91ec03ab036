//! `osa serve`: the workbench's pages under `/` (`pages`, rendered by `osa-web`) and the JSON API
//! under `/api/v1`, both over the application layer (`osa-app`), with
//! authentication and cross-site protection in one middleware (`auth`), the public origin's
//! Host and Origin checks (`origin`), refusals audited without
//! flooding and per-user write budgets (`limits`), text checked once at the edge (`text`),
//! problem+json errors (`problem`), data in by upload, never by path (`upload`), bounded bodies and strict JSON (`body`), security headers and request ids
//! (`headers`), Atom feeds (`feed`), mail of the inboxes' notifications (`mail`), and a hyper serve loop with header-read and request timeouts
//! and a graceful shutdown on Ctrl-C or SIGTERM (`serve`). Handlers parse, call one use case and
//! render; every route is in [`routes::all`], so a test can walk them all.

pub mod api;
pub mod auth;
pub mod body;
pub mod feed;
pub mod headers;
pub mod limits;
pub mod mail;
pub mod openapi;
pub mod origin;
pub mod pages;
pub mod problem;
pub mod records;
pub mod route;
pub mod routes;
pub mod serve;
pub mod text;
pub mod upload;

use osa_app::workbench::Workbench;
use osa_store::Actor;
use std::sync::Arc;

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The shared record.
    pub wb: Workbench,
    /// Sign-in rate limiting.
    pub limiter: Arc<auth::Limiter>,
    /// Which refusals get an audit row, and the count of those that do not.
    pub refusals: Arc<limits::RefusalLog>,
    /// Per-user write budgets.
    pub writes: Arc<limits::WriteLimiter>,
    /// Mark cookies `Secure` (the server is reached over TLS, behind a proxy).
    pub secure_cookies: bool,
    /// Session lifetime.
    pub session_ttl: std::time::Duration,
    /// The report's text, for the passages seed citations open (`osa serve --seed FILE`).
    pub seed: Option<Arc<osa_app::reader::SeedText>>,
    /// Rendered page bodies (see [`pages::BodyCache`]).
    pub page_cache: Arc<pages::BodyCache>,
    /// Mail of the inboxes' notifications (`osa serve --smtp`); `None`: no mail.
    pub mail: Option<Arc<mail::Mailer>>,
    /// Where the limits count (the database on PostgreSQL, memory on SQLite).
    pub counters: Arc<limits::Counters>,
    /// Proxies whose `X-Forwarded-For` names the client (`osa serve --trust-proxy`).
    pub trusted_proxies: Arc<Vec<std::net::IpAddr>>,
    /// The public origin (`osa serve --public-url`): Host and Origin must name it.
    pub public: Option<Arc<origin::WebOrigin>>,
}

impl AppState {
    /// A state over a workbench with default settings. Sign-in attempts, write budgets and
    /// repeated refusals are counted in the database on PostgreSQL (every process counts as
    /// one), in memory on SQLite ([`limits::Counters::for_store`]).
    pub fn new(wb: Workbench) -> AppState {
        let counters = Arc::new(limits::Counters::for_store(wb.store()));
        AppState {
            limiter: Arc::new(auth::Limiter::new(counters.clone())),
            refusals: Arc::new(limits::RefusalLog::new(counters.clone())),
            writes: Arc::new(limits::WriteLimiter::new(counters.clone())),
            counters,
            wb,
            secure_cookies: false,
            session_ttl: std::time::Duration::from_secs(12 * 3600),
            seed: None,
            page_cache: Arc::default(),
            mail: None,
            trusted_proxies: Arc::default(),
            public: None,
        }
    }
}

/// The request's id and client address (set by `headers::request_info`).
#[derive(Debug, Clone, Default)]
pub struct RequestInfo {
    /// A random id, also sent back as `x-request-id`.
    pub id: String,
    /// The client's address.
    pub client: String,
}

impl RequestInfo {
    /// The actor for the store: who, with this request's id and address.
    pub fn actor(&self, name: &str) -> Actor {
        Actor {
            name: name.into(),
            request_id: self.id.clone(),
            client: self.client.clone(),
        }
    }
}

/// The whole application: routes, authentication, limits, headers.
pub fn app(state: AppState) -> axum::Router {
    use axum::middleware::from_fn;
    use axum::middleware::from_fn_with_state;
    routes::router()
        .layer(from_fn(text::check_request))
        .layer(from_fn_with_state(state.clone(), text::audit_refusals))
        .layer(from_fn_with_state(state.clone(), auth::authenticate))
        .layer(axum::extract::DefaultBodyLimit::max(body::MAX_BODY))
        .layer(from_fn(serve::time_limit))
        .layer(from_fn_with_state(state.clone(), origin::check_host))
        .layer(from_fn_with_state(state.clone(), headers::request_info))
        .fallback(api::not_found)
        .with_state(state)
}

/// The OpenAPI document of `/api/v1` (committed beside the code; a test checks it lists every
/// route of [`api::ROUTES`]).
pub const OPENAPI: &str = include_str!("../openapi.json");
