//! What validation gives: a [`Checked`] ecosystem whose references are resolved, with the
//! [`Provider`] of every provision record and the [`Place`] of every firm, and how provider and
//! place strings resolve.

use super::UNATTRIBUTED_FIRMS;
use crate::bloc::Bloc;
use crate::country::{CountryCode, Region};
use crate::ecosystem::{Ecosystem, UNATTRIBUTED};
use rustc_hash::FxHashMap as HashMap;

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
    pub(super) eco: Ecosystem,
    pub(super) input_by_id: HashMap<String, usize>,
    pub(super) stage_by_id: HashMap<String, usize>,
    pub(super) firm_by_id: HashMap<String, usize>,
    pub(super) input_stage: Vec<Option<usize>>,
    pub(super) firm_place: Vec<Option<Place>>,
    pub(super) input_provision: Vec<Vec<Provider>>,
    pub(super) stage_provision: Vec<Vec<Provider>>,
    pub(super) goes_into: Vec<Vec<usize>>,
    pub(super) is_type_of: Vec<Vec<usize>>,
    pub(super) user_blocs: Vec<Bloc>,
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
pub(super) fn resolve_provider(
    raw: &str,
    firm_by_id: &HashMap<String, usize>,
) -> Result<Provider, String> {
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

/// Resolves a firm's home (a country or region); `Err` carries the message.
pub(super) fn resolve_place(raw: &str) -> Result<Place, String> {
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
