//! Trade screening (the Commission's three indicators, SWD(2021) 352) for an importer bloc and a
//! year, from a BACI CSV or osa's cache: the scan, the screening, its coverage of world trade, and
//! the view asked for (per product, or by HS section, end use, supplier, ecosystem input or
//! ecosystem). The interface draws progress and renders.

use crate::trade::{Progress, Scanned, importer, open};
use crate::{Answer, AppError, Result};
use osa_trade::end_use::{self, EndUseRules};
use osa_trade::ingest::hs::Nomenclature;
use osa_trade::ingest::trade::TradeFile;
use osa_trade::rows::hs6;
use osa_trade::screen::{self, Accumulator, Partition, ProductResult, Screening, Thresholds};
use osa_view::format::{pct, unsigned_zero};
use osa_view::trade::{self as view, GroupRow, InputRow, ScreenRow, SupplierRow};
use std::path::PathBuf;

/// How the screening is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenBy {
    /// One row per HS6 product.
    Product,
    /// Summed by HS section.
    Section,
    /// Summed by end use.
    EndUse,
    /// Dependent import value by top supplier.
    Supplier,
    /// One row per ecosystem input and HS6 code.
    Input,
    /// Summed per ecosystem.
    Ecosystem,
}

/// What a screening reads.
#[derive(Debug, Clone)]
pub struct ScreenRequest {
    /// The trade file.
    pub trade: PathBuf,
    /// Its country table, when not embedded or beside it.
    pub countries: Option<PathBuf>,
    /// Worker threads.
    pub threads: usize,
    /// Importer (bloc or ISO3).
    pub importer: String,
    /// Bloc definitions.
    pub bloc_definitions: Vec<String>,
    /// The year (default: the file's only year).
    pub year: Option<u16>,
    /// Thresholds of the three indicators.
    pub thresholds: Thresholds,
    /// The reference country whose share is shown (ISO3).
    pub reference: String,
    /// HS nomenclature files (default: the shared data's).
    pub hs: Vec<PathBuf>,
    /// An end-use table instead of the built-in approximation.
    pub end_use: Option<PathBuf>,
    /// The view.
    pub by: ScreenBy,
    /// Only dependent products (per-product view).
    pub dependent_only: bool,
    /// Ecosystems (input and ecosystem views).
    pub ecosystems: Vec<String>,
}

/// The view asked for.
#[derive(Debug)]
pub enum ScreenView {
    /// Per product, with the footer text formats show under the table.
    Products {
        /// Rows.
        rows: Vec<ScreenRow>,
        /// Totals, thresholds, formula, end-use rules, coverage.
        footer: String,
    },
    /// Summed groups (`section`, `end_use`, `ecosystem`).
    Groups {
        /// Rows.
        rows: Vec<GroupRow>,
        /// What a group is.
        what: &'static str,
    },
    /// Dependent import value by supplier.
    Suppliers(Vec<SupplierRow>),
    /// Ecosystem inputs.
    Inputs(Vec<InputRow>),
}

/// A screening's answer.
#[derive(Debug)]
pub struct ScreenAnswer {
    /// The view.
    pub view: ScreenView,
    /// The scan, for the interface to report.
    pub scanned: Scanned,
    /// Coverage and the one-line summary, for the interface to show beside the view.
    pub notes: Vec<String>,
}

/// Checks a threshold argument.
pub fn threshold(field: &str, v: f64) -> Result<f64> {
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(AppError::invalid(
            field,
            format!("{v} must be a non-negative number"),
        ))
    }
}

