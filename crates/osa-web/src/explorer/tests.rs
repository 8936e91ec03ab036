//! Tests of the explorer: the graph's layout and drawing, the rows behind a figure, shares as
//! percentages.

use super::graph_svg::{NO_DATA, SCALE};
use super::*;
use crate::Ctx;
use osa_app::workbench::explorer::{Exploration, StageRef};
use osa_view::ecosystem::SourceRow;
use std::collections::{HashMap, HashSet};

fn stage(id: &str) -> StageRef {
    StageRef {
        id: id.into(),
        name: id.to_uppercase(),
    }
}

fn input(id: &str, stage: Option<&str>) -> GraphInput {
    GraphInput {
        id: id.into(),
        name: format!("input {id}"),
        stage: stage.map(str::to_string),
        stage_inferred: false,
        share: None,
        year: None,
        chokepoint: false,
    }
}

fn within(g: &Graph, n: &Node) -> bool {
    let c = &g.columns[n.column];
    n.x >= c.x && n.x + NODE_W <= c.x + c.width
}

/// The SVG's arrows and node links.
fn svg_counts(g: &Graph, stages: &[StageRef]) -> (usize, usize) {
    let x = Exploration {
        ecosystem: "t".into(),
        name: "T".into(),
        description: String::new(),
        sources: Vec::new(),
        revision: 1,
        holder: "EU27".into(),
        holder_name: "European Union".into(),
        year: None,
        min_share: 0.5,
        stages: stages.to_vec(),
        inputs: Vec::new(),
        edges: Vec::new(),
        chokepoints: Vec::new(),
        counterpart: "CHN".into(),
        leverage: None,
        holders: Vec::new(),
        years: Vec::new(),
        snapshots: Vec::new(),
    };
    let svg = graph_svg(g, &x, &Ctx::live(None, None, "/ecosystems/t")).into_string();
    (
        svg.matches("<path class=\"edge").count(),
        svg.matches("<a class=\"node\"").count(),
    )
}

