//! Tests of panels: a hand-made 4-year fixture (GeoDep persistence, churn counts, spells, top
//! supplier changes) and a small synthetic panel against a reference written in plain Rust from
//! the definitions (HashMaps over the rows, no shared code with the kernel).

use super::churn::{Spell, spells, year_churn};
use super::*;
use crate::ingest::countries::CountryTable;
use crate::rows::{Row, RowSink};
use std::collections::HashMap;

const TABLE: &str = "country_code,country_name,country_iso2,country_iso3\n156,China,CN,CHN\n251,France,FR,FRA\n276,Germany,DE,DEU\n392,Japan,JP,JPN\n842,USA,US,USA\n";

/// Screens rows year by year (every country, plus the blocs given as member ISO3 lists).
fn screen_panel(
    table: &CountryTable,
    rows: &[Row],
    years: &[u16],
    blocs: &[(&str, &[&str])],
    method: &Method,
    threads: usize,
) -> (Vec<Cell>, Labels) {
    let mut labels = Labels::default();
    let entity_label: Vec<u32> = table
        .entities()
        .iter()
        .map(|e| labels.intern(&e.label))
        .collect();
    let bloc_members: Vec<(u32, Vec<bool>)> = blocs
        .iter()
        .map(|(id, ms)| {
            let member = table
                .entities()
                .iter()
                .map(|e| ms.contains(&e.label.as_str()))
                .collect();
            (labels.intern(id), member)
        })
        .collect();
    let who = YearImporters {
        entity_label,
        is_country: table
            .entities()
            .iter()
            .map(|e| e.country.is_some())
            .collect(),
        blocs: bloc_members.clone(),
    };
    let mut cells = Vec::new();
    for &y in years {
        let mut accs = new_accs(y, table, &bloc_members, threads);
        // Rows dealt out to the threads in turn, as a scan would.
        for (n, r) in rows.iter().enumerate() {
            let k = n % accs.len();
            accs[k].row(r);
        }
        let acc = merge_accs(accs).expect("one");
        cells.extend(year_cells(&acc, &who, method, 2).expect("screens"));
    }
    apply_persistence(&mut cells, method);
    (cells, labels)
}

fn row(table: &CountryTable, t: u16, i: u16, j: u16, k: u32, v: f64) -> Row {
    Row {
        year: t,
        exporter: i,
        importer: j,
        exporter_idx: table.entity_of(i).expect("code"),
        importer_idx: table.entity_of(j).expect("code"),
        product: k,
        value: v,
        quantity: f64::NAN,
    }
}

/// Product P (100110) reaches France from China alone in years 1, 2 and 4, and from four equal
/// suppliers in year 3; product Q (280461) from China in years 1-3 and from the USA in year 4.
fn fixture(table: &CountryTable) -> Vec<Row> {
    let (p, q) = (100110, 280461);
    let mut rows = Vec::new();
    for t in 2001..=2004 {
        if t == 2003 {
            for i in [156, 842, 276, 392] {
                rows.push(row(table, t, i, 251, p, 50.0));
            }
            rows.push(row(table, t, 156, 276, p, 1000.0));
        } else {
            rows.push(row(table, t, 156, 251, p, 100.0));
            rows.push(row(table, t, 156, 276, p, 100.0));
        }
        let q_from = if t == 2004 { 842 } else { 156 };
        rows.push(row(table, t, q_from, 251, q, 10.0));
    }
    rows
}

