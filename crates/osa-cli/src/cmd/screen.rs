//! `osa screen`: the Commission's trade-based screening of strategic dependencies (SWD(2021) 352)
//! for an importer bloc and year, from a BACI CSV or osa's cache; per product, or summarised by HS
//! section, end use, supplier, ecosystem input or ecosystem.

use crate::cli::ScreenCommon;
use crate::cmd::trade::{SourceArgs, importer, open, progress, report_scan, thousands};
use crate::common::{load_ecosystem, output};
use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use osa_report::Format;
use osa_report::trade::{self as view, GroupRow, InputRow, ScreenRow, SupplierRow};
use osa_trade::end_use::{self, EndUseRules};
use osa_trade::ingest::hs::Nomenclature;
use osa_trade::ingest::trade::Kind;
use osa_trade::rows::hs6;
use osa_trade::screen::{self, Accumulator, Partition, ProductResult, Screening, Thresholds};
use std::path::PathBuf;
use std::time::Instant;

/// What one row of output is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    /// One row per HS6 product.
    Product,
    /// Totals per HS section.
    Section,
    /// Totals per end use (raw material, intermediate, final).
    EndUse,
    /// Suppliers of the dependent products.
    Supplier,
    /// Each HS6 code of each ecosystem input (needs --ecosystem).
    Input,
    /// Totals per ecosystem over its inputs' HS6 codes (needs --ecosystem).
    Ecosystem,
}

/// Screen HS6 products for strategic dependencies on trade data (the Commission's three indicators).
#[derive(Debug, Args)]
pub struct ScreenArgs {
    /// Trade file: a BACI CSV (t,i,j,k,v,q) or an osa cache (`osa trade ingest`).
    #[arg(long, value_name = "FILE")]
    pub trade: PathBuf,
    /// Importer: a bloc (EU27, NATO, G7, or one defined with --bloc) or an ISO3 country.
    #[arg(long, default_value = "EU27")]
    pub importer: String,
    /// Year (default: the first row's year; membership is as of 1 July of it).
    #[arg(long)]
    pub year: Option<u16>,
    /// What one row is.
    #[arg(long, value_enum, default_value = "product")]
    pub by: By,
    /// Show dependent products only.
    #[arg(long)]
    pub dependent: bool,
    /// HHI threshold (strictly above passes).
    #[arg(long, default_value_t = 0.4)]
    pub hhi_threshold: f64,
    /// Extra-bloc share threshold (strictly above passes).
    #[arg(long, default_value_t = 0.5)]
    pub share_threshold: f64,
    /// Import/export ratio threshold (strictly above passes).
    #[arg(long, default_value_t = 1.0)]
    pub ratio_threshold: f64,
    /// The country whose share is reported as chn_share.
    #[arg(long, default_value = "CHN")]
    pub reference: String,
    /// HS nomenclature file(s) for descriptions (default: ../shared/data/hs, HS 2017 then 2022).
    #[arg(long = "hs", value_name = "FILE")]
    pub hs: Vec<PathBuf>,
    /// End-use rules (osa-hs-end-use/1; default: data/trade/end_use.toml, built in).
    #[arg(long, value_name = "FILE")]
    pub end_use: Option<PathBuf>,
    /// Ecosystems whose inputs carry HS6 codes (file, ETO directory or built-in name; repeatable).
    #[arg(long = "ecosystem", value_name = "ECOSYSTEM")]
    pub ecosystems: Vec<String>,
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub common: ScreenCommon,
}

fn check_threshold(name: &str, v: f64) -> Result<f64> {
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        bail!("{name} {v} must be a non-negative number")
    }
}

