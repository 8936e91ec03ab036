//! Step 3 of the method (seed L1055-1085): the geopolitical context of a dependency. Country
//! profiles (relationship to the EU per dimension, regime, governance, coercion history, legal
//! exposure of its firms), the likelihood that a supplier weaponizes a dependency, and risk =
//! severity x likelihood judged against a tolerance that differs by relationship and dimension.
//!
//! The report names the factors but gives no formula (seed L192-213, L407-417). osa's likelihood
//! model, with every parameter in `data/baseline/likelihood.toml`, is:
//!
//! ```text
//! raw        = base[stance] + regime[regime] + governance_per_point * wgi_mean
//!              + min(cap, sum over coercion events of per_event * recency)
//!              + legal_exposure[dimension]            (when the country's firms are legally exposed)
//! likelihood = clamp(raw, floor, ceiling) * (alliance_factor if a security ally of the EU)
//!              * (1 - max_deterrence * eu_leverage)
//! risk       = level / 4 * likelihood;  beyond tolerance when risk > tolerance[stance][dimension]
//! ```
//!
//! Properties (tested): the likelihood stays in [0, 1]; adding a security alliance never raises it;
//! more leverage held by the EU over the supplier never raises it.

use crate::dimension::{Dimension, Level};
use crate::source::Source;
use osa_model::{Blocs, CountryCode, Date};
use std::collections::BTreeMap;

crate::spelled::spelled! {
    /// The EU's stance toward a country.
    pub enum Relationship {
        /// An EU member state.
        Member => "member",
        /// A candidate country.
        Candidate => "candidate",
        /// A like-minded partner.
        Partner => "partner",
        /// An economic competitor.
        Competitor => "competitor",
        /// A systemic rival.
        SystemicRival => "systemic_rival",
        /// An adversary.
        Adversary => "adversary",
    }
}

crate::spelled::spelled! {
    /// V-Dem Regimes of the World category.
    pub enum Regime {
        /// 0: closed autocracy.
        ClosedAutocracy => "closed_autocracy",
        /// 1: electoral autocracy.
        ElectoralAutocracy => "electoral_autocracy",
        /// 2: electoral democracy.
        ElectoralDemocracy => "electoral_democracy",
        /// 3: liberal democracy.
        LiberalDemocracy => "liberal_democracy",
    }
}

impl Regime {
    /// From the V-Dem RoW code 0-3.
    pub fn from_row(code: i64) -> Option<Regime> {
        Regime::ALL
            .get(usize::try_from(code).ok()?)
            .map(|(r, _)| *r)
    }
}

/// A recorded act of economic coercion.
#[derive(Debug, Clone, PartialEq)]
pub struct CoercionEvent {
    /// When it took effect.
    pub date: Date,
    /// The target (ISO3 or `EU27`).
    pub target: String,
    /// What happened.
    pub text: String,
    /// Dimensions it bears on.
    pub dimensions: Vec<Dimension>,
    /// Source.
    pub source: Source,
}

/// A legal obligation that exposes a country's firms to its state.
#[derive(Debug, Clone, PartialEq)]
pub struct LegalExposure {
    /// The obligation.
    pub text: String,
    /// Source.
    pub source: Source,
}

/// Where a governance figure comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Governance {
    /// Mean of the six WGI estimates (-2.5 to 2.5, higher is better).
    pub wgi_mean: f64,
    /// Year of the estimates.
    pub year: i32,
    /// Source.
    pub source: String,
}

/// Freedom House's rating of a country (shown with the profile; the likelihood model uses the V-Dem
/// regime and WGI governance instead, so as not to count the same facts twice).
#[derive(Debug, Clone, PartialEq)]
pub struct FreedomHouse {
    /// `free`, `partly_free` or `not_free`.
    pub status: &'static str,
    /// Political rights plus civil liberties score, 0-100.
    pub score: i32,
    /// Edition year.
    pub year: i32,
    /// Source.
    pub source: String,
}

