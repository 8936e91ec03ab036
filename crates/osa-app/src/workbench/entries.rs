//! A stored file's change in words, for a reviewer: the text before and after (osa TOML or the
//! JSON of a record) parsed and compared entry by entry, each entry's fields before and after.
//! Lists of tables (a scenario's shocks, the toolkit's instruments, the countries) are matched by
//! their id (or code, country, criterion, name; by position where they have none); tables of
//! tables (a case's dimensions) by their key; the rest are the file's general fields. Large
//! sections keep only the entries that change. Pure: no store, no baseline.

use serde::Serialize;
use serde_json::{Map, Value};

/// One field of an entry, before and after (`None`: absent).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// The field, in words (`share lost`, `strains 1 dimension`).
    pub field: String,
    /// Its value before.
    pub before: Option<String>,
    /// Its value after.
    pub after: Option<String>,
    /// Whether before and after differ.
    pub changed: bool,
}

/// One entry of a section (a shock, an instrument, a country, a criterion).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryChange {
    /// The entry in words (`Shock 1`, `Export controls (export_controls)`).
    pub entry: String,
    /// `added`, `removed`, `changed` or `unchanged`.
    pub status: &'static str,
    /// Its fields (for a changed entry of a large section, only those that change).
    pub fields: Vec<FieldChange>,
}

/// A section of a file (`General`, `Shocks`, `Instruments`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionChange {
    /// The section's title.
    pub title: String,
    /// Its entries, in the order of the new text (removed entries last).
    pub entries: Vec<EntryChange>,
    /// How many unchanged entries are left out.
    pub unchanged: usize,
}

/// How the `toml` crate writes a date as JSON.
const TOML_DATETIME: &str = "$__toml_private_datetime";

/// Sections with more entries than this keep only the entries that change.
const SMALL_SECTION: usize = 12;

/// Names an entry by (section key, entry key).
pub type EntryNames<'a> = dyn Fn(&str, &str) -> Option<String> + 'a;

/// How values are read: `ranges` says a list of two numbers is a range drawn from (scenarios).
#[derive(Clone, Copy, Default)]
pub struct Reading<'a> {
    /// A two-number list is a range from which runs draw.
    pub ranges: bool,
    /// Names entries by (section key, entry key), e.g. a criterion's question.
    pub names: Option<&'a EntryNames<'a>>,
}

impl std::fmt::Debug for Reading<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reading")
            .field("ranges", &self.ranges)
            .field("names", &self.names.is_some())
            .finish()
    }
}

/// Compares two TOML texts (`before` absent: a new file). Errors name the side that is not TOML.
pub fn diff_toml(
    before: Option<&str>,
    after: &str,
    r: Reading<'_>,
) -> Result<Vec<SectionChange>, String> {
    let parse = |t: &str, side: &str| {
        toml::from_str::<toml::Table>(t)
            .map_err(|e| format!("the text {side} is not TOML: {}", e.message()))
            .and_then(|t| serde_json::to_value(t).map_err(|e| e.to_string()))
    };
    let b = before
        .map(|t| parse(t, "before"))
        .transpose()?
        .unwrap_or(Value::Object(Map::new()));
    Ok(diff_values(&b, &parse(after, "after")?, r))
}

/// Compares two JSON texts (`before` absent: a new record).
pub fn diff_json(
    before: Option<&str>,
    after: &str,
    r: Reading<'_>,
) -> Result<Vec<SectionChange>, String> {
    let parse = |t: &str, side: &str| {
        serde_json::from_str::<Value>(t).map_err(|e| format!("the record {side}: {e}"))
    };
    let b = before
        .map(|t| parse(t, "before"))
        .transpose()?
        .unwrap_or(Value::Object(Map::new()));
    Ok(diff_values(&b, &parse(after, "after")?, r))
}

/// What a top-level key holds.
enum Shape {
    /// Scalars or lists of scalars: the general fields.
    Field,
    /// A list of tables.
    List,
    /// A table of tables.
    Map,
    /// A table of fields.
    Table,
}

fn shape(v: &Value) -> Shape {
    match v {
        Value::Array(a) if !a.is_empty() && a.iter().all(Value::is_object) => Shape::List,
        Value::Object(m) if !m.is_empty() && m.values().all(Value::is_object) => Shape::Map,
        Value::Object(_) => Shape::Table,
        _ => Shape::Field,
    }
}

