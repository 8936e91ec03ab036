//! The scenario runner's pages: the stored scenarios and the form proposing a new one (a whole
//! scenario file, reviewed like `POST /api/v1/proposals/files`), a scenario with its run form, a
//! stored run with its chart, and two runs compared. Forms answer 303, or the form again (422)
//! with the field at fault named, having written nothing.

use super::{PageForm, PageRequest, PageResult, ctx, page, respond, see_other};
use crate::route::Route;
use crate::{AppState, RequestInfo};
use axum::extract::{Extension, Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use osa_app::AppError;
use osa_app::workbench::analysis::RunRequest;
use osa_app::workbench::runs::ScenarioDraft;
use osa_web::scenarios::FieldError;
use serde::Deserialize;

/// The scenario pages' routes.
pub fn routes() -> Vec<Route> {
    vec![
        route!(
            "GET",
            "/scenarios",
            get(list),
            page("Scenarios, their runs, a new scenario", "viewer")
        ),
        route!(
            "POST",
            "/scenarios",
            post(propose),
            page("Propose a scenario (form)", "analyst")
        ),
        route!(
            "GET",
            "/scenarios/compare",
            get(compare),
            page("Two scenario runs side by side", "viewer")
        ),
        route!(
            "GET",
            "/scenarios/{id}",
            get(scenario),
            page("A scenario, its runs, the run form", "viewer")
        ),
        route!(
            "POST",
            "/scenarios/{id}/runs",
            post(run),
            page("Run a scenario and keep the run (form)", "analyst")
        ),
        route!(
            "GET",
            "/scenarios/{id}/runs/{run}",
            get(run_page),
            page("A stored scenario run", "viewer")
        ),
    ]
}

/// The query of the list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    as_of: Option<String>,
    /// The proposal just made.
    proposed: Option<i64>,
    #[allow(dead_code)]
    format: Option<String>,
}

/// The query of a reading page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AsOf {
    as_of: Option<String>,
    #[allow(dead_code)]
    format: Option<String>,
}

/// A form's problem as a field error, or the error as a page (not found, forbidden...).
fn field_error(e: AppError) -> Result<FieldError, super::PageError> {
    match e {
        AppError::Invalid { field, message } => Ok(FieldError { field, message }),
        e @ AppError::Data { .. } => Ok(FieldError {
            field: "toml".into(),
            message: crate::problem::Problem::from(e).detail,
        }),
        other => Err(other.into()),
    }
}

/// Why a scenario cannot be proposed now: the proposals open on it, named (listed on the page).
fn already_open(page: &osa_web::scenarios::ScenariosPage, draft: &ScenarioDraft) -> FieldError {
    let id = draft
        .text()
        .map_or_else(|_| draft.id.trim().to_string(), |(id, _)| id);
    let on: Vec<_> = page.open.iter().filter(|p| p.key == id).collect();
    let message = if on.is_empty() {
        format!("scenario `{id}` was published again meanwhile: propose it again")
    } else {
        format!(
            "a proposal on scenario `{id}` is already open ({}, listed above): open it, or wait for its review; the form keeps your values",
            osa_web::files::proposals_words(&on)
        )
    };
    FieldError {
        field: "id".into(),
        message,
    }
}

async fn list(
    State(st): State<AppState>,
    r: PageRequest,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let c = ctx(&st, &r.who, q.as_of.as_deref(), &r.uri).await?;
    let mut page = osa_web::scenarios::build_list(&st.wb, c.as_of.as_deref()).await?;
    page.proposed = q.proposed;
    Ok(respond(&c, &page, r.json))
}

async fn propose(
    State(st): State<AppState>,
    r: PageRequest,
    Extension(info): Extension<RequestInfo>,
    PageForm(draft): PageForm<ScenarioDraft>,
) -> PageResult {
    match st
        .wb
        .propose_scenario(&info.actor(&r.who.name), &r.who, &draft)
        .await
    {
        Ok(p) => Ok(see_other(&format!("/scenarios?proposed={}", p.id))),
        Err(e) => {
            let c = ctx(&st, &r.who, None, &r.uri).await?;
            let mut page = osa_web::scenarios::build_list(&st.wb, None).await?;
            let (error, status) = match e {
                AppError::Store(osa_store::StoreError::Stale { .. }) => {
                    (already_open(&page, &draft), StatusCode::PRECONDITION_FAILED)
                }
                e => (field_error(e)?, StatusCode::UNPROCESSABLE_ENTITY),
            };
            page.draft = draft;
            page.error = Some(error);
            let mut r = respond(&c, &page, r.json);
            *r.status_mut() = status;
            Ok(r)
        }
    }
}

