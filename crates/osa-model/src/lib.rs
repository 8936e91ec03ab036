//! The osa domain model: the nouns of the report's method, and nothing else.
//!
//! - [`country`]: ISO 3166-1 alpha-3 countries and the regions datasets report as one provider;
//! - [`bloc`]: blocs with dated memberships (the EU "as of" a year, NATO, user groups);
//! - [`ecosystem`]: a technology's value chain as written (stages, inputs, firms, provision);
//! - [`validate`]: the checks that turn a written ecosystem into a [`Checked`] one, or into
//!   [`Problem`]s that name the record and field at fault.
//!
//! **Architecture invariant:** this crate does no I/O and depends on no other osa crate; every other
//! crate depends on it. It knows nothing of TOML, CSV, HTML or HTTP.
//!
//! ```
//! use osa_model::{Ecosystem, Input, Provision, validate};
//! let eco = Ecosystem {
//!     id: "demo".into(),
//!     inputs: vec![Input {
//!         id: "euv".into(),
//!         name: "EUV lithography tools".into(),
//!         provision: vec![Provision {
//!             provider: "NLD".into(),
//!             share: Some(100.0),
//!             year: Some(2022),
//!             source: "seed L1932-1935".into(),
//!             negligible: false,
//!         }],
//!         ..Input::default()
//!     }],
//!     ..Ecosystem::default()
//! };
//! let checked = validate(eco).expect("valid");
//! assert_eq!(checked.n_inputs(), 1);
//! ```

pub mod bloc;
pub mod country;
pub mod ecosystem;
pub mod id;
pub mod validate;

pub use bloc::{Bloc, Blocs, Date, Membership};
pub use country::{CountryCode, Region};
pub use ecosystem::{
    BlocSpec, Ecosystem, EdgeKind, Firm, Input, InputKind, Provision, Stage, UNATTRIBUTED,
};
pub use validate::{
    Checked, Place, Problem, Provider, Record, Rejected, UNATTRIBUTED_FIRMS, validate,
};
