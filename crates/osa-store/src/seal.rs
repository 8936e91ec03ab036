//! Content in the chain. Every row of a sealed table (documents and their revisions, users,
//! sessions, API tokens, sign-in links, proposals, changes, marks) is covered by a *seal*: the
//! SHA-256 of a canonical encoding of all its columns. Each write transaction seals the rows it
//! writes ([`Store::seal`], after the INSERT, UPDATE or DELETE), and the transaction's audit entry
//! lists those seals in its hashed `detail` (`"sealed": [[table, key, sha256 or null], ...]`, null:
//! the row was deleted). [`Store::verify_audit`] replays the chain into the last seal of every
//! row and compares it with every row of every sealed table: a row edited, inserted or deleted
//! behind osa's back, or a deleted audit entry that sealed it, is named.
//!
//! **Adding a table** (comments, inbox, uploads, feed keys...): declare a [`Table`] next to its
//! code, add it to [`SEALED`] (one line), and after each INSERT, UPDATE or DELETE of one of its
//! rows, inside the write transaction and before [`Store::audit`], call
//! `store.seal(&mut tx, &MY_TABLE, &[id.into()]).await?` with the row's key. A write that seals
//! rows and then commits without an audit entry is refused ([`crate::Tx::commit`]).
//!
//! The encoding: the table's name, then each column in the declared order, each as `0` (NULL) or
//! `1`, its length (8 bytes, little endian) and the bytes of the column read as text (`CAST(c AS
//! TEXT)`, the same on both backends: integers in decimal). A row's key, in the seal, is its key
//! column's text (a JSON array of them when the key has several columns).

use crate::migrate::hex;
use crate::{Result, Store, StoreError, Tx};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// A table whose rows are sealed: its name, its key columns and every column the seal covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    /// The table's name.
    pub name: &'static str,
    /// The key's columns (a subset of `columns`).
    pub key: &'static [&'static str],
    /// The columns the seal covers, in order (all of them: content and bookkeeping alike).
    pub columns: &'static [&'static str],
}

/// Documents: each version of each document (its `rev_to` included, re-sealed when replaced).
pub const DOCUMENTS: Table = Table {
    name: "documents",
    key: &["kind", "key", "rev_from"],
    columns: &["kind", "key", "rev_from", "rev_to", "body"],
};
/// Revisions.
pub const REVISIONS: Table = Table {
    name: "revisions",
    key: &["id"],
    columns: &["id", "at", "author", "note", "reviewer", "proposal_id"],
};
/// Users.
pub const USERS: Table = Table {
    name: "users",
    key: &["id"],
    columns: &[
        "id",
        "name",
        "role",
        "password_hash",
        "disabled",
        "stamp",
        "created_at",
    ],
};
/// Browser sessions (their secrets' hashes).
pub const SESSIONS: Table = Table {
    name: "sessions",
    key: &["hash"],
    columns: &[
        "hash",
        "user_id",
        "stamp",
        "created_at",
        "expires_at",
        "revoked",
    ],
};
/// API tokens.
pub const API_TOKENS: Table = Table {
    name: "api_tokens",
    key: &["id"],
    columns: &[
        "id",
        "hash",
        "user_id",
        "role",
        "name",
        "created_at",
        "expires_at",
        "revoked",
    ],
};
/// One-time sign-in links.
pub const SIGNIN_LINKS: Table = Table {
    name: "signin_links",
    key: &["hash"],
    columns: &["hash", "user_id", "expires_at", "used"],
};
/// Proposals.
pub const PROPOSALS: Table = Table {
    name: "proposals",
    key: &["id"],
    columns: &[
        "id",
        "kind",
        "key",
        "subject",
        "base_rev",
        "body",
        "change",
        "note",
        "author",
        "created_at",
        "status",
        "reviewer",
        "review_comment",
        "reviewed_at",
        "revision_id",
    ],
};
/// What monitoring found.
pub const CHANGES: Table = Table {
    name: "changes",
    key: &["id"],
    columns: &[
        "id",
        "at",
        "revision_id",
        "subject",
        "kind",
        "title",
        "detail",
    ],
};
/// Per-user marks.
pub const USER_MARKS: Table = Table {
    name: "user_marks",
    key: &["user_name", "mark"],
    columns: &["user_name", "mark", "at", "change_id"],
};

/// Every sealed table: [`Store::verify_audit`] checks each of their rows.
pub const SEALED: &[&Table] = &[
    &DOCUMENTS,
    &REVISIONS,
    &USERS,
    &SESSIONS,
    &API_TOKENS,
    &SIGNIN_LINKS,
    &PROPOSALS,
    &CHANGES,
    &USER_MARKS,
];

