//! One input with its place in the value chain and its shares in every year the data has (the
//! explorer's input page).

use super::{FirmShare, HHI_FORMULA, SourceRow, firm_share, share_map, source_rows};
use crate::format::{r6, r6o};
use osa_ecosystem::CountryShares;
use osa_model::Checked;
use serde::Serialize;
use std::collections::BTreeMap;

/// Another input, as an input's page links to it.
#[derive(Debug, Clone, Serialize)]
pub struct InputLink {
    /// Input id.
    pub id: String,
    /// Input name.
    pub name: String,
}

/// One year of an input's shares: who provides it, by country and by firm, and the rows behind.
#[derive(Debug, Clone, Serialize)]
pub struct InputYear {
    /// The year.
    pub year: i32,
    /// Country (ISO3, or region code) to share, 0-1; empty when the year has firm rows only and
    /// none with a home country.
    pub shares: BTreeMap<String, f64>,
    /// Unattributed country-level share, 0-1.
    pub unattributed: Option<f64>,
    /// `reported` (country records) or `from_firms` (summed from firm shares).
    pub basis: Option<String>,
    /// Raw share sum (0-1 scale) when it exceeded 1 and shares were scaled down.
    pub scaled_from: Option<f64>,
    /// Country HHI, 0-1.
    pub hhi: Option<f64>,
    /// Holder (the ones asked for) to share, 0-1.
    pub holder_shares: BTreeMap<String, f64>,
    /// The holders (of those asked for) that hold the input as a chokepoint this year.
    pub chokepoints: Vec<String>,
    /// Firms with a share, largest first.
    pub firms: Vec<FirmShare>,
    /// Firm-level share the source leaves unattributed, 0-1.
    pub firms_unattributed: Option<f64>,
    /// Firms named for the year, with or without a share.
    pub firms_named: usize,
    /// Firm-level HHI, where firm shares exist.
    pub firm_hhi: Option<f64>,
    /// The provision rows of the year (countries and firms), as written.
    pub rows: Vec<SourceRow>,
}

/// One input with its place in the value chain and its shares in every year the data has (the
/// explorer's input page).
#[derive(Debug, Clone, Serialize)]
pub struct InputView {
    /// Input id.
    pub id: String,
    /// Input name.
    pub name: String,
    /// Input kind.
    pub kind: String,
    /// Description.
    pub description: String,
    /// Stage id (declared or inferred).
    pub stage: Option<String>,
    /// Stage name.
    pub stage_name: Option<String>,
    /// Whether the stage was inferred from downstream inputs.
    pub stage_inferred: bool,
    /// What it goes into.
    pub goes_into: Vec<InputLink>,
    /// What goes into it.
    pub comes_from: Vec<InputLink>,
    /// The broader inputs it is a type of.
    pub is_type_of: Vec<InputLink>,
    /// The inputs that are a type of it.
    pub types: Vec<InputLink>,
    /// HS six-digit codes standing for it.
    pub hs6: Vec<String>,
    /// Short-run share (0-1) of its use that can switch to a substitute.
    pub substitutability: Option<f64>,
    /// Substitutes, as written.
    pub substitutes: Vec<String>,
    /// Months of use a user can hold in stock.
    pub storability_months: Option<f64>,
    /// Analyst notes.
    pub notes: String,
    /// Sources of the description and attributes.
    pub sources: Vec<String>,
    /// The chokepoint threshold applied, 0-1.
    pub min_share: f64,
    /// Every year with shares, oldest first.
    pub years: Vec<InputYear>,
    /// How the HHI is computed.
    pub formula: &'static str,
}

/// One year of an input's shares, with each holder's share and whether it holds the input.
fn input_year(
    checked: &Checked,
    i: usize,
    year: i32,
    holders: &[osa_ecosystem::Holder],
    min_share: f64,
) -> InputYear {
    use osa_ecosystem::shares;
    let rows = &checked.ecosystem().inputs[i].provision;
    let providers = checked.input_providers(i);
    let c = shares::country_shares(checked, rows, providers, year);
    let f = shares::firm_shares(rows, providers, year);
    let mut holder_shares = BTreeMap::new();
    let mut chokepoints = Vec::new();
    if let Some(c) = &c {
        for h in holders {
            let s = h.share(c).0;
            holder_shares.insert(h.id().to_string(), r6(s));
            if osa_ecosystem::chokepoints::holds(s, min_share) {
                chokepoints.push(h.id().to_string());
            }
        }
    }
    let used: Vec<usize> = (0..rows.len())
        .filter(|&j| rows[j].year == Some(year))
        .collect();
    InputYear {
        year,
        shares: share_map(c.as_ref()),
        unattributed: r6o(c.as_ref().map(|c| c.unattributed)),
        basis: c.as_ref().map(|c| c.basis.as_str().to_string()),
        scaled_from: r6o(c.as_ref().and_then(|c| c.scaled_from)),
        hhi: r6o(c.as_ref().map(CountryShares::hhi)),
        holder_shares,
        chokepoints,
        firms: f
            .as_ref()
            .map(|f| {
                f.shares
                    .iter()
                    .map(|&(firm, s)| firm_share(checked, firm, s))
                    .collect()
            })
            .unwrap_or_default(),
        firms_unattributed: r6o(f.as_ref().map(|f| f.unattributed)),
        firms_named: f.as_ref().map_or(0, |f| f.n_named),
        firm_hhi: r6o(f.as_ref().and_then(|f| f.hhi())),
        rows: source_rows(rows, &used),
    }
}

/// Builds an input's view: its links in the value chain and its shares in every year with data,
/// with the share of each of `holders` and whether it holds the input at `min_share`.
pub fn input_view(
    checked: &Checked,
    i: usize,
    holders: &[osa_ecosystem::Holder],
    min_share: f64,
) -> InputView {
    use osa_ecosystem::shares;
    let eco = checked.ecosystem();
    let inp = &eco.inputs[i];
    let link = |j: usize| InputLink {
        id: eco.inputs[j].id.clone(),
        name: eco.inputs[j].name.clone(),
    };
    let (stage, stage_inferred) = osa_ecosystem::graph::stages(checked)[i];
    let years = shares::years_with_shares(&inp.provision)
        .into_iter()
        .map(|year| input_year(checked, i, year, holders, min_share))
        .collect();
    InputView {
        id: inp.id.clone(),
        name: inp.name.clone(),
        kind: inp.kind.as_str().to_string(),
        description: inp.description.clone(),
        stage: stage.map(|s| eco.stages[s].id.clone()),
        stage_name: stage.map(|s| eco.stages[s].name.clone()),
        stage_inferred,
        goes_into: checked.goes_into(i).iter().map(|&j| link(j)).collect(),
        comes_from: (0..checked.n_inputs())
            .filter(|&j| checked.goes_into(j).contains(&i))
            .map(link)
            .collect(),
        is_type_of: checked.is_type_of(i).iter().map(|&j| link(j)).collect(),
        types: (0..checked.n_inputs())
            .filter(|&j| checked.is_type_of(j).contains(&i))
            .map(link)
            .collect(),
        hs6: inp.hs6.clone(),
        substitutability: inp.substitutability,
        substitutes: inp.substitutes.clone(),
        storability_months: inp.storability_months,
        notes: inp.notes.clone(),
        sources: inp.sources.clone(),
        min_share: r6(min_share),
        years,
        formula: HHI_FORMULA,
    }
}
