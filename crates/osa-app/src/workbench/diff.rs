//! What changed in the record between two revisions, in the analyst's terms: matrix cells (level,
//! rationale, evidence added or removed), toolkit instruments and rules, and any other document,
//! each with the revisions that changed it (author, reviewer, note, time).

use super::{Workbench, kind};
use crate::Result;
use osa_assess::{Dimension, Technology};
use osa_store::docs::Revision;
use osa_store::users::Principal;
use serde::Serialize;
use std::collections::BTreeSet;

/// A cell's state on one side of a diff.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CellState {
    /// Level 0-4, or null where silent.
    pub level: Option<u8>,
    /// Whether the report is silent.
    pub silent: bool,
    /// The rationale.
    pub rationale: String,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DiffItem {
    /// A matrix cell.
    Cell {
        /// Technology id.
        technology: String,
        /// Dimension id.
        dimension: &'static str,
        /// Before (null: the technology did not exist).
        before: Option<CellState>,
        /// After (null: the technology was removed).
        after: Option<CellState>,
        /// Evidence added (`text`, `source`).
        evidence_added: Vec<(String, String)>,
        /// Evidence removed.
        evidence_removed: Vec<(String, String)>,
        /// Revisions that changed the technology's file in the range.
        revisions: Vec<Revision>,
    },
    /// A toolkit instrument or rule.
    Toolkit {
        /// `instrument` or `rule`.
        item: &'static str,
        /// Its id.
        id: String,
        /// `added`, `removed` or `changed`.
        change: &'static str,
        /// Revisions that changed the toolkit in the range.
        revisions: Vec<Revision>,
    },
    /// An ecosystem's new snapshot: what changed in it (shares, top holders, HHI, chokepoints).
    Ecosystem {
        /// The ecosystem.
        name: String,
        /// One line per change beyond the monitoring thresholds.
        changes: Vec<String>,
        /// Revisions that wrote it in the range.
        revisions: Vec<Revision>,
    },
    /// Any other document.
    Document {
        /// Kind.
        kind: String,
        /// Key.
        key: String,
        /// `added`, `removed` or `changed`.
        change: &'static str,
        /// Revisions that wrote it in the range.
        revisions: Vec<Revision>,
    },
}

/// The diff between two revisions.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RecordDiff {
    /// From this revision (exclusive).
    pub from: i64,
    /// To this revision (inclusive).
    pub to: i64,
    /// The changes.
    pub changes: Vec<DiffItem>,
}

impl Workbench {
    /// What changed after `from` up to `to` (as-of arguments; `to` defaults to the latest).
    pub async fn diff(&self, from: Option<&str>, to: Option<&str>) -> Result<RecordDiff> {
        let from = self.revision_of(from).await?;
        let to = self.revision_of(to).await?;
        let (lo, hi) = (from.min(to), from.max(to));
        let revs = self.store.revisions_between(lo, hi).await?;
        let writes = self.store.writes_between(lo, hi).await?;
        let docs: BTreeSet<(String, String)> = writes
            .iter()
            .map(|(k, key, _)| (k.clone(), key.clone()))
            .collect();
        let mut changes = Vec::new();
        for (k, key) in docs {
            let touched: Vec<Revision> = writes
                .iter()
                .filter(|(wk, wkey, _)| *wk == k && *wkey == key)
                .filter_map(|(_, _, r)| revs.iter().find(|x| x.id == *r).cloned())
                .collect();
            let before = self.store.doc(&k, &key, lo).await?.map(|d| d.body);
            let after = self.store.doc(&k, &key, hi).await?.map(|d| d.body);
            if before == after {
                continue;
            }
            changes.extend(items(
                &k,
                &key,
                before.as_deref(),
                after.as_deref(),
                &touched,
            ));
        }
        Ok(RecordDiff {
            from: lo,
            to: hi,
            changes,
        })
    }
}