/// Runs a screening: the request checked, the trade file opened, the importer's members found in
/// its country table, the file scanned for their imports (the HS nomenclature loading meanwhile),
/// the products screened and checked, then the notes, the footer and the view.
pub fn screen(req: &ScreenRequest, progress: &dyn Progress) -> Result<Answer<ScreenAnswer>> {
    let (bloc, reference) = check(req)?;
    let file = open(&req.trade, req.countries.as_deref())?;
    let year = year_of(req, &file)?;
    let (partition, n_members) = members(&bloc, year, &file)?;
    progress.opened(&file);
    // The nomenclature loads while the trade file is scanned.
    let hs_files = req.hs.clone();
    let names_job = std::thread::spawn(move || load_names(&hs_files));
    let (acc, stats, seconds) = scan(req, &file, &partition, year, progress)?;
    let screening = screen::screen(&acc, req.thresholds, file.table.index_of(reference))
        .map_err(|e| read_error(req, e))?;
    check_rows(req, &bloc, year, &screening, &stats)?;
    let total = screen::total(&screening);
    let coverage =
        acc.coverage(&osa_trade::coverage::world_totals().map_err(|e| read_error(req, e))?);
    let mut notes = vec![coverage.describe()];
    notes.extend(coverage.warning());
    notes.push(summary(
        &bloc.id, n_members, year, &total, &screening, reference,
    ));
    let (names, mut warnings) = names_job
        .join()
        .map_err(|_| AppError::invalid("hs", "loading the HS nomenclature failed"))??;
    let rules = end_use_rules(req)?;
    let footer = footer(&screening, &rules.source);
    let ctx = Ctx {
        req,
        screening: &screening,
        file: &file,
        names: &names,
        rules: &rules,
    };
    let view = ctx.view(footer, &mut warnings)?;
    Ok(Answer {
        value: ScreenAnswer {
            view,
            scanned: Scanned {
                file,
                stats,
                seconds,
            },
            notes,
        },
        warnings,
    })
}

/// The importer's members as of `year` among the trade file's entities, and how many there are;
/// none is an error.
fn members(bloc: &osa_model::Bloc, year: u16, file: &TradeFile) -> Result<(Partition, usize)> {
    let entities: Vec<Option<osa_model::CountryCode>> =
        file.table.entities().iter().map(|e| e.country).collect();
    let partition = Partition::of_bloc(bloc, year, &entities);
    let n_members = partition.member.iter().filter(|m| **m).count();
    if n_members == 0 {
        return Err(AppError::invalid(
            "importer",
            format!(
                "no member of {} as of {year} appears in the country table {}",
                bloc.id,
                file.table.file()
            ),
        ));
    }
    Ok((partition, n_members))
}

/// The screening in one line: products imported from outside, how many are dependent and their
/// share of the import value, and how many are imported only from members.
fn summary(
    bloc: &str,
    n_members: usize,
    year: u16,
    total: &screen::Group,
    screening: &Screening,
    reference: osa_model::CountryCode,
) -> String {
    format!(
        "{} {year} ({} members): {} products imported from outside, {} dependent ({} of their import value; {} from {}); {} imported only from members",
        bloc,
        n_members,
        thousands(total.n_products as u64),
        thousands(total.n_dependent as u64),
        pct(Some(total.dependent_value_share())),
        pct(Some(total.dependent_chn_share())),
        reference,
        thousands(screening.n_only_intra as u64),
    )
}

/// The footer under the tables: the screening's thresholds, its method and the end-use rules (the
/// totals, the coverage and its warning are in the notes, said once above the table).
fn footer(screening: &Screening, rules: &str) -> String {
    unsigned_zero(&footer_text(screening, rules))
}

/// The request's own checks: an ecosystem for the views that need one, the importer, the
/// reference country.
fn check(req: &ScreenRequest) -> Result<(osa_model::Bloc, osa_model::CountryCode)> {
    if matches!(req.by, ScreenBy::Input | ScreenBy::Ecosystem) && req.ecosystems.is_empty() {
        return Err(AppError::invalid(
            "ecosystem",
            "the input and ecosystem views need an ecosystem",
        ));
    }
    let bloc = importer(&req.importer, &req.bloc_definitions)?;
    let reference = osa_model::CountryCode::parse(&req.reference).ok_or_else(|| {
        AppError::invalid(
            "reference",
            format!("`{}` is not an ISO 3166-1 alpha-3 code", req.reference),
        )
    })?;
    Ok((bloc, reference))
}

