//! What the browser's scenario and trade pages need beyond the API's use cases: the stored runs
//! of a scenario or a dataset with their numbers (a run's address), a stored scenario in words, a
//! scenario drafted in a form and proposed as a whole file (the same review path as
//! `POST /api/v1/proposals/files`), two stored runs side by side, and a screening's product rows
//! filtered and summed by top supplier.

use super::kinds::{SCENARIO_RUN, trade as trade_kind};
use super::{Workbench, kind};
use crate::{AppError, Result};
use osa_disrupt::{Mitigation, Scenario, Shock, Target, Value};
use osa_store::Actor;
use osa_store::proposals::Proposal;
use osa_store::users::Principal;
use osa_view::disrupt::{CompareRow, SimulateRow};
use osa_view::trade::{ScreenRow, SupplierRow};
use serde::{Deserialize, Serialize};

/// A stored run with its number (`0001` is the first run of its scenario or dataset).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Numbered<T> {
    /// The run's number.
    pub number: u32,
    /// The revision that kept it.
    pub revision: i64,
    /// The run.
    #[serde(flatten)]
    pub run: T,
}

/// A stored scenario, its shocks and mitigations in words.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioDetail {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// What it models.
    pub description: String,
    /// The ecosystem it was written for.
    pub ecosystem: Option<String>,
    /// Its sources.
    pub sources: Vec<String>,
    /// Horizon in weeks.
    pub weeks: Option<u32>,
    /// Its version (revision).
    pub version: i64,
    /// Each shock in words.
    pub shocks: Vec<String>,
    /// Each mitigation in words.
    pub mitigations: Vec<String>,
    /// The file's text.
    pub text: String,
}

fn value_words(v: Value, percent: bool) -> String {
    let f = |x: f64| {
        if percent {
            format!("{}%", osa_view::format::r6(x * 100.0))
        } else {
            format!("{}", osa_view::format::r6(x))
        }
    };
    if v.is_range() {
        format!("{} to {} (drawn)", f(v.lo), f(v.hi))
    } else {
        f(v.lo)
    }
}

fn target_words(t: &Target) -> String {
    match t {
        Target::All => "every input".into(),
        Target::Ids(ids) => ids.join(", "),
    }
}

/// A shock in words.
pub fn shock_words(s: &Shock) -> String {
    let when = match (s.start_week, s.duration_weeks) {
        (0, None) => "from the start, for good".to_string(),
        (w, None) => format!("from week {w}, for good"),
        (w, Some(d)) => format!("from week {w} for {d} weeks"),
    };
    let who = if s.supplier == "*" {
        "every supplier".to_string()
    } else {
        s.supplier.clone()
    };
    let mut out = format!(
        "{who} loses {} of its deliveries of {} {when}",
        value_words(s.lost, true),
        target_words(&s.target)
    );
    if !s.source.is_empty() {
        out.push_str(&format!(" (source: {})", s.source));
    }
    out
}

/// A mitigation in words.
pub fn mitigation_words(m: &Mitigation) -> String {
    let mut parts = Vec::new();
    if let Some(v) = m.stock_months {
        parts.push(format!("{} months of stock", value_words(v, false)));
    }
    if let Some(v) = m.substitution {
        let ramp = m
            .substitution_ramp_weeks
            .map_or(String::new(), |w| format!(" over {w} weeks"));
        parts.push(format!(
            "{} of use switches to a substitute{ramp}",
            value_words(v, true)
        ));
    }
    if let Some(v) = m.spare_capacity {
        let ramp = m
            .spare_ramp_weeks
            .map_or(String::new(), |w| format!(" over {w} weeks"));
        parts.push(format!(
            "other suppliers add {} of their output{ramp}",
            value_words(v, true)
        ));
    }
    let what = if parts.is_empty() {
        "no change".to_string()
    } else {
        parts.join("; ")
    };
    let mut out = format!("{}: {what}", target_words(&m.target));
    if !m.source.is_empty() {
        out.push_str(&format!(" (source: {})", m.source));
    }
    out
}

