//! Routes over the record's other contents: actors and the checklist, the stored ecosystems
//! (metrics, chokepoints, leverage as of any revision), scenarios and their stored runs, events,
//! watchlists (the change log filtered to what a user follows, also as Atom), and checklist
//! assessments of named AI applications (proposed and reviewed like cells).

use crate::body::{Body, Query};
use crate::problem::{ApiResult, Problem};
use crate::{AppState, RequestInfo};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use osa_app::ecosystem::MetricsAnswer;
use osa_app::workbench::analysis::RunRequest;
use osa_app::workbench::panels::PanelRunRequest;
use osa_app::workbench::records::{AppAssessment, Event, Watchlist, kind};
use osa_app::workbench::trade::ScreeningRequest;
use osa_store::users::Principal;
use osa_view::Format;
use serde::Deserialize;

type Who = Extension<Principal>;
type Info = Extension<RequestInfo>;

/// A JSON text rendered by the command line's printer, answered as is.
fn rendered(text: Result<String, osa_view::RenderError>) -> ApiResult<Response> {
    let t = text.map_err(|e| Problem::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], t).into_response())
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActorsQuery {
    as_of: Option<String>,
    technology: Option<String>,
    country: Option<String>,
    kind: Option<String>,
    relevance: Option<String>,
    prc: Option<bool>,
    /// Words the actor's name, role, kind, country or technology holds (any case).
    text: Option<String>,
}

