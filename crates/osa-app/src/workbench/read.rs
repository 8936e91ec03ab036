//! Reads as of a revision: the baseline rebuilt from the stored files (validated like any file
//! osa reads), the ecosystems as stored, and on them the same matrix and dossier views as the
//! command line. Parsed baselines and ecosystems are cached per version.

use super::{Workbench, bound, kind};
use crate::assess::DossierOptions;
use crate::{Answer, AppError, Result};
use osa_assess::Baseline;
use osa_io::baseline::BaselineFiles;
use osa_io::{Loaded, Origin};
use osa_store::docs::{AsOf, Doc, Revision};
use osa_view::assess::{DossierView, MatrixView};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// An answer read as of a revision.
#[derive(Debug, Clone, Serialize)]
pub struct AsOfAnswer<T> {
    /// The revision read.
    pub revision: i64,
    /// The answer.
    #[serde(flatten)]
    pub value: T,
}

impl Workbench {
    /// The revision an as-of argument names.
    /// A time before the first revision is answered with where the record begins (there is
    /// nothing to read before it).
    pub async fn revision_of(&self, as_of: Option<&str>) -> Result<i64> {
        let r = self.store.resolve(&AsOf::parse(as_of)?).await?;
        if r == 0 && as_of.is_some_and(|a| !a.trim().is_empty()) {
            return Err(AppError::NotFound(match self.store.revision(1).await? {
                Some(first) => format!(
                    "the record begins at r1 ({}): there is nothing to read before it",
                    first.at.get(..10).unwrap_or(&first.at)
                ),
                None => "the record is empty".into(),
            }));
        }
        Ok(r)
    }

    /// The record's revisions, newest first (at most `limit`), for an as-of picker.
    pub async fn recent_revisions(&self, limit: i64) -> Result<Vec<Revision>> {
        let head = self.store.head().await?;
        let mut v = self
            .store
            .revisions_between((head - limit).max(0), head)
            .await?;
        v.reverse();
        Ok(v)
    }

    /// The baseline's files as of `rev`.
    pub async fn baseline_files(&self, rev: i64) -> Result<BaselineFiles> {
        let docs = self.store.docs(kind::BASELINE, rev).await?;
        let mut files = BaselineFiles::default();
        for d in docs {
            if d.key.starts_with("cases/") {
                files.cases.push((d.key, d.body));
            } else if !files.set_single(&d.key, d.body) {
                return Err(AppError::NotFound(format!(
                    "the store holds an unknown baseline file `{}`",
                    d.key
                )));
            }
        }
        Ok(files)
    }

    /// The baseline as of `rev` (cached).
    pub async fn baseline_at(&self, rev: i64) -> Result<Arc<Baseline>> {
        if let Some(b) = self.cached_baseline(rev) {
            return Ok(b);
        }
        let files = self.baseline_files(rev).await?;
        let known = self.known_ecosystems(rev).await?;
        let b = Arc::new(
            osa_io::baseline::from_files_in(&files, "store", &known)
                .map_err(|e| AppError::data(format!("the stored baseline (revision {rev})"), e))?,
        );
        if let Ok(mut m) = self.baselines.lock() {
            m.insert(rev, b.clone());
            bound(&mut m);
        }
        Ok(b)
    }

    /// Which ecosystem names a case may use as of `rev`: the built-ins and the record's own.
    pub async fn known_ecosystems(&self, rev: i64) -> Result<impl Fn(&str) -> bool + use<>> {
        let stored: Vec<String> = self
            .store
            .keys(kind::ECOSYSTEM, rev)
            .await?
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        Ok(move |name: &str| {
            stored.iter().any(|s| s == name) || osa_io::builtin::names().contains(&name)
        })
    }

    fn cached_baseline(&self, rev: i64) -> Option<Arc<Baseline>> {
        self.baselines.lock().ok()?.get(&rev).cloned()
    }

