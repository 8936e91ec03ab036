//! Changing one cell of the matrix (a technology's level on one dimension) through four-eyes
//! review. The change is applied to the technology's stored file with a format-preserving TOML
//! editor, the whole baseline is validated with the change (as any file osa reads), and the result
//! becomes a proposal made against the version the analyst saw. Approval publishes it; a proposal
//! whose base moved is brought up to date by `rebase` (re-applying the same change).

use super::watch::{self, Watchers};
use super::{Workbench, kind};
use crate::{AppError, Result};
use osa_assess::{Dimension, Source};
use osa_store::proposals::{Decision, NewProposal, Proposal};
use osa_store::users::{Principal, Role};
use osa_store::{Actor, docs::Revision};
use serde::{Deserialize, Serialize};
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

/// Size bounds of a cell change (characters).
pub const MAX_TEXT: usize = 20_000;
/// At most this many evidence items per change.
pub const MAX_EVIDENCE: usize = 50;

/// One evidence item of a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceInput {
    /// What the source says.
    pub text: String,
    /// Where: `seed L2062-2063`, `pub: ...`, `data: ...` or `judgment: who, when, why`.
    pub source: String,
}

/// The range a second reader could defensibly give a cell: a low and a high level, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RangeInput {
    /// Lowest defensible level.
    pub low: i64,
    /// Highest defensible level.
    pub high: i64,
    /// Why the level is contestable.
    pub reason: String,
    /// Sources of the doubt.
    pub sources: Vec<String>,
}

/// One signal of a cell that holds several (a risk and a benefit, each with its level).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignalInput {
    /// `risk` or `benefit` (the spellings the case files accept).
    pub kind: String,
    /// Its level, 0-4.
    pub level: i64,
    /// What the signal is.
    pub text: String,
    /// Its sources (at least one).
    pub sources: Vec<String>,
}

/// A change to one cell, as an analyst asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CellChange {
    /// The new level, 0-4; `null` with `silent: true` where the report is silent.
    #[serde(default)]
    pub level: Option<i64>,
    /// The report is silent on this dimension.
    #[serde(default)]
    pub silent: bool,
    /// The new rationale (kept when absent).
    #[serde(default)]
    pub rationale: Option<String>,
    /// Evidence added to the cell.
    #[serde(default)]
    pub evidence: Vec<EvidenceInput>,
    /// A new range (replaces the cell's), or `null` to keep it.
    #[serde(default)]
    pub range: Option<RangeInput>,
    /// Remove the cell's range.
    #[serde(default)]
    pub clear_range: bool,
    /// The cell's signals, replacing its current ones (`[]` removes them; `null` keeps them).
    #[serde(default)]
    pub signals: Option<Vec<SignalInput>>,
    /// Why (required): recorded with the proposal and the revision.
    pub note: String,
}

impl CellChange {
    /// Checks the change's fields, naming the one that is wrong.
    pub fn check(&self) -> Result<()> {
        match (self.level, self.silent) {
            (Some(l), false) if !(0..=4).contains(&l) => {
                return Err(AppError::invalid(
                    "level",
                    format!("{l} is not a level (0-4)"),
                ));
            }
            (Some(_), true) => {
                return Err(AppError::invalid("silent", "a silent cell has no level"));
            }
            (None, false) => {
                return Err(AppError::invalid(
                    "level",
                    "give a level 0-4, or silent: true",
                ));
            }
            _ => {}
        }
        if self.note.trim().is_empty() {
            return Err(AppError::invalid("note", "say why (a note is required)"));
        }
        if self.evidence.len() > MAX_EVIDENCE {
            return Err(AppError::invalid(
                "evidence",
                format!("at most {MAX_EVIDENCE} items"),
            ));
        }
        let texts = [Some(&self.note), self.rationale.as_ref()];
        if texts.into_iter().flatten().any(|t| t.len() > MAX_TEXT) {
            return Err(AppError::invalid(
                "note",
                format!("texts are limited to {MAX_TEXT} bytes"),
            ));
        }
        if let Some(r) = &self.range {
            if !(0..=4).contains(&r.low) || !(r.low..=4).contains(&r.high) {
                return Err(AppError::invalid(
                    "range",
                    "low and high are levels 0-4, low <= high",
                ));
            }
            if r.reason.trim().is_empty() || r.sources.is_empty() {
                return Err(AppError::invalid(
                    "range.reason",
                    "say why, with at least one source",
                ));
            }
            for (i, src) in r.sources.iter().enumerate() {
                Source::parse(src)
                    .map_err(|m| AppError::invalid(format!("range.sources[{i}]"), m))?;
            }
        }
        self.check_signals()?;
        for (i, e) in self.evidence.iter().enumerate() {
            if e.text.trim().is_empty() || e.text.len() > MAX_TEXT {
                return Err(AppError::invalid(
                    format!("evidence[{i}].text"),
                    "give 1 to 20,000 bytes of text",
                ));
            }
            Source::parse(&e.source)
                .map_err(|m| AppError::invalid(format!("evidence[{i}].source"), m))?;
        }
        Ok(())
    }
}

