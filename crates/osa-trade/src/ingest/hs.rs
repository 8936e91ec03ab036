//! The Harmonized System nomenclature (`datasets/harmonized-system` layout:
//! `section,hscode,description,parent,level`) and the section names (`section,name`).
//!
//! Several editions can be loaded; the first that describes a code wins. A code no edition
//! describes (BACI's HS92 files carry codes that HS 2017 dropped) falls back to its heading's
//! description, marked as such.

use crate::error::{Error, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Descriptions of HS codes.
#[derive(Debug, Clone, Default)]
pub struct Nomenclature {
    hs6: HashMap<u32, String>,
    hs4: HashMap<u32, String>,
    sections: HashMap<String, String>,
    /// Files read, in order.
    pub sources: Vec<String>,
}

/// A product's description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Description {
    /// The text.
    pub text: String,
    /// False when the text is the heading's (4 digits), the code itself being undescribed.
    pub exact: bool,
}

impl Nomenclature {
    /// Reads one edition (adds codes not yet described).
    pub fn load(&mut self, path: &Path) -> Result<()> {
        let csv = super::SmallCsv::open(path)?;
        let file = csv.file.clone();
        let (code_col, desc_col, level_col) = (
            csv.col("hscode")?,
            csv.col("description")?,
            csv.col("level")?,
        );
        for row in csv.rows() {
            let (_, rec) = row?;
            let code = rec.get(code_col).unwrap_or("");
            let desc = rec.get(desc_col).unwrap_or("").trim();
            let Ok(num) = code.parse::<u32>() else {
                continue; // TOTAL and blank rows
            };
            match rec.get(level_col).unwrap_or("") {
                "6" => {
                    self.hs6.entry(num).or_insert_with(|| desc.to_string());
                }
                "4" => {
                    self.hs4.entry(num).or_insert_with(|| desc.to_string());
                }
                _ => {}
            }
        }
        self.sources.push(file);
        Ok(())
    }

    /// Reads section names (`section,name`).
    pub fn load_sections(&mut self, path: &Path) -> Result<()> {
        let text = super::read_utf8(path)?;
        let file = path.display().to_string();
        super::check_quotes(&text, &file)?;
        let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        for (n, rec) in rdr.records().enumerate() {
            let rec = rec.map_err(|e| Error::data(&file, n + 2, "row", e.to_string()))?;
            if let (Some(s), Some(name)) = (rec.get(0), rec.get(1)) {
                self.sections
                    .entry(s.trim().to_string())
                    .or_insert_with(|| name.trim().to_string());
            }
        }
        Ok(())
    }

    /// Whether nothing is loaded.
    pub fn is_empty(&self) -> bool {
        self.hs6.is_empty()
    }

    /// A product's description.
    pub fn describe(&self, product: u32) -> Option<Description> {
        if let Some(t) = self.hs6.get(&product) {
            return Some(Description {
                text: t.clone(),
                exact: true,
            });
        }
        self.hs4.get(&(product / 100)).map(|t| Description {
            text: t.clone(),
            exact: false,
        })
    }

    /// A section's name.
    pub fn section_name(&self, numeral: &str) -> Option<&str> {
        self.sections.get(numeral).map(String::as_str)
    }

    /// The editions and section names in a shared data directory (`hs/`): HS 2017 first (BACI's
    /// usual revision), then HS 2022, then `hs_sections.csv`.
    pub fn shared_files(data_dir: &Path) -> (Vec<PathBuf>, Option<PathBuf>) {
        let dir = data_dir.join("hs");
        let mut editions: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| {
                        p.file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.starts_with("hs20") && n.ends_with(".csv"))
                    })
                    .collect()
            })
            .unwrap_or_default();
        editions.sort();
        let sections = dir.join("hs_sections.csv");
        (editions, sections.is_file().then_some(sections))
    }
}
