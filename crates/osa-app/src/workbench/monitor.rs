//! Continual monitoring (seed L960-1000, L3937-3940): registering a new data release of an
//! ecosystem (an ETO release or an osa ecosystem, already read and checked: an upload approved by a
//! reviewer, see `uploads`, or the operator's file through `osa release add`) stores it as the ecosystem's next snapshot and, in
//! the same transaction, records what it changes: new or lost chokepoints, top holders changing, a
//! holder's share moving by at least the threshold, HHI moving, and for every technology computed
//! on that ecosystem, computed levels changing and judged and computed levels starting (or
//! ceasing) to disagree. Each change links to its evidence (provision rows, formulas).

use super::{Workbench, kind};
use crate::Result;
use crate::ecosystem::DiffRequest;
use osa_io::Loaded;
use osa_store::Actor;
use osa_store::changes::NewChange;
use osa_store::docs::Put;
use osa_store::users::{Principal, Role};
use osa_view::assess::DossierView;
use serde::Serialize;

/// A data release to register.
#[derive(Debug, Clone)]
pub struct Release {
    /// The ecosystem it is a snapshot of (`semiconductors`, `eto-semiconductors`).
    pub ecosystem: String,
    /// Its label (`eto-2026`).
    pub label: String,
    /// Where it came from, as recorded (`upload SHA256`, or the operator's file).
    pub origin: String,
    /// Why (required).
    pub note: String,
}

/// What registering found.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ReleaseReport {
    /// The revision that stored it.
    pub revision: i64,
    /// The snapshot it follows (null for the first).
    pub previous: Option<String>,
    /// Inputs in the new snapshot.
    pub inputs: usize,
    /// Import warnings.
    pub warnings: Vec<String>,
    /// The changes recorded.
    pub changes: Vec<NewChangeView>,
}

/// A recorded change, as answered.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct NewChangeView {
    /// Subject.
    pub subject: String,
    /// Kind.
    pub kind: String,
    /// One line.
    pub title: String,
}

impl Workbench {
    /// Registers a data release, already read and checked, as the ecosystem's next snapshot
    /// (reviewers and above).
    pub async fn register_release(
        &self,
        actor: &Actor,
        who: &Principal,
        r: &Release,
        loaded: &Loaded,
        req: &DiffRequest,
    ) -> Result<ReleaseReport> {
        self.register_release_with(actor, who, (r, loaded), req, Vec::new())
            .await
    }

    /// The same, writing `extra` documents in the same revision (an approved upload's pending
    /// entry is removed with it).
    pub(crate) async fn register_release_with(
        &self,
        actor: &Actor,
        who: &Principal,
        (r, loaded): (&Release, &Loaded),
        req: &DiffRequest,
        extra: Vec<Put>,
    ) -> Result<ReleaseReport> {
        let target = format!("ecosystem/{}", r.ecosystem);
        self.require(actor, who, Role::Reviewer, "release.register", &target)
            .await?;
        super::records::check_key("ecosystem", &r.ecosystem)?;
        super::records::check_key("label", &r.label)?;
        let (prev_label, mut changes) = self.release_changes(r, loaded, req).await?;
        let inputs = loaded.checked.ecosystem().inputs.len();
        let body = osa_io::toml_eco::to_string(&loaded.checked);
        let meta = serde_json::json!({
            "ecosystem": r.ecosystem, "label": r.label, "origin": r.origin,
            "inputs": inputs, "previous": prev_label,
        });
        let mut puts = vec![
            Put {
                kind: kind::ECOSYSTEM.into(),
                key: r.ecosystem.clone(),
                body: Some(body),
                expected: None,
            },
            Put {
                kind: kind::SNAPSHOT.into(),
                key: format!("{}@{}", r.ecosystem, r.label),
                body: Some(meta.to_string()),
                expected: Some(0),
            },
        ];
        puts.extend(extra);
        let as_who = Actor {
            name: who.name.clone(),
            ..actor.clone()
        };
        changes.insert(
            0,
            release_change(&who.name, r, prev_label.as_deref(), &meta),
        );
        let notes = self.watchers().await?.notes(&who.name, &changes);
        let release = osa_store::changes::Release {
            action: "release.register",
            target: &target,
            note: &r.note,
            puts: &puts,
            notes: &notes,
            changes: &changes,
            detail: serde_json::json!({ "label": r.label, "meta": meta }),
        };
        let rev = self.store.write_release(&as_who, &release).await?;
        Ok(ReleaseReport {
            revision: rev.id,
            previous: prev_label,
            inputs,
            warnings: loaded.warnings.clone(),
            changes: changes
                .iter()
                .map(|c| NewChangeView {
                    subject: c.subject.clone(),
                    kind: c.kind.clone(),
                    title: c.title.clone(),
                })
                .collect(),
        })
    }

