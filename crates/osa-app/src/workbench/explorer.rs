//! The ecosystem explorer's use cases over the record: an ecosystem's snapshots (each release
//! registered, with when and by whom), one ecosystem read for a chosen holder (every input's
//! metrics with the holder's share, the `goes_into` edges, the holder's chokepoints and its
//! leverage against a counterpart, the holders and years a picker offers), one input's shares in
//! every year its data has, and two snapshots compared (the same comparison as `osa diff` and
//! monitoring).

use super::{Workbench, kind};
use crate::ecosystem::{DiffRequest, MetricsAnswer, Thresholds};
use crate::{AppError, Result};
use osa_io::Loaded;
use osa_model::{Blocs, Place, Provider};
use osa_view::diff::DiffView;
use osa_view::ecosystem::{ChokepointRow, InputView, LeverageView, MetricsRow};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The chokepoint threshold the explorer uses unless asked otherwise (as the API and monitoring).
pub const DEFAULT_MIN_SHARE: f64 = 0.5;
/// The holder the explorer shows unless asked otherwise: the EU, the report's point of view.
pub const DEFAULT_HOLDER: &str = "EU27";
/// The listing threshold of the leverage beside the graph (as `osa leverage`).
pub const LEVERAGE_MIN_SHARE: f64 = 0.25;

/// A registered snapshot of an ecosystem.
#[derive(Debug, Clone, Serialize)]
pub struct SnapshotEntry {
    /// The ecosystem.
    pub ecosystem: String,
    /// Its label (`eto-2026`).
    pub label: String,
    /// The revision that registered it: the ecosystem read as of it is this snapshot.
    pub revision: i64,
    /// When.
    pub at: String,
    /// Who registered it.
    pub author: String,
    /// Why.
    pub note: String,
    /// Where it was read from (a folder, a file, a built-in).
    pub origin: Option<String>,
    /// Inputs in it.
    pub inputs: Option<u64>,
}

/// A stage of the value chain, in value-chain order.
#[derive(Debug, Clone, Serialize)]
pub struct StageRef {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
}

/// A holder a picker offers.
#[derive(Debug, Clone, Serialize)]
pub struct HolderOption {
    /// What to ask for (`EU27`, `NLD`, `EUR`).
    pub id: String,
    /// Its name.
    pub name: String,
    /// `bloc`, `country` or `region`.
    pub kind: &'static str,
}

/// An ecosystem read for one holder.
#[derive(Debug, Clone, Serialize)]
pub struct Exploration {
    /// The ecosystem's name in the record.
    pub ecosystem: String,
    /// Its display name.
    pub name: String,
    /// What it covers.
    pub description: String,
    /// Where its data comes from.
    pub sources: Vec<String>,
    /// The revision read.
    pub revision: i64,
    /// The holder (resolved: `EU` is read as `EU27`).
    pub holder: String,
    /// The holder's name.
    pub holder_name: String,
    /// The year asked for; `null`: the latest year each input has.
    pub year: Option<i32>,
    /// The chokepoint threshold, 0-1.
    pub min_share: f64,
    /// The stages, in value-chain order.
    pub stages: Vec<StageRef>,
    /// Every input's metrics (`bloc_shares` holds the holder's share).
    pub inputs: Vec<MetricsRow>,
    /// The `goes_into` edges: (input, the input it goes into), by id.
    pub edges: Vec<(String, String)>,
    /// The holder's chokepoints (share >= `min_share`), by downstream reach.
    pub chokepoints: Vec<ChokepointRow>,
    /// The counterpart of the leverage view.
    pub counterpart: String,
    /// The mutual dependency between the holder and the counterpart.
    pub leverage: Option<LeverageView>,
    /// The holders a picker offers: the blocs known, then the countries and regions present.
    pub holders: Vec<HolderOption>,
    /// The years with shares, ascending.
    pub years: Vec<i32>,
    /// The ecosystem's snapshots, oldest first.
    pub snapshots: Vec<SnapshotEntry>,
}

/// One input of an ecosystem, for one holder.
#[derive(Debug, Clone, Serialize)]
pub struct InputAnswer {
    /// The ecosystem's name in the record.
    pub ecosystem: String,
    /// Its display name.
    pub ecosystem_name: String,
    /// The revision read.
    pub revision: i64,
    /// The holder (resolved).
    pub holder: String,
    /// The holder's name.
    pub holder_name: String,
    /// The input.
    pub input: InputView,
    /// The holders a picker offers.
    pub holders: Vec<HolderOption>,
}

