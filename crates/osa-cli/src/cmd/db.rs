//! `osa db migrate|backup|export|import`: the shared record's database. Also where every store
//! command finds it: `--database URL`, else `--data DIR` (or `OSA_DATA`), else the platform's data
//! directory, holding `osa.db` (SQLite).

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use osa_app::workbench::Workbench;
use osa_store::users::{Principal, Role};
use std::path::{Path, PathBuf};

/// Where the record is.
#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    /// The folder of the embedded database (default: $OSA_DATA, else the platform's data
    /// directory, e.g. ~/.local/share/osa).
    #[arg(long, value_name = "DIR", global = true)]
    pub data: Option<PathBuf>,
    /// A database URL instead: sqlite:PATH or postgres://USER@HOST:PORT/DB.
    #[arg(long, alias = "db", value_name = "URL", global = true)]
    pub database: Option<String>,
}

impl StoreArgs {
    /// The data folder (created when needed): `--data`, else $OSA_DATA, else the platform's.
    /// It holds `osa.db` unless `--database` names another, and the server's `uploads/`.
    pub fn data_dir(&self) -> Result<PathBuf> {
        let dir = match (&self.data, std::env::var_os("OSA_DATA")) {
            (Some(d), _) => d.clone(),
            (None, Some(d)) => PathBuf::from(d),
            (None, None) => dirs::data_dir()
                .map(|d| d.join("osa"))
                .context("no data directory on this platform: give --data DIR or --database URL")?,
        };
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("could not create {}", dir.display()))?;
        Ok(dir)
    }

    /// The database URL, creating the data folder when needed.
    pub fn url(&self) -> Result<String> {
        if let Some(u) = &self.database {
            return Ok(u.clone());
        }
        let dir = self.data_dir()?;
        Ok(format!("sqlite:{}", dir.join("osa.db").display()))
    }

    /// Opens (migrates, seeds) the workbench.
    pub async fn open(&self) -> Result<Workbench> {
        let url = self.url()?;
        Workbench::open(&url)
            .await
            .with_context(|| format!("could not open the record at {url}"))
    }
}

/// The person at the terminal, acting as an admin of the local record.
pub fn operator() -> (osa_store::Actor, Principal) {
    let user = std::env::var("USER").unwrap_or_else(|_| "operator".into());
    let name = format!("cli:{user}");
    (
        osa_store::Actor::cli(&name),
        Principal {
            name,
            role: Role::Admin,
            via: "cli",
        },
    )
}

/// A runtime for the store commands.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("could not start the async runtime")
}

/// `osa db ...`
#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Apply the migrations not applied yet (osa serve does it at start too).
    Migrate {
        #[command(flatten)]
        store: StoreArgs,
        /// PostgreSQL, run as the tables' owner: grant this role (created beforehand, e.g.
        /// `CREATE ROLE osa_server LOGIN PASSWORD '...'`) what osa serve needs, with INSERT and
        /// SELECT only on the audit log. Run again after each upgrade.
        #[arg(long, value_name = "ROLE")]
        grant_server_role: Option<String>,
    },
    /// A consistent copy of the live database: SQLite via VACUUM INTO, PostgreSQL via pg_dump.
    Backup {
        /// The copy (must not exist).
        file: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Write the published state in osa's file formats (baseline/, ecosystems/, scenarios/).
    Export {
        /// The folder (new, empty, or one osa wrote before: it is replaced whole).
        dir: PathBuf,
        /// As of a revision (r12) or time (2026-11-30T17:00:00Z); default: the latest.
        #[arg(long)]
        as_of: Option<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Validate a folder written by `osa db export` and write what differs as one revision.
    Import {
        /// The folder.
        dir: PathBuf,
        /// Why (recorded with the revision).
        #[arg(long)]
        note: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// Runs `osa db ...`.
pub fn run(c: DbCommand) -> Result<()> {
    runtime()?.block_on(async move {
        match c {
            DbCommand::Migrate {
                store: s,
                grant_server_role,
            } => {
                let store = osa_store::Store::open(&s.url()?).await?;
                let done = store.migrate().await?;
                say!(
                    "migrations applied now: {done:?} (schema version {})",
                    osa_store::migrate::latest_version()
                );
                if let Some(role) = grant_server_role {
                    store
                        .grant_server_role(&role)
                        .await
                        .context("osa db migrate --grant-server-role")?;
                    say!(
                        "granted `{role}` what osa serve needs: INSERT and SELECT only on the audit log"
                    );
                }
                Ok(())
            }
            DbCommand::Backup { file, store } => backup(&store, &file).await,
            DbCommand::Export { dir, as_of, store } => export(&store, &dir, as_of.as_deref()).await,
            DbCommand::Import { dir, note, store } => {
                let wb = store.open().await?;
                let (actor, who) = operator();
                match wb.import(&actor, &who, &dir, &note).await? {
                    Some(r) => say!("imported {} as revision {r}", dir.display()),
                    None => say!("nothing differs from the record; no revision written"),
                }
                Ok(())
            }
        }
    })
}

async fn backup(s: &StoreArgs, file: &Path) -> Result<()> {
    if file.exists() {
        bail!("{} exists; osa does not overwrite a backup", file.display());
    }
    let url = s.url()?;
    if url.starts_with("sqlite:") {
        let store = osa_store::Store::open(&url).await?;
        store.backup_into(file).await?;
    } else {
        let st = std::process::Command::new("pg_dump")
            .arg("--dbname")
            .arg(&url)
            .arg("--file")
            .arg(file)
            .status()
            .context("could not run pg_dump (PostgreSQL's client tools)")?;
        if !st.success() {
            bail!("pg_dump failed ({st})");
        }
    }
    say!("backup written to {}", file.display());
    Ok(())
}

async fn export(s: &StoreArgs, dir: &Path, as_of: Option<&str>) -> Result<()> {
    osa_io::write::check_dir_target(dir, false)?;
    let wb = s.open().await?;
    let rev = wb.revision_of(as_of).await?;
    let files = osa_app::workbench::portability::published_files(&wb, rev).await?;
    let bytes: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(rel, text)| (rel.display().to_string(), text.clone().into_bytes()))
        .collect();
    osa_io::write::write_dir(dir, &bytes, false)?;
    say!(
        "exported revision {rev} ({} files) to {}",
        files.len(),
        dir.display()
    );
    Ok(())
}
