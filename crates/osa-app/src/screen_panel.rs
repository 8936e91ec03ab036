//! Panel screenings: every importer (or one), every product, a range of years, by a method
//! (`swd2021`, `geodep2024` or a user's file), from a panel folder (`osa trade ingest` of several
//! years) or one trade file; then the view asked for: panel rows, churn per importer and year,
//! spells, and the chart of dependent products per year by top supplier.

use crate::trade::{Progress, importer, open};
use crate::{AppError, Result};
use osa_trade::ingest::panel::{Panel, YearFile, is_panel};
use osa_trade::ingest::trade::TradeFile;
use osa_trade::method::Method;
use osa_trade::panel::{self as panel, Cell, Labels, YearImporters, churn};
use osa_trade::rows::hs6;
use osa_view::trade::{ChurnRow, PanelBatch, PanelFigures, PanelRow, SpellRow};
use std::path::PathBuf;

/// What a panel screening reads.
#[derive(Debug, Clone)]
pub struct PanelRequest {
    /// A panel folder or one trade file.
    pub trade: PathBuf,
    /// A country table, when not embedded or beside the file.
    pub countries: Option<PathBuf>,
    /// Worker threads.
    pub threads: usize,
    /// `all` (every country and bloc), `countries` (every country), a bloc or an ISO3 country.
    pub importer: String,
    /// Bloc definitions (`NAME=ISO3,...`).
    pub bloc_definitions: Vec<String>,
    /// Years (inclusive); `None`: every year of the panel.
    pub years: Option<(u16, u16)>,
    /// `swd2021`, `geodep2024` or a method file.
    pub method: String,
    /// Only dependent rows.
    pub dependent_only: bool,
}

/// A panel's answer.
#[derive(Debug)]
pub struct PanelAnswer {
    /// One row per importer, product and year (dependent only when asked).
    pub rows: Vec<PanelRow>,
    /// Per importer and year.
    pub churn: Vec<ChurnRow>,
    /// Spells of dependency.
    pub spells: Vec<SpellRow>,
    /// Dependent products per year by top supplier (8 largest, then the others).
    pub by_supplier: Vec<(u16, Option<String>, usize)>,
    /// The method.
    pub method: Method,
    /// The years screened.
    pub years: Vec<u16>,
    /// Notes for the interface (what was screened, the method, the source).
    pub notes: Vec<String>,
}

/// Loads a method by name or file.
pub fn load_method(spec: &str) -> Result<Method> {
    if let Some(m) = Method::builtin(spec) {
        return Ok(m);
    }
    let path = std::path::Path::new(spec);
    if !path.exists() {
        return Err(AppError::invalid(
            "method",
            format!("`{spec}` is neither swd2021, geodep2024 nor a method file"),
        ));
    }
    let text = osa_io::text::read_text(path).map_err(|e| AppError::data("the method file", e))?;
    Method::parse(&text, &path.display().to_string())
        .map_err(|e| AppError::data("the method file", e))
}

/// Where each year is read from.
enum Source {
    Panel(Panel),
    File(Box<TradeFile>),
}

impl Source {
    fn open(req: &PanelRequest) -> Result<Source> {
        if is_panel(&req.trade) {
            let p = Panel::open(&req.trade).map_err(|e| {
                AppError::data(format!("could not open {}", req.trade.display()), e)
            })?;
            Ok(Source::Panel(p))
        } else {
            Ok(Source::File(Box::new(open(
                &req.trade,
                req.countries.as_deref(),
            )?)))
        }
    }

    /// The years held (a panel's), or the range asked for (a file).
    fn years(&self, req: &PanelRequest) -> Result<Vec<u16>> {
        match (self, req.years) {
            (Source::Panel(p), _) => Ok(p.year_list()),
            (Source::File(_), Some((a, b))) => Ok((a..=b).collect()),
            (Source::File(f), None) => Ok(f
                .first_year()
                .map_err(|e| AppError::data("could not read the trade file", e))?
                .into_iter()
                .collect()),
        }
    }

    fn file_of(&self, year: u16, req: &PanelRequest) -> Result<Option<TradeFile>> {
        match self {
            Source::Panel(p) => match p.path_of(year) {
                Some(path) => Ok(Some(open(&path, req.countries.as_deref())?)),
                None => Ok(None),
            },
            Source::File(f) => Ok(Some((**f).clone())),
        }
    }
}

