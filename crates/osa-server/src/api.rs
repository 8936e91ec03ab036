//! The routes of `/api/v1`, each a short adapter: parse (path, query, body), call one use case of
//! the workbench, render JSON. The JSON of reads is the command line's (`osa matrix --format
//! json`, `osa assess ID --format json`); the revision read is in the `x-osa-revision` header.

use crate::body::{Body, Query};
use crate::problem::{ApiResult, Problem};
use crate::{AppState, RequestInfo, auth};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use osa_app::workbench::cells::CellChange;
use osa_store::proposals::Decision;
use osa_store::users::{Principal, Role};
use serde::{Deserialize, Serialize};

/// 404 for anything else.
pub async fn not_found() -> Problem {
    Problem::new(StatusCode::NOT_FOUND, "no such route")
}

type Who = Extension<Principal>;
type Info = Extension<RequestInfo>;

fn with_revision(rev: i64, body: impl Serialize) -> Response {
    let mut r = Json(body).into_response();
    if let Ok(v) = HeaderValue::from_str(&rev.to_string()) {
        r.headers_mut().insert("x-osa-revision", v);
    }
    r
}

pub(crate) async fn health(State(st): State<AppState>) -> ApiResult<Json<serde_json::Value>> {
    let head = st.wb.store().head().await?;
    Ok(Json(
        serde_json::json!({ "status": "ok", "revision": head }),
    ))
}

// ------------------------------------------------------------------------------ session

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SignIn {
    name: String,
    password: String,
}

/// The session cookie (an empty value with max-age 0 ends it).
pub(crate) fn cookie(st: &AppState, value: &str, max_age: u64) -> HeaderValue {
    let secure = if st.secure_cookies { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}",
        auth::COOKIE
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub(crate) async fn sign_in(
    State(st): State<AppState>,
    Extension(info): Info,
    Body(b): Body<SignIn>,
) -> ApiResult<Response> {
    let (secret, p) = sign_in_checked(&st, &info, &b.name, &b.password).await?;
    let mut r = Json(&p).into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        cookie(&st, &secret, st.session_ttl.as_secs()),
    );
    Ok(r)
}

/// Signs a user in, rate-limited per client address: the session's secret and who.
pub(crate) async fn sign_in_checked(
    st: &AppState,
    info: &RequestInfo,
    name: &str,
    password: &str,
) -> ApiResult<(String, Principal)> {
    let ip = info
        .client
        .parse()
        .unwrap_or(std::net::IpAddr::from([0, 0, 0, 0]));
    let actor = info.actor(name);
    if !st.limiter.allow(ip).await {
        auth::audit_refusal(
            st,
            &actor,
            "signin",
            &format!("user/{name}"),
            "rate limited",
        )
        .await;
        return Err(Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "too many sign-in attempts from {}; wait {} seconds",
                info.client,
                auth::SIGNIN_WINDOW.as_secs()
            ),
        ));
    }
    st.wb
        .store()
        .sign_in(&actor, name, password, st.session_ttl)
        .await
        .map_err(|e| match e {
            osa_store::StoreError::Refused(m) => Problem::new(StatusCode::UNAUTHORIZED, m),
            other => other.into(),
        })
}

pub(crate) async fn whoami(Extension(p): Who) -> Json<Principal> {
    Json(p)
}

pub(crate) async fn sign_out(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(p): Who,
    headers: HeaderMap,
) -> ApiResult<Response> {
    if let Some(c) = auth::session_cookie(&headers) {
        st.wb.store().sign_out(&info.actor(&p.name), &c).await?;
    }
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, cookie(&st, "", 0));
    Ok(r)
}

// ------------------------------------------------------------------------------ reads

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AsOfQuery {
    as_of: Option<String>,
}

pub(crate) async fn matrix(
    State(st): State<AppState>,
    Query(q): Query<AsOfQuery>,
) -> ApiResult<Response> {
    let (rev, json) = st.wb.matrix_json(q.as_of.as_deref()).await?;
    Ok(json_bytes(rev, json, None))
}

/// Cached JSON bytes with the revision read and, for one technology, its ETag.
fn json_bytes(rev: i64, json: std::sync::Arc<Vec<u8>>, etag: Option<i64>) -> Response {
    let mut r = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        axum::body::Bytes::from_owner(ArcBytes(json)),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&rev.to_string()) {
        r.headers_mut().insert("x-osa-revision", v);
    }
    if let Some(e) = etag
        && let Ok(v) = HeaderValue::from_str(&format!("\"{e}\""))
    {
        r.headers_mut().insert(header::ETAG, v);
    }
    r
}