/// A scenario drafted in the browser's form: one shock and at most one mitigation (more in the
/// file's text, `toml`, which replaces the fields when given). Every field is text as typed; the
/// error of a field names it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScenarioDraft {
    /// Id (the file's key).
    pub id: String,
    /// Name.
    pub name: String,
    /// What it models.
    pub description: String,
    /// The ecosystem it is written for.
    pub ecosystem: String,
    /// Horizon in weeks (empty: the end of the last timed shock).
    pub weeks: String,
    /// The shock's supplier: ISO3, region, bloc, firm, or `*`.
    pub supplier: String,
    /// The inputs hit (comma-separated ids, or `*`).
    pub inputs: String,
    /// Share lost, 0-1, or a range `low..high`.
    pub lost: String,
    /// First week.
    pub start_week: String,
    /// Length in weeks (empty: permanent).
    pub duration_weeks: String,
    /// Where the shock's assumption comes from.
    pub shock_source: String,
    /// The inputs the mitigation applies to (empty: no mitigation).
    pub mitigation_inputs: String,
    /// Months of stock.
    pub stock_months: String,
    /// Share of use that can switch to a substitute.
    pub substitution: String,
    /// Weeks for substitution to ramp up.
    pub substitution_ramp_weeks: String,
    /// Where the mitigation's assumption comes from.
    pub mitigation_source: String,
    /// The whole file instead of the fields ("advanced").
    pub toml: String,
    /// Why (the proposal's note).
    pub note: String,
}

fn opt_text(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|t| !t.is_empty())
}

fn number<T: std::str::FromStr>(field: &str, s: &str) -> Result<Option<T>> {
    opt_text(s)
        .map(|t| {
            t.parse::<T>()
                .map_err(|_| AppError::invalid(field, format!("`{t}` is not a whole number")))
        })
        .transpose()
}

fn value(field: &str, s: &str) -> Result<Option<Value>> {
    opt_text(s)
        .map(|t| t.parse::<Value>().map_err(|m| AppError::invalid(field, m)))
        .transpose()
}

fn target(field: &str, s: &str) -> Result<Target> {
    let list: Vec<String> = s.split(',').map(|x| x.trim().to_string()).collect();
    Target::from_list(&list).map_err(|m| AppError::invalid(field, m))
}

impl ScenarioDraft {
    fn shock(&self) -> Result<Shock> {
        if opt_text(&self.supplier).is_none() {
            return Err(AppError::invalid(
                "supplier",
                "name the supplier (ISO3, region, bloc, firm or *)",
            ));
        }
        Ok(Shock {
            supplier: self.supplier.trim().into(),
            target: target("inputs", &self.inputs)?,
            lost: value("lost", &self.lost)?
                .ok_or_else(|| AppError::invalid("lost", "give the share lost, 0-1"))?,
            start_week: number("start_week", &self.start_week)?.unwrap_or(0),
            duration_weeks: number("duration_weeks", &self.duration_weeks)?,
            source: self.shock_source.trim().into(),
            note: String::new(),
            origin: String::new(),
        })
    }

    fn mitigation(&self) -> Result<Option<Mitigation>> {
        if opt_text(&self.mitigation_inputs).is_none() {
            return Ok(None);
        }
        let ramp = |f: &str, s: &str| -> Result<Option<f64>> {
            opt_text(s)
                .map(|t| {
                    t.parse::<f64>()
                        .map_err(|_| AppError::invalid(f, format!("`{t}` is not a number")))
                })
                .transpose()
        };
        let mut m = Mitigation::on(target("mitigation_inputs", &self.mitigation_inputs)?);
        m.stock_months = value("stock_months", &self.stock_months)?;
        m.substitution = value("substitution", &self.substitution)?;
        m.substitution_ramp_weeks = ramp("substitution_ramp_weeks", &self.substitution_ramp_weeks)?;
        m.source = self.mitigation_source.trim().into();
        Ok(Some(m))
    }

