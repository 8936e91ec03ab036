//! A panel cache: a folder of yearly caches (one `osa-baci-cache/1` Parquet file per year,
//! `baci_<year>.parquet`) with a manifest (`osa-panel.toml`, format `osa-baci-panel/1`) listing
//! each year's file, rows and source. Adding a year writes that year's file (under a temporary
//! name, renamed when complete) and then the manifest (the same way): the other years' files are
//! never rewritten, and a failed ingest leaves the panel as it was.

use super::baci::ScanStats;
use super::cache;
use super::countries::CountryTable;
use crate::error::{Error, Result};
use serde::Deserialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The manifest's file name.
pub const MANIFEST: &str = "osa-panel.toml";
/// The manifest's format tag.
pub const FORMAT: &str = "osa-baci-panel/1";

/// One year of a panel.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearFile {
    /// The year.
    pub year: u16,
    /// Its cache, relative to the folder.
    pub file: String,
    /// Rows in it.
    pub rows: u64,
    /// The file it was made from.
    pub source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    format: String,
    #[serde(default)]
    years: Vec<YearFile>,
}

/// An opened panel.
#[derive(Debug, Clone)]
pub struct Panel {
    /// The folder.
    pub dir: PathBuf,
    /// Its years, sorted.
    pub years: Vec<YearFile>,
}

/// Whether a path is a panel folder (holds a manifest).
pub fn is_panel(path: &Path) -> bool {
    path.is_dir() && path.join(MANIFEST).is_file()
}

impl Panel {
    /// Opens a panel folder (an empty new panel when the folder has no manifest yet).
    pub fn open(dir: &Path) -> Result<Panel> {
        let path = dir.join(MANIFEST);
        if !path.exists() {
            return Ok(Panel {
                dir: dir.to_path_buf(),
                years: Vec::new(),
            });
        }
        let text = super::read_utf8(&path)?;
        let file = path.display().to_string();
        let m: Manifest = toml::from_str(&text).map_err(|e| {
            let line = e
                .span()
                .map_or(1, |s| 1 + text[..s.start].matches('\n').count());
            Error::data(&file, line, "toml", e.message().trim().to_string())
        })?;
        if m.format != FORMAT {
            return Err(Error::file(
                &file,
                format!("format is `{}`, expected `{FORMAT}`", m.format),
            ));
        }
        let mut years = m.years;
        years.sort_by_key(|y| y.year);
        if let Some(w) = years.windows(2).find(|w| w[0].year == w[1].year) {
            return Err(Error::file(
                &file,
                format!("year {} is listed twice", w[0].year),
            ));
        }
        for y in &years {
            let ok = !y.file.contains('/') && !y.file.contains('\\') && !y.file.starts_with('.');
            if !ok {
                return Err(Error::file(
                    &file,
                    format!("year {}: `{}` must be a file of the folder", y.year, y.file),
                ));
            }
        }
        Ok(Panel {
            dir: dir.to_path_buf(),
            years,
        })
    }

    /// The cache of a year, if the panel holds it.
    pub fn path_of(&self, year: u16) -> Option<PathBuf> {
        self.years
            .iter()
            .find(|y| y.year == year)
            .map(|y| self.dir.join(&y.file))
    }

    /// The years held.
    pub fn year_list(&self) -> Vec<u16> {
        self.years.iter().map(|y| y.year).collect()
    }

