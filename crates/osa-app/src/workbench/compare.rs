//! What changed in the published matrix and dossiers between two dates or revisions, in words:
//! each matrix cell's level before and after with its evidence added and removed, each
//! technology's step-4 priority and instrument ranking, and the other documents, each with who
//! proposed it, who approved it and why (from the record's proposals and revisions). The use case
//! behind `/changes/compare` and `osa diff --record`.

use super::diff::{CellState, DiffItem};
use super::{Workbench, kind};
use crate::Result;
use osa_assess::Dimension;
use osa_store::docs::Revision;
use osa_store::users::Principal;
use osa_view::assess::DossierView;
use serde::Serialize;
use std::collections::BTreeSet;

/// Who changed something, when and why.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Why {
    /// The revision that published it.
    pub revision: i64,
    /// When.
    pub at: String,
    /// Who proposed it (the revision's author).
    pub proposed_by: String,
    /// Who approved it (null: written without review, e.g. an import).
    pub approved_by: Option<String>,
    /// The proposal, where it went through review.
    pub proposal: Option<i64>,
    /// Why: the proposal's or the revision's note.
    pub rationale: String,
    /// The reviewer's comment, if any.
    pub review_comment: Option<String>,
}

/// A matrix cell that changed.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CellChange {
    /// Technology id.
    pub technology: String,
    /// Technology name.
    pub name: String,
    /// Dimension id.
    pub dimension: &'static str,
    /// The level before (null: silent or absent).
    pub before: Option<u8>,
    /// The level after.
    pub after: Option<u8>,
    /// The cell's rationale before.
    pub rationale_before: Option<String>,
    /// The cell's rationale after.
    pub rationale_after: Option<String>,
    /// Evidence added (`text (source)`).
    pub evidence_added: Vec<String>,
    /// Evidence removed.
    pub evidence_removed: Vec<String>,
    /// The revisions that changed this cell.
    pub why: Vec<Why>,
    /// One sentence.
    pub text: String,
}

/// A technology whose step 4 changed: its priority dimension or its instrument ranking.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Step4Change {
    /// Technology id.
    pub technology: String,
    /// Technology name.
    pub name: String,
    /// The priority dimension before (null: none).
    pub priority_before: Option<&'static str>,
    /// The priority dimension after.
    pub priority_after: Option<&'static str>,
    /// Instrument ids in rank order before.
    pub ranking_before: Vec<String>,
    /// Instrument ids in rank order after.
    pub ranking_after: Vec<String>,
    /// The changes, one sentence each.
    pub lines: Vec<String>,
    /// The revisions in the range that wrote what the dossier rests on.
    pub why: Vec<Why>,
}

/// Another document that changed (toolkit, ecosystem, ...), in words.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OtherChange {
    /// One sentence.
    pub text: String,
    /// Who and why.
    pub why: Vec<Why>,
}

/// What changed between two revisions, in words.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Comparison {
    /// From this revision (its state is "before").
    pub from: i64,
    /// Its date and time.
    pub from_at: String,
    /// To this revision (its state is "after").
    pub to: i64,
    /// Its date and time.
    pub to_at: String,
    /// Matrix cells.
    pub cells: Vec<CellChange>,
    /// Step 4 per technology.
    pub step4: Vec<Step4Change>,
    /// Other documents.
    pub other: Vec<OtherChange>,
}

impl Comparison {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty() && self.step4.is_empty() && self.other.is_empty()
    }

    /// The comparison as text (Markdown headings and bullets when `md`).
    pub fn render_text(&self, md: bool) -> String {
        let (h, b) = if md { ("## ", "- ") } else { ("", "  ") };
        let mut s = format!(
            "{}What changed from r{} ({}) to r{} ({})\n",
            if md { "# " } else { "" },
            self.from,
            minute(&self.from_at),
            self.to,
            minute(&self.to_at)
        );
        if self.is_empty() {
            s.push_str("\nNothing published changed.\n");
        }
        let mut section = |title: &str, items: Vec<(String, Vec<String>)>| {
            if items.is_empty() {
                return;
            }
            s.push_str(&format!("\n{h}{title}\n"));
            for (head, lines) in items {
                s.push_str(&format!("{b}{head}\n"));
                for l in lines {
                    s.push_str(&format!("{b}  {l}\n"));
                }
            }
        };
        section("Matrix cells", self.cells.iter().map(cell_lines).collect());
        section(
            "Step 4: priority and instruments",
            self.step4
                .iter()
                .map(|c| {
                    let mut l = c.lines.clone();
                    l.extend(c.why.iter().map(why_words));
                    (c.name.clone(), l)
                })
                .collect(),
        );
        section(
            "Other documents",
            self.other
                .iter()
                .map(|o| (o.text.clone(), o.why.iter().map(why_words).collect()))
                .collect(),
        );
        s
    }
}

