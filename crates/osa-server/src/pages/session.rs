//! Signing in and out in the browser: the sign-in form (rate-limited like the API's), the first
//! run's one-time link, and sign-out (a form post, so a link cannot sign anyone out).

use super::{PageForm, PageResult, html, see_other};
use crate::api::{cookie, sign_in_checked};
use crate::problem::Problem;
use crate::{AppState, RequestInfo, auth};
use axum::extract::{Extension, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use osa_store::users::Principal;
use osa_web::Ctx;
use osa_web::signin::SigninPage;
use serde::Deserialize;

/// The sign-in page's query: a one-time link's token, or where to go after signing in.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LinkQuery {
    /// A one-time sign-in link's token.
    token: Option<String>,
    /// Where to go after signing in (a path of this server).
    next: Option<String>,
}

/// Only paths of this server (no `//host`, no scheme): an open redirect otherwise.
pub(crate) fn local_path(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && n.len() <= 512
                && n.chars().all(|c| !c.is_control()) =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

fn form(next: &str, error: Option<String>, status: StatusCode) -> axum::response::Response {
    let page = SigninPage {
        next: next.to_string(),
        error,
    };
    let mut r = html(osa_web::render(&Ctx::live(None, None, "/signin"), &page));
    *r.status_mut() = status;
    r
}

/// `GET /signin`: with a one-time link's token, signs in and goes to the overview; else the form.
pub(crate) async fn signin(
    State(st): State<AppState>,
    Extension(info): Extension<RequestInfo>,
    Query(q): Query<LinkQuery>,
) -> PageResult {
    let next = local_path(q.next.as_deref());
    let Some(token) = q.token else {
        return Ok(form(&next, None, StatusCode::OK));
    };
    if token.len() > 128 {
        return Err(
            Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "token: too long")
                .field("token")
                .into(),
        );
    }
    let (secret, _) = st
        .wb
        .store()
        .use_signin_link(&info.actor("anonymous"), &token, st.session_ttl)
        .await
        .map_err(|e| match e {
            osa_store::StoreError::Refused(m) => Problem::new(StatusCode::UNAUTHORIZED, m),
            other => other.into(),
        })?;
    let mut r = see_other(&next);
    r.headers_mut().insert(
        header::SET_COOKIE,
        cookie(&st, &secret, st.session_ttl.as_secs()),
    );
    Ok(r)
}

/// The sign-in form's fields.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SignInForm {
    name: String,
    password: String,
    next: Option<String>,
}

/// `POST /signin`: signs in and goes on, or shows the form again with why.
pub(crate) async fn sign_in(
    State(st): State<AppState>,
    Extension(info): Extension<RequestInfo>,
    PageForm(f): PageForm<SignInForm>,
) -> PageResult {
    let next = local_path(f.next.as_deref());
    match sign_in_checked(&st, &info, &f.name, &f.password).await {
        Ok((secret, _)) => {
            let mut r = see_other(&next);
            r.headers_mut().insert(
                header::SET_COOKIE,
                cookie(&st, &secret, st.session_ttl.as_secs()),
            );
            Ok(r)
        }
        Err(p) => Ok(form(&next, Some(p.detail.clone()), p.status())),
    }
}

/// `POST /signout`: ends the session and goes to the sign-in page.
pub(crate) async fn sign_out(
    State(st): State<AppState>,
    Extension(info): Extension<RequestInfo>,
    Extension(p): Extension<Principal>,
    headers: HeaderMap,
) -> PageResult {
    if let Some(c) = auth::session_cookie(&headers) {
        st.wb.store().sign_out(&info.actor(&p.name), &c).await?;
    }
    let mut r = see_other("/signin").into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, cookie(&st, "", 0));
    Ok(r)
}
