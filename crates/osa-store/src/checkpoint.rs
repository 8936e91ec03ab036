//! Checkpoints against a truncated or rewritten log: the audit log's head (sequence number and
//! hash) written to a file the operator keeps elsewhere (another machine, the backups, a ticket).
//! A later verification with that file fails when the log is shorter than a checkpoint (its
//! newest rows deleted) or holds another hash at a checkpoint's position (the chain rewritten from
//! there on).
//!
//! What it protects against: anyone who can change the database (its file, or PostgreSQL's owner
//! role) but not the checkpoint file deleting the newest rows, or rewriting the chain consistently
//! with new hashes. What it does not: someone who can change both the database and every copy of
//! the checkpoint file; and rows appended after the newest checkpoint and deleted before the next
//! are caught only by the other checks (the head kept beside the write lock, the content seals).
//!
//! The file: one checkpoint a line, `SEQ HASH TIME` (`12 3fa9... 2026-12-07T21:00:00.000Z`);
//! lines starting with `#` and empty lines are skipped. Appending is a single `write` of one line
//! followed by `fsync`.

use crate::audit::GENESIS;
use crate::{Result, Store, StoreError};
use std::io::Write;
use std::path::Path;

/// The largest checkpoint file read (a line a minute for a century is under 60 MiB).
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// The head of the audit log at one moment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Checkpoint {
    /// The last row's sequence number (0: an empty log).
    pub seq: i64,
    /// The last row's hash.
    pub hash: String,
    /// When it was taken (UTC).
    pub at: String,
}

impl Checkpoint {
    /// The line written to a checkpoint file (without its newline).
    pub fn line(&self) -> String {
        format!("{} {} {}", self.seq, self.hash, self.at)
    }
}

impl Store {
    /// The audit log's head now.
    pub async fn checkpoint(&self) -> Result<Checkpoint> {
        let last: Option<(i64, String)> =
            sqlx::query_as("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&self.pool)
                .await?;
        let (seq, hash) = last.unwrap_or((0, GENESIS.to_string()));
        Ok(Checkpoint {
            seq,
            hash,
            at: crate::clock::now(),
        })
    }

    /// Compares the log with checkpoints: a problem for each one the log is shorter than or
    /// differs from (`file` names where they came from, in the messages).
    pub async fn check_checkpoints(
        &self,
        file: &str,
        checkpoints: &[(usize, Checkpoint)],
    ) -> Result<Vec<String>> {
        let (last,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(seq), 0) FROM audit")
            .fetch_one(&self.pool)
            .await?;
        let mut problems = Vec::new();
        for (line, c) in checkpoints {
            if c.seq == 0 {
                continue;
            }
            let at: Option<(String,)> =
                sqlx::query_as(self.sql("SELECT hash FROM audit WHERE seq = ?"))
                    .bind(c.seq)
                    .fetch_optional(&self.pool)
                    .await?;
            match at {
                None if c.seq > last => problems.push(format!(
                    "{file}:{line}: the checkpoint of {} names row {}, but the log ends at row {last} (rows {}-{} deleted)",
                    c.at,
                    c.seq,
                    last + 1,
                    c.seq
                )),
                None => problems.push(format!(
                    "{file}:{line}: the checkpoint of {} names row {}, which is missing from the log",
                    c.at, c.seq
                )),
                Some((h,)) if h != c.hash => problems.push(format!(
                    "{file}:{line}: row {} differs from the checkpoint of {} (the log was rewritten from row {} on or before)",
                    c.seq, c.at, c.seq
                )),
                Some(_) => {}
            }
        }
        Ok(problems)
    }
}

/// Appends a checkpoint to a file (created when missing), durably.
pub fn append(file: &Path, c: &Checkpoint) -> Result<()> {
    let io = |e: std::io::Error| {
        StoreError::invalid("checkpoint file", format!("{}: {e}", file.display()))
    };
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
        .map_err(io)?;
    f.write_all(format!("{}\n", c.line()).as_bytes())
        .map_err(io)?;
    f.sync_all().map_err(io)?;
    Ok(())
}

/// Reads a checkpoint file: each checkpoint with its line number. Errors name the file and line.
pub fn read(file: &Path) -> Result<Vec<(usize, Checkpoint)>> {
    let name = file.display().to_string();
    let io = |e: std::io::Error| StoreError::invalid("checkpoint file", format!("{name}: {e}"));
    let len = std::fs::metadata(file).map_err(io)?.len();
    if len > MAX_FILE_BYTES {
        return Err(StoreError::invalid(
            "checkpoint file",
            format!(
                "{name}: {len} bytes, more than the {MAX_FILE_BYTES} a checkpoint file may hold"
            ),
        ));
    }
    let text = std::fs::read_to_string(file).map_err(io)?;
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate() {
        let l = l.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        out.push((
            i + 1,
            parse_line(l).map_err(|m| {
                StoreError::invalid("checkpoint file", format!("{name}:{}: {m}", i + 1))
            })?,
        ));
    }
    Ok(out)
}

fn parse_line(l: &str) -> std::result::Result<Checkpoint, String> {
    let mut parts = l.split_whitespace();
    let (Some(seq), Some(hash), Some(at), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(format!("expected `SEQ HASH TIME`, found `{l}`"));
    };
    let seq: i64 = seq
        .parse()
        .ok()
        .filter(|s| *s >= 0)
        .ok_or_else(|| format!("the sequence number `{seq}` is not a number"))?;
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("the hash `{hash}` is not a SHA-256 in hexadecimal"));
    }
    Ok(Checkpoint {
        seq,
        hash: hash.to_ascii_lowercase(),
        at: at.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_round_trip_and_bad_ones_are_named() {
        let c = Checkpoint {
            seq: 12,
            hash: "ab".repeat(32),
            at: "2026-12-07T21:00:00.000Z".into(),
        };
        assert_eq!(parse_line(&c.line()), Ok(c));
        assert_eq!(
            parse_line("x y z"),
            Err("the sequence number `x` is not a number".into())
        );
        assert_eq!(
            parse_line("3 abc 2026"),
            Err("the hash `abc` is not a SHA-256 in hexadecimal".into())
        );
        assert!(parse_line("3 abc").is_err());
    }

    #[test]
    fn a_file_is_appended_and_read_back_with_line_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("cp");
        std::fs::write(&f, "# osa checkpoints\n").unwrap();
        let c = Checkpoint {
            seq: 1,
            hash: "0f".repeat(32),
            at: "t".into(),
        };
        append(&f, &c).unwrap();
        append(&f, &c).unwrap();
        let got = read(&f).unwrap();
        assert_eq!(got, vec![(2, c.clone()), (3, c)]);
        std::fs::write(&f, "1 nothex t\n").unwrap();
        let e = read(&f).unwrap_err().to_string();
        assert!(e.contains("cp:1: the hash `nothex`"), "{e}");
    }
}
