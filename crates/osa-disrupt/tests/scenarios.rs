//! The model on real data: the built-in baseline scenarios on their embedded ecosystems, and shocks on
//! the ETO 2026 release (read from ../shared/data; SKIP when absent, failure under CI=true).

use osa_disrupt::compile::Options;
use osa_disrupt::simulate::{self, Outcome, RunOptions};
use osa_disrupt::{Scenario, Target};
use osa_model::{Checked, InputKind};
use std::collections::HashMap;

fn eto_2026(test: &str) -> Option<Checked> {
    let dir = osa_io::shared::data_dir_or_skip(test)?;
    let path = dir.join("eto/v2026_chip_explorer");
    let loaded = osa_io::load(Some(&path.display().to_string())).expect("ETO 2026 loads");
    Some(loaded.checked)
}

fn run(checked: &Checked, sc: &Scenario, draws: usize) -> Outcome {
    let blocs = osa_io::builtin::blocs().expect("blocs");
    simulate::simulate(
        checked,
        &blocs,
        sc,
        &Options::default(),
        &RunOptions {
            draws,
            seed: 2026,
            threads: 2,
        },
    )
    .expect("runs")
}

fn shocks(list: &[&str]) -> Scenario {
    Scenario {
        id: "test".into(),
        shocks: list.iter().map(|s| s.parse().expect("shock")).collect(),
        ..Scenario::default()
    }
}

fn by_id<'a>(checked: &Checked, out: &'a Outcome) -> HashMap<String, &'a simulate::NodeOutcome> {
    out.nodes
        .iter()
        .map(|n| (checked.ecosystem().inputs[n.input].id.clone(), n))
        .collect()
}

#[test]
fn eto_2026_losing_dutch_euv_tools_reaches_processes_and_finished_chips() {
    let Some(c) = eto_2026("eto_2026_losing_dutch_euv_tools_reaches_processes_and_finished_chips")
    else {
        return;
    };
    let out = run(&c, &shocks(&["NLD:N20=1.0"]), 0);
    let n = by_id(&c, &out);
    // EUV tools (N20): the Netherlands supplies 100%, all lost, no substitute in the data.
    assert_eq!((n["N20"].order, n["N20"].availability), (0, 0.0));
    // Lithography tools (N19) has eight kinds, EUV one of them: 7/8 available (order 1).
    assert_eq!(n["N19"].order, 1);
    assert!((n["N19"].availability - 0.875).abs() < 1e-12);
    let eco = c.ecosystem();
    let kind = |id: &str| eco.inputs[c.input_index(id).expect("id")].kind;
    // Processes it feeds lose availability at order >= 1 ...
    let hit_processes: Vec<&str> = n
        .iter()
        .filter(|(id, r)| kind(id) == InputKind::Process && r.order >= 1 && r.availability < 1.0)
        .map(|(id, _)| id.as_str())
        .collect();
    assert!(hit_processes.contains(&"N25"), "{hit_processes:?}"); // photolithography, order 2
    assert!(hit_processes.len() >= 5, "{hit_processes:?}");
    // ... and so does the final output downstream, at order >= 2.
    let chip = n["N99"];
    assert_eq!(kind("N99"), InputKind::FinalOutput);
    assert!(chip.order >= 2 && chip.availability < 1.0);
    assert!((chip.availability - 0.875).abs() < 1e-12);
    // The same shock written with the firm (ASML) gives the same numbers.
    let asml = eco
        .firms
        .iter()
        .find(|f| f.name == "ASML")
        .map(|f| f.id.clone())
        .expect("ASML is a firm of ETO 2026");
    let by_firm = run(&c, &shocks(&[&format!("{asml}:N20=1.0")]), 0);
    assert_eq!(
        by_firm
            .nodes
            .iter()
            .map(|n| n.availability)
            .collect::<Vec<_>>(),
        out.nodes.iter().map(|n| n.availability).collect::<Vec<_>>()
    );
}

#[test]
fn eto_2026_a_country_that_supplies_nothing_changes_nothing() {
    let Some(c) = eto_2026("eto_2026_a_country_that_supplies_nothing_changes_nothing") else {
        return;
    };
    // Antarctica supplies nothing; the Netherlands supplies no finished chips.
    for spec in ["ATA:*=1.0", "NLD:N99=1.0"] {
        let out = run(&c, &shocks(&[spec]), 0);
        assert!(out.nodes.is_empty(), "{spec}: {} nodes", out.nodes.len());
        assert!(out.warnings.iter().any(|w| w.contains("supplies none")));
    }
}

