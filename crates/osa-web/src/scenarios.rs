//! The scenario runner's pages: the stored scenarios with their runs and a form to propose a new
//! scenario (shocks and mitigations; reviewed like any file), one scenario in words with a form to
//! run it, a stored run (availability week by week per input reached, coloured by order, with the
//! p5-p95 band of the draws, and the table), and two runs side by side.

use crate::{Ctx, Page};
use maud::{Markup, PreEscaped, html};
use osa_app::workbench::Workbench;
use osa_app::workbench::analysis::{MAX_DRAWS, MAX_WEEKS, RunRequest, ScenarioRun};
use osa_app::workbench::runs::{self, Numbered, ScenarioDetail, ScenarioDraft};
use osa_view::chart;
use osa_view::disrupt::{CompareRow, SimulateRow};
use serde::Serialize;

/// Where the run charts' numbers come from.
const SOURCE: &str = "Source: osa's propagation over the stored ecosystem's value chain (shares, substitutability, stocks and ramp-ups as the scenario and ecosystem give them); band: the 5th to 95th percentile of the Monte Carlo draws.";

/// A problem with a form, next to its field.
#[derive(Debug, Clone, Serialize)]
pub struct FieldError {
    /// The field.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// A stored run in a list.
#[derive(Debug, Clone, Serialize)]
pub struct RunItem {
    /// Its number.
    pub number: u32,
    /// The revision that kept it.
    pub revision: i64,
    /// Who ran it.
    pub by: String,
    /// Its parameters.
    pub request: RunRequest,
    /// The ecosystem.
    pub ecosystem: String,
    /// Inputs reached.
    pub inputs: usize,
}

fn items(runs: &[Numbered<ScenarioRun>]) -> Vec<RunItem> {
    runs.iter()
        .map(|r| RunItem {
            number: r.number,
            revision: r.revision,
            by: r.run.by.clone(),
            request: r.run.request.clone(),
            ecosystem: r.run.ecosystem.clone(),
            inputs: r.run.rows.len(),
        })
        .collect()
}

/// A stored scenario in the list.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioItem {
    /// The scenario (id, name, description, ecosystem, counts, version).
    pub scenario: serde_json::Value,
    /// Its stored runs, newest first.
    pub runs: Vec<RunItem>,
}

/// `/scenarios`: the stored scenarios, their runs, and the form of a new one.
#[derive(Debug, Clone, Serialize)]
pub struct ScenariosPage {
    /// The scenarios.
    pub scenarios: Vec<ScenarioItem>,
    /// The form's values (kept when it comes back with a problem).
    pub draft: ScenarioDraft,
    /// The form's problem.
    pub error: Option<FieldError>,
    /// The proposal just made from the form.
    pub proposed: Option<i64>,
    /// Scenario proposals open now (one per scenario at a time is reviewed).
    pub open: Vec<osa_store::proposals::Proposal>,
}

/// The scenario list as of an as-of.
pub async fn build_list(wb: &Workbench, as_of: Option<&str>) -> osa_app::Result<ScenariosPage> {
    let mut scenarios = Vec::new();
    for s in wb.scenarios(as_of).await? {
        let id = s["id"].as_str().unwrap_or_default().to_string();
        let runs = wb.scenario_runs_numbered(&id, as_of).await?;
        scenarios.push(ScenarioItem {
            scenario: s,
            runs: items(&runs),
        });
    }
    let open = match as_of {
        None => {
            wb.open_proposals_on_file(osa_app::workbench::kind::SCENARIO, None)
                .await?
        }
        Some(_) => Vec::new(),
    };
    Ok(ScenariosPage {
        scenarios,
        draft: ScenarioDraft::default(),
        error: None,
        proposed: None,
        open,
    })
}

/// A text field with its label and, when it is the one in error, the problem.
fn field(name: &str, label: &str, value: &str, hint: &str, error: Option<&FieldError>) -> Markup {
    let err = error.filter(|e| e.field == name);
    let err_id = format!("{name}-error");
    html! {
        p.field {
            label for=(name) { (label) }
            @if !hint.is_empty() { " " span.muted { (hint) } }
            br;
            input #(name) name=(name) type="text" value=(value)
                aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| err_id.as_str())];
            @if let Some(e) = err { br; span.error id=(err_id) role="alert" { (e.message) } }
        }
    }
}

