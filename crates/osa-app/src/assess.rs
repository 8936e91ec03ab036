//! Steps 2-4 use cases over a baseline: one technology's dossier (the four steps in order), the
//! matrix of technologies by dimension, the actors to watch and the AI-application checklist.

use crate::{Answer, AppError, Result};
use osa_assess::{Baseline, Technology};
use osa_io::Loaded;
use osa_view::assess::{self as view, ActorView, DossierView, MatrixView};

/// Finds a technology by id or name, in any case, or says which exist and which is closest.
pub fn find<'a>(b: &'a Baseline, query: &str) -> Result<&'a Technology> {
    if let Some(t) = b.technology(query).or_else(|| {
        b.technologies
            .iter()
            .find(|t| t.id.eq_ignore_ascii_case(query))
    }) {
        return Ok(t);
    }
    let ids: Vec<&str> = b.technologies.iter().map(|t| t.id.as_str()).collect();
    let names = b
        .technologies
        .iter()
        .map(|t| (t.id.as_str(), t.name.as_str()));
    Err(AppError::NotFound(format!(
        "no technology `{query}`{} (known: {})",
        crate::spelling::did_you_mean(query, names),
        ids.join(", ")
    )))
}

/// What a dossier is computed with, beyond the baseline.
#[derive(Debug, Clone, Default)]
pub struct DossierOptions {
    /// Ecosystem data for the computed indicators instead of the one the technology names.
    pub ecosystem: Option<String>,
    /// Inputs in scope instead of the technology's own.
    pub scope: Vec<String>,
    /// Assessment year (alliances, coercion recency).
    pub year: i32,
    /// The dimension that comes first in step 4; default: the highest judged level, ties broken
    /// only by the chapter's own ranking.
    pub priority: Option<osa_assess::Dimension>,
}

/// The full dossier of one technology. `load_ecosystem` resolves an ecosystem name (the CLI reads
/// files and built-ins; the server its stored snapshots).
pub fn dossier_view(
    b: &Baseline,
    query: &str,
    opts: &DossierOptions,
    load_ecosystem: &dyn Fn(&str) -> Result<Answer<Loaded>>,
) -> Result<Answer<DossierView>> {
    let mut tech = find(b, query)?.clone();
    if !opts.scope.is_empty() {
        tech.scope = opts.scope.clone();
    }
    let mut warnings = Vec::new();
    let spec = opts.ecosystem.clone().or(tech.ecosystem.clone());
    let loaded = match &spec {
        Some(s) => {
            let a = load_ecosystem(s)?;
            warnings.extend(a.warnings);
            Some(a.value)
        }
        None => None,
    };
    if let Some(l) = &loaded {
        warnings.extend(narrow_scope(&mut tech, l));
        if !opts.scope.is_empty() && tech.scope.is_empty() {
            // A --scope of which nothing is in the ecosystem would silently assess another scope.
            return Err(AppError::invalid("scope", warnings.join("; ")));
        }
    }
    let checked = loaded.as_ref().map(|l| &l.checked);
    let options = osa_assess::Options {
        priority: opts.priority,
    };
    let dossier = osa_assess::assess_with(
        &tech,
        checked,
        &b.geopolitics,
        &b.toolkit,
        opts.year,
        &options,
    )
    .map_err(|e| AppError::data(format!("could not assess `{}`", tech.id), e))?;
    let mut v = view::dossier(
        &dossier,
        &b.toolkit,
        &b.geopolitics.params.source.to_string(),
        checked,
    );
    if let (Some(e), Some(c)) = (v.ecosystem.as_mut(), checked) {
        e.supplier_shares = supplier_shares(c, &e.scope);
    }
    Ok(Answer { value: v, warnings })
}

/// Country shares of each input in `scope` (all inputs when empty), latest year with shares.
pub fn supplier_shares(c: &osa_model::Checked, scope: &[String]) -> Vec<view::InputSharesView> {
    let opts = osa_ecosystem::metrics::MetricsOptions {
        year: osa_ecosystem::shares::YearChoice::Latest,
        holders: Vec::new(),
    };
    let inputs: Vec<usize> = if scope.is_empty() {
        (0..c.ecosystem().inputs.len()).collect()
    } else {
        scope.iter().filter_map(|id| c.input_index(id)).collect()
    };
    inputs
        .into_iter()
        .filter_map(|i| {
            let m = osa_ecosystem::metrics::input_metrics(c, i, (None, false), &opts);
            let cs = m.country?;
            let input = &c.ecosystem().inputs[i];
            let mut shares: Vec<(String, f64)> = cs
                .shares
                .iter()
                .map(|(p, s)| (p.code().to_string(), osa_view::format::r6(*s)))
                .collect();
            shares.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let mut sources: Vec<String> = Vec::new();
            for p in cs.rows.iter().filter_map(|&j| input.provision.get(j)) {
                if !sources.contains(&p.source) {
                    sources.push(p.source.clone());
                }
            }
            Some(view::InputSharesView {
                id: input.id.clone(),
                name: input.name.clone(),
                year: cs.year,
                shares,
                unattributed: osa_view::format::r6(cs.unattributed),
                hhi: osa_view::format::r6(cs.hhi()),
                sources,
            })
        })
        .collect()
}