/// Shares cached JSON with the response body without copying it.
struct ArcBytes(std::sync::Arc<Vec<u8>>);

impl AsRef<[u8]> for ArcBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

pub(crate) async fn technologies(
    State(st): State<AppState>,
    Query(q): Query<AsOfQuery>,
) -> ApiResult<Response> {
    let rev = st.wb.revision_of(q.as_of.as_deref()).await?;
    Ok(with_revision(rev, st.wb.technologies(rev).await?))
}

pub(crate) async fn dossier(
    State(st): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<AsOfQuery>,
) -> ApiResult<Response> {
    let (rev, _, version, json) = st.wb.dossier_json(&id, q.as_of.as_deref()).await?;
    Ok(json_bytes(rev, json, Some(version)))
}

pub(crate) async fn cell_history(
    State(st): State<AppState>,
    Path((id, dim)): Path<(String, String)>,
) -> ApiResult<Response> {
    Ok(Json(st.wb.cell_history(&id, &dim).await?).into_response())
}

// ------------------------------------------------------------------------------ proposals

/// The version in an `If-Match` header (`"12"` or `W/"12"`).
pub(crate) fn if_match(headers: &HeaderMap) -> ApiResult<i64> {
    let v = headers.get(header::IF_MATCH).ok_or_else(|| {
        Problem::new(
            StatusCode::PRECONDITION_REQUIRED,
            "send If-Match with the ETag of the technology you read",
        )
        .field("If-Match")
    })?;
    v.to_str()
        .ok()
        .map(|s| s.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| {
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "If-Match: not an ETag of osa (\"12\")",
            )
            .field("If-Match")
        })
}

pub(crate) async fn propose(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(p): Who,
    Path((id, dim)): Path<(String, String)>,
    headers: HeaderMap,
    Body(change): Body<CellChange>,
) -> ApiResult<Response> {
    let base = if_match(&headers)?;
    let prop = st
        .wb
        .propose_cell(&info.actor(&p.name), &p, (&id, &dim), base, &change)
        .await?;
    Ok((StatusCode::CREATED, Json(prop)).into_response())
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    status: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
}

/// A page of a list.
#[derive(Debug, Serialize)]
struct Page<T> {
    items: Vec<T>,
    page: u32,
    per_page: u32,
}

pub(crate) fn paging(page: Option<u32>, per_page: Option<u32>) -> ApiResult<(u32, u32)> {
    let page = page.unwrap_or(1);
    let per = per_page.unwrap_or(50);
    if page == 0 || page > 1_000_000 {
        return Err(Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "page: from 1").field("page"));
    }
    if per == 0 || per > 200 {
        return Err(
            Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "per_page: 1 to 200").field("per_page"),
        );
    }
    Ok((page, per))
}

pub(crate) async fn proposals(
    State(st): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Response> {
    let (page, per) = paging(q.page, q.per_page)?;
    if let Some(s) = &q.status
        && !["open", "approved", "rejected", "withdrawn"].contains(&s.as_str())
    {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "status: open, approved, rejected or withdrawn",
        )
        .field("status"));
    }
    let items = st
        .wb
        .store()
        .proposals(
            q.status.as_deref(),
            None,
            i64::from(per),
            i64::from((page - 1) * per),
        )
        .await?;
    Ok(Json(Page {
        items,
        page,
        per_page: per,
    })
    .into_response())
}

pub(crate) async fn proposal(
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    Ok(Json(st.wb.store().proposal(id).await?).into_response())
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Review {
    comment: String,
}

pub(crate) async fn decide(
    st: &AppState,
    info: &RequestInfo,
    p: &Principal,
    id: i64,
    d: Decision,
    comment: &str,
) -> ApiResult<Response> {
    if comment.len() > 20_000 {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "comment: at most 20,000 bytes",
        )
        .field("comment"));
    }
    let (prop, rev) = st
        .wb
        .review(&info.actor(&p.name), p, id, d, comment)
        .await?;
    Ok(Json(serde_json::json!({ "proposal": prop, "revision": rev })).into_response())
}

pub(crate) async fn approve(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(p): Who,
    Path(id): Path<i64>,
    Body(r): Body<Review>,
) -> ApiResult<Response> {
    decide(&st, &info, &p, id, Decision::Approve, &r.comment).await
}

pub(crate) async fn reject(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(p): Who,
    Path(id): Path<i64>,
    Body(r): Body<Review>,
) -> ApiResult<Response> {
    decide(&st, &info, &p, id, Decision::Reject, &r.comment).await
}

