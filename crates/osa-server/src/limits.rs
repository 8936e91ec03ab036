//! Limits that keep one client or one user from flooding the record: the audit of refusals
//! (every refusal is audited, but repeats of the same refusal from the same client are counted and
//! summarized, so a flood of bad requests cannot fill the log), per-user write budgets (a token
//! bucket per user; over it, 429 with `Retry-After`) and sign-in attempts per client
//! (`crate::auth`). Their counters ([`Counters`]) live in the database on PostgreSQL, so every
//! `osa serve` process behind a load balancer counts as one (`osa_store::limits`), and in memory
//! on SQLite, whose file one server process serves (a count there costs no write transaction
//! queued behind the record's writers). The rules are the same functions either way.

use osa_store::Store;
use osa_store::limits::{self, Slot};
use osa_store::users::Role;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Refusals of one kind from one client audited one by one in a window; after that only the
/// 100th, 1,000th, 10,000th... get a row (with the count so far), and the first refusal of the
/// next window reports how many of the last window went unreported.
pub const AUDIT_EACH: i64 = 10;
/// The window over which repeats are counted.
pub const REFUSAL_WINDOW: Duration = Duration::from_secs(60);
/// Counts kept in memory before the stale ones are dropped.
const MEMORY_ENTRIES: usize = 100_000;
/// Every this many shared counts, the stale rows are purged.
const PURGE_EVERY: u64 = 1_000;

/// Where counts are kept: this process's memory, or the database every process shares.
#[derive(Debug)]
pub enum Counters {
    /// In memory (one process).
    Memory(Mutex<HashMap<String, Slot>>),
    /// In the database's `rate_limits` table; if the database cannot count, the process
    /// counts alone in `local` (and says so on standard error).
    Shared {
        /// The record.
        store: Store,
        /// The fallback.
        local: Box<Counters>,
        /// Counts made, for the periodic purge.
        calls: AtomicU64,
    },
}

impl Default for Counters {
    fn default() -> Counters {
        Counters::Memory(Mutex::default())
    }
}

impl Counters {
    /// Shared through the database on PostgreSQL, in memory on SQLite.
    pub fn for_store(store: &Store) -> Counters {
        match store.backend() {
            osa_store::Backend::Postgres => Counters::shared(store.clone()),
            osa_store::Backend::Sqlite => Counters::default(),
        }
    }

    /// Shared through the database (whatever the backend).
    pub fn shared(store: Store) -> Counters {
        Counters::Shared {
            store,
            local: Box::default(),
            calls: AtomicU64::new(0),
        }
    }

    /// Whether the counts are shared with other processes.
    pub fn is_shared(&self) -> bool {
        matches!(self, Counters::Shared { .. })
    }

    /// Counts one event of `key` in a fixed window.
    pub async fn count(&self, key: &str, window: Duration) -> Slot {
        let now = limits::now_ms();
        match self {
            Counters::Memory(m) => in_memory(m, key, now, |s| {
                limits::count(s, now, window.as_millis() as i64)
            }),
            Counters::Shared {
                store,
                local,
                calls,
            } => {
                purge_now_and_then(store, calls).await;
                match store.count_in_window(key, window, now).await {
                    Ok(s) => s,
                    Err(e) => {
                        eprintln!("osa serve: counting {key} in the database: {e}");
                        Box::pin(local.count(key, window)).await
                    }
                }
            }
        }
    }

    /// Takes one token of `key`'s bucket.
    pub async fn take(&self, key: &str, b: Budget) -> Slot {
        let now = limits::now_ms();
        match self {
            Counters::Memory(m) => {
                in_memory(m, key, now, |s| limits::take(s, now, b.burst, b.per_second))
            }
            Counters::Shared {
                store,
                local,
                calls,
            } => {
                purge_now_and_then(store, calls).await;
                match store.take_token(key, b.burst, b.per_second, now).await {
                    Ok(s) => s,
                    Err(e) => {
                        eprintln!("osa serve: counting {key} in the database: {e}");
                        Box::pin(local.take(key, b)).await
                    }
                }
            }
        }
    }
}

fn in_memory(
    m: &Mutex<HashMap<String, Slot>>,
    key: &str,
    now: i64,
    f: impl FnOnce(Option<Slot>) -> Slot,
) -> Slot {
    let Ok(mut m) = m.lock() else {
        return f(None);
    };
    if m.len() > MEMORY_ENTRIES {
        let keep = limits::KEEP.as_millis() as i64;
        m.retain(|_, s| now - s.started_ms < keep);
    }
    let s = f(m.get(key).copied());
    m.insert(key.to_string(), s);
    s
}

async fn purge_now_and_then(store: &Store, calls: &AtomicU64) {
    if calls.fetch_add(1, Ordering::Relaxed) % PURGE_EVERY == PURGE_EVERY - 1 {
        let before = limits::now_ms() - limits::KEEP.as_millis() as i64;
        if let Err(e) = store.purge_limits(before).await {
            eprintln!("osa serve: purging old counts: {e}");
        }
    }
}

/// Counts refusals per (client, reason) and says which ones get an audit row.
#[derive(Debug, Default)]
pub struct RefusalLog {
    counters: std::sync::Arc<Counters>,
}

impl RefusalLog {
    /// A log counting in `counters`.
    pub fn new(counters: std::sync::Arc<Counters>) -> RefusalLog {
        RefusalLog { counters }
    }

