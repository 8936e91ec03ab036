//! The report's checklist for assessing Chinese AI-based consumer applications (seed L6745-7025):
//! four macro-level criteria (the regulatory and political environment in China) and six
//! micro-level ones (the application and its features), with the report's reference applications
//! (TikTok, WeChat, Face++) assessed against each.

use crate::source::Source;
use crate::technology::Judgment;

/// Macro (environment) or micro (application) level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CriterionLevel {
    /// The regulatory and political environment in China.
    Macro,
    /// The application and its features.
    Micro,
}

impl CriterionLevel {
    /// Spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            CriterionLevel::Macro => "macro",
            CriterionLevel::Micro => "micro",
        }
    }
}

/// One criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    /// Identifier.
    pub id: String,
    /// Macro or micro.
    pub level: CriterionLevel,
    /// Position in the report's list (1-10).
    pub number: u32,
    /// Title.
    pub title: String,
    /// What an analyst asks of an application.
    pub question: String,
    /// What counts as a concern and what as reassurance.
    pub guidance: String,
    /// Source.
    pub source: Source,
}

crate::spelled::spelled! {
    /// A rating of an application on a criterion.
    pub enum Rating {
        /// A concern.
        Concern => "concern",
        /// Partly a concern.
        Partial => "partial",
        /// No concern.
        NoConcern => "no_concern",
        /// Unknown: the source is silent.
        Unknown => "unknown",
    }
}

/// An application's rating on one criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// Criterion id.
    pub criterion: String,
    /// Rating.
    pub rating: Rating,
    /// Why.
    pub text: String,
    /// Source.
    pub source: Source,
}

/// A reference application.
#[derive(Debug, Clone, PartialEq)]
pub struct Application {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: String,
    /// Firm.
    pub firm: String,
    /// Firm's home country.
    pub country: osa_model::CountryCode,
    /// Source.
    pub source: Source,
    /// Who rated it, when, how.
    pub judgment: Judgment,
    /// Ratings.
    pub assessments: Vec<Assessment>,
}

impl Application {
    /// Number of ratings of each kind, in [`Rating::ALL`] order.
    pub fn tally(&self) -> [usize; 4] {
        let mut out = [0; 4];
        for a in &self.assessments {
            if let Some(k) = Rating::ALL.iter().position(|(r, _)| *r == a.rating) {
                out[k] += 1;
            }
        }
        out
    }

    /// The rating on a criterion.
    pub fn rating(&self, criterion: &str) -> Option<&Assessment> {
        self.assessments.iter().find(|a| a.criterion == criterion)
    }
}

/// The checklist.
#[derive(Debug, Clone, PartialEq)]
pub struct Checklist {
    /// Title.
    pub title: String,
    /// Source.
    pub source: Source,
    /// A note on how to read it.
    pub note: String,
    /// Criteria in the report's order.
    pub criteria: Vec<Criterion>,
    /// Reference applications.
    pub applications: Vec<Application>,
}
