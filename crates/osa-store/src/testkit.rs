//! Databases for tests: a fresh SQLite file in a temporary folder, and a fresh PostgreSQL database
//! (dropped afterwards) on the server `OSA_TEST_PG_URL` names or, without it, on a throwaway
//! cluster this test process starts itself when PostgreSQL's binaries are installed
//! ([`crate::testkit::cluster`]). Where neither is possible the PostgreSQL half is skipped with one
//! notice per test binary, written past the test harness's capture so that it shows, except under
//! `CI=true`, where it fails.

use crate::{Result, Store};
use std::io::Write;
use std::sync::OnceLock;

pub mod cluster;

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

    /// A fresh PostgreSQL database, or `None` (with a notice) when no server can be had.
    pub async fn postgres() -> Option<TestDb> {
        let base = match postgres_base() {
            Ok(base) => base.clone(),
            Err(why) => {
                if std::env::var("CI").is_ok_and(|v| v == "true") {
                    panic!("CI=true but the PostgreSQL tests cannot run: {why}");
                }
                skip_notice(why);
                return None;
            }
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

/// The server every PostgreSQL test database of this process is made on: `OSA_TEST_PG_URL`, or a
/// throwaway cluster started once per process; `Err` says why there is none.
fn postgres_base() -> &'static std::result::Result<String, String> {
    static BASE: OnceLock<std::result::Result<String, String>> = OnceLock::new();
    BASE.get_or_init(|| match std::env::var("OSA_TEST_PG_URL") {
        Ok(url) => Ok(url),
        Err(_) => cluster::start().map_err(|e| e.to_string()),
    })
}

/// Says once per test binary, on standard error past the harness's capture, that its PostgreSQL
/// tests pass without running, and why.
fn skip_notice(why: &str) {
    static SAID: OnceLock<()> = OnceLock::new();
    SAID.get_or_init(|| {
        let binary = std::env::args()
            .next()
            .map(|a| {
                let name = std::path::Path::new(&a)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or(a);
                // Cargo names test binaries `<name>-<hash>`.
                name.rsplit_once('-').map_or(name.clone(), |(n, _)| n.to_owned())
            })
            .unwrap_or_default();
        let _ = writeln!(
            std::io::stderr(),
            "SKIP: every PostgreSQL test of `{binary}` passes without running: {why} \
             (install PostgreSQL's server binaries, or set OSA_TEST_PG_URL=postgres://user@host:port/db)"
        );
    });
}
