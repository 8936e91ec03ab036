//! Disruption scenarios as written: shocks (who stops supplying what, how much, when, for how long)
//! and mitigations (stock, substitution, spare capacity), with the compact command-line syntax
//! `SUPPLIER:INPUTS=LOST[@START[+DURATION]]` documented in `docs/scenarios.md`.
//!
//! References here are plain strings; [`crate::compile`] resolves them against an ecosystem. Values
//! that are uncertain are [`Value`] ranges, drawn uniformly by the Monte Carlo.

use crate::error::Error;
use std::fmt;
use std::str::FromStr;

/// Weeks per month, used to turn months of stock into weeks of use (52 / 12).
pub const WEEKS_PER_MONTH: f64 = 52.0 / 12.0;

/// A number, or a range `lo..hi` drawn uniformly in each Monte Carlo draw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Value {
    /// Lower bound (equal to `hi` for a point value).
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
}

impl Value {
    /// A point value.
    pub fn point(v: f64) -> Value {
        Value { lo: v, hi: v }
    }

    /// A range (bounds in any order).
    pub fn range(a: f64, b: f64) -> Value {
        Value {
            lo: a.min(b),
            hi: a.max(b),
        }
    }

    /// Whether the value is a proper range.
    pub fn is_range(&self) -> bool {
        self.hi > self.lo
    }

    /// The midpoint: the value of the point estimate.
    pub fn mid(&self) -> f64 {
        if self.is_range() {
            0.5 * (self.lo + self.hi)
        } else {
            self.lo
        }
    }

    /// Checks that both bounds are finite and within `[min, max]`.
    pub fn check(&self, what: &str, min: f64, max: f64) -> Result<(), Error> {
        let ok = |v: f64| v.is_finite() && v >= min && v <= max;
        if ok(self.lo) && ok(self.hi) {
            Ok(())
        } else if max.is_finite() {
            Err(Error::Value(format!(
                "{what} {self} is outside {min}-{max}"
            )))
        } else {
            Err(Error::Value(format!(
                "{what} {self} is negative or not a number"
            )))
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_range() {
            write!(f, "{}..{}", self.lo, self.hi)
        } else {
            write!(f, "{}", self.lo)
        }
    }
}

impl FromStr for Value {
    type Err = String;
    fn from_str(s: &str) -> Result<Value, String> {
        let num = |t: &str| -> Result<f64, String> {
            let t = t.trim();
            t.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("`{t}` is not a number"))
        };
        match s.split_once("..") {
            Some((a, b)) => {
                let (a, b) = (num(a)?, num(b)?);
                if a > b {
                    return Err(format!("range `{s}` runs backwards (write low..high)"));
                }
                Ok(Value::range(a, b))
            }
            None => num(s).map(Value::point),
        }
    }
}

/// Which inputs a shock or mitigation applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Every input (`*`).
    All,
    /// Input ids, or stage ids (a stage stands for its processes).
    Ids(Vec<String>),
}

impl Target {
    /// The ids as written (`["*"]` for all).
    pub fn to_list(&self) -> Vec<String> {
        match self {
            Target::All => vec!["*".to_string()],
            Target::Ids(v) => v.clone(),
        }
    }

    /// From a list as written (`["*"]` or ids).
    pub fn from_list(list: &[String]) -> Result<Target, String> {
        if list.iter().any(|s| s.trim() == "*") {
            if list.len() > 1 {
                return Err("`*` (all inputs) cannot be combined with ids".to_string());
            }
            return Ok(Target::All);
        }
        if list.is_empty() || list.len() == 1 && list[0].trim().is_empty() {
            return Err("no input given (write an id, a comma list, or `*`)".to_string());
        }
        let mut ids = Vec::with_capacity(list.len());
        for (k, s) in list.iter().enumerate() {
            let id = s.trim();
            osa_model::id::check_id(id).map_err(|m| {
                format!(
                    "input {} of the list (`{}`): {m}",
                    k + 1,
                    osa_model::id::escaped(id)
                )
            })?;
            ids.push(id.to_string());
        }
        Ok(Target::Ids(ids))
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_list().join(","))
    }
}