impl CellChange {
    fn check_signals(&self) -> Result<()> {
        let signals = self.signals.as_deref().unwrap_or_default();
        if signals.len() > MAX_EVIDENCE {
            return Err(AppError::invalid(
                "signals",
                format!("at most {MAX_EVIDENCE} signals"),
            ));
        }
        for (i, x) in signals.iter().enumerate() {
            if osa_assess::technology::SignalKind::parse(&x.kind).is_none() {
                return Err(AppError::invalid(
                    format!("signals[{i}].kind"),
                    format!("`{}` is not a signal kind", x.kind),
                ));
            }
            if !(0..=4).contains(&x.level) {
                return Err(AppError::invalid(
                    format!("signals[{i}].level"),
                    "a level 0-4",
                ));
            }
            if x.text.trim().is_empty() || x.text.len() > MAX_TEXT {
                return Err(AppError::invalid(
                    format!("signals[{i}].text"),
                    "give 1 to 20,000 bytes of text",
                ));
            }
            if x.sources.is_empty() {
                return Err(AppError::invalid(
                    format!("signals[{i}].sources"),
                    "at least one source",
                ));
            }
            for (j, src) in x.sources.iter().enumerate() {
                Source::parse(src)
                    .map_err(|m| AppError::invalid(format!("signals[{i}].sources[{j}]"), m))?;
            }
        }
        Ok(())
    }
}

/// Replaces a cell's signals.
fn set_signals(cell: &mut Table, signals: &[SignalInput]) {
    cell.remove("signals");
    if signals.is_empty() {
        return;
    }
    let mut items = ArrayOfTables::new();
    for x in signals {
        let mut t = Table::new();
        t.insert("kind", value(x.kind.as_str()));
        t.insert("level", value(x.level));
        t.insert("text", value(x.text.as_str()));
        let mut a = toml_edit::Array::new();
        for src in &x.sources {
            a.push(src.as_str());
        }
        t.insert("sources", value(a));
        items.push(t);
    }
    cell.insert("signals", Item::ArrayOfTables(items));
}

