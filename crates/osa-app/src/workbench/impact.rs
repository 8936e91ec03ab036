//! What a proposal does to what is published, before anyone approves it: the baseline rebuilt
//! with the proposal applied and validated like any baseline, and every affected technology's
//! dossier compared with the published one (judged and computed levels and their agreement,
//! tensions, the step-4 priority, the instrument ranking); for a scenario, its results before and
//! after on the same draws. Text the change leaves behind (a rationale or a range reason written
//! for the old level, the "judged by" line) is flagged, and what approval records instead is said.

use super::{Workbench, kind};
use crate::assess::DossierOptions;
use crate::{Answer, AppError, Result};
use osa_assess::{Baseline, Dimension, Technology};
use osa_io::Loaded;
use osa_store::proposals::Proposal;
use osa_view::assess::DossierView;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// A level before and after (a dimension of one technology).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellImpact {
    /// The dimension's name.
    pub dimension: &'static str,
    /// The judged level before and after (`None`: silent).
    pub judged: (Option<u8>, Option<u8>),
    /// The level computed from step 1 before and after, where there is one.
    pub computed: (Option<u8>, Option<u8>),
    /// Judged and computed levels' agreement before and after.
    pub agreement: (String, String),
}

/// One instrument's place in a technology's ranking before and after (1 = first).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankMove {
    /// The instrument's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its place before (`None`: not suggested).
    pub before: Option<usize>,
    /// Its place after.
    pub after: Option<usize>,
    /// Its score before and after (the order within osa's tier).
    pub score: (Option<f64>, Option<f64>),
    /// The rules that fire for it after and did not before (ids or kinds).
    pub rules_added: Vec<String>,
    /// The rules that fired before and no longer do.
    pub rules_removed: Vec<String>,
}

/// What a change does to one technology's dossier.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TechnologyImpact {
    /// The technology's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Cells whose judged or computed level or agreement changes.
    pub cells: Vec<CellImpact>,
    /// Tensions that appear.
    pub tensions_added: Vec<String>,
    /// Tensions that go.
    pub tensions_removed: Vec<String>,
    /// Step 4's priority before and after, in words, when it changes.
    pub priority: Option<(String, String)>,
    /// The priority dimension before and after (`None`: no priority).
    pub priority_dimension: (Option<String>, Option<String>),
    /// Instruments whose place, score or firing rules change.
    pub instruments: Vec<RankMove>,
    /// How many instruments the ranking holds after.
    pub ranked: usize,
}

/// A scenario's result on one input before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioImpact {
    /// The input's name.
    pub input: String,
    /// Its availability at the worst point before (1: untouched).
    pub before: f64,
    /// After.
    pub after: f64,
}

/// Text the change leaves stale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaleText {
    /// Where (`6G · National security: range reason`).
    pub place: String,
    /// The text as it stands.
    pub text: String,
    /// Why it is stale and who fixes it.
    pub why: String,
}

/// What a proposal does to what is published.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Impact {
    /// The technologies whose dossier changes.
    pub technologies: Vec<TechnologyImpact>,
    /// How many technologies were compared.
    pub compared: usize,
    /// A scenario's results before and after, largest change first.
    pub scenario: Vec<ScenarioImpact>,
    /// Text the author should fix before approval.
    pub stale: Vec<StaleText>,
    /// What approval records as the technology's judge and date, where it records one.
    pub judge_on_approval: Option<String>,
    /// Why no preview could be computed, if none could.
    pub unavailable: Option<String>,
}

/// Impacts by (proposal, base version, head revision).
pub(crate) type ImpactCache = HashMap<(i64, i64, i64), Arc<Impact>>;