fn read_error(req: &ScreenRequest, e: osa_trade::Error) -> AppError {
    AppError::data(format!("could not read {}", req.trade.display()), e)
}

/// The year asked for, or the file's first data row's.
fn year_of(req: &ScreenRequest, file: &TradeFile) -> Result<u16> {
    match req.year {
        Some(y) => Ok(y),
        None => file
            .first_year()
            .map_err(|e| read_error(req, e))?
            .ok_or_else(|| {
                AppError::invalid(
                    "trade",
                    format!("{} has no valid data row", req.trade.display()),
                )
            }),
    }
}

/// Scans the file into one accumulator per thread and merges them.
fn scan(
    req: &ScreenRequest,
    file: &TradeFile,
    partition: &Partition,
    year: u16,
    progress: &dyn Progress,
) -> Result<(Accumulator, osa_trade::ingest::baci::ScanStats, f64)> {
    let mut accs: Vec<Accumulator> = (0..req.threads.max(1))
        .map(|_| Accumulator::new(partition))
        .collect();
    let start = std::time::Instant::now();
    let stats = file
        .scan(&mut accs, Some(year), false, &|n| progress.read(n))
        .map_err(|e| read_error(req, e))?;
    let seconds = start.elapsed().as_secs_f64();
    let acc =
        Accumulator::merge_all(accs).ok_or_else(|| AppError::invalid("threads", "no worker"))?;
    Ok((acc, stats, seconds))
}

/// A file of several years needs a year; a screening with no product says why.
fn check_rows(
    req: &ScreenRequest,
    bloc: &osa_model::Bloc,
    year: u16,
    screening: &Screening,
    stats: &osa_trade::ingest::baci::ScanStats,
) -> Result<()> {
    // Rows of other years were either seen and set aside, or skipped by row-group statistics.
    let other_years = screening.rows_other_year + stats.rows_skipped;
    if req.year.is_none() && other_years > 0 {
        return Err(AppError::invalid(
            "year",
            format!(
                "{} holds several years ({} rows are not {year}): pass a year",
                req.trade.display(),
                thousands(other_years)
            ),
        ));
    }
    if screening.products.is_empty() {
        let of_year = stats.rows_read - stats.rows_rejected - other_years;
        return Err(AppError::NotFound(format!(
            "no product imported into {} from outside it in {year} ({} rows of that year){}",
            bloc.id,
            thousands(of_year),
            years_held(req, of_year, other_years)
        )));
    }
    Ok(())
}

/// Why a year has no rows: the years the file holds (its first row's, as scanning again for the
/// others would take as long as the screening).
fn years_held(req: &ScreenRequest, of_year: u64, other_years: u64) -> String {
    if of_year > 0 || other_years == 0 {
        return String::new();
    }
    let first = open(&req.trade, req.countries.as_deref())
        .ok()
        .and_then(|f| f.first_year().ok().flatten());
    match first {
        Some(y) => format!(
            "; the file holds {} rows of other years, the first of {y}: pass --year {y}",
            thousands(other_years)
        ),
        None => format!(
            "; the file holds {} rows of other years",
            thousands(other_years)
        ),
    }
}

/// The end-use table given, or the built-in approximation.
fn end_use_rules(req: &ScreenRequest) -> Result<EndUseRules> {
    match &req.end_use {
        Some(p) => {
            let text =
                osa_io::text::read_text(p).map_err(|e| AppError::data("the end-use table", e))?;
            EndUseRules::parse(&text, &p.display().to_string())
                .map_err(|e| AppError::data("the end-use table", e))
        }
        None => EndUseRules::default_rules()
            .map_err(|e| AppError::data("the built-in end-use rules", e)),
    }
}

/// What the views are built from.
struct Ctx<'a> {
    req: &'a ScreenRequest,
    screening: &'a Screening,
    file: &'a osa_trade::ingest::trade::TradeFile,
    names: &'a Nomenclature,
    rules: &'a EndUseRules,
}