    /// An ecosystem as stored at `rev` (cached per version).
    pub async fn ecosystem_at(&self, name: &str, rev: i64) -> Result<Arc<Loaded>> {
        let missing = || {
            AppError::NotFound(format!(
                "no ecosystem `{name}` in the record at revision {rev}"
            ))
        };
        let version = self
            .store
            .doc_version(kind::ECOSYSTEM, name, rev)
            .await?
            .ok_or_else(missing)?;
        let key = (name.to_string(), version);
        if let Some(l) = self
            .ecosystems
            .lock()
            .ok()
            .and_then(|m| m.get(&key).cloned())
        {
            return Ok(l);
        }
        let doc = self
            .store
            .doc(kind::ECOSYSTEM, name, rev)
            .await?
            .ok_or_else(missing)?;
        let file = format!("store:{name}@{}", doc.version);
        let checked = osa_io::toml_eco::parse(&doc.body, &file)
            .map_err(|e| AppError::data(format!("the stored ecosystem `{name}`"), e))?;
        let l = Arc::new(Loaded {
            checked,
            origin: Origin::File(file),
            warnings: Vec::new(),
        });
        if let Ok(mut m) = self.ecosystems.lock() {
            m.insert(key, l.clone());
            bound(&mut m);
        }
        Ok(l)
    }

    /// The matrix of published levels as of an as-of argument.
    pub async fn matrix(&self, as_of: Option<&str>) -> Result<AsOfAnswer<MatrixView>> {
        let rev = self.revision_of(as_of).await?;
        let b = self.baseline_at(rev).await?;
        Ok(AsOfAnswer {
            revision: rev,
            value: self.matrix_at(&b, rev).await?,
        })
    }

    /// The matrix of a baseline with the levels computed from the ecosystems stored at `rev`.
    async fn matrix_at(&self, b: &Baseline, rev: i64) -> Result<MatrixView> {
        let mut ecosystems: HashMap<String, Arc<Loaded>> = HashMap::new();
        for name in b.technologies.iter().filter_map(|t| t.ecosystem.as_ref()) {
            if !ecosystems.contains_key(name) {
                ecosystems.insert(name.clone(), self.ecosystem_at(name, rev).await?);
            }
        }
        let load = |name: &str| -> Result<Answer<Loaded>> {
            let l = ecosystems.get(name).ok_or_else(|| {
                AppError::NotFound(format!("no ecosystem `{name}` at revision {rev}"))
            })?;
            Ok(Answer::new(Loaded {
                checked: l.checked.clone(),
                origin: l.origin.clone(),
                warnings: Vec::new(),
            }))
        };
        Ok(crate::assess::matrix_view(b, &[], &load)?.value)
    }

    /// One technology's dossier as of an as-of argument; ecosystems come from the record.
    pub async fn dossier(
        &self,
        id: &str,
        as_of: Option<&str>,
    ) -> Result<Answer<AsOfAnswer<DossierView>>> {
        self.dossier_with_priority(id, as_of, None).await
    }

    /// A dossier with step 4's priority chosen by the reader (`None`: the default rule).
    pub async fn dossier_with_priority(
        &self,
        id: &str,
        as_of: Option<&str>,
        priority: Option<osa_assess::Dimension>,
    ) -> Result<Answer<AsOfAnswer<DossierView>>> {
        let rev = self.revision_of(as_of).await?;
        let b = self.baseline_at(rev).await?;
        let tech = crate::assess::find(&b, id)?;
        let eco = match &tech.ecosystem {
            Some(name) => Some(self.ecosystem_at(name, rev).await?),
            None => None,
        };
        let opts = DossierOptions {
            year: crate::baseline::current_year(),
            priority,
            ..DossierOptions::default()
        };
        let load = |_: &str| -> Result<Answer<Loaded>> {
            let l = eco
                .as_ref()
                .ok_or_else(|| AppError::NotFound("no ecosystem".into()))?;
            Ok(Answer::new(Loaded {
                checked: l.checked.clone(),
                origin: l.origin.clone(),
                warnings: Vec::new(),
            }))
        };
        let a = crate::assess::dossier_view(&b, id, &opts, &load)?;
        Ok(a.map(|value| AsOfAnswer {
            revision: rev,
            value,
        }))
    }

