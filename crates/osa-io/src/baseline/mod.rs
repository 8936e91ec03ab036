//! Loading the assessment baseline (`data/baseline/`, formats in docs/formats.md §2): the report's
//! technologies, country profiles and blocs, the likelihood parameters, the toolkit (instruments and
//! rules) and the AI-application checklist. The embedded copy is compiled in; `load_dir` reads an
//! analyst's edited copy at run time, and `load_toolkit` just a toolkit file.
//!
//! Every problem names the file, line, record and field; all problems are collected before failing.

mod actors;
mod checklist;
mod countries;
mod diags;
mod dimension;
mod files;
mod likelihood;
mod technology;
mod toolkit;

pub use checklist::parse_checklist;
pub use countries::parse_countries;
pub use files::{BaselineFiles, SINGLE_FILES, embedded_files, read_files};
pub use likelihood::parse_likelihood;
pub use technology::{ecosystem_exists, parse_technology, parse_technology_in};
pub use toolkit::parse_toolkit;

use crate::error::{Diagnostic, Error, Result};
use crate::text::read_text as read;
use osa_assess::Baseline;
use osa_assess::geopolitics::Geopolitics;
use osa_assess::toolkit::Toolkit;
use osa_model::Blocs;
use std::path::Path;
use toml::Spanned;

type S<T> = Spanned<T>;

/// The embedded technology files, in the report's order.
pub const CASES: &[(&str, &str)] = &[
    (
        "front-end-fabrication.toml",
        include_str!("../../../../data/baseline/cases/front-end-fabrication.toml"),
    ),
    (
        "5g-standardization.toml",
        include_str!("../../../../data/baseline/cases/5g-standardization.toml"),
    ),
    (
        "facial-recognition.toml",
        include_str!("../../../../data/baseline/cases/facial-recognition.toml"),
    ),
    (
        "chip-design.toml",
        include_str!("../../../../data/baseline/cases/chip-design.toml"),
    ),
    (
        "6g.toml",
        include_str!("../../../../data/baseline/cases/6g.toml"),
    ),
    (
        "blockchain.toml",
        include_str!("../../../../data/baseline/cases/blockchain.toml"),
    ),
    (
        "e-cny.toml",
        include_str!("../../../../data/baseline/cases/e-cny.toml"),
    ),
    (
        "v2x.toml",
        include_str!("../../../../data/baseline/cases/v2x.toml"),
    ),
    (
        "urban-ai.toml",
        include_str!("../../../../data/baseline/cases/urban-ai.toml"),
    ),
    (
        "ai-ethics.toml",
        include_str!("../../../../data/baseline/cases/ai-ethics.toml"),
    ),
];
/// The embedded country profiles.
pub const COUNTRIES: &str = include_str!("../../../../data/baseline/countries.toml");
/// The embedded likelihood parameters.
pub const LIKELIHOOD: &str = include_str!("../../../../data/baseline/likelihood.toml");
/// The embedded toolkit (instruments and rules).
pub const TOOLKIT: &str = include_str!("../../../../data/baseline/toolkit.toml");
/// The embedded AI-application checklist.
pub const CHECKLIST: &str = include_str!("../../../../data/baseline/checklist.toml");

// ------------------------------------------------------------------------------ whole baseline

/// Builds a baseline from texts; collects every file's problems before failing.
fn build(
    cases: &[(String, String)],
    countries: (&str, &str),
    likelihood: (&str, &str),
    toolkit: (&str, &str),
    checklist: (&str, &str),
    blocs: Blocs,
    known: &dyn Fn(&str) -> bool,
) -> Result<Baseline> {
    let mut diags = Vec::new();
    fn keep(diags: &mut Vec<Diagnostic>, r: Result<()>) {
        if let Err(e) = r {
            match e {
                Error::Invalid(d) => diags.extend(d),
                other => diags.push(Diagnostic {
                    file: String::new(),
                    line: None,
                    record: String::new(),
                    field: String::new(),
                    message: other.to_string(),
                }),
            }
        }
    }
    let toolkit = parse_toolkit(toolkit.0, toolkit.1);
    let tk = toolkit.as_ref().ok();
    let mut technologies = Vec::new();
    for (file, text) in cases {
        match parse_technology_in(text, file, tk, known) {
            Ok(t) => technologies.push(t),
            Err(e) => keep(&mut diags, Err(e)),
        }
    }
    let countries = parse_countries(countries.0, countries.1);
    let params = parse_likelihood(likelihood.0, likelihood.1);
    let checklist = parse_checklist(checklist.0, checklist.1);
    for id in technologies
        .iter()
        .map(|t| t.id.clone())
        .collect::<Vec<_>>()
    {
        if technologies.iter().filter(|t| t.id == id).count() > 1 {
            keep(
                &mut diags,
                Err(Error::one(
                    "cases",
                    None,
                    &format!("technology \"{id}\""),
                    "id",
                    "duplicate technology id".into(),
                )),
            );
        }
    }
    match (toolkit, countries, params, checklist) {
        (Ok(toolkit), Ok(profiles), Ok(params), Ok(checklist)) if diags.is_empty() => {
            technologies.sort_by_key(|t| first_seed_line(&t.seed_lines));
            Ok(Baseline {
                technologies,
                geopolitics: Geopolitics {
                    profiles,
                    blocs,
                    params,
                },
                toolkit,
                checklist,
            })
        }
        (toolkit, countries, params, checklist) => {
            keep(&mut diags, toolkit.map(|_| ()));
            keep(&mut diags, countries.map(|_| ()));
            keep(&mut diags, params.map(|_| ()));
            keep(&mut diags, checklist.map(|_| ()));
            Err(Error::Invalid(diags))
        }
    }
}

fn first_seed_line(lines: &str) -> u32 {
    lines
        .trim_start_matches('L')
        .split(['-', ','])
        .next()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(u32::MAX)
}

/// Validates and builds a baseline from its files; `origin` prefixes file names in diagnostics
/// (a directory, or `<built-in>`).
pub fn from_files(files: &BaselineFiles, origin: &str) -> Result<Baseline> {
    from_files_in(files, origin, &ecosystem_exists)
}

/// [`from_files`] where `known` says which ecosystem names the cases may use.
pub fn from_files_in(
    files: &BaselineFiles,
    origin: &str,
    known: &dyn Fn(&str) -> bool,
) -> Result<Baseline> {
    let name = |n: &str| {
        if origin.starts_with('<') {
            format!("<built-in {n}>")
        } else {
            format!("{origin}/{n}")
        }
    };
    let cases: Vec<(String, String)> = files
        .cases
        .iter()
        .map(|(f, t)| (name(f), t.clone()))
        .collect();
    build(
        &cases,
        (&files.countries, &name("countries.toml")),
        (&files.likelihood, &name("likelihood.toml")),
        (&files.toolkit, &name("toolkit.toml")),
        (&files.checklist, &name("checklist.toml")),
        crate::blocs::parse(&files.blocs, &name("blocs.toml"))?,
        known,
    )
}

/// The embedded baseline.
pub fn embedded() -> Result<Baseline> {
    from_files(&embedded_files(), "<built-in>")
}

/// A baseline directory with the layout of `data/baseline/`.
pub fn load_dir(dir: &Path) -> Result<Baseline> {
    from_files(&read_files(dir)?, &dir.display().to_string())
}

/// Reads a toolkit file (instruments and rules) to use instead of the baseline's.
pub fn load_toolkit(path: &Path) -> Result<Toolkit> {
    parse_toolkit(&read(path)?, &path.display().to_string())
}
