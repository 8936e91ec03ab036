//! The EU critical raw materials tables (`eu_crm/`, latin-1: the 2023 study's global supply and EU
//! sourcing shares with the trade variable t, and the published SR and EI 2011-2023) and osa's CRM
//! parameter file (`data/trade/crm_parameters.toml`, format `osa-crm-parameters/1`), which holds
//! what the tables lack: import reliance, end-of-life recycling input rate, substitution index,
//! each with its source.

use crate::crm::{Params, ShareRow, Stage};
use crate::error::{Error, Result};
use osa_model::CountryCode;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The parameter file osa ships.
pub const DEFAULT_PARAMS: &str = include_str!("../../../../data/trade/crm_parameters.toml");

/// File names in the `eu_crm` directory.
pub const GLOBAL_SUPPLY: &str = "crm2023_global_supply_shares_t.csv";
/// EU sourcing shares.
pub const EU_SOURCING: &str = "crm2023_eu_sourcing_shares_t.csv";
/// Published SR and EI.
pub const PUBLISHED: &str = "crm_sr_ei_2011_2023.csv";

/// Published (year, SR, EI) rows by lower-case material name.
pub type Published = BTreeMap<String, Vec<(i32, Option<f64>, Option<f64>)>>;

/// Which table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Global supply.
    GlobalSupply,
    /// EU sourcing.
    EuSourcing,
}

/// A row of a share table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    /// Material as written.
    pub material: String,
    /// Stage.
    pub stage: Stage,
    /// The share.
    pub row: ShareRow,
}

/// The tables of one CRM study.
#[derive(Debug, Clone, Default)]
pub struct CrmTables {
    /// Global supply rows.
    pub gs: Vec<TableRow>,
    /// EU sourcing rows.
    pub eu: Vec<TableRow>,
    /// Published (year, SR, EI) by lower-case material name.
    pub published: Published,
    /// Files read.
    pub files: Vec<String>,
}

/// Names the CRM tables use that are not the registry's (spelling variants, typos).
const ALIASES: &[(&str, &str)] = &[
    ("Brasil", "BRA"),
    ("Brasilia", "BRA"),
    ("Cape Verde", "CPV"),
    ("Congo, D.R.", "COD"),
    ("Cote d'Ivoire", "CIV"),
    ("Korea, North", "PRK"),
    ("Korea, South", "KOR"),
    ("Kosovo", "XKX"),
    ("Libanon", "LBN"),
    ("Russia", "RUS"),
    ("Surinam", "SUR"),
    ("Turkyie", "TUR"),
    ("Türkiye", "TUR"),
    ("Turkey", "TUR"),
    ("United States", "USA"),
];

/// Resolves a country name as the CRM tables write it.
pub fn country_by_name(name: &str) -> Option<CountryCode> {
    let name = name.trim();
    if let Some((_, code)) = ALIASES.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        return CountryCode::parse(code);
    }
    osa_model::country::all_countries()
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(name))
        .map(|c| c.alpha3)
}

/// Parses a share as the tables write it: `93.8%`, `1%`, `<0.1%` (half the bound). The column
/// is in percent throughout; one row of the 2023 EU sourcing table lacks its `%` (`Silicon metal,P,
/// Germany,6`), so a bare number is read as percent too.
pub fn parse_share(text: &str) -> Option<f64> {
    let t = text.trim();
    let (bound, t) = match t.strip_prefix('<') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let v: f64 = t.strip_suffix('%').unwrap_or(t).trim().parse().ok()?;
    if !(0.0..=100.0).contains(&v) {
        return None;
    }
    Some(if bound { v / 200.0 } else { v / 100.0 })
}

fn load_shares(path: &Path) -> Result<Vec<TableRow>> {
    let text = super::latin1::read(path)?;
    let file = path.display().to_string();
    super::check_quotes(&text, &file)?;
    let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| Error::file(&file, format!("cannot read the header: {e}")))?
        .clone();
    let want = ["Material", "Stage", "Country", "Share", "t"];
    if headers.iter().map(str::trim).collect::<Vec<_>>() != want {
        return Err(Error::file(
            &file,
            format!("expected the columns {}", want.join(",")),
        ));
    }
    let mut out = Vec::new();
    for (n, rec) in rdr.records().enumerate() {
        let line = n + 2;
        let rec = rec.map_err(|e| Error::data(&file, line, "row", e.to_string()))?;
        let get = |i: usize| rec.get(i).unwrap_or("").trim();
        let stage = Stage::parse(get(1)).ok_or_else(|| {
            Error::data(&file, line, "Stage", format!("`{}` is not E or P", get(1)))
        })?;
        let share = parse_share(get(3)).ok_or_else(|| {
            Error::data(
                &file,
                line,
                "Share",
                format!("`{}` is not a percentage like 12.5%, 6 or <0.1%", get(3)),
            )
        })?;
        let t: f64 = get(4)
            .parse()
            .ok()
            .filter(|t: &f64| t.is_finite() && *t > 0.0)
            .ok_or_else(|| {
                Error::data(
                    &file,
                    line,
                    "t",
                    format!("`{}` is not a positive number", get(4)),
                )
            })?;
        out.push(TableRow {
            material: get(0).to_string(),
            stage,
            row: ShareRow {
                name: get(2).to_string(),
                country: country_by_name(get(2)),
                share_text: get(3).to_string(),
                share,
                t,
                line,
            },
        });
    }
    Ok(out)
}

