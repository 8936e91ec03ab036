//! A trade file uploaded as bytes, made a registered dataset by a background job: a BACI year as
//! its CSV (with BACI's country table uploaded beside it) or as the .zip CEPII distributes (the
//! year's CSV and the country table inside), or an osa Parquet cache. The job unpacks, ingests the
//! CSV whole into a Parquet cache inside the upload area (every row checked: a file with more than
//! 1% of its rows rejected is refused, naming the first; fewer are left out and listed in the job), compares it with the dataset before and registers it
//! (`trade`). Its progress is read by its number while it runs; jobs live as long as the process.

use super::Workbench;
use super::records::{Stored, check_key};
use super::trade::TradeDataset;
use crate::intake::{Area, Blob};
use crate::{AppError, Result};
use osa_store::Actor;
use osa_store::users::{Principal, Role};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// At most this many jobs are remembered (the oldest finished ones are forgotten first).
pub const MAX_JOBS: usize = 64;

/// The jobs of this process, by number.
#[derive(Debug, Default)]
pub struct Jobs {
    next: u64,
    jobs: BTreeMap<u64, Arc<Job>>,
}

/// A trade file to register from uploads.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TradeUpload {
    /// The upload (SHA-256) holding a BACI CSV, CEPII's .zip of a year, or an osa Parquet cache.
    pub upload: String,
    /// The upload holding BACI's country table (`country_codes_V*.csv`), for a bare CSV.
    #[serde(default)]
    pub countries: Option<String>,
    /// Why (required).
    pub note: String,
}

/// One job's state.
#[derive(Debug)]
struct Job {
    id: u64,
    dataset: String,
    by: String,
    done: AtomicU64,
    total: AtomicU64,
    notes: Mutex<Vec<String>>,
    phase: Mutex<(String, Option<String>, Option<Stored<TradeDataset>>)>,
}

/// A job as answered.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct JobView {
    /// Its number.
    pub id: u64,
    /// The dataset it registers.
    pub dataset: String,
    /// Who started it.
    pub by: String,
    /// `queued`, `unpacking`, `ingesting`, `comparing`, `done` or `failed`.
    pub phase: String,
    /// Bytes of the CSV ingested so far.
    pub done: u64,
    /// Bytes of the CSV in all (0 until known).
    pub total: u64,
    /// Rows the ingest left out (at most 1% of the file; more refuses it), the first named.
    pub notes: Vec<String>,
    /// Why it failed.
    pub error: Option<String>,
    /// The registered dataset, once done.
    pub result: Option<Stored<TradeDataset>>,
}

impl Job {
    fn view(&self) -> JobView {
        let (phase, error, result) = self.phase.lock().map(|g| g.clone()).unwrap_or_default();
        JobView {
            id: self.id,
            dataset: self.dataset.clone(),
            by: self.by.clone(),
            phase,
            done: self.done.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
            notes: self.notes.lock().map(|n| n.clone()).unwrap_or_default(),
            error,
            result,
        }
    }

    fn set(&self, phase: &str) {
        if let Ok(mut g) = self.phase.lock() {
            g.0 = phase.into();
        }
    }

    fn end(&self, area: &Area, r: Result<Stored<TradeDataset>>) {
        if let Ok(mut g) = self.phase.lock() {
            *g = match r {
                Ok(d) => ("done".into(), None, Some(d)),
                Err(e) => (
                    "failed".into(),
                    Some(area.scrub(&crate::error::chain(&e))),
                    None,
                ),
            };
        }
    }
}

/// The CSV and its country table, or a cache, as found in the uploads.
enum Source {
    Csv { csv: Blob, countries: Blob },
    Cache(Blob),
}

fn unpack(area: &Area, up: &TradeUpload) -> Result<Source> {
    let blob = area.blob(&up.upload)?;
    if osa_trade::ingest::cache::is_parquet(blob.path()) {
        return Ok(Source::Cache(blob));
    }
    let (csv, inside) = crate::intake::archive::trade_csv(area, &blob)?;
    let countries = match (&up.countries, inside) {
        (Some(c), _) => area.blob(c)?,
        (None, Some(c)) => c,
        (None, None) => {
            return Err(AppError::invalid(
                "countries",
                "a BACI CSV needs BACI's country table (country_codes_V*.csv) uploaded beside it",
            ));
        }
    };
    Ok(Source::Csv { csv, countries })
}

