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
use crate::{Result, Store, Tx};
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
    pub(crate) fn seal_of(&self, row: &sqlx::any::AnyRow) -> Result<(String, [u8; 32])> {
        use sqlx::Row;
        let n = self.columns.len();
        let mut values: Vec<Option<String>> = Vec::with_capacity(n + self.key.len());
        for i in 0..n + self.key.len() {
            values.push(row.try_get::<Option<String>, _>(i)?);
        }
        let refs: Vec<Option<&str>> = values.iter().map(Option::as_deref).collect();
        Ok((key_text(&refs[n..]), digest(self.name, &refs[..n])))
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

impl Ledger {
    /// Takes the seals an audit entry's detail lists (a detail without any is skipped quickly).
    pub(crate) fn record(&mut self, seq: i64, detail: &str) -> std::result::Result<(), String> {
        if !detail.contains("\"sealed\"") {
            return Ok(());
        }
        let d: SealedDetail = serde_json::from_str(detail)
            .map_err(|e| format!("row {seq}: its detail does not parse ({e})"))?;
        for (table, key, digest) in d.sealed {
            let digest = match digest {
                None => None,
                Some(h) => Some(unhex(&h).ok_or_else(|| {
                    format!("row {seq}: a seal of {table}/{key} is not a SHA-256")
                })?),
            };
            self.rows.insert((table, key), (digest, seq));
        }
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
    /// The digest of every row of every sealed table.
    pub(crate) async fn row_digests(&self) -> Result<Vec<FoundRow>> {
        use futures_util::TryStreamExt;
        let mut out = Vec::new();
        for t in SEALED {
            let q = t.select();
            let mut rows = sqlx::query(sqlx::AssertSqlSafe(q)).fetch(&self.pool);
            while let Some(r) = rows.try_next().await? {
                let (key, d) = t.seal_of(&r)?;
                out.push((t.name, key, d));
            }
        }
        Ok(out)
    }
}

/// Compares every row found with its last seal; returns the problems.
pub(crate) fn compare(mut ledger: Ledger, rows: Vec<FoundRow>) -> Vec<RowProblem> {
    let mut problems = Vec::new();
    for (table, key, d) in rows {
        let shown = format!("{table}/{key}");
        match ledger.rows.remove(&(table.to_string(), key)) {
            Some((Some(sealed), _)) if sealed == d => {}
            Some((Some(_), seq)) => problems.push((
                seq,
                format!("{shown}: its content differs from what audit row {seq} sealed (row edited behind osa's back)"),
            )),
            Some((None, seq)) => problems.push((
                seq,
                format!("{shown}: audit row {seq} deleted it, yet it is there (row inserted behind osa's back)"),
            )),
            None => problems.push((
                i64::MAX,
                format!("{shown}: no audit row seals it (row inserted behind osa's back, or the audit rows that wrote it deleted)"),
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
