//! Seeded generators of synthetic value chains, for benchmarks and property tests.
//!
//! [`ecosystem`] builds a multi-tier chain: tier 0 holds materials, the last tier final outputs, the
//! tiers between tools and processes. Every input of tier k goes into a few inputs of tier k+1, so
//! the graph is acyclic and every path is as long as the number of tiers. Each input gets country
//! shares drawn from a heavy-tailed (Pareto) distribution, so that a few suppliers dominate as in
//! real supply chains, plus firm shares. The same spec and seed always give the same ecosystem
//! (ChaCha8 stream).

use osa_model::{Ecosystem, Firm, Input, InputKind, Provision, Stage, country};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Number of inputs.
    pub n_inputs: usize,
    /// Number of tiers (at least 2).
    pub n_tiers: usize,
    /// Mean number of `goes_into` edges per input (except the last tier).
    pub mean_out_degree: usize,
    /// Mean number of country provision records per input.
    pub countries_per_input: usize,
    /// Mean number of firm provision records per input.
    pub firms_per_input: usize,
    /// Number of firms to draw from.
    pub n_firms: usize,
    /// Number of countries to draw from (the first ones of the ISO list).
    pub n_countries: usize,
    /// Year of every share.
    pub year: i32,
    /// RNG seed.
    pub seed: u64,
    /// Share (0-1) of inputs below the last tier whose first link to the next tier is an
    /// `is_type_of` edge (the input is a kind of that category) instead of `goes_into`. At 0 the
    /// generator draws nothing for it, so chains are the same as before the field existed.
    pub type_of_share: f64,
}

impl Spec {
    /// About `n_inputs` inputs and `n_provision` provision records over 5 tiers.
    pub fn sized(n_inputs: usize, n_provision: usize, seed: u64) -> Spec {
        let per_input = (n_provision / n_inputs.max(1)).max(1);
        Spec {
            n_inputs,
            n_tiers: 5,
            mean_out_degree: 3,
            countries_per_input: (per_input * 6 / 10).max(1),
            firms_per_input: per_input - (per_input * 6 / 10).max(1).min(per_input),
            n_firms: (n_inputs / 10).max(10),
            n_countries: 200,
            year: 2024,
            seed,
            type_of_share: 0.0,
        }
    }

    /// About `n_edges` edges (goes_into plus is_type_of) over `n_inputs` inputs in 5 tiers, with
    /// `type_of_share` of the inputs linked to the next tier as kinds of a category, and few
    /// provision records (two country shares, one firm share per input on average): the
    /// propagation benchmark's network.
    pub fn edges(n_inputs: usize, n_edges: usize, type_of_share: f64, seed: u64) -> Spec {
        let n_tiers = 5;
        let linked = (n_inputs * (n_tiers - 1) / n_tiers).max(1);
        Spec {
            n_inputs,
            n_tiers,
            mean_out_degree: (n_edges / linked).max(1),
            countries_per_input: 2,
            firms_per_input: 1,
            n_firms: (n_inputs / 10).max(10),
            n_countries: 60,
            year: 2024,
            seed,
            type_of_share,
        }
    }
}

/// Heavy-tailed positive weights summing to `total` (percent), rounded to 0.1.
fn shares(rng: &mut ChaCha8Rng, k: usize, total: f64) -> Vec<f64> {
    // Pareto(alpha = 1.2) weights: u^(-1/alpha).
    let w: Vec<f64> = (0..k)
        .map(|_| {
            let u: f64 = rng.random_range(0.0001..1.0);
            u.powf(-1.0 / 1.2)
        })
        .collect();
    let sum: f64 = w.iter().sum();
    w.iter()
        .map(|x| ((x / sum * total) * 10.0).floor() / 10.0)
        .collect()
}

