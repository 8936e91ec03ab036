//! Panels in the record: the registered trade datasets, one per year, form the record's panel.
//! A panel screening over it (an importer or every importer, a range of years, a built-in method)
//! is kept with who ran it and what it found: dependent products per year by top supplier,
//! churn and spells. When a new year is registered, every importer the unit follows (the EU27 and
//! the importers of its kept panel runs) is screened for that year and the one before, and the
//! products that became or ceased to be dependent enter the change log, one change per importer.

use super::Workbench;
use super::kinds::trade as kind;
use super::runs::Numbered;
use super::trade::TradeDataset;
use crate::screen_panel::{PanelAnswer, PanelRequest, screen_panel_of};
use crate::trade::Progress;
use crate::{AppError, Result};
use osa_store::Actor;
use osa_store::changes::NewChange;
use osa_store::users::{Principal, Role};
use osa_view::trade::{ChurnRow, SpellRow};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// The owner part of a panel run's key (`panel/NNNN`).
pub const OWNER: &str = "panel";

/// Spells kept with a run of every importer (a single importer's are all kept).
pub const MAX_SPELLS: usize = 2_000;

/// Products named one by one in an importer's change when a year is registered.
pub const MAX_NAMED: usize = 12;

/// A panel screening to run on the record's datasets.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PanelRunRequest {
    /// An importer bloc or ISO3 country, or `all` (every country and bloc); default EU27.
    #[serde(default)]
    pub importer: Option<String>,
    /// `YEAR` or `FROM-TO` (default: every year registered).
    #[serde(default)]
    pub years: Option<String>,
    /// `swd2021` (default) or `geodep2024`.
    #[serde(default)]
    pub method: Option<String>,
}

/// One year of the record's panel: the dataset read for it.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PanelYear {
    /// The year.
    pub year: u16,
    /// The dataset's id.
    pub dataset: String,
    /// The dataset's version (revision).
    pub version: i64,
}

/// A kept panel screening.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PanelRun {
    /// Parameters.
    pub request: PanelRunRequest,
    /// Who ran it.
    pub by: String,
    /// The method's id, name and source.
    pub method: (String, String, String),
    /// The years screened (the persistence window's earlier years are read, not shown).
    pub years: Vec<u16>,
    /// The datasets read, one per year.
    pub datasets: Vec<PanelYear>,
    /// What was screened, the method and its source.
    pub notes: Vec<String>,
    /// Per importer and year: dependent products, entered, left, churn over 1 and 5 years.
    #[schemars(with = "serde_json::Value")]
    pub churn: Vec<ChurnRow>,
    /// Spells of dependency (how long each lasted); see `spells_total`.
    #[schemars(with = "serde_json::Value")]
    pub spells: Vec<SpellRow>,
    /// Spells found (all are kept for one importer; at most [`MAX_SPELLS`] for every importer).
    pub spells_total: usize,
    /// Dependent products per year by top supplier (8 largest, then the others as `null`).
    pub by_supplier: Vec<(u16, Option<String>, usize)>,
}

/// No progress to draw on a server.
struct Quiet;

impl Progress for Quiet {
    fn opened(&self, _: &osa_trade::ingest::trade::TradeFile) {}
    fn read(&self, _: u64) {}
}

/// A built-in method only: a server never opens a file a client names.
fn method_of(spec: Option<&str>) -> Result<String> {
    let m = spec
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .unwrap_or("swd2021");
    match osa_trade::method::Method::builtin(m) {
        Some(_) => Ok(m.to_string()),
        None => Err(AppError::invalid(
            "method",
            format!("`{m}`: swd2021 or geodep2024"),
        )),
    }
}

fn importer_of(spec: Option<&str>) -> Result<String> {
    let i = spec
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .unwrap_or("EU27");
    let ok = i.len() <= 40
        && i.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !ok {
        return Err(AppError::invalid(
            "importer",
            format!("`{i}`: a bloc id, an ISO3 code or `all`"),
        ));
    }
    Ok(i.to_string())
}

/// The request a panel screening of the record runs.
fn panel_request(importer: &str, years: Option<(u16, u16)>, method: &str) -> PanelRequest {
    PanelRequest {
        trade: PathBuf::from("the record's trade datasets"),
        countries: None,
        threads: 2,
        importer: importer.into(),
        bloc_definitions: Vec::new(),
        years,
        method: method.into(),
        dependent_only: true,
    }
}

