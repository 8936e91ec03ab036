//! The upload area's sweep: blobs nothing refers to and older than a day are removed (at start
//! and then every hour, by the server). Referred to are the caches of every version of every
//! registered trade dataset, the uploads pending review as releases and the uploads that running
//! jobs read. A refused upload is removed at once (see `uploads`, `ingest`); an upload never used
//! is removed by the sweep.

use super::Workbench;
use super::trade::TradeDataset;
use super::uploads::PENDING;
use crate::Result;
use std::collections::HashSet;
use std::time::Duration;

/// Unreferenced blobs are kept this long (time to name them in a request).
pub const SWEEP_AGE: Duration = Duration::from_secs(24 * 3600);

impl Workbench {
    /// Removes the unreferenced blobs older than `age`; answers how many (none without an area).
    pub async fn sweep_uploads(&self, age: Duration) -> Result<usize> {
        let Ok(area) = self.uploads() else {
            return Ok(0);
        };
        let keep = self.referenced_uploads().await?;
        let area = area.clone();
        tokio::task::spawn_blocking(move || area.sweep(&keep, age))
            .await
            .map_err(|e| crate::AppError::data("the upload sweep", e))
    }

    /// Removes an upload that was refused, unless a running job reads the same bytes.
    pub fn discard_upload(&self, blob: &crate::intake::Blob) {
        let in_use = match self.jobs.lock() {
            Ok(j) => j.in_use().contains(&blob.sha256),
            Err(_) => true,
        };
        if let (Ok(area), false) = (self.uploads(), in_use) {
            area.discard(blob);
        }
    }

    /// Every upload a record or a running job refers to.
    async fn referenced_uploads(&self) -> Result<HashSet<String>> {
        let head = self.store.head().await?;
        let mut keep = HashSet::new();
        for (key, _) in self.store.keys(super::trade::kind::DATASET, head).await? {
            for (doc, _) in self
                .store
                .versions(super::trade::kind::DATASET, &key)
                .await?
            {
                if let Ok(ds) = serde_json::from_str::<TradeDataset>(&doc.body)
                    && let Some(sha) = ds.file.strip_prefix("upload:")
                {
                    keep.insert(sha.to_string());
                }
            }
        }
        for (key, _) in self.store.keys(PENDING, head).await? {
            keep.insert(key);
        }
        if let Ok(jobs) = self.jobs.lock() {
            keep.extend(jobs.in_use());
        }
        Ok(keep)
    }
}
