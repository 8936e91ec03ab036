//! The reading pages: overview, dossier, actors, checklist, sources, method, the report's
//! passages, and the assets.

use super::{PageError, PageRequest, PageResult, cached, ctx, respond};
use crate::AppState;
use crate::problem::Problem;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use osa_app::brief::BriefFormat;
use osa_web::library::{ChecklistPage, MethodPage, SourcesPage};
use serde::Deserialize;

/// The query of a reading page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReadQuery {
    as_of: Option<String>,
    /// The overview: mark the cells changed since this date or revision.
    changed_since: Option<String>,
    /// `json` (the view model), or `pdf` / `docx` (the page as a brief).
    format: Option<String>,
}

impl ReadQuery {
    fn brief(&self) -> Option<BriefFormat> {
        self.format.as_deref().and_then(BriefFormat::parse)
    }
}

/// A brief as a download: `osa-NAME-rREV.EXT`.
fn brief_response(name: &str, rev: i64, format: BriefFormat, bytes: Vec<u8>) -> Response {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    let file = format!("osa-{safe}-r{rev}.{}", format.ext());
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.media_type()),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

pub(crate) async fn overview(
    State(st): State<AppState>,
    r: PageRequest,
    Query(q): Query<ReadQuery>,
) -> PageResult {
    if let Some(f) = q.brief() {
        let (rev, bytes) = st
            .wb
            .matrix_brief(q.as_of.as_deref(), f, st.seed.as_deref())
            .await?;
        return Ok(brief_response("matrix", rev, f, bytes));
    }
    let mut c = ctx(&st, &r.who, q.as_of.as_deref(), &r.uri).await?;
    let wb = st.wb.clone();
    let since = q
        .changed_since
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let key = format!("overview since={}", since.as_deref().unwrap_or(""));
    cached(&st, &mut c, &key, r.json, |as_of| async move {
        let (rev, mut page) = osa_web::overview::build(&wb, as_of.as_deref()).await?;
        if let Some(s) = since {
            page.changed =
                osa_web::overview::changed_cells(&wb, &s, Some(&format!("r{rev}"))).await?;
            page.changed_since = Some(s);
        }
        Ok((rev, page))
    })
    .await
}

/// The query of the dossier page: a reading page's, and step 4's priority.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DossierQuery {
    as_of: Option<String>,
    /// `json` (the view model), or `pdf` / `docx` (the dossier as a brief).
    format: Option<String>,
    /// A dimension's id, or empty for the default rule.
    priority: Option<String>,
}

pub(crate) async fn dossier(
    State(st): State<AppState>,
    r: PageRequest,
    Path(id): Path<String>,
    Query(q): Query<DossierQuery>,
) -> PageResult {
    let priority = match q
        .priority
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        Some(p) => Some(p.parse::<osa_assess::Dimension>().map_err(|m| {
            PageError(Problem::new(StatusCode::UNPROCESSABLE_ENTITY, m).field("priority"))
        })?),
        None => None,
    };
    if let Some(f) = q.format.as_deref().and_then(BriefFormat::parse) {
        let (rev, bytes) = st
            .wb
            .dossier_brief((&id, priority), q.as_of.as_deref(), f, st.seed.as_deref())
            .await?;
        return Ok(brief_response(&id, rev, f, bytes));
    }
    let mut c = ctx(&st, &r.who, q.as_of.as_deref(), &r.uri).await?;
    let wb = st.wb.clone();
    let key = format!("tech/{id}|{}", priority.map_or("", |d| d.id()));
    cached(&st, &mut c, &key, r.json, |as_of| async move {
        Ok(osa_web::dossier::build(&wb, &id, as_of.as_deref(), priority).await?)
    })
    .await
}

/// The reference pages, each built from the baseline as of the request.
#[derive(Debug, Clone, Copy)]
enum Reference {
    Checklist,
    Sources,
}

/// A reference page's view model.
#[derive(Debug, serde::Serialize)]
#[serde(untagged)]
enum ReferencePage {
    Checklist(ChecklistPage),
    Sources(SourcesPage),
}

