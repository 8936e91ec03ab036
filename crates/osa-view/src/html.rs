//! The HTML fragments of osa's views: the matrix as an SVG heat map, a dossier's four steps, actors
//! to watch, the AI-application checklist, a command's table under its charts. The workbench's
//! pages (`osa serve`) and the exported report (`osa report`) compose them in `osa-web`; the
//! standalone page of a single command (`--format html`) wraps them here, with the one stylesheet
//! and script inline (a file opened from disk fetches nothing).

use crate::assess::{ActorView, DossierView, InstrumentView, MatrixView};
use crate::format::words;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use osa_assess::Dimension;
use osa_assess::checklist::Checklist;

/// The one stylesheet (assets/osa.css).
pub const CSS: &str = include_str!("../assets/osa.css");

/// The one script (assets/osa.js): progressive, pages work without it.
pub const JS: &str = include_str!("../assets/osa.js");

/// Where a fragment's links point: the exported report's files (`tech/6g.html`), or the
/// workbench's routes (`/tech/6g`), where seed citations also open the report's passage.
#[derive(Debug, Clone)]
pub struct Links {
    /// Prefix of every link (`""`, `"../"` or `"/"`).
    pub root: String,
    /// Suffix of page links (`".html"` in files, `""` on the server).
    pub ext: &'static str,
    /// Seed citations link to the reader (`{root}seed?lines=...`).
    pub reader: bool,
    /// A query kept on page links (`?as_of=r12` while reading the record as of a revision).
    pub query: String,
}

/// What the command line's words say in the workbench, where a reader has controls and review
/// instead of flags and files (the exported report keeps the command line's words).
const BROWSER_WORDS: [(&str, &str); 5] = [
    (
        "; give --priority to choose",
        "; choose one with the priority control below the dossier",
    ),
    (
        "a dimension given with --priority wins",
        "a dimension chosen with the priority control wins",
    ),
    (
        "osa baseline export writes them for editing",
        "a file of the baseline, changed through review",
    ),
    (
        ", or pass --ecosystem and --scope to osa assess; osa ecosystem import turns an ETO release into an ecosystem file.",
        "; the Ecosystems page lists the record's ecosystems and their inputs, and naming one in the case file is reviewed like any change.",
    ),
    (
        "; `osa ecosystem list` names the built-in ecosystems and `osa metrics ECOSYSTEM` their input ids)",
        ")",
    ),
];

/// `text` in the workbench's words on the server's pages; unchanged in exported files.
pub fn for_browser(links: &Links, text: &str) -> String {
    if !links.ext.is_empty() {
        return text.to_string();
    }
    BROWSER_WORDS
        .iter()
        .fold(text.to_string(), |t, (cli, browser)| {
            t.replace(cli, browser)
        })
}

impl Links {
    /// Links between files of one folder (`root` is the way up to the folder's top).
    pub fn files(root: &str) -> Links {
        Links {
            root: root.to_string(),
            ext: ".html",
            reader: false,
            query: String::new(),
        }
    }

    /// Links between the workbench's routes.
    pub fn server() -> Links {
        Links {
            root: "/".to_string(),
            ext: "",
            reader: true,
            query: String::new(),
        }
    }

    /// A page's link (`tech/6g` -> `tech/6g.html` or `/tech/6g`).
    pub fn to(&self, page: &str) -> String {
        format!("{}{page}{}{}", self.root, self.ext, self.query)
    }

    /// A source as cited in a page: `[seed L12-20]` with the full reference as its title; on the
    /// server, seed citations open the passage.
    pub fn cite(&self, source: &str) -> Markup {
        self.cite_with(source, "")
    }

    /// [`Links::cite`] with words after the source inside the brackets.
    pub fn cite_with(&self, source: &str, suffix: &str) -> Markup {
        let full = crate::bibliography::cite(source);
        match seed_lines(source) {
            Some(lines) if self.reader => html! {
                a.src.cite href={(self.root) "seed?lines=" (lines)} title=(full) data-lines=(lines) { "[" (source) (suffix) "]" }
            },
            _ => html! { span.src title=(full) { "[" (source) (suffix) "]" } },
        }
    }
}

