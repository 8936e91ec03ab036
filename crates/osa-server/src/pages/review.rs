//! Propose and review in the browser: the cell form, the reviewer's queue, one proposal with its
//! decision form, a cell's history. Each post calls the same use case as the API
//! (`propose_cell`, `review`), then redirects (303) or shows the form again naming the field.

use super::{PageError, PageForm, PageRequest, PageResult, ctx, page, respond, see_other};
use crate::problem::Problem;
use crate::route::Route;
use crate::{AppState, RequestInfo};
use axum::extract::{Extension, Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use osa_assess::Dimension;
use osa_store::proposals::Decision;
use osa_store::users::Principal;
use osa_web::review::{CellForm, FieldError, HistoryPage, ProposalPage, ProposePage, QueuePage};
use serde::Deserialize;

/// The routes of proposing and reviewing.
pub fn routes() -> Vec<Route> {
    vec![
        route!(
            "GET",
            "/tech/{id}/{dimension}/propose",
            get(propose_form),
            page("The form to propose a change to a cell", "viewer")
        ),
        route!(
            "POST",
            "/tech/{id}/{dimension}/propose",
            post(propose),
            page("Propose a change to a cell (analysts)", "viewer")
        ),
        route!(
            "GET",
            "/tech/{id}/{dimension}/history",
            get(history),
            page("A cell's history", "viewer")
        ),
        route!(
            "GET",
            "/review",
            get(queue),
            page("The review queue", "viewer")
        ),
        route!(
            "GET",
            "/review/{id}",
            get(proposal),
            page(
                "A proposal of any kind, before and after field by field, and what approving it changes in what is published",
                "viewer"
            )
        ),
        route!(
            "POST",
            "/review/{id}",
            post(decide),
            page("Approve or reject a proposal (reviewers)", "viewer")
        ),
        route!(
            "POST",
            "/review/{id}/rebase",
            post(rebase),
            page("Bring a proposal up to date (its author)", "viewer")
        ),
    ]
}

type Who = Extension<Principal>;
type Info = Extension<RequestInfo>;

fn dimension(d: &str) -> Result<Dimension, PageError> {
    d.parse::<Dimension>()
        .map_err(|m| PageError(Problem::new(StatusCode::NOT_FOUND, m).field("dimension")))
}

fn field_error(p: &Problem) -> FieldError {
    let field = p.field.clone().unwrap_or_else(|| "request".into());
    let message = p
        .detail
        .strip_prefix(&format!("{field}: "))
        .unwrap_or(&p.detail)
        .to_string();
    FieldError { field, message }
}

/// The propose page for a cell, with the form's values.
async fn propose_page(
    st: &AppState,
    id: &str,
    dim: Dimension,
    form: Option<CellForm>,
) -> Result<ProposePage, PageError> {
    let head = st.wb.store().head().await?;
    let b = st.wb.baseline_at(head).await?;
    let t = osa_app::assess::find(&b, id)?;
    let current = osa_view::assess::judged_cell(t.judged(dim));
    let (_, version) = st.wb.technology_version(id, head).await?;
    let form = form.unwrap_or_else(|| CellForm::for_cell(&current, version));
    let open = st.wb.open_proposals_on(id, dim.id()).await?;
    Ok(ProposePage {
        open,
        technology: id.to_string(),
        name: t.name.clone(),
        dimension: dim.id().to_string(),
        dimension_name: dim.name().to_string(),
        current,
        form,
        error: None,
    })
}

async fn propose_form(
    State(st): State<AppState>,
    r: PageRequest,
    Path((id, d)): Path<(String, String)>,
) -> PageResult {
    let c = ctx(&st, &r.who, None, &r.uri).await?;
    let p = propose_page(&st, &id, dimension(&d)?, None).await?;
    Ok(respond(&c, &p, r.json))
}

async fn propose(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(who): Who,
    Path((id, d)): Path<(String, String)>,
    uri: Uri,
    PageForm(f): PageForm<CellForm>,
) -> PageResult {
    let dim = dimension(&d)?;
    let made = match f.to_change() {
        Ok(change) => st
            .wb
            .propose_cell(
                &info.actor(&who.name),
                &who,
                (&id, dim.id()),
                f.base_version,
                &change,
            )
            .await
            .map_err(Problem::from),
        Err(e) => Err(Problem::new(StatusCode::UNPROCESSABLE_ENTITY, e.message).field(e.field)),
    };
    match made {
        Ok(p) => Ok(see_other(&format!("/review/{}", p.id))),
        Err(problem) => {
            let c = ctx(&st, &who, None, &uri).await?;
            let stale = problem.status() == StatusCode::PRECONDITION_FAILED;
            let mut page = propose_page(&st, &id, dim, Some(f)).await?;
            page.error = Some(if stale && page.open.is_empty() {
                // The file moved since the form was opened: the form now stands on the version
                // published, with the analyst's values kept; proposing again is one click.
                let head = st.wb.store().head().await?;
                page.form.base_version = st.wb.technology_version(&id, head).await?.1;
                FieldError {
                    field: "base_version".into(),
                    message: "the technology was published again since you opened this form; the cell as published now is on the left, your values are kept: check them and propose again".into(),
                }
            } else if stale {
                FieldError {
                    field: "request".into(),
                    message: "a proposal is already open on this cell (listed above): open it, or wait for its review".into(),
                }
            } else {
                field_error(&problem)
            });
            let mut r = respond(&c, &page, false);
            *r.status_mut() = problem.status();
            Ok(r)
        }
    }
}

async fn history(
    State(st): State<AppState>,
    r: PageRequest,
    Path((id, d)): Path<(String, String)>,
) -> PageResult {
    let dim = dimension(&d)?;
    let c = ctx(&st, &r.who, None, &r.uri).await?;
    let steps = st.wb.cell_timeline(&id, dim.id()).await?;
    let head = st.wb.store().head().await?;
    let b = st.wb.baseline_at(head).await?;
    let name = osa_app::assess::find(&b, &id)?.name.clone();
    let p = HistoryPage {
        technology: id,
        name,
        dimension: dim.id().to_string(),
        dimension_name: dim.name().to_string(),
        steps,
    };
    let p = super::discussion::discussed(&st, &format!("cell/{}/{}", p.technology, p.dimension), p)
        .await?;
    Ok(respond(&c, &p, r.json))
}

async fn queue(State(st): State<AppState>, r: PageRequest) -> PageResult {
    let c = ctx(&st, &r.who, None, &r.uri).await?;
    let mut open = st.wb.store().proposals(Some("open"), None, 500, 0).await?;
    open.reverse();
    let decided = st
        .wb
        .store()
        .proposals(None, None, 200, 0)
        .await?
        .into_iter()
        .filter(|p| p.status != "open")
        .take(30)
        .collect();
    Ok(respond(&c, &QueuePage { open, decided }, r.json))
}

async fn proposal_page(st: &AppState, id: i64) -> Result<ProposalPage, PageError> {
    Ok(ProposalPage {
        review: st.wb.proposal_review(id).await?,
        error: None,
    })
}

async fn proposal(State(st): State<AppState>, r: PageRequest, Path(id): Path<i64>) -> PageResult {
    let c = ctx(&st, &r.who, None, &r.uri).await?;
    let p = proposal_page(&st, id).await?;
    let p = super::discussion::discussed(&st, &format!("proposal/{id}"), p).await?;
    Ok(respond(&c, &p, r.json))
}

async fn rebase(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(who): Who,
    Path(id): Path<i64>,
    uri: Uri,
) -> PageResult {
    match st.wb.rebase(&info.actor(&who.name), &who, id).await {
        Ok(_) => Ok(see_other(&format!("/review/{id}"))),
        Err(e) => {
            let problem = Problem::from(e);
            let c = ctx(&st, &who, None, &uri).await?;
            let mut page = proposal_page(&st, id).await?;
            page.error = Some(field_error(&problem));
            let mut r = respond(&c, &page, false).into_response();
            *r.status_mut() = problem.status();
            Ok(r)
        }
    }
}

/// The decision form's fields.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DecisionForm {
    decision: String,
    #[serde(default)]
    comment: String,
}

async fn decide(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(who): Who,
    Path(id): Path<i64>,
    uri: Uri,
    PageForm(f): PageForm<DecisionForm>,
) -> PageResult {
    let decision = match f.decision.as_str() {
        "approve" => Ok(Decision::Approve),
        "reject" => Ok(Decision::Reject),
        _ => Err(
            Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "approve or reject").field("decision"),
        ),
    };
    let done = match decision {
        Ok(d) => st
            .wb
            .review(&info.actor(&who.name), &who, id, d, f.comment.trim())
            .await
            .map_err(Problem::from),
        Err(p) => Err(p),
    };
    match done {
        Ok(_) => Ok(see_other(&format!("/review/{id}"))),
        Err(problem) => {
            let c = ctx(&st, &who, None, &uri).await?;
            let mut page = proposal_page(&st, id).await?;
            page.error = Some(field_error(&problem));
            let mut r = respond(&c, &page, false).into_response();
            *r.status_mut() = problem.status();
            Ok(r)
        }
    }
}
