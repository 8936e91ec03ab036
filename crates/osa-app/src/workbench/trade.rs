//! Trade data in the record: a registered dataset is a BACI CSV or an osa Parquet cache on the
//! server's disk (an operator's file, or a cache ingested from an upload: see `ingest`; the file
//! stays a file; its metadata is stored, checked when registered), and each
//! screening run on it is kept with who ran it, the parameters and the result.

use super::Workbench;
use super::records::{Stored, check_key};
use crate::screen::{ScreenBy, ScreenRequest, ScreenView};
use crate::trade::Progress;
use crate::{AppError, Result};
use osa_store::Actor;
use osa_store::changes::NewChange;
use osa_store::docs::Put;
use osa_store::users::{Principal, Role};
use serde::{Deserialize, Serialize};

/// Document kinds.
pub use super::kinds::trade as kind;

/// A registered trade dataset.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TradeDataset {
    /// Where the server reads it: `upload:SHA256` (a Parquet cache ingested from an upload, in
    /// the upload area) or the operator's file named with `osa trade add`.
    #[serde(alias = "path")]
    pub file: String,
    /// `csv` (BACI) or `parquet` (osa's cache).
    pub format: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Rows (caches only).
    pub rows: Option<u64>,
    /// The first data row's year.
    pub year: Option<u16>,
    /// The country table in use.
    pub country_table: String,
    /// Why it was registered.
    pub note: String,
}

/// A screening to run on a registered dataset.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreeningRequest {
    /// Importer bloc or ISO3 (default EU27).
    #[serde(default)]
    pub importer: Option<String>,
    /// The year (default: the file's only year).
    #[serde(default)]
    pub year: Option<u16>,
    /// `product` (default), `section`, `end_use`, `supplier`.
    #[serde(default)]
    pub by: Option<String>,
    /// Only dependent products.
    #[serde(default)]
    pub dependent_only: bool,
}

/// A stored screening run.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScreeningRun {
    /// The dataset and its version.
    pub dataset: String,
    /// The dataset's version (revision).
    pub dataset_version: i64,
    /// Parameters.
    pub request: ScreeningRequest,
    /// Who ran it.
    pub by: String,
    /// Rows read and rejected.
    pub rows_read: u64,
    /// Rows rejected.
    pub rows_rejected: u64,
    /// Coverage and summary lines, warnings.
    pub notes: Vec<String>,
    /// The rows of the view (the command line's JSON of `osa screen --by ...`).
    pub rows: serde_json::Value,
}

/// No progress to draw on a server.
struct Quiet;

impl Progress for Quiet {
    fn opened(&self, _: &osa_trade::ingest::trade::TradeFile) {}
    fn read(&self, _: u64) {}
}

fn by(s: Option<&str>) -> Result<ScreenBy> {
    Ok(match s.unwrap_or("product") {
        "product" => ScreenBy::Product,
        "section" => ScreenBy::Section,
        "end_use" => ScreenBy::EndUse,
        "supplier" => ScreenBy::Supplier,
        other => {
            return Err(AppError::invalid(
                "by",
                format!("`{other}`: product, section, end_use or supplier"),
            ));
        }
    })
}

impl Workbench {
    /// Checks that `who` may register the trade dataset `id` (reviewers and above; a refusal is
    /// audited).
    pub(super) async fn require_registrar(
        &self,
        actor: &Actor,
        who: &Principal,
        id: &str,
    ) -> Result<()> {
        let target = format!("trade-dataset/{id}");
        self.require(
            actor,
            who,
            Role::Reviewer,
            "trade_dataset.register",
            &target,
        )
        .await
    }

