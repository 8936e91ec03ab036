//! The BACI country-code table: BACI's numeric codes -> countries (ISO 3166-1 alpha-3 entities).
//!
//! Both layouts are read: `country_code,country_name_abbreviation,country_name_full,
//! iso_2digit_alpha,iso_3digit_alpha` (V202201 and earlier) and `country_code,country_name,
//! country_iso2,country_iso3` (V202401 and later). The file is latin-1 in older releases.
//!
//! Rules, in order (documented in docs/trade.md):
//!
//! 1. **Taiwan.** Code 490, "Other Asia, nes", is Taiwan: BACI follows UN Comtrade, which reports
//!    Taiwan under that name. Its ISO3 column reads `N/A` (V202201) or `S19` (later releases);
//!    osa maps code 490 to `TWN` whatever the column says.
//! 2. **Several codes, one country.** Codes whose ISO3 is the same valid code form one entity:
//!    DEU is 276 and the former Federal Republic 280, BEL is 56 and Belgium-Luxembourg 58, ZAF is
//!    710 and the Southern African Customs Union 711, SDN is 729 and former Sudan 736.
//! 3. **Not a country.** Rows whose ISO3 is not a current ISO 3166-1 code (`N/A`, `E19`, historical
//!    `CSK`, `SUN`, `ANT`, ...) are entities of their own, labelled with the ISO3 text when it is
//!    three letters, else `baci:<code>` (`baci:697`, "Europe EFTA, nes"). They are never bloc
//!    members and count as suppliers in their own right.
//! 4. **Codes missing from the table** fall back to ISO 3166-1 numeric codes (a file coded with
//!    380 for Italy, where BACI V202201 writes 381, still resolves). Other codes are rejected.

use crate::error::{Error, Result};
use osa_model::CountryCode;
use std::collections::HashMap;
use std::path::Path;

/// BACI codes are below this bound (three digits).
pub const CODE_LIMIT: usize = 1000;
/// BACI's code for "Other Asia, nes", which is Taiwan.
pub const TAIWAN_CODE: u16 = 490;
const NONE: u32 = u32::MAX;

/// A supplier or customer as osa counts it: a country, or a BACI pseudo-country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// `DEU`, `TWN`, or `baci:697` / `ANT` for entities that are not current countries.
    pub label: String,
    /// The ISO 3166-1 country, when it is one.
    pub country: Option<CountryCode>,
    /// Name as the table gives it (first row of the entity).
    pub name: String,
    /// BACI codes that map here.
    pub codes: Vec<u16>,
}

/// The resolved table.
#[derive(Debug, Clone)]
pub struct CountryTable {
    by_code: Vec<u32>,
    entities: Vec<Entity>,
    by_country: HashMap<CountryCode, u32>,
    text: String,
    file: String,
}

/// Where a table's columns are (both layouts).
struct TableColumns {
    code: usize,
    iso: usize,
    name: Option<usize>,
}

impl TableColumns {
    fn find(headers: &csv::StringRecord, file: &str) -> Result<TableColumns> {
        let col = |names: &[&str]| {
            headers
                .iter()
                .position(|h| names.contains(&h.trim().trim_start_matches('\u{feff}')))
        };
        let code = col(&["country_code"]).ok_or_else(|| {
            Error::file(
                file,
                "no `country_code` column (is this a BACI country-code table?)",
            )
        })?;
        let iso = col(&["iso_3digit_alpha", "country_iso3"])
            .ok_or_else(|| Error::file(file, "no `iso_3digit_alpha` or `country_iso3` column"))?;
        let name = col(&["country_name_abbreviation", "country_name"]);
        Ok(TableColumns { code, iso, name })
    }
}

/// A row's country and entity label: Taiwan for code 490 (rule 1), the ISO3 country when valid,
/// else the ISO3 text when it is three letters or digits, else `baci:<code>` (rule 3).
fn country_and_label(code: u16, iso: &str) -> (Option<CountryCode>, String) {
    let country = if code == TAIWAN_CODE {
        CountryCode::parse("TWN")
    } else {
        CountryCode::parse(iso)
    };
    let label = match country {
        Some(c) => c.to_string(),
        None if iso.len() == 3
            && iso.bytes().all(|b| b.is_ascii_alphanumeric())
            && iso != "N/A" =>
        {
            iso.to_string()
        }
        None => format!("baci:{code}"),
    };
    (country, label)
}

