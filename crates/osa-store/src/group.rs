//! Group commit on SQLite: writers that queue for the one write connection share one database
//! transaction, each in a savepoint of its own (nested: `SAVEPOINT osa_w` again for each writer, so
//! a failed writer rolls back to its own, the innermost), and one COMMIT makes the whole group
//! durable. A writer's `commit` leaves its savepoint in place and waits for the group's COMMIT; it is acknowledged
//! (returns `Ok`) only after that COMMIT succeeded, so no acknowledged write is ever lost; if the
//! COMMIT fails, every writer of the group gets the error. A writer that fails or is dropped rolls
//! back to its savepoint only; the others' work stays. The last writer in the queue (or the 64th of
//! a group) commits. To callers it is the same [`crate::Tx`]: `Store::write`, statements, audit,
//! `commit`. Within a group's transaction the audit log's head is remembered from one writer's
//! audit entry to the next (the transaction holds SQLite's write lock, so nothing else writes).

use crate::{Result, StoreError};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::{Mutex, OwnedMutexGuard, oneshot};

/// The most writers one COMMIT covers.
const MAX_GROUP: usize = 64;

/// The write connection and the group transaction open on it.
#[derive(Debug, Default)]
pub(crate) struct Group {
    state: Arc<Mutex<GroupConn>>,
    /// Writers queued for the connection (not yet holding it).
    waiting: AtomicUsize,
}

type Ack = oneshot::Sender<std::result::Result<(), String>>;

#[derive(Debug, Default)]
pub(crate) struct GroupConn {
    conn: Option<PoolConnection<Any>>,
    /// The group's transaction is open.
    open: bool,
    /// The last writer left without releasing its savepoint: roll back to it first.
    dirty: bool,
    /// Writers whose work is in the open transaction, waiting for its COMMIT.
    pending: Vec<Ack>,
    /// The audit log's head as the open transaction's last audit entry left it; forgotten at
    /// every COMMIT (another process may write between two groups) and every rollback.
    head: Option<(i64, String)>,
}

/// One writer's place in the group: it holds the connection until it commits or is dropped.
#[derive(Debug)]
pub(crate) struct Member {
    guard: Option<OwnedMutexGuard<GroupConn>>,
    group: Arc<Group>,
}

/// Counts a queued writer; a writer dropped while queued lets the group commit without it.
struct Queued(Arc<Group>, bool);

impl Drop for Queued {
    fn drop(&mut self) {
        self.0.waiting.fetch_sub(1, Ordering::SeqCst);
        if !self.1 {
            spawn_flush(self.0.clone());
        }
    }
}

fn spawn_flush(group: Arc<Group>) {
    if let Ok(h) = tokio::runtime::Handle::try_current() {
        h.spawn(async move { group.flush().await });
    }
}

async fn run(conn: &mut AnyConnection, sql: &str) -> std::result::Result<(), sqlx::Error> {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(conn)
        .await
        .map(|_| ())
}

impl GroupConn {
    fn conn(&mut self) -> &mut AnyConnection {
        self.conn.as_mut().expect("the group's connection")
    }

    /// Rolls back a departed writer's savepoint; when that fails the group's transaction is lost
    /// and every pending writer is told so.
    async fn clean(&mut self) {
        if !self.dirty {
            return;
        }
        self.dirty = false;
        self.head = None;
        let c = self.conn();
        if run(c, "ROLLBACK TO SAVEPOINT osa_w; RELEASE SAVEPOINT osa_w")
            .await
            .is_err()
        {
            let _ = run(self.conn(), "ROLLBACK").await;
            self.open = false;
            for p in self.pending.drain(..) {
                let _ = p.send(Err("the group's transaction was rolled back".into()));
            }
        }
    }

    /// Commits the group and acknowledges (or fails) every pending writer.
    async fn finish(&mut self) {
        self.head = None;
        if !self.open {
            return;
        }
        let r = run(self.conn(), "COMMIT").await.map_err(|e| e.to_string());
        if r.is_err() {
            let _ = run(self.conn(), "ROLLBACK").await;
        }
        self.open = false;
        for p in self.pending.drain(..) {
            let _ = p.send(r.clone());
        }
    }
}

