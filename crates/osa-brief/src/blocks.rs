//! A brief's content as blocks (headings, paragraphs, lists, tables) of inlines (text, code,
//! emphasis, citations), read from the Markdown that osa's printers write. Both writers (PDF and
//! Word) consume these blocks, so the two documents have the same headings and text.
//!
//! A bracketed group of seed references in a text (`[seed L2585-2596, seed L2635]`) becomes one
//! [`Inline::Cite`]: the writers turn it into a footnote.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// A line range of the report (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SeedRef {
    /// First line.
    pub from: u32,
    /// Last line.
    pub to: u32,
}

/// A run of text and what it is.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// Code (an id).
    Code(String),
    /// Emphasis.
    Emph(String),
    /// Strong emphasis.
    Strong(String),
    /// A line break inside a paragraph.
    Break,
    /// Seed citations (a footnote), with the text of the bracket as written.
    Cite(Vec<SeedRef>, String),
}

/// A block.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading of level 1-4.
    Heading(u8, Vec<Inline>),
    /// A paragraph.
    Para(Vec<Inline>),
    /// A bulleted list of items.
    List(Vec<Vec<Inline>>),
    /// A table: header cells, then rows.
    Table(Vec<Vec<Inline>>, Vec<Vec<Vec<Inline>>>),
}

/// Reads Markdown (with tables) into blocks.
pub fn from_markdown(md: &str) -> Vec<Block> {
    let mut r = Reader::default();
    for e in Parser::new_ext(md, Options::ENABLE_TABLES) {
        r.event(e);
    }
    r.blocks
}

/// The state of the reading: the blocks so far, the inlines being gathered, and where they go.
#[derive(Default)]
struct Reader {
    blocks: Vec<Block>,
    inlines: Vec<Inline>,
    items: Vec<Vec<Inline>>,
    head: Vec<Vec<Inline>>,
    rows: Vec<Vec<Vec<Inline>>>,
    row: Vec<Vec<Inline>>,
    in_table_head: bool,
    style: Option<&'static str>,
    lists: usize,
}

impl Reader {
    fn event(&mut self, e: Event) {
        match e {
            Event::Start(t) => self.start(t),
            Event::End(t) => self.end(t),
            Event::Text(t) => self.text(&t),
            Event::Code(t) => self.inlines.push(Inline::Code(t.to_string())),
            Event::SoftBreak | Event::HardBreak => self.inlines.push(Inline::Break),
            _ => {}
        }
    }

    fn start(&mut self, t: Tag) {
        match t {
            Tag::Emphasis => self.style = Some("emph"),
            Tag::Strong => self.style = Some("strong"),
            Tag::List(_) => self.lists += 1,
            Tag::TableHead => self.in_table_head = true,
            _ => {}
        }
    }

    fn end(&mut self, t: TagEnd) {
        match t {
            TagEnd::Heading(level) => {
                let inl = self.take();
                self.blocks.push(Block::Heading(level as u8, inl));
            }
            TagEnd::Paragraph if self.lists == 0 => {
                let inl = self.take();
                self.blocks.push(Block::Para(inl));
            }
            TagEnd::Item => {
                let inl = self.take();
                self.items.push(inl);
            }
            TagEnd::List(_) => self.end_list(),
            TagEnd::Emphasis | TagEnd::Strong => self.style = None,
            TagEnd::TableCell => {
                let inl = self.take();
                self.row.push(inl);
            }
            TagEnd::TableHead => {
                self.head = std::mem::take(&mut self.row);
                self.in_table_head = false;
            }
            TagEnd::TableRow => {
                let row = std::mem::take(&mut self.row);
                self.rows.push(row);
            }
            TagEnd::Table => {
                let (head, rows) = (
                    std::mem::take(&mut self.head),
                    std::mem::take(&mut self.rows),
                );
                self.blocks.push(Block::Table(head, rows));
            }
            _ => {}
        }
    }

    fn end_list(&mut self) {
        self.lists = self.lists.saturating_sub(1);
        if self.lists == 0 {
            let items = std::mem::take(&mut self.items);
            self.blocks.push(Block::List(items));
        }
    }

    fn text(&mut self, t: &str) {
        match self.style {
            Some("emph") => self.inlines.push(Inline::Emph(t.to_string())),
            Some(_) => self.inlines.push(Inline::Strong(t.to_string())),
            None => self.inlines.extend(cite_runs(t)),
        }
    }

    /// The inlines gathered, trailing breaks dropped.
    fn take(&mut self) -> Vec<Inline> {
        let mut v = std::mem::take(&mut self.inlines);
        while v.last() == Some(&Inline::Break) {
            v.pop();
        }
        merge_text(v)
    }
}

/// Adjacent text runs joined (the parser splits text at brackets), then citations found in them.
fn merge_text(v: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for i in v {
        match (out.last_mut(), i) {
            (Some(Inline::Text(a)), Inline::Text(b)) => a.push_str(&b),
            (_, i) => out.push(i),
        }
    }
    out.into_iter()
        .flat_map(|i| match i {
            Inline::Text(t) => whole_cite(&t).map_or_else(|| cite_runs(&t), |c| vec![c]),
            other => vec![other],
        })
        .collect()
}

/// A text that is only seed references (a table's sources cell: `seed L2587-2589; seed L2846`).
fn whole_cite(t: &str) -> Option<Inline> {
    let all = t.split([',', ';']).all(|p| p.trim().starts_with("seed L"));
    if !all {
        return None;
    }
    seed_refs(t).map(|r| Inline::Cite(r, t.trim().to_string()))
}

/// A text split into plain runs and bracketed seed citations.
pub fn cite_runs(t: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut rest = t;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']').map(|c| open + c) else {
            break;
        };
        let inside = &rest[open + 1..close];
        match seed_refs(inside) {
            Some(refs) => {
                let before = rest[..open].trim_end();
                if !before.is_empty() {
                    out.push(Inline::Text(before.to_string()));
                }
                out.push(Inline::Cite(refs, inside.to_string()));
            }
            None => out.push(Inline::Text(rest[..=close].to_string())),
        }
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Inline::Text(rest.to_string()));
    }
    out
}

/// The seed references of a bracket's text, when it holds at least one (other sources in it are
/// kept in the footnote's text as written).
pub fn seed_refs(s: &str) -> Option<Vec<SeedRef>> {
    let refs: Vec<SeedRef> = s
        .split([',', ';'])
        .filter_map(|part| {
            let r = part.trim().strip_prefix("seed L")?;
            let (a, b) = r.split_once('-').unwrap_or((r, r));
            let from: u32 = a.trim().parse().ok()?;
            let to: u32 = b.trim().trim_start_matches('L').parse().ok()?;
            (from >= 1 && to >= from).then_some(SeedRef { from, to })
        })
        .collect();
    (!refs.is_empty()).then_some(refs)
}

/// Every seed reference of the blocks, in order of first citation.
pub fn all_refs(blocks: &[Block]) -> Vec<SeedRef> {
    let mut out: Vec<SeedRef> = Vec::new();
    let mut visit = |inl: &[Inline]| {
        for i in inl {
            if let Inline::Cite(refs, _) = i {
                for r in refs {
                    if !out.contains(r) {
                        out.push(*r);
                    }
                }
            }
        }
    };
    for b in blocks {
        match b {
            Block::Heading(_, i) | Block::Para(i) => visit(i),
            Block::List(items) => items.iter().for_each(|i| visit(i)),
            Block::Table(h, rows) => {
                h.iter().for_each(|c| visit(c));
                rows.iter().flatten().for_each(|c| visit(c));
            }
        }
    }
    out
}
