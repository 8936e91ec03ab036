//! The records' pages: actors (filtered on the server), events and the form to add one, the
//! user's watchlists and the form to set one, a watchlist's changes (with its Atom feed), the
//! change log with what changed since the user's last visit, one change with its evidence, and
//! what changed between two dates or revisions, in words.

use super::{PageError, PageForm, PageRequest, PageResult, cached, ctx, page, respond, see_other};
use crate::route::Route;
use crate::{AppState, RequestInfo};
use axum::extract::{Extension, Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::routing::{get, post};
use osa_app::AppError;
use osa_app::workbench::records::{Event, Watchlist};
use osa_store::users::Principal;
use osa_web::records::{
    ActorQuery, ChangePage, ChangesPage, FieldError, WatchlistPage, WatchlistView,
};
use serde::Deserialize;

type Who = Extension<Principal>;
type Info = Extension<RequestInfo>;
/// A form's fields as sent (repeated names kept: checkboxes, multiple selects).
type Pairs = PageForm<Vec<(String, String)>>;

/// The records' page routes.
pub fn routes() -> Vec<Route> {
    vec![
        route!(
            "GET",
            "/events",
            get(events),
            page("Dated events", "viewer")
        ),
        route!(
            "POST",
            "/events",
            post(add_event),
            page("Add an event (form)", "analyst")
        ),
        route!(
            "GET",
            "/watchlists",
            get(watchlists),
            page("Your watchlists", "viewer")
        ),
        route!(
            "POST",
            "/watchlists",
            post(set_watchlist),
            page("Set one of your watchlists (form)", "viewer")
        ),
        route!(
            "GET",
            "/watchlists/{name}",
            get(watchlist),
            page("The changes a watchlist follows", "viewer")
        ),
        route!(
            "GET",
            "/changes",
            get(changes),
            page("What changed, since your last visit", "viewer")
        ),
        route!(
            "GET",
            "/changes/compare",
            get(compare),
            page(
                "What changed between two dates or revisions, in words",
                "viewer"
            )
        ),
        route!(
            "GET",
            "/changes/{id}",
            get(change),
            page("A change and its evidence", "viewer")
        ),
    ]
}

/// The actors page's query: the filter of `osa actors`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActorsQuery {
    as_of: Option<String>,
    technology: Option<String>,
    kind: Option<String>,
    country: Option<String>,
    relevance: Option<String>,
    prc: Option<String>,
    text: Option<String>,
    #[allow(dead_code)]
    format: Option<String>,
}

