//! Briefs: a dossier or the matrix as a PDF or Word document (`osa-brief`), the same from the
//! command line and from the workbench. The content is the view's Markdown printout (so the
//! brief says what `--format md` says), the charts are the views' SVG charts, and footnotes
//! quote the report's lines when its text is known.

use crate::reader::SeedText;
use crate::{AppError, Result};
use osa_brief::blocks::SeedRef;
use osa_brief::{Brief, NoQuotes, Quotes};
use osa_view::Format;
use osa_view::assess::{DossierView, MatrixView};

/// A brief's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BriefFormat {
    /// PDF (typeset with typst; fonts embedded).
    Pdf,
    /// Word (.docx, Office Open XML).
    Docx,
}

impl BriefFormat {
    /// The format of a name (`pdf`, `docx`).
    pub fn parse(s: &str) -> Option<BriefFormat> {
        match s {
            "pdf" => Some(BriefFormat::Pdf),
            "docx" => Some(BriefFormat::Docx),
            _ => None,
        }
    }

    /// Its file extension.
    pub fn ext(self) -> &'static str {
        match self {
            BriefFormat::Pdf => "pdf",
            BriefFormat::Docx => "docx",
        }
    }

    /// Its media type.
    pub fn media_type(self) -> &'static str {
        match self {
            BriefFormat::Pdf => "application/pdf",
            BriefFormat::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }
}

/// The report's lines as footnote quotes.
struct SeedQuotes<'a>(&'a SeedText);

impl Quotes for SeedQuotes<'_> {
    fn quote(&self, r: SeedRef) -> Option<String> {
        let (from, to) = (r.from as usize, r.to as usize);
        if to > self.0.len() {
            return None;
        }
        let lines = self
            .0
            .lines()
            .skip(from - 1)
            .take(to - from + 1)
            .map(|(_, l)| l);
        Some(crate::search::collect::join_lines(lines))
    }
}

/// Where the brief's figures stand: "The record as of revision 12" or "osa's embedded baseline".
#[derive(Debug, Clone)]
pub struct BriefContext {
    /// The state shown, in words.
    pub as_of: String,
    /// Today (year, month, day).
    pub today: (i32, u8, u8),
}

impl BriefContext {
    /// Today's date in UTC and a state in words.
    pub fn now(as_of: impl Into<String>) -> BriefContext {
        let today = crate::baseline::today();
        let mut parts = today.split('-').map(|p| p.parse::<u32>().unwrap_or(1));
        let (y, m, d) = (
            parts.next().unwrap_or(2026),
            parts.next().unwrap_or(1),
            parts.next().unwrap_or(1),
        );
        BriefContext {
            as_of: format!("{}; made on {today}", as_of.into()),
            today: (
                i32::try_from(y).unwrap_or(2026),
                u8::try_from(m).unwrap_or(1),
                u8::try_from(d).unwrap_or(1),
            ),
        }
    }
}

/// A dossier as a brief.
pub fn dossier(
    v: &DossierView,
    ctx: &BriefContext,
    format: BriefFormat,
    seed: Option<&SeedText>,
) -> Result<Vec<u8>> {
    let markdown = render(osa_view::assess::render_dossier(v, Format::Md))?;
    let mut charts = Vec::new();
    if let Some(svg) = v.ecosystem.as_ref().and_then(osa_view::chart::suppliers) {
        charts.push((
            "Step 1: who supplies each input in scope (country shares of the world market)."
                .to_string(),
            svg,
        ));
    }
    if let Some(svg) = osa_view::chart::levels(v) {
        charts.push((
            "Step 2: the four dimensions, judged and computed levels.".to_string(),
            svg,
        ));
    }
    if let Some(svg) = osa_view::chart::risks(&v.geopolitics) {
        charts.push((
            "Step 3: risk against the EU's tolerance, by counterpart and dimension.".to_string(),
            svg,
        ));
    }
    let brief = Brief {
        title: v.name.clone(),
        kind: format!(
            "Dossier ({}): the four steps of the Digital Power China method",
            v.kind
        ),
        as_of: ctx.as_of.clone(),
        today: ctx.today,
        markdown,
        charts,
    };
    write(&brief, format, seed)
}

/// The matrix as a brief (with its caveat, which its Markdown printout carries).
pub fn matrix(
    m: &MatrixView,
    ctx: &BriefContext,
    format: BriefFormat,
    seed: Option<&SeedText>,
) -> Result<Vec<u8>> {
    let brief = Brief {
        title: "The matrix of dependencies".into(),
        kind: "Every technology's four dimensions, judged on osa's 0-4 scale".into(),
        as_of: ctx.as_of.clone(),
        today: ctx.today,
        markdown: render(osa_view::assess::render_matrix(m, Format::Md))?,
        charts: Vec::new(),
    };
    write(&brief, format, seed)
}

fn render(r: std::result::Result<String, osa_view::format::RenderError>) -> Result<String> {
    r.map_err(|e| AppError::data("the brief's content", e))
}

fn write(b: &Brief, format: BriefFormat, seed: Option<&SeedText>) -> Result<Vec<u8>> {
    let quotes: Box<dyn Quotes + '_> = match seed {
        Some(s) => Box::new(SeedQuotes(s)),
        None => Box::new(NoQuotes),
    };
    let out = match format {
        BriefFormat::Pdf => osa_brief::pdf(b, quotes.as_ref()),
        BriefFormat::Docx => osa_brief::docx(b, quotes.as_ref()),
    };
    out.map_err(|e| AppError::data("the brief", e))
}
