//! A trade file uploaded as bytes, made a registered dataset by a background job: a BACI year as
//! its CSV (with BACI's country table uploaded beside it) or as the .zip CEPII distributes (the
//! year's CSV and the country table inside), or an osa Parquet cache. The job unpacks, ingests the
//! CSV whole into a Parquet cache inside the upload area (every row checked: a file with more than
//! 1% of its rows rejected is refused, naming the first; fewer are left out and listed in the job), compares it with the dataset before and registers it
//! (`trade`). Its progress is read by its number while it runs. Jobs are recorded in the upload
//! area (`uploads/jobs.json`) when they start and end: a job that a restart interrupted is found
//! there at the next start and marked failed with the reason. A CSV can also be ingested while
//! its bytes arrive (`receive`).

use super::Workbench;
use super::records::{Stored, check_key};
use super::trade::TradeDataset;
use crate::intake::{Area, Blob};
use crate::{AppError, Result};
use osa_store::Actor;
use osa_store::users::Principal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// At most this many jobs are remembered (the oldest finished ones are forgotten first).
pub const MAX_JOBS: usize = 64;

/// The jobs of this process (and those recorded by earlier runs), by number.
#[derive(Debug, Default)]
pub struct Jobs {
    next: u64,
    jobs: BTreeMap<u64, Arc<Job>>,
}

/// A job as recorded in `uploads/jobs.json`.
#[derive(Debug, Serialize, Deserialize)]
struct JobRecord {
    id: u64,
    dataset: String,
    by: String,
    phase: String,
    #[serde(default)]
    notes: Vec<String>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    result: Option<(String, i64, TradeDataset)>,
    /// The uploads it reads while it runs (kept by the sweep).
    #[serde(default)]
    uses: Vec<String>,
}

/// Why a job found unfinished at start failed.
pub const INTERRUPTED: &str = "the server stopped before this job ended (a restart); see the \
    trade datasets for what was registered, and register the upload again if it is missing";

impl Jobs {
    /// The jobs recorded in the area (unfinished ones marked failed, as a restart ended them);
    /// recorded again at once. An unreadable record starts an empty table.
    pub fn load(area: &Area) -> Jobs {
        let records: Vec<JobRecord> = std::fs::read(area.jobs_file())
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        let mut jobs = Jobs::default();
        for mut r in records {
            if r.phase != "done" && r.phase != "failed" {
                r.phase = "failed".into();
                r.error = Some(INTERRUPTED.into());
            }
            jobs.next = jobs.next.max(r.id);
            jobs.jobs.insert(r.id, Arc::new(Job::from_record(r)));
        }
        jobs.save(area);
        jobs
    }

    /// Records the table in the area (written whole, then renamed into place).
    fn save(&self, area: &Area) {
        let records: Vec<JobRecord> = self.jobs.values().map(|j| j.record()).collect();
        let file = area.jobs_file();
        let tmp = file.with_extension("json.tmp");
        let written = serde_json::to_vec(&records)
            .map_err(std::io::Error::other)
            .and_then(|b| std::fs::write(&tmp, b))
            .and_then(|()| std::fs::rename(&tmp, &file));
        if let Err(e) = written {
            eprintln!(
                "warning: could not record the ingest jobs in {}: {e}",
                file.display()
            );
        }
    }

    /// The uploads that running jobs read (the sweep keeps them).
    pub fn in_use(&self) -> Vec<String> {
        self.jobs
            .values()
            .filter(|j| !j.finished())
            .flat_map(|j| j.uses.clone())
            .collect()
    }
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
pub(super) struct Job {
    pub(super) id: u64,
    dataset: String,
    by: String,
    uses: Vec<String>,
    pub(super) done: AtomicU64,
    pub(super) total: AtomicU64,
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
    fn from_record(r: JobRecord) -> Job {
        let result = r.result.map(|(key, version, value)| Stored {
            key,
            version,
            value,
        });
        Job {
            id: r.id,
            dataset: r.dataset,
            by: r.by,
            uses: r.uses,
            done: AtomicU64::new(0),
            total: AtomicU64::new(0),
            notes: Mutex::new(r.notes),
            phase: Mutex::new((r.phase, r.error, result)),
        }
    }