#[test]
fn eto_2026_monte_carlo_is_reproducible() {
    let Some(c) = eto_2026("eto_2026_monte_carlo_is_reproducible") else {
        return;
    };
    let mut sc = shocks(&["NLD:*=0.3..1.0", "CHN:S3=0..0.5@0+12"]);
    sc.mitigations
        .push(osa_disrupt::Mitigation::parse_substitution("*=0..0.3@6").expect("flag"));
    let a = run(&c, &sc, 300);
    let b = run(&c, &sc, 300);
    assert_eq!(a, b);
    assert!(a.nodes.len() > 30, "{}", a.nodes.len());
    let spread = a
        .nodes
        .iter()
        .filter_map(|n| n.percentiles)
        .filter(|q| q[2] - q[0] > 0.05)
        .count();
    assert!(spread > 10, "{spread}");
}

#[test]
fn baseline_scenarios_run_on_the_embedded_ecosystem() {
    for name in osa_io::scenario::builtin_names() {
        let sc = osa_io::scenario::builtin(name).expect(name);
        // Each names the built-in ecosystem it was written for (semiconductors, or a case study's).
        let eco = sc.ecosystem.as_deref().expect("an ecosystem");
        let c = osa_io::builtin::ecosystem(eco).expect(eco);
        let out = run(&c, &sc, 100);
        assert!(!out.nodes.is_empty(), "{name} reaches nothing");
        // Every scenario reaches beyond the inputs it hits, and its weekly profile has the
        // scenario's horizon.
        assert!(out.nodes.iter().any(|n| n.order >= 1), "{name}");
        assert_eq!(out.weeks, sc.weeks, "{name}");
        // Without mitigation something is lost; the Monte Carlo spreads where there are ranges.
        assert!(out.nodes.iter().any(|n| n.unmitigated < 1.0), "{name}");
        for n in &out.nodes {
            let q = n.percentiles.expect("draws");
            assert!(q[0] <= q[1] && q[1] <= q[2]);
            // The weekly band: one [p5, p95] per week, ordered; the worst week's p5 (over the
            // draws' worst weeks) is at most any week's p5.
            if let Some(weeks) = sc.weeks {
                let band = n.weekly_band.as_ref().expect("a band in a weekly run");
                assert_eq!(band.len(), weeks as usize, "{name}");
                assert!(
                    band.iter()
                        .all(|b| b[0] <= b[1] && (0.0..=1.0).contains(&b[0]))
                );
                let lowest = band.iter().map(|b| b[0]).fold(1.0, f64::min);
                assert!(q[0] <= lowest + 1e-12, "{name}: {} > {lowest}", q[0]);
            }
        }
    }
    // The packaging scenario names the curated stage `atp` and ETO's `S3`: on the curated
    // ecosystem `S3` is skipped with a warning, and the stage's processes without shares of their
    // own are hit at China's 38%.
    let c = osa_io::builtin::ecosystem("semiconductors").expect("built-in");
    let sc = osa_io::scenario::builtin("china-back-end-packaging").expect("built-in");
    assert_eq!(
        sc.shocks[0].target,
        Target::Ids(vec!["atp".into(), "S3".into()])
    );
    let out = run(&c, &sc, 0);
    assert!(out.warnings.iter().any(|w| w.contains("`S3`")));
    let n = by_id(&c, &out);
    assert!((n["assembly-test-packaging"].direct_loss - 0.38 * 0.75).abs() < 1e-12);
    assert_eq!(n["assembly-test-packaging"].order, 0);
    assert_eq!(n["ai-accelerators"].order, 1);
}

#[test]
fn eto_2026_back_end_packaging_scenario() {
    let Some(c) = eto_2026("eto_2026_back_end_packaging_scenario") else {
        return;
    };
    let sc = osa_io::scenario::builtin("china-back-end-packaging").expect("built-in");
    let out = run(&c, &sc, 0);
    let n = by_id(&c, &out);
    // ETO's ATP stage: China 30% of capacity (2022); at the midpoint (75% lost) 22.5% of the
    // stage's two processes is lost in week 0, before substitution ramps up.
    for id in ["N69", "N78"] {
        assert_eq!(n[id].order, 0);
        assert!((n[id].direct_loss - 0.225).abs() < 1e-12);
        assert!((n[id].availability - 0.775).abs() < 1e-12);
    }
    assert_eq!(n["N99"].order, 1);
    assert!(n["N99"].availability < 1.0);
}