/// What a streamed panel screening gives besides its rows ([`screen_panel_stream`]).
#[derive(Debug)]
pub struct PanelSummary {
    /// Per importer and year.
    pub churn: Vec<ChurnRow>,
    /// Spells of dependency.
    pub spells: Vec<SpellRow>,
    /// Dependent products per year by top supplier (8 largest, then the others).
    pub by_supplier: Vec<(u16, Option<String>, usize)>,
    /// The method.
    pub method: Method,
    /// The years screened.
    pub years: Vec<u16>,
    /// Notes for the interface (what was screened, the method, the source).
    pub notes: Vec<String>,
    /// Rows passed on (dependent only when asked).
    pub rows: u64,
}

/// Runs a panel screening: the method and the years, then year by year (with the persistence
/// window's earlier years when the data holds them) the importers resolved as of the year, the
/// scan and the cells; then persistence across years, churn, spells and the chart's counts.
/// Rows come sorted by importer, product and year. Holds every row: a large panel goes through
/// [`screen_panel_stream`].
pub fn screen_panel(req: &PanelRequest, progress: &dyn Progress) -> Result<PanelAnswer> {
    collect(req, None, progress)
}

/// A panel screening over yearly trade files named one by one (the record's registered datasets:
/// one file per year), `req.trade` naming the panel in messages.
pub fn screen_panel_of(
    files: &[(u16, PathBuf)],
    req: &PanelRequest,
    progress: &dyn Progress,
) -> Result<PanelAnswer> {
    let mut years: Vec<YearFile> = files
        .iter()
        .map(|(year, path)| YearFile {
            year: *year,
            file: path.display().to_string(),
            rows: 0,
            source: path.display().to_string(),
        })
        .collect();
    years.sort_by_key(|y| y.year);
    if let Some(w) = years.windows(2).find(|w| w[0].year == w[1].year) {
        return Err(AppError::invalid(
            "years",
            format!("two files hold {}", w[0].year),
        ));
    }
    let panel = Panel {
        dir: PathBuf::new(),
        years,
    };
    collect(req, Some(Source::Panel(panel)), progress)
}

/// Every row of a panel screening, sorted by importer, product and year, with its views.
fn collect(
    req: &PanelRequest,
    source: Option<Source>,
    progress: &dyn Progress,
) -> Result<PanelAnswer> {
    let mut cells: Vec<Cell> = Vec::new();
    let mut names = Labels::default();
    let s = run(req, source, progress, &mut |year_cells, labels| {
        cells.extend(year_cells);
        names = labels.clone();
        Ok(())
    })?;
    cells.sort_unstable_by_key(|c| (c.importer, c.product, c.year));
    let rows = cells
        .iter()
        .filter(|c| !req.dependent_only || c.dependent)
        .map(|c| row_of(c, &names))
        .collect();
    Ok(PanelAnswer {
        rows,
        churn: s.churn,
        spells: s.spells,
        by_supplier: s.by_supplier,
        method: s.method,
        years: s.years,
        notes: s.notes,
    })
}

/// [`screen_panel`] streamed: each year's rows go to `rows` as soon as they are screened (year by
/// year; by importer then product within a year), and only compact records of the dependent
/// cells are kept for churn, spells and the chart, so memory holds one year's rows, not the
/// panel's. The same rows and views as [`screen_panel`], in year order.
pub fn screen_panel_stream(
    req: &PanelRequest,
    progress: &dyn Progress,
    rows: &mut dyn FnMut(PanelBatch) -> Result<()>,
) -> Result<PanelSummary> {
    let mut n = 0u64;
    let mut s = run(req, None, progress, &mut |cells, labels| {
        let batch = batch_of(&cells, labels, req.dependent_only, req.threads);
        n += batch.rows.len() as u64;
        rows(batch)
    })?;
    s.rows = n;
    Ok(s)
}

/// What a screening reads: the method, the source, the years scanned (with the persistence
/// window's earlier ones) and the years answered.
struct Plan {
    method: Method,
    source: Source,
    scanned: Vec<u16>,
    years: Vec<u16>,
}

