//! The AI-application checklist printed: criteria, and the reference applications' ratings.

use crate::format::{self, Format, RenderError, cut};
use osa_assess::checklist::Checklist;

/// Prints the checklist: criteria, and the reference applications' ratings.
pub fn render_checklist(c: &Checklist, format: Format) -> Result<String, RenderError> {
    render_checklist_signed(c, format).map(|s| format::unsigned_zero(&s))
}

fn render_checklist_signed(c: &Checklist, format: Format) -> Result<String, RenderError> {
    match format {
        Format::Json => {
            let v = serde_json::json!({
                "title": c.title,
                "source": c.source.to_string(),
                "note": c.note,
                "criteria": c.criteria.iter().map(|x| serde_json::json!({
                    "id": x.id, "level": x.level.as_str(), "number": x.number, "title": x.title,
                    "question": x.question, "guidance": x.guidance, "source": x.source.to_string()
                })).collect::<Vec<_>>(),
                "applications": c.applications.iter().map(|a| serde_json::json!({
                    "id": a.id, "name": a.name, "firm": a.firm, "country": a.country.to_string(),
                    "source": a.source.to_string(),
                    "judgment": {"author": a.judgment.author, "date": a.judgment.date, "method": a.judgment.method},
                    "tally": {"concern": a.tally()[0], "partial": a.tally()[1], "no_concern": a.tally()[2], "unknown": a.tally()[3]},
                    "assessments": a.assessments.iter().map(|x| serde_json::json!({
                        "criterion": x.criterion, "rating": x.rating.as_str(), "text": x.text, "source": x.source.to_string()
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            });
            format::json(&v)
        }
        _ => {
            let mut header = vec!["#", "level", "criterion"];
            header.extend(c.applications.iter().map(|a| a.name.as_str()));
            let rows: Vec<Vec<String>> = c
                .criteria
                .iter()
                .map(|x| {
                    let mut r = vec![
                        x.number.to_string(),
                        x.level.as_str().to_string(),
                        cut(&x.title, 60),
                    ];
                    r.extend(c.applications.iter().map(|a| {
                        a.rating(&x.id)
                            .map_or("–".to_string(), |r| r.rating.as_str().to_string())
                    }));
                    r
                })
                .collect();
            match format {
                Format::Csv | Format::Xlsx | Format::Parquet => format::csv(&header, &rows),
                _ => {
                    let mut out = format!("{}\n({})\n", c.title, c.source);
                    out.push_str(&format::table(&header, &rows, format == Format::Md));
                    out.push_str(&format!("{}\n", c.note));
                    Ok(out)
                }
            }
        }
    }
}