/// A cell's sentence and its details.
fn cell_lines(c: &CellChange) -> (String, Vec<String>) {
    let mut l = Vec::new();
    if c.rationale_before != c.rationale_after
        && let Some(r) = &c.rationale_after
    {
        l.push(format!("rationale now: {r}"));
    }
    l.extend(
        c.evidence_added
            .iter()
            .map(|e| format!("evidence added: {e}")),
    );
    l.extend(
        c.evidence_removed
            .iter()
            .map(|e| format!("evidence removed: {e}")),
    );
    l.extend(
        c.why
            .iter()
            .take(c.why.len().saturating_sub(1))
            .map(why_words),
    );
    (c.text.clone(), l)
}

/// A timestamp to the minute, in UTC.
fn minute(at: &str) -> String {
    at.get(..16).map_or_else(
        || at.to_string(),
        |m| format!("{} UTC", m.replace('T', " ")),
    )
}

impl Workbench {
    /// What changed from `from` to `to` (as-of arguments: a date or `rN`; `to` defaults to the
    /// latest revision), as `who` may see it.
    pub async fn compare(
        &self,
        who: &Principal,
        from: &str,
        to: Option<&str>,
    ) -> Result<Comparison> {
        let d = self.diff_for(who, Some(from), to).await?;
        let (lo, hi) = (d.from, d.to);
        let mut out = Comparison {
            from: lo,
            from_at: self.revision_at(lo).await?,
            to: hi,
            to_at: self.revision_at(hi).await?,
            cells: Vec::new(),
            step4: Vec::new(),
            other: Vec::new(),
        };
        let names = self.technology_names(lo, hi).await?;
        for item in d.changes {
            self.word_item(item, &names, &mut out).await?;
        }
        if lo < hi {
            out.step4 = self.step4_changes(lo, hi, &names).await?;
        }
        Ok(out)
    }

    async fn revision_at(&self, rev: i64) -> Result<String> {
        Ok(self
            .store
            .revision(rev)
            .await?
            .map(|r| r.at)
            .unwrap_or_default())
    }

    /// (id, name) of every technology at either revision.
    async fn technology_names(&self, lo: i64, hi: i64) -> Result<Vec<(String, String)>> {
        let mut v: Vec<(String, String)> = Vec::new();
        for rev in [hi, lo] {
            for t in &self.baseline_at(rev).await?.technologies {
                if !v.iter().any(|(id, _)| *id == t.id) {
                    v.push((t.id.clone(), t.name.clone()));
                }
            }
        }
        Ok(v)
    }

    /// Puts one item of the diff into words.
    async fn word_item(
        &self,
        item: DiffItem,
        names: &[(String, String)],
        out: &mut Comparison,
    ) -> Result<()> {
        match item {
            DiffItem::Cell {
                technology,
                dimension,
                before,
                after,
                evidence_added,
                evidence_removed,
                revisions,
            } => {
                let why = self.cell_why(&technology, dimension, &revisions).await?;
                out.cells.push(cell_change(
                    name_of(names, &technology),
                    technology,
                    dimension,
                    (before, after),
                    (evidence_added, evidence_removed),
                    why,
                ));
            }
            DiffItem::Toolkit {
                item,
                id,
                change,
                revisions,
            } => out.other.push(OtherChange {
                text: format!("toolkit {item} `{id}` {change}"),
                why: self.whys(&revisions).await?,
            }),
            DiffItem::Ecosystem {
                name,
                changes,
                revisions,
            } => out.other.push(OtherChange {
                text: format!("ecosystem {name}: a new snapshot; {}", changes.join("; ")),
                why: self.whys(&revisions).await?,
            }),
            DiffItem::Document {
                kind,
                key,
                change,
                revisions,
            } => out.other.push(OtherChange {
                text: format!("{kind} {key} {change}"),
                why: self.whys(&revisions).await?,
            }),
        }
        Ok(())
    }

    /// Who and why for each revision, with the proposal's reviewer comment.
    async fn whys(&self, revs: &[Revision]) -> Result<Vec<Why>> {
        let mut v = Vec::with_capacity(revs.len());
        for r in revs {
            let comment = match r.proposal_id {
                Some(p) => self
                    .store
                    .proposal(p)
                    .await
                    .ok()
                    .and_then(|p| p.review_comment),
                None => None,
            };
            v.push(Why {
                revision: r.id,
                at: r.at.clone(),
                proposed_by: r.author.clone(),
                approved_by: r.reviewer.clone(),
                proposal: r.proposal_id,
                rationale: r.note.clone(),
                review_comment: comment.filter(|c| !c.trim().is_empty()),
            });
        }
        Ok(v)
    }

