//! Validation: turns an [`Ecosystem`] as written into a [`Checked`] one whose references are
//! resolved, or into the full list of [`Problem`]s an analyst must fix.
//!
//! Problems name the record (`input "N20" provision #2`) and the field; the loaders add the file and
//! line. Every problem is collected before returning, so one run shows everything that is wrong.

use crate::bloc::Bloc;
use crate::country::{CountryCode, Region};
use crate::ecosystem::{Ecosystem, Provision, UNATTRIBUTED};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;
use std::fmt;

/// Reserved provider id for firm-level share that the source does not attribute to any firm.
pub const UNATTRIBUTED_FIRMS: &str = "unattributed-firms";

/// Country shares of one input and year may sum to this many percentage points above 100 before
/// validation fails. Published datasets round each share, so sums of 101-102% are normal; 3 points
/// still catches real double counting. On top of it, every share of 1% or less adds
/// [`SMALL_SHARE_SLACK`] points, because sources round such shares up (ETO reports any share between
/// 0 and 1% as 1%; its dicing tools sum to 104% with six such rows).
pub const SHARE_SUM_TOLERANCE: f64 = 3.0;

/// Extra tolerance per share of 1% or less (see [`SHARE_SUM_TOLERANCE`]).
pub const SMALL_SHARE_SLACK: f64 = 1.0;

/// Which record a problem is about (indexes into the ecosystem's vectors).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Record {
    /// The ecosystem header.
    Ecosystem,
    /// `blocs[i]`.
    Bloc(usize),
    /// `stages[i]`.
    Stage(usize),
    /// `stages[i].provision[j]`.
    StageProvision(usize, usize),
    /// `firms[i]`.
    Firm(usize),
    /// `inputs[i]`.
    Input(usize),
    /// `inputs[i].provision[j]`.
    InputProvision(usize, usize),
}

impl Record {
    /// A human description, e.g. `input "N20" provision #2 (provider "NLD")`.
    pub fn describe(&self, eco: &Ecosystem) -> String {
        let prov = |p: Option<&Provision>, j: usize| match p {
            Some(p) => format!("provision #{} (provider \"{}\")", j + 1, p.provider),
            None => format!("provision #{}", j + 1),
        };
        match *self {
            Record::Ecosystem => format!("ecosystem \"{}\"", eco.id),
            Record::Bloc(i) => format!(
                "bloc \"{}\"",
                eco.blocs.get(i).map(|b| b.id.as_str()).unwrap_or("?")
            ),
            Record::Stage(i) => format!(
                "stage \"{}\"",
                eco.stages.get(i).map(|s| s.id.as_str()).unwrap_or("?")
            ),
            Record::StageProvision(i, j) => {
                let s = eco.stages.get(i);
                format!(
                    "stage \"{}\" {}",
                    s.map(|s| s.id.as_str()).unwrap_or("?"),
                    prov(s.and_then(|s| s.provision.get(j)), j)
                )
            }
            Record::Firm(i) => format!(
                "firm \"{}\"",
                eco.firms.get(i).map(|f| f.id.as_str()).unwrap_or("?")
            ),
            Record::Input(i) => format!(
                "input \"{}\"",
                eco.inputs.get(i).map(|f| f.id.as_str()).unwrap_or("?")
            ),
            Record::InputProvision(i, j) => {
                let inp = eco.inputs.get(i);
                format!(
                    "input \"{}\" {}",
                    inp.map(|s| s.id.as_str()).unwrap_or("?"),
                    prov(inp.and_then(|s| s.provision.get(j)), j)
                )
            }
        }
    }
}

/// One thing wrong with an ecosystem.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The record at fault.
    pub record: Record,
    /// The field at fault (`share`, `goes_into`, ...).
    pub field: &'static str,
    /// For list fields, which item (0-based).
    pub item: Option<usize>,
    /// What is wrong, quoting the bad value.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} field `{}`: {}",
            self.record, self.field, self.message
        )
    }
}