impl Workbench {
    /// What a proposal would change in what is published now (cached per proposal, base and
    /// head). A proposal that no longer validates says so instead.
    pub async fn proposal_impact(&self, p: &Proposal) -> Result<Arc<Impact>> {
        let head = self.store.head().await?;
        let key = (p.id, p.base_version, head);
        if let Some(i) = self.impacts.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(i);
        }
        let i = Arc::new(match self.compute_impact(p, head).await {
            Ok(i) => i,
            Err(AppError::Data { .. } | AppError::Invalid { .. }) if p.status == "open" => {
                Impact {
                    unavailable: Some(
                        "the record moved since this proposal was made and it no longer validates with it: its author brings it up to date".into(),
                    ),
                    ..Impact::default()
                }
            }
            Err(e) => return Err(e),
        });
        if let Ok(mut m) = self.impacts.lock() {
            m.insert(key, i.clone());
            super::bound(&mut m);
        }
        Ok(i)
    }

    /// What a proposal would change, computed afresh (no cache of impacts; the published
    /// baseline's cache is used): what the first reader of a proposal waits for.
    pub async fn compute_impact(&self, p: &Proposal, head: i64) -> Result<Impact> {
        if p.status != "open" {
            return Ok(Impact::default());
        }
        match p.kind.as_str() {
            kind::BASELINE => self.baseline_impact(p, head).await,
            kind::SCENARIO => self.scenario_impact(p, head).await,
            _ => Ok(Impact::default()),
        }
    }

    /// The baseline with the proposal's file in place of the published one, validated.
    pub async fn baseline_with(&self, p: &Proposal, head: i64) -> Result<Baseline> {
        let mut files = self.baseline_files(head).await?;
        if p.key.starts_with("cases/") {
            match files.cases.iter_mut().find(|(k, _)| *k == p.key) {
                Some((_, t)) => *t = p.body.clone(),
                None => files.cases.push((p.key.clone(), p.body.clone())),
            }
        } else if !files.set_single(&p.key, p.body.clone()) {
            return Err(AppError::invalid(
                "key",
                format!("`{}` is not a baseline file", p.key),
            ));
        }
        osa_io::baseline::from_files_in(&files, "proposal", &self.known_ecosystems(head).await?)
            .map_err(|e| AppError::data("the baseline with the proposal", e))
    }

    async fn baseline_impact(&self, p: &Proposal, head: i64) -> Result<Impact> {
        let before = self.baseline_at(head).await?;
        let after = self.baseline_with(p, head).await?;
        let keys = self.case_keys(head).await?;
        let ids: Vec<String> = match p.key.strip_prefix("cases/") {
            Some(_) => keys
                .iter()
                .filter(|(_, k)| **k == p.key)
                .map(|(id, _)| id.clone())
                .chain(
                    osa_io::baseline::parse_technology(&p.body, &p.key, None)
                        .ok()
                        .map(|t| t.id),
                )
                .collect(),
            None => after.technologies.iter().map(|t| t.id.clone()).collect(),
        };
        let mut ids = ids;
        ids.sort();
        ids.dedup();
        let mut out = Impact {
            compared: ids.len(),
            ..Impact::default()
        };
        for id in &ids {
            let b = self.dossier_of(&before, id, head).await.ok();
            let a = self.dossier_of(&after, id, head).await?;
            let t = technology_impact(b.as_ref(), &a);
            if !t.is_empty() {
                out.technologies.push(t);
            }
            if p.key.starts_with("cases/") {
                let tb = crate::assess::find(&before, id).ok();
                let ta = crate::assess::find(&after, id)?;
                out.stale.extend(stale_texts(tb, ta));
                if tb.is_some_and(|tb| levels_change(tb, ta)) {
                    out.judge_on_approval = Some(format!(
                        "{} (approved by the reviewer), dated the day of approval",
                        p.author
                    ));
                }
            }
        }
        Ok(out)
    }

    /// A technology's dossier on a given baseline, with the ecosystems stored at `rev`.
    pub async fn dossier_of(&self, b: &Baseline, id: &str, rev: i64) -> Result<DossierView> {
        let tech = crate::assess::find(b, id)?;
        let eco = match &tech.ecosystem {
            Some(name) => Some(self.ecosystem_at(name, rev).await?),
            None => None,
        };
        let opts = DossierOptions {
            year: crate::baseline::current_year(),
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
        Ok(crate::assess::dossier_view(b, id, &opts, &load)?.value)
    }

    async fn scenario_impact(&self, p: &Proposal, head: i64) -> Result<Impact> {
        let parse = |t: &str| {
            osa_io::scenario::parse(t, &format!("proposal:scenario/{}", p.key))
                .map_err(|e| AppError::data("the scenario", e))
        };
        let after = parse(&p.body)?;
        let before = match self.store.doc(kind::SCENARIO, &p.key, head).await? {
            Some(d) => Some(parse(&d.body)?),
            None => None,
        };
        let eco = after.ecosystem.as_deref().unwrap_or("semiconductors");
        let l = self.ecosystem_at(eco, head).await?;
        let blocs = crate::ecosystem::blocs(&l, &[])?;
        let opts = osa_disrupt::compile::Options::default();
        let run = osa_disrupt::simulate::RunOptions::default();
        let rows = crate::simulate::compare(&l, &blocs, (&after, before.as_ref()), &opts, &run)?;
        let scenario = rows
            .value
            .into_iter()
            .filter(|r| r.difference.abs() > 1e-9)
            .take(20)
            .map(|r| ScenarioImpact {
                input: r.name,
                before: r.availability_b,
                after: r.availability_a,
            })
            .collect();
        Ok(Impact {
            compared: 1,
            scenario,
            ..Impact::default()
        })
    }
}

