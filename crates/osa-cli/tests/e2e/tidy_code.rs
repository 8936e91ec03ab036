//! Code-shape checks that keep the source readable (issue 21): no function in `crates/*/src` longer
//! than [`MAX_FN_LINES`] lines, except the declarative tables listed in [`LONG_FN_ALLOWED`] with
//! their reasons, and no cycle among the sibling modules of a crate (module `a` using `b` while `b`,
//! directly or through other siblings, uses `a`). Both parse the sources with `syn`, so strings,
//! comments and macros cannot fool a brace count.

use crate::util::repo;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// The longest a function may be, from its `fn` to its closing brace.
const MAX_FN_LINES: usize = 100;

/// Functions allowed to be longer, each with its reason: (file relative to the repository,
/// function name, reason). An entry that no longer matches a long function fails the check, so
/// the list cannot go stale.
const LONG_FN_ALLOWED: &[(&str, &str, &str)] = &[];

/// One function and where it is.
#[derive(Debug)]
struct FnSpan {
    file: String,
    name: String,
    line: usize,
    lines: usize,
}

/// Collects every function (free, in an impl, in a trait with a body, nested) of one file.
struct FnCollector<'a> {
    file: &'a str,
    out: Vec<FnSpan>,
}

impl FnCollector<'_> {
    fn record(&mut self, name: &syn::Ident, first: proc_macro2::Span, block: &syn::Block) {
        let start = first.start().line;
        let end = block.brace_token.span.close().end().line;
        self.out.push(FnSpan {
            file: self.file.to_string(),
            name: name.to_string(),
            line: start,
            lines: end + 1 - start,
        });
    }
}

impl<'ast> Visit<'ast> for FnCollector<'_> {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.record(&f.sig.ident, f.sig.fn_token.span, &f.block);
        syn::visit::visit_item_fn(self, f);
    }
    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.record(&f.sig.ident, f.sig.fn_token.span, &f.block);
        syn::visit::visit_impl_item_fn(self, f);
    }
    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        if let Some(block) = &f.default {
            self.record(&f.sig.ident, f.sig.fn_token.span, block);
        }
        syn::visit::visit_trait_item_fn(self, f);
    }
}

/// Every crate's `src` folder.
fn crate_sources() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(repo().join("crates")).expect("crates") {
        let dir = entry.expect("entry").path();
        let src = dir.join("src");
        if src.is_dir() {
            let name = dir
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            out.push((name, src));
        }
    }
    out.sort();
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let p = entry.expect("entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

fn parse(file: &Path) -> syn::File {
    let text = std::fs::read_to_string(file).expect("a source file");
    syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

fn relative(file: &Path) -> String {
    file.strip_prefix(repo())
        .unwrap_or(file)
        .display()
        .to_string()
}

#[test]
fn every_function_fits_on_a_screen() {
    let mut spans = Vec::new();
    for (_, src) in crate_sources() {
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        for file in files {
            let rel = relative(&file);
            let mut c = FnCollector {
                file: &rel,
                out: Vec::new(),
            };
            c.visit_file(&parse(&file));
            spans.extend(c.out);
        }
    }
    assert!(spans.len() > 1000, "only {} functions found", spans.len());
    let allowed = |s: &FnSpan| {
        LONG_FN_ALLOWED
            .iter()
            .any(|(f, n, _)| *f == s.file && *n == s.name)
    };
    let long: Vec<&FnSpan> = spans.iter().filter(|s| s.lines > MAX_FN_LINES).collect();
    let offending: Vec<String> = long
        .iter()
        .filter(|s| !allowed(s))
        .map(|s| format!("{}:{} `{}` is {} lines", s.file, s.line, s.name, s.lines))
        .collect();
    assert!(
        offending.is_empty(),
        "functions over {MAX_FN_LINES} lines (name their steps as functions, or list a declarative \
         table in LONG_FN_ALLOWED with its reason):\n{}",
        offending.join("\n")
    );
    for (file, name, _) in LONG_FN_ALLOWED {
        assert!(
            long.iter().any(|s| s.file == *file && s.name == *name),
            "LONG_FN_ALLOWED lists {file} `{name}`, which is no longer over {MAX_FN_LINES} lines"
        );
    }
}

/// A module's path inside its crate: `["workbench", "runs"]` for `src/workbench/runs.rs`.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_string());
    }
    parts
}

/// The module paths a file refers to through `use` trees and paths (`crate::a::b`, `super::c`,
/// `self::d`), resolved against the file's own module path.
struct PathCollector<'a> {
    here: &'a [String],
    out: BTreeSet<Vec<String>>,
}