    /// The key (file) of each technology id as of `rev` (cached per revision).
    pub async fn case_keys(&self, rev: i64) -> Result<Arc<HashMap<String, String>>> {
        if let Some(m) = self
            .case_keys
            .lock()
            .ok()
            .and_then(|m| m.get(&rev).cloned())
        {
            return Ok(m);
        }
        let mut ids = HashMap::new();
        for d in self.store.docs(kind::BASELINE, rev).await? {
            if let Some(id) = d
                .key
                .starts_with("cases/")
                .then(|| case_id(&d.body))
                .flatten()
            {
                ids.insert(id, d.key);
            }
        }
        let ids = Arc::new(ids);
        if let Ok(mut m) = self.case_keys.lock() {
            m.insert(rev, ids.clone());
            bound(&mut m);
        }
        Ok(ids)
    }

    /// A technology's file and its version (its ETag) as of `rev`.
    pub async fn technology_version(&self, id: &str, rev: i64) -> Result<(String, i64)> {
        let missing = || {
            AppError::NotFound(format!(
                "no technology `{id}` in the record at revision {rev}"
            ))
        };
        let key = self
            .case_keys(rev)
            .await?
            .get(id)
            .cloned()
            .ok_or_else(missing)?;
        let v = self
            .store
            .doc_version(kind::BASELINE, &key, rev)
            .await?
            .ok_or_else(missing)?;
        Ok((key, v))
    }

    /// A read's JSON, rendered once per revision.
    async fn cached_json<T: Serialize>(
        &self,
        what: String,
        rev: i64,
        make: impl AsyncFnOnce() -> Result<T>,
    ) -> Result<Arc<Vec<u8>>> {
        let key = (what, rev);
        if let Some(v) = self.views.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(v);
        }
        let value = make().await?;
        let bytes =
            Arc::new(serde_json::to_vec(&value).map_err(|e| AppError::data("rendering JSON", e))?);
        if let Ok(mut m) = self.views.lock() {
            m.insert(key, bytes.clone());
            while m.len() > 4 * super::CACHE_ENTRIES {
                let Some(k) = m.keys().min_by_key(|(_, r)| *r).cloned() else {
                    break;
                };
                m.remove(&k);
            }
        }
        Ok(bytes)
    }

    /// The matrix as JSON (the same document as [`Workbench::matrix`]), cached per revision.
    pub async fn matrix_json(&self, as_of: Option<&str>) -> Result<(i64, Arc<Vec<u8>>)> {
        let rev = self.revision_of(as_of).await?;
        let json = self
            .cached_json("matrix".into(), rev, async || {
                let b = self.baseline_at(rev).await?;
                self.matrix_at(&b, rev).await
            })
            .await?;
        Ok((rev, json))
    }

    /// A dossier as JSON (the same document as [`Workbench::dossier`]), cached per revision and
    /// assessment year; also the technology's id and its file's version (its ETag).
    pub async fn dossier_json(
        &self,
        query: &str,
        as_of: Option<&str>,
    ) -> Result<(i64, String, i64, Arc<Vec<u8>>)> {
        let rev = self.revision_of(as_of).await?;
        let id = crate::assess::find(&*self.baseline_at(rev).await?, query)?
            .id
            .clone();
        // The file's version as of a revision never changes either.
        let cached = self
            .versions
            .lock()
            .ok()
            .and_then(|m| m.get(&(id.clone(), rev)).copied());
        let version = match cached {
            Some(v) => v,
            None => {
                let (_, v) = self.technology_version(&id, rev).await?;
                if let Ok(mut m) = self.versions.lock() {
                    m.insert((id.clone(), rev), v);
                    while m.len() > 16 * super::CACHE_ENTRIES {
                        let Some(k) = m.keys().min_by_key(|(_, r)| *r).cloned() else {
                            break;
                        };
                        m.remove(&k);
                    }
                }
                v
            }
        };
        let what = format!("dossier/{id}/{}", crate::baseline::current_year());
        let json = self
            .cached_json(what, rev, async || {
                Ok(self.dossier(&id, Some(&rev.to_string())).await?.value.value)
            })
            .await?;
        Ok((rev, id, version, json))
    }

    /// The stored file of a technology (its key and current version) as of `rev`.
    pub async fn technology_doc(&self, id: &str, rev: i64) -> Result<Doc> {
        let (key, _) = self.technology_version(id, rev).await?;
        self.store
            .doc(kind::BASELINE, &key, rev)
            .await?
            .ok_or_else(|| {
                AppError::NotFound(format!(
                    "no technology `{id}` in the record at revision {rev}"
                ))
            })
    }

    /// Every version of a technology's file with the revision that wrote it.
    pub async fn technology_history(&self, id: &str) -> Result<Vec<(Doc, Revision)>> {
        let head = self.store.head().await?;
        let d = self.technology_doc(id, head).await?;
        Ok(self.store.versions(kind::BASELINE, &d.key).await?)
    }
}