impl Workbench {
    /// The diff as `who` may see it: other users' watchlists left out (see
    /// [`super::records::readable_by`]).
    pub async fn diff_for(
        &self,
        who: &Principal,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<RecordDiff> {
        let mut d = self.diff(from, to).await?;
        d.changes.retain(|c| match c {
            DiffItem::Document { kind, key, .. } => super::records::readable_by(kind, key, who),
            _ => true,
        });
        Ok(d)
    }
}

fn items(
    k: &str,
    key: &str,
    before: Option<&str>,
    after: Option<&str>,
    revs: &[Revision],
) -> Vec<DiffItem> {
    let change = match (before, after) {
        (None, _) => "added",
        (_, None) => "removed",
        _ => "changed",
    };
    let fallback = || {
        vec![DiffItem::Document {
            kind: k.into(),
            key: key.into(),
            change,
            revisions: revs.to_vec(),
        }]
    };
    if k == kind::BASELINE && key.starts_with("cases/") {
        let parse =
            |t: Option<&str>| t.and_then(|t| osa_io::baseline::parse_technology(t, key, None).ok());
        let (b, a) = (parse(before), parse(after));
        if b.is_none() && a.is_none() {
            return fallback();
        }
        let v = cell_items(b.as_ref(), a.as_ref(), revs);
        return if v.is_empty() { fallback() } else { v };
    }
    if k == kind::ECOSYSTEM
        && let (Some(b), Some(a)) = (before, after)
        && let Some(changes) = ecosystem_changes(key, b, a)
    {
        return vec![DiffItem::Ecosystem {
            name: key.into(),
            changes,
            revisions: revs.to_vec(),
        }];
    }
    if k == kind::BASELINE && key == "toolkit.toml" {
        let parse = |t: Option<&str>| t.and_then(|t| osa_io::baseline::parse_toolkit(t, key).ok());
        if let (Some(b), Some(a)) = (parse(before), parse(after)) {
            let v = toolkit_items(&b, &a, revs);
            return if v.is_empty() { fallback() } else { v };
        }
    }
    fallback()
}

fn cell_items(b: Option<&Technology>, a: Option<&Technology>, revs: &[Revision]) -> Vec<DiffItem> {
    let id = a.or(b).map(|t| t.id.clone()).unwrap_or_default();
    let state = |t: Option<&Technology>, d: Dimension| {
        t.map(|t| {
            let j = t.judged(d);
            CellState {
                level: j.level.map(|l| l.value()),
                silent: j.is_silent(),
                rationale: j.rationale.clone(),
            }
        })
    };
    let evidence = |t: Option<&Technology>, d: Dimension| -> BTreeSet<(String, String)> {
        t.map(|t| {
            t.judged(d)
                .evidence
                .iter()
                .map(|e| (e.text.clone(), e.source.to_string()))
                .collect()
        })
        .unwrap_or_default()
    };
    let mut out = Vec::new();
    for d in Dimension::ALL {
        let (sb, sa) = (state(b, d), state(a, d));
        let (eb, ea) = (evidence(b, d), evidence(a, d));
        if sb == sa && eb == ea {
            continue;
        }
        out.push(DiffItem::Cell {
            technology: id.clone(),
            dimension: d.id(),
            before: sb,
            after: sa,
            evidence_added: ea.difference(&eb).cloned().collect(),
            evidence_removed: eb.difference(&ea).cloned().collect(),
            revisions: revs.to_vec(),
        });
    }
    out
}

fn toolkit_items(
    b: &osa_assess::Toolkit,
    a: &osa_assess::Toolkit,
    revs: &[Revision],
) -> Vec<DiffItem> {
    let mut out = Vec::new();
    let mut push = |item: &'static str, id: &str, change: &'static str| {
        out.push(DiffItem::Toolkit {
            item,
            id: id.into(),
            change,
            revisions: revs.to_vec(),
        });
    };
    for i in &a.instruments {
        match b.instruments.iter().find(|x| x.id == i.id) {
            None => push("instrument", &i.id, "added"),
            Some(x) if x != i => push("instrument", &i.id, "changed"),
            _ => {}
        }
    }
    for x in b
        .instruments
        .iter()
        .filter(|x| !a.instruments.iter().any(|i| i.id == x.id))
    {
        push("instrument", &x.id, "removed");
    }
    for r in &a.rules {
        match b.rules.iter().find(|x| x.id == r.id) {
            None => push("rule", &r.id, "added"),
            Some(x) if x != r => push("rule", &r.id, "changed"),
            _ => {}
        }
    }
    for x in b
        .rules
        .iter()
        .filter(|x| !a.rules.iter().any(|r| r.id == x.id))
    {
        push("rule", &x.id, "removed");
    }
    out
}

/// The changes between two stored versions of an ecosystem, as monitoring words them.
fn ecosystem_changes(name: &str, before: &str, after: &str) -> Option<Vec<String>> {
    let load = |t: &str| {
        osa_io::toml_eco::parse(t, name)
            .ok()
            .map(|checked| osa_io::Loaded {
                checked,
                origin: osa_io::Origin::File(name.into()),
                warnings: Vec::new(),
            })
    };
    let (b, a) = (load(before)?, load(after)?);
    let req = crate::ecosystem::DiffRequest {
        holders: Vec::new(),
        bloc_definitions: Vec::new(),
        thresholds: crate::ecosystem::Thresholds::default(),
        old_year: None,
        new_year: None,
    };
    let v = crate::ecosystem::diff_view(&b, &a, ("before", "after"), &req).ok()?;
    Some(
        super::monitor::ecosystem_changes(name, &v)
            .into_iter()
            .map(|c| c.title)
            .collect(),
    )
}
