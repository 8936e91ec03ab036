//! `osa geopolrisk`: GeoPolRisk import risk and score (akoyamp/geopolrisk-py's method) for an
//! importer (country or bloc), commodities and a year, from BACI-layout trade, World Mining Data
//! production and WGI political stability.

use crate::cmd::trade::{ScanBar, SourceArgs, report_scan};
use crate::common::output;
use crate::common::shared_file as shared;
use crate::flags::Common;
use anyhow::Result;
use clap::Args;
use osa_app::trade::GprRequest;
use osa_view::trade as view;
use std::path::PathBuf;

/// GeoPolRisk import risk and score of an importer for commodities, from trade and production.
#[derive(Debug, Args)]
pub struct GeoPolRiskArgs {
    /// Trade file: a BACI CSV (t,i,j,k,v,q) or an osa cache.
    #[arg(long, value_name = "FILE")]
    pub trade: PathBuf,
    /// Importer: an ISO3 country or a bloc (imports from members are then not imports).
    #[arg(long)]
    pub importer: String,
    /// Year (trade, production and WGI).
    #[arg(long)]
    pub year: u16,
    /// Commodity as World Mining Data names it (`Nickel`, `Graphite`, `Lithium`); repeatable.
    #[arg(long = "commodity", required = true)]
    pub commodities: Vec<String>,
    /// HS6 codes whose imports count (default: geopolrisk-py's map, main and complementary codes);
    /// only with one commodity.
    #[arg(long = "hs", value_name = "HS6")]
    pub hs: Vec<String>,
    /// Production table (default: ../shared/data/production/world_mining_data_production_long.csv).
    #[arg(long, value_name = "FILE")]
    pub production: Option<PathBuf>,
    /// WGI political stability, geopolrisk-py's layout or the long layout (default:
    /// ../shared/data/geopolrisk_reference/wgi_political_stability_long.csv).
    #[arg(long, value_name = "FILE")]
    pub wgi: Option<PathBuf>,
    /// Commodity -> HS6 map (default: ../shared/data/geopolrisk_reference/hs_code_map_eol_rir.csv).
    #[arg(long, value_name = "FILE")]
    pub hs_map: Option<PathBuf>,
    /// Price (USD per kg) for the midpoint = score x price; only with one commodity.
    #[arg(long)]
    pub price: Option<f64>,
    /// Copper's midpoint for the same importer and year, for CF = midpoint / midpoint_Cu.
    #[arg(long)]
    pub cu_midpoint: Option<f64>,
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub common: Common,
}

/// Runs `osa geopolrisk`.
pub fn run(args: GeoPolRiskArgs) -> Result<()> {
    let req = GprRequest {
        trade: args.trade.clone(),
        countries: args.source.countries.clone(),
        threads: args.source.threads(),
        importer: args.importer.clone(),
        bloc_definitions: args.common.blocs.clone(),
        year: args.year,
        commodities: args.commodities.clone(),
        hs: args.hs.clone(),
        production: match &args.production {
            Some(p) => p.clone(),
            None => shared(
                "production/world_mining_data_production_long.csv",
                "--production",
            )?,
        },
        wgi: match &args.wgi {
            Some(p) => p.clone(),
            None => shared(
                "geopolrisk_reference/wgi_political_stability_long.csv",
                "--wgi",
            )?,
        },
        hs_map: match &args.hs_map {
            Some(p) => p.clone(),
            None => shared("geopolrisk_reference/hs_code_map_eol_rir.csv", "--hs-map")?,
        },
        price: args.price,
        cu_midpoint: args.cu_midpoint,
    };
    let bar = ScanBar::new("geopolrisk");
    let (rows, scanned) = osa_app::trade::geopolrisk(&req, &bar)?;
    bar.finish();
    report_scan(&scanned.file, &scanned.stats, scanned.seconds);
    // A zero read as "no risk" when the file simply holds no such imports.
    for r in rows.iter().filter(|r| r.total_imports <= 0.0) {
        say!(
            "warning: the trade file holds no imports of {} (HS {}) into {} in {}: its zeros mean \
             no data, not no risk (partial trade data, or another year or importer?)",
            r.commodity,
            r.hs6.join(", "),
            r.importer,
            r.year
        );
    }
    output(args.common.format, args.common.output.as_deref(), |f| {
        view::render_geopolrisk(&rows, f)
    })
}
