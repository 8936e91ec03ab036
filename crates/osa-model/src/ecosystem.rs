//! An ecosystem as written: a technology's value chain with its stages, inputs, firms, the edges
//! between inputs and the provision records that say who supplies what share.
//!
//! References here are plain strings, exactly as the file or dataset spells them. Turning them into
//! checked references is [`crate::validate`]'s job, which yields a [`crate::Checked`] ecosystem.

use std::fmt;
use std::str::FromStr;

/// A technology's value chain, as loaded from a file, a dataset or the embedded default.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ecosystem {
    /// Identifier, e.g. `semiconductors`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What the ecosystem covers.
    pub description: String,
    /// Where its data comes from.
    pub sources: Vec<String>,
    /// Blocs defined by this ecosystem's author.
    pub blocs: Vec<BlocSpec>,
    /// Stages of the value chain (design, fabrication, ...).
    pub stages: Vec<Stage>,
    /// Firms that appear as providers.
    pub firms: Vec<Firm>,
    /// Inputs (processes, resources, tools, materials, final outputs).
    pub inputs: Vec<Input>,
}

/// A user bloc as written in an ecosystem file (undated members).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BlocSpec {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Member country codes as written.
    pub members: Vec<String>,
    /// Source of the grouping.
    pub source: String,
}

/// A stage of the value chain.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Stage {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Shares of the whole stage (e.g. fabrication capacity by country).
    pub provision: Vec<Provision>,
}

/// A firm that provides inputs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Firm {
    /// Identifier (must not be a country code).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Home country (ISO3 or region code) as written; `None` when unknown.
    pub country: Option<String>,
    /// Source.
    pub source: String,
}

/// What kind of thing an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum InputKind {
    /// A production or design process (e.g. wafer fabrication).
    #[default]
    Process,
    /// A design resource (EDA software, core IP).
    DesignResource,
    /// A tool (equipment).
    Tool,
    /// A material (chemicals, gases, wafers).
    Material,
    /// A final output of the value chain.
    FinalOutput,
}

impl InputKind {
    /// All kinds, in a stable order.
    pub const ALL: [InputKind; 5] = [
        InputKind::Process,
        InputKind::DesignResource,
        InputKind::Tool,
        InputKind::Material,
        InputKind::FinalOutput,
    ];

    /// The spelling used in files, CLI and UI.
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::Process => "process",
            InputKind::DesignResource => "design_resource",
            InputKind::Tool => "tool",
            InputKind::Material => "material",
            InputKind::FinalOutput => "final_output",
        }
    }
}

impl fmt::Display for InputKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for InputKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        InputKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown input kind `{s}` (expected one of: {})",
                    InputKind::ALL.map(|k| k.as_str()).join(", ")
                )
            })
    }
}

/// One input of the value chain.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Input {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Kind.
    pub kind: InputKind,
    /// Stage id, as written.
    pub stage: Option<String>,
    /// Description.
    pub description: String,
    /// HS six-digit codes of the traded goods that stand for this input.
    pub hs6: Vec<String>,
    /// Ids of the inputs this input goes into.
    pub goes_into: Vec<String>,
    /// Ids of the broader inputs this input is a type of.
    pub is_type_of: Vec<String>,
    /// Short-run share (0-1) of the input's use that can switch to a substitute.
    pub substitutability: Option<f64>,
    /// Substitutes, by id or name.
    pub substitutes: Vec<String>,
    /// Months of use a user can hold in stock.
    pub storability_months: Option<f64>,
    /// Analyst notes.
    pub notes: String,
    /// Sources for the input's description and attributes.
    pub sources: Vec<String>,
    /// Who provides it.
    pub provision: Vec<Provision>,
}

/// One provision record: a provider's share of an input's (or stage's) world market in a year.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Provision {
    /// Country code, region code, firm id, or `unattributed`, as written.
    pub provider: String,
    /// Share in percent (0-100); `None` when the dataset names the provider without a share.
    pub share: Option<f64>,
    /// Year the share refers to.
    pub year: Option<i32>,
    /// Source of the figure.
    pub source: String,
    /// The dataset flags the provider's share as negligible.
    pub negligible: bool,
}

/// The reserved provider id for share that the source does not attribute to anyone
/// (ETO's "Various countries" and "Various companies").
pub const UNATTRIBUTED: &str = "unattributed";

/// The two kinds of edges between inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// The source input is used to make the target.
    GoesInto,
    /// The source input is a kind of the target.
    IsTypeOf,
}

impl EdgeKind {
    /// The spelling used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::GoesInto => "goes_into",
            EdgeKind::IsTypeOf => "is_type_of",
        }
    }
}
