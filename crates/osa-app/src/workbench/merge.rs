//! Bringing a whole-file proposal up to date: a three-way merge entry by entry. The base is the
//! file the proposal was made against, "ours" the proposal's text, "theirs" the file published
//! now. Entries are what [`super::entries`] matches: the tables of a list by their id (code,
//! country, criterion, name; by position where they have none), the tables of a table of tables
//! by their key, and every other top-level key whole. An entry the proposal changed (or added, or
//! removed) and the published text did not is taken from the proposal; one both changed alike is
//! kept; one both changed differently is a conflict, and a merge with any conflict is refused
//! whole. TOML is edited in place on the published text (its comments and layout kept, the
//! proposal's entries as their author wrote them) and read back: the text must hold exactly the
//! merged entries, or the merge is refused. Pure: no store.

use super::entries::{identity, singular, title, words};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table};

/// The language of a stored text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// osa TOML (baseline files, scenarios), merged in place.
    Toml,
    /// JSON (records such as an application's assessment).
    Json,
}

/// Why a merge is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// Entries both sides changed differently, each in words.
    #[error("the proposal and the published text both changed {}", .0.join("; "))]
    Conflicts(Vec<String>),
    /// A text that cannot be read, or a merge that does not read back as merged.
    #[error("{0}")]
    Unreadable(String),
}

/// A merged text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The published text with the proposal's changes.
    pub text: String,
    /// The entries taken from the proposal, in words.
    pub taken: Vec<String>,
}

/// Which text a merged entry comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// The published text.
    Theirs,
    /// The proposal.
    Ours,
}

/// How a top-level key is merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Split {
    /// As one entry.
    Whole,
    /// A list of tables, entry by entry.
    List,
    /// A table of tables, member by member.
    Map,
}

/// What the merged document holds at a top-level key.
#[derive(Debug)]
enum Plan {
    /// The key as published.
    Keep,
    /// The proposal's value (absent: removed).
    Ours,
    /// A list's entries in order, each from one side (its index in that side's list).
    List(Vec<(Side, usize)>),
    /// A table's members, each from one side.
    Map(Vec<(String, Side)>),
}

/// The entries taken and the conflicts found so far.
#[derive(Debug, Default)]
struct Tally {
    taken: Vec<String>,
    conflicts: Vec<String>,
}

fn verb(b: Option<&Value>, x: Option<&Value>, past: bool) -> &'static str {
    match (b, x, past) {
        (None, _, false) => "adds",
        (_, None, false) => "removes",
        (_, _, false) => "changes",
        (None, _, true) => "added",
        (_, None, true) => "removed",
        (_, _, true) => "changed",
    }
}

impl Tally {
    /// Which side an entry comes from; a conflict is noted (and the published entry kept).
    fn decide(&mut self, name: &str, [b, o, t]: [Option<&Value>; 3]) -> Side {
        if o == b || o == t {
            Side::Theirs
        } else if t == b {
            self.taken.push(format!("{name} ({})", verb(b, o, true)));
            Side::Ours
        } else {
            self.conflicts.push(format!(
                "{name} (the proposal {} it; the published text {} it since)",
                verb(b, o, false),
                verb(b, t, true)
            ));
            Side::Theirs
        }
    }
}

fn parse(format: Format, text: &str, side: &str) -> Result<Value, MergeError> {
    let bad = |m: String| MergeError::Unreadable(format!("{side} cannot be read: {m}"));
    match format {
        Format::Toml => toml::from_str::<toml::Table>(text)
            .map_err(|e| bad(e.message().to_string()))
            .and_then(|t| serde_json::to_value(t).map_err(|e| bad(e.to_string()))),
        Format::Json => serde_json::from_str(text).map_err(|e| bad(e.to_string())),
    }
}

/// A value's members (none for a value that is not a table, or absent).
fn members(v: Option<&Value>) -> &Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    v.and_then(Value::as_object)
        .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
}

fn object(v: &Value) -> &Map<String, Value> {
    members(Some(v))
}