#[test]
fn geodep_persistence_and_churn_on_a_four_year_fixture() {
    let table = CountryTable::parse(TABLE, "t.csv").unwrap();
    let geodep = Method::builtin("geodep2024").unwrap();
    let years = [2001, 2002, 2003, 2004];
    for threads in [1, 3] {
        let (cells, labels) = screen_panel(&table, &fixture(&table), &years, &[], &geodep, threads);
        let fra = labels.get("FRA").unwrap();
        let verdict = |k: u32| -> Vec<(u16, bool, bool)> {
            cells
                .iter()
                .filter(|c| c.importer == fra && c.product == k)
                .map(|c| (c.year, c.meets, c.dependent))
                .collect()
        };
        // P meets the criteria in 1, 2 and 4; persistence marks 2 (1 met) and 4 (2 met).
        assert_eq!(
            verdict(100110),
            vec![
                (2001, true, false),
                (2002, true, true),
                (2003, false, false),
                (2004, true, true)
            ]
        );
        let p3 = cells
            .iter()
            .find(|c| c.importer == fra && c.product == 100110 && c.year == 2003)
            .unwrap();
        assert_eq!(p3.import_hhi, 0.25);
        assert_eq!(p3.n_suppliers, 4);
        // World exports of P in 2003: CHN 1050, USA, DEU, JPN 50 each, of 1200.
        let w = (1050.0f64 / 1200.0).powi(2) + 3.0 * (50.0f64 / 1200.0).powi(2);
        assert!((p3.world_export_hhi - w).abs() < 1e-12);
        // Churn of FRA: dependent {} / {P, Q} / {Q} / {P, Q}.
        let ch: Vec<_> = year_churn(&cells, &years)
            .into_iter()
            .filter(|c| c.importer == fra)
            .map(|c| {
                (
                    c.year,
                    c.n_dependent,
                    c.entered,
                    c.left,
                    c.churn_1,
                    c.top_changes,
                )
            })
            .collect();
        assert_eq!(
            ch,
            vec![
                (2001, 0, None, None, None, None),
                (2002, 2, Some(2), Some(0), Some(0.5), Some(0)),
                (2003, 1, Some(0), Some(1), Some(0.0), Some(0)),
                (2004, 2, Some(1), Some(0), None, Some(1)),
            ]
        );
        let sp: Vec<Spell> = spells(&cells, &years)
            .into_iter()
            .filter(|s| s.importer == fra)
            .collect();
        let (chn, usa) = (labels.get("CHN").unwrap(), labels.get("USA").unwrap());
        assert_eq!(sp.len(), 3);
        assert_eq!(
            (sp[0].product, sp[0].from, sp[0].to, sp[0].open),
            (100110, 2002, 2002, false)
        );
        assert_eq!(
            (sp[1].product, sp[1].from, sp[1].to, sp[1].open),
            (100110, 2004, 2004, true)
        );
        assert_eq!(
            (sp[2].product, sp[2].years(), sp[2].top_changes()),
            (280461, 3, 1)
        );
        assert_eq!(sp[2].top_suppliers, vec![chn, chn, usa]);
    }
}

#[test]
fn swd2021_without_persistence_is_the_year_verdict() {
    let table = CountryTable::parse(TABLE, "t.csv").unwrap();
    let swd = Method::builtin("swd2021").unwrap();
    let (cells, labels) = screen_panel(
        &table,
        &fixture(&table),
        &[2003],
        &[("EU2", &["FRA", "DEU"])],
        &swd,
        2,
    );
    let eu = labels.get("EU2").unwrap();
    // EU2 in 2003, product P: extra imports CHN 1050, USA 50, JPN 50; intra DEU->FRA 50.
    let p = cells
        .iter()
        .find(|c| c.importer == eu && c.product == 100110)
        .unwrap();
    assert_eq!(p.import_value, 1150.0);
    assert_eq!(p.intra_imports, 50.0);
    assert_eq!(p.extra_share, 1150.0 / 1200.0);
    assert!(p.meets && p.dependent);
    // Alternatives to China outside the bloc: USA and JPN, neither exporting 1150.
    assert_eq!((p.n_alternatives, p.n_can_cover), (2, 0));
}

/// hhi, extra share, ratio, world export hhi, and the verdict.
type Indicators = (f64, f64, f64, f64, bool);