    /// The scenario file's text: the `toml` field as given, else the fields written out in the
    /// canonical form. Either way parsed and validated as `osa` reads a scenario file; a problem
    /// names the form's field.
    pub fn text(&self) -> Result<(String, String)> {
        if let Some(t) = opt_text(&self.toml) {
            let sc = parse_named(t, "toml")?;
            return Ok((sc.id, self.toml.clone()));
        }
        osa_model::id::check_id(self.id.trim()).map_err(|m| AppError::invalid("id", m))?;
        if opt_text(&self.name).is_none() {
            return Err(AppError::invalid("name", "give the scenario a name"));
        }
        let sc = Scenario {
            id: self.id.trim().into(),
            name: self.name.trim().into(),
            description: self.description.trim().into(),
            ecosystem: opt_text(&self.ecosystem).map(str::to_string),
            sources: Vec::new(),
            weeks: number("weeks", &self.weeks)?,
            shocks: vec![self.shock()?],
            mitigations: self.mitigation()?.into_iter().collect(),
        };
        let text = osa_io::scenario::to_string(&sc);
        parse_named(&text, "")?;
        Ok((sc.id, text))
    }
}

/// Parses a scenario's text; the first problem becomes an error naming the form's field (`toml`
/// for the text itself: `fallback`; else the shock's or mitigation's field).
fn parse_named(text: &str, fallback: &str) -> Result<Scenario> {
    osa_io::scenario::parse(text, "form").map_err(|e| match e {
        osa_io::Error::Invalid(list) if !list.is_empty() => {
            let d = &list[0];
            let field = if !fallback.is_empty() {
                fallback.to_string()
            } else if d.record.starts_with("mitigation") {
                match d.field.as_str() {
                    "inputs" => "mitigation_inputs".into(),
                    "source" => "mitigation_source".into(),
                    f => f.to_string(),
                }
            } else {
                d.field.clone()
            };
            let line = d.line.map_or(String::new(), |l| format!(" (line {l})"));
            AppError::invalid(field, format!("{}{line}", d.message))
        }
        other => AppError::invalid(
            if fallback.is_empty() {
                "toml"
            } else {
                fallback
            },
            other.to_string(),
        ),
    })
}

impl Workbench {
    /// A stored scenario as of an as-of, in words.
    pub async fn scenario_detail(&self, id: &str, as_of: Option<&str>) -> Result<ScenarioDetail> {
        let rev = self.revision_of(as_of).await?;
        let d = self
            .store
            .doc(kind::SCENARIO, id, rev)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("no scenario `{id}`")))?;
        let sc = osa_io::scenario::parse(&d.body, &format!("store:scenario/{id}"))
            .map_err(|e| AppError::data(format!("the stored scenario `{id}`"), e))?;
        Ok(ScenarioDetail {
            shocks: sc.shocks.iter().map(shock_words).collect(),
            mitigations: sc.mitigations.iter().map(mitigation_words).collect(),
            id: sc.id,
            name: sc.name,
            description: sc.description,
            ecosystem: sc.ecosystem,
            sources: sc.sources,
            weeks: sc.weeks,
            version: d.version,
            text: d.body,
        })
    }

    /// Proposes a scenario drafted in a form (analysts and above): a new file, or a new version
    /// of a stored one, reviewed like any file proposal.
    pub async fn propose_scenario(
        &self,
        actor: &Actor,
        who: &Principal,
        draft: &ScenarioDraft,
    ) -> Result<Proposal> {
        let (id, text) = draft.text()?;
        if opt_text(&draft.note).is_none() {
            return Err(AppError::invalid("note", "say why (a note is required)"));
        }
        let head = self.store.head().await?;
        let base = self
            .store
            .doc(kind::SCENARIO, &id, head)
            .await?
            .map_or(0, |d| d.version);
        self.propose_file(actor, who, (kind::SCENARIO, &id), base, &text, &draft.note)
            .await
    }

    /// The stored runs of `owner` in `doc_kind`, newest first, with their numbers.
    pub(super) async fn numbered<T: serde::de::DeserializeOwned>(
        &self,
        doc_kind: &str,
        owner: &str,
        as_of: Option<&str>,
    ) -> Result<Vec<Numbered<T>>> {
        let rev = self.revision_of(as_of).await?;
        let prefix = format!("{owner}/");
        let mut out = Vec::new();
        for d in self.store.docs(doc_kind, rev).await?.into_iter().rev() {
            let Some(number) = d
                .key
                .strip_prefix(&prefix)
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            let run =
                serde_json::from_str(&d.body).map_err(|e| AppError::data("a stored run", e))?;
            out.push(Numbered {
                number,
                revision: d.version,
                run,
            });
        }
        out.sort_by_key(|r| std::cmp::Reverse(r.number));
        Ok(out)
    }

    /// A scenario's stored runs, newest first, with their numbers.
    pub async fn scenario_runs_numbered(
        &self,
        id: &str,
        as_of: Option<&str>,
    ) -> Result<Vec<Numbered<super::analysis::ScenarioRun>>> {
        self.numbered(SCENARIO_RUN, id, as_of).await
    }

    /// One stored run of a scenario.
    pub async fn scenario_run(
        &self,
        id: &str,
        number: u32,
        as_of: Option<&str>,
    ) -> Result<Numbered<super::analysis::ScenarioRun>> {
        self.scenario_runs_numbered(id, as_of)
            .await?
            .into_iter()
            .find(|r| r.number == number)
            .ok_or_else(|| AppError::NotFound(format!("no run {number} of scenario `{id}`")))
    }

    /// A dataset's stored screening runs, newest first, with their numbers.
    pub async fn screenings_numbered(
        &self,
        id: &str,
        as_of: Option<&str>,
    ) -> Result<Vec<Numbered<super::trade::ScreeningRun>>> {
        self.numbered(trade_kind::SCREENING, id, as_of).await
    }

    /// One stored screening run.
    pub async fn screening(
        &self,
        id: &str,
        number: u32,
        as_of: Option<&str>,
    ) -> Result<Numbered<super::trade::ScreeningRun>> {
        self.screenings_numbered(id, as_of)
            .await?
            .into_iter()
            .find(|r| r.number == number)
            .ok_or_else(|| AppError::NotFound(format!("no screening {number} of `{id}`")))
    }
}