impl osa_web::Page for ReferencePage {
    fn title(&self) -> String {
        match self {
            ReferencePage::Checklist(p) => p.title(),
            ReferencePage::Sources(p) => p.title(),
        }
    }
    fn body(&self, ctx: &osa_web::Ctx) -> maud::Markup {
        match self {
            ReferencePage::Checklist(p) => p.body(ctx),
            ReferencePage::Sources(p) => p.body(ctx),
        }
    }
}

async fn reference(
    st: AppState,
    r: PageRequest,
    which: Reference,
    as_of: Option<String>,
) -> PageResult {
    let mut c = ctx(&st, &r.who, as_of.as_deref(), &r.uri).await?;
    let wb = st.wb.clone();
    let key = format!("{which:?}");
    cached(&st, &mut c, &key, r.json, |as_of| async move {
        let (rev, b) = osa_web::library::build(&wb, as_of.as_deref()).await?;
        let page = match which {
            Reference::Checklist => ReferencePage::Checklist(ChecklistPage {
                checklist: b.checklist.clone(),
            }),
            Reference::Sources => ReferencePage::Sources(SourcesPage {
                sources: osa_app::baseline::cited_sources(&b),
            }),
        };
        Ok((rev, page))
    })
    .await
}

pub(crate) async fn checklist(
    State(st): State<AppState>,
    r: PageRequest,
    Query(q): Query<ReadQuery>,
) -> PageResult {
    reference(st, r, Reference::Checklist, q.as_of).await
}

pub(crate) async fn sources(
    State(st): State<AppState>,
    r: PageRequest,
    Query(q): Query<ReadQuery>,
) -> PageResult {
    reference(st, r, Reference::Sources, q.as_of).await
}

pub(crate) async fn method(State(st): State<AppState>, r: PageRequest) -> PageResult {
    let c = ctx(&st, &r.who, None, &r.uri).await?;
    let page = MethodPage {
        text: osa_web::library::METHOD_NOTES.to_string(),
    };
    Ok(respond(&c, &page, r.json))
}

/// The query of the reader.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SeedQuery {
    lines: String,
    /// `1`: only the passage, for the reader pane.
    fragment: Option<u8>,
    #[allow(dead_code)]
    format: Option<String>,
}

pub(crate) async fn seed(
    State(st): State<AppState>,
    r: PageRequest,
    Query(q): Query<SeedQuery>,
) -> PageResult {
    let text = st.seed.as_ref().ok_or_else(|| {
        PageError(Problem::new(
            StatusCode::NOT_FOUND,
            "the report's text is not configured on this server (osa serve --seed FILE)",
        ))
    })?;
    let passage = text.passage(&q.lines)?;
    if q.fragment == Some(1) {
        return Ok(super::html(
            osa_web::reader::passage(&passage).into_string(),
        ));
    }
    let c = ctx(&st, &r.who, None, &r.uri).await?;
    Ok(respond(&c, &osa_web::reader::SeedPage { passage }, r.json))
}

pub(crate) async fn asset(Path(name): Path<String>) -> Response {
    match osa_web::assets::asset(&name) {
        Some((kind, body)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(kind)),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=3600"),
                ),
            ],
            body,
        )
            .into_response(),
        None => PageError(Problem::new(StatusCode::NOT_FOUND, "no such asset")).into_response(),
    }
}

/// The search page's query.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SearchPageQuery {
    q: Option<String>,
    kind: Option<String>,
    as_of: Option<String>,
    #[allow(dead_code)]
    format: Option<String>,
}

/// `GET /search`: the box, and the hits of a query.
pub(crate) async fn search(
    State(st): State<AppState>,
    r: PageRequest,
    Query(q): Query<SearchPageQuery>,
) -> PageResult {
    let mut c = ctx(&st, &r.who, q.as_of.as_deref(), &r.uri).await?;
    let report_searched = st.seed.is_some();
    let Some(query) = q.q.filter(|s| !s.trim().is_empty()) else {
        let page = osa_web::search::SearchPage {
            results: None,
            report_searched,
        };
        return Ok(respond(&c, &page, r.json));
    };
    let req = osa_app::workbench::find::SearchRequest {
        query,
        kind: q.kind,
        as_of: q.as_of,
        limit: 50,
    };
    let (rev, results) = st.wb.search(&req, st.seed.as_deref()).await?;
    c.revision = Some(rev);
    let page = osa_web::search::SearchPage {
        results: Some(results),
        report_searched,
    };
    Ok(respond(&c, &page, r.json))
}