/// A key column's value, to find a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyValue<'a> {
    /// An integer column.
    Int(i64),
    /// A text column.
    Text(&'a str),
}

impl From<i64> for KeyValue<'_> {
    fn from(v: i64) -> Self {
        KeyValue::Int(v)
    }
}

impl<'a> From<&'a str> for KeyValue<'a> {
    fn from(v: &'a str) -> Self {
        KeyValue::Text(v)
    }
}

impl<'a> From<&'a String> for KeyValue<'a> {
    fn from(v: &'a String) -> Self {
        KeyValue::Text(v)
    }
}

/// One row's seal, as a write commits to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seal {
    /// The table.
    pub table: &'static str,
    /// The row's key (see the module's note).
    pub key: String,
    /// The SHA-256 of its columns (hex); `None`: the row was deleted.
    pub digest: Option<String>,
}

impl Seal {
    /// The form an audit entry's detail lists it in.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!([self.table, self.key, self.digest])
    }
}

/// The SHA-256 of a row: its table's name and its columns (`None`: NULL), length-prefixed.
pub fn digest(table: &str, values: &[Option<&str>]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update((table.len() as u64).to_le_bytes());
    h.update(table.as_bytes());
    for v in values {
        match v {
            None => h.update([0u8]),
            Some(s) => {
                h.update([1u8]);
                h.update((s.len() as u64).to_le_bytes());
                h.update(s.as_bytes());
            }
        }
    }
    h.finalize().into()
}

/// A row's key text from its key columns' text.
pub fn key_text(values: &[Option<&str>]) -> String {
    match values {
        [one] => one.unwrap_or_default().to_string(),
        many => serde_json::to_string(&many).unwrap_or_default(),
    }
}

impl Table {
    /// `SELECT CAST(c AS TEXT), ... FROM t` (every column, then the key's columns).
    pub(crate) fn select(&self) -> String {
        let cols: Vec<String> = self
            .columns
            .iter()
            .chain(self.key.iter())
            .map(|c| format!("CAST({c} AS TEXT)"))
            .collect();
        format!("SELECT {} FROM {}", cols.join(", "), self.name)
    }

    /// The seal of a row read by [`Table::select`]: (key, digest).
    pub(crate) fn seal_of<R>(&self, row: &R) -> Result<(String, [u8; 32])>
    where
        R: sqlx::Row,
        for<'r> &'r str: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
        usize: sqlx::ColumnIndex<R>,
    {
        let n = self.columns.len();
        let mut values: Vec<Option<&str>> = Vec::with_capacity(n + self.key.len());
        for i in 0..n + self.key.len() {
            values.push(row.try_get::<Option<&str>, _>(i)?);
        }
        Ok((key_text(&values[n..]), digest(self.name, &values[..n])))
    }
}