/// The reference: per year, importer (country or bloc) and product, from the rows alone.
struct Reference {
    cells: HashMap<(String, u32, u16), Indicators>,
    /// Each exporter's exports of a product to the world, by (year, product).
    world: HashMap<(u16, u32), Vec<(String, f64)>>,
    /// The largest supplier's value, by (importer, product, year).
    top: HashMap<(String, u32, u16), f64>,
    /// Each supplier's value, by (importer, product, year, supplier).
    supplier: HashMap<(String, u32, u16, String), f64>,
    /// Each importer's members.
    members: HashMap<String, Vec<String>>,
}

impl Reference {
    /// A met cell's alternatives (exporters of the product outside the importer, other than
    /// its top supplier) and how many of them export at least its imports.
    fn alternatives(&self, key: &(String, u32, u16), top: &str, imports: f64) -> (u32, u32) {
        let members = &self.members[&key.0];
        let others: Vec<f64> = self.world[&(key.2, key.1)]
            .iter()
            .filter(|(e, v)| *v > 0.0 && e != top && !members.contains(e))
            .map(|(_, v)| *v)
            .collect();
        let fixed = |v: f64| (v * 1e6).round() as i64;
        let cover = others
            .iter()
            .filter(|v| fixed(**v) >= fixed(imports))
            .count();
        (others.len() as u32, cover as u32)
    }
}

/// An importer's flows of a year: imports by (product, supplier) from outside its members,
/// imports among members and exports to outside, by product.
type Flows = (
    HashMap<(u32, String), f64>,
    HashMap<u32, f64>,
    HashMap<u32, f64>,
);

fn flows_of(rs: &[&Row], members: &[String], label: &dyn Fn(u32) -> String) -> Flows {
    let inside = |e: u32| members.contains(&label(e));
    let (mut by_sup, mut intra, mut exports) = Flows::default();
    for r in rs {
        match (inside(r.exporter_idx), inside(r.importer_idx)) {
            (false, true) => {
                *by_sup
                    .entry((r.product, label(r.exporter_idx)))
                    .or_default() += r.value
            }
            (true, true) => *intra.entry(r.product).or_default() += r.value,
            (true, false) => *exports.entry(r.product).or_default() += r.value,
            _ => {}
        }
    }
    (by_sup, intra, exports)
}

fn reference(
    table: &CountryTable,
    rows: &[Row],
    years: &[u16],
    blocs: &[(&str, &[&str])],
    method: &Method,
) -> Reference {
    let label = |e: u32| table.entities()[e as usize].label.clone();
    let mut importers: Vec<(String, Vec<String>)> = Vec::new();
    for e in table.entities().iter().filter(|e| e.country.is_some()) {
        importers.push((e.label.clone(), vec![e.label.clone()]));
    }
    for (id, ms) in blocs {
        importers.push((id.to_string(), ms.iter().map(|m| m.to_string()).collect()));
    }
    let mut raw = HashMap::new();
    let (mut world_of, mut top, mut supplier) = (HashMap::new(), HashMap::new(), HashMap::new());
    for &y in years {
        let rs: Vec<&Row> = rows
            .iter()
            .filter(|r| r.year == y && label(r.exporter_idx) != label(r.importer_idx))
            .collect();
        // World exports by (exporter label, product).
        let mut world: HashMap<(String, u32), f64> = HashMap::new();
        for r in &rs {
            *world.entry((label(r.exporter_idx), r.product)).or_default() += r.value;
        }
        let mut whhi: HashMap<u32, (f64, f64)> = HashMap::new();
        for ((e, k), v) in &world {
            world_of
                .entry((y, *k))
                .or_insert_with(Vec::new)
                .push((e.clone(), *v));
            let e = whhi.entry(*k).or_default();
            e.0 += v;
            e.1 += v * v;
        }
        for (imp, members) in &importers {
            let (by_sup, intra, exports) = flows_of(&rs, members, &label);
            let mut m: HashMap<u32, (f64, f64)> = HashMap::new();
            for ((k, e), v) in &by_sup {
                supplier.insert((imp.clone(), *k, y, e.clone()), *v);
                let t: &mut f64 = top.entry((imp.clone(), *k, y)).or_default();
                *t = t.max(*v);
                let e = m.entry(*k).or_default();
                e.0 += v;
                e.1 += v * v;
            }
            for (k, (sum, sq)) in m {
                let hhi = sq / (sum * sum);
                let x = exports.get(&k).copied().unwrap_or(0.0);
                let ratio = if x > 0.0 { sum / x } else { 9999.0 };
                let share = sum / (sum + intra.get(&k).copied().unwrap_or(0.0));
                let (ws, wsq) = whhi[&k];
                let w = wsq / (ws * ws);
                let meets = method.meets(|i| match i {
                    Indicator::ImportHhi => hhi,
                    Indicator::ExtraShare => share,
                    Indicator::ImportExportRatio => ratio,
                    Indicator::WorldExportHhi => w,
                });
                raw.insert((imp.clone(), k, y), (hhi, share, ratio, w, meets));
            }
        }
    }
    let cells = persisted(&raw, method);
    Reference {
        cells,
        world: world_of,
        top,
        supplier,
        members: importers.into_iter().collect(),
    }
}

