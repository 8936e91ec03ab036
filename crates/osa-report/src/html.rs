//! The self-contained HTML report (`osa report -o DIR`): the matrix of osa's readings as an SVG heat
//! map, one dossier page per technology, actors to watch, the AI-application checklist, sources and
//! method notes. Pages carry their CSS and their one small script inline; nothing is fetched.

use crate::assess::{ActorView, DossierView, MatrixView};
use crate::format::words;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use osa_assess::Dimension;
use osa_assess::checklist::Checklist;

const CSS: &str = r#"
:root { --ink:#1d2733; --muted:#5b6773; --line:#d8dee4; --accent:#0b5cad; }
* { box-sizing: border-box; }
.caveat { border-left: 4px solid #c98a00; padding: 6px 12px; background: #fff8e6; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0; }
header { background: #0f2a47; color: #fff; padding: 12px 24px; }
header a { color: #cfe3ff; margin-right: 16px; text-decoration: none; }
header strong { margin-right: 24px; }
main { max-width: 1100px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 1.6em; margin: 0.6em 0 0.2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid var(--line); padding-bottom: 4px; margin-top: 1.6em; }
h3 { font-size: 1.05em; margin-bottom: 0.3em; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f3f6f9; font-weight: 600; }
.muted, .src { color: var(--muted); font-size: 0.88em; }
.lvl { display: inline-block; min-width: 1.8em; text-align: center; border-radius: 4px; padding: 0 4px; font-weight: 600; }
.l0 { background:#e8f3ea; } .l1 { background:#fdf3c4; } .l2 { background:#fbd38d; } .l3 { background:#f59e68; } .l4 { background:#d9463b; color:#fff; } .ls { background:#eceff2; color:#6b7680; }
.beyond { color: #b3261e; font-weight: 600; }
.tag { display:inline-block; background:#eef3f8; border-radius: 3px; padding: 0 6px; margin-right: 4px; font-size: 0.85em; }
input[type=search] { padding: 6px 8px; width: 320px; border: 1px solid var(--line); border-radius: 4px; }
svg text { font-family: system-ui, sans-serif; }
figure.chart { margin: 12px 0 20px; }
figure.chart svg { max-width: 100%; height: auto; border: 1px solid var(--line); }
@media print {
  @page { size: A4; margin: 16mm 14mm; }
  body { font-size: 10.5pt; }
  header, input[type=search], #count { display: none; }
  main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  h2, h3 { break-after: avoid; }
  table { font-size: 9pt; }
  th, td { padding: 3px 5px; word-break: break-word; }
  tr, figure, li { break-inside: avoid; }
  thead { display: table-header-group; }
  figure.chart svg { border: none; }
}
"#;

const FILTER_JS: &str = r#"
document.addEventListener('DOMContentLoaded', function () {
  var box = document.getElementById('filter');
  if (!box) { return; }
  var rows = Array.prototype.slice.call(document.querySelectorAll('#filtered tbody tr'));
  var count = document.getElementById('count');
  function apply() {
    var q = box.value.toLowerCase();
    var shown = 0;
    rows.forEach(function (r) {
      var hit = r.textContent.toLowerCase().indexOf(q) !== -1;
      r.style.display = hit ? '' : 'none';
      if (hit) { shown += 1; }
    });
    if (count) { count.textContent = shown + ' of ' + rows.length; }
  }
  box.addEventListener('input', apply);
  apply();
});
"#;

fn page(title: &str, root: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · osa" }
                style { (PreEscaped(CSS)) }
                script { (PreEscaped(FILTER_JS)) }
            }
            body {
                header {
                    strong { "osa · Open Strategic Autonomy workbench" }
                    a href={(root) "index.html"} { "Overview" }
                    a href={(root) "actors.html"} { "Actors" }
                    a href={(root) "checklist.html"} { "AI checklist" }
                    a href={(root) "sources.html"} { "Sources" }
                    a href={(root) "method.html"} { "Method" }
                }
                main { (PreEscaped(crate::format::unsigned_zero(&body.into_string()))) }
            }
        }
    }
    .into_string()
}

fn lvl(level: Option<u8>) -> Markup {
    match level {
        Some(l) => html! { span class={"lvl l" (l)} title={"level " (l)} { (l) } },
        None => html! { span class="lvl ls" title="the report is silent" { "–" } },
    }
}

fn short_name(d: Dimension) -> &'static str {
    match d {
        Dimension::SupplyResilience => "Supply resilience",
        Dimension::NationalSecurity => "National security",
        Dimension::ValuesSustainability => "Values & sustainability",
        Dimension::Competitiveness => "Competitiveness",
    }
}

const FILLS: [&str; 5] = ["#e8f3ea", "#fdf3c4", "#fbd38d", "#f59e68", "#d9463b"];

/// The matrix as an SVG heat map (technologies x dimensions), each cell linking to its dossier.
pub fn matrix_svg(m: &MatrixView, root: &str) -> Markup {
    let (left, top, cw, ch) = (390, 60, 160, 34);
    let width = left + cw * 4 + 20;
    let height = top + ch * m.technologies.len() + 40;
    html! {
        svg xmlns="http://www.w3.org/2000/svg" width=(width) height=(height)
            viewBox={"0 0 " (width) " " (height)} role="img"
            aria-label="Technologies by dimension: level of the challenge to European Open Strategic Autonomy" {
            @for (k, d) in Dimension::ALL.iter().enumerate() {
                text x=(left + k * cw + cw / 2) y=(top - 14) text-anchor="middle" font-size="13" font-weight="600" { (short_name(*d)) }
            }
            @for (r, t) in m.technologies.iter().enumerate() {
                text x=(left - 10) y=(top + r * ch + ch / 2 + 5) text-anchor="end" font-size="13" {
                    (t.name) @if t.kind == "example" { " (example)" }
                }
                @for (k, d) in Dimension::ALL.iter().enumerate() {
                    @let c = &t.dimensions[d.id()];
                    a href={(root) "tech/" (t.id) ".html"} {
                        rect x=(left + k * cw + 2) y=(top + r * ch + 2) width=(cw - 4) height=(ch - 4) rx="4"
                            fill=(c.level.map_or("#eceff2", |l| FILLS[usize::from(l.min(4))]))
                            stroke="#ffffff" {
                            title { (t.name) " · " (d.name()) ": " (c.level.map_or("the report is silent".to_string(), |l| format!("level {l}"))) " — " (c.rationale)
                                @for n in c.notes() { " · " (n) } }
                        }
                        text x=(left + k * cw + cw / 2) y=(top + r * ch + ch / 2 + 5) text-anchor="middle"
                            font-size=(if c.short().chars().count() > 4 { "11" } else { "14" })
                            font-weight="600" fill=(if c.level == Some(4) { "#ffffff" } else { "#1d2733" }) {
                            (c.short())
                        }
                    }
                }
            }
            @for l in 0..5usize {
                rect x=(left + l * 110) y=(height - 28) width="18" height="14" rx="3" fill=(FILLS[l]) {}
                text x=(left + l * 110 + 24) y=(height - 16) font-size="11" {
                    (l) " " (["none", "low", "moderate", "high", "critical"][l])
                }
            }
        }
    }
}

/// The matrix's caveat (osa's readings, the report's pinch of salt), shown above every matrix.
fn matrix_caveat(m: &MatrixView) -> Markup {
    html! { p.caveat { strong { "Read with care. " } (m.caveat) } }
}

/// The ranges and divergent signals of the matrix's cells, under every matrix.
fn matrix_notes_html(m: &MatrixView) -> Markup {
    let notes = crate::assess::matrix_notes(m);
    html! {
        p.muted { (crate::assess::MATRIX_LEGEND) }
        @if !notes.is_empty() {
            h3 { "Contested levels and divergent signals" }
            ul { @for n in &notes { li { (n) } } }
        }
    }
}

/// A standalone matrix page (`osa matrix --format html`).
/// A chart with its caption (the source under it).
#[derive(Debug, Clone)]
pub struct Figure {
    /// The chart as SVG.
    pub svg: String,
    /// Source and units.
    pub caption: String,
}

/// A standalone page of one command's table (its CSV rendering, ids in words, numbers as
/// printed) under its charts: the HTML output of commands without a page of their own.
pub fn table_page(title: &str, csv_text: &str, figures: &[Figure]) -> String {
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = r
        .headers()
        .map(|h| h.iter().map(words).collect())
        .unwrap_or_default();
    let rows: Vec<Vec<String>> = r
        .records()
        .filter_map(|x| x.ok())
        .map(|x| x.iter().map(id_words).collect())
        .collect();
    page(
        title,
        "",
        html! {
            h1 { (title) }
            @for f in figures {
                figure.chart { (PreEscaped(&f.svg)) figcaption.src { (f.caption) } }
            }
            table {
                thead { tr { @for h in &header { th { (h) } } } }
                tbody { @for row in &rows { tr { @for c in row { td { (c) } } } } }
            }
            p.src { (rows.len()) " rows. The same table: --format csv (or xlsx, json)." }
        },
    )
}

/// A cell in words when it is an id (`final_output` -> `final output`), else as it is.
fn id_words(cell: &str) -> String {
    let is_id = cell.contains('_')
        && cell
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if is_id { words(cell) } else { cell.to_string() }
}

/// The matrix page.
pub fn matrix_page(m: &MatrixView) -> String {
    page(
        "Matrix",
        "",
        html! {
            h1 { "Technologies × dimensions" }
            (matrix_caveat(m))
            (matrix_svg(m, ""))
            (matrix_notes_html(m))
        },
    )
}

fn dossier_body(v: &DossierView) -> Markup {
    html! {
        h1 { (v.name) }
        p.muted { @if !v.chapter.is_empty() { (v.chapter) " · " } @if !v.seed_lines.is_empty() { "the report, lines " (v.seed_lines.trim_start_matches('L')) " · " } (v.kind) }
        p { (v.summary) }
        p.src { "Levels judged by " (v.judgment["author"].as_str().unwrap_or("")) " on "
            (v.judgment["date"].as_str().unwrap_or("")) ": " (v.judgment["method"].as_str().unwrap_or("")) }
        @if v.ecosystem.is_none() {
            h2 { "Step 1 · Ecosystem" }
            p.muted { (crate::assess::NO_ECOSYSTEM) }
        }
        @if let Some(e) = &v.ecosystem {
            h2 { "Step 1 · Ecosystem" }
            p { "Ecosystem " code { (e.id) } "; inputs in scope: " (e.scope.join(", ")) }
            p { "The EU holds half or more of: "
                @if e.eu_chokepoints.is_empty() { "no input in scope" }
                @for c in &e.eu_chokepoints {
                    span.tag { (c["name"].as_str().unwrap_or("")) " " (format!("{:.0}%", c["share"].as_f64().unwrap_or(0.0) * 100.0)) }
                }
            }
            p { "Major non-EU suppliers (" (format!("{:.0}%", e.major_supplier_min_share * 100.0)) " or more of an input in scope): "
                @for c in &e.major_suppliers {
                    span.tag { (c["country"].as_str().unwrap_or("")) " " (format!("{:.0}%", c["share"].as_f64().unwrap_or(0.0) * 100.0)) }
                }
            }
            @if let Some(svg) = crate::chart::suppliers(e) {
                figure.chart { (PreEscaped(svg))
                    figcaption.src { "Source: ecosystem " (e.id) " (its provision records: country shares of each input's world market, the latest year each input has shares for; "
                        "CSET Emerging Technology Observatory data where the ecosystem is an ETO release, CC BY-NC 4.0)." } }
            }
        }
        h2 { "Step 2 · Four dimensions" }
        table {
            thead { tr { th { "Dimension" } th { "Judged" } th { "Computed" } th { "Agreement" } th { "Rationale" } } }
            tbody {
                @for d in Dimension::ALL {
                    @let x = &v.dimensions[d.id()];
                    tr {
                        td { (d.name()) }
                        td { (lvl(x.judged.level)) }
                        td { (lvl(x.computed.as_ref().map(|c| c.level))) }
                        td { (words(x.agreement)) }
                        td { (x.judged.rationale) }
                    }
                }
            }
        }
        @for d in Dimension::ALL {
            @let x = &v.dimensions[d.id()];
            h3 { (d.name()) " " (x.judged.short()) }
            @if !x.judged.notes().is_empty() {
                ul.notes { @for n in x.judged.notes() { li { (n) } } }
            }
            ul {
                @for e in &x.judged.evidence { li { (e.text) " " span.src title=(crate::bibliography::cite(&e.source)) { "[" (e.source) "]" } } }
                @if x.judged.evidence.is_empty() { li.muted { "The report is silent." } }
            }
            @if let Some(c) = &x.computed {
                p.muted { "Computed level " (c.level) " — " (c.formula) }
                ul {
                    @for i in &c.indicators {
                        li { (i.name) " = " (format!("{:.3}", i.value)) ": " (i.detail)
                            @if !i.sources.is_empty() { " " span.src { "[" (i.sources.join("; ")) "]" } } }
                    }
                }
            }
        }
        @if !v.tensions.is_empty() {
            h3 { "Tensions" }
            ul {
                @for t in &v.tensions {
                    li { span.tag { (words(t.kind)) } (t.dimensions.iter().map(|d| words(d)).collect::<Vec<_>>().join(" vs ")) ": " (t.text)
                        @if let Some(s) = &t.source { " " span.src title=(crate::bibliography::cite(s)) { "[" (s) "]" } } }
                }
            }
        }
        @if let Some(svg) = crate::chart::levels(v) {
            figure.chart { (PreEscaped(svg))
                figcaption.src { "Source: judged levels from the case's evidence (cited above); computed levels from the ecosystem's shares with the formulas shown with each indicator." } }
        }
        h2 { "Step 3 · Geopolitical context" }
        @if let Some(svg) = crate::chart::risks(&v.geopolitics) {
            figure.chart { (PreEscaped(svg))
                figcaption.src { "Source: osa's likelihood model over the country profiles (assessment year " (v.geopolitics.year) "; " (v.geopolitics.source) "); severity is the judged level / 4." } }
        }
        @if v.geopolitics.counterparts.is_empty() { p.muted { (crate::assess::NO_COUNTERPARTS) } }
        @else { table {
            thead { tr { th { "Country" } th { "Dimension" } th { "Stance" } th { "Likelihood" } th { "Risk" } th { "Tolerance" } th { "Verdict" } } }
            tbody {
                @for c in &v.geopolitics.counterparts {
                    @for d in Dimension::ALL {
                        @let r = &c.dimensions[d.id()];
                        tr {
                            td { (c.name) " (" (c.country) ")" }
                            td { (d.name()) }
                            td { (words(r.stance)) }
                            td title=(r.factors.iter().map(|f| format!("{} {}: {}", f.name, words(&f.value), f.effect)).collect::<Vec<_>>().join("; ")) { (format!("{:.2}", r.likelihood)) }
                            td { (format!("{:.2}", r.risk)) }
                            td { (format!("{:.2}", r.tolerance)) }
                            td { @if r.beyond_tolerance { span.beyond { "beyond tolerance" } } @else { "within" } }
                        }
                    }
                }
            }
        } }
        @for c in &v.geopolitics.counterparts {
            p { strong { (c.name) } ": " (words(c.relationship)) ", regime " (words(c.regime.unwrap_or("unknown")))
                ", member of " (if c.memberships.is_empty() { "no listed bloc".to_string() } else { c.memberships.join(", ") })
                ", security ally: " (c.security_ally.as_deref().unwrap_or("no"))
                ", EU share of mutual leverage: " (c.eu_leverage.map_or("unknown".to_string(), |l| format!("{:.0}%", l * 100.0)))
                @if let Some(b) = &c.eu_leverage_basis { " (" (b) ")" }
                @if let Some(f) = &c.freedom_house { ", Freedom House " (f["status"].as_str().unwrap_or("")) " (" (f["score"]) "/100, " (f["year"]) ")" }
                @if let Some(g) = &c.governance { ", WGI mean " (format!("{:.2}", g["wgi_mean"].as_f64().unwrap_or(0.0))) " (" (g["year"]) ")" }
                ", " (c.coercion_events) " recorded coercion events."
                @if c.default_profile { " " span.muted { "No osa profile: a default partner profile was used." } }
            }
        }
        p.src { (v.geopolitics.model) }
        h2 { "Step 4 · Toolkit" }
        p { strong { "Priority: " } (v.priority.text) }
        p.src { (v.priority.rule) }
        ol {
            @for i in &v.instruments {
                li { strong { (i.name) } " " span.muted { "(score " (format!("{:.1}", i.score)) ")" }
                    br; (i.rationale) }
            }
        }
        @if !v.actors.is_empty() {
            h2 { "Actors to watch" }
            table {
                thead { tr { th { "Actor" } th { "Kind" } th { "Country" } th { "Relevance" } th { "Role" } th { "Source" } } }
                tbody { @for a in &v.actors { tr { td { (a.name) } td { (words(a.kind)) } td { (a.country) } td title=(a.relevance.why) { (a.relevance.level) " " span.src { "[" (a.relevance.source) "]" } } td { (a.role) } td.src { (a.source) } } } }
            }
        }
        @if !v.recommendations.is_empty() {
            h2 { "The report's recommendations" }
            ul {
                @for r in &v.recommendations {
                    li { (r.text) " "
                        @for i in &r.instruments { span.tag { (v.instruments.iter().find(|x| &x.id == i).map_or_else(|| words(i), |x| x.name.clone())) } }
                        span.src title=(crate::bibliography::cite(&r.source)) { "[" (r.source) (if r.stated { "" } else { "; dimension mapping inferred" }) "]" } }
                }
            }
        }
    }
}

/// A standalone dossier page (`osa assess TECH --format html`).
pub fn dossier_page(v: &DossierView) -> String {
    page(&v.name, "", dossier_body(v))
}

fn actors_body(actors: &[ActorView]) -> Markup {
    html! {
        h1 { "Actors to watch" }
        p.muted { "The party-state organs, ministries, firms, standards bodies and research institutes each chapter names, with their role where the report states it, and a rough indication of their relevance from the chapter's text. Actors outside the PRC are context, not actors to watch (seed L221-225)." }
        p { input #filter type="search" placeholder="Filter by name, country, kind, technology…" aria-label="Filter actors"; " " span #count .muted {} }
        table #filtered {
            thead { tr { th { "Technology" } th { "Actor" } th { "Kind" } th { "Country" } th { "Relevance" } th { "Role" } th { "Source" } } }
            tbody {
                @for a in actors {
                    tr { td { (a.technology.as_deref().unwrap_or("")) } td { (a.name) } td { (words(a.kind)) } td { (a.country) }
                        td title=(a.relevance.why) { (a.relevance.level) " " span.src { "[" (a.relevance.source) "]" } }
                        td { (a.role) } td.src { (a.source) } }
                }
            }
        }
    }
}

fn checklist_body(c: &Checklist) -> Markup {
    html! {
        h1 { (c.title) }
        p.muted { (c.note) " [" (c.source.to_string()) "]" }
        table {
            thead { tr { th { "#" } th { "Level" } th { "Criterion" } @for a in &c.applications { th { (a.name) } } } }
            tbody {
                @for x in &c.criteria {
                    tr {
                        td { (x.number) } td { (x.level.as_str()) }
                        td { strong { (x.title) } br; span.muted { (x.question) } }
                        @for a in &c.applications {
                            td { @match a.rating(&x.id) {
                                Some(r) => { span.tag title=(r.text) { (words(r.rating.as_str())) } br; span.src { (r.source.to_string()) } },
                                None => { "–" },
                            } }
                        }
                    }
                }
            }
        }
        @for a in &c.applications {
            h2 { (a.name) " (" (a.firm) ", " (a.country.to_string()) ")" }
            p.src { "Rated by " (a.judgment.author) " on " (a.judgment.date) ": " (a.judgment.method) }
            ul { @for x in &a.assessments { li { span.tag { (words(x.rating.as_str())) } (words(&x.criterion)) ": " (x.text) " " span.src { "[" (x.source.to_string()) "]" } } } }
        }
    }
}

/// What the report site is made of.
#[derive(Debug, Clone, Copy)]
pub struct Site<'a> {
    /// The matrix.
    pub matrix: &'a MatrixView,
    /// One dossier per technology.
    pub dossiers: &'a [DossierView],
    /// Actors to watch.
    pub actors: &'a [ActorView],
    /// The AI-application checklist.
    pub checklist: &'a Checklist,
    /// Every source cited, with who cites it.
    pub sources: &'a [(String, Vec<String>)],
    /// Method notes (paragraphs separated by blank lines).
    pub method: &'a str,
    /// osa's version and the assessment year.
    pub generated: &'a str,
    /// The analyst's own analyses: (page file, title, source); their pages are written apart.
    pub analyses: &'a [(String, String, String)],
}

/// Everything `osa report` writes: (relative path, content).
pub fn site(s: &Site) -> Vec<(String, String)> {
    let Site {
        matrix,
        dossiers,
        actors,
        checklist,
        sources,
        method,
        generated,
        analyses,
    } = *s;
    let mut out = Vec::new();
    out.push((
        "index.html".to_string(),
        page(
            "Overview",
            "",
            html! {
                h1 { "China's digital tech power and EU Open Strategic Autonomy" }
                p { "The report's four-step method applied to " (crate::assess::count_phrase(dossiers.iter().map(|d| d.kind))) ": "
                    "each technology's challenge to Europe on the four dimensions (0 none … 4 critical; – where the report is silent). "
                    "Click a cell for the full dossier: evidence with references to the report's lines (\"seed L…\"; the Sources page gives chapters and authors), computed indicators where ecosystem data exists, "
                    "the geopolitical context and the ranked policy instruments." }
                (matrix_caveat(matrix))
                (matrix_svg(matrix, ""))
                (matrix_notes_html(matrix))
                h2 { "Dossiers" }
                table {
                    thead { tr { th { "Technology" } th { "Kind" } th { "Top instruments" } } }
                    tbody {
                        @for d in dossiers {
                            tr { td { a href={"tech/" (d.id) ".html"} { (d.name) } } td { (d.kind) }
                                td { @for i in d.instruments.iter().take(3) { span.tag { (i.name) } } } }
                        }
                    }
                }
                @if !analyses.is_empty() {
                    h2 { "Your analyses" }
                    ul { @for (file, title, source) in analyses {
                        li { a href=(file) { (title) } " " span.src { "(" (source) ")" } } } }
                }
                p.src { "Generated by osa " (generated) "." }
            },
        ),
    ));
    for d in dossiers {
        out.push((
            format!("tech/{}.html", d.id),
            page(&d.name, "../", dossier_body(d)),
        ));
    }
    out.push((
        "actors.html".to_string(),
        page("Actors", "", actors_body(actors)),
    ));
    out.push((
        "checklist.html".to_string(),
        page("AI checklist", "", checklist_body(checklist)),
    ));
    out.push((
        "sources.html".to_string(),
        page(
            "Sources",
            "",
            html! {
                h1 { "Sources" }
                h2 { "The report" }
                p { (crate::bibliography::REPORT) }
                table {
                    thead { tr { th { "Part" } th { "Authors" } th { "Lines" } } }
                    tbody { @for (a, b, part, authors) in crate::bibliography::CHAPTERS {
                        tr { td { (part) } td { (if authors.is_empty() { "not named in the text" } else { authors }) } td { (a) "-" (b) } } } }
                }
                h2 { "Every source cited" }
                p.muted { "Each source the assessments cite, in full, with the technologies that cite it. References to the report give its part and the lines of its text." }
                table {
                    thead { tr { th { "Source" } th { "Cited by" } } }
                    tbody { @for (s, by) in sources { tr { td { (crate::bibliography::cite(s)) } td { (by.join(", ")) } } } }
                }
            },
        ),
    ));
    out.push((
        "method.html".to_string(),
        page(
            "Method",
            "",
            html! {
                h1 { "Method notes" }
                @for para in method.split("\n\n") { p { (para) } }
            },
        ),
    ));
    out
}