    /// The revisions among `revs` (which wrote the technology's file) that changed this cell.
    async fn cell_why(&self, id: &str, dimension: &str, revs: &[Revision]) -> Result<Vec<Why>> {
        let Ok(dim) = dimension.parse::<Dimension>() else {
            return self.whys(revs).await;
        };
        let mut changed = Vec::new();
        for r in revs {
            let key_at = |rev: i64| async move {
                let keys = self.case_keys(rev).await?;
                Ok::<_, crate::AppError>(keys.get(id).cloned())
            };
            let key = match key_at(r.id).await? {
                Some(k) => Some(k),
                None => key_at(r.id - 1).await?,
            };
            let Some(key) = key else { continue };
            let cell = |body: Option<String>| {
                body.and_then(|b| osa_io::baseline::parse_technology(&b, &key, None).ok())
                    .map(|t| {
                        let j = t.judged(dim);
                        (
                            j.level.map(|l| l.value()),
                            j.rationale.clone(),
                            j.evidence.len(),
                        )
                    })
            };
            let before = self.store.doc(kind::BASELINE, &key, r.id - 1).await?;
            let after = self.store.doc(kind::BASELINE, &key, r.id).await?;
            if cell(before.map(|d| d.body)) != cell(after.map(|d| d.body)) {
                changed.push(r.clone());
            }
        }
        self.whys(if changed.is_empty() { revs } else { &changed })
            .await
    }

    /// Step 4 of every technology at both revisions, where it differs.
    async fn step4_changes(
        &self,
        lo: i64,
        hi: i64,
        names: &[(String, String)],
    ) -> Result<Vec<Step4Change>> {
        let writes = self.store.writes_between(lo, hi).await?;
        let assessed =
            |(k, _, _): &&(String, String, i64)| k == kind::BASELINE || k == kind::ECOSYSTEM;
        if !writes.iter().any(|w| assessed(&w)) {
            return Ok(Vec::new());
        }
        let revs = self.store.revisions_between(lo, hi).await?;
        let mut out = Vec::new();
        for (id, name) in names {
            let before = self.step4_at(id, lo).await;
            let after = self.step4_at(id, hi).await;
            let (Some(b), Some(a)) = (before, after) else {
                continue;
            };
            let lines = step4_lines(&b, &a);
            if lines.is_empty() {
                continue;
            }
            let touched = self.step4_revisions(id, &a, &writes, &revs, hi).await?;
            out.push(Step4Change {
                technology: id.clone(),
                name: name.clone(),
                priority_before: b.priority.dimension,
                priority_after: a.priority.dimension,
                ranking_before: b.instruments.iter().map(|i| i.id.clone()).collect(),
                ranking_after: a.instruments.iter().map(|i| i.id.clone()).collect(),
                lines,
                why: self.whys(&touched).await?,
            });
        }
        Ok(out)
    }

    /// A technology's dossier at `rev`, if it exists there and assesses.
    async fn step4_at(&self, id: &str, rev: i64) -> Option<DossierView> {
        self.dossier(id, Some(&format!("r{rev}")))
            .await
            .ok()
            .map(|a| a.value.value)
    }

    /// The revisions in the range that wrote what a technology's step 4 rests on: its case file,
    /// the other baseline files (toolkit, likelihood, countries) and its ecosystem.
    async fn step4_revisions(
        &self,
        id: &str,
        d: &DossierView,
        writes: &[(String, String, i64)],
        revs: &[Revision],
        hi: i64,
    ) -> Result<Vec<Revision>> {
        let keys = self.case_keys(hi).await?;
        let own = keys.get(id).cloned().unwrap_or_default();
        let eco = d.ecosystem.as_ref().map(|e| e.id.clone());
        let hit: BTreeSet<i64> = writes
            .iter()
            .filter(|(k, key, _)| {
                (k == kind::BASELINE && (*key == own || !key.starts_with("cases/")))
                    || (k == kind::ECOSYSTEM && eco.as_deref() == Some(key.as_str()))
            })
            .map(|(_, _, r)| *r)
            .collect();
        Ok(revs
            .iter()
            .filter(|r| hit.contains(&r.id))
            .cloned()
            .collect())
    }
}

fn name_of(names: &[(String, String)], id: &str) -> String {
    names
        .iter()
        .find(|(i, _)| i == id)
        .map_or_else(|| id.to_string(), |(_, n)| n.clone())
}

/// A level in words: `4 (critical)`, or `silent`.
pub fn level_words(l: Option<u8>) -> String {
    match l.and_then(|l| osa_assess::Level::new(i64::from(l))) {
        Some(l) => format!("{} ({})", l.value(), l.label()),
        None => "silent".into(),
    }
}

fn dimension_words(id: &str) -> String {
    id.parse::<Dimension>()
        .map_or_else(|_| id.replace('_', " "), |d| d.name().to_lowercase())
}

