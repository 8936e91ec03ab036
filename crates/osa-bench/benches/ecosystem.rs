//! Step-1 benchmark: load + validate + metrics, for the whole ETO 2026 release (goal: under 50 ms)
//! and for a synthetic ecosystem of 100,000 inputs and about 1,000,000 provision records (goal:
//! under 2 s), read from an ETO-layout CSV directory (the format for large ecosystems) and, for
//! comparison, from an osa TOML file. Run: `cargo bench -p osa-bench --bench ecosystem`.

use osa_bench::{report, time};
use osa_ecosystem::{Holder, MetricsOptions, metrics};
use osa_io::{builtin, eto, shared, toml_eco};

fn holders() -> Vec<Holder> {
    let blocs = builtin::blocs().expect("built-in blocs");
    ["EU27", "CHN", "USA"]
        .iter()
        .map(|h| Holder::resolve(h, &blocs).expect("holder"))
        .collect()
}

fn main() {
    let opts = MetricsOptions {
        holders: holders(),
        ..MetricsOptions::default()
    };
    println!("osa step-1 benchmark (release build, 1 thread)");

    match shared::data_dir() {
        Some(dir) => {
            let eto_dir = dir.join("eto/v2026_chip_explorer");
            let t = time(30, || {
                let imp = eto::import(&eto_dir).expect("ETO imports");
                metrics(&imp.checked, &opts)
            });
            report("ETO 2026: import CSV + validate + metrics", &t);
            let imp = eto::import(&eto_dir).expect("ETO imports");
            let t = time(30, || metrics(&imp.checked, &opts));
            report("ETO 2026: metrics only", &t);
        }
        None => println!("SKIP ETO 2026: ../shared/data not found (set OSA_SHARED_DATA)"),
    }

    let spec = osa_synth::Spec::sized(100_000, 1_000_000, 42);
    let eco = osa_synth::ecosystem(&spec);
    let n_rows: usize = eco.inputs.iter().map(|i| i.provision.len()).sum();
    let checked = osa_model::validate(eco).expect("synthetic ecosystem is valid");
    let text = toml_eco::to_string(&checked);
    let path = std::env::temp_dir().join("osa-bench-synthetic.toml");
    std::fs::write(&path, &text).expect("write synthetic file");
    println!(
        "synthetic: {} inputs, {} provision records, {:.1} MB of TOML",
        checked.n_inputs(),
        n_rows,
        text.len() as f64 / 1e6
    );
    let csv_dir = std::env::temp_dir().join("osa-bench-synthetic-eto");
    eto::export(&checked, &csv_dir, true).expect("export");
    let t = time(5, || {
        let imp = eto::import(&csv_dir).expect("imports");
        metrics(&imp.checked, &opts)
    });
    report("synthetic 100k/1M: CSV load + validate + metrics", &t);
    if std::env::var("OSA_BENCH_ONLY").is_ok_and(|v| v == "csv") {
        return;
    }
    let t = time(3, || {
        let c = osa_io::resolve::load_file(&path).expect("loads");
        metrics(&c, &opts)
    });
    report("synthetic 100k/1M: TOML load + validate + metrics", &t);
    let t = time(3, || toml::from_str::<toml::Table>(&text).expect("toml"));
    report("synthetic 100k/1M: toml crate parse only (reference)", &t);
    let t = time(5, || metrics(&checked, &opts));
    report("synthetic 100k/1M: metrics only", &t);
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_dir_all(&csv_dir);
}
