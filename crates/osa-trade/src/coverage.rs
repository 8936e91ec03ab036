//! How much of world trade a screened file covers: exporters and importers with flows in the year,
//! the value of all flows, and that value against the year's known world total
//! (`data/trade/world_trade.toml`). A sample with two exporters cannot say which products the EU
//! depends on; results that rest on partial data say so.

use crate::error::{Error, Result};
use serde::Deserialize;

/// The known world totals osa ships.
pub const DEFAULT_WORLD_TRADE: &str = include_str!("../../../data/trade/world_trade.toml");

/// Below this share of the year's known world total, a file counts as partial.
pub const PARTIAL_VALUE_SHARE: f64 = 0.5;
/// With fewer exporters than this, a file counts as partial (BACI has about 220).
pub const PARTIAL_EXPORTERS: usize = 100;

/// A year's known world merchandise exports.
#[derive(Debug, Clone, PartialEq)]
pub struct WorldTotal {
    /// Year.
    pub year: u16,
    /// Thousand USD.
    pub exports_kusd: f64,
    /// Source.
    pub source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    format: String,
    years: Vec<RawYear>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    year: u16,
    exports_kusd: f64,
    source: String,
}

/// Parses a world-trade file (`osa-world-trade/1`).
pub fn parse_world_totals(text: &str, file: &str) -> Result<Vec<WorldTotal>> {
    let raw: RawFile = toml::from_str(text).map_err(|e| Error::file(file, e.to_string()))?;
    if raw.format != "osa-world-trade/1" {
        return Err(Error::file(
            file,
            format!("format is `{}`, expected `osa-world-trade/1`", raw.format),
        ));
    }
    raw.years
        .into_iter()
        .map(|y| {
            if !(y.exports_kusd.is_finite() && y.exports_kusd > 0.0) || y.source.trim().is_empty() {
                return Err(Error::file(
                    file,
                    format!(
                        "year {}: a positive total and its source are needed",
                        y.year
                    ),
                ));
            }
            Ok(WorldTotal {
                year: y.year,
                exports_kusd: y.exports_kusd,
                source: y.source,
            })
        })
        .collect()
}

/// The shipped totals.
pub fn world_totals() -> Result<Vec<WorldTotal>> {
    parse_world_totals(DEFAULT_WORLD_TRADE, "data/trade/world_trade.toml")
}

/// What a scanned year holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// The year.
    pub year: u16,
    /// Entities with exports in the year.
    pub exporters: usize,
    /// Entities with imports in the year.
    pub importers: usize,
    /// Entities in the country table.
    pub entities: usize,
    /// Value of all flows of the year, thousand USD.
    pub value_kusd: f64,
    /// The year's known world total, where osa has one.
    pub world: Option<WorldTotal>,
}

impl Coverage {
    /// The value against the world total (None without a known total).
    pub fn world_share(&self) -> Option<f64> {
        self.world
            .as_ref()
            .map(|w| (self.value_kusd / w.exports_kusd).min(1.0))
    }

    /// Whether results rest on partial data: few exporters, or a small share of world trade.
    pub fn partial(&self) -> bool {
        self.exporters < PARTIAL_EXPORTERS
            || self.world_share().is_some_and(|s| s < PARTIAL_VALUE_SHARE)
    }

    /// One line describing the coverage.
    pub fn describe(&self) -> String {
        let share = match (&self.world, self.world_share()) {
            (Some(w), Some(s)) => format!(
                "{:.2}% of the year's known world merchandise exports ({})",
                s * 100.0,
                w.source
            ),
            _ => format!("no known world total for {}", self.year),
        };
        format!(
            "coverage {}: {} exporters and {} importers with flows (of {} entities in the country table); flows worth USD {:.1} bn, {share}",
            self.year,
            self.exporters,
            self.importers,
            self.entities,
            self.value_kusd / 1e6
        )
    }

    /// The warning to print when results rest on partial data.
    pub fn warning(&self) -> Option<String> {
        self.partial().then(|| {
            format!(
                "warning: partial trade data ({} exporters; {}): shares, HHI and the dependent products describe this file, not world trade",
                self.exporters,
                self.world_share().map_or("world share unknown".to_string(), |s| format!(
                    "{:.2}% of world trade",
                    s * 100.0
                ))
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_totals_parse_and_partial_files_are_flagged() {
        let w = world_totals().expect("parses");
        let y2021 = w.iter().find(|t| t.year == 2021).expect("2021");
        assert_eq!(y2021.exports_kusd, 22.4e9);
        let c = Coverage {
            year: 2021,
            exporters: 2,
            importers: 200,
            entities: 238,
            value_kusd: 1.0e8,
            world: Some(y2021.clone()),
        };
        assert!(c.partial());
        assert!((c.world_share().expect("share") - 1.0e8 / 22.4e9).abs() < 1e-12);
        assert!(c.warning().is_some_and(|w| w.contains("2 exporters")));
        let full = Coverage {
            exporters: 220,
            value_kusd: 20.0e9,
            ..c.clone()
        };
        assert!(!full.partial() && full.warning().is_none());
        let unknown = Coverage {
            world: None,
            ..full
        };
        assert!(unknown.describe().contains("no known world total"));
        assert!(parse_world_totals("format = \"x\"\nyears = []", "f").is_err());
    }
}