/// The `id` of a case file's text.
pub fn case_id(text: &str) -> Option<String> {
    let t: toml::Table = toml::from_str(text).ok()?;
    t.get("id")?.as_str().map(String::from)
}

/// A technology in the record: its id, name, file and version (its ETag).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TechnologyEntry {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// The stored file.
    pub file: String,
    /// The version of the file (the revision that wrote it).
    pub version: i64,
    /// Proposals awaiting review.
    pub open_proposals: usize,
}

/// One step of a cell's history.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CellStep {
    /// The revision.
    pub revision: Revision,
    /// The level then (null: silent or absent).
    pub level: Option<u8>,
    /// The rationale then.
    pub rationale: String,
    /// Evidence items then.
    pub evidence: usize,
}

impl Workbench {
    /// The technologies as of `rev`, in the report's order.
    pub async fn technologies(&self, rev: i64) -> Result<Vec<TechnologyEntry>> {
        let b = self.baseline_at(rev).await?;
        let docs = self.store.docs(kind::BASELINE, rev).await?;
        let open = self.store.proposals(Some("open"), None, 10_000, 0).await?;
        let mut out = Vec::new();
        for t in &b.technologies {
            let Some(d) = docs.iter().find(|d| {
                d.key.starts_with("cases/") && case_id(&d.body).as_deref() == Some(t.id.as_str())
            }) else {
                continue;
            };
            out.push(TechnologyEntry {
                id: t.id.clone(),
                name: t.name.clone(),
                file: d.key.clone(),
                version: d.version,
                open_proposals: open.iter().filter(|p| p.key == d.key).count(),
            });
        }
        Ok(out)
    }

    /// A cell's history: its level, rationale and evidence count at every version of its file.
    pub async fn cell_history(&self, id: &str, dimension: &str) -> Result<Vec<CellStep>> {
        let dim: osa_assess::Dimension = dimension
            .parse()
            .map_err(|m: String| AppError::invalid("dimension", m))?;
        let mut out = Vec::new();
        for (doc, rev) in self.technology_history(id).await? {
            let t = osa_io::baseline::parse_technology(&doc.body, &doc.key, None).ok();
            let j = t.as_ref().map(|t| t.judged(dim));
            out.push(CellStep {
                revision: rev,
                level: j.and_then(|j| j.level.map(|l| l.value())),
                rationale: j.map(|j| j.rationale.clone()).unwrap_or_default(),
                evidence: j.map_or(0, |j| j.evidence.len()),
            });
        }
        Ok(out)
    }
}
