//! The workbench: osa's use cases over the shared record. Reads take an as-of and answer as the
//! record stood then, with the same views as the command line (`osa matrix --format json` and
//! `GET /api/v1/matrix` are one function). Writes check the caller's role here, in one place,
//! deny by default, and refusals are audited.
//!
//! - [`account`]: a user's API tokens and feed key;
//! - [`seed`]: what a new store starts with (everything osa embeds);
//! - [`read`]: baseline, matrix, dossier, history as of a revision;
//! - [`cells`]: proposing a change to one cell of a technology, and reviewing it;
//! - [`review`]: a proposal as published and as proposed, field by field, and a cell's history;
//! - [`entries`]: a stored file's change entry by entry (pure, used by [`review`]);
//! - [`merge`]: a whole file's proposal merged entry by entry onto the file as published now
//!   (pure, three-way, refused naming the entries both changed);
//! - [`rebase`]: "bring up to date": a cell's change applied again, a whole file merged by
//!   [`merge`], validated as a new proposal;
//! - [`impact`]: what a proposal does to the published dossiers and scenario results;
//! - [`diff`]: what changed between two revisions, with who and why;
//! - [`monitor`]: registering a data release and recording what it changes;
//! - [`uploads`]: a release uploaded as bytes (an analyst), validated whole, then approved by
//!   another person (a reviewer) and registered through [`monitor`];
//! - [`ingest`]: a trade file uploaded as bytes, ingested into a Parquet cache by a background job
//!   whose progress can be read, then registered through [`trade`];
//! - [`records`]: events, watchlists, checklist assessments of named AI applications;
//! - [`watch`]: the record's own changes in words, and the watchers told of them;
//! - [`discussion`]: comment threads on proposals and cells, mentions, review requests;
//! - [`inbox`]: each user's notifications and the mails (immediate or a daily digest) they make;
//! - [`analysis`]: stored ecosystems (metrics, chokepoints, leverage), scenarios and their runs;
//! - [`explorer`]: an ecosystem read for one holder, an input over the years, snapshots compared;
//! - [`trade`]: registered trade datasets and their screening runs;
//! - [`runs`]: runs by number, a scenario in words or drafted in a form, runs compared, screenings filtered;
//! - [`panels`]: the registered datasets as one panel (a dataset per year), panel screenings kept
//!   with churn and spells, and each followed importer's changes when a year is registered;
//! - [`kinds`]: the kinds of stored runs and trade datasets, and a run's number, shared by
//!   [`analysis`], [`trade`] and [`runs`];
//! - [`portability`]: the published state exported to and imported from osa's files;
//! - [`find`]: search over the record and the report's text (the index of a revision, kept);
//! - [`briefs`]: a dossier or the matrix as of a revision as a PDF or Word document.
//!
//! The modules here use one another only in this order (each uses only modules before it; all use
//! this one's [`Workbench`] and [`kind`]): [`kinds`], [`records`], [`monitor`], [`diff`],
//! [`cells`], [`analysis`], [`trade`], [`runs`], [`panels`], [`uploads`], [`ingest`] (one
//! exception: [`trade`]'s registration calls [`panels`]' `importer_changes` on the `Workbench`); [`account`], [`seed`],
//! [`read`], [`explorer`], [`impact`] and [`portability`] use none of them; [`review`] uses
//! [`entries`], [`impact`] and [`rebase`]; [`merge`] uses only [`entries`]; [`rebase`] uses
//! [`merge`], [`cells`] and [`records`]; [`find`] uses only [`records`], [`briefs`] only [`read`].

pub mod account;
pub mod analysis;
pub mod briefs;
pub mod cells;
pub mod compare;
pub mod diff;
pub mod discussion;
pub mod entries;
pub mod explorer;
pub mod find;
pub mod impact;
pub mod inbox;
pub mod ingest;
pub mod kinds;
pub mod merge;
pub mod monitor;
pub mod panels;
pub mod portability;
pub mod read;
pub mod rebase;
pub mod receive;
pub mod records;
pub mod review;
pub mod runs;
pub mod seed;
pub mod sweep;
pub mod trade;
pub mod uploads;
pub mod watch;

use crate::{AppError, Result};
use osa_assess::Baseline;
use osa_io::Loaded;
use osa_store::users::{Principal, Role};
use osa_store::{Actor, Store};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Document kinds.
pub mod kind {
    /// A file of the assessment baseline (`countries.toml`, `cases/6g.toml`, ...).
    pub const BASELINE: &str = "baseline";
    /// An ecosystem (osa TOML); each version is a snapshot.
    pub const ECOSYSTEM: &str = "ecosystem";
    /// A snapshot's metadata (JSON), keyed `ecosystem@label`.
    pub const SNAPSHOT: &str = "snapshot";
    /// A disruption scenario (osa TOML).
    pub const SCENARIO: &str = "scenario";
}

