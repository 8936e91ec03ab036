//! Mutual dependency between two holders (seed L198-201, L1068-1080): what each depends on the other
//! for, and a balance score saying whether the dependency is mutual.
//!
//! The model (also in ARCHITECTURE.md, "Leverage"): holder A's leverage over B through input i is
//!
//! ```text
//! w_A(i) = s_A(i)^2 * (1 - sub(i)) * (1 + reach(i))
//! ```
//!
//! where `s_A(i)` is A's share (0-1) of the input's world supply, `sub(i)` its substitutability
//! (0 when unknown) and `reach(i)` the number of inputs it feeds downstream. The square makes
//! leverage rise faster than share: a 90% holder leaves others little room, a 10% holder none.
//! L(A over B) is the sum over all inputs; B's is symmetric. Then
//! `balance = (L_A - L_B) / (L_A + L_B)` in [-1, 1] (positive: A holds more leverage) and
//! `mutuality = 1 - |balance|` (1: perfectly mutual, 0: one-sided).

use crate::graph;
use crate::holder::Holder;
use crate::metrics::InputMetrics;
use osa_model::Checked;

/// One input through which one side depends on the other.
#[derive(Debug, Clone)]
pub struct Dependency {
    /// Input index.
    pub input: usize,
    /// Year of the shares.
    pub year: i32,
    /// Share of the side that holds the input (0-1).
    pub holder_share: f64,
    /// Share of the dependent side (0-1).
    pub dependent_share: f64,
    /// Substitutability used (0-1).
    pub substitutability: f64,
    /// Downstream reach (inputs fed).
    pub reach: usize,
    /// Leverage weight w(i).
    pub weight: f64,
}

/// The balance of dependency between two holders.
#[derive(Debug, Clone)]
pub struct Leverage {
    /// Side A id.
    pub a: String,
    /// Side B id.
    pub b: String,
    /// Inputs where A holds at least the listing threshold: what B depends on A for.
    pub b_depends_on_a: Vec<Dependency>,
    /// Inputs where B holds at least the listing threshold: what A depends on B for.
    pub a_depends_on_b: Vec<Dependency>,
    /// L(A over B), summed over all inputs.
    pub leverage_a: f64,
    /// L(B over A), summed over all inputs.
    pub leverage_b: f64,
    /// Inputs with shares considered.
    pub n_inputs: usize,
}

impl Leverage {
    /// (L_A - L_B) / (L_A + L_B); 0 when neither holds anything.
    pub fn balance(&self) -> f64 {
        let total = self.leverage_a + self.leverage_b;
        if total > 0.0 {
            (self.leverage_a - self.leverage_b) / total
        } else {
            0.0
        }
    }
    /// 1 - |balance|.
    pub fn mutuality(&self) -> f64 {
        1.0 - self.balance().abs()
    }
}

/// Leverage weight of a holder's share on one input.
pub fn weight(share: f64, substitutability: f64, reach: usize) -> f64 {
    share * share * (1.0 - substitutability) * (1.0 + reach as f64)
}

/// Computes the balance between `a` and `b`; inputs where a side holds at least `min_share` are listed.
pub fn leverage(
    checked: &Checked,
    metrics: &[InputMetrics],
    a: &Holder,
    b: &Holder,
    min_share: f64,
) -> Leverage {
    let mut out = Leverage {
        a: a.id().to_string(),
        b: b.id().to_string(),
        b_depends_on_a: Vec::new(),
        a_depends_on_b: Vec::new(),
        leverage_a: 0.0,
        leverage_b: 0.0,
        n_inputs: 0,
    };
    let inputs = &checked.ecosystem().inputs;
    for m in metrics {
        let Some(shares) = m.country.as_ref() else {
            continue;
        };
        out.n_inputs += 1;
        let (sa, _) = a.share(shares);
        let (sb, _) = b.share(shares);
        if sa <= 0.0 && sb <= 0.0 {
            continue;
        }
        let sub = inputs[m.input].substitutability.unwrap_or(0.0);
        let reach = graph::reach(checked, m.input).nodes;
        let (wa, wb) = (weight(sa, sub, reach), weight(sb, sub, reach));
        out.leverage_a += wa;
        out.leverage_b += wb;
        let dep = |holder_share, dependent_share, w| Dependency {
            input: m.input,
            year: shares.year,
            holder_share,
            dependent_share,
            substitutability: sub,
            reach,
            weight: w,
        };
        if sa > 0.0 && sa + 1e-9 >= min_share {
            out.b_depends_on_a.push(dep(sa, sb, wa));
        }
        if sb > 0.0 && sb + 1e-9 >= min_share {
            out.a_depends_on_b.push(dep(sb, sa, wb));
        }
    }
    let by_weight = |x: &Dependency, y: &Dependency| {
        y.weight
            .total_cmp(&x.weight)
            .then(inputs[x.input].id.cmp(&inputs[y.input].id))
    };
    out.b_depends_on_a.sort_by(by_weight);
    out.a_depends_on_b.sort_by(by_weight);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn weight_grows_with_share_and_reach_and_falls_with_substitutability(
            s in 0.0f64..1.0, ds in 0.0f64..0.5, sub in 0.0f64..1.0, reach in 0usize..100,
        ) {
            let s2 = (s + ds).min(1.0);
            prop_assert!(weight(s2, sub, reach) >= weight(s, sub, reach));
            prop_assert!(weight(s, sub, reach + 1) >= weight(s, sub, reach));
            prop_assert!(weight(s, (sub + 0.1).min(1.0), reach) <= weight(s, sub, reach));
        }
    }
}