/// Applies a change to a case file's text (format-preserving).
pub fn apply(text: &str, dim: Dimension, c: &CellChange) -> Result<String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| AppError::data("the stored case file is not TOML", e))?;
    let dims = doc
        .entry("dimensions")
        .or_insert(Item::Table(Table::new()))
        .as_table_mut()
        .ok_or_else(|| AppError::invalid("dimensions", "not a table in the stored file"))?;
    dims.set_implicit(true);
    let cell = dims
        .entry(dim.id())
        .or_insert(Item::Table(Table::new()))
        .as_table_mut()
        .ok_or_else(|| AppError::invalid(dim.id(), "not a table in the stored file"))?;
    match c.level {
        Some(l) => {
            cell.remove("silent");
            cell.insert("level", value(l));
        }
        None => {
            cell.remove("level");
            cell.insert("silent", value(true));
        }
    }
    if let Some(r) = &c.rationale {
        cell.insert("rationale", value(r.as_str()));
    }
    if c.clear_range {
        cell.remove("range");
    }
    if let Some(r) = &c.range {
        let mut t = Table::new();
        t.insert("low", value(r.low));
        t.insert("high", value(r.high));
        t.insert("reason", value(r.reason.as_str()));
        let mut a = toml_edit::Array::new();
        for src in &r.sources {
            a.push(src.as_str());
        }
        t.insert("sources", value(a));
        cell.insert("range", Item::Table(t));
    }
    if let Some(signals) = &c.signals {
        set_signals(cell, signals);
    }
    if !c.evidence.is_empty() {
        let items = cell
            .entry("evidence")
            .or_insert(Item::ArrayOfTables(ArrayOfTables::new()))
            .as_array_of_tables_mut()
            .ok_or_else(|| {
                AppError::invalid("evidence", "not an array of tables in the stored file")
            })?;
        for e in &c.evidence {
            let mut t = Table::new();
            t.insert("text", value(e.text.as_str()));
            t.insert("source", value(e.source.as_str()));
            items.push(t);
        }
    }
    Ok(doc.to_string())
}

/// A case file's text with its `[judgment]` author and date replaced (format-preserving);
/// `None` when the file has no such table.
pub fn with_judge(text: &str, author: &str, date: &str) -> Option<String> {
    let mut doc: DocumentMut = text.parse().ok()?;
    let j = doc.get_mut("judgment")?.as_table_mut()?;
    j.insert("author", value(author));
    j.insert("date", value(date));
    Some(doc.to_string())
}

/// A proposal as shown to people and scripts.
pub type ProposalView = Proposal;

impl Workbench {
    /// Proposes a change to one cell, made against `base_version` (the ETag the analyst saw).
    /// Analysts and above; the baseline must validate with the change.
    pub async fn propose_cell(
        &self,
        actor: &Actor,
        who: &Principal,
        (technology, dimension): (&str, &str),
        base_version: i64,
        change: &CellChange,
    ) -> Result<Proposal> {
        let target = format!("technology/{technology}");
        self.require(actor, who, Role::Analyst, "proposal.create", &target)
            .await?;
        let dim: Dimension = dimension
            .parse()
            .map_err(|m: String| AppError::invalid("dimension", m))?;
        let checked = async {
            change.check()?;
            let head = self.store.head().await?;
            let doc = self.technology_doc(technology, head).await?;
            let body = self
                .validated(head, &doc.key, &doc.body, dim, change)
                .await?;
            Ok::<_, AppError>((doc, body))
        }
        .await;
        let (doc, body) = self
            .audit_check(
                checked,
                actor,
                ("proposal.create", &target),
                serde_json::json!({ "dimension": dimension }),
            )
            .await?;
        let p = NewProposal {
            kind: kind::BASELINE.into(),
            key: doc.key,
            subject: format!("{technology}/{}", dim.id()),
            base_version,
            body,
            change: serde_json::to_value(change).map_err(|e| AppError::data("the change", e))?,
            note: change.note.clone(),
        };
        let as_who = Actor {
            name: who.name.clone(),
            ..actor.clone()
        };
        self.propose_described(&as_who, &p).await
    }

    /// The case file with the change applied, validated with the rest of the baseline at `rev`.
    pub(super) async fn validated(
        &self,
        rev: i64,
        key: &str,
        text: &str,
        dim: Dimension,
        c: &CellChange,
    ) -> Result<String> {
        let body = apply(text, dim, c)?;
        let mut files = self.baseline_files(rev).await?;
        for (k, t) in files.cases.iter_mut() {
            if k == key {
                *t = body.clone();
            }
        }
        osa_io::baseline::from_files_in(&files, "proposal", &self.known_ecosystems(rev).await?)
            .map_err(|e| AppError::data("the change does not validate", e))?;
        Ok(body)
    }

