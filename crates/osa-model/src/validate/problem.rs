//! What validation reports: the [`Record`] at fault, and the [`Problem`] with it (field, item,
//! message), collected in a `Collector` so that one run lists everything wrong.

use crate::ecosystem::{Ecosystem, Provision};
use std::fmt;

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

/// Collects the problems of one validation run, in the order they are found.
#[derive(Default)]
pub(super) struct Collector {
    pub(super) problems: Vec<Problem>,
}

impl Collector {
    pub(super) fn push(
        &mut self,
        record: Record,
        field: &'static str,
        item: Option<usize>,
        message: String,
    ) {
        self.problems.push(Problem {
            record,
            field,
            item,
            message,
        });
    }
}
