//! Briefs: what osa shows, as documents a policy maker reads. A [`Brief`] is the Markdown that
//! osa's printers write for a view (a dossier, the matrix, a screening), with a title, the
//! record's revision and date, and charts as SVG; [`pdf`] typesets it with typst (used as a
//! library: fonts embedded, footnotes, page numbers; no browser) and [`docx`] writes it as Office
//! Open XML with docx-rs. Both read the Markdown into the same blocks ([`blocks`]), so the two
//! documents have the same headings and text, and every seed citation becomes a footnote quoting
//! the report's cited lines ([`Quotes`]).

pub mod blocks;
pub mod docx;
pub mod typeset;
pub mod world;

use blocks::SeedRef;

/// A document to write.
#[derive(Debug, Clone)]
pub struct Brief {
    /// The title ("6G").
    pub title: String,
    /// What it is ("Dossier: the four steps of the method, as the record holds them").
    pub kind: String,
    /// The record's state it shows ("The record as of revision 12, 2026-12-07 10:00 UTC").
    pub as_of: String,
    /// The date it is made (year, month, day).
    pub today: (i32, u8, u8),
    /// The content, as osa's Markdown printers write it.
    pub markdown: String,
    /// Charts: (caption, SVG).
    pub charts: Vec<(String, String)>,
}

/// Why a brief could not be written.
#[derive(Debug, thiserror::Error)]
pub enum BriefError {
    /// typst refused the document (a bug in osa's typesetter: the message says where).
    #[error("the PDF could not be typeset: {0}")]
    Typeset(String),
    /// The Word package could not be written.
    #[error("the Word document could not be written: {0}")]
    Docx(String),
}

/// The report's text for footnotes: the cited lines of a reference, joined.
pub trait Quotes {
    /// The text of lines `from..=to` (at most a few hundred characters), if the report is known.
    fn quote(&self, r: SeedRef) -> Option<String>;
}

/// No report text: footnotes name the chapter and lines only.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoQuotes;

impl Quotes for NoQuotes {
    fn quote(&self, _: SeedRef) -> Option<String> {
        None
    }
}

/// The most characters a footnote quotes of one reference.
pub const QUOTE_CHARS: usize = 320;

/// Typesets a brief as PDF.
pub fn pdf(b: &Brief, quotes: &dyn Quotes) -> Result<Vec<u8>, BriefError> {
    let blocks = blocks::from_markdown(&b.markdown);
    let source = typeset::source(b, &blocks, quotes);
    let files = b
        .charts
        .iter()
        .enumerate()
        .map(|(k, (_, svg))| (format!("chart-{}.svg", k + 1), svg.as_bytes().to_vec()))
        .collect();
    world::BriefWorld::new(source, files, b.today).pdf()
}

/// Writes a brief as a Word document (.docx).
pub fn docx(b: &Brief, quotes: &dyn Quotes) -> Result<Vec<u8>, BriefError> {
    docx::write(b, &blocks::from_markdown(&b.markdown), quotes)
}

/// A reference's footnote text: "DPC report, CHAPTER (AUTHORS), lines A-B: “quote”".
pub fn footnote_text(r: SeedRef, quotes: &dyn Quotes) -> String {
    let lines = if r.from == r.to {
        format!("{}", r.from)
    } else {
        format!("{}-{}", r.from, r.to)
    };
    let cite = osa_view::bibliography::cite(&format!("seed L{lines}"));
    match quotes.quote(r) {
        Some(q) => format!("{cite}: “{}”", clip(&q, QUOTE_CHARS)),
        None => format!("{cite}."),
    }
}

/// A text cut to at most `n` characters at a word, with an ellipsis.
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let cut: String = s.chars().take(n).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end())
}

/// The chapters cited, in the report's order, each with the line ranges cited in it.
pub fn chapters_cited(refs: &[SeedRef]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (from, to, part, authors) in osa_view::bibliography::CHAPTERS {
        let mut inside: Vec<SeedRef> = refs
            .iter()
            .filter(|r| (*from..=*to).contains(&r.from))
            .copied()
            .collect();
        if inside.is_empty() {
            continue;
        }
        inside.sort();
        inside.dedup();
        let lines: Vec<String> = inside
            .iter()
            .map(|r| {
                if r.from == r.to {
                    r.from.to_string()
                } else {
                    format!("{}-{}", r.from, r.to)
                }
            })
            .collect();
        let name = if authors.is_empty() {
            (*part).to_string()
        } else {
            format!("{part} ({authors})")
        };
        out.push((name, lines.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests;
