//! Counters every server process on one database shares (scale out): sign-in attempts per client
//! in a fixed window, per-user write budgets as token buckets, repeats of a refusal. One table,
//! `rate_limits` (migration 6), one upsert per count, so two processes behind a load balancer
//! count as one. The rules are the pure functions [`count`] and [`take`]; the SQL of
//! [`Store::count_in_window`] and [`Store::take_token`] computes the same in one statement (a
//! test replays both). Operational state, not the record: no revision, no audit entry, no seal.
//! Times are milliseconds since 1970 from the caller's clock (servers' clocks are synchronized;
//! a clock behind another never refills a bucket backwards).

use crate::{Backend, Result, Store};
use std::time::Duration;

/// The longest key kept (longer ones are cut: keys are made of bounded names anyway).
pub const MAX_KEY: usize = 512;
/// Rows untouched for this long are purged ([`Store::purge_limits`]).
pub const KEEP: Duration = Duration::from_secs(3600);

/// One counter as stored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slot {
    /// The window's start, or the bucket's last refill (ms since 1970).
    pub started_ms: i64,
    /// Counts in the window; for a bucket, 1 when the last take succeeded, 0 when refused.
    pub n: i64,
    /// A bucket's tokens after the last take.
    pub level: f64,
    /// The count of the previous window, as it stood when this one started.
    pub prev: i64,
}

/// Counts one event in a fixed window of `window_ms` (a new window starts with the first event
/// after the last one ended).
pub fn count(slot: Option<Slot>, now_ms: i64, window_ms: i64) -> Slot {
    match slot {
        None => Slot {
            started_ms: now_ms,
            n: 1,
            level: 0.0,
            prev: 0,
        },
        Some(s) if now_ms - s.started_ms >= window_ms => Slot {
            started_ms: now_ms,
            n: 1,
            level: s.level,
            prev: s.n,
        },
        Some(s) => Slot { n: s.n + 1, ..s },
    }
}

/// Takes one token from a bucket of `burst` refilled at `per_second` (`n` says whether it was
/// taken).
pub fn take(slot: Option<Slot>, now_ms: i64, burst: f64, per_second: f64) -> Slot {
    let Some(s) = slot else {
        return Slot {
            started_ms: now_ms,
            n: 1,
            level: burst - 1.0,
            prev: 0,
        };
    };
    let refilled = burst.min(s.level + (now_ms - s.started_ms).max(0) as f64 * per_second / 1000.0);
    let ok = refilled >= 1.0;
    Slot {
        started_ms: now_ms.max(s.started_ms),
        n: i64::from(ok),
        level: refilled - if ok { 1.0 } else { 0.0 },
        prev: s.prev,
    }
}

/// The seconds to wait before a refused bucket has a token again (at least 1).
pub fn wait_seconds(s: &Slot, per_second: f64) -> u64 {
    (((1.0 - s.level) / per_second).ceil() as u64).max(1)
}

/// Now, in milliseconds since 1970.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

fn key_of(key: &str) -> &str {
    match key.char_indices().nth(MAX_KEY) {
        Some((i, _)) => &key[..i],
        None => key,
    }
}

const RETURNING: &str = " RETURNING started_ms, n, CAST(level AS DOUBLE PRECISION) AS level, prev";

impl Store {
    /// Counts one event of `key` in a fixed window (see [`count`]), shared by every process.
    pub async fn count_in_window(&self, key: &str, window: Duration, now: i64) -> Result<Slot> {
        let expired = "excluded.started_ms - rate_limits.started_ms >= ?";
        let q = format!(
            "INSERT INTO rate_limits (key, started_ms, n, level, prev) VALUES (?, ?, 1, 0, 0) \
             ON CONFLICT (key) DO UPDATE SET \
             started_ms = CASE WHEN {expired} THEN excluded.started_ms ELSE rate_limits.started_ms END, \
             prev = CASE WHEN {expired} THEN rate_limits.n ELSE rate_limits.prev END, \
             n = CASE WHEN {expired} THEN 1 ELSE rate_limits.n + 1 END{RETURNING}"
        );
        let w = window.as_millis() as i64;
        let row: (i64, i64, f64, i64) = sqlx::query_as(self.sql(&q))
            .bind(key_of(key))
            .bind(now)
            .bind(w)
            .bind(w)
            .bind(w)
            .fetch_one(&self.pool)
            .await?;
        Ok(slot(row))
    }

    /// Takes one token of `key`'s bucket (see [`take`]), shared by every process.
    pub async fn take_token(
        &self,
        key: &str,
        burst: f64,
        per_second: f64,
        now: i64,
    ) -> Result<Slot> {
        let (least, greatest) = match self.backend {
            Backend::Sqlite => ("MIN", "MAX"),
            Backend::Postgres => ("LEAST", "GREATEST"),
        };
        let refilled = format!(
            "{least}(?, rate_limits.level + {greatest}(0, excluded.started_ms - rate_limits.started_ms) * ?)"
        );
        let q = format!(
            "INSERT INTO rate_limits (key, started_ms, n, level, prev) VALUES (?, ?, 1, ?, 0) \
             ON CONFLICT (key) DO UPDATE SET \
             level = {refilled} - CASE WHEN {refilled} >= 1 THEN 1 ELSE 0 END, \
             n = CASE WHEN {refilled} >= 1 THEN 1 ELSE 0 END, \
             started_ms = {greatest}(excluded.started_ms, rate_limits.started_ms){RETURNING}"
        );
        let per_ms = per_second / 1000.0;
        let mut query = sqlx::query_as(self.sql(&q))
            .bind(key_of(key))
            .bind(now)
            .bind(burst - 1.0);
        for _ in 0..3 {
            query = query.bind(burst).bind(per_ms);
        }
        let row: (i64, i64, f64, i64) = query.fetch_one(&self.pool).await?;
        Ok(slot(row))
    }

    /// Removes the counters untouched since `before` (ms since 1970); answers how many.
    pub async fn purge_limits(&self, before: i64) -> Result<u64> {
        let r = sqlx::query(self.sql("DELETE FROM rate_limits WHERE started_ms < ?"))
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected())
    }
}

fn slot((started_ms, n, level, prev): (i64, i64, f64, i64)) -> Slot {
    Slot {
        started_ms,
        n,
        level,
        prev,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_counts_then_starts_over_remembering_the_last_count() {
        let mut s = None;
        for t in [0, 10, 59_999] {
            s = Some(count(s, t, 60_000));
        }
        assert_eq!(s.map(|s| (s.n, s.prev)), Some((3, 0)));
        let s = count(s, 60_000, 60_000);
        assert_eq!((s.started_ms, s.n, s.prev), (60_000, 1, 3));
    }

    #[test]
    fn a_bucket_empties_and_refills_at_its_rate() {
        let mut s = None;
        for _ in 0..3 {
            s = Some(take(s, 0, 3.0, 2.0));
            assert_eq!(s.map(|s| s.n), Some(1));
        }
        let r = take(s, 0, 3.0, 2.0);
        assert_eq!((r.n, r.level), (0, 0.0));
        assert_eq!(wait_seconds(&r, 2.0), 1);
        let r = take(Some(r), 500, 3.0, 2.0);
        assert_eq!((r.n, r.level), (1, 0.0));
        // A clock behind the last refill takes nothing back.
        let r = take(Some(r), 100, 3.0, 2.0);
        assert_eq!((r.n, r.started_ms), (0, 500));
    }
}
