//! A technology as the report assesses it (one case study or introductory example): the analyst's
//! level and evidence on each dimension, the tensions the report names, who the dependency is on,
//! the actors to watch, and the report's recommendations mapped to instruments.

use crate::dimension::{Dimension, Level};
use crate::source::Source;

/// Case study or introductory example.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TechnologyKind {
    /// A case-study chapter.
    Case,
    /// One of the introduction's examples.
    Example,
}

impl TechnologyKind {
    /// Spelling in files and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            TechnologyKind::Case => "case",
            TechnologyKind::Example => "example",
        }
    }
}

/// One piece of evidence behind a level.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// What the source says, in our words.
    pub text: String,
    /// Where it says it.
    pub source: Source,
}

/// Who set a technology's levels, when, and how.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Judgment {
    /// Author.
    pub author: String,
    /// Date (YYYY-MM-DD).
    pub date: String,
    /// Method.
    pub method: String,
}

crate::spelled::spelled! {
    /// What a signal in a cell says about the EU's position on that dimension.
    pub enum SignalKind {
        /// A challenge (a dependency, a vulnerability).
        Risk => "risk",
        /// A benefit or opportunity (e.g. more capacity to buy from).
        Benefit => "benefit",
    }
}

/// One of several signals in one cell: the report's overview puts "several notifications in one
/// box" where risks within one dimension diverge (seed L134-138).
#[derive(Debug, Clone, PartialEq)]
pub struct Signal {
    /// Risk or benefit.
    pub kind: SignalKind,
    /// The level this signal alone would give the dimension (a benefit is usually 0).
    pub level: Level,
    /// What the signal is, in our words.
    pub text: String,
    /// Where the report says it (at least one).
    pub sources: Vec<Source>,
}

/// Where a second reader could defensibly set a level one step lower or higher: the doubt,
/// recorded instead of hidden.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelRange {
    /// Lowest defensible level.
    pub low: Level,
    /// Highest defensible level.
    pub high: Level,
    /// Why the level is contestable.
    pub reason: String,
    /// The lines that support the other reading (at least one).
    pub sources: Vec<Source>,
}

/// The analyst's assessment of one dimension.
#[derive(Debug, Clone, PartialEq)]
pub struct DimensionJudgment {
    /// The level; `None` where the report is silent. With signals, the net reading.
    pub level: Option<Level>,
    /// Why this level (or why silent).
    pub rationale: String,
    /// Evidence items.
    pub evidence: Vec<Evidence>,
    /// The range of defensible levels, where the level is contestable.
    pub range: Option<LevelRange>,
    /// Divergent signals within the cell (empty: the level says it all).
    pub signals: Vec<Signal>,
}

impl DimensionJudgment {
    /// Whether the report is silent on this dimension.
    pub fn is_silent(&self) -> bool {
        self.level.is_none()
    }
}

crate::spelled::spelled! {
    /// How the dimensions of a stated tension relate: only a trade-off means that serving one
    /// dimension costs another, and only trade-offs let toolkit rules on tensions fire.
    pub enum TensionRelation {
        /// Serving one side costs the other (the report's dimensions "in conflict", seed L1021-1043).
        TradeOff => "trade_off",
        /// The dimensions pull the same way and make each other worse (e.g. the values and security
        /// problems of facial recognition turn a lack of competitiveness into a serious problem).
        Compounding => "compounding",
        /// Anything else the chapter puts side by side (an open question, mutual dependence, a
        /// trade-off on China's side).
        Other => "other",
    }
}

/// A tension between dimensions that the report (or an analyst) states.
#[derive(Debug, Clone, PartialEq)]
pub struct StatedTension {
    /// The dimensions involved.
    pub dimensions: Vec<Dimension>,
    /// How they relate.
    pub relation: TensionRelation,
    /// For a trade-off of three or more dimensions: the side that pulls against the others (empty:
    /// every pair trades off).
    pub against: Vec<Dimension>,
    /// What pulls them apart (or together).
    pub text: String,
    /// Source.
    pub source: Source,
}