/// Where a firm is based: a country or a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Place {
    /// A country.
    Country(CountryCode),
    /// A region reported as one provider.
    Region(Region),
}

impl Place {
    /// The code (`NLD`, `EUR`).
    pub fn code(&self) -> &str {
        match self {
            Place::Country(c) => c.as_str(),
            Place::Region(r) => r.code,
        }
    }
}

/// A resolved provider of a provision record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    /// A country.
    Country(CountryCode),
    /// A region (counts as one provider in concentration measures).
    Region(Region),
    /// A firm, by index into `Ecosystem::firms`.
    Firm(usize),
    /// Country-level share the source does not attribute.
    Unattributed,
    /// Firm-level share the source does not attribute.
    UnattributedFirms,
}

impl Provider {
    /// Whether the record is on the country level (countries, regions, unattributed).
    pub fn is_country_level(&self) -> bool {
        matches!(
            self,
            Provider::Country(_) | Provider::Region(_) | Provider::Unattributed
        )
    }
}

/// An ecosystem whose references all resolve, with indexes for analysis.
#[derive(Debug, Clone)]
pub struct Checked {
    eco: Ecosystem,
    input_by_id: HashMap<String, usize>,
    stage_by_id: HashMap<String, usize>,
    firm_by_id: HashMap<String, usize>,
    input_stage: Vec<Option<usize>>,
    firm_place: Vec<Option<Place>>,
    input_provision: Vec<Vec<Provider>>,
    stage_provision: Vec<Vec<Provider>>,
    goes_into: Vec<Vec<usize>>,
    is_type_of: Vec<Vec<usize>>,
    user_blocs: Vec<Bloc>,
}

impl Checked {
    /// The ecosystem as written.
    pub fn ecosystem(&self) -> &Ecosystem {
        &self.eco
    }
    /// Gives the ecosystem back.
    pub fn into_ecosystem(self) -> Ecosystem {
        self.eco
    }
    /// Index of an input by id.
    pub fn input_index(&self, id: &str) -> Option<usize> {
        self.input_by_id.get(id).copied()
    }
    /// Index of a stage by id.
    pub fn stage_index(&self, id: &str) -> Option<usize> {
        self.stage_by_id.get(id).copied()
    }
    /// Index of a firm by id.
    pub fn firm_index(&self, id: &str) -> Option<usize> {
        self.firm_by_id.get(id).copied()
    }
    /// Declared stage of input `i`.
    pub fn input_stage(&self, i: usize) -> Option<usize> {
        self.input_stage[i]
    }
    /// Home of firm `i`.
    pub fn firm_place(&self, i: usize) -> Option<Place> {
        self.firm_place[i]
    }
    /// Resolved providers of input `i`'s provision records (same order).
    pub fn input_providers(&self, i: usize) -> &[Provider] {
        &self.input_provision[i]
    }
    /// Resolved providers of stage `i`'s provision records (same order).
    pub fn stage_providers(&self, i: usize) -> &[Provider] {
        &self.stage_provision[i]
    }
    /// Inputs that input `i` goes into.
    pub fn goes_into(&self, i: usize) -> &[usize] {
        &self.goes_into[i]
    }
    /// Inputs that input `i` is a type of.
    pub fn is_type_of(&self, i: usize) -> &[usize] {
        &self.is_type_of[i]
    }
    /// Downstream neighbours of input `i` over both edge kinds (what a disruption of `i` reaches next).
    pub fn downstream(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.goes_into[i]
            .iter()
            .chain(self.is_type_of[i].iter())
            .copied()
    }
    /// Number of inputs.
    pub fn n_inputs(&self) -> usize {
        self.eco.inputs.len()
    }
    /// Blocs defined in the ecosystem file.
    pub fn user_blocs(&self) -> &[Bloc] {
        &self.user_blocs
    }
    /// A provider's display code or name.
    pub fn provider_label(&self, p: Provider) -> String {
        match p {
            Provider::Country(c) => c.to_string(),
            Provider::Region(r) => r.code.to_string(),
            Provider::Firm(f) => self.eco.firms[f].name.clone(),
            Provider::Unattributed => UNATTRIBUTED.to_string(),
            Provider::UnattributedFirms => UNATTRIBUTED_FIRMS.to_string(),
        }
    }
}

