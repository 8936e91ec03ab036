//! Reading and writing the inputs of disruption analysis (format in `docs/scenarios.md`):
//! scenario files (`osa-scenario/1` TOML, with line numbers in every error), the built-in
//! scenarios from the seed report (`data/scenarios/`), and input-output tables (CSV, in
//! `iotable.rs`).

mod iotable;

pub use iotable::{OUTPUT, VALUE_ADDED, parse_iotable, read_iotable};

use crate::error::{Diagnostic, Error, Result};
use crate::lines::LineIndex;
use crate::text::read_text;
use osa_disrupt::{Mitigation, Scenario, Shock, Target, Value};
use serde::{Deserialize, Serialize};
use std::path::Path;
use toml::Spanned;

/// The format tag every scenario file starts with.
pub const FORMAT: &str = "osa-scenario/1";

/// Built-in scenarios: (id, TOML text).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "china-rare-earths",
        include_str!("../../../../data/scenarios/china-rare-earths.toml"),
    ),
    (
        "china-back-end-packaging",
        include_str!("../../../../data/scenarios/china-back-end-packaging.toml"),
    ),
    (
        "taiwan-korea-leading-edge-outage",
        include_str!("../../../../data/scenarios/taiwan-korea-leading-edge-outage.toml"),
    ),
    (
        "noble-gas-shortage",
        include_str!("../../../../data/scenarios/noble-gas-shortage.toml"),
    ),
    (
        "china-rare-earths-6g",
        include_str!("../../../../data/scenarios/china-rare-earths-6g.toml"),
    ),
    (
        "china-filters-6g",
        include_str!("../../../../data/scenarios/china-filters-6g.toml"),
    ),
    (
        "china-chip-back-end-v2x",
        include_str!("../../../../data/scenarios/china-chip-back-end-v2x.toml"),
    ),
    (
        "china-surveillance-cameras",
        include_str!("../../../../data/scenarios/china-surveillance-cameras.toml"),
    ),
    (
        "china-gallium-export-halt",
        include_str!("../../../../data/scenarios/china-gallium-export-halt.toml"),
    ),
];

type S<T> = Spanned<T>;

fn sp<T>(v: T) -> S<T> {
    Spanned::new(0..0, v)
}

fn is_zero(v: &u32) -> bool {
    *v == 0
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    format: S<String>,
    id: S<String>,
    name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ecosystem: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    weeks: Option<S<u32>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    shocks: Vec<RawShock>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    mitigations: Vec<RawMitigation>,
}

/// A number, or `[low, high]` for a Monte Carlo range.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(untagged)]
enum RawValue {
    Number(f64),
    Range([f64; 2]),
}

impl RawValue {
    fn value(self) -> std::result::Result<Value, String> {
        match self {
            RawValue::Number(v) => Ok(Value::point(v)),
            RawValue::Range([a, b]) if a <= b => Ok(Value::range(a, b)),
            RawValue::Range([a, b]) => Err(format!(
                "range [{a}, {b}] runs backwards (write [low, high])"
            )),
        }
    }

