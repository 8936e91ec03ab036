//! Step 4 chooses instruments by political priority (seed L1096-1107): "where technological
//! competitiveness is the main concern" industrial policy, "if national security concerns dominate"
//! diversification. Which dimension comes first is a choice, so it is an explicit input here, with a
//! stated default and tie rule, never a count of tied levels.
//!
//! The rule: a priority given by the user wins. Otherwise the dimension with the highest judged level
//! comes first. On a tie, the report's own ranking of the dimensions within the chapter (recorded
//! with its lines in the technology file, `[priority]`) decides. Without one, the tie stays open and
//! no rule conditioned on `priority(D)` fires.

use crate::dimension::{Dimension, Level};
use crate::source::Source;

/// The report's ranking of dimensions within one chapter, where it gives one.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRanking {
    /// Dimensions, first the one the chapter ranks highest.
    pub order: Vec<Dimension>,
    /// Where the chapter ranks them.
    pub source: Source,
}

/// Why a dimension is (or none is) the priority.
#[derive(Debug, Clone, PartialEq)]
pub enum Basis {
    /// The user chose it (`osa assess --priority D`).
    Given,
    /// It alone has the highest judged level.
    HighestLevel,
    /// Tied at the highest level; the chapter ranks it first among the tied.
    ReportRanking(Source),
    /// Tied at the highest level and the chapter ranks none of them above the others.
    Tie(Vec<Dimension>),
    /// No dimension has a level.
    NoLevels,
}

/// The priority dimension of one assessment and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Priority {
    /// The dimension that comes first, if any.
    pub dimension: Option<Dimension>,
    /// Why.
    pub basis: Basis,
}

/// The default and tie rule, printed with every dossier.
pub const RULE: &str = "priority: a dimension given with --priority wins; otherwise the dimension with the highest judged level; on a tie, the one the chapter itself ranks first (its lines recorded); otherwise none, and no rule conditioned on priority(D) fires (seed L1096-1107)";

/// Chooses the priority dimension.
pub fn choose(
    levels: &[Option<Level>; 4],
    given: Option<Dimension>,
    ranking: Option<&ReportRanking>,
) -> Priority {
    if let Some(d) = given {
        return Priority {
            dimension: Some(d),
            basis: Basis::Given,
        };
    }
    let Some(max) = levels.iter().flatten().max().copied() else {
        return Priority {
            dimension: None,
            basis: Basis::NoLevels,
        };
    };
    let top: Vec<Dimension> = Dimension::ALL
        .into_iter()
        .filter(|d| levels[d.index()] == Some(max))
        .collect();
    if let [only] = top.as_slice() {
        return Priority {
            dimension: Some(*only),
            basis: Basis::HighestLevel,
        };
    }
    match ranking.and_then(|r| r.order.iter().find(|d| top.contains(d)).map(|d| (*d, r))) {
        Some((d, r)) => Priority {
            dimension: Some(d),
            basis: Basis::ReportRanking(r.source.clone()),
        },
        None => Priority {
            dimension: None,
            basis: Basis::Tie(top),
        },
    }
}

impl Priority {
    /// One sentence: which dimension comes first and why.
    pub fn explain(&self) -> String {
        let ids = |ds: &[Dimension]| ds.iter().map(|d| d.name()).collect::<Vec<_>>().join(", ");
        match (&self.dimension, &self.basis) {
            (Some(d), Basis::Given) => format!("{} first, as given", d.name()),
            (Some(d), Basis::HighestLevel) => {
                format!("{} first: the highest judged level", d.name())
            }
            (Some(d), Basis::ReportRanking(s)) => {
                format!(
                    "{} first: tied at the highest level, and the chapter ranks it first ({s})",
                    d.name()
                )
            }
            (_, Basis::Tie(ds)) => format!(
                "no priority: {} tie at the highest level and the chapter ranks none first; give --priority to choose",
                ids(ds)
            ),
            _ => "no priority: the report grades no dimension".into(),
        }
    }

    /// Spelling of the basis (`given`, `highest_level`, `report_ranking`, `tie`, `no_levels`).
    pub fn basis_str(&self) -> &'static str {
        match self.basis {
            Basis::Given => "given",
            Basis::HighestLevel => "highest_level",
            Basis::ReportRanking(_) => "report_ranking",
            Basis::Tie(_) => "tie",
            Basis::NoLevels => "no_levels",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lv(v: [Option<i64>; 4]) -> [Option<Level>; 4] {
        v.map(|x| x.and_then(Level::new))
    }

    #[test]
    fn ties_need_the_report_or_the_user() {
        let tied = lv([Some(1), Some(3), None, Some(3)]);
        let p = choose(&tied, None, None);
        assert_eq!(p.dimension, None);
        assert_eq!(
            p.basis,
            Basis::Tie(vec![
                Dimension::NationalSecurity,
                Dimension::Competitiveness
            ])
        );
        let ranking = ReportRanking {
            order: vec![Dimension::NationalSecurity, Dimension::Competitiveness],
            source: Source::Seed {
                from: 1747,
                to: 1752,
            },
        };
        let p = choose(&tied, None, Some(&ranking));
        assert_eq!(p.dimension, Some(Dimension::NationalSecurity));
        assert_eq!(p.basis_str(), "report_ranking");
        let p = choose(&tied, Some(Dimension::Competitiveness), Some(&ranking));
        assert_eq!(p.dimension, Some(Dimension::Competitiveness));
        let p = choose(&lv([Some(4), Some(3), None, None]), None, Some(&ranking));
        assert_eq!(
            (p.dimension, p.basis_str()),
            (Some(Dimension::SupplyResilience), "highest_level")
        );
        assert_eq!(choose(&lv([None; 4]), None, None).dimension, None);
    }
}
