//! Analyses on the record's data as of a revision: the stored ecosystems (their snapshots,
//! metrics, chokepoints, leverage), the actors to watch, the checklist, and the stored scenarios
//! with their runs (each run kept, with who ran it and the parameters).

use super::kinds::SCENARIO_RUN;
use super::{Workbench, kind};
use crate::ecosystem::MetricsAnswer;
use crate::{AppError, Result};
use osa_disrupt::compile::Options;
use osa_disrupt::simulate::{DEFAULT_SEED, RunOptions};
use osa_store::Actor;
use osa_store::users::{Principal, Role};
use osa_view::disrupt::SimulateRow;
use osa_view::ecosystem::{ChokepointRow, LeverageView};
use serde::{Deserialize, Serialize};

/// Most Monte Carlo draws a stored run may ask for.
pub const MAX_DRAWS: usize = 10_000;
/// Longest horizon of a stored run (weeks).
pub const MAX_WEEKS: u32 = 520;

/// A stored ecosystem and its snapshots.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct EcosystemEntry {
    /// Name.
    pub name: String,
    /// The current version (revision).
    pub version: i64,
    /// Inputs.
    pub inputs: usize,
    /// Snapshot labels, oldest first.
    pub snapshots: Vec<String>,
}

/// How to run a stored scenario.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    /// Monte Carlo draws (0: point estimate), at most [`MAX_DRAWS`].
    #[serde(default)]
    pub draws: usize,
    /// Seed.
    #[serde(default)]
    pub seed: Option<u64>,
    /// Horizon in weeks, at most [`MAX_WEEKS`].
    #[serde(default)]
    pub weeks: Option<u32>,
    /// Ecosystem to run on (default: the scenario's, else `semiconductors`).
    #[serde(default)]
    pub ecosystem: Option<String>,
}

/// A stored run.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScenarioRun {
    /// The scenario.
    pub scenario: String,
    /// The ecosystem and its version.
    pub ecosystem: String,
    /// The ecosystem's version.
    pub ecosystem_version: i64,
    /// Parameters.
    pub request: RunRequest,
    /// Who ran it.
    pub by: String,
    /// Warnings.
    pub warnings: Vec<String>,
    /// One row per input reached.
    pub rows: Vec<serde_json::Value>,
}

impl Workbench {
    /// The stored ecosystems as of an as-of.
    pub async fn ecosystems(&self, as_of: Option<&str>) -> Result<Vec<EcosystemEntry>> {
        let rev = self.revision_of(as_of).await?;
        let snaps = self.store.docs(kind::SNAPSHOT, rev).await?;
        let mut out = Vec::new();
        for d in self.store.docs(kind::ECOSYSTEM, rev).await? {
            let l = self.ecosystem_at(&d.key, rev).await?;
            let prefix = format!("{}@", d.key);
            let mut labels: Vec<(i64, String)> = snaps
                .iter()
                .filter_map(|s| {
                    s.key
                        .strip_prefix(&prefix)
                        .map(|l| (s.version, l.to_string()))
                })
                .collect();
            labels.sort();
            out.push(EcosystemEntry {
                name: d.key.clone(),
                version: d.version,
                inputs: l.checked.ecosystem().inputs.len(),
                snapshots: labels.into_iter().map(|(_, l)| l).collect(),
            });
        }
        Ok(out)
    }

    /// Metrics of a stored ecosystem.
    pub async fn metrics_at(
        &self,
        name: &str,
        as_of: Option<&str>,
        holders: &[String],
        stages: bool,
    ) -> Result<MetricsAnswer> {
        let rev = self.revision_of(as_of).await?;
        let l = self.ecosystem_at(name, rev).await?;
        let blocs = crate::ecosystem::blocs(&l, &[])?;
        crate::ecosystem::metrics_view(&l, &blocs, holders, &[], None, stages)
    }

    /// Chokepoints of a holder in a stored ecosystem.
    pub async fn chokepoints_at(
        &self,
        name: &str,
        as_of: Option<&str>,
        holder: &str,
        min_share: f64,
    ) -> Result<Vec<ChokepointRow>> {
        let rev = self.revision_of(as_of).await?;
        let l = self.ecosystem_at(name, rev).await?;
        let blocs = crate::ecosystem::blocs(&l, &[])?;
        crate::ecosystem::chokepoints_view(&l, &blocs, holder, min_share, None)
    }