impl Store {
    /// Seals one row inside a write transaction: reads it back (after the write) and records its
    /// digest (or its deletion) for the transaction's audit entry. Call it after every INSERT,
    /// UPDATE or DELETE of a row of a sealed table, with the row's key in `table.key`'s order.
    pub async fn seal(
        &self,
        tx: &mut Tx,
        table: &'static Table,
        key: &[KeyValue<'_>],
    ) -> Result<()> {
        let cond: Vec<String> = table.key.iter().map(|k| format!("{k} = ?")).collect();
        let q = format!("{} WHERE {}", table.select(), cond.join(" AND "));
        let mut query = sqlx::query(self.sql(&q));
        for k in key {
            query = match *k {
                KeyValue::Int(i) => query.bind(i),
                KeyValue::Text(s) => query.bind(s.to_string()),
            };
        }
        let row = query.fetch_optional(&mut **tx).await?;
        let seal = match row {
            Some(r) => {
                let (key, d) = table.seal_of(&r)?;
                Seal {
                    table: table.name,
                    key,
                    digest: Some(hex(&d)),
                }
            }
            None => {
                let text: Vec<String> = key
                    .iter()
                    .map(|k| match k {
                        KeyValue::Int(i) => i.to_string(),
                        KeyValue::Text(s) => (*s).to_string(),
                    })
                    .collect();
                let refs: Vec<Option<&str>> = text.iter().map(|s| Some(s.as_str())).collect();
                Seal {
                    table: table.name,
                    key: key_text(&refs),
                    digest: None,
                }
            }
        };
        tx.seals.push(seal);
        Ok(())
    }

    /// Seals every row of every sealed table as found (when a database written before seals
    /// existed is migrated): one audit entry, `record.seal`, that commits to all of them. Does
    /// nothing on an empty record.
    pub(crate) async fn seal_existing(&self, tx: &mut Tx) -> Result<()> {
        let mut rows = 0usize;
        for t in SEALED {
            let all = sqlx::query(sqlx::AssertSqlSafe(t.select()))
                .fetch_all(&mut **tx)
                .await?;
            for r in &all {
                let (key, d) = t.seal_of(r)?;
                tx.seals.push(Seal {
                    table: t.name,
                    key,
                    digest: Some(hex(&d)),
                });
                rows += 1;
            }
        }
        if rows == 0 {
            return Ok(());
        }
        let note = "rows written before content seals existed, sealed as found";
        self.audit(
            tx,
            &crate::Actor::system(),
            "record.seal",
            "record",
            "ok",
            serde_json::json!({ "note": note }),
        )
        .await?;
        Ok(())
    }
}

/// The last seal of every row, replayed from the audit log: (table, key) -> (digest, audit seq).
#[derive(Debug, Default)]
pub(crate) struct Ledger {
    rows: HashMap<(String, String), LastSeal>,
}

/// A row's last seal: its digest (`None`: deleted) and the audit row that sealed it.
type LastSeal = (Option<[u8; 32]>, i64);

#[derive(serde::Deserialize)]
struct SealedDetail {
    #[serde(default)]
    sealed: Vec<(String, String, Option<String>)>,
}

/// One seal as an audit entry's detail lists it: table, key, digest (`None`: deleted).
pub(crate) type Sealed = (String, String, Option<[u8; 32]>);

/// The seals an audit entry's detail lists (a detail without any is skipped quickly).
pub(crate) fn seals_of(seq: i64, detail: &str) -> std::result::Result<Vec<Sealed>, String> {
    if !detail.contains("\"sealed\"") {
        return Ok(Vec::new());
    }
    let d: SealedDetail = serde_json::from_str(detail)
        .map_err(|e| format!("row {seq}: its detail does not parse ({e})"))?;
    d.sealed
        .into_iter()
        .map(|(table, key, digest)| {
            let digest = match digest {
                None => None,
                Some(h) => Some(unhex(&h).ok_or_else(|| {
                    format!("row {seq}: a seal of {table}/{key} is not a SHA-256")
                })?),
            };
            Ok((table, key, digest))
        })
        .collect()
}

impl Ledger {
    /// Takes the seals of audit row `seq`, in order (a later seal of a row replaces its earlier).
    pub(crate) fn insert(&mut self, seq: i64, seals: Vec<Sealed>) {
        for (table, key, digest) in seals {
            self.rows.insert((table, key), (digest, seq));
        }
    }

