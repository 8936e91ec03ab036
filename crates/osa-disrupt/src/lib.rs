//! Second- and third-order effects (seed L566-585): what a supply disruption at one supplier does
//! to the inputs it feeds, tier by tier, and how much stock, substitutes and other suppliers soften
//! it; plus input-output models for sector-level work.
//!
//! - [`scenario`]: shocks and mitigations as written, and the `SUPPLIER:INPUTS=LOST@START+WEEKS`
//!   syntax;
//! - [`compile`]: a scenario resolved against an ecosystem into a [`Model`] (who is hit, which
//!   inputs the shock reaches, in which order);
//! - [`engine`]: the propagation kernels (long-run and weekly, one thread or several);
//! - [`montecarlo`]: seeded draws over the scenario's ranges and their percentiles;
//! - [`simulate`](mod@simulate): point estimate, unmitigated run, weekly profile and percentiles together;
//! - [`iomodel`] and [`linalg`]: Leontief, Ghosh and inoperability models on an input-output table.
//!
//! # The propagation model
//!
//! Availability a(i) ∈ [0, 1] is the share of the normal use of input i that its users can still
//! cover. Nodes are computed in topological order over `goes_into` and `is_type_of`:
//!
//! 1. **Direct loss.** L(i) = Σ over shocked suppliers p of share(p, i) × lost(p), with the
//!    country shares of `osa_ecosystem::metrics` (latest year per input; a process without
//!    shares takes its stage's). A bloc counts its members as of the share's year; several shocks
//!    on one supplier do not add up (the largest applies). Country-level, firm-level and
//!    world-level (`*`) losses combine as independent: 1 − Π(1 − L_level).
//! 2. **Spare capacity** c of the other suppliers makes up part of it:
//!    D(i) = max(0, L − c·(1 − L)).
//! 3. **Upstream.** p(i) = min(1 − D(i), min over inputs that go into i of a(j), K(i)):
//!    every input is essential (a Leontief production function: no output without each input).
//!    K(i) combines the kinds of a category (inputs that are a type of i): by default their mean
//!    availability (a category is the sum of its kinds; the data has no volumes, so the parts
//!    weigh the same), or their minimum with [`KindRule::Min`]. The mean is the default because a
//!    kind's outage takes away its part of the category, not the whole: losing EUV scanners does
//!    not stop the i-line steppers that are also "lithography tools".
//! 4. **Users' own mitigation.** Users of i switch a share σ(i) (its `substitutability`) to
//!    substitutes and draw on stock held (its `storability_months`): the shortfall is
//!    g = (1 − σ)(1 − p), and a(i) = 1 − g in the long run.
//!
//! A shock without a duration is permanent and the result is its long-run effect: stocks are
//! used up, substitution and spare capacity have ramped up. When a shock has a duration (or a
//! horizon is given) the run is weekly: σ and c ramp up linearly over their ramp-up weeks from
//! the start of the disruption (the earliest shock: firms react to the news, not to the shortage
//! reaching them), each week's shortfall is drawn from the stock until it runs out (stock is not
//! rebuilt within the horizon), and availability is the worst week's.
//!
//! The order of a node is its breadth-first distance from the nearest directly shocked input
//! (order 0). Every step is monotone, so a larger lost share never raises any availability, and
//! every value stays in [0, 1].
//!
//! ```
//! use osa_disrupt::{Scenario, compile, simulate};
//! use osa_model::{Ecosystem, Input, Provision, Blocs, validate};
//! let supplied = |id: &str, into: &[&str], who: &str| Input {
//!     id: id.into(),
//!     name: id.into(),
//!     goes_into: into.iter().map(|s| s.to_string()).collect(),
//!     provision: vec![Provision {
//!         provider: who.into(),
//!         share: Some(100.0),
//!         year: Some(2024),
//!         ..Provision::default()
//!     }],
//!     ..Input::default()
//! };
//! let eco = Ecosystem {
//!     id: "demo".into(),
//!     inputs: vec![
//!         supplied("gas", &["chip"], "UKR"),
//!         Input { id: "chip".into(), name: "chip".into(), ..Input::default() },
//!     ],
//!     ..Ecosystem::default()
//! };
//! let checked = validate(eco).expect("valid");
//! let scenario = Scenario {
//!     shocks: vec!["UKR:gas=0.5".parse().expect("shock")],
//!     ..Scenario::default()
//! };
//! let out = simulate::simulate(&checked, &Blocs::default(), &scenario,
//!     &compile::Options::default(), &simulate::RunOptions::default()).expect("runs");
//! assert_eq!(out.nodes.len(), 2);
//! assert_eq!((out.nodes[1].order, out.nodes[1].availability), (1, 0.5));
//! ```

pub mod compile;
pub mod engine;
pub mod error;
pub mod iomodel;
pub mod limits;
pub mod linalg;
pub mod montecarlo;
pub mod scenario;
pub mod simulate;

pub use compile::{Draw, KindRule, Model, Options, compile};
pub use error::Error;
pub use iomodel::{IoModel, IoOutcome, IoShock, IoTable};
pub use scenario::{Mitigation, Scenario, Shock, Target, Value};
pub use simulate::{NodeOutcome, Outcome, RunOptions};