impl StatedTension {
    /// The pairs of dimensions that trade off against each other: none unless the relation is a
    /// trade-off; with `against`, each of its dimensions against each of the others; otherwise
    /// every pair.
    pub fn trade_off_pairs(&self) -> Vec<(Dimension, Dimension)> {
        if self.relation != TensionRelation::TradeOff {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (i, a) in self.dimensions.iter().enumerate() {
            for b in &self.dimensions[i + 1..] {
                let opposed = self.against.is_empty()
                    || (self.against.contains(a) != self.against.contains(b));
                if opposed {
                    out.push((*a, *b));
                }
            }
        }
        out
    }
}

/// A flag on a technology with the reason and the lines behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    /// Why, in our words.
    pub why: String,
    /// Where the report says so.
    pub source: Source,
}

/// A country the dependency is on.
#[derive(Debug, Clone, PartialEq)]
pub struct Counterpart {
    /// ISO3 code.
    pub country: osa_model::CountryCode,
    /// Why it is a counterpart.
    pub note: String,
    /// An analyst's estimate (0-1) of the EU's share of mutual leverage with this country, used
    /// when no ecosystem data gives one.
    pub eu_leverage: Option<f64>,
    /// Source.
    pub source: Source,
}

crate::spelled::spelled! {
    /// What an actor is.
    pub enum ActorKind {
        /// A Communist Party organ.
        PartyOrgan => "party_organ",
        /// A ministry.
        Ministry => "ministry",
        /// A government agency.
        Agency => "agency",
        /// A regulator.
        Regulator => "regulator",
        /// A state-owned enterprise.
        Soe => "soe",
        /// A private firm.
        Firm => "firm",
        /// A standards body.
        StandardsBody => "standards_body",
        /// A research institute.
        ResearchInstitute => "research_institute",
        /// A university.
        University => "university",
        /// An alliance or consortium.
        Alliance => "alliance",
        /// An EU institution or body.
        EuBody => "eu_body",
        /// An international organisation.
        InternationalOrg => "international_org",
        /// Anything else.
        Other => "other",
    }
}

/// Where an actor is based: a country, the EU, or an international body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActorHome {
    /// A country.
    Country(osa_model::CountryCode),
    /// The EU and its institutions (`EU27`).
    Eu,
    /// International (`INT`).
    International,
}

impl ActorHome {
    /// Parses `ISO3`, `EU27` or `INT`.
    pub fn parse(s: &str) -> Option<ActorHome> {
        match s {
            "EU27" | "EU" => Some(ActorHome::Eu),
            "INT" => Some(ActorHome::International),
            _ => osa_model::CountryCode::parse(s).map(ActorHome::Country),
        }
    }

    /// The code.
    pub fn code(&self) -> String {
        match self {
            ActorHome::Country(c) => c.to_string(),
            ActorHome::Eu => "EU27".into(),
            ActorHome::International => "INT".into(),
        }
    }
}

crate::spelled::spelled! {
    /// A rough indication of an actor's relevance to European foresight (seed L225-230).
    pub enum RelevanceLevel {
        /// The chapter singles it out: it decides, leads or drives the technology or its policy.
        High => "high",
        /// It has a substantive role the chapter describes.
        Medium => "medium",
        /// Mentioned in passing, as an example or background.
        Low => "low",
        /// Not an actor in the PRC: context for the chapter, not an actor to watch (seed L221-225).
        Context => "context",
    }
}

/// How relevant an actor is, and where the chapter says so.
#[derive(Debug, Clone, PartialEq)]
pub struct Relevance {
    /// The level.
    pub level: RelevanceLevel,
    /// Why, from the chapter's text.
    pub why: String,
    /// The lines.
    pub source: Source,
}

impl Relevance {
    /// The relevance of an actor outside the PRC: context (the report's actors to watch are actors
    /// in the PRC, seed L221-225).
    pub fn context() -> Relevance {
        Relevance {
            level: RelevanceLevel::Context,
            why: "not an actor in the PRC: context for the chapter, not an actor to watch".into(),
            source: Source::Seed { from: 221, to: 225 },
        }
    }
}

