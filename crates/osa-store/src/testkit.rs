//! Databases for tests: a fresh SQLite file in a temporary folder, and, where `OSA_TEST_PG_URL`
//! names a PostgreSQL server, a fresh database on it (dropped afterwards). Without that variable
//! the PostgreSQL half prints a visible skip notice, except under `CI=true`, where it fails.

use crate::{Result, Store};

/// A database made for one test.
#[derive(Debug)]
pub struct TestDb {
    /// `sqlite` or `postgres`.
    pub label: &'static str,
    /// Its URL.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    admin_url: Option<(String, String)>,
}

impl TestDb {
    /// A fresh SQLite database.
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = format!("sqlite:{}", dir.path().join("osa.db").display());
        TestDb {
            label: "sqlite",
            url,
            _dir: Some(dir),
            admin_url: None,
        }
    }

    /// A fresh PostgreSQL database, or `None` (with a notice) when none is configured.
    pub async fn postgres() -> Option<TestDb> {
        let Ok(base) = std::env::var("OSA_TEST_PG_URL") else {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("CI=true but OSA_TEST_PG_URL is not set: the PostgreSQL tests cannot run");
            }
            eprintln!("SKIP: PostgreSQL tests (set OSA_TEST_PG_URL=postgres://user@host:port/db)");
            return None;
        };
        let (_, b) = crate::users::secret().expect("randomness");
        let name = format!("osa_t_{}", &b[..16]);
        let admin = Store::open(&base)
            .await
            .expect("the PostgreSQL test server");
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(admin.pool())
            .await
            .expect("CREATE DATABASE");
        admin.close().await;
        let (prefix, _) = base.rsplit_once('/').expect("a database URL");
        Some(TestDb {
            label: "postgres",
            url: format!("{prefix}/{name}"),
            _dir: None,
            admin_url: Some((base, name)),
        })
    }

    /// Every configured backend: SQLite, and PostgreSQL where configured.
    pub async fn all() -> Vec<TestDb> {
        let mut v = vec![TestDb::sqlite()];
        v.extend(TestDb::postgres().await);
        v
    }

    /// Opens and migrates the store.
    pub async fn store(&self) -> Result<Store> {
        let s = Store::open(&self.url).await?;
        s.migrate().await?;
        Ok(s)
    }

    /// Drops a PostgreSQL database (SQLite folders go with the value).
    pub async fn drop_db(&self) {
        if let Some((base, name)) = &self.admin_url
            && let Ok(admin) = Store::open(base).await
        {
            let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(admin.pool())
            .await;
            admin.close().await;
        }
    }
}
