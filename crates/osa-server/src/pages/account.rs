//! The account page in the browser: API tokens made (shown once), listed and revoked, and the
//! feed key made, replaced and revoked. Each post calls the same use case as the API
//! (`Workbench::make_token`, ...); a secret is shown on the answer to the form that made it.

use super::{PageForm, PageRequest, PageResult, ctx, page, respond, see_other};
use crate::problem::Problem;
use crate::route::Route;
use crate::{AppState, RequestInfo};
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::routing::{get, post};
use osa_store::users::Principal;
use osa_web::account::{AccountPage, NewSecret};
use serde::Deserialize;

/// The routes of the account page.
pub fn routes() -> Vec<Route> {
    vec![
        route!(
            "GET",
            "/account",
            get(account),
            page("Your account: API tokens and feed key", "viewer")
        ),
        route!(
            "POST",
            "/account/tokens",
            post(make_token),
            page("Make an API token (shown once)", "viewer")
        ),
        route!(
            "POST",
            "/account/tokens/{id}/revoke",
            post(revoke_token),
            page("Revoke one of your API tokens", "viewer")
        ),
        route!(
            "POST",
            "/account/feed-key",
            post(make_feed_key),
            page(
                "Make your feed key (shown once; the last one stops working)",
                "viewer"
            )
        ),
        route!(
            "POST",
            "/account/feed-key/revoke",
            post(revoke_feed_key),
            page("Revoke your feed key", "viewer")
        ),
    ]
}

type Who = Extension<Principal>;
type Info = Extension<RequestInfo>;

async fn account_page(st: &AppState, who: &Principal) -> Result<AccountPage, Problem> {
    let a = st.wb.account(who).await.map_err(Problem::from)?;
    let watchlists = st
        .wb
        .watchlists(who)
        .await
        .map_err(Problem::from)?
        .into_iter()
        .map(|w| {
            w.key
                .split_once('/')
                .map_or(w.key.clone(), |(_, n)| n.to_string())
        })
        .collect();
    Ok(AccountPage {
        name: who.name.clone(),
        role: who.role.as_str().to_string(),
        tokens: a.tokens,
        feed_key_created: a.feed_key_created,
        watchlists,
        new_secret: None,
        error: None,
    })
}

async fn account(State(st): State<AppState>, r: PageRequest) -> PageResult {
    let c = ctx(&st, &r.who, None, &r.uri).await?;
    let p = account_page(&st, &r.who).await?;
    Ok(respond(&c, &p, r.json))
}

/// The token form's fields.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TokenForm {
    label: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    days: String,
}

/// The page with a secret just made, or with the refusal; never cached by the browser.
async fn answer(
    st: &AppState,
    who: &Principal,
    uri: &Uri,
    made: Result<NewSecret, Problem>,
) -> PageResult {
    let c = ctx(st, who, None, uri).await?;
    let mut p = account_page(st, who).await?;
    let status = match made {
        Ok(s) => {
            p.new_secret = Some(s);
            StatusCode::CREATED
        }
        Err(e) => {
            p.error = Some(e.detail.clone());
            e.status()
        }
    };
    let mut r = respond(&c, &p, false);
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(r)
}

async fn make_token(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(who): Who,
    uri: Uri,
    PageForm(f): PageForm<TokenForm>,
) -> PageResult {
    let days = match f.days.trim() {
        "" => Ok(None),
        d => d.parse::<u32>().map(Some).map_err(|_| {
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "days: a whole number of days",
            )
            .field("days")
        }),
    };
    let made = match days {
        Ok(days) => st
            .wb
            .make_token(&info.actor(&who.name), &who, &f.label, Some(&f.role), days)
            .await
            .map(|t| NewSecret {
                what: format!(
                    "API token \"{}\" ({}, {} days)",
                    f.label.trim(),
                    t.role.as_str(),
                    t.days
                ),
                secret: t.token,
                addresses: Vec::new(),
            })
            .map_err(Problem::from),
        Err(p) => Err(p),
    };
    answer(&st, &who, &uri, made).await
}

async fn revoke_token(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(who): Who,
    Path(id): Path<i64>,
    uri: Uri,
) -> PageResult {
    match st
        .wb
        .revoke_own_token(&info.actor(&who.name), &who, id)
        .await
    {
        Ok(()) => Ok(see_other("/account")),
        Err(e) => answer(&st, &who, &uri, Err(Problem::from(e))).await,
    }
}

/// The server's address as the browser used it.
fn base(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}")
}

async fn make_feed_key(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(who): Who,
    headers: HeaderMap,
    uri: Uri,
) -> PageResult {
    let made = match st.wb.make_feed_key(&info.actor(&who.name), &who).await {
        Ok(key) => {
            let base = base(&headers);
            let mut addresses = vec![(
                "Everything that changed".to_string(),
                format!("{base}/api/v1/changes.atom?key={key}"),
            )];
            for w in account_page(&st, &who).await?.watchlists {
                addresses.push((
                    format!("Your watchlist {w}"),
                    format!(
                        "{base}/api/v1/watchlists/{}/changes.atom?key={key}",
                        osa_web::layout::encode(&w)
                    ),
                ));
            }
            Ok(NewSecret {
                what: "feed key".into(),
                secret: key,
                addresses,
            })
        }
        Err(e) => Err(Problem::from(e)),
    };
    answer(&st, &who, &uri, made).await
}

async fn revoke_feed_key(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(who): Who,
    uri: Uri,
) -> PageResult {
    match st.wb.revoke_feed_key(&info.actor(&who.name), &who).await {
        Ok(_) => Ok(see_other("/account")),
        Err(e) => answer(&st, &who, &uri, Err(Problem::from(e))).await,
    }
}