pub(crate) async fn rebase(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(p): Who,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    Ok(Json(st.wb.rebase(&info.actor(&p.name), &p, id).await?).into_response())
}

// ------------------------------------------------------------------------------ history, monitoring

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DiffQuery {
    from: String,
    to: Option<String>,
}

pub(crate) async fn diff(
    State(st): State<AppState>,
    Extension(p): Who,
    Query(q): Query<DiffQuery>,
) -> ApiResult<Response> {
    Ok(Json(st.wb.diff_for(&p, Some(&q.from), q.to.as_deref()).await?).into_response())
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChangesQuery {
    /// Subjects, comma-separated (`technology/6g,ecosystem/semiconductors`).
    subject: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
    /// A feed key (read by the authentication, for the Atom feed).
    #[allow(dead_code)]
    key: Option<String>,
}

pub(crate) async fn changes(
    State(st): State<AppState>,
    Query(q): Query<ChangesQuery>,
) -> ApiResult<Response> {
    let (page, per) = paging(q.page, q.per_page)?;
    let items = st
        .wb
        .store()
        .changes(
            split(q.subject.as_deref()).as_deref(),
            i64::from(per),
            i64::from((page - 1) * per),
        )
        .await?;
    Ok(Json(Page {
        items,
        page,
        per_page: per,
    })
    .into_response())
}

pub(crate) async fn changes_atom(
    State(st): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ChangesQuery>,
) -> ApiResult<Response> {
    let items = st
        .wb
        .store()
        .changes(split(q.subject.as_deref()).as_deref(), 200, 0)
        .await?;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let xml = crate::feed::atom(
        "osa: what changed",
        &format!("http://{host}"),
        "/api/v1/changes.atom",
        &items,
    );
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        xml,
    )
        .into_response())
}

/// What a release is compared with its predecessor on: the holders watched.
pub(crate) fn diff_request(holders: Vec<String>) -> osa_app::ecosystem::DiffRequest {
    osa_app::ecosystem::DiffRequest {
        holders,
        bloc_definitions: Vec::new(),
        thresholds: osa_ecosystem_thresholds(),
        old_year: None,
        new_year: None,
    }
}

fn osa_ecosystem_thresholds() -> osa_app::ecosystem::Thresholds {
    osa_app::ecosystem::Thresholds::default()
}

// ------------------------------------------------------------------------------ admin

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuditQuery {
    before: Option<i64>,
    per_page: Option<u32>,
}

pub(crate) async fn audit(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(p): Who,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Response> {
    st.wb
        .require(&info.actor(&p.name), &p, Role::Admin, "audit.read", "audit")
        .await?;
    let (_, per) = paging(None, q.per_page)?;
    Ok(Json(
        st.wb
            .store()
            .audit_entries(q.before, i64::from(per))
            .await?,
    )
    .into_response())
}

pub(crate) async fn audit_verify(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(p): Who,
) -> ApiResult<Response> {
    st.wb
        .require(
            &info.actor(&p.name),
            &p,
            Role::Admin,
            "audit.verify",
            "audit",
        )
        .await?;
    Ok(Json(st.wb.store().verify_audit().await?).into_response())
}

pub(crate) async fn users(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(p): Who,
) -> ApiResult<Response> {
    st.wb
        .require(&info.actor(&p.name), &p, Role::Admin, "user.list", "users")
        .await?;
    Ok(Json(st.wb.store().users().await?).into_response())
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewUser {
    name: String,
    role: String,
    password: String,
}

fn role(field: &str, s: &str) -> ApiResult<Role> {
    Role::parse(s).ok_or_else(|| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("{field}: `{s}` is not a role (viewer, analyst, reviewer, admin)"),
        )
        .field(field)
    })
}

pub(crate) async fn add_user(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(p): Who,
    Body(b): Body<NewUser>,
) -> ApiResult<Response> {
    let actor = info.actor(&p.name);
    st.wb
        .require(
            &actor,
            &p,
            Role::Admin,
            "user.add",
            &format!("user/{}", b.name),
        )
        .await?;
    let u = st
        .wb
        .store()
        .add_user(&actor, &b.name, role("role", &b.role)?, Some(b.password))
        .await?;
    Ok((StatusCode::CREATED, Json(u)).into_response())
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewToken {
    label: String,
    role: Option<String>,
    days: Option<u32>,
}

pub(crate) async fn create_token(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(p): Who,
    Body(b): Body<NewToken>,
) -> ApiResult<Response> {
    let made = st
        .wb
        .make_token(
            &info.actor(&p.name),
            &p,
            &b.label,
            b.role.as_deref(),
            b.days,
        )
        .await?;
    let (tok, r, days) = (made.token, made.role, made.days);
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "token": tok, "role": r, "days": days })),
    )
        .into_response())
}

