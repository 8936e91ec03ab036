//! Tests of briefs: Markdown read as blocks with citations, typst literals that cannot inject
//! markup, a PDF and a Word package that hold the headings and a footnote per citation.

use super::*;
use crate::blocks::{Block, Inline, cite_runs, from_markdown, seed_refs};

const MD: &str = "# 6G (case)\n\nSummary line.\nJudged by team.\n\n## Step 2 - Four dimensions\n\n\
| dimension | judged | sources |\n|---|---|---|\n| National security | 4 | seed L2062-2063; seed L2674 |\n\n\
- Abstract: national security is the greatest concern. [seed L2062-2063]\n\
- Mixed [seed L2585-2596, pub: USGS, 2023] and [not a citation]\n";

struct Fixed;
impl Quotes for Fixed {
    fn quote(&self, r: SeedRef) -> Option<String> {
        Some(format!("quoted lines {} to {}", r.from, r.to))
    }
}

fn brief() -> Brief {
    Brief {
        title: "6G \"quoted\" #title".into(),
        kind: "Dossier".into(),
        as_of: "The record as of revision 3".into(),
        today: (2026, 12, 7),
        markdown: MD.into(),
        charts: vec![(
            "Levels".into(),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"40\"><rect width=\"50\" height=\"20\" fill=\"#1f77b4\"/></svg>".into(),
        )],
    }
}

#[test]
fn markdown_reads_as_blocks_with_citations() {
    let b = from_markdown(MD);
    assert_eq!(
        b[0],
        Block::Heading(1, vec![Inline::Text("6G (case)".into())])
    );
    assert_eq!(
        b[1],
        Block::Para(vec![
            Inline::Text("Summary line.".into()),
            Inline::Break,
            Inline::Text("Judged by team.".into())
        ])
    );
    let Block::Table(head, rows) = &b[3] else {
        panic!("{:?}", b[3])
    };
    assert_eq!(head.len(), 3);
    assert!(matches!(&rows[0][2][0], Inline::Cite(r, _) if r.len() == 2));
    let Block::List(items) = &b[4] else {
        panic!("{:?}", b[4])
    };
    assert_eq!(
        items[0].last(),
        Some(&Inline::Cite(
            vec![SeedRef {
                from: 2062,
                to: 2063
            }],
            "seed L2062-2063".into()
        ))
    );
    assert!(
        items[1]
            .iter()
            .any(|i| matches!(i, Inline::Text(t) if t.contains("[not a citation]")))
    );
    assert_eq!(blocks::all_refs(&b).len(), 3);
}

#[test]
fn seed_references_parse_strictly() {
    assert_eq!(
        seed_refs("seed L10"),
        Some(vec![SeedRef { from: 10, to: 10 }])
    );
    assert_eq!(seed_refs("seed L20-10"), None);
    assert_eq!(seed_refs("seed L0"), None);
    assert_eq!(seed_refs("pub: x"), None);
    assert_eq!(
        cite_runs("no brackets"),
        vec![Inline::Text("no brackets".into())]
    );
}

#[test]
fn typst_literals_cannot_inject_markup() {
    assert_eq!(typeset::lit(r#"a "b" \ #c"#), r##"#"a \"b\" \\ #c""##);
    let src = typeset::source(
        &brief(),
        &from_markdown("x #set page(width: 1cm) *y*"),
        &NoQuotes,
    );
    assert!(src.contains(r##"#"x #set page(width: 1cm) ""##), "{src}");
}

#[test]
fn a_pdf_has_pages_fonts_and_a_footnote_per_citation() {
    let pdf = pdf(&brief(), &Fixed).expect("typeset");
    assert!(pdf.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/FontFile"), "fonts embedded");
    assert!(
        text.contains("/Count 2") || text.contains("/Count 3"),
        "title page and content"
    );
}

#[test]
fn a_docx_is_a_package_with_the_headings_and_footnotes() {
    let bytes = docx(&brief(), &Fixed).expect("docx");
    assert!(bytes.starts_with(b"PK"));
    let text = String::from_utf8_lossy(&bytes);
    // The parts a Word package needs.
    for part in [
        "word/document.xml",
        "word/footnotes.xml",
        "[Content_Types].xml",
        "word/styles.xml",
    ] {
        assert!(text.contains(part), "{part}");
    }
}

#[test]
fn footnotes_quote_and_name_the_chapter() {
    let t = footnote_text(
        SeedRef {
            from: 2062,
            to: 2063,
        },
        &Fixed,
    );
    assert!(t.starts_with("DPC report, "), "{t}");
    assert!(
        t.contains("lines 2062-2063: “quoted lines 2062 to 2063”"),
        "{t}"
    );
    let long = clip(&"word ".repeat(200), 30);
    assert!(long.ends_with('…') && long.chars().count() <= 31);
}
