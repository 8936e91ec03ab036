//! Micro-benchmarks of the screening path, split into its parts: decoding alone (a sink that
//! does nothing), decoding plus the screening kernel, and the kernel alone on rows in memory.
//!
//! Run with `cargo bench -p osa-trade --bench screen [-- CSV_OR_CACHE ...]`. Without arguments it
//! uses `bench-out/synth/baci_synth_2021.{csv,parquet}` when they exist (see
//! benches/run_screen.sh), else generates a 1-million-row year in a temporary directory. Each
//! figure is the median of 5 runs.

use osa_model::{Bloc, CountryCode};
use osa_trade::ingest::baci;
use osa_trade::ingest::trade::TradeFile;
use osa_trade::rows::{Row, RowSink};
use osa_trade::screen::{self, Accumulator, Partition, Thresholds};
use std::path::{Path, PathBuf};
use std::time::Instant;

const EU27_2021: [&str; 27] = [
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN",
    "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP",
    "SWE",
];

#[derive(Default)]
struct Count(u64, f64);

impl RowSink for Count {
    fn row(&mut self, r: &Row) {
        self.0 += 1;
        self.1 += r.value;
    }
}

#[derive(Default)]
struct Keep(Vec<Row>);

impl RowSink for Keep {
    fn row(&mut self, r: &Row) {
        self.0.push(*r);
    }
}

fn median(mut f: impl FnMut() -> f64) -> f64 {
    let mut t: Vec<f64> = (0..5).map(|_| f()).collect();
    t.sort_by(f64::total_cmp);
    t[2]
}

fn eu() -> Bloc {
    let members: Vec<CountryCode> = EU27_2021
        .iter()
        .filter_map(|c| CountryCode::parse(c))
        .collect();
    Bloc::undated("EU27", "EU27 as of 2021", &members, "bench")
}

fn bench_file(path: &Path, threads: usize) {
    let file = match TradeFile::open(path, None) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("skip {}: {e}", path.display());
            return;
        }
    };
    let year = file.first_year().ok().flatten().unwrap_or(2021);
    let entities: Vec<Option<CountryCode>> =
        file.table.entities().iter().map(|e| e.country).collect();
    let partition = Partition::of_bloc(&eu(), year, &entities);
    let decode = median(|| {
        let mut sinks: Vec<Count> = (0..threads).map(|_| Count::default()).collect();
        let start = Instant::now();
        let _ = file.scan(&mut sinks, Some(year), false, &|_| {});
        start.elapsed().as_secs_f64()
    });
    let mut n_dep = 0;
    let full = median(|| {
        let start = Instant::now();
        let mut accs: Vec<Accumulator> =
            (0..threads).map(|_| Accumulator::new(&partition)).collect();
        let _ = file.scan(&mut accs, Some(year), false, &|_| {});
        let acc = Accumulator::merge_all(accs).expect("accumulator");
        let s = screen::screen(&acc, Thresholds::default(), None).expect("screens");
        n_dep = s.products.iter().filter(|p| p.dependent).count();
        start.elapsed().as_secs_f64()
    });
    let mut keep = vec![Keep::default()];
    let _ = file.scan(&mut keep, Some(year), false, &|_| {});
    let rows = std::mem::take(&mut keep[0].0);
    let kernel = median(|| {
        let start = Instant::now();
        let mut acc = Accumulator::new(&partition);
        for r in &rows {
            acc.row(r);
        }
        let _ = screen::screen(&acc, Thresholds::default(), None).expect("screens");
        start.elapsed().as_secs_f64()
    });
    println!(
        "{}: {} rows, {threads} threads: decode {decode:.3} s, decode + screen {full:.3} s ({n_dep} dependent); kernel alone, 1 thread, rows in memory: {kernel:.3} s",
        path.display(),
        rows.len()
    );
}

fn main() {
    let args: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    let threads = baci::default_threads();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../bench-out/synth");
    let mut files = args;
    if files.is_empty() {
        for ext in ["csv", "parquet"] {
            let p = root.join(format!("baci_synth_2021.{ext}"));
            if p.is_file() {
                files.push(p);
            }
        }
    }
    let _tmp;
    if files.is_empty() {
        let dir = tempfile::tempdir().expect("temp dir");
        let spec = osa_trade::synth::Spec {
            rows: 1_000_000,
            ..osa_trade::synth::Spec::full_year(1)
        };
        std::fs::write(
            dir.path().join("country_codes_synth.csv"),
            osa_trade::synth::country_table(&spec),
        )
        .expect("write table");
        let csv = dir.path().join("baci_synth_2021.csv");
        let f = std::fs::File::create(&csv).expect("create");
        osa_trade::synth::write_csv(&spec, f, &|_| {}).expect("write csv");
        let table = osa_trade::ingest::countries::CountryTable::load(
            &dir.path().join("country_codes_synth.csv"),
        )
        .expect("table");
        let pq = dir.path().join("baci_synth_2021.parquet");
        osa_trade::ingest::trade::ingest(&csv, &table, &pq, threads, &|_| {}).expect("ingest");
        files = vec![csv, pq];
        _tmp = dir;
    }
    for f in &files {
        bench_file(f, threads);
    }
}
