//! Trade screening's pages: the registered datasets with their stored screening runs and the form
//! of a new run (dataset, importer bloc, year), and one run's products as a table filtered and
//! sorted by the query (HS section, end use, top supplier, dependent only; `sort=`), with the
//! chart of dependent import value by top supplier and the filtered rows as CSV, JSON or XLSX.

use crate::{Ctx, Page};
use maud::{Markup, PreEscaped, html};
use osa_app::workbench::Workbench;
use osa_app::workbench::runs::{self, ScreenFilter};
use osa_app::workbench::trade::{ScreeningRequest, TradeDataset};
use osa_view::trade::{ScreenRow, SupplierRow};
use serde::Serialize;

/// A stored screening run in a list.
#[derive(Debug, Clone, Serialize)]
pub struct ScreeningItem {
    /// Its number.
    pub number: u32,
    /// The revision that kept it.
    pub revision: i64,
    /// Who ran it.
    pub by: String,
    /// Parameters.
    pub request: ScreeningRequest,
    /// Rows read.
    pub rows_read: u64,
}

/// A registered dataset and its runs.
#[derive(Debug, Clone, Serialize)]
pub struct DatasetItem {
    /// Id.
    pub id: String,
    /// Version.
    pub version: i64,
    /// The dataset.
    pub dataset: TradeDataset,
    /// Its screening runs, newest first.
    pub runs: Vec<ScreeningItem>,
}

/// `/trade`: datasets, runs, and the screening form.
#[derive(Debug, Clone, Serialize)]
pub struct TradePage {
    /// The datasets.
    pub datasets: Vec<DatasetItem>,
    /// The form's problem: (field, message).
    pub error: Option<(String, String)>,
    /// The dataset form's problem: (field, message).
    pub upload_error: Option<(String, String)>,
    /// The kept panel screenings, newest first.
    pub panels: Vec<crate::panels::PanelItem>,
    /// The panel form's problem: (field, message).
    pub panel_error: Option<(String, String)>,
}

/// The trade page as of an as-of.
pub async fn build(wb: &Workbench, as_of: Option<&str>) -> osa_app::Result<TradePage> {
    let mut datasets = Vec::new();
    for d in wb.trade_datasets(as_of).await? {
        let runs = wb
            .screenings_numbered(&d.key, as_of)
            .await?
            .into_iter()
            .map(|r| ScreeningItem {
                number: r.number,
                revision: r.revision,
                by: r.run.by,
                request: r.run.request,
                rows_read: r.run.rows_read,
            })
            .collect();
        datasets.push(DatasetItem {
            id: d.key,
            version: d.version,
            dataset: d.value,
            runs,
        });
    }
    Ok(TradePage {
        datasets,
        error: None,
        upload_error: None,
        panels: crate::panels::items(wb, as_of).await?,
        panel_error: None,
    })
}

fn screening_form(p: &TradePage) -> Markup {
    let err = |f: &str| {
        p.error
            .as_ref()
            .filter(|(x, _)| x == f)
            .map(|(_, m)| m.clone())
    };
    let invalid = |f: &str| err(f).map(|_| "true");
    html! {
        form.screen-form method="post" action="/trade/screenings" {
            p { label for="dataset" { "Dataset" } br;
                select #dataset name="dataset" aria-invalid=[invalid("dataset")] {
                    @for d in &p.datasets { option value=(d.id) { (d.id) @if let Some(y) = d.dataset.year { " (" (y) ")" } } }
                }
                @if let Some(m) = err("dataset") { br; span.error role="alert" { (m) } } }
            p { label for="importer" { "Importer bloc or country" } " " span.muted { "EU27, a bloc id or ISO3" } br;
                input #importer name="importer" type="text" value="EU27" aria-invalid=[invalid("importer")];
                @if let Some(m) = err("importer") { br; span.error role="alert" { (m) } } }
            p { label for="year" { "Year" } " " span.muted { "empty: the file's only year" } br;
                input #year name="year" type="text" inputmode="numeric" aria-invalid=[invalid("year")];
                @if let Some(m) = err("year") { br; span.error role="alert" { (m) } } }
            @if let Some((f, m)) = p.error.as_ref().filter(|(f, _)| !["dataset", "importer", "year"].contains(&f.as_str())) {
                p.error role="alert" { (f) ": " (m) }
            }
            p { button type="submit" { "Screen and keep the run" } }
        }
    }
}

