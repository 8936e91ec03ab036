//! Request bodies and queries, bounded and strict: JSON only, at most [`MAX_BODY`] bytes, unknown
//! fields refused by the types, and the path of the field at fault in the error
//! (`evidence[0].source`), which serde's own messages do not give. Every string of a body is
//! checked as text first (`crate::text`).

use crate::problem::Problem;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

/// The largest request body accepted (bytes).
pub const MAX_BODY: usize = 256 * 1024;

/// A JSON body.
#[derive(Debug)]
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(';')
                    .next()
                    .is_some_and(|m| m.trim() == "application/json")
            });
        if !json {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "send JSON (Content-Type: application/json)",
            )
            .field("Content-Type"));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the body is too large or unreadable ({e}); the limit is {MAX_BODY} bytes"),
            )
        })?;
        check_text(&bytes)?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let v = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let field = if path == "." {
                unknown_field(&inner.to_string()).unwrap_or_default()
            } else {
                path
            };
            let p = Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "{}: {inner}",
                    if field.is_empty() { "body" } else { &field }
                ),
            );
            if field.is_empty() { p } else { p.field(field) }
        })?;
        Ok(Body(v))
    }
}

/// The text of a JSON body, checked at the edge (`crate::text`): every string and key. A body
/// that is not JSON at all is left to the typed parse, which says where.
fn check_text(bytes: &[u8]) -> Result<(), Problem> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, serde_json::Value>(&mut de) {
        Ok(v) => crate::text::check_json("", &v, MAX_BODY),
        Err(e) => {
            let path = e.path().to_string();
            let field = if path == "." { String::new() } else { path };
            match crate::text::json_text_error(&field, &e.into_inner().to_string()) {
                Some(p) => Err(p),
                None => Ok(()),
            }
        }
    }
}

/// serde names an unknown field only in its message.
fn unknown_field(msg: &str) -> Option<String> {
    let rest = msg.strip_prefix("unknown field `")?;
    Some(rest.split('`').next()?.to_string())
}

/// A query string.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Problem> {
        let q = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded_de(q);
        de.map(Query).map_err(|(field, m)| {
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("query {field}: {m}"),
            )
            .field(field)
        })
    }
}

fn serde_urlencoded_de<T: DeserializeOwned>(q: &str) -> Result<T, (String, String)> {
    axum::extract::Query::<T>::try_from_uri(
        &format!("/?{q}")
            .parse()
            .map_err(|_| ("query".to_string(), "not a query string".to_string()))?,
    )
    .map(|axum::extract::Query(v)| v)
    .map_err(|e| {
        let m = e.body_text();
        let field = unknown_field(m.trim_start_matches("Failed to deserialize query string: "))
            .unwrap_or_else(|| "query".into());
        (field, m)
    })
}
