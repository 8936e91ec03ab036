//! Workbooks of many tables: a dossier as one sheet per table (instruments, the four dimensions,
//! their evidence with full citations, the computed indicators with their formulas, the risk of
//! each counterpart on each dimension), for `--format xlsx`.

use crate::assess::{DossierView, render_dossier};
use crate::format::{self, Format, RenderError, r6, words};
use osa_assess::Dimension;

/// A dossier's tables for a workbook, one sheet each: (sheet name, CSV). The first, `instruments`,
/// is the dossier's CSV output; then the four dimensions, their evidence with full citations, the
/// computed indicators, and the risk of each counterpart on each dimension.
pub fn dossier_sheets(v: &DossierView) -> Result<Vec<(String, String)>, RenderError> {
    let mut dims = Vec::new();
    let mut evidence = Vec::new();
    let mut indicators = Vec::new();
    for d in Dimension::ALL {
        let x = &v.dimensions[d.id()];
        dims.push(vec![
            d.name().to_string(),
            x.judged.level.map(|l| l.to_string()).unwrap_or_default(),
            x.computed
                .as_ref()
                .map(|c| c.level.to_string())
                .unwrap_or_default(),
            words(x.agreement),
            x.judged.rationale.clone(),
        ]);
        for e in &x.judged.evidence {
            evidence.push(vec![
                d.name().to_string(),
                e.text.clone(),
                e.source.clone(),
                crate::bibliography::cite(&e.source),
            ]);
        }
        for i in x.computed.iter().flat_map(|c| &c.indicators) {
            indicators.push(vec![
                d.name().to_string(),
                i.name.clone(),
                r6(i.value).to_string(),
                i.detail.clone(),
                x.computed
                    .as_ref()
                    .map(|c| c.formula.to_string())
                    .unwrap_or_default(),
            ]);
        }
    }
    let risks = risk_rows(v);
    Ok(vec![
        ("instruments".into(), render_dossier(v, Format::Csv)?),
        (
            "dimensions".into(),
            format::csv(
                &["dimension", "judged", "computed", "agreement", "rationale"],
                &dims,
            )?,
        ),
        (
            "evidence".into(),
            format::csv(&["dimension", "text", "source", "citation"], &evidence)?,
        ),
        (
            "indicators".into(),
            format::csv(
                &["dimension", "indicator", "value", "detail", "formula"],
                &indicators,
            )?,
        ),
        (
            "risks".into(),
            format::csv(
                &[
                    "country",
                    "dimension",
                    "stance",
                    "likelihood",
                    "severity",
                    "risk",
                    "tolerance",
                    "beyond_tolerance",
                ],
                &risks,
            )?,
        ),
    ])
}

/// One row per counterpart and dimension: stance, likelihood, severity, risk, tolerance, verdict.
fn risk_rows(v: &DossierView) -> Vec<Vec<String>> {
    v.geopolitics
        .counterparts
        .iter()
        .flat_map(|c| {
            Dimension::ALL.iter().map(move |d| {
                let r = &c.dimensions[d.id()];
                vec![
                    c.country.clone(),
                    d.name().to_string(),
                    words(r.stance),
                    r6(r.likelihood).to_string(),
                    r6(r.severity).to_string(),
                    r6(r.risk).to_string(),
                    r6(r.tolerance).to_string(),
                    r.beyond_tolerance.to_string(),
                ]
            })
        })
        .collect()
}