    fn record(&self) -> JobRecord {
        let v = self.view();
        JobRecord {
            id: v.id,
            dataset: v.dataset,
            by: v.by,
            phase: v.phase,
            notes: v.notes,
            error: v.error,
            result: v.result.map(|d| (d.key, d.version, d.value)),
            uses: self.uses.clone(),
        }
    }

    fn finished(&self) -> bool {
        self.phase
            .lock()
            .map(|g| g.0 == "done" || g.0 == "failed")
            .unwrap_or(true)
    }

    pub(super) fn view(&self) -> JobView {
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

    pub(super) fn set(&self, phase: &str) {
        if let Ok(mut g) = self.phase.lock() {
            g.0 = phase.into();
        }
    }

    pub(super) fn end(&self, area: &Area, r: Result<Stored<TradeDataset>>) {
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
    let table = country_table(countries)?;
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
    judge(&stats, job).inspect_err(|_| area.discard(csv))?;
    area.adopt(&target)
}

/// Loads BACI's country table from its upload.
pub(super) fn country_table(
    countries: &Blob,
) -> Result<osa_trade::ingest::countries::CountryTable> {
    osa_trade::ingest::countries::CountryTable::load(countries.path())
        .map_err(|e| AppError::invalid("countries", format!("not a BACI country table: {e}")))
}

/// Takes a scan whose rejected rows are at most 1% (listed in the job's notes); refuses one with
/// more, or with no data row, naming the first rejected row.
pub(super) fn judge(stats: &osa_trade::ingest::baci::ScanStats, job: &Job) -> Result<()> {
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
    Ok(())
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
        self.require_registrar(actor, who, id).await?;
        let target = format!("trade-dataset/{id}");
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
        let uses = [Some(up.upload.clone()), up.countries.clone()];
        let job = self.new_job(id, &who.name, uses.into_iter().flatten().collect())?;
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
            wb.end_job(&j, r);
        });
        Ok(job.view())
    }

    /// Ends a job with its result, recorded in the area.
    pub(super) fn end_job(&self, job: &Job, r: Result<Stored<TradeDataset>>) {
        if let Ok(area) = self.uploads() {
            job.end(area, r);
            if let Ok(jobs) = self.jobs.lock() {
                jobs.save(area);
            }
        }
    }

    /// A new job (recorded in the area) that reads the uploads `uses`.
    pub(super) fn new_job(&self, id: &str, by: &str, uses: Vec<String>) -> Result<Arc<Job>> {
        let mut jobs = self
            .jobs
            .lock()
            .map_err(|_| AppError::Forbidden("the job table is unavailable".into()))?;
        jobs.next += 1;
        let job = Arc::new(Job {
            id: jobs.next,
            dataset: id.into(),
            by: by.into(),
            uses,
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
        if let Ok(area) = self.uploads() {
            jobs.save(area);
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
                AppError::NotFound(format!("no job {id} (the last {MAX_JOBS} are kept)"))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_a_restart_interrupted_is_failed_with_the_reason_and_finished_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let area = Area::open(dir.path()).unwrap();
        let records = serde_json::json!([
            { "id": 3, "dataset": "baci-2021", "by": "rev", "phase": "ingesting",
              "uses": ["ab"] },
            { "id": 4, "dataset": "baci-2020", "by": "rev", "phase": "failed",
              "error": "not a BACI CSV: line 3, field `k`" }
        ]);
        std::fs::write(area.jobs_file(), records.to_string()).unwrap();
        let jobs = Jobs::load(&area);
        let v3 = jobs.jobs[&3].view();
        assert_eq!(v3.phase, "failed");
        assert_eq!(v3.error.as_deref(), Some(INTERRUPTED));
        assert_eq!(v3.dataset, "baci-2021");
        let v4 = jobs.jobs[&4].view();
        assert_eq!(
            v4.error.as_deref(),
            Some("not a BACI CSV: line 3, field `k`")
        );
        assert_eq!(jobs.next, 4, "numbers go on after the recorded ones");
        assert!(jobs.in_use().is_empty(), "no job runs");
        // Recorded again at once: the next start finds it failed, not running.
        let again: Vec<JobRecord> =
            serde_json::from_slice(&std::fs::read(area.jobs_file()).unwrap()).unwrap();
        assert_eq!(again[0].phase, "failed");
        assert_eq!(again[0].error.as_deref(), Some(INTERRUPTED));
    }
}