/// Warns about scope inputs the ecosystem lacks; with none of them there, uses all its inputs.
fn narrow_scope(tech: &mut Technology, l: &Loaded) -> Vec<String> {
    let missing: Vec<&str> = tech
        .scope
        .iter()
        .filter(|id| l.checked.input_index(id).is_none())
        .map(String::as_str)
        .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let inputs = &l.checked.ecosystem().inputs;
    let said: Vec<String> = missing
        .iter()
        .map(|id| {
            let near = inputs.iter().map(|i| (i.id.as_str(), i.name.as_str()));
            format!("{id}{}", crate::spelling::did_you_mean(id, near))
        })
        .collect();
    let mut w = vec![format!(
        "scope inputs not in ecosystem `{}`: {}",
        l.checked.ecosystem().id,
        said.join("; ")
    )];
    if missing.len() == tech.scope.len() {
        w.push("none of the scope is in this ecosystem; using all its inputs".into());
        tech.scope.clear();
    }
    w
}

/// Technologies x dimensions, for the given technologies (ids or names) or all, each cell with the
/// level step 1's data computes beside the judged one. `load_ecosystem` resolves the ecosystem a
/// technology names, as for [`dossier_view`].
pub fn matrix_view(
    b: &Baseline,
    queries: &[String],
    load_ecosystem: &dyn Fn(&str) -> Result<Answer<Loaded>>,
) -> Result<Answer<MatrixView>> {
    let techs: Vec<&Technology> = if queries.is_empty() {
        b.technologies.iter().collect()
    } else {
        queries
            .iter()
            .map(|q| find(b, q))
            .collect::<Result<Vec<_>>>()?
    };
    let mut warnings = Vec::new();
    let mut computed = Vec::new();
    for t in &techs {
        let a = computed_levels(b, t, load_ecosystem)?;
        warnings.extend(a.warnings);
        computed.push(a.value);
    }
    Ok(Answer {
        value: view::matrix(&techs, &computed),
        warnings,
    })
}

/// The levels step 1's data computes for a technology (none without an ecosystem), with its
/// scope narrowed as the dossier narrows it.
pub fn computed_levels(
    b: &Baseline,
    tech: &Technology,
    load_ecosystem: &dyn Fn(&str) -> Result<Answer<Loaded>>,
) -> Result<Answer<[Option<osa_assess::Level>; 4]>> {
    let Some(name) = &tech.ecosystem else {
        return Ok(Answer::new([None; 4]));
    };
    let a = load_ecosystem(name)?;
    let mut warnings = a.warnings;
    let mut tech = tech.clone();
    warnings.extend(narrow_scope(&mut tech, &a.value));
    let levels =
        osa_assess::dossier::computed_levels(&tech, Some(&a.value.checked), &b.geopolitics)
            .map_err(|e| AppError::data(format!("could not assess `{}`", tech.id), e))?;
    Ok(Answer {
        value: levels,
        warnings,
    })
}

/// Loads ecosystems by name once each (the matrix and the report name the same one for several
/// technologies).
pub fn cached_loader() -> impl Fn(&str) -> Result<Answer<Loaded>> {
    let cache: std::cell::RefCell<std::collections::BTreeMap<String, Loaded>> = Default::default();
    move |name: &str| -> Result<Answer<Loaded>> {
        if let Some(l) = cache.borrow().get(name) {
            return Ok(Answer::new(Loaded {
                checked: l.checked.clone(),
                origin: l.origin.clone(),
                warnings: Vec::new(),
            }));
        }
        let a = crate::ecosystem::load(Some(name))?;
        let copy = Loaded {
            checked: a.value.checked.clone(),
            origin: a.value.origin.clone(),
            warnings: Vec::new(),
        };
        cache.borrow_mut().insert(name.to_string(), copy);
        Ok(a)
    }
}

/// Filters on the actors to watch.
#[derive(Debug, Clone, Default)]
pub struct ActorFilter {
    /// Only actors of this technology (id or name).
    pub technology: Option<String>,
    /// Only actors based in this country (ISO3, EU27 or INT).
    pub country: Option<String>,
    /// Only actors of this kind.
    pub kind: Option<String>,
    /// Only actors of this relevance (`high`, `medium`, `low`, `context`).
    pub relevance: Option<String>,
    /// Only actors in the PRC (true) or only context actors (false).
    pub prc: Option<bool>,
    /// Words every kept actor's name, role, kind, country or technology holds (any case; at
    /// most [`MAX_ACTOR_TEXT`] characters).
    pub text: Option<String>,
}

/// The longest text an actor filter takes.
pub const MAX_ACTOR_TEXT: usize = 200;