fn draft_form(d: &ScenarioDraft, error: Option<&FieldError>) -> Markup {
    html! {
        form.scenario-form method="post" action="/scenarios" {
            fieldset {
                legend { "Scenario" }
                (field("id", "Id", &d.id, "letters, digits, - . _", error))
                (field("name", "Name", &d.name, "", error))
                (field("description", "Description", &d.description, "", error))
                (field("ecosystem", "Ecosystem", &d.ecosystem, "default semiconductors", error))
                (field("weeks", "Horizon (weeks)", &d.weeks, &format!("1-{MAX_WEEKS}; empty: the end of the last shock"), error))
            }
            fieldset {
                legend { "Shock" }
                (field("supplier", "Supplier", &d.supplier, "ISO3 (CHN), region (EUR), bloc (EU27), firm, or *", error))
                (field("inputs", "Inputs hit", &d.inputs, "ids, comma-separated, or *", error))
                (field("lost", "Share of deliveries lost", &d.lost, "0-1, or a range 0.5..0.9 for the draws", error))
                (field("start_week", "Start week", &d.start_week, "0 = at once", error))
                (field("duration_weeks", "Duration (weeks)", &d.duration_weeks, "empty: permanent", error))
                (field("shock_source", "Source of the shock", &d.shock_source, "seed L…, pub: …, judgment: …", error))
            }
            fieldset {
                legend { "Mitigation (optional)" }
                (field("mitigation_inputs", "Inputs it applies to", &d.mitigation_inputs, "empty: no mitigation", error))
                (field("stock_months", "Stock (months of normal use)", &d.stock_months, "a number or a range", error))
                (field("substitution", "Substitution (share of use)", &d.substitution, "0-1 or a range", error))
                (field("substitution_ramp_weeks", "Substitution ramp-up (weeks)", &d.substitution_ramp_weeks, "", error))
                (field("mitigation_source", "Source of the mitigation", &d.mitigation_source, "", error))
            }
            details {
                summary { "Advanced: the whole scenario file (osa-scenario/1 TOML; replaces the fields above)" }
                p.field {
                    label for="toml" { "Scenario file" }
                    br;
                    textarea #toml name="toml" rows="12" cols="80"
                        aria-invalid=[error.filter(|e| e.field == "toml").map(|_| "true")] { (d.toml) }
                    @if let Some(e) = error.filter(|e| e.field == "toml") { br; span.error role="alert" { (e.message) } }
                }
            }
            (field("note", "Why (the proposal's note)", &d.note, "required", error))
            @if let Some(e) = error.filter(|e| !KNOWN_FIELDS.contains(&e.field.as_str())) {
                p.error role="alert" { (e.field) ": " (e.message) }
            }
            p { button type="submit" { "Propose the scenario" } }
        }
    }
}

/// The form's fields (a problem with another field is shown above the button).
const KNOWN_FIELDS: &[&str] = &[
    "id",
    "name",
    "description",
    "ecosystem",
    "weeks",
    "supplier",
    "inputs",
    "lost",
    "start_week",
    "duration_weeks",
    "shock_source",
    "mitigation_inputs",
    "stock_months",
    "substitution",
    "substitution_ramp_weeks",
    "mitigation_source",
    "toml",
    "note",
];

/// "1 shock", "2 shocks".
fn count(n: &serde_json::Value, noun: &str) -> String {
    match n.as_u64().unwrap_or(0) {
        1 => format!("1 {noun}"),
        k => format!("{k} {noun}s"),
    }
}

fn runs_list(ctx: &Ctx, id: &str, runs: &[RunItem]) -> Markup {
    html! {
        @if runs.is_empty() { p.muted { "No stored run yet." } }
        @else {
            ul.runs { @for r in runs {
                li { a href=(ctx.href(&format!("scenarios/{id}/runs/{}", r.number))) { "Run " (r.number) }
                    " · by " (r.by) " · revision " (r.revision) " · " (r.ecosystem)
                    " · " (r.request.draws) " draws"
                    @if let Some(w) = r.request.weeks { " · " (w) " weeks" }
                    " · " (r.inputs) " inputs reached" }
            } }
        }
    }
}

