//! Moving the published state in and out of the record: `osa db export DIR` writes it in osa's
//! file formats (the baseline's layout, `ecosystems/*.toml`, `scenarios/*.toml`, and the discussion
//! threads as `threads/*.json`) so a team can keep it in git; `osa db import DIR` reads such a folder, validates every file as osa always does, and
//! writes what differs as one revision, or nothing.

use super::discussion::{THREAD, Thread};
use super::{Workbench, kind};
use crate::{AppError, Result};
use osa_store::Actor;
use osa_store::docs::Put;
use osa_store::users::{Principal, Role};
use std::path::{Path, PathBuf};

/// The files of the published state as of a revision: (relative path, text).
pub async fn published_files(wb: &Workbench, rev: i64) -> Result<Vec<(PathBuf, String)>> {
    let mut out = Vec::new();
    for (name, text) in wb.baseline_files(rev).await?.all() {
        out.push((PathBuf::from("baseline").join(name), text.to_string()));
    }
    for d in wb.store().docs(kind::ECOSYSTEM, rev).await? {
        out.push((
            PathBuf::from("ecosystems").join(format!("{}.toml", d.key)),
            d.body,
        ));
    }
    for d in wb.store().docs(kind::SCENARIO, rev).await? {
        out.push((
            PathBuf::from("scenarios").join(format!("{}.toml", d.key)),
            d.body,
        ));
    }
    for d in wb.store().docs(THREAD, rev).await? {
        out.push((
            PathBuf::from("threads").join(format!("{}.json", d.key)),
            d.body,
        ));
    }
    Ok(out)
}

/// Reads and validates an exported folder; returns the documents it holds.
pub fn read_folder(dir: &Path) -> Result<Vec<Put>> {
    let base = dir.join("baseline");
    let files = osa_io::baseline::read_files(&base)
        .map_err(|e| AppError::data(format!("could not read {}", base.display()), e))?;
    osa_io::baseline::from_files(&files, &base.display().to_string())
        .map_err(|e| AppError::data("the baseline does not validate", e))?;
    let put = |k: &str, key: String, body: String| Put {
        kind: k.into(),
        key,
        body: Some(body),
        expected: None,
    };
    let mut puts: Vec<Put> = files
        .all()
        .into_iter()
        .map(|(n, t)| put(kind::BASELINE, n, t.to_string()))
        .collect();
    for (stem, path) in toml_files(&dir.join("ecosystems"))? {
        let text = read(&path)?;
        osa_io::toml_eco::parse(&text, &path.display().to_string())
            .map_err(|e| AppError::data("an ecosystem does not validate", e))?;
        puts.push(put(kind::ECOSYSTEM, stem, text));
    }
    for (stem, path) in toml_files(&dir.join("scenarios"))? {
        let text = read(&path)?;
        osa_io::scenario::parse(&text, &path.display().to_string())
            .map_err(|e| AppError::data("a scenario does not validate", e))?;
        puts.push(put(kind::SCENARIO, stem, text));
    }
    for (stem, path) in files_with(&dir.join("threads"), "json")? {
        let text = read(&path)?;
        let t: Thread = serde_json::from_str(&text)
            .map_err(|e| AppError::data(format!("{} is not a thread", path.display()), e))?;
        if super::discussion::subject(&t.subject)?.key != stem {
            return Err(AppError::invalid(
                path.display().to_string(),
                format!("its subject `{}` does not match its file name", t.subject),
            ));
        }
        puts.push(put(THREAD, stem, text));
    }
    Ok(puts)
}

fn read(path: &Path) -> Result<String> {
    osa_io::text::read_text(path)
        .map_err(|e| AppError::data(format!("could not read {}", path.display()), e))
}

fn toml_files(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    files_with(dir, "toml")
}

fn files_with(dir: &Path, ext: &str) -> Result<Vec<(String, PathBuf)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let rd = std::fs::read_dir(dir)
        .map_err(|e| AppError::data(format!("could not list {}", dir.display()), e))?;
    let mut v: Vec<(String, PathBuf)> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .filter_map(|p| Some((p.file_stem()?.to_str()?.to_string(), p)))
        .collect();
    v.sort();
    Ok(v)
}

impl Workbench {
    /// Imports a folder as one revision (admins): only documents that differ are written.
    /// Returns the revision id, or `None` when nothing differs.
    pub async fn import(
        &self,
        actor: &Actor,
        who: &Principal,
        dir: &Path,
        note: &str,
    ) -> Result<Option<i64>> {
        self.require(
            actor,
            who,
            Role::Admin,
            "db.import",
            &dir.display().to_string(),
        )
        .await?;
        let puts = read_folder(dir)?;
        let head = self.store.head().await?;
        let mut changed = Vec::new();
        for p in puts {
            let cur = self.store.doc(&p.kind, &p.key, head).await?;
            if cur.as_ref().map(|d| &d.body) != p.body.as_ref() {
                changed.push(Put {
                    expected: Some(cur.map_or(0, |d| d.version)),
                    ..p
                });
            }
        }
        if changed.is_empty() {
            return Ok(None);
        }
        let as_who = Actor {
            name: who.name.clone(),
            ..actor.clone()
        };
        Ok(Some(
            self.store
                .write_revision(&as_who, "db.import", note, &changed)
                .await?
                .id,
        ))
    }
}
