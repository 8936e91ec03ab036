//! A baseline as the texts of its files: the embedded copy and a directory read from disk.

use super::{CASES, CHECKLIST, COUNTRIES, LIKELIHOOD, TOOLKIT};
use crate::error::{Error, Result};
use crate::text::read_text as read;
use std::path::Path;

/// A baseline as the texts of its files (the layout of `data/baseline/`): what the store keeps,
/// what `osa db export` writes and `osa db import` reads. File names are relative (`countries.toml`,
/// `cases/6g.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BaselineFiles {
    /// `cases/<id>.toml`: (file name relative to the baseline, text).
    pub cases: Vec<(String, String)>,
    /// `countries.toml`.
    pub countries: String,
    /// `likelihood.toml`.
    pub likelihood: String,
    /// `toolkit.toml`.
    pub toolkit: String,
    /// `checklist.toml`.
    pub checklist: String,
    /// `blocs.toml`.
    pub blocs: String,
}

/// The names of the single files of a baseline, in a fixed order.
pub const SINGLE_FILES: [&str; 5] = [
    "countries.toml",
    "likelihood.toml",
    "toolkit.toml",
    "checklist.toml",
    "blocs.toml",
];

impl BaselineFiles {
    /// The text of one of [`SINGLE_FILES`].
    pub fn single(&self, name: &str) -> Option<&str> {
        Some(match name {
            "countries.toml" => &self.countries,
            "likelihood.toml" => &self.likelihood,
            "toolkit.toml" => &self.toolkit,
            "checklist.toml" => &self.checklist,
            "blocs.toml" => &self.blocs,
            _ => return None,
        })
    }

    /// Sets one of [`SINGLE_FILES`]; false for another name.
    pub fn set_single(&mut self, name: &str, text: String) -> bool {
        let slot = match name {
            "countries.toml" => &mut self.countries,
            "likelihood.toml" => &mut self.likelihood,
            "toolkit.toml" => &mut self.toolkit,
            "checklist.toml" => &mut self.checklist,
            "blocs.toml" => &mut self.blocs,
            _ => return false,
        };
        *slot = text;
        true
    }

    /// Every file as (relative name, text): the single files, then the cases.
    pub fn all(&self) -> Vec<(String, &str)> {
        let mut v: Vec<(String, &str)> = SINGLE_FILES
            .iter()
            .filter_map(|n| self.single(n).map(|t| (n.to_string(), t)))
            .collect();
        v.extend(self.cases.iter().map(|(n, t)| (n.clone(), t.as_str())));
        v
    }
}

/// The embedded baseline's files.
pub fn embedded_files() -> BaselineFiles {
    BaselineFiles {
        cases: CASES
            .iter()
            .map(|(f, t)| (format!("cases/{f}"), t.to_string()))
            .collect(),
        countries: COUNTRIES.to_string(),
        likelihood: LIKELIHOOD.to_string(),
        toolkit: TOOLKIT.to_string(),
        checklist: CHECKLIST.to_string(),
        blocs: crate::builtin::BLOCS_TOML.to_string(),
    }
}

/// Reads the files of a baseline directory with the layout of `data/baseline/` (cases/*.toml,
/// countries.toml, blocs.toml, likelihood.toml, toolkit.toml, checklist.toml).
pub fn read_files(dir: &Path) -> Result<BaselineFiles> {
    let cases_dir = dir.join("cases");
    let mut paths: Vec<_> = std::fs::read_dir(&cases_dir)
        .map_err(|source| Error::Io {
            path: cases_dir.clone(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut files = BaselineFiles::default();
    for p in &paths {
        let file = p
            .file_name()
            .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
        files.cases.push((format!("cases/{file}"), read(p)?));
    }
    for n in SINGLE_FILES {
        files.set_single(n, read(&dir.join(n))?);
    }
    Ok(files)
}