fn load_published(path: &Path) -> Result<Published> {
    let text = super::latin1::read(path)?;
    let file = path.display().to_string();
    super::check_quotes(&text, &file)?;
    let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let mut out = Published::new();
    for (n, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| Error::data(&file, n + 2, "row", e.to_string()))?;
        let get = |i: usize| rec.get(i).unwrap_or("").trim();
        let Ok(year) = get(1).parse::<i32>() else {
            return Err(Error::data(
                &file,
                n + 2,
                "Year",
                format!("`{}` is not a year", get(1)),
            ));
        };
        out.entry(get(0).to_lowercase()).or_default().push((
            year,
            get(2).parse().ok(),
            get(3).parse().ok(),
        ));
    }
    Ok(out)
}

impl CrmTables {
    /// Reads the tables from an `eu_crm` directory (the published SR file is optional).
    pub fn load(dir: &Path) -> Result<CrmTables> {
        let gs_path = dir.join(GLOBAL_SUPPLY);
        let eu_path = dir.join(EU_SOURCING);
        let pub_path = dir.join(PUBLISHED);
        let mut t = CrmTables {
            gs: load_shares(&gs_path)?,
            eu: load_shares(&eu_path)?,
            ..CrmTables::default()
        };
        t.files = vec![gs_path.display().to_string(), eu_path.display().to_string()];
        if pub_path.is_file() {
            t.published = load_published(&pub_path)?;
            t.files.push(pub_path.display().to_string());
        }
        Ok(t)
    }

    /// The share rows of a material at a stage (case-insensitive name).
    pub fn rows(&self, side: Side, material: &str, stage: Stage) -> Vec<ShareRow> {
        let rows = match side {
            Side::GlobalSupply => &self.gs,
            Side::EuSourcing => &self.eu,
        };
        rows.iter()
            .filter(|r| r.stage == stage && r.material.eq_ignore_ascii_case(material))
            .map(|r| r.row.clone())
            .collect()
    }

    /// Materials of the global supply table.
    pub fn materials(&self) -> Vec<String> {
        let mut m: Vec<String> = self.gs.iter().map(|r| r.material.clone()).collect();
        m.sort();
        m.dedup();
        m
    }

