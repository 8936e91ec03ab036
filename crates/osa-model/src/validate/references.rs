//! Checking the references of an ecosystem: ids (unique across stages, inputs and firms, and not
//! reserved), firms' homes, blocs' members, and each input's stage, attributes, HS codes, edges and
//! provision.

use super::checked::{Place, Provider, resolve_place};
use super::problem::{Collector, Record};
use super::shares::check_provision;
use super::{MAX_STORABILITY_MONTHS, UNATTRIBUTED_FIRMS};
use crate::bloc::Bloc;
use crate::country::CountryCode;
use crate::ecosystem::{Ecosystem, Input, UNATTRIBUTED};
use rustc_hash::FxHashMap as HashMap;

/// Ids must be unique across stages, inputs and firms, and well formed; firm ids must not be
/// country codes, regions or `unattributed`.
pub(super) fn check_ids(c: &mut Collector, eco: &Ecosystem) {
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
                    prev.describe(eco)
                ),
            );
        } else {
            seen.insert(id.to_string(), rec);
        }
    };
    for (i, s) in eco.stages.iter().enumerate() {
        claim(c, &s.id, Record::Stage(i), "stage");
    }
    for (i, s) in eco.inputs.iter().enumerate() {
        claim(c, &s.id, Record::Input(i), "input");
    }
    for (i, f) in eco.firms.iter().enumerate() {
        claim(c, &f.id, Record::Firm(i), "firm");
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
}

/// Stages, inputs and firms by id (the first record with an id, where ids repeat).
pub(super) struct Index {
    pub(super) stage: HashMap<String, usize>,
    pub(super) input: HashMap<String, usize>,
    pub(super) firm: HashMap<String, usize>,
}

impl Index {
    pub(super) fn of(eco: &Ecosystem) -> Index {
        Index {
            stage: first_index(eco.stages.iter().map(|s| &s.id)),
            input: first_index(eco.inputs.iter().map(|s| &s.id)),
            firm: first_index(eco.firms.iter().map(|s| &s.id)),
        }
    }
}

fn first_index<'a>(ids: impl Iterator<Item = &'a String>) -> HashMap<String, usize> {
    let mut out = HashMap::default();
    for (i, id) in ids.enumerate() {
        out.entry(id.clone()).or_insert(i);
    }
    out
}

/// Firms' home countries (or regions), where given.
pub(super) fn firm_places(c: &mut Collector, eco: &Ecosystem) -> Vec<Option<Place>> {
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
    firm_place
}

/// The blocs the ecosystem defines: a well-formed id that is not a country code, and at least one
/// member, every member a country.
pub(super) fn user_blocs(c: &mut Collector, eco: &Ecosystem) -> Vec<Bloc> {
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
    user_blocs
}

/// What each input's references resolve to, by input index.
pub(super) struct InputLinks {
    pub(super) stage: Vec<Option<usize>>,
    pub(super) goes_into: Vec<Vec<usize>>,
    pub(super) is_type_of: Vec<Vec<usize>>,
    pub(super) provision: Vec<Vec<Provider>>,
}

/// Checks every input, in order: its stage, attributes, HS codes, edges and provision.
pub(super) fn input_links(c: &mut Collector, eco: &Ecosystem, index: &Index) -> InputLinks {
    let n = eco.inputs.len();
    let mut links = InputLinks {
        stage: Vec::with_capacity(n),
        goes_into: Vec::with_capacity(n),
        is_type_of: Vec::with_capacity(n),
        provision: Vec::with_capacity(n),
    };
    for (i, inp) in eco.inputs.iter().enumerate() {
        links.stage.push(input_stage(c, i, inp, index));
        check_attributes(c, i, inp);
        links
            .goes_into
            .push(edges(c, i, "goes_into", &inp.goes_into, index));
        links
            .is_type_of
            .push(edges(c, i, "is_type_of", &inp.is_type_of, index));
        links
            .provision
            .push(check_provision(c, &inp.provision, &index.firm, |j| {
                Record::InputProvision(i, j)
            }));
    }
    links
}

/// The stage input `i` declares, if any.
fn input_stage(c: &mut Collector, i: usize, inp: &Input, index: &Index) -> Option<usize> {
    let s = inp.stage.as_ref()?;
    match index.stage.get(s) {
        Some(&k) => Some(k),
        None => {
            c.push(
                Record::Input(i),
                "stage",
                None,
                format!("unknown stage id `{s}`"),
            );
            None
        }
    }
}

/// Substitutability in 0-1, storability in 0-[`MAX_STORABILITY_MONTHS`], six-digit HS codes.
fn check_attributes(c: &mut Collector, i: usize, inp: &Input) {
    let rec = Record::Input(i);
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
}

/// The inputs one edge list of input `i` names; an edge to itself or to an unknown id is a
/// problem (with a hint when the id is a stage's).
fn edges(
    c: &mut Collector,
    i: usize,
    field: &'static str,
    list: &[String],
    index: &Index,
) -> Vec<usize> {
    let rec = Record::Input(i);
    let mut out = Vec::new();
    for (k, target) in list.iter().enumerate() {
        match index.input.get(target) {
            Some(&t) if t == i => c.push(
                rec,
                field,
                Some(k),
                format!("input `{target}` refers to itself (a cycle)"),
            ),
            Some(&t) => out.push(t),
            None => {
                let hint = if index.stage.contains_key(target) {
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
}
