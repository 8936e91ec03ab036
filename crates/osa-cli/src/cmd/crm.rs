//! `osa crm`: supply risk of critical raw materials by the EU's 2017 method, per material and
//! stage, from the 2023 study's share tables, WGI and osa's parameter file; the bottleneck stage is
//! the reported SR. Shows the formula and, with `--detail` (or for one material), every input.

use crate::common::output;
use crate::common::shared_file as shared;
use crate::flags::Output;
use anyhow::Result;
use clap::Args;
use osa_app::trade::CrmRequest;
pub use osa_app::trade::DEFAULT_WGI_YEAR;
use osa_view::trade as view;
use std::path::PathBuf;

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

/// Runs `osa crm`.
pub fn run(args: CrmArgs) -> Result<()> {
    let req = CrmRequest {
        data: match &args.data {
            Some(d) => d.clone(),
            None => shared("eu_crm", "--data")?,
        },
        wgi: match &args.wgi {
            Some(p) => p.clone(),
            None => shared("country/wgi_full_long_lmorgans.csv", "--wgi")?,
        },
        wgi_year: args.wgi_year,
        params: args.params.clone(),
        materials: args.materials.clone(),
        detail: args.detail,
    };
    let a = osa_app::trade::crm(&req)?;
    output(args.common.format, args.common.output.as_deref(), |f| {
        view::render_crm(&a.rows, a.show_terms, f)
    })
}
