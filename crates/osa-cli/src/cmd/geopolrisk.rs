//! `osa geopolrisk`: GeoPolRisk import risk and score (akoyamp/geopolrisk-py's method) for an
//! importer (country or bloc), commodities and a year, from BACI-layout trade, World Mining Data
//! production and WGI political stability.

use crate::cli::Common;
use crate::cmd::trade::{SourceArgs, importer, open, progress, report_scan};
use crate::common::output;
use crate::common::shared_file as shared;
use anyhow::{Context, Result, anyhow, bail};
use clap::Args;
use osa_report::trade::{self as view, GprRow, GprSupplier};
use osa_trade::geopolrisk::{self, ImportFilter, Supplier};
use osa_trade::ingest::production::{self, Production};
use osa_trade::ingest::trade::Kind;
use osa_trade::ingest::wgi::Wgi;
use osa_trade::rows::{hs6, parse_hs6};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

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
    if args.commodities.len() > 1 && (!args.hs.is_empty() || args.price.is_some()) {
        bail!("--hs and --price apply to one commodity: run once per commodity");
    }
    if args.cu_midpoint.is_some() && args.price.is_none() {
        bail!("--cu-midpoint needs --price (CF = score x price / midpoint_Cu)");
    }
    let bloc = importer(&args.importer, &args.common.blocs)?;
    let year = args.year;
    let prod_path = match &args.production {
        Some(p) => p.clone(),
        None => shared(
            "production/world_mining_data_production_long.csv",
            "--production",
        )?,
    };
    let wgi_path = match &args.wgi {
        Some(p) => p.clone(),
        None => shared(
            "geopolrisk_reference/wgi_political_stability_long.csv",
            "--wgi",
        )?,
    };
    let production = Production::load(&prod_path)?;
    let wgi = Wgi::load(&wgi_path)?;
    // Commodities and their HS6 codes.
    let mut commodities: Vec<(String, Vec<u32>)> = Vec::new();
    let map = if args.hs.is_empty() {
        let p = match &args.hs_map {
            Some(p) => p.clone(),
            None => shared("geopolrisk_reference/hs_code_map_eol_rir.csv", "--hs-map")?,
        };
        Some(production::load_hs_map(&p)?)
    } else {
        None
    };
    for c in &args.commodities {
        let name = production.commodity(c).ok_or_else(|| {
            anyhow!(
                "no commodity `{c}` in {} (known: {})",
                prod_path.display(),
                production.names().join(", ")
            )
        })?;
        let codes = match &map {
            None => args
                .hs
                .iter()
                .map(|h| parse_hs6(h).ok_or_else(|| anyhow!("--hs `{h}` is not an HS6 code")))
                .collect::<Result<Vec<_>>>()?,
            Some(m) => production::hs_codes(m, name)
                .or_else(|| production::hs_codes(m, c))
                .map(<[u32]>::to_vec)
                .ok_or_else(|| anyhow!("no HS6 codes for `{name}` in the HS map: pass --hs"))?,
        };
        commodities.push((name.to_string(), codes));
    }
    // Trade.
    let file = open(&args.trade, &args.source)?;
    let member: Vec<bool> = file
        .table
        .entities()
        .iter()
        .map(|e| e.country.is_some_and(|c| bloc.contains(c, year as i32)))
        .collect();
    let all_codes: Vec<u32> = commodities.iter().flat_map(|c| c.1.clone()).collect();
    let mut sinks: Vec<ImportFilter> = (0..args.source.threads())
        .map(|_| ImportFilter::new(year, member.clone(), &all_codes))
        .collect();
    let pb = progress(file.progress_total(), "geopolrisk", file.kind == Kind::Csv);
    let start = Instant::now();
    let stats = file
        .scan(&mut sinks, Some(year), true, &|n| pb.inc(n))
        .with_context(|| format!("could not read {}", args.trade.display()))?;
    pb.finish_and_clear();
    report_scan(&file, &stats, start.elapsed().as_secs_f64());
    let mut rows: Vec<osa_trade::rows::Row> = sinks.into_iter().flat_map(|s| s.rows).collect();
    // A fixed order, so that sums do not depend on which thread read which rows.
    rows.sort_by_key(|r| (r.exporter, r.importer, r.product));

    let mut out = Vec::new();
    for (name, codes) in &commodities {
        let prod = production.rows(name, year as i32);
        if prod.is_empty() {
            bail!(
                "{} has no {name} production for {year}",
                prod_path.display()
            );
        }
        let hhi = geopolrisk::production_hhi(&prod.iter().map(|p| p.quantity).collect::<Vec<_>>());
        let mut domestic = 0.0;
        for p in prod
            .iter()
            .filter(|p| p.country.is_some_and(|c| bloc.contains(c, year as i32)))
        {
            if !p.tonnes {
                bail!(
                    "{name} production of {} is in `{}`, which cannot be added to trade tonnes",
                    p.iso3,
                    p.unit
                );
            }
            domestic += p.quantity;
        }
        let mut by: BTreeMap<u32, Supplier> = BTreeMap::new();
        let mut without_q = 0u64;
        for r in rows.iter().filter(|r| codes.contains(&r.product)) {
            let e = &file.table.entities()[r.exporter_idx as usize];
            let s = by.entry(r.exporter_idx).or_insert_with(|| Supplier {
                label: e.label.clone(),
                country: e.country,
                quantity: 0.0,
                value: 0.0,
                weight: e
                    .country
                    .and_then(|c| wgi.estimate(c, year as i32, "pv"))
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
        let midpoint = args.price.map(|p| g.score * p);
        out.push(GprRow {
            commodity: name.clone(),
            hs6: codes.iter().map(|c| hs6(*c)).collect(),
            importer: bloc.id.clone(),
            year: year as i32,
            hhi: g.hhi,
            numerator: g.numerator,
            total_imports: g.total_imports,
            domestic_production: g.domestic_production,
            import_risk: g.import_risk,
            score: g.score,
            midpoint,
            cf: midpoint.zip(args.cu_midpoint).map(|(m, cu)| m / cu),
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
        });
    }
    output(args.common.format, args.common.output.as_deref(), |f| {
        view::render_geopolrisk(&out, f)
    })
}
