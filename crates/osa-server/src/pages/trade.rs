//! Trade screening's pages: the registered datasets with their runs and the screening form, and
//! one run's products filtered and sorted by the query, downloadable (exactly the rows shown) as
//! CSV, JSON or XLSX through the command line's printers.

use super::{PageError, PageForm, PageRequest, PageResult, cached, ctx, page, respond, see_other};
use crate::problem::Problem;
use crate::route::Route;
use crate::{AppState, RequestInfo};
use axum::extract::{Extension, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use osa_app::AppError;
use osa_app::workbench::runs::ScreenFilter;
use osa_app::workbench::trade::ScreeningRequest;
use osa_view::Format;
use serde::Deserialize;

/// The trade pages' routes.
pub fn routes() -> Vec<Route> {
    vec![
        route!(
            "GET",
            "/trade",
            get(list),
            page(
                "Trade datasets, their screenings, a new screening",
                "viewer"
            )
        ),
        route!(
            "POST",
            "/trade/screenings",
            post(screen),
            page("Screen a dataset and keep the run (form)", "analyst")
        ),
        route!(
            "GET",
            "/trade/screenings/{dataset}/{run}",
            get(screening),
            page(
                "A stored screening, filtered and sorted; CSV, JSON, XLSX",
                "viewer"
            )
        ),
    ]
}

/// The query of the list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AsOf {
    as_of: Option<String>,
    #[allow(dead_code)]
    format: Option<String>,
}

async fn list(State(st): State<AppState>, r: PageRequest, Query(q): Query<AsOf>) -> PageResult {
    let mut c = ctx(&st, &r.who, q.as_of.as_deref(), &r.uri).await?;
    let wb = st.wb.clone();
    cached(&st, &mut c, "trade", r.json, |as_of| async move {
        let rev = wb.revision_of(as_of.as_deref()).await?;
        Ok((rev, osa_web::trade::build(&wb, as_of.as_deref()).await?))
    })
    .await
}

/// The screening form's fields, as typed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScreenForm {
    #[serde(default)]
    dataset: String,
    #[serde(default)]
    importer: String,
    #[serde(default)]
    year: String,
}

impl ScreenForm {
    fn request(&self) -> Result<ScreeningRequest, AppError> {
        let year = match self.year.trim() {
            "" => None,
            y => Some(
                y.parse::<u16>()
                    .map_err(|_| AppError::invalid("year", format!("`{y}` is not a year")))?,
            ),
        };
        Ok(ScreeningRequest {
            importer: Some(self.importer.trim().to_string()).filter(|i| !i.is_empty()),
            year,
            by: Some("product".into()),
            dependent_only: false,
        })
    }
}

async fn screen(
    State(st): State<AppState>,
    r: PageRequest,
    Extension(info): Extension<RequestInfo>,
    PageForm(f): PageForm<ScreenForm>,
) -> PageResult {
    let dataset = f.dataset.trim().to_string();
    let ran = match f.request() {
        Ok(req) => st
            .wb
            .run_screening_kept(&info.actor(&r.who.name), &r.who, &dataset, &req)
            .await
            .map(|(n, _)| n),
        Err(e) => Err(e),
    };
    let error = match ran {
        Ok(n) => return Ok(see_other(&format!("/trade/screenings/{dataset}/{n}"))),
        Err(AppError::Invalid { field, message }) => (field, message),
        Err(AppError::NotFound(m)) => ("dataset".into(), m),
        Err(e @ AppError::Data { .. }) => ("importer".into(), Problem::from(e).detail),
        Err(other) => return Err(other.into()),
    };
    let c = ctx(&st, &r.who, None, &r.uri).await?;
    let mut page = osa_web::trade::build(&st.wb, None).await?;
    page.error = Some(error);
    let mut r = respond(&c, &page, r.json);
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(r)
}

/// The screening page's query: filters, sort, as-of, and a download's format.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScreeningQuery {
    section: Option<String>,
    end_use: Option<String>,
    supplier: Option<String>,
    dependent: Option<String>,
    /// Words in the product's code or description.
    text: Option<String>,
    sort: Option<String>,
    as_of: Option<String>,
    /// `csv`, `json` or `xlsx`: the rows shown as a file.
    download: Option<String>,
    /// The page of the table (from 1).
    page: Option<usize>,
    #[allow(dead_code)]
    format: Option<String>,
}

/// The words a screening's products are filtered by: at most 200 characters.
fn screen_text(text: Option<&str>) -> Result<Option<String>, PageError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) if t.chars().count() > 200 => Err(PageError(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "text: longer than 200 characters",
        ))),
        t => Ok(t.map(str::to_string)),
    }
}

fn not_found(what: &str) -> PageError {
    PageError(Problem::new(
        StatusCode::NOT_FOUND,
        format!("no screening `{what}`"),
    ))
}