/// Merges the proposal's text (`ours`, made against `base`; `None`: a new file) onto the
/// published text (`theirs`).
pub fn merge(
    format: Format,
    base: Option<&str>,
    ours: &str,
    theirs: &str,
) -> Result<Merged, MergeError> {
    let b = match base {
        Some(t) => parse(format, t, "the text the proposal was made against")?,
        None => Value::Object(Map::new()),
    };
    let o = parse(format, ours, "the proposal's text")?;
    let t = parse(format, theirs, "the published text")?;
    let mut tally = Tally::default();
    let plans = plan(&b, &o, &t, &mut tally);
    if !tally.conflicts.is_empty() {
        return Err(MergeError::Conflicts(tally.conflicts));
    }
    let expected = apply_json(&plans, &o, &t);
    let text = match format {
        Format::Json => {
            serde_json::to_string(&expected).map_err(|e| MergeError::Unreadable(e.to_string()))?
        }
        Format::Toml => {
            let text = apply_toml(&plans, ours, theirs)?;
            if parse(format, &text, "the merged text")? != expected {
                return Err(MergeError::Unreadable(
                    "the merged text does not read back as the merged entries".into(),
                ));
            }
            text
        }
    };
    Ok(Merged {
        text,
        taken: tally.taken,
    })
}

/// The plan of every top-level key: the published text's keys, then the proposal's, then the base's.
fn plan(b: &Value, o: &Value, t: &Value, tally: &mut Tally) -> Vec<(String, Plan)> {
    let (bm, om, tm) = (object(b), object(o), object(t));
    let mut keys: Vec<&String> = tm.keys().collect();
    keys.extend(om.keys().filter(|k| !tm.contains_key(*k)));
    keys.extend(
        bm.keys()
            .filter(|k| !tm.contains_key(*k) && !om.contains_key(*k)),
    );
    keys.into_iter()
        .map(|k| {
            let vals = [bm.get(k), om.get(k), tm.get(k)];
            let p = match split(k, vals) {
                Split::Whole => whole_plan(k, vals, tally),
                Split::List => list_plan(k, vals, tally),
                Split::Map => map_plan(k, vals, tally),
            };
            (k.clone(), p)
        })
        .collect()
}

fn is_list(v: &Value) -> bool {
    matches!(v, Value::Array(a) if !a.is_empty() && a.iter().all(Value::is_object))
}

fn is_map(v: &Value) -> bool {
    matches!(v, Value::Object(m) if !m.is_empty() && m.values().all(Value::is_object))
}

/// How a key is merged: entry by entry only when every side holds it in the same shape (and a
/// list's entries have distinct ids).
fn split(k: &str, vals: [Option<&Value>; 3]) -> Split {
    let present: Vec<&Value> = vals.into_iter().flatten().collect();
    let one = singular(&title(k));
    let distinct = |v: &&Value| {
        let ids = list_entries(Some(*v), &one);
        ids.len() == ids.iter().map(|e| &e.0).collect::<HashSet<_>>().len()
    };
    if present.iter().all(|v| is_list(v)) && present.iter().all(distinct) {
        Split::List
    } else if present.iter().all(|v| is_map(v)) {
        Split::Map
    } else {
        Split::Whole
    }
}

fn whole_plan(k: &str, vals: [Option<&Value>; 3], tally: &mut Tally) -> Plan {
    let table = vals.into_iter().flatten().any(Value::is_object);
    let name = if table {
        title(k)
    } else {
        format!("the field “{}”", words(k))
    };
    match tally.decide(&name, vals) {
        Side::Theirs => Plan::Keep,
        Side::Ours => Plan::Ours,
    }
}