impl CountryTable {
    /// Reads a table file (latin-1 or UTF-8).
    pub fn load(path: &Path) -> Result<CountryTable> {
        let text = super::latin1::read(path)?;
        CountryTable::parse(&text, &path.display().to_string())
    }

    /// Parses the table's text; `file` names it in errors. Each row's code is checked, its
    /// country and label resolved (rules 1 to 3) and it joins its entity; then codes the table
    /// does not list fall back to ISO numeric codes (rule 4).
    pub fn parse(text: &str, file: &str) -> Result<CountryTable> {
        super::check_quotes(text, file)?;
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(text.as_bytes());
        let headers = rdr
            .headers()
            .map_err(|e| Error::file(file, format!("cannot read the header: {e}")))?
            .clone();
        let cols = TableColumns::find(&headers, file)?;
        let mut table = CountryTable {
            by_code: vec![NONE; CODE_LIMIT],
            entities: Vec::new(),
            by_country: HashMap::new(),
            text: text.to_string(),
            file: file.to_string(),
        };
        let mut by_label: HashMap<String, u32> = HashMap::new();
        for (n, rec) in rdr.records().enumerate() {
            let line = n + 2;
            let rec = rec.map_err(|e| Error::data(file, line, "row", e.to_string()))?;
            let code = table.new_code(rec.get(cols.code).unwrap_or("").trim(), line, file)?;
            let iso = rec.get(cols.iso).unwrap_or("").trim();
            let name = cols
                .name
                .and_then(|c| rec.get(c))
                .unwrap_or("")
                .trim()
                .to_string();
            let (country, label) = country_and_label(code, iso);
            let idx = table.entity_for(&mut by_label, label, country, name);
            table.by_code[code as usize] = idx;
            table.entities[idx as usize].codes.push(code);
        }
        table.add_numeric_fallback(&mut by_label);
        Ok(table)
    }

    /// A row's code: a number below [`CODE_LIMIT`] that no earlier row has.
    fn new_code(&self, code_text: &str, line: usize, file: &str) -> Result<u16> {
        let code: u16 = code_text
            .parse()
            .ok()
            .filter(|&c: &u16| (c as usize) < CODE_LIMIT)
            .ok_or_else(|| {
                Error::data(
                    file,
                    line,
                    "country_code",
                    format!("`{code_text}` is not a code between 0 and 999"),
                )
            })?;
        if self.by_code[code as usize] != NONE {
            return Err(Error::data(
                file,
                line,
                "country_code",
                format!("code {code} appears twice"),
            ));
        }
        Ok(code)
    }

    /// Rule 4: ISO numeric fallback for codes the table does not list.
    fn add_numeric_fallback(&mut self, by_label: &mut HashMap<String, u32>) {
        for code in 0..CODE_LIMIT as u16 {
            if self.by_code[code as usize] != NONE {
                continue;
            }
            if let Some(c) = osa_model::country::by_numeric(code) {
                let idx = self.entity_for(by_label, c.to_string(), Some(c), c.name().into());
                self.by_code[code as usize] = idx;
                self.entities[idx as usize].codes.push(code);
            }
        }
    }

    fn entity_for(
        &mut self,
        by_label: &mut HashMap<String, u32>,
        label: String,
        country: Option<CountryCode>,
        name: String,
    ) -> u32 {
        if let Some(&i) = by_label.get(&label) {
            return i;
        }
        let i = self.entities.len() as u32;
        by_label.insert(label.clone(), i);
        if let Some(c) = country {
            self.by_country.insert(c, i);
        }
        self.entities.push(Entity {
            label,
            country,
            name,
            codes: Vec::new(),
        });
        i
    }

    /// The entity of a BACI code, if the code resolves.
    #[inline]
    pub fn entity_of(&self, code: u16) -> Option<u32> {
        match self.by_code.get(code as usize) {
            Some(&i) if i != NONE => Some(i),
            _ => None,
        }
    }

    /// The entity of a country.
    pub fn index_of(&self, country: CountryCode) -> Option<u32> {
        self.by_country.get(&country).copied()
    }

    /// All entities, by index.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// Number of entities.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// The table's text as read (UTF-8), as stored in the Parquet cache.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Where the table came from.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The first BACI code of each of these countries, as used in SQL (for benchmarks).
    pub fn codes_of(&self, countries: &[CountryCode]) -> Vec<u16> {
        let mut out: Vec<u16> = countries
            .iter()
            .filter_map(|c| self.index_of(*c))
            .flat_map(|i| self.entities[i as usize].codes.iter().copied())
            .collect();
        out.sort_unstable();
        out
    }
}