    /// Takes the seals an audit entry's detail lists.
    #[cfg(test)]
    fn record(&mut self, seq: i64, detail: &str) -> std::result::Result<(), String> {
        self.insert(seq, seals_of(seq, detail)?);
        Ok(())
    }
}

fn unhex(h: &str) -> Option<[u8; 32]> {
    if h.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(h.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// A problem with a row, ordered by the audit entry that last sealed it (unsealed rows last).
pub(crate) type RowProblem = (i64, String);

/// A sealed table's row as found: its table, key and digest.
pub(crate) type FoundRow = (&'static str, String, [u8; 32]);

impl Store {
    /// The digest of every row of every sealed table: one streaming query per table (on SQLite
    /// through a typed connection of its own), each batch of rows digested on all cores while
    /// the next is read.
    pub(crate) async fn row_digests(&self) -> Result<Vec<FoundRow>> {
        use futures_util::TryStreamExt;
        let mut out = Vec::new();
        let mut sqlite = match self.backend {
            crate::Backend::Sqlite => Some(self.sqlite_reader().await?),
            crate::Backend::Postgres => None,
        };
        for t in SEALED {
            let q = sqlx::AssertSqlSafe(t.select());
            let take = |b: Vec<Result<FoundRow>>| {
                for r in b {
                    out.push(r?);
                }
                Ok(())
            };
            match sqlite.as_mut() {
                Some(conn) => {
                    let rows = sqlx::query(q).fetch(&mut *conn).map_err(StoreError::from);
                    batched(rows, move |b| digest_batch(t, b), take).await?;
                }
                None => {
                    let rows = sqlx::query(q).fetch(&self.pool).map_err(StoreError::from);
                    batched(rows, move |b| digest_batch(t, b), take).await?;
                }
            }
        }
        Ok(out)
    }
}

/// Digests a batch of rows of `t` on all cores.
fn digest_batch<R>(t: &'static Table, rows: Vec<R>) -> Vec<Result<FoundRow>>
where
    R: sqlx::Row,
    for<'r> &'r str: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    usize: sqlx::ColumnIndex<R>,
{
    use rayon::prelude::*;
    rows.par_iter()
        .map(|r| t.seal_of(r).map(|(key, d)| (t.name, key, d)))
        .collect()
}

/// Rows are read and worked on in batches of this many.
const BATCH: usize = 4096;

/// Reads `rows` in batches, runs `work` on each batch on the blocking pool (where it may use
/// every core) while the next batch is read, and hands the results to `take` in order.
pub(crate) async fn batched<T, U>(
    mut rows: impl futures_util::Stream<Item = Result<T>> + Unpin,
    work: impl Fn(Vec<T>) -> U + Clone + Send + 'static,
    mut take: impl FnMut(U) -> Result<()>,
) -> Result<()>
where
    T: Send + 'static,
    U: Send + 'static,
{
    use futures_util::TryStreamExt;
    let mut pending: Option<tokio::task::JoinHandle<U>> = None;
    loop {
        let mut batch = Vec::with_capacity(BATCH);
        while batch.len() < BATCH {
            match rows.try_next().await? {
                Some(r) => batch.push(r),
                None => break,
            }
        }
        if let Some(p) = pending.take() {
            take(p.await.map_err(|e| {
                StoreError::Db(sqlx::Error::Protocol(format!(
                    "a verification task failed: {e}"
                )))
            })?)?;
        }
        if batch.is_empty() {
            return Ok(());
        }
        let w = work.clone();
        pending = Some(tokio::task::spawn_blocking(move || w(batch)));
    }
}

/// Compares every row found with its last seal; returns the problems.
pub(crate) fn compare(mut ledger: Ledger, rows: Vec<FoundRow>) -> Vec<RowProblem> {
    let mut problems = Vec::new();
    for (table, key, d) in rows {
        let k = (table.to_string(), key);
        let shown = || format!("{}/{}", k.0, k.1);
        match ledger.rows.remove(&k) {
            Some((Some(sealed), _)) if sealed == d => {}
            Some((Some(_), seq)) => problems.push((
                seq,
                format!("{}: its content differs from what audit row {seq} sealed (row edited behind osa's back)", shown()),
            )),
            Some((None, seq)) => problems.push((
                seq,
                format!("{}: audit row {seq} deleted it, yet it is there (row inserted behind osa's back)", shown()),
            )),
            None => problems.push((
                i64::MAX,
                format!("{}: no audit row seals it (row inserted behind osa's back, or the audit rows that wrote it deleted)", shown()),
            )),
        }
    }
    for ((table, key), (digest, seq)) in ledger.rows {
        if digest.is_some() && SEALED.iter().any(|t| t.name == table) {
            problems.push((
                seq,
                format!("{table}/{key}: sealed by audit row {seq} but missing (row deleted behind osa's back)"),
            ));
        }
    }
    problems.sort();
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_encoding_tells_null_from_empty_and_splits_columns_exactly() {
        let a = digest("t", &[Some("ab"), Some("c")]);
        assert_ne!(a, digest("t", &[Some("a"), Some("bc")]));
        assert_ne!(digest("t", &[None]), digest("t", &[Some("")]));
        assert_ne!(a, digest("u", &[Some("ab"), Some("c")]));
        // Hand-checked: sha256 of 01 00.. 't' 01 02 00.. "ab" 01 01 00.. "c".
        assert_eq!(
            hex(&a),
            hex(&Sha256::digest(
                [
                    &1u64.to_le_bytes()[..],
                    b"t",
                    &[1],
                    &2u64.to_le_bytes(),
                    b"ab",
                    &[1],
                    &1u64.to_le_bytes(),
                    b"c"
                ]
                .concat()
            ))
        );
    }

    #[test]
    fn keys_of_one_column_are_its_text_and_of_several_a_json_array() {
        assert_eq!(key_text(&[Some("3")]), "3");
        assert_eq!(
            key_text(&[Some("baseline"), Some("cases/6g.toml"), Some("4")]),
            r#"["baseline","cases/6g.toml","4"]"#
        );
    }

    #[test]
    fn the_ledger_keeps_the_last_seal_of_a_row() {
        let mut l = Ledger::default();
        let d = "a".repeat(64);
        l.record(1, &format!(r#"{{"sealed":[["users","1","{d}"]]}}"#))
            .unwrap();
        l.record(2, r#"{"sealed":[["users","1",null]]}"#).unwrap();
        assert_eq!(l.rows.get(&("users".into(), "1".into())), Some(&(None, 2)));
        assert!(l.record(3, r#"{"sealed":[["users","1","zz"]]}"#).is_err());
        l.record(4, r#"{"note":"no seals"}"#).unwrap();
    }
}
