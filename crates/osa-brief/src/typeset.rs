//! A brief as typst markup: a title page (title, what it is, the record's revision and date), the
//! blocks, charts as SVG figures, every seed citation a footnote quoting the cited lines, and the
//! sources at the end; A4 pages numbered "page / pages". Every text is written as a typst string
//! literal (`#"..."`), so nothing in the data is read as markup.

use crate::blocks::{Block, Inline, SeedRef};
use crate::{Brief, Quotes};
use std::fmt::Write;

/// A text as a typst string literal in markup.
pub fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    out.push_str("#\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The brief's typst source; `charts` are named `chart-N.svg` in the world.
pub fn source(b: &Brief, blocks: &[Block], quotes: &dyn Quotes) -> String {
    let mut out = preamble(b);
    for block in blocks {
        out.push_str(&block_markup(block, quotes));
        out.push_str("\n\n");
    }
    for (k, (caption, _)) in b.charts.iter().enumerate() {
        let _ = writeln!(
            out,
            "#figure(image(\"chart-{}.svg\", width: 100%), caption: [{}])\n",
            k + 1,
            lit(caption)
        );
    }
    out.push_str(&sources(blocks));
    out
}

fn preamble(b: &Brief) -> String {
    format!(
        "#set document(title: {title}, author: \"osa\")\n\
         #set page(paper: \"a4\", margin: (x: 2cm, y: 2.2cm), numbering: \"1 / 1\")\n\
         #set text(font: \"Libertinus Serif\", size: 10pt, lang: \"en\")\n\
         #set par(justify: false)\n\
         #show table: set text(size: 7.5pt)\n\
         #show heading.where(level: 1): set text(size: 16pt)\n\
         #align(center + horizon)[\n\
         #text(size: 24pt, weight: \"bold\")[{t}]\n\n\
         #text(size: 13pt)[{kind}]\n\n\
         #v(2em)\n\
         {asof}\n\n\
         #v(1em)\n\
         #text(size: 9pt)[{made}]\n\
         ]\n\
         #pagebreak()\n\n",
        title = string(&b.title),
        t = lit(&b.title),
        kind = lit(&b.kind),
        asof = lit(&b.as_of),
        made = lit(
            "Made by osa, the Open Strategic Autonomy workbench, from the record and the Digital Power China report's method. Seed citations are footnotes quoting the report's lines."
        ),
    )
}

/// A typst string expression (in code, not markup).
fn string(s: &str) -> String {
    lit(s).trim_start_matches('#').to_string()
}

fn block_markup(b: &Block, quotes: &dyn Quotes) -> String {
    match b {
        Block::Heading(level, inl) => {
            format!(
                "{} {}",
                "=".repeat(usize::from(*level).clamp(1, 4)),
                inlines(inl, quotes)
            )
        }
        Block::Para(inl) => inlines(inl, quotes),
        Block::List(items) => items
            .iter()
            .map(|i| format!("- {}", inlines(i, quotes)))
            .collect::<Vec<_>>()
            .join("\n"),
        Block::Table(head, rows) => table(head, rows, quotes),
    }
}

fn table(head: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>], quotes: &dyn Quotes) -> String {
    let cols = head
        .len()
        .max(rows.iter().map(Vec::len).max().unwrap_or(0))
        .max(1);
    let cell = |c: &Vec<Inline>| format!("[{}]", inlines(c, quotes));
    let mut out = format!("#table(columns: {cols}, stroke: 0.4pt + gray, inset: 4pt,\n");
    if !head.is_empty() {
        let h: Vec<String> = head
            .iter()
            .map(|c| format!("[*{}*]", inlines(c, quotes)))
            .collect();
        let _ = writeln!(out, "  table.header({}),", h.join(", "));
    }
    for r in rows {
        let mut cells: Vec<String> = r.iter().map(cell).collect();
        cells.resize(cols, "[]".into());
        let _ = writeln!(out, "  {},", cells.join(", "));
    }
    out.push(')');
    out
}

fn inlines(v: &[Inline], quotes: &dyn Quotes) -> String {
    let mut out = String::new();
    for i in v {
        match i {
            Inline::Text(t) => out.push_str(&lit(t)),
            Inline::Code(t) => out.push_str(&format!("#raw({})", string(t))),
            Inline::Emph(t) => out.push_str(&format!("#emph({})", string(t))),
            Inline::Strong(t) => out.push_str(&format!("#strong({})", string(t))),
            Inline::Break => out.push_str("#linebreak()"),
            Inline::Cite(refs, written) => out.push_str(&footnote(refs, written, quotes)),
        }
    }
    out
}

/// A citation's footnote: each reference as the report's chapter and lines, then its text.
fn footnote(refs: &[SeedRef], written: &str, quotes: &dyn Quotes) -> String {
    let parts: Vec<String> = refs
        .iter()
        .map(|r| crate::footnote_text(*r, quotes))
        .collect();
    let mut text = parts.join(" ");
    // Other sources in the same bracket (`pub: ...`) are kept as written.
    let others: Vec<&str> = written
        .split([',', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.starts_with("seed L"))
        .collect();
    if !others.is_empty() {
        text.push_str(&format!(" Also: {}.", others.join("; ")));
    }
    format!("#footnote[{}]", lit(&text))
}

/// The sources section: the report, then each chapter cited with the lines cited in it.
fn sources(blocks: &[Block]) -> String {
    let mut out = String::from("= Sources\n\n");
    out.push_str(&lit(osa_view::bibliography::REPORT));
    out.push_str("\n\n");
    for (chapter, lines) in crate::chapters_cited(&crate::blocks::all_refs(blocks)) {
        let _ = writeln!(out, "- {}", lit(&format!("{chapter}: lines {lines}")));
    }
    out
}
