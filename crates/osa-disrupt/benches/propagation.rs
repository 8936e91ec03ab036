//! Benchmark of the propagation model: a synthetic multi-tier chain with 1,000,000 edges (long-run
//! and 26-week runs) and 1,000 Monte Carlo draws on the ETO 2026 network, single-threaded and on
//! all cores. With `--export DIR` it also writes each problem and osa's results for the Python
//! `scipy.sparse` peer (benches/propagation_scipy.py), which checks it gets the same numbers.
//!
//! Run everything side by side with `benches/run_propagation.sh`, or this part alone with
//! `cargo bench -p osa-disrupt --bench propagation -- [--export DIR] [--reps N] [--threads N]`.

use osa_disrupt::compile::{self, Model, Options};
use osa_disrupt::{Draw, Scenario, engine, montecarlo};
use osa_model::Checked;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

struct Args {
    export: Option<PathBuf>,
    reps: usize,
    threads: usize,
    edges: usize,
    inputs: usize,
    only: Option<String>,
}

fn args() -> Args {
    let mut a = Args {
        export: None,
        reps: 11,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        edges: 1_000_000,
        inputs: 250_000,
        only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_default();
        match flag.as_str() {
            "--export" => a.export = Some(PathBuf::from(value())),
            "--reps" => a.reps = value().parse().unwrap_or(a.reps),
            "--threads" => a.threads = value().parse().unwrap_or(a.threads),
            "--edges" => a.edges = value().parse().unwrap_or(a.edges),
            "--inputs" => a.inputs = value().parse().unwrap_or(a.inputs),
            "--only" => a.only = Some(value()),
            _ => {} // cargo bench passes `--bench`
        }
    }
    a
}

/// Median wall time in milliseconds of `reps` runs (after one warm-up run).
fn median_ms(reps: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut times: Vec<f64> = (0..reps.max(1))
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn once_ms<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = Instant::now();
    let v = f();
    (v, t.elapsed().as_secs_f64() * 1e3)
}

/// Raw little-endian arrays plus a manifest, readable with numpy.fromfile.
struct Export {
    dir: PathBuf,
    manifest: Vec<String>,
}

impl Export {
    fn new(dir: &Path) -> Export {
        std::fs::create_dir_all(dir).expect("export directory");
        Export {
            dir: dir.to_path_buf(),
            manifest: Vec::new(),
        }
    }
    fn f64s(&mut self, name: &str, v: &[f64]) {
        let mut bytes = Vec::with_capacity(v.len() * 8);
        v.iter()
            .for_each(|x| bytes.extend_from_slice(&x.to_le_bytes()));
        self.write(name, "float64", v.len(), &bytes);
    }
    fn i32s(&mut self, name: &str, v: &[i32]) {
        let mut bytes = Vec::with_capacity(v.len() * 4);
        v.iter()
            .for_each(|x| bytes.extend_from_slice(&x.to_le_bytes()));
        self.write(name, "int32", v.len(), &bytes);
    }
    fn number(&mut self, name: &str, v: f64) {
        self.manifest.push(format!("\"{name}\": {v}"));
    }
    fn write(&mut self, name: &str, dtype: &str, len: usize, bytes: &[u8]) {
        std::fs::write(self.dir.join(format!("{name}.bin")), bytes).expect("write array");
        self.manifest.push(format!(
            "\"{name}\": {{\"dtype\": \"{dtype}\", \"len\": {len}}}"
        ));
    }
    fn finish(self) {
        let text = format!("{{\n  {}\n}}\n", self.manifest.join(",\n  "));
        std::fs::write(self.dir.join("manifest.json"), text).expect("write manifest");
    }
}

/// The whole graph as edge arrays (source, target, kind: 0 goes_into, 1 is_type_of).
fn export_graph(ex: &mut Export, c: &Checked) {
    let (mut src, mut dst, mut kind) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..c.n_inputs() {
        for &t in c.goes_into(i) {
            src.push(i as i32);
            dst.push(t as i32);
            kind.push(0);
        }
        for &t in c.is_type_of(i) {
            src.push(i as i32);
            dst.push(t as i32);
            kind.push(1);
        }
    }
    ex.i32s("src", &src);
    ex.i32s("dst", &dst);
    ex.i32s("kind", &kind);
    ex.number("n", c.n_inputs() as f64);
    let inputs = &c.ecosystem().inputs;
    ex.f64s(
        "sigma",
        &inputs
            .iter()
            .map(|i| i.substitutability.unwrap_or(0.0))
            .collect::<Vec<_>>(),
    );
    ex.f64s(
        "stock_months",
        &inputs
            .iter()
            .map(|i| i.storability_months.unwrap_or(0.0))
            .collect::<Vec<_>>(),
    );
}

