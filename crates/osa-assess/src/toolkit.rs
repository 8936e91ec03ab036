//! Step 4 of the method (seed L1086-1107): the toolkit. Instruments (what each serves and strains)
//! and rules that map a technology's dimension profile and geopolitical context to ranked
//! instruments. Rules live in `data/baseline/toolkit.toml`, which analysts can read and edit;
//! `osa assess --toolkit FILE` uses an edited copy without recompiling.
//!
//! A rule holds when all its conditions hold. Conditions are short expressions:
//!
//! | condition | holds when |
//! |---|---|
//! | `level(D) >= N` (also `>`, `<=`, `<`, `==`) | the judged level of dimension D compares so (silent dimensions never match) |
//! | `priority(D)` | D is the assessment's priority dimension ([`crate::priority`]: given, else the highest judged level, ties broken only by the chapter's own ranking; `dominant(D)` is an old spelling of it) |
//! | `recommended(I)` | the report recommends instrument I for this technology |
//! | `storable_dependency` | an input in scope can be stocked (storability of a month or more) and one non-EU country holds half or more of it |
//! | `likelihood(D) >= X` | some counterpart's likelihood of weaponization on D compares so |
//! | `beyond_tolerance(D)` | some counterpart's risk on D exceeds its tolerance |
//! | `stance(D, R)` | some counterpart's stance on D is R (e.g. `systemic_rival`) |
//! | `eu_indispensable` | the EU holds at least half of an input in the technology's ecosystem scope |
//! | `eu_leverage >= X` | the EU's share of mutual leverage with the main counterpart compares so |
//! | `tension(D1, D2)` | D1 and D2 trade off: a stated tension of kind `trade_off`, or a divergence detected from the levels (a compounding or other relation never holds) |
//! | `consumer_facing` | the technology file says the technology reaches consumers directly |
//! | `has_ecosystem` | the technology has ecosystem data |
//! | `not C` | C does not hold |
//!
//! Step 4 comes in two tiers. First the instruments the report itself recommends for this
//! technology ([`Tier::Report`]), in the order of its recommendations (those the chapter ties to a
//! dimension first, then the others). Then osa's suggestions ([`Tier::Inference`]): instruments
//! only rules recommend, by score. An instrument's score is the sum of the weights of its rules that
//! hold, plus `recommendation_weight` for every recommendation of the report that names it.

use crate::dimension::{Dimension, Level};
use crate::geopolitics::Relationship;
use crate::source::Source;
use crate::technology::Recommendation;
use std::fmt;

/// Where an instrument hurts a dimension.
#[derive(Debug, Clone, PartialEq)]
pub struct Strain {
    /// The dimension strained.
    pub dimension: Dimension,
    /// How.
    pub text: String,
    /// True where the strain is osa's inference from the cited lines (they state a fact the strain
    /// builds on, not the strain itself).
    pub inference: bool,
    /// Source.
    pub source: Source,
}

/// A policy instrument.
#[derive(Debug, Clone, PartialEq)]
pub struct Instrument {
    /// Identifier (e.g. `industrial_policy`).
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Dimensions it mainly serves.
    pub serves: Vec<Dimension>,
    /// Where it hurts other dimensions.
    pub strains: Vec<Strain>,
    /// Words that name the instrument in the report's text (lower case, matched at the start of a
    /// word): a recommendation tagged with the instrument must use one within its cited lines.
    pub keywords: Vec<String>,
    /// Source.
    pub source: Source,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `>=`
    Ge,
    /// `>`
    Gt,
    /// `<=`
    Le,
    /// `<`
    Lt,
    /// `==`
    Eq,
}

impl Op {
    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Op::Ge => a >= b,
            Op::Gt => a > b,
            Op::Le => a <= b,
            Op::Lt => a < b,
            Op::Eq => (a - b).abs() < 1e-9,
        }
    }
    fn as_str(self) -> &'static str {
        match self {
            Op::Ge => ">=",
            Op::Gt => ">",
            Op::Le => "<=",
            Op::Lt => "<",
            Op::Eq => "==",
        }
    }
}

