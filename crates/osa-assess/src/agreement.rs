//! Step 2, judged beside computed: how much of a cell rests on data. A cell's level can be judged
//! (the analyst's reading of the report), computed (from step 1's ecosystem data, [`crate::indicators`]),
//! both, or neither; where both exist, they agree when equal, are close when one level apart, and
//! disagree when two or more apart.

use crate::dimension::Level;

/// What a cell's level rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Only the analyst's judgment.
    JudgedOnly,
    /// Only a level computed from ecosystem data (the report is silent).
    ComputedOnly,
    /// Both a judged and a computed level.
    Both,
    /// Neither (the report is silent and there is no data).
    Neither,
}

impl Basis {
    /// Of a judged and a computed level.
    pub fn of(judged: Option<Level>, computed: Option<Level>) -> Basis {
        match (judged, computed) {
            (Some(_), Some(_)) => Basis::Both,
            (Some(_), None) => Basis::JudgedOnly,
            (None, Some(_)) => Basis::ComputedOnly,
            (None, None) => Basis::Neither,
        }
    }

    /// Spelling in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::JudgedOnly => "judged_only",
            Basis::ComputedOnly => "computed_only",
            Basis::Both => "both",
            Basis::Neither => "neither",
        }
    }
}

/// How a judged and a computed level compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agreement {
    /// Both exist and are equal.
    Agree,
    /// Both exist and are one level apart.
    Close,
    /// Both exist and differ by two or more.
    Disagree,
    /// Only the judged level exists.
    JudgedOnly,
    /// Only the computed level exists (the report is silent).
    ComputedOnly,
    /// Neither exists.
    Neither,
}

impl Agreement {
    /// Of a judged and a computed level.
    pub fn of(judged: Option<Level>, computed: Option<Level>) -> Agreement {
        match (judged, computed) {
            (Some(j), Some(c)) => match (i16::from(j.value()) - i16::from(c.value())).abs() {
                0 => Agreement::Agree,
                1 => Agreement::Close,
                _ => Agreement::Disagree,
            },
            (Some(_), None) => Agreement::JudgedOnly,
            (None, Some(_)) => Agreement::ComputedOnly,
            (None, None) => Agreement::Neither,
        }
    }

    /// Spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Agreement::Agree => "agree",
            Agreement::Close => "close",
            Agreement::Disagree => "disagree",
            Agreement::JudgedOnly => "judged_only",
            Agreement::ComputedOnly => "computed_only",
            Agreement::Neither => "neither",
        }
    }

    /// Where both levels exist, how they compare (`agree`, `close`, `disagree`); otherwise None.
    pub fn comparison(self) -> Option<&'static str> {
        matches!(
            self,
            Agreement::Agree | Agreement::Close | Agreement::Disagree
        )
        .then(|| self.as_str())
    }
}

/// The definition printed with every matrix and dossier that shows the basis.
pub const DEFINITION: &str = "basis: judged only (the analyst's reading of the report), computed only (from step 1's ecosystem data), or both; where both exist they agree when equal, are close when one level apart and disagree when two or more apart";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_level_apart_is_close_not_agreement() {
        let l = |v| Level::new(v);
        assert_eq!(Agreement::of(l(3), l(3)), Agreement::Agree);
        assert_eq!(Agreement::of(l(3), l(2)), Agreement::Close);
        assert_eq!(Agreement::of(l(1), l(3)), Agreement::Disagree);
        assert_eq!(Agreement::of(l(1), None).comparison(), None);
        assert_eq!(Basis::of(None, l(2)), Basis::ComputedOnly);
        assert_eq!(Basis::of(l(0), l(2)).as_str(), "both");
    }
}
