//! `osa report -o DIR`: the workbench's pages exported as files (the same page types and
//! renderers as `osa serve`, with links between files and no forms), plus the assets.

use crate::dossier::DossierPage;
use crate::library::{ActorsPage, ChecklistPage, MethodPage, SourcesPage};
use crate::overview::OverviewPage;
use crate::{Ctx, render};
use osa_assess::checklist::Checklist;
use osa_view::assess::{ActorView, DossierView, MatrixView};

/// What the report is made of.
#[derive(Debug, Clone, Copy)]
pub struct Site<'a> {
    /// The matrix.
    pub matrix: &'a MatrixView,
    /// One dossier per technology.
    pub dossiers: &'a [DossierView],
    /// Actors to watch.
    pub actors: &'a [ActorView],
    /// The AI-application checklist.
    pub checklist: &'a Checklist,
    /// Every source cited, with who cites it.
    pub sources: &'a [(String, Vec<String>)],
    /// osa's version and the assessment year.
    pub generated: &'a str,
    /// The analyst's own analyses: (page file, title, source); their pages are written apart.
    pub analyses: &'a [(String, String, String)],
}

/// Everything `osa report` writes: (relative path, content).
pub fn site(s: &Site) -> Vec<(String, String)> {
    let top = Ctx::export("");
    let mut out = vec![(
        "index.html".to_string(),
        render(
            &top,
            &OverviewPage {
                matrix: s.matrix.clone(),
                technologies: OverviewPage::items(s.dossiers),
                revisions: Vec::new(),
                analyses: s.analyses.to_vec(),
                generated: Some(s.generated.to_string()),
                begins: None,
                changed_since: None,
                changed: Vec::new(),
            },
        ),
    )];
    let below = Ctx::export("../");
    for d in s.dossiers {
        out.push((
            format!("tech/{}.html", d.id),
            render(
                &below,
                &DossierPage {
                    dossier: d.clone(),
                    priority: None,
                    as_of: None,
                    events: Vec::new(),
                    case_file: String::new(),
                },
            ),
        ));
    }
    let pages: [(&str, String); 4] = [
        (
            "actors.html",
            render(
                &top,
                &ActorsPage {
                    actors: s.actors.to_vec(),
                },
            ),
        ),
        (
            "checklist.html",
            render(
                &top,
                &ChecklistPage {
                    checklist: s.checklist.clone(),
                },
            ),
        ),
        (
            "sources.html",
            render(
                &top,
                &SourcesPage {
                    sources: s.sources.to_vec(),
                },
            ),
        ),
        (
            "method.html",
            render(
                &top,
                &MethodPage {
                    text: crate::library::METHOD_NOTES.to_string(),
                },
            ),
        ),
    ];
    out.extend(pages.into_iter().map(|(f, p)| (f.to_string(), p)));
    for (name, _, content) in crate::assets::ASSETS {
        out.push((format!("assets/{name}"), content.to_string()));
    }
    out
}