/// Compares two parsed documents section by section.
pub fn diff_values(before: &Value, after: &Value, r: Reading<'_>) -> Vec<SectionChange> {
    let empty = Map::new();
    let b = before.as_object().unwrap_or(&empty);
    let a = after.as_object().unwrap_or(&empty);
    let mut keys: Vec<&String> = a.keys().collect();
    keys.extend(b.keys().filter(|k| !a.contains_key(*k)));
    let mut general = Vec::new();
    let mut sections = Vec::new();
    for k in keys {
        let (vb, va) = (b.get(k), a.get(k));
        let probe = va.or(vb).unwrap_or(&Value::Null);
        match shape(probe) {
            Shape::Field => general.extend(field_changes(&words(k), vb, va, r)),
            Shape::List => sections.push(list_section(k, vb, va, r)),
            Shape::Map => sections.push(map_section(k, vb, va, r)),
            Shape::Table => {
                let fields = field_changes("", vb, va, r);
                sections.push(section(
                    title(k),
                    vec![entry(title(k), vb.is_some(), va.is_some(), fields)],
                    false,
                ));
            }
        }
    }
    let mut out = Vec::new();
    if !general.is_empty() {
        out.push(section(
            "General".into(),
            vec![entry(
                "The file".into(),
                !b.is_empty(),
                !a.is_empty(),
                general,
            )],
            false,
        ));
    }
    out.extend(sections);
    out
}

fn entry(name: String, before: bool, after: bool, fields: Vec<FieldChange>) -> EntryChange {
    let status = match (before, after) {
        (false, _) => "added",
        (true, false) => "removed",
        _ if fields.iter().any(|f| f.changed) => "changed",
        _ => "unchanged",
    };
    EntryChange {
        entry: name,
        status,
        fields,
    }
}

/// A section; in a large one (or when `changed_only`), unchanged entries and fields left out.
fn section(title: String, mut entries: Vec<EntryChange>, changed_only: bool) -> SectionChange {
    let large = changed_only || entries.len() > SMALL_SECTION;
    let total = entries.len();
    if large {
        entries.retain(|e| e.status != "unchanged");
        for e in entries.iter_mut().filter(|e| e.status == "changed") {
            e.fields.retain(|f| f.changed);
        }
    }
    SectionChange {
        title,
        unchanged: total - entries.len(),
        entries,
    }
}

/// The key an entry of a list is matched by, and its name.
pub(super) fn identity(t: &Value, k: usize, singular: &str) -> (String, String) {
    for f in ["id", "code", "iso3", "country", "criterion"] {
        if let Some(v) = t.get(f).and_then(Value::as_str) {
            let name = match t.get("name").and_then(Value::as_str) {
                Some(n) if f == "id" || f == "code" => format!("{n} ({v})"),
                _ => v.to_string(),
            };
            return (v.to_string(), name);
        }
    }
    if let Some(n) = t.get("name").and_then(Value::as_str) {
        return (n.to_string(), n.to_string());
    }
    (format!("#{}", k + 1), format!("{singular} {}", k + 1))
}

