//! Governance and regime data read at run time from the real data directory, to refine the
//! embedded country profiles: the World Bank's Worldwide Governance Indicators (mean of the six
//! estimates, latest year), V-Dem's Regimes of the World and Freedom House's ratings (latest year,
//! via Our World in Data).

use crate::csvtable::Table;
use crate::error::Result;
use osa_assess::geopolitics::{CountryProfile, FreedomHouse, Governance, Regime};
use osa_model::CountryCode;
use std::collections::BTreeMap;
use std::path::Path;

/// WGI file, relative to the shared data directory.
pub const WGI_FILE: &str = "country/wgi_full_long_lmorgans.csv";
/// V-Dem Regimes of the World file, relative to the shared data directory.
pub const ROW_FILE: &str = "regimes/owid_regimes_of_the_world.csv";
/// Freedom House file, relative to the shared data directory.
pub const FH_FILE: &str = "regimes/owid_fh_final.csv";

/// Mean of the six WGI estimates in the latest year with all six, per country.
pub fn wgi_means(path: &Path) -> Result<BTreeMap<CountryCode, Governance>> {
    let t = Table::read(path)?;
    let (c_code, c_year, c_ind, c_est) = (
        t.col("code")?,
        t.col("year")?,
        t.col("indicator")?,
        t.col("estimate")?,
    );
    // (country, year) -> indicator -> estimate
    let mut by: BTreeMap<(CountryCode, i32), BTreeMap<String, f64>> = BTreeMap::new();
    for (_, r) in &t.rows {
        let (Some(cc), Ok(year), Ok(est)) = (
            CountryCode::parse(r[c_code].trim()),
            r[c_year].trim().parse::<i32>(),
            r[c_est].trim().parse::<f64>(),
        ) else {
            continue;
        };
        by.entry((cc, year))
            .or_default()
            .insert(r[c_ind].trim().to_string(), est);
    }
    let mut out: BTreeMap<CountryCode, Governance> = BTreeMap::new();
    for ((cc, year), ind) in by {
        if ind.len() == 6 {
            let mean = ind.values().sum::<f64>() / 6.0;
            // Later years replace earlier ones (BTreeMap iterates years in order).
            out.insert(
                cc,
                Governance {
                    wgi_mean: mean,
                    year,
                    source: format!(
                        "data: World Bank Worldwide Governance Indicators, mean of 6 estimates, {year} ({WGI_FILE})"
                    ),
                },
            );
        }
    }
    Ok(out)
}

/// Names in the OWID file that differ from osa's country names.
const NAME_ALIASES: &[(&str, &str)] = &[
    ("United States", "USA"),
    ("United Kingdom", "GBR"),
    ("Russia", "RUS"),
    ("South Korea", "KOR"),
    ("North Korea", "PRK"),
    ("Iran", "IRN"),
    ("Syria", "SYR"),
    ("Vietnam", "VNM"),
    ("Laos", "LAO"),
    ("Bolivia", "BOL"),
    ("Venezuela", "VEN"),
    ("Tanzania", "TZA"),
    ("Moldova", "MDA"),
    ("Czechia", "CZE"),
    ("Democratic Republic of Congo", "COD"),
    ("Congo", "COG"),
    ("Cape Verde", "CPV"),
    ("Cote d'Ivoire", "CIV"),
    ("East Timor", "TLS"),
    ("Eswatini", "SWZ"),
    ("Palestine", "PSE"),
    ("Turkey", "TUR"),
    ("Brunei", "BRN"),
    ("Micronesia (country)", "FSM"),
    ("Kosovo", "XKX"),
    ("Timor", "TLS"),
];

fn code_for_name(name: &str) -> Option<CountryCode> {
    if let Some((_, code)) = NAME_ALIASES.iter().find(|(n, _)| *n == name) {
        return CountryCode::parse(code);
    }
    osa_model::country::all_countries()
        .iter()
        .find(|c| c.name == name)
        .map(|c| c.alpha3)
}

/// V-Dem Regimes of the World, latest year per country.
pub fn regimes(path: &Path) -> Result<BTreeMap<CountryCode, (Regime, i32)>> {
    let t = Table::read(path)?;
    let (c_name, c_year, c_row) = (
        t.col("country_name")?,
        t.col("year")?,
        t.col("regime_row_owid")?,
    );
    let mut out: BTreeMap<CountryCode, (Regime, i32)> = BTreeMap::new();
    for (_, r) in &t.rows {
        let (Some(cc), Ok(year), Some(reg)) = (
            code_for_name(r[c_name].trim()),
            r[c_year].trim().parse::<i32>(),
            r[c_row]
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(Regime::from_row),
        ) else {
            continue;
        };
        if out.get(&cc).is_none_or(|(_, y)| *y < year) {
            out.insert(cc, (reg, year));
        }
    }
    Ok(out)
}

/// Freedom House status and score (political rights + civil liberties, 0-100), latest edition.
pub fn freedom_house(path: &Path) -> Result<BTreeMap<CountryCode, FreedomHouse>> {
    let t = Table::read(path)?;
    let (c_name, c_year, c_reg, c_pr, c_cl) = (
        t.col("country_name")?,
        t.col("year")?,
        t.col("regime_fh")?,
        t.col("polrights_score_fh")?,
        t.col("civlibs_score_fh")?,
    );
    let mut out: BTreeMap<CountryCode, FreedomHouse> = BTreeMap::new();
    for (_, r) in &t.rows {
        let (Some(cc), Ok(year), Ok(reg), Ok(pr), Ok(cl)) = (
            code_for_name(r[c_name].trim()),
            r[c_year].trim().parse::<i32>(),
            r[c_reg].trim().parse::<i64>(),
            r[c_pr].trim().parse::<i32>(),
            r[c_cl].trim().parse::<i32>(),
        ) else {
            continue;
        };
        let status = match reg {
            0 => "not_free",
            1 => "partly_free",
            _ => "free",
        };
        if out.get(&cc).is_none_or(|f| f.year < year) {
            out.insert(
                cc,
                FreedomHouse {
                    status,
                    score: pr + cl,
                    year,
                    source: format!("data: Freedom House, Freedom in the World {year}, via Our World in Data ({FH_FILE})"),
                },
            );
        }
    }
    Ok(out)
}

/// Applies WGI and V-Dem data from a shared data directory to profiles. Returns a one-line summary.
pub fn apply(
    profiles: &mut BTreeMap<CountryCode, CountryProfile>,
    data_dir: &Path,
) -> Result<String> {
    let wgi = wgi_means(&data_dir.join(WGI_FILE))?;
    let row = regimes(&data_dir.join(ROW_FILE))?;
    let fh = freedom_house(&data_dir.join(FH_FILE))?;
    let (mut n_wgi, mut n_row, mut n_fh) = (0, 0, 0);
    for (cc, p) in profiles.iter_mut() {
        if let Some(g) = wgi.get(cc) {
            p.governance = Some(g.clone());
            n_wgi += 1;
        }
        if let Some((reg, year)) = row.get(cc) {
            p.regime = Some((
                *reg,
                format!(
                    "data: V-Dem Regimes of the World {year}, via Our World in Data ({ROW_FILE})"
                ),
            ));
            n_row += 1;
        }
        if let Some(f) = fh.get(cc) {
            p.freedom_house = Some(f.clone());
            n_fh += 1;
        }
    }
    Ok(format!(
        "governance data: WGI for {n_wgi}, V-Dem regimes for {n_row}, Freedom House for {n_fh} of {} profiles",
        profiles.len()
    ))
}
