//! Discussion and the inbox in the browser: the comment, resolve and request-review forms under a
//! proposal or a cell's history (each calls one use case of `osa-app`'s discussion, then 303 back
//! to the thread; a refusal is an error page naming the field), [`discussed`], the one call that
//! puts a page's thread under it, and the user's inbox with its mark-read and mail forms.

use super::{PageForm, PageRequest, PageResult, ctx, page, respond, see_other};
use crate::problem::Problem;
use crate::route::Route;
use crate::{AppState, RequestInfo};
use axum::extract::{Extension, Query, State};
use axum::routing::{get, post};
use osa_app::workbench::discussion::subject;
use osa_store::users::{Principal, Role};
use osa_web::Page;
use osa_web::discussion::{Discussed, ThreadView};
use serde::Deserialize;

/// The routes of discussion and the inbox.
pub fn routes() -> Vec<Route> {
    vec![
        route!(
            "POST",
            "/discussion/comment",
            post(comment),
            page("Comment on a proposal or a cell (analysts)", "viewer")
        ),
        route!(
            "POST",
            "/discussion/resolve",
            post(resolve),
            page("Mark a thread resolved or open (analysts)", "viewer")
        ),
        route!(
            "POST",
            "/discussion/request-review",
            post(request_review),
            page("Ask a reviewer to review a proposal (analysts)", "viewer")
        ),
        route!(
            "GET",
            "/inbox",
            get(inbox),
            page("The user's inbox", "viewer")
        ),
        route!(
            "POST",
            "/inbox/read",
            post(mark_read),
            page("Mark the user's notifications read", "viewer")
        ),
        route!(
            "POST",
            "/inbox/mail",
            post(set_mail),
            page("How the user's notifications are mailed", "viewer")
        ),
    ]
}

type Who = Extension<Principal>;
type Info = Extension<RequestInfo>;

/// `page` with the thread of `s` (`proposal/3`, `cell/6g/national_security`) under it.
pub(crate) async fn discussed<P: Page>(
    st: &AppState,
    s: &str,
    page: P,
) -> Result<Discussed<P>, super::PageError> {
    let sub = subject(s).map_err(Problem::from)?;
    let (_, thread) = st.wb.thread(s, None).await?;
    let reviewers = match s.strip_prefix("proposal/").and_then(|n| n.parse().ok()) {
        Some(id) => {
            let author = st.wb.store().proposal(id).await?.author;
            let mut r: Vec<String> = st
                .wb
                .store()
                .users()
                .await?
                .into_iter()
                .filter(|u| u.role >= Role::Reviewer && !u.disabled && u.name != author)
                .map(|u| u.name)
                .collect();
            r.sort();
            r
        }
        None => Vec::new(),
    };
    Ok(Discussed {
        page,
        discussion: ThreadView::new(&sub, thread, reviewers),
    })
}

/// The comment form.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CommentForm {
    subject: String,
    text: String,
}

async fn comment(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(who): Who,
    PageForm(f): PageForm<CommentForm>,
) -> PageResult {
    let sub = subject(&f.subject).map_err(Problem::from)?;
    st.wb
        .comment(&info.actor(&who.name), &who, &sub.id, f.text.trim_end())
        .await
        .map_err(Problem::from)?;
    Ok(see_other(&format!("{}#discussion", sub.link)))
}

/// The resolve form.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResolveForm {
    subject: String,
    resolved: bool,
}

async fn resolve(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(who): Who,
    PageForm(f): PageForm<ResolveForm>,
) -> PageResult {
    let sub = subject(&f.subject).map_err(Problem::from)?;
    st.wb
        .resolve_thread(&info.actor(&who.name), &who, &sub.id, f.resolved)
        .await
        .map_err(Problem::from)?;
    Ok(see_other(&format!("{}#discussion", sub.link)))
}

/// The request-review form.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RequestForm {
    subject: String,
    reviewer: String,
}

async fn request_review(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(who): Who,
    PageForm(f): PageForm<RequestForm>,
) -> PageResult {
    let sub = subject(&f.subject).map_err(Problem::from)?;
    let id: i64 = sub
        .id
        .strip_prefix("proposal/")
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| {
            Problem::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "a review is asked on a proposal",
            )
            .field("subject")
        })?;
    st.wb
        .request_review(&info.actor(&who.name), &who, id, f.reviewer.trim())
        .await
        .map_err(Problem::from)?;
    Ok(see_other(&format!("{}#discussion", sub.link)))
}

/// `GET /inbox` query.
#[derive(Debug, Deserialize)]
pub(crate) struct InboxQuery {
    #[serde(default)]
    page: Option<u32>,
    #[allow(dead_code)]
    format: Option<String>,
}

async fn inbox(
    State(st): State<AppState>,
    r: PageRequest,
    Query(q): Query<InboxQuery>,
) -> PageResult {
    let c = ctx(&st, &r.who, None, &r.uri).await?;
    let page = osa_web::inbox::InboxPage {
        inbox: st.wb.inbox(&r.who, q.page.unwrap_or(1).min(10_000)).await?,
        mail_configured: st.mail.is_some(),
        error: None,
    };
    Ok(respond(&c, &page, r.json))
}

/// The mark-read form.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReadForm {
    up_to: i64,
}

async fn mark_read(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(who): Who,
    PageForm(f): PageForm<ReadForm>,
) -> PageResult {
    st.wb
        .mark_inbox_read(&info.actor(&who.name), &who, f.up_to)
        .await
        .map_err(Problem::from)?;
    Ok(see_other("/inbox"))
}

/// The mail form.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MailForm {
    #[serde(default)]
    email: String,
    delivery: String,
}

async fn set_mail(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(who): Who,
    uri: axum::http::Uri,
    PageForm(f): PageForm<MailForm>,
) -> PageResult {
    let email = f.email.trim();
    match st
        .wb
        .set_mail(&info.actor(&who.name), &who, email, &f.delivery)
        .await
    {
        Ok(()) => Ok(see_other("/inbox#mail")),
        Err(e) => {
            let problem = Problem::from(e);
            let c = ctx(&st, &who, None, &uri).await?;
            let page = osa_web::inbox::InboxPage {
                inbox: st.wb.inbox(&who, 1).await?,
                mail_configured: st.mail.is_some(),
                error: Some((
                    problem.field.clone().unwrap_or_else(|| "request".into()),
                    problem.detail.clone(),
                )),
            };
            let mut r = respond(&c, &page, false);
            *r.status_mut() = problem.status();
            Ok(r)
        }
    }
}