/// Who and why in words: `proposed by ana, approved by rev in r2: second reading`, or `written
/// by adm in r5: release one` for a write without review.
pub fn why_words(w: &Why) -> String {
    let verb = if w.proposal.is_none() && w.approved_by.is_none() {
        "written"
    } else {
        "proposed"
    };
    let mut s = format!("{verb} by {}", w.proposed_by);
    if let Some(r) = &w.approved_by {
        s.push_str(&format!(", approved by {r}"));
    }
    s.push_str(&format!(" in r{}: {}", w.revision, w.rationale));
    if let Some(c) = &w.review_comment {
        s.push_str(&format!(" (reviewer: {c})"));
    }
    s
}

/// Evidence as the diff gives it: (text, source).
type Evidence = Vec<(String, String)>;

fn cell_change(
    name: String,
    technology: String,
    dimension: &'static str,
    (before, after): (Option<CellState>, Option<CellState>),
    (added, removed): (Evidence, Evidence),
    why: Vec<Why>,
) -> CellChange {
    let level = |s: &Option<CellState>| s.as_ref().and_then(|s| s.level);
    let (lb, la) = (level(&before), level(&after));
    let mut text = format!("{name}, {}: ", dimension_words(dimension));
    if lb == la {
        text.push_str(&format!("level {} unchanged", level_words(la)));
    } else {
        text.push_str(&format!("level {} -> {}", level_words(lb), level_words(la)));
    }
    let n = |v: &Vec<(String, String)>| v.len();
    if n(&added) + n(&removed) > 0 {
        text.push_str(&format!(
            "; evidence: {} added, {} removed",
            n(&added),
            n(&removed)
        ));
    }
    if let Some(w) = why.last() {
        text.push_str(&format!("; {}", why_words(w)));
    }
    let words = |v: Vec<(String, String)>| {
        v.into_iter()
            .map(|(t, s)| format!("{t} ({s})"))
            .collect::<Vec<_>>()
    };
    CellChange {
        technology,
        name,
        dimension,
        before: lb,
        after: la,
        rationale_before: before.map(|s| s.rationale),
        rationale_after: after.map(|s| s.rationale),
        evidence_added: words(added),
        evidence_removed: words(removed),
        why,
        text,
    }
}

/// Step 4's changes between two dossiers of one technology, one sentence each.
fn step4_lines(b: &DossierView, a: &DossierView) -> Vec<String> {
    let mut lines = Vec::new();
    if b.priority.dimension != a.priority.dimension {
        let p = |d: Option<&str>| d.map_or_else(|| "none".to_string(), dimension_words);
        lines.push(format!(
            "priority dimension: {} -> {} ({})",
            p(b.priority.dimension),
            p(a.priority.dimension),
            a.priority.text
        ));
    }
    let rank = |d: &DossierView, id: &str| d.instruments.iter().position(|i| i.id == id);
    for (i, x) in a.instruments.iter().enumerate() {
        match rank(b, &x.id) {
            None => lines.push(format!("{} enters the ranking at {}", x.name, i + 1)),
            Some(j) if j != i => {
                lines.push(format!("{} moves from {} to {}", x.name, j + 1, i + 1));
            }
            _ => {}
        }
    }
    for (j, x) in b.instruments.iter().enumerate() {
        if rank(a, &x.id).is_none() {
            lines.push(format!("{} leaves the ranking (was {})", x.name, j + 1));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_reasons_in_words() {
        assert_eq!(level_words(Some(4)), "4 (critical)");
        assert_eq!(level_words(None), "silent");
        let w = Why {
            revision: 2,
            at: "2026-12-08T00:00:00Z".into(),
            proposed_by: "ana".into(),
            approved_by: Some("rev".into()),
            proposal: Some(1),
            rationale: "second reading".into(),
            review_comment: Some("agreed".into()),
        };
        assert_eq!(
            why_words(&w),
            "proposed by ana, approved by rev in r2: second reading (reviewer: agreed)"
        );
        let direct = Why {
            proposal: None,
            approved_by: None,
            review_comment: None,
            ..w.clone()
        };
        assert_eq!(why_words(&direct), "written by ana in r2: second reading");
        let c = cell_change(
            "6G".into(),
            "6g".into(),
            "national_security",
            (
                Some(CellState {
                    level: Some(4),
                    silent: false,
                    rationale: "a".into(),
                }),
                Some(CellState {
                    level: Some(3),
                    silent: false,
                    rationale: "b".into(),
                }),
            ),
            (vec![("t".into(), "seed L1-2".into())], Vec::new()),
            vec![w],
        );
        assert_eq!(
            c.text,
            "6G, national security: level 4 (critical) -> 3 (high); evidence: 1 added, 0 removed; \
             proposed by ana, approved by rev in r2: second reading (reviewer: agreed)"
        );
    }
}