    fn from(v: Value) -> RawValue {
        if v.is_range() {
            RawValue::Range([v.lo, v.hi])
        } else {
            RawValue::Number(v.lo)
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawShock {
    supplier: S<String>,
    inputs: S<Vec<String>>,
    lost: S<RawValue>,
    #[serde(default, skip_serializing_if = "is_zero")]
    start_week: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    duration_weeks: Option<S<u32>>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    source: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    note: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMitigation {
    inputs: S<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stock_months: Option<S<RawValue>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    substitution: Option<S<RawValue>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    substitution_ramp_weeks: Option<S<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    spare_capacity: Option<S<RawValue>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    spare_ramp_weeks: Option<S<f64>>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    source: String,
}

/// Collects diagnostics for one file.
struct Diags<'a> {
    file: &'a str,
    lines: LineIndex,
    list: Vec<Diagnostic>,
}

impl Diags<'_> {
    fn push(&mut self, at: usize, record: &str, field: &str, message: String) {
        self.list.push(Diagnostic {
            file: self.file.to_string(),
            line: Some(self.lines.line(at)),
            record: record.to_string(),
            field: field.to_string(),
            message,
        });
    }
}

impl Diags<'_> {
    /// A value (point or range) within 0-`max`, or `None` with a diagnostic.
    fn value(&mut self, v: &S<RawValue>, record: &str, field: &str, max: f64) -> Option<Value> {
        let parsed = v.get_ref().value().and_then(|x| {
            x.check(field, 0.0, max)
                .map(|_| x)
                .map_err(|e| e.to_string())
        });
        match parsed {
            Ok(x) => Some(x),
            Err(m) => {
                self.push(v.span().start, record, field, m);
                None
            }
        }
    }

    /// The inputs a shock or mitigation targets, or `None` with a diagnostic.
    fn target(&mut self, inputs: &S<Vec<String>>, record: &str) -> Option<Target> {
        match Target::from_list(inputs.get_ref()) {
            Ok(t) => Some(t),
            Err(m) => {
                self.push(inputs.span().start, record, "inputs", m);
                None
            }
        }
    }

    /// Where a record starts, for the `origin` of what it becomes.
    fn origin(&self, at: usize, record: &str) -> String {
        format!("{}:{}: {record}", self.file, self.lines.line(at))
    }
}

/// Parses a scenario file's text; every problem names file, line, record and field. The steps:
/// read the TOML, check the header (format, id), read the shocks and the mitigations, check the
/// number of weeks; any problem refuses the file, with all problems listed.
pub fn parse(text: &str, file: &str) -> Result<Scenario> {
    let lines = LineIndex::new(text);
    let raw: RawScenario = crate::text::from_toml(text, file)?;
    let mut d = Diags {
        file,
        lines,
        list: Vec::new(),
    };
    check_header(&raw, &mut d);
    let shocks = raw
        .shocks
        .iter()
        .enumerate()
        .filter_map(|(k, r)| shock(k, r, &mut d))
        .collect();
    let mitigations = raw
        .mitigations
        .iter()
        .enumerate()
        .filter_map(|(k, r)| mitigation(k, r, &mut d))
        .collect();
    check_weeks(raw.weeks.as_ref(), &mut d);
    if !d.list.is_empty() {
        return Err(Error::Invalid(d.list));
    }
    Ok(Scenario {
        id: raw.id.get_ref().clone(),
        name: raw.name.clone(),
        description: raw.description.clone(),
        ecosystem: raw.ecosystem.clone(),
        sources: raw.sources.clone(),
        weeks: raw.weeks.as_ref().map(|w| *w.get_ref()),
        shocks,
        mitigations,
    })
}

/// The format tag is this version's, and the id is not empty.
fn check_header(raw: &RawScenario, d: &mut Diags) {
    if raw.format.get_ref() != FORMAT {
        d.push(
            raw.format.span().start,
            "scenario",
            "format",
            format!(
                "unsupported format `{}` (expected `{FORMAT}`)",
                raw.format.get_ref()
            ),
        );
    }
    if raw.id.get_ref().trim().is_empty() {
        d.push(raw.id.span().start, "scenario", "id", "id is empty".into());
    }
}

/// Shock number `k` (0-based): its inputs, share lost, supplier and duration. `None` when its
/// inputs or share lost cannot be read (other problems are listed but the shock is kept).
fn shock(k: usize, r: &RawShock, d: &mut Diags) -> Option<Shock> {
    let record = format!("shock #{} (supplier \"{}\")", k + 1, r.supplier.get_ref());
    let target = d.target(&r.inputs, &record);
    let lost = d.value(&r.lost, &record, "lost", 1.0);
    if r.supplier.get_ref().trim().is_empty() {
        d.push(
            r.supplier.span().start,
            &record,
            "supplier",
            "supplier is empty".into(),
        );
    }
    if let Some(w) = &r.duration_weeks
        && *w.get_ref() == 0
    {
        d.push(
            w.span().start,
            &record,
            "duration_weeks",
            "a duration of 0 weeks does nothing (leave it out for a permanent shock)".into(),
        );
    }
    Some(Shock {
        supplier: r.supplier.get_ref().trim().to_string(),
        target: target?,
        lost: lost?,
        start_week: r.start_week,
        duration_weeks: r.duration_weeks.as_ref().map(|w| *w.get_ref()),
        source: r.source.clone(),
        note: r.note.clone(),
        origin: d.origin(r.supplier.span().start, &record),
    })
}

/// Mitigation number `k` (0-based): its inputs, stock, substitution, spare capacity and ramps.
/// `None` when its inputs cannot be read; a value that cannot be read is left out.
fn mitigation(k: usize, r: &RawMitigation, d: &mut Diags) -> Option<Mitigation> {
    let record = format!("mitigation #{}", k + 1);
    let target = d.target(&r.inputs, &record);
    let mut field = |v: &Option<S<RawValue>>, name: &str, max: f64| {
        v.as_ref().and_then(|v| d.value(v, &record, name, max))
    };
    let stock_months = field(
        &r.stock_months,
        "stock_months",
        osa_model::validate::MAX_STORABILITY_MONTHS,
    );
    let substitution = field(&r.substitution, "substitution", 1.0);
    let spare_capacity = field(&r.spare_capacity, "spare_capacity", 1.0);
    for (name, w) in [
        ("substitution_ramp_weeks", &r.substitution_ramp_weeks),
        ("spare_ramp_weeks", &r.spare_ramp_weeks),
    ] {
        let max = f64::from(osa_disrupt::limits::MAX_WEEKS);
        if let Some(w) = w
            && !(w.get_ref().is_finite() && (0.0..=max).contains(w.get_ref()))
        {
            d.push(
                w.span().start,
                &record,
                name,
                format!("{} is outside 0-{max} weeks", w.get_ref()),
            );
        }
    }
    Some(Mitigation {
        target: target?,
        stock_months,
        substitution,
        substitution_ramp_weeks: r.substitution_ramp_weeks.as_ref().map(|w| *w.get_ref()),
        spare_capacity,
        spare_ramp_weeks: r.spare_ramp_weeks.as_ref().map(|w| *w.get_ref()),
        source: r.source.clone(),
        origin: d.origin(r.inputs.span().start, &record),
    })
}

/// The number of weeks shown, when given: not 0, and within osa's limit.
fn check_weeks(weeks: Option<&S<u32>>, d: &mut Diags) {
    let Some(w) = weeks else {
        return;
    };
    if *w.get_ref() == 0 {
        d.push(
            w.span().start,
            "scenario",
            "weeks",
            "weeks = 0 leaves no week to show".into(),
        );
    }
    if let Err(e) = osa_disrupt::limits::check_weeks("weeks", *w.get_ref()) {
        d.push(w.span().start, "scenario", "weeks", e.to_string());
    }
}

/// Renders a scenario in the canonical TOML form (parse → render → parse gives it back).
pub fn to_string(s: &Scenario) -> String {
    let raw = RawScenario {
        format: sp(FORMAT.to_string()),
        id: sp(s.id.clone()),
        name: s.name.clone(),
        description: s.description.clone(),
        ecosystem: s.ecosystem.clone(),
        sources: s.sources.clone(),
        weeks: s.weeks.map(sp),
        shocks: s
            .shocks
            .iter()
            .map(|k| RawShock {
                supplier: sp(k.supplier.clone()),
                inputs: sp(k.target.to_list()),
                lost: sp(RawValue::from(k.lost)),
                start_week: k.start_week,
                duration_weeks: k.duration_weeks.map(sp),
                source: k.source.clone(),
                note: k.note.clone(),
            })
            .collect(),
        mitigations: s
            .mitigations
            .iter()
            .map(|m| RawMitigation {
                inputs: sp(m.target.to_list()),
                stock_months: m.stock_months.map(|v| sp(RawValue::from(v))),
                substitution: m.substitution.map(|v| sp(RawValue::from(v))),
                substitution_ramp_weeks: m.substitution_ramp_weeks.map(sp),
                spare_capacity: m.spare_capacity.map(|v| sp(RawValue::from(v))),
                spare_ramp_weeks: m.spare_ramp_weeks.map(sp),
                source: m.source.clone(),
            })
            .collect(),
    };
    // The raw types hold only strings, numbers, arrays and tables, which TOML always renders.
    toml::to_string(&raw).unwrap_or_else(|e| unreachable!("scenario renders as TOML: {e}"))
}

/// Ids of the built-in scenarios.
pub fn builtin_names() -> Vec<&'static str> {
    BUILTIN.iter().map(|(n, _)| *n).collect()
}