    /// The published SR of a material in a year.
    pub fn published_sr(&self, material: &str, year: i32) -> Option<f64> {
        self.published
            .get(&material.to_lowercase())?
            .iter()
            .find(|p| p.0 == year)?
            .1
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParamFile {
    format: String,
    #[serde(default)]
    materials: Vec<RawParams>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParams {
    material: String,
    #[serde(default)]
    assessed_stage: Option<String>,
    #[serde(default)]
    import_reliance: BTreeMap<String, f64>,
    eol_rir: f64,
    substitution_index: f64,
    source: String,
    #[serde(default)]
    published_sr: Option<f64>,
    #[serde(default)]
    published_source: Option<String>,
}

/// A published SR with its source: both or neither.
fn published(
    v: Option<f64>,
    source: Option<&str>,
) -> std::result::Result<Option<(f64, String)>, String> {
    match (v, source) {
        (Some(v), Some(src)) if v.is_finite() && v >= 0.0 && !src.trim().is_empty() => {
            Ok(Some((v, src.to_string())))
        }
        (None, None) => Ok(None),
        _ => Err("give a non-negative published_sr together with its published_source".into()),
    }
}

/// Parses a CRM parameter file; materials keyed by lower-case name.
pub fn parse_params(text: &str, file: &str) -> Result<BTreeMap<String, (String, Params)>> {
    let line_of = |pos: usize| text[..pos.min(text.len())].lines().count().max(1);
    let raw: RawParamFile = toml::from_str(text).map_err(|e| {
        Error::data(
            file,
            e.span().map_or(1, |s| line_of(s.start)),
            "",
            e.message().trim_end().to_string(),
        )
    })?;
    if raw.format != "osa-crm-parameters/1" {
        return Err(Error::file(
            file,
            format!(
                "format is `{}`, expected `osa-crm-parameters/1`",
                raw.format
            ),
        ));
    }
    let mut out = BTreeMap::new();
    for m in raw.materials {
        let bad = |field: &str, msg: String| {
            Error::file(
                file,
                format!("material \"{}\", field `{field}`: {msg}", m.material),
            )
        };
        let unit = |field: &str, v: f64| {
            if (0.0..=1.0).contains(&v) {
                Ok(v)
            } else {
                Err(bad(field, format!("{v} is outside 0-1")))
            }
        };
        unit("eol_rir", m.eol_rir)?;
        unit("substitution_index", m.substitution_index)?;
        let mut import_reliance = Vec::new();
        for (s, v) in &m.import_reliance {
            let stage = Stage::parse(s)
                .ok_or_else(|| bad("import_reliance", format!("stage `{s}` is not E or P")))?;
            import_reliance.push((stage, unit("import_reliance", *v)?));
        }
        let assessed_stage = match &m.assessed_stage {
            Some(s) => Some(
                Stage::parse(s)
                    .ok_or_else(|| bad("assessed_stage", format!("`{s}` is not E or P")))?,
            ),
            None => None,
        };
        if m.source.trim().is_empty() {
            return Err(bad("source", "every parameter needs its source".into()));
        }
        let published = published(m.published_sr, m.published_source.as_deref())
            .map_err(|msg| bad("published_sr", msg))?;
        let key = m.material.to_lowercase();
        if out.contains_key(&key) {
            return Err(bad("material", "listed twice".into()));
        }
        out.insert(
            key,
            (
                m.material.clone(),
                Params {
                    import_reliance,
                    eol_rir: m.eol_rir,
                    si_sr: m.substitution_index,
                    assessed_stage,
                    published,
                    source: m.source,
                },
            ),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_and_names() {
        assert_eq!(parse_share("93.8%"), Some(0.938));
        assert_eq!(parse_share("<0.1%"), Some(0.0005));
        assert_eq!(parse_share("1 %"), Some(0.01));
        assert_eq!(parse_share("6"), Some(0.06));
        assert_eq!(parse_share("6 t"), None);
        assert_eq!(parse_share("120%"), None);
        let code = |n| country_by_name(n).map(|c| c.to_string());
        assert_eq!(code("Korea, South").as_deref(), Some("KOR"));
        assert_eq!(code("Congo, D.R.").as_deref(), Some("COD"));
        assert_eq!(code("Hong Kong").as_deref(), Some("HKG"));
        assert_eq!(code("Germany").as_deref(), Some("DEU"));
        assert_eq!(code("Atlantis"), None);
    }

    #[test]
    fn shipped_parameters_parse() {
        let p = parse_params(DEFAULT_PARAMS, "crm_parameters.toml").expect("parses");
        let (name, ga) = &p["gallium"];
        assert_eq!(name, "Gallium");
        assert_eq!(ga.ir(Stage::Processing), Some(0.98));
        assert_eq!(ga.si_sr, 0.98);
        assert!(ga.source.starts_with("pub: "));
    }

    #[test]
    fn a_published_value_needs_its_source() {
        let p = parse_params(DEFAULT_PARAMS, "crm_parameters.toml").expect("parses");
        let nd = &p["neodymium"].1;
        assert_eq!(nd.published.as_ref().map(|x| x.0), Some(4.5));
        let text = "format = \"osa-crm-parameters/1\"\n[[materials]]\nmaterial = \"X\"\neol_rir = 0.1\nsubstitution_index = 0.9\nsource = \"s\"\npublished_sr = 2.0\n";
        let e = parse_params(text, "p.toml").expect_err("no source");
        assert!(e.to_string().contains("published_source"), "{e}");
    }

    #[test]
    fn parameter_outside_range_is_refused() {
        let text = "format = \"osa-crm-parameters/1\"\n[[materials]]\nmaterial = \"X\"\neol_rir = 1.5\nsubstitution_index = 0.9\nsource = \"s\"\n";
        let e = parse_params(text, "p.toml").expect_err("bad");
        assert_eq!(
            e.to_string(),
            "p.toml: material \"X\", field `eol_rir`: 1.5 is outside 0-1"
        );
    }
}