/// Resolves a provider string; `Err` carries the message.
fn resolve_provider(raw: &str, firm_by_id: &HashMap<String, usize>) -> Result<Provider, String> {
    if raw == UNATTRIBUTED {
        return Ok(Provider::Unattributed);
    }
    if raw == UNATTRIBUTED_FIRMS {
        return Ok(Provider::UnattributedFirms);
    }
    if let Some(c) = CountryCode::parse(raw) {
        return Ok(Provider::Country(c));
    }
    if let Some(r) = crate::country::region(raw) {
        return Ok(Provider::Region(r));
    }
    if let Some(&f) = firm_by_id.get(raw) {
        return Ok(Provider::Firm(f));
    }
    if raw.len() == 3 && raw.bytes().all(|b| b.is_ascii_uppercase()) {
        Err(format!(
            "unknown country code `{raw}` (not ISO 3166-1 alpha-3)"
        ))
    } else if raw.is_empty() {
        Err("provider is empty".to_string())
    } else {
        Err(format!(
            "unknown provider `{raw}` (not a country code, a region, `{UNATTRIBUTED}`, or a declared firm id)"
        ))
    }
}

fn resolve_place(raw: &str) -> Result<Place, String> {
    if let Some(c) = CountryCode::parse(raw) {
        return Ok(Place::Country(c));
    }
    if let Some(r) = crate::country::region(raw) {
        return Ok(Place::Region(r));
    }
    Err(format!(
        "unknown country code `{raw}` (not ISO 3166-1 alpha-3)"
    ))
}

struct Collector {
    problems: Vec<Problem>,
}

impl Collector {
    fn push(&mut self, record: Record, field: &'static str, item: Option<usize>, message: String) {
        self.problems.push(Problem {
            record,
            field,
            item,
            message,
        });
    }
}

/// An ecosystem that failed validation, given back with its problems (so callers can describe the
/// records at fault without having cloned the ecosystem beforehand).
#[derive(Debug, Clone)]
pub struct Rejected {
    /// The ecosystem as written.
    pub ecosystem: Ecosystem,
    /// Everything wrong with it.
    pub problems: Vec<Problem>,
}

/// Largest plausible stock, in months of normal use (100 years; the disruption model's horizon).
pub const MAX_STORABILITY_MONTHS: f64 = 1200.0;

