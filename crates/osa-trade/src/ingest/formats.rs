//! Other trade formats read into BACI's rows (then the same cache and screening):
//!
//! - **Eurostat Comext** bulk files (`full*.dat`/CSV: `DECLARANT_ISO`, `PARTNER_ISO`,
//!   `PRODUCT_NC`, `FLOW`, `PERIOD`, `VALUE_IN_EUROS`, ...): the EU members' own declarations,
//!   CN8 codes summed to HS6 (their first six digits; totals and confidential codes that are not
//!   eight digits are skipped and counted), `FLOW` 1 an import (partner -> declarant), 2 an
//!   export (declarant -> partner). An export to another declarant of the file is left out: the
//!   same flow is in that partner's import declaration. Euro values become thousand US dollars
//!   with the year's average rate (`data/trade/eur_usd.toml`). Partners are the ISO alpha-2 codes
//!   (Greece `EL` and the United Kingdom `UK` as Eurostat writes them); others (`QU`, `XC`, ...)
//!   are suppliers of their own.
//! - **UN Comtrade** bulk CSV (comma or tab; the Comtrade+ columns `refYear`, `reporterCode`,
//!   `flowCode`, `partnerCode`, `cmdCode`, `primaryValue`, or the legacy `Year`, `Reporter Code`,
//!   `Trade Flow Code`, `Partner Code`, `Commodity Code`, `Trade Value (US$)`): reporter and
//!   partner codes are M49 as in BACI (251 France, 490 Taiwan, 842 USA); flows M/1 (import) and
//!   X/2 (export), re-exports and re-imports skipped; partner 0 (World), second partners, modes of
//!   transport and customs procedures other than their totals skipped; six-digit codes only.
//!   A flow declared by both sides keeps the importer's declaration; one declared only by the
//!   exporter is **mirror** data, kept and counted.

use super::baci::ScanStats;
use super::countries::CountryTable;
use crate::error::{Error, Result};
use crate::rows::{Row, RowSink};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// The built-in exchange-rate table.
pub const EUR_USD: &str = include_str!("../../../../data/trade/eur_usd.toml");

/// Rows read from another format, with the country table they are coded in.
#[derive(Debug, Clone)]
pub struct Converted {
    /// Country table text (BACI V202401 layout).
    pub table_text: String,
    /// Flows (BACI units: thousand USD), sorted by year, exporter, importer, product.
    pub rows: Vec<Row>,
    /// Lines read and skipped.
    pub stats: ScanStats,
    /// What was skipped or taken from mirror flows, said in words.
    pub notes: Vec<String>,
}

impl Converted {
    /// The country table.
    pub fn table(&self, file: &str) -> Result<CountryTable> {
        CountryTable::parse(&self.table_text, file)
    }

    /// Writes the rows to a cache at `target`.
    pub fn write_cache(&self, target: &Path, source: &str) -> Result<u64> {
        let table = self.table(source)?;
        let mut w = super::cache::CacheWriter::create(target, &table, source)?;
        let mut buf = super::cache::ColumnBuf::default();
        for r in &self.rows {
            buf.row(r);
        }
        w.append(&mut buf)?;
        w.finish(&self.stats)
    }
}

/// US dollars per euro by year, from a `osa-eur-usd/1` table.
pub fn eur_usd(text: &str, file: &str) -> Result<BTreeMap<u16, f64>> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Raw {
        format: String,
        source: String,
        usd_per_eur: BTreeMap<String, f64>,
    }
    let raw: Raw = toml::from_str(text).map_err(|e| Error::file(file, e.message().to_string()))?;
    if raw.format != "osa-eur-usd/1" || raw.source.trim().is_empty() {
        return Err(Error::file(
            file,
            "expected format `osa-eur-usd/1` and a source",
        ));
    }
    raw.usd_per_eur
        .into_iter()
        .map(|(y, r)| match y.parse::<u16>() {
            Ok(y) if r.is_finite() && r > 0.0 => Ok((y, r)),
            _ => Err(Error::file(
                file,
                format!("`{y} = {r}` is not a year and a positive rate"),
            )),
        })
        .collect()
}

