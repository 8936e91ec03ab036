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
}