async fn scenario(
    State(st): State<AppState>,
    r: PageRequest,
    Path(id): Path<String>,
    Query(q): Query<AsOf>,
) -> PageResult {
    let c = ctx(&st, &r.who, q.as_of.as_deref(), &r.uri).await?;
    let page = osa_web::scenarios::build_scenario(&st.wb, &id, c.as_of.as_deref()).await?;
    Ok(respond(&c, &page, r.json))
}

/// The run form's fields, as typed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RunForm {
    #[serde(default)]
    draws: String,
    #[serde(default)]
    weeks: String,
    #[serde(default)]
    seed: String,
    #[serde(default)]
    ecosystem: String,
}

fn parsed<T: std::str::FromStr>(field: &str, s: &str) -> Result<Option<T>, AppError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse()
        .map(Some)
        .map_err(|_| AppError::invalid(field, format!("`{t}` is not a whole number")))
}

impl RunForm {
    fn request(&self) -> Result<RunRequest, AppError> {
        Ok(RunRequest {
            draws: parsed("draws", &self.draws)?.unwrap_or(0),
            seed: parsed("seed", &self.seed)?,
            weeks: parsed("weeks", &self.weeks)?,
            ecosystem: Some(self.ecosystem.trim().to_string()).filter(|e| !e.is_empty()),
        })
    }
}

async fn run(
    State(st): State<AppState>,
    r: PageRequest,
    Extension(info): Extension<RequestInfo>,
    Path(id): Path<String>,
    PageForm(f): PageForm<RunForm>,
) -> PageResult {
    let ran = match f.request() {
        Ok(req) => st
            .wb
            .run_scenario_kept(&info.actor(&r.who.name), &r.who, &id, &req)
            .await
            .map(|(n, _)| n),
        Err(e) => Err(e),
    };
    match ran {
        Ok(n) => Ok(see_other(&format!("/scenarios/{id}/runs/{n}"))),
        Err(e) => {
            let error = match e {
                // The scenario exists (its page is built below): the ecosystem named is missing.
                AppError::NotFound(m) if m.starts_with("no ecosystem") => FieldError {
                    field: "ecosystem".into(),
                    message: m,
                },
                e => field_error(e)?,
            };
            let c = ctx(&st, &r.who, None, &r.uri).await?;
            let mut page = osa_web::scenarios::build_scenario(&st.wb, &id, None).await?;
            page.form = RunRequest {
                draws: f.draws.trim().parse().unwrap_or(page.form.draws),
                seed: f.seed.trim().parse().ok(),
                weeks: f.weeks.trim().parse().ok(),
                ecosystem: Some(f.ecosystem.trim().to_string()).filter(|e| !e.is_empty()),
            };
            page.error = Some(error);
            let mut r = respond(&c, &page, r.json);
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
    }
}

async fn run_page(
    State(st): State<AppState>,
    r: PageRequest,
    Path((id, run)): Path<(String, String)>,
    Query(q): Query<AsOf>,
) -> PageResult {
    let number: u32 = run.parse().map_err(|_| {
        crate::problem::Problem::new(StatusCode::NOT_FOUND, format!("no run `{run}` of `{id}`"))
    })?;
    let c = ctx(&st, &r.who, q.as_of.as_deref(), &r.uri).await?;
    let page = osa_web::scenarios::build_run(&st.wb, &id, number, c.as_of.as_deref()).await?;
    Ok(respond(&c, &page, r.json))
}

/// The comparison's query: two runs (`scenario/number`, or a scenario for its latest run).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CompareQuery {
    a: Option<String>,
    b: Option<String>,
    as_of: Option<String>,
    #[allow(dead_code)]
    format: Option<String>,
}

async fn compare(
    State(st): State<AppState>,
    r: PageRequest,
    Query(q): Query<CompareQuery>,
) -> PageResult {
    let c = ctx(&st, &r.who, q.as_of.as_deref(), &r.uri).await?;
    let page = osa_web::scenarios::build_compare(
        &st.wb,
        (q.a.as_deref(), q.b.as_deref()),
        c.as_of.as_deref(),
    )
    .await?;
    Ok(respond(&c, &page, r.json))
}