    /// Registers a trade file on this host (reviewers and above): opened and checked now (a
    /// corrupted cache is refused), its metadata stored. The path is the operator's own file
    /// (`osa trade add`) or a cache the ingest job made in the upload area (`ingest`); the HTTP
    /// API never passes a client's text here.
    pub async fn register_trade_file(
        &self,
        actor: &Actor,
        who: &Principal,
        id: &str,
        (path, file): (&std::path::Path, &str),
        note: &str,
    ) -> Result<Stored<TradeDataset>> {
        self.require_registrar(actor, who, id).await?;
        check_key("id", id)?;
        if note.trim().is_empty() {
            return Err(AppError::invalid("note", "say why (a note is required)"));
        }
        let p = path.to_path_buf();
        let ds = tokio::task::spawn_blocking(move || inspect(&p))
            .await
            .map_err(|e| AppError::invalid("path", e.to_string()))??;
        let ds = TradeDataset {
            note: note.into(),
            file: file.into(),
            ..ds
        };
        let body = serde_json::to_string(&ds).map_err(|e| AppError::data("the dataset", e))?;
        let put = Put {
            kind: kind::DATASET.into(),
            key: id.into(),
            body: Some(body),
            expected: None,
        };
        let as_who = Actor {
            name: who.name.clone(),
            ..actor.clone()
        };
        let mut changes = vec![NewChange {
            subject: format!("trade/{id}"),
            kind: "dataset_new".into(),
            title: format!(
                "{} registered the trade dataset {id}{}{}: {note}",
                who.name,
                ds.year.map(|y| format!(" ({y})")).unwrap_or_default(),
                ds.rows.map(|r| format!(", {r} rows")).unwrap_or_default()
            ),
            detail: serde_json::json!({ "file": ds.file, "format": ds.format }),
            link: "/trade".into(),
            ..NewChange::default()
        }];
        changes.extend(self.dependency_changes(id, &ds).await?);
        changes.extend(self.importer_changes(id, &ds).await?);
        let notes = self.watchers().await?.notes(&who.name, &changes);
        let target = format!("trade-dataset/{id}");
        let release = osa_store::changes::Release {
            action: "trade_dataset.register",
            target: &target,
            note,
            puts: &[put],
            notes: &notes,
            changes: &changes,
            detail: serde_json::json!({ "file": ds.file }),
        };
        let rev = self.store.write_release(&as_who, &release).await?;
        Ok(Stored {
            key: id.into(),
            version: rev.id,
            value: ds,
        })
    }

    /// What a new trade dataset changes against the one registered before it (the latest other
    /// dataset): the EU27's screening of each, compared product by product: products becoming or
    /// ceasing to be dependent, and dependent products whose top supplier changed. At most
    /// [`MAX_TRADE_CHANGES`] are listed one by one; a summary change counts them all.
    async fn dependency_changes(&self, id: &str, new: &TradeDataset) -> Result<Vec<NewChange>> {
        let head = self.store.head().await?;
        let previous = self
            .store
            .docs(kind::DATASET, head)
            .await?
            .into_iter()
            .filter(|d| d.key != id)
            .max_by_key(|d| d.version);
        let Some(prev) = previous else {
            return Ok(Vec::new());
        };
        let old: TradeDataset =
            serde_json::from_str(&prev.body).map_err(|e| AppError::data("a stored dataset", e))?;
        let (old_path, new_path) = (self.trade_file(&old)?, self.trade_file(new)?);
        let (old_year, new_year) = (old.year, new.year);
        let (before, after) = tokio::task::spawn_blocking(move || -> Result<_> {
            Ok((
                dependencies(&old_path, old_year)?,
                dependencies(&new_path, new_year)?,
            ))
        })
        .await
        .map_err(|e| AppError::invalid("path", e.to_string()))??;
        Ok(compare_dependencies(
            &format!("trade/{id}"),
            &prev.key,
            &before,
            &after,
        ))
    }

    /// The file a dataset is read from.
    pub(super) fn trade_file(&self, ds: &TradeDataset) -> Result<std::path::PathBuf> {
        match ds.file.strip_prefix("upload:") {
            Some(sha) => Ok(self.uploads()?.blob(sha)?.path().to_path_buf()),
            None => Ok(ds.file.clone().into()),
        }
    }

    /// The registered trade datasets as of an as-of.
    pub async fn trade_datasets(&self, as_of: Option<&str>) -> Result<Vec<Stored<TradeDataset>>> {
        let rev = self.revision_of(as_of).await?;
        self.store
            .docs(kind::DATASET, rev)
            .await?
            .into_iter()
            .map(|d| {
                let value = serde_json::from_str(&d.body)
                    .map_err(|e| AppError::data("a stored dataset", e))?;
                Ok(Stored {
                    key: d.key,
                    version: d.version,
                    value,
                })
            })
            .collect()
    }

    /// Screens a registered dataset and keeps the run (analysts and above).
    pub async fn run_screening(
        &self,
        actor: &Actor,
        who: &Principal,
        id: &str,
        req: &ScreeningRequest,
    ) -> Result<ScreeningRun> {
        Ok(self.run_screening_kept(actor, who, id, req).await?.1)
    }