/// Ingests the CSV into a cache in the area, checking every row; answers the cache.
fn ingest(area: &Area, csv: &Blob, countries: &Blob, job: &Job) -> Result<Blob> {
    let table = osa_trade::ingest::countries::CountryTable::load(countries.path())
        .map_err(|e| AppError::invalid("countries", format!("not a BACI country table: {e}")))?;
    job.total.store(csv.bytes, Ordering::Relaxed);
    job.set("ingesting");
    let scratch = area.scratch()?;
    let target = scratch.path().join("cache.parquet");
    let stats = osa_trade::ingest::trade::ingest(csv.path(), &table, &target, 2, &|n| {
        job.done.fetch_add(n, Ordering::Relaxed);
    })
    .map_err(|e| {
        area.discard(csv);
        AppError::invalid("upload", format!("not a BACI CSV: {e}"))
    })?;
    let rejected = |r: &osa_trade::error::Rejected| {
        format!("line {}, field `{}`: {}", r.line, r.field, r.message)
    };
    if stats.rows_read > 0 && stats.rows_rejected * 100 <= stats.rows_read {
        if let Ok(mut notes) = job.notes.lock() {
            if stats.rows_rejected > 0 {
                notes.push(format!(
                    "{} of {} rows rejected (left out)",
                    stats.rows_rejected, stats.rows_read
                ));
            }
            notes.extend(stats.rejected.iter().map(rejected));
        }
    } else {
        area.discard(csv);
        let first = stats
            .rejected
            .first()
            .map(|r| format!(": {}", rejected(r)))
            .unwrap_or_default();
        let why = if stats.rows_read == 0 {
            "no data row".to_string()
        } else {
            format!(
                "{} of {} rows rejected (more than 1%)",
                stats.rows_rejected, stats.rows_read
            )
        };
        return Err(AppError::invalid(
            "upload",
            format!("not a BACI CSV: {why}{first}"),
        ));
    }
    area.adopt(&target)
}

impl Workbench {
    /// Starts registering a trade dataset from uploads (reviewers and above): answers the job at
    /// once; the ingest runs in the background.
    pub async fn start_trade_upload(
        &self,
        actor: &Actor,
        who: &Principal,
        id: &str,
        up: &TradeUpload,
    ) -> Result<JobView> {
        let target = format!("trade-dataset/{id}");
        self.require(
            actor,
            who,
            Role::Reviewer,
            "trade_dataset.register",
            &target,
        )
        .await?;
        let checked = check_key("id", id).and_then(|()| {
            if up.note.trim().is_empty() {
                return Err(AppError::invalid("note", "say why (a note is required)"));
            }
            Ok(())
        });
        self.audit_check(
            checked,
            actor,
            ("trade_dataset.register", &target),
            serde_json::json!({}),
        )
        .await?;
        let area = self.uploads()?.clone();
        area.blob(&up.upload)?;
        let job = self.new_job(id, &who.name)?;
        let (wb, actor, who, id, up, j) = (
            self.clone(),
            actor.clone(),
            who.clone(),
            id.to_string(),
            up.clone(),
            job.clone(),
        );
        tokio::spawn(async move {
            let r = wb.run_trade_job(&area, (&actor, &who), &id, &up, &j).await;
            j.end(&area, r);
        });
        Ok(job.view())
    }

    fn new_job(&self, id: &str, by: &str) -> Result<Arc<Job>> {
        let mut jobs = self
            .jobs
            .lock()
            .map_err(|_| AppError::Forbidden("the job table is unavailable".into()))?;
        jobs.next += 1;
        let job = Arc::new(Job {
            id: jobs.next,
            dataset: id.into(),
            by: by.into(),
            done: AtomicU64::new(0),
            total: AtomicU64::new(0),
            notes: Mutex::default(),
            phase: Mutex::new(("queued".into(), None, None)),
        });
        jobs.jobs.insert(job.id, job.clone());
        while jobs.jobs.len() > MAX_JOBS {
            let Some(k) = jobs.jobs.keys().next().copied() else {
                break;
            };
            jobs.jobs.remove(&k);
        }
        Ok(job)
    }

    async fn run_trade_job(
        &self,
        area: &Area,
        (actor, who): (&Actor, &Principal),
        id: &str,
        up: &TradeUpload,
        job: &Arc<Job>,
    ) -> Result<Stored<TradeDataset>> {
        job.set("unpacking");
        let (a, u, j) = (area.clone(), up.clone(), job.clone());
        let cache = tokio::task::spawn_blocking(move || match unpack(&a, &u)? {
            Source::Cache(b) => Ok(b),
            Source::Csv { csv, countries } => ingest(&a, &csv, &countries, &j),
        })
        .await
        .map_err(|e| AppError::invalid("upload", e.to_string()))?;
        let cache = self
            .audit_check(
                cache,
                actor,
                ("trade_dataset.register", &format!("trade-dataset/{id}")),
                serde_json::json!({ "upload": up.upload }),
            )
            .await?;
        job.set("comparing");
        let file = format!("upload:{}", cache.sha256);
        self.register_trade_file(actor, who, id, (cache.path(), &file), &up.note)
            .await
    }

    /// A job's progress (anyone signed in).
    pub fn trade_job(&self, id: u64) -> Result<JobView> {
        self.jobs
            .lock()
            .ok()
            .and_then(|j| j.jobs.get(&id).map(|j| j.view()))
            .ok_or_else(|| {
                AppError::NotFound(format!("no job {id} (jobs last as long as the server)"))
            })
    }
}