    /// The snapshot a release follows and what it changes against it.
    async fn release_changes(
        &self,
        r: &Release,
        loaded: &Loaded,
        req: &DiffRequest,
    ) -> Result<(Option<String>, Vec<NewChange>)> {
        let head = self.store.head().await?;
        let previous = match self.store.doc(kind::ECOSYSTEM, &r.ecosystem, head).await? {
            Some(_) => Some(self.ecosystem_at(&r.ecosystem, head).await?),
            None => None,
        };
        let prev_label = self.latest_snapshot_label(&r.ecosystem, head).await?;
        let mut changes = Vec::new();
        if let Some(old) = &previous {
            let labels = (
                prev_label.as_deref().unwrap_or("previous"),
                r.label.as_str(),
            );
            let v = crate::ecosystem::diff_view(old, loaded, labels, req)?;
            changes.extend(ecosystem_changes(&r.ecosystem, &v));
            changes.extend(
                self.computed_changes(head, &r.ecosystem, old, loaded)
                    .await?,
            );
        }
        Ok((prev_label, changes))
    }

    async fn latest_snapshot_label(&self, ecosystem: &str, rev: i64) -> Result<Option<String>> {
        let prefix = format!("{ecosystem}@");
        let mut best: Option<(i64, String)> = None;
        for d in self.store.docs(kind::SNAPSHOT, rev).await? {
            if let Some(label) = d.key.strip_prefix(&prefix)
                && best.as_ref().is_none_or(|(v, _)| d.version > *v)
            {
                best = Some((d.version, label.to_string()));
            }
        }
        Ok(best.map(|(_, l)| l))
    }

    /// Computed levels of the technologies on `ecosystem`, before and after.
    async fn computed_changes(
        &self,
        rev: i64,
        ecosystem: &str,
        old: &Loaded,
        new: &Loaded,
    ) -> Result<Vec<NewChange>> {
        let b = self.baseline_at(rev).await?;
        let mut out = Vec::new();
        for t in b
            .technologies
            .iter()
            .filter(|t| t.ecosystem.as_deref() == Some(ecosystem))
        {
            let dossier_on = |l: &Loaded| -> Result<DossierView> {
                let opts = crate::assess::DossierOptions {
                    year: crate::baseline::current_year(),
                    ..Default::default()
                };
                let load = |_: &str| {
                    Ok(crate::Answer::new(Loaded {
                        checked: l.checked.clone(),
                        origin: l.origin.clone(),
                        warnings: Vec::new(),
                    }))
                };
                Ok(crate::assess::dossier_view(&b, &t.id, &opts, &load)?.value)
            };
            let (before, after) = (dossier_on(old)?, dossier_on(new)?);
            out.extend(level_changes(&t.id, &before, &after));
        }
        Ok(out)
    }
}

pub(crate) fn ecosystem_changes(ecosystem: &str, v: &osa_view::diff::DiffView) -> Vec<NewChange> {
    let subject = format!("ecosystem/{ecosystem}");
    let mut out = Vec::new();
    for row in v.inputs.iter().filter(|r| r.changed) {
        for c in &row.changes {
            let kind = match c.kind {
                "new_chokepoint" => "chokepoint_new",
                "lost_chokepoint" => "chokepoint_lost",
                "share" => "share_moved",
                "top_holder" => "top_holder_changed",
                other => other,
            };
            out.push(NewChange {
                subject: subject.clone(),
                kind: kind.into(),
                title: release_words(&row.name, c),
                detail: serde_json::json!({ "input": row.id, "change": c, "snapshots": [v.old.source, v.new.source] }),
                topics: vec![format!("input/{}", row.id)],
                link: format!("/ecosystems/{ecosystem}/inputs/{}", row.id),
                ..NewChange::default()
            });
        }
    }
    out
}

