//! Panel screenings on the trade page: the kept runs over the record's datasets (one per year)
//! with the form of a new one (importer or `all`, years, method), and one run's persistence and
//! churn: the chart of dependent products per year by top supplier, churn per importer and year
//! (entered, left, CEPII's 1- and 5-year churn), and the spells of dependency (how long each
//! lasted, its top suppliers), filtered by importer.

use crate::{Ctx, Page};
use maud::{Markup, PreEscaped, html};
use osa_app::workbench::Workbench;
use osa_app::workbench::panels::{PanelRun, PanelRunRequest};
use osa_view::trade::{ChurnRow, SpellRow};
use serde::Serialize;

/// Rows of a table shown at most (the JSON has them all).
pub const SHOWN: usize = 300;

/// A kept panel run in a list.
#[derive(Debug, Clone, Serialize)]
pub struct PanelItem {
    /// Its number.
    pub number: u32,
    /// The revision that kept it.
    pub revision: i64,
    /// Who ran it.
    pub by: String,
    /// Parameters.
    pub request: PanelRunRequest,
    /// The years screened.
    pub years: Vec<u16>,
}

/// The kept panel runs, newest first.
pub async fn items(wb: &Workbench, as_of: Option<&str>) -> osa_app::Result<Vec<PanelItem>> {
    Ok(wb
        .panel_runs(as_of)
        .await?
        .into_iter()
        .map(|r| PanelItem {
            number: r.number,
            revision: r.revision,
            by: r.run.by,
            request: r.run.request,
            years: r.run.years,
        })
        .collect())
}

/// `1996-2023` or `2021`.
pub fn span(years: &[u16]) -> String {
    match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}-{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    }
}

/// The list of runs and the form, on the trade page.
pub fn section(ctx: &Ctx, runs: &[PanelItem], error: Option<&(String, String)>) -> Markup {
    html! {
        h2 #panels { "Panels: persistence and churn" }
        p { "The registered datasets, one per year, form the record's panel. A panel screening applies a method (the Commission's SWD(2021) 352, or CEPII's GeoDep 2024 with world export concentration and persistence) to every year, for one importer or every importer, and keeps what it found: dependent products per year by top supplier, products entering and leaving dependency, churn and spells. When a new year is registered, the importers of these runs are screened again and what changed enters the change log." }
        @if runs.is_empty() { p.muted { "No panel screening yet." } }
        ul.runs { @for r in runs {
            li { a href=(ctx.href(&format!("trade/panels/{}", r.number))) { "Panel " (r.number) }
                " · " (r.request.importer.as_deref().unwrap_or("EU27"))
                " · " (span(&r.years))
                " · " (r.request.method.as_deref().unwrap_or("swd2021"))
                " · by " (r.by) " · revision " (r.revision) }
        } }
        @if ctx.is_live() && ctx.can("analyst") { (form(error)) }
    }
}

fn form(error: Option<&(String, String)>) -> Markup {
    let err = |f: &str| error.filter(|(x, _)| x == f).map(|(_, m)| m.clone());
    let invalid = |f: &str| err(f).map(|_| "true");
    let fields = ["panel_importer", "years", "method"];
    html! {
        form.screen-form.panel-form method="post" action="/trade/panels" {
            p { label for="panel_importer" { "Importer" } " " span.muted { "EU27, a bloc id, ISO3, or all" } br;
                input #panel_importer name="importer" type="text" value="EU27" aria-invalid=[invalid("panel_importer")];
                @if let Some(m) = err("panel_importer") { br; span.error role="alert" { (m) } } }
            p { label for="years" { "Years" } " " span.muted { "FROM-TO; empty: every registered year" } br;
                input #years name="years" type="text" aria-invalid=[invalid("years")];
                @if let Some(m) = err("years") { br; span.error role="alert" { (m) } } }
            p { label for="method" { "Method" } br;
                select #method name="method" aria-invalid=[invalid("method")] {
                    option value="swd2021" { "swd2021: the Commission's SWD(2021) 352" }
                    option value="geodep2024" { "geodep2024: CEPII GeoDep, persistence 2 of 3 years" }
                }
                @if let Some(m) = err("method") { br; span.error role="alert" { (m) } } }
            @if let Some((f, m)) = error.filter(|(f, _)| !fields.contains(&f.as_str())) {
                p.error role="alert" { (f) ": " (m) }
            }
            p { button type="submit" { "Screen the panel and keep the run" } }
        }
    }
}

/// `/trade/panels/{n}`: one kept panel run.
#[derive(Debug, Clone, Serialize)]
pub struct PanelPage {
    /// Its number.
    pub number: u32,
    /// The revision that kept it.
    pub revision: i64,
    /// The run.
    pub run: PanelRun,
    /// The importer the tables are filtered by.
    pub importer: Option<String>,
    /// The importers of the run.
    pub importers: Vec<String>,
    /// The chart (SVG).
    #[serde(skip)]
    pub chart: Option<String>,
}