impl Page for TradePage {
    fn title(&self) -> String {
        "Trade screening".into()
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        html! {
            h1 { "Trade screening" }
            p { "The Commission's three-indicator screening (SWD(2021) 352: concentration of extra-bloc suppliers, extra-bloc share, imports over exports) of a registered BACI dataset, for an importer bloc and year. Each run is kept with who ran it." }
            @if self.datasets.is_empty() { p.muted { "No dataset is registered yet: a reviewer uploads one below." } }
            @for d in &self.datasets {
                section.dataset {
                    h2 { (d.id) }
                    p.muted { (d.dataset.format) " · " (d.dataset.bytes) " bytes"
                        @if let Some(y) = d.dataset.year { " · " (y) } " · " (d.dataset.note) }
                    @if d.runs.is_empty() { p.muted { "No screening yet." } }
                    ul.runs { @for r in &d.runs {
                        li { a href=(ctx.href(&format!("trade/screenings/{}/{}", d.id, r.number))) { "Screening " (r.number) }
                            " · " (r.request.importer.as_deref().unwrap_or("EU27"))
                            @if let Some(y) = r.request.year { " " (y) }
                            " · by " (r.by) " · revision " (r.revision) " · " (r.rows_read) " rows read" }
                    } }
                }
            }
            @if ctx.is_live() && ctx.can("analyst") && !self.datasets.is_empty() {
                h2 #new { "New screening" }
                (screening_form(self))
            }
            (crate::panels::section(ctx, &self.panels, self.panel_error.as_ref()))
            @if ctx.is_live() && ctx.can("reviewer") {
                h2 #add { "Add a dataset" }
                p.muted { "The file is uploaded, then ingested whole (every row checked) by a job whose progress you follow; the dataset is registered when it ends." }
                (crate::uploads::trade_upload_form(&self.upload_error))
            }
        }
    }
}

/// The columns one can sort by: (key, header, numeric).
pub const COLUMNS: &[(&str, &str, bool)] = &[
    ("product", "HS6", false),
    ("description", "Product", false),
    ("section", "Section", false),
    ("end_use", "End use", false),
    ("hhi", "HHI", true),
    ("extra_share", "Extra-bloc share", true),
    ("import_export_ratio", "Imports / exports", true),
    ("dependent", "Dependent", false),
    ("top_supplier", "Top supplier", false),
    ("top_share", "Top share", true),
    ("import_value", "Extra-bloc imports (thousand USD)", true),
];

/// `/trade/screenings/{dataset}/{n}`: one run's products, filtered and sorted.
#[derive(Debug, Clone, Serialize)]
pub struct ScreeningPage {
    /// The dataset.
    pub dataset: String,
    /// The run's number.
    pub number: u32,
    /// The revision that kept it.
    pub revision: i64,
    /// Who ran it.
    pub by: String,
    /// Parameters.
    pub request: ScreeningRequest,
    /// Rows read.
    pub rows_read: u64,
    /// Rows rejected.
    pub rows_rejected: u64,
    /// Coverage, summary and warnings.
    pub notes: Vec<String>,
    /// The filter in force.
    pub filter: ScreenFilter,
    /// The sort in force (`key`, or `-key` for descending).
    pub sort: String,
    /// Products in the run.
    pub total: usize,
    /// The products shown (filtered and sorted).
    pub rows: Vec<ScreenRow>,
    /// Dependent import value by top supplier, of the rows shown.
    pub suppliers: Vec<SupplierRow>,
    /// The values the filters offer: sections, end uses, top suppliers.
    pub choices: (Vec<String>, Vec<String>, Vec<String>),
    /// The chart (SVG), not in the JSON.
    #[serde(skip)]
    pub chart: Option<String>,
    /// The page of the table shown (from 1; [`ROWS_PER_PAGE`] rows each). JSON and downloads hold
    /// every filtered row.
    pub page: usize,
}

