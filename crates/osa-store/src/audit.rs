//! The audit log: every write and every refused write, with who, when, what, the request's id and
//! the client's address. Rows are hash-chained (each row's hash covers the previous row's hash and
//! the row itself), sequence numbers are dense, and the database refuses UPDATE and DELETE on the
//! table (triggers on both backends). [`Store::verify_audit`] detects an edit, a deletion, a gap or
//! a dropped trigger made behind osa's back.

use crate::migrate::hex;
use crate::{Actor, Backend, Result, Store, StoreError, Tx, col};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The hash before the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Entry {
    /// Position in the log, from 1, without gaps.
    pub seq: i64,
    /// When (UTC).
    pub at: String,
    /// Who.
    pub actor: String,
    /// What (`proposal.create`, `proposal.approve`, `user.add`, `signin`, ...).
    pub action: String,
    /// On what (`technology/6g`, `proposal/3`, `user/alice`).
    pub target: String,
    /// `ok`, or `refused: why`.
    pub outcome: String,
    /// The request's id.
    pub request_id: String,
    /// The client's address.
    pub client: String,
    /// Details (JSON).
    pub detail: String,
    /// The previous row's hash.
    pub prev_hash: String,
    /// This row's hash.
    pub hash: String,
}

/// The hash of a row given the previous hash.
pub fn row_hash(e: &Entry) -> String {
    let fields = serde_json::json!([
        e.prev_hash,
        e.seq,
        e.at,
        e.actor,
        e.action,
        e.target,
        e.outcome,
        e.request_id,
        e.client,
        e.detail
    ]);
    hex(&Sha256::digest(fields.to_string().as_bytes()))
}

/// The result of a verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Verification {
    /// Rows checked.
    pub rows: i64,
    /// The last row's hash (the head of the chain).
    pub head: String,
    /// Problems found (empty: the chain verifies).
    pub problems: Vec<String>,
}

impl Store {
    /// Appends an entry inside a write transaction (the write and its audit row commit together).
    pub async fn audit(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        action: &str,
        target: &str,
        outcome: &str,
        detail: serde_json::Value,
    ) -> Result<Entry> {
        let last: Option<(i64, String)> =
            sqlx::query_as("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&mut **tx)
                .await?;
        let (seq, prev_hash) = last.map_or((1, GENESIS.to_string()), |(s, h)| (s + 1, h));
        let mut e = Entry {
            seq,
            at: crate::clock::now(),
            actor: actor.name.clone(),
            action: action.into(),
            target: target.into(),
            outcome: outcome.into(),
            request_id: actor.request_id.clone(),
            client: actor.client.clone(),
            detail: detail.to_string(),
            prev_hash,
            hash: String::new(),
        };
        e.hash = row_hash(&e);
        sqlx::query(self.sql(
            "INSERT INTO audit (seq, at, actor, action, target, outcome, request_id, client, detail, prev_hash, hash) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ))
        .bind(e.seq)
        .bind(&e.at)
        .bind(&e.actor)
        .bind(&e.action)
        .bind(&e.target)
        .bind(&e.outcome)
        .bind(&e.request_id)
        .bind(&e.client)
        .bind(&e.detail)
        .bind(&e.prev_hash)
        .bind(&e.hash)
        .execute(&mut **tx)
        .await?;
        Ok(e)
    }

    /// Records a refused write in a transaction of its own (the refused write itself wrote
    /// nothing).
    pub async fn audit_refusal(
        &self,
        actor: &Actor,
        action: &str,
        target: &str,
        why: &str,
        detail: serde_json::Value,
    ) -> Result<()> {
        let mut tx = self.write().await?;
        let outcome = format!("refused: {why}");
        self.audit(&mut tx, actor, action, target, &outcome, detail)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Audit entries, newest first, `limit` at most, before `before` (a sequence number).
    pub async fn audit_entries(&self, before: Option<i64>, limit: i64) -> Result<Vec<Entry>> {
        let rows =
            sqlx::query(self.sql("SELECT * FROM audit WHERE seq < ? ORDER BY seq DESC LIMIT ?"))
                .bind(before.unwrap_or(i64::MAX))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(entry).collect()
    }

    /// Checks the whole chain: dense sequence numbers from 1, each row's `prev_hash` the previous
    /// row's hash, each hash recomputed, and the append-only triggers in place.
    pub async fn verify_audit(&self) -> Result<Verification> {
        let mut v = Verification {
            rows: 0,
            head: GENESIS.to_string(),
            problems: Vec::new(),
        };
        v.problems.extend(self.missing_triggers().await?);
        let mut last_seq = 0;
        let mut after = 0i64;
        loop {
            let rows =
                sqlx::query(self.sql("SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT 10000"))
                    .bind(after)
                    .fetch_all(&self.pool)
                    .await?;
            if rows.is_empty() {
                break;
            }
            for r in &rows {
                let e = entry(r)?;
                check_row(&e, last_seq, &v.head, &mut v.problems);
                last_seq = e.seq;
                v.head = e.hash.clone();
                v.rows += 1;
            }
            after = last_seq;
        }
        Ok(v)
    }

    async fn missing_triggers(&self) -> Result<Vec<String>> {
        let q = match self.backend {
            Backend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'"
            }
            Backend::Postgres => {
                "SELECT tgname::text AS name FROM pg_trigger WHERE tgrelid = 'audit'::regclass AND NOT tgisinternal"
            }
        };
        let names: Vec<(String,)> = sqlx::query_as(q).fetch_all(&self.pool).await?;
        let want: &[&str] = match self.backend {
            Backend::Sqlite => &["audit_no_update", "audit_no_delete"],
            Backend::Postgres => &["audit_no_update", "audit_no_truncate"],
        };
        Ok(want
            .iter()
            .filter(|w| !names.iter().any(|(n,)| n == *w))
            .map(|w| format!("the append-only trigger `{w}` on the audit log is missing"))
            .collect())
    }
}

fn check_row(e: &Entry, last_seq: i64, prev: &str, problems: &mut Vec<String>) {
    if e.seq != last_seq + 1 {
        problems.push(format!(
            "gap: row {} follows row {last_seq} (rows deleted)",
            e.seq
        ));
    }
    if e.prev_hash != prev {
        problems.push(format!(
            "row {}: its previous hash does not match row {last_seq} (chain broken)",
            e.seq
        ));
    }
    if row_hash(e) != e.hash {
        problems.push(format!(
            "row {}: its content does not match its hash (row edited)",
            e.seq
        ));
    }
}

fn entry(r: &sqlx::any::AnyRow) -> Result<Entry> {
    Ok(Entry {
        seq: col(r, "seq")?,
        at: col(r, "at")?,
        actor: col(r, "actor")?,
        action: col(r, "action")?,
        target: col(r, "target")?,
        outcome: col(r, "outcome")?,
        request_id: col(r, "request_id")?,
        client: col(r, "client")?,
        detail: col(r, "detail")?,
        prev_hash: col(r, "prev_hash")?,
        hash: col(r, "hash")?,
    })
}

/// Turns a verification with problems into an error.
pub fn require_valid(v: &Verification) -> Result<()> {
    if v.problems.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Corrupt(format!(
            "the audit log does not verify: {}",
            v.problems.join("; ")
        )))
    }
}