/// A country profile.
#[derive(Debug, Clone, PartialEq)]
pub struct CountryProfile {
    /// ISO3 code.
    pub code: CountryCode,
    /// Name.
    pub name: String,
    /// Default stance.
    pub relationship: Relationship,
    /// Per-dimension stances that override the default.
    pub stances: BTreeMap<Dimension, Relationship>,
    /// Regime type, with its source.
    pub regime: Option<(Regime, String)>,
    /// Governance, when loaded from WGI data.
    pub governance: Option<Governance>,
    /// Freedom House rating, when loaded.
    pub freedom_house: Option<FreedomHouse>,
    /// Sources of the profile.
    pub sources: Vec<Source>,
    /// Coercion history.
    pub coercion: Vec<CoercionEvent>,
    /// Legal exposure of its firms.
    pub legal_exposure: Vec<LegalExposure>,
}

impl CountryProfile {
    /// The EU's stance toward the country on a dimension.
    pub fn stance(&self, d: Dimension) -> Relationship {
        self.stances.get(&d).copied().unwrap_or(self.relationship)
    }

    /// A profile for a country osa knows nothing about: a partner with no record, flagged by the
    /// caller as a default.
    pub fn unknown(code: CountryCode) -> CountryProfile {
        CountryProfile {
            code,
            name: code.name().to_string(),
            relationship: Relationship::Partner,
            stances: BTreeMap::new(),
            regime: None,
            governance: None,
            freedom_house: None,
            sources: Vec::new(),
            coercion: Vec::new(),
            legal_exposure: Vec::new(),
        }
    }
}

/// The parameters of the likelihood model and the tolerance thresholds.
#[derive(Debug, Clone, PartialEq)]
pub struct LikelihoodParams {
    /// Base likelihood by stance.
    pub base: BTreeMap<Relationship, f64>,
    /// Additive term by regime.
    pub regime: BTreeMap<Regime, f64>,
    /// Additive term per point of mean WGI estimate.
    pub governance_per_point: f64,
    /// Additive term per coercion event (recent).
    pub coercion_per_event: f64,
    /// Cap on the coercion term.
    pub coercion_cap: f64,
    /// Events within this many years count fully; older ones half, up to `coercion_horizon_years`.
    pub coercion_recent_years: i32,
    /// Events older than this are ignored.
    pub coercion_horizon_years: i32,
    /// Additive term by dimension when the country's firms are legally exposed to the state.
    pub legal_exposure: BTreeMap<Dimension, f64>,
    /// Floor and ceiling of the raw likelihood.
    pub floor: f64,
    /// Ceiling.
    pub ceiling: f64,
    /// Multiplier for a security ally of the EU.
    pub alliance_factor: f64,
    /// Blocs whose members count as security allies of the EU.
    pub alliance_blocs: Vec<String>,
    /// Largest reduction that EU leverage buys (1 - max_deterrence * eu_leverage).
    pub max_deterrence: f64,
    /// Risk above which a dependency is beyond tolerance, by stance and dimension.
    pub tolerance: BTreeMap<(Relationship, Dimension), f64>,
    /// Source of the parameters.
    pub source: Source,
}

/// One factor of a likelihood, for explanations.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    /// Name of the factor.
    pub name: String,
    /// What it is (e.g. "systemic_rival", "NATO member", "12 events").
    pub value: String,
    /// Its effect: `+0.15`, `x0.50`.
    pub effect: String,
}

/// A likelihood with its explanation.
#[derive(Debug, Clone, PartialEq)]
pub struct Likelihood {
    /// 0-1.
    pub value: f64,
    /// The factors, in the order applied.
    pub factors: Vec<Factor>,
}

/// What step 3 knows about a supplier beyond its profile.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Context {
    /// Whether the supplier is a security ally of the EU.
    pub security_ally: bool,
    /// The EU's share (0-1) of mutual leverage with the supplier, where known.
    pub eu_leverage: Option<f64>,
    /// The year of the assessment (for coercion recency).
    pub year: i32,
}

/// Whether a country is a security ally of the EU in a year: a member of one of the alliance blocs.
pub fn security_ally(
    country: CountryCode,
    blocs: &Blocs,
    params: &LikelihoodParams,
    year: i32,
) -> Option<String> {
    params
        .alliance_blocs
        .iter()
        .find(|id| blocs.get(id).is_some_and(|b| b.contains(country, year)))
        .cloned()
}

fn signed(x: f64) -> String {
    format!("{x:+.3}")
}