/// Checks an ecosystem and resolves its references.
pub fn validate(eco: Ecosystem) -> Result<Checked, Box<Rejected>> {
    let mut c = Collector {
        problems: Vec::new(),
    };

    // Identifiers: unique across stages, inputs and firms; not colliding with country codes.
    let mut seen: HashMap<String, Record> = HashMap::default();
    let mut claim = |c: &mut Collector, id: &str, rec: Record, what: &str| {
        if id.trim().is_empty() {
            c.push(rec, "id", None, format!("{what} id is empty"));
            return;
        }
        if let Err(m) = crate::id::check_id(id) {
            c.push(rec, "id", None, format!("{what} id: {m}"));
            return;
        }
        if let Some(prev) = seen.get(id) {
            c.push(
                rec,
                "id",
                None,
                format!(
                    "duplicate id `{id}` (already used by {})",
                    prev.describe(&eco)
                ),
            );
        } else {
            seen.insert(id.to_string(), rec);
        }
    };
    for (i, s) in eco.stages.iter().enumerate() {
        claim(&mut c, &s.id, Record::Stage(i), "stage");
    }
    for (i, s) in eco.inputs.iter().enumerate() {
        claim(&mut c, &s.id, Record::Input(i), "input");
    }
    for (i, f) in eco.firms.iter().enumerate() {
        claim(&mut c, &f.id, Record::Firm(i), "firm");
        if CountryCode::parse(&f.id).is_some()
            || crate::country::region(&f.id).is_some()
            || f.id == UNATTRIBUTED
            || f.id == UNATTRIBUTED_FIRMS
        {
            c.push(
                Record::Firm(i),
                "id",
                None,
                format!(
                    "firm id `{}` is reserved (a country, region or `unattributed`)",
                    f.id
                ),
            );
        }
    }

    let stage_by_id: HashMap<String, usize> = first_index(eco.stages.iter().map(|s| &s.id));
    let input_by_id: HashMap<String, usize> = first_index(eco.inputs.iter().map(|s| &s.id));
    let firm_by_id: HashMap<String, usize> = first_index(eco.firms.iter().map(|s| &s.id));

    // Firms' home countries.
    let mut firm_place = Vec::with_capacity(eco.firms.len());
    for (i, f) in eco.firms.iter().enumerate() {
        firm_place.push(match &f.country {
            None => None,
            Some(raw) => match resolve_place(raw) {
                Ok(p) => Some(p),
                Err(m) => {
                    c.push(Record::Firm(i), "country", None, m);
                    None
                }
            },
        });
    }

    // User blocs.
    let mut user_blocs = Vec::new();
    for (i, b) in eco.blocs.iter().enumerate() {
        if b.id.trim().is_empty() {
            c.push(Record::Bloc(i), "id", None, "bloc id is empty".into());
        } else if let Err(m) = crate::id::check_id(&b.id) {
            c.push(Record::Bloc(i), "id", None, format!("bloc id: {m}"));
        } else if CountryCode::parse(&b.id).is_some() {
            c.push(
                Record::Bloc(i),
                "id",
                None,
                format!("bloc id `{}` is a country code", b.id),
            );
        }
        let mut members = Vec::new();
        for (k, m) in b.members.iter().enumerate() {
            match CountryCode::parse(m) {
                Some(cc) => members.push(cc),
                None => c.push(
                    Record::Bloc(i),
                    "members",
                    Some(k),
                    format!("unknown country code `{m}` (not ISO 3166-1 alpha-3)"),
                ),
            }
        }
        if b.members.is_empty() {
            c.push(
                Record::Bloc(i),
                "members",
                None,
                "bloc has no members".into(),
            );
        }
        user_blocs.push(Bloc::undated(&b.id, &b.name, &members, &b.source));
    }

    // Stages and their provision.
    let mut stage_provision = Vec::with_capacity(eco.stages.len());
    for (i, s) in eco.stages.iter().enumerate() {
        let provs = check_provision(&mut c, &s.provision, &firm_by_id, |j| {
            Record::StageProvision(i, j)
        });
        stage_provision.push(provs);
    }

    // Inputs: stage, attributes, edges, provision.
    let mut input_stage = Vec::with_capacity(eco.inputs.len());
    let mut goes_into = Vec::with_capacity(eco.inputs.len());
    let mut is_type_of = Vec::with_capacity(eco.inputs.len());
    let mut input_provision = Vec::with_capacity(eco.inputs.len());
    for (i, inp) in eco.inputs.iter().enumerate() {
        let rec = Record::Input(i);
        input_stage.push(match &inp.stage {
            None => None,
            Some(s) => match stage_by_id.get(s) {
                Some(&k) => Some(k),
                None => {
                    c.push(rec, "stage", None, format!("unknown stage id `{s}`"));
                    None
                }
            },
        });
        if let Some(v) = inp.substitutability
            && !(v.is_finite() && (0.0..=1.0).contains(&v))
        {
            c.push(rec, "substitutability", None, format!("{v} is outside 0-1"));
        }
        if let Some(v) = inp.storability_months
            && !(v.is_finite() && (0.0..=MAX_STORABILITY_MONTHS).contains(&v))
        {
            c.push(
                rec,
                "storability_months",
                None,
                format!("{v} is outside 0-{MAX_STORABILITY_MONTHS} (months, up to 100 years)"),
            );
        }
        for (k, code) in inp.hs6.iter().enumerate() {
            if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
                c.push(
                    rec,
                    "hs6",
                    Some(k),
                    format!("`{code}` is not a six-digit HS code"),
                );
            }
        }
        let mut edges = |field: &'static str, list: &[String]| -> Vec<usize> {
            let mut out = Vec::new();
            for (k, target) in list.iter().enumerate() {
                match input_by_id.get(target) {
                    Some(&t) if t == i => c.push(
                        rec,
                        field,
                        Some(k),
                        format!("input `{target}` refers to itself (a cycle)"),
                    ),
                    Some(&t) => out.push(t),
                    None => {
                        let hint = if stage_by_id.contains_key(target) {
                            " (that is a stage; edges link inputs)"
                        } else {
                            ""
                        };
                        c.push(
                            rec,
                            field,
                            Some(k),
                            format!("unknown input id `{target}`{hint}"),
                        )
                    }
                }
            }
            out
        };
        goes_into.push(edges("goes_into", &inp.goes_into));
        is_type_of.push(edges("is_type_of", &inp.is_type_of));
        input_provision.push(check_provision(&mut c, &inp.provision, &firm_by_id, |j| {
            Record::InputProvision(i, j)
        }));
    }

    // Cycles over both edge kinds.
    find_cycles(&mut c, &eco, &goes_into, &is_type_of);

    if c.problems.is_empty() {
        Ok(Checked {
            eco,
            input_by_id,
            stage_by_id,
            firm_by_id,
            input_stage,
            firm_place,
            input_provision,
            stage_provision,
            goes_into,
            is_type_of,
            user_blocs,
        })
    } else {
        Err(Box::new(Rejected {
            ecosystem: eco,
            problems: c.problems,
        }))
    }
}

