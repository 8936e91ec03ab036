//! A brief as a Word document (Office Open XML, with docx-rs): the same title page, headings
//! (Word's built-in heading styles, so the navigation pane lists them), paragraphs, lists,
//! tables, seed citations as real footnotes, the sources at the end, and page numbers in the
//! footer. Charts are left to the PDF (Word's SVG support varies); the text says so.

use crate::blocks::{Block, Inline};
use crate::{Brief, BriefError, Quotes};
use docx_rs::{
    BreakType, Docx, Footer, Footnote, PageNum, Paragraph, Run, Style, StyleType, Table, TableCell,
    TableRow,
};

/// Writes the document.
pub fn write(b: &Brief, blocks: &[Block], quotes: &dyn Quotes) -> Result<Vec<u8>, BriefError> {
    let mut doc = styled(Docx::new());
    doc = title_page(doc, b);
    for block in blocks {
        doc = match block {
            Block::Heading(level, inl) => doc.add_paragraph(
                runs(Paragraph::new(), inl, quotes)
                    .style(&format!("Heading{}", level.clamp(&1, &4))),
            ),
            Block::Para(inl) => doc.add_paragraph(runs(Paragraph::new(), inl, quotes)),
            Block::List(items) => items.iter().fold(doc, |d, i| {
                d.add_paragraph(runs(
                    Paragraph::new().add_run(Run::new().add_text("• ")),
                    i,
                    quotes,
                ))
            }),
            Block::Table(head, rows) => doc.add_table(table(head, rows, quotes)),
        };
    }
    if !b.charts.is_empty() {
        let n = b.charts.len();
        doc = doc.add_paragraph(text_para(&format!(
            "This document's {n} chart(s) are in its PDF edition."
        )));
    }
    doc = sources(doc, blocks);
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| BriefError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}

fn styled(doc: Docx) -> Docx {
    let heading = |level: usize, size: usize| {
        Style::new(format!("Heading{level}"), StyleType::Paragraph)
            .name(format!("Heading {level}"))
            .size(size)
            .bold()
    };
    doc.default_size(20)
        .add_style(heading(1, 36))
        .add_style(heading(2, 28))
        .add_style(heading(3, 24))
        .add_style(heading(4, 22))
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .size(48)
                .bold(),
        )
        .footer(Footer::new().add_paragraph(Paragraph::new().add_page_num(PageNum::new())))
}

fn title_page(doc: Docx, b: &Brief) -> Docx {
    doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(&b.title)).style("Title"))
        .add_paragraph(text_para(&b.kind))
        .add_paragraph(text_para(&b.as_of))
        .add_paragraph(text_para(
            "Made by osa, the Open Strategic Autonomy workbench, from the record and the Digital Power China report's method. Seed citations are footnotes quoting the report's lines.",
        ))
        .add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)))
}

fn text_para(t: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(t))
}

fn runs(mut p: Paragraph, inl: &[Inline], quotes: &dyn Quotes) -> Paragraph {
    for i in inl {
        p = match i {
            Inline::Text(t) | Inline::Code(t) => p.add_run(Run::new().add_text(t)),
            Inline::Emph(t) => p.add_run(Run::new().add_text(t).italic()),
            Inline::Strong(t) => p.add_run(Run::new().add_text(t).bold()),
            Inline::Break => p.add_run(Run::new().add_break(BreakType::TextWrapping)),
            Inline::Cite(refs, _) => {
                let text: Vec<String> = refs
                    .iter()
                    .map(|r| crate::footnote_text(*r, quotes))
                    .collect();
                let note = Footnote::new().add_content(text_para(&text.join(" ")));
                p.add_run(Run::new().add_footnote_reference(note))
            }
        };
    }
    p
}

fn table(head: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>], quotes: &dyn Quotes) -> Table {
    let row = |cells: &[Vec<Inline>], bold: bool| {
        TableRow::new(
            cells
                .iter()
                .map(|c| {
                    let p = runs(Paragraph::new(), c, quotes);
                    TableCell::new().add_paragraph(if bold { p.bold() } else { p })
                })
                .collect(),
        )
    };
    let mut all = vec![row(head, true)];
    all.extend(rows.iter().map(|r| row(r, false)));
    Table::new(all)
}

fn sources(doc: Docx, blocks: &[Block]) -> Docx {
    let mut doc = doc
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text("Sources"))
                .style("Heading1"),
        )
        .add_paragraph(text_para(osa_view::bibliography::REPORT));
    for (chapter, lines) in crate::chapters_cited(&crate::blocks::all_refs(blocks)) {
        doc = doc.add_paragraph(text_para(&format!("• {chapter}: lines {lines}")));
    }
    doc
}
