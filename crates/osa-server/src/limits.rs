//! Limits that keep one client or one user from flooding the record: the audit of refusals
//! (every refusal is audited, but repeats of the same refusal from the same client are counted and
//! summarized, so a flood of bad requests cannot fill the log) and per-user write budgets (a token
//! bucket per user; over it, 429 with `Retry-After`).

use osa_store::users::Role;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Refusals of one kind from one client audited one by one in a window; after that only the
/// 100th, 1,000th, 10,000th... get a row (with the count so far), and the first refusal of the
/// next window reports how many of the last window went unreported.
pub const AUDIT_EACH: u64 = 10;
/// The window over which repeats are counted.
pub const REFUSAL_WINDOW: Duration = Duration::from_secs(60);

/// Where one client's refusals of one kind stand in the current window.
#[derive(Debug, Clone, Copy)]
struct Window {
    start: Instant,
    count: u64,
    reported: u64,
}

/// Counts refusals per (client, reason) and says which ones get an audit row.
#[derive(Debug, Default)]
pub struct RefusalLog {
    seen: Mutex<HashMap<(String, String), Window>>,
}

impl RefusalLog {
    /// Counts a refusal; `Some(detail)` when it gets an audit row (the detail says how many
    /// repeats the row stands for), `None` when it is only counted.
    pub fn note(&self, client: &str, why: &str) -> Option<serde_json::Value> {
        let Ok(mut m) = self.seen.lock() else {
            return Some(serde_json::json!({}));
        };
        let now = Instant::now();
        if m.len() > 100_000 {
            m.retain(|_, w| now.duration_since(w.start) < REFUSAL_WINDOW);
        }
        let w = m
            .entry((client.to_string(), why.to_string()))
            .or_insert(Window {
                start: now,
                count: 0,
                reported: 0,
            });
        let mut unreported = 0;
        if now.duration_since(w.start) >= REFUSAL_WINDOW {
            unreported = w.count - w.reported;
            *w = Window {
                start: now,
                count: 0,
                reported: 0,
            };
        }
        w.count += 1;
        if w.count > AUDIT_EACH && !is_power_of_ten(w.count) && unreported == 0 {
            return None;
        }
        w.reported = w.count;
        Some(if w.count <= AUDIT_EACH && unreported == 0 {
            serde_json::json!({})
        } else {
            serde_json::json!({
                "repeats": w.count,
                "window_seconds": REFUSAL_WINDOW.as_secs(),
                "unreported_before": unreported,
            })
        })
    }
}

fn is_power_of_ten(mut n: u64) -> bool {
    while n >= 10 && n.is_multiple_of(10) {
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

/// The write budget of a role: viewers (who write only their own watchlists, marks and tokens)
/// get 60 at once and one a second; analysts, reviewers and admins 600 at once and 20 a second.
pub fn budget(role: Role) -> Budget {
    match role {
        Role::Viewer => Budget {
            burst: 60.0,
            per_second: 1.0,
        },
        _ => Budget {
            burst: 600.0,
            per_second: 20.0,
        },
    }
}

/// Per-user token buckets of writes (state-changing requests).
#[derive(Debug, Default)]
pub struct WriteLimiter {
    buckets: Mutex<HashMap<String, (Instant, f64)>>,
}

impl WriteLimiter {
    /// Takes one write from the user's bucket; `Err(seconds)` to wait when it is empty.
    pub fn take(&self, user: &str, b: Budget) -> Result<(), u64> {
        let Ok(mut m) = self.buckets.lock() else {
            return Ok(());
        };
        let now = Instant::now();
        let (at, tokens) = m.entry(user.to_string()).or_insert((now, b.burst));
        let refilled =
            (*tokens + now.duration_since(*at).as_secs_f64() * b.per_second).min(b.burst);
        *at = now;
        if refilled >= 1.0 {
            *tokens = refilled - 1.0;
            Ok(())
        } else {
            *tokens = refilled;
            let wait = ((1.0 - refilled) / b.per_second).ceil();
            Err((wait as u64).max(1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_of_refusals_gets_a_bounded_number_of_rows_with_the_count() {
        let log = RefusalLog::default();
        let rows: Vec<_> = (0..1000)
            .filter_map(|_| log.note("127.0.0.1", "bad token"))
            .collect();
        assert_eq!(rows.len(), 12);
        assert_eq!(rows[11]["repeats"], 1000);
        assert!(log.note("10.0.0.1", "bad token").is_some());
    }

    #[test]
    fn a_viewer_runs_out_of_writes_and_is_told_when_to_come_back() {
        let w = WriteLimiter::default();
        let b = budget(Role::Viewer);
        for _ in 0..60 {
            assert!(w.take("vic", b).is_ok());
        }
        assert_eq!(w.take("vic", b), Err(1));
        assert!(w.take("ana", budget(Role::Analyst)).is_ok());
    }
}
