//! A tiny second web server for the browser tests: fixed HTML pages by path on a free port of
//! 127.0.0.1, each answer optionally with osa's Content-Security-Policy. It plays the hostile site
//! of the cross-site tests (another origin) and serves the pages that check the axe helper.

use std::collections::HashMap;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A running site; stops when dropped.
#[derive(Debug)]
pub struct Site {
    pub port: u16,
    task: tokio::task::JoinHandle<()>,
}

impl Site {
    /// Serves `pages` (path to HTML); other paths get 404. With `csp`, every answer carries osa's
    /// Content-Security-Policy header.
    pub async fn start(pages: Vec<(&str, String)>, csp: bool) -> Site {
        let pages: Arc<HashMap<String, String>> =
            Arc::new(pages.into_iter().map(|(p, h)| (p.to_string(), h)).collect());
        let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = l.local_addr().expect("address").port();
        let task = tokio::spawn(async move {
            while let Ok((mut s, _)) = l.accept().await {
                let pages = pages.clone();
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 16 * 1024];
                    let mut n = 0;
                    // The request head (bodies are ignored).
                    while n < buf.len() {
                        match s.read(&mut buf[n..]).await {
                            Ok(0) | Err(_) => break,
                            Ok(k) => n += k,
                        }
                        if buf[..n].windows(4).any(|w| w == b"\r\n\r\n") {
                            break;
                        }
                    }
                    let head = String::from_utf8_lossy(&buf[..n]);
                    let path = head
                        .split_whitespace()
                        .nth(1)
                        .unwrap_or("/")
                        .split('?')
                        .next()
                        .unwrap_or("/")
                        .to_string();
                    let (status, body) = match pages.get(&path) {
                        Some(b) => ("200 OK", b.clone()),
                        None => ("404 Not Found", "<!doctype html><title>404</title>".into()),
                    };
                    let csp = if csp {
                        format!("content-security-policy: {}\r\n", osa_server::headers::CSP)
                    } else {
                        String::new()
                    };
                    let answer = format!(
                        "HTTP/1.1 {status}\r\ncontent-type: text/html; charset=utf-8\r\n{csp}content-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = s.write_all(answer.as_bytes()).await;
                    let _ = s.shutdown().await;
                });
            }
        });
        Site { port, task }
    }

    /// A URL of the site on a host name (`127.0.0.1` or `localhost`: two different sites).
    pub fn url(&self, host: &str, path: &str) -> String {
        format!("http://{host}:{}{path}", self.port)
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        self.task.abort();
    }
}
