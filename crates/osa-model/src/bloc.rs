//! Blocs of countries with dated memberships (the EU with its accessions and the United Kingdom's
//! exit, NATO, user-defined groups), so that a bloc can be taken "as of" a year.
//!
//! Convention: a country belongs to a bloc in year Y when it is a member on 1 July of Y. Croatia
//! (joined 2013-07-01) is therefore in the EU for 2013, and the United Kingdom (left 2020-01-31) is
//! out for 2020.

use crate::country::CountryCode;
use std::fmt;

/// A calendar date (proleptic Gregorian), enough for membership arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1-12.
    pub month: u8,
    /// Day, 1-31.
    pub day: u8,
}

impl Date {
    /// Builds a date, checking month and day ranges (including leap years).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            _ if leap => 29,
            _ => 28,
        };
        (day <= days).then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// 1 July of a year: the reference day for "as of a year".
    pub fn mid_year(year: i32) -> Date {
        Date {
            year,
            month: 7,
            day: 1,
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A country's membership of a bloc between two dates (`until` exclusive; open when `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// The member.
    pub country: CountryCode,
    /// First day of membership; `None` for an undated (always) member.
    pub from: Option<Date>,
    /// First day the country is no longer a member.
    pub until: Option<Date>,
}

impl Membership {
    /// Whether the membership covers a day.
    pub fn covers(&self, day: Date) -> bool {
        self.from.is_none_or(|f| f <= day) && self.until.is_none_or(|u| day < u)
    }
}

/// A named group of countries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bloc {
    /// Identifier, e.g. `EU27`, `NATO`, or a user's own.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Whether membership implies a security (mutual-defence) commitment.
    pub security: bool,
    /// Members, with dates.
    pub members: Vec<Membership>,
    /// Where the membership list comes from.
    pub source: String,
}

impl Bloc {
    /// An undated bloc (every member always a member), as users define on the command line.
    pub fn undated(id: &str, name: &str, members: &[CountryCode], source: &str) -> Bloc {
        Bloc {
            id: id.to_string(),
            name: name.to_string(),
            security: false,
            members: members
                .iter()
                .map(|&country| Membership {
                    country,
                    from: None,
                    until: None,
                })
                .collect(),
            source: source.to_string(),
        }
    }

    /// Whether a country is a member on a given day.
    pub fn contains_on(&self, country: CountryCode, day: Date) -> bool {
        self.members
            .iter()
            .any(|m| m.country == country && m.covers(day))
    }

    /// Whether a country is a member in a year (on 1 July of that year).
    pub fn contains(&self, country: CountryCode, year: i32) -> bool {
        self.contains_on(country, Date::mid_year(year))
    }

    /// Members as of a year, sorted.
    pub fn members_in(&self, year: i32) -> Vec<CountryCode> {
        let day = Date::mid_year(year);
        let mut out: Vec<CountryCode> = self
            .members
            .iter()
            .filter(|m| m.covers(day))
            .map(|m| m.country)
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// The set of blocs an analysis can refer to (built-in plus user-defined).
#[derive(Debug, Clone, Default)]
pub struct Blocs {
    blocs: Vec<Bloc>,
}

impl Blocs {
    /// Builds a registry; later blocs with the same id replace earlier ones (user blocs override).
    pub fn new(blocs: Vec<Bloc>) -> Blocs {
        let mut out = Blocs::default();
        for b in blocs {
            out.insert(b);
        }
        out
    }

    /// Adds or replaces a bloc.
    pub fn insert(&mut self, bloc: Bloc) {
        if let Some(slot) = self.blocs.iter_mut().find(|b| b.id == bloc.id) {
            *slot = bloc;
        } else {
            self.blocs.push(bloc);
        }
    }

    /// Finds a bloc by id (case-sensitive; `EU` is accepted for `EU27`).
    pub fn get(&self, id: &str) -> Option<&Bloc> {
        let id = if id == "EU" { "EU27" } else { id };
        self.blocs.iter().find(|b| b.id == id)
    }

    /// All blocs.
    pub fn iter(&self) -> impl Iterator<Item = &Bloc> {
        self.blocs.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cc(s: &str) -> CountryCode {
        CountryCode::parse(s).expect("test code")
    }

    fn eu_fragment() -> Bloc {
        Bloc {
            id: "EU27".into(),
            name: "European Union".into(),
            security: true,
            members: vec![
                Membership {
                    country: cc("FRA"),
                    from: Date::parse("1958-01-01"),
                    until: None,
                },
                Membership {
                    country: cc("HRV"),
                    from: Date::parse("2013-07-01"),
                    until: None,
                },
                Membership {
                    country: cc("GBR"),
                    from: Date::parse("1973-01-01"),
                    until: Date::parse("2020-01-31"),
                },
            ],
            source: "test".into(),
        }
    }

    #[test]
    fn dates_parse_and_reject() {
        assert_eq!(Date::parse("2020-01-31"), Date::new(2020, 1, 31));
        assert!(Date::parse("2021-02-29").is_none());
        assert!(Date::parse("2020-02-29").is_some());
        assert!(Date::parse("2020-13-01").is_none());
        assert!(Date::parse("20-01-01").is_none());
        assert_eq!(
            Date::parse("2013-07-01").map(|d| d.to_string()),
            Some("2013-07-01".into())
        );
    }

    #[test]
    fn membership_as_of_year_follows_mid_year_rule() {
        let eu = eu_fragment();
        assert!(!eu.contains(cc("HRV"), 2012));
        assert!(eu.contains(cc("HRV"), 2013));
        assert!(eu.contains(cc("GBR"), 2019));
        assert!(!eu.contains(cc("GBR"), 2020));
        assert!(!eu.contains(cc("GBR"), 1972));
        assert_eq!(eu.members_in(2019).len(), 3);
        assert_eq!(eu.members_in(2021).len(), 2);
    }

    #[test]
    fn eu_alias() {
        let blocs = Blocs::new(vec![eu_fragment()]);
        assert!(blocs.get("EU").is_some());
        assert!(blocs.get("NATO").is_none());
    }
}
