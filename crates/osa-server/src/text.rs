//! Text checked once, at the edge, the same way for every field whatever carries it: JSON bodies
//! (`body::Body`), form bodies (`pages::PageForm`), query strings and path segments (the
//! [`check_request`] middleware). A field must be valid UTF-8, hold no control characters
//! (tab, line feed and carriage return are allowed in bodies, where text may run over lines, not
//! in paths or queries), and stay within its length; otherwise the answer is one problem, 422
//! naming the field, before anything reaches the store (so both backends answer alike, never 500),
//! audited as `refused: invalid text` ([`audit_refusals`]).

use crate::problem::Problem;
use crate::{AppState, RequestInfo};
use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use osa_store::users::Principal;

/// The longest path segment or query value (bytes, decoded).
pub const MAX_URL_TEXT: usize = 2048;
/// The longest name (a JSON object's key, a form or query field's name).
pub const MAX_NAME: usize = 256;

/// Where a text comes from, which decides what it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carrier {
    /// A request body (JSON or form): text may run over lines.
    Body,
    /// A path segment or a query string: one line.
    Url,
}

/// The one check: UTF-8, no control characters, at most `max` bytes.
pub fn check(field: &str, bytes: &[u8], max: usize, carrier: Carrier) -> Result<(), Problem> {
    let field = printable(field);
    let refuse = |what: String| {
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, format!("{field}: {what}"))
            .field(&field)
            .text_refusal()
    };
    let s = std::str::from_utf8(bytes).map_err(|_| refuse("is not valid UTF-8".into()))?;
    if s.len() > max {
        return Err(refuse(format!("is longer than {max} bytes")));
    }
    let allowed = |c: char| carrier == Carrier::Body && matches!(c, '\t' | '\n' | '\r');
    if let Some(c) = s.chars().find(|c| c.is_control() && !allowed(*c)) {
        return Err(refuse(format!(
            "holds a control character (U+{:04X})",
            u32::from(c)
        )));
    }
    Ok(())
}

/// A field's name as it may be shown and audited: control characters as U+FFFD, at most
/// [`MAX_NAME`] characters (a name can be the very text refused).
fn printable(field: &str) -> String {
    field
        .chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .take(MAX_NAME)
        .collect()
}

/// The problem for a JSON body serde refused as text (invalid UTF-8, a lone surrogate).
pub fn json_text_error(field: &str, message: &str) -> Option<Problem> {
    let m = message.to_ascii_lowercase();
    (m.contains("unicode") || m.contains("surrogate") || m.contains("utf-8")).then(|| {
        let f = if field.is_empty() { "body" } else { field };
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("{f}: is not valid UTF-8"),
        )
        .field(f)
        .text_refusal()
    })
}

/// Checks every string and key of a JSON value, naming fields as `evidence[0].source`.
pub fn check_json(path: &str, v: &serde_json::Value, max: usize) -> Result<(), Problem> {
    match v {
        serde_json::Value::String(s) => check(or_body(path), s.as_bytes(), max, Carrier::Body),
        serde_json::Value::Array(a) => a
            .iter()
            .enumerate()
            .try_for_each(|(i, x)| check_json(&format!("{path}[{i}]"), x, max)),
        serde_json::Value::Object(o) => o.iter().try_for_each(|(k, x)| {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            check(&p, k.as_bytes(), MAX_NAME, Carrier::Url)?;
            check_json(&p, x, max)
        }),
        _ => Ok(()),
    }
}

fn or_body(path: &str) -> &str {
    if path.is_empty() { "body" } else { path }
}

/// Decodes `%XX` escapes (and `+` as a space where `plus` is set) to bytes, without judging them.
pub fn percent_decode(s: &str, plus: bool) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match b[i] {
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// Checks the fields of a `name=value&...` string (a query or a form body).
pub fn check_pairs(s: &str, max: usize, carrier: Carrier) -> Result<(), Problem> {
    for pair in s.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let name = percent_decode(k, true);
        check("query", &name, MAX_NAME, Carrier::Url)?;
        let field = String::from_utf8_lossy(&name);
        check(&field, &percent_decode(v, true), max, carrier)?;
    }
    Ok(())
}

/// Checks the path's segments against the route's parameters (`/api/v1/files/{kind}/{*key}`),
/// naming each by its parameter.
fn check_path(pattern: &str, path: &str) -> Result<(), Problem> {
    let mut actual = path.split('/');
    for seg in pattern.split('/') {
        if let Some(name) = seg.strip_prefix("{*").and_then(|s| s.strip_suffix('}')) {
            let rest: Vec<&str> = actual.by_ref().collect();
            return check(
                name,
                &percent_decode(&rest.join("/"), false),
                MAX_URL_TEXT,
                Carrier::Url,
            );
        }
        let Some(value) = actual.next() else {
            return Ok(());
        };
        if let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            check(
                name,
                &percent_decode(value, false),
                MAX_URL_TEXT,
                Carrier::Url,
            )?;
        }
    }
    Ok(())
}

/// The middleware: a matched route's path parameters and the query string, checked before any
/// handler runs.
pub async fn check_request(req: Request, next: Next) -> Response {
    let pattern = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string());
    let checked = pattern
        .as_deref()
        .map_or(Ok(()), |p| check_path(p, req.uri().path()))
        .and_then(|()| check_pairs(req.uri().query().unwrap_or(""), MAX_URL_TEXT, Carrier::Url));
    match checked {
        Ok(()) => next.run(req).await,
        Err(p) => p.into_response(),
    }
}

pub use crate::problem::TextRefused;

/// The middleware that audits the text check's refusals on the way out (through the refusal
/// log, so repeats are summarized), wherever they were made: here, in a body or in a form.
pub async fn audit_refusals(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let info = req
        .extensions()
        .get::<RequestInfo>()
        .cloned()
        .unwrap_or_default();
    let name = req
        .extensions()
        .get::<Principal>()
        .map_or_else(|| "anonymous".to_string(), |p| p.name.clone());
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| req.uri().path().to_string(), |m| m.as_str().to_string());
    let target = format!("{} {route}", req.method());
    let r = next.run(req).await;
    if let Some(TextRefused(field)) = r.extensions().get::<TextRefused>() {
        let target = format!("{target} ({field})");
        crate::auth::audit_refusal(&st, &info.actor(&name), "request", &target, "invalid text")
            .await;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_refuses_what_makes_no_sense() {
        assert_eq!(percent_decode("a%20b+c%", true), b"a b c%");
        assert_eq!(percent_decode("%zz%4", false), b"%zz%4");
        assert!(check("t", "技术".as_bytes(), 10, Carrier::Url).is_ok());
        let p = check("t", b"a\0b", 10, Carrier::Body).unwrap_err();
        assert_eq!(p.field.as_deref(), Some("t"));
        assert!(check("t", b"\xff", 10, Carrier::Body).is_err());
        assert!(check("t", b"a\nb", 10, Carrier::Body).is_ok());
        assert!(check("t", b"a\nb", 10, Carrier::Url).is_err());
        assert!(check_path("/api/v1/files/{kind}/{*key}", "/api/v1/files/x/a/%00").is_err());
        assert!(check_pairs("as_of=1&x=%C3%28", 10, Carrier::Url).is_err());
    }
}
