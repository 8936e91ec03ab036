//! The ecosystem explorer's pages: the ecosystems in the record with their snapshots, an
//! ecosystem's value chain as a graph for a chosen holder, an input's shares over the years, and
//! two snapshots compared. Each reads its view model through `osa_web::explorer` and answers it
//! as HTML or JSON.

use super::{PageError, PageRequest, PageResult, cached, ctx, page, respond};
use crate::AppState;
use crate::problem::Problem;
use crate::route::Route;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use osa_app::AppError;
use osa_web::explorer::{CompareArgs, ExploreArgs};
use serde::Deserialize;

/// The explorer's routes.
pub fn routes() -> Vec<Route> {
    vec![
        route!(
            "GET",
            "/ecosystems",
            get(index),
            page("Ecosystems and their snapshots", "viewer")
        ),
        route!(
            "GET",
            "/ecosystems/{name}",
            get(explore),
            page("An ecosystem's value chain for a holder", "viewer")
        ),
        route!(
            "GET",
            "/ecosystems/{name}/inputs/{input}",
            get(input),
            page("An input's shares over the years", "viewer")
        ),
        route!(
            "GET",
            "/ecosystems/{name}/compare",
            get(compare),
            page("Two snapshots compared", "viewer")
        ),
    ]
}

/// The query of the ecosystems page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IndexQuery {
    as_of: Option<String>,
    #[allow(dead_code)]
    format: Option<String>,
}

pub(crate) async fn index(
    State(st): State<AppState>,
    r: PageRequest,
    Query(q): Query<IndexQuery>,
) -> PageResult {
    let mut c = ctx(&st, &r.who, q.as_of.as_deref(), &r.uri).await?;
    let (rev, page) = osa_web::explorer::build_index(&st.wb, c.as_of.as_deref()).await?;
    c.revision = Some(rev);
    Ok(respond(&c, &page, r.json))
}

/// The query of the explorer and of an input's page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExploreQuery {
    as_of: Option<String>,
    /// A country, region or bloc (`EU27`, `EU`, `CHN`, `NLD`).
    holder: Option<String>,
    /// The leverage's counterpart (default CHN, or EU27 for CHN).
    vs: Option<String>,
    /// A year (default: the latest each input has).
    year: Option<String>,
    /// The chokepoint threshold, 0-1 (default 0.5).
    min_share: Option<String>,
    #[allow(dead_code)]
    format: Option<String>,
}

impl ExploreQuery {
    fn args(&self) -> ExploreArgs<'_> {
        ExploreArgs {
            holder: self.holder.as_deref(),
            vs: self.vs.as_deref(),
            year: self.year.as_deref(),
            min_share: self.min_share.as_deref(),
        }
    }
}

pub(crate) async fn explore(
    State(st): State<AppState>,
    r: PageRequest,
    Path(name): Path<String>,
    Query(q): Query<ExploreQuery>,
) -> PageResult {
    let mut c = ctx(&st, &r.who, q.as_of.as_deref(), &r.uri).await?;
    let key = format!("ecosystem {name} {:?}", q.args());
    let wb = st.wb.clone();
    cached(&st, &mut c, &key, r.json, |as_of| async move {
        Ok(osa_web::explorer::build_explorer(&wb, &name, as_of.as_deref(), &q.args()).await?)
    })
    .await
}

/// An unknown input of the path is not found (404), the field named.
fn input_not_found(e: AppError) -> PageError {
    match e {
        AppError::Invalid { field, message } if field == "input" => PageError(
            Problem::new(StatusCode::NOT_FOUND, format!("{field}: {message}")).field(field),
        ),
        other => other.into(),
    }
}

pub(crate) async fn input(
    State(st): State<AppState>,
    r: PageRequest,
    Path((name, input)): Path<(String, String)>,
    Query(q): Query<ExploreQuery>,
) -> PageResult {
    let mut c = ctx(&st, &r.who, q.as_of.as_deref(), &r.uri).await?;
    let key = format!("input {name} {input} {:?}", q.args());
    let wb = st.wb.clone();
    cached(&st, &mut c, &key, r.json, |as_of| async move {
        osa_web::explorer::build_input(&wb, &name, &input, as_of.as_deref(), &q.args())
            .await
            .map_err(input_not_found)
    })
    .await
}

/// The query of the comparison.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CompareQuery {
    as_of: Option<String>,
    /// The older snapshot: a label, `ecosystem@label` or an ecosystem's name.
    from: Option<String>,
    /// The newer snapshot.
    to: Option<String>,
    /// Watched holders, comma-separated (default EU27,CHN).
    holder: Option<String>,
    /// The chokepoint threshold, 0-1 (default 0.5).
    min_share: Option<String>,
    #[allow(dead_code)]
    format: Option<String>,
}

pub(crate) async fn compare(
    State(st): State<AppState>,
    r: PageRequest,
    Path(name): Path<String>,
    Query(q): Query<CompareQuery>,
) -> PageResult {
    let mut c = ctx(&st, &r.who, q.as_of.as_deref(), &r.uri).await?;
    let args = CompareArgs {
        from: q.from.as_deref(),
        to: q.to.as_deref(),
        holder: q.holder.as_deref(),
        min_share: q.min_share.as_deref(),
    };
    let (rev, page) =
        osa_web::explorer::build_compare(&st.wb, &name, c.as_of.as_deref(), &args).await?;
    c.revision = Some(rev);
    Ok(respond(&c, &page, r.json))
}
