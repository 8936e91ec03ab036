//! Time as the store writes it: UTC RFC 3339 with milliseconds (`2026-11-30T17:05:00.123Z`), which
//! sorts as text, and the parsing of `as_of` arguments.

use crate::error::{Result, StoreError};
use std::time::{Duration, SystemTime};

/// Now, as stored.
pub fn now() -> String {
    format(SystemTime::now())
}

/// A time as stored.
pub fn format(t: SystemTime) -> String {
    humantime::format_rfc3339_millis(t).to_string()
}

/// Now, or one millisecond after `previous` (a stored time) when the clock has not passed it.
pub fn after_previous(previous: Option<&str>) -> String {
    let now = SystemTime::now();
    let floor = previous
        .and_then(|p| humantime::parse_rfc3339(p).ok())
        .map(|p| p + Duration::from_millis(1));
    format(match floor {
        Some(f) if f > now => f,
        _ => now,
    })
}

/// Now plus a duration, as stored.
pub fn after(d: Duration) -> String {
    format(SystemTime::now() + d)
}

/// Parses a time argument: RFC 3339 (`2026-11-30T17:05:00Z`, fractions allowed) or a date
/// (`2026-11-30`, read as its end: 23:59:59.999 UTC). Returns the stored form.
pub fn parse(field: &str, s: &str) -> Result<String> {
    let bad = || {
        StoreError::invalid(
            field,
            format!(
                "`{s}` is not a time (RFC 3339, e.g. 2026-11-30T17:05:00Z, or a date 2026-11-30)"
            ),
        )
    };
    if s.len() > 40 {
        return Err(bad());
    }
    let t = if s.len() == 10 {
        humantime::parse_rfc3339(&format!("{s}T23:59:59.999Z")).map_err(|_| bad())?
    } else {
        humantime::parse_rfc3339_weak(s.trim_end_matches('Z')).map_err(|_| bad())?
    };
    Ok(format(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_and_sort() {
        assert_eq!(
            parse("as_of", "2026-11-30T17:05:00Z").unwrap(),
            "2026-11-30T17:05:00.000Z"
        );
        assert_eq!(
            parse("as_of", "2026-11-30").unwrap(),
            "2026-11-30T23:59:59.999Z"
        );
        assert!(parse("as_of", "yesterday").is_err());
        assert!(
            parse("as_of", "2026-11-30T17:05:00.5Z").unwrap()
                < parse("as_of", "2026-11-30").unwrap()
        );
    }

    #[test]
    fn revision_times_strictly_increase() {
        let future = "2999-01-01T00:00:00.000Z";
        assert_eq!(after_previous(Some(future)), "2999-01-01T00:00:00.001Z");
        assert!(after_previous(Some("2000-01-01T00:00:00.000Z")).as_str() > "2026");
        assert!(after_previous(None).as_str() > "2026");
    }
}
