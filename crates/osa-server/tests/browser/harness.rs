//! The browser harness: Debian's headless Chromium driven over WebDriver (fantoccini, plain HTTP
//! to a local chromedriver). One chromedriver per test binary, started on a free port by the first
//! browser and killed when the last one closes; each [`Browser`] is a fresh session with its own
//! temporary profile. Helpers wait explicitly (polling, with a timeout and a message saying what
//! was awaited, where, and what the page showed) and panic on failure, so tests read as steps.
//!
//! Without chromium or chromedriver the tests print `SKIP browser tests: ...` and pass, except
//! under `CI=true` where that is a failure (`.ci/run` installs both).

use base64::Engine as _;
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

/// How long a helper waits for an element, a text or a URL.
pub const WAIT: Duration = Duration::from_secs(15);
/// The default window: the width the pages are designed for.
pub const WIDTH: u32 = 1280;
/// The default window height.
pub const HEIGHT: u32 = 900;

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Reports a missing tool: a SKIP line locally, a failure under CI=true.
pub fn skip(why: &str) {
    assert!(
        !ci(),
        "{why}, and CI=true: .ci/run installs chromium, chromium-driver and the axe package"
    );
    // Straight to standard error: the harness would swallow `eprintln!` of a passing test.
    let _ = writeln!(std::io::stderr(), "SKIP browser tests: {why}");
}

fn tool(env: &str, default: &str) -> Option<PathBuf> {
    let p = std::env::var_os(env).map_or_else(|| PathBuf::from(default), PathBuf::from);
    p.is_file().then_some(p)
}

/// Chromium and chromedriver (`OSA_CHROMIUM`, `OSA_CHROMEDRIVER`, or Debian's paths).
fn tools() -> Option<(PathBuf, PathBuf)> {
    let Some(chromium) = tool("OSA_CHROMIUM", "/usr/bin/chromium") else {
        skip("chromium not found (apt-get install chromium, or set OSA_CHROMIUM)");
        return None;
    };
    let Some(driver) = tool("OSA_CHROMEDRIVER", "/usr/bin/chromedriver") else {
        skip("chromedriver not found (apt-get install chromium-driver, or set OSA_CHROMEDRIVER)");
        return None;
    };
    Some((chromium, driver))
}

/// Where screenshots go: `$OSA_ARTIFACTS`, or `<workspace>/ci-artifacts/pages` (created).
pub fn artifacts() -> PathBuf {
    let dir = std::env::var_os("OSA_ARTIFACTS").map_or_else(
        || {
            let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
            root.canonicalize()
                .unwrap_or(root)
                .join("ci-artifacts/pages")
        },
        PathBuf::from,
    );
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    dir
}

/// A blocking HTTP request without a body to a local port; the whole answer, or None.
fn http(port: u16, method: &str, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    )
    .ok()?;
    // chromedriver keeps the connection open: read the head, then Content-Length bytes.
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            if len.is_some_and(|n| buf.len() >= end + 4 + n) {
                break;
            }
        }
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    (!buf.is_empty()).then(|| String::from_utf8_lossy(&buf).into_owned())
}

/// A running chromedriver, killed on drop.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start(bin: &Path) -> Driver {
        let mut last = String::new();
        for _ in 0..5 {
            let port = TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("a free port")
                .port();
            let mut child = Command::new(bin)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("start {}: {e}", bin.display()));
            let end = Instant::now() + Duration::from_secs(20);
            while Instant::now() < end {
                if let Ok(Some(status)) = child.try_wait() {
                    last = format!("chromedriver exited with {status} (port {port} taken?)");
                    break;
                }
                if http(port, "GET", "/status").is_some_and(|r| r.contains("\"ready\":true")) {
                    return Driver { child, port };
                }
                std::thread::sleep(Duration::from_millis(25));
            }
            let _ = child.kill();
            let _ = child.wait();
            if last.is_empty() {
                last = "chromedriver did not become ready in 20 s".into();
            }
        }
        panic!("{last}");
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The shared chromedriver: alive while some browser holds it.
static DRIVER: Mutex<Weak<Driver>> = Mutex::new(Weak::new());