/// Rows per page of the screening table (a page stays well under 300 kB).
pub const ROWS_PER_PAGE: usize = 200;

fn cmp_rows(a: &ScreenRow, b: &ScreenRow, key: &str) -> std::cmp::Ordering {
    let f = |r: &ScreenRow| match key {
        "hhi" => r.hhi,
        "extra_share" => r.extra_share,
        "import_export_ratio" => r.import_export_ratio,
        "top_share" => r.top_share,
        _ => r.import_value,
    };
    let s = |r: &ScreenRow| match key {
        "product" => r.product.clone(),
        "description" => r.description.clone(),
        "section" => r.section.clone(),
        "end_use" => r.end_use.clone(),
        "dependent" => r.dependent.to_string(),
        "top_supplier" => r.top_supplier.clone(),
        _ => String::new(),
    };
    match COLUMNS.iter().find(|c| c.0 == key) {
        Some(("section", _, _)) => roman(&a.section).cmp(&roman(&b.section)),
        Some((_, _, false)) => s(a).cmp(&s(b)),
        _ => f(a).total_cmp(&f(b)),
    }
}

/// The sort key and direction of a `sort=` value (default: import value, largest first).
pub fn sort_key(sort: Option<&str>) -> (String, bool) {
    let s = sort.map(str::trim).filter(|s| !s.is_empty());
    let (desc, key) = match s {
        Some(k) => match k.strip_prefix('-') {
            Some(k) => (true, k),
            None => (false, k),
        },
        None => (true, "import_value"),
    };
    if COLUMNS.iter().any(|c| c.0 == key) {
        (key.to_string(), desc)
    } else {
        ("import_value".into(), true)
    }
}

/// An HS section's Roman numeral as a number (XVI is 16), so sections sort in their order.
fn roman(s: &str) -> u32 {
    let v: Vec<i64> = s
        .chars()
        .map(|c| match c {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            'L' => 50,
            _ => 0,
        })
        .collect();
    let mut total = 0i64;
    for (k, &x) in v.iter().enumerate() {
        if v.get(k + 1).is_some_and(|&n| n > x) {
            total -= x;
        } else {
            total += x;
        }
    }
    u32::try_from(total.max(0)).unwrap_or(0)
}

/// A value in thousand USD, rounded, with thin spaces between thousands (12 345).
fn grouped(v: f64) -> String {
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push('\u{2009}');
        }
        out.push(c);
    }
    if v < 0.0 && digits != "0" {
        out.insert(0, '-');
    }
    out
}

fn distinct(rows: &[ScreenRow], numeral: bool, f: impl Fn(&ScreenRow) -> &str) -> Vec<String> {
    let set: std::collections::BTreeSet<(u32, String)> = rows
        .iter()
        .map(|r| (if numeral { roman(f(r)) } else { 0 }, f(r).to_string()))
        .filter(|(_, s)| !s.is_empty())
        .collect();
    set.into_iter().map(|(_, s)| s).collect()
}

/// One stored screening, filtered and sorted.
pub async fn build_screening(
    wb: &Workbench,
    (dataset, number): (&str, u32),
    filter: ScreenFilter,
    sort: Option<&str>,
    as_of: Option<&str>,
) -> osa_app::Result<ScreeningPage> {
    let r = wb.screening(dataset, number, as_of).await?;
    let all = runs::screen_rows(&r.run.rows)?;
    let (key, desc) = sort_key(sort);
    let mut rows: Vec<ScreenRow> = all.iter().filter(|x| filter.keeps(x)).cloned().collect();
    rows.sort_by(|a, b| {
        let o = cmp_rows(a, b, &key);
        let o = if desc { o.reverse() } else { o };
        o.then(a.product.cmp(&b.product))
    });
    let suppliers = runs::by_top_supplier(&rows);
    let chart = osa_view::chart::import_value(&suppliers);
    Ok(ScreeningPage {
        dataset: dataset.into(),
        number,
        revision: r.revision,
        by: r.run.by,
        request: r.run.request,
        rows_read: r.run.rows_read,
        rows_rejected: r.run.rows_rejected,
        notes: r.run.notes,
        choices: (
            distinct(&all, true, |r| &r.section),
            distinct(&all, false, |r| &r.end_use),
            distinct(&all, false, |r| &r.top_supplier),
        ),
        filter,
        sort: if desc { format!("-{key}") } else { key },
        total: all.len(),
        rows,
        suppliers,
        chart,
        page: 1,
    })
}

