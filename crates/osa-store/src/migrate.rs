//! Versioned migrations, one SQL file per version and backend (`migrations/sqlite`,
//! `migrations/postgres`), compiled in. Each is applied once, in order, in a transaction, and
//! recorded with a checksum; a database holding a version osa does not know, or a changed
//! migration, is refused rather than guessed at.

use crate::{Backend, Result, Store, StoreError};
use sha2::{Digest, Sha256};

/// A migration: version, name, SQL per backend.
struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sqlite: include_str!("../migrations/sqlite/0001_init.sql"),
        postgres: include_str!("../migrations/postgres/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "user_marks",
        sqlite: include_str!("../migrations/sqlite/0002_user_marks.sql"),
        postgres: include_str!("../migrations/postgres/0002_user_marks.sql"),
    },
    Migration {
        version: 3,
        name: "record_seals",
        sqlite: include_str!("../migrations/sqlite/0003_record_seals.sql"),
        postgres: include_str!("../migrations/postgres/0003_record_seals.sql"),
    },
    Migration {
        version: 4,
        name: "feed_keys",
        sqlite: include_str!("../migrations/sqlite/0004_feed_keys.sql"),
        postgres: include_str!("../migrations/postgres/0004_feed_keys.sql"),
    },
    Migration {
        version: 5,
        name: "watch",
        sqlite: include_str!("../migrations/sqlite/0005_watch.sql"),
        postgres: include_str!("../migrations/postgres/0005_watch.sql"),
    },
    Migration {
        version: 6,
        name: "shared_limits",
        sqlite: include_str!("../migrations/sqlite/0006_shared_limits.sql"),
        postgres: include_str!("../migrations/postgres/0006_shared_limits.sql"),
    },
];

/// The version whose application seals the rows already there ([`Store::seal_existing`]).
pub(crate) const SEALS_FROM: i64 = 3;

/// The newest schema version this build knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

fn checksum(sql: &str) -> String {
    hex(&Sha256::digest(sql.as_bytes()))
}

/// Lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// The schema version of the database (0: never migrated).
    pub async fn schema_version(&self) -> Result<i64> {
        let v: std::result::Result<(i64,), _> =
            sqlx::query_as("SELECT COALESCE(MAX(version), 0) FROM osa_migrations")
                .fetch_one(&self.pool)
                .await;
        Ok(v.map_or(0, |v| v.0))
    }

    /// Applies the migrations not applied yet; returns the versions applied now.
    pub async fn migrate(&self) -> Result<Vec<i64>> {
        self.migrate_to(latest_version()).await
    }

    /// Applies the migrations not applied yet up to version `target` (tests of upgrades start
    /// from an older schema with it).
    pub async fn migrate_to(&self, target: i64) -> Result<Vec<i64>> {
        // Created only when missing: the server role (PostgreSQL) may not create tables.
        let exists = sqlx::query("SELECT 1 FROM osa_migrations LIMIT 1")
            .fetch_optional(&self.pool)
            .await
            .is_ok();
        if !exists {
            sqlx::raw_sql(
                "CREATE TABLE IF NOT EXISTS osa_migrations (version BIGINT PRIMARY KEY, \
                 name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)",
            )
            .execute(&self.pool)
            .await?;
        }
        let mut applied = Vec::new();
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            // Two servers starting at once: the second waits, then sees the first's work.
            sqlx::query("SELECT pg_advisory_xact_lock(7007001)")
                .execute(&mut *tx)
                .await?;
        }
        let done: Vec<(i64, String)> =
            sqlx::query_as("SELECT version, checksum FROM osa_migrations ORDER BY version")
                .fetch_all(&mut *tx)
                .await?;
        if let Some((v, _)) = done.iter().find(|(v, _)| *v > latest_version()) {
            return Err(StoreError::Corrupt(format!(
                "the database is at schema version {v}, newer than this osa knows ({}); use a newer osa",
                latest_version()
            )));
        }
        for m in MIGRATIONS.iter().filter(|m| m.version <= target) {
            let sql = match self.backend {
                Backend::Sqlite => m.sqlite,
                Backend::Postgres => m.postgres,
            };
            let sum = checksum(sql);
            if let Some((_, old)) = done.iter().find(|(v, _)| *v == m.version) {
                if *old != sum {
                    return Err(StoreError::Corrupt(format!(
                        "migration {} ({}) differs from the one applied to this database",
                        m.version, m.name
                    )));
                }
                continue;
            }
            sqlx::raw_sql(sql).execute(&mut *tx).await?;
            sqlx::query(self.sql(
                "INSERT INTO osa_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
            ))
            .bind(m.version)
            .bind(m.name)
            .bind(sum)
            .bind(crate::clock::now())
            .execute(&mut *tx)
            .await?;
            applied.push(m.version);
        }
        let mut tx = crate::Tx::plain(tx);
        if applied.contains(&SEALS_FROM) {
            // In the migration's transaction: the schema and the seal of what was there commit
            // together.
            self.seal_existing(&mut tx).await?;
        }
        tx.commit().await?;
        Ok(applied)
    }
}