/// The line range of a seed citation (`seed L12-20` -> `12-20`; `seed L5` -> `5`).
pub fn seed_lines(source: &str) -> Option<String> {
    let rest = source.trim().strip_prefix("seed L")?;
    let range: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    let first = range.split('-').next()?;
    (!first.is_empty()).then_some(range.trim_end_matches('-').to_string())
}

fn page(title: &str, root: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · osa" }
                style { (PreEscaped(CSS)) }
                script { (PreEscaped(JS)) }
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

/// A level as a coloured badge (– where the report is silent).
pub fn lvl(level: Option<u8>) -> Markup {
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

const FILLS: [&str; 5] = ["#e8f3ea", "#fdf3c4", "#fbd38d", "#f59e68", "#b3261e"];

/// The matrix as an SVG heat map (technologies x dimensions), each cell linking to its dossier.
pub fn matrix_svg(m: &MatrixView, links: &Links) -> Markup {
    matrix_svg_marked(m, links, &[])
}

/// [`matrix_svg`] with the cells in `changed` ((technology id, dimension id)) outlined.
pub fn matrix_svg_marked(m: &MatrixView, links: &Links, changed: &[(String, String)]) -> Markup {
    let (left, top, cw, ch) = (390, 60, 160, 34);
    let width = left + cw * 4 + 20;
    let height = top + ch * m.technologies.len() + 40;
    html! {
        svg xmlns="http://www.w3.org/2000/svg" width=(width) height=(height)
            viewBox={"0 0 " (width) " " (height)} role="group"
            aria-label="Technologies by dimension: level of the challenge to European Open Strategic Autonomy" {
            @for (k, d) in Dimension::ALL.iter().enumerate() {
                text x=(left + k * cw + cw / 2) y=(top - 14) text-anchor="middle" font-size="13" font-weight="600" { (short_name(*d)) }
            }
            @for (r, t) in m.technologies.iter().enumerate() {
                text x=(left - 10) y=(top + r * ch + ch / 2 + 5) text-anchor="end" font-size="13" {
                    (crate::assess::row_name(t)) @if t.kind == "example" { " (example)" }
                    @if let Some(f) = &t.osa_construction { title { "osa's construction, not the report's assessment: " (f.why) " [" (f.source) "]" } }
                }
                @for (k, d) in Dimension::ALL.iter().enumerate() {
                    @let c = &t.dimensions[d.id()];
                    a href=(links.to(&format!("tech/{}", t.id))) {
                        rect x=(left + k * cw + 2) y=(top + r * ch + 2) width=(cw - 4) height=(ch - 4) rx="4"
                            fill=(c.level.map_or("#eceff2", |l| FILLS[usize::from(l.min(4))]))
                            stroke="#ffffff" {
                            title { (t.name) " · " (d.name()) ": " (c.level.map_or("the report is silent".to_string(), |l| format!("level {l}"))) " — " (c.rationale)
                                @for n in c.notes() { " · " (n) }
                                " · basis: " (words(c.basis.kind)) @if let Some(a) = c.basis.agreement { ", " (a) } }
                        }
                        text x=(left + k * cw + cw / 2) y=(top + r * ch + ch / 2 + 5) text-anchor="middle"
                            font-size=(if c.short().chars().count() > 4 { "11" } else { "14" })
                            font-weight="600" fill=(if c.level == Some(4) { "#ffffff" } else { "#1d2733" }) {
                            (c.short())
                        }
                    }
                    @if changed.iter().any(|(ct, cd)| *ct == t.id && cd == d.id()) {
                        rect.changed x=(left + k * cw + 3) y=(top + r * ch + 3) width=(cw - 6) height=(ch - 6) rx="4"
                            fill="none" stroke="#1d4ed8" stroke-width="3" stroke-dasharray="6 3" pointer-events="none" {}
                    }
                    // The basis mark, outside the link so that each link holds the level's text only.
                    text.basis x=(left + k * cw + cw - 8) y=(top + r * ch + ch - 7) text-anchor="end" font-size="9" pointer-events="none"
                        fill=(if c.level == Some(4) { "#ffffff" } else { "#4a5563" }) { (c.basis_mark()) }
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
pub fn matrix_caveat(m: &MatrixView) -> Markup {
    html! { p.caveat { strong { "Read with care. " } (m.caveat) } }
}

/// The ranges and divergent signals of the matrix's cells, under every matrix.
pub fn matrix_notes_html(m: &MatrixView) -> Markup {
    let notes = crate::assess::matrix_notes(m);
    html! {
        p.muted { (crate::assess::MATRIX_LEGEND) }
        p.muted.basis-legend { (crate::assess::BASIS_LEGEND) }
        @for n in crate::assess::construction_notes(m) { p.muted.construction { (n) } }
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
            div.scroll tabindex="0" role="region" aria-label="A command's table" { table {
                thead { tr { @for h in &header { th { (h) } } } }
                tbody { @for row in &rows { tr { @for c in row { td { (c) } } } } }
            } }
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
            (matrix_svg(m, &Links::files("")))
            (matrix_notes_html(m))
        },
    )
}

/// A dossier's four steps, its actors and the report's recommendations.
pub fn dossier_body(v: &DossierView, links: &Links) -> Markup {
    html! {
        h1 { (v.name) }
        p.muted { @if !v.chapter.is_empty() { (v.chapter) " · " } @if !v.seed_lines.is_empty() { "the report, lines " (v.seed_lines.trim_start_matches('L')) " · " } (v.kind) }
        p { (v.summary) }
        p.src { "Levels judged by " (v.judgment["author"].as_str().unwrap_or("")) " on "
            (v.judgment["date"].as_str().unwrap_or("")) ": " (v.judgment["method"].as_str().unwrap_or("")) }
        @if let Some(f) = &v.osa_construction {
            p.caveat { strong { "osa's construction, not the report's assessment. " } (f.why) " " (links.cite(&f.source)) }
        }
        (step1_ecosystem(v, links))
        (step2_dimensions(v, links))
        (step3_geopolitics(v, links))
        (step4_toolkit(v, links))
        (actors_and_recommendations(v, links))
    }
}

/// Step 1: who supplies each input in scope, the EU's chokepoints, the major non-EU suppliers.
fn step1_ecosystem(v: &DossierView, links: &Links) -> Markup {
    html! {
        @if v.ecosystem.is_none() {
            h2 { "Step 1 · Ecosystem" }
            p.muted { (for_browser(links, crate::assess::NO_ECOSYSTEM)) }
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
            @if !e.supplier_shares.is_empty() {
                div.scroll tabindex="0" role="region" aria-label="Concentration of each input in scope" { table {
                    caption { "Concentration of each input in scope (country shares of the world market; HHI of the attributed shares)" }
                    thead { tr { th { "Input" } th { "Year" } th { "Largest supplier" } th { "HHI" } th { "Sources" } } }
                    tbody {
                        @for i in &e.supplier_shares {
                            tr {
                                td { (i.name) }
                                td { (i.year) }
                                td { @if let Some((c, s)) = i.shares.first() { (c) " " (format!("{:.0}%", s * 100.0)) } @else { "–" } }
                                td { (format!("{:.2}", i.hhi)) }
                                td { @for (k, s) in i.sources.iter().enumerate() { @if k > 0 { "; " } (links.cite(s)) } }
                            }
                        }
                    }
                } }
            }
            @if let Some(svg) = crate::chart::suppliers(e) {
                figure.chart { (PreEscaped(svg))
                    figcaption.src { "Source: ecosystem " (e.id) " (its provision records: country shares of each input's world market, the latest year each input has shares for; "
                        "CSET Emerging Technology Observatory data where the ecosystem is an ETO release, CC BY-NC 4.0)." } }
            }
        }
    }
}

/// Step 2: the four dimensions, judged and computed, with evidence and tensions.
fn step2_dimensions(v: &DossierView, links: &Links) -> Markup {
    html! {
        h2 { "Step 2 · Four dimensions" }
        div.scroll tabindex="0" role="region" aria-label="The four dimensions" { table {
            thead { tr { th { "Dimension" } th { "Judged" } th { "Computed" } th { "Basis (agreement)" } th { "Rationale" } } }
            tbody {
                @for d in Dimension::ALL {
                    @let x = &v.dimensions[d.id()];
                    tr {
                        td { (d.name()) }
                        td { (lvl(x.judged.level)) }
                        td { (lvl(x.computed.as_ref().map(|c| c.level))) }
                        td { (words(x.judged.basis.kind)) " (" (words(x.agreement)) ")" }
                        td { (x.judged.rationale) }
                    }
                }
            }
        } }
        p.src { (osa_assess::agreement::DEFINITION) }
        @for d in Dimension::ALL {
            @let x = &v.dimensions[d.id()];
            h3 { (d.name()) " " (x.judged.short()) }
            @if !x.judged.notes().is_empty() {
                ul.notes { @for n in x.judged.notes() { li { (n) } } }
            }
            ul {
                @for e in &x.judged.evidence { li { (e.text) " " (links.cite(&e.source.to_string())) } }
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
                    li { span.tag { (words(t.kind)) } span.tag { (words(t.relation)) } (t.dimensions.iter().map(|d| words(d)).collect::<Vec<_>>().join(" vs ")) ": " (t.text)
                        @if let Some(s) = &t.source { " " (links.cite(&s.to_string())) } }
                }
            }
        }
        @if let Some(svg) = crate::chart::levels(v) {
            figure.chart { (PreEscaped(svg))
                figcaption.src { "Source: judged levels from the case's evidence (cited above); computed levels from the ecosystem's shares with the formulas shown with each indicator." } }
        }
    }
}

/// Step 3: the counterparts' likelihood and risk against tolerance, and their profiles.
fn step3_geopolitics(v: &DossierView, links: &Links) -> Markup {
    html! {
        h2 { "Step 3 · Geopolitical context" }
        @if let Some(svg) = crate::chart::risks(&v.geopolitics) {
            figure.chart { (PreEscaped(svg))
                figcaption.src { "Source: osa's likelihood model over the country profiles (assessment year " (v.geopolitics.year) "; " (v.geopolitics.source) "); severity is the judged level / 4." } }
        }
        @if v.geopolitics.counterparts.is_empty() { p.muted { (crate::assess::NO_COUNTERPARTS) } }
        @else { div.scroll tabindex="0" role="region" aria-label="Risk against tolerance by counterpart and dimension" { table {
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
        } } }
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
        p.src { (for_browser(links, v.geopolitics.model)) }
    }
}

/// Step 4: the priority and the instruments in two tiers, what the report recommends (quoted)
/// and then osa's inference (with the rules that fired).
fn step4_toolkit(v: &DossierView, links: &Links) -> Markup {
    let tier = |t: &'static str| -> Vec<(usize, &InstrumentView)> {
        v.instruments
            .iter()
            .enumerate()
            .filter(|(_, i)| i.tier == t)
            .collect()
    };
    let (report, osa) = (tier("report"), tier("osa"));
    html! {
        h2 { "Step 4 · Toolkit" }
        p { strong { "Priority: " } (for_browser(links, &v.priority.text)) }
        p.src { (for_browser(links, v.priority.rule)) }
        @if !report.is_empty() {
            h3 { "The report recommends" }
            p.muted { (crate::assess::REPORT_TIER) }
            ol.tier-report {
                @for (k, i) in &report {
                    li value=(k + 1) { strong { (i.name) } " " span.tag { (i.label) } br; (i.rationale) }
                }
            }
        }
        @if !osa.is_empty() {
            h3 { "osa's inference" }
            p.muted { (crate::assess::OSA_TIER) }
            ol.tier-osa {
                @for (k, i) in &osa {
                    li value=(k + 1) { strong { (i.name) } " " span.tag { (i.label) } " " span.muted { "(score " (format!("{:.1}", i.score)) ")" }
                        br; (i.rationale) }
                }
            }
        }
    }
}

/// The actors to watch and the report's own recommendations.
fn actors_and_recommendations(v: &DossierView, links: &Links) -> Markup {
    html! {
        @if !v.actors.is_empty() {
            h2 { "Actors to watch" }
            div.scroll tabindex="0" role="region" aria-label="Actors to watch" { table {
                thead { tr { th { "Actor" } th { "Kind" } th { "Country" } th { "Relevance" } th { "Role" } th { "Source" } } }
                tbody { @for a in &v.actors { tr { td { (a.name) } td { (words(a.kind)) } td { (a.country) } td title=(a.relevance.why) { (a.relevance.level) " " span.src { "[" (a.relevance.source) "]" } } td { (a.role) } td.src { (a.source) } } } }
            } }
        }
        @if !v.recommendations.is_empty() {
            h2 { "The report's recommendations" }
            ul {
                @for r in &v.recommendations {
                    li { (r.text) " "
                        @if let Some(q) = &r.quote { q { (q) } " " }
                        @for i in &r.instruments { span.tag { (v.instruments.iter().find(|x| &x.id == i).map_or_else(|| words(i), |x| x.name.clone())) } }
                        (links.cite_with(&r.source.to_string(), if r.stated { "" } else { "; dimension mapping inferred" })) }
                }
            }
        }
    }
}

/// A standalone dossier page (`osa assess TECH --format html`).
pub fn dossier_page(v: &DossierView) -> String {
    page(&v.name, "", dossier_body(v, &Links::files("")))
}

/// Actors to watch, filterable.
pub fn actors_body(actors: &[ActorView], links: &Links) -> Markup {
    html! {
        h1 { "Actors to watch" }
        p.muted { "The party-state organs, ministries, firms, standards bodies and research institutes each chapter names, with their role where the report states it, and a rough indication of their relevance from the chapter's text. Actors outside the PRC are context, not actors to watch (seed L221-225)." }
        p { input #filter type="search" placeholder="Filter by name, country, kind, technology…" aria-label="Filter actors"; " " span #count .muted {} }
        div.scroll tabindex="0" role="region" aria-label="Actors to watch" { table #filtered {
            thead { tr { th { "Technology" } th { "Actor" } th { "Kind" } th { "Country" } th { "Relevance" } th { "Role" } th { "Source" } } }
            tbody {
                @for a in actors {
                    tr { td { (a.technology.as_deref().unwrap_or("")) } td { (a.name) } td { (words(a.kind)) } td { (a.country) }
                        td title=(a.relevance.why) { (a.relevance.level) " " (links.cite(&a.relevance.source)) }
                        td { (a.role) } td { (links.cite(&a.source)) } }
                }
            }
        } }
    }
}

/// The AI-application checklist with the report's reference assessments.
pub fn checklist_body(c: &Checklist, links: &Links) -> Markup {
    html! {
        h1 { (c.title) }
        p.muted { (c.note) " " (links.cite(&c.source.to_string())) }
        div.scroll tabindex="0" role="region" aria-label="The checklist" { table {
            thead { tr { th { "#" } th { "Level" } th { "Criterion" } @for a in &c.applications { th { (a.name) } } } }
            tbody {
                @for x in &c.criteria {
                    tr {
                        td { (x.number) } td { (x.level.as_str()) }
                        td { strong { (x.title) } br; span.muted { (x.question) } }
                        @for a in &c.applications {
                            td { @match a.rating(&x.id) {
                                Some(r) => { span.tag title=(r.text) { (words(r.rating.as_str())) } br; (links.cite(&r.source.to_string())) },
                                None => { "–" },
                            } }
                        }
                    }
                }
            }
        } }
        @for a in &c.applications {
            h2 { (a.name) " (" (a.firm) ", " (a.country.to_string()) ")" }
            p.src { "Rated by " (a.judgment.author) " on " (a.judgment.date) ": " (a.judgment.method) }
            ul { @for x in &a.assessments { li { span.tag { (words(x.rating.as_str())) } (words(&x.criterion)) ": " (x.text) " " (links.cite(&x.source.to_string())) } } }
        }
    }
}