impl FromStr for Target {
    type Err = String;
    fn from_str(s: &str) -> Result<Target, String> {
        let parts: Vec<String> = s.split(',').map(|p| p.trim().to_string()).collect();
        Target::from_list(&parts)
    }
}

/// The supplier that stands for the whole world supply of an input.
pub const ALL_SUPPLIERS: &str = "*";

/// One shock: a supplier stops delivering a share of what it supplies of some inputs. Two shocks
/// are equal when they say the same, wherever they are written (`origin` is not compared).
#[derive(Debug, Clone)]
pub struct Shock {
    /// ISO3 country, region (`EUR`), bloc id (`EU27`), firm id, or `*` (all suppliers).
    pub supplier: String,
    /// Inputs hit.
    pub target: Target,
    /// Share (0-1) of the supplier's deliveries lost.
    pub lost: Value,
    /// First week of the shock (0 = the start of the scenario).
    pub start_week: u32,
    /// Length in weeks; `None` for a permanent shock.
    pub duration_weeks: Option<u32>,
    /// Where the assumption comes from (`seed L...`, `pub: ...`, `judgment: ...`).
    pub source: String,
    /// Free text.
    pub note: String,
    /// Where the shock is written, for messages: `FILE:LINE: shock #N` in a scenario file, empty
    /// on the command line.
    pub origin: String,
}

impl PartialEq for Shock {
    fn eq(&self, o: &Shock) -> bool {
        (
            &self.supplier,
            &self.target,
            &self.lost,
            self.start_week,
            self.duration_weeks,
            &self.source,
            &self.note,
        ) == (
            &o.supplier,
            &o.target,
            &o.lost,
            o.start_week,
            o.duration_weeks,
            &o.source,
            &o.note,
        )
    }
}

impl Shock {
    /// How messages name the shock: its origin (when from a file) and its text.
    pub fn describe(&self) -> String {
        if self.origin.is_empty() {
            format!("shock `{}`", osa_model::id::escaped(&self.to_string()))
        } else {
            format!(
                "{}: shock `{}`",
                self.origin,
                osa_model::id::escaped(&self.to_string())
            )
        }
    }

    /// Checks the numbers.
    pub fn check(&self) -> Result<(), Error> {
        self.lost
            .check(&format!("{}: lost share", self.describe()), 0.0, 1.0)?;
        if self.supplier.trim().is_empty() {
            return Err(Error::Value(format!(
                "{}: the supplier is empty",
                self.describe()
            )));
        }
        if self.supplier != ALL_SUPPLIERS {
            osa_model::id::check_id(&self.supplier)
                .map_err(|m| Error::Value(format!("{}: supplier: {m}", self.describe())))?;
        }
        if self.duration_weeks == Some(0) {
            return Err(Error::Value(format!(
                "{}: a duration of 0 weeks does nothing (leave it out for a permanent shock)",
                self.describe()
            )));
        }
        crate::limits::check_weeks(&format!("{}: start week", self.describe()), self.start_week)?;
        if let Some(d) = self.duration_weeks {
            crate::limits::check_weeks(&format!("{}: duration", self.describe()), d)?;
        }
        Ok(())
    }

    /// The week after the shock's last week; `None` when permanent.
    pub fn end_week(&self) -> Option<u32> {
        self.duration_weeks
            .map(|d| self.start_week.saturating_add(d))
    }
}

impl fmt::Display for Shock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}={}", self.supplier, self.target, self.lost)?;
        match (self.start_week, self.duration_weeks) {
            (0, None) => Ok(()),
            (s, None) => write!(f, "@{s}"),
            (s, Some(d)) => write!(f, "@{s}+{d}"),
        }
    }
}

fn syntax(flag: &str, text: &str, message: impl Into<String>) -> Error {
    Error::Syntax {
        what: format!("{flag} `{}`", osa_model::id::escaped(text)),
        message: message.into(),
    }
}

