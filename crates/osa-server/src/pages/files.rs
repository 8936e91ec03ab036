//! Proposing a new text of a whole file in the browser (a baseline file or a scenario): the form
//! with the published text and the proposals open on the file, posted to the same use case as
//! `POST /api/v1/proposals/files` (`propose_file`), then 303 to the proposal's review page. A
//! refused post shows the form again, the text kept: 422 with the line and field at fault; 412
//! when a proposal is open on the file (named) or when the file was published again since the
//! form was opened (then the text comes back carried onto the version published now, entry by
//! entry, or with the entries both changed named).

use super::{PageError, PageForm, PageRequest, PageResult, ctx, page, respond, see_other};
use crate::problem::Problem;
use crate::route::Route;
use crate::{AppState, RequestInfo};
use axum::extract::{Extension, Path, State};
use axum::http::{StatusCode, Uri};
use axum::routing::get;
use osa_app::workbench::kind;
use osa_store::users::Principal;
use osa_web::files::{FileForm, FilePage, proposals_words};
use osa_web::records::FieldError;

/// The routes of the file form.
pub fn routes() -> Vec<Route> {
    vec![
        route!(
            "GET",
            "/propose/{kind}/{*key}",
            get(propose_form),
            page(
                "The form to propose a new text of a baseline file or a scenario",
                "analyst"
            )
        ),
        route!(
            "POST",
            "/propose/{kind}/{*key}",
            axum::routing::post(propose),
            page(
                "Propose a new text of a baseline file or a scenario (form)",
                "analyst"
            )
        ),
    ]
}

/// The form's page for a file as published now, with the form's values when given.
async fn file_page(
    st: &AppState,
    (doc_kind, key): (&str, &str),
    form: Option<FileForm>,
) -> Result<FilePage, PageError> {
    let missing = || {
        PageError(Problem::new(
            StatusCode::NOT_FOUND,
            format!("no baseline file or scenario `{doc_kind}/{key}` in the record"),
        ))
    };
    if ![kind::BASELINE, kind::SCENARIO].contains(&doc_kind) {
        return Err(missing());
    }
    let head = st.wb.store().head().await?;
    let doc = st
        .wb
        .store()
        .doc(doc_kind, key, head)
        .await?
        .ok_or_else(missing)?;
    let open = st.wb.open_proposals_on_file(doc_kind, Some(key)).await?;
    Ok(FilePage {
        kind: doc_kind.to_string(),
        key: key.to_string(),
        what: osa_app::workbench::review::file_words(doc_kind, key),
        version: doc.version,
        form: form.unwrap_or(FileForm {
            base_version: doc.version,
            text: doc.body,
            note: String::new(),
        }),
        open,
        error: None,
    })
}

fn analysts_only(c: &osa_web::Ctx) -> Result<(), PageError> {
    if c.can("analyst") {
        return Ok(());
    }
    Err(Problem::new(
        StatusCode::FORBIDDEN,
        "proposing a new text of a file needs the analyst role",
    )
    .into())
}

async fn propose_form(
    State(st): State<AppState>,
    r: PageRequest,
    Path((doc_kind, key)): Path<(String, String)>,
) -> PageResult {
    let c = ctx(&st, &r.who, None, &r.uri).await?;
    analysts_only(&c)?;
    let p = file_page(&st, (&doc_kind, &key), None).await?;
    Ok(respond(&c, &p, r.json))
}

async fn propose(
    State(st): State<AppState>,
    Extension(info): Extension<RequestInfo>,
    Extension(who): Extension<Principal>,
    Path((doc_kind, key)): Path<(String, String)>,
    uri: Uri,
    PageForm(mut f): PageForm<FileForm>,
) -> PageResult {
    // Browsers send a text box's lines ending in CR LF; files are stored with LF.
    f.text = f.text.replace("\r\n", "\n");
    f.note = f.note.trim().to_string();
    let made = st
        .wb
        .propose_file(
            &info.actor(&who.name),
            &who,
            (&doc_kind, &key),
            f.base_version,
            &f.text,
            &f.note,
        )
        .await;
    let problem = match made {
        Ok(p) => return Ok(see_other(&format!("/review/{}", p.id))),
        Err(e) => Problem::from(e),
    };
    let c = ctx(&st, &who, None, &uri).await?;
    let mut page = file_page(&st, (&doc_kind, &key), Some(f)).await?;
    let status = problem.status();
    page.error = Some(if status == StatusCode::PRECONDITION_FAILED {
        stale(&st, &mut page).await
    } else {
        FieldError {
            field: problem.field.clone().unwrap_or_else(|| "text".into()),
            message: problem.detail.clone(),
        }
    });
    let mut r = respond(&c, &page, false);
    *r.status_mut() = status;
    Ok(r)
}

/// Why a form was refused as stale, and the form made ready to propose again where it can be:
/// a proposal open on the file (named), or the file published again since the form was opened
/// (the text carried onto the version published now, or the entries both changed named).
async fn stale(st: &AppState, page: &mut FilePage) -> FieldError {
    let (old, subject) = (
        page.form.base_version,
        format!("{}/{}", page.kind, page.key),
    );
    if old == page.version {
        let blocking: Vec<_> = page
            .open
            .iter()
            .filter(|p| p.subject == subject && p.base_version == old)
            .collect();
        return FieldError {
            field: "request".into(),
            message: format!(
                "a new text of this file is already proposed ({}, listed above): open it, or wait for its review; your text is kept below",
                proposals_words(&blocking)
            ),
        };
    }
    let f = &page.form;
    let carried = st
        .wb
        .carry_onto_published((&page.kind, &page.key), old, &f.text, &f.note)
        .await;
    let moved = format!(
        "{} was published again since you opened this form (version {old}, now {})",
        page.key, page.version
    );
    match carried {
        Ok((version, text)) => {
            page.form.base_version = version;
            page.form.text = text;
            FieldError {
                field: "base_version".into(),
                message: format!(
                    "{moved}: your changes are carried onto the text published now, entry by entry, below; check them and propose again"
                ),
            }
        }
        Err(e) => FieldError {
            field: "text".into(),
            message: format!(
                "{moved}; {}. Your text is kept below; open this form again for the published text",
                Problem::from(e).detail
            ),
        },
    }
}