impl Workbench {
    /// The record's panel as of a revision: for each year, the dataset registered last for it,
    /// with the file it is read from.
    async fn record_panel(&self, rev: i64) -> Result<Vec<(PanelYear, PathBuf)>> {
        let mut by_year: BTreeMap<u16, (PanelYear, PathBuf)> = BTreeMap::new();
        for d in self.store.docs(kind::DATASET, rev).await? {
            let ds: TradeDataset =
                serde_json::from_str(&d.body).map_err(|e| AppError::data("a stored dataset", e))?;
            let Some(year) = ds.year else { continue };
            let newer = by_year
                .get(&year)
                .is_none_or(|(p, _)| p.version < d.version);
            if newer {
                let path = self.trade_file(&ds)?;
                let y = PanelYear {
                    year,
                    dataset: d.key,
                    version: d.version,
                };
                by_year.insert(year, (y, path));
            }
        }
        Ok(by_year.into_values().collect())
    }

    /// Screens the record's panel and keeps the run (analysts and above); answers its number.
    pub async fn run_panel(
        &self,
        actor: &Actor,
        who: &Principal,
        req: &PanelRunRequest,
    ) -> Result<(u32, PanelRun)> {
        self.require(actor, who, Role::Analyst, "panel.run", "trade-panel")
            .await?;
        let importer = importer_of(req.importer.as_deref())?;
        let method = method_of(req.method.as_deref())?;
        let years = match req
            .years
            .as_deref()
            .map(str::trim)
            .filter(|y| !y.is_empty())
        {
            Some(y) => Some(crate::screen_panel::parse_years(y)?),
            None => None,
        };
        let head = self.store.head().await?;
        let panel = self.record_panel(head).await?;
        if panel.is_empty() {
            return Err(AppError::NotFound(
                "no trade dataset with a year is registered".into(),
            ));
        }
        let files: Vec<(u16, PathBuf)> = panel.iter().map(|(y, p)| (y.year, p.clone())).collect();
        let preq = panel_request(&importer, years, &method);
        let a = tokio::task::spawn_blocking(move || screen_panel_of(&files, &preq, &Quiet))
            .await
            .map_err(|e| AppError::invalid("years", e.to_string()))??;
        let run = kept_run(req, who, &a, panel.into_iter().map(|(y, _)| y).collect());
        let key = self
            .keep_run(
                (actor, who),
                (kind::PANEL, OWNER),
                ("panel.run", &format!("panel screening of {importer}")),
                &run,
            )
            .await?;
        Ok((super::kinds::run_number(&key).unwrap_or(0), run))
    }

    /// The kept panel runs, newest first, with their numbers.
    pub async fn panel_runs(&self, as_of: Option<&str>) -> Result<Vec<Numbered<PanelRun>>> {
        self.numbered(kind::PANEL, OWNER, as_of).await
    }

    /// One kept panel run.
    pub async fn panel_run(&self, number: u32, as_of: Option<&str>) -> Result<Numbered<PanelRun>> {
        self.panel_runs(as_of)
            .await?
            .into_iter()
            .find(|r| r.number == number)
            .ok_or_else(|| AppError::NotFound(format!("no panel run {number}")))
    }

    /// The importers the unit follows and the method each is followed with: the EU27 (the
    /// Commission's method) and those of the kept panel runs (the latest run's method wins; `all`
    /// means every importer).
    async fn followed_importers(&self, rev: i64) -> Result<BTreeMap<String, String>> {
        let mut followed = BTreeMap::from([("EU27".to_string(), "swd2021".to_string())]);
        let mut runs = self.store.docs(kind::PANEL, rev).await?;
        runs.sort_by_key(|d| d.version);
        for d in runs {
            let run: PanelRun =
                serde_json::from_str(&d.body).map_err(|e| AppError::data("a stored run", e))?;
            let importer = run.request.importer.unwrap_or_else(|| "EU27".into());
            followed.insert(importer, run.method.0);
        }
        Ok(followed)
    }

    /// The changes a newly registered year makes for every followed importer: the products that
    /// became or ceased to be dependent between the year before (or the latest earlier year
    /// registered) and the new one, one change per importer with changes.
    pub(super) async fn importer_changes(
        &self,
        id: &str,
        new: &TradeDataset,
    ) -> Result<Vec<NewChange>> {
        let Some(year) = new.year else {
            return Ok(Vec::new());
        };
        let head = self.store.head().await?;
        let mut panel = self.record_panel(head).await?;
        panel.retain(|(y, _)| y.year < year);
        let Some(prev_year) = panel.last().map(|(y, _)| y.year) else {
            return Ok(Vec::new());
        };
        panel.push((
            PanelYear {
                year,
                dataset: id.into(),
                version: 0,
            },
            self.trade_file(new)?,
        ));
        let files: Vec<(u16, PathBuf)> = panel.iter().map(|(y, p)| (y.year, p.clone())).collect();
        let mut changes = Vec::new();
        for (importer, method) in self.followed_importers(head).await? {
            let (files, subject) = (files.clone(), format!("trade/{id}"));
            let preq = panel_request(&importer, Some((prev_year, year)), &method);
            let a = tokio::task::spawn_blocking(move || screen_panel_of(&files, &preq, &Quiet))
                .await
                .map_err(|e| AppError::invalid("years", e.to_string()))??;
            changes.extend(year_changes(&subject, &a, (prev_year, year)));
        }
        Ok(changes)
    }
}