impl Page for ScenariosPage {
    fn title(&self) -> String {
        "Scenarios".into()
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        html! {
            h1 { "Scenarios" }
            p { "Disruptions of the value chain (shocks on suppliers, mitigations by stock, substitution and spare capacity) and their second- and third-order effects. Each run is kept with who ran it." }
            @if let Some(p) = self.proposed {
                p.notice role="status" { "Your scenario is proposed as proposal " strong { "#" (p) } "; a reviewer's approval publishes it. "
                    a href=(format!("/review/{p}")) { "See the proposal" } "." }
            }
            @for s in &self.scenarios {
                @let id = s.scenario["id"].as_str().unwrap_or_default();
                section.scenario {
                    h2 { a href=(ctx.href(&format!("scenarios/{id}"))) { (s.scenario["name"].as_str().unwrap_or(id)) } }
                    p { (s.scenario["description"].as_str().unwrap_or_default()) }
                    p.muted { (count(&s.scenario["shocks"], "shock")) " · " (count(&s.scenario["mitigations"], "mitigation")) " · ecosystem "
                        (s.scenario["ecosystem"].as_str().unwrap_or("semiconductors")) }
                    (runs_list(ctx, id, &s.runs))
                }
            }
            p { a href=(ctx.href("scenarios/compare")) { "Compare two runs" } }
            @if ctx.is_live() && ctx.can("analyst") {
                h2 #new { "New scenario" }
                p.muted { "A new scenario is a proposed file: it is validated now and published when a reviewer approves it (four eyes)." }
                (crate::files::open_list("Scenario proposals awaiting review", "A scenario with a proposal open (its id in the list) is proposed again once that one is decided; open it to read or discuss it.", &self.open))
                (draft_form(&self.draft, self.error.as_ref()))
            }
        }
    }
}

/// `/scenarios/{id}`: a scenario in words, its runs, the run form.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioPage {
    /// The scenario.
    pub scenario: ScenarioDetail,
    /// Its stored runs, newest first.
    pub runs: Vec<RunItem>,
    /// Most draws a run may take.
    pub max_draws: usize,
    /// Longest horizon (weeks).
    pub max_weeks: u32,
    /// The run form's values.
    pub form: RunRequest,
    /// The run form's problem.
    pub error: Option<FieldError>,
}

/// A scenario's page as of an as-of.
pub async fn build_scenario(
    wb: &Workbench,
    id: &str,
    as_of: Option<&str>,
) -> osa_app::Result<ScenarioPage> {
    let scenario = wb.scenario_detail(id, as_of).await?;
    let runs = wb.scenario_runs_numbered(id, as_of).await?;
    Ok(ScenarioPage {
        form: RunRequest {
            draws: 200,
            seed: None,
            weeks: scenario.weeks.or(Some(52)),
            ecosystem: scenario.ecosystem.clone(),
        },
        scenario,
        runs: items(&runs),
        max_draws: MAX_DRAWS,
        max_weeks: MAX_WEEKS,
        error: None,
    })
}

fn run_form(p: &ScenarioPage) -> Markup {
    let e = p.error.as_ref();
    let text = |v: Option<String>| v.unwrap_or_default();
    html! {
        form.run-form method="post" action={"/scenarios/" (p.scenario.id) "/runs"} {
            (field("draws", "Monte Carlo draws", &p.form.draws.to_string(), &format!("0 (point estimate) to {}", p.max_draws), e))
            (field("weeks", "Horizon (weeks)", &text(p.form.weeks.map(|w| w.to_string())), &format!("1-{}", p.max_weeks), e))
            (field("seed", "Seed", &text(p.form.seed.map(|s| s.to_string())), "empty: osa's default (the same draws every time)", e))
            (field("ecosystem", "Ecosystem", &text(p.form.ecosystem.clone()), "a stored ecosystem", e))
            @if let Some(err) = e.filter(|x| !["draws", "weeks", "seed", "ecosystem"].contains(&x.field.as_str())) {
                p.error role="alert" { (err.field) ": " (err.message) }
            }
            p { button type="submit" { "Run and keep the run" } }
        }
    }
}

impl Page for ScenarioPage {
    fn title(&self) -> String {
        format!("Scenario: {}", self.scenario.name)
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        let s = &self.scenario;
        html! {
            p { a href=(ctx.href("scenarios")) { "All scenarios" } }
            h1 { (s.name) }
            p { (s.description) }
            p.muted { "Id " code { (s.id) } " · version " (s.version)
                @if let Some(e) = &s.ecosystem { " · written for " (e) }
                @if let Some(w) = s.weeks { " · " (w) " weeks" } }
            h2 { "Shocks" }
            ul { @for x in &s.shocks { li { (x) } } }
            h2 { "Mitigations" }
            @if s.mitigations.is_empty() { p.muted { "None." } }
            ul { @for x in &s.mitigations { li { (x) } } }
            @if !s.sources.is_empty() { p.src { "Sources: " (s.sources.join("; ")) } }
            @if ctx.is_live() && ctx.can("analyst") {
                h2 #run { "Run it" }
                (run_form(self))
                p { a href=(ctx.plain(&format!("propose/scenario/{}", s.id))) { "Propose a new text of this scenario" } " (its shocks, mitigations and stocks, reviewed like any file)." }
            }
            h2 { "Stored runs" }
            (runs_list(ctx, &s.id, &self.runs))
            details { summary { "The scenario file" } pre { (s.text) } }
        }
    }
}

