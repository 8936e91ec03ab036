//! A data release uploaded as bytes. An analyst (or anyone above) uploads an ETO release (.zip or
//! .tar.gz of its folder) or an osa ecosystem (TOML): the bytes are kept in the upload area under
//! their SHA-256, unpacked into a fresh temporary folder and validated whole, and the upload is
//! recorded as pending (`release-upload/<sha256>`). A reviewer other than the uploader approves
//! it: it is read again from the area and registered as the ecosystem's next snapshot (`monitor`)
//! in the same revision that removes the pending entry. Nothing a client sends is a path.

use super::Workbench;
use super::monitor::{Release, ReleaseReport};
use super::records::check_key;
use crate::ecosystem::DiffRequest;
use crate::intake::{Area, Blob, Unpacked};
use crate::{AppError, Result};
use osa_store::Actor;
use osa_store::docs::Put;
use osa_store::users::{Principal, Role};
use serde::{Deserialize, Serialize};

/// The kind of a pending upload's document.
pub const PENDING: &str = "release-upload";

/// What an uploaded release is for, as the uploader says.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ReleaseMeta {
    /// The ecosystem it is a snapshot of (`eto-semiconductors`).
    pub ecosystem: String,
    /// Its label (`eto-2026`).
    pub label: String,
    /// Why (required).
    pub note: String,
}

/// An uploaded release waiting for a reviewer.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PendingRelease {
    /// The SHA-256 of the uploaded bytes: the upload's only name.
    pub upload: String,
    /// What it is for.
    #[serde(flatten)]
    pub meta: ReleaseMeta,
    /// `eto-zip`, `eto-tar-gz` or `osa-toml`.
    pub format: String,
    /// Size of the upload.
    pub bytes: u64,
    /// Inputs in the ecosystem it holds.
    pub inputs: usize,
    /// Import warnings.
    pub warnings: Vec<String>,
    /// Who uploaded it.
    pub by: String,
}

fn check_meta(m: &ReleaseMeta) -> Result<()> {
    check_key("ecosystem", &m.ecosystem)?;
    check_key("label", &m.label)?;
    if m.note.trim().is_empty() {
        return Err(AppError::invalid("note", "say why (a note is required)"));
    }
    Ok(())
}

/// Unpacks and validates an accepted upload (blocking work, off the async threads).
async fn validate(area: &Area, blob: &Blob) -> Result<Unpacked> {
    let (area, blob) = (area.clone(), blob.clone());
    tokio::task::spawn_blocking(move || {
        let scratch = area.scratch()?;
        crate::intake::unpack_release(&blob, scratch.path())
    })
    .await
    .map_err(|e| AppError::invalid("body", e.to_string()))?
}

impl Workbench {
    /// Records an uploaded release, validated whole, as pending review (analysts and above). The
    /// upload stays in the area under its SHA-256 (an identical upload is kept once).
    pub async fn stage_release(
        &self,
        actor: &Actor,
        who: &Principal,
        meta: &ReleaseMeta,
        blob: &Blob,
    ) -> Result<PendingRelease> {
        let target = format!("ecosystem/{}", meta.ecosystem);
        self.require(actor, who, Role::Analyst, "release.upload", &target)
            .await?;
        let checked = check_meta(meta);
        self.audit_check(
            checked,
            actor,
            ("release.upload", &target),
            serde_json::json!({}),
        )
        .await?;
        let area = self.uploads()?;
        let detail = serde_json::json!({ "upload": blob.sha256, "bytes": blob.bytes });
        let unpacked = validate(area, blob).await;
        let unpacked = self
            .audit_check(unpacked, actor, ("release.upload", &target), detail)
            .await?;
        let pending = PendingRelease {
            upload: blob.sha256.clone(),
            meta: meta.clone(),
            format: unpacked.format.into(),
            bytes: blob.bytes,
            inputs: unpacked.loaded.checked.ecosystem().inputs.len(),
            warnings: unpacked.loaded.warnings.clone(),
            by: who.name.clone(),
        };
        let body = serde_json::to_string(&pending).map_err(|e| AppError::data("the upload", e))?;
        let put = Put {
            kind: PENDING.into(),
            key: blob.sha256.clone(),
            body: Some(body),
            expected: Some(0),
        };
        let as_who = Actor {
            name: who.name.clone(),
            ..actor.clone()
        };
        self.store
            .write_revision(&as_who, "release.upload", &meta.note, &[put])
            .await?;
        Ok(pending)
    }

    /// The uploaded releases waiting for a reviewer, as of an as-of.
    pub async fn pending_releases(&self, as_of: Option<&str>) -> Result<Vec<PendingRelease>> {
        let rev = self.revision_of(as_of).await?;
        self.store
            .docs(PENDING, rev)
            .await?
            .into_iter()
            .map(|d| serde_json::from_str(&d.body).map_err(|e| AppError::data("an upload", e)))
            .collect()
    }

    /// Approves an uploaded release (a reviewer other than the uploader): reads it again from the
    /// upload area, validates it and registers it as the ecosystem's next snapshot.
    pub async fn approve_release(
        &self,
        actor: &Actor,
        who: &Principal,
        upload: &str,
        req: &DiffRequest,
    ) -> Result<ReleaseReport> {
        let target = format!("release-upload/{upload}");
        self.require(actor, who, Role::Reviewer, "release.register", &target)
            .await?;
        if !crate::intake::is_digest(upload) {
            return Err(AppError::invalid("upload", "not a SHA-256 in hex"));
        }
        let head = self.store.head().await?;
        let doc = self
            .store
            .doc(PENDING, upload, head)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("no pending upload {upload}")))?;
        let p: PendingRelease =
            serde_json::from_str(&doc.body).map_err(|e| AppError::data("an upload", e))?;
        if p.by == who.name {
            let refused: Result<()> = Err(AppError::Forbidden(format!(
                "four eyes: {} uploaded this release; another reviewer approves it",
                who.name
            )));
            self.audit_check(
                refused,
                actor,
                ("release.register", &target),
                serde_json::json!({}),
            )
            .await?;
        }
        let area = self.uploads()?;
        let unpacked = validate(area, &area.blob(upload)?).await?;
        let release = Release {
            ecosystem: p.meta.ecosystem.clone(),
            label: p.meta.label.clone(),
            origin: format!("upload {upload} by {}", p.by),
            note: p.meta.note.clone(),
        };
        let done = Put {
            kind: PENDING.into(),
            key: upload.into(),
            body: None,
            expected: Some(doc.version),
        };
        self.register_release_with(actor, who, (&release, &unpacked.loaded), req, vec![done])
            .await
    }
}
