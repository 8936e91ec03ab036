//! A BACI CSV ingested while its bytes arrive: the request body goes to the upload area (hashed
//! as it is written, kept under its SHA-256 as any upload) and, through a bounded pipe, to the
//! parser at the same time, so the ingest is done about when the last byte is. The country table
//! is an upload named beside it, checked before a byte of the CSV is read. A body cut off, oversize
//! or not a BACI CSV fails the job and leaves no blob; the rules (every row checked, at most 1%
//! left out) are those of `ingest`.

use super::Workbench;
use super::ingest::{Job, JobView, country_table, judge};
use super::records::{Stored, check_key};
use super::trade::TradeDataset;
use crate::intake::pipe::{PipeReader, PipeWriter, pipe};
use crate::intake::{Area, Blob, Incoming, MAX_TRADE_BYTES};
use crate::{AppError, Result};
use osa_store::Actor;
use osa_store::users::Principal;
use osa_trade::ingest::countries::CountryTable;
use serde::Deserialize;
use std::sync::Arc;
use std::sync::atomic::Ordering;

/// What a CSV sent as the body is registered as (the query of the request).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CsvStream {
    /// The upload (SHA-256) holding BACI's country table (`country_codes_V*.csv`).
    pub countries: String,
    /// Why (required).
    pub note: String,
}

/// A CSV being received: give it the body's bytes, then [`finish`](Self::finish) it.
#[derive(Debug)]
pub struct CsvReceiver {
    incoming: Incoming,
    pipe: PipeWriter,
    blob: tokio::sync::oneshot::Sender<Blob>,
    job: Arc<Job>,
}

/// The parts of a received CSV's job.
struct Received {
    area: Area,
    table: CountryTable,
    reader: PipeReader,
    blob: tokio::sync::oneshot::Receiver<Blob>,
}

impl Workbench {
    /// Starts receiving the CSV of dataset `id` (reviewers and above): the job starts at once and
    /// ingests the bytes given to the receiver as they come. `declared` is the body's size, when
    /// known (the job's progress total).
    pub async fn receive_trade_csv(
        &self,
        actor: &Actor,
        who: &Principal,
        id: &str,
        req: &CsvStream,
        declared: Option<u64>,
    ) -> Result<CsvReceiver> {
        self.require_registrar(actor, who, id).await?;
        let target = format!("trade-dataset/{id}");
        let area = self.uploads()?.clone();
        let checked = check_key("id", id)
            .and_then(|()| {
                if req.note.trim().is_empty() {
                    return Err(AppError::invalid("note", "say why (a note is required)"));
                }
                Ok(())
            })
            .and_then(|()| area.blob(&req.countries))
            .and_then(|c| country_table(&c));
        let table = self
            .audit_check(
                checked,
                actor,
                ("trade_dataset.register", &target),
                serde_json::json!({ "countries": req.countries }),
            )
            .await?;
        let incoming = area.begin(MAX_TRADE_BYTES)?;
        let job = self.new_job(id, &who.name, vec![req.countries.clone()])?;
        job.total.store(declared.unwrap_or(0), Ordering::Relaxed);
        job.set("ingesting");
        let (writer, reader) = pipe();
        let (blob_tx, blob_rx) = tokio::sync::oneshot::channel();
        let parts = Received {
            area,
            table,
            reader,
            blob: blob_rx,
        };
        let (wb, actor, who, id, note, j) = (
            self.clone(),
            actor.clone(),
            who.clone(),
            id.to_string(),
            req.note.clone(),
            job.clone(),
        );
        tokio::spawn(async move {
            let r = wb.run_received(parts, (&actor, &who), &id, &note, &j).await;
            wb.end_job(&j, r);
        });
        Ok(CsvReceiver {
            incoming,
            pipe: writer,
            blob: blob_tx,
            job,
        })
    }

    /// The job of a received CSV: parse as the bytes come, then judge, keep and register.
    async fn run_received(
        &self,
        parts: Received,
        (actor, who): (&Actor, &Principal),
        id: &str,
        note: &str,
        job: &Arc<Job>,
    ) -> Result<Stored<TradeDataset>> {
        let Received {
            area,
            table,
            reader,
            blob,
        } = parts;
        let name = format!("{id}.csv");
        let (a, j) = (area.clone(), job.clone());
        let parsed = tokio::task::spawn_blocking(move || parse(&a, &table, reader, &name, &j))
            .await
            .map_err(|e| AppError::invalid("body", e.to_string()))?;
        let cache = match blob.await {
            Ok(csv) => parsed
                .and_then(|(stats, cache)| {
                    judge(&stats, job).inspect_err(|_| area.discard(&cache))?;
                    Ok(cache)
                })
                .inspect_err(|_| self.discard_upload(&csv)),
            Err(_) => parsed.and_then(|_| {
                Err(AppError::invalid(
                    "body",
                    "the upload was cut off before its end",
                ))
            }),
        };
        let target = format!("trade-dataset/{id}");
        let cache = self
            .audit_check(
                cache,
                actor,
                ("trade_dataset.register", &target),
                serde_json::json!({}),
            )
            .await?;
        job.set("comparing");
        let file = format!("upload:{}", cache.sha256);
        self.register_trade_file(actor, who, id, (cache.path(), &file), note)
            .await
    }
}

type Parsed = (osa_trade::ingest::baci::ScanStats, Blob);

/// Ingests the bytes from `reader` into a cache, kept in the area under its SHA-256.
fn parse(
    area: &Area,
    table: &CountryTable,
    reader: PipeReader,
    name: &str,
    job: &Job,
) -> Result<Parsed> {
    let scratch = area.scratch()?;
    let target = scratch.path().join("cache.parquet");
    let rows = osa_trade::ingest::cache::ROW_GROUP_ROWS;
    let stats = osa_trade::ingest::trade::ingest_reader(
        reader,
        std::path::Path::new(name),
        table,
        &target,
        (2, rows),
        &|n| {
            job.done.fetch_add(n, Ordering::Relaxed);
        },
    )
    .map_err(|e| AppError::invalid("body", format!("not a BACI CSV: {e}")))?;
    Ok((stats, area.adopt(&target)?))
}

impl CsvReceiver {
    /// The job's number.
    pub fn job(&self) -> u64 {
        self.job.id
    }

    /// Takes the next bytes of the body: kept and handed to the parser. Refused past
    /// [`MAX_TRADE_BYTES`], or once the parser has refused the file (with its reason).
    pub async fn write(&mut self, chunk: &[u8]) -> Result<()> {
        self.incoming.write(chunk)?;
        if self.pipe.send(chunk).await {
            return Ok(());
        }
        Err(AppError::invalid("body", self.why_stopped().await))
    }

    /// Why the parser stopped early: the job's reason once it has ended (waits up to 5 s).
    async fn why_stopped(&self) -> String {
        for _ in 0..250 {
            if let Some(e) = self.job.view().error {
                return e;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        format!("the ingest stopped early: job {} says why", self.job.id)
    }

    /// The body is whole: keeps it under its SHA-256 and lets the job finish.
    pub async fn finish(self) -> Result<JobView> {
        if self.incoming.is_empty() {
            return Err(AppError::invalid(
                "body",
                "the body is empty: send the CSV's bytes",
            ));
        }
        let incoming = self.incoming;
        let blob = tokio::task::spawn_blocking(move || incoming.finish())
            .await
            .map_err(|e| AppError::invalid("body", e.to_string()))??;
        let _ = self.blob.send(blob);
        self.pipe.end().await;
        Ok(self.job.view())
    }
}
