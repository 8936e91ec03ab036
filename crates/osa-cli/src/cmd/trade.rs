//! `osa trade`: convert a BACI CSV to the columnar cache (`ingest`), describe a trade file
//! (`info`), and generate a synthetic BACI year for benchmarks (`synth`, hidden). Also the helpers
//! the trade commands share (`screen`, `geopolrisk`): opening a trade file, progress bars, the
//! importer bloc, reporting rejected rows.

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use osa_trade::ingest::baci::{self, ScanStats};
use osa_trade::ingest::trade::{Kind, TradeFile};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Trade data: convert a BACI CSV to the columnar cache, describe a trade file.
#[derive(Debug, Args)]
pub struct TradeArgs {
    #[command(subcommand)]
    pub command: TradeCommand,
}

/// Trade-data subcommands.
#[derive(Debug, Subcommand)]
pub enum TradeCommand {
    /// Convert a BACI CSV (t,i,j,k,v,q) to osa's Parquet cache, once, for fast reloads.
    Ingest(IngestArgs),
    /// Describe a trade file (CSV or cache): rows, years, country table.
    Info(InfoArgs),
    /// Register a trade file on this host in the shared record (the server reads it there).
    Add(crate::cmd::release::TradeAddArgs),
    /// Generate a synthetic BACI year (CSV and country table) for benchmarks.
    #[command(hide = true)]
    Synth(SynthArgs),
}

/// `osa trade ingest`
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// The BACI CSV; several CSVs (one year each) or a folder of them make a panel.
    #[arg(required = true, num_args = 1..)]
    pub csv: Vec<PathBuf>,
    /// The cache to write (default: the CSV's name with `.parquet`); for a panel, its folder
    /// (a year is added to, or replaced in, an existing panel without rewriting the others).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Write a panel folder even for one CSV (appending its year to `-o DIR`).
    #[arg(long)]
    pub panel: bool,
    /// The input's format: BACI CSV, a Eurostat Comext bulk file, or a UN Comtrade bulk CSV.
    #[arg(long, value_enum, default_value = "baci")]
    pub from: FromFormat,
    /// Comext: US dollars per euro by year (osa-eur-usd/1; default data/trade/eur_usd.toml).
    #[arg(long, value_name = "FILE")]
    pub rates: Option<PathBuf>,
    #[command(flatten)]
    pub source: SourceArgs,
}

/// The formats `osa trade ingest` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FromFormat {
    /// CEPII BACI CSV (t,i,j,k,v,q).
    Baci,
    /// Eurostat Comext bulk file (CN8, euro).
    Comext,
    /// UN Comtrade bulk CSV.
    Comtrade,
}

/// `osa trade info`
#[derive(Debug, Args)]
pub struct InfoArgs {
    /// A BACI CSV or an osa cache.
    pub file: PathBuf,
    #[command(flatten)]
    pub source: SourceArgs,
}

/// `osa trade synth`
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Directory to write `baci_synth_Y.csv` and `country_codes_synth.csv` into.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Rows (in expectation).
    #[arg(long, default_value_t = 11_000_000)]
    pub rows: usize,
    /// HS6 products.
    #[arg(long, default_value_t = 5_300)]
    pub products: usize,
    /// Countries.
    #[arg(long, default_value_t = 220)]
    pub countries: usize,
    /// Year.
    #[arg(long, default_value_t = 2021)]
    pub year: u16,
    /// A panel of years (`2019-2023`): one CSV per year, the same countries and products, rows
    /// drawn per year (seed + year).
    #[arg(long, value_name = "FROM-TO")]
    pub years: Option<String>,
    /// Seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// Options for reading a trade file.
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// BACI country-code table (default: embedded in a cache, or `*country_codes*.csv` beside the
    /// trade file).
    #[arg(long, value_name = "FILE")]
    pub countries: Option<PathBuf>,
    /// Worker threads (default: all cores, or OSA_THREADS).
    #[arg(long)]
    pub threads: Option<usize>,
}

impl SourceArgs {
    /// Worker threads.
    pub fn threads(&self) -> usize {
        baci::threads(self.threads)
    }
}