/// Finds the country table for a trade file: `--countries` when given, else a file named
/// `*country_codes*.csv` in the trade file's directory (BACI ships it beside the data).
pub fn find_beside(trade: &Path) -> Option<std::path::PathBuf> {
    let dir = trade.parent().filter(|d| !d.as_os_str().is_empty());
    let dir = dir.unwrap_or(Path::new("."));
    let mut found: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.contains("country_codes") && n.ends_with(".csv"))
        })
        .collect();
    found.sort();
    found.pop()
}

#[cfg(test)]
mod tests {
    use super::*;

    const V2022: &str = "\"country_code\",\"country_name_abbreviation\",\"country_name_full\",\"iso_2digit_alpha\",\"iso_3digit_alpha\"\n\
        56,\"Belgium\",\"Belgium\",\"BE\",\"BEL\"\n\
        58,\"Belgium-Luxembourg\",\"Belgium-Luxembourg\",\"BE\",\"BEL\"\n\
        156,\"China\",\"China\",\"CN\",\"CHN\"\n\
        276,\"Germany\",\"Germany\",\"DE\",\"DEU\"\n\
        280,\"Fmr Fed. Rep. of Germany\",\"Former Federal Republic of Germany\",\"DE\",\"DEU\"\n\
        381,\"Italy\",\"Italy\",\"IT\",\"ITA\"\n\
        490,\"Other Asia, nes\",\"Other Asia, not elsewhere specified\",\"N/A\",\"N/A\"\n\
        530,\"Neth. Antilles\",\"Netherlands Antilles\",\"AN\",\"ANT\"\n\
        697,\"Europe EFTA, nes\",\"Europe EFTA, not elsewhere specified\",\"N/A\",\"N/A\"\n\
        849,\"US Misc. Pacific Isds\",\"US Miscellaneous Pacific Islands\",\"N/A\",\"N/A\"\n";

    #[test]
    fn rules_of_the_table() {
        let t = CountryTable::parse(V2022, "t.csv").expect("parses");
        let label = |code| {
            t.entity_of(code)
                .map(|i| t.entities()[i as usize].label.clone())
        };
        // Two codes, one country.
        assert_eq!(t.entity_of(56), t.entity_of(58));
        assert_eq!(t.entity_of(276), t.entity_of(280));
        assert_eq!(label(58).as_deref(), Some("BEL"));
        // Taiwan.
        assert_eq!(label(490).as_deref(), Some("TWN"));
        assert!(
            t.index_of(CountryCode::parse("TWN").expect("code"))
                .is_some()
        );
        // Pseudo-countries are entities of their own, not countries.
        assert_eq!(label(697).as_deref(), Some("baci:697"));
        assert_eq!(label(849).as_deref(), Some("baci:849"));
        assert_ne!(t.entity_of(697), t.entity_of(849));
        let ant = t.entity_of(530).expect("ANT");
        assert_eq!(t.entities()[ant as usize].label, "ANT");
        assert_eq!(t.entities()[ant as usize].country, None);
        // ISO numeric fallback: 380 is Italy too, merged with BACI's 381.
        assert_eq!(t.entity_of(380), t.entity_of(381));
        assert_eq!(label(840).as_deref(), Some("USA"));
        // Unknown everywhere.
        assert_eq!(t.entity_of(999), None);
        assert_eq!(t.entity_of(1500), None);
    }

    #[test]
    fn later_layout_with_s19() {
        let text = "country_code,country_name,country_iso2,country_iso3\n490,\"Other Asia, nes\",S19,S19\n842,USA,US,USA\n";
        let t = CountryTable::parse(text, "t.csv").expect("parses");
        let i = t.entity_of(490).expect("taiwan");
        assert_eq!(t.entities()[i as usize].label, "TWN");
        assert_eq!(t.entity_of(842), t.entity_of(840));
    }

    #[test]
    fn bad_code_names_line_and_field() {
        let text = "country_code,country_name,country_iso2,country_iso3\n4,Afghanistan,AF,AFG\nx1,Bad,BD,BAD\n";
        let err = CountryTable::parse(text, "t.csv").expect_err("bad");
        assert_eq!(
            err.to_string(),
            "t.csv:3: field `country_code`: `x1` is not a code between 0 and 999"
        );
    }
}
