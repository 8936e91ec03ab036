//! Panel screening's pages: the form on the trade page runs a panel screening of the record's
//! datasets and keeps it (303 to the run, or the trade page again with the field in error), and
//! one kept run's persistence and churn, filtered by importer.

use super::{PageForm, PageRequest, PageResult, cached, ctx, page, respond, see_other};
use crate::problem::Problem;
use crate::route::Route;
use crate::{AppState, RequestInfo};
use axum::extract::{Extension, Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use osa_app::AppError;
use osa_app::workbench::panels::PanelRunRequest;
use serde::Deserialize;

/// The panel pages' routes.
pub fn routes() -> Vec<Route> {
    vec![
        route!(
            "POST",
            "/trade/panels",
            post(run),
            page(
                "Screen the record's panel and keep the run (form)",
                "analyst"
            )
        ),
        route!(
            "GET",
            "/trade/panels/{run}",
            get(show),
            page(
                "A kept panel screening: persistence, churn and spells",
                "viewer"
            )
        ),
    ]
}

/// The panel form's fields, as typed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PanelForm {
    #[serde(default)]
    importer: String,
    #[serde(default)]
    years: String,
    #[serde(default)]
    method: String,
}

async fn run(
    State(st): State<AppState>,
    r: PageRequest,
    Extension(info): Extension<RequestInfo>,
    PageForm(f): PageForm<PanelForm>,
) -> PageResult {
    let req = PanelRunRequest {
        importer: Some(f.importer),
        years: Some(f.years),
        method: Some(f.method),
    };
    let ran = st
        .wb
        .run_panel(&info.actor(&r.who.name), &r.who, &req)
        .await;
    let error = match ran {
        Ok((n, _)) => return Ok(see_other(&format!("/trade/panels/{n}"))),
        Err(AppError::Invalid { field, message }) => (field, message),
        Err(AppError::NotFound(m)) => ("years".into(), m),
        Err(e @ AppError::Data { .. }) => ("importer".into(), Problem::from(e).detail),
        Err(other) => return Err(other.into()),
    };
    let error = match error {
        (f, m) if f == "importer" => ("panel_importer".to_string(), m),
        other => other,
    };
    let c = ctx(&st, &r.who, None, &r.uri).await?;
    let mut page = osa_web::trade::build(&st.wb, None).await?;
    page.panel_error = Some(error);
    let mut r = respond(&c, &page, r.json);
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(r)
}

/// A kept run's query.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PanelQuery {
    importer: Option<String>,
    as_of: Option<String>,
    #[allow(dead_code)]
    format: Option<String>,
}

async fn show(
    State(st): State<AppState>,
    r: PageRequest,
    Path(run): Path<String>,
    Query(q): Query<PanelQuery>,
) -> PageResult {
    let number: u32 = run.parse().map_err(|_| {
        super::PageError(Problem::new(
            StatusCode::NOT_FOUND,
            format!("no panel run `{run}`"),
        ))
    })?;
    if q.importer.as_ref().is_some_and(|i| i.len() > 40) {
        return Err(AppError::invalid("importer", "at most 40 characters").into());
    }
    let mut c = ctx(&st, &r.who, q.as_of.as_deref(), &r.uri).await?;
    let key = format!("panel {number} {:?}", q.importer);
    let wb = st.wb.clone();
    cached(&st, &mut c, &key, r.json, |as_of| async move {
        let page =
            osa_web::panels::build(&wb, number, q.importer.as_deref(), as_of.as_deref()).await?;
        let rev = wb.revision_of(as_of.as_deref()).await?;
        Ok((rev, page))
    })
    .await
}