    /// Screens a registered dataset and keeps the run, answering the run's number with it.
    pub async fn run_screening_kept(
        &self,
        actor: &Actor,
        who: &Principal,
        id: &str,
        req: &ScreeningRequest,
    ) -> Result<(u32, ScreeningRun)> {
        self.require(
            actor,
            who,
            Role::Analyst,
            "screening.run",
            &format!("trade-dataset/{id}"),
        )
        .await?;
        let head = self.store.head().await?;
        let d = self
            .store
            .doc(kind::DATASET, id, head)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("no trade dataset `{id}`")))?;
        let ds: TradeDataset =
            serde_json::from_str(&d.body).map_err(|e| AppError::data("a stored dataset", e))?;
        let sreq = ScreenRequest {
            trade: self.trade_file(&ds)?,
            countries: None,
            threads: 2,
            importer: req.importer.clone().unwrap_or_else(|| "EU27".into()),
            bloc_definitions: Vec::new(),
            year: req.year,
            thresholds: osa_trade::screen::Thresholds {
                hhi: 0.4,
                extra_share: 0.5,
                ratio: 1.0,
            },
            reference: "CHN".into(),
            hs: Vec::new(),
            end_use: None,
            by: by(req.by.as_deref())?,
            dependent_only: req.dependent_only,
            ecosystems: Vec::new(),
        };
        let a = tokio::task::spawn_blocking(move || crate::screen::screen(&sreq, &Quiet))
            .await
            .map_err(|e| AppError::invalid("trade", e.to_string()))??;
        let rows = match &a.value.view {
            ScreenView::Products { rows, .. } => serde_json::to_value(rows),
            ScreenView::Groups { rows, .. } => serde_json::to_value(rows),
            ScreenView::Suppliers(rows) => serde_json::to_value(rows),
            ScreenView::Inputs(rows) => serde_json::to_value(rows),
        }
        .map_err(|e| AppError::data("the screening's rows", e))?;
        let mut notes = a.value.notes.clone();
        notes.extend(a.warnings);
        let run = ScreeningRun {
            dataset: id.into(),
            dataset_version: d.version,
            request: req.clone(),
            by: who.name.clone(),
            rows_read: a.value.scanned.stats.rows_read,
            rows_rejected: a.value.scanned.stats.rows_rejected,
            notes,
            rows,
        };
        let key = self
            .keep_run(
                (actor, who),
                (kind::SCREENING, id),
                ("screening.run", &format!("screening of {id}")),
                &run,
            )
            .await?;
        Ok((super::kinds::run_number(&key).unwrap_or(0), run))
    }

    /// The stored screening runs of a dataset, newest first.
    pub async fn screenings(&self, id: &str, as_of: Option<&str>) -> Result<Vec<ScreeningRun>> {
        self.runs_of(kind::SCREENING, id, as_of).await
    }
}

/// Opens a trade file (checking a cache's digests) and reads what the record keeps of it.
fn inspect(p: &std::path::Path) -> Result<TradeDataset> {
    let f = crate::trade::open(p, None)?;
    let year = f
        .first_year()
        .map_err(|e| AppError::data(format!("could not read {}", p.display()), e))?;
    Ok(TradeDataset {
        file: p.display().to_string(),
        format: match f.kind {
            osa_trade::ingest::trade::Kind::Csv => "csv".into(),
            osa_trade::ingest::trade::Kind::Parquet => "parquet".into(),
        },
        bytes: f.bytes,
        rows: f.info.as_ref().map(|i| i.rows),
        year,
        country_table: f.table.file().to_string(),
        note: String::new(),
    })
}

/// Most dependency changes listed one by one when a trade dataset is registered.
pub const MAX_TRADE_CHANGES: usize = 200;

/// Per HS6 product: whether the EU27 depends on it (SWD(2021) 352 thresholds) and its top supplier.
type Dependencies = std::collections::BTreeMap<String, (bool, String)>;