/// Runs `osa screen`.
pub fn run(args: ScreenArgs) -> Result<()> {
    let thresholds = Thresholds {
        hhi: check_threshold("--hhi-threshold", args.hhi_threshold)?,
        extra_share: check_threshold("--share-threshold", args.share_threshold)?,
        ratio: check_threshold("--ratio-threshold", args.ratio_threshold)?,
    };
    if matches!(args.by, By::Input | By::Ecosystem) && args.ecosystems.is_empty() {
        bail!("--by {:?} needs --ecosystem", args.by);
    }
    let bloc = importer(&args.importer, &args.common.blocs)?;
    let reference = osa_model::CountryCode::parse(&args.reference).ok_or_else(|| {
        anyhow::anyhow!(
            "--reference `{}` is not an ISO 3166-1 alpha-3 code",
            args.reference
        )
    })?;
    let file = open(&args.trade, &args.source)?;
    let year = match args.year {
        Some(y) => y,
        None => file
            .first_year()?
            .with_context(|| format!("{} has no valid data row", args.trade.display()))?,
    };
    let entities: Vec<Option<osa_model::CountryCode>> =
        file.table.entities().iter().map(|e| e.country).collect();
    let partition = Partition::of_bloc(&bloc, year, &entities);
    let n_members = partition.member.iter().filter(|m| **m).count();
    if n_members == 0 {
        bail!(
            "no member of {} as of {year} appears in the country table {}",
            bloc.id,
            file.table.file()
        );
    }
    let threads = args.source.threads();
    // The nomenclature loads while the trade file is scanned.
    let hs_files = args.hs.clone();
    let names_job = std::thread::spawn(move || load_names(&hs_files));
    let mut accs: Vec<Accumulator> = (0..threads).map(|_| Accumulator::new(&partition)).collect();
    let pb = progress(file.progress_total(), "screen", file.kind == Kind::Csv);
    let start = Instant::now();
    let stats = file
        .scan(&mut accs, Some(year), false, &|n| pb.inc(n))
        .with_context(|| format!("could not read {}", args.trade.display()))?;
    pb.finish_and_clear();
    let acc = Accumulator::merge_all(accs).context("no worker")?;
    let screening = screen::screen(&acc, thresholds, file.table.index_of(reference))?;
    report_scan(&file, &stats, start.elapsed().as_secs_f64());
    // Rows of other years were either seen and set aside, or skipped by row-group statistics.
    let other_years = screening.rows_other_year + stats.rows_skipped;
    if args.year.is_none() && other_years > 0 {
        bail!(
            "{} holds several years ({} rows are not {year}): pass --year",
            args.trade.display(),
            thousands(other_years)
        );
    }
    if screening.products.is_empty() {
        bail!(
            "no product imported into {} from outside it in {year} ({} rows of that year)",
            bloc.id,
            thousands(stats.rows_read - stats.rows_rejected - other_years)
        );
    }
    let total = screen::total(&screening);
    let coverage = acc.coverage(&osa_trade::coverage::world_totals()?);
    eprintln!("{}", coverage.describe());
    if let Some(w) = coverage.warning() {
        eprintln!("{w}");
    }
    let label = |e: u32| {
        file.table
            .entities()
            .get(e as usize)
            .map_or("?".to_string(), |x| x.label.clone())
    };
    eprintln!(
        "{} {year} ({} members): {} products imported from outside, {} dependent ({} of their import value; {} from {}); {} imported only from members",
        bloc.id,
        n_members,
        thousands(total.n_products as u64),
        thousands(total.n_dependent as u64),
        osa_report::format::pct(Some(total.dependent_value_share())),
        osa_report::format::pct(Some(total.dependent_chn_share())),
        reference,
        thousands(screening.n_only_intra as u64),
    );

    let names = names_job
        .join()
        .map_err(|_| anyhow::anyhow!("loading the HS nomenclature failed"))??;
    let rules = match &args.end_use {
        Some(p) => {
            let text = osa_io::text::read_text(p)?;
            EndUseRules::parse(&text, &p.display().to_string())?
        }
        None => EndUseRules::default_rules()?,
    };
    let use_of = |p: &ProductResult| {
        rules
            .classify(p.product)
            .map_or("unclassified".to_string(), |u| u.to_string())
    };
    let render = |format: Format| -> Result<String> {
        Ok(match args.by {
            By::Product => {
                let mut rows: Vec<&ProductResult> = screening
                    .products
                    .iter()
                    .filter(|p| !args.dependent || p.dependent)
                    .collect();
                rows.sort_by(|a, b| {
                    b.dependent
                        .cmp(&a.dependent)
                        .then(b.extra_imports.total_cmp(&a.extra_imports))
                        .then(a.product.cmp(&b.product))
                });
                let rows: Vec<ScreenRow> = rows
                    .into_iter()
                    .map(|p| product_row(p, &names, &use_of, &label))
                    .collect();
                let mut out = view::render_screen(&rows, format)?;
                if matches!(format, Format::Table | Format::Md | Format::Html) {
                    out.push_str(&osa_report::format::unsigned_zero(&footer(
                        &screening,
                        &total,
                        &bloc.id,
                        year,
                        &rules.source,
                    )));
                    out.push_str(&format!("{}\n", coverage.describe()));
                    if let Some(w) = coverage.warning() {
                        out.push_str(&format!("{w}\n"));
                    }
                }
                out
            }
            By::Section => {
                let groups = screen::group_by(&screening, |p| {
                    end_use::section(p.product).unwrap_or("?").to_string()
                });
                let mut rows: Vec<GroupRow> = groups
                    .iter()
                    .map(|g| group_row(g, names.section_name(&g.key).unwrap_or("")))
                    .collect();
                rows.sort_by_key(|r| end_use::section_rank(&r.key));
                view::render_groups(&rows, "section", format)?
            }
            By::EndUse => {
                let groups = screen::group_by(&screening, use_of);
                let rows: Vec<GroupRow> = groups
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
                view::render_groups(&rows, "end_use", format)?
            }
            By::Supplier => {
                let rows: Vec<SupplierRow> = screen::dependent_suppliers(&screening)
                    .iter()
                    .map(|s| {
                        let e = &file.table.entities()[s.entity as usize];
                        SupplierRow {
                            country: e.label.clone(),
                            name: e.country.map_or(e.name.clone(), |c| c.name().to_string()),
                            value: s.value,
                            share: s.share,
                        }
                    })
                    .collect();
                view::render_suppliers(&rows, format)?
            }
            By::Input | By::Ecosystem => {
                let mut inputs = Vec::new();
                let mut groups = Vec::new();
                for spec in &args.ecosystems {
                    let loaded = load_ecosystem(Some(spec))?;
                    let eco = loaded.checked.ecosystem();
                    let annotated = screen::annotate(&loaded.checked, &screening);
                    let mut g = screen::Group {
                        key: eco.id.clone(),
                        ..Default::default()
                    };
                    let mut seen = std::collections::BTreeSet::new();
                    for a in &annotated {
                        let input = &eco.inputs[a.input];
                        for (code, found) in &a.codes {
                            let p = found.map(|i| &screening.products[i]);
                            if let Some(i) = found
                                && seen.insert(*i)
                            {
                                g.add(&screening.products[*i]);
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
                                top_supplier: p.and_then(|p| p.top()).map(|s| label(s.entity)),
                                top_share: p.and_then(|p| p.top()).map(|s| s.share),
                                chn_share: p.map(|p| p.chn_share),
                                import_value: p.map(|p| p.extra_imports),
                            });
                        }
                    }
                    groups.push(group_row(&g, &eco.name));
                }
                if args.by == By::Input {
                    view::render_inputs(&inputs, format)?
                } else {
                    view::render_groups(&groups, "ecosystem", format)?
                }
            }
        })
    };
    output(args.common.format, args.common.output.as_deref(), render)
}