#[test]
fn every_edge_is_drawn_once_and_nodes_sit_in_their_stage_column() {
    let stages = [stage("design"), stage("fab"), stage("atp")];
    let mut inputs = vec![
        input("eda", Some("design")),
        input("chip-design", Some("design")),
        input("litho", Some("fab")),
        input("wafer", Some("fab")),
        input("fab", Some("fab")),
        input("packaging", Some("atp")),
        input("loose", None),
    ];
    // A long layer, spread over lanes of at most MAX_ROWS.
    for k in 0..(MAX_ROWS + 5) {
        inputs.push(input(&format!("tool-{k}"), Some("fab")));
    }
    let mut edges: Vec<(String, String)> = [
        ("eda", "chip-design"),
        ("chip-design", "fab"),
        ("litho", "fab"),
        ("wafer", "fab"),
        ("fab", "packaging"),
        ("loose", "packaging"),
        ("eda", "chip-design"),
        ("eda", "nowhere"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    for k in 0..(MAX_ROWS + 5) {
        edges.push((format!("tool-{k}"), "wafer".into()));
    }
    let n = inputs.len();
    let g = layout(&stages, inputs, &edges);
    assert_eq!(g.nodes.len(), n);
    // Columns: the stages in order, then one for the input without a stage.
    let names: Vec<&str> = g.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["DESIGN", "FAB", "ATP", "No stage"]);
    assert!(g.columns.windows(2).all(|w| w[0].x + w[0].width <= w[1].x));
    for node in &g.nodes {
        let want = match node.stage.as_deref() {
            Some("design") => 0,
            Some("fab") => 1,
            Some("atp") => 2,
            _ => 3,
        };
        assert_eq!(node.column, want, "{}", node.id);
        assert!(within(&g, node), "{} is inside its column", node.id);
        assert!(node.x + NODE_W <= g.width && node.y + NODE_H <= g.height);
    }
    // Each known edge once; the repeat and the unknown target dropped.
    let known = edges.len() - 2;
    assert_eq!(g.edges.len(), known);
    let ids: HashSet<(&str, &str)> = g
        .edges
        .iter()
        .map(|e| (g.nodes[e.from].id.as_str(), g.nodes[e.to].id.as_str()))
        .collect();
    assert_eq!(ids.len(), known);
    for (a, b) in edges.iter().filter(|(_, b)| b != "nowhere") {
        assert!(ids.contains(&(a.as_str(), b.as_str())), "{a} -> {b}");
    }
    // Within a column, what goes into another input is to its left.
    let at = |id: &str| g.nodes.iter().find(|n| n.id == id).unwrap();
    assert!(at("eda").x < at("chip-design").x);
    assert!(at("wafer").x < at("fab").x && at("tool-0").x < at("wafer").x);
    // No two nodes overlap, and no lane holds more than MAX_ROWS.
    let mut spots = HashSet::new();
    for node in &g.nodes {
        assert!(spots.insert((node.x, node.y)), "{} overlaps", node.id);
    }
    let mut per_lane: HashMap<u32, usize> = HashMap::new();
    for node in &g.nodes {
        *per_lane.entry(node.x).or_default() += 1;
    }
    assert!(per_lane.values().all(|&k| k <= MAX_ROWS));
    assert_eq!(svg_counts(&g, &stages), (known, n));
}

#[test]
fn a_stage_without_inputs_keeps_its_column() {
    let g = layout(
        &[stage("a"), stage("b"), stage("c")],
        vec![input("x", Some("a")), input("y", Some("c"))],
        &[("x".into(), "y".into())],
    );
    assert_eq!(g.columns.len(), 3);
    assert!(g.columns.iter().all(|c| c.width >= LANE_W));
    assert_eq!(g.nodes[1].column, 2);
    assert!(within(&g, &g.nodes[1]));
}

#[test]
fn euv_lithography_is_an_eu_chokepoint_in_the_embedded_ecosystem() {
    let l = osa_app::ecosystem::load(Some("semiconductors"))
        .unwrap()
        .value;
    let blocs = osa_app::ecosystem::blocs(&l, &[]).unwrap();
    let holders = ["EU27".to_string()];
    let rows =
        match osa_app::ecosystem::metrics_view(&l, &blocs, &holders, &[], None, false).unwrap() {
            osa_app::ecosystem::MetricsAnswer::Inputs { rows, .. } => rows,
            osa_app::ecosystem::MetricsAnswer::Stages(_) => unreachable!(),
        };
    let choke = osa_app::ecosystem::chokepoints_view(&l, &blocs, "EU27", 0.5, None).unwrap();
    let eco = l.checked.ecosystem();
    let stages: Vec<StageRef> = eco
        .stages
        .iter()
        .map(|s| StageRef {
            id: s.id.clone(),
            name: s.name.clone(),
        })
        .collect();
    let edges: Vec<(String, String)> = (0..l.checked.n_inputs())
        .flat_map(|i| {
            l.checked
                .goes_into(i)
                .iter()
                .map(move |&j| (eco.inputs[i].id.clone(), eco.inputs[j].id.clone()))
        })
        .collect();
    let inputs = rows
        .iter()
        .map(|m| GraphInput {
            id: m.id.clone(),
            name: m.name.clone(),
            stage: m.stage.clone(),
            stage_inferred: m.stage_inferred,
            share: m.bloc_shares.get("EU27").copied(),
            year: m.year,
            chokepoint: choke.iter().any(|c| c.id == m.id),
        })
        .collect();
    let g = layout(&stages, inputs, &edges);
    assert_eq!(g.edges.len(), edges.len());
    let euv = g.nodes.iter().find(|n| n.id == "euv-lithography").unwrap();
    assert!(euv.chokepoint && euv.share == Some(1.0));
    assert_eq!(g.columns[euv.column].stage.as_deref(), Some("fabrication"));
    assert!(within(&g, euv));
    assert_eq!(fill(euv.share).0, SCALE[5].1);
}

#[test]
fn dataset_rows_are_grouped_by_file_with_their_lines() {
    let row = |source: &str| SourceRow {
        provider: "NLD".into(),
        share: Some(100.0),
        year: Some(2025),
        source: source.into(),
    };
    let rows = [
        row("CSET analysis (2025). [CSET ETO chip explorer (2026 release), provision.csv line 12]"),
        row("CSET analysis (2025). [CSET ETO chip explorer (2026 release), provision.csv line 40]"),
        row("seed L1932-1935"),
    ];
    assert_eq!(
        row_sources(&rows),
        [
            "CSET analysis (2025). [CSET ETO chip explorer (2026 release), provision.csv lines 12, 40]",
            "seed L1932-1935"
        ]
    );
}

#[test]
fn shares_read_as_percentages() {
    assert_eq!(pc(0.98), "98%");
    assert_eq!(pc(1.0), "100%");
    assert_eq!(pc(0.976), "97.6%");
    assert_eq!(fill(None), NO_DATA);
    assert_eq!(fill(Some(0.0)).0, "#ffffff");
    assert_eq!(fill(Some(0.05)).0, "#deebf7");
    assert_eq!(fill(Some(0.5)).0, "#2171b5");
    assert_eq!(parse_share("min_share", Some("90%")).unwrap(), Some(0.9));
    assert!(parse_share("min_share", Some("x")).is_err());
    assert_eq!(parse_year(Some(" ")).unwrap(), None);
    assert!(parse_year(Some("20x5")).is_err());
}