pub(crate) async fn actors(
    State(st): State<AppState>,
    Query(q): Query<ActorsQuery>,
) -> ApiResult<Response> {
    let rev = st.wb.revision_of(q.as_of.as_deref()).await?;
    let b = st.wb.baseline_at(rev).await?;
    let f = osa_app::assess::ActorFilter {
        technology: q.technology,
        country: q.country,
        kind: q.kind,
        relevance: q.relevance,
        prc: q.prc,
        text: q.text,
    };
    let a = osa_app::assess::actors_view(&b, &f)?;
    rendered(osa_view::assess::render_actors(&a, Format::Json))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AsOf {
    as_of: Option<String>,
}

pub(crate) async fn checklist(
    State(st): State<AppState>,
    Query(q): Query<AsOf>,
) -> ApiResult<Response> {
    let rev = st.wb.revision_of(q.as_of.as_deref()).await?;
    let b = st.wb.baseline_at(rev).await?;
    rendered(osa_view::assess::render_checklist(
        &b.checklist,
        Format::Json,
    ))
}

pub(crate) async fn ecosystems(
    State(st): State<AppState>,
    Query(q): Query<AsOf>,
) -> ApiResult<Response> {
    Ok(Json(st.wb.ecosystems(q.as_of.as_deref()).await?).into_response())
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MetricsQuery {
    as_of: Option<String>,
    /// Holders, comma-separated (`EU27,CHN`).
    holder: Option<String>,
    stages: Option<bool>,
}

pub(crate) async fn metrics(
    State(st): State<AppState>,
    Path(name): Path<String>,
    Query(q): Query<MetricsQuery>,
) -> ApiResult<Response> {
    let holders = crate::api::split(q.holder.as_deref()).unwrap_or_default();
    let m = st
        .wb
        .metrics_at(
            &name,
            q.as_of.as_deref(),
            &holders,
            q.stages.unwrap_or(false),
        )
        .await?;
    rendered(match m {
        MetricsAnswer::Stages(rows) => osa_view::ecosystem::render_stages(&rows, Format::Json),
        MetricsAnswer::Inputs { rows, holders } => {
            osa_view::ecosystem::render_metrics(&rows, &holders, Format::Json)
        }
    })
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChokeQuery {
    as_of: Option<String>,
    holder: Option<String>,
    min_share: Option<f64>,
}

pub(crate) async fn chokepoints(
    State(st): State<AppState>,
    Path(name): Path<String>,
    Query(q): Query<ChokeQuery>,
) -> ApiResult<Response> {
    let holder = q.holder.unwrap_or_else(|| "EU27".into());
    let rows = st
        .wb
        .chokepoints_at(
            &name,
            q.as_of.as_deref(),
            &holder,
            q.min_share.unwrap_or(0.5),
        )
        .await?;
    rendered(osa_view::ecosystem::render_chokepoints(&rows, Format::Json))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LeverageQuery {
    as_of: Option<String>,
    a: Option<String>,
    b: Option<String>,
    min_share: Option<f64>,
}

pub(crate) async fn leverage(
    State(st): State<AppState>,
    Path(name): Path<String>,
    Query(q): Query<LeverageQuery>,
) -> ApiResult<Response> {
    let (a, b) = (
        q.a.unwrap_or_else(|| "EU27".into()),
        q.b.unwrap_or_else(|| "CHN".into()),
    );
    let v = st
        .wb
        .leverage_at(
            &name,
            q.as_of.as_deref(),
            (&a, &b),
            q.min_share.unwrap_or(0.25),
        )
        .await?;
    rendered(osa_view::ecosystem::render_leverage(&v, Format::Json))
}

pub(crate) async fn scenarios(
    State(st): State<AppState>,
    Query(q): Query<AsOf>,
) -> ApiResult<Response> {
    Ok(Json(st.wb.scenarios(q.as_of.as_deref()).await?).into_response())
}

pub(crate) async fn runs(
    State(st): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<AsOf>,
) -> ApiResult<Response> {
    Ok(Json(st.wb.scenario_runs(&id, q.as_of.as_deref()).await?).into_response())
}

pub(crate) async fn run(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(p): Who,
    Path(id): Path<String>,
    Body(r): Body<RunRequest>,
) -> ApiResult<Response> {
    let out = st
        .wb
        .run_scenario(&info.actor(&p.name), &p, &id, &r)
        .await?;
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EventsQuery {
    as_of: Option<String>,
    technology: Option<String>,
    actor: Option<String>,
}

pub(crate) async fn events(
    State(st): State<AppState>,
    Query(q): Query<EventsQuery>,
) -> ApiResult<Response> {
    Ok(Json(
        st.wb
            .events(
                q.as_of.as_deref(),
                q.technology.as_deref(),
                q.actor.as_deref(),
            )
            .await?,
    )
    .into_response())
}

pub(crate) async fn add_event(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(p): Who,
    Body(e): Body<Event>,
) -> ApiResult<Response> {
    Ok((
        StatusCode::CREATED,
        Json(st.wb.add_event(&info.actor(&p.name), &p, &e).await?),
    )
        .into_response())
}

pub(crate) async fn watchlists(
    State(st): State<AppState>,
    Extension(p): Who,
) -> ApiResult<Response> {
    Ok(Json(st.wb.watchlists(&p).await?).into_response())
}

pub(crate) async fn put_watchlist(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(p): Who,
    Path(name): Path<String>,
    Body(w): Body<Watchlist>,
) -> ApiResult<Response> {
    Ok(Json(
        st.wb
            .put_watchlist(&info.actor(&p.name), &p, &name, &w)
            .await?,
    )
    .into_response())
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Paging {
    page: Option<u32>,
    per_page: Option<u32>,
}

pub(crate) async fn watchlist_changes(
    State(st): State<AppState>,
    Extension(p): Who,
    Path(name): Path<String>,
    Query(q): Query<Paging>,
) -> ApiResult<Response> {
    let w = st.wb.watchlist(&p, &name).await?;
    let (page, per) = crate::api::paging(q.page, q.per_page)?;
    let items = st
        .wb
        .store()
        .changes(
            Some(&w.subjects),
            i64::from(per),
            i64::from((page - 1) * per),
        )
        .await?;
    Ok(Json(serde_json::json!({ "items": items, "page": page, "per_page": per })).into_response())
}

pub(crate) async fn watchlist_atom(
    State(st): State<AppState>,
    Extension(p): Who,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let w = st.wb.watchlist(&p, &name).await?;
    let items = st.wb.store().changes(Some(&w.subjects), 200, 0).await?;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let path = format!("/api/v1/watchlists/{name}/changes.atom");
    let xml = crate::feed::atom(
        &format!("osa: {name}"),
        &format!("http://{host}"),
        &path,
        &items,
    );
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        xml,
    )
        .into_response())
}

pub(crate) async fn app_assessments(
    State(st): State<AppState>,
    Query(q): Query<AsOf>,
) -> ApiResult<Response> {
    Ok(Json(st.wb.app_assessments(q.as_of.as_deref()).await?).into_response())
}

pub(crate) async fn propose_app(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(p): Who,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(a): Body<AppAssessment>,
) -> ApiResult<Response> {
    let base = match headers.get(header::IF_MATCH) {
        Some(_) => crate::api::if_match(&headers)?,
        None => st
            .wb
            .record_version(kind::APP_ASSESSMENT, &id)
            .await
            .map(|v| if v == 0 { 0 } else { -1 })?,
    };
    if base < 0 {
        return Err(Problem::new(
            StatusCode::PRECONDITION_REQUIRED,
            "this application has an assessment: send If-Match with its version",
        )
        .field("If-Match"));
    }
    let prop = st
        .wb
        .propose_app_assessment(&info.actor(&p.name), &p, &id, base, &a)
        .await?;
    Ok((StatusCode::CREATED, Json(prop)).into_response())
}

pub(crate) async fn datasets(
    State(st): State<AppState>,
    Query(q): Query<AsOf>,
) -> ApiResult<Response> {
    Ok(Json(st.wb.trade_datasets(q.as_of.as_deref()).await?).into_response())
}

pub(crate) async fn screenings(
    State(st): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<AsOf>,
) -> ApiResult<Response> {
    Ok(Json(st.wb.screenings(&id, q.as_of.as_deref()).await?).into_response())
}

pub(crate) async fn screen(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(p): Who,
    Path(id): Path<String>,
    Body(r): Body<ScreeningRequest>,
) -> ApiResult<Response> {
    let run = st
        .wb
        .run_screening(&info.actor(&p.name), &p, &id, &r)
        .await?;
    Ok((StatusCode::CREATED, Json(run)).into_response())
}

pub(crate) async fn panels(
    State(st): State<AppState>,
    Query(q): Query<AsOf>,
) -> ApiResult<Response> {
    Ok(Json(st.wb.panel_runs(q.as_of.as_deref()).await?).into_response())
}

pub(crate) async fn panel(
    State(st): State<AppState>,
    Path(number): Path<u32>,
    Query(q): Query<AsOf>,
) -> ApiResult<Response> {
    Ok(Json(st.wb.panel_run(number, q.as_of.as_deref()).await?).into_response())
}

pub(crate) async fn run_panel(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(p): Who,
    Body(r): Body<PanelRunRequest>,
) -> ApiResult<Response> {
    let (number, _) = st.wb.run_panel(&info.actor(&p.name), &p, &r).await?;
    let kept = st.wb.panel_run(number, None).await?;
    Ok((StatusCode::CREATED, Json(kept)).into_response())
}
