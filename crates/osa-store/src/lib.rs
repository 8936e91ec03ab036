//! The shared record a unit of analysts runs the method on (seed L960-1000: "long-term,
//! institutionalized and continual ecosystem analysis"). One schema on SQLite (embedded, the
//! default) or PostgreSQL (a team), chosen by the URL:
//!
//! - [`docs`]: documents (the baseline's files, ecosystem snapshots, scenarios, ...) with
//!   revisions: each write is a revision (who, when, a required note); reads take an as-of;
//! - [`proposals`]: four-eyes review: a change to published work is a proposal that another user
//!   approves; one made against an older version cannot be approved (no lost updates);
//! - [`users`]: users with roles, Argon2id passwords, sessions, API tokens, one-time sign-in links;
//! - [`audit`]: the append-only, hash-chained audit log (the database refuses UPDATE and DELETE);
//! - [`seal`]: content in the chain: each write's audit entry commits to the SHA-256 of every row
//!   it wrote, so `verify_audit` finds a row edited, inserted or deleted behind osa's back;
//! - [`checkpoint`]: the chain's head kept elsewhere, against a truncated log;
//! - [`roles`]: PostgreSQL's owner and server roles (the server cannot alter the audit log);
//! - [`changes`]: what monitoring found when a new data release was registered;
//! - [`limits`]: counters every server process on one database shares (sign-in attempts, write
//!   budgets, repeated refusals);
//! - [`watch`]: the head cached between writes, kept by PostgreSQL's notifications;
//! - [`migrate`]: versioned migrations, run at start.
//!
//! Every write transaction starts by bumping `store_lock`, so writers are serialized on both
//! backends, ids and audit sequence numbers are dense, and a reader never sees half a write.

pub mod audit;
pub mod changes;
pub mod checkpoint;
pub mod clock;
pub mod docs;
pub mod effects;
pub mod error;
mod group;
pub mod keys;
pub mod limits;
pub mod marks;
pub mod migrate;
pub mod notify;
pub mod proposals;
pub mod roles;
pub mod seal;
pub mod testkit;
pub mod users;
pub mod watch;

pub use error::{Result, StoreError};

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyConnection, AnyPool, Transaction};
use std::str::FromStr;

/// The database behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite (one file).
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// Who acts and from where: written into revisions and the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The user's name (or `osa` for the system itself).
    pub name: String,
    /// The request's id (empty outside a request).
    pub request_id: String,
    /// The client's address (`cli` on the command line).
    pub client: String,
}

impl Actor {
    /// The system itself (seeding, migrations), on the command line.
    pub fn system() -> Actor {
        Actor {
            name: "osa".into(),
            request_id: String::new(),
            client: "cli".into(),
        }
    }

    /// A named user on the command line.
    pub fn cli(name: &str) -> Actor {
        Actor {
            name: name.into(),
            request_id: String::new(),
            client: "cli".into(),
        }
    }
}

/// The store: a connection pool and its backend.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    /// Writes: on SQLite a pool of one connection, so writers queue here in order instead of
    /// spinning in SQLite's busy handler; on PostgreSQL the same pool (the lock row serializes).
    writer: AnyPool,
    backend: Backend,
    /// SQLite's write group (group commit).
    group: std::sync::Arc<group::Group>,
    /// The URL it was opened with (the head watch's listener connects to it; SQLite: the typed
    /// connections of long scans).
    url: std::sync::Arc<str>,
    /// The head as this process knows it ([`watch`]).
    watch: std::sync::Arc<watch::HeadWatch>,
}

/// A write transaction holding the store lock. It dereferences to the connection (`&mut *tx`
/// executes a query in it) and carries the seals of the rows written so far ([`seal`]), which the
/// transaction's audit entry ([`Store::audit`]) commits to. On SQLite it is one writer's savepoint
/// in a group transaction ([`group`]): `commit` returns once the group's COMMIT succeeded.
#[derive(Debug)]
pub struct Tx {
    inner: TxInner,
    seals: Vec<seal::Seal>,
    /// Told when the transaction commits (PostgreSQL: the head may have moved).
    watch: Option<std::sync::Arc<watch::HeadWatch>>,
}

