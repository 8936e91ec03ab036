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
}

/// Runs `osa serve`.
pub fn run(args: ServeArgs) -> Result<()> {
    runtime()?.block_on(async move {
        let cfg = ServeConfig {
            bind: args.bind,
            database: args.store.url()?,
            secure_cookies: args.secure_cookies,
            data: Some(args.store.data_dir()?),
        };
        let wb = prepare(&cfg).await?;
        let mut state = AppState::new(wb);
        state.secure_cookies = cfg.secure_cookies;
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
