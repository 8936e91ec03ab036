//! Who is asking, checked once for every request, deny by default. A request carries an API
//! token (`Authorization: Bearer osa_...`) or the session cookie. Every route not on the public
//! list needs one (401 otherwise); roles are checked by the application layer for each use case.
//! A state-changing request made with the cookie must come from osa's own pages: browsers say so
//! in `Sec-Fetch-Site` and `Origin` (`crate::origin`); anything cross-site gets 403, a cross-site
//! sign-in too (login CSRF). Token requests are exempt (a
//! script, not a browser). A feed reader sends a feed key in the URL of an Atom feed
//! (`?key=osa_feed_...`), accepted on feeds only. Every refusal is audited, a bad token's too, through the refusal log
//! that counts and summarizes repeats (`crate::limits`). Sign-in attempts are rate-limited per
//! client, and writes per user (429 with `Retry-After`).

use crate::origin::same_origin;
use crate::problem::Problem;
use crate::{AppState, RequestInfo};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use osa_store::Actor;
use osa_store::users::Principal;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

/// The session cookie's name.
pub const COOKIE: &str = "osa_session";

/// Routes anyone may call: (method, route pattern).
pub const PUBLIC: &[(&str, &str)] = &[
    ("GET", "/api/v1/health"),
    ("POST", "/api/v1/session"),
    ("GET", "/signin"),
    ("POST", "/signin"),
    ("GET", "/assets/{name}"),
    ("GET", "/api/v1/openapi.json"),
];

/// Whether a route is public.
pub fn is_public(method: &Method, route: &str) -> bool {
    PUBLIC
        .iter()
        .any(|(m, r)| *m == method.as_str() && *r == route)
}

/// The session cookie's value, if the request has one.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// What the middleware needs to know of a request before deciding.
struct Asked {
    info: RequestInfo,
    route: Option<String>,
    method: Method,
    /// `METHOD /route/pattern` (or the raw path where no route matched).
    target: String,
    public: bool,
    state_changing: bool,
}

impl Asked {
    fn of(req: &Request) -> Asked {
        let info = req
            .extensions()
            .get::<RequestInfo>()
            .cloned()
            .unwrap_or_default();
        let route = req
            .extensions()
            .get::<MatchedPath>()
            .map(|m| m.as_str().to_string());
        let method = req.method().clone();
        let public = route.as_deref().is_some_and(|r| is_public(&method, r));
        let path = route
            .clone()
            .unwrap_or_else(|| req.uri().path().to_string());
        Asked {
            target: format!("{method} {path}"),
            state_changing: !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS),
            info,
            route,
            method,
            public,
        }
    }
}

/// Audits a refusal through the refusal log: the first few of a kind from a client get a row
/// each, repeats are counted and summarized (see [`crate::limits::RefusalLog`]).
pub async fn audit_refusal(st: &AppState, actor: &Actor, action: &str, target: &str, why: &str) {
    if let Some(detail) = st.refusals.note(&actor.client, why).await {
        let _ = st
            .wb
            .store()
            .audit_refusal(actor, action, target, why, detail)
            .await;
    }
}

/// The authentication, cross-site and write-budget middleware: who is asking (a bad token is
/// refused), then whether they may (see [`admit`]).
pub async fn authenticate(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let asked = Asked::of(&req);
    let feed = feed_key(&asked, req.uri());
    let principal = match who(&st, req.headers(), feed.as_deref()).await {
        Ok(p) => p,
        Err(p) => {
            if p.status() == StatusCode::UNAUTHORIZED {
                let actor = asked.info.actor("anonymous");
                let why = if feed.is_some() {
                    "unknown or revoked feed key"
                } else {
                    "unknown, revoked or expired API token"
                };
                audit_refusal(&st, &actor, "request", &asked.target, why).await;
            }
            return p.into_response();
        }
    };
    if let Err(r) = admit(&st, &asked, principal.as_ref(), req.headers(), req.uri()).await {
        return r;
    }
    if let Some((p, _)) = principal {
        req.extensions_mut().insert(p);
    }
    next.run(req).await
}