/// A rule condition (see the module documentation for the language).
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `level(D) op N`
    Level(Dimension, Op, f64),
    /// `priority(D)` (also spelled `dominant(D)`)
    Priority(Dimension),
    /// `recommended(I)`
    Recommended(String),
    /// `storable_dependency`
    StorableDependency,
    /// `likelihood(D) op X`
    Likelihood(Dimension, Op, f64),
    /// `beyond_tolerance(D)`
    BeyondTolerance(Dimension),
    /// `stance(D, R)`
    Stance(Dimension, Relationship),
    /// `eu_indispensable`
    EuIndispensable,
    /// `eu_leverage op X`
    EuLeverage(Op, f64),
    /// `tension(D1, D2)`
    Tension(Dimension, Dimension),
    /// `consumer_facing`
    ConsumerFacing,
    /// `has_ecosystem`
    HasEcosystem,
    /// `not C`
    Not(Box<Condition>),
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Condition::Level(d, op, n) => write!(f, "level({d}) {} {n}", op.as_str()),
            Condition::Priority(d) => write!(f, "priority({d})"),
            Condition::Recommended(i) => write!(f, "recommended({i})"),
            Condition::StorableDependency => f.write_str("storable_dependency"),
            Condition::Likelihood(d, op, x) => write!(f, "likelihood({d}) {} {x}", op.as_str()),
            Condition::BeyondTolerance(d) => write!(f, "beyond_tolerance({d})"),
            Condition::Stance(d, r) => write!(f, "stance({d}, {r})"),
            Condition::EuIndispensable => f.write_str("eu_indispensable"),
            Condition::EuLeverage(op, x) => write!(f, "eu_leverage {} {x}", op.as_str()),
            Condition::Tension(a, b) => write!(f, "tension({a}, {b})"),
            Condition::HasEcosystem => f.write_str("has_ecosystem"),
            Condition::ConsumerFacing => f.write_str("consumer_facing"),
            Condition::Not(c) => write!(f, "not {c}"),
        }
    }
}

fn split_op(s: &str) -> Option<(&str, Op, &str)> {
    for (tok, op) in [
        (">=", Op::Ge),
        ("<=", Op::Le),
        ("==", Op::Eq),
        (">", Op::Gt),
        ("<", Op::Lt),
    ] {
        if let Some((l, r)) = s.split_once(tok) {
            return Some((l.trim(), op, r.trim()));
        }
    }
    None
}

fn call<'a>(s: &'a str, name: &str) -> Option<Vec<&'a str>> {
    let rest = s.strip_prefix(name)?.trim_start();
    let inner = rest.strip_prefix('(')?.strip_suffix(')')?;
    Some(inner.split(',').map(str::trim).collect())
}

fn dim(s: &str) -> Result<Dimension, String> {
    s.parse()
}

fn number(s: &str) -> Result<f64, String> {
    s.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("`{s}` is not a number"))
}

impl Condition {
    /// Parses a condition.
    pub fn parse(text: &str) -> Result<Condition, String> {
        let s = text.trim();
        if let Some(rest) = s.strip_prefix("not ") {
            return Ok(Condition::Not(Box::new(Condition::parse(rest)?)));
        }
        match s {
            "eu_indispensable" => return Ok(Condition::EuIndispensable),
            "has_ecosystem" => return Ok(Condition::HasEcosystem),
            "consumer_facing" => return Ok(Condition::ConsumerFacing),
            "storable_dependency" => return Ok(Condition::StorableDependency),
            _ => {}
        }
        if let Some((lhs, op, rhs)) = split_op(s) {
            if lhs == "eu_leverage" {
                return Ok(Condition::EuLeverage(op, number(rhs)?));
            }
            if let Some(args) = call(lhs, "level") {
                let [d] = args.as_slice() else {
                    return Err(format!("`{s}`: level takes one dimension"));
                };
                let n = number(rhs)?;
                if !(0.0..=f64::from(Level::MAX)).contains(&n) {
                    return Err(format!("`{s}`: levels run 0-4"));
                }
                return Ok(Condition::Level(dim(d)?, op, n));
            }
            if let Some(args) = call(lhs, "likelihood") {
                let [d] = args.as_slice() else {
                    return Err(format!("`{s}`: likelihood takes one dimension"));
                };
                return Ok(Condition::Likelihood(dim(d)?, op, number(rhs)?));
            }
            return Err(format!("`{s}`: unknown comparison `{lhs}`"));
        }
        for name in ["priority", "dominant"] {
            if let Some(args) = call(s, name)
                && let [d] = args.as_slice()
            {
                return Ok(Condition::Priority(dim(d)?));
            }
        }
        if let Some(args) = call(s, "recommended")
            && let [i] = args.as_slice()
            && !i.is_empty()
        {
            return Ok(Condition::Recommended((*i).to_string()));
        }
        if let Some(args) = call(s, "beyond_tolerance")
            && let [d] = args.as_slice()
        {
            return Ok(Condition::BeyondTolerance(dim(d)?));
        }
        if let Some(args) = call(s, "stance")
            && let [d, r] = args.as_slice()
        {
            let rel = Relationship::parse(r)
                .ok_or_else(|| format!("`{s}`: unknown relationship `{r}`"))?;
            return Ok(Condition::Stance(dim(d)?, rel));
        }
        if let Some(args) = call(s, "tension")
            && let [a, b] = args.as_slice()
        {
            return Ok(Condition::Tension(dim(a)?, dim(b)?));
        }
        Err(format!(
            "`{s}` is not a condition (see the toolkit file's header for the language)"
        ))
    }
}

