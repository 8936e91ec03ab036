//! A holder of supply: a country, a region, or a bloc taken as of a year. Chokepoint and leverage
//! questions ("where does the EU hold at least 90%?") are asked of holders.

use crate::shares::CountryShares;
use osa_model::{Bloc, Blocs, CountryCode, Place};

/// Who holds a share.
#[derive(Debug, Clone, PartialEq)]
pub enum Holder {
    /// A country or region.
    Place(Place),
    /// A bloc; membership is taken as of each share's year.
    Bloc(Bloc),
}

impl Holder {
    /// Resolves a name: a bloc id (`EU27`, `NATO`, a user bloc), an ISO3 code, or a region code.
    /// Blocs win over countries when both match.
    pub fn resolve(name: &str, blocs: &Blocs) -> Option<Holder> {
        if let Some(b) = blocs.get(name) {
            return Some(Holder::Bloc(b.clone()));
        }
        if let Some(c) = CountryCode::parse(name) {
            return Some(Holder::Place(Place::Country(c)));
        }
        osa_model::country::region(name).map(|r| Holder::Place(Place::Region(r)))
    }

    /// Display id (`EU27`, `NLD`).
    pub fn id(&self) -> &str {
        match self {
            Holder::Place(p) => p.code(),
            Holder::Bloc(b) => &b.id,
        }
    }

    /// Whether a place counts toward this holder in a year. A region counts toward the bloc it is
    /// declared to lie within (ETO's `EUR` toward `EU27`).
    pub fn includes(&self, place: &Place, year: i32) -> bool {
        match (self, place) {
            (Holder::Place(h), p) => h == p,
            (Holder::Bloc(b), Place::Country(c)) => b.contains(*c, year),
            (Holder::Bloc(b), Place::Region(r)) => r.within_bloc == Some(b.id.as_str()),
        }
    }

    /// The holder's share (0-1) of a year's country shares, and the places that make it up.
    pub fn share(&self, shares: &CountryShares) -> (f64, Vec<(Place, f64)>) {
        let parts: Vec<(Place, f64)> = shares
            .shares
            .iter()
            .filter(|(p, _)| self.includes(p, shares.year))
            .copied()
            .collect();
        (parts.iter().fold(0.0, |acc, p| acc + p.1), parts)
    }
}
