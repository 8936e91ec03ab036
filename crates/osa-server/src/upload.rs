//! Data in by upload: the request body streamed into the upload area (`osa_app::intake`) under
//! the SHA-256 of its bytes, bounded (413 past [`osa_app::intake::MAX_TRADE_BYTES`], the partial
//! file removed), then named in the JSON of the route that uses it: a release to stage
//! (`POST /api/v1/releases`), approved by another reviewer (`POST /api/v1/releases/{upload}/approve`),
//! or a trade dataset to ingest in the background (`PUT /api/v1/trade-datasets/{id}`, progress at
//! `GET /api/v1/jobs/{id}`). A BACI CSV can also be the body of
//! `PUT /api/v1/trade-datasets/{id}/csv`, ingested while it arrives. No route takes a path: what a
//! client sends is bytes.

use crate::body::{Body, Query};
use crate::problem::{ApiResult, Problem};
use crate::{AppState, RequestInfo};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use http_body_util::BodyExt;
use osa_app::AppError;
use osa_app::intake::MAX_TRADE_BYTES;
use osa_app::workbench::ingest::TradeUpload;
use osa_app::workbench::receive::CsvStream;
use osa_app::workbench::uploads::ReleaseMeta;
use osa_store::users::{Principal, Role};
use serde::{Deserialize, Serialize};

type Who = Extension<Principal>;
type Info = Extension<RequestInfo>;

/// An accepted upload.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Uploaded {
    /// The SHA-256 of the bytes: the upload's only name, given to the route that uses it.
    pub upload: String,
    /// Size in bytes.
    pub bytes: u64,
}

/// The body's declared size; refused (413) past [`MAX_TRADE_BYTES`] before a byte is read.
fn declared_size(headers: &HeaderMap) -> Result<Option<u64>, Problem> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_TRADE_BYTES) {
        return Err(AppError::TooLarge(format!(
            "the upload is larger than {MAX_TRADE_BYTES} bytes"
        ))
        .into());
    }
    Ok(declared)
}

/// The next piece of a body (`None` at its end).
async fn next_bytes(body: &mut axum::body::Body) -> Result<Option<axum::body::Bytes>, Problem> {
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| {
            Problem::new(
                StatusCode::BAD_REQUEST,
                format!("the body could not be read: {e}"),
            )
        })?;
        if let Ok(data) = frame.into_data() {
            return Ok(Some(data));
        }
    }
    Ok(None)
}

/// Bytes of a request body, streamed into the area; answers the blob.
pub async fn accept_body(
    st: &AppState,
    headers: &HeaderMap,
    body: axum::body::Body,
) -> Result<osa_app::intake::Blob, Problem> {
    let area = st.wb.uploads()?;
    declared_size(headers)?;
    let mut inc = area.begin(MAX_TRADE_BYTES)?;
    let mut body = body;
    while let Some(data) = next_bytes(&mut body).await? {
        inc.write(&data)?;
    }
    if inc.is_empty() {
        return Err(AppError::invalid("body", "the body is empty: send the file's bytes").into());
    }
    tokio::task::spawn_blocking(move || inc.finish())
        .await
        .map_err(|e| Problem::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
        .map_err(Problem::from)
}

/// `POST /api/v1/uploads`: the body's bytes kept under their SHA-256 (analysts and above).
pub(crate) async fn upload(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(p): Who,
    headers: HeaderMap,
    body: axum::body::Body,
) -> ApiResult<Response> {
    st.wb
        .require(&info.actor(&p.name), &p, Role::Analyst, "upload", "uploads")
        .await?;
    let blob = accept_body(&st, &headers, body).await?;
    Ok((
        StatusCode::CREATED,
        Json(Uploaded {
            upload: blob.sha256,
            bytes: blob.bytes,
        }),
    )
        .into_response())
}

/// A release to stage from an upload.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StageRelease {
    /// The upload (SHA-256 from `POST /api/v1/uploads`): an ETO release as .zip or .tar.gz of its
    /// folder, or an osa ecosystem (TOML).
    upload: String,
    /// The ecosystem it is a snapshot of.
    ecosystem: String,
    /// Its label (`eto-2026`).
    label: String,
    /// Why.
    note: String,
}

pub(crate) async fn stage_release(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(p): Who,
    Body(b): Body<StageRelease>,
) -> ApiResult<Response> {
    let area = st.wb.uploads()?;
    let blob = area.blob(&b.upload)?;
    if blob.bytes > osa_app::intake::MAX_RELEASE_BYTES {
        st.wb.discard_upload(&blob);
        return Err(AppError::TooLarge(format!(
            "a release is at most {} bytes",
            osa_app::intake::MAX_RELEASE_BYTES
        ))
        .into());
    }
    let meta = ReleaseMeta {
        ecosystem: b.ecosystem,
        label: b.label,
        note: b.note,
    };
    let staged = st
        .wb
        .stage_release(&info.actor(&p.name), &p, &meta, &blob)
        .await;
    if let Err(AppError::Invalid { .. } | AppError::Data { .. }) = &staged {
        st.wb.discard_upload(&blob);
    }
    Ok((StatusCode::CREATED, Json(staged?)).into_response())
}

pub(crate) async fn pending_releases(State(st): State<AppState>) -> ApiResult<Response> {
    Ok(Json(st.wb.pending_releases(None).await?).into_response())
}

/// What approving a release may add.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Approve {
    /// Holders whose shares monitoring watches (ISO3 or bloc).
    #[serde(default)]
    holders: Vec<String>,
}

pub(crate) async fn approve_release(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(p): Who,
    Path(upload): Path<String>,
    Body(b): Body<Approve>,
) -> ApiResult<Response> {
    let req = crate::api::diff_request(b.holders);
    let rep = st
        .wb
        .approve_release(&info.actor(&p.name), &p, &upload, &req)
        .await?;
    Ok((StatusCode::CREATED, Json(rep)).into_response())
}

pub(crate) async fn register_dataset(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(p): Who,
    Path(id): Path<String>,
    Body(b): Body<TradeUpload>,
) -> ApiResult<Response> {
    let job = st
        .wb
        .start_trade_upload(&info.actor(&p.name), &p, &id, &b)
        .await?;
    let mut r = (StatusCode::ACCEPTED, Json(&job)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/jobs/{}", job.id)) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

/// `PUT /api/v1/trade-datasets/{id}/csv?countries=SHA&note=TEXT`: a BACI CSV as the body,
/// ingested while it arrives; answered once the last byte is kept, with the job (202).
pub(crate) async fn receive_csv(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(p): Who,
    Path(id): Path<String>,
    Query(q): Query<CsvStream>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> ApiResult<Response> {
    let declared = declared_size(&headers)?;
    let mut rx = st
        .wb
        .receive_trade_csv(&info.actor(&p.name), &p, &id, &q, declared)
        .await?;
    let mut body = body;
    while let Some(data) = next_bytes(&mut body).await? {
        rx.write(&data).await?;
    }
    let job = rx.finish().await?;
    let mut r = (StatusCode::ACCEPTED, Json(&job)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/jobs/{}", job.id)) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

pub(crate) async fn job(State(st): State<AppState>, Path(id): Path<u64>) -> ApiResult<Response> {
    Ok(Json(st.wb.trade_job(id)?).into_response())
}