impl ScreeningPage {
    /// The page's query with `extra` pairs replacing its own (filters, sort, as-of).
    pub fn query(&self, ctx: &Ctx, extra: &[(&str, &str)]) -> String {
        let f = &self.filter;
        let mut pairs: Vec<(String, String)> = vec![
            ("section".into(), f.section.clone().unwrap_or_default()),
            ("end_use".into(), f.end_use.clone().unwrap_or_default()),
            ("supplier".into(), f.supplier.clone().unwrap_or_default()),
            ("text".into(), f.text.clone().unwrap_or_default()),
            (
                "dependent".into(),
                if f.dependent {
                    "true".into()
                } else {
                    String::new()
                },
            ),
            ("sort".into(), self.sort.clone()),
            ("as_of".into(), ctx.as_of.clone().unwrap_or_default()),
        ];
        for (k, v) in extra {
            pairs.retain(|(x, _)| x != k);
            pairs.push(((*k).into(), (*v).into()));
        }
        let q: Vec<String> = pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", crate::layout::encode(v)))
            .collect();
        format!(
            "/trade/screenings/{}/{}?{}",
            self.dataset,
            self.number,
            q.join("&")
        )
    }

    fn filters(&self, ctx: &Ctx) -> Markup {
        let f = &self.filter;
        let select = |name: &str, label: &str, values: &[String], current: Option<&str>| {
            html! {
                p.field { label for=(name) { (label) } br;
                    select #(name) name=(name) {
                        option value="" { "any" }
                        @for v in values { option value=(v) selected[current == Some(v.as_str())] {
                            @if name == "section" { (osa_app::trade::hs_section_words(v)) } @else { (v) } } }
                    } }
            }
        };
        html! {
            form.filters method="get" action={"/trade/screenings/" (self.dataset) "/" (self.number)} {
                @if let Some(a) = &ctx.as_of { input type="hidden" name="as_of" value=(a); }
                input type="hidden" name="sort" value=(self.sort);
                (select("section", "HS section", &self.choices.0, f.section.as_deref()))
                (select("end_use", "End use", &self.choices.1, f.end_use.as_deref()))
                (select("supplier", "Top supplier", &self.choices.2, f.supplier.as_deref()))
                p.field { label for="text" { "Product code or words" } br;
                    input #text type="search" name="text" maxlength="200" value=(f.text.as_deref().unwrap_or("")) placeholder="8112 or gallium"; }
                p.field { input #dependent type="checkbox" name="dependent" value="true" checked[f.dependent];
                    " " label for="dependent" { "Dependent products only" } }
                p { button type="submit" { "Filter" } }
            }
        }
    }

    /// The table's pages: (this page, the number of pages, the first row shown from 0).
    fn pages(&self) -> (usize, usize, usize) {
        let pages = self.rows.len().div_ceil(ROWS_PER_PAGE).max(1);
        let page = self.page.clamp(1, pages);
        (page, pages, (page - 1) * ROWS_PER_PAGE)
    }

    fn pager(&self, ctx: &Ctx) -> Markup {
        let (page, pages, first) = self.pages();
        let last = (first + ROWS_PER_PAGE).min(self.rows.len());
        html! {
            @if pages > 1 {
                nav.pager aria-label="Pages of the table" {
                    "Rows " (first + 1) "–" (last) " of " (self.rows.len()) " · "
                    @if page > 1 { a href=(self.query(ctx, &[("page", &(page - 1).to_string())])) rel="prev" { "previous" } " · " }
                    "page " (page) " of " (pages)
                    @if page < pages { " · " a href=(self.query(ctx, &[("page", &(page + 1).to_string())])) rel="next" { "next" } }
                }
            }
        }
    }