impl TechnologyImpact {
    fn is_empty(&self) -> bool {
        self.cells.is_empty()
            && self.tensions_added.is_empty()
            && self.tensions_removed.is_empty()
            && self.priority.is_none()
            && self.instruments.is_empty()
    }
}

fn levels_change(b: &Technology, a: &Technology) -> bool {
    Dimension::ALL.iter().any(|d| b.level(*d) != a.level(*d))
}

/// Compares a technology's dossier before (absent: a new technology) and after.
pub fn technology_impact(b: Option<&DossierView>, a: &DossierView) -> TechnologyImpact {
    let mut cells = Vec::new();
    for (dim, da) in &a.dimensions {
        let db = b.and_then(|b| b.dimensions.get(dim));
        let c = CellImpact {
            dimension: Dimension::ALL
                .iter()
                .find(|d| d.id() == *dim)
                .map_or(dim, |d| d.name()),
            judged: (db.and_then(|d| d.judged.level), da.judged.level),
            computed: (
                db.and_then(|d| d.computed.as_ref().map(|c| c.level)),
                da.computed.as_ref().map(|c| c.level),
            ),
            agreement: (
                db.map_or("", |d| d.agreement).to_string(),
                da.agreement.to_string(),
            ),
        };
        if c.judged.0 != c.judged.1
            || c.computed.0 != c.computed.1
            || c.agreement.0 != c.agreement.1
        {
            cells.push(c);
        }
    }
    let tensions = |d: Option<&DossierView>| -> Vec<String> {
        d.map(|d| d.tensions.iter().map(|t| t.text.clone()).collect())
            .unwrap_or_default()
    };
    let (tb, ta) = (tensions(b), tensions(Some(a)));
    let pb = b.map(|b| b.priority.text.clone()).unwrap_or_default();
    let dim_name = |d: Option<&'static str>| {
        d.map(|d| {
            Dimension::ALL
                .iter()
                .find(|x| x.id() == d)
                .map_or(d, |x| x.name())
                .to_string()
        })
    };
    TechnologyImpact {
        id: a.id.clone(),
        name: a.name.clone(),
        cells,
        tensions_added: ta.iter().filter(|t| !tb.contains(t)).cloned().collect(),
        tensions_removed: tb.iter().filter(|t| !ta.contains(t)).cloned().collect(),
        priority: (pb != a.priority.text).then(|| (pb, a.priority.text.clone())),
        priority_dimension: (
            dim_name(b.and_then(|b| b.priority.dimension)),
            dim_name(a.priority.dimension),
        ),
        instruments: rank_moves(b, a),
        ranked: a.instruments.len(),
    }
}

