//! The propagation model on a hand-checked five-node chain, and its properties on seeded random
//! multi-tier chains: availability within [0, 1], monotone in the shock, 1 without a shock,
//! order = shortest path from a shocked input, full stock = no effect, reproducible Monte Carlo.

use osa_disrupt::compile::{self, KindRule, Options};
use osa_disrupt::scenario::WEEKS_PER_MONTH;
use osa_disrupt::simulate::{self, Outcome, RunOptions};
use osa_disrupt::{Mitigation, Scenario, Shock, Target, Value};
use osa_model::{Bloc, Blocs, Checked, CountryCode, Ecosystem, Firm, Input, Provision, validate};
use proptest::prelude::*;
use std::collections::HashMap;

fn row(provider: &str, share: f64) -> Provision {
    Provision {
        provider: provider.into(),
        share: Some(share),
        year: Some(2024),
        source: "test".into(),
        negligible: false,
    }
}

fn input(id: &str, into: &[&str], kind_of: &[&str], sigma: f64, stock: f64) -> Input {
    Input {
        id: id.into(),
        name: id.into(),
        goes_into: into.iter().map(|s| s.to_string()).collect(),
        is_type_of: kind_of.iter().map(|s| s.to_string()).collect(),
        substitutability: Some(sigma),
        storability_months: Some(stock),
        ..Input::default()
    }
}

/// ore (CHN 60%, AUS 40%; firm minco 30%) -> refine -> chip -> is a type of -> chips;
/// legacy-chip is the other kind of chips, out of reach of any shock on ore.
fn five_nodes() -> Checked {
    let mut ore = input("ore", &["refine"], &[], 0.0, 0.5);
    ore.provision = vec![row("CHN", 60.0), row("AUS", 40.0), row("minco", 30.0)];
    validate(Ecosystem {
        id: "five".into(),
        firms: vec![Firm {
            id: "minco".into(),
            name: "MinCo".into(),
            country: Some("CHN".into()),
            source: "test".into(),
        }],
        inputs: vec![
            ore,
            input("refine", &["chip"], &[], 0.25, 0.0),
            input("chip", &[], &["chips"], 0.0, 0.0),
            input("legacy-chip", &[], &["chips"], 0.0, 0.0),
            input("chips", &[], &[], 0.1, 0.0),
        ],
        ..Ecosystem::default()
    })
    .expect("valid")
}

fn scenario(shocks: &[&str]) -> Scenario {
    Scenario {
        id: "test".into(),
        shocks: shocks.iter().map(|s| s.parse().expect("shock")).collect(),
        ..Scenario::default()
    }
}

fn run_with(checked: &Checked, blocs: &Blocs, sc: &Scenario, opts: &Options) -> Outcome {
    simulate::simulate(checked, blocs, sc, opts, &RunOptions::default()).expect("runs")
}

fn run(checked: &Checked, sc: &Scenario) -> Outcome {
    run_with(checked, &Blocs::default(), sc, &Options::default())
}