pub(crate) async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], crate::OPENAPI).into_response()
}

/// A proposal of a whole file.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileProposal {
    /// `baseline` or `scenario`.
    kind: String,
    /// `toolkit.toml`, `countries.toml`, `cases/6g.toml`, a scenario id.
    key: String,
    /// The version the text was edited from (its ETag; 0 for a new file).
    base_version: i64,
    /// The whole new text.
    text: String,
    /// Why.
    note: String,
}

pub(crate) async fn propose_file(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(p): Who,
    Body(b): Body<FileProposal>,
) -> ApiResult<Response> {
    let prop = st
        .wb
        .propose_file(
            &info.actor(&p.name),
            &p,
            (&b.kind, &b.key),
            b.base_version,
            &b.text,
            &b.note,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(prop)).into_response())
}

/// A stored file as of a revision.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub(crate) struct FileView {
    kind: String,
    key: String,
    /// Its version (ETag).
    version: i64,
    /// Its text.
    text: String,
    /// The proposals open on it now (a new text is proposed once they are decided, or brought
    /// up to date after), oldest first.
    open_proposals: Vec<i64>,
}

/// A stored file; another user's watchlist is answered 404, as if it did not exist.
pub(crate) async fn file(
    State(st): State<AppState>,
    Extension(p): Who,
    Path((kind, key)): Path<(String, String)>,
    Query(q): Query<AsOfQuery>,
) -> ApiResult<Response> {
    let rev = st.wb.revision_of(q.as_of.as_deref()).await?;
    let readable = osa_app::workbench::records::readable_by(&kind, &key, &p);
    let found = match readable {
        true => st.wb.store().doc(&kind, &key, rev).await?,
        false => None,
    };
    let d = found.ok_or_else(|| {
        Problem::new(
            StatusCode::NOT_FOUND,
            format!("no file {kind}/{key} at revision {rev}"),
        )
    })?;
    let open = st.wb.open_proposals_on_file(&kind, Some(&key)).await?;
    let mut r = with_revision(
        rev,
        FileView {
            kind: d.kind,
            key: d.key,
            version: d.version,
            text: d.body,
            open_proposals: open.iter().map(|p| p.id).collect(),
        },
    );
    if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", d.version)) {
        r.headers_mut().insert(header::ETAG, v);
    }
    Ok(r)
}

pub(crate) async fn revoke_token(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(p): Who,
    Path(label): Path<String>,
) -> ApiResult<Response> {
    let n = st
        .wb
        .store()
        .revoke_tokens(&info.actor(&p.name), &p.name, &label)
        .await?;
    if n == 0 {
        return Err(Problem::new(
            StatusCode::NOT_FOUND,
            format!("you have no token labelled `{label}`"),
        ));
    }
    Ok(Json(serde_json::json!({ "revoked": n })).into_response())
}

pub(crate) async fn change(State(st): State<AppState>, Path(id): Path<i64>) -> ApiResult<Response> {
    Ok(Json(st.wb.store().change(id).await?).into_response())
}

/// A comma-separated query value as a list (`None` when absent).
pub(crate) fn split(v: Option<&str>) -> Option<Vec<String>> {
    v.map(|s| {
        s.split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(String::from)
            .collect()
    })
}

/// The query of a search.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SearchQuery {
    /// The words to find (at most 200 characters).
    q: String,
    /// Only hits of one kind: technology, rationale, evidence, actor, event, input, product,
    /// scenario, proposal, report.
    kind: Option<String>,
    /// As of a revision (`r12`) or time; empty: the latest.
    as_of: Option<String>,
    /// The most hits (default 20, at most 100).
    limit: Option<usize>,
}

impl SearchQuery {
    /// The application layer's request.
    pub(crate) fn request(self) -> osa_app::workbench::find::SearchRequest {
        osa_app::workbench::find::SearchRequest {
            query: self.q,
            kind: self.kind,
            as_of: self.as_of,
            limit: self.limit.unwrap_or(20),
        }
    }
}

pub(crate) async fn search(
    State(st): State<AppState>,
    Query(q): Query<SearchQuery>,
) -> ApiResult<Response> {
    let (rev, results) = st.wb.search(&q.request(), st.seed.as_deref()).await?;
    Ok(with_revision(rev, results))
}