/// A rule recommending an instrument.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Identifier.
    pub id: String,
    /// The instrument it recommends.
    pub instrument: String,
    /// Weight added to the instrument's score when the rule holds.
    pub weight: f64,
    /// Conditions, all of which must hold.
    pub when: Vec<Condition>,
    /// Why, in the report's logic.
    pub rationale: String,
    /// Source.
    pub source: Source,
}

/// The toolkit: instruments and rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Toolkit {
    /// Instruments.
    pub instruments: Vec<Instrument>,
    /// Rules.
    pub rules: Vec<Rule>,
    /// Score added per recommendation of the report that names an instrument.
    pub recommendation_weight: f64,
}

impl Toolkit {
    /// An instrument by id.
    pub fn instrument(&self, id: &str) -> Option<&Instrument> {
        self.instruments.iter().find(|i| i.id == id)
    }
}

/// Everything the rules can ask about a technology.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Judged levels by dimension.
    pub levels: [Option<Level>; 4],
    /// Where a judged level is contestable, the range a second reader could defend (low, high).
    pub ranges: [Option<(Level, Level)>; 4],
    /// Highest likelihood across counterparts, by dimension.
    pub max_likelihood: [Option<f64>; 4],
    /// Whether some counterpart is beyond tolerance, by dimension.
    pub beyond_tolerance: [bool; 4],
    /// Every counterpart's stance by dimension.
    pub stances: Vec<(String, [Relationship; 4])>,
    /// Whether the EU holds half or more of an input in scope (None: no ecosystem).
    pub eu_indispensable: Option<bool>,
    /// The EU's share of mutual leverage with the main counterpart.
    pub eu_leverage: Option<f64>,
    /// Pairs of dimensions that trade off (stated trade-offs and divergences in the levels).
    pub tensions: Vec<(Dimension, Dimension)>,
    /// Where the technology file says it is consumer-facing: the lines; None otherwise.
    pub consumer_facing: Option<String>,
    /// Whether ecosystem data exists.
    pub has_ecosystem: bool,
    /// The priority dimension (see [`crate::priority`]).
    pub priority: Option<Dimension>,
    /// Instruments the report recommends for this technology.
    pub recommended: Vec<String>,
    /// A stockable input in scope that one non-EU country dominates: the finding, or None when
    /// there is none (or no ecosystem data).
    pub storable_dependency: Option<String>,
}

/// Evaluates a condition, with the finding that decided it: each kind of condition asks one fact.
pub fn evaluate(c: &Condition, facts: &Facts) -> (bool, String) {
    match c {
        Condition::Level(d, op, n) => level_holds(facts, *d, *op, *n),
        Condition::Priority(d) => match facts.priority {
            Some(p) => (p == *d, format!("the priority dimension is {}", p.name())),
            None => (false, "no priority dimension (tied levels)".into()),
        },
        Condition::Recommended(i) => recommended_holds(facts, i),
        Condition::StorableDependency => match &facts.storable_dependency {
            Some(f) => (true, f.clone()),
            None => (
                false,
                "no stockable input dominated by one non-EU country".into(),
            ),
        },
        Condition::Likelihood(d, op, x) => likelihood_holds(facts, *d, *op, *x),
        Condition::BeyondTolerance(d) => beyond_tolerance_holds(facts, *d),
        Condition::Stance(d, r) => stance_holds(facts, *d, *r),
        Condition::EuIndispensable => eu_indispensable_holds(facts),
        Condition::EuLeverage(op, x) => match facts.eu_leverage {
            Some(l) => (
                op.holds(l, *x),
                format!("the EU holds {:.0}% of mutual leverage", l * 100.0),
            ),
            None => (false, "mutual leverage unknown".into()),
        },
        Condition::Tension(a, b) => tension_holds(facts, *a, *b),
        Condition::ConsumerFacing => match &facts.consumer_facing {
            Some(source) => (
                true,
                format!("the technology is consumer-facing ({source})"),
            ),
            None => (false, "the technology is not consumer-facing".into()),
        },
        Condition::HasEcosystem => (
            facts.has_ecosystem,
            if facts.has_ecosystem {
                "ecosystem data exists".into()
            } else {
                "no ecosystem data".into()
            },
        ),
        Condition::Not(inner) => {
            let (v, why) = evaluate(inner, facts);
            (!v, why)
        }
    }
}

