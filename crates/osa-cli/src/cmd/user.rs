//! `osa user add|list|disable|enable|link`: the users of the shared record, managed at the
//! terminal by whoever can open its database (recorded in the audit log as `cli:$USER`).

use crate::cmd::db::{StoreArgs, operator, runtime};
use anyhow::{Context, Result, bail};
use clap::Subcommand;
use osa_store::users::Role;
use std::io::Read;
use std::time::Duration;

/// `osa user ...`
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user. The password is read from standard input (one line) with --password-stdin;
    /// without it the user signs in with a one-time link (osa user link).
    Add {
        /// Name: letters, digits, '.', '_', '-', '@'.
        name: String,
        /// Role: viewer, analyst, reviewer or admin.
        #[arg(long, value_parser = ["viewer", "analyst", "reviewer", "admin"])]
        role: String,
        /// Read the password from standard input.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// List users.
    List(#[command(flatten)] StoreArgs),
    /// Disable a user: their sessions and tokens stop working.
    Disable {
        /// The user.
        name: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Enable a disabled user.
    Enable {
        /// The user.
        name: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Print a one-time sign-in address for a user (valid 24 hours).
    Link {
        /// The user.
        name: String,
        /// Where the server is reached (default: $OSA_URL, else osa serve's default address).
        #[arg(long, value_name = "URL")]
        url: Option<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// Runs `osa user ...`.
pub fn run(c: UserCommand) -> Result<()> {
    let (actor, _) = operator();
    runtime()?.block_on(async move {
        match c {
            UserCommand::Add {
                name,
                role,
                password_stdin,
                store,
            } => {
                let role = Role::parse(&role).context("unknown role")?;
                let password = if password_stdin {
                    let mut s = String::new();
                    std::io::stdin().take(4096).read_to_string(&mut s)?;
                    let p = s.lines().next().unwrap_or("").to_string();
                    if p.is_empty() {
                        bail!("--password-stdin: no password on standard input");
                    }
                    Some(p)
                } else {
                    None
                };
                let wb = store.open().await?;
                let u = wb.store().add_user(&actor, &name, role, password).await?;
                say!("added {} ({})", u.name, u.role.as_str());
                Ok(())
            }
            UserCommand::List(store) => {
                let wb = store.open().await?;
                for u in wb.store().users().await? {
                    println!(
                        "{}\t{}\t{}",
                        u.name,
                        u.role.as_str(),
                        if u.disabled { "disabled" } else { "active" }
                    );
                }
                Ok(())
            }
            UserCommand::Disable { name, store } => {
                store
                    .open()
                    .await?
                    .store()
                    .set_disabled(&actor, &name, true)
                    .await?;
                say!("disabled {name}");
                Ok(())
            }
            UserCommand::Enable { name, store } => {
                store
                    .open()
                    .await?
                    .store()
                    .set_disabled(&actor, &name, false)
                    .await?;
                say!("enabled {name}");
                Ok(())
            }
            UserCommand::Link { name, url, store } => {
                let base = url
                    .or_else(|| std::env::var("OSA_URL").ok())
                    .unwrap_or_else(|| "http://127.0.0.1:8080".into());
                let base = base.trim_end_matches('/');
                if !(base.starts_with("http://") || base.starts_with("https://")) {
                    anyhow::bail!(
                        "--url {base}: give the server's address, like http://127.0.0.1:8080"
                    );
                }
                let wb = store.open().await?;
                let s = wb
                    .store()
                    .signin_link(&actor, &name, Duration::from_secs(24 * 3600))
                    .await?;
                println!("{base}/signin?token={s}");
                Ok(())
            }
        }
    })
}
