//! Classifying HS6 products: the HS section of a product's chapter, and its end use (raw
//! material, intermediate or final good) by longest-prefix rules (`data/trade/end_use.toml`,
//! format `osa-hs-end-use/1`; its header says what the default rules approximate).

use crate::error::{Error, Result};
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;

/// The rules osa ships (an approximation, see the file's header).
pub const DEFAULT_RULES: &str = include_str!("../../../data/trade/end_use.toml");

/// An end use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EndUse {
    /// Primary goods for industry (ores, crude oil, raw cotton, ...).
    RawMaterial,
    /// Processed supplies, parts and components.
    Intermediate,
    /// Consumer and capital goods.
    Final,
}

impl EndUse {
    /// Spelling in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            EndUse::RawMaterial => "raw_material",
            EndUse::Intermediate => "intermediate",
            EndUse::Final => "final",
        }
    }
}

impl fmt::Display for EndUse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    format: String,
    source: String,
    #[serde(default)]
    raw_material: Vec<String>,
    #[serde(default)]
    intermediate: Vec<String>,
    #[serde(default, rename = "final")]
    final_: Vec<String>,
}

/// Prefix rules.
#[derive(Debug, Clone)]
pub struct EndUseRules {
    by_prefix: HashMap<String, EndUse>,
    /// Where the rules come from.
    pub source: String,
}

impl EndUseRules {
    /// The rules osa ships.
    pub fn default_rules() -> Result<EndUseRules> {
        EndUseRules::parse(DEFAULT_RULES, "data/trade/end_use.toml")
    }

    /// Parses a rules file's text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<EndUseRules> {
        let raw: RawRules = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].lines().count().max(1))
                .unwrap_or(1);
            Error::data(file, line, "", e.message().trim_end().to_string())
        })?;
        if raw.format != "osa-hs-end-use/1" {
            return Err(Error::file(
                file,
                format!("format is `{}`, expected `osa-hs-end-use/1`", raw.format),
            ));
        }
        let mut by_prefix = HashMap::new();
        for (list, use_) in [
            (&raw.raw_material, EndUse::RawMaterial),
            (&raw.intermediate, EndUse::Intermediate),
            (&raw.final_, EndUse::Final),
        ] {
            for p in list {
                if !(2..=6).contains(&p.len()) || !p.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(Error::file(
                        file,
                        format!("`{p}` in {use_} is not an HS prefix of 2 to 6 digits"),
                    ));
                }
                if let Some(prev) = by_prefix.insert(p.clone(), use_) {
                    return Err(Error::file(
                        file,
                        format!("prefix `{p}` is listed as both {prev} and {use_}"),
                    ));
                }
            }
        }
        Ok(EndUseRules {
            by_prefix,
            source: raw.source,
        })
    }

    /// The end use of an HS6 product (longest matching prefix), if any rule matches.
    pub fn classify(&self, product: u32) -> Option<EndUse> {
        let code = format!("{product:06}");
        (2..=6)
            .rev()
            .find_map(|n| self.by_prefix.get(&code[..n]).copied())
    }
}

/// HS sections by chapter (WCO Harmonized System: 21 sections; chapter 77 is reserved, 98-99 are
/// for national use).
const SECTIONS: &[(u32, u32, &str)] = &[
    (1, 5, "I"),
    (6, 14, "II"),
    (15, 15, "III"),
    (16, 24, "IV"),
    (25, 27, "V"),
    (28, 38, "VI"),
    (39, 40, "VII"),
    (41, 43, "VIII"),
    (44, 46, "IX"),
    (47, 49, "X"),
    (50, 63, "XI"),
    (64, 67, "XII"),
    (68, 70, "XIII"),
    (71, 71, "XIV"),
    (72, 83, "XV"),
    (84, 85, "XVI"),
    (86, 89, "XVII"),
    (90, 92, "XVIII"),
    (93, 93, "XIX"),
    (94, 96, "XX"),
    (97, 97, "XXI"),
];

/// The HS section (Roman numeral) of an HS6 product, from its chapter.
pub fn section(product: u32) -> Option<&'static str> {
    let chapter = product / 10_000;
    SECTIONS
        .iter()
        .find(|(lo, hi, _)| (*lo..=*hi).contains(&chapter))
        .map(|s| s.2)
}

/// Sort key of a section numeral (I = 1 ... XXI = 21).
pub fn section_rank(section: &str) -> usize {
    SECTIONS
        .iter()
        .position(|s| s.2 == section)
        .map_or(usize::MAX, |p| p + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_by_chapter() {
        assert_eq!(section(10121), Some("I"));
        assert_eq!(section(260400), Some("V"));
        assert_eq!(section(854231), Some("XVI"));
        assert_eq!(section(970110), Some("XXI"));
        assert_eq!(section(990000), None);
        assert_eq!(section_rank("XVI"), 16);
    }

    #[test]
    fn default_rules_take_the_longest_prefix() {
        let r = EndUseRules::default_rules().expect("shipped rules parse");
        assert_eq!(r.classify(260400), Some(EndUse::RawMaterial)); // nickel ores
        assert_eq!(r.classify(280530), Some(EndUse::Intermediate)); // rare-earth metals
        assert_eq!(r.classify(854231), Some(EndUse::Intermediate)); // processors
        assert_eq!(r.classify(848620), Some(EndUse::Final)); // chip-making machines
        assert_eq!(r.classify(400110), Some(EndUse::RawMaterial)); // natural rubber latex
        assert_eq!(r.classify(401110), Some(EndUse::Intermediate)); // tyres
        assert_eq!(r.classify(300490), Some(EndUse::Final)); // medicaments
        // Every chapter that carries trade is covered.
        for ch in (1..=97).filter(|c| *c != 77) {
            assert!(r.classify(ch * 10_000 + 1).is_some(), "chapter {ch}");
        }
    }

    #[test]
    fn duplicate_prefix_is_an_error() {
        let text = "format = \"osa-hs-end-use/1\"\nsource = \"x\"\nraw_material = [\"26\"]\nfinal = [\"26\"]\n";
        let e = EndUseRules::parse(text, "r.toml").expect_err("duplicate");
        assert_eq!(
            e.to_string(),
            "r.toml: prefix `26` is listed as both raw_material and final"
        );
    }
}