impl FromStr for Shock {
    type Err = Error;
    /// Parses `SUPPLIER:INPUTS=LOST[@START[+DURATION]]`, e.g. `CHN:gallium=1.0`,
    /// `TWN:leading-edge-logic-fabrication=1.0@0+8`, `EU27:*=0.5..0.9`.
    fn from_str(text: &str) -> Result<Shock, Error> {
        const EXPECTED: &str = "expected SUPPLIER:INPUTS=LOST[@START+DURATION], e.g. CHN:gallium=1.0 or TWN:leading-edge-logic-fabrication=1.0@0+8";
        let err = |m: &str| syntax("--shock", text, format!("{m}; {EXPECTED}"));
        let (supplier, rest) = text.split_once(':').ok_or_else(|| err("no `:`"))?;
        let (inputs, rest) = rest.split_once('=').ok_or_else(|| err("no `=`"))?;
        let (lost, timing) = match rest.split_once('@') {
            Some((l, t)) => (l, Some(t)),
            None => (rest, None),
        };
        let supplier = supplier.trim();
        if supplier.is_empty() {
            return Err(err("the supplier is empty"));
        }
        let target: Target = inputs.parse().map_err(|m: String| err(&m))?;
        let lost: Value = lost
            .parse()
            .map_err(|m: String| err(&format!("lost share: {m}")))?;
        let (start_week, duration_weeks) = match timing {
            None => (0, None),
            Some(t) => parse_timing(t).map_err(|m| err(&m))?,
        };
        let shock = Shock {
            supplier: supplier.to_string(),
            target,
            lost,
            start_week,
            duration_weeks,
            source: "command line".to_string(),
            note: String::new(),
            origin: String::new(),
        };
        shock
            .check()
            .map_err(|e| syntax("--shock", text, e.to_string()))?;
        Ok(shock)
    }
}

/// `START` or `START+DURATION` (weeks).
fn parse_timing(t: &str) -> Result<(u32, Option<u32>), String> {
    let weeks = |s: &str, what: &str| -> Result<u32, String> {
        s.trim()
            .parse::<u32>()
            .map_err(|_| format!("{what} `{}` is not a whole number of weeks", s.trim()))
    };
    match t.split_once('+') {
        Some((s, d)) => {
            let start = if s.trim().is_empty() {
                0
            } else {
                weeks(s, "start")?
            };
            Ok((start, Some(weeks(d, "duration")?)))
        }
        None => Ok((weeks(t, "start")?, None)),
    }
}

/// A mitigation: what users of some inputs can do when supply falls short. Unset fields keep the
/// input's own values (`storability_months`, `substitutability`) or the defaults (no spare
/// capacity, no ramp-up). Two mitigations are equal when they say the same, wherever they are
/// written (`origin` is not compared).
#[derive(Debug, Clone)]
pub struct Mitigation {
    /// Inputs it applies to.
    pub target: Target,
    /// Months of normal use held in stock by users.
    pub stock_months: Option<Value>,
    /// Share (0-1) of use that can switch to a substitute once ramped up.
    pub substitution: Option<Value>,
    /// Weeks for substitution to reach its full share (linear ramp; 0 = at once).
    pub substitution_ramp_weeks: Option<f64>,
    /// Extra output (0-1, a share of their current output) the unaffected suppliers can add.
    pub spare_capacity: Option<Value>,
    /// Weeks for spare capacity to come fully on line (linear ramp; 0 = at once).
    pub spare_ramp_weeks: Option<f64>,
    /// Where the assumption comes from.
    pub source: String,
    /// Where the mitigation is written, for messages (`FILE:LINE: mitigation #N`); empty on the
    /// command line.
    pub origin: String,
}

impl PartialEq for Mitigation {
    fn eq(&self, o: &Mitigation) -> bool {
        (
            &self.target,
            &self.stock_months,
            &self.substitution,
            &self.substitution_ramp_weeks,
            &self.spare_capacity,
            &self.spare_ramp_weeks,
            &self.source,
        ) == (
            &o.target,
            &o.stock_months,
            &o.substitution,
            &o.substitution_ramp_weeks,
            &o.spare_capacity,
            &o.spare_ramp_weeks,
            &o.source,
        )
    }
}

impl Mitigation {
    /// How messages name the mitigation: its origin (when from a file) and its inputs.
    pub fn describe(&self) -> String {
        let inputs = osa_model::id::escaped(&self.target.to_string());
        if self.origin.is_empty() {
            format!("mitigation on `{inputs}`")
        } else {
            format!("{}: mitigation on `{inputs}`", self.origin)
        }
    }

