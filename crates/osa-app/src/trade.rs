//! Trade-based use cases: the EU critical raw materials supply risk (2017 method) per material and
//! stage from the study's share tables, WGI and osa's parameters, with the published value and the
//! cause of any gap beside it; GeoPolRisk import risk per commodity; the importer bloc and opening a
//! trade file (BACI CSV or osa's cache), shared with trade screening.

use crate::{AppError, Result};
use osa_model::CountryCode;
use osa_trade::crm::{self, Stage, WeightedHhi};
use osa_trade::geopolrisk::{self, ImportFilter, Supplier};
use osa_trade::ingest::baci::ScanStats;
use osa_trade::ingest::crm::{self as tables, CrmTables, Side};
use osa_trade::ingest::production::{self, Production};
use osa_trade::ingest::trade::TradeFile;
use osa_trade::ingest::wgi::Wgi;
use osa_trade::rows::{hs6, parse_hs6};
use osa_view::trade::{self as view, CrmRow, CrmSide, CrmTerm, GprRow, GprSupplier};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The 21 HS sections: (numeral, title).
pub use osa_trade::sections::SECTIONS as HS_SECTIONS;
/// An HS section in words (`XV Base metals and articles of base metal`), for the pages.
pub use osa_trade::sections::section_words as hs_section_words;

/// The WGI year used when none is given (the study's own vintage).
pub const DEFAULT_WGI_YEAR: i32 = 2020;

/// What a CRM supply-risk run reads.
#[derive(Debug, Clone)]
pub struct CrmRequest {
    /// The folder of the study's tables (`eu_crm` of the shared data).
    pub data: PathBuf,
    /// The WGI file.
    pub wgi: PathBuf,
    /// The WGI year.
    pub wgi_year: i32,
    /// A parameter file instead of osa's built-in one.
    pub params: Option<PathBuf>,
    /// Materials (default: every one with parameters).
    pub materials: Vec<String>,
    /// Show every country term.
    pub detail: bool,
}

/// The rows of a run, and whether they carry every term.
#[derive(Debug)]
pub struct CrmAnswer {
    /// One row per material and stage.
    pub rows: Vec<CrmRow>,
    /// Whether the country terms are shown.
    pub show_terms: bool,
}

fn side(h: &WeightedHhi, chn: CountryCode, terms: bool) -> CrmSide {
    CrmSide {
        hhi_wgi_t: h.value,
        chn_share: h.share_of(chn),
        share_sum: h.share_sum,
        missing_wgi: h.missing_wgi.clone(),
        terms: if terms {
            h.terms
                .iter()
                .map(|t| CrmTerm {
                    country: t.row.name.clone(),
                    iso3: t.row.country.map(|c| c.to_string()),
                    share_text: t.row.share_text.clone(),
                    share: t.row.share,
                    wgi_mean: t.wgi_mean,
                    wgi_scaled: t.wgi_scaled,
                    t: t.row.t,
                    contribution: t.contribution,
                })
                .collect()
        } else {
            Vec::new()
        },
    }
}