impl Group {
    /// Joins the group: waits for the connection, opens the group's transaction if needed, and
    /// a savepoint for this writer.
    pub(crate) async fn join(self: &Arc<Self>, writer: &AnyPool) -> Result<Member> {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let mut queued = Queued(self.clone(), false);
        let mut g = self.state.clone().lock_owned().await;
        queued.1 = true;
        drop(queued);
        if g.conn.is_none() {
            g.conn = Some(writer.acquire().await?);
        }
        g.clean().await;
        let r = async {
            if !g.open {
                run(g.conn(), "BEGIN IMMEDIATE").await?;
                g.open = true;
            }
            // The savepoint and the write lock's bump in one round trip.
            run(
                g.conn(),
                "SAVEPOINT osa_w; UPDATE store_lock SET n = n + 1 WHERE id = 1",
            )
            .await
        }
        .await;
        let mut m = Member {
            guard: Some(g),
            group: self.clone(),
        };
        if let Err(e) = r {
            m.leave().await;
            return Err(e.into());
        }
        Ok(m)
    }

    /// Rolls back a departed writer and commits what is pending when nobody else is queued.
    async fn flush(self: Arc<Self>) {
        let mut g = self.state.clone().lock_owned().await;
        if g.conn.is_none() {
            return;
        }
        g.clean().await;
        if self.waiting.load(Ordering::SeqCst) == 0 {
            g.finish().await;
        }
    }

    /// Commits what is pending and gives the connection back (the store is closing).
    pub(crate) async fn close(&self) {
        let mut g = self.state.lock().await;
        if g.conn.is_some() {
            g.clean().await;
            g.finish().await;
        }
        g.conn = None;
    }
}

impl Member {
    pub(crate) fn conn(&self) -> &AnyConnection {
        self.guard
            .as_ref()
            .and_then(|g| g.conn.as_deref())
            .expect("a member holds the connection")
    }

    /// The head the group's transaction's last audit entry left (see [`GroupConn`]).
    pub(crate) fn head(&self) -> Option<(i64, String)> {
        self.guard
            .as_ref()
            .filter(|g| g.open && !g.dirty)
            .and_then(|g| g.head.clone())
    }

    pub(crate) fn set_head(&mut self, seq: i64, hash: &str) {
        if let Some(g) = self.guard.as_mut() {
            g.head = Some((seq, hash.to_string()));
        }
    }

    pub(crate) fn conn_mut(&mut self) -> &mut AnyConnection {
        self.guard
            .as_mut()
            .and_then(|g| g.conn.as_deref_mut())
            .expect("a member holds the connection")
    }

    /// Keeps this writer's work (its savepoint stays, inside the next writer's) and waits for the
    /// group's COMMIT.
    pub(crate) async fn commit(mut self) -> Result<()> {
        let mut g = self.guard.take().expect("a member holds the connection");
        let (ack, done) = oneshot::channel();
        g.pending.push(ack);
        if self.group.waiting.load(Ordering::SeqCst) == 0 || g.pending.len() >= MAX_GROUP {
            g.finish().await;
        }
        drop(g);
        match done.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(StoreError::Db(sqlx::Error::Protocol(format!(
                "the group commit failed, this write was not made: {e}"
            )))),
            Err(_) => Err(StoreError::Db(sqlx::Error::Protocol(
                "the group commit was abandoned, this write was not made".into(),
            ))),
        }
    }

    /// Rolls this writer back (its savepoint only) and lets the group go on.
    pub(crate) async fn leave(&mut self) {
        if let Some(mut g) = self.guard.take() {
            g.dirty = true;
            g.clean().await;
            if self.group.waiting.load(Ordering::SeqCst) == 0 {
                g.finish().await;
            }
        }
    }
}

impl Drop for Member {
    fn drop(&mut self) {
        if let Some(mut g) = self.guard.take() {
            g.dirty = true;
            drop(g);
            spawn_flush(self.group.clone());
        }
    }
}