fn load_names(files: &[PathBuf]) -> Result<Nomenclature> {
    let mut names = Nomenclature::default();
    let (editions, sections) = match (files.is_empty(), osa_io::shared::data_dir()) {
        (false, _) => (files.to_vec(), None),
        (true, Some(dir)) => Nomenclature::shared_files(&dir),
        (true, None) => (Vec::new(), None),
    };
    for f in &editions {
        names.load(f)?;
    }
    if let Some(s) = sections {
        names.load_sections(&s)?;
    }
    if names.is_empty() {
        eprintln!(
            "warning: no HS nomenclature found (pass --hs FILE or provide ../shared/data/hs): descriptions are empty"
        );
    }
    Ok(names)
}

fn product_row(
    p: &ProductResult,
    names: &Nomenclature,
    use_of: &dyn Fn(&ProductResult) -> String,
    label: &dyn Fn(u32) -> String,
) -> ScreenRow {
    let description = names.describe(p.product).map_or(String::new(), |d| {
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
        end_use: use_of(p),
        hhi: p.hhi,
        extra_share: p.extra_share,
        import_export_ratio: p.import_export_ratio,
        dependent: p.dependent,
        passes: view::Passes {
            hhi: p.passes[0],
            extra_share: p.passes[1],
            import_export_ratio: p.passes[2],
        },
        top_supplier: top.map(|s| label(s.entity)).unwrap_or_default(),
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
                country: label(s.entity),
                value: s.value,
                share: s.share,
            })
            .collect(),
    }
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

fn footer(s: &Screening, total: &screen::Group, bloc: &str, year: u16, rules: &str) -> String {
    format!(
        "\n{bloc} {year}: {} products imported from outside the bloc, {} dependent ({} of their import value, {} of it from the reference country)\n\
         thresholds: HHI > {}, extra share > {}, M/X > {} (* = passes); values: BACI v, thousand USD, shown in USD m\n\
         {}\nend use: {}\n",
        thousands(total.n_products as u64),
        thousands(total.n_dependent as u64),
        osa_report::format::pct(Some(total.dependent_value_share())),
        osa_report::format::pct(Some(total.dependent_chn_share())),
        s.thresholds.hhi,
        s.thresholds.extra_share,
        s.thresholds.ratio,
        view::SCREEN_FORMULA,
        rules,
    )
}