    /// Approves or rejects a proposal (reviewers and above; never its author).
    pub async fn review(
        &self,
        actor: &Actor,
        who: &Principal,
        id: i64,
        decision: Decision,
        comment: &str,
    ) -> Result<(Proposal, Option<Revision>)> {
        let action = match decision {
            Decision::Approve => "proposal.approve",
            Decision::Reject => "proposal.reject",
        };
        self.require(
            actor,
            who,
            Role::Reviewer,
            action,
            &format!("proposal/{id}"),
        )
        .await?;
        let as_who = Actor {
            name: who.name.clone(),
            ..actor.clone()
        };
        let (what, watchers) = match self.store.proposal(id).await {
            Ok(p) => (
                Some(
                    self.describe(&p.kind, &p.key, &p.subject, &p.change)
                        .await?,
                ),
                self.watchers().await?,
            ),
            Err(_) => (None, Watchers::default()),
        };
        let effects = |(p, rev): &(Proposal, Option<Revision>)| match &what {
            Some(d) => decision_effects(&watchers, d, p, rev.as_ref()),
            None => osa_store::changes::Effects::none(),
        };
        let publish = match decision {
            Decision::Approve => self.judged_now(id, &who.name).await?,
            Decision::Reject => None,
        };
        Ok(self
            .store
            .review_with(&as_who, id, decision, comment, publish.as_deref(), &effects)
            .await?)
    }

    /// A case file proposal that moves a level, with its judge and date made the proposal's
    /// author, approved by `reviewer`, today (the dossier's "judged by" line); `None` otherwise.
    async fn judged_now(&self, id: i64, reviewer: &str) -> Result<Option<String>> {
        let p = self.store.proposal(id).await?;
        if p.kind != kind::BASELINE || !p.key.starts_with("cases/") || p.status != "open" {
            return Ok(None);
        }
        let Some(old) = self.store.doc(&p.kind, &p.key, p.base_version).await? else {
            return Ok(None);
        };
        let parse = |t: &str| osa_io::baseline::parse_technology(t, &p.key, None).ok();
        let (Some(b), Some(a)) = (parse(&old.body), parse(&p.body)) else {
            return Ok(None);
        };
        if Dimension::ALL.iter().all(|d| b.level(*d) == a.level(*d)) {
            return Ok(None);
        }
        let today = osa_store::clock::now().chars().take(10).collect::<String>();
        Ok(with_judge(
            &p.body,
            &format!("{} (approved by {reviewer})", p.author),
            &today,
        ))
    }
}

impl Workbench {
    /// Proposes a new text for a whole stored file (a baseline file such as `toolkit.toml` or
    /// `countries.toml`, a case file, a scenario), made against `base_version` (0: a new file).
    /// Validated as osa validates that file; analysts and above; reviewed like a cell.
    pub async fn propose_file(
        &self,
        actor: &Actor,
        who: &Principal,
        (doc_kind, key): (&str, &str),
        base_version: i64,
        text: &str,
        note: &str,
    ) -> Result<Proposal> {
        let target = format!("{doc_kind}/{key}");
        self.require(actor, who, Role::Analyst, "proposal.create", &target)
            .await?;
        let checked = self.check_file(doc_kind, key, text, note).await;
        self.audit_check(
            checked,
            actor,
            ("proposal.create", &target),
            serde_json::json!({}),
        )
        .await?;
        let p = NewProposal {
            kind: doc_kind.into(),
            key: key.into(),
            subject: target.clone(),
            base_version,
            body: text.into(),
            change: serde_json::json!({ "file": target, "bytes": text.len() }),
            note: note.into(),
        };
        let as_who = Actor {
            name: who.name.clone(),
            ..actor.clone()
        };
        self.propose_described(&as_who, &p).await
    }