    /// Counts a refusal; `Some(detail)` when it gets an audit row (the detail says how many
    /// repeats the row stands for), `None` when it is only counted.
    pub async fn note(&self, client: &str, why: &str) -> Option<serde_json::Value> {
        let s = self
            .counters
            .count(&format!("refusal/{client}/{why}"), REFUSAL_WINDOW)
            .await;
        audited(&s)
    }
}

/// Whether the refusal counted in `s` gets an audit row, and its detail.
fn audited(s: &Slot) -> Option<serde_json::Value> {
    let unreported = if s.n == 1 && s.prev > 0 {
        s.prev - reported_of(s.prev)
    } else {
        0
    };
    if s.n > AUDIT_EACH && !is_power_of_ten(s.n) && unreported == 0 {
        return None;
    }
    Some(if s.n <= AUDIT_EACH && unreported == 0 {
        serde_json::json!({})
    } else {
        serde_json::json!({
            "repeats": s.n,
            "window_seconds": REFUSAL_WINDOW.as_secs(),
            "unreported_before": unreported,
        })
    })
}

/// Of `n` refusals in a window, how many got a row (the count the last row stated).
fn reported_of(n: i64) -> i64 {
    if n <= AUDIT_EACH {
        return n;
    }
    let mut p = 1;
    while p * 10 <= n {
        p *= 10;
    }
    p
}

fn is_power_of_ten(mut n: i64) -> bool {
    while n >= 10 && n % 10 == 0 {
        n /= 10;
    }
    n == 1
}

/// A user's write budget: at most `burst` writes at once, refilled at `per_second`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    /// The bucket's size.
    pub burst: f64,
    /// Writes per second regained.
    pub per_second: f64,
}

impl std::str::FromStr for Budget {
    type Err = String;
    /// `BURST/PER_SECOND`, e.g. `600/20`.
    fn from_str(s: &str) -> Result<Budget, String> {
        let parse = |v: &str, what: &str| match v.trim().parse::<f64>() {
            Ok(x) if x.is_finite() && x >= 1.0 => Ok(x),
            _ => Err(format!("`{s}`: the {what} must be a number of at least 1")),
        };
        let (burst, rate) = s
            .split_once('/')
            .ok_or_else(|| format!("`{s}`: expected BURST/PER_SECOND, e.g. 600/20"))?;
        Ok(Budget {
            burst: parse(burst, "burst")?,
            per_second: parse(rate, "rate per second")?,
        })
    }
}

/// Analysts', reviewers' and admins' budget by default: 600 at once and 20 a second.
pub const EDITORS: Budget = Budget {
    burst: 600.0,
    per_second: 20.0,
};

/// The write budget of a role: viewers (who write only their own watchlists, marks and tokens)
/// get 60 at once and one a second; analysts, reviewers and admins [`EDITORS`].
pub fn budget(role: Role) -> Budget {
    match role {
        Role::Viewer => Budget {
            burst: 60.0,
            per_second: 1.0,
        },
        _ => EDITORS,
    }
}

/// Per-user token buckets of writes (state-changing requests).
#[derive(Debug)]
pub struct WriteLimiter {
    counters: std::sync::Arc<Counters>,
    /// The budget of analysts, reviewers and admins (`osa serve --write-budget`).
    pub editors: Budget,
}

impl Default for WriteLimiter {
    fn default() -> WriteLimiter {
        WriteLimiter::new(std::sync::Arc::default())
    }
}

impl WriteLimiter {
    /// Budgets counted in `counters`.
    pub fn new(counters: std::sync::Arc<Counters>) -> WriteLimiter {
        WriteLimiter {
            counters,
            editors: EDITORS,
        }
    }

    /// The budget of a role here.
    pub fn budget(&self, role: Role) -> Budget {
        match role {
            Role::Viewer => budget(role),
            _ => self.editors,
        }
    }

    /// Takes one write from the user's bucket; `Err(seconds)` to wait when it is empty.
    pub async fn take(&self, user: &str, role: Role) -> Result<(), u64> {
        let b = self.budget(role);
        let s = self.counters.take(&format!("write/{user}"), b).await;
        if s.n == 1 {
            Ok(())
        } else {
            Err(limits::wait_seconds(&s, b.per_second))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_flood_of_refusals_gets_a_bounded_number_of_rows_with_the_count() {
        let log = RefusalLog::default();
        let mut rows = Vec::new();
        for _ in 0..1000 {
            rows.extend(log.note("127.0.0.1", "bad token").await);
        }
        assert_eq!(rows.len(), 12);
        assert_eq!(rows[11]["repeats"], 1000);
        assert!(log.note("10.0.0.1", "bad token").await.is_some());
    }

    #[test]
    fn the_next_window_reports_what_the_last_one_left_unreported() {
        let s = Slot {
            started_ms: 0,
            n: 1,
            level: 0.0,
            prev: 1234,
        };
        assert_eq!(audited(&s).unwrap()["unreported_before"], 234);
        assert_eq!(reported_of(7), 7);
        assert_eq!(reported_of(99), 10);
    }

    #[tokio::test]
    async fn a_viewer_runs_out_of_writes_and_is_told_when_to_come_back() {
        let w = WriteLimiter::default();
        for _ in 0..60 {
            assert!(w.take("vic", Role::Viewer).await.is_ok());
        }
        assert_eq!(w.take("vic", Role::Viewer).await, Err(1));
        assert!(w.take("ana", Role::Analyst).await.is_ok());
        assert_eq!("600/20".parse::<Budget>(), Ok(EDITORS));
        assert!("600".parse::<Budget>().is_err());
        assert!("0/20".parse::<Budget>().is_err());
    }
}