/// A country table of ISO numeric codes for the countries given (ISO alpha-2 or M49 codes), and
/// codes from 900 up for the rest (labelled `N/A`, so suppliers of their own).
struct Coder {
    codes: HashMap<String, u16>,
    lines: Vec<String>,
    next: u16,
}

impl Coder {
    fn new() -> Coder {
        Coder {
            codes: HashMap::new(),
            lines: vec!["country_code,country_name,country_iso2,country_iso3".into()],
            next: 900,
        }
    }

    /// The code of an ISO alpha-2 (Comext) partner.
    fn alpha2(&mut self, a2: &str) -> u16 {
        let a2 = match a2 {
            "EL" => "GR",
            "UK" => "GB",
            other => other,
        };
        if let Some(&c) = self.codes.get(a2) {
            return c;
        }
        let found = osa_model::country::all_countries()
            .iter()
            .find(|c| c.alpha2 == a2 && c.numeric.is_some());
        let code = match found {
            Some(c) => {
                let n = c.numeric.unwrap_or(0);
                self.lines.push(format!(
                    "{n},{},{a2},{}",
                    c.name.replace(',', " "),
                    c.alpha3
                ));
                n
            }
            None => {
                let n = self.next;
                self.next += 1;
                self.lines.push(format!("{n},Comext {a2},{a2},N/A"));
                n
            }
        };
        self.codes.insert(a2.to_string(), code);
        code
    }

    fn text(&self) -> String {
        self.lines.join("\n") + "\n"
    }
}

/// Column positions by name (any of the aliases), or an error naming the file and column.
fn columns(headers: &csv::StringRecord, file: &str, want: &[&[&str]]) -> Result<Vec<usize>> {
    want.iter()
        .map(|names| {
            headers
                .iter()
                .position(|h| names.contains(&h.trim().trim_start_matches('\u{feff}')))
                .ok_or_else(|| Error::file(file, format!("no `{}` column", names[0])))
        })
        .collect()
}

/// A CSV reader (comma, or tab when the header line holds one) and the file's name.
fn reader(path: &Path) -> Result<(csv::Reader<std::fs::File>, String)> {
    use std::io::Read;
    let file = path.display().to_string();
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(1 << 16).read_to_end(&mut head))
        .map_err(|e| Error::io(path, e))?;
    let first = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let delimiter = if first.contains(&b'\t') { b'\t' } else { b',' };
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    Ok((
        csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .from_reader(f),
        file,
    ))
}

fn hs6_of(code: &str, digits: usize) -> Option<u32> {
    let c = code.trim();
    (c.len() == digits && c.bytes().all(|b| b.is_ascii_digit()))
        .then(|| c[..6].parse().ok())
        .flatten()
}

fn number(s: &str) -> Option<f64> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
}

/// Sorted rows from (year, exporter, importer, product) -> value, with their entity indices.
fn rows_of(flows: BTreeMap<(u16, u16, u16, u32), f64>, table: &CountryTable) -> Result<Vec<Row>> {
    flows
        .into_iter()
        .map(|((t, i, j, k), v)| {
            let idx = |c: u16| {
                table
                    .entity_of(c)
                    .ok_or_else(|| Error::Invalid(format!("country code {c} has no entity")))
            };
            Ok(Row {
                year: t,
                exporter: i,
                importer: j,
                exporter_idx: idx(i)?,
                importer_idx: idx(j)?,
                product: k,
                value: v,
                quantity: f64::NAN,
            })
        })
        .collect()
}

/// Adds the exports to partners that are not declarants to the flows; returns how many were
/// left out (exports to another declarant, whose import declaration has the flow).
fn fold_exports(
    flows: &mut BTreeMap<FlowKey, f64>,
    exports: BTreeMap<FlowKey, f64>,
    declarants: &HashSet<u16>,
) -> usize {
    let mut left_out = 0;
    for (key, v) in exports {
        if declarants.contains(&key.2) {
            left_out += 1;
        } else {
            *flows.entry(key).or_default() += v;
        }
    }
    left_out
}

