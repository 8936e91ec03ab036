//! `osa audit verify|checkpoint`: checks the audit log (its hash chain, dense sequence numbers,
//! append-only triggers, the content seals of every row, its head, and on PostgreSQL the server
//! role's rights) and, with `--checkpoint FILE`, that it is not shorter than or different from any
//! checkpoint; exits 2 when anything was edited, deleted, disabled or dropped behind osa's back.
//! `checkpoint` prints the head and appends it to a file kept elsewhere.

use crate::cmd::db::{StoreArgs, runtime};
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use std::path::PathBuf;

/// `osa audit ...`
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Verify the audit log and the content it seals.
    Verify(VerifyArgs),
    /// Print the audit log's head (sequence number, hash) and append it to a checkpoint file.
    Checkpoint(CheckpointArgs),
}

/// `osa audit verify`
#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// A checkpoint file (from `osa audit checkpoint` or `osa serve --checkpoint-file`): the log
    /// must hold every checkpoint in it. Repeatable.
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Vec<PathBuf>,
    /// PostgreSQL: the role `osa serve` connects as; verify checks it cannot alter the audit log
    /// (no UPDATE, DELETE, TRUNCATE, no ownership). Default: the role of --database's URL.
    #[arg(long, value_name = "ROLE")]
    pub server_role: Option<String>,
}

/// `osa audit checkpoint`
#[derive(Debug, Args)]
pub struct CheckpointArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// The file to append the checkpoint to (created when missing); keep it off the database's
    /// machine.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}

/// Runs `osa audit ...`.
pub fn run(c: AuditCommand) -> Result<()> {
    match c {
        AuditCommand::Verify(a) => verify(a),
        AuditCommand::Checkpoint(a) => checkpoint(a),
    }
}

fn checkpoint(a: CheckpointArgs) -> Result<()> {
    runtime()?.block_on(async move {
        let s = osa_store::Store::open(&a.store.url()?).await?;
        let c = s.checkpoint().await?;
        println!("{}", c.line());
        if let Some(f) = &a.file {
            osa_store::checkpoint::append(f, &c)
                .with_context(|| format!("osa audit checkpoint {}", f.display()))?;
            say!("appended to {}", f.display());
        }
        Ok(())
    })
}

fn verify(a: VerifyArgs) -> Result<()> {
    let mut checkpoints = Vec::new();
    for f in &a.checkpoint {
        let list = osa_store::checkpoint::read(f).context("osa audit verify --checkpoint")?;
        checkpoints.push((f.display().to_string(), list));
    }
    runtime()?.block_on(async move {
        let s = osa_store::Store::open(&a.store.url()?).await?;
        let v = s.verify_audit().await?;
        let mut problems = v.problems;
        let mut notes = Vec::new();
        for (name, list) in &checkpoints {
            problems.extend(s.check_checkpoints(name, list).await?);
            notes.push(format!("{} checkpoints of {name} held", list.len()));
        }
        if s.backend() == osa_store::Backend::Postgres {
            let r = s.check_roles(a.server_role.as_deref()).await?;
            problems.extend(r.problems);
            notes.extend(r.notes);
        }
        if problems.is_empty() {
            println!(
                "audit log verifies: {} rows, every sealed row matches its seal\nhead: {} {}",
                v.rows, v.rows, v.head
            );
            for n in &notes {
                println!("{n}");
            }
            Ok(())
        } else {
            for p in &problems {
                say!("problem: {p}");
            }
            bail!(
                "the audit log does not verify ({} problems in {} rows)",
                problems.len(),
                v.rows
            )
        }
    })
}