    /// Every input a scenario's shocks and mitigations name is in its ecosystem (as stored now):
    /// a typo is refused at proposal, not skipped with a warning at every run.
    async fn check_scenario_targets(&self, sc: &osa_disrupt::scenario::Scenario) -> Result<()> {
        let head = self.store.head().await?;
        let eco = sc.ecosystem.as_deref().unwrap_or("semiconductors");
        let l = self.ecosystem_at(eco, head).await?;
        let targets = sc
            .shocks
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("shocks[{i}]"), &s.target))
            .chain(
                sc.mitigations
                    .iter()
                    .enumerate()
                    .map(|(i, m)| (format!("mitigations[{i}]"), &m.target)),
            );
        for (field, target) in targets {
            if let Some(id) = osa_disrupt::compile::unknown_ids(&l.checked, target).first() {
                return Err(AppError::invalid(
                    field,
                    format!(
                        "ecosystem `{eco}` has no input or stage `{id}`{}",
                        osa_disrupt::compile::hint(&l.checked, id)
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Checks a whole file's new text as osa reads that file (with the rest of the baseline, or a
    /// scenario's inputs in its ecosystem), and the note.
    pub(super) async fn check_file(
        &self,
        doc_kind: &str,
        key: &str,
        text: &str,
        note: &str,
    ) -> Result<()> {
        if note.trim().is_empty() {
            return Err(AppError::invalid("note", "say why (a note is required)"));
        }
        if text.len() > osa_io::resolve::MAX_FILE_BYTES as usize {
            return Err(AppError::invalid("text", "larger than osa reads"));
        }
        match doc_kind {
            kind::BASELINE => {
                let head = self.store.head().await?;
                let mut files = self.baseline_files(head).await?;
                if let Some(rest) = key.strip_prefix("cases/") {
                    crate::workbench::records::check_key("key", rest.trim_end_matches(".toml"))?;
                    match files.cases.iter_mut().find(|(k, _)| k == key) {
                        Some((_, t)) => *t = text.into(),
                        None => files.cases.push((key.into(), text.into())),
                    }
                } else if !files.set_single(key, text.into()) {
                    return Err(AppError::invalid(
                        "key",
                        format!("`{key}` is not a baseline file"),
                    ));
                }
                osa_io::baseline::from_files_in(
                    &files,
                    "proposal",
                    &self.known_ecosystems(head).await?,
                )
                .map_err(|e| AppError::data("the baseline does not validate with this file", e))?;
            }
            kind::SCENARIO => {
                crate::workbench::records::check_key("key", key)?;
                let sc = osa_io::scenario::parse(text, &format!("proposal:scenario/{key}"))
                    .map_err(|e| AppError::data("the scenario does not validate", e))?;
                self.check_scenario_targets(&sc).await?;
            }
            other => {
                return Err(AppError::invalid(
                    "kind",
                    format!("`{other}`: files of kind baseline or scenario"),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(level: Option<i64>) -> CellChange {
        CellChange {
            level,
            silent: level.is_none(),
            rationale: None,
            evidence: vec![EvidenceInput {
                text: "Abstract ranks security first within the chapter.".into(),
                source: "seed L2062-2063".into(),
            }],
            range: None,
            clear_range: false,
            signals: None,
            note: "second reading".into(),
        }
    }

    #[test]
    fn signals_replace_the_cells_and_are_checked() {
        let text = "id = \"x\"\n[dimensions.supply_resilience]\nlevel = 2\n";
        let mut c = change(Some(2));
        c.evidence.clear();
        c.signals = Some(vec![SignalInput {
            kind: "benefit".into(),
            level: 0,
            text: "More capacity.".into(),
            sources: vec!["seed L783-785".into()],
        }]);
        c.check().unwrap();
        let out = apply(text, Dimension::SupplyResilience, &c).unwrap();
        assert!(
            out.contains("[[dimensions.supply_resilience.signals]]"),
            "{out}"
        );
        assert!(
            out.contains("kind = \"benefit\"") && out.contains("sources = [\"seed L783-785\"]")
        );
        c.signals = Some(Vec::new());
        assert!(
            !apply(&out, Dimension::SupplyResilience, &c)
                .unwrap()
                .contains("signals")
        );
        for (kind, level, src, field) in [
            ("threat", 1, "seed L1", "signals[0].kind"),
            ("risk", 5, "seed L1", "signals[0].level"),
            ("risk", 1, "nowhere", "signals[0].sources[0]"),
        ] {
            c.signals = Some(vec![SignalInput {
                kind: kind.into(),
                level,
                text: "t".into(),
                sources: vec![src.into()],
            }]);
            let e = c.check().unwrap_err();
            assert!(
                matches!(&e, AppError::Invalid { field: f, .. } if f == field),
                "{e}"
            );
        }
    }

    #[test]
    fn a_level_change_edits_only_that_cell() {
        let text = "id = \"x\"\n\n[dimensions.national_security]\nlevel = 4 # strongest wording\nrationale = \"r\"\n\n[dimensions.values_sustainability]\nlevel = 2\n";
        let out = apply(text, Dimension::NationalSecurity, &change(Some(3))).unwrap();
        let t: toml::Table = toml::from_str(&out).unwrap();
        let d = &t["dimensions"];
        assert_eq!(d["national_security"]["level"].as_integer(), Some(3));
        assert_eq!(d["values_sustainability"]["level"].as_integer(), Some(2));
        assert_eq!(
            d["national_security"]["evidence"].as_array().map(Vec::len),
            Some(1)
        );
        assert!(out.starts_with("id = \"x\"\n"), "{out}");
        let silent = apply(text, Dimension::NationalSecurity, &change(None)).unwrap();
        assert!(
            silent.contains("silent = true") && !silent.contains("level = 4"),
            "{silent}"
        );
    }

    #[test]
    fn a_range_is_set_and_cleared() {
        let text = "id = \"x\"\n\n[dimensions.national_security]\nlevel = 4\n\n[dimensions.national_security.range]\nlow = 3\nhigh = 4\nreason = \"r\"\nsources = [\"seed L1-2\"]\n";
        let mut c = change(Some(2));
        c.range = Some(RangeInput {
            low: 1,
            high: 2,
            reason: "why".into(),
            sources: vec!["seed L5-6".into()],
        });
        let out = apply(text, Dimension::NationalSecurity, &c).unwrap();
        let t: toml::Table = toml::from_str(&out).unwrap();
        let r = &t["dimensions"]["national_security"]["range"];
        assert_eq!(
            (r["low"].as_integer(), r["high"].as_integer()),
            (Some(1), Some(2)),
            "{out}"
        );
        let mut c = change(Some(2));
        c.clear_range = true;
        let out = apply(text, Dimension::NationalSecurity, &c).unwrap();
        assert!(!out.contains("range"), "{out}");
        let mut bad = change(Some(2));
        bad.range = Some(RangeInput {
            low: 3,
            high: 2,
            reason: "x".into(),
            sources: vec!["seed L5-6".into()],
        });
        assert!(bad.check().is_err());
    }

    #[test]
    fn bad_changes_name_their_field() {
        let field = |c: CellChange| match c.check() {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(change(Some(7))), "level");
        let mut c = change(Some(3));
        c.evidence[0].source = "my notes".into();
        assert_eq!(field(c), "evidence[0].source");
        let mut c = change(Some(3));
        c.note = " ".into();
        assert_eq!(field(c), "note");
    }
}

/// What a proposal changes, in words, with the page and the subjects it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    /// `6G, national security: level 4 (critical) to 3 (high)`, `a new text of toolkit.toml`.
    pub words: String,
    /// The page of what it changes (a cell's history), or empty.
    pub link: String,
    /// The main subject (`technology/6g`, `baseline/toolkit.toml`).
    pub subject: String,
    /// The other subjects.
    pub topics: Vec<String>,
}

impl Workbench {
    /// Records a proposal with its change-log entry (`proposal_new`, in words) and the
    /// notifications of its watchers, in one transaction.
    pub(crate) async fn propose_described(
        &self,
        as_who: &Actor,
        p: &NewProposal,
    ) -> Result<Proposal> {
        let d = self
            .describe(&p.kind, &p.key, &p.subject, &p.change)
            .await?;
        let watchers = self.watchers().await?;
        let effects = |prop: &Proposal| {
            let mut topics = d.topics.clone();
            topics.push(format!("proposal/{}", prop.id));
            let c = osa_store::changes::NewChange {
                subject: d.subject.clone(),
                kind: "proposal_new".into(),
                title: format!(
                    "{} proposed {} (proposal {})",
                    prop.author, d.words, prop.id
                ),
                detail: serde_json::json!({ "proposal": prop.id, "note": prop.note }),
                link: format!("/review/{}", prop.id),
                topics,
                ..Default::default()
            };
            watchers.effects(&prop.author, vec![c], Vec::new())
        };
        Ok(self.store.propose_with(as_who, p, &effects).await?)
    }

    /// A proposed change in words, as of the published record now.
    pub async fn describe(
        &self,
        doc_kind: &str,
        key: &str,
        subject: &str,
        change: &serde_json::Value,
    ) -> Result<Described> {
        let cell = subject.split_once('/').and_then(|(t, d)| {
            let dim: Dimension = d.parse().ok()?;
            let c: CellChange = serde_json::from_value(change.clone()).ok()?;
            Some((t.to_string(), dim, c))
        });
        if let (kind::BASELINE, Some((tech, dim, c))) = (doc_kind, cell) {
            let b = self.baseline_at(self.store.head().await?).await?;
            let (name, before) = b
                .technology(&tech)
                .map_or((tech.clone(), None), |t| (t.name.clone(), t.level(dim)));
            let after = if c.silent {
                None
            } else {
                c.level.and_then(osa_assess::Level::new).or(before)
            };
            let cell = watch::cell_words(&name, dim);
            let words = if after == before {
                format!(
                    "{cell}: a new rationale or evidence (the level stays {})",
                    watch::level_words(after)
                )
            } else {
                format!(
                    "{cell}: level {} to {}",
                    watch::level_words(before),
                    watch::level_words(after)
                )
            };
            return Ok(Described {
                words,
                link: watch::cell_link(&tech, dim),
                subject: format!("technology/{tech}"),
                topics: watch::cell_topics(&tech, dim),
            });
        }
        let what = match doc_kind {
            "app-assessment" => format!("an assessment of the AI application `{key}`"),
            _ => format!("a new text of {doc_kind} file `{key}`"),
        };
        let mut topics = Vec::new();
        if let Some(t) = key
            .strip_prefix("cases/")
            .and_then(|k| k.strip_suffix(".toml"))
        {
            topics.push(format!("technology/{t}"));
        }
        Ok(Described {
            words: what,
            link: String::new(),
            subject: format!("{doc_kind}/{key}"),
            topics,
        })
    }
}

/// A decision's change-log entry (a published cell or file, or a rejection) and its
/// notifications: the author's, and the watchers'.
fn decision_effects(
    watchers: &Watchers,
    d: &Described,
    p: &Proposal,
    rev: Option<&Revision>,
) -> osa_store::changes::Effects {
    let reviewer = p.reviewer.clone().unwrap_or_default();
    let comment = p.review_comment.clone().unwrap_or_default();
    let mut topics = d.topics.clone();
    topics.push(format!("proposal/{}", p.id));
    let (kind, title, verb) = match rev {
        Some(r) => (
            "published",
            format!(
                "{}, proposed by {} and approved by {reviewer} (revision {})",
                d.words, p.author, r.id
            ),
            "approved",
        ),
        None => (
            "proposal_rejected",
            format!(
                "{reviewer} rejected {}'s proposal {} ({}): {comment}",
                p.author, p.id, d.words
            ),
            "rejected",
        ),
    };
    let link = match rev {
        Some(_) if !d.link.is_empty() => d.link.clone(),
        _ => format!("/review/{}", p.id),
    };
    let c = osa_store::changes::NewChange {
        subject: d.subject.clone(),
        kind: kind.into(),
        title,
        detail: serde_json::json!({ "proposal": p.id, "revision": rev.map(|r| r.id), "comment": comment, "note": p.note }),
        link,
        topics,
        ..Default::default()
    };
    let decision = osa_store::notify::NewNote {
        user: p.author.clone(),
        kind: "decision".into(),
        text: format!("{reviewer} {verb} your proposal {}: {}", p.id, d.words),
        link: format!("/review/{}", p.id),
        change: Some(0),
    };
    watchers.effects(&reviewer, vec![c], vec![decision])
}
