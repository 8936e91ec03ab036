//! The AI-application checklist's pages: the criteria with the report's reference assessments and
//! the record's, the form to assess a named application (a proposal for review), and one
//! application's assessment beside the references with its history.

use super::{PageError, PageForm, PageRequest, PageResult, ctx, page, respond, see_other};
use crate::problem::Problem;
use crate::route::Route;
use crate::{AppState, RequestInfo};
use axum::extract::{Extension, Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::routing::{get, post};
use osa_app::AppError;
use osa_app::workbench::records::{AppAssessment, Rated, app_key, kind};
use osa_store::users::Principal;
use osa_web::records::FieldError;
use serde::Deserialize;

type Who = Extension<Principal>;

/// The checklist's page routes.
pub fn routes() -> Vec<Route> {
    vec![
        route!(
            "GET",
            "/apps",
            get(apps),
            page(
                "AI apps: the checklist, the report's and the record's assessments",
                "viewer"
            )
        ),
        route!(
            "POST",
            "/apps",
            post(propose),
            page("Propose an AI application's assessment (form)", "analyst")
        ),
        route!(
            "GET",
            "/apps/new",
            get(new_app),
            page("The form to assess an AI application", "analyst")
        ),
        route!(
            "GET",
            "/apps/{id}",
            get(app),
            page(
                "An AI application's assessment beside the report's",
                "viewer"
            )
        ),
    ]
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AppsQuery {
    as_of: Option<String>,
    #[allow(dead_code)]
    format: Option<String>,
}

/// `GET /apps`.
pub(crate) async fn apps(
    State(st): State<AppState>,
    r: PageRequest,
    Query(q): Query<AppsQuery>,
) -> PageResult {
    let mut c = ctx(&st, &r.who, q.as_of.as_deref(), &r.uri).await?;
    let (rev, page) = osa_web::apps::build(&st.wb, c.as_of.as_deref()).await?;
    c.revision = Some(rev);
    Ok(respond(&c, &page, r.json))
}

fn analysts_only(c: &osa_web::Ctx) -> Result<(), PageError> {
    if c.can("analyst") {
        Ok(())
    } else {
        Err(Problem::new(
            StatusCode::FORBIDDEN,
            "assessing an application needs the analyst role",
        )
        .into())
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewQuery {
    /// A published assessment the form starts from (a revised assessment).
    from: Option<String>,
    #[allow(dead_code)]
    format: Option<String>,
}

/// `GET /apps/new` (analysts): empty, or from a published assessment (`?from=ID`).
pub(crate) async fn new_app(
    State(st): State<AppState>,
    r: PageRequest,
    Query(q): Query<NewQuery>,
) -> PageResult {
    let c = ctx(&st, &r.who, None, &r.uri).await?;
    analysts_only(&c)?;
    let from = match q.from.as_deref().filter(|f| !f.is_empty()) {
        Some(id) => Some(
            st.wb
                .app_assessments(None)
                .await?
                .into_iter()
                .find(|s| s.key == id)
                .map(|s| s.value)
                .ok_or_else(|| AppError::NotFound(format!("no published assessment `{id}`")))?,
        ),
        None => None,
    };
    let page = osa_web::apps::form(&st.wb, from, None).await?;
    Ok(respond(&c, &page, r.json))
}

/// The assessment a form describes, in the checklist's order (unrated criteria left out).
fn assessment_of(
    pairs: &[(String, String)],
    criteria: &[String],
) -> (AppAssessment, Option<FieldError>) {
    let mut a = AppAssessment {
        name: String::new(),
        firm: String::new(),
        country: String::new(),
        ratings: Vec::new(),
        note: String::new(),
    };
    let mut bad = None;
    let get = |prefix: &str, id: &str| {
        pairs
            .iter()
            .find(|(k, _)| k.strip_prefix(prefix) == Some(id))
            .map_or(String::new(), |(_, v)| v.trim().to_string())
    };
    for (k, v) in pairs {
        match k.as_str() {
            "name" => a.name = v.trim().to_string(),
            "firm" => a.firm = v.trim().to_string(),
            "country" => a.country = v.trim().to_uppercase(),
            "note" => a.note = v.trim().to_string(),
            other => {
                let known = ["rating-", "text-", "source-"].iter().any(|p| {
                    other
                        .strip_prefix(p)
                        .is_some_and(|id| criteria.iter().any(|c| c == id))
                });
                if !known {
                    bad = Some(FieldError {
                        field: other.to_string(),
                        message: "not a field of this form".into(),
                    });
                }
            }
        }
    }
    for id in criteria {
        let rating = get("rating-", id);
        if !rating.is_empty() {
            a.ratings.push(Rated {
                criterion: id.clone(),
                rating,
                text: get("text-", id),
                source: get("source-", id),
            });
        }
    }
    (a, bad)
}

/// A form's problem, or another error shown as a page.
fn form_error(e: AppError) -> Result<FieldError, PageError> {
    match e {
        AppError::Invalid { field, message } => Ok(FieldError { field, message }),
        other => Err(other.into()),
    }
}

/// Why an application cannot be assessed now: the assessments open on it, named.
async fn already_open(st: &AppState, id: &str) -> Result<FieldError, PageError> {
    let open = st
        .wb
        .open_proposals_on_file(kind::APP_ASSESSMENT, Some(id))
        .await?;
    let on: Vec<_> = open.iter().collect();
    let message = if on.is_empty() {
        "its assessment was published again meanwhile: propose it again".to_string()
    } else {
        format!(
            "an assessment of this application is already open ({}, listed above): open it, or wait for its review; the form keeps your values",
            osa_web::files::proposals_words(&on)
        )
    };
    Ok(FieldError {
        field: "name".into(),
        message,
    })
}

/// `POST /apps`: proposes the assessment and shows it (awaiting review), or the form again.
pub(crate) async fn propose(
    State(st): State<AppState>,
    Extension(info): Extension<RequestInfo>,
    Extension(who): Who,
    uri: Uri,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> PageResult {
    let b = st.wb.baseline_at(st.wb.store().head().await?).await?;
    let criteria: Vec<String> = b.checklist.criteria.iter().map(|c| c.id.clone()).collect();
    let (a, bad) = assessment_of(&pairs, &criteria);
    let id = app_key(&a.name);
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    let err = match bad {
        Some(b) => b,
        None if id.is_empty() && who.role >= osa_store::users::Role::Analyst => FieldError {
            field: "name".into(),
            message: "give the application's name (letters or digits)".into(),
        },
        None => {
            let base = st.wb.record_version(kind::APP_ASSESSMENT, &id).await?;
            match st
                .wb
                .propose_app_assessment(&info.actor(&who.name), &who, &id, base, &a)
                .await
            {
                Ok(_) => return Ok(see_other(&format!("/apps/{id}"))),
                Err(AppError::Store(osa_store::StoreError::Stale { .. })) => {
                    status = StatusCode::PRECONDITION_FAILED;
                    already_open(&st, &id).await?
                }
                Err(x) => form_error(x)?,
            }
        }
    };
    let c = ctx(&st, &who, None, &uri).await?;
    let page = osa_web::apps::form(&st.wb, Some(a), Some(err)).await?;
    let mut r = respond(&c, &page, false);
    *r.status_mut() = status;
    Ok(r)
}

/// `GET /apps/{id}`.
pub(crate) async fn app(
    State(st): State<AppState>,
    r: PageRequest,
    Path(id): Path<String>,
    Query(q): Query<AppsQuery>,
) -> PageResult {
    osa_app::workbench::records::check_key("id", &id)?;
    let mut c = ctx(&st, &r.who, q.as_of.as_deref(), &r.uri).await?;
    let (rev, page) = osa_web::apps::app(&st.wb, &id, c.as_of.as_deref()).await?;
    c.revision = Some(rev);
    Ok(respond(&c, &page, r.json))
}