fn rank_moves(b: Option<&DossierView>, a: &DossierView) -> Vec<RankMove> {
    let place = |d: &DossierView, id: &str| {
        d.instruments
            .iter()
            .position(|i| i.id == id)
            .map(|p| (p + 1, osa_view::format::r6(d.instruments[p].score)))
    };
    let rules = |d: Option<&DossierView>, id: &str| -> Vec<String> {
        d.and_then(|d| d.instruments.iter().find(|i| i.id == id))
            .map(|i| {
                i.triggers
                    .iter()
                    .map(|t| t.id.clone().unwrap_or_else(|| t.kind.to_string()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut ids: Vec<(&str, &str)> = a
        .instruments
        .iter()
        .map(|i| (i.id.as_str(), i.name.as_str()))
        .collect();
    if let Some(b) = b {
        ids.extend(
            b.instruments
                .iter()
                .filter(|i| place(a, &i.id).is_none())
                .map(|i| (i.id.as_str(), i.name.as_str())),
        );
    }
    let mut out = Vec::new();
    for (id, name) in ids {
        let (pb, pa) = (b.and_then(|b| place(b, id)), place(a, id));
        let (rb, ra) = (rules(b, id), rules(Some(a), id));
        let m = RankMove {
            id: id.to_string(),
            name: name.to_string(),
            before: pb.map(|p| p.0),
            after: pa.map(|p| p.0),
            score: (pb.map(|p| p.1), pa.map(|p| p.1)),
            rules_added: ra.iter().filter(|r| !rb.contains(r)).cloned().collect(),
            rules_removed: rb.iter().filter(|r| !ra.contains(r)).cloned().collect(),
        };
        if m.before != m.after
            || m.score.0 != m.score.1
            || !m.rules_added.is_empty()
            || !m.rules_removed.is_empty()
        {
            out.push(m);
        }
    }
    out
}

/// Text written for a level the change moves: a rationale or a range kept as they were.
pub fn stale_texts(b: Option<&Technology>, a: &Technology) -> Vec<StaleText> {
    let Some(b) = b else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for d in Dimension::ALL {
        let (jb, ja) = (b.judged(d), a.judged(d));
        if jb.level == ja.level {
            continue;
        }
        let old = jb.level.map_or("silent".to_string(), |l| l.to_string());
        let new = ja.level.map_or("silent".to_string(), |l| l.to_string());
        let place = |what: &str| format!("{} · {}: {what}", a.name, d.name());
        if jb.rationale == ja.rationale && !ja.rationale.is_empty() {
            out.push(StaleText {
                place: place("rationale"),
                text: ja.rationale.clone(),
                why: format!("written for level {old}, kept unchanged at level {new}: its author gives a new rationale before approval"),
            });
        }
        if let (Some(rb), Some(ra)) = (&jb.range, &ja.range)
            && rb.reason == ra.reason
        {
            let outside = ja.level.is_some_and(|l| l < ra.low || l > ra.high);
            out.push(StaleText {
                    place: place("range reason"),
                    text: ra.reason.clone(),
                    why: format!(
                        "written for level {old}, kept unchanged at level {new}{}: its author gives a new range or removes it before approval",
                        if outside { " (which is outside the range)" } else { "" }
                    ),
                });
        }
    }
    if levels_change(b, a) && b.judgment == a.judgment {
        out.push(StaleText {
            place: format!("{}: the dossier's \"judged by\" line", a.name),
            text: format!(
                "Levels judged by {} on {}",
                a.judgment.author, a.judgment.date
            ),
            why: "approval records the new judge and date in its place".into(),
        });
    }
    out
}
