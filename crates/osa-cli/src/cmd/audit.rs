//! `osa audit verify`: checks the audit log's hash chain, its dense sequence numbers and its
//! append-only triggers; exits 2 when anything was edited, deleted or dropped behind osa's back.

use crate::cmd::db::{StoreArgs, runtime};
use anyhow::{Result, bail};
use clap::Subcommand;

/// `osa audit ...`
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Verify the audit log.
    Verify(#[command(flatten)] StoreArgs),
}

/// Runs `osa audit ...`.
pub fn run(c: AuditCommand) -> Result<()> {
    let AuditCommand::Verify(store) = c;
    runtime()?.block_on(async move {
        let s = osa_store::Store::open(&store.url()?).await?;
        let v = s.verify_audit().await?;
        if v.problems.is_empty() {
            println!("audit log verifies: {} rows\nhead: {}", v.rows, v.head);
            Ok(())
        } else {
            for p in &v.problems {
                say!("problem: {p}");
            }
            bail!(
                "the audit log does not verify ({} problems in {} rows)",
                v.problems.len(),
                v.rows
            )
        }
    })
}