/// `level(D) op N`: never on a silent dimension. Where the level is contestable and the condition
/// would not hold at one end of its range, the finding says so.
fn level_holds(facts: &Facts, d: Dimension, op: Op, n: f64) -> (bool, String) {
    let Some(l) = facts.levels[d.index()] else {
        return (false, format!("the report is silent on {}", d.name()));
    };
    let holds = |x: Level| op.holds(f64::from(x.value()), n);
    let hit = holds(l);
    let mut finding = format!("{} level is {l}", d.name());
    if let Some((low, high)) = facts.ranges[d.index()]
        && let Some(other) = [low, high].into_iter().find(|x| holds(*x) != hit)
    {
        finding.push_str(&format!(
            " (contestable, {low}-{high}: at {other} this would {})",
            if hit { "not hold" } else { "hold" }
        ));
    }
    (hit, finding)
}

/// `recommended(I)`.
fn recommended_holds(facts: &Facts, i: &str) -> (bool, String) {
    let hit = facts.recommended.iter().any(|r| r == i);
    (
        hit,
        format!(
            "the report {} {i} for this technology",
            if hit {
                "recommends"
            } else {
                "does not recommend"
            }
        ),
    )
}

/// `likelihood(D) op X`: the highest likelihood across counterparts.
fn likelihood_holds(facts: &Facts, d: Dimension, op: Op, x: f64) -> (bool, String) {
    match facts.max_likelihood[d.index()] {
        Some(l) => (
            op.holds(l, x),
            format!(
                "highest likelihood of weaponization on {} is {l:.2}",
                d.name()
            ),
        ),
        None => (false, "no counterpart".into()),
    }
}

/// `beyond_tolerance(D)`.
fn beyond_tolerance_holds(facts: &Facts, d: Dimension) -> (bool, String) {
    (
        facts.beyond_tolerance[d.index()],
        format!(
            "risk on {} is {} tolerance",
            d.name(),
            if facts.beyond_tolerance[d.index()] {
                "beyond"
            } else {
                "within"
            }
        ),
    )
}

/// `stance(D, R)`: which counterparts take that stance.
fn stance_holds(facts: &Facts, d: Dimension, r: Relationship) -> (bool, String) {
    let who: Vec<&str> = facts
        .stances
        .iter()
        .filter(|(_, s)| s[d.index()] == r)
        .map(|(c, _)| c.as_str())
        .collect();
    let stance = r.to_string().replace('_', " ");
    (
        !who.is_empty(),
        if who.is_empty() {
            format!("no counterpart is a {stance} on {}", d.name())
        } else {
            format!("{} is a {stance} on {}", who.join(", "), d.name())
        },
    )
}

/// `eu_indispensable`: never without ecosystem data.
fn eu_indispensable_holds(facts: &Facts) -> (bool, String) {
    match facts.eu_indispensable {
        Some(b) => (
            b,
            if b {
                "the EU holds half or more of at least one input".into()
            } else {
                "the EU holds half of no input".into()
            },
        ),
        None => (false, "no ecosystem data".into()),
    }
}

/// `tension(D1, D2)`, in either order: only a trade-off.
fn tension_holds(facts: &Facts, a: Dimension, b: Dimension) -> (bool, String) {
    let hit = facts
        .tensions
        .iter()
        .any(|(x, y)| (*x == a && *y == b) || (*x == b && *y == a));
    (
        hit,
        format!(
            "{} trade-off between {} and {}",
            if hit { "a" } else { "no" },
            a.name(),
            b.name()
        ),
    )
}

/// Why an instrument is recommended.
#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    /// A rule held.
    Rule {
        /// Rule id.
        id: String,
        /// Its weight.
        weight: f64,
        /// Its rationale.
        rationale: String,
        /// The findings that made its conditions hold.
        findings: Vec<String>,
        /// Source.
        source: Source,
    },
    /// The report recommends it for this technology.
    Report {
        /// The recommendation, in our words.
        text: String,
        /// The chapter's words, where recorded.
        quote: Option<String>,
        /// Source.
        source: Source,
    },
}