fn plan(req: &PanelRequest, source: Option<Source>) -> Result<Plan> {
    let method = load_method(&req.method)?;
    let source = match source {
        Some(s) => s,
        None => Source::open(req)?,
    };
    let held = source.years(req)?;
    let (from, to) = match req.years {
        Some(r) => r,
        None => (
            held.first().copied().unwrap_or(0),
            held.last().copied().unwrap_or(0),
        ),
    };
    if from > to {
        return Err(AppError::invalid("years", format!("{from} is after {to}")));
    }
    let back = method.persistence.map_or(0, |p| p.years_before);
    let scanned: Vec<u16> = held
        .iter()
        .copied()
        .filter(|y| *y >= from.saturating_sub(back) && *y <= to)
        .collect();
    let years: Vec<u16> = scanned.iter().copied().filter(|y| *y >= from).collect();
    if years.is_empty() {
        return Err(AppError::NotFound(format!(
            "no year from {from} to {to} in {} (it holds {})",
            req.trade.display(),
            held.iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(Plan {
        method,
        source,
        scanned,
        years,
    })
}

/// Screens year by year, applies persistence with a window of the years before, passes each
/// answered year's cells on, and keeps the dependent records for the views.
fn run(
    req: &PanelRequest,
    source: Option<Source>,
    progress: &dyn Progress,
    on_cells: &mut dyn FnMut(Vec<Cell>, &Labels) -> Result<()>,
) -> Result<PanelSummary> {
    let plan = plan(req, source)?;
    let first = plan.years[0];
    let mut labels = Labels::default();
    let mut window = panel::PersistenceWindow::new(&plan.method);
    let mut kept = Kept::default();
    for &y in &plan.scanned {
        let Some(file) = plan.source.file_of(y, req)? else {
            continue;
        };
        progress.opened(&file);
        let mut cells = year(req, &file, y, &plan.method, &mut labels, progress)?;
        window.apply(y, &mut cells);
        if y < first {
            continue;
        }
        kept.add(&cells);
        on_cells(cells, &labels)?;
    }
    Ok(summary(kept, &labels, plan.method, plan.years))
}

/// What a panel keeps of its rows for the views.
#[derive(Default)]
struct Kept {
    deps: Vec<churn::Dep>,
    importers: std::collections::BTreeSet<u32>,
    cells: u64,
}

impl Kept {
    fn add(&mut self, cells: &[Cell]) {
        self.deps.extend(churn::deps(cells));
        self.importers.extend(cells.iter().map(|c| c.importer));
        self.cells += cells.len() as u64;
    }
}

/// One year's cells.
fn year(
    req: &PanelRequest,
    file: &TradeFile,
    y: u16,
    method: &Method,
    labels: &mut Labels,
    progress: &dyn Progress,
) -> Result<Vec<Cell>> {
    let who = importers(req, file, y, labels)?;
    let mut accs = panel::new_accs(y, &file.table, &who.blocs, req.threads);
    file.scan(&mut accs, Some(y), false, &|n| progress.read(n))
        .map_err(|e| AppError::data(format!("could not read {}", file.path.display()), e))?;
    let acc = panel::merge_accs(accs).ok_or_else(|| AppError::invalid("threads", "no worker"))?;
    let mut cells = panel::year_cells(&acc, &who, method, req.threads)
        .map_err(|e| AppError::data(format!("could not screen {y}"), e))?;
    if !every_country(req) {
        let keep = labels.get(&req.importer);
        cells.retain(|c| Some(c.importer) == keep);
    }
    Ok(cells)
}

/// Whether every country of the table is an importer (`all`, `countries`).
fn every_country(req: &PanelRequest) -> bool {
    req.importer == "all" || req.importer == "countries"
}

/// The importers of a year: with `all`, every country of the table and every bloc (built in or
/// defined) with a member in it; with `countries`, every country; else the one asked for (a
/// country, or a bloc).
fn importers(
    req: &PanelRequest,
    file: &TradeFile,
    y: u16,
    labels: &mut Labels,
) -> Result<YearImporters> {
    let entities = file.table.entities();
    let entity_label: Vec<u32> = entities.iter().map(|e| labels.intern(&e.label)).collect();
    let countries: Vec<Option<osa_model::CountryCode>> =
        entities.iter().map(|e| e.country).collect();
    let mut blocs = Vec::new();
    let all = every_country(req);
    let mut bloc_list: Vec<osa_model::Bloc> = Vec::new();
    if req.importer == "all" {
        let mut reg = osa_io::builtin::blocs()
            .map_err(|e| AppError::data("the built-in blocs are invalid", e))?;
        for def in &req.bloc_definitions {
            reg.insert(crate::ecosystem::parse_bloc(def)?);
        }
        bloc_list.extend(reg.iter().cloned());
    } else if !all {
        let b = importer(&req.importer, &req.bloc_definitions)?;
        if b.members.len() > 1 || b.id != b.members.first().map_or("", |m| m.country.as_str()) {
            bloc_list.push(b);
        }
    }
    for b in &bloc_list {
        let p = osa_trade::screen::Partition::of_bloc(b, y, &countries);
        if p.member.iter().any(|m| *m) {
            blocs.push((labels.intern(&b.id), p.member));
        }
    }
    let single = !all && blocs.is_empty();
    Ok(YearImporters {
        is_country: entities
            .iter()
            .map(|e| e.country.is_some() && (all || (single && e.label == req.importer)))
            .collect(),
        entity_label,
        blocs,
    })
}

/// The views of a panel, from its dependent records.
fn summary(kept: Kept, labels: &Labels, method: Method, years: Vec<u16>) -> PanelSummary {
    let churn = churn::year_churn_of(&kept.deps, &kept.importers, &years)
        .into_iter()
        .map(|c| ChurnRow {
            importer: labels.name(c.importer).to_string(),
            year: c.year,
            n_dependent: c.n_dependent,
            entered: c.entered,
            left: c.left,
            churn_1: c.churn_1,
            churn_5: c.churn_5,
            top_changes: c.top_changes,
        })
        .collect();
    let spells = churn::spells_of(&kept.deps, &years)
        .into_iter()
        .map(|s| spell_row(&s, labels))
        .collect();
    let by_supplier = churn::by_top_supplier_of(&kept.deps, 8)
        .into_iter()
        .map(|(y, s, n)| (y, s.map(|s| labels.name(s).to_string()), n))
        .collect();
    let notes = vec![
        format!(
            "method {}: {} ({}); {}",
            method.id,
            method.name,
            method.source,
            method.describe()
        ),
        format!(
            "{} importer(s) x product x year rows for {}-{}, {} dependent",
            kept.cells,
            years.first().copied().unwrap_or(0),
            years.last().copied().unwrap_or(0),
            kept.deps.len()
        ),
    ];
    PanelSummary {
        churn,
        spells,
        by_supplier,
        method,
        years,
        notes,
        rows: 0,
    }
}

fn spell_row(s: &churn::Spell, labels: &Labels) -> SpellRow {
    SpellRow {
        importer: labels.name(s.importer).to_string(),
        product: hs6(s.product),
        from: s.from,
        to: s.to,
        years: s.years(),
        open: s.open,
        top_changes: s.top_changes(),
        top_suppliers: s
            .top_suppliers
            .iter()
            .map(|t| labels.name(*t))
            .collect::<Vec<_>>()
            .join(">"),
    }
}

/// A cell as an output row.
fn row_of(c: &Cell, labels: &Labels) -> PanelRow {
    figures_of(c).row(labels.names())
}

/// A year's rows as the Parquet writer takes them (only the dependent ones with
/// `dependent_only`), copied on `threads` threads.
fn batch_of(cells: &[Cell], labels: &Labels, dependent_only: bool, threads: usize) -> PanelBatch {
    let part = |cells: &[Cell]| -> Vec<PanelFigures> {
        cells
            .iter()
            .filter(|c| !dependent_only || c.dependent)
            .map(figures_of)
            .collect()
    };
    let per = cells.len().div_ceil(threads.max(1)).max(1);
    let rows = if per >= cells.len() {
        part(cells)
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = cells
                .chunks(per)
                .map(|chunk| s.spawn(move || part(chunk)))
                .collect();
            let mut all = Vec::with_capacity(cells.len());
            for h in handles {
                all.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
            }
            all
        })
    };
    PanelBatch {
        labels: labels.names().into(),
        rows,
    }
}

fn figures_of(c: &Cell) -> PanelFigures {
    PanelFigures {
        importer: c.importer,
        year: c.year,
        product: c.product,
        import_value: c.import_value,
        intra_imports: c.intra_imports,
        exports: c.exports,
        import_hhi: c.import_hhi,
        extra_share: c.extra_share,
        import_export_ratio: c.import_export_ratio,
        world_export_hhi: c.world_export_hhi,
        meets: c.meets,
        dependent: c.dependent,
        top_supplier: c.top_supplier,
        top_share: c.top_share,
        n_suppliers: c.n_suppliers,
        n_alternatives: c.n_alternatives,
        n_can_cover: c.n_can_cover,
    }
}

/// Parses `1996-2023` or `2021`.
pub fn parse_years(s: &str) -> Result<(u16, u16)> {
    let bad = || AppError::invalid("years", format!("`{s}` is not YEAR or FROM-TO"));
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let a: u16 = a.trim().parse().map_err(|_| bad())?;
    let b: u16 = b.trim().parse().map_err(|_| bad())?;
    if a > b || !(1900..=2100).contains(&a) || !(1900..=2100).contains(&b) {
        return Err(bad());
    }
    Ok((a, b))
}