/// Share of each input held by each shock's supplier (shock k alone at lost = 1), inputs × shocks.
fn shares(model: &Model, n_inputs: usize) -> Vec<f64> {
    let k = model.point().lost.len();
    let mut out = vec![0.0; n_inputs * k];
    for s in 0..k {
        let mut draw = model.point();
        draw.lost.iter_mut().for_each(|v| *v = 0.0);
        draw.lost[s] = 1.0;
        for (j, l) in model.direct_losses(&draw).into_iter().enumerate() {
            out[model.input(j) * k + s] = l;
        }
    }
    out
}

/// Per input, a plan node's value, or `fill` for inputs the shock does not reach.
fn by_input(model: &Model, v: &[f64], per: usize, fill: f64) -> Vec<f64> {
    let mut out = vec![fill; model.n_inputs() * per];
    for k in 0..model.n_nodes() {
        let i = model.input(k);
        out[i * per..(i + 1) * per].copy_from_slice(&v[k * per..(k + 1) * per]);
    }
    out
}

fn scenario(shocks: &[&str], mitigations: &[(&str, &str)]) -> Scenario {
    let mut sc = Scenario {
        id: "bench".into(),
        shocks: shocks.iter().map(|s| s.parse().expect("shock")).collect(),
        ..Scenario::default()
    };
    for (what, text) in mitigations {
        sc.mitigations.push(
            match *what {
                "substitution" => osa_disrupt::Mitigation::parse_substitution(text),
                "spare" => osa_disrupt::Mitigation::parse_spare(text),
                _ => osa_disrupt::Mitigation::parse_stock(text),
            }
            .expect("mitigation"),
        );
    }
    sc
}

