//! The actors of a technology file, each with its relevance (an actor in the PRC is one to watch,
//! with its lines; one elsewhere is context).

use super::S;
use super::diags::Diags;
use osa_assess::technology::{Actor, ActorHome, ActorKind, Relevance, RelevanceLevel};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawActor {
    name: S<String>,
    kind: S<String>,
    country: S<String>,
    #[serde(default)]
    role: String,
    source: S<String>,
    #[serde(default)]
    relevance: Option<S<RawRelevance>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelevance {
    level: S<String>,
    why: String,
    source: S<String>,
}

/// An actor's relevance: required (with its lines) for an actor in the PRC; an actor elsewhere is
/// context, and may say so explicitly but claim no other level.
fn actor_relevance(
    d: &mut Diags,
    r: Option<&S<RawRelevance>>,
    home: Option<&ActorHome>,
    arec: &str,
    at: usize,
) -> Option<Relevance> {
    let prc = home.is_some_and(ActorHome::is_prc);
    let Some(r) = r else {
        if prc {
            d.push(
                Some(at),
                arec,
                "relevance",
                "an actor in the PRC needs its relevance: { level = high|medium|low, why, source }"
                    .into(),
            );
            return None;
        }
        return Some(Relevance::context());
    };
    let r = r.get_ref();
    let level = RelevanceLevel::parse(r.level.get_ref());
    let source = d.source(&r.source, arec, "relevance.source");
    match level {
        None => d.push(
            Some(r.level.span().start),
            arec,
            "relevance.level",
            format!(
                "unknown relevance `{}` (expected one of {})",
                r.level.get_ref(),
                RelevanceLevel::spellings()
            ),
        ),
        Some(l) if prc == (l == RelevanceLevel::Context) => d.push(
            Some(r.level.span().start),
            arec,
            "relevance.level",
            if prc {
                "an actor in the PRC is an actor to watch: high, medium or low, not context".into()
            } else {
                "an actor outside the PRC is context, not an actor to watch (seed L221-225)".into()
            },
        ),
        Some(_) => {}
    }
    if r.why.trim().is_empty() {
        d.push(
            Some(at),
            arec,
            "relevance.why",
            "say why, from the chapter's text".into(),
        );
    }
    Some(Relevance {
        level: level?,
        why: r.why.clone(),
        source,
    })
}

/// The actors of a technology file, each with its relevance.
pub(super) fn parse_actors(d: &mut Diags, raw: &[RawActor], rec: &str) -> Vec<Actor> {
    raw.iter()
        .filter_map(|a| {
            let arec = format!("{rec} actor \"{}\"", a.name.get_ref());
            let kind = ActorKind::parse(a.kind.get_ref());
            if kind.is_none() {
                d.push(
                    Some(a.kind.span().start),
                    &arec,
                    "kind",
                    format!(
                        "unknown actor kind `{}` (expected one of {})",
                        a.kind.get_ref(),
                        ActorKind::spellings()
                    ),
                );
            }
            let home = ActorHome::parse(a.country.get_ref());
            if home.is_none() {
                d.push(
                    Some(a.country.span().start),
                    &arec,
                    "country",
                    format!(
                        "`{}` is not an ISO 3166-1 alpha-3 code, EU27 or INT",
                        a.country.get_ref()
                    ),
                );
            }
            let source = d.source(&a.source, &arec, "source");
            let relevance = actor_relevance(
                d,
                a.relevance.as_ref(),
                home.as_ref(),
                &arec,
                a.name.span().start,
            );
            Some(Actor {
                name: a.name.get_ref().clone(),
                kind: kind?,
                home: home?,
                role: a.role.clone(),
                source,
                relevance: relevance?,
            })
        })
        .collect()
}