/// Runs `osa trade`.
pub fn run(args: TradeArgs) -> Result<()> {
    match args.command {
        TradeCommand::Ingest(a) => ingest(a),
        TradeCommand::Info(a) => info(a),
        TradeCommand::Add(a) => crate::cmd::release::trade_add(a),
        TradeCommand::Synth(a) => synth(a),
    }
}

/// A progress bar on standard error (drawn only on a terminal).
pub fn progress(total: u64, what: &str, bytes: bool) -> ProgressBar {
    let pb = ProgressBar::new(total);
    let template = if bytes {
        "{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})"
    } else {
        "{msg} [{bar:30}] {human_pos}/{human_len} ({rate}, {eta})"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        // A rate in whole rows a second, with thousands separators (not `10368986.8955/s`).
        let style = style.with_key(
            "rate",
            |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{} rows/s", thousands(s.per_sec().round() as u64));
            },
        );
        pb.set_style(style.progress_chars("=> "));
    }
    pb.set_message(what.to_string());
    pb
}

/// The progress bar of a scan through the application layer, drawn once the file is open (on a
/// terminal only).
pub struct ScanBar {
    what: &'static str,
    bar: std::sync::OnceLock<ProgressBar>,
}

impl ScanBar {
    /// A bar labelled `what`.
    pub fn new(what: &'static str) -> ScanBar {
        ScanBar {
            what,
            bar: std::sync::OnceLock::new(),
        }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        if let Some(b) = self.bar.get() {
            b.finish_and_clear();
        }
    }
}

impl osa_app::trade::Progress for ScanBar {
    fn opened(&self, file: &TradeFile) {
        let csv = file.kind == Kind::Csv;
        let _ = self
            .bar
            .set(progress(file.progress_total(), self.what, csv));
    }
    fn read(&self, n: u64) {
        if let Some(b) = self.bar.get() {
            b.inc(n);
        }
    }
}

/// Opens a trade file with its country table.
pub fn open(path: &Path, source: &SourceArgs) -> Result<TradeFile> {
    Ok(osa_app::trade::open(path, source.countries.as_deref())?)
}

/// Prints the read and rejected counts and the first rejected rows to standard error.
pub fn report_scan(file: &TradeFile, stats: &ScanStats, seconds: f64) {
    let name = file.path.display().to_string();
    say!(
        "read {} rows from {} in {:.2} s ({} rejected{})",
        thousands(stats.rows_read),
        name,
        seconds,
        thousands(stats.rows_rejected),
        if stats.rows_skipped > 0 {
            format!(
                ", {} skipped by row-group statistics",
                thousands(stats.rows_skipped)
            )
        } else {
            String::new()
        }
    );
    for r in &stats.rejected {
        say!("  rejected {}", r.display(&name));
    }
    if stats.rows_rejected > stats.rejected.len() as u64 {
        say!(
            "  ... and {} more rejected rows",
            thousands(stats.rows_rejected - stats.rejected.len() as u64)
        );
    }
}

pub use osa_app::screen::thousands;

fn ingest(args: IngestArgs) -> Result<()> {
    if args.from != FromFormat::Baci {
        return ingest_converted(&args);
    }
    let panel = args.panel || args.csv.len() > 1 || args.csv.iter().any(|p| p.is_dir());
    if panel {
        return ingest_panel(&args);
    }
    let csv = &args.csv[0];
    let target = args
        .output
        .clone()
        .unwrap_or_else(|| csv.with_extension("parquet"));
    if &target == csv {
        bail!("the cache would overwrite the CSV: pass -o FILE");
    }
    osa_io::write::check_file_target(&target)?;
    osa_io::write::clean_stale(&osa_io::write::parent_of(&target));
    let file = open(csv, &args.source)?;
    if file.kind == Kind::Parquet {
        bail!("{} is already a Parquet file", csv.display());
    }
    let pb = progress(file.progress_total(), "ingest", true);
    let start = Instant::now();
    let stats =
        osa_trade::ingest::trade::ingest(csv, &file.table, &target, args.source.threads(), &|n| {
            pb.inc(n)
        })
        .with_context(|| format!("could not ingest {}", csv.display()))?;
    pb.finish_and_clear();
    report_scan(&file, &stats, start.elapsed().as_secs_f64());
    let size = std::fs::metadata(&target).map(|m| m.len()).unwrap_or(0);
    say!(
        "wrote {} ({} rows, {:.1} MB; country table {} embedded)",
        target.display(),
        thousands(stats.rows_read - stats.rows_rejected),
        size as f64 / 1e6,
        file.table.file()
    );
    Ok(())
}