#[derive(Debug)]
enum TxInner {
    /// A transaction of its own (PostgreSQL, migrations).
    Plain(Transaction<'static, Any>),
    /// A member of the SQLite write group.
    Member(group::Member),
}

impl std::ops::Deref for Tx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        match &self.inner {
            TxInner::Plain(t) => t,
            TxInner::Member(m) => m.conn(),
        }
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match &mut self.inner {
            TxInner::Plain(t) => t,
            TxInner::Member(m) => m.conn_mut(),
        }
    }
}

impl Tx {
    /// The audit log's head as the last audit entry of this group's transaction left it
    /// (SQLite's group commit; `None`: read it from the log).
    pub(crate) fn known_head(&self) -> Option<(i64, String)> {
        match &self.inner {
            TxInner::Plain(_) => None,
            TxInner::Member(m) => m.head(),
        }
    }

    /// Remembers the head this transaction's audit entry made, for the group's next writer.
    pub(crate) fn set_head(&mut self, seq: i64, hash: &str) {
        if let TxInner::Member(m) = &mut self.inner {
            m.set_head(seq, hash);
        }
    }

    fn plain(t: Transaction<'static, Any>) -> Tx {
        Tx {
            inner: TxInner::Plain(t),
            seals: Vec::new(),
            watch: None,
        }
    }

    /// Commits. Refused when rows were sealed after the last audit entry (a write whose audit
    /// entry would not commit to what it wrote): nothing is written then.
    pub async fn commit(self) -> Result<()> {
        if let Some(s) = self.seals.first() {
            let what = format!("{}/{}", s.table, s.key);
            self.rollback().await?;
            return Err(StoreError::Corrupt(format!(
                "a write sealed {what} but wrote no audit entry after it; nothing was written"
            )));
        }
        match self.inner {
            TxInner::Plain(t) => t.commit().await?,
            TxInner::Member(m) => m.commit().await?,
        }
        if let Some(w) = &self.watch {
            w.moved();
        }
        Ok(())
    }

    /// Rolls back.
    pub async fn rollback(self) -> Result<()> {
        match self.inner {
            TxInner::Plain(t) => t.rollback().await?,
            TxInner::Member(mut m) => m.leave().await,
        }
        Ok(())
    }
}