fn main() {
    let a = args();
    let mut report = String::new();
    let mut json = Vec::new();
    let mut line = |report: &mut String, name: &str, ms: f64, note: &str| {
        let _ = writeln!(report, "  {name:<44} {ms:>10.2} ms  {note}");
        json.push(format!("\"{name}\": {ms}"));
    };
    let blocs = osa_io::builtin::blocs().expect("built-in blocs");
    let threads = a.threads;

    // 1. Synthetic chain with about 1,000,000 edges.
    if a.only.as_deref() != Some("eto") {
        let spec = osa_synth::Spec::edges(a.inputs, a.edges, 0.2, 42);
        let (eco, gen_ms) = once_ms(|| osa_synth::ecosystem(&spec));
        let (checked, val_ms) = once_ms(|| osa_model::validate(eco).expect("valid"));
        let n_edges: usize = (0..checked.n_inputs())
            .map(|i| checked.goes_into(i).len() + checked.is_type_of(i).len())
            .sum();
        let _ = writeln!(
            report,
            "synthetic chain: {} inputs, {n_edges} edges (20% is_type_of), 5 tiers; generated in {gen_ms:.0} ms, validated in {val_ms:.0} ms",
            checked.n_inputs()
        );
        let sc = scenario(&["EU27:*=1.0"], &[("spare", "*=0.1")]);
        let (model, compile_ms) = once_ms(|| {
            compile::compile(&checked, &blocs, &sc, &Options::default()).expect("compiles")
        });
        let _ = writeln!(
            report,
            "  shock EU27:*=1.0, spare 10%: {} inputs reached over {} edges in {} levels",
            model.n_nodes(),
            model.n_edges(),
            model.n_levels()
        );
        line(
            &mut report,
            "synthetic compile (shares + plan)",
            compile_ms,
            "once",
        );
        let point = model.point();
        let mut out = vec![0.0; model.n_nodes()];
        let ms1 = median_ms(a.reps, || {
            engine::run_static(&model, &point, true, &mut out)
        });
        line(&mut report, "synthetic static, 1 thread", ms1, "median");
        let mut out_t = vec![0.0; model.n_nodes()];
        let mst = median_ms(a.reps, || {
            engine::run_static_threaded(&model, &point, true, &mut out_t, threads)
        });
        line(
            &mut report,
            &format!("synthetic static, {threads} threads"),
            mst,
            "median",
        );
        assert_eq!(out, out_t, "threads change nothing");

        let weeks = 26usize;
        let sc_w = scenario(&["EU27:*=1.0@0+26"], &[("spare", "*=0.1")]);
        let model_w =
            compile::compile(&checked, &blocs, &sc_w, &Options::default()).expect("compiles");
        let point_w = model_w.point();
        let mut out_w = vec![0.0; model_w.n_nodes() * weeks];
        let reps_w = a.reps.div_ceil(2);
        let msw1 = median_ms(reps_w, || {
            engine::run_weekly(&model_w, &point_w, true, weeks, &mut out_w)
        });
        line(&mut report, "synthetic 26 weeks, 1 thread", msw1, "median");
        let mut out_wt = vec![0.0; model_w.n_nodes() * weeks];
        let mswt = median_ms(reps_w, || {
            engine::run_weekly_threaded(&model_w, &point_w, true, weeks, &mut out_wt, threads)
        });
        line(
            &mut report,
            &format!("synthetic 26 weeks, {threads} threads"),
            mswt,
            "median",
        );
        assert_eq!(out_w, out_wt, "threads change nothing");

        if let Some(dir) = &a.export {
            let mut ex = Export::new(&dir.join("synthetic"));
            export_graph(&mut ex, &checked);
            ex.f64s("shares", &shares(&model, checked.n_inputs()));
            ex.number("lost", 1.0);
            ex.number("spare", 0.1);
            ex.number("weeks", weeks as f64);
            ex.f64s("rust_static", &by_input(&model, &out, 1, 1.0));
            ex.f64s("rust_weekly", &by_input(&model_w, &out_w, weeks, 1.0));
            ex.finish();
        }
    }

    // 2. Monte Carlo on ETO 2026.
    match osa_io::shared::data_dir() {
        _ if a.only.as_deref() == Some("synthetic") => {}
        None => {
            let _ = writeln!(report, "ETO 2026: SKIP (../shared/data not found)");
        }
        Some(d) => {
            let path = d.join("eto/v2026_chip_explorer").display().to_string();
            let eto = osa_io::load(Some(&path)).expect("ETO 2026 loads").checked;
            let sc = scenario(
                &["NLD:*=0.5..1.0", "CHN:*=0.2..0.8", "TWN:*=0..0.6"],
                &[("substitution", "*=0..0.3"), ("spare", "*=0..0.2")],
            );
            let model = compile::compile(&eto, &blocs, &sc, &Options::default()).expect("compiles");
            let draws = 1000usize;
            let seed = 2026u64;
            let _ = writeln!(
                report,
                "ETO 2026: {} inputs, {} inputs reached over {} edges; {draws} draws of 3 shocks and 2 mitigations",
                eto.n_inputs(),
                model.n_nodes(),
                model.n_edges()
            );
            let mut q = Vec::new();
            let mc1 = median_ms(a.reps, || {
                q = montecarlo::monte_carlo(&model, draws, seed, 1).expect("runs")
            });
            line(
                &mut report,
                "ETO Monte Carlo 1000 draws, 1 thread",
                mc1,
                "median",
            );
            let mut qt = Vec::new();
            let mct = median_ms(a.reps, || {
                qt = montecarlo::monte_carlo(&model, draws, seed, threads).expect("runs")
            });
            line(
                &mut report,
                &format!("ETO Monte Carlo 1000 draws, {threads} threads"),
                mct,
                "median",
            );
            assert_eq!(q, qt, "threads change nothing");
            if let Some(dir) = &a.export {
                let mut ex = Export::new(&dir.join("eto"));
                export_graph(&mut ex, &eto);
                ex.f64s("shares", &shares(&model, eto.n_inputs()));
                ex.number("n_shocks", 3.0);
                ex.number("draws", draws as f64);
                // The draws themselves, so the peer computes the very same numbers:
                // lost per shock, then substitution and spare capacity.
                let table: Vec<f64> = (0..draws)
                    .flat_map(|d| {
                        let Draw { lost, mitigation } = model.sample(seed, d as u64);
                        let mut row = lost;
                        row.push(mitigation[0][1]);
                        row.push(mitigation[1][2]);
                        row
                    })
                    .collect();
                ex.f64s("draw_params", &table);
                let flat: Vec<f64> = q.iter().flat_map(|p| p.iter().copied()).collect();
                ex.f64s("rust_percentiles", &by_input(&model, &flat, 3, f64::NAN));
                ex.finish();
            }
        }
    }

    println!("osa propagation benchmark ({threads} threads available)\n{report}");
    if let Some(dir) = &a.export {
        let mut f = std::fs::File::create(dir.join("rust.json")).expect("results file");
        let _ = writeln!(f, "{{\n  {}\n}}", json.join(",\n  "));
        println!("exported problems and results to {}", dir.display());
    }
}
