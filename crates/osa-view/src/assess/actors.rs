//! Actors to watch: the view of one actor, the filter `osa actors` applies, and its printer.

use crate::format::{self, Format, RenderError, cut, words};
use osa_assess::Baseline;
use osa_assess::technology::Technology;
use serde::Serialize;

/// An actor.
#[derive(Debug, Clone, Serialize)]
pub struct ActorView {
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: &'static str,
    /// ISO3, EU27 or INT.
    pub country: String,
    /// Role.
    pub role: String,
    /// Source.
    pub source: String,
    /// A rough indication of its relevance to European foresight.
    pub relevance: RelevanceView,
    /// Whether it is in the PRC (an actor to watch); false: a context actor.
    pub prc: bool,
    /// Technology id (in lists across technologies).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub technology: Option<String>,
}

/// An actor's relevance.
#[derive(Debug, Clone, Serialize)]
pub struct RelevanceView {
    /// `high`, `medium`, `low`, or `context` (outside the PRC).
    pub level: &'static str,
    /// Why, from the chapter's text.
    pub why: String,
    /// The lines.
    pub source: String,
}

/// Which actors `osa actors` lists.
#[derive(Debug, Clone, Default)]
pub struct ActorFilter<'a> {
    /// Technology id or name.
    pub technology: Option<&'a str>,
    /// ISO3, EU27 or INT.
    pub country: Option<&'a str>,
    /// Actor kind.
    pub kind: Option<&'a str>,
    /// Relevance level (`high`, `medium`, `low`, `context`).
    pub relevance: Option<&'a str>,
    /// Only actors in the PRC (true) or only context actors (false).
    pub prc: Option<bool>,
}

/// The actors of a technology.
pub fn actors_of(t: &Technology, tag: bool) -> Vec<ActorView> {
    t.actors
        .iter()
        .map(|a| ActorView {
            name: a.name.clone(),
            kind: a.kind.as_str(),
            country: a.home.code(),
            role: a.role.clone(),
            source: a.source.to_string(),
            relevance: RelevanceView {
                level: a.relevance.level.as_str(),
                why: a.relevance.why.clone(),
                source: a.relevance.source.to_string(),
            },
            prc: a.prc(),
            technology: tag.then(|| t.id.clone()),
        })
        .collect()
}

/// All actors of the baseline that pass the filter.
pub fn all_actors(b: &Baseline, f: &ActorFilter) -> Vec<ActorView> {
    b.technologies
        .iter()
        .filter(|t| f.technology.is_none_or(|q| t.matches(q)))
        .flat_map(|t| actors_of(t, true))
        .filter(|a| f.country.is_none_or(|c| a.country == c))
        .filter(|a| f.kind.is_none_or(|k| a.kind == k))
        .filter(|a| f.relevance.is_none_or(|r| a.relevance.level == r))
        .filter(|a| f.prc.is_none_or(|p| a.prc == p))
        .collect()
}

/// Under every actors table: what the levels mean.
pub const ACTORS_NOTE: &str = "\nActors to watch are actors in the PRC (seed L221-225); relevance is a rough indication from each chapter's text, with its lines (seed L225-230): high = the chapter singles it out (it decides, leads or drives), medium = a substantive role, low = mentioned in passing; context = outside the PRC, named as context, not an actor to watch.\n";

/// Prints actors.
pub fn render_actors(actors: &[ActorView], format: Format) -> Result<String, RenderError> {
    render_actors_signed(actors, format).map(|s| format::unsigned_zero(&s))
}

fn render_actors_signed(actors: &[ActorView], format: Format) -> Result<String, RenderError> {
    let rows: Vec<Vec<String>> = actors
        .iter()
        .map(|a| {
            vec![
                a.technology.clone().unwrap_or_default(),
                a.name.clone(),
                words(a.kind),
                a.country.clone(),
                a.relevance.level.to_string(),
                a.role.clone(),
                a.source.clone(),
                a.relevance.why.clone(),
                a.relevance.source.clone(),
            ]
        })
        .collect();
    let header = [
        "technology",
        "name",
        "kind",
        "country",
        "relevance",
        "role",
        "source",
        "relevance_why",
        "relevance_source",
    ];
    match format {
        Format::Json => format::json(actors),
        Format::Csv | Format::Xlsx | Format::Parquet => format::csv(&header, &rows),
        _ => {
            let short: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r[0].clone(),
                        cut(&r[1], 50),
                        words(&r[2]),
                        r[3].clone(),
                        format!("{} [{}]", r[4], r[8]),
                        cut(&r[5], 60),
                        r[6].clone(),
                    ]
                })
                .collect();
            let mut out = format::table(&header[..7], &short, format == Format::Md);
            out.push_str(ACTORS_NOTE);
            Ok(out)
        }
    }
}