/// A built-in scenario by id.
pub fn builtin(id: &str) -> Result<Scenario> {
    let (_, text) = BUILTIN.iter().find(|(n, _)| *n == id).ok_or_else(|| {
        Error::NotFound(format!(
            "no built-in scenario named `{id}` (built-ins: {})",
            builtin_names().join(", ")
        ))
    })?;
    parse(text, &format!("<built-in scenario {id}>"))
}

/// Reads a scenario file.
pub fn load_file(path: &Path) -> Result<Scenario> {
    parse(&read_text(path)?, &path.display().to_string())
}

/// A scenario argument: a file when one exists at that path, else a built-in id.
pub fn load(spec: &str) -> Result<Scenario> {
    let path = Path::new(spec);
    if path.is_file() {
        return load_file(path);
    }
    if builtin_names().contains(&spec) {
        return builtin(spec);
    }
    Err(Error::NotFound(format!(
        "`{spec}` is not a scenario file or a built-in scenario (built-ins: {})",
        builtin_names().join(", ")
    )))
}

/// The scenario files (`*.toml`) of a directory, by file name, each parsed.
pub fn list_dir(dir: &Path) -> Result<Vec<(String, Result<Scenario>)>> {
    let io = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
            out.push((path.display().to_string(), load_file(&path)));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_scenarios_parse_and_round_trip() {
        for name in builtin_names() {
            let s = builtin(name).expect(name);
            assert_eq!(s.id, name);
            assert!(!s.shocks.is_empty(), "{name}");
            assert!(
                s.sources.iter().any(|src| src.starts_with("seed L")),
                "{name} cites the seed"
            );
            let text = to_string(&s);
            let again = parse(&text, "round trip").expect("parses");
            assert_eq!(again, s);
            assert_eq!(to_string(&again), text);
        }
    }

    #[test]
    fn limits_in_scenario_files_name_line_and_field() {
        let base = to_string(&builtin("china-rare-earths").expect("built-in"));
        for (from, to, field) in [
            ("weeks = 52", "weeks = 99999999", "weeks"),
            (
                "spare_ramp_weeks = 26",
                "spare_ramp_weeks = 1e12",
                "spare_ramp_weeks",
            ),
        ] {
            assert!(base.contains(from), "{from}");
            let text = base.replace(from, to);
            let line = 1 + text.lines().position(|l| l.starts_with(to)).expect("line");
            let e = parse(&text, "sc.toml").expect_err(to);
            let d = &e.diagnostics()[0];
            assert_eq!((d.line, d.field.as_str()), (Some(line), field), "{e}");
        }
    }

    #[test]
    fn ranges_and_points_are_read() {
        let s = builtin("china-rare-earths").expect("built-in");
        assert_eq!(s.shocks[0].lost, Value::range(0.5, 1.0));
        assert_eq!(s.shocks[0].duration_weeks, Some(52));
        assert_eq!(s.mitigations[0].spare_ramp_weeks, Some(26.0));
        let t = builtin("taiwan-korea-leading-edge-outage").expect("built-in");
        assert_eq!(t.shocks[1].lost, Value::point(1.0));
    }

    #[test]
    fn errors_name_line_record_and_field() {
        let text = r#"format = "osa-scenario/1"
id = "bad"
name = "Bad"

[[shocks]]
supplier = "CHN"
inputs = ["gallium"]
lost = 1.5

[[mitigations]]
inputs = ["*", "neon"]
substitution = [0.5, 0.2]
"#;
        let e = parse(text, "bad.toml").expect_err("invalid");
        let d = e.diagnostics();
        assert_eq!(d.len(), 3, "{e}");
        assert_eq!((d[0].line, d[0].field.as_str()), (Some(8), "lost"));
        assert!(d[0].record.contains("shock #1"));
        assert!(d[0].message.contains("outside 0-1"));
        assert_eq!((d[1].line, d[1].field.as_str()), (Some(11), "inputs"));
        assert_eq!((d[2].line, d[2].field.as_str()), (Some(12), "substitution"));
        assert!(d[2].message.contains("backwards"));
        let e = parse(
            "format = \"osa-scenario/1\"\nid = \"x\"\nname = \"x\"\ncolour = 1\n",
            "f",
        )
        .expect_err("unknown field");
        assert_eq!(e.diagnostics()[0].line, Some(4));
    }
}