    /// Leverage between two holders in a stored ecosystem.
    pub async fn leverage_at(
        &self,
        name: &str,
        as_of: Option<&str>,
        between: (&str, &str),
        min_share: f64,
    ) -> Result<LeverageView> {
        let rev = self.revision_of(as_of).await?;
        let l = self.ecosystem_at(name, rev).await?;
        let blocs = crate::ecosystem::blocs(&l, &[])?;
        crate::ecosystem::leverage_view(&l, &blocs, between, min_share, None)
    }

    /// The stored scenarios (id, name, description) as of an as-of.
    pub async fn scenarios(&self, as_of: Option<&str>) -> Result<Vec<serde_json::Value>> {
        let rev = self.revision_of(as_of).await?;
        let mut out = Vec::new();
        for d in self.store.docs(kind::SCENARIO, rev).await? {
            let sc = osa_io::scenario::parse(&d.body, &format!("store:scenario/{}", d.key))
                .map_err(|e| AppError::data(format!("the stored scenario `{}`", d.key), e))?;
            out.push(serde_json::json!({
                "id": sc.id, "name": sc.name, "description": sc.description,
                "ecosystem": sc.ecosystem, "shocks": sc.shocks.len(), "mitigations": sc.mitigations.len(),
                "version": d.version,
            }));
        }
        Ok(out)
    }

    /// Runs a stored scenario on a stored ecosystem and keeps the run (analysts and above).
    pub async fn run_scenario(
        &self,
        actor: &Actor,
        who: &Principal,
        id: &str,
        req: &RunRequest,
    ) -> Result<ScenarioRun> {
        Ok(self.run_scenario_kept(actor, who, id, req).await?.1)
    }

    /// Runs a stored scenario and keeps the run, answering the run's number with it.
    pub async fn run_scenario_kept(
        &self,
        actor: &Actor,
        who: &Principal,
        id: &str,
        req: &RunRequest,
    ) -> Result<(u32, ScenarioRun)> {
        self.require(
            actor,
            who,
            Role::Analyst,
            "scenario.run",
            &format!("scenario/{id}"),
        )
        .await?;
        if req.draws > MAX_DRAWS {
            return Err(AppError::invalid("draws", format!("at most {MAX_DRAWS}")));
        }
        if req.weeks.is_some_and(|w| w == 0 || w > MAX_WEEKS) {
            return Err(AppError::invalid("weeks", format!("1 to {MAX_WEEKS}")));
        }
        let head = self.store.head().await?;
        let d = self
            .store
            .doc(kind::SCENARIO, id, head)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("no scenario `{id}`")))?;
        let sc = osa_io::scenario::parse(&d.body, &format!("store:scenario/{id}"))
            .map_err(|e| AppError::data(format!("the stored scenario `{id}`"), e))?;
        let eco = req
            .ecosystem
            .clone()
            .or(sc.ecosystem.clone())
            .unwrap_or_else(|| "semiconductors".into());
        let l = self.ecosystem_at(&eco, head).await?;
        let blocs = crate::ecosystem::blocs(&l, &[])?;
        let opts = Options {
            weeks: req.weeks,
            ..Options::default()
        };
        let run = RunOptions {
            draws: req.draws,
            seed: req.seed.unwrap_or(DEFAULT_SEED),
            threads: 1,
        };
        let out = crate::simulate::run(&l, &blocs, &sc, &opts, &run)?;
        let rows: Vec<SimulateRow> = crate::simulate::rows(&l, &out.value);
        let result = ScenarioRun {
            scenario: id.into(),
            ecosystem: eco,
            ecosystem_version: self
                .store
                .doc(kind::ECOSYSTEM, &l.checked.ecosystem().id, head)
                .await?
                .map_or(0, |d| d.version),
            request: req.clone(),
            by: who.name.clone(),
            warnings: out.warnings,
            rows: rows
                .iter()
                .filter_map(|r| serde_json::to_value(r).ok())
                .collect(),
        };
        let key = self
            .keep_run(
                (actor, who),
                (SCENARIO_RUN, id),
                ("scenario.run", &format!("run of scenario {id}")),
                &result,
            )
            .await?;
        Ok((super::kinds::run_number(&key).unwrap_or(0), result))
    }

    /// The stored runs of a scenario, newest first.
    pub async fn scenario_runs(&self, id: &str, as_of: Option<&str>) -> Result<Vec<ScenarioRun>> {
        self.runs_of(SCENARIO_RUN, id, as_of).await
    }
}
