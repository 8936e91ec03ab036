//! Running the server: open (migrate, seed) the store, make sure someone can sign in, bind, serve
//! with bounded connections (in all, and per client address) and timeouts, and on Ctrl-C or SIGTERM stop accepting, finish the
//! requests in flight and close the store.
//!
//! First run: on a loopback address with no users yet, an `admin` is created and a one-time
//! sign-in link printed, once the server listens (a start that fails, on a port already taken,
//! makes nothing); on any other address the server refuses to start until a user exists
//! (`osa user add`).

use crate::{AppState, app};
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use osa_app::workbench::Workbench;
use osa_store::Actor;
use osa_store::users::Role;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// A whole request must be answered within this time.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// An upload (`POST /api/v1/uploads`) must be answered within this time (a BACI year is about
/// 1 GB: 4.5 MB/s at least).
pub const UPLOAD_TIMEOUT: Duration = Duration::from_secs(3600);
/// A client must send a request's headers within this time (idle connections are closed).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// At most this many connections at once.
pub const MAX_CONNECTIONS: usize = 1024;
/// At most this many connections at once from one client address (`osa serve
/// --max-client-connections`): one client holding many half-open connections cannot take the
/// slots of the others.
pub const MAX_CLIENT_CONNECTIONS: usize = 64;

/// The upload area is swept at start and then this often.
pub const SWEEP_EVERY: Duration = Duration::from_secs(3600);
/// Requests in flight get this long to finish at shutdown.
pub const DRAIN: Duration = Duration::from_secs(30);

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Address to bind.
    pub bind: SocketAddr,
    /// `sqlite:PATH` or `postgres://...`.
    pub database: String,
    /// Mark cookies Secure (behind a TLS proxy).
    pub secure_cookies: bool,
    /// The data folder whose `uploads/` receives uploaded files (`None`: uploads are refused).
    pub data: Option<std::path::PathBuf>,
    /// At most this many connections at once from one client address (0: no limit).
    pub max_client_connections: usize,
    /// A client must send a request's headers within this time.
    pub header_timeout: Duration,
}

impl ServeConfig {
    /// A configuration with the default limits and timeouts: insecure cookies, no uploads.
    pub fn new(bind: SocketAddr, database: impl Into<String>) -> ServeConfig {
        ServeConfig {
            bind,
            database: database.into(),
            secure_cookies: false,
            data: None,
            max_client_connections: MAX_CLIENT_CONNECTIONS,
            header_timeout: HEADER_TIMEOUT,
        }
    }
}

/// Errors of serving.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The workbench could not be opened.
    #[error("could not open the store: {0}")]
    Open(#[from] osa_app::AppError),
    /// Binding failed.
    #[error("could not listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// No user can sign in on a non-loopback address.
    #[error(
        "no user exists and {0} is not a loopback address: add one first with `osa user add NAME --role admin`"
    )]
    NoUser(SocketAddr),
}

/// Opens the store (and the upload area of the data folder) and checks that someone will be able
/// to sign in: users exist, or the address is a loopback one (the admin is made once the server
/// listens, see [`serve`]).
pub async fn prepare(cfg: &ServeConfig) -> Result<Workbench, ServeError> {
    let mut wb = Workbench::open(&cfg.database).await?;
    // PostgreSQL: the head is cached between writes, told by notification (osa_store::watch).
    wb.store()
        .watch_head()
        .await
        .map_err(osa_app::AppError::from)?;
    if let Some(dir) = &cfg.data {
        wb = wb.with_uploads(osa_app::intake::Area::open(dir)?);
    }
    let users = wb
        .store()
        .user_count()
        .await
        .map_err(osa_app::AppError::from)?;
    if users == 0 && !cfg.bind.ip().is_loopback() {
        wb.store().close().await;
        return Err(ServeError::NoUser(cfg.bind));
    }
    Ok(wb)
}

/// On first run (no users), creates the `admin` and answers its one-time sign-in address (on
/// the public origin when there is one).
async fn first_run(st: &AppState, addr: SocketAddr) -> Result<Option<String>, ServeError> {
    let store = st.wb.store();
    if store.user_count().await.map_err(osa_app::AppError::from)? > 0 {
        return Ok(None);
    }
    let sys = Actor::system();
    store
        .add_user(&sys, "admin", Role::Admin, None)
        .await
        .map_err(osa_app::AppError::from)?;
    let secret = store
        .signin_link(&sys, "admin", Duration::from_secs(24 * 3600))
        .await
        .map_err(osa_app::AppError::from)?;
    let base = st
        .public
        .as_ref()
        .map_or_else(|| format!("http://{addr}"), |p| p.to_string());
    Ok(Some(format!("{base}/signin?token={secret}")))
}