    /// Ingests one BACI CSV holding one year into the panel (replacing that year if present),
    /// then rewrites the manifest. Returns the year and the scan's counts.
    pub fn add_year(
        &mut self,
        csv: &Path,
        table: &CountryTable,
        threads: usize,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<(u16, ScanStats)> {
        self.add_cache(csv, |staging| {
            super::trade::ingest(csv, table, staging, threads, progress)
        })
    }

    /// Adds the year of a cache that `write` makes at the path it is given (a temporary name in
    /// the folder), made from `source`; then rewrites the manifest.
    pub fn add_cache(
        &mut self,
        source: &Path,
        write: impl FnOnce(&Path) -> Result<ScanStats>,
    ) -> Result<(u16, ScanStats)> {
        std::fs::create_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        let staging = self
            .dir
            .join(format!(".osa-tmp-{}-ingest.parquet", std::process::id()));
        let checked = write(&staging).and_then(|s| one_year(&staging, source).map(|y| (y, s)));
        let (year, stats) = match checked {
            Ok(v) => v,
            Err(e) => {
                let _ = std::fs::remove_file(&staging);
                return Err(e);
            }
        };
        let name = format!("baci_{year}.parquet");
        std::fs::rename(&staging, self.dir.join(&name)).map_err(|e| Error::io(&self.dir, e))?;
        let source = source
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        self.years.retain(|y| y.year != year);
        self.years.push(YearFile {
            year,
            file: name,
            rows: stats.rows_read - stats.rows_rejected,
            source,
        });
        self.years.sort_by_key(|y| y.year);
        self.write_manifest()?;
        Ok((year, stats))
    }

    /// Writes the manifest under a temporary name, then renames it.
    fn write_manifest(&self) -> Result<()> {
        let mut text = format!("format = \"{FORMAT}\"\n");
        for y in &self.years {
            text.push_str(&format!(
                "\n[[years]]\nyear = {}\nfile = {}\nrows = {}\nsource = {}\n",
                y.year,
                quote(&y.file),
                y.rows,
                quote(&y.source)
            ));
        }
        let path = self.dir.join(MANIFEST);
        let mut tmp = tempfile::Builder::new()
            .prefix(&format!(".osa-tmp-{}-", std::process::id()))
            .tempfile_in(&self.dir)
            .map_err(|e| Error::io(&self.dir, e))?;
        tmp.write_all(text.as_bytes())
            .and_then(|_| tmp.as_file().sync_all())
            .map_err(|e| Error::io(&path, e))?;
        tmp.persist(&path).map_err(|e| Error::io(&path, e.error))?;
        Ok(())
    }
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The one year a fresh cache holds (from its row groups' statistics); several years or none is
/// an error naming the CSV.
fn one_year(cache_path: &Path, csv: &Path) -> Result<u16> {
    match cache::year_range(cache_path)? {
        Some((lo, hi)) if lo == hi => u16::try_from(lo)
            .map_err(|_| Error::file(&csv.display().to_string(), format!("year {lo}"))),
        Some((lo, hi)) => Err(Error::file(
            &csv.display().to_string(),
            format!("holds years {lo} to {hi}: a panel takes one year per file"),
        )),
        None => Err(Error::file(
            &csv.display().to_string(),
            "holds no valid row",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adding_a_year_keeps_the_others_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let table_text = "country_code,country_name,country_iso2,country_iso3\n156,China,CN,CHN\n251,France,FR,FRA\n";
        let table = CountryTable::parse(table_text, "t.csv").unwrap();
        let csv = |y: u16| {
            let p = dir.path().join(format!("b{y}.csv"));
            std::fs::write(&p, format!("t,i,j,k,v,q\n{y},156,251,100110,5.0,1\n")).unwrap();
            p
        };
        let panel_dir = dir.path().join("panel");
        let mut p = Panel::open(&panel_dir).unwrap();
        p.add_year(&csv(2020), &table, 1, &|_| {}).unwrap();
        let first = std::fs::read(panel_dir.join("baci_2020.parquet")).unwrap();
        let modified = std::fs::metadata(panel_dir.join("baci_2020.parquet"))
            .unwrap()
            .modified()
            .unwrap();
        let mut p = Panel::open(&panel_dir).unwrap();
        let (y, _) = p.add_year(&csv(2021), &table, 1, &|_| {}).unwrap();
        assert_eq!(y, 2021);
        let p = Panel::open(&panel_dir).unwrap();
        assert_eq!(p.year_list(), vec![2020, 2021]);
        assert_eq!(p.years[1].rows, 1);
        assert_eq!(
            std::fs::read(panel_dir.join("baci_2020.parquet")).unwrap(),
            first
        );
        let again = std::fs::metadata(panel_dir.join("baci_2020.parquet"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(modified, again);
        // A CSV of two years is refused and leaves the panel as it was.
        let two = dir.path().join("two.csv");
        std::fs::write(
            &two,
            "t,i,j,k,v,q\n2022,156,251,1,1,1\n2023,156,251,1,1,1\n",
        )
        .unwrap();
        let mut p = Panel::open(&panel_dir).unwrap();
        let e = p
            .add_year(&two, &table, 1, &|_| {})
            .unwrap_err()
            .to_string();
        assert!(e.contains("holds years 2022 to 2023"), "{e}");
        assert_eq!(
            Panel::open(&panel_dir).unwrap().year_list(),
            vec![2020, 2021]
        );
        let left: Vec<_> = std::fs::read_dir(&panel_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with(".osa-tmp"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
}