/// The rows of a stored scenario run.
pub fn simulate_rows(rows: &[serde_json::Value]) -> Result<Vec<SimulateRow>> {
    rows.iter()
        .map(|r| {
            serde_json::from_value(r.clone()).map_err(|e| AppError::data("a stored run's row", e))
        })
        .collect()
}

/// Two stored runs side by side, input by input, as `osa scenario compare` shows two runs.
pub fn compare_runs(a: &[SimulateRow], b: &[SimulateRow]) -> Vec<CompareRow> {
    type Reached = Option<(u32, f64)>;
    let mut by_input: std::collections::BTreeMap<String, (String, Reached, Reached)> =
        Default::default();
    for r in a {
        let e = by_input.entry(r.id.clone()).or_default();
        e.0 = r.name.clone();
        e.1 = Some((r.order, r.availability));
    }
    for r in b {
        let e = by_input.entry(r.id.clone()).or_default();
        e.0 = r.name.clone();
        e.2 = Some((r.order, r.availability));
    }
    let mut rows: Vec<CompareRow> = by_input
        .into_iter()
        .map(|(id, (name, ra, rb))| crate::simulate::compare_row(id, name, ra, rb))
        .collect();
    crate::simulate::sort_compare(&mut rows);
    rows
}

/// How to narrow a screening's product rows (the page's query).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ScreenFilter {
    /// HS section (Roman numeral).
    pub section: Option<String>,
    /// End use (`raw_material`, `intermediate`, `final`).
    pub end_use: Option<String>,
    /// Top supplier (ISO3).
    pub supplier: Option<String>,
    /// Only dependent products.
    pub dependent: bool,
    /// Words every kept product's code or description holds (any case; `8112` keeps the
    /// products whose HS6 code starts with it).
    #[serde(default)]
    pub text: Option<String>,
}

impl ScreenFilter {
    /// Whether a row passes.
    pub fn keeps(&self, r: &ScreenRow) -> bool {
        self.eq_filters(r) && self.text_matches(r)
    }

    fn text_matches(&self, r: &ScreenRow) -> bool {
        let Some(t) = self
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        else {
            return true;
        };
        let description = r.description.to_lowercase();
        t.split_whitespace().all(|w| {
            let w = w.to_lowercase();
            r.product.starts_with(&w) || description.contains(&w)
        })
    }

