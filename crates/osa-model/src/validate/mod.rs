//! Validation: turns an [`Ecosystem`] as written into a [`Checked`] one whose references are
//! resolved, or into the full list of [`Problem`]s an analyst must fix.
//!
//! Problems name the record (`input "N20" provision #2`) and the field; the loaders add the file and
//! line. Every problem is collected before returning, so one run shows everything that is wrong.

//!
//! The parts: [`Record`] and [`Problem`] (`problem.rs`); [`Checked`] and how providers and places
//! resolve (`checked.rs`); ids, firms, blocs and each input's references (`references.rs`);
//! provision records and share sums (`shares.rs`); cycles in the value chain (`cycles.rs`).

use crate::ecosystem::Ecosystem;
use cycles::find_cycles;
use problem::Collector;
use shares::check_provision;

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

mod checked;
mod cycles;
mod problem;
mod references;
mod shares;

pub use checked::{Checked, Place, Provider};
pub use problem::{Problem, Record};

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

/// Checks an ecosystem and resolves its references: the ids are unique and not reserved, the
/// firms' homes and the blocs' members are countries, the stages' provision is checked, each
/// input's stage, attributes, edges and provision are checked, and the value chain has no cycle.
/// Every problem is collected; any problem rejects the ecosystem.
pub fn validate(eco: Ecosystem) -> Result<Checked, Box<Rejected>> {
    let mut c = Collector::default();
    references::check_ids(&mut c, &eco);
    let index = references::Index::of(&eco);
    let firm_place = references::firm_places(&mut c, &eco);
    let user_blocs = references::user_blocs(&mut c, &eco);
    let stage_provision = eco
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| {
            check_provision(&mut c, &s.provision, &index.firm, |j| {
                Record::StageProvision(i, j)
            })
        })
        .collect();
    let links = references::input_links(&mut c, &eco, &index);
    find_cycles(&mut c, &eco, &links.goes_into, &links.is_type_of);
    if !c.problems.is_empty() {
        return Err(Box::new(Rejected {
            ecosystem: eco,
            problems: c.problems,
        }));
    }
    Ok(Checked {
        eco,
        input_by_id: index.input,
        stage_by_id: index.stage,
        firm_by_id: index.firm,
        input_stage: links.stage,
        firm_place,
        input_provision: links.provision,
        stage_provision,
        goes_into: links.goes_into,
        is_type_of: links.is_type_of,
        user_blocs,
    })
}

#[cfg(test)]
mod tests;
