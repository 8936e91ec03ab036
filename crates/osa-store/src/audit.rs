//! The audit log: every write and every refused write, with who, when, what, the request's id and
//! the client's address. Rows are hash-chained (each row's hash covers the previous row's hash and
//! the row itself), sequence numbers are dense, and the database refuses UPDATE and DELETE on the
//! table (triggers on both backends). Each entry also commits to the content of every row its
//! write wrote ([`crate::seal`]), and the head (sequence number, hash) is kept beside the write lock.
//! [`Store::verify_audit`] detects an edit, a deletion, a gap, a truncated tail, a row of content
//! changed behind osa's back, and a dropped or disabled trigger.

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
    // The JSON array of the fields (as `serde_json::json!([...])` writes it), streamed into the
    // hash without building it.
    let fields = (
        &e.prev_hash,
        e.seq,
        &e.at,
        &e.actor,
        &e.action,
        &e.target,
        &e.outcome,
        &e.request_id,
        &e.client,
        &e.detail,
    );
    let mut h = Sha256::new();
    serde_json::to_writer(&mut h, &fields).expect("hashing never fails");
    hex(&h.finalize())
}

/// Text as the audit row keeps it: control characters (a NUL that PostgreSQL cannot store, a
/// line break that would forge a line in a listing) become U+FFFD. Refusals quote what a
/// client sent, so this is the one place that makes any of it storable on both backends.
fn printable(s: &str) -> String {
    if s.chars().any(char::is_control) {
        s.chars()
            .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
            .collect()
    } else {
        s.to_string()
    }
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
        // Inside a group's transaction (which holds SQLite's write lock) the head is known
        // from the group's last entry: one round trip less per write.
        let last: Option<(i64, String)> = match tx.known_head() {
            Some(h) => Some(h),
            None => {
                sqlx::query_as("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
                    .fetch_optional(&mut **tx)
                    .await?
            }
        };
        let (seq, prev_hash) = last.map_or((1, GENESIS.to_string()), |(s, h)| (s + 1, h));
        let detail = with_seals(detail, std::mem::take(&mut tx.seals));
        let mut e = Entry {
            seq,
            at: crate::clock::now(),
            actor: printable(&actor.name),
            action: printable(action),
            target: printable(target),
            outcome: printable(outcome),
            request_id: printable(&actor.request_id),
            client: printable(&actor.client),
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
        tx.set_head(e.seq, &e.hash);
        // The trigger `audit_head` keeps the head beside the write lock (migration 3).
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

    /// Checks the whole record: the chain (dense sequence numbers from 1, each row's `prev_hash`
    /// the previous row's hash, each hash recomputed), its head against the one kept beside the
    /// write lock, every sealed row against its last seal, and the append-only triggers (present,
    /// and enabled on PostgreSQL). Problems are listed in the order of the audit rows they concern.
    pub async fn verify_audit(&self) -> Result<Verification> {
        let mut v = Verification {
            rows: 0,
            head: GENESIS.to_string(),
            problems: self.trigger_problems().await?,
        };
        let version = self.schema_version().await?;
        let sealed = version >= crate::migrate::SEALS_FROM;
        if !sealed {
            v.problems.push(format!(
                "the database is at schema version {version}, before content seals: run `osa db migrate` \
                 (as the database's owner) so that its rows are sealed; only the chain was checked"
            ));
        }
        // The chain and the sealed tables are read at once (two connections, two cores).
        let (chain, rows) = tokio::try_join!(self.walk_chain(), async {
            if sealed {
                self.row_digests().await
            } else {
                Ok(Vec::new())
            }
        })?;
        let Chain {
            rows: n,
            head,
            mut found,
            ledger,
            ..
        } = chain;
        (v.rows, v.head) = (n, head);
        if sealed {
            found.extend(self.head_problems(n, &v.head).await?);
            found.extend(crate::seal::compare(ledger, rows));
        }
        found.sort_by_key(|(seq, _)| *seq);
        let more = found.len().saturating_sub(MAX_PROBLEMS);
        v.problems
            .extend(found.into_iter().take(MAX_PROBLEMS).map(|(_, p)| p));
        if more > 0 {
            v.problems.push(format!("... and {more} more problems"));
        }
        Ok(v)
    }

    /// Walks the chain in order: its problems, and the last seal of every row it names. One
    /// streaming query (on SQLite through a typed connection of its own); each batch of rows is
    /// hashed and its seals parsed on all cores while the next is read, and the chain is then
    /// checked in order.
    async fn walk_chain(&self) -> Result<Chain> {
        use futures_util::TryStreamExt;
        const Q: &str = "SELECT seq, at, actor, action, target, outcome, request_id, client, detail, prev_hash, hash \
                         FROM audit ORDER BY seq";
        let mut c = Chain::default();
        let take = |b: Vec<Checked>| {
            b.into_iter().for_each(|x| c.take(x));
            Ok(())
        };
        match self.backend {
            Backend::Sqlite => {
                let mut conn = self.sqlite_reader().await?;
                let rows = sqlx::query_as::<_, EntryRow>(Q)
                    .fetch(&mut conn)
                    .map_ok(Entry::from)
                    .map_err(StoreError::from);
                crate::seal::batched(rows, check_batch, take).await?;
            }
            Backend::Postgres => {
                let rows = sqlx::query(Q)
                    .fetch(&self.pool)
                    .map_err(StoreError::from)
                    .and_then(|r| std::future::ready(entry(&r)));
                crate::seal::batched(rows, check_batch, take).await?;
            }
        }
        Ok(c)
    }

    /// The head kept beside the write lock against the log's last row: a log shorter than it lost
    /// its newest rows.
    async fn head_problems(&self, last_seq: i64, head: &str) -> Result<Vec<(i64, String)>> {
        let (seq, hash): (i64, String) =
            sqlx::query_as("SELECT head_seq, head_hash FROM store_lock WHERE id = 1")
                .fetch_one(&self.pool)
                .await?;
        Ok(if seq > last_seq {
            vec![(
                last_seq + 1,
                format!(
                    "the log ends at row {last_seq} but its head was row {seq}: rows {}-{seq} deleted (log truncated)",
                    last_seq + 1
                ),
            )]
        } else if seq == last_seq && (seq > 0 && hash != head) {
            vec![(
                seq,
                format!("row {seq}: its hash is not the head recorded when it was written"),
            )]
        } else if seq < last_seq {
            vec![(
                seq + 1,
                format!(
                    "rows {}-{last_seq} were appended behind osa's back (the head recorded is row {seq})",
                    seq + 1
                ),
            )]
        } else {
            Vec::new()
        })
    }

    /// Missing append-only triggers (both backends), and disabled ones (PostgreSQL).
    async fn trigger_problems(&self) -> Result<Vec<String>> {
        let q = match self.backend {
            Backend::Sqlite => {
                "SELECT name, 'O' AS enabled FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'"
            }
            Backend::Postgres => {
                "SELECT tgname::text AS name, tgenabled::text AS enabled FROM pg_trigger \
                 WHERE tgrelid = 'audit'::regclass AND NOT tgisinternal"
            }
        };
        let found: Vec<(String, String)> = sqlx::query_as(q).fetch_all(&self.pool).await?;
        let mut problems = Vec::new();
        for w in append_only_triggers(self.backend)
            .iter()
            .chain(&["audit_head"])
        {
            let kind = if *w == "audit_head" {
                "head-keeping"
            } else {
                "append-only"
            };
            match found.iter().find(|(n, _)| n == w) {
                None => problems.push(format!(
                    "the {kind} trigger `{w}` on the audit log is missing"
                )),
                Some((_, e)) if e == "D" => problems.push(format!(
                    "the {kind} trigger `{w}` on the audit log is disabled"
                )),
                Some(_) => {}
            }
        }
        Ok(problems)
    }
}

/// What a walk of the chain found.
struct Chain {
    rows: i64,
    /// The last row's sequence number.
    last: i64,
    head: String,
    found: Vec<(i64, String)>,
    ledger: crate::seal::Ledger,
}

impl Default for Chain {
    fn default() -> Chain {
        Chain {
            rows: 0,
            last: 0,
            head: GENESIS.to_string(),
            found: Vec::new(),
            ledger: crate::seal::Ledger::default(),
        }
    }
}

impl Chain {
    /// The next row, in order: its place in the chain, its hash, its seals.
    fn take(&mut self, c: Checked) {
        check_row(&c.entry, self.last, &self.head, c.hash_ok, &mut self.found);
        match c.seals {
            Ok(seals) => self.ledger.insert(c.entry.seq, seals),
            Err(p) => self.found.push((c.entry.seq, p)),
        }
        self.last = c.entry.seq;
        self.head = c.entry.hash;
        self.rows += 1;
    }
}

/// An audit row as checked on its own (in parallel with its batch): whether its hash
/// recomputes, and the seals its detail lists.
struct Checked {
    entry: Entry,
    hash_ok: bool,
    seals: std::result::Result<Vec<crate::seal::Sealed>, String>,
}

/// Checks a batch of rows on all cores (each on its own; the chain is checked in order after).
fn check_batch(rows: Vec<Entry>) -> Vec<Checked> {
    use rayon::prelude::*;
    rows.into_par_iter()
        .map(|entry| Checked {
            hash_ok: row_hash(&entry) == entry.hash,
            seals: crate::seal::seals_of(entry.seq, &entry.detail),
            entry,
        })
        .collect()
}

/// An audit row as SQLite's typed connection reads it.
type EntryRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

impl From<EntryRow> for Entry {
    fn from(r: EntryRow) -> Entry {
        let (seq, at, actor, action, target, outcome, request_id, client, detail, prev_hash, hash) =
            r;
        Entry {
            seq,
            at,
            actor,
            action,
            target,
            outcome,
            request_id,
            client,
            detail,
            prev_hash,
            hash,
        }
    }
}

/// The most problems a verification lists (then how many more there are).
const MAX_PROBLEMS: usize = 100;

/// The triggers that make the audit log append-only, per backend.
fn append_only_triggers(backend: Backend) -> &'static [&'static str] {
    match backend {
        Backend::Sqlite => &["audit_no_update", "audit_no_delete"],
        Backend::Postgres => &["audit_no_update", "audit_no_truncate"],
    }
}

/// The detail with the seals of the rows the write wrote (`"sealed"`), when it wrote any.
fn with_seals(detail: serde_json::Value, seals: Vec<crate::seal::Seal>) -> serde_json::Value {
    if seals.is_empty() {
        return detail;
    }
    let list: Vec<serde_json::Value> = seals.iter().map(crate::seal::Seal::to_json).collect();
    let mut obj = match detail {
        serde_json::Value::Object(m) => m,
        other => {
            let mut m = serde_json::Map::new();
            m.insert("detail".into(), other);
            m
        }
    };
    obj.insert("sealed".into(), serde_json::Value::Array(list));
    serde_json::Value::Object(obj)
}

fn check_row(
    e: &Entry,
    last_seq: i64,
    prev: &str,
    hash_ok: bool,
    problems: &mut Vec<(i64, String)>,
) {
    if e.seq != last_seq + 1 {
        problems.push((
            e.seq,
            format!("gap: row {} follows row {last_seq} (rows deleted)", e.seq),
        ));
    }
    if e.prev_hash != prev {
        problems.push((
            e.seq,
            format!(
                "row {}: its previous hash does not match row {last_seq} (chain broken)",
                e.seq
            ),
        ));
    }
    if !hash_ok {
        problems.push((
            e.seq,
            format!(
                "row {}: its content does not match its hash (row edited)",
                e.seq
            ),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_streamed_row_hash_is_the_one_written_before_it() {
        let e = Entry {
            seq: 7,
            at: "2026-12-07T00:00:00.000Z".into(),
            actor: "ana \"q\" é\u{1}".into(),
            action: "proposal.create".into(),
            target: "proposal/7".into(),
            outcome: "ok".into(),
            request_id: String::new(),
            client: "cli".into(),
            detail: r#"{"note":"x"}"#.into(),
            prev_hash: GENESIS.into(),
            hash: String::new(),
        };
        let old = serde_json::json!([
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
        assert_eq!(
            row_hash(&e),
            hex(&Sha256::digest(old.to_string().as_bytes()))
        );
    }
}
