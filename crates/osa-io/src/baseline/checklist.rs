//! The AI-application checklist (`checklist.toml`): criteria and the applications rated on them.

use super::S;
use super::diags::Diags;
use super::technology::RawJudgment;
use crate::error::Result;
use crate::text::from_toml as parse_toml;
use osa_assess::checklist::{
    Application, Assessment, Checklist, Criterion, CriterionLevel, Rating,
};
use osa_assess::technology::Judgment;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChecklist {
    title: String,
    source: S<String>,
    #[serde(default)]
    note: String,
    criteria: Vec<RawCriterion>,
    applications: Vec<RawApplication>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    id: S<String>,
    level: S<String>,
    number: u32,
    title: String,
    question: String,
    guidance: String,
    source: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApplication {
    id: S<String>,
    name: String,
    firm: String,
    country: S<String>,
    source: S<String>,
    judgment: RawJudgment,
    assessments: Vec<RawAssessment>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAssessment {
    criterion: S<String>,
    rating: S<String>,
    text: String,
    source: S<String>,
}

/// Parses the AI-application checklist: its criteria, then the applications rated on them.
pub fn parse_checklist(text: &str, file: &str) -> Result<Checklist> {
    let raw: RawChecklist = parse_toml(text, file)?;
    let mut d = Diags::new(file, text);
    let source = d.source(&raw.source, "checklist", "source");
    let criteria: Vec<Criterion> = raw.criteria.iter().map(|c| criterion(&mut d, c)).collect();
    let applications = raw
        .applications
        .iter()
        .filter_map(|a| application(&mut d, a, &criteria))
        .collect();
    d.finish(Checklist {
        title: raw.title,
        source,
        note: raw.note,
        criteria,
        applications,
    })
}

/// One criterion, macro or micro.
fn criterion(d: &mut Diags, c: &RawCriterion) -> Criterion {
    let rec = format!("criterion \"{}\"", c.id.get_ref());
    let level = match c.level.get_ref().as_str() {
        "macro" => CriterionLevel::Macro,
        "micro" => CriterionLevel::Micro,
        other => {
            d.push(
                Some(c.level.span().start),
                &rec,
                "level",
                format!("`{other}` is not macro or micro"),
            );
            CriterionLevel::Micro
        }
    };
    Criterion {
        id: c.id.get_ref().clone(),
        level,
        number: c.number,
        title: c.title.clone(),
        question: c.question.clone(),
        guidance: c.guidance.clone(),
        source: d.source(&c.source, &rec, "source"),
    }
}

/// One application with its judgment and its ratings on known criteria.
fn application(d: &mut Diags, a: &RawApplication, criteria: &[Criterion]) -> Option<Application> {
    let rec = format!("application \"{}\"", a.id.get_ref());
    let country = d.country(&a.country, &rec, "country");
    let source = d.source(&a.source, &rec, "source");
    d.date(&a.judgment.date, &rec, "judgment.date");
    let assessments = a
        .assessments
        .iter()
        .map(|x| assessment(d, x, criteria, &rec))
        .collect();
    Some(Application {
        id: a.id.get_ref().clone(),
        name: a.name.clone(),
        firm: a.firm.clone(),
        country: country?,
        source,
        judgment: Judgment {
            author: a.judgment.author.clone(),
            date: a.judgment.date.get_ref().clone(),
            method: a.judgment.method.clone(),
        },
        assessments,
    })
}

/// One rating of an application on a criterion.
fn assessment(d: &mut Diags, x: &RawAssessment, criteria: &[Criterion], rec: &str) -> Assessment {
    if !criteria.iter().any(|c| &c.id == x.criterion.get_ref()) {
        d.push(
            Some(x.criterion.span().start),
            rec,
            "assessments.criterion",
            format!("unknown criterion `{}`", x.criterion.get_ref()),
        );
    }
    let rating = Rating::parse(x.rating.get_ref()).unwrap_or_else(|| {
        d.push(
            Some(x.rating.span().start),
            rec,
            "assessments.rating",
            format!(
                "unknown rating `{}` (expected concern, partial, no_concern or unknown)",
                x.rating.get_ref()
            ),
        );
        Rating::Unknown
    });
    Assessment {
        criterion: x.criterion.get_ref().clone(),
        rating,
        text: x.text.clone(),
        source: d.source(&x.source, rec, "assessments.source"),
    }
}