impl Ctx<'_> {
    fn label(&self, e: u32) -> String {
        self.file
            .table
            .entities()
            .get(e as usize)
            .map_or("?".to_string(), |x| x.label.clone())
    }

    fn use_of(&self, p: &ProductResult) -> String {
        self.rules
            .classify(p.product)
            .map_or("unclassified".to_string(), |u| u.to_string())
    }

    fn view(&self, footer: String, warnings: &mut Vec<String>) -> Result<ScreenView> {
        let s = self.screening;
        Ok(match self.req.by {
            ScreenBy::Product => {
                let mut rows: Vec<&ProductResult> = s
                    .products
                    .iter()
                    .filter(|p| !self.req.dependent_only || p.dependent)
                    .collect();
                rows.sort_by(|a, b| {
                    b.dependent
                        .cmp(&a.dependent)
                        .then(b.extra_imports.total_cmp(&a.extra_imports))
                        .then(a.product.cmp(&b.product))
                });
                ScreenView::Products {
                    rows: rows.into_iter().map(|p| self.product_row(p)).collect(),
                    footer,
                }
            }
            ScreenBy::Section => {
                let groups = screen::group_by(s, |p| {
                    end_use::section(p.product).unwrap_or("?").to_string()
                });
                let mut rows: Vec<GroupRow> = groups
                    .iter()
                    .map(|g| {
                        let name = self.names.section_name(&g.key);
                        group_row(
                            g,
                            name.or_else(|| osa_trade::sections::section_name(&g.key))
                                .unwrap_or(""),
                        )
                    })
                    .collect();
                rows.sort_by_key(|r| end_use::section_rank(&r.key));
                ScreenView::Groups {
                    rows,
                    what: "section",
                }
            }
            ScreenBy::EndUse => {
                let groups = screen::group_by(s, |p| self.use_of(p));
                let rows = groups
                    .iter()
                    .map(|g| {
                        let name = match g.key.as_str() {
                            "raw_material" => "raw materials",
                            "intermediate" => "intermediate goods",
                            "final" => "final goods (consumer and capital)",
                            _ => "no end-use rule matches",
                        };
                        group_row(g, name)
                    })
                    .collect();
                ScreenView::Groups {
                    rows,
                    what: "end_use",
                }
            }
            ScreenBy::Supplier => ScreenView::Suppliers(
                screen::dependent_suppliers(s)
                    .iter()
                    .map(|x| {
                        let e = &self.file.table.entities()[x.entity as usize];
                        SupplierRow {
                            country: e.label.clone(),
                            name: e.country.map_or(e.name.clone(), |c| c.name().to_string()),
                            value: x.value,
                            share: x.share,
                        }
                    })
                    .collect(),
            ),
            ScreenBy::Input | ScreenBy::Ecosystem => self.ecosystem_view(warnings)?,
        })
    }

    fn ecosystem_view(&self, warnings: &mut Vec<String>) -> Result<ScreenView> {
        let s = self.screening;
        let mut inputs = Vec::new();
        let mut groups = Vec::new();
        for spec in &self.req.ecosystems {
            let loaded = crate::ecosystem::load(Some(spec))?;
            warnings.extend(loaded.warnings);
            let loaded = loaded.value;
            let eco = loaded.checked.ecosystem();
            let annotated = screen::annotate(&loaded.checked, s);
            let mut g = screen::Group {
                key: eco.id.clone(),
                ..Default::default()
            };
            let mut seen = std::collections::BTreeSet::new();
            for a in &annotated {
                let input = &eco.inputs[a.input];
                for (code, found) in &a.codes {
                    let p = found.map(|i| &s.products[i]);
                    if let Some(i) = found
                        && seen.insert(*i)
                    {
                        g.add(&s.products[*i]);
                    }
                    inputs.push(InputRow {
                        ecosystem: eco.id.clone(),
                        input: input.id.clone(),
                        name: input.name.clone(),
                        hs6: code.clone(),
                        screened: p.is_some(),
                        hhi: p.map(|p| p.hhi),
                        extra_share: p.map(|p| p.extra_share),
                        import_export_ratio: p.map(|p| p.import_export_ratio),
                        dependent: p.is_some_and(|p| p.dependent),
                        top_supplier: p.and_then(|p| p.top()).map(|x| self.label(x.entity)),
                        top_share: p.and_then(|p| p.top()).map(|x| x.share),
                        chn_share: p.map(|p| p.chn_share),
                        import_value: p.map(|p| p.extra_imports),
                    });
                }
            }
            groups.push(group_row(&g, &eco.name));
        }
        Ok(if self.req.by == ScreenBy::Input {
            ScreenView::Inputs(inputs)
        } else {
            ScreenView::Groups {
                rows: groups,
                what: "ecosystem",
            }
        })
    }

    fn product_row(&self, p: &ProductResult) -> ScreenRow {
        let description = self.names.describe(p.product).map_or(String::new(), |d| {
            if d.exact {
                d.text
            } else {
                format!("[heading] {}", d.text)
            }
        });
        let top = p.top();
        ScreenRow {
            product: hs6(p.product),
            description,
            section: end_use::section(p.product).unwrap_or("").to_string(),
            end_use: self.use_of(p),
            hhi: p.hhi,
            extra_share: p.extra_share,
            import_export_ratio: p.import_export_ratio,
            dependent: p.dependent,
            passes: view::Passes {
                hhi: p.passes[0],
                extra_share: p.passes[1],
                import_export_ratio: p.passes[2],
            },
            top_supplier: top.map(|s| self.label(s.entity)).unwrap_or_default(),
            top_share: top.map_or(0.0, |s| s.share),
            chn_share: p.chn_share,
            import_value: p.extra_imports,
            intra_imports: p.intra_imports,
            extra_exports: p.extra_exports,
            n_suppliers: p.suppliers.len(),
            suppliers: p
                .suppliers
                .iter()
                .take(screen::TOP_SUPPLIERS)
                .map(|s| view::SupplierShare {
                    country: self.label(s.entity),
                    value: s.value,
                    share: s.share,
                })
                .collect(),
        }
    }
}

