//! Resolving what a scenario names: target ids to inputs (a stage id to the processes declared in
//! it), supplier names to the world, a country, a bloc or a firm, and hints for unknown ids.

use crate::error::Error;
use crate::scenario::{ALL_SUPPLIERS, Target};
use osa_ecosystem::Holder;
use osa_model::{Blocs, Checked, InputKind};

/// A resolved supplier.
#[derive(Debug, Clone)]
pub(super) enum Supplier {
    World,
    Holder(Holder),
    Firm(usize),
}

/// Input and stage ids a target names that the ecosystem lacks.
pub fn unknown_ids(checked: &Checked, target: &Target) -> Vec<String> {
    match target {
        Target::All => Vec::new(),
        Target::Ids(ids) => ids
            .iter()
            .filter(|id| checked.input_index(id).is_none() && checked.stage_index(id).is_none())
            .cloned()
            .collect(),
    }
}

/// The inputs a target names: input ids as such, stage ids as the processes declared in the stage.
pub(super) fn target_inputs(
    checked: &Checked,
    target: &Target,
    what: &str,
    strict: bool,
    warnings: &mut Vec<String>,
) -> Result<Vec<usize>, Error> {
    let eco = checked.ecosystem();
    match target {
        Target::All => Ok((0..checked.n_inputs()).collect()),
        Target::Ids(ids) => {
            let mut out = Vec::new();
            for id in ids {
                if let Some(i) = checked.input_index(id) {
                    out.push(i);
                } else if let Some(s) = checked.stage_index(id) {
                    out.extend((0..checked.n_inputs()).filter(|&i| {
                        checked.input_stage(i) == Some(s)
                            && eco.inputs[i].kind == InputKind::Process
                    }));
                } else if strict {
                    return Err(Error::UnknownInput {
                        what: what.to_string(),
                        id: id.clone(),
                        ecosystem: eco.id.clone(),
                        hint: hint(checked, id),
                    });
                } else {
                    warnings.push(format!(
                        "{what}: ecosystem `{}` has no input or stage `{id}`; skipped",
                        eco.id
                    ));
                }
            }
            out.sort_unstable();
            out.dedup();
            Ok(out)
        }
    }
}

/// Edit distance between two short strings (insertions, deletions, substitutions).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// A hint for an unknown input id: inputs whose id or name contains it, or whose id is within a
/// typo of it.
pub fn hint(checked: &Checked, id: &str) -> String {
    let needle = id.to_lowercase();
    let close: Vec<String> = checked
        .ecosystem()
        .inputs
        .iter()
        .filter(|i| {
            let iid = i.id.to_lowercase();
            iid.contains(&needle)
                || i.name.to_lowercase().contains(&needle)
                || (iid.len() >= 3 && needle.contains(&iid))
                || (needle.len() >= 4 && edit_distance(&iid, &needle) <= 2)
        })
        .take(5)
        .map(|i| format!("{} ({})", i.id, i.name))
        .collect();
    if close.is_empty() {
        " (`osa metrics` lists the ids)".to_string()
    } else {
        format!("; did you mean: {}", close.join(", "))
    }
}

/// The supplier a shock names: the world (`*`), a country or bloc, or a firm.
pub(super) fn resolve_supplier(
    checked: &Checked,
    blocs: &Blocs,
    name: &str,
    shock: &str,
) -> Result<Supplier, Error> {
    if name == ALL_SUPPLIERS {
        return Ok(Supplier::World);
    }
    if let Some(h) = Holder::resolve(name, blocs) {
        return Ok(Supplier::Holder(h));
    }
    if let Some(f) = checked.firm_index(name) {
        return Ok(Supplier::Firm(f));
    }
    Err(Error::UnknownSupplier {
        supplier: name.to_string(),
        shock: shock.to_string(),
        blocs: blocs
            .iter()
            .map(|b| b.id.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    })
}