    /// A mitigation on `target` that changes nothing yet.
    pub fn on(target: Target) -> Mitigation {
        Mitigation {
            target,
            stock_months: None,
            substitution: None,
            substitution_ramp_weeks: None,
            spare_capacity: None,
            spare_ramp_weeks: None,
            source: String::new(),
            origin: String::new(),
        }
    }

    /// Checks the numbers.
    pub fn check(&self) -> Result<(), Error> {
        let what = |f: &str| format!("{}: {f}", self.describe());
        if let Some(v) = self.stock_months {
            v.check(
                &what("stock_months"),
                0.0,
                f64::from(crate::limits::MAX_WEEKS) * 12.0 / 52.0,
            )?;
        }
        if let Some(v) = self.substitution {
            v.check(&what("substitution"), 0.0, 1.0)?;
        }
        if let Some(v) = self.spare_capacity {
            v.check(&what("spare_capacity"), 0.0, 1.0)?;
        }
        for (name, r) in [
            ("substitution_ramp_weeks", self.substitution_ramp_weeks),
            ("spare_ramp_weeks", self.spare_ramp_weeks),
        ] {
            if let Some(r) = r {
                Value::point(r).check(&what(name), 0.0, f64::from(crate::limits::MAX_WEEKS))?;
            }
        }
        Ok(())
    }

    /// Parses `--stock INPUTS=MONTHS` (e.g. `neon=3`, `*=1..2`).
    pub fn parse_stock(text: &str) -> Result<Mitigation, Error> {
        let (target, value, _) = parse_flag("--stock", text, false)?;
        let mut m = Mitigation::on(target);
        m.stock_months = Some(value);
        m.source = "command line".into();
        m.check()
            .map_err(|e| syntax("--stock", text, e.to_string()))?;
        Ok(m)
    }

    /// Parses `--substitution INPUTS=SHARE[@RAMP_WEEKS]` (e.g. `gallium=0.3@12`).
    pub fn parse_substitution(text: &str) -> Result<Mitigation, Error> {
        let (target, value, ramp) = parse_flag("--substitution", text, true)?;
        let mut m = Mitigation::on(target);
        m.substitution = Some(value);
        m.substitution_ramp_weeks = ramp;
        m.source = "command line".into();
        m.check()
            .map_err(|e| syntax("--substitution", text, e.to_string()))?;
        Ok(m)
    }

    /// Parses `--spare INPUTS=SHARE[@RAMP_WEEKS]` (e.g. `*=0.1@4`).
    pub fn parse_spare(text: &str) -> Result<Mitigation, Error> {
        let (target, value, ramp) = parse_flag("--spare", text, true)?;
        let mut m = Mitigation::on(target);
        m.spare_capacity = Some(value);
        m.spare_ramp_weeks = ramp;
        m.source = "command line".into();
        m.check()
            .map_err(|e| syntax("--spare", text, e.to_string()))?;
        Ok(m)
    }
}

fn parse_flag(
    flag: &str,
    text: &str,
    with_ramp: bool,
) -> Result<(Target, Value, Option<f64>), Error> {
    let expected = if with_ramp {
        "expected INPUTS=VALUE[@RAMP_WEEKS], e.g. gallium=0.3@12"
    } else {
        "expected INPUTS=VALUE, e.g. neon=3 or *=1..2"
    };
    let err = |m: &str| syntax(flag, text, format!("{m}; {expected}"));
    let (inputs, rest) = text.split_once('=').ok_or_else(|| err("no `=`"))?;
    let target: Target = inputs.parse().map_err(|m: String| err(&m))?;
    let (value, ramp) = match rest.split_once('@') {
        Some((v, r)) if with_ramp => {
            let weeks = r
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|w| w.is_finite() && *w >= 0.0)
                .ok_or_else(|| err(&format!("ramp-up `{r}` is not a number of weeks")))?;
            (v, Some(weeks))
        }
        Some(_) => return Err(err("no ramp-up time here")),
        None => (rest, None),
    };
    let value: Value = value.parse().map_err(|m: String| err(&m))?;
    Ok((target, value, ramp))
}