/// `/scenarios/{id}/runs/{n}`: one stored run.
#[derive(Debug, Clone, Serialize)]
pub struct RunPage {
    /// The scenario's id.
    pub scenario: String,
    /// Its name.
    pub name: String,
    /// The run's number.
    pub number: u32,
    /// The revision that kept it.
    pub revision: i64,
    /// Who ran it.
    pub by: String,
    /// The ecosystem and its version.
    pub ecosystem: String,
    /// The ecosystem's version.
    pub ecosystem_version: i64,
    /// Parameters.
    pub request: RunRequest,
    /// Warnings.
    pub warnings: Vec<String>,
    /// One row per input reached.
    pub rows: Vec<SimulateRow>,
    /// The charts (SVG), not in the JSON.
    #[serde(skip)]
    pub charts: Vec<String>,
}

/// A stored run's page.
pub async fn build_run(
    wb: &Workbench,
    id: &str,
    number: u32,
    as_of: Option<&str>,
) -> osa_app::Result<RunPage> {
    let detail = wb.scenario_detail(id, as_of).await?;
    let r = wb.scenario_run(id, number, as_of).await?;
    let rows = runs::simulate_rows(&r.run.rows)?;
    let charts = chart::weekly_by_order(&rows)
        .or_else(|| chart::availability(&rows))
        .into_iter()
        .collect();
    Ok(RunPage {
        scenario: id.into(),
        name: detail.name,
        number,
        revision: r.revision,
        by: r.run.by,
        ecosystem: r.run.ecosystem,
        ecosystem_version: r.run.ecosystem_version,
        request: r.run.request,
        warnings: r.run.warnings,
        rows,
        charts,
    })
}

fn pct(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{:.1}%", v * 100.0))
}

fn rows_table(rows: &[SimulateRow]) -> Markup {
    html! {
        div.scroll tabindex="0" role="region" aria-label="Inputs reached" { table.run {
            caption { "Inputs reached, by order of effect (availability: the worst week's in a weekly run)" }
            thead { tr { th scope="col" { "Input" } th scope="col" { "Kind" } th scope="col" { "Order" }
                th scope="col" { "Availability" } th scope="col" { "p5" } th scope="col" { "p95" }
                th scope="col" { "Unmitigated" } th scope="col" { "Direct loss" } th scope="col" { "Worst week" } } }
            tbody { @for r in rows {
                tr { th scope="row" { (r.name) " " span.muted { "(" (r.id) ")" } } td { (r.kind) }
                    td { span class={"order o" (r.order.min(3))} { (chart::order_words(r.order)) } }
                    td.num { (pct(Some(r.availability))) } td.num { (pct(r.p5)) } td.num { (pct(r.p95)) }
                    td.num { (pct(Some(r.unmitigated))) } td.num { (pct(Some(r.direct_loss))) }
                    td.num { (r.worst_week.map_or("–".into(), |w| w.to_string())) } }
            } }
        } }
    }
}

impl Page for RunPage {
    fn title(&self) -> String {
        format!("{}: run {}", self.name, self.number)
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        html! {
            p { a href=(ctx.href(&format!("scenarios/{}", self.scenario))) { "The scenario" } }
            h1 { (self.name) ": run " (self.number) }
            p.muted { "Run by " (self.by) " (revision " (self.revision) ") on " (self.ecosystem) " version " (self.ecosystem_version)
                " · " (self.request.draws) " draws"
                @if let Some(w) = self.request.weeks { " · " (w) " weeks" }
                @if let Some(s) = self.request.seed { " · seed " (s) } }
            @for w in &self.warnings { p.caveat { (w) } }
            @for svg in &self.charts {
                figure.chart {
                    (PreEscaped(svg))
                    figcaption.src { (SOURCE) " Colours: red first-order (hit directly), orange second-order, blue third-order, purple higher." }
                }
            }
            (rows_table(&self.rows))
            p { a href=(ctx.href(&format!("scenarios/compare?a={}/{}", self.scenario, self.number))) { "Compare with another run" } }
        }
    }
}

