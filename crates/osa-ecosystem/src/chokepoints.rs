//! Chokepoints: inputs where one holder (a country, region or bloc) supplies at least a given share,
//! ranked by how much of the value chain they feed. With the EU as holder this is the EU's strategic
//! indispensability (seed L1930-1962): the points of leverage that deter weaponized interdependence.

use crate::graph::{self, Reach};
use crate::holder::Holder;
use crate::metrics::InputMetrics;
use osa_model::{Checked, Place};

/// One chokepoint.
#[derive(Debug, Clone)]
pub struct Chokepoint {
    /// Input index.
    pub input: usize,
    /// Year of the shares.
    pub year: i32,
    /// The holder's share (0-1).
    pub share: f64,
    /// The places that make up the holder's share.
    pub parts: Vec<(Place, f64)>,
    /// Firms based in the holder, with their shares (0-1), where firm shares exist.
    pub firms: Vec<(usize, f64)>,
    /// Downstream reach.
    pub reach: Reach,
}

/// Whether a holder with `share` (0-1) of an input holds it as a chokepoint at `min_share`. A tiny
/// epsilon keeps a 90.0% share from failing a 0.9 threshold on float noise; a zero share never holds.
pub fn holds(share: f64, min_share: f64) -> bool {
    share + 1e-9 >= min_share && share > 0.0
}

/// Lists inputs where `holder` supplies at least `min_share` (0-1), ranked by downstream reach, then
/// share, then input id.
pub fn chokepoints(
    checked: &Checked,
    metrics: &[InputMetrics],
    holder: &Holder,
    min_share: f64,
) -> Vec<Chokepoint> {
    let mut out: Vec<Chokepoint> = metrics
        .iter()
        .filter_map(|m| {
            let shares = m.country.as_ref()?;
            let (share, parts) = holder.share(shares);
            if !holds(share, min_share) {
                return None;
            }
            let firms = m
                .firms
                .as_ref()
                .map(|f| {
                    f.shares
                        .iter()
                        .filter(|(firm, _)| {
                            checked
                                .firm_place(*firm)
                                .is_some_and(|p| holder.includes(&p, shares.year))
                        })
                        .copied()
                        .collect()
                })
                .unwrap_or_default();
            Some(Chokepoint {
                input: m.input,
                year: shares.year,
                share,
                parts,
                firms,
                reach: graph::reach(checked, m.input),
            })
        })
        .collect();
    let inputs = &checked.ecosystem().inputs;
    out.sort_by(|a, b| {
        b.reach
            .nodes
            .cmp(&a.reach.nodes)
            .then(b.share.total_cmp(&a.share))
            .then(inputs[a.input].id.cmp(&inputs[b.input].id))
    });
    out
}