/// The likelihood that `profile`'s country weaponizes a dependency on dimension `d`: the
/// relationship's base, plus regime, governance, coercion history and legal exposure (clamped to
/// the floor and ceiling), then scaled by alliance and by deterrence through mutual dependency.
pub fn likelihood(
    profile: &CountryProfile,
    d: Dimension,
    ctx: &Context,
    params: &LikelihoodParams,
) -> Likelihood {
    let mut factors = Vec::new();
    let stance = profile.stance(d);
    let base = params.base.get(&stance).copied().unwrap_or(0.1);
    factors.push(Factor {
        name: "relationship".into(),
        value: stance.as_str().into(),
        effect: format!("{base:.3}"),
    });
    // Added one term at a time, in this order (the sum's rounding is part of the published
    // figures).
    let mut raw = base;
    add_character_terms(profile, params, &mut raw, &mut factors);
    raw += coercion_term(profile, d, ctx, params, &mut factors);
    raw += legal_term(profile, d, params, &mut factors);
    let value = scaled(
        raw.clamp(params.floor, params.ceiling),
        ctx,
        params,
        &mut factors,
    );
    Likelihood {
        value: value.clamp(0.0, 1.0),
        factors,
    }
}

/// Adds the regime's and the governance's terms.
fn add_character_terms(
    profile: &CountryProfile,
    params: &LikelihoodParams,
    sum: &mut f64,
    factors: &mut Vec<Factor>,
) {
    if let Some((regime, _)) = &profile.regime {
        let r = params.regime.get(regime).copied().unwrap_or(0.0);
        *sum += r;
        factors.push(Factor {
            name: "regime".into(),
            value: regime.as_str().into(),
            effect: signed(r),
        });
    }
    if let Some(g) = &profile.governance {
        let r = params.governance_per_point * g.wgi_mean;
        *sum += r;
        factors.push(Factor {
            name: "governance".into(),
            value: format!("WGI mean {:.2} ({})", g.wgi_mean, g.year),
            effect: signed(r),
        });
    }
}

/// The coercion history's term: events within the horizon, recent ones fully and older ones
/// half, events on this dimension fully and others half, capped.
fn coercion_term(
    profile: &CountryProfile,
    d: Dimension,
    ctx: &Context,
    params: &LikelihoodParams,
    factors: &mut Vec<Factor>,
) -> f64 {
    let mut coercion = 0.0;
    let mut n_events = 0;
    for e in &profile.coercion {
        let age = ctx.year - e.date.year;
        if age < 0 || age > params.coercion_horizon_years {
            continue;
        }
        let weight = if age <= params.coercion_recent_years {
            1.0
        } else {
            0.5
        };
        // Events on this dimension count fully, others half: coercion in one field signals
        // willingness in others.
        let on_dim = if e.dimensions.contains(&d) { 1.0 } else { 0.5 };
        coercion += params.coercion_per_event * weight * on_dim;
        n_events += 1;
    }
    if n_events == 0 {
        return 0.0;
    }
    let c = coercion.min(params.coercion_cap);
    factors.push(Factor {
        name: "coercion history".into(),
        value: format!(
            "{n_events} events within {} years",
            params.coercion_horizon_years
        ),
        effect: signed(c),
    });
    c
}

/// The term of the legal obligations the country's firms are under, on this dimension.
fn legal_term(
    profile: &CountryProfile,
    d: Dimension,
    params: &LikelihoodParams,
    factors: &mut Vec<Factor>,
) -> f64 {
    if !profile.legal_exposure.is_empty()
        && let Some(&l) = params.legal_exposure.get(&d)
        && l != 0.0
    {
        factors.push(Factor {
            name: "legal exposure of firms".into(),
            value: format!("{} obligations", profile.legal_exposure.len()),
            effect: signed(l),
        });
        return l;
    }
    0.0
}

/// The clamped value scaled by a security alliance and by deterrence through mutual dependency.
fn scaled(
    mut value: f64,
    ctx: &Context,
    params: &LikelihoodParams,
    factors: &mut Vec<Factor>,
) -> f64 {
    if ctx.security_ally {
        value *= params.alliance_factor;
        factors.push(Factor {
            name: "security alliance with the EU".into(),
            value: "yes".into(),
            effect: format!("x{:.2}", params.alliance_factor),
        });
    }
    if let Some(lev) = ctx.eu_leverage {
        let lev = lev.clamp(0.0, 1.0);
        let m = 1.0 - params.max_deterrence * lev;
        value *= m;
        factors.push(Factor {
            name: "deterrence by mutual dependency".into(),
            value: format!("EU holds {:.0}% of mutual leverage", lev * 100.0),
            effect: format!("x{m:.2}"),
        });
    }
    value
}

