//! GeoPolRisk: the geopolitical supply risk of an importer for a commodity (akoyamp/geopolrisk-py,
//! docs/background.rst; docs/trade.md).
//!
//! ```text
//! import risk  = Σ_i g_i · f_i / (p + F)
//! score        = HHI · import risk
//! midpoint     = score · price
//! CF           = midpoint / midpoint_Cu                (kg Cu-eq, relative to copper)
//! ```
//!
//! HHI is the concentration of global production (shares 0-1 of World Mining Data tonnes); f_i the
//! importer's imports of the commodity's HS6 codes from supplier i (quantity, tonnes); F = Σ_i f_i;
//! p the importer's domestic production (tonnes); g_i the supplier's political instability,
//! `(2.5 − WGI political stability estimate) / 5`, clamped to 0-1.
//!
//! For a bloc importer, f_i counts imports from non-members only and p sums the members'
//! production (geopolrisk-py asks for this aggregation in its issue #8). Import rows without a
//! quantity are left out of both the numerator and F (counted in `rows_without_quantity`). A
//! supplier without a political-stability estimate gets g = 0.5 (the scale's midpoint) and is
//! listed in `missing_weight`; geopolrisk-py gives such suppliers 0, which lowers the risk.

use osa_model::CountryCode;

/// One supplier's imports of the commodity.
#[derive(Debug, Clone, PartialEq)]
pub struct Supplier {
    /// `CHN`, or a BACI pseudo-country label.
    pub label: String,
    /// The country, when it is one.
    pub country: Option<CountryCode>,
    /// Tonnes (rows with a quantity).
    pub quantity: f64,
    /// Thousand US dollars (all rows).
    pub value: f64,
    /// g_i, when an estimate exists.
    pub weight: Option<f64>,
}

/// The result, with its inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct GeoPolRisk {
    /// Global production HHI (0-1).
    pub hhi: f64,
    /// Σ g_i · f_i.
    pub numerator: f64,
    /// F = Σ f_i (tonnes).
    pub total_imports: f64,
    /// p (tonnes).
    pub domestic_production: f64,
    /// Import risk.
    pub import_risk: f64,
    /// Score = HHI · import risk.
    pub score: f64,
    /// Suppliers, largest quantity first.
    pub suppliers: Vec<Supplier>,
    /// Suppliers counted at g = 0.5 for want of an estimate.
    pub missing_weight: Vec<String>,
}

/// Midpoint g for a supplier without an estimate.
pub const MISSING_WEIGHT: f64 = 0.5;

/// g from a WGI political-stability estimate.
pub fn political_weight(estimate: f64) -> f64 {
    ((2.5 - estimate) / 5.0).clamp(0.0, 1.0)
}

/// HHI of production quantities (shares of their sum; 0 when the sum is 0).
pub fn production_hhi(quantities: &[f64]) -> f64 {
    let total: f64 = quantities.iter().filter(|q| **q > 0.0).sum();
    if total <= 0.0 {
        return 0.0;
    }
    quantities
        .iter()
        .filter(|q| **q > 0.0)
        .map(|q| (q / total) * (q / total))
        .sum()
}

/// Computes import risk and score.
pub fn geopolrisk(hhi: f64, mut suppliers: Vec<Supplier>, domestic_production: f64) -> GeoPolRisk {
    suppliers.sort_by(|a, b| {
        b.quantity
            .total_cmp(&a.quantity)
            .then_with(|| a.label.cmp(&b.label))
    });
    let numerator: f64 = suppliers
        .iter()
        .map(|s| s.weight.unwrap_or(MISSING_WEIGHT) * s.quantity)
        .sum();
    let total_imports: f64 = suppliers.iter().map(|s| s.quantity).sum();
    let denominator = total_imports + domestic_production;
    let import_risk = if denominator > 0.0 {
        numerator / denominator
    } else {
        0.0
    };
    GeoPolRisk {
        hhi,
        numerator,
        total_imports,
        domestic_production,
        import_risk,
        score: hhi * import_risk,
        missing_weight: suppliers
            .iter()
            .filter(|s| s.weight.is_none() && s.quantity > 0.0)
            .map(|s| s.label.clone())
            .collect(),
        suppliers,
    }
}

/// Keeps the flows that enter an importer bloc from outside it, in one year, for a set of HS6
/// codes (a [`RowSink`](crate::rows::RowSink); one per worker thread).
#[derive(Debug, Clone)]
pub struct ImportFilter {
    year: u16,
    member: Vec<bool>,
    keep: Vec<bool>,
    /// The rows kept.
    pub rows: Vec<crate::rows::Row>,
}

impl ImportFilter {
    /// A filter for a year, membership by entity index, and HS6 codes.
    pub fn new(year: u16, member: Vec<bool>, products: &[u32]) -> ImportFilter {
        let mut keep = vec![false; 1_000_000];
        for &p in products {
            if let Some(k) = keep.get_mut(p as usize) {
                *k = true;
            }
        }
        ImportFilter {
            year,
            member,
            keep,
            rows: Vec::new(),
        }
    }
}

impl crate::rows::RowSink for ImportFilter {
    #[inline]
    fn row(&mut self, r: &crate::rows::Row) {
        if r.year == self.year
            && self.keep.get(r.product as usize).copied().unwrap_or(false)
            && self.member[r.importer_idx as usize]
            && !self.member[r.exporter_idx as usize]
        {
            self.rows.push(*r);
        }
    }
}

/// The characterisation factor relative to copper: `(score · price) / (score_Cu · price_Cu)`.
pub fn characterisation_factor(score: f64, price: f64, cu_score: f64, cu_price: f64) -> f64 {
    (score * price) / (cu_score * cu_price)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(label: &str, q: f64, g: Option<f64>) -> Supplier {
        Supplier {
            label: label.into(),
            country: CountryCode::parse(label),
            quantity: q,
            value: q,
            weight: g,
        }
    }

    #[test]
    fn formula_by_hand() {
        // Production 60/30/10 -> HHI 0.36 + 0.09 + 0.01 = 0.46.
        let hhi = production_hhi(&[60.0, 30.0, 10.0, 0.0]);
        assert!((hhi - 0.46).abs() < 1e-15);
        // Imports 100 t at g 0.6, 50 t at g 0.2, 50 t unknown (0.5); production 300 t.
        let r = geopolrisk(
            hhi,
            vec![
                s("CHN", 100.0, Some(0.6)),
                s("CAN", 50.0, Some(0.2)),
                s("TWN", 50.0, None),
            ],
            300.0,
        );
        assert_eq!(r.numerator, 60.0 + 10.0 + 25.0);
        assert_eq!(r.total_imports, 200.0);
        assert_eq!(r.import_risk, 95.0 / 500.0);
        assert!((r.score - 0.46 * 0.19).abs() < 1e-15);
        assert_eq!(r.missing_weight, vec!["TWN".to_string()]);
        assert_eq!(political_weight(-0.3314658999443054), 0.5662931799888611);
        assert_eq!(political_weight(-3.0), 1.0);
        assert_eq!(characterisation_factor(0.5, 2.0, 0.25, 4.0), 1.0);
    }
}