/// Persistence: t and at least one of t-1, t-2 (GeoDep's reading), straight from the keys.
fn persisted(
    raw: &HashMap<(String, u32, u16), Indicators>,
    method: &Method,
) -> HashMap<(String, u32, u16), Indicators> {
    let mut cells = HashMap::new();
    for ((imp, k, y), (h, s, r, w, meets)) in raw {
        let dependent = match method.persistence {
            None => *meets,
            Some(p) => {
                *meets
                    && (1..=p.years_before)
                        .filter(|d| {
                            y.checked_sub(*d)
                                .and_then(|py| raw.get(&(imp.clone(), *k, py)))
                                .is_some_and(|c| c.4)
                        })
                        .count()
                        >= usize::from(p.at_least)
            }
        };
        cells.insert((imp.clone(), *k, *y), (*h, *s, *r, *w, dependent));
    }
    cells
}

/// Every row of a synthetic panel year (collected through a scan of its CSV).
#[derive(Default)]
struct Collect(Vec<Row>);

impl RowSink for Collect {
    fn row(&mut self, r: &Row) {
        self.0.push(*r);
    }
}

#[test]
fn geodep_on_a_synthetic_panel_equals_the_definitions() {
    let dir = tempfile::tempdir().unwrap();
    let spec = |year: u16| crate::synth::Spec {
        rows: 30_000,
        products: 120,
        countries: 40,
        year,
        seed: 7_000 + u64::from(year),
    };
    let years = [2019, 2020, 2021, 2022];
    let table_text = crate::synth::country_table(&spec(2019));
    let table = CountryTable::parse(&table_text, "synth").unwrap();
    let mut rows = Vec::new();
    for &y in &years {
        let path = dir.path().join(format!("y{y}.csv"));
        let f = std::fs::File::create(&path).unwrap();
        crate::synth::write_panel_year(&spec(y), 42, std::io::BufWriter::new(f), &|_| {}).unwrap();
        let mut sinks = vec![Collect::default()];
        crate::ingest::baci::scan(&path, &table, &mut sinks, &|_| {}, |_| Ok(())).unwrap();
        rows.extend(sinks.pop().unwrap().0);
    }
    let eu: &[&str] = &[
        "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN",
        "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP",
        "SWE",
    ];
    let geodep = Method::builtin("geodep2024").unwrap();
    let (cells, labels) = screen_panel(&table, &rows, &years, &[("EU27", eu)], &geodep, 2);
    let want = reference(&table, &rows, &years, &[("EU27", eu)], &geodep);
    assert_eq!(cells.len(), want.cells.len());
    let (mut met, mut dependent, mut alternatives) = (0, 0, 0);
    for c in &cells {
        let key = (labels.name(c.importer).to_string(), c.product, c.year);
        let (h, s, r, w, d) = want.cells[&key];
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
        assert!(
            close(c.import_hhi, h)
                && close(c.extra_share, s)
                && close(c.import_export_ratio, r)
                && close(c.world_export_hhi, w),
            "{key:?}: {c:?} against {:?}",
            (h, s, r, w)
        );
        assert_eq!(c.dependent, d, "{key:?}");
        let top = labels.name(c.top_supplier);
        let top_value = want.supplier[&(key.0.clone(), key.1, key.2, top.to_string())];
        assert!(close(top_value, want.top[&key]), "{key:?}: top {top}");
        if c.meets {
            assert_eq!(
                (c.n_alternatives, c.n_can_cover),
                want.alternatives(&key, top, c.import_value),
                "{key:?}"
            );
            alternatives += c.n_alternatives;
        }
        met += usize::from(c.meets);
        dependent += usize::from(c.dependent);
    }
    // The panel exercises every branch: products met, some persistent, some not.
    assert!(
        dependent > 5 && met > dependent && alternatives > 0,
        "{met} met, {dependent} dependent, {alternatives} alternatives"
    );
}

