//! Tests of the search index: ranking, facets, the kind filter, snippets, and the entries the
//! embedded baseline and ecosystems give.

use super::*;

fn entry(kind: SearchKind, title: &str, text: &str) -> Entry {
    Entry {
        kind,
        title: title.into(),
        link: format!("/{}", title.to_lowercase().replace(' ', "-")),
        text: text.into(),
    }
}

fn index() -> SearchIndex {
    SearchIndex::build(vec![
        entry(
            SearchKind::Input,
            "Gallium",
            "Primary gallium, a by-product of alumina refining.",
        ),
        entry(
            SearchKind::Report,
            "The report, line 12",
            "China restricted exports of gallium and germanium in 2023.",
        ),
        entry(
            SearchKind::Actor,
            "Huawei",
            "Telecommunications equipment maker, 华为.",
        ),
        entry(
            SearchKind::Technology,
            "6G",
            "Sixth-generation mobile networks.",
        ),
    ])
}

#[test]
fn ranks_the_named_entry_first_and_counts_facets() {
    let r = index().search("gallium", None, 10);
    assert_eq!(r.total, 2);
    assert_eq!(r.hits[0].title, "Gallium");
    assert_eq!(r.hits[1].kind, SearchKind::Report);
    let facets: Vec<(SearchKind, usize)> = r.facets.iter().map(|f| (f.kind, f.count)).collect();
    assert_eq!(
        facets,
        vec![(SearchKind::Input, 1), (SearchKind::Report, 1)]
    );
    assert_eq!(r.searched, 4);
}

#[test]
fn the_kind_filter_keeps_facets_of_every_kind() {
    let r = index().search("gallium", Some(SearchKind::Report), 10);
    assert_eq!(r.hits.len(), 1);
    assert_eq!(r.hits[0].kind, SearchKind::Report);
    assert_eq!(r.facets.len(), 2);
}

#[test]
fn stems_and_transliterates() {
    let i = index();
    assert_eq!(
        i.search("restrictions", None, 10).hits[0].title,
        "The report, line 12"
    );
    // Chinese script is transliterated on both sides (华为: "Hua Wei").
    assert_eq!(i.search("华为", None, 10).hits[0].title, "Huawei");
}

#[test]
fn nothing_found_and_empty_queries_answer_empty() {
    let i = index();
    assert_eq!(i.search("zirconium", None, 10).total, 0);
    assert_eq!(i.search("   ", None, 10).hits.len(), 0);
    assert_eq!(
        i.search("the", None, 10).total,
        0,
        "stop words alone find nothing"
    );
}

#[test]
fn limits_are_bounded() {
    let many: Vec<Entry> = (0..300)
        .map(|n| entry(SearchKind::Report, &format!("line {n}"), "gallium"))
        .collect();
    let r = SearchIndex::build(many).search("gallium", None, 10_000);
    assert_eq!(r.total, 300);
    assert_eq!(r.hits.len(), MAX_LIMIT);
    // Ties rank by kind then title: deterministic.
    assert_eq!(r.hits[0].title, "line 0");
    assert_eq!(r.hits[1].title, "line 1");
}

#[test]
fn snippets_cut_at_words_around_the_match() {
    let text = format!("{} gallium {}", "alpha ".repeat(40), "omega ".repeat(40));
    let s = snippet(&text, "Gallium");
    assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
    assert!(s.contains("gallium"));
    assert!(!s.contains("alph…") && !s.contains(" lpha"), "{s}");
    assert_eq!(snippet("short text", "absent"), "short text");
    // Multi-byte text never splits a character.
    let cjk = "华".repeat(200);
    assert!(snippet(&cjk, "x").ends_with('…'));
}

#[test]
fn the_embedded_baseline_and_ecosystems_give_entries_that_link_to_pages() {
    let b = crate::baseline::load(&crate::baseline::BaselineSource::default())
        .expect("embedded baseline")
        .value;
    let mut out = Vec::new();
    collect::technologies(&b, &mut out);
    collect::actors(&b, &mut out);
    let eco = osa_io::builtin::ecosystem("semiconductors").expect("embedded ecosystem");
    collect::ecosystem(eco.ecosystem(), &mut out);
    let i = SearchIndex::build(out);
    let r = i.search("gallium", None, 50);
    let input = r
        .hits
        .iter()
        .find(|h| h.kind == SearchKind::Input)
        .expect("the input");
    assert_eq!(input.link, "/ecosystems/semiconductors/inputs/gallium");
    let product = r
        .hits
        .iter()
        .find(|h| h.kind == SearchKind::Product)
        .expect("its HS6");
    assert!(product.title.starts_with("HS 811292"), "{}", product.title);
    let huawei = i.search("Huawei", Some(SearchKind::Actor), 5);
    assert_eq!(huawei.hits[0].title, "Huawei");
    assert_eq!(huawei.hits[0].link, "/actors?filter=Huawei");
    let sixg = i.search("6G", Some(SearchKind::Technology), 5);
    assert_eq!(sixg.hits[0].link, "/tech/6g");
}

#[test]
fn report_lines_join_words_a_line_break_hyphenates() {
    let lines = [
        "Western companies rely on raw materials sup-",
        "plied by the PRC. Non-",
        "EU firms",
    ];
    assert_eq!(
        collect::join_lines(lines.into_iter()),
        "Western companies rely on raw materials supplied by the PRC. Non- EU firms"
    );
}
