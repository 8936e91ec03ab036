//! The workbench's pages (`osa-web`) served under `/`: each handler reads its view model through
//! `osa-web`'s builder over the application layer and answers it as HTML in the one layout, or as
//! JSON (the same view model) when asked with `?format=json` or `Accept: application/json`.
//! Errors are pages too. Forms post here and answer with a redirect (303) or the form again with
//! the problem named. Every page route is in [`routes`], beside the API's, so the router and the
//! access test see them all.

/// One page route (the modules below use it for theirs).
macro_rules! route {
    ($m:literal, $p:literal, $h:expr, $d:expr) => {
        crate::route::Route {
            method: $m,
            path: $p,
            handler: $h,
            doc: $d,
        }
    };
}

pub mod account;
pub mod apps;
pub mod discussion;
pub mod explorer;
pub mod files;
pub mod panels;
pub mod read;
pub mod records;
pub mod review;
pub mod scenarios;
pub mod session;
pub mod trade;
pub mod uploads;

use crate::AppState;
use crate::problem::Problem;
use crate::route::{Doc, Route};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use osa_store::users::Principal;
use osa_web::{Ctx, Page, User};

/// A page route's documentation (pages are not in the OpenAPI document).
pub(crate) const fn page(summary: &'static str, role: &'static str) -> Doc {
    Doc::new(summary, role)
}

/// Every page route.
pub fn routes() -> Vec<Route> {
    let mut v = base_routes();
    v.extend(review::routes());
    v.extend(files::routes());
    v.extend(account::routes());
    v.extend(records::routes());
    v.extend(discussion::routes());
    v.extend(apps::routes());
    v.extend(explorer::routes());
    v.extend(scenarios::routes());
    v.extend(trade::routes());
    v.extend(panels::routes());
    v.extend(uploads::routes());
    v
}

fn base_routes() -> Vec<Route> {
    vec![
        route!(
            "GET",
            "/",
            get(read::overview),
            page("Overview: the matrix", "viewer")
        ),
        route!(
            "GET",
            "/tech/{id}",
            get(read::dossier),
            page("A technology's dossier", "viewer")
        ),
        route!(
            "GET",
            "/search",
            get(read::search),
            page("Search the record and the report", "viewer")
        ),
        route!(
            "GET",
            "/actors",
            get(records::actors),
            page("Actors to watch", "viewer")
        ),
        route!(
            "GET",
            "/checklist",
            get(read::checklist),
            page("The AI-application checklist", "viewer")
        ),
        route!(
            "GET",
            "/sources",
            get(read::sources),
            page("Sources", "viewer")
        ),
        route!(
            "GET",
            "/method",
            get(read::method),
            page("Method notes", "viewer")
        ),
        route!(
            "GET",
            "/seed",
            get(read::seed),
            page("A passage of the report", "viewer")
        ),
        route!(
            "GET",
            "/assets/{name}",
            get(read::asset),
            page("A stylesheet or script", "public")
        ),
        route!(
            "POST",
            "/signin",
            post(session::sign_in),
            page("Sign in (form)", "public")
        ),
        route!(
            "POST",
            "/signout",
            post(session::sign_out),
            page("Sign out (form)", "viewer")
        ),
    ]
}

/// Whether the client asked for the view model as JSON.
pub(crate) fn wants_json(uri: &Uri, headers: &HeaderMap) -> bool {
    let q = uri.query().unwrap_or("");
    q.split('&').any(|kv| kv == "format=json")
        || headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.starts_with("application/json"))
}

/// What every page handler needs of its request: who asks (the auth middleware put them there),
/// the URI (the page's path and query), and whether the view model is wanted as JSON.
#[derive(Debug)]
pub(crate) struct PageRequest {
    /// Who asks.
    pub who: Principal,
    /// The request's URI.
    pub uri: Uri,
    /// `?format=json` or `Accept: application/json`.
    pub json: bool,
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PageRequest {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, PageError> {
        let who = parts
            .extensions
            .get::<Principal>()
            .cloned()
            .ok_or_else(|| {
                PageError(Problem::new(
                    StatusCode::UNAUTHORIZED,
                    "sign in to read this page",
                ))
            })?;
        Ok(PageRequest {
            json: wants_json(&parts.uri, &parts.headers),
            uri: parts.uri.clone(),
            who,
        })
    }
}

/// The context of a page for a signed-in user: who, the review badge, the as-of argument.
pub(crate) async fn ctx(
    st: &AppState,
    who: &Principal,
    as_of: Option<&str>,
    uri: &Uri,
) -> Result<Ctx, PageError> {
    let user = User {
        name: who.name.clone(),
        role: who.role.as_str().to_string(),
    };
    let as_of = as_of.map(str::trim).filter(|a| !a.is_empty());
    let mut ctx = Ctx::live(Some(user), as_of.map(str::to_string), uri.path());
    ctx.pending = Some(
        st.wb
            .store()
            .count_proposals("open")
            .await
            .map_err(Problem::from)?,
    );
    ctx.since = st.wb.since_last_visit(who).await.ok().map(|s| s.changes);
    ctx.unread = st.wb.unread(who).await.ok();
    Ok(ctx)
}

/// Cached (title, body) by key.
type Bodies = std::collections::HashMap<String, std::sync::Arc<(String, String)>>;

/// Rendered page bodies by (page, as-of, role, revision): a revision never changes, so a body
/// rendered once is the body of every later request for it. Bounded in bytes; cleared when full.
#[derive(Debug, Default)]
pub struct BodyCache {
    inner: std::sync::Mutex<(Bodies, usize)>,
}

impl BodyCache {
    /// The most bytes of bodies kept.
    pub const MAX_BYTES: usize = 32 * 1024 * 1024;