/// An actor to watch (foresight), or a context actor outside the PRC.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: ActorKind,
    /// Where it is based.
    pub home: ActorHome,
    /// Its role (in the Chinese system, where the report says).
    pub role: String,
    /// Source.
    pub source: Source,
    /// Its relevance to European foresight.
    pub relevance: Relevance,
}

impl Actor {
    /// Whether the actor is in the PRC (mainland China, Hong Kong or Macau): an actor to watch in
    /// the report's sense; every other actor is context.
    pub fn prc(&self) -> bool {
        self.home.is_prc()
    }
}

impl ActorHome {
    /// Whether the home is in the PRC (CHN, HKG, MAC).
    pub fn is_prc(&self) -> bool {
        matches!(self, ActorHome::Country(c) if matches!(c.as_str(), "CHN" | "HKG" | "MAC"))
    }
}

/// One of the report's recommendations for a technology.
#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    /// The recommendation, in our words.
    pub text: String,
    /// Instrument ids it maps to.
    pub instruments: Vec<String>,
    /// Dimensions it serves.
    pub dimensions: Vec<Dimension>,
    /// Whether the report itself ties it to those dimensions (false: our inference).
    pub stated: bool,
    /// The chapter's own words, verbatim from the cited lines (an ellipsis `...` marks a skip).
    pub quote: Option<String>,
    /// Source: the lines the quote comes from.
    pub source: Source,
}

/// A technology assessed by the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Technology {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: String,
    /// Case or example.
    pub kind: TechnologyKind,
    /// The chapter.
    pub chapter: String,
    /// The chapter's lines in the seed.
    pub seed_lines: String,
    /// A built-in ecosystem whose data gives computed indicators.
    pub ecosystem: Option<String>,
    /// Input ids of that ecosystem the technology covers (empty: all).
    pub scope: Vec<String>,
    /// Summary.
    pub summary: String,
    /// Who set the levels.
    pub judgment: Judgment,
    /// One judgment per dimension, in [`Dimension::ALL`] order.
    pub dimensions: [DimensionJudgment; 4],
    /// Tensions the report states.
    pub tensions: Vec<StatedTension>,
    /// Countries the dependency is on.
    pub counterparts: Vec<Counterpart>,
    /// Actors to watch.
    pub actors: Vec<Actor>,
    /// The report's recommendations.
    pub recommendations: Vec<Recommendation>,
    /// The chapter's own ranking of the dimensions, where it gives one (breaks ties of the
    /// priority, [`crate::priority`]).
    pub ranking: Option<crate::priority::ReportRanking>,
    /// Set where the technology reaches consumers directly (apps, payments): toolkit rules scoped
    /// to consumer-facing technologies (`consumer_facing`) fire only here.
    pub consumer_facing: Option<Flag>,
    /// Set where the row is osa's construction rather than the report's assessment (the report
    /// keeps its AI-ethics chapter outside the risk assessment, seed L160-164): every output of the
    /// matrix and the dossier marks it.
    pub osa_construction: Option<Flag>,
}

impl Technology {
    /// The judgment on one dimension.
    pub fn judged(&self, d: Dimension) -> &DimensionJudgment {
        &self.dimensions[d.index()]
    }

    /// The judged level on one dimension (`None` where the report is silent).
    pub fn level(&self, d: Dimension) -> Option<Level> {
        self.judged(d).level
    }

    /// The report's recommendations in the order step 4 lists them: those the chapter itself ties
    /// to a dimension (`stated`) first, then the others, each in the file's order.
    pub fn recommendations_in_order(&self) -> Vec<&Recommendation> {
        let (mut stated, others): (Vec<&Recommendation>, Vec<&Recommendation>) =
            self.recommendations.iter().partition(|r| r.stated);
        stated.extend(others);
        stated
    }

    /// Whether `query` names this technology (its id, or its name ignoring case).
    pub fn matches(&self, query: &str) -> bool {
        self.id == query || self.name.eq_ignore_ascii_case(query)
    }
}