    fn eq_filters(&self, r: &ScreenRow) -> bool {
        let eq = |f: &Option<String>, v: &str| {
            f.as_deref()
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .is_none_or(|f| f.eq_ignore_ascii_case(v))
        };
        eq(&self.section, &r.section)
            && eq(&self.end_use, &r.end_use)
            && eq(&self.supplier, &r.top_supplier)
            && (!self.dependent || r.dependent)
    }
}

/// A stored screening's product rows (`by = product`; other views have none).
pub fn screen_rows(rows: &serde_json::Value) -> Result<Vec<ScreenRow>> {
    let list = rows.as_array().cloned().unwrap_or_default();
    if list.first().is_some_and(|r| r.get("product").is_none()) {
        return Ok(Vec::new());
    }
    list.into_iter()
        .map(|r| serde_json::from_value(r).map_err(|e| AppError::data("a stored screening row", e)))
        .collect()
}

/// The dependent products' extra-bloc imports summed by their top supplier, largest first.
pub fn by_top_supplier(rows: &[ScreenRow]) -> Vec<SupplierRow> {
    let mut sums: std::collections::BTreeMap<&str, f64> = Default::default();
    for r in rows.iter().filter(|r| r.dependent) {
        *sums.entry(r.top_supplier.as_str()).or_default() += r.import_value;
    }
    let total: f64 = sums.values().sum();
    let mut out: Vec<SupplierRow> = sums
        .into_iter()
        .map(|(c, v)| SupplierRow {
            country: c.to_string(),
            name: osa_model::CountryCode::parse(c).map_or(c.to_string(), |k| k.name().to_string()),
            value: v,
            share: if total > 0.0 { v / total } else { 0.0 },
        })
        .collect();
    out.sort_by(|a, b| b.value.total_cmp(&a.value).then(a.country.cmp(&b.country)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ScenarioDraft {
        ScenarioDraft {
            id: "gallium-cut".into(),
            name: "China cuts gallium".into(),
            ecosystem: "semiconductors".into(),
            supplier: "CHN".into(),
            inputs: "gallium".into(),
            lost: "0.5..0.9".into(),
            start_week: "2".into(),
            duration_weeks: "26".into(),
            mitigation_inputs: "gallium".into(),
            stock_months: "3".into(),
            note: "a test".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_draft_becomes_a_scenario_file_that_reads_back() {
        let (id, text) = draft().text().unwrap();
        assert_eq!(id, "gallium-cut");
        let sc = osa_io::scenario::parse(&text, "t").unwrap();
        assert_eq!(
            shock_words(&sc.shocks[0]),
            "CHN loses 50% to 90% (drawn) of its deliveries of gallium from week 2 for 26 weeks"
        );
        assert_eq!(
            mitigation_words(&sc.mitigations[0]),
            "gallium: 3 months of stock"
        );
    }

    #[test]
    fn a_bad_field_is_named() {
        let field = |d: ScenarioDraft| match d.text() {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(ScenarioDraft {
                lost: "1.5".into(),
                ..draft()
            }),
            "lost"
        );
        assert_eq!(
            field(ScenarioDraft {
                lost: "half".into(),
                ..draft()
            }),
            "lost"
        );
        assert_eq!(
            field(ScenarioDraft {
                id: "bad id".into(),
                ..draft()
            }),
            "id"
        );
        assert_eq!(
            field(ScenarioDraft {
                stock_months: "-1".into(),
                ..draft()
            }),
            "stock_months"
        );
        assert_eq!(
            field(ScenarioDraft {
                toml: "format = 1".into(),
                ..draft()
            }),
            "toml"
        );
    }

    #[test]
    fn two_runs_compare_input_by_input() {
        let row = |id: &str, a: f64| SimulateRow {
            id: id.into(),
            name: id.into(),
            kind: "material".into(),
            order: 0,
            availability: a,
            p5: None,
            p50: None,
            p95: None,
            unmitigated: a,
            direct_loss: 1.0 - a,
            worst_week: None,
            weekly: None,
            weekly_band: None,
        };
        let rows = compare_runs(
            &[row("neon", 0.5)],
            &[row("neon", 0.8), row("gallium", 0.9)],
        );
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].id.as_str(), rows[0].difference), ("neon", 0.3));
        assert_eq!(rows[1].order_a, None);
        assert_eq!(rows[1].availability_a, 1.0);
    }
}