/// The HS nomenclature (given files, or the shared data's), with a warning when none is found.
fn load_names(files: &[PathBuf]) -> Result<(Nomenclature, Vec<String>)> {
    let mut names = Nomenclature::default();
    let (editions, sections) = match (files.is_empty(), osa_io::shared::data_dir()) {
        (false, _) => (files.to_vec(), None),
        (true, Some(dir)) => Nomenclature::shared_files(&dir),
        (true, None) => (Vec::new(), None),
    };
    let err = |e| AppError::data("the HS nomenclature", e);
    for f in &editions {
        names.load(f).map_err(err)?;
    }
    if let Some(s) = sections {
        names.load_sections(&s).map_err(err)?;
    }
    let mut warnings = Vec::new();
    if names.is_empty() {
        warnings.push(
            "no HS nomenclature found (pass --hs FILE or provide ../shared/data/hs): descriptions are empty".to_string(),
        );
    }
    Ok((names, warnings))
}

fn group_row(g: &screen::Group, name: &str) -> GroupRow {
    GroupRow {
        key: g.key.clone(),
        name: name.to_string(),
        n_products: g.n_products,
        n_dependent: g.n_dependent,
        import_value: g.extra_imports,
        dependent_value: g.dependent_imports,
        dependent_value_share: g.dependent_value_share(),
        dependent_chn_share: g.dependent_chn_share(),
    }
}

/// The thresholds, the method (the formulas, said once) and the end-use rules.
fn footer_text(s: &Screening, rules: &str) -> String {
    format!(
        "\nthresholds: HHI > {}, extra share > {}, M/X > {} (* = passes); values: BACI v, thousand USD, shown in USD m\n\
         method: {}\nend use: {}\n",
        s.thresholds.hhi,
        s.thresholds.extra_share,
        s.thresholds.ratio,
        view::SCREEN_FORMULA,
        rules,
    )
}

/// 1234567 -> "1,234,567".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