/// Which tier of step 4 an instrument is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// The report recommends it for this technology (quoted with its lines).
    Report,
    /// Only osa's rules suggest it: osa's inference, with the rules that fired.
    Inference,
}

impl Tier {
    /// Spelling in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Report => "report",
            Tier::Inference => "osa",
        }
    }

    /// The label printed with the instrument.
    pub fn label(self) -> &'static str {
        match self {
            Tier::Report => "the report recommends",
            Tier::Inference => "osa's inference",
        }
    }
}

/// A conflict an instrument creates.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The dimension it strains.
    pub dimension: Dimension,
    /// That dimension's level for this technology.
    pub level: Option<Level>,
    /// How.
    pub text: String,
    /// Whether the strain is osa's inference (see [`Strain::inference`]).
    pub inference: bool,
    /// Source.
    pub source: Source,
}

/// A ranked instrument.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    /// Instrument id.
    pub id: String,
    /// The tier: the report's recommendation, or osa's inference.
    pub tier: Tier,
    /// Score.
    pub score: f64,
    /// What triggered it.
    pub triggers: Vec<Trigger>,
    /// The conflicts it creates for this technology.
    pub conflicts: Vec<Conflict>,
}

/// Ranks instruments for a technology: the rules that hold add their weights, each of the report's
/// `recommendations` (in the order step 4 lists them, see
/// [`crate::technology::Technology::recommendations_in_order`]) adds `recommendation_weight` to the
/// instruments it names, each instrument collects its conflicts, and the list is put in tier order:
/// the report's recommendations first, in the order they are first named, then osa's suggestions by
/// score.
pub fn rank(toolkit: &Toolkit, facts: &Facts, recommendations: &[&Recommendation]) -> Vec<Ranked> {
    let mut out: Vec<Ranked> = Vec::new();
    add_rules(toolkit, facts, &mut out);
    let report_order = add_recommendations(toolkit, recommendations, &mut out);
    for r in &mut out {
        if let Some(inst) = toolkit.instrument(&r.id) {
            r.conflicts = conflicts(inst, facts);
        }
    }
    out.retain(|r| r.score > 0.0);
    let position = |id: &str| report_order.iter().position(|x| x == id);
    out.sort_by(|a, b| {
        a.tier.cmp(&b.tier).then_with(|| match a.tier {
            Tier::Report => position(&a.id).cmp(&position(&b.id)),
            Tier::Inference => b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)),
        })
    });
    out
}

/// The entry of instrument `id`, added (in the inference tier, score 0) when missing.
fn slot<'a>(out: &'a mut Vec<Ranked>, id: &str) -> &'a mut Ranked {
    let k = match out.iter().position(|r| r.id == id) {
        Some(k) => k,
        None => {
            out.push(Ranked {
                id: id.to_string(),
                tier: Tier::Inference,
                score: 0.0,
                triggers: Vec::new(),
                conflicts: Vec::new(),
            });
            out.len() - 1
        }
    };
    &mut out[k]
}

/// Every rule whose conditions all hold adds its weight, with the findings that decided it.
fn add_rules(toolkit: &Toolkit, facts: &Facts, out: &mut Vec<Ranked>) {
    for rule in &toolkit.rules {
        let results: Vec<(bool, String)> = rule.when.iter().map(|c| evaluate(c, facts)).collect();
        if results.iter().all(|r| r.0) {
            let r = slot(out, &rule.instrument);
            r.score += rule.weight;
            r.triggers.push(Trigger::Rule {
                id: rule.id.clone(),
                weight: rule.weight,
                rationale: rule.rationale.clone(),
                findings: results.into_iter().map(|r| r.1).collect(),
                source: rule.source.clone(),
            });
        }
    }
}

/// Every instrument a recommendation of the report names moves to the report's tier; returns the
/// instrument ids in the order they are first named.
fn add_recommendations(
    toolkit: &Toolkit,
    recommendations: &[&Recommendation],
    out: &mut Vec<Ranked>,
) -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    for rec in recommendations {
        for id in &rec.instruments {
            let r = slot(out, id);
            r.tier = Tier::Report;
            r.score += toolkit.recommendation_weight;
            r.triggers.push(Trigger::Report {
                text: rec.text.clone(),
                quote: rec.quote.clone(),
                source: rec.source.clone(),
            });
            if !order.contains(id) {
                order.push(id.clone());
            }
        }
    }
    order
}