/// The file of each technology id, per revision.
type CaseKeys = HashMap<i64, Arc<HashMap<String, String>>>;

/// Parsed ecosystems by (name, version).
type EcosystemCache = HashMap<(String, i64), Arc<Loaded>>;

/// The shared record with its caches.
#[derive(Debug, Clone)]
pub struct Workbench {
    store: Store,
    baselines: Arc<Mutex<HashMap<i64, Arc<Baseline>>>>,
    ecosystems: Arc<Mutex<EcosystemCache>>,
    case_keys: Arc<Mutex<CaseKeys>>,
    views: Arc<Mutex<ViewCache>>,
    versions: Arc<Mutex<HashMap<(String, i64), i64>>>,
    reviews: Arc<Mutex<review::ReviewCache>>,
    search: Arc<Mutex<find::IndexCache>>,
    impacts: Arc<Mutex<impact::ImpactCache>>,
    area: Option<crate::intake::Area>,
    jobs: Arc<Mutex<ingest::Jobs>>,
}

/// Rendered JSON of reads, by (what, revision): a revision never changes, so neither does its
/// answer.
type ViewCache = HashMap<(String, i64), Arc<Vec<u8>>>;

/// How many baselines and ecosystems the caches keep (one per revision read).
const CACHE_ENTRIES: usize = 16;

impl Workbench {
    /// Opens the store at `url`, migrates it, and seeds it when empty.
    pub async fn open(url: &str) -> Result<Workbench> {
        let store = Store::open(url).await?;
        store.migrate().await?;
        let wb = Workbench::over(store);
        if wb.store.head().await? == 0 {
            seed::seed(&wb.store).await?;
        }
        Ok(wb)
    }

    /// A workbench over an opened, migrated store.
    pub fn over(store: Store) -> Workbench {
        Workbench {
            store,
            baselines: Arc::default(),
            ecosystems: Arc::default(),
            case_keys: Arc::default(),
            views: Arc::default(),
            versions: Arc::default(),
            reviews: Arc::default(),
            search: Arc::default(),
            impacts: Arc::default(),
            area: None,
            jobs: Arc::default(),
        }
    }

    /// The same workbench with an upload area (the server's data folder's `uploads/`).
    /// Its ingest jobs are those recorded there (unfinished ones marked failed).
    pub fn with_uploads(mut self, area: crate::intake::Area) -> Workbench {
        self.jobs = Arc::new(Mutex::new(ingest::Jobs::load(&area)));
        self.area = Some(area);
        self
    }

    /// The upload area; refused when this workbench has none.
    pub fn uploads(&self) -> Result<&crate::intake::Area> {
        self.area.as_ref().ok_or_else(|| {
            AppError::Forbidden(
                "this server keeps no uploads (it was started without a data folder)".into(),
            )
        })
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Allows `principal` to act with at least `role`; refuses (and audits) otherwise.
    pub async fn require(
        &self,
        actor: &Actor,
        principal: &Principal,
        role: Role,
        action: &str,
        target: &str,
    ) -> Result<()> {
        if principal.role >= role {
            return Ok(());
        }
        let why = format!(
            "{} is {}; {action} needs {}",
            principal.name,
            principal.role.as_str(),
            role.as_str()
        );
        self.store
            .audit_refusal(actor, action, target, &why, serde_json::json!({}))
            .await?;
        Err(AppError::Forbidden(why))
    }
}

impl Workbench {
    /// Passes a check's result through; a failed check is audited as a refused write (the write
    /// itself is not attempted).
    pub(crate) async fn audit_check<T>(
        &self,
        r: Result<T>,
        actor: &Actor,
        (action, target): (&str, &str),
        detail: serde_json::Value,
    ) -> Result<T> {
        if let Err(e) = &r {
            self.store
                .audit_refusal(actor, action, target, &e.to_string(), detail)
                .await?;
        }
        r
    }
}

/// Keeps a cache bounded: drops the smallest keys past the limit.
fn bound<K: Ord + Clone + std::hash::Hash, V>(m: &mut HashMap<K, V>) {
    while m.len() > CACHE_ENTRIES {
        let Some(k) = m.keys().min().cloned() else {
            break;
        };
        m.remove(&k);
    }
}
