//! The hardening contract (issue 11), one test per observed example: bounded resources, no wrong
//! answer with exit 0, whole-or-nothing outputs, nothing destroyed that osa did not create, and
//! errors that point at the right place.

use crate::util::osa;
use std::time::{Duration, Instant};

/// Runs osa, asserts exit 2 within `secs` seconds, returns standard error.
fn refused(args: &[&str], secs: u64) -> String {
    let start = Instant::now();
    let out = osa().args(args).output().expect("runs");
    assert!(
        start.elapsed() < Duration::from_secs(secs),
        "osa {args:?} took {:?}",
        start.elapsed()
    );
    assert_eq!(out.status.code(), Some(2), "osa {args:?} should be refused");
    assert!(out.stdout.is_empty(), "osa {args:?} printed a result");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn huge_weeks_starts_durations_and_draws_are_refused_before_allocating() {
    let e = refused(
        &[
            "simulate",
            "--shock",
            "CHN:gallium=1.0",
            "--weeks",
            "4000000000",
        ],
        10,
    );
    assert!(e.contains("limit of 5200 weeks"), "{e}");
    let e = refused(&["simulate", "--shock", "CHN:gallium=1.0@99999999"], 10);
    assert!(e.contains("start week") && e.contains("5200"), "{e}");
    let e = refused(&["simulate", "--shock", "CHN:gallium=1.0@0+99999999"], 10);
    assert!(e.contains("duration") && e.contains("5200"), "{e}");
    let e = refused(
        &[
            "simulate",
            "--shock",
            "CHN:gallium=1.0",
            "--weeks",
            "15000000",
        ],
        10,
    );
    assert!(e.contains("--weeks 15000000"), "{e}");
    let e = refused(
        &[
            "simulate",
            "--shock",
            "CHN:gallium=0.5..1",
            "--draws",
            "4000000000",
        ],
        10,
    );
    assert!(e.contains("--draws") && e.contains("limit"), "{e}");
}

#[test]
fn a_shock_list_with_an_empty_id_is_refused() {
    let e = refused(&["simulate", "--shock", "CHN:gallium,,germanium=1.0"], 10);
    assert!(
        e.contains("input 2 of the list") && e.contains("empty"),
        "{e}"
    );
}

#[test]
fn ids_with_bidi_overrides_or_invisible_characters_are_refused() {
    let e = refused(&["simulate", "--shock", "CHN:\u{202e}muillag=1.0"], 10);
    assert!(e.contains("U+202E"), "{e}");
    assert!(
        !e.contains('\u{202e}'),
        "the override reaches the terminal: {e}"
    );
    let e = refused(&["simulate", "--shock", "CHN:gal\u{200b}lium=1.0"], 10);
    assert!(e.contains("U+200B"), "{e}");
    let e = refused(&["simulate", "--shock", "C\u{202e}HN:gallium=1.0"], 10);
    assert!(e.contains("supplier") && e.contains("U+202E"), "{e}");
}