fn first_index<'a>(ids: impl Iterator<Item = &'a String>) -> HashMap<String, usize> {
    let mut out = HashMap::default();
    for (i, id) in ids.enumerate() {
        out.entry(id.clone()).or_insert(i);
    }
    out
}

fn check_provision(
    c: &mut Collector,
    rows: &[Provision],
    firm_by_id: &HashMap<String, usize>,
    rec: impl Fn(usize) -> Record,
) -> Vec<Provider> {
    let mut out = Vec::with_capacity(rows.len());
    // (year, level) -> (sum, last row, tolerance)
    let mut sums: BTreeMap<(Option<i32>, bool), (f64, usize, f64)> = BTreeMap::new();
    let mut seen: HashSet<(&str, Option<i32>)> = HashSet::default();
    for (j, p) in rows.iter().enumerate() {
        let provider = match resolve_provider(&p.provider, firm_by_id) {
            Ok(pr) => pr,
            Err(m) => {
                c.push(rec(j), "provider", None, m);
                Provider::Unattributed
            }
        };
        out.push(provider);
        if !seen.insert((p.provider.as_str(), p.year)) {
            c.push(
                rec(j),
                "provider",
                None,
                format!(
                    "duplicate provision: provider `{}` already has a record for year {}",
                    p.provider,
                    p.year.map_or("(none)".to_string(), |y| y.to_string())
                ),
            );
        }
        if let Some(y) = p.year
            && !(1900..=2100).contains(&y)
        {
            c.push(rec(j), "year", None, format!("{y} is not a plausible year"));
        }
        if let Some(s) = p.share {
            if !(s.is_finite() && (0.0..=100.0).contains(&s)) {
                c.push(
                    rec(j),
                    "share",
                    None,
                    format!("{s} is outside 0-100 (shares are percent of the world market)"),
                );
            } else {
                let e = sums
                    .entry((p.year, provider.is_country_level()))
                    .or_insert((0.0, j, SHARE_SUM_TOLERANCE));
                e.0 += s;
                e.1 = j;
                if s > 0.0 && s <= 1.0 {
                    e.2 += SMALL_SHARE_SLACK;
                }
            }
        }
    }
    for ((year, country_level), (sum, last, tolerance)) in sums {
        if sum > 100.0 + tolerance {
            let level = if country_level { "country" } else { "firm" };
            let year = year.map_or("(no year)".to_string(), |y| y.to_string());
            c.push(
                rec(last),
                "share",
                None,
                format!(
                    "{level} shares for year {year} sum to {sum:.1}%, above 100% plus the {tolerance} point rounding tolerance"
                ),
            );
        }
    }
    out
}