    fn get(&self, key: &str) -> Option<std::sync::Arc<(String, String)>> {
        self.inner.lock().ok()?.0.get(key).cloned()
    }

    fn put(&self, key: String, title: String, body: String) {
        if let Ok(mut g) = self.inner.lock() {
            let size = key.len() + title.len() + body.len();
            if g.1 + size > Self::MAX_BYTES {
                g.0.clear();
                g.1 = 0;
            }
            g.1 += size;
            g.0.insert(key, std::sync::Arc::new((title, body)));
        }
    }
}

/// A reading page through the body cache: `build` runs only when the body of this page, as of
/// this revision, for this role, was not rendered yet. JSON is always built (the view model).
pub(crate) async fn cached<P, F, Fut>(
    st: &AppState,
    ctx: &mut Ctx,
    page_key: &str,
    json: bool,
    build: F,
) -> PageResult
where
    P: Page,
    F: FnOnce(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<(i64, P), PageError>>,
{
    if json {
        let (rev, page) = build(ctx.as_of.clone()).await?;
        ctx.revision = Some(rev);
        return Ok(respond(ctx, &page, true));
    }
    let rev = st.wb.revision_of(ctx.as_of.as_deref()).await?;
    let role = ctx.user.as_ref().map_or("", |u| u.role.as_str());
    let key = format!(
        "{page_key}|{}|{role}|{rev}",
        ctx.as_of.as_deref().unwrap_or("")
    );
    ctx.revision = Some(rev);
    let hit = match st.page_cache.get(&key) {
        Some(hit) => hit,
        None => {
            let (_, page) = build(ctx.as_of.clone()).await?;
            let body = page.body(ctx).into_string();
            st.page_cache.put(key.clone(), page.title(), body);
            st.page_cache.get(&key).ok_or_else(|| {
                PageError(Problem::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "page cache",
                ))
            })?
        }
    };
    let mut r = html(osa_web::layout::document(
        ctx,
        &hit.0,
        maud::PreEscaped(hit.1.clone()),
    ));
    if let Ok(v) = HeaderValue::from_str(&rev.to_string()) {
        r.headers_mut().insert("x-osa-revision", v);
    }
    Ok(r)
}

/// A page as HTML, or its view model as JSON.
pub(crate) fn respond<P: Page>(ctx: &Ctx, page: &P, json: bool) -> Response {
    let mut r = if json {
        match serde_json::to_vec(page) {
            Ok(body) => (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                body,
            )
                .into_response(),
            Err(e) => {
                return PageError(Problem::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    e.to_string(),
                ))
                .into_response();
            }
        }
    } else {
        html(osa_web::render(ctx, page))
    };
    if let Some(rev) = ctx.revision
        && let Ok(v) = HeaderValue::from_str(&rev.to_string())
    {
        r.headers_mut().insert("x-osa-revision", v);
    }
    r
}

/// An HTML response.
pub(crate) fn html(body: String) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}

/// A redirect after a form (303 See Other).
pub(crate) fn see_other(to: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// A problem shown as a page (with its status).
#[derive(Debug)]
pub struct PageError(pub Problem);

impl From<Problem> for PageError {
    fn from(e: Problem) -> PageError {
        PageError(e)
    }
}

impl From<osa_app::AppError> for PageError {
    fn from(e: osa_app::AppError) -> PageError {
        PageError(e.into())
    }
}

impl From<osa_store::StoreError> for PageError {
    fn from(e: osa_store::StoreError) -> PageError {
        PageError(e.into())
    }
}

/// A posted form (urlencoded, bounded by the body limit): one that does not parse is an error
/// page naming the field (`base_version: cannot parse integer from empty string`), not plain text.
#[derive(Debug)]
pub struct PageForm<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for PageForm<T> {
    type Rejection = PageError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, PageError> {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, crate::body::MAX_BODY)
            .await
            .map_err(|e| {
                PageError(Problem::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("the form is too large or unreadable ({e})"),
                ))
            })?;
        let form = std::str::from_utf8(&bytes).map_err(|_| {
            PageError(
                Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "form: is not valid UTF-8")
                    .field("form")
                    .text_refusal(),
            )
        })?;
        crate::text::check_pairs(form, crate::body::MAX_BODY, crate::text::Carrier::Body)
            .map_err(PageError)?;
        let req = axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes));
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(PageForm(v)),
            Err(e) => Err(PageError(Problem::new(
                e.status(),
                e.body_text()
                    .trim_start_matches("Failed to deserialize form body: ")
                    .to_string(),
            ))),
        }
    }
}

/// The result of a page handler.
pub(crate) type PageResult = Result<Response, PageError>;

/// The error page's view model.
#[derive(Debug, serde::Serialize)]
struct ErrorPage<'a> {
    problem: &'a Problem,
}

impl osa_web::Page for ErrorPage<'_> {
    fn title(&self) -> String {
        self.problem.title.clone()
    }
    fn body(&self, _ctx: &Ctx) -> maud::Markup {
        maud::html! {
            h1 { (self.problem.title) }
            p.error role="alert" { (self.problem.detail)
                @if let Some(f) = &self.problem.field { " (field " code { (f) } ")" } }
            p { a href="/" { "Back to the overview" } }
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let ctx = Ctx::live(None, None, "");
        let mut r = html(osa_web::render(&ctx, &ErrorPage { problem: &self.0 }));
        *r.status_mut() = status;
        self.0.mark(&mut r);
        r
    }
}