/// Availability by input id (1 for inputs the shock does not reach).
fn avail(checked: &Checked, out: &Outcome) -> HashMap<String, f64> {
    let eco = checked.ecosystem();
    let mut m: HashMap<String, f64> = eco.inputs.iter().map(|i| (i.id.clone(), 1.0)).collect();
    for n in &out.nodes {
        m.insert(eco.inputs[n.input].id.clone(), n.availability);
    }
    m
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn five_nodes_long_run_is_hand_checked() {
    let c = five_nodes();
    let out = run(&c, &scenario(&["CHN:ore=1.0"]));
    let a = avail(&c, &out);
    // ore: China's 60% is lost, no substitute: 0.4.
    assert!(close(a["ore"], 0.4));
    // refine: its input ore is at 0.4; users switch 25% of the shortfall: 1 - 0.75 * 0.6 = 0.55.
    assert!(close(a["refine"], 0.55));
    // chip takes refine's 0.55 and has no substitute.
    assert!(close(a["chip"], 0.55));
    // chips is the mean of its kinds (0.55 and an untouched 1) = 0.775; 10% substitution:
    // 1 - 0.9 * 0.225 = 0.7975.
    assert!(close(a["chips"], 0.7975));
    assert!(close(a["legacy-chip"], 1.0));
    let orders: HashMap<usize, u32> = out.nodes.iter().map(|n| (n.input, n.order)).collect();
    assert_eq!(orders, HashMap::from([(0, 0), (1, 1), (2, 2), (4, 3)]));
    let ore = &out.nodes[0];
    assert!(close(ore.direct_loss, 0.6));
    // Without mitigation: 0.4 all the way down, and chips = (0.4 + 1) / 2.
    let un: HashMap<usize, f64> = out.nodes.iter().map(|n| (n.input, n.unmitigated)).collect();
    assert!(close(un[&1], 0.4) && close(un[&2], 0.4) && close(un[&4], 0.7));
    // The nodes come by order.
    assert_eq!(
        out.nodes.iter().map(|n| n.order).collect::<Vec<_>>(),
        vec![0, 1, 2, 3]
    );
}

#[test]
fn five_nodes_with_the_min_rule_and_spare_capacity() {
    let c = five_nodes();
    let opts = Options {
        kinds: KindRule::Min,
        ..Options::default()
    };
    let a = avail(
        &c,
        &run_with(&c, &Blocs::default(), &scenario(&["CHN:ore=1"]), &opts),
    );
    // chips takes its scarcest kind, 0.55: 1 - 0.9 * 0.45 = 0.595.
    assert!(close(a["chips"], 0.595));
    // Others can add 50% of their output: D = 0.6 - 0.5 * 0.4 = 0.4, so ore = 0.6,
    // refine = 1 - 0.75 * 0.4 = 0.7, chips = 1 - 0.9 * (1 - 0.85) = 0.865.
    let mut sc = scenario(&["CHN:ore=1"]);
    sc.mitigations
        .push(Mitigation::parse_spare("ore=0.5").expect("flag"));
    let a = avail(&c, &run(&c, &sc));
    assert!(close(a["ore"], 0.6));
    assert!(close(a["refine"], 0.7));
    assert!(close(a["chips"], 0.865));
}

#[test]
fn five_nodes_suppliers_blocs_firms_and_the_world() {
    let c = five_nodes();
    // Two shocks on different suppliers add up: 0.6 + 0.5 * 0.4.
    let a = avail(&c, &run(&c, &scenario(&["CHN:ore=1", "AUS:ore=0.5"])));
    assert!(close(a["ore"], 0.2));
    // Two shocks on the same supplier do not: the larger applies.
    let a = avail(&c, &run(&c, &scenario(&["CHN:ore=1", "CHN:*=0.5"])));
    assert!(close(a["ore"], 0.4));
    // A bloc of China and Australia losing half: 0.5.
    let cc = |s: &str| CountryCode::parse(s).expect("code");
    let blocs = Blocs::new(vec![Bloc::undated(
        "OREBLOC",
        "Ore bloc",
        &[cc("CHN"), cc("AUS")],
        "test",
    )]);
    let a = avail(
        &c,
        &run_with(
            &c,
            &blocs,
            &scenario(&["OREBLOC:ore=0.5"]),
            &Options::default(),
        ),
    );
    assert!(close(a["ore"], 0.5));
    // The firm's 30%.
    let a = avail(&c, &run(&c, &scenario(&["minco:ore=1"])));
    assert!(close(a["ore"], 0.7));
    // A world shock on the category itself: order 0 at chips.
    let out = run(&c, &scenario(&["*:chips=0.2"]));
    assert_eq!(out.nodes.len(), 1);
    assert_eq!(out.nodes[0].order, 0);
    assert!(close(out.nodes[0].availability, 1.0 - 0.9 * 0.2));
    // A country that supplies nothing changes nothing, and says so.
    let out = run(&c, &scenario(&["JPN:*=1"]));
    assert!(out.nodes.is_empty());
    assert!(
        out.warnings[0].contains("supplies none"),
        "{:?}",
        out.warnings
    );
}

#[test]
fn five_nodes_week_by_week() {
    let c = five_nodes();
    // Four weeks without China's 60%. ore's users hold half a month (13/6 weeks) of stock:
    // weeks 0-2 draw 0.6 each (1.8), week 3 has 13/6 - 1.8 = 11/30 left, so ore = 1 - (0.6 - 11/30).
    let out = run(&c, &scenario(&["CHN:ore=1@0+4"]));
    assert_eq!(out.weeks, Some(4));
    let by: HashMap<usize, &simulate::NodeOutcome> =
        out.nodes.iter().map(|n| (n.input, n)).collect();
    let ore_w3 = 1.0 - (0.6 - (0.5 * WEEKS_PER_MONTH - 1.8));
    let weekly = by[&0].weekly.as_ref().expect("weekly");
    assert!(close(weekly[0], 1.0) && close(weekly[2], 1.0) && close(weekly[3], ore_w3));
    assert!(close(by[&0].availability, ore_w3));
    assert_eq!(by[&0].worst_week, Some(3));
    // refine: 1 - 0.75 * (1 - ore) in week 3; chips: mean with 1, then 10% substitution.
    let refine = 1.0 - 0.75 * (1.0 - ore_w3);
    assert!(close(by[&1].availability, refine));
    assert!(close(
        by[&4].availability,
        1.0 - 0.9 * (1.0 - (refine + 1.0) / 2.0)
    ));
    // Unmitigated, the trough is the full loss.
    assert!(close(by[&0].unmitigated, 0.4));
    // A substitution ramp of 4 weeks on refine: in week 3 only 3/4 of the 25% is in place.
    let mut sc = scenario(&["CHN:ore=1@0+4"]);
    sc.mitigations
        .push(Mitigation::parse_substitution("refine=0.25@4").expect("flag"));
    let out = run(&c, &sc);
    let refine_ramped = 1.0 - (1.0 - 0.25 * 0.75) * (1.0 - ore_w3);
    let got = out.nodes.iter().find(|n| n.input == 1).expect("refine");
    assert!(close(got.availability, refine_ramped));
    // Three months of stock cover four weeks of a 60% loss: nothing happens.
    let mut sc = scenario(&["CHN:ore=1@0+4"]);
    sc.mitigations
        .push(Mitigation::parse_stock("ore=3").expect("flag"));
    let out = run(&c, &sc);
    assert!(out.nodes.iter().all(|n| close(n.availability, 1.0)));
}

#[test]
fn unknown_names_are_errors_or_warnings() {
    let c = five_nodes();
    let strict = Options {
        strict: true,
        ..Options::default()
    };
    let e = simulate::simulate(
        &c,
        &Blocs::default(),
        &scenario(&["CHN:ores=1"]),
        &strict,
        &RunOptions::default(),
    )
    .expect_err("unknown input");
    assert!(e.to_string().contains("did you mean: ore"), "{e}");
    let e = simulate::simulate(
        &c,
        &Blocs::default(),
        &scenario(&["XXX:ore=1"]),
        &strict,
        &RunOptions::default(),
    )
    .expect_err("unknown supplier");
    assert!(e.to_string().contains("unknown supplier `XXX`"), "{e}");
    // In a scenario file (not strict), unknown ids are skipped with a warning.
    let out = run(&c, &scenario(&["CHN:ore,N20=1"]));
    assert!(out.warnings[0].contains("no input or stage `N20`"));
    assert_eq!(out.nodes.len(), 4);
    let e = simulate::simulate(
        &c,
        &Blocs::default(),
        &scenario(&["CHN:N20=1"]),
        &Options::default(),
        &RunOptions::default(),
    )
    .expect_err("nothing applies");
    assert!(e.to_string().contains("names no input"));
}

// ---------------------------------------------------------------------------------------------
// Properties on random chains
// ---------------------------------------------------------------------------------------------

fn chain(n: usize, seed: u64) -> Checked {
    let spec = osa_synth::Spec {
        n_inputs: n,
        n_tiers: 4,
        mean_out_degree: 2,
        countries_per_input: 2,
        firms_per_input: 1,
        n_firms: 8,
        n_countries: 6,
        year: 2024,
        seed,
        type_of_share: 0.3,
    };
    validate(osa_synth::ecosystem(&spec)).expect("valid")
}

/// The first countries of the ISO list: the ones the small chains draw from.
const SUPPLIERS: [&str; 6] = ["ABW", "AFG", "AGO", "AIA", "ALA", "ALB"];

fn shock(supplier: &str, target: &str, lost: f64, timing: Option<(u32, u32)>) -> Shock {
    Shock {
        supplier: supplier.into(),
        target: target.parse().expect("target"),
        lost: Value::point(lost),
        start_week: timing.map_or(0, |t| t.0),
        duration_weeks: timing.map(|t| t.1),
        source: String::new(),
        note: String::new(),
        origin: String::new(),
    }
}

fn all_avail(checked: &Checked, out: &Outcome) -> Vec<f64> {
    let mut v = vec![1.0; checked.n_inputs()];
    for n in &out.nodes {
        v[n.input] = n.availability;
    }
    v
}

/// Shortest distance from `sources` by relaxing every edge until nothing changes (Bellman-Ford),
/// independent of the breadth-first search osa uses.
fn relaxed_distances(checked: &Checked, sources: &[usize]) -> Vec<u32> {
    let mut d = vec![u32::MAX; checked.n_inputs()];
    for &s in sources {
        d[s] = 0;
    }
    loop {
        let mut changed = false;
        for i in 0..checked.n_inputs() {
            if d[i] == u32::MAX {
                continue;
            }
            for t in checked.downstream(i) {
                if d[i] + 1 < d[t] {
                    d[t] = d[i] + 1;
                    changed = true;
                }
            }
        }
        if !changed {
            return d;
        }
    }
}

fn supplier_and_target() -> impl Strategy<Value = (usize, String)> {
    (
        0..SUPPLIERS.len(),
        prop_oneof![
            Just("*".to_string()),
            (0usize..40).prop_map(|k| format!("n{k}")),
            (0usize..40, 0usize..40).prop_map(|(a, b)| format!("n{a},n{b}")),
        ],
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Availability stays in [0, 1], and a larger lost share never raises any availability, in
    /// the long run and week by week, with either kind rule.
    #[test]
    fn bounded_and_monotone(
        seed in 0u64..1000,
        (s, target) in supplier_and_target(),
        lo in 0.0f64..1.0,
        extra in 0.0f64..1.0,
        timed in proptest::option::of((0u32..4, 1u32..10)),
        min_rule in any::<bool>(),
        spare in 0.0f64..0.5,
    ) {
        let c = chain(60, seed);
        let hi = (lo + extra).min(1.0);
        let opts = Options {
            kinds: if min_rule { KindRule::Min } else { KindRule::Mean },
            ..Options::default()
        };
        let mk = |lost: f64| {
            let mut sc = Scenario {
                shocks: vec![shock(SUPPLIERS[s], &target, lost, timed)],
                ..Scenario::default()
            };
            let mut m = Mitigation::on(Target::All);
            m.spare_capacity = Some(Value::point(spare));
            m.spare_ramp_weeks = Some(2.0);
            sc.mitigations.push(m);
            sc
        };
        let small = run_with(&c, &Blocs::default(), &mk(lo), &opts);
        let large = run_with(&c, &Blocs::default(), &mk(hi), &opts);
        for out in [&small, &large] {
            for n in &out.nodes {
                prop_assert!((0.0..=1.0).contains(&n.availability));
                prop_assert!((0.0..=1.0).contains(&n.unmitigated));
                prop_assert!(n.unmitigated <= n.availability + 1e-12);
                for w in n.weekly.iter().flatten() {
                    prop_assert!((0.0..=1.0).contains(w));
                }
            }
        }
        let (a, b) = (all_avail(&c, &small), all_avail(&c, &large));
        for i in 0..c.n_inputs() {
            prop_assert!(b[i] <= a[i] + 1e-12, "input {i}: {} at {hi} > {} at {lo}", b[i], a[i]);
        }
    }

    /// A zero shock leaves everything at 1, whatever the mitigations.
    #[test]
    fn zero_shock_changes_nothing(seed in 0u64..1000, (s, target) in supplier_and_target()) {
        let c = chain(60, seed);
        let sc = Scenario { shocks: vec![shock(SUPPLIERS[s], &target, 0.0, None)], ..Scenario::default() };
        let out = run(&c, &sc);
        prop_assert!(out.nodes.iter().all(|n| n.availability == 1.0));
        // Also through a model whose range allows a loss but whose draw has none.
        let mut sc = sc;
        sc.shocks[0].lost = Value::range(0.0, 1.0);
        let model = compile::compile(&c, &Blocs::default(), &sc, &Options::default()).expect("compiles");
        let mut draw = model.point();
        draw.lost[0] = 0.0;
        let mut outv = vec![0.0; model.n_nodes()];
        osa_disrupt::engine::run_static(&model, &draw, true, &mut outv);
        prop_assert!(outv.iter().all(|&v| v == 1.0));
    }

    /// A node's order is its shortest path from a directly shocked input.
    #[test]
    fn order_is_the_shortest_path(seed in 0u64..1000, (s, target) in supplier_and_target()) {
        let c = chain(80, seed);
        let sc = Scenario { shocks: vec![shock(SUPPLIERS[s], &target, 1.0, None)], ..Scenario::default() };
        let out = run(&c, &sc);
        let sources: Vec<usize> = out.nodes.iter().filter(|n| n.direct_loss > 0.0).map(|n| n.input).collect();
        prop_assert_eq!(out.nodes.iter().filter(|n| n.order == 0).count(), sources.len());
        let d = relaxed_distances(&c, &sources);
        let reached: Vec<usize> = (0..c.n_inputs()).filter(|&i| d[i] != u32::MAX).collect();
        prop_assert_eq!(reached.len(), out.nodes.len());
        for n in &out.nodes {
            prop_assert_eq!(n.order, d[n.input]);
        }
    }

    /// Stock that covers the whole duration leaves every availability at 1.
    #[test]
    fn full_stock_absorbs_a_timed_shock(
        seed in 0u64..1000,
        (s, target) in supplier_and_target(),
        start in 0u32..5,
        weeks in 1u32..20,
    ) {
        let c = chain(60, seed);
        let mut sc = Scenario { shocks: vec![shock(SUPPLIERS[s], &target, 1.0, Some((start, weeks)))], ..Scenario::default() };
        let mut m = Mitigation::on(Target::All);
        m.stock_months = Some(Value::point(weeks as f64 / WEEKS_PER_MONTH + 1e-9));
        sc.mitigations.push(m);
        let out = run(&c, &sc);
        prop_assert!(out.nodes.iter().all(|n| n.availability == 1.0));
    }
}

#[test]
fn same_seed_same_draws_same_output_on_any_number_of_threads() {
    let c = chain(300, 5);
    let mut sc = Scenario {
        shocks: vec![
            "ABW:*=0.3..0.9@0+8".parse().expect("shock"),
            "AFG:*=0..0.5".parse().expect("shock"),
        ],
        ..Scenario::default()
    };
    sc.mitigations
        .push(Mitigation::parse_substitution("*=0..0.3@4").expect("flag"));
    sc.mitigations
        .push(Mitigation::parse_stock("*=0..1").expect("flag"));
    let go = |seed: u64, threads: usize| {
        simulate::simulate(
            &c,
            &Blocs::default(),
            &sc,
            &Options::default(),
            &RunOptions {
                draws: 200,
                seed,
                threads,
            },
        )
        .expect("runs")
    };
    let a = go(7, 1);
    assert!(a.nodes.iter().any(|n| {
        let q = n.percentiles.expect("draws");
        q[0] < q[2]
    }));
    for n in &a.nodes {
        let q = n.percentiles.expect("draws");
        assert!(q[0] <= q[1] && q[1] <= q[2]);
        assert!(q.iter().all(|v| (0.0..=1.0).contains(v)));
    }
    assert_eq!(a, go(7, 1));
    assert_eq!(a, go(7, 2));
    assert_eq!(a, go(7, 5));
    assert_ne!(a, go(8, 1));
}

#[test]
fn threaded_kernels_match_the_single_threaded_ones() {
    let c = validate(osa_synth::ecosystem(&osa_synth::Spec::edges(
        60_000, 240_000, 0.2, 11,
    )))
    .expect("valid");
    for timed in [false, true] {
        let mut sc = scenario(&["ABW:*=1"]);
        if timed {
            sc.shocks[0].duration_weeks = Some(6);
        }
        let one = simulate::simulate(
            &c,
            &Blocs::default(),
            &sc,
            &Options::default(),
            &RunOptions::default(),
        )
        .expect("runs");
        assert!(one.nodes.len() > 10_000, "{}", one.nodes.len());
        let two = simulate::simulate(
            &c,
            &Blocs::default(),
            &sc,
            &Options::default(),
            &RunOptions {
                threads: 3,
                ..RunOptions::default()
            },
        )
        .expect("runs");
        assert_eq!(one, two);
    }
}

#[test]
fn the_plan_is_topological() {
    // The compiled plan puts every node after all its predecessors.
    let c = chain(200, 9);
    let model = compile::compile(
        &c,
        &Blocs::default(),
        &scenario(&["ABW:*=1"]),
        &Options::default(),
    )
    .expect("compiles");
    let pos: HashMap<usize, usize> = (0..model.n_nodes()).map(|k| (model.input(k), k)).collect();
    for k in 0..model.n_nodes() {
        let i = model.input(k);
        for t in c.downstream(i) {
            assert!(pos[&t] > k, "{t} before {i}");
        }
    }
}

#[test]
fn the_batched_kernel_matches_the_single_draw_kernel_bit_for_bit() {
    let c = chain(300, 21);
    for rule in [KindRule::Mean, KindRule::Min] {
        let mut sc = Scenario {
            shocks: vec![
                "ABW:*=0.3..0.9".parse().expect("shock"),
                "AFG:n1,n2,n3=0..1".parse().expect("shock"),
                "*:n7=0.1..0.4".parse().expect("shock"),
            ],
            ..Scenario::default()
        };
        sc.mitigations
            .push(Mitigation::parse_substitution("*=0..0.3").expect("flag"));
        sc.mitigations
            .push(Mitigation::parse_spare("n1,n2=0..0.5").expect("flag"));
        let opts = Options {
            kinds: rule,
            ..Options::default()
        };
        let model = compile::compile(&c, &Blocs::default(), &sc, &opts).expect("compiles");
        let n = model.n_nodes();
        let draws: Vec<_> = (0..37).map(|d| model.sample(9, d)).collect();
        // Sampling a batch at once reads the same stream segments as draw by draw.
        assert_eq!(
            format!("{:?}", osa_disrupt::engine::Batch::sample(&model, 9, 5, 20)),
            format!("{:?}", osa_disrupt::engine::Batch::new(&draws[5..25]))
        );
        // Two batches side by side in one matrix with a stride.
        let width = draws.len();
        let mut batch_out = vec![0.0; n * width];
        for (lo, hi) in [(0, 16), (16, width)] {
            osa_disrupt::engine::run_static_batch(
                &model,
                &osa_disrupt::engine::Batch::new(&draws[lo..hi]),
                &mut Default::default(),
                &mut batch_out,
                width,
                lo,
            );
        }
        let mut one = vec![0.0; n];
        for (b, d) in draws.iter().enumerate() {
            osa_disrupt::engine::run_static(&model, d, true, &mut one);
            for k in 0..n {
                assert_eq!(
                    one[k].to_bits(),
                    batch_out[k * draws.len() + b].to_bits(),
                    "node {k} draw {b}"
                );
            }
        }
    }
}

#[test]
fn monte_carlo_matrices_are_the_same_on_several_threads() {
    // Large enough (nodes x draws above montecarlo::MIN_PARALLEL_WORK) to run on threads.
    let c = validate(osa_synth::ecosystem(&osa_synth::Spec::edges(
        20_000, 80_000, 0.2, 3,
    )))
    .expect("valid");
    for timed in [false, true] {
        let mut sc = scenario(&["ABW:*=0.2..1.0", "AFG:*=0..0.5"]);
        if timed {
            sc.shocks[0].duration_weeks = Some(4);
        }
        sc.mitigations
            .push(Mitigation::parse_substitution("*=0..0.3@2").expect("flag"));
        let model =
            compile::compile(&c, &Blocs::default(), &sc, &Options::default()).expect("compiles");
        let draws = if timed { 120 } else { 300 };
        let weeks = model.horizon().unwrap_or(1) as usize;
        assert!(
            model.n_nodes() * draws * weeks >= osa_disrupt::montecarlo::MIN_PARALLEL_WORK,
            "{} nodes",
            model.n_nodes()
        );
        let one = osa_disrupt::montecarlo::draw_matrix(&model, draws, 11, 1).expect("runs");
        let three = osa_disrupt::montecarlo::draw_matrix(&model, draws, 11, 3).expect("runs");
        assert!(one == three, "matrices differ");
        assert_eq!(
            osa_disrupt::montecarlo::percentiles(&one, draws, 1),
            osa_disrupt::montecarlo::percentiles(&three, draws, 3)
        );
    }
}