/// `/scenarios/compare`: two runs side by side.
#[derive(Debug, Clone, Serialize)]
pub struct ComparePage {
    /// Run A (`scenario/number`), if chosen.
    pub a: Option<String>,
    /// Run B.
    pub b: Option<String>,
    /// Input by input, largest differences first.
    pub rows: Vec<CompareRow>,
    /// The runs one can pick (`scenario/number`).
    pub choices: Vec<String>,
}

/// A run named `scenario/number`, or `scenario` for its latest run.
async fn named_run(
    wb: &Workbench,
    name: &str,
    as_of: Option<&str>,
) -> osa_app::Result<(String, Vec<SimulateRow>)> {
    let (id, number) = match name.rsplit_once('/') {
        Some((id, n)) => (
            id,
            Some(n.trim().parse::<u32>().map_err(|_| {
                osa_app::AppError::invalid("run", format!("`{n}` is not a run number"))
            })?),
        ),
        None => (name, None),
    };
    let run = match number {
        Some(n) => wb.scenario_run(id, n, as_of).await?,
        None => wb
            .scenario_runs_numbered(id, as_of)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| osa_app::AppError::NotFound(format!("scenario `{id}` has no run")))?,
    };
    Ok((
        format!("{id}/{}", run.number),
        runs::simulate_rows(&run.run.rows)?,
    ))
}

/// The comparison of two runs (either may be missing: the form alone).
pub async fn build_compare(
    wb: &Workbench,
    (a, b): (Option<&str>, Option<&str>),
    as_of: Option<&str>,
) -> osa_app::Result<ComparePage> {
    let mut choices = Vec::new();
    for s in wb.scenarios(as_of).await? {
        let id = s["id"].as_str().unwrap_or_default().to_string();
        for r in wb.scenario_runs_numbered(&id, as_of).await? {
            choices.push(format!("{id}/{}", r.number));
        }
    }
    let (a, b) = (
        a.filter(|s| !s.trim().is_empty()),
        b.filter(|s| !s.trim().is_empty()),
    );
    let (page_a, page_b, rows) = if let (Some(a), Some(b)) = (a, b) {
        let (na, ra) = named_run(wb, a, as_of).await?;
        let (nb, rb) = named_run(wb, b, as_of).await?;
        (Some(na), Some(nb), runs::compare_runs(&ra, &rb))
    } else {
        (a.map(str::to_string), b.map(str::to_string), Vec::new())
    };
    Ok(ComparePage {
        a: page_a,
        b: page_b,
        rows,
        choices,
    })
}

impl Page for ComparePage {
    fn title(&self) -> String {
        "Compare two runs".into()
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        let order = |o: Option<u32>| o.map_or("not reached", chart::order_words);
        html! {
            p { a href=(ctx.href("scenarios")) { "All scenarios" } }
            h1 { "Compare two runs" }
            form.compare method="get" action="/scenarios/compare" {
                @if let Some(a) = &ctx.as_of { input type="hidden" name="as_of" value=(a); }
                p { label for="a" { "Run A" } " " input #a name="a" type="text" list="runs" value=[self.a.as_deref()]; }
                p { label for="b" { "Run B" } " " input #b name="b" type="text" list="runs" value=[self.b.as_deref()]; }
                datalist #runs { @for c in &self.choices { option value=(c) {} } }
                p.muted { "A run is scenario/number (china-rare-earths/1), or a scenario's id for its latest run." }
                p { button type="submit" { "Compare" } }
            }
            @if let (Some(a), Some(b)) = (&self.a, &self.b) {
                @if !self.rows.is_empty() {
                    div.scroll tabindex="0" role="region" aria-label="The two runs side by side" { table.compare {
                        caption { "Availability in " (a) " and " (b) ", largest differences first" }
                        thead { tr { th scope="col" { "Input" } th scope="col" { "Order in " (a) } th scope="col" { "Availability in " (a) }
                            th scope="col" { "Order in " (b) } th scope="col" { "Availability in " (b) } th scope="col" { "Difference (points)" } } }
                        tbody { @for r in &self.rows {
                            tr { th scope="row" { (r.name) } td { (order(r.order_a)) } td.num { (pct(Some(r.availability_a))) }
                                td { (order(r.order_b)) } td.num { (pct(Some(r.availability_b))) }
                                td.num { (format!("{:+.1}", r.difference * 100.0)) } }
                        } }
                    } }
                }
            }
        }
    }
}