async fn screening(
    State(st): State<AppState>,
    r: PageRequest,
    Path((dataset, run)): Path<(String, String)>,
    Query(q): Query<ScreeningQuery>,
) -> PageResult {
    // `3`, or `3.csv` for a download by extension.
    let (number, ext) = match run.split_once('.') {
        Some((n, e)) => (n, Some(e.to_string())),
        None => (run.as_str(), None),
    };
    let number: u32 = number.parse().map_err(|_| not_found(&run))?;
    let filter = ScreenFilter {
        section: q.section.clone(),
        end_use: q.end_use.clone(),
        supplier: q.supplier.clone(),
        dependent: q
            .dependent
            .as_deref()
            .is_some_and(|d| matches!(d, "true" | "on" | "1")),
        text: screen_text(q.text.as_deref())?,
    };
    let mut c = ctx(&st, &r.who, q.as_of.as_deref(), &r.uri).await?;
    let key = format!(
        "screening {dataset} {number} {filter:?} {:?} {:?}",
        q.sort, q.page
    );
    let build = |as_of: Option<String>| {
        let wb = st.wb.clone();
        let sort = q.sort.clone();
        let filter = filter.clone();
        let page_no = q.page.unwrap_or(1).max(1);
        async move {
            let mut page = osa_web::trade::build_screening(
                &wb,
                (&dataset, number),
                filter,
                sort.as_deref(),
                as_of.as_deref(),
            )
            .await?;
            page.page = page_no;
            let rev = wb.revision_of(as_of.as_deref()).await?;
            Ok::<_, PageError>((rev, page))
        }
    };
    match ext.or(q.download.clone()) {
        Some(f) => download(&build(c.as_of.clone()).await?.1, &f),
        None => {
            // Every view of a stored run, as of a revision, is the same: the body is cached.
            cached(&st, &mut c, &key, r.json, build).await
        }
    }
}

/// The rows shown as a file (the command line's printers), as an attachment.
fn download(page: &osa_web::trade::ScreeningPage, format: &str) -> PageResult {
    let err = |e: osa_view::format::RenderError| {
        PageError(Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            e.to_string(),
        ))
    };
    let rows = &page.rows;
    let (media, body): (&str, Vec<u8>) = match format {
        "csv" => (
            "text/csv; charset=utf-8",
            osa_view::trade::render_screen(rows, Format::Csv)
                .map_err(err)?
                .into_bytes(),
        ),
        "json" => (
            "application/json",
            osa_view::trade::render_screen(rows, Format::Json)
                .map_err(err)?
                .into_bytes(),
        ),
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            workbook(page).map_err(err)?,
        ),
        other => {
            return Err(PageError(
                Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("download: `{other}` is not csv, json or xlsx"),
                )
                .field("download"),
            ));
        }
    };
    let name = format!(
        "attachment; filename=\"screening-{}-{}.{format}\"",
        page.dataset, page.number
    );
    let mut r = (StatusCode::OK, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    if let Ok(v) = HeaderValue::from_str(&name) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

/// The rows shown as a workbook: the screen sheet (the CSV's cells) and where they come from.
fn workbook(
    page: &osa_web::trade::ScreeningPage,
) -> Result<Vec<u8>, osa_view::format::RenderError> {
    let csv = osa_view::trade::render_screen(&page.rows, Format::Csv)?;
    let sources = vec![
        (
            "dataset".to_string(),
            format!("{} (screening {})", page.dataset, page.number),
        ),
        (
            "importer".to_string(),
            page.request
                .importer
                .clone()
                .unwrap_or_else(|| "EU27".into()),
        ),
        ("filter".to_string(), describe_filter(&page.filter)),
        (
            "formula".to_string(),
            osa_view::trade::SCREEN_FORMULA.to_string(),
        ),
        (
            "units".to_string(),
            "values in thousand USD (BACI); shares and HHI as fractions 0-1".to_string(),
        ),
        ("osa version".to_string(), env!("CARGO_PKG_VERSION").into()),
        ("written on (UTC)".to_string(), osa_app::baseline::today()),
    ];
    osa_view::xlsx::workbook(
        &[osa_view::xlsx::SheetCsv {
            name: "screen",
            csv: &csv,
        }],
        &sources,
    )
}

fn describe_filter(f: &ScreenFilter) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("HS section", &f.section),
        ("end use", &f.end_use),
        ("top supplier", &f.supplier),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            parts.push(format!("{k} {v}"));
        }
    }
    if f.dependent {
        parts.push("dependent products only".into());
    }
    if let Some(t) = f.text.as_deref().filter(|t| !t.is_empty()) {
        parts.push(format!("products matching \"{t}\""));
    }
    if parts.is_empty() {
        "all products".into()
    } else {
        parts.join(", ")
    }
}