/// `GET /actors`: the actors to watch, filtered.
pub(crate) async fn actors(
    State(st): State<AppState>,
    r: PageRequest,
    Query(q): Query<ActorsQuery>,
) -> PageResult {
    let mut c = ctx(&st, &r.who, q.as_of.as_deref(), &r.uri).await?;
    let filter = ActorQuery {
        technology: q.technology,
        kind: q.kind,
        country: q.country,
        relevance: q.relevance,
        prc: q.prc,
        text: q.text,
    };
    let key = format!("actors {filter:?}");
    let wb = st.wb.clone();
    cached(&st, &mut c, &key, r.json, |as_of| async move {
        let (rev, b) = osa_web::library::build(&wb, as_of.as_deref()).await?;
        let events = wb.events(Some(&format!("r{rev}")), None, None).await?;
        Ok((
            rev,
            osa_web::records::actors(&b, filter)?.with_events(&events),
        ))
    })
    .await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EventsQuery {
    as_of: Option<String>,
    technology: Option<String>,
    actor: Option<String>,
    #[allow(dead_code)]
    format: Option<String>,
}

/// `GET /events`.
pub(crate) async fn events(
    State(st): State<AppState>,
    r: PageRequest,
    Query(q): Query<EventsQuery>,
) -> PageResult {
    let mut c = ctx(&st, &r.who, q.as_of.as_deref(), &r.uri).await?;
    let (rev, page) =
        osa_web::records::events(&st.wb, c.as_of.as_deref(), q.technology, q.actor).await?;
    c.revision = Some(rev);
    Ok(respond(&c, &page, r.json))
}

/// A form's problem, or another error shown as a page.
fn form_error(e: AppError) -> Result<FieldError, PageError> {
    match e {
        AppError::Invalid { field, message } => Ok(FieldError { field, message }),
        other => Err(other.into()),
    }
}

fn unknown(name: &str) -> FieldError {
    FieldError {
        field: name.to_string(),
        message: "not a field of this form".into(),
    }
}

fn event_of(pairs: Vec<(String, String)>) -> (Event, Option<FieldError>) {
    let mut e = Event {
        date: String::new(),
        title: String::new(),
        text: String::new(),
        actors: Vec::new(),
        technologies: Vec::new(),
        source: String::new(),
    };
    let mut bad = None;
    for (k, v) in pairs {
        match k.as_str() {
            "date" => e.date = v.trim().to_string(),
            "title" => e.title = v.trim().to_string(),
            "text" => e.text = v.trim().to_string(),
            "source" => e.source = v.trim().to_string(),
            "actors" if !v.is_empty() => e.actors.push(v),
            "technologies" if !v.is_empty() => e.technologies.push(v),
            "actors" | "technologies" => {}
            other => bad = Some(unknown(other)),
        }
    }
    (e, bad)
}

/// `POST /events`: records the event and shows the list, or the form again with its problem.
pub(crate) async fn add_event(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(who): Who,
    uri: Uri,
    PageForm(pairs): Pairs,
) -> PageResult {
    let (e, bad) = event_of(pairs);
    let err = match bad {
        Some(b) => b,
        None => match st.wb.add_event(&info.actor(&who.name), &who, &e).await {
            Ok(_) => return Ok(see_other("/events")),
            Err(x) => form_error(x)?,
        },
    };
    let c = ctx(&st, &who, None, &uri).await?;
    let (_, mut page) = osa_web::records::events(&st.wb, None, None, None).await?;
    page.form = Some(e);
    page.error = Some(err);
    let mut r = respond(&c, &page, false);
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(r)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WatchlistsQuery {
    /// The watchlist the form starts from.
    edit: Option<String>,
    #[allow(dead_code)]
    format: Option<String>,
}

/// `GET /watchlists`.
pub(crate) async fn watchlists(
    State(st): State<AppState>,
    r: PageRequest,
    Query(q): Query<WatchlistsQuery>,
) -> PageResult {
    let c = ctx(&st, &r.who, None, &r.uri).await?;
    let page = osa_web::records::watchlists(&st.wb, &r.who, q.edit.as_deref()).await?;
    Ok(respond(&c, &page, r.json))
}

fn watchlist_of(pairs: Vec<(String, String)>) -> (WatchlistView, Option<FieldError>) {
    let mut w = WatchlistView {
        name: String::new(),
        version: 0,
        subjects: Vec::new(),
    };
    let mut bad = None;
    for (k, v) in pairs {
        match k.as_str() {
            "name" => w.name = v.trim().to_string(),
            "subjects" if !v.is_empty() => w.subjects.push(v),
            "subjects" => {}
            "other" => w.subjects.extend(
                v.lines()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            ),
            other => bad = Some(unknown(other)),
        }
    }
    w.subjects.dedup();
    (w, bad)
}

/// `POST /watchlists`: sets one of the user's watchlists and shows it, or the form again.
pub(crate) async fn set_watchlist(
    State(st): State<AppState>,
    Extension(info): Info,
    Extension(who): Who,
    uri: Uri,
    PageForm(pairs): Pairs,
) -> PageResult {
    let (w, bad) = watchlist_of(pairs);
    let err = match bad {
        Some(b) => b,
        None => {
            let value = Watchlist {
                subjects: w.subjects.clone(),
            };
            match st
                .wb
                .put_watchlist(&info.actor(&who.name), &who, &w.name, &value)
                .await
            {
                Ok(_) => return Ok(see_other(&format!("/watchlists/{}", w.name))),
                Err(x) => form_error(x)?,
            }
        }
    };
    let c = ctx(&st, &who, None, &uri).await?;
    let mut page = osa_web::records::watchlists(&st.wb, &who, None).await?;
    page.form = Some(w);
    page.error = Some(err);
    let mut r = respond(&c, &page, false);
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(r)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FormatOnly {
    #[allow(dead_code)]
    format: Option<String>,
}

/// `GET /watchlists/{name}`: the changes it follows, with the Atom feed's link.
pub(crate) async fn watchlist(
    State(st): State<AppState>,
    r: PageRequest,
    Path(name): Path<String>,
    Query(_q): Query<FormatOnly>,
) -> PageResult {
    osa_app::workbench::records::check_key("name", &name)?;
    let w = st.wb.watchlist(&r.who, &name).await?;
    let changes = st.wb.store().changes(Some(&w.subjects), 200, 0).await?;
    let atom = format!("/api/v1/watchlists/{name}/changes.atom");
    let mut c = ctx(&st, &r.who, None, &r.uri).await?;
    c.feed = Some(atom.clone());
    let version = st
        .wb
        .record_version(
            osa_app::workbench::records::kind::WATCHLIST,
            &format!("{}/{name}", r.who.name),
        )
        .await?;
    let page = WatchlistPage {
        watchlist: WatchlistView {
            name,
            version,
            subjects: w.subjects,
        },
        changes,
        atom,
    };
    Ok(respond(&c, &page, r.json))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CompareQuery {
    from: Option<String>,
    to: Option<String>,
    #[allow(dead_code)]
    format: Option<String>,
}

/// `GET /changes/compare`: what changed between two dates or revisions, in words.
pub(crate) async fn compare(
    State(st): State<AppState>,
    r: PageRequest,
    Query(q): Query<CompareQuery>,
) -> PageResult {
    let mut c = ctx(&st, &r.who, None, &r.uri).await?;
    let page = osa_web::compare::ComparePage::build(&st.wb, &r.who, q.from, q.to).await?;
    c.revision = page.comparison.as_ref().map(|x| x.to);
    Ok(respond(&c, &page, r.json))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChangesQuery {
    /// Subjects, comma-separated.
    subject: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
    #[allow(dead_code)]
    format: Option<String>,
}

/// `GET /changes`: the change log, with what changed since the last visit (which this marks).
pub(crate) async fn changes(
    State(st): State<AppState>,
    r: PageRequest,
    Extension(info): Info,
    Query(q): Query<ChangesQuery>,
) -> PageResult {
    let (page, per) = crate::api::paging(q.page, q.per_page)?;
    let subject = q.subject.filter(|s| !s.trim().is_empty());
    let subjects = crate::api::split(subject.as_deref());
    let items = st
        .wb
        .store()
        .changes(
            subjects.as_deref(),
            i64::from(per),
            i64::from((page - 1) * per),
        )
        .await?;
    let since = st
        .wb
        .visit_changes(&info.actor(&r.who.name), &r.who)
        .await?;
    let atom = match &subject {
        Some(s) => format!(
            "/api/v1/changes.atom?subject={}",
            osa_web::layout::encode(s)
        ),
        None => "/api/v1/changes.atom".to_string(),
    };
    let mut c = ctx(&st, &r.who, None, &r.uri).await?;
    c.feed = Some(atom.clone());
    let view = ChangesPage {
        subject,
        page,
        per_page: per,
        items,
        since,
        atom,
    };
    Ok(respond(&c, &view, r.json))
}

/// `GET /changes/{id}`: one change and its evidence.
pub(crate) async fn change(
    State(st): State<AppState>,
    r: PageRequest,
    Path(id): Path<i64>,
    Query(_q): Query<FormatOnly>,
) -> PageResult {
    let change = st.wb.store().change(id).await?;
    let c = ctx(&st, &r.who, None, &r.uri).await?;
    Ok(respond(&c, &ChangePage { change }, r.json))
}
