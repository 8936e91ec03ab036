//! Where a request may come from. With a public origin (`osa serve --public-url
//! https://osa.example.org`), every request's Host must name it (421 otherwise: a request meant
//! for another site, or DNS rebinding) and a browser's `Origin` on a state-changing request must
//! equal it, scheme included. Without one, the origin a browser must send is this server's own:
//! the request's Host, over `https` when cookies are marked Secure (behind a TLS proxy), `http`
//! otherwise. The same check guards the sign-in itself (login CSRF).

use crate::AppState;
use crate::problem::Problem;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// A web origin: scheme and authority (`host` or `host:port`, lower case, the scheme's default
/// port left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebOrigin {
    /// `http` or `https`.
    pub scheme: &'static str,
    /// Host and, unless the scheme's default, port.
    pub authority: String,
}

/// Why a public URL is not one.
#[derive(Debug, thiserror::Error)]
#[error("public URL `{url}`: {why} (e.g. https://osa.example.org)")]
pub struct BadPublicUrl {
    url: String,
    why: &'static str,
}

impl WebOrigin {
    /// Parses `scheme://authority[/path]` (an `Origin` header, or a public URL; a path is
    /// allowed only when `path_ok`).
    fn parse(s: &str, path_ok: bool) -> Result<WebOrigin, &'static str> {
        let (scheme, rest) = s.split_once("://").ok_or("no scheme")?;
        let scheme = match scheme.to_ascii_lowercase().as_str() {
            "http" => "http",
            "https" => "https",
            _ => return Err("the scheme must be http or https"),
        };
        let (authority, path) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
        if !path_ok && !path.is_empty() {
            return Err("an origin has no path");
        }
        if !path.is_empty() && path != "/" {
            return Err("osa is served at the root: no path");
        }
        Ok(WebOrigin {
            scheme,
            authority: normal_authority(scheme, authority)?,
        })
    }

    /// The public origin of `osa serve --public-url URL`.
    pub fn public(url: &str) -> Result<WebOrigin, BadPublicUrl> {
        WebOrigin::parse(url.trim_end(), true).map_err(|why| BadPublicUrl {
            url: url.into(),
            why,
        })
    }

    /// Whether a request's Host (or HTTP/2 authority) names this origin.
    pub fn hosts(&self, host: &str) -> bool {
        normal_authority(self.scheme, host).is_ok_and(|a| a == self.authority)
    }

    /// Whether an `Origin` header's value is this origin.
    pub fn is(&self, origin: &str) -> bool {
        WebOrigin::parse(origin, false).is_ok_and(|o| o == *self)
    }
}

impl std::fmt::Display for WebOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}", self.scheme, self.authority)
    }
}

/// `host[:port]` in lower case, without the scheme's default port; refuses what a Host cannot
/// be (empty, user info, spaces, controls).
fn normal_authority(scheme: &str, a: &str) -> Result<String, &'static str> {
    let bad = |c: char| c.is_ascii_control() || c.is_whitespace() || "@/\\?#".contains(c);
    if a.is_empty() || a.len() > 255 || a.chars().any(bad) {
        return Err("not a host[:port]");
    }
    let a = a.to_ascii_lowercase();
    let default = if scheme == "https" { ":443" } else { ":80" };
    Ok(a.strip_suffix(default).map_or(a.clone(), str::to_string))
}

/// The request's Host: the `Host` header, else the URI's authority (HTTP/2).
fn host_of(headers: &HeaderMap, uri: &axum::http::Uri) -> Option<String> {
    headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| uri.authority().map(|a| a.as_str().to_string()))
}

/// The origin a browser on this server's own pages sends: the public one, else the request's
/// Host over `https` when cookies are Secure, `http` otherwise.
fn expected(st: &AppState, headers: &HeaderMap, uri: &axum::http::Uri) -> Option<WebOrigin> {
    if let Some(p) = &st.public {
        return Some(p.as_ref().clone());
    }
    let scheme = if st.secure_cookies { "https" } else { "http" };
    let authority = normal_authority(scheme, &host_of(headers, uri)?).ok()?;
    Some(WebOrigin { scheme, authority })
}

/// Whether a browser request comes from osa's own pages: its `Origin`, when sent, is this
/// server's (scheme included), and its `Sec-Fetch-Site`, when sent, is `same-origin` or `none`.
/// A request with neither (curl, a script, an old browser's same-site form) passes. Browsers
/// send `Origin: null` on a form post from a page served with `Referrer-Policy: no-referrer`
/// (osa's pages are): that passes only with the browser's own `Sec-Fetch-Site: same-origin`,
/// which a page of another site cannot send.
pub fn same_origin(st: &AppState, headers: &HeaderMap, uri: &axum::http::Uri) -> bool {
    let site = headers.get("sec-fetch-site").map(|v| v.to_str());
    if let Some(site) = &site
        && !matches!(site, Ok("same-origin" | "none"))
    {
        return false;
    }
    match headers.get(header::ORIGIN).map(|v| v.to_str()) {
        None => true,
        Some(Ok("null")) => matches!(site, Some(Ok("same-origin"))),
        Some(Ok(origin)) => expected(st, headers, uri).is_some_and(|e| e.is(origin)),
        Some(Err(_)) => false,
    }
}

/// With a public origin, refuses (421) a request whose Host is another (the health check
/// excepted: load balancers probe by address).
pub async fn check_host(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let Some(public) = &st.public else {
        return next.run(req).await;
    };
    if req.uri().path() == "/api/v1/health" {
        return next.run(req).await;
    }
    let host = host_of(req.headers(), req.uri());
    if host.as_deref().is_some_and(|h| public.hosts(h)) {
        return next.run(req).await;
    }
    let said = host.map_or_else(|| "none".to_string(), |h| format!("`{h}`"));
    Problem::new(
        StatusCode::MISDIRECTED_REQUEST,
        format!(
            "Host {said} is not this server's: it serves {} only",
            public.authority
        ),
    )
    .field("Host")
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_urls_and_origins() {
        let p = WebOrigin::public("https://OSA.example.org/").unwrap();
        assert_eq!(p.to_string(), "https://osa.example.org");
        assert!(p.is("https://osa.example.org"));
        assert!(p.is("https://osa.example.org:443"));
        assert!(!p.is("http://osa.example.org"));
        assert!(!p.is("https://osa.example.org.evil.test"));
        assert!(!p.is("null"));
        assert!(p.hosts("osa.example.org"));
        assert!(p.hosts("osa.example.org:443"));
        assert!(!p.hosts("osa.example.org:8443"));
        assert!(!p.hosts("evil.test"));
        let h = WebOrigin::public("http://127.0.0.1:8080").unwrap();
        assert!(h.is("http://127.0.0.1:8080"));
        assert!(!h.is("https://127.0.0.1:8080"));
        for bad in [
            "osa.example.org",
            "ftp://osa.example.org",
            "https://",
            "https://u@osa.example.org",
            "https://osa.example.org/osa",
        ] {
            assert!(WebOrigin::public(bad).is_err(), "{bad}");
        }
    }
}