/// Depth-first search over both edge kinds; reports each back edge as a cycle.
fn find_cycles(
    c: &mut Collector,
    eco: &Ecosystem,
    goes_into: &[Vec<usize>],
    is_type_of: &[Vec<usize>],
) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    /// An out-edge: (target, field, item index in the field's list).
    type Edge = (usize, &'static str, usize);
    /// A DFS frame: (node, its out-edges, next edge to follow).
    type Frame = (usize, Vec<Edge>, usize);
    let n = goes_into.len();
    let mut mark = vec![Mark::New; n];
    let targets = |i: usize| -> Vec<Edge> {
        let field_index = |field: &[String], t: usize| {
            field
                .iter()
                .position(|id| id == &eco.inputs[t].id)
                .unwrap_or(0)
        };
        goes_into[i]
            .iter()
            .map(|&t| (t, "goes_into", field_index(&eco.inputs[i].goes_into, t)))
            .chain(
                is_type_of[i]
                    .iter()
                    .map(|&t| (t, "is_type_of", field_index(&eco.inputs[i].is_type_of, t))),
            )
            .collect()
    };
    for root in 0..n {
        if mark[root] != Mark::New {
            continue;
        }
        let mut stack: Vec<Frame> = vec![(root, targets(root), 0)];
        mark[root] = Mark::Open;
        while let Some(top) = stack.last_mut() {
            let (node, edges, pos) = (top.0, &top.1, top.2);
            if pos < edges.len() {
                let (t, field, item) = edges[pos];
                top.2 += 1;
                match mark[t] {
                    Mark::New => {
                        mark[t] = Mark::Open;
                        let e = targets(t);
                        stack.push((t, e, 0));
                    }
                    Mark::Open => {
                        let start = stack.iter().position(|f| f.0 == t).unwrap_or(0);
                        let mut path: Vec<&str> = stack[start..]
                            .iter()
                            .map(|f| eco.inputs[f.0].id.as_str())
                            .collect();
                        path.push(eco.inputs[t].id.as_str());
                        c.push(
                            Record::Input(node),
                            field,
                            Some(item),
                            format!("cycle in the value chain: {}", path.join(" -> ")),
                        );
                    }
                    Mark::Done => {}
                }
            } else {
                mark[node] = Mark::Done;
                stack.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ecosystem::{Firm, Input, Stage};

    fn input(id: &str, goes_into: &[&str]) -> Input {
        Input {
            id: id.into(),
            name: id.into(),
            goes_into: goes_into.iter().map(|s| s.to_string()).collect(),
            ..Input::default()
        }
    }

    fn prov(provider: &str, share: f64, year: i32) -> Provision {
        Provision {
            provider: provider.into(),
            share: Some(share),
            year: Some(year),
            source: "test".into(),
            negligible: false,
        }
    }

    fn eco(inputs: Vec<Input>) -> Ecosystem {
        Ecosystem {
            id: "t".into(),
            inputs,
            ..Ecosystem::default()
        }
    }

    fn messages(r: Result<Checked, Box<Rejected>>) -> Vec<(Record, &'static str, String)> {
        match r {
            Ok(_) => vec![],
            Err(r) => r
                .problems
                .into_iter()
                .map(|p| (p.record, p.field, p.message))
                .collect(),
        }
    }

    #[test]
    fn a_clean_ecosystem_resolves() {
        let mut a = input("a", &["b"]);
        a.provision = vec![prov("NLD", 90.0, 2022), prov("asml", 100.0, 2022)];
        let mut e = eco(vec![a, input("b", &[])]);
        e.firms.push(Firm {
            id: "asml".into(),
            name: "ASML".into(),
            country: Some("NLD".into()),
            source: String::new(),
        });
        let checked = validate(e).expect("valid");
        assert_eq!(checked.goes_into(0), &[1]);
        assert_eq!(
            checked.input_providers(0),
            &[
                Provider::Country(CountryCode::parse("NLD").expect("NLD")),
                Provider::Firm(0)
            ]
        );
    }

    #[test]
    fn share_over_100_is_rejected_naming_the_field() {
        let mut a = input("a", &[]);
        a.provision = vec![prov("NLD", 150.0, 2022)];
        let m = messages(validate(eco(vec![a])));
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].0, Record::InputProvision(0, 0));
        assert_eq!(m[0].1, "share");
        assert!(m[0].2.contains("150"), "{}", m[0].2);
    }

    #[test]
    fn unknown_country_is_rejected() {
        let mut a = input("a", &[]);
        a.provision = vec![prov("XYZ", 10.0, 2022)];
        let m = messages(validate(eco(vec![a])));
        assert_eq!(m[0].1, "provider");
        assert!(m[0].2.contains("unknown country code `XYZ`"));
    }

    #[test]
    fn sums_over_tolerance_are_rejected_but_rounding_is_not() {
        let mut a = input("a", &[]);
        a.provision = vec![prov("NLD", 60.0, 2022), prov("JPN", 42.0, 2022)];
        assert!(validate(eco(vec![a.clone()])).is_ok());
        // Shares of 1% or less may be rounded up: each adds a point of tolerance.
        let mut b = a.clone();
        b.provision[1].share = Some(38.0);
        for c in ["USA", "DEU", "KOR", "TWN", "SGP", "CHN"] {
            b.provision.push(prov(c, 1.0, 2022));
        }
        assert!(validate(eco(vec![b])).is_ok());
        a.provision.push(prov("USA", 2.0, 2022));
        let m = messages(validate(eco(vec![a.clone()])));
        assert_eq!(m.len(), 1);
        assert!(m[0].2.contains("sum to 104.0%"), "{}", m[0].2);
        // Different years do not add up.
        a.provision[2].year = Some(2019);
        assert!(validate(eco(vec![a])).is_ok());
    }

    #[test]
    fn cycles_are_found_with_their_path() {
        let e = eco(vec![
            input("a", &["b"]),
            input("b", &["c"]),
            input("c", &["a"]),
        ]);
        let m = messages(validate(e));
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].0, Record::Input(2));
        assert_eq!(m[0].1, "goes_into");
        assert_eq!(m[0].2, "cycle in the value chain: a -> b -> c -> a");
    }

    #[test]
    fn duplicates_and_unknown_references() {
        let mut e = eco(vec![input("a", &["zz"]), input("a", &[])]);
        e.inputs[0].stage = Some("nope".into());
        e.stages.push(Stage {
            id: "s".into(),
            ..Stage::default()
        });
        let m = messages(validate(e));
        let fields: Vec<&str> = m.iter().map(|x| x.1).collect();
        assert!(fields.contains(&"id"));
        assert!(fields.contains(&"stage"));
        assert!(fields.contains(&"goes_into"));
    }

    #[test]
    fn firm_ids_cannot_be_country_codes() {
        let mut e = eco(vec![]);
        e.firms.push(Firm {
            id: "USA".into(),
            name: "x".into(),
            country: Some("ZZZ".into()),
            source: String::new(),
        });
        let m = messages(validate(e));
        assert_eq!(m.len(), 2);
    }
}
