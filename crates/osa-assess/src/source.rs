//! Sources: every fact and judgment in osa names where it comes from. A source is a line range of
//! the seed report (`seed L1649-1655`, counted in the compact text), a publication (`pub: ...`), a
//! dataset read at run time (`data: ...`), or an analyst's judgment (`judgment: who, when, why`).

use std::fmt;

/// Number of lines of the seed report's compact text (`000_0bfe460a9d94b6ca.compact.txt`).
pub const SEED_LINES: u32 = 7145;

/// A parsed source string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Lines of the seed report (inclusive).
    Seed {
        /// First line.
        from: u32,
        /// Last line.
        to: u32,
    },
    /// A publication.
    Publication(String),
    /// A dataset read at run time.
    Data(String),
    /// An analyst's judgment: who, when, why.
    Judgment(String),
}

impl Source {
    /// Parses a source string, checking seed line ranges against the report's length.
    pub fn parse(text: &str) -> Result<Source, String> {
        let t = text.trim();
        if let Some(rest) = t.strip_prefix("seed L") {
            let (a, b) = match rest.split_once('-') {
                Some((a, b)) => (a, b.trim_start_matches('L')),
                None => (rest, rest),
            };
            let from: u32 = a
                .trim()
                .parse()
                .map_err(|_| format!("`{t}`: `{a}` is not a line number"))?;
            let to: u32 = b
                .trim()
                .parse()
                .map_err(|_| format!("`{t}`: `{b}` is not a line number"))?;
            if from == 0 || to < from || to > SEED_LINES {
                return Err(format!(
                    "`{t}`: line range must lie within 1-{SEED_LINES} and run forwards"
                ));
            }
            return Ok(Source::Seed { from, to });
        }
        for (prefix, make) in [
            ("pub:", Source::Publication as fn(String) -> Source),
            ("data:", Source::Data),
            ("judgment:", Source::Judgment),
        ] {
            if let Some(rest) = t.strip_prefix(prefix) {
                let rest = rest.trim();
                if rest.is_empty() {
                    return Err(format!("`{t}`: empty {prefix} source"));
                }
                return Ok(make(rest.to_string()));
            }
        }
        Err(format!(
            "`{t}` is not a source (expected `seed L<a>-<b>`, `pub: ...`, `data: ...` or `judgment: ...`)"
        ))
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Seed { from, to } if from == to => write!(f, "seed L{from}"),
            Source::Seed { from, to } => write!(f, "seed L{from}-{to}"),
            Source::Publication(s) => write!(f, "pub: {s}"),
            Source::Data(s) => write!(f, "data: {s}"),
            Source::Judgment(s) => write!(f, "judgment: {s}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_four_kinds() {
        assert_eq!(
            Source::parse("seed L1649-1655"),
            Ok(Source::Seed {
                from: 1649,
                to: 1655
            })
        );
        assert_eq!(
            Source::parse("seed L899"),
            Ok(Source::Seed { from: 899, to: 899 })
        );
        assert_eq!(
            Source::parse("seed L1649-1655").map(|s| s.to_string()),
            Ok("seed L1649-1655".to_string())
        );
        assert!(matches!(
            Source::parse("pub: USGS, MCS, 2024"),
            Ok(Source::Publication(_))
        ));
        assert!(Source::parse("seed L7146").is_err());
        assert!(Source::parse("seed L20-10").is_err());
        assert!(Source::parse("wikipedia").is_err());
        assert!(Source::parse("pub:").is_err());
    }
}