/// Serves until `shutdown` resolves; `on_ready` gets the bound address (port 0 picks a free one)
/// and, on first run, the admin's one-time sign-in address (made only now that the server
/// listens).
pub async fn serve(
    cfg: ServeConfig,
    state: AppState,
    on_ready: impl FnOnce(SocketAddr, Option<String>),
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<(), ServeError> {
    let listener = TcpListener::bind(cfg.bind)
        .await
        .map_err(|source| ServeError::Bind {
            addr: cfg.bind,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| ServeError::Bind {
        addr: cfg.bind,
        source,
    })?;
    let link = first_run(&state, addr).await?;
    on_ready(addr, link);
    let sweeper = spawn_sweeper(state.wb.clone());
    let mailer = state
        .mail
        .as_ref()
        .map(|m| m.as_ref().clone().spawn(state.wb.clone()));
    let router = app(state.clone());
    let graceful = GracefulShutdown::new();
    // Tells connections that have not sent a byte yet that the server is stopping (see below).
    let (stopping, stopping_rx) = tokio::sync::watch::channel(false);
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let clients = Arc::new(Clients::new(cfg.max_client_connections));
    let conn = Conn {
        router,
        stop: stopping_rx,
        header_timeout: cfg.header_timeout,
    };
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = slots.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            c = listener.accept() => match c {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("warning: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Over its client's share, a connection is closed at once (its slot freed).
        if let Some(own) = clients.admit(peer.ip()) {
            conn.spawn(stream, peer, graceful.watcher(), (permit, own));
        }
    }
    drop(listener);
    let _ = stopping.send(true);
    if tokio::time::timeout(DRAIN, graceful.shutdown())
        .await
        .is_err()
    {
        eprintln!("warning: some requests did not finish within {DRAIN:?}");
    }
    if let Some(m) = mailer {
        m.abort();
    }
    sweeper.abort();
    state.wb.store().close().await;
    Ok(())
}

/// Sweeps the upload area now and then every [`SWEEP_EVERY`] (see `osa_app::workbench::sweep`).
fn spawn_sweeper(wb: Workbench) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(SWEEP_EVERY);
        loop {
            every.tick().await;
            match wb.sweep_uploads(osa_app::workbench::sweep::SWEEP_AGE).await {
                Ok(0) => {}
                Ok(n) => eprintln!("swept {n} unreferenced uploads older than a day"),
                Err(e) => eprintln!("warning: the upload sweep failed: {e}"),
            }
        }
    })
}

/// The time limit of every request: [`REQUEST_TIMEOUT`], [`UPLOAD_TIMEOUT`] for an upload; 408
/// past it (an upload's partial file is removed as its writer is dropped).
pub async fn time_limit(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let (method, path) = (req.method(), req.uri().path());
    let upload = (method == axum::http::Method::POST && path == "/api/v1/uploads")
        || (method == axum::http::Method::PUT
            && path.starts_with("/api/v1/trade-datasets/")
            && path.ends_with("/csv"));
    let limit = if upload {
        UPLOAD_TIMEOUT
    } else {
        REQUEST_TIMEOUT
    };
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(r) => r,
        Err(_) => axum::http::StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}

/// The connections open per client address, each at most `max` (0: no limit).
#[derive(Debug)]
struct Clients {
    max: usize,
    open: std::sync::Mutex<std::collections::HashMap<IpAddr, usize>>,
}

/// One open connection of a client, counted until dropped.
#[derive(Debug)]
struct ClientSlot {
    clients: Arc<Clients>,
    ip: IpAddr,
}

impl Clients {
    fn new(max: usize) -> Clients {
        Clients {
            max,
            open: std::sync::Mutex::default(),
        }
    }

    /// A slot for one more connection of `ip`, or `None` when it has its share already.
    fn admit(self: &Arc<Self>, ip: IpAddr) -> Option<ClientSlot> {
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = open.entry(ip).or_insert(0);
        if self.max > 0 && *n >= self.max {
            return None;
        }
        *n += 1;
        Some(ClientSlot {
            clients: self.clone(),
            ip,
        })
    }
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut open = self
            .clients
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = open.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

/// What every connection's task needs.
struct Conn {
    router: axum::Router,
    stop: tokio::sync::watch::Receiver<bool>,
    header_timeout: Duration,
}

impl Conn {
    /// Serves one connection on its own task, holding its slots (the server's, its client's)
    /// until it ends.
    fn spawn(
        &self,
        stream: tokio::net::TcpStream,
        peer: SocketAddr,
        watcher: hyper_util::server::graceful::Watcher,
        slots: (tokio::sync::OwnedSemaphorePermit, ClientSlot),
    ) {
        let svc = tower::ServiceExt::map_request(
            self.router.clone(),
            move |mut r: axum::http::Request<hyper::body::Incoming>| {
                r.extensions_mut().insert(ConnectInfo(peer));
                r
            },
        );
        let svc = hyper_util::service::TowerToHyperService::new(svc);
        let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
        builder
            .http1()
            .timer(TokioTimer::new())
            .header_read_timeout(self.header_timeout)
            .max_buf_size(64 * 1024);
        let (mut stop, wait) = (self.stop.clone(), self.header_timeout);
        tokio::spawn(async move {
            // A client that connects and says nothing is dropped (hyper's header timer starts
            // with the first byte), and so is one still silent when the server stops: it has no
            // request in flight, but its watcher is alive, and `graceful.shutdown()` waits for
            // every watcher, so a silent connection (a browser's preconnect, an idle load
            // balancer probe) used to hold SIGTERM up for the header timeout. A first byte
            // already there wins over the stop.
            let mut byte = [0u8; 1];
            let first_byte = tokio::select! {
                biased;
                r = tokio::time::timeout(wait, stream.peek(&mut byte)) => {
                    matches!(r, Ok(Ok(1..)))
                }
                _ = stop.wait_for(|s| *s) => false,
            };
            if first_byte {
                let conn = builder
                    .serve_connection(TokioIo::new(stream), svc)
                    .into_owned();
                let _ = watcher.watch(conn).await;
            }
            drop(slots);
        });
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
