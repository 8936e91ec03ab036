//! Trade-based use cases: the EU critical raw materials supply risk (2017 method) per material and
//! stage from the study's share tables, WGI and osa's parameters, with the published value and the
//! cause of any gap beside it.

use crate::{AppError, Result};
use osa_model::CountryCode;
use osa_report::trade::{self as view, CrmRow, CrmSide, CrmTerm};
use osa_trade::crm::{self, Stage, WeightedHhi};
use osa_trade::ingest::crm::{self as tables, CrmTables, Side};
use osa_trade::ingest::wgi::Wgi;
use std::path::PathBuf;

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
    match path.rsplit_once("shared/data/") {
        Some((_, rel)) => format!("shared data: {rel}"),
        None => path.to_string(),
    }
}