/// Risk on one dimension against its tolerance.
#[derive(Debug, Clone, PartialEq)]
pub struct Risk {
    /// Severity 0-1 (level / 4).
    pub severity: f64,
    /// The likelihood.
    pub likelihood: Likelihood,
    /// severity x likelihood.
    pub risk: f64,
    /// The tolerance for this stance and dimension.
    pub tolerance: f64,
}

impl Risk {
    /// Whether the risk exceeds the tolerance.
    pub fn beyond_tolerance(&self) -> bool {
        self.risk > self.tolerance
    }
}

/// Risk = severity x likelihood, with the tolerance for the supplier's stance on the dimension.
pub fn risk(
    profile: &CountryProfile,
    d: Dimension,
    level: Option<Level>,
    ctx: &Context,
    params: &LikelihoodParams,
) -> Risk {
    let likelihood = likelihood(profile, d, ctx, params);
    let severity = level.map_or(0.0, Level::severity);
    let tolerance = params
        .tolerance
        .get(&(profile.stance(d), d))
        .copied()
        .unwrap_or(0.5);
    Risk {
        severity,
        risk: severity * likelihood.value,
        likelihood,
        tolerance,
    }
}

/// The profiles and blocs step 3 works with.
#[derive(Debug, Clone)]
pub struct Geopolitics {
    /// Profiles by country.
    pub profiles: BTreeMap<CountryCode, CountryProfile>,
    /// Blocs with dated memberships.
    pub blocs: Blocs,
    /// Model parameters.
    pub params: LikelihoodParams,
}