/// A named scenario: shocks and mitigations, with their sources.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scenario {
    /// Identifier (kebab-case).
    pub id: String,
    /// Display name.
    pub name: String,
    /// What it models.
    pub description: String,
    /// The ecosystem it was written for (a built-in name), if any.
    pub ecosystem: Option<String>,
    /// Sources of the scenario as a whole.
    pub sources: Vec<String>,
    /// Horizon in weeks of the weekly profile (default: the end of the last timed shock).
    pub weeks: Option<u32>,
    /// Shocks.
    pub shocks: Vec<Shock>,
    /// Mitigations, in order (a later one overrides an earlier one on the same input and field).
    pub mitigations: Vec<Mitigation>,
}

impl Scenario {
    /// Checks every shock and mitigation.
    pub fn check(&self) -> Result<(), Error> {
        for s in &self.shocks {
            s.check()?;
        }
        for m in &self.mitigations {
            m.check()?;
        }
        if self.weeks == Some(0) {
            return Err(Error::Value("weeks = 0 leaves no week to show".into()));
        }
        if let Some(w) = self.weeks {
            crate::limits::check_weeks("weeks", w)?;
        }
        Ok(())
    }

    /// Whether any number is a range (the Monte Carlo has something to draw).
    pub fn has_ranges(&self) -> bool {
        self.shocks.iter().any(|s| s.lost.is_range())
            || self.mitigations.iter().any(|m| {
                [m.stock_months, m.substitution, m.spare_capacity]
                    .iter()
                    .flatten()
                    .any(Value::is_range)
            })
    }

    /// Whether the scenario has a time dimension (a timed shock or a horizon).
    pub fn is_timed(&self) -> bool {
        self.weeks.is_some() || self.shocks.iter().any(|s| s.duration_weeks.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shock_syntax_round_trips() {
        for text in [
            "CHN:N77=1",
            "CHN:gallium,germanium=0.5..0.9",
            "TWN:leading-edge-logic-fabrication=1@0+8",
            "EU27:*=0.25@4",
            "*:neon=0.5@2+10",
        ] {
            let s: Shock = text.parse().expect(text);
            assert_eq!(s.to_string(), text);
        }
        let s: Shock = "TWN:a,b=0.5..0.9@3+8".parse().expect("parses");
        assert_eq!(s.supplier, "TWN");
        assert_eq!(s.target, Target::Ids(vec!["a".into(), "b".into()]));
        assert_eq!(s.lost, Value::range(0.5, 0.9));
        assert_eq!((s.start_week, s.duration_weeks), (3, Some(8)));
        assert_eq!(s.end_week(), Some(11));
        let s: Shock = "CHN:N77=1.0".parse().expect("parses");
        assert_eq!(s.lost, Value::point(1.0));
        assert_eq!(s.target, Target::Ids(vec!["N77".into()]));
    }

    #[test]
    fn bad_shocks_are_explained() {
        for (text, needle) in [
            ("CHN", "no `:`"),
            ("CHN:gallium", "no `=`"),
            ("CHN:gallium=1.5", "outside 0-1"),
            ("CHN:gallium=x", "not a number"),
            ("CHN:gallium=0.9..0.5", "backwards"),
            ("CHN:=1", "no input"),
            (":gallium=1", "supplier is empty"),
            ("CHN:gallium=1@x", "not a whole number"),
            ("CHN:gallium=1@0+0", "duration of 0"),
            ("CHN:*,a=1", "cannot be combined"),
        ] {
            let e = text.parse::<Shock>().expect_err(text).to_string();
            assert!(e.contains(needle), "{text}: {e}");
            assert!(e.contains(text), "{text}: {e}");
        }
    }

    #[test]
    fn mitigation_flags_parse() {
        let m = Mitigation::parse_substitution("gallium=0.3@12").expect("parses");
        assert_eq!(m.substitution, Some(Value::point(0.3)));
        assert_eq!(m.substitution_ramp_weeks, Some(12.0));
        let m = Mitigation::parse_stock("*=1..2").expect("parses");
        assert_eq!(m.target, Target::All);
        assert_eq!(m.stock_months, Some(Value::range(1.0, 2.0)));
        assert!(Mitigation::parse_stock("neon=3@2").is_err());
        assert!(Mitigation::parse_spare("neon=1.5").is_err());
        assert!(Mitigation::parse_stock("neon=-1").is_err());
    }
}
