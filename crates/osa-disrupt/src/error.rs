//! Errors of disruption analysis, grouped by who is at fault: the user's scenario or flags
//! (syntax, values, unknown names) or the input-output table (shape, singular system).

/// Errors of this crate. Messages quote the bad value and say what was expected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A shock or mitigation written in the wrong syntax.
    #[error("{what}: {message}")]
    Syntax {
        /// The flag and text, e.g. ``--shock `CHN:x` ``.
        what: String,
        /// What is wrong.
        message: String,
    },
    /// A number outside its range.
    #[error("{0}")]
    Value(String),
    /// A supplier that is no country, region, bloc or firm of the ecosystem.
    #[error(
        "{shock}: field `supplier`: unknown supplier `{supplier}`: not a bloc ({blocs}), an ISO 3166-1 alpha-3 country code, a region (EUR), a firm id of the ecosystem, or `*`"
    )]
    UnknownSupplier {
        /// The supplier as written.
        supplier: String,
        /// The shock, with where it is written (see `Shock::describe`).
        shock: String,
        /// Known bloc ids.
        blocs: String,
    },
    /// An input or stage id the ecosystem does not have.
    #[error("{what}: unknown input or stage id `{id}` in ecosystem `{ecosystem}`{hint}")]
    UnknownInput {
        /// The shock or mitigation.
        what: String,
        /// The id.
        id: String,
        /// The ecosystem id.
        ecosystem: String,
        /// A suggestion.
        hint: String,
    },
    /// A scenario whose shocks name none of the ecosystem's inputs.
    #[error("scenario `{0}` names no input of this ecosystem (see the warnings)")]
    NothingApplies(String),
    /// A run that would need more memory than osa allows.
    #[error("{0}")]
    TooLarge(String),
    /// An input-output table that cannot be used.
    #[error("input-output table: {0}")]
    Table(String),
    /// A linear system with no unique solution.
    #[error(
        "input-output table: (I - {matrix}) is singular at sector `{sector}`; the economy is not productive (some column of coefficients sums to 1 or more)"
    )]
    Singular {
        /// `A`, `B` or `A*`.
        matrix: &'static str,
        /// The sector where elimination failed.
        sector: String,
    },
}