/// What a run keeps of a panel's answer.
fn kept_run(
    req: &PanelRunRequest,
    who: &Principal,
    a: &PanelAnswer,
    all: Vec<PanelYear>,
) -> PanelRun {
    let first = a.years.first().copied().unwrap_or(0);
    let datasets = all
        .into_iter()
        .filter(|y| a.years.contains(&y.year) || y.year < first)
        .collect();
    let spells_total = a.spells.len();
    let every = req.importer.as_deref() == Some("all");
    let mut spells = a.spells.clone();
    let mut notes = a.notes.clone();
    if every && spells.len() > MAX_SPELLS {
        spells.sort_by(|x, y| {
            y.years
                .cmp(&x.years)
                .then_with(|| x.importer.cmp(&y.importer))
        });
        spells.truncate(MAX_SPELLS);
        notes.push(format!(
            "{MAX_SPELLS} longest of {spells_total} spells kept; run one importer for all of its spells"
        ));
    }
    PanelRun {
        request: req.clone(),
        by: who.name.clone(),
        method: (
            a.method.id.clone(),
            a.method.name.clone(),
            a.method.source.clone(),
        ),
        years: a.years.clone(),
        datasets,
        notes,
        churn: a.churn.clone(),
        spells,
        spells_total,
        by_supplier: a.by_supplier.clone(),
    }
}

/// One change per importer whose dependent products differ between two years.
fn year_changes(subject: &str, a: &PanelAnswer, (from, to): (u16, u16)) -> Vec<NewChange> {
    let mut sets: BTreeMap<&str, (BTreeSet<&str>, BTreeSet<&str>)> = BTreeMap::new();
    for r in a.rows.iter().filter(|r| r.dependent) {
        let e = sets.entry(r.importer.as_str()).or_default();
        if r.year == from {
            e.0.insert(&r.product);
        } else if r.year == to {
            e.1.insert(&r.product);
        }
    }
    let method = &a.method.id;
    sets.into_iter()
        .filter_map(|(importer, (before, after))| {
            let entered: Vec<&str> = after.difference(&before).copied().collect();
            let left: Vec<&str> = before.difference(&after).copied().collect();
            if entered.is_empty() && left.is_empty() {
                return None;
            }
            Some(NewChange {
                subject: subject.into(),
                kind: "importer_dependencies".into(),
                title: format!(
                    "{importer}, {from} to {to} ({method}): {} product(s) became dependent{}, {} ceased to be{}",
                    entered.len(),
                    named(&entered),
                    left.len(),
                    named(&left),
                ),
                detail: serde_json::json!({
                    "importer": importer, "from": from, "to": to, "method": method,
                    "entered": entered, "left": left,
                }),
                link: "/trade#panels".into(),
                ..NewChange::default()
            })
        })
        .collect()
}

/// ` (HS 854231, 280530, ...)`: the first products by code.
fn named(products: &[&str]) -> String {
    if products.is_empty() {
        return String::new();
    }
    let more = if products.len() > MAX_NAMED {
        ", ..."
    } else {
        ""
    };
    let shown: Vec<&str> = products.iter().take(MAX_NAMED).copied().collect();
    format!(" (HS {}{more})", shown.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_built_in_methods_and_plain_importer_ids_are_accepted() {
        assert_eq!(method_of(None).unwrap(), "swd2021");
        assert_eq!(method_of(Some("geodep2024")).unwrap(), "geodep2024");
        assert!(method_of(Some("/etc/passwd")).is_err());
        assert!(method_of(Some("../data/trade/methods/swd2021.toml")).is_err());
        assert_eq!(importer_of(Some(" USA ")).unwrap(), "USA");
        assert_eq!(importer_of(None).unwrap(), "EU27");
        assert!(importer_of(Some("EU27; drop")).is_err());
    }

    #[test]
    fn a_long_list_of_products_is_cut_with_an_ellipsis() {
        assert_eq!(named(&[]), "");
        assert_eq!(named(&["854231"]), " (HS 854231)");
        let many: Vec<String> = (0..15).map(|i| format!("{:06}", 100_000 + i)).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        let s = named(&refs);
        assert!(s.ends_with("100011, ...)"), "{s}");
    }
}