/// Generates a value chain: the countries to draw from, one stage per tier, the firms (each with a
/// home country), then each input in turn with its links to the next tier, its country shares and
/// its firm shares. The draws come in that order from one stream, so a spec and seed always give
/// the same chain.
pub fn ecosystem(spec: &Spec) -> Ecosystem {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let countries: Vec<String> = country::all_countries()
        .iter()
        .take(spec.n_countries.max(1))
        .map(|c| c.alpha3.to_string())
        .collect();
    let tiers = Tiers::new(spec);
    let stages = tiers.stages();
    let firms: Vec<Firm> = (0..spec.n_firms)
        .map(|f| Firm {
            id: format!("f{f}"),
            name: format!("Firm {f}"),
            country: Some(countries[rng.random_range(0..countries.len())].clone()),
            source: "synthetic".into(),
        })
        .collect();
    let mut chain = Chain {
        spec,
        rng,
        countries,
        firms,
        tiers,
    };
    let inputs = (0..chain.tiers.n).map(|i| chain.input(i)).collect();
    Ecosystem {
        id: "synthetic".into(),
        name: format!(
            "Synthetic chain ({} inputs, {} tiers, seed {})",
            chain.tiers.n, chain.tiers.count, spec.seed
        ),
        description: "Generated by osa-synth for benchmarks; not real data.".into(),
        sources: vec!["synthetic".into()],
        blocs: Vec::new(),
        stages,
        firms: chain.firms,
        inputs,
    }
}

/// How the inputs fall into tiers: `n` inputs (at least one per tier) over `count` tiers (at
/// least 2), input `i` in tier `i * count / n`.
struct Tiers {
    count: usize,
    n: usize,
    /// First input of each tier, plus `n`.
    starts: Vec<usize>,
}

impl Tiers {
    fn new(spec: &Spec) -> Tiers {
        let count = spec.n_tiers.max(2);
        let n = spec.n_inputs.max(count);
        let mut starts: Vec<usize> = (0..count).map(|t| (t * n).div_ceil(count)).collect();
        starts.push(n);
        Tiers { count, n, starts }
    }

    fn of(&self, i: usize) -> usize {
        i * self.count / self.n
    }

    /// One stage per tier.
    fn stages(&self) -> Vec<Stage> {
        (0..self.count)
            .map(|t| Stage {
                id: format!("t{t}"),
                name: format!("Tier {t}"),
                ..Stage::default()
            })
            .collect()
    }

    /// Materials first, final outputs last, tools and processes alternating between.
    fn kind(&self, t: usize) -> InputKind {
        match t {
            0 => InputKind::Material,
            x if x == self.count - 1 => InputKind::FinalOutput,
            x if x % 2 == 1 => InputKind::Tool,
            _ => InputKind::Process,
        }
    }
}

/// The generator's state while it draws the inputs.
struct Chain<'a> {
    spec: &'a Spec,
    rng: ChaCha8Rng,
    countries: Vec<String>,
    firms: Vec<Firm>,
    tiers: Tiers,
}

