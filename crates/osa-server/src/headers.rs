//! What every response carries: a request id (`x-request-id`, also in the audit log) and the
//! security headers (a Content-Security-Policy without inline script, frame-ancestors none,
//! nosniff, a strict referrer policy).

use crate::RequestInfo;
use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use std::net::SocketAddr;

/// The Content-Security-Policy of every response.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Sets the request's id and client, and the response's security headers.
pub async fn request_info(mut req: Request, next: Next) -> Response {
    let mut b = [0u8; 8];
    let id = match getrandom::fill(&mut b) {
        Ok(()) => b.iter().map(|x| format!("{x:02x}")).collect(),
        Err(_) => "unknown".to_string(),
    };
    let client = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string());
    req.extensions_mut().insert(RequestInfo {
        id: id.clone(),
        client,
    });
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&id) {
        h.insert("x-request-id", v);
    }
    h.insert("content-security-policy", HeaderValue::from_static(CSP));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.entry("cache-control")
        .or_insert(HeaderValue::from_static("no-store"));
    res
}