/// One kept panel run, its tables filtered by an importer.
pub async fn build(
    wb: &Workbench,
    number: u32,
    importer: Option<&str>,
    as_of: Option<&str>,
) -> osa_app::Result<PanelPage> {
    let n = wb.panel_run(number, as_of).await?;
    let mut importers: Vec<String> = n.run.churn.iter().map(|c| c.importer.clone()).collect();
    importers.sort();
    importers.dedup();
    let importer = importer.map(str::trim).filter(|i| !i.is_empty());
    if let Some(i) = importer.filter(|i| !importers.iter().any(|x| x == i)) {
        return Err(osa_app::AppError::invalid(
            "importer",
            format!("`{i}` is not an importer of panel {number}"),
        ));
    }
    let title = format!(
        "Dependent products per year by top supplier ({})",
        n.run.method.0
    );
    let chart = osa_view::trade::dependent_chart(&title, &n.run.by_supplier);
    Ok(PanelPage {
        number,
        revision: n.revision,
        run: n.run,
        importer: importer.map(str::to_string),
        importers,
        chart,
    })
}

fn percent(v: Option<f64>) -> String {
    v.map(|x| format!("{:.0}%", x * 100.0))
        .unwrap_or_else(|| "-".into())
}

fn count(v: Option<usize>) -> String {
    v.map(|x| x.to_string()).unwrap_or_else(|| "-".into())
}

impl PanelPage {
    fn keeps(&self, importer: &str) -> bool {
        self.importer.as_deref().is_none_or(|i| i == importer)
    }

    fn churn_table(&self) -> Markup {
        let rows: Vec<&ChurnRow> = self
            .run
            .churn
            .iter()
            .filter(|c| self.keeps(&c.importer))
            .collect();
        html! {
            h2 #churn { "Churn per importer and year" }
            p.muted { "Entered: dependent in the year, not the year before. Left: the reverse. Churn over 1 (5) years: the share of the year's dependent products no longer dependent 1 (5) years later (CEPII Policy Brief 2023-41)." }
            (shown_of(rows.len()))
            div.scroll tabindex="0" role="region" aria-label="Churn per importer and year" { table.data {
                thead { tr { th { "Importer" } th { "Year" } th.num { "Dependent" } th.num { "Entered" } th.num { "Left" }
                    th.num { "Churn, 1 year" } th.num { "Churn, 5 years" } th.num { "Top supplier changes" } } }
                tbody { @for c in rows.iter().take(SHOWN) {
                    tr { td { (c.importer) } td { (c.year) } td.num { (c.n_dependent) } td.num { (count(c.entered)) }
                        td.num { (count(c.left)) } td.num { (percent(c.churn_1)) } td.num { (percent(c.churn_5)) }
                        td.num { (count(c.top_changes)) } }
                } }
            } }
        }
    }

    fn spells_table(&self) -> Markup {
        let rows: Vec<&SpellRow> = self
            .run
            .spells
            .iter()
            .filter(|s| self.keeps(&s.importer))
            .collect();
        html! {
            h2 #spells { "Spells: how long each dependency lasted" }
            @if self.run.spells_total > self.run.spells.len() {
                p.muted { (self.run.spells.len()) " longest of " (self.run.spells_total) " spells were kept with this run." }
            }
            (shown_of(rows.len()))
            div.scroll tabindex="0" role="region" aria-label="Spells of dependency" { table.data {
                thead { tr { th { "Importer" } th { "HS6" } th { "From" } th { "To" } th.num { "Years" }
                    th { "Still dependent" } th { "Top supplier each year" } } }
                tbody { @for s in rows.iter().take(SHOWN) {
                    tr { td { (s.importer) } td { code { (s.product) } } td { (s.from) } td { (s.to) } td.num { (s.years) }
                        td { @if s.open { "yes" } @else { "no" } } td { (s.top_suppliers) } }
                } }
            } }
        }
    }

    fn filter(&self) -> Markup {
        html! {
            form.filters method="get" {
                label for="importer" { "Importer" } " "
                select #importer name="importer" {
                    option value="" selected[self.importer.is_none()] { "every importer" }
                    @for i in &self.importers { option value=(i) selected[self.importer.as_deref() == Some(i.as_str())] { (i) } }
                }
                " " button type="submit" { "Show" }
            }
        }
    }
}

fn shown_of(n: usize) -> Markup {
    html! {
        @if n > SHOWN { p.muted { "The first " (SHOWN) " of " (n) " rows: choose an importer, or take the page as JSON (?format=json) for all." } }
    }
}

impl Page for PanelPage {
    fn title(&self) -> String {
        format!("Panel {}", self.number)
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        let r = &self.run;
        html! {
            h1 { "Panel " (self.number) ": " (r.request.importer.as_deref().unwrap_or("EU27")) ", " (span(&r.years)) }
            p { "Method " strong { (r.method.0) } ": " (r.method.1) " (" (r.method.2) "). Run by " (r.by) ", kept in revision " (self.revision) "." }
            ul.muted { @for n in &r.notes { li { (n) } } }
            p.muted { "Datasets read: " @for (k, d) in r.datasets.iter().enumerate() { @if k > 0 { ", " } (d.year) " " (d.dataset) } }
            @if let Some(svg) = &self.chart { figure.chart { (PreEscaped(svg)) } }
            (self.filter())
            (self.churn_table())
            (self.spells_table())
            p { a href=(ctx.href("trade#panels")) { "All panel runs" } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_and_shares_read_as_a_person_writes_them() {
        assert_eq!(span(&[2019, 2020, 2021]), "2019-2021");
        assert_eq!(span(&[2021]), "2021");
        assert_eq!(span(&[]), "");
        assert_eq!(percent(Some(0.2)), "20%");
        assert_eq!(percent(None), "-");
        assert_eq!(count(Some(3)), "3");
    }
}