/// The strains of an instrument on dimensions this technology is exposed on (level 2 or more).
fn conflicts(inst: &Instrument, facts: &Facts) -> Vec<Conflict> {
    inst.strains
        .iter()
        .filter_map(|s| {
            let level = facts.levels[s.dimension.index()];
            level.is_some_and(|l| l.value() >= 2).then(|| Conflict {
                dimension: s.dimension,
                level,
                text: s.text.clone(),
                inference: s.inference,
                source: s.source.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_parse_and_print() {
        for s in [
            "level(competitiveness) >= 3",
            "priority(national_security)",
            "recommended(tariffs_sanctions)",
            "storable_dependency",
            "likelihood(supply_resilience) >= 0.4",
            "beyond_tolerance(national_security)",
            "stance(national_security, systemic_rival)",
            "eu_indispensable",
            "eu_leverage >= 0.5",
            "tension(supply_resilience, national_security)",
            "has_ecosystem",
            "consumer_facing",
            "not eu_indispensable",
        ] {
            let c = Condition::parse(s).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(c.to_string(), s);
        }
        assert!(Condition::parse("level(security) >= 3").is_err());
        assert!(Condition::parse("level(competitiveness) >= 7").is_err());
        assert!(Condition::parse("stance(national_security, enemy)").is_err());
        assert!(Condition::parse("whatever").is_err());
        assert_eq!(
            Condition::parse("dominant(competitiveness)"),
            Ok(Condition::Priority(Dimension::Competitiveness))
        );
        assert!(Condition::parse("recommended()").is_err());
    }

    #[test]
    fn rules_rank_and_explain() {
        let facts = Facts {
            levels: [Level::new(1), Level::new(3), Level::new(0), Level::new(4)],
            priority: Some(Dimension::Competitiveness),
            ..Facts::default()
        };
        let rule = |id: &str, inst: &str, w: f64, when: &[&str]| Rule {
            id: id.into(),
            instrument: inst.into(),
            weight: w,
            when: when
                .iter()
                .map(|c| Condition::parse(c).expect("condition"))
                .collect(),
            rationale: format!("{id} rationale"),
            source: Source::Seed {
                from: 1096,
                to: 1100,
            },
        };
        let toolkit = Toolkit {
            instruments: vec![Instrument {
                id: "industrial_policy".into(),
                name: "Industrial policy".into(),
                description: String::new(),
                serves: vec![Dimension::Competitiveness],
                strains: vec![Strain {
                    dimension: Dimension::NationalSecurity,
                    text: "x".into(),
                    inference: true,
                    source: Source::Seed { from: 1, to: 1 },
                }],
                keywords: vec!["industrial policy".into()],
                source: Source::Seed { from: 1, to: 1 },
            }],
            rules: vec![
                rule(
                    "tc",
                    "industrial_policy",
                    3.0,
                    &["priority(competitiveness)", "level(competitiveness) >= 3"],
                ),
                rule(
                    "vals",
                    "regulation",
                    2.0,
                    &["level(values_sustainability) >= 2"],
                ),
                rule("ns", "monitoring", 1.0, &["level(national_security) >= 3"]),
            ],
            recommendation_weight: 1.0,
        };
        let rec = Recommendation {
            text: "map risks".into(),
            instruments: vec!["monitoring".into()],
            dimensions: vec![Dimension::NationalSecurity],
            stated: true,
            quote: Some("Map and assess the domain-specific risks".into()),
            source: Source::Seed {
                from: 1999,
                to: 2022,
            },
        };
        let ranked = rank(&toolkit, &facts, &[&rec]);
        let ids: Vec<&str> = ranked.iter().map(|r| r.id.as_str()).collect();
        // The report's recommendation comes first whatever the scores (issue 19: step 4 in two
        // tiers); before, monitoring (score 2) ranked below industrial policy (score 3).
        assert_eq!(ids, ["monitoring", "industrial_policy"]);
        assert_eq!(
            (ranked[0].tier, ranked[1].tier),
            (Tier::Report, Tier::Inference)
        );
        assert_eq!(ranked[0].score, 2.0);
        assert_eq!(ranked[1].score, 3.0);
        // Industrial policy strains national security, which is at level 3 here; the strain is
        // marked as osa's inference.
        assert_eq!(ranked[1].conflicts.len(), 1);
        assert!(ranked[1].conflicts[0].inference);
    }
}