/// A cell of the property test: only the keys and the verdict matter.
fn bare(importer: u32, product: u32, year: u16, meets: bool) -> Cell {
    Cell {
        importer,
        product,
        year,
        import_value: 1.0,
        intra_imports: 0.0,
        exports: 0.0,
        import_hhi: 1.0,
        extra_share: 1.0,
        import_export_ratio: 1.0,
        world_export_hhi: 1.0,
        top_supplier: importer + product,
        top_share: 1.0,
        n_suppliers: 1,
        meets,
        dependent: meets,
        n_alternatives: 0,
        n_can_cover: 0,
    }
}

proptest::proptest! {
    /// Streaming (a [`PersistenceWindow`] fed year by year, churn and spells from the dependent
    /// records kept) gives the verdicts, churn, spells and chart counts of the whole-panel
    /// functions, for any rule, any gaps between years and any cells.
    #[test]
    fn streaming_persistence_and_churn_agree_with_the_whole_panel(
        present in proptest::collection::vec(proptest::bool::ANY, 9),
        met in proptest::collection::vec(0u8..4, 9 * 3 * 4),
        years_before in 1u16..5,
        at_least in 0u16..4,
    ) {
        let mut method = Method::builtin("geodep2024").unwrap();
        method.persistence = Some(crate::method::Persistence { years_before, at_least });
        let years: Vec<u16> = (0..9u16).filter(|y| present[*y as usize]).map(|y| 2000 + y).collect();
        let mut by_year: Vec<Vec<Cell>> = Vec::new();
        for &y in &years {
            let mut cells = Vec::new();
            for imp in 0..3u32 {
                for prod in 0..4u32 {
                    let m = met[((y - 2000) as usize * 3 + imp as usize) * 4 + prod as usize];
                    if m > 0 {
                        cells.push(bare(imp, 100 + prod, y, m > 1));
                    }
                }
            }
            by_year.push(cells);
        }
        let mut whole: Vec<Cell> = by_year.concat();
        apply_persistence(&mut whole, &method);
        let mut window = PersistenceWindow::new(&method);
        let mut streamed = Vec::new();
        let mut deps = Vec::new();
        let mut importers = std::collections::BTreeSet::new();
        for (cells, &y) in by_year.iter_mut().zip(&years) {
            window.apply(y, cells);
            deps.extend(churn::deps(cells));
            importers.extend(cells.iter().map(|c| c.importer));
            streamed.extend(cells.iter().cloned());
        }
        streamed.sort_unstable_by_key(|c| (c.importer, c.product, c.year));
        proptest::prop_assert_eq!(&streamed, &whole);
        proptest::prop_assert_eq!(
            churn::year_churn_of(&deps, &importers, &years),
            churn::year_churn(&whole, &years)
        );
        proptest::prop_assert_eq!(churn::spells_of(&deps, &years), churn::spells(&whole, &years));
        proptest::prop_assert_eq!(
            churn::by_top_supplier_of(&deps, 2),
            churn::by_top_supplier(&whole, 2)
        );
    }
}