fn driver(bin: &Path) -> Arc<Driver> {
    let mut g = DRIVER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(d) = g.upgrade() {
        return d;
    }
    let d = Arc::new(Driver::start(bin));
    *g = Arc::downgrade(&d);
    d
}

/// A headless Chromium session on a base URL (a server's `http://127.0.0.1:PORT`).
pub struct Browser {
    client: Client,
    base: String,
    /// The WebDriver session, deleted on drop if [`Browser::close`] was not called.
    session: Option<String>,
    driver: Arc<Driver>,
    _profile: tempfile::TempDir,
}

impl std::fmt::Debug for Browser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Browser").field("base", &self.base).finish()
    }
}

/// Polls until a deadline; past it, panics saying what was awaited and what the page showed.
struct Deadline(Instant);

impl Deadline {
    fn new() -> Deadline {
        Deadline(Instant::now() + WAIT)
    }

    async fn tick(&self, b: &Browser, what: &str) {
        if Instant::now() > self.0 {
            let url = b
                .client
                .current_url()
                .await
                .map_or_else(|e| format!("? ({e})"), |u| u.to_string());
            let text = b.body_text().await;
            let excerpt: String = text.chars().take(600).collect();
            panic!(
                "timed out after {WAIT:?} waiting for {what} at {url}; the page says:\n{excerpt}"
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

impl Browser {
    /// A new session on `base`, or None (with a SKIP line) when chromium or chromedriver is missing.
    pub async fn open(base: &str) -> Option<Browser> {
        let (chromium, driver_bin) = tools()?;
        let driver = driver(&driver_bin);
        let profile = tempfile::tempdir().expect("a profile folder");
        let mut args: Vec<String> = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ]
        .map(String::from)
        .to_vec();
        args.push(format!("--window-size={WIDTH},{HEIGHT}"));
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let caps = json!({
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "goog:chromeOptions": { "binary": chromium.display().to_string(), "args": args },
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        let Value::Object(caps) = caps else {
            unreachable!()
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .unwrap_or_else(|e| panic!("a Chromium session through chromedriver: {e}"));
        let session = client.session_id().await.ok().flatten();
        Some(Browser {
            client,
            base: base.trim_end_matches('/').to_string(),
            session,
            driver,
            _profile: profile,
        })
    }

    /// The fantoccini client, for what the helpers do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// An absolute URL: `path` on the base, or `path` itself if it is a URL.
    pub fn url_of(&self, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") || path.starts_with("data:")
        {
            path.to_string()
        } else {
            format!("{}{path}", self.base)
        }
    }

    /// Navigates and waits for the load event.
    pub async fn goto(&self, path: &str) {
        let url = self.url_of(path);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// The current URL.
    pub async fn url(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("the current URL")
            .to_string()
    }

    /// Waits until the current URL's path (and query) is `path`; returns the full URL.
    pub async fn wait_for_path(&self, path: &str) -> String {
        let d = Deadline::new();
        loop {
            if let Ok(u) = self.client.current_url().await {
                let p = match u.query() {
                    Some(q) => format!("{}?{q}", u.path()),
                    None => u.path().to_string(),
                };
                if p == path && self.ready().await {
                    return u.to_string();
                }
            }
            d.tick(self, &format!("the path {path}")).await;
        }
    }

    /// Whether the document has finished loading.
    async fn ready(&self) -> bool {
        self.client
            .execute("return document.readyState", vec![])
            .await
            .is_ok_and(|v| v == "complete")
    }

    /// Runs a script (a function body; `arguments` holds `args`) and returns its value.
    pub async fn script(&self, js: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(js, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{}", excerpt(js)))
    }

    /// Runs an asynchronous script: it ends by calling `arguments[arguments.length - 1](value)`.
    pub async fn script_async(&self, js: &str, args: Vec<Value>) -> Value {
        self.client
            .execute_async(js, args)
            .await
            .unwrap_or_else(|e| panic!("async script failed: {e}\n{}", excerpt(js)))
    }

    /// The page's visible text (empty when there is no body yet).
    pub async fn body_text(&self) -> String {
        self.client
            .execute(
                "return document.body ? document.body.innerText : ''",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// The page's text parsed as JSON (an API answer shown by the browser).
    pub async fn body_json(&self) -> Value {
        let t = self.body_text().await;
        serde_json::from_str(&t).unwrap_or_else(|e| panic!("the page is not JSON ({e}):\n{t}"))
    }

    /// Waits for an element matching a CSS selector.
    pub async fn find(&self, css: &str) -> Element {
        let d = Deadline::new();
        loop {
            if let Ok(e) = self.client.find(Locator::Css(css)).await {
                return e;
            }
            d.tick(self, &format!("an element `{css}`")).await;
        }
    }

    /// Every element matching a CSS selector now (no wait).
    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_default()
    }

    /// Waits for `css`, then clears it and types `text` into it.
    pub async fn fill(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        e.clear()
            .await
            .unwrap_or_else(|err| panic!("clear `{css}`: {err}"));
        e.send_keys(text)
            .await
            .unwrap_or_else(|err| panic!("type into `{css}`: {err}"));
    }

    /// Waits for `css`, then clicks it.
    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click `{css}`: {e}"));
    }

    /// Waits for `css`, then reads its visible text.
    pub async fn text(&self, css: &str) -> String {
        self.find(css)
            .await
            .text()
            .await
            .unwrap_or_else(|e| panic!("text of `{css}`: {e}"))
    }

    /// Waits until the page's text contains `needle`.
    pub async fn wait_for_text(&self, needle: &str) {
        let d = Deadline::new();
        loop {
            if self.body_text().await.contains(needle) {
                return;
            }
            d.tick(self, &format!("the text {needle:?}")).await;
        }
    }

    /// Sets the window size (the viewport in headless Chromium), and waits until the page sees it.
    pub async fn resize(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .unwrap_or_else(|e| panic!("resize to {width}x{height}: {e}"));
        let d = Deadline::new();
        loop {
            let w = self.script("return window.innerWidth", vec![]).await;
            if w.as_u64() == Some(u64::from(width)) {
                return;
            }
            d.tick(self, &format!("a viewport {width} px wide (it is {w})"))
                .await;
        }
    }

    /// A full-page PNG of the current page as `NAME.png` in [`artifacts`]; returns its path.
    /// WebDriver's screenshot holds the viewport only (and headless Chromium will not grow its
    /// window past the screen), so this asks Chromium itself through chromedriver's DevTools
    /// passthrough: `Page.captureScreenshot` beyond the viewport, clipped to the page (at most
    /// 12,000 px high).
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let size = self
            .script(
                "const d = document.documentElement, b = document.body || d;
                 return [Math.max(d.scrollWidth, b.scrollWidth, window.innerWidth),
                         Math.max(d.scrollHeight, b.scrollHeight, window.innerHeight)]",
                vec![],
            )
            .await;
        let (w, h) = (
            size[0].as_u64().unwrap_or(u64::from(WIDTH)),
            size[1].as_u64().unwrap_or(u64::from(HEIGHT)).min(12_000),
        );
        let id = self.session.as_deref().expect("an open session");
        let r: Value = reqwest::Client::new()
            .post(format!(
                "http://127.0.0.1:{}/session/{id}/goog/cdp/execute",
                self.driver.port
            ))
            .json(&json!({
                "cmd": "Page.captureScreenshot",
                "params": {
                    "format": "png",
                    "captureBeyondViewport": true,
                    "clip": { "x": 0, "y": 0, "width": w, "height": h, "scale": 1 },
                },
            }))
            .send()
            .await
            .expect("chromedriver answers")
            .json()
            .await
            .expect("a JSON answer");
        let data = r["value"]["data"]
            .as_str()
            .unwrap_or_else(|| panic!("no screenshot: {r}"));
        let png = base64::engine::general_purpose::STANDARD
            .decode(data)
            .expect("base64");
        assert!(png.starts_with(b"\x89PNG"), "the screenshot is a PNG");
        let path = artifacts().join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        path
    }

    /// Ends the session (Chromium quits). Dropping the browser does the same, blocking.
    pub async fn close(mut self) {
        if self.session.take().is_some() {
            let _ = self.client.clone().close().await;
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // A test that panicked never reached `close`: end its Chromium all the same.
        if let Some(id) = self.session.take() {
            let _ = http(self.driver.port, "DELETE", &format!("/session/{id}"));
        }
    }
}

fn excerpt(js: &str) -> String {
    js.chars().take(200).collect()
}
