//! What is read from a screening: totals over groups of products (all, by a key), the suppliers
//! of the dependent products, and ecosystem inputs annotated with the screening of their HS6
//! codes.

use super::{ProductResult, Screening, Supplier};
use osa_model::Checked;
use std::collections::BTreeMap;

/// Totals over a group of products (a section, an end use, an ecosystem, or all).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Group {
    /// The group's key.
    pub key: String,
    /// Products screened.
    pub n_products: usize,
    /// Dependent products.
    pub n_dependent: usize,
    /// Extra-bloc imports of all its products.
    pub extra_imports: f64,
    /// Extra-bloc imports of its dependent products.
    pub dependent_imports: f64,
    /// The reference country's (China's) imports within the dependent products.
    pub dependent_chn: f64,
}

impl Group {
    /// Adds a product.
    pub fn add(&mut self, p: &ProductResult) {
        self.n_products += 1;
        self.extra_imports += p.extra_imports;
        if p.dependent {
            self.n_dependent += 1;
            self.dependent_imports += p.extra_imports;
            self.dependent_chn += p.chn_value;
        }
    }

    /// China's share of the dependent products' import value (0 when none).
    pub fn dependent_chn_share(&self) -> f64 {
        if self.dependent_imports > 0.0 {
            self.dependent_chn / self.dependent_imports
        } else {
            0.0
        }
    }

    /// The dependent products' share of the group's import value.
    pub fn dependent_value_share(&self) -> f64 {
        if self.extra_imports > 0.0 {
            self.dependent_imports / self.extra_imports
        } else {
            0.0
        }
    }
}

/// Totals over all products.
pub fn total(s: &Screening) -> Group {
    let mut g = Group {
        key: "all".into(),
        ..Group::default()
    };
    for p in &s.products {
        g.add(p);
    }
    g
}

/// Totals by a key of each product (sorted by key).
pub fn group_by(s: &Screening, key: impl Fn(&ProductResult) -> String) -> Vec<Group> {
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for p in &s.products {
        let k = key(p);
        groups
            .entry(k.clone())
            .or_insert_with(|| Group {
                key: k,
                ..Group::default()
            })
            .add(p);
    }
    groups.into_values().collect()
}

/// Suppliers of the dependent products: (entity, value, share of the dependent import value),
/// largest first.
pub fn dependent_suppliers(s: &Screening) -> Vec<Supplier> {
    let mut by: BTreeMap<u32, f64> = BTreeMap::new();
    let mut total = 0.0;
    for p in s.products.iter().filter(|p| p.dependent) {
        total += p.extra_imports;
        for sup in &p.suppliers {
            *by.entry(sup.entity).or_default() += sup.value;
        }
    }
    let mut out: Vec<Supplier> = by
        .into_iter()
        .map(|(entity, value)| Supplier {
            entity,
            value,
            share: if total > 0.0 { value / total } else { 0.0 },
        })
        .collect();
    out.sort_by(|a, b| b.value.total_cmp(&a.value).then(a.entity.cmp(&b.entity)));
    out
}

/// An ecosystem input that carries HS6 codes, with the screening of each code.
#[derive(Debug, Clone, PartialEq)]
pub struct InputTrade {
    /// Input index in the ecosystem.
    pub input: usize,
    /// Each HS6 code with the index of its result in `Screening::products` (`None`: the bloc does
    /// not import it from outside in that year, or the code is not a number).
    pub codes: Vec<(String, Option<usize>)>,
    /// Whether any of its codes is dependent.
    pub dependent: bool,
    /// Extra-bloc imports over its codes.
    pub extra_imports: f64,
    /// China's share of those imports.
    pub chn_share: f64,
}

/// Annotates every input with HS6 codes with its trade-based dependency.
pub fn annotate(eco: &Checked, s: &Screening) -> Vec<InputTrade> {
    let mut out = Vec::new();
    for (idx, input) in eco.ecosystem().inputs.iter().enumerate() {
        if input.hs6.is_empty() {
            continue;
        }
        let mut t = InputTrade {
            input: idx,
            codes: Vec::new(),
            dependent: false,
            extra_imports: 0.0,
            chn_share: 0.0,
        };
        let mut chn = 0.0;
        for code in &input.hs6 {
            let found = crate::rows::parse_hs6(code)
                .and_then(|k| s.products.binary_search_by_key(&k, |p| p.product).ok());
            if let Some(i) = found {
                let p = &s.products[i];
                t.dependent |= p.dependent;
                t.extra_imports += p.extra_imports;
                chn += p.chn_value;
            }
            t.codes.push((code.clone(), found));
        }
        t.chn_share = if t.extra_imports > 0.0 {
            chn / t.extra_imports
        } else {
            0.0
        };
        out.push(t);
    }
    out
}
