//! Errors as `application/problem+json` (RFC 9457): a status, a title, a detail for people, and
//! the `field` at fault where there is one. Every refusal the server answers goes through here.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use osa_app::AppError;
use osa_store::StoreError;
use serde::Serialize;

/// A problem document.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`about:blank` with the status's title, or osa's own).
    #[serde(rename = "type")]
    pub kind: String,
    /// Short, the same for every problem of the kind.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What happened, for people.
    pub detail: String,
    /// The request field at fault (`level`, `evidence[0].source`, a query parameter, a header).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Refused by the text check at the edge (the `text` module): audited on the way out.
    #[serde(skip)]
    #[schemars(skip)]
    pub text: bool,
}

/// The marker on a response refused by the text check (`crate::text`): the field at fault. The
/// text check's middleware audits responses that carry it.
#[derive(Debug, Clone)]
pub struct TextRefused(pub String);

impl Problem {
    /// A problem with a status and detail.
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Problem {
        Problem {
            kind: "about:blank".into(),
            title: status.canonical_reason().unwrap_or("Error").into(),
            status: status.as_u16(),
            detail: detail.into(),
            field: None,
            text: false,
        }
    }

    /// Marks a refusal of the text check (see [`TextRefused`]).
    pub fn text_refusal(mut self) -> Problem {
        self.text = true;
        self
    }

    /// The marker a text refusal's response carries, for the audit on the way out.
    pub fn mark(&self, r: &mut Response) {
        if self.text {
            r.extensions_mut()
                .insert(TextRefused(self.field.clone().unwrap_or_default()));
        }
    }

    /// Names the field at fault.
    pub fn field(mut self, f: impl Into<String>) -> Problem {
        self.field = Some(f.into());
        self
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut r = (status, body).into_response();
        self.mark(&mut r);
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        r
    }
}

/// The full chain of an error's causes, for the detail.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(c) = src {
        s.push_str(": ");
        s.push_str(&c.to_string());
        src = c.source();
    }
    s
}

impl From<AppError> for Problem {
    fn from(e: AppError) -> Problem {
        match e {
            AppError::NotFound(m) => Problem::new(StatusCode::NOT_FOUND, m),
            AppError::Invalid { field, message } => Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("{field}: {message}"),
            )
            .field(field),
            AppError::Forbidden(m) => Problem::new(StatusCode::FORBIDDEN, m),
            AppError::TooLarge(m) => Problem::new(StatusCode::PAYLOAD_TOO_LARGE, m),
            AppError::Conflict(m) => Problem::new(StatusCode::CONFLICT, m),
            AppError::Store(s) => s.into(),
            e @ AppError::Data { .. } => Problem::new(StatusCode::UNPROCESSABLE_ENTITY, chain(&e)),
        }
    }
}

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Problem {
        match e {
            StoreError::NotFound(m) => Problem::new(StatusCode::NOT_FOUND, m),
            e @ StoreError::Stale { .. } => {
                Problem::new(StatusCode::PRECONDITION_FAILED, e.to_string())
            }
            StoreError::Refused(m) if m.starts_with("four eyes") => {
                Problem::new(StatusCode::FORBIDDEN, m)
            }
            StoreError::Refused(m) => Problem::new(StatusCode::CONFLICT, m),
            StoreError::Invalid { field, message } => Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("{field}: {message}"),
            )
            .field(field),
            e @ (StoreError::Db(_) | StoreError::Corrupt(_)) => {
                eprintln!("error: {e}");
                Problem::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the store failed; see the server's log",
                )
            }
        }
    }
}

/// A handler's result.
pub type ApiResult<T> = Result<T, Problem>;
