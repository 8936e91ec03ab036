//! Where the assessment baseline (technologies, country profiles, blocs, likelihood parameters,
//! toolkit, checklist) comes from: the embedded one, a directory with its layout, a replacement
//! toolkit file, and governance data that refines the country profiles.

use crate::{Answer, AppError, Result};
use osa_assess::Baseline;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What the user asked the baseline to be made of.
#[derive(Debug, Clone, Default)]
pub struct BaselineSource {
    /// A directory with the layout of `data/baseline`; `None`: the embedded baseline.
    pub dir: Option<PathBuf>,
    /// A toolkit file replacing the baseline's.
    pub toolkit: Option<PathBuf>,
    /// A directory with WGI, V-Dem and Freedom House data (the layout of `../shared/data`).
    pub governance_data: Option<PathBuf>,
}

/// Loads the baseline as `source` says; the governance summary, if any, comes back as a note.
pub fn load(source: &BaselineSource) -> Result<Answer<Baseline>> {
    let mut b = match &source.dir {
        Some(dir) => osa_io::baseline::load_dir(dir).map_err(|e| {
            AppError::data(
                format!("could not load the baseline in {}", dir.display()),
                e,
            )
        })?,
        None => osa_io::baseline::embedded()
            .map_err(|e| AppError::data("the embedded baseline is invalid", e))?,
    };
    if let Some(file) = &source.toolkit {
        b.toolkit = osa_io::baseline::load_toolkit(file).map_err(|e| {
            AppError::data(format!("could not load the toolkit {}", file.display()), e)
        })?;
    }
    let mut warnings = Vec::new();
    if let Some(dir) = &source.governance_data {
        let summary = osa_io::governance::apply(&mut b.geopolitics.profiles, dir).map_err(|e| {
            AppError::data(
                format!("could not read governance data in {}", dir.display()),
                e,
            )
        })?;
        warnings.push(summary.to_string());
    }
    Ok(Answer { value: b, warnings })
}

/// This year (UTC), from the system clock: the default assessment year.
pub fn current_year() -> i32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // 365.2425 days per year is exact enough away from new year's day boundaries.
    1970 + (secs / 31_556_952) as i32
}

/// Today (UTC) as YYYY-MM-DD, from the system clock.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date((secs / 86_400) as i64)
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Writes the embedded baseline into `dir` for editing, leaving files that already exist alone;
/// returns the files written.
pub fn export(dir: &Path) -> Result<Answer<Vec<PathBuf>>> {
    let mut written = Vec::new();
    let mut warnings = Vec::new();
    for (rel, text) in osa_io::template::baseline_files() {
        let path = dir.join(&rel);
        if path.exists() {
            warnings.push(format!("{} exists: left as it is", path.display()));
            continue;
        }
        write_new(&path, text)?;
        written.push(path);
    }
    Ok(Answer {
        value: written,
        warnings,
    })
}

/// Writes a commented case template for technology `id` into the baseline folder `dir`, first
/// exporting the embedded baseline there when `dir` has none. Refuses to overwrite a case.
pub fn new_technology(id: &str, dir: &Path, author: &str) -> Result<Answer<PathBuf>> {
    if !osa_io::template::valid_id(id) {
        return Err(AppError::invalid(
            "ID",
            format!("`{id}`: use lowercase letters, digits and hyphens (it names the file)"),
        ));
    }
    let path = dir.join("cases").join(format!("{id}.toml"));
    if path.exists() {
        return Err(AppError::invalid(
            "ID",
            format!(
                "{} exists already: edit it, or choose another id",
                path.display()
            ),
        ));
    }
    let mut warnings = Vec::new();
    if !dir.join("countries.toml").exists() {
        let n = export(dir)?.value.len();
        warnings.push(format!(
            "{} had no baseline: wrote the embedded one there ({n} files)",
            dir.display()
        ));
    }
    write_new(&path, &osa_io::template::technology(id, author, &today()))?;
    Ok(Answer {
        value: path,
        warnings,
    })
}

fn write_new(path: &Path, text: &str) -> Result<()> {
    let io = |e: std::io::Error| AppError::data(format!("could not write {}", path.display()), e);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    osa_io::write::write_atomic(path, text.as_bytes())
        .map_err(|e| AppError::data(format!("could not write {}", path.display()), e))
}

/// Every source the baseline cites, with the technologies (or files) citing it: seed references
/// in line order first, then the rest alphabetically.
pub fn cited_sources(b: &osa_assess::Baseline) -> Vec<(String, Vec<String>)> {
    let mut by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut add = |s: String, t: &str| {
        let e = by.entry(s).or_default();
        if !e.iter().any(|x| x == t) {
            e.push(t.to_string());
        }
    };
    for t in &b.technologies {
        for d in &t.dimensions {
            for e in &d.evidence {
                add(e.source.to_string(), &t.id);
            }
        }
        for x in &t.tensions {
            add(x.source.to_string(), &t.id);
        }
        for x in &t.actors {
            add(x.source.to_string(), &t.id);
        }
        for x in &t.recommendations {
            add(x.source.to_string(), &t.id);
        }
    }
    for i in &b.toolkit.instruments {
        add(i.source.to_string(), "toolkit");
    }
    for r in &b.toolkit.rules {
        add(r.source.to_string(), "toolkit");
    }
    for p in b.geopolitics.profiles.values() {
        for s in &p.sources {
            add(s.to_string(), &format!("country {}", p.code));
        }
    }
    let mut out: Vec<(String, Vec<String>)> = by.into_iter().collect();
    // Seed references in line order first, then the rest alphabetically.
    out.sort_by_key(|(s, _)| {
        let line = s
            .strip_prefix("seed L")
            .and_then(|r| r.split('-').next())
            .and_then(|n| n.parse::<u32>().ok());
        (line.is_none(), line.unwrap_or(0), s.clone())
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_423), "2025-12-01");
        assert_eq!(civil_date(19_782), "2024-02-29");
    }

    #[test]
    fn a_new_technology_joins_an_exported_baseline() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mine = dir.path().join("mine");
        let a = new_technology("quantum", &mine, "A. Analyst").expect("written");
        assert!(a.value.ends_with("cases/quantum.toml"));
        let b = load(&BaselineSource {
            dir: Some(mine.clone()),
            ..Default::default()
        })
        .expect("loads")
        .value;
        assert_eq!(b.technologies.len(), 11);
        assert!(b.technologies.iter().any(|t| t.id == "quantum"));
        assert!(new_technology("quantum", &mine, "A. Analyst").is_err());
        assert!(new_technology("../x", &mine, "A. Analyst").is_err());
    }
}
