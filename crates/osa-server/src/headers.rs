//! What every response carries: a request id (`x-request-id`, also in the audit log) and the
//! security headers (a Content-Security-Policy without inline script, frame-ancestors none,
//! nosniff, a strict referrer policy). The client is the connection's peer, or, when the peer is
//! a proxy the server trusts (`osa serve --trust-proxy`), the address that proxy put in
//! `X-Forwarded-For`: the nearest one not itself a trusted proxy.

use crate::{AppState, RequestInfo};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};

/// The Content-Security-Policy of every response.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Sets the request's id and client, and the response's security headers.
pub async fn request_info(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let mut b = [0u8; 8];
    let id = match getrandom::fill(&mut b) {
        Ok(()) => b.iter().map(|x| format!("{x:02x}")).collect(),
        Err(_) => "unknown".to_string(),
    };
    let client = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(
            || "unknown".to_string(),
            |c| client_of(c.0.ip(), &st.trusted_proxies, req.headers()).to_string(),
        );
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

/// The client of a request from `peer`: the peer, unless it is a trusted proxy; then the
/// right-most address of `X-Forwarded-For` that is not a trusted proxy (each proxy appends the
/// address it got the request from, so entries left of it are the client's word).
pub fn client_of(peer: IpAddr, trusted: &[IpAddr], headers: &axum::http::HeaderMap) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => continue,
            Ok(ip) => return ip,
            Err(_) => return peer,
        }
    }
    peer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trusted_proxy_names_the_client_and_nobody_else_does() {
        let proxy: IpAddr = [10, 0, 0, 2].into();
        let mut h = axum::http::HeaderMap::new();
        h.append("x-forwarded-for", "1.2.3.4, 203.0.113.7".parse().unwrap());
        h.append("x-forwarded-for", "10.0.0.2".parse().unwrap());
        assert_eq!(
            client_of(proxy, &[proxy], &h),
            IpAddr::from([203, 0, 113, 7])
        );
        // A client's own header is not believed.
        let other: IpAddr = [198, 51, 100, 1].into();
        assert_eq!(client_of(other, &[proxy], &h), other);
        assert_eq!(client_of(proxy, &[proxy], &Default::default()), proxy);
    }
}