/// Two snapshots compared.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// The ecosystem whose page asked.
    pub ecosystem: String,
    /// The older snapshot as asked (`eto-2025`, `other@label`, an ecosystem name).
    pub from: String,
    /// The newer snapshot as asked.
    pub to: String,
    /// The comparison (`osa diff --format json`).
    pub diff: DiffView,
    /// Every snapshot in the record, oldest first (what a form offers).
    pub snapshots: Vec<SnapshotEntry>,
}

/// Resolves a holder name as written or in capitals (`chn`), reading `EU` as `EU27`; an unknown
/// name is an invalid `field`.
pub fn holder_id(name: &str, blocs: &Blocs, field: &str) -> Result<String> {
    let name = name.trim();
    let name = if name.eq_ignore_ascii_case("EU") && blocs.get(name).is_none() {
        DEFAULT_HOLDER
    } else {
        name
    };
    crate::ecosystem::holder(name, blocs)
        .or_else(|e| crate::ecosystem::holder(&name.to_ascii_uppercase(), blocs).map_err(|_| e))
        .map(|h| h.id().to_string())
        .map_err(|e| AppError::invalid(field, e.to_string()))
}

fn holder_name(id: &str, blocs: &Blocs) -> String {
    if let Some(b) = blocs.get(id) {
        return b.name.clone();
    }
    if let Some(c) = osa_model::CountryCode::parse(id) {
        return c.name().to_string();
    }
    osa_model::country::region(id).map_or_else(|| id.to_string(), |r| r.name.to_string())
}

/// The blocs known, then the countries and regions that provide any input (directly or as the
/// home of a firm), by code.
fn holder_options(l: &Loaded, blocs: &Blocs) -> Vec<HolderOption> {
    let checked = &l.checked;
    let mut places: BTreeMap<String, HolderOption> = BTreeMap::new();
    let mut add = |p: Place| {
        let (id, name, kind) = match p {
            Place::Country(c) => (c.as_str().to_string(), c.name().to_string(), "country"),
            Place::Region(r) => (r.code.to_string(), r.name.to_string(), "region"),
        };
        places
            .entry(id.clone())
            .or_insert(HolderOption { id, name, kind });
    };
    for i in 0..checked.n_inputs() {
        for p in checked.input_providers(i) {
            match *p {
                Provider::Country(c) => add(Place::Country(c)),
                Provider::Region(r) => add(Place::Region(r)),
                Provider::Firm(f) => {
                    if let Some(pl) = checked.firm_place(f) {
                        add(pl);
                    }
                }
                Provider::Unattributed | Provider::UnattributedFirms => {}
            }
        }
    }
    let mut out: Vec<HolderOption> = blocs
        .iter()
        .map(|b| HolderOption {
            id: b.id.clone(),
            name: b.name.clone(),
            kind: "bloc",
        })
        .collect();
    out.extend(places.into_values());
    out
}