/// Refuses (and audits) a cross-site cookie write, an anonymous request for anything not public,
/// and a write over the user's budget.
async fn admit(
    st: &AppState,
    asked: &Asked,
    principal: Option<&(Principal, bool)>,
    headers: &HeaderMap,
    uri: &axum::http::Uri,
) -> Result<(), Response> {
    let actor = asked
        .info
        .actor(principal.map_or("anonymous", |(p, _)| p.name.as_str()));
    let refuse = |why: &'static str| audit_refusal(st, &actor, "request", &asked.target, why);
    match principal {
        Some((_, true)) if asked.state_changing && !same_origin(st, headers, uri) => {
            refuse("cross-site request").await;
            Err(Problem::new(StatusCode::FORBIDDEN, "cross-site request refused: state-changing requests must come from osa's own pages or carry an API token").into_response())
        }
        None if asked.state_changing && asked.public && !same_origin(st, headers, uri) => {
            refuse("cross-site sign-in").await;
            Err(Problem::new(StatusCode::FORBIDDEN, "cross-site sign-in refused: sign in from osa's own sign-in page (this request came from another site, or over another scheme)").into_response())
        }
        None if !asked.public && asked.route.is_some() => {
            if is_page(&asked.method, asked.route.as_deref().unwrap_or("")) {
                return Err(sign_in_first(uri));
            }
            refuse("not signed in").await;
            Err(unauthorized())
        }
        Some((p, _)) if asked.state_changing && asked.route.is_some() && !asked.public => {
            match st.writes.take(&p.name, p.role).await {
                Ok(()) => Ok(()),
                Err(wait) => {
                    refuse("write rate limit").await;
                    Err(too_many_writes(&p.name, wait))
                }
            }
        }
        _ => Ok(()),
    }
}

fn unauthorized() -> Response {
    let mut r = Problem::new(
        StatusCode::UNAUTHORIZED,
        "sign in, or send an API token (Authorization: Bearer osa_...)",
    )
    .into_response();
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        header::HeaderValue::from_static("Bearer realm=\"osa\""),
    );
    r
}

/// 429 with `Retry-After`.
fn too_many_writes(user: &str, wait: u64) -> Response {
    let mut r = Problem::new(
        StatusCode::TOO_MANY_REQUESTS,
        format!("too many writes by {user}; wait {wait} seconds"),
    )
    .into_response();
    r.headers_mut()
        .insert(header::RETRY_AFTER, header::HeaderValue::from(wait));
    r
}

/// Whether a request is for a page (read in a browser): anonymous ones go to the sign-in form.
fn is_page(method: &Method, route: &str) -> bool {
    *method == Method::GET && !route.starts_with("/api/")
}

/// A redirect to the sign-in form, coming back to the page asked for.
fn sign_in_first(uri: &axum::http::Uri) -> Response {
    let back = uri.path_and_query().map_or("/", |p| p.as_str());
    let to = format!("/signin?next={}", osa_web::layout::encode(back));
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = header::HeaderValue::from_str(&to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// The feed key of a request for an Atom feed (`GET ....atom?key=osa_feed_...`); a feed key is
/// accepted there only, so it can read feeds and nothing else.
fn feed_key(asked: &Asked, uri: &axum::http::Uri) -> Option<String> {
    let route = asked.route.as_deref()?;
    if asked.method != Method::GET || !route.ends_with(".atom") {
        return None;
    }
    uri.query()?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "key")
        .map(|(_, v)| v.to_string())
}

/// The principal of a request and whether it came by cookie; a bad token or feed key is an
/// error, a missing one is `None`.
async fn who(
    st: &AppState,
    headers: &HeaderMap,
    feed: Option<&str>,
) -> Result<Option<(Principal, bool)>, Problem> {
    if let Some(key) = feed {
        return match st.wb.store().feed_key(key).await.map_err(Problem::from)? {
            Some(p) => Ok(Some((p, false))),
            None => Err(Problem::new(
                StatusCode::UNAUTHORIZED,
                "the feed key is unknown or revoked: make a new one on your account page",
            )
            .field("key")),
        };
    }
    if let Some(tok) = bearer(headers) {
        return match st.wb.store().token(tok).await.map_err(Problem::from)? {
            Some(p) => Ok(Some((p, false))),
            None => Err(Problem::new(
                StatusCode::UNAUTHORIZED,
                "the API token is unknown, revoked or expired",
            )
            .field("Authorization")),
        };
    }
    match session_cookie(headers) {
        Some(c) => Ok(st
            .wb
            .store()
            .session(&c)
            .await
            .map_err(Problem::from)?
            .map(|p| (p, true))),
        None => Ok(None),
    }
}

/// Sign-in attempts allowed per client address per window.
pub const SIGNIN_ATTEMPTS: u32 = 10;
/// The rate-limit window.
pub const SIGNIN_WINDOW: Duration = Duration::from_secs(60);

/// Counts sign-in attempts per client address (in the counters every process shares, on
/// PostgreSQL: see [`crate::limits::Counters`]).
#[derive(Debug, Default)]
pub struct Limiter {
    counters: Arc<crate::limits::Counters>,
}

impl Limiter {
    /// A limiter counting in `counters`.
    pub fn new(counters: Arc<crate::limits::Counters>) -> Limiter {
        Limiter { counters }
    }

    /// Counts an attempt; false when the client is over the limit.
    pub async fn allow(&self, ip: IpAddr) -> bool {
        let s = self
            .counters
            .count(&format!("signin/{ip}"), SIGNIN_WINDOW)
            .await;
        s.n <= i64::from(SIGNIN_ATTEMPTS)
    }
}
