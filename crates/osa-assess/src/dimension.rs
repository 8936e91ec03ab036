//! The four dimensions of Open Strategic Autonomy (seed L89-115, L566-676) and the 0-4 level scale
//! on which each technology is assessed.

use std::fmt;
use std::str::FromStr;

/// One of the report's four dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dimension {
    /// Global supply-chain resilience and second- and third-order effects (seed L566-585).
    SupplyResilience,
    /// National security / criticality (seed L586-620).
    NationalSecurity,
    /// Values and sustainability (seed L621-647).
    ValuesSustainability,
    /// Technological competitiveness, including strategic indispensability (seed L648-676).
    Competitiveness,
}

impl Dimension {
    /// All four, in the report's order.
    pub const ALL: [Dimension; 4] = [
        Dimension::SupplyResilience,
        Dimension::NationalSecurity,
        Dimension::ValuesSustainability,
        Dimension::Competitiveness,
    ];

    /// The id used in files, JSON, CLI and UI.
    pub fn id(self) -> &'static str {
        match self {
            Dimension::SupplyResilience => "supply_resilience",
            Dimension::NationalSecurity => "national_security",
            Dimension::ValuesSustainability => "values_sustainability",
            Dimension::Competitiveness => "competitiveness",
        }
    }

    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::SupplyResilience => "Supply-chain resilience",
            Dimension::NationalSecurity => "National security",
            Dimension::ValuesSustainability => "Values and sustainability",
            Dimension::Competitiveness => "Technological competitiveness",
        }
    }

    /// Position in [`Dimension::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Dimension {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Dimension::ALL
            .into_iter()
            .find(|d| d.id() == s)
            .ok_or_else(|| {
                format!(
                    "unknown dimension `{s}` (expected {})",
                    Dimension::ALL.map(|d| d.id()).join(", ")
                )
            })
    }
}

/// The severity of the challenge a dependency poses on one dimension, 0-4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Level(u8);

impl Level {
    /// The highest level.
    pub const MAX: u8 = 4;

    /// A level, if within 0-4.
    pub fn new(v: i64) -> Option<Level> {
        u8::try_from(v).ok().filter(|&b| b <= Level::MAX).map(Level)
    }

    /// The number.
    pub fn value(self) -> u8 {
        self.0
    }

    /// Severity on a 0-1 scale (level / 4).
    pub fn severity(self) -> f64 {
        f64::from(self.0) / f64::from(Level::MAX)
    }

    /// The scale's words for this level.
    pub fn label(self) -> &'static str {
        match self.0 {
            0 => "none or negligible (or a net benefit)",
            1 => "low",
            2 => "moderate or conditional",
            3 => "high",
            _ => "critical",
        }
    }

    /// The level whose band a 0-1 indicator falls in, given the four lower bounds of levels 1-4.
    pub fn from_indicator(x: f64, bounds: [f64; 4]) -> Level {
        Level(bounds.iter().filter(|&&b| x >= b).count() as u8)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_levels_are_bounded() {
        for d in Dimension::ALL {
            assert_eq!(d.id().parse::<Dimension>(), Ok(d));
        }
        assert!("security".parse::<Dimension>().is_err());
        assert_eq!(Level::new(4).map(Level::value), Some(4));
        assert!(Level::new(5).is_none());
        assert!(Level::new(-1).is_none());
        let b = [0.3, 0.5, 0.7, 0.9];
        assert_eq!(Level::from_indicator(0.0, b).value(), 0);
        assert_eq!(Level::from_indicator(0.5, b).value(), 2);
        assert_eq!(Level::from_indicator(1.0, b).value(), 4);
    }
}