/// Reads a Comext bulk file; `rates` gives US dollars per euro by year.
pub fn comext(path: &Path, rates: &BTreeMap<u16, f64>) -> Result<Converted> {
    let (mut r, file) = reader(path)?;
    let headers = r
        .headers()
        .map_err(|e| Error::file(&file, format!("cannot read the header: {e}")))?
        .clone();
    let names: [&[&str]; 6] = [
        &["DECLARANT_ISO"],
        &["PARTNER_ISO"],
        &["PRODUCT_NC"],
        &["FLOW"],
        &["PERIOD"],
        &["VALUE_IN_EUROS", "VALUE_EUR"],
    ];
    let col = columns(&headers, &file, &names)?;
    let mut coder = Coder::new();
    let mut imports: BTreeMap<(u16, u16, u16, u32), f64> = BTreeMap::new();
    let mut exports: BTreeMap<(u16, u16, u16, u32), f64> = BTreeMap::new();
    let mut declarants = HashSet::new();
    let mut stats = ScanStats::default();
    let mut skipped_codes = 0u64;
    for (n, rec) in r.records().enumerate() {
        let line = n + 2;
        stats.rows_read += 1;
        let rec = rec.map_err(|e| Error::data(&file, line, "row", e.to_string()))?;
        let get = |k: usize| rec.get(col[k]).unwrap_or("").trim();
        let Some(k) = hs6_of(get(2), 8) else {
            skipped_codes += 1;
            continue;
        };
        let period = get(4);
        let year: u16 = period
            .get(..4)
            .and_then(|y| y.parse().ok())
            .filter(|_| period.len() == 6)
            .ok_or_else(|| {
                Error::data(
                    &file,
                    line,
                    "PERIOD",
                    format!("`{period}` is not YYYYMM or YYYY52"),
                )
            })?;
        let rate = rates.get(&year).ok_or_else(|| {
            Error::data(
                &file,
                line,
                "PERIOD",
                format!("no euro/dollar rate for {year} in the exchange-rate table"),
            )
        })?;
        let v = number(get(5)).ok_or_else(|| {
            Error::data(
                &file,
                line,
                "VALUE_IN_EUROS",
                format!("`{}` is not a non-negative number", get(5)),
            )
        })?;
        let (d, p) = (get(0), get(1));
        if d == p || p.is_empty() {
            continue;
        }
        declarants.insert(coder.alpha2(d));
        let (dc, pc) = (coder.alpha2(d), coder.alpha2(p));
        let kusd = v * rate / 1000.0;
        match get(3) {
            "1" => *imports.entry((year, pc, dc, k)).or_default() += kusd,
            "2" => *exports.entry((year, dc, pc, k)).or_default() += kusd,
            other => {
                return Err(Error::data(
                    &file,
                    line,
                    "FLOW",
                    format!("`{other}` is neither 1 (import) nor 2 (export)"),
                ));
            }
        }
    }
    let left_out = fold_exports(&mut imports, exports, &declarants);
    let table_text = coder.text();
    let table = CountryTable::parse(&table_text, &file)?;
    let notes = vec![
        format!(
            "{skipped_codes} lines with a product code that is not eight digits (totals, confidential codes) skipped"
        ),
        format!(
            "{left_out} exports to another declarant left out (the partner's import declaration has them)"
        ),
    ];
    Ok(Converted {
        rows: rows_of(imports, &table)?,
        table_text,
        stats,
        notes,
    })
}

/// Comtrade's own M49 codes where they differ from ISO 3166-1 numeric ones (as in BACI).
const COMTRADE_CODES: [(u16, &str); 6] = [
    (251, "FRA"),
    (381, "ITA"),
    (490, "TWN"),
    (579, "NOR"),
    (699, "IND"),
    (757, "CHE"),
];

/// A country table for Comtrade's reporter and partner codes (ISO numeric, plus Comtrade's own
/// codes for France, Italy, Taiwan, Norway, India, Switzerland and the USA).
fn comtrade_table(codes: &HashSet<u16>) -> String {
    let mut out = String::from("country_code,country_name,country_iso2,country_iso3\n");
    let mut sorted: Vec<u16> = codes.iter().copied().collect();
    sorted.sort_unstable();
    for c in sorted {
        let special = COMTRADE_CODES
            .iter()
            .chain(&[(842, "USA")])
            .find(|(k, _)| *k == c)
            .and_then(|(_, a3)| osa_model::CountryCode::parse(a3));
        match special.or_else(|| osa_model::country::by_numeric(c)) {
            Some(cc) => out.push_str(&format!(
                "{c},{},{},{}\n",
                cc.name().replace(',', " "),
                cc.country().alpha2,
                cc
            )),
            None => out.push_str(&format!("{c},Comtrade {c},,N/A\n")),
        }
    }
    out
}