/// The CSVs named, a folder's `*.csv` (but country tables) in name order.
fn panel_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("could not read {}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| {
                    let name = f
                        .file_name()
                        .map_or(String::new(), |n| n.to_string_lossy().to_lowercase());
                    name.ends_with(".csv") && !name.contains("country_codes")
                })
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    if out.is_empty() {
        bail!("no CSV to ingest");
    }
    Ok(out)
}

/// Ingests CSVs of one year each into a panel folder, a year at a time.
fn ingest_panel(args: &IngestArgs) -> Result<()> {
    let Some(dir) = args.output.clone() else {
        bail!("a panel needs its folder: pass -o DIR");
    };
    let inputs = panel_inputs(&args.csv)?;
    let mut panel = osa_trade::ingest::panel::Panel::open(&dir)
        .with_context(|| format!("could not open the panel {}", dir.display()))?;
    for csv in &inputs {
        let file = open(csv, &args.source)?;
        if file.kind == Kind::Parquet {
            bail!("{} is already a Parquet file", csv.display());
        }
        let pb = progress(file.progress_total(), "ingest", true);
        let start = Instant::now();
        let (year, stats) = panel
            .add_year(csv, &file.table, args.source.threads(), &|n| pb.inc(n))
            .with_context(|| format!("could not ingest {}", csv.display()))?;
        pb.finish_and_clear();
        report_scan(&file, &stats, start.elapsed().as_secs_f64());
        say!(
            "added {year} to {} ({} rows)",
            dir.display(),
            thousands(stats.rows_read - stats.rows_rejected)
        );
    }
    say!(
        "{} holds {}",
        dir.display(),
        panel
            .year_list()
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

/// Reads Comext or Comtrade files into a cache (`-o FILE.parquet`) or a panel (`-o DIR` with
/// several files or `--panel`), saying what was skipped and what came from mirror flows.
fn ingest_converted(args: &IngestArgs) -> Result<()> {
    use osa_trade::ingest::formats;
    let Some(target) = args.output.clone() else {
        bail!("pass -o FILE.parquet (or -o DIR with --panel)");
    };
    let rates = match &args.rates {
        Some(p) => {
            let text = osa_io::text::read_text(p)?;
            formats::eur_usd(&text, &p.display().to_string())?
        }
        None => formats::eur_usd(formats::EUR_USD, "data/trade/eur_usd.toml")?,
    };
    let inputs = panel_inputs(&args.csv)?;
    let panel = args.panel || inputs.len() > 1;
    let mut p = if panel {
        Some(osa_trade::ingest::panel::Panel::open(&target)?)
    } else {
        None
    };
    for input in &inputs {
        let start = Instant::now();
        let converted = match args.from {
            FromFormat::Comext => formats::comext(input, &rates),
            _ => formats::comtrade(input),
        }
        .with_context(|| format!("could not read {}", input.display()))?;
        for n in &converted.notes {
            say!("{}: {n}", input.display());
        }
        let source = input.display().to_string();
        match p.as_mut() {
            Some(p) => {
                let (year, _) = p.add_cache(input, |staging| {
                    converted
                        .write_cache(staging, &source)
                        .map(|_| converted.stats.clone())
                })?;
                say!(
                    "added {year} to {} ({} rows)",
                    target.display(),
                    thousands(converted.rows.len() as u64)
                );
            }
            None => {
                osa_io::write::check_file_target(&target)?;
                converted.write_cache(&target, &source)?;
                say!(
                    "wrote {} ({} rows)",
                    target.display(),
                    thousands(converted.rows.len() as u64)
                );
            }
        }
        say!(
            "read {} lines in {:.2} s",
            thousands(converted.stats.rows_read),
            start.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// Counts rows per year.
#[derive(Debug, Default)]
struct YearCount {
    years: std::collections::BTreeMap<u16, (u64, f64)>,
}

impl osa_trade::rows::RowSink for YearCount {
    fn row(&mut self, r: &osa_trade::rows::Row) {
        let e = self.years.entry(r.year).or_default();
        e.0 += 1;
        e.1 += r.value;
    }
}

fn info(args: InfoArgs) -> Result<()> {
    let file = open(&args.file, &args.source)?;
    let mut sinks: Vec<YearCount> = (0..args.source.threads())
        .map(|_| YearCount::default())
        .collect();
    let pb = progress(file.progress_total(), "scan", file.kind == Kind::Csv);
    let start = Instant::now();
    let stats = file.scan(&mut sinks, None, false, &|n| pb.inc(n))?;
    pb.finish_and_clear();
    report_scan(&file, &stats, start.elapsed().as_secs_f64());
    let mut years: std::collections::BTreeMap<u16, (u64, f64)> = Default::default();
    for s in sinks {
        for (y, (n, v)) in s.years {
            let e = years.entry(y).or_default();
            e.0 += n;
            e.1 += v;
        }
    }
    println!(
        "{} ({})",
        file.path.display(),
        match file.kind {
            Kind::Csv => "BACI CSV",
            Kind::Parquet => "osa Parquet cache",
        }
    );
    if let Some(i) = &file.info {
        println!(
            "  {} row groups; made from {} ({} rows read, {} rejected at ingest)",
            i.row_groups,
            i.source.as_deref().unwrap_or("?"),
            i.ingest_read.map_or("?".into(), thousands),
            i.ingest_rejected.map_or("?".into(), thousands)
        );
    }
    println!(
        "  country table: {} ({} entities)",
        file.table.file(),
        file.table.len()
    );
    for (y, (n, v)) in years {
        println!("  {y}: {} rows, {:.1} billion USD", thousands(n), v / 1e6);
    }
    Ok(())
}

fn synth(args: SynthArgs) -> Result<()> {
    if let Some(years) = &args.years {
        return synth_panel(&args, osa_app::screen_panel::parse_years(years)?);
    }
    let spec = osa_trade::synth::Spec {
        rows: args.rows,
        products: args.products,
        countries: args.countries,
        year: args.year,
        seed: args.seed,
    };
    spec.check()?;
    std::fs::create_dir_all(&args.output)
        .with_context(|| format!("could not create {}", args.output.display()))?;
    let table = args.output.join("country_codes_synth.csv");
    osa_io::write::write_atomic(&table, osa_trade::synth::country_table(&spec).as_bytes())
        .with_context(|| format!("could not write {}", table.display()))?;
    let csv = args.output.join(format!("baci_synth_{}.csv", args.year));
    let mut staged = osa_io::write::StagedFile::create(&csv)?;
    let pb = progress(args.countries as u64, "synth", false);
    let start = Instant::now();
    let rows = osa_trade::synth::write_csv(&spec, &mut staged, &|n| pb.set_position(n))
        .with_context(|| format!("could not write {}", csv.display()))?;
    staged.commit()?;
    pb.finish_and_clear();
    say!(
        "wrote {} ({} rows, {:.1} MB) and {} in {:.1} s",
        csv.display(),
        thousands(rows),
        std::fs::metadata(&csv).map(|m| m.len()).unwrap_or(0) as f64 / 1e6,
        table.display(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

/// A synthetic panel: one CSV per year over the same countries and products.
fn synth_panel(args: &SynthArgs, (from, to): (u16, u16)) -> Result<()> {
    std::fs::create_dir_all(&args.output)
        .with_context(|| format!("could not create {}", args.output.display()))?;
    for year in from..=to {
        let spec = osa_trade::synth::Spec {
            rows: args.rows,
            products: args.products,
            countries: args.countries,
            year,
            seed: args.seed * 10_000 + u64::from(year),
        };
        spec.check()?;
        if year == from {
            let table = args.output.join("country_codes_synth.csv");
            osa_io::write::write_atomic(&table, osa_trade::synth::country_table(&spec).as_bytes())
                .with_context(|| format!("could not write {}", table.display()))?;
        }
        let csv = args.output.join(format!("baci_synth_{year}.csv"));
        let mut staged = osa_io::write::StagedFile::create(&csv)?;
        let rows = osa_trade::synth::write_panel_year(&spec, args.seed, &mut staged, &|_| {})
            .with_context(|| format!("could not write {}", csv.display()))?;
        staged.commit()?;
        say!("wrote {} ({} rows)", csv.display(), thousands(rows));
    }
    Ok(())
}
