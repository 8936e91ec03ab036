//! The pages of data in by upload: `/releases` (uploaded releases waiting for a reviewer, the
//! upload form; staging and approving by form), the trade page's dataset form
//! (`POST /trade/datasets`, which starts the ingest job) and a job's progress
//! (`/trade/jobs/{id}`). The file itself reaches the server through `POST /api/v1/uploads` (the
//! shared script sends it with a progress bar); the forms carry its SHA-256.

use super::{PageRequest, PageResult, ctx, page, respond, see_other};
use crate::route::Route;
use crate::{AppState, RequestInfo};
use axum::extract::{Extension, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use osa_app::AppError;
use osa_app::workbench::ingest::TradeUpload;
use osa_app::workbench::uploads::ReleaseMeta;
use serde::Deserialize;

/// The upload pages' routes.
pub fn routes() -> Vec<Route> {
    vec![
        route!(
            "GET",
            "/releases",
            get(releases),
            page(
                "Uploaded data releases waiting for review; the upload form",
                "viewer"
            )
        ),
        route!(
            "POST",
            "/releases",
            post(stage),
            page("Stage an uploaded release for review (form)", "analyst")
        ),
        route!(
            "POST",
            "/releases/{upload}/approve",
            post(approve),
            page("Approve an uploaded release (form)", "reviewer")
        ),
        route!(
            "POST",
            "/trade/datasets",
            post(add_dataset),
            page(
                "Register an uploaded trade file: starts its ingest (form)",
                "reviewer"
            )
        ),
        route!(
            "GET",
            "/trade/jobs/{id}",
            get(job),
            page("A trade ingest job's progress", "viewer")
        ),
    ]
}

/// The query of the releases page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AsOf {
    as_of: Option<String>,
    #[allow(dead_code)]
    format: Option<String>,
}

async fn releases(State(st): State<AppState>, r: PageRequest, Query(q): Query<AsOf>) -> PageResult {
    let c = ctx(&st, &r.who, q.as_of.as_deref(), &r.uri).await?;
    let p = osa_web::uploads::build(&st.wb, q.as_of.as_deref()).await?;
    Ok(respond(&c, &p, r.json))
}

/// A refusal shown in the form (the field named), or the error page.
fn field_of(e: AppError) -> Result<(String, String), AppError> {
    match e {
        AppError::Invalid { field, message } => Ok((field, message)),
        AppError::NotFound(m) => Ok(("upload".into(), m)),
        AppError::TooLarge(m) => Ok(("upload".into(), m)),
        e @ AppError::Data { .. } => Ok(("upload".into(), osa_app::error::chain(&e))),
        other => Err(other),
    }
}

/// The release form's fields.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StageForm {
    #[serde(default)]
    upload: String,
    #[serde(default)]
    ecosystem: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    note: String,
}

async fn stage(
    State(st): State<AppState>,
    r: PageRequest,
    Extension(info): Extension<RequestInfo>,
    super::PageForm(f): super::PageForm<StageForm>,
) -> PageResult {
    let staged = async {
        let area = st.wb.uploads()?;
        if f.upload.trim().is_empty() {
            return Err(AppError::invalid("upload", "choose the release's file"));
        }
        let blob = area.blob(f.upload.trim())?;
        let meta = ReleaseMeta {
            ecosystem: f.ecosystem.trim().into(),
            label: f.label.trim().into(),
            note: f.note.trim().into(),
        };
        let r = st
            .wb
            .stage_release(&info.actor(&r.who.name), &r.who, &meta, &blob)
            .await;
        if let Err(AppError::Invalid { .. } | AppError::Data { .. }) = &r {
            area.discard(&blob);
        }
        r
    }
    .await;
    let error = match staged {
        Ok(_) => return Ok(see_other("/releases")),
        Err(e) => field_of(e)?,
    };
    let c = ctx(&st, &r.who, None, &r.uri).await?;
    let mut p = osa_web::uploads::build(&st.wb, None).await?;
    p.error = Some(error);
    Ok(unprocessable(respond(&c, &p, r.json)))
}

fn unprocessable(mut r: Response) -> Response {
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    r
}

async fn approve(
    State(st): State<AppState>,
    r: PageRequest,
    Extension(info): Extension<RequestInfo>,
    Path(upload): Path<String>,
) -> PageResult {
    let pending = st.wb.pending_releases(None).await?;
    let eco = pending
        .iter()
        .find(|p| p.upload == upload)
        .map(|p| p.meta.ecosystem.clone());
    let req = crate::api::diff_request(Vec::new());
    st.wb
        .approve_release(&info.actor(&r.who.name), &r.who, &upload, &req)
        .await?;
    Ok(see_other(&format!(
        "/ecosystems/{}",
        eco.unwrap_or_default()
    )))
}

/// The dataset form's fields.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DatasetForm {
    #[serde(default)]
    upload: String,
    #[serde(default)]
    countries: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    note: String,
}

async fn add_dataset(
    State(st): State<AppState>,
    r: PageRequest,
    Extension(info): Extension<RequestInfo>,
    super::PageForm(f): super::PageForm<DatasetForm>,
) -> PageResult {
    let up = TradeUpload {
        upload: f.upload.trim().into(),
        countries: Some(f.countries.trim().to_string()).filter(|c| !c.is_empty()),
        note: f.note.trim().into(),
    };
    let started = if up.upload.is_empty() {
        Err(AppError::invalid("upload", "choose the trade file"))
    } else {
        st.wb
            .start_trade_upload(&info.actor(&r.who.name), &r.who, f.id.trim(), &up)
            .await
    };
    let error = match started {
        Ok(j) => return Ok(see_other(&format!("/trade/jobs/{}", j.id))),
        Err(e) => field_of(e)?,
    };
    let c = ctx(&st, &r.who, None, &r.uri).await?;
    let mut p = osa_web::trade::build(&st.wb, None).await?;
    p.upload_error = Some(error);
    Ok(unprocessable(respond(&c, &p, r.json)))
}

async fn job(State(st): State<AppState>, r: PageRequest, Path(id): Path<u64>) -> PageResult {
    let c = ctx(&st, &r.who, None, &r.uri).await?;
    let p = osa_web::uploads::JobPage {
        job: st.wb.trade_job(id)?,
    };
    Ok(respond(&c, &p, r.json))
}