/// Year, exporter, importer, product.
type FlowKey = (u16, u16, u16, u32);

/// Reads a Comtrade bulk CSV.
pub fn comtrade(path: &Path) -> Result<Converted> {
    let (mut r, file) = reader(path)?;
    let headers = r
        .headers()
        .map_err(|e| Error::file(&file, format!("cannot read the header: {e}")))?
        .clone();
    let names: [&[&str]; 6] = [
        &["refYear", "Year"],
        &["reporterCode", "Reporter Code"],
        &["partnerCode", "Partner Code"],
        &["flowCode", "Trade Flow Code"],
        &["cmdCode", "Commodity Code"],
        &["primaryValue", "Trade Value (US$)"],
    ];
    let col = columns(&headers, &file, &names)?;
    let optional = |name: &str| headers.iter().position(|h| h.trim() == name);
    let totals = [
        (optional("partner2Code"), "0"),
        (optional("motCode"), "0"),
        (optional("customsCode"), "C00"),
    ];
    let mut declared: BTreeMap<FlowKey, (Option<f64>, Option<f64>)> = BTreeMap::new();
    let mut stats = ScanStats::default();
    let (mut skipped, mut codes) = (0u64, HashSet::new());
    for (n, rec) in r.records().enumerate() {
        let line = n + 2;
        stats.rows_read += 1;
        let rec = rec.map_err(|e| Error::data(&file, line, "row", e.to_string()))?;
        let get = |k: usize| rec.get(col[k]).unwrap_or("").trim();
        let breakdown = totals.iter().any(|(c, total)| {
            c.is_some_and(|c| {
                rec.get(c)
                    .is_some_and(|v| !v.trim().is_empty() && v.trim() != *total)
            })
        });
        let import = match get(3) {
            "M" | "1" => true,
            "X" | "2" => false,
            _ => {
                skipped += 1;
                continue;
            }
        };
        let (Some(k), false) = (hs6_of(get(4), 6), breakdown || get(2) == "0") else {
            skipped += 1;
            continue;
        };
        let field = |k: usize, name: &str| -> Result<u16> {
            get(k)
                .parse()
                .map_err(|_| Error::data(&file, line, name, format!("`{}` is not a code", get(k))))
        };
        let year = field(0, names[0][0])?;
        let (rep, par) = (field(1, names[1][0])?, field(2, names[2][0])?);
        let v = number(get(5)).ok_or_else(|| {
            Error::data(
                &file,
                line,
                names[5][0],
                format!("`{}` is not a non-negative number", get(5)),
            )
        })? / 1000.0;
        codes.insert(rep);
        codes.insert(par);
        let (key, slot) = if import {
            ((year, par, rep, k), 0)
        } else {
            ((year, rep, par, k), 1)
        };
        let e = declared.entry(key).or_default();
        let cell = if slot == 0 { &mut e.0 } else { &mut e.1 };
        *cell = Some(cell.unwrap_or(0.0) + v);
    }
    let mut mirror = 0;
    let flows: BTreeMap<(u16, u16, u16, u32), f64> = declared
        .into_iter()
        .filter(|(k, _)| k.1 != k.2)
        .map(|(k, (m, x))| {
            if m.is_none() {
                mirror += 1;
            }
            (k, m.or(x).unwrap_or(0.0))
        })
        .collect();
    let table_text = comtrade_table(&codes);
    let table = CountryTable::parse(&table_text, &file)?;
    let notes = vec![
        format!(
            "{skipped} lines skipped (re-exports and re-imports, World, breakdowns by second partner, transport or customs procedure, codes that are not six digits)"
        ),
        format!("{mirror} flows declared only by the exporter (mirror data) kept"),
    ];
    Ok(Converted {
        rows: rows_of(flows, &table)?,
        table_text,
        stats,
        notes,
    })
}
