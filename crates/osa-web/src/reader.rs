//! The reader: the passage of the report a seed citation names, its lines highlighted, shown as a
//! page or, in the workbench, in the reader pane beside the page (fetched by the script).

use crate::{Ctx, Page};
use maud::{Markup, html};
use osa_app::reader::Passage;
use serde::Serialize;

/// A passage of the report.
#[derive(Debug, Clone, Serialize)]
pub struct SeedPage {
    /// The passage.
    pub passage: Passage,
}

/// The passage itself (the page's body, and the reader pane's content).
pub fn passage(p: &Passage) -> Markup {
    html! {
        section.passage aria-labelledby="passage-h" {
            h2 #passage-h { "The report, lines " (p.from) @if p.to != p.from { "–" (p.to) } }
            p.src { (p.part) }
            ol.lines start=(p.lines.first().map_or(1, |l| l.number)) {
                @for l in &p.lines {
                    @if l.cited { li.cited value=(l.number) { mark { (l.text) } } }
                    @else { li value=(l.number) { (l.text) } }
                }
            }
            p.src { "Lines of the report without its blank lines, as the citations count them. "
                a href={"/seed?lines=" (p.from.saturating_sub(20).max(1)) "-" ((p.to + 20).min(p.total))} { "Read around" } }
        }
    }
}

impl Page for SeedPage {
    fn title(&self) -> String {
        format!(
            "The report, lines {}-{}",
            self.passage.from, self.passage.to
        )
    }
    fn body(&self, _ctx: &Ctx) -> Markup {
        passage(&self.passage)
    }
}
