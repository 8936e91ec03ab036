//! The reference pages: actors to watch, the AI-application checklist with the report's
//! reference assessments, every source cited, and the method notes.

use crate::{Ctx, Page};
use maud::{Markup, html};
use osa_assess::checklist::Checklist;
use osa_view::assess::ActorView;
use serde::Serialize;

/// Actors to watch.
#[derive(Debug, Clone, Serialize)]
pub struct ActorsPage {
    /// Every actor of every technology.
    pub actors: Vec<ActorView>,
}

impl Page for ActorsPage {
    fn title(&self) -> String {
        "Actors".into()
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        osa_view::html::actors_body(&self.actors, &ctx.links)
    }
}

/// The AI-application checklist.
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistPage {
    /// The checklist with the report's reference assessments (as `osa checklist --format json`).
    #[serde(serialize_with = "checklist_json")]
    pub checklist: Checklist,
}

fn checklist_json<S: serde::Serializer>(c: &Checklist, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::Error;
    let text =
        osa_view::assess::render_checklist(c, osa_view::Format::Json).map_err(S::Error::custom)?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(S::Error::custom)?;
    v.serialize(s)
}

impl Page for ChecklistPage {
    fn title(&self) -> String {
        "AI checklist".into()
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        osa_view::html::checklist_body(&self.checklist, &ctx.links)
    }
}

/// Every source cited, with who cites it.
#[derive(Debug, Clone, Serialize)]
pub struct SourcesPage {
    /// (source, the technologies and files citing it).
    pub sources: Vec<(String, Vec<String>)>,
}

impl Page for SourcesPage {
    fn title(&self) -> String {
        "Sources".into()
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        html! {
            h1 { "Sources" }
            h2 { "The report" }
            p { (osa_view::bibliography::REPORT) }
            div.scroll tabindex="0" role="region" aria-label="The report's parts" { table {
                thead { tr { th { "Part" } th { "Authors" } th { "Lines" } } }
                tbody { @for (a, b, part, authors) in osa_view::bibliography::CHAPTERS {
                    tr { td { (part) } td { (if authors.is_empty() { "not named in the text" } else { authors }) }
                        td { @if ctx.is_live() { a href={"/seed?lines=" (a) "-" (b)} { (a) "-" (b) } } @else { (a) "-" (b) } } } } }
            } }
            h2 { "Every source cited" }
            p.muted { "Each source the assessments cite, in full, with the technologies that cite it. References to the report give its part and the lines of its text." }
            div.scroll tabindex="0" role="region" aria-label="Every source cited" { table {
                thead { tr { th { "Source" } th { "Cited by" } } }
                tbody { @for (s, by) in &self.sources { tr { td { (osa_view::bibliography::cite(s)) " " (ctx.links.cite(s)) } td { (by.join(", ")) } } } }
            } }
        }
    }
}

/// The method notes.
#[derive(Debug, Clone, Serialize)]
pub struct MethodPage {
    /// Paragraphs separated by blank lines.
    pub text: String,
}

impl Page for MethodPage {
    fn title(&self) -> String {
        "Method".into()
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        html! {
            h1 { "Method notes" }
            @for para in self.text.split("\n\n") { p { (para) } }
            (crate::files::baseline_links(ctx))
        }
    }
}

/// The reference pages of a baseline as of an as-of argument.
pub async fn build(
    wb: &osa_app::workbench::Workbench,
    as_of: Option<&str>,
) -> osa_app::Result<(i64, std::sync::Arc<osa_assess::Baseline>)> {
    let rev = wb.revision_of(as_of).await?;
    Ok((rev, wb.baseline_at(rev).await?))
}

/// The method notes (the Method page of the workbench and of the report).
pub const METHOD_NOTES: &str = "osa follows the four steps of the Digital Power China report (its Chapter 1, lines 955-1121). Step 1 maps a technology's ecosystem: who supplies each input with what share, how concentrated supply is (country HHI on a 0-1 scale), where one holder controls an input (chokepoints; with the EU as holder, its strategic indispensability) and whether dependencies are mutual (leverage: share squared x (1 - substitutability) x (1 + downstream reach), balanced between two sides).

Step 2 assesses the four dimensions: supply-chain resilience, national security, values and sustainability, technological competitiveness. Each technology's level on each dimension (0 none or negligible, possibly a net benefit; 1 low; 2 moderate or conditional; 3 high; 4 critical) is the osa baseline team's reading of the report's own wording, with evidence items citing the report's lines (\"seed L...\"; the Sources page gives the chapter and authors of each), or an explicit mark where the report is silent. Where ecosystem data exists, supply resilience (the worst single foreign dependency, net of substitutability) and competitiveness (the EU's share and indispensability) are also computed and shown next to the judged level; every cell says what its level rests on (judged only, computed only, or both) and, where both exist, whether they agree (equal), are close (one level apart) or disagree (two or more apart), never hidden. The AI-ethics row is osa's construction (the report keeps that chapter beside its risk assessment, seed L156-164) and is marked so. Where a second reader could defend another level, the cell records the range with its reason and lines; where risks diverge within one dimension, it holds several signals (a risk and a benefit, each with its level), as the report's overview puts several notifications in one box (seed L134-138). The matrix is osa's reading of the chapters, not the report's Figure 0.1, and the report's caveat applies: comparison across technologies needs a pinch of salt (seed L139-148).

Step 3 places each dependency in its geopolitical context. The report names the factors (partner or systemic rival, security alliances, regime type, severity, likelihood of weaponization, deterring mutual dependencies) but no formula; osa's likelihood model (its parameters are part of the baseline, a file changed through review): a base by the EU's stance on the dimension, adjusted for regime, governance, coercion history and the legal exposure of the country's firms, then reduced for security allies and for leverage the EU holds. Risk is severity (level/4) times likelihood, judged against a tolerance that is lower for systemic rivals and for national security.

Step 4 chooses instruments by political priority (seed L1096-1107): the priority dimension is chosen by the reader (the priority control of a dossier) or, by default, the highest judged level, a tie broken only by the chapter's own ranking, otherwise left open. Instruments come in two tiers: first what the chapter itself recommends for the technology, quoted with its lines and labelled \"the report recommends\"; then osa's rule-based suggestions, labelled as osa's inference with the rule that fired and ranked by the rules' weights (the rules are a file of the baseline, changed through review like a cell, without recompiling). Rules on tensions fire only where dimensions trade off, not where they compound each other; rules scoped to consumer-facing technologies fire only there. Each instrument names the findings that triggered it and the conflicts it creates (a strain that is osa's inference says so); tensions list where dimensions pull apart, as stated by the report, as divergences in the levels, or as instruments that serve one dimension and strain another.

Data: the baseline is written by the osa team from the Digital Power China report and public sources, each record citing its source. Real datasets (CSET ETO, WGI, V-Dem) are read at run time and never embedded.";
