//! Mitigation parameters of each plan node: the input's own substitutability and storability,
//! overridden by the scenario's mitigation records in order.

use super::Options;
use super::model::{Cold, Hot, NONE};
use super::targets::target_inputs;
use crate::error::Error;
use crate::scenario::{Scenario, Value};
use osa_model::Checked;

/// Per-node constants of the kernels.
pub(super) struct Params {
    pub(super) hot: Vec<Hot>,
    pub(super) cold: Vec<Cold>,
}

/// The input's own values: substitutability (clamped to 0-1) and stock months, no spare
/// capacity, no ramps, no mitigation record.
pub(super) fn own_parameters(checked: &Checked, nodes: &[usize], n_kinds: &[u32]) -> Params {
    let eco = checked.ecosystem();
    let hot = nodes
        .iter()
        .map(|&i| Hot {
            sigma: eco.inputs[i]
                .substitutability
                .unwrap_or(0.0)
                .clamp(0.0, 1.0),
            spare: 0.0,
            n_kinds: n_kinds[i],
            sigma_src: NONE,
            spare_src: NONE,
        })
        .collect();
    let cold = nodes
        .iter()
        .map(|&i| Cold {
            sub_ramp: 0.0,
            spare_ramp: 0.0,
            stock_months: eco.inputs[i].storability_months.unwrap_or(0.0).max(0.0),
            stock_src: NONE,
        })
        .collect();
    Params { hot, cold }
}

/// Applies the mitigation records in order to the plan nodes they name (`local`: input -> plan
/// node); returns each record's values (stock months, substitution, spare capacity).
pub(super) fn apply_mitigations(
    checked: &Checked,
    scenario: &Scenario,
    opts: &Options,
    local: &[u32],
    params: &mut Params,
    warnings: &mut Vec<String>,
) -> Result<Vec<[Option<Value>; 3]>, Error> {
    let mut mitigations = Vec::with_capacity(scenario.mitigations.len());
    for (r, mit) in scenario.mitigations.iter().enumerate() {
        let what = if mit.origin.is_empty() {
            format!("mitigation #{} on `{}`", r + 1, mit.target)
        } else {
            mit.describe()
        };
        let inputs = target_inputs(checked, &mit.target, &what, opts.strict, warnings)?;
        let r = r as u32;
        for i in inputs {
            let k = local[i];
            if k == u32::MAX {
                continue;
            }
            let (h, c) = (&mut params.hot[k as usize], &mut params.cold[k as usize]);
            if mit.stock_months.is_some() {
                c.stock_src = r;
            }
            if mit.substitution.is_some() {
                h.sigma_src = r;
            }
            if mit.spare_capacity.is_some() {
                h.spare_src = r;
            }
            if let Some(w) = mit.substitution_ramp_weeks {
                c.sub_ramp = w;
            }
            if let Some(w) = mit.spare_ramp_weeks {
                c.spare_ramp = w;
            }
        }
        mitigations.push([mit.stock_months, mit.substitution, mit.spare_capacity]);
    }
    Ok(mitigations)
}