impl Geopolitics {
    /// The profile of a country, or a default partner profile (second value true) when osa has none.
    pub fn profile(&self, c: CountryCode) -> (CountryProfile, bool) {
        match self.profiles.get(&c) {
            Some(p) => (p.clone(), false),
            None => (CountryProfile::unknown(c), true),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    pub(crate) fn params() -> LikelihoodParams {
        let mut base = BTreeMap::new();
        for (r, v) in [
            (Relationship::Member, 0.02),
            (Relationship::Candidate, 0.05),
            (Relationship::Partner, 0.1),
            (Relationship::Competitor, 0.25),
            (Relationship::SystemicRival, 0.45),
            (Relationship::Adversary, 0.7),
        ] {
            base.insert(r, v);
        }
        let mut regime = BTreeMap::new();
        regime.insert(Regime::ClosedAutocracy, 0.15);
        regime.insert(Regime::LiberalDemocracy, -0.05);
        let mut legal = BTreeMap::new();
        legal.insert(Dimension::NationalSecurity, 0.05);
        let mut tolerance = BTreeMap::new();
        tolerance.insert(
            (Relationship::SystemicRival, Dimension::NationalSecurity),
            0.15,
        );
        LikelihoodParams {
            base,
            regime,
            governance_per_point: -0.04,
            coercion_per_event: 0.08,
            coercion_cap: 0.24,
            coercion_recent_years: 5,
            coercion_horizon_years: 15,
            legal_exposure: legal,
            floor: 0.01,
            ceiling: 0.95,
            alliance_factor: 0.5,
            alliance_blocs: vec!["NATO".into()],
            max_deterrence: 0.5,
            tolerance,
            source: Source::Judgment("test".into()),
        }
    }

    fn china() -> CountryProfile {
        let mut p = CountryProfile::unknown(CountryCode::parse("CHN").expect("CHN"));
        p.relationship = Relationship::SystemicRival;
        p.stances
            .insert(Dimension::SupplyResilience, Relationship::Partner);
        p.regime = Some((Regime::ClosedAutocracy, "test".into()));
        p.legal_exposure.push(LegalExposure {
            text: "report vulnerabilities within two days".into(),
            source: Source::Seed { from: 899, to: 901 },
        });
        p.coercion.push(CoercionEvent {
            date: Date::new(2021, 12, 1).expect("date"),
            target: "LTU".into(),
            text: "Lithuania".into(),
            dimensions: vec![Dimension::SupplyResilience],
            source: Source::Seed {
                from: 1852,
                to: 1856,
            },
        });
        p
    }

    #[test]
    fn hand_checked_likelihood_for_china() {
        let ctx = Context {
            security_ally: false,
            eu_leverage: None,
            year: 2025,
        };
        // National security: 0.45 + 0.15 (closed autocracy) + 0.04 (one event off-dimension,
        // recent: 0.08 * 0.5) + 0.05 (legal exposure) = 0.69.
        let l = likelihood(&china(), Dimension::NationalSecurity, &ctx, &params());
        assert!((l.value - 0.69).abs() < 1e-12, "{}", l.value);
        // Supply resilience uses the partner stance: 0.10 + 0.15 + 0.08 = 0.33.
        let l = likelihood(&china(), Dimension::SupplyResilience, &ctx, &params());
        assert!((l.value - 0.33).abs() < 1e-12, "{}", l.value);
        // With the EU holding 80% of mutual leverage: x (1 - 0.5 * 0.8) = x0.6.
        let ctx = Context {
            eu_leverage: Some(0.8),
            ..ctx
        };
        let l = likelihood(&china(), Dimension::NationalSecurity, &ctx, &params());
        assert!((l.value - 0.69 * 0.6).abs() < 1e-12);
        let r = risk(
            &china(),
            Dimension::NationalSecurity,
            Level::new(4),
            &ctx,
            &params(),
        );
        assert!((r.risk - 0.414).abs() < 1e-12);
        assert!(r.beyond_tolerance());
    }

    fn arb_profile() -> impl Strategy<Value = CountryProfile> {
        (
            0usize..6,
            0usize..4,
            proptest::option::of(-2.5f64..2.5),
            0usize..12,
            any::<bool>(),
        )
            .prop_map(|(rel, reg, wgi, n_events, legal)| {
                let mut p = china();
                p.stances.clear();
                p.relationship = Relationship::ALL[rel].0;
                p.regime = Some((Regime::ALL[reg].0, "test".into()));
                p.governance = wgi.map(|w| Governance {
                    wgi_mean: w,
                    year: 2023,
                    source: "test".into(),
                });
                p.coercion = (0..n_events)
                    .map(|k| CoercionEvent {
                        date: Date::new(2010 + k as i32, 1, 1).expect("date"),
                        ..p.coercion[0].clone()
                    })
                    .collect();
                if !legal {
                    p.legal_exposure.clear();
                }
                p
            })
    }

    proptest! {
        #[test]
        fn likelihood_is_a_probability(p in arb_profile(), d in 0usize..4, ally in any::<bool>(),
                                       lev in proptest::option::of(0.0f64..1.0)) {
            let ctx = Context { security_ally: ally, eu_leverage: lev, year: 2025 };
            let l = likelihood(&p, Dimension::ALL[d], &ctx, &params());
            prop_assert!((0.0..=1.0).contains(&l.value));
        }

        #[test]
        fn an_alliance_never_raises_likelihood(p in arb_profile(), d in 0usize..4,
                                               lev in proptest::option::of(0.0f64..1.0)) {
            let without = Context { security_ally: false, eu_leverage: lev, year: 2025 };
            let with = Context { security_ally: true, ..without };
            let dim = Dimension::ALL[d];
            prop_assert!(likelihood(&p, dim, &with, &params()).value
                <= likelihood(&p, dim, &without, &params()).value);
        }

        #[test]
        fn more_eu_leverage_never_raises_likelihood(p in arb_profile(), d in 0usize..4,
                                                    ally in any::<bool>(), a in 0.0f64..1.0, b in 0.0f64..1.0) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let dim = Dimension::ALL[d];
            let at = |lev| likelihood(&p, dim, &Context { security_ally: ally, eu_leverage: Some(lev), year: 2025 }, &params()).value;
            let none = likelihood(&p, dim, &Context { security_ally: ally, eu_leverage: None, year: 2025 }, &params()).value;
            prop_assert!(at(hi) <= at(lo));
            prop_assert!(at(lo) <= none);
        }
    }
}