impl Chain<'_> {
    /// Input `i`: its links, country shares, firm shares, substitutability and storability.
    fn input(&mut self, i: usize) -> Input {
        let t = self.tiers.of(i);
        let (goes_into, is_type_of) = self.links(t);
        let mut provision = self.country_provision();
        provision.extend(self.firm_provision());
        Input {
            id: format!("n{i}"),
            name: format!("Input {i}"),
            kind: self.tiers.kind(t),
            stage: Some(format!("t{t}")),
            goes_into,
            is_type_of,
            substitutability: Some(self.rng.random_range(0.0..0.5)),
            storability_months: Some(self.rng.random_range(0.0..3.0)),
            sources: vec!["synthetic".into()],
            provision,
            ..Input::default()
        }
    }

    /// A few distinct inputs of the next tier (none from the last tier); with probability
    /// `type_of_share` the first becomes an `is_type_of` link instead of `goes_into`.
    fn links(&mut self, t: usize) -> (Vec<String>, Vec<String>) {
        let mut goes_into = Vec::new();
        if t + 1 < self.tiers.count {
            let (lo, hi) = (self.tiers.starts[t + 1], self.tiers.starts[t + 2]);
            let d = self
                .rng
                .random_range(1..=(2 * self.spec.mean_out_degree).max(1) - 1)
                .max(1);
            for _ in 0..d.min(hi - lo) {
                let target = format!("n{}", self.rng.random_range(lo..hi));
                if !goes_into.contains(&target) {
                    goes_into.push(target);
                }
            }
        }
        let mut is_type_of = Vec::new();
        if self.spec.type_of_share > 0.0
            && !goes_into.is_empty()
            && self.rng.random_range(0.0..1.0) < self.spec.type_of_share
        {
            is_type_of.push(goes_into.remove(0));
        }
        (goes_into, is_type_of)
    }

    /// Shares of distinct countries summing to about 98%.
    fn country_provision(&mut self) -> Vec<Provision> {
        let kc = self
            .rng
            .random_range(1..=(2 * self.spec.countries_per_input).max(2) - 1)
            .min(self.countries.len());
        let picked = distinct(&mut self.rng, kc, self.countries.len());
        picked
            .into_iter()
            .zip(shares(&mut self.rng, kc, 98.0))
            .map(|(c, s)| self.provision(self.countries[c].clone(), s))
            .collect()
    }

    /// Shares of distinct firms summing to about 95% (none when the spec asks for none).
    fn firm_provision(&mut self) -> Vec<Provision> {
        if self.spec.firms_per_input == 0 || self.firms.is_empty() {
            return Vec::new();
        }
        let kf = self
            .rng
            .random_range(0..=2 * self.spec.firms_per_input)
            .min(self.firms.len());
        let picked = distinct(&mut self.rng, kf, self.firms.len());
        picked
            .into_iter()
            .zip(shares(&mut self.rng, kf, 95.0))
            .map(|(f, s)| self.provision(self.firms[f].id.clone(), s))
            .collect()
    }

    fn provision(&self, provider: String, share: f64) -> Provision {
        Provision {
            provider,
            share: Some(share),
            year: Some(self.spec.year),
            source: "synthetic".into(),
            negligible: false,
        }
    }
}

/// `k` distinct indexes below `n` (k <= n), in the order drawn.
fn distinct(rng: &mut ChaCha8Rng, k: usize, n: usize) -> Vec<usize> {
    let mut picked: Vec<usize> = Vec::with_capacity(k);
    while picked.len() < k {
        let x = rng.random_range(0..n);
        if !picked.contains(&x) {
            picked.push(x);
        }
    }
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_chains_are_valid_and_reproducible() {
        let spec = Spec::sized(2_000, 20_000, 7);
        let a = ecosystem(&spec);
        let b = ecosystem(&spec);
        assert_eq!(a, b);
        let n_rows: usize = a.inputs.iter().map(|i| i.provision.len()).sum();
        assert!((15_000..25_000).contains(&n_rows), "{n_rows}");
        let checked = osa_model::validate(a).expect("valid");
        assert_eq!(checked.n_inputs(), 2_000);
    }

    #[test]
    fn type_of_links_replace_goes_into_links() {
        let mut spec = Spec::sized(1_000, 5_000, 3);
        let plain = ecosystem(&spec);
        assert!(plain.inputs.iter().all(|i| i.is_type_of.is_empty()));
        spec.type_of_share = 0.3;
        let mixed = ecosystem(&spec);
        let n_kinds = mixed
            .inputs
            .iter()
            .filter(|i| !i.is_type_of.is_empty())
            .count();
        // About 30% of the 800 inputs below the last tier.
        assert!((180..300).contains(&n_kinds), "{n_kinds}");
        osa_model::validate(mixed).expect("still acyclic and valid");
    }

    #[test]
    fn edge_sized_specs_hit_their_edge_count() {
        let eco = ecosystem(&Spec::edges(10_000, 40_000, 0.2, 1));
        let n_edges: usize = eco
            .inputs
            .iter()
            .map(|i| i.goes_into.len() + i.is_type_of.len())
            .sum();
        assert!((38_000..42_000).contains(&n_edges), "{n_edges}");
    }
}