fn list_section(key: &str, b: Option<&Value>, a: Option<&Value>, r: Reading<'_>) -> SectionChange {
    let singular = singular(&title(key));
    let items = |v: Option<&Value>| -> Vec<(String, String, Value)> {
        v.and_then(Value::as_array)
            .map(|xs| {
                xs.iter()
                    .enumerate()
                    .map(|(k, t)| {
                        let (id, name) = identity(t, k, &singular);
                        (id, name, t.clone())
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let (bs, as_) = (items(b), items(a));
    let named = |id: &str, name: String| {
        r.names
            .and_then(|f| f(key, id))
            .map_or(name, |n| format!("{n} ({id})"))
    };
    let mut entries = Vec::new();
    for (id, name, t) in &as_ {
        let old = bs.iter().find(|(i, _, _)| i == id).map(|(_, _, v)| v);
        let fields = field_changes("", old, Some(t), r);
        entries.push(entry(named(id, name.clone()), old.is_some(), true, fields));
    }
    for (id, name, t) in bs.iter().filter(|(i, _, _)| !as_.iter().any(|x| &x.0 == i)) {
        let fields = field_changes("", Some(t), None, r);
        entries.push(entry(named(id, name.clone()), true, false, fields));
    }
    section(title(key), entries, false)
}

fn map_section(key: &str, b: Option<&Value>, a: Option<&Value>, r: Reading<'_>) -> SectionChange {
    let empty = Map::new();
    let bm = b.and_then(Value::as_object).unwrap_or(&empty);
    let am = a.and_then(Value::as_object).unwrap_or(&empty);
    let mut keys: Vec<&String> = am.keys().collect();
    keys.extend(bm.keys().filter(|k| !am.contains_key(*k)));
    let entries = keys
        .into_iter()
        .map(|k| {
            let name = r.names.and_then(|f| f(key, k)).unwrap_or_else(|| words(k));
            let fields = field_changes("", bm.get(k), am.get(k), r);
            entry(name, bm.contains_key(k), am.contains_key(k), fields)
        })
        .collect();
    section(title(key), entries, false)
}

/// The fields of a value, flattened (`strains 1 dimension`), before and after.
fn field_changes(
    prefix: &str,
    b: Option<&Value>,
    a: Option<&Value>,
    r: Reading<'_>,
) -> Vec<FieldChange> {
    let mut fb = Vec::new();
    let mut fa = Vec::new();
    if let Some(v) = b {
        flatten(prefix, v, r, &mut fb);
    }
    if let Some(v) = a {
        flatten(prefix, v, r, &mut fa);
    }
    let mut out: Vec<FieldChange> = fa
        .iter()
        .map(|(k, v)| {
            let old = fb.iter().find(|(x, _)| x == k).map(|(_, v)| v.clone());
            FieldChange {
                changed: old.as_ref() != Some(v),
                field: k.clone(),
                before: old,
                after: Some(v.clone()),
            }
        })
        .collect();
    for (k, v) in fb.iter().filter(|(k, _)| !fa.iter().any(|(x, _)| x == k)) {
        out.push(FieldChange {
            field: k.clone(),
            before: Some(v.clone()),
            after: None,
            changed: true,
        });
    }
    out
}

fn join(prefix: &str, k: &str) -> String {
    if prefix.is_empty() {
        k.to_string()
    } else {
        format!("{prefix} {k}")
    }
}

fn flatten(prefix: &str, v: &Value, r: Reading<'_>, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) if m.len() == 1 && m.contains_key(TOML_DATETIME) => {
            out.push((prefix.to_string(), value_words(&m[TOML_DATETIME], r)));
        }
        Value::Object(m) => {
            for (k, x) in m {
                flatten(&join(prefix, &words(k)), x, r, out);
            }
        }
        Value::Array(xs) if xs.iter().any(|x| x.is_object() || x.is_array()) => {
            for (k, x) in xs.iter().enumerate() {
                flatten(&join(prefix, &(k + 1).to_string()), x, r, out);
            }
        }
        _ => out.push((
            if prefix.is_empty() {
                "value".into()
            } else {
                prefix.to_string()
            },
            value_words(v, r),
        )),
    }
}

/// A value in words: a range `0.5 to 1 (drawn)`, a list `a, b`, `yes`/`no`.
pub fn value_words(v: &Value, r: Reading<'_>) -> String {
    match v {
        Value::Null => "none".into(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
        Value::Number(n) => n
            .as_f64()
            .map_or_else(|| n.to_string(), |x| osa_view::format::r6(x).to_string()),
        Value::String(s) => s.clone(),
        Value::Array(xs) if r.ranges && xs.len() == 2 && xs.iter().all(Value::is_number) => {
            format!(
                "{} to {} (drawn)",
                value_words(&xs[0], r),
                value_words(&xs[1], r)
            )
        }
        Value::Array(xs) if xs.is_empty() => "none".into(),
        Value::Array(xs) => xs
            .iter()
            .map(|x| value_words(x, r))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(_) => "(a table)".into(),
    }
}

/// A key in words: `start_week` -> `start week`, with the few names a reader needs spelled out.
pub(super) fn words(k: &str) -> String {
    match k {
        "lost" => "share lost".into(),
        "stock_months" => "stock (months)".into(),
        "substitution" => "share switching to a substitute".into(),
        "spare_capacity" => "spare capacity of other suppliers".into(),
        "weeks" => "weeks simulated".into(),
        _ => k.replace(['_', '-'], " "),
    }
}

pub(super) fn title(k: &str) -> String {
    let w = words(k);
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

pub(super) fn singular(t: &str) -> String {
    t.strip_suffix("ies")
        .map(|s| format!("{s}y"))
        .or_else(|| t.strip_suffix('s').map(str::to_string))
        .unwrap_or_else(|| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCENARIO: &str = "id = \"x\"\nweeks = 52\n[[shocks]]\nsupplier = \"CHN\"\ninputs = [\"rare-earth-ores\"]\nlost = [0.5, 1.0]\nstart_week = 0\n\n[[mitigations]]\ninputs = [\"rare-earth-ores\"]\nstock_months = [2.0, 6.0]\n";

    fn field<'a>(s: &'a [SectionChange], sec: &str, f: &str) -> &'a FieldChange {
        let e = &s.iter().find(|x| x.title == sec).unwrap().entries[0];
        e.fields.iter().find(|x| x.field == f).unwrap()
    }

    #[test]
    fn a_scenario_reads_as_shocks_and_mitigations_field_by_field() {
        let after = SCENARIO.replace("lost = [0.5, 1.0]", "lost = [0.3, 0.8]");
        let r = Reading {
            ranges: true,
            names: None,
        };
        let s = diff_toml(Some(SCENARIO), &after, r).unwrap();
        let lost = field(&s, "Shocks", "share lost");
        assert_eq!(
            (lost.before.as_deref(), lost.after.as_deref(), lost.changed),
            (Some("0.5 to 1 (drawn)"), Some("0.3 to 0.8 (drawn)"), true)
        );
        let shocks = s.iter().find(|x| x.title == "Shocks").unwrap();
        assert_eq!(
            (shocks.entries[0].entry.as_str(), shocks.entries[0].status),
            ("Shock 1", "changed")
        );
        assert_eq!(
            field(&s, "Shocks", "inputs").after.as_deref(),
            Some("rare-earth-ores")
        );
        let m = field(&s, "Mitigations", "stock (months)");
        assert!(!m.changed && m.after.as_deref() == Some("2 to 6 (drawn)"));
        // A new file: every entry added.
        let s = diff_toml(None, SCENARIO, r).unwrap();
        assert!(
            s.iter()
                .all(|x| x.entries.iter().all(|e| e.status == "added"))
        );
    }

    #[test]
    fn large_lists_keep_only_what_changes_matched_by_id() {
        let mut before = String::new();
        for k in 0..20 {
            before.push_str(&format!(
                "[[instruments]]\nid = \"i{k}\"\nname = \"I {k}\"\nserves = [\"a\"]\n\n"
            ));
        }
        let after = before.replace(
            "id = \"i3\"\nname = \"I 3\"\nserves = [\"a\"]",
            "id = \"i3\"\nname = \"I 3\"\nserves = [\"a\", \"b\"]",
        );
        let s = diff_toml(Some(&before), &after, Reading::default()).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].unchanged, 19);
        let e = &s[0].entries[0];
        assert_eq!((e.entry.as_str(), e.status), ("I 3 (i3)", "changed"));
        assert_eq!(e.fields.len(), 1);
        assert_eq!(
            (e.fields[0].before.as_deref(), e.fields[0].after.as_deref()),
            (Some("a"), Some("a, b"))
        );
    }

    #[test]
    fn a_record_lists_its_criteria_by_name() {
        let b = r#"{"name":"A","ratings":[{"criterion":"c1","rating":"concern","text":"t","source":"seed L1"}]}"#;
        let a = r#"{"name":"A","ratings":[{"criterion":"c1","rating":"partial","text":"t","source":"seed L1"},{"criterion":"c2","rating":"unknown","text":"u","source":"seed L2"}]}"#;
        let names = |_: &str, id: &str| Some(format!("Question {id}"));
        let r = Reading {
            ranges: false,
            names: Some(&names),
        };
        let s = diff_json(Some(b), a, r).unwrap();
        let ratings = s.iter().find(|x| x.title == "Ratings").unwrap();
        assert_eq!(ratings.entries[0].entry, "Question c1 (c1)");
        assert_eq!(ratings.entries[1].status, "added");
        let f = &ratings.entries[0].fields[1];
        assert_eq!(
            (f.field.as_str(), f.before.as_deref(), f.after.as_deref()),
            ("rating", Some("concern"), Some("partial"))
        );
    }
}