impl Store {
    /// Opens (creating a SQLite file if needed) the database at `url`: `sqlite:PATH` or
    /// `postgres://...`. Does not migrate; see [`Store::migrate`].
    pub async fn open(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::invalid(
                "database",
                format!("`{url}`: expected sqlite:PATH or postgres://..."),
            ));
        };
        let url = match backend {
            Backend::Sqlite if !url.contains('?') => format!("{url}?mode=rwc"),
            _ => url.to_string(),
        };
        let opts = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(std::time::Duration::from_secs(30));
        let opts = if backend == Backend::Sqlite {
            opts.after_connect(|conn, _| {
                Box::pin(async move {
                    sqlx::raw_sql(
                        "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                         PRAGMA busy_timeout = 15000; PRAGMA synchronous = NORMAL;",
                    )
                    .execute(conn)
                    .await?;
                    Ok(())
                })
            })
        } else {
            opts
        };
        let _ = sqlx::any::AnyConnectOptions::from_str(&url)?;
        let writer = match backend {
            // The writer never checkpoints the WAL itself (a checkpoint's fsync would stall a
            // whole write group); a task does it beside the writes ([`checkpoint_wal`]).
            Backend::Sqlite => {
                opts.clone()
                    .max_connections(1)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            sqlx::raw_sql(
                                "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                                 PRAGMA busy_timeout = 15000; PRAGMA synchronous = NORMAL; \
                                 PRAGMA wal_autocheckpoint = 0;",
                            )
                            .execute(conn)
                            .await?;
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await?
            }
            Backend::Postgres => opts.clone().connect(&url).await?,
        };
        let pool = match backend {
            Backend::Sqlite => opts.connect(&url).await?,
            Backend::Postgres => writer.clone(),
        };
        if backend == Backend::Sqlite {
            tokio::spawn(checkpoint_wal(pool.clone()));
        }
        Ok(Store {
            pool,
            writer,
            backend,
            group: Default::default(),
            url: url.as_str().into(),
            watch: Default::default(),
        })
    }

    /// A typed SQLite connection of its own, for a long scan (the verification reads a million
    /// rows through it without the `Any` layer's conversions).
    pub(crate) async fn sqlite_reader(&self) -> Result<sqlx::SqliteConnection> {
        use sqlx::ConnectOptions;
        let opts = sqlx::sqlite::SqliteConnectOptions::from_str(&self.url)?
            .busy_timeout(std::time::Duration::from_secs(15));
        Ok(opts.connect().await?)
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool, for reads.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Rewrites `?` placeholders for the backend (`$1, $2, ...` on PostgreSQL).
    pub fn sql(&self, q: &str) -> sqlx::AssertSqlSafe<String> {
        sqlx::AssertSqlSafe(sql_for(self.backend, q))
    }

    /// Starts a write transaction: takes the store lock first, so writers queue here.
    pub async fn write(&self) -> Result<Tx> {
        if self.backend == Backend::Sqlite {
            // The group bumps the lock as it opens this writer's savepoint.
            return Ok(Tx {
                inner: TxInner::Member(self.group.join(&self.writer).await?),
                seals: Vec::new(),
                watch: None,
            });
        }
        let mut tx = Tx::plain(self.writer.begin().await?);
        // One round trip: the lock, and the notification every process watching the head gets
        // when this commits ([`watch`]).
        sqlx::raw_sql("UPDATE store_lock SET n = n + 1 WHERE id = 1; NOTIFY osa_record")
            .execute(&mut *tx)
            .await?;
        tx.watch = Some(self.watch.clone());
        Ok(tx)
    }

    /// The next id of a table's `id` column (inside a write transaction, so ids are dense).
    pub async fn next_id(&self, tx: &mut Tx, table: &str, column: &str) -> Result<i64> {
        let q = format!("SELECT COALESCE(MAX({column}), 0) + 1 FROM {table}");
        let row: (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(q))
            .fetch_one(&mut **tx)
            .await?;
        Ok(row.0)
    }

    /// Closes the pool (waits for connections to be returned).
    pub async fn close(&self) {
        self.watch.stop();
        self.group.close().await;
        self.pool.close().await;
        self.writer.close().await;
    }
}

/// Checkpoints SQLite's WAL every 200 ms from a reader's connection (PASSIVE: it never waits for
/// the writer), until the pool closes.
async fn checkpoint_wal(pool: AnyPool) {
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(200));
    loop {
        tick.tick().await;
        if pool.is_closed() {
            return;
        }
        if let Err(e) = sqlx::raw_sql("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            if pool.is_closed() {
                return;
            }
            eprintln!("osa: checkpointing the WAL: {e}");
        }
    }
}

/// Rewrites `?` placeholders for a backend. Placeholders never appear inside the store's string
/// literals, so a plain scan is exact.
pub fn sql_for(backend: Backend, q: &str) -> String {
    if backend == Backend::Sqlite {
        return q.to_string();
    }
    let mut out = String::with_capacity(q.len() + 8);
    let mut n = 0;
    for c in q.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// Reads a column, naming it in the error.
pub(crate) fn col<'r, T>(row: &'r AnyRow, name: &str) -> Result<T>
where
    T: sqlx::Decode<'r, Any> + sqlx::Type<Any>,
{
    use sqlx::Row;
    Ok(row.try_get::<T, _>(name)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_for_postgres() {
        assert_eq!(
            sql_for(Backend::Postgres, "SELECT a FROM t WHERE b = ? AND c = ?"),
            "SELECT a FROM t WHERE b = $1 AND c = $2"
        );
        assert_eq!(sql_for(Backend::Sqlite, "b = ?"), "b = ?");
    }
}