/// Supply risk per material and stage.
pub fn crm(req: &CrmRequest) -> Result<CrmAnswer> {
    let tables = CrmTables::load(&req.data)
        .map_err(|e| AppError::data(format!("could not read {}", req.data.display()), e))?;
    let wgi = Wgi::load(&req.wgi)
        .map_err(|e| AppError::data(format!("could not read {}", req.wgi.display()), e))?;
    let (params_text, params_file) = match &req.params {
        Some(p) => (
            osa_io::text::read_text(p).map_err(|e| AppError::data("the CRM parameters", e))?,
            p.display().to_string(),
        ),
        None => (
            tables::DEFAULT_PARAMS.to_string(),
            "osa's built-in CRM parameters".to_string(),
        ),
    };
    let params = tables::parse_params(&params_text, &params_file)
        .map_err(|e| AppError::data("the CRM parameters", e))?;
    if wgi.countries_with(req.wgi_year, "pv").is_empty() {
        return Err(AppError::invalid(
            "wgi_year",
            format!(
                "{} has no estimates for {} (latest: {})",
                req.wgi.display(),
                req.wgi_year,
                wgi.latest_year().map_or("none".into(), |y| y.to_string())
            ),
        ));
    }
    let names: Vec<String> = if req.materials.is_empty() {
        params.values().map(|(n, _)| n.clone()).collect()
    } else {
        req.materials.clone()
    };
    let show_terms = req.detail || names.len() == 1;
    let mut rows = Vec::new();
    for name in &names {
        let (canonical, p) = params.get(&name.to_lowercase()).ok_or_else(|| {
            AppError::NotFound(format!(
                "no parameters for `{name}` in {params_file} (known: {})",
                params
                    .values()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        let ctx = Material {
            tables: &tables,
            wgi: &wgi,
            wgi_year: req.wgi_year,
            params_file: &params_file,
            show_terms,
        };
        rows.extend(material_rows(&ctx, canonical, p)?);
    }
    Ok(CrmAnswer { rows, show_terms })
}

/// What every material's rows are computed with.
struct Material<'a> {
    tables: &'a CrmTables,
    wgi: &'a Wgi,
    wgi_year: i32,
    params_file: &'a str,
    show_terms: bool,
}

/// The rows of one material: each stage with shares, the bottleneck marked.
fn material_rows(c: &Material<'_>, canonical: &str, p: &crm::Params) -> Result<Vec<CrmRow>> {
    let chn = CountryCode::parse("CHN").ok_or_else(|| AppError::NotFound("CHN".into()))?;
    let gov = |x: CountryCode| c.wgi.mean6(x, c.wgi_year);
    let mut stages = Vec::new();
    for stage in [Stage::Extraction, Stage::Processing] {
        let gs = c.tables.rows(Side::GlobalSupply, canonical, stage);
        let eu = c.tables.rows(Side::EuSourcing, canonical, stage);
        if gs.is_empty() && eu.is_empty() {
            continue;
        }
        let gs = (!gs.is_empty()).then(|| crm::weighted_hhi(&gs, &gov));
        let eu = (!eu.is_empty()).then(|| crm::weighted_hhi(&eu, &gov));
        stages.push(crm::stage_risk(stage, gs, eu, p));
    }
    if stages.is_empty() {
        return Err(AppError::NotFound(format!(
            "`{canonical}` has no rows in {}",
            tables::GLOBAL_SUPPLY
        )));
    }
    let m = crm::material_risk(canonical, stages, p.clone());
    let (published, published_source) = match c.tables.published_sr(canonical, 2023) {
        Some(v) => (Some(v), Some(tables::PUBLISHED.to_string())),
        None => match &p.published {
            Some((v, src)) => (Some(*v), Some(src.clone())),
            None => (None, None),
        },
    };
    let gap = published.and_then(|v| crm::reproduction_gap(&m, v));
    let mut sources: Vec<String> = c.tables.files.iter().map(|f| data_file_name(f)).collect();
    sources.push(data_file_name(&c.wgi.source));
    sources.push(format!("{}: {}", c.params_file, p.source));
    Ok(m.stages
        .iter()
        .map(|s| CrmRow {
            material: m.material.clone(),
            stage: s.stage.to_string(),
            bottleneck: m.bottleneck == Some(s.stage),
            sr: s.sr,
            variant: s.variant.map(|v| v.as_str().to_string()),
            global_supply: s.gs.as_ref().map(|h| side(h, chn, c.show_terms)),
            eu_sourcing: s.eu.as_ref().map(|h| side(h, chn, c.show_terms)),
            import_reliance: s.ir,
            eol_rir: p.eol_rir,
            substitution_index: p.si_sr,
            missing: s.missing.clone(),
            published_sr: published,
            published_stage: p.assessed_stage.map(|s| s.to_string()),
            published_source: published_source.clone(),
            reproduction_gap: gap.clone(),
            wgi_year: c.wgi_year,
            formula: view::CRM_FORMULA,
            sources: sources.clone(),
        })
        .collect())
}

/// A file of the shared data folder named from that folder (`shared data: eu_crm/x.csv`), not by
/// the absolute path osa found it at; other files as given.
pub fn data_file_name(path: &str) -> String {
    let under_data_dir = osa_io::shared::data_dir().and_then(|dir| {
        std::path::Path::new(path)
            .strip_prefix(dir)
            .ok()
            .map(|r| r.to_owned())
    });
    if let Some(rel) = under_data_dir {
        return format!("shared data: {}", rel.display());
    }
    match path.rsplit_once("shared/data/") {
        Some((_, rel)) => format!("shared data: {rel}"),
        None => path.to_string(),
    }
}

/// The importer: a bloc (built-in, or a definition `NAME=ISO3,...`) or one country (ISO3).
pub fn importer(name: &str, definitions: &[String]) -> Result<osa_model::Bloc> {
    let mut blocs = osa_io::builtin::blocs()
        .map_err(|e| AppError::data("the built-in blocs are invalid", e))?;
    for def in definitions {
        blocs.insert(crate::ecosystem::parse_bloc(def)?);
    }
    if let Some(b) = blocs.get(name) {
        return Ok(b.clone());
    }
    if let Some(c) = CountryCode::parse(name) {
        return Ok(osa_model::Bloc::undated(
            c.as_str(),
            c.name(),
            &[c],
            "single country",
        ));
    }
    Err(AppError::NotFound(format!(
        "unknown importer `{name}`: not a bloc ({}) nor an ISO 3166-1 alpha-3 country code",
        blocs
            .iter()
            .map(|b| b.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )))
}

/// Opens a trade file (BACI CSV or osa's Parquet cache) with its country table.
pub fn open(path: &std::path::Path, countries: Option<&std::path::Path>) -> Result<TradeFile> {
    TradeFile::open(path, countries)
        .map_err(|e| AppError::data(format!("could not open trade file {}", path.display()), e))
}

/// What a scan read, for the interface to report.
#[derive(Debug)]
pub struct Scanned {
    /// The file.
    pub file: TradeFile,
    /// Its counts and first rejected rows.
    pub stats: ScanStats,
    /// Seconds spent.
    pub seconds: f64,
}

/// What a GeoPolRisk run reads.
#[derive(Debug, Clone)]
pub struct GprRequest {
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
    /// The year.
    pub year: u16,
    /// Commodities.
    pub commodities: Vec<String>,
    /// HS6 codes instead of the HS map's (one commodity only).
    pub hs: Vec<String>,
    /// World Mining Data production (long layout).
    pub production: PathBuf,
    /// WGI political stability (long layout).
    pub wgi: PathBuf,
    /// The commodity to HS6 map (when `hs` is empty).
    pub hs_map: PathBuf,
    /// A price (USD per tonne) for the midpoint (one commodity only).
    pub price: Option<f64>,
    /// Copper's midpoint, for the characterisation factor.
    pub cu_midpoint: Option<f64>,
}

/// How a long scan reports progress: told the file once it is open (its size), then the amount
/// read as it goes.
pub trait Progress: Sync {
    /// The file is open.
    fn opened(&self, file: &TradeFile);
    /// `n` more bytes (CSV) or rows (cache) read.
    fn read(&self, n: u64);
}

/// GeoPolRisk import risk and score per commodity, with the scan for the interface to report.
pub fn geopolrisk(req: &GprRequest, progress: &dyn Progress) -> Result<(Vec<GprRow>, Scanned)> {
    if req.commodities.len() > 1 && (!req.hs.is_empty() || req.price.is_some()) {
        return Err(AppError::invalid(
            "hs",
            "--hs and --price apply to one commodity: run once per commodity",
        ));
    }
    if req.cu_midpoint.is_some() && req.price.is_none() {
        return Err(AppError::invalid(
            "cu_midpoint",
            "needs a price (CF = score x price / midpoint_Cu)",
        ));
    }
    let bloc = importer(&req.importer, &req.bloc_definitions)?;
    let production = Production::load(&req.production)
        .map_err(|e| AppError::data(format!("could not read {}", req.production.display()), e))?;
    let wgi = Wgi::load(&req.wgi)
        .map_err(|e| AppError::data(format!("could not read {}", req.wgi.display()), e))?;
    let commodities = commodity_codes(req, &production)?;
    let file = open(&req.trade, req.countries.as_deref())?;
    progress.opened(&file);
    let member: Vec<bool> = file
        .table
        .entities()
        .iter()
        .map(|e| {
            e.country
                .is_some_and(|c| bloc.contains(c, i32::from(req.year)))
        })
        .collect();
    let all_codes: Vec<u32> = commodities.iter().flat_map(|c| c.1.clone()).collect();
    let mut sinks: Vec<ImportFilter> = (0..req.threads.max(1))
        .map(|_| ImportFilter::new(req.year, member.clone(), &all_codes))
        .collect();
    let start = std::time::Instant::now();
    let stats = file
        .scan(&mut sinks, Some(req.year), true, &|n| progress.read(n))
        .map_err(|e| AppError::data(format!("could not read {}", req.trade.display()), e))?;
    let seconds = start.elapsed().as_secs_f64();
    let mut rows: Vec<osa_trade::rows::Row> = sinks.into_iter().flat_map(|s| s.rows).collect();
    // A fixed order, so that sums do not depend on which thread read which rows.
    rows.sort_by_key(|r| (r.exporter, r.importer, r.product));
    let ctx = Gpr {
        req,
        bloc: &bloc,
        production: &production,
        wgi: &wgi,
        file: &file,
        rows: &rows,
    };
    let out = commodities
        .iter()
        .map(|(name, codes)| commodity_row(&ctx, name, codes))
        .collect::<Result<Vec<_>>>()?;
    Ok((
        out,
        Scanned {
            file,
            stats,
            seconds,
        },
    ))
}

/// The commodities asked for, with their HS6 codes.
fn commodity_codes(req: &GprRequest, production: &Production) -> Result<Vec<(String, Vec<u32>)>> {
    let map =
        if req.hs.is_empty() {
            Some(production::load_hs_map(&req.hs_map).map_err(|e| {
                AppError::data(format!("could not read {}", req.hs_map.display()), e)
            })?)
        } else {
            None
        };
    let mut out = Vec::new();
    for c in &req.commodities {
        let name = production.commodity(c).ok_or_else(|| {
            AppError::NotFound(format!(
                "no commodity `{c}` in {} (known: {})",
                req.production.display(),
                production.names().join(", ")
            ))
        })?;
        let codes = match &map {
            None => req
                .hs
                .iter()
                .map(|h| {
                    parse_hs6(h)
                        .ok_or_else(|| AppError::invalid("hs", format!("`{h}` is not an HS6 code")))
                })
                .collect::<Result<Vec<_>>>()?,
            Some(m) => production::hs_codes(m, name)
                .or_else(|| production::hs_codes(m, c))
                .map(<[u32]>::to_vec)
                .ok_or_else(|| {
                    AppError::NotFound(format!(
                        "no HS6 codes for `{name}` in the HS map: pass --hs"
                    ))
                })?,
        };
        out.push((name.to_string(), codes));
    }
    Ok(out)
}

/// What every commodity's row is computed with.
struct Gpr<'a> {
    req: &'a GprRequest,
    bloc: &'a osa_model::Bloc,
    production: &'a Production,
    wgi: &'a Wgi,
    file: &'a TradeFile,
    rows: &'a [osa_trade::rows::Row],
}

/// One commodity's GeoPolRisk row.
fn commodity_row(c: &Gpr<'_>, name: &str, codes: &[u32]) -> Result<GprRow> {
    let year = i32::from(c.req.year);
    let prod = c.production.rows(name, year);
    if prod.is_empty() {
        return Err(AppError::NotFound(format!(
            "{} has no {name} production for {year}",
            c.req.production.display()
        )));
    }
    let hhi = geopolrisk::production_hhi(&prod.iter().map(|p| p.quantity).collect::<Vec<_>>());
    let mut domestic = 0.0;
    for p in prod
        .iter()
        .filter(|p| p.country.is_some_and(|x| c.bloc.contains(x, year)))
    {
        if !p.tonnes {
            return Err(AppError::invalid(
                "production",
                format!(
                    "{name} production of {} is in `{}`, which cannot be added to trade tonnes",
                    p.iso3, p.unit
                ),
            ));
        }
        domestic += p.quantity;
    }
    let mut by: BTreeMap<u32, Supplier> = BTreeMap::new();
    let mut without_q = 0u64;
    for r in c.rows.iter().filter(|r| codes.contains(&r.product)) {
        let e = &c.file.table.entities()[r.exporter_idx as usize];
        let s = by.entry(r.exporter_idx).or_insert_with(|| Supplier {
            label: e.label.clone(),
            country: e.country,
            quantity: 0.0,
            value: 0.0,
            weight: e
                .country
                .and_then(|x| c.wgi.estimate(x, year, "pv"))
                .map(geopolrisk::political_weight),
        });
        s.value += r.value;
        if r.quantity.is_nan() {
            without_q += 1;
        } else {
            s.quantity += r.quantity;
        }
    }
    let g = geopolrisk::geopolrisk(hhi, by.into_values().collect(), domestic);
    let midpoint = c.req.price.map(|p| g.score * p);
    Ok(GprRow {
        commodity: name.to_string(),
        hs6: codes.iter().map(|x| hs6(*x)).collect(),
        importer: c.bloc.id.clone(),
        year,
        hhi: g.hhi,
        numerator: g.numerator,
        total_imports: g.total_imports,
        domestic_production: g.domestic_production,
        import_risk: g.import_risk,
        score: g.score,
        midpoint,
        cf: midpoint.zip(c.req.cu_midpoint).map(|(m, cu)| m / cu),
        missing_weight: g.missing_weight.clone(),
        rows_without_quantity: without_q,
        suppliers: g
            .suppliers
            .iter()
            .map(|s| GprSupplier {
                country: s.label.clone(),
                quantity: s.quantity,
                value: s.value,
                weight: s.weight,
            })
            .collect(),
        formula: view::GPR_FORMULA,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn importer_resolves_blocs_and_countries() {
        let eu = importer("EU27", &[]).expect("EU27");
        let hrv = CountryCode::parse("HRV").expect("HRV");
        assert!(!eu.contains(hrv, 2012) && eu.contains(hrv, 2013));
        assert_eq!(importer("USA", &[]).expect("USA").members.len(), 1);
        let q = importer("Q", &["Q=USA,JPN".into()]).expect("bloc");
        assert_eq!(q.members.len(), 2);
        assert!(importer("XXX", &[]).is_err());
    }

    #[test]
    fn thousands_groups_digits() {
        use crate::screen::thousands;
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(71192), "71,192");
        assert_eq!(thousands(11000000), "11,000,000");
    }
}