/// A list's entries: (id, name, value).
fn list_entries<'a>(v: Option<&'a Value>, one: &str) -> Vec<(String, String, &'a Value)> {
    v.and_then(Value::as_array)
        .map(|xs| {
            xs.iter()
                .enumerate()
                .map(|(k, x)| {
                    let (id, name) = identity(x, k, one);
                    (id, name, x)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A list's entries with their positions by id.
#[derive(Debug)]
struct Listed<'a> {
    items: Vec<(String, String, &'a Value)>,
    at: HashMap<String, usize>,
}

impl<'a> Listed<'a> {
    fn new(v: Option<&'a Value>, one: &str) -> Listed<'a> {
        let items = list_entries(v, one);
        let at = items
            .iter()
            .enumerate()
            .map(|(i, e)| (e.0.clone(), i))
            .collect();
        Listed { items, at }
    }

    fn get(&self, id: &str) -> Option<&'a Value> {
        self.at.get(id).map(|i| self.items[*i].2)
    }
}

/// Whether the published list keeps the base's order of the entries they share.
fn same_order(b: &Listed<'_>, t: &Listed<'_>) -> bool {
    let shared = |x: &Listed<'_>, y: &Listed<'_>| -> Vec<String> {
        x.items
            .iter()
            .filter(|e| y.at.contains_key(&e.0))
            .map(|e| e.0.clone())
            .collect()
    };
    shared(b, t) == shared(t, b)
}

/// A list entry by entry, in the proposal's order unless the published text reordered the
/// entries it shares with the base; the other side's new entries follow their predecessor.
fn list_plan(k: &str, [b, o, t]: [Option<&Value>; 3], tally: &mut Tally) -> Plan {
    let section = title(k);
    let one = singular(&section);
    let (bs, os, ts) = (
        Listed::new(b, &one),
        Listed::new(o, &one),
        Listed::new(t, &one),
    );
    // An entry is named as the base had it, where it had it.
    let mut pick = |id: &str, name: &str| -> Option<(Side, usize)> {
        let name = bs.at.get(id).map_or(name, |i| bs.items[*i].1.as_str());
        let side = tally.decide(
            &format!("{section}: {name}"),
            [bs.get(id), os.get(id), ts.get(id)],
        );
        let from = if side == Side::Ours { &os } else { &ts };
        from.at.get(id).map(|i| (side, *i))
    };
    let (first, second) = if same_order(&bs, &ts) {
        (&os, &ts)
    } else {
        (&ts, &os)
    };
    let firsts: Vec<(String, Option<(Side, usize)>)> = first
        .items
        .iter()
        .map(|(id, name, _)| (id.clone(), pick(id, name)))
        .collect();
    let picked: HashSet<&String> = firsts
        .iter()
        .filter(|x| x.1.is_some())
        .map(|x| &x.0)
        .collect();
    // The other side's new entries, each after the nearest entry before it that is kept.
    let mut after: HashMap<Option<String>, Vec<(Side, usize)>> = HashMap::new();
    let mut anchor: Option<String> = None;
    for (id, name, _) in &second.items {
        if first.at.contains_key(id) {
            if picked.contains(id) {
                anchor = Some(id.clone());
            }
        } else if let Some(p) = pick(id, name) {
            after.entry(anchor.clone()).or_default().push(p);
        }
    }
    let mut out = after.remove(&None).unwrap_or_default();
    for (id, p) in firsts {
        if let Some(p) = p {
            out.push(p);
            out.extend(after.remove(&Some(id)).unwrap_or_default());
        }
    }
    Plan::List(out)
}

fn map_plan(k: &str, [b, o, t]: [Option<&Value>; 3], tally: &mut Tally) -> Plan {
    let section = title(k);
    let (bm, om, tm) = (members(b), members(o), members(t));
    let mut keys: Vec<&String> = tm.keys().collect();
    keys.extend(om.keys().filter(|m| !tm.contains_key(*m)));
    let mut out = Vec::new();
    for m in keys {
        let name = format!("{section}: {}", words(m));
        let side = tally.decide(&name, [bm.get(m), om.get(m), tm.get(m)]);
        let from = if side == Side::Ours { om } else { tm };
        if from.contains_key(m) {
            out.push((m.clone(), side));
        }
    }
    Plan::Map(out)
}

/// The merged document as values (what the merged text must read back as).
fn apply_json(plans: &[(String, Plan)], o: &Value, t: &Value) -> Value {
    let (om, tm) = (object(o), object(t));
    let side = |s: Side| if s == Side::Ours { om } else { tm };
    let mut out = tm.clone();
    for (k, p) in plans {
        let v = match p {
            Plan::Keep => continue,
            Plan::Ours => om.get(k).cloned(),
            Plan::List(picks) if picks.is_empty() => None,
            Plan::List(picks) => Some(Value::Array(
                picks
                    .iter()
                    .filter_map(|(s, i)| side(*s).get(k)?.as_array()?.get(*i).cloned())
                    .collect(),
            )),
            Plan::Map(ms) if ms.is_empty() => None,
            Plan::Map(ms) => Some(Value::Object(
                ms.iter()
                    .filter_map(|(m, s)| Some((m.clone(), side(*s).get(k)?.get(m)?.clone())))
                    .collect(),
            )),
        };
        match v {
            Some(v) => out.insert(k.clone(), v),
            None => out.remove(k),
        };
    }
    Value::Object(out)
}

/// An item with no position in its document: placed after what precedes it where it is put.
fn fresh(mut item: Item) -> Item {
    fn clear_table(t: &mut Table) {
        t.set_position(None);
        for (_, v) in t.iter_mut() {
            clear(v);
        }
    }
    fn clear(item: &mut Item) {
        match item {
            Item::Table(t) => clear_table(t),
            Item::ArrayOfTables(a) => a.iter_mut().for_each(clear_table),
            _ => {}
        }
    }
    clear(&mut item);
    item
}

fn unwritable(what: &str) -> MergeError {
    MergeError::Unreadable(format!("the merged text cannot be written: {what}"))
}

/// The published text with the plan applied in place.
fn apply_toml(plans: &[(String, Plan)], ours: &str, theirs: &str) -> Result<String, MergeError> {
    let read = |t: &str, side: &str| {
        t.parse::<DocumentMut>()
            .map_err(|e| MergeError::Unreadable(format!("{side} cannot be read: {e}")))
    };
    let od = read(ours, "the proposal's text")?;
    let mut td = read(theirs, "the published text")?;
    for (k, p) in plans {
        let root = td.as_table_mut();
        match p {
            Plan::Keep => {}
            Plan::Ours => match od.get(k) {
                Some(i) => {
                    root.insert(k, fresh(i.clone()));
                }
                None => {
                    root.remove(k);
                }
            },
            Plan::List(picks) => set_list(root, od.as_table(), k, picks)?,
            Plan::Map(ms) => set_map(root, od.as_table(), k, ms)?,
        }
    }
    Ok(td.to_string())
}

/// A list's entries as items (the tables of an array of tables, or an inline array's values).
fn list_items(item: Option<&Item>) -> Vec<Item> {
    match item {
        Some(Item::ArrayOfTables(a)) => a.iter().cloned().map(Item::Table).collect(),
        Some(Item::Value(toml_edit::Value::Array(a))) => {
            a.iter().cloned().map(Item::Value).collect()
        }
        _ => Vec::new(),
    }
}

fn set_list(
    root: &mut Table,
    ours: &Table,
    k: &str,
    picks: &[(Side, usize)],
) -> Result<(), MergeError> {
    let theirs = list_items(root.get(k));
    let unchanged = picks.len() == theirs.len()
        && picks
            .iter()
            .enumerate()
            .all(|(j, p)| *p == (Side::Theirs, j));
    if unchanged {
        return Ok(());
    }
    if picks.is_empty() {
        root.remove(k);
        return Ok(());
    }
    let ours = list_items(ours.get(k));
    let tables = root.get(k).is_none_or(Item::is_array_of_tables);
    let mut items = Vec::new();
    for (s, i) in picks {
        let from = if *s == Side::Ours { &ours } else { &theirs };
        items.push(fresh(from.get(*i).cloned().ok_or_else(|| unwritable(k))?));
    }
    let item = if tables {
        let mut a = ArrayOfTables::new();
        for i in items {
            a.push(i.into_table().map_err(|_| unwritable(k))?);
        }
        Item::ArrayOfTables(a)
    } else {
        let mut a = toml_edit::Array::new();
        for i in items {
            a.push_formatted(i.into_value().map_err(|_| unwritable(k))?);
        }
        Item::Value(toml_edit::Value::Array(a))
    };
    root.insert(k, item);
    Ok(())
}

fn set_map(
    root: &mut Table,
    ours: &Table,
    k: &str,
    ms: &[(String, Side)],
) -> Result<(), MergeError> {
    if ms.is_empty() {
        root.remove(k);
        return Ok(());
    }
    if root.get(k).is_none() {
        let mut t = Table::new();
        t.set_implicit(true);
        root.insert(k, Item::Table(t));
    }
    let c = root
        .get_mut(k)
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| unwritable(k))?;
    let keep: HashSet<&str> = ms.iter().map(|(m, _)| m.as_str()).collect();
    let gone: Vec<String> = c
        .iter()
        .map(|(m, _)| m.to_string())
        .filter(|m| !keep.contains(m.as_str()))
        .collect();
    for m in gone {
        c.remove(&m);
    }
    let oc = ours.get(k).and_then(Item::as_table_like);
    for (m, _) in ms.iter().filter(|(_, s)| *s == Side::Ours) {
        let item = oc.and_then(|t| t.get(m)).ok_or_else(|| unwritable(k))?;
        c.insert(m, fresh(item.clone()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TOOLKIT: &str = "# The toolkit.\nformat = \"osa-toolkit/1\"\nweight = 1.0\n\n# Export controls first.\n[[instruments]]\nid = \"export_controls\"\nname = \"Export controls\"\nserves = [\"national_security\"]\n\n[[instruments.strains]]\ndimension = \"competitiveness\"\ntext = \"Lost sales.\"\n\n[[instruments]]\nid = \"regulation\"\nname = \"Regulation\"\nserves = [\"values_sustainability\"]\n\n[[rules]]\nid = \"r1\"\nwhen = \"level(national_security) >= 3\"\nweight = 2\n\n[tolerance.partner]\nnational_security = 0.5\n\n[tolerance.rival]\nnational_security = 0.3\n";

    fn toml(text: &str) -> Value {
        parse(Format::Toml, text, "t").unwrap()
    }

    #[test]
    fn disjoint_changes_both_survive_with_the_comments() {
        let ours = TOOLKIT.replace("name = \"Regulation\"", "name = \"Binding regulation\"");
        let theirs = TOOLKIT
            .replace("text = \"Lost sales.\"", "text = \"Lost sales abroad.\"")
            .replace("weight = 2", "weight = 3");
        let m = merge(Format::Toml, Some(TOOLKIT), &ours, &theirs).unwrap();
        assert!(
            m.text.contains("name = \"Binding regulation\""),
            "{}",
            m.text
        );
        assert!(m.text.contains("Lost sales abroad.") && m.text.contains("weight = 3"));
        assert!(
            m.text.starts_with("# The toolkit.\n") && m.text.contains("# Export controls first.\n")
        );
        assert_eq!(
            m.taken,
            vec!["Instruments: Regulation (regulation) (changed)"]
        );
    }

    #[test]
    fn the_same_entry_changed_differently_is_refused_naming_it() {
        let ours = TOOLKIT.replace("name = \"Regulation\"", "name = \"Binding regulation\"");
        let theirs = TOOLKIT.replace("name = \"Regulation\"", "name = \"Rules\"");
        let e = merge(Format::Toml, Some(TOOLKIT), &ours, &theirs).unwrap_err();
        assert_eq!(
            e,
            MergeError::Conflicts(vec!["Instruments: Regulation (regulation) (the proposal changes it; the published text changed it since)".into()])
        );
        // The same change on both sides is no conflict.
        let m = merge(Format::Toml, Some(TOOLKIT), &ours, &ours).unwrap();
        assert_eq!(toml(&m.text), toml(&ours));
    }

    #[test]
    fn additions_removals_and_members_are_carried() {
        let ours = format!(
            "{}\n[[instruments]]\nid = \"standards\"\nname = \"Standards\"\nserves = []\n",
            TOOLKIT.replace("[tolerance.rival]\nnational_security = 0.3\n", "")
        );
        let theirs = TOOLKIT.replace("national_security = 0.5", "national_security = 0.6");
        let m = merge(Format::Toml, Some(TOOLKIT), &ours, &theirs).unwrap();
        let v = toml(&m.text);
        assert_eq!(v["instruments"][2]["id"], "standards");
        assert_eq!(v["tolerance"]["partner"]["national_security"], 0.6);
        assert!(v["tolerance"].get("rival").is_none(), "{}", m.text);
        // Removed here, changed there: a conflict.
        let theirs = TOOLKIT.replace("national_security = 0.3", "national_security = 0.2");
        let e = merge(Format::Toml, Some(TOOLKIT), &ours, &theirs).unwrap_err();
        assert!(
            e.to_string()
                .contains("Tolerance: rival (the proposal removes it"),
            "{e}"
        );
    }

    #[test]
    fn json_records_merge_by_criterion() {
        let b = r#"{"name":"A","ratings":[{"criterion":"c1","rating":"concern"},{"criterion":"c2","rating":"unknown"}]}"#;
        let o = r#"{"name":"A","ratings":[{"criterion":"c1","rating":"partial"},{"criterion":"c2","rating":"unknown"}]}"#;
        let t = r#"{"name":"A","ratings":[{"criterion":"c1","rating":"concern"},{"criterion":"c2","rating":"concern"}]}"#;
        let m = merge(Format::Json, Some(b), o, t).unwrap();
        let v: Value = serde_json::from_str(&m.text).unwrap();
        assert_eq!(v["ratings"][0]["rating"], "partial");
        assert_eq!(v["ratings"][1]["rating"], "concern");
    }

    /// A small TOML document: general fields, a list of tables with ids, a table of tables.
    fn doc(fields: &[u8], items: &[(u8, u8)], members: &[u8]) -> String {
        let mut s = String::from("# generated\n");
        for (k, f) in fields.iter().enumerate() {
            s.push_str(&format!("f{k} = {f}\n"));
        }
        for (id, v) in items {
            s.push_str(&format!("\n[[items]]\nid = \"i{id}\"\nv = {v}\n"));
        }
        for (k, m) in members.iter().enumerate() {
            s.push_str(&format!("\n[group.m{k}]\nv = {m}\n"));
        }
        s
    }

    fn unique(xs: Vec<(u8, u8)>) -> Vec<(u8, u8)> {
        let mut seen = HashSet::new();
        xs.into_iter().filter(|x| seen.insert(x.0)).collect()
    }

    fn arb_doc() -> impl Strategy<Value = (Vec<u8>, Vec<(u8, u8)>, Vec<u8>)> {
        (
            proptest::collection::vec(0u8..4, 0..4),
            proptest::collection::vec((0u8..8, 0u8..4), 0..6).prop_map(unique),
            proptest::collection::vec(0u8..4, 0..4),
        )
    }

    proptest! {
        #[test]
        fn no_concurrent_change_gives_the_proposal_back(b in arb_doc(), o in arb_doc()) {
            let (base, ours) = (doc(&b.0, &b.1, &b.2), doc(&o.0, &o.1, &o.2));
            let m = merge(Format::Toml, Some(&base), &ours, &base).unwrap();
            prop_assert_eq!(toml(&m.text), toml(&ours));
            let m = merge(Format::Toml, Some(&base), &base, &ours).unwrap();
            prop_assert_eq!(toml(&m.text), toml(&ours));
        }

        #[test]
        fn disjoint_changes_both_survive(b in arb_doc(), f in 0u8..4, v in 0u8..4) {
            // Ours changes the general fields, theirs the list and the group.
            let base = doc(&b.0, &b.1, &b.2);
            let mut fields = b.0.clone();
            fields.push(f);
            let ours = doc(&fields, &b.1, &b.2);
            let items: Vec<(u8, u8)> = b.1.iter().map(|(i, x)| (*i, (x + v) % 4)).collect();
            let members: Vec<u8> = b.2.iter().map(|x| (x + v) % 4).collect();
            let theirs = doc(&b.0, &items, &members);
            let m = merge(Format::Toml, Some(&base), &ours, &theirs).unwrap();
            prop_assert_eq!(toml(&m.text), toml(&doc(&fields, &items, &members)));
        }
    }
}