    fn table(&self, ctx: &Ctx) -> Markup {
        let (key, desc) = sort_key(Some(&self.sort));
        let (_, _, first) = self.pages();
        html! {
            (self.pager(ctx))
            div.scroll tabindex="0" role="region" aria-label="Screened products" { table.screen {
                caption { (self.rows.len()) " of " (self.total) " products" }
                thead { tr { @for (k, label, numeric) in COLUMNS {
                    @let here = *k == key;
                    @let next = if here && !desc { format!("-{k}") } else if here { (*k).to_string() } else if *numeric { format!("-{k}") } else { (*k).to_string() };
                    th scope="col" aria-sort=[here.then_some(if desc { "descending" } else { "ascending" })] {
                        a href=(self.query(ctx, &[("sort", &next)])) { (label) } }
                } } }
                tbody { @for r in self.rows.iter().skip(first).take(ROWS_PER_PAGE) {
                    tr { td { code { (r.product) } } td { (r.description) } td { (osa_app::trade::hs_section_words(&r.section)) } td { (r.end_use) }
                        td.num { (format!("{:.3}", r.hhi)) } td.num { (format!("{:.1}%", r.extra_share * 100.0)) }
                        td.num { @if r.import_export_ratio >= 9999.0 { "no exports" } @else { (format!("{:.2}", r.import_export_ratio)) } }
                        td { @if r.dependent { strong { "yes" } } @else { "no" } }
                        td { (r.top_supplier) } td.num { (format!("{:.1}%", r.top_share * 100.0)) }
                        td.num { (grouped(r.import_value)) } }
                } }
            } }
        }
    }
}

impl Page for ScreeningPage {
    fn title(&self) -> String {
        format!("Screening {} of {}", self.number, self.dataset)
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        html! {
            p { a href=(ctx.href("trade")) { "Trade screening" } }
            h1 { "Screening " (self.number) " of " (self.dataset) }
            p.muted { "Importer " (self.request.importer.as_deref().unwrap_or("EU27"))
                @if let Some(y) = self.request.year { " · " (y) }
                " · by " (self.by) " (revision " (self.revision) ") · " (self.rows_read) " rows read, " (self.rows_rejected) " rejected" }
            @for n in &self.notes { p.caveat { (n) } }
            (self.filters(ctx))
            p.downloads { "Download these " (self.rows.len()) " rows: "
                a href=(self.query(ctx, &[("download", "csv")])) download { "CSV" } " · "
                a href=(self.query(ctx, &[("download", "json")])) download { "JSON" } " · "
                a href=(self.query(ctx, &[("download", "xlsx")])) download { "XLSX" } }
            @if let Some(svg) = &self.chart {
                figure.chart {
                    (PreEscaped(svg))
                    figcaption.src { "Source: BACI (CEPII) as registered (" (self.dataset) "); the dependent products among the rows shown, their extra-bloc imports summed by top supplier; screening thresholds of SWD(2021) 352 (HHI > 0.4, extra-bloc share > 50%, imports over exports > 1)." }
                }
            }
            @if self.total == 0 { p.muted { "This run has no product rows (it was run by section, end use or supplier)." } }
            (self.table(ctx))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_sort_by_their_numerals_and_values_group_thousands() {
        let n: Vec<u32> = ["I", "IV", "IX", "XIV", "XVI", "XXI"]
            .iter()
            .map(|s| roman(s))
            .collect();
        assert_eq!(n, [1, 4, 9, 14, 16, 21]);
        assert_eq!(grouped(1234567.4), "1\u{2009}234\u{2009}567");
        assert_eq!(grouped(50.0), "50");
        assert_eq!(sort_key(Some("-hhi")), ("hhi".into(), true));
        assert_eq!(sort_key(Some("galaxy")), ("import_value".into(), true));
    }
}
