//! Countries (ISO 3166-1 alpha-3) and the few non-country "regions" that datasets report as one
//! provider (ETO's `EUR`, "Europe").
//!
//! The code list is compiled in from `data/countries.tsv` (ISO 3166-1 as packaged by pycountry, plus
//! the user-assigned `XKX` for Kosovo), so validation needs no files at run time.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

/// An ISO 3166-1 alpha-3 code that is known to the registry (always upper case).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode([u8; 3]);

impl CountryCode {
    /// Parses and checks a code against the registry; `None` when it is not a known alpha-3 code.
    /// Matching is exact: `nld` is not `NLD`.
    pub fn parse(code: &str) -> Option<CountryCode> {
        let bytes = code.as_bytes();
        if bytes.len() != 3 || !bytes.iter().all(u8::is_ascii_uppercase) {
            return None;
        }
        let cc = CountryCode([bytes[0], bytes[1], bytes[2]]);
        registry().by_alpha3[slot(&cc.0)].map(|_| cc)
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        // The registry only admits ASCII upper-case letters.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// The registry entry of this code.
    pub fn country(&self) -> &'static Country {
        let reg = registry();
        // Every CountryCode value was checked against the registry when it was made.
        let i = reg.by_alpha3[slot(&self.0)].unwrap_or(0);
        &reg.countries[i as usize]
    }

    /// Short English name.
    pub fn name(&self) -> &'static str {
        &self.country().name
    }
}

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of the country registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-3.
    pub alpha3: CountryCode,
    /// ISO 3166-1 alpha-2.
    pub alpha2: String,
    /// ISO 3166-1 numeric (empty for user-assigned codes).
    pub numeric: Option<u16>,
    /// Short English name.
    pub name: String,
}

struct Registry {
    countries: Vec<Country>,
    /// Index into `countries` by the code's position in AAA..ZZZ (26^3 slots), for lookups that
    /// validation does once per provision record.
    by_alpha3: Vec<Option<u16>>,
    by_numeric: HashMap<u16, usize>,
}

fn slot(code: &[u8; 3]) -> usize {
    code.iter()
        .fold(0usize, |acc, b| acc * 26 + (b - b'A') as usize)
}

const COUNTRIES_TSV: &str = include_str!("../data/countries.tsv");

fn registry() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    REG.get_or_init(|| {
        let mut countries = Vec::new();
        for line in COUNTRIES_TSV.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 4 {
                continue;
            }
            let b = cols[0].as_bytes();
            if b.len() != 3 || !b.iter().all(u8::is_ascii_uppercase) {
                continue;
            }
            countries.push(Country {
                alpha3: CountryCode([b[0], b[1], b[2]]),
                alpha2: cols[1].to_string(),
                numeric: cols[2].parse().ok(),
                name: cols[3].to_string(),
            });
        }
        let mut by_alpha3 = vec![None; 26 * 26 * 26];
        for (i, c) in countries.iter().enumerate() {
            by_alpha3[slot(&c.alpha3.0)] = u16::try_from(i).ok();
        }
        let by_numeric = countries
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.numeric.map(|n| (n, i)))
            .collect();
        Registry {
            countries,
            by_alpha3,
            by_numeric,
        }
    })
}

/// All countries of the registry, sorted by alpha-3 code.
pub fn all_countries() -> &'static [Country] {
    &registry().countries
}

/// Looks a country up by its ISO 3166-1 numeric code.
pub fn by_numeric(numeric: u16) -> Option<CountryCode> {
    let reg = registry();
    reg.by_numeric
        .get(&numeric)
        .map(|&i| reg.countries[i].alpha3)
}

/// A provider that datasets report as one unit although it is not a country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Region {
    /// The code the dataset uses.
    pub code: &'static str,
    /// What it stands for.
    pub name: &'static str,
    /// The bloc whose share this region counts toward, if any (an approximation, flagged in outputs).
    pub within_bloc: Option<&'static str>,
}

/// The regions osa knows. `EUR` is how the 2026 ETO release reports European providers taken together.
pub const REGIONS: &[Region] = &[Region {
    code: "EUR",
    name: "Europe (reported as one provider)",
    within_bloc: Some("EU27"),
}];

/// Looks a region up by code.
pub fn region(code: &str) -> Option<Region> {
    REGIONS.iter().copied().find(|r| r.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_parse_and_unknown_do_not() {
        assert_eq!(
            CountryCode::parse("NLD").map(|c| c.name()),
            Some("Netherlands")
        );
        assert_eq!(CountryCode::parse("TWN").map(|c| c.name()), Some("Taiwan"));
        assert!(CountryCode::parse("XKX").is_some());
        assert!(CountryCode::parse("nld").is_none());
        assert!(CountryCode::parse("XXX").is_none());
        assert!(CountryCode::parse("EUR").is_none());
        assert!(CountryCode::parse("NL").is_none());
        assert_eq!(all_countries().len(), 250);
    }

    #[test]
    fn numeric_lookup() {
        assert_eq!(by_numeric(528).map(|c| c.to_string()), Some("NLD".into()));
        assert_eq!(by_numeric(156).map(|c| c.to_string()), Some("CHN".into()));
        assert_eq!(by_numeric(999), None);
    }

    #[test]
    fn eur_is_a_region_within_the_eu() {
        let eur = region("EUR").expect("EUR region");
        assert_eq!(eur.within_bloc, Some("EU27"));
        assert!(region("NLD").is_none());
    }
}