/// The EU27's screening of a trade file, product by product, in the dataset's year (its first
/// data row's: a file of several years is compared on that year).
fn dependencies(path: &std::path::Path, year: Option<u16>) -> Result<Dependencies> {
    let req = ScreenRequest {
        trade: path.into(),
        countries: None,
        threads: 2,
        importer: "EU27".into(),
        bloc_definitions: Vec::new(),
        year,
        thresholds: osa_trade::screen::Thresholds {
            hhi: 0.4,
            extra_share: 0.5,
            ratio: 1.0,
        },
        reference: "CHN".into(),
        hs: Vec::new(),
        end_use: None,
        by: ScreenBy::Product,
        dependent_only: false,
        ecosystems: Vec::new(),
    };
    let a = crate::screen::screen(&req, &Quiet)?;
    let ScreenView::Products { rows, .. } = a.value.view else {
        return Ok(Dependencies::new());
    };
    Ok(rows
        .into_iter()
        .map(|r| (r.product, (r.dependent, r.top_supplier)))
        .collect())
}

/// The changes between two screenings of successive datasets.
fn compare_dependencies(
    subject: &str,
    previous: &str,
    before: &Dependencies,
    after: &Dependencies,
) -> Vec<NewChange> {
    let mut all = Vec::new();
    for (product, (dep, top)) in after {
        let old = before.get(product);
        let was = old.is_some_and(|(d, _)| *d);
        let change = match (was, *dep) {
            (false, true) => Some((
                "dependent_new",
                format!("HS {product}: the EU27 now depends on it (top supplier {top})"),
            )),
            (true, false) => Some((
                "dependent_lost",
                format!("HS {product}: no longer a dependency of the EU27"),
            )),
            (true, true) if old.is_some_and(|(_, t)| t != top) => Some((
                "top_supplier_changed",
                format!(
                    "HS {product}: top supplier {} -> {top}",
                    old.map_or("", |(_, t)| t.as_str())
                ),
            )),
            _ => None,
        };
        if let Some((kind, title)) = change {
            all.push(NewChange {
                subject: subject.into(),
                kind: kind.into(),
                title,
                detail: serde_json::json!({ "product": product, "before": old, "after": (dep, top), "previous_dataset": previous }),
                topics: hs_topics(product),
                ..NewChange::default()
            });
        }
    }
    for (product, (dep, _)) in before {
        if *dep && !after.contains_key(product) {
            all.push(NewChange {
                subject: subject.into(),
                kind: "dependent_lost".into(),
                title: format!("HS {product}: no longer imported from outside the EU27"),
                detail: serde_json::json!({ "product": product, "previous_dataset": previous }),
                topics: hs_topics(product),
                ..NewChange::default()
            });
        }
    }
    let n = all.len();
    all.truncate(MAX_TRADE_CHANGES);
    all.push(NewChange {
        subject: subject.into(),
        kind: "screening_compared".into(),
        title: format!(
            "{n} dependency changes against {previous} ({} listed)",
            n.min(MAX_TRADE_CHANGES)
        ),
        detail: serde_json::json!({ "changes": n, "previous_dataset": previous }),
        ..NewChange::default()
    });
    all
}

/// The subjects of a product's change: its HS section (`hs/XV`).
fn hs_topics(product: &str) -> Vec<String> {
    product
        .get(..6)
        .and_then(|p| p.parse::<u32>().ok())
        .and_then(osa_trade::end_use::section)
        .map(|s| vec![format!("hs/{s}")])
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_are_compared_product_by_product() {
        let d = |v: &[(&str, bool, &str)]| -> Dependencies {
            v.iter()
                .map(|(p, dep, t)| (p.to_string(), (*dep, t.to_string())))
                .collect()
        };
        let before = d(&[
            ("010101", true, "CHN"),
            ("020202", true, "USA"),
            ("030303", false, "CHN"),
            ("040404", true, "JPN"),
        ]);
        let after = d(&[
            ("010101", true, "VNM"),
            ("020202", false, "USA"),
            ("030303", true, "CHN"),
        ]);
        let c = compare_dependencies("trade/x", "prev", &before, &after);
        let kinds: Vec<(&str, &str)> = c
            .iter()
            .map(|c| (c.kind.as_str(), c.detail["product"].as_str().unwrap_or("")))
            .collect();
        assert_eq!(
            kinds,
            [
                ("top_supplier_changed", "010101"),
                ("dependent_lost", "020202"),
                ("dependent_new", "030303"),
                ("dependent_lost", "040404"),
                ("screening_compared", ""),
            ]
        );
        assert!(
            compare_dependencies("s", "p", &before, &before).len() == 1,
            "only the summary"
        );
    }
}
