//! `osa crm`: supply risk of critical raw materials by the EU's 2017 method, per material and
//! stage, from the 2023 study's share tables, WGI and osa's parameter file; the bottleneck stage is
//! the reported SR. Shows the formula and, with `--detail` (or for one material), every input.

use crate::cli::Output;
use crate::common::output;
use crate::common::shared_file as shared;
use anyhow::{Context, Result, anyhow, bail};
use clap::Args;
use osa_model::CountryCode;
use osa_report::trade::{self as view, CrmRow, CrmSide, CrmTerm};
use osa_trade::crm::{self, Stage, WeightedHhi};
use osa_trade::ingest::crm::{self as tables, CrmTables, Side};
use osa_trade::ingest::wgi::Wgi;
use std::path::PathBuf;

/// WGI year used by default: the edition published in 2021 (data year 2020), the latest when the
/// 2023 CRM study collected its data.
pub const DEFAULT_WGI_YEAR: i32 = 2020;

/// Critical raw materials supply risk (EU 2017 method), per material and stage.
#[derive(Debug, Args)]
pub struct CrmArgs {
    /// Materials (as the tables name them; default: every material of the parameter file).
    pub materials: Vec<String>,
    /// The EU CRM tables directory (default: ../shared/data/eu_crm).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// WGI file, long format with the six indicators (default: ../shared/data/country/wgi_full_long_lmorgans.csv).
    #[arg(long, value_name = "FILE")]
    pub wgi: Option<PathBuf>,
    /// WGI year.
    #[arg(long, default_value_t = DEFAULT_WGI_YEAR)]
    pub wgi_year: i32,
    /// Parameter file (osa-crm-parameters/1; default: data/trade/crm_parameters.toml, built in).
    #[arg(long, value_name = "FILE")]
    pub params: Option<PathBuf>,
    /// Show every term of each weighted HHI.
    #[arg(long)]
    pub detail: bool,
    #[command(flatten)]
    pub common: Output,
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

/// Runs `osa crm`.
pub fn run(args: CrmArgs) -> Result<()> {
    let dir = match &args.data {
        Some(d) => d.clone(),
        None => shared("eu_crm", "--data")?,
    };
    let wgi_path = match &args.wgi {
        Some(p) => p.clone(),
        None => shared("country/wgi_full_long_lmorgans.csv", "--wgi")?,
    };
    let tables =
        CrmTables::load(&dir).with_context(|| format!("could not read {}", dir.display()))?;
    let wgi = Wgi::load(&wgi_path)?;
    let (params_text, params_file) = match &args.params {
        Some(p) => (osa_io::text::read_text(p)?, p.display().to_string()),
        None => (
            tables::DEFAULT_PARAMS.to_string(),
            "osa's built-in CRM parameters".to_string(),
        ),
    };
    let params = tables::parse_params(&params_text, &params_file)?;
    if wgi.countries_with(args.wgi_year, "pv").is_empty() {
        bail!(
            "{} has no estimates for {} (latest: {})",
            wgi_path.display(),
            args.wgi_year,
            wgi.latest_year().map_or("none".into(), |y| y.to_string())
        );
    }
    let names: Vec<String> = if args.materials.is_empty() {
        params.values().map(|(n, _)| n.clone()).collect()
    } else {
        args.materials.clone()
    };
    let show_terms = args.detail || names.len() == 1;
    let chn = CountryCode::parse("CHN").context("CHN")?;
    let gov = |c: CountryCode| wgi.mean6(c, args.wgi_year);
    let mut rows = Vec::new();
    for name in &names {
        let (canonical, p) = params.get(&name.to_lowercase()).ok_or_else(|| {
            anyhow!(
                "no parameters for `{name}` in {params_file} (known: {})",
                params
                    .values()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        let mut stages = Vec::new();
        for stage in [Stage::Extraction, Stage::Processing] {
            let gs = tables.rows(Side::GlobalSupply, canonical, stage);
            let eu = tables.rows(Side::EuSourcing, canonical, stage);
            if gs.is_empty() && eu.is_empty() {
                continue;
            }
            let gs = (!gs.is_empty()).then(|| crm::weighted_hhi(&gs, &gov));
            let eu = (!eu.is_empty()).then(|| crm::weighted_hhi(&eu, &gov));
            stages.push(crm::stage_risk(stage, gs, eu, p));
        }
        if stages.is_empty() {
            bail!("`{canonical}` has no rows in {}", tables::GLOBAL_SUPPLY);
        }
        let m = crm::material_risk(canonical, stages, p.clone());
        let (published, published_source) = match tables.published_sr(canonical, 2023) {
            Some(v) => (Some(v), Some(tables::PUBLISHED.to_string())),
            None => match &p.published {
                Some((v, src)) => (Some(*v), Some(src.clone())),
                None => (None, None),
            },
        };
        let gap = published.and_then(|v| crm::reproduction_gap(&m, v));
        for s in &m.stages {
            rows.push(CrmRow {
                material: m.material.clone(),
                stage: s.stage.to_string(),
                bottleneck: m.bottleneck == Some(s.stage),
                sr: s.sr,
                variant: s.variant.map(|v| v.as_str().to_string()),
                global_supply: s.gs.as_ref().map(|h| side(h, chn, show_terms)),
                eu_sourcing: s.eu.as_ref().map(|h| side(h, chn, show_terms)),
                import_reliance: s.ir,
                eol_rir: p.eol_rir,
                substitution_index: p.si_sr,
                missing: s.missing.clone(),
                published_sr: published,
                published_stage: p.assessed_stage.map(|s| s.to_string()),
                published_source: published_source.clone(),
                reproduction_gap: gap.clone(),
                wgi_year: args.wgi_year,
                formula: view::CRM_FORMULA,
                sources: {
                    let mut v: Vec<String> =
                        tables.files.iter().map(|f| data_file_name(f)).collect();
                    v.push(data_file_name(&wgi.source));
                    v.push(format!("{params_file}: {}", p.source));
                    v
                },
            });
        }
    }
    output(args.common.format, args.common.output.as_deref(), |f| {
        view::render_crm(&rows, show_terms, f)
    })
}

/// A file of the shared data folder named from that folder (`shared data: eu_crm/x.csv`), not by
/// the absolute path osa found it at; other files as given.
fn data_file_name(path: &str) -> String {
    match path.rsplit_once("shared/data/") {
        Some((_, rel)) => format!("shared data: {rel}"),
        None => path.to_string(),
    }
}