impl PathCollector<'_> {
    fn resolve(&mut self, segments: &[String]) {
        let Some(first) = segments.first() else {
            return;
        };
        let mut base: Vec<String> = match first.as_str() {
            "crate" => Vec::new(),
            "super" => {
                let mut b = self.here.to_vec();
                let mut rest = segments;
                while rest.first().is_some_and(|s| s == "super") {
                    b.pop();
                    rest = &rest[1..];
                }
                b.extend(rest.iter().cloned());
                self.out.insert(b);
                return;
            }
            "self" => self.here.to_vec(),
            _ => return,
        };
        base.extend(segments[1..].iter().cloned());
        self.out.insert(base);
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                prefix.push(n.ident.to_string());
                self.resolve(&prefix.clone());
                prefix.pop();
            }
            syn::UseTree::Rename(r) => {
                prefix.push(r.ident.to_string());
                self.resolve(&prefix.clone());
                prefix.pop();
            }
            syn::UseTree::Glob(_) => self.resolve(&prefix.clone()),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(prefix, t);
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for PathCollector<'_> {
    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &u.tree);
    }
    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segments: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        self.resolve(&segments);
        syn::visit::visit_path(self, p);
    }
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        // Inline modules (tests) are checked with their file: their `super` is the file itself.
        if m.content.is_none() {
            syn::visit::visit_item_mod(self, m);
        }
    }
}

/// The sibling-module graph of one crate: for every module with children, which child uses which
/// other child (a use of a child's descendant counts as a use of the child).
fn sibling_edges(src: &Path) -> BTreeMap<Vec<String>, BTreeSet<(String, String)>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_path(src, f)).collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<(String, String)>> = BTreeMap::new();
    for file in files {
        let here = module_path(src, &file);
        let mut c = PathCollector {
            here: &here,
            out: BTreeSet::new(),
        };
        c.visit_file(&parse(&file));
        for target in c.out {
            // The deepest common parent of `here` and `target`, and the children under it.
            let common = here.iter().zip(&target).take_while(|(a, b)| a == b).count();
            if common < here.len() && common < target.len() && modules.contains(&target[..=common])
            {
                let parent = here[..common].to_vec();
                edges
                    .entry(parent)
                    .or_default()
                    .insert((here[common].clone(), target[common].clone()));
            }
        }
    }
    edges
}

/// A cycle in a directed graph, if there is one (as the list of its nodes).
fn find_cycle(edges: &BTreeSet<(String, String)>) -> Option<Vec<String>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in edges {
        next.entry(a).or_default().push(b);
    }
    fn walk<'a>(
        n: &'a str,
        next: &BTreeMap<&'a str, Vec<&'a str>>,
        stack: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|s| *s == n) {
            return Some(stack[i..].iter().map(|s| s.to_string()).collect());
        }
        if !done.insert(n) {
            return None;
        }
        stack.push(n);
        for m in next.get(n).into_iter().flatten() {
            if let Some(c) = walk(m, next, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    for n in next.keys() {
        if let Some(c) = walk(n, &next, &mut Vec::new(), &mut done) {
            return Some(c);
        }
    }
    None
}

/// Module folders whose children may use each other in a circle, each with its reason.
const CYCLES_ALLOWED: &[(&str, &str, &str)] = &[(
    "osa-view",
    "",
    "assess's render functions hand HTML to the html printer, which renders assess's views; to \
     break it, move the assess fragments of html under assess/ (osa-web imports them)",
)];

#[test]
fn no_module_cycles_inside_a_crate() {
    let mut cycles = Vec::new();
    for (name, src) in crate_sources() {
        for (parent, edges) in sibling_edges(&src) {
            let parent = parent.join("::");
            let allowed = CYCLES_ALLOWED
                .iter()
                .any(|(c, p, _)| *c == name && *p == parent);
            let cycle = find_cycle(&edges);
            if allowed {
                assert!(
                    cycle.is_some(),
                    "CYCLES_ALLOWED lists {name} `{parent}`, whose modules no longer form a cycle"
                );
                continue;
            }
            if let Some(cycle) = cycle {
                let at = if parent.is_empty() {
                    "crate".to_string()
                } else {
                    parent
                };
                cycles.push(format!("{name} ({at}): {}", cycle.join(" -> ")));
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "modules that use each other in a circle (move what they share into a module both use):\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let e = |v: &[(&str, &str)]| -> BTreeSet<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(find_cycle(&e(&[("a", "b"), ("b", "c")])), None);
    assert_eq!(
        find_cycle(&e(&[("a", "b"), ("b", "c"), ("c", "a")])),
        Some(vec!["a".to_string(), "b".to_string(), "c".to_string()])
    );
}
