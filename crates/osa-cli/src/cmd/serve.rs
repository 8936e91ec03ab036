//! `osa serve`: the workbench's JSON API over the shared record (SQLite by default, PostgreSQL
//! with --database); uploads go to the data folder's `uploads/`. On first run on a loopback
//! address, once it listens, it creates an admin and prints a one-time sign-in link. Ctrl-C or SIGTERM finishes the requests in flight and exits.

use crate::cmd::db::{StoreArgs, runtime};
use anyhow::{Context, Result};
use clap::Args;
use osa_server::AppState;
use osa_server::serve::{ServeConfig, prepare, serve, signal};
use std::net::SocketAddr;

/// `osa serve`
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (a non-loopback address needs a user first: osa user add).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Mark session cookies Secure (when a TLS proxy serves osa).
    #[arg(long)]
    pub secure_cookies: bool,
    /// The report's text (its .compact.txt, the lines seed citations count), so that citations
    /// open their passage; read at start, never compiled in.
    /// Default: $OSA_SEED.
    #[arg(long, value_name = "FILE")]
    pub seed: Option<std::path::PathBuf>,
    /// Mail the users' notifications (those who chose it on their inbox page) through this SMTP
    /// server: smtp://HOST:PORT (plain SMTP; a local relay).
    #[arg(long, value_name = "URL")]
    pub smtp: Option<String>,
    /// The sender of those mails.
    #[arg(long, value_name = "ADDRESS", default_value = "osa <osa@localhost>")]
    pub smtp_from: String,
    /// The workbench's address as users reach it (https://osa.example.org): every request's
    /// Host must name it (421 otherwise) and a browser's Origin on a write must equal it, scheme
    /// included; the links in mails use it. Default: $OSA_PUBLIC_URL, else none (the Host is
    /// not checked, links use http:// and --bind).
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// At most this many connections at once from one client address (0: no limit; behind a
    /// proxy every request comes from the proxy's address: raise it or use 0).
    #[arg(long, value_name = "N", default_value_t = osa_server::serve::MAX_CLIENT_CONNECTIONS)]
    pub max_client_connections: usize,
    /// Append the audit log's head to this file at start and every --checkpoint-every (keep it,
    /// or a copy, off the database's machine; `osa audit verify --checkpoint FILE` checks it).
    #[arg(long, value_name = "FILE")]
    pub checkpoint_file: Option<std::path::PathBuf>,
    /// How often to write a checkpoint (e.g. 10m, 1h).
    #[arg(long, value_name = "DURATION", default_value = "1h", value_parser = parse_every)]
    pub checkpoint_every: std::time::Duration,
    /// A proxy (TLS terminator, load balancer) in front of osa, by address: its X-Forwarded-For
    /// names the client (for sign-in limits and the audit log). Repeat for several.
    #[arg(long, value_name = "IP")]
    pub trust_proxy: Vec<std::net::IpAddr>,
    /// The write budget of each analyst, reviewer and admin: BURST/PER_SECOND (viewers: 60/1).
    #[arg(long, value_name = "BURST/PER_SECOND", default_value = "600/20")]
    pub write_budget: osa_server::limits::Budget,
}

fn parse_every(s: &str) -> std::result::Result<std::time::Duration, String> {
    let d = humantime::parse_duration(s).map_err(|e| format!("`{s}`: {e} (e.g. 10m, 1h)"))?;
    if d < std::time::Duration::from_secs(1) {
        return Err(format!("`{s}`: at least 1s"));
    }
    Ok(d)
}

/// Writes a checkpoint now and then every `every` (until the runtime stops); a failure is said
/// on standard error and retried at the next tick.
fn spawn_checkpoints(
    store: osa_store::Store,
    file: std::path::PathBuf,
    every: std::time::Duration,
    first: i64,
) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        let mut last = Some(first);
        loop {
            tick.tick().await;
            let r = match store.checkpoint().await {
                Ok(c) if last == Some(c.seq) => Ok(()),
                Ok(c) => osa_store::checkpoint::append(&file, &c).map(|()| last = Some(c.seq)),
                Err(e) => Err(e),
            };
            if let Err(e) = r {
                say!("osa serve: checkpoint to {}: {e}", file.display());
            }
        }
    });
}

/// Runs `osa serve`.
pub fn run(args: ServeArgs) -> Result<()> {
    runtime()?.block_on(async move {
        let cfg = ServeConfig {
            secure_cookies: args.secure_cookies,
            data: Some(args.store.data_dir()?),
            max_client_connections: args.max_client_connections,
            ..ServeConfig::new(args.bind, args.store.url()?)
        };
        let public_url = args.public_url.clone().or_else(|| {
            std::env::var("OSA_PUBLIC_URL")
                .ok()
                .filter(|s| !s.is_empty())
        });
        let public = public_url
            .as_deref()
            .map(osa_server::origin::WebOrigin::public)
            .transpose()
            .context("osa serve --public-url")?;
        let wb = prepare(&cfg).await?;
        if let Some(f) = &args.checkpoint_file {
            let c = wb.store().checkpoint().await?;
            osa_store::checkpoint::append(f, &c).context("osa serve --checkpoint-file")?;
            spawn_checkpoints(wb.store().clone(), f.clone(), args.checkpoint_every, c.seq);
        }
        let mut state = AppState::new(wb);
        state.secure_cookies = cfg.secure_cookies;
        state.trusted_proxies = std::sync::Arc::new(args.trust_proxy.clone());
        let mut writes = osa_server::limits::WriteLimiter::new(state.counters.clone());
        writes.editors = args.write_budget;
        state.writes = std::sync::Arc::new(writes);
        state.public = public.map(std::sync::Arc::new);
        if let Some(url) = &args.smtp {
            let base = state
                .public
                .as_ref()
                .map_or_else(|| format!("http://{}", args.bind), |p| p.to_string());
            let m = osa_server::mail::Mailer::new(url, &args.smtp_from, &base)?;
            say!("osa serve: mailing notifications through {url}");
            state.mail = Some(std::sync::Arc::new(m));
        }
        state.seed = match args
            .seed
            .clone()
            .or_else(|| std::env::var_os("OSA_SEED").map(Into::into))
        {
            Some(p) => Some(std::sync::Arc::new(
                osa_app::reader::SeedText::load(&p).context("osa serve --seed")?,
            )),
            None => {
                say!("osa serve: no --seed FILE: seed citations will not open their passage");
                None
            }
        };
        serve(
            cfg.clone(),
            state,
            |addr, link| {
                println!(
                    "osa serve: listening on http://{addr} (record: {})",
                    cfg.database
                );
                if let Some(l) = &link {
                    println!(
                        "first run: sign in as admin with this one-time link (valid 24 hours):"
                    );
                    println!("  {l}");
                }
            },
            signal(),
        )
        .await?;
        say!("osa serve: stopped");
        Ok(())
    })
}