/// Whether an actor holds every word of a filter's text.
fn actor_has_words(a: &ActorView, words: &[String]) -> bool {
    let hay = format!(
        "{} {} {} {} {}",
        a.name,
        a.role,
        a.kind.replace('_', " "),
        a.country,
        a.technology.as_deref().unwrap_or("")
    )
    .to_lowercase();
    words.iter().all(|w| hay.contains(w.as_str()))
}

/// The actors to watch, filtered.
/// A filter's technology (id or name, any case) and country (code or name, any case) are found
/// first; an empty result says why.
pub fn actors_view(b: &Baseline, f: &ActorFilter) -> Result<Vec<ActorView>> {
    let technology = match &f.technology {
        Some(t) => Some(find(b, t)?.id.clone()),
        None => None,
    };
    let country = f.country.as_deref().map(country_code).transpose()?;
    let rows = view::all_actors(
        b,
        &view::ActorFilter {
            technology: technology.as_deref(),
            country: country.as_deref(),
            kind: f.kind.as_deref(),
            relevance: f.relevance.as_deref(),
            prc: f.prc,
        },
    );
    let words = text_words(f.text.as_deref())?;
    let rows: Vec<ActorView> = rows
        .into_iter()
        .filter(|a| actor_has_words(a, &words))
        .collect();
    if rows.is_empty() {
        return Err(AppError::NotFound(no_actor(b, f, country.as_deref())));
    }
    Ok(rows)
}

/// A filter text's words, lower-cased; too long a text is refused naming the field.
fn text_words(text: Option<&str>) -> Result<Vec<String>> {
    let t = text.map(str::trim).unwrap_or("");
    if t.chars().count() > MAX_ACTOR_TEXT {
        return Err(AppError::invalid(
            "text",
            format!("at most {MAX_ACTOR_TEXT} characters"),
        ));
    }
    if t.chars().any(char::is_control) {
        return Err(AppError::invalid("text", "no control characters"));
    }
    Ok(t.split_whitespace().map(str::to_lowercase).collect())
}

/// A country as the actors record it: an ISO3 code in any case (`chn`), a country's name
/// (`China`, `Korea`), `EU`/`EU27` or `INT` (international).
pub fn country_code(query: &str) -> Result<String> {
    let q = query.trim();
    let upper = q.to_ascii_uppercase();
    match upper.as_str() {
        "EU" | "EU27" | "EUROPEAN UNION" => return Ok("EU27".into()),
        "INT" | "INTERNATIONAL" => return Ok("INT".into()),
        _ => {}
    }
    if let Some(c) = osa_model::CountryCode::parse(&upper) {
        return Ok(c.as_str().to_string());
    }
    let lower = q.to_lowercase();
    let countries = osa_model::country::all_countries();
    let named = |exact: bool| {
        countries.iter().find(|c| {
            let n = c.name.to_lowercase();
            if exact {
                n == lower
            } else {
                n.starts_with(&format!("{lower},")) || n.starts_with(&format!("{lower} "))
            }
        })
    };
    named(true)
        .or_else(|| named(false))
        .map(|c| c.alpha3.as_str().to_string())
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "no country `{q}`: give an ISO 3166-1 alpha-3 code (CHN) or a name (China), EU27 or INT"
            ))
        })
}

/// Why no actor passes the filter: the filter, and the countries the actors are based in.
fn no_actor(b: &Baseline, f: &ActorFilter, country: Option<&str>) -> String {
    let all = view::all_actors(b, &view::ActorFilter::default());
    let mut countries: Vec<&str> = all.iter().map(|a| a.country.as_str()).collect();
    countries.sort_unstable();
    countries.dedup();
    let mut asked = Vec::new();
    if let Some(t) = &f.technology {
        asked.push(format!("technology {t}"));
    }
    if let Some(c) = country {
        asked.push(format!("country {c}"));
    }
    if let Some(k) = &f.kind {
        asked.push(format!("kind {k}"));
    }
    if let Some(r) = &f.relevance {
        asked.push(format!("relevance {r}"));
    }
    if let Some(p) = f.prc {
        asked.push(if p { "in the PRC" } else { "outside the PRC" }.to_string());
    }
    if let Some(t) = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        asked.push(format!("the words `{t}`"));
    }
    format!(
        "no actor to watch matches {} (actors are based in: {})",
        asked.join(", "),
        countries.join(", ")
    )
}

/// Every technology's dossier, in the baseline's order, each ecosystem loaded once (the report).
pub fn all_dossiers(b: &Baseline, year: i32) -> Result<Answer<Vec<DossierView>>> {
    let load = cached_loader();
    let opts = DossierOptions {
        year,
        ..DossierOptions::default()
    };
    let mut warnings = Vec::new();
    let mut out = Vec::new();
    for t in &b.technologies {
        let a = dossier_view(b, &t.id, &opts, &load)?;
        warnings.extend(a.warnings);
        out.push(a.value);
    }
    Ok(Answer {
        value: out,
        warnings,
    })
}