/// A release's own change-log entry: who registered which snapshot, after which, and why.
fn release_change(
    who: &str,
    r: &Release,
    previous: Option<&str>,
    meta: &serde_json::Value,
) -> NewChange {
    NewChange {
        subject: format!("ecosystem/{}", r.ecosystem),
        kind: "release_new".into(),
        title: format!(
            "{who} registered the release {} of the ecosystem {}{}: {}",
            r.label,
            r.ecosystem,
            previous
                .map(|p| format!(" (after {p})"))
                .unwrap_or_default(),
            r.note
        ),
        detail: meta.clone(),
        link: format!("/ecosystems/{}", r.ecosystem),
        ..NewChange::default()
    }
}

/// One change of a data release in words: `Gallium: the EU27's share moved from 95% to 69%`.
fn release_words(input: &str, c: &osa_view::diff::ChangeView) -> String {
    let show = |r: &osa_view::diff::ReadingView| match (&r.place, r.value) {
        (Some(p), Some(x)) => format!("{p} ({:.0}%)", x * 100.0),
        (Some(p), None) => p.clone(),
        (None, Some(x)) if c.kind == "hhi" => format!("{x:.2}"),
        (None, Some(x)) => format!("{:.0}%", x * 100.0),
        (None, None) => "none".into(),
    };
    let holder = c.holder.as_deref().unwrap_or("a holder");
    let (b, a) = (show(&c.before), show(&c.after));
    match c.kind {
        "share" => format!("{input}: {holder}'s share moved from {b} to {a}"),
        "top_holder" => format!("{input}: the top holder changed from {b} to {a}"),
        "hhi" => format!("{input}: the concentration (HHI) moved from {b} to {a}"),
        "new_chokepoint" => format!("{input} became a chokepoint held by {holder} ({a})"),
        "lost_chokepoint" => {
            format!("{input} is no longer a chokepoint held by {holder} (was {b})")
        }
        "coverage" => format!("{input}: the data's coverage changed from {b} to {a}"),
        other => format!("{input}: {} from {b} to {a}", other.replace('_', " ")),
    }
}

fn level_changes(tech: &str, before: &DossierView, after: &DossierView) -> Vec<NewChange> {
    let subject = format!("technology/{tech}");
    let mut out = Vec::new();
    for (dim, a) in &after.dimensions {
        let Some(b) = before.dimensions.get(dim) else {
            continue;
        };
        let (lb, la) = (
            b.computed.as_ref().map(|c| c.level),
            a.computed.as_ref().map(|c| c.level),
        );
        if lb != la {
            out.push(NewChange {
                subject: subject.clone(),
                kind: "computed_level_changed".into(),
                title: format!(
                    "{}, {}: the computed level moved from {} to {}",
                    after.name,
                    dim.replace('_', " "),
                    lb.map_or("none".into(), |l| l.to_string()),
                    la.map_or("none".into(), |l| l.to_string())
                ),
                detail: serde_json::json!({ "dimension": dim, "before": b.computed, "after": a.computed }),
                link: format!("/tech/{tech}/{dim}/history"),
                topics: vec![format!("dimension/{dim}")],
                ..NewChange::default()
            });
        }
        if b.agreement != a.agreement && (a.agreement == "disagree" || b.agreement == "disagree") {
            let kind = if a.agreement == "disagree" {
                "judged_computed_disagree"
            } else {
                "judged_computed_agree"
            };
            out.push(NewChange {
                subject: subject.clone(),
                kind: kind.into(),
                title: format!(
                    "{}, {}: the judged and computed levels now {}",
                    after.name,
                    dim.replace('_', " "),
                    a.agreement
                ),
                detail: serde_json::json!({ "dimension": dim, "judged": a.judged.level, "computed": la }),
                link: format!("/tech/{tech}/{dim}/history"),
                topics: vec![format!("dimension/{dim}")],
                ..NewChange::default()
            });
        }
    }
    out
}