/// The years any input has shares for, ascending.
fn years(l: &Loaded) -> Vec<i32> {
    let mut v: Vec<i32> = l
        .checked
        .ecosystem()
        .inputs
        .iter()
        .flat_map(|i| i.provision.iter())
        .filter(|p| p.share.is_some())
        .filter_map(|p| p.year)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// A year asked for must be one the data has.
fn check_year(name: &str, year: Option<i32>, years: &[i32]) -> Result<()> {
    match year {
        Some(y) if !years.contains(&y) => Err(AppError::invalid(
            "year",
            format!(
                "no input of `{name}` has shares for {y} (years with shares: {})",
                years
                    .iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
        _ => Ok(()),
    }
}

/// The `goes_into` edges by input id: (input, the input it goes into).
fn goes_into_edges(l: &Loaded) -> Vec<(String, String)> {
    let (checked, eco) = (&l.checked, l.checked.ecosystem());
    (0..checked.n_inputs())
        .flat_map(|i| {
            checked
                .goes_into(i)
                .iter()
                .map(move |&j| (eco.inputs[i].id.clone(), eco.inputs[j].id.clone()))
        })
        .collect()
}

impl Workbench {
    /// The snapshots of an ecosystem (every ecosystem's when `ecosystem` is `None`) as of an
    /// as-of, oldest first.
    pub async fn snapshots(
        &self,
        ecosystem: Option<&str>,
        as_of: Option<&str>,
    ) -> Result<Vec<SnapshotEntry>> {
        let rev = self.revision_of(as_of).await?;
        self.snapshots_at(ecosystem, rev).await
    }

    async fn snapshots_at(&self, ecosystem: Option<&str>, rev: i64) -> Result<Vec<SnapshotEntry>> {
        let mut out = Vec::new();
        for d in self.store.docs(kind::SNAPSHOT, rev).await? {
            let Some((eco, label)) = d.key.split_once('@') else {
                continue;
            };
            if ecosystem.is_some_and(|e| e != eco) {
                continue;
            }
            let meta: serde_json::Value = serde_json::from_str(&d.body).unwrap_or_default();
            let r = self.store.revision(d.version).await?;
            out.push(SnapshotEntry {
                ecosystem: eco.to_string(),
                label: label.to_string(),
                revision: d.version,
                at: r.as_ref().map(|r| r.at.clone()).unwrap_or_default(),
                author: r.as_ref().map(|r| r.author.clone()).unwrap_or_default(),
                note: r.map(|r| r.note).unwrap_or_default(),
                origin: meta["origin"].as_str().map(str::to_string),
                inputs: meta["inputs"].as_u64(),
            });
        }
        out.sort_by(|a, b| {
            (a.revision, &a.ecosystem, &a.label).cmp(&(b.revision, &b.ecosystem, &b.label))
        });
        Ok(out)
    }

    /// What a snapshot argument names, as of `rev`, with its full label: `label` (a snapshot of
    /// `ecosystem`), `other@label` (a snapshot of another ecosystem) or an ecosystem's name (as it
    /// stands). An argument naming nothing is an invalid `field`.
    async fn snapshot_named(
        &self,
        ecosystem: &str,
        spec: &str,
        field: &str,
        rev: i64,
    ) -> Result<(String, Arc<Loaded>)> {
        let spec = spec.trim();
        if spec.is_empty() {
            return Err(AppError::invalid(field, "name a snapshot"));
        }
        let (eco, label) = match spec.split_once('@') {
            Some((e, l)) => (e, Some(l)),
            None => (ecosystem, Some(spec)),
        };
        let snaps = self.snapshots_at(Some(eco), rev).await?;
        if let Some(s) = label.and_then(|l| snaps.iter().find(|s| s.label == l)) {
            let full = format!("{eco}@{}", s.label);
            return Ok((full, self.ecosystem_at(eco, s.revision).await?));
        }
        if !spec.contains('@')
            && self
                .store
                .doc_version(kind::ECOSYSTEM, spec, rev)
                .await?
                .is_some()
        {
            return Ok((spec.to_string(), self.ecosystem_at(spec, rev).await?));
        }
        let known: Vec<String> = snaps.iter().map(|s| s.label.clone()).collect();
        Err(AppError::invalid(
            field,
            format!(
                "`{spec}` names no snapshot of `{eco}` (its snapshots: {}) and no ecosystem",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ),
        ))
    }

    /// An ecosystem read for one holder: every input's metrics and the holder's share, the
    /// `goes_into` edges, the holder's chokepoints at `min_share`, and the leverage between the
    /// holder and `counterpart` (default CHN, or EU27 when the holder is CHN).
    pub async fn explore(
        &self,
        name: &str,
        as_of: Option<&str>,
        holder: Option<&str>,
        counterpart: Option<&str>,
        year: Option<i32>,
        min_share: Option<f64>,
    ) -> Result<Exploration> {
        let rev = self.revision_of(as_of).await?;
        let l = self.ecosystem_at(name, rev).await?;
        let blocs = crate::ecosystem::blocs(&l, &[])?;
        let holder = holder_id(holder.unwrap_or(DEFAULT_HOLDER), &blocs, "holder")?;
        let min_share =
            crate::ecosystem::share("min_share", min_share.unwrap_or(DEFAULT_MIN_SHARE))?;
        let years = years(&l);
        check_year(name, year, &years)?;
        let counterpart = match counterpart {
            Some(c) => holder_id(c, &blocs, "vs")?,
            None if holder == "CHN" => DEFAULT_HOLDER.to_string(),
            None => "CHN".to_string(),
        };
        let inputs = match crate::ecosystem::metrics_view(
            &l,
            &blocs,
            std::slice::from_ref(&holder),
            &[],
            year,
            false,
        )? {
            MetricsAnswer::Inputs { rows, .. } => rows,
            MetricsAnswer::Stages(_) => Vec::new(),
        };
        let chokepoints = crate::ecosystem::chokepoints_view(&l, &blocs, &holder, min_share, year)?;
        let leverage = (counterpart != holder)
            .then(|| {
                crate::ecosystem::leverage_view(
                    &l,
                    &blocs,
                    (&holder, &counterpart),
                    LEVERAGE_MIN_SHARE,
                    year,
                )
            })
            .transpose()?;
        let eco = l.checked.ecosystem();
        Ok(Exploration {
            ecosystem: name.to_string(),
            name: eco.name.clone(),
            description: eco.description.clone(),
            sources: eco.sources.clone(),
            revision: rev,
            holder_name: holder_name(&holder, &blocs),
            holder,
            year,
            min_share,
            stages: eco
                .stages
                .iter()
                .map(|s| StageRef {
                    id: s.id.clone(),
                    name: s.name.clone(),
                })
                .collect(),
            inputs,
            edges: goes_into_edges(&l),
            chokepoints,
            counterpart,
            leverage,
            holders: holder_options(&l, &blocs),
            years,
            snapshots: self.snapshots_at(Some(name), rev).await?,
        })
    }

    /// One input of an ecosystem: its place in the value chain and its shares in every year
    /// with data, with the holder's share and chokepoints at `min_share`. An unknown input is an
    /// invalid `input`.
    pub async fn input(
        &self,
        name: &str,
        input: &str,
        as_of: Option<&str>,
        holder: Option<&str>,
        min_share: Option<f64>,
    ) -> Result<InputAnswer> {
        let rev = self.revision_of(as_of).await?;
        let l = self.ecosystem_at(name, rev).await?;
        let blocs = crate::ecosystem::blocs(&l, &[])?;
        let holder = holder_id(holder.unwrap_or(DEFAULT_HOLDER), &blocs, "holder")?;
        let min_share =
            crate::ecosystem::share("min_share", min_share.unwrap_or(DEFAULT_MIN_SHARE))?;
        let checked = &l.checked;
        let i = checked.input_index(input).ok_or_else(|| {
            AppError::invalid(
                "input",
                format!("no input `{input}` in the ecosystem `{name}`"),
            )
        })?;
        let h = crate::ecosystem::holder(&holder, &blocs)?;
        Ok(InputAnswer {
            ecosystem: name.to_string(),
            ecosystem_name: checked.ecosystem().name.clone(),
            revision: rev,
            holder_name: holder_name(&holder, &blocs),
            holder,
            input: osa_view::ecosystem::input_view(checked, i, &[h], min_share),
            holders: holder_options(&l, &blocs),
        })
    }

    /// Two snapshots compared (the comparison of `osa diff` and of monitoring): `from` and `to`
    /// are a snapshot label of `ecosystem`, `other@label`, or an ecosystem's name. Watched
    /// holders default to EU27 and CHN (each input's top holders are watched too).
    pub async fn compare_snapshots(
        &self,
        ecosystem: &str,
        (from, to): (&str, &str),
        as_of: Option<&str>,
        holders: &[String],
        min_share: Option<f64>,
    ) -> Result<Comparison> {
        let rev = self.revision_of(as_of).await?;
        if self
            .store
            .doc_version(kind::ECOSYSTEM, ecosystem, rev)
            .await?
            .is_none()
        {
            return Err(AppError::NotFound(format!(
                "no ecosystem `{ecosystem}` in the record at revision {rev}"
            )));
        }
        let (from_label, old) = self.snapshot_named(ecosystem, from, "from", rev).await?;
        let (to_label, new) = self.snapshot_named(ecosystem, to, "to", rev).await?;
        let thresholds = Thresholds {
            min_share: crate::ecosystem::share(
                "min_share",
                min_share.unwrap_or(DEFAULT_MIN_SHARE),
            )?,
            ..Thresholds::default()
        };
        let mut all = crate::ecosystem::blocs(&new, &[])?;
        for b in old.checked.user_blocs() {
            if all.get(&b.id).is_none() {
                all.insert(b.clone());
            }
        }
        let holders = holders
            .iter()
            .map(|h| holder_id(h, &all, "holder"))
            .collect::<Result<Vec<_>>>()?;
        let req = DiffRequest {
            holders,
            bloc_definitions: Vec::new(),
            thresholds,
            old_year: None,
            new_year: None,
        };
        let diff = crate::ecosystem::diff_view(&old, &new, (&from_label, &to_label), &req)?;
        Ok(Comparison {
            ecosystem: ecosystem.to_string(),
            from: from.trim().to_string(),
            to: to.trim().to_string(),
            diff,
            snapshots: self.snapshots_at(None, rev).await?,
        })
    }
}
