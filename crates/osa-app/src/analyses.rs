//! The analyst's own analyses in `osa report`: results saved as JSON by osa's commands (screen,
//! crm, geopolrisk, simulate, metrics, ...) and named scenarios run for the report, each turned
//! into a page of its own next to the baseline's dossiers.

use crate::{Answer, AppError, Result};
use osa_view::Format;
use std::path::Path;

/// One analysis for the report.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// A heading (`Screening: screen-eu.json`).
    pub title: String,
    /// Where it comes from (the file, or the scenario and run).
    pub source: String,
    /// The table as CSV.
    pub csv: String,
    /// A standalone HTML page (table and charts).
    pub html: String,
}

/// What kind of osa output a JSON array's first row is, from its fields.
fn kind_of(row: &serde_json::Map<String, serde_json::Value>) -> &'static str {
    let has = |k: &str| row.contains_key(k);
    if has("product") && has("hhi") {
        "Trade screening"
    } else if has("material") && has("sr") {
        "Critical raw materials supply risk"
    } else if has("commodity") && has("import_risk") {
        "GeoPolRisk"
    } else if has("availability") && has("order") {
        "Disruption"
    } else if has("hhi") {
        "Concentration metrics"
    } else {
        "Results"
    }
}

/// An analysis from a JSON file osa wrote (`--format json`): an array of records whose scalar
/// fields become the table's columns.
pub fn from_json_file(path: &Path) -> Result<Analysis> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| AppError::data(format!("could not read {}", path.display()), e))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| AppError::data(format!("{} is not JSON", path.display()), e))?;
    let rows = value.as_array().filter(|a| !a.is_empty()).ok_or_else(|| {
        AppError::invalid(
            "--include",
            format!(
                "{}: expected the JSON rows of an osa command (--format json), an array",
                path.display()
            ),
        )
    })?;
    let first = rows[0].as_object().ok_or_else(|| {
        AppError::invalid(
            "--include",
            format!("{}: rows are not objects", path.display()),
        )
    })?;
    let header: Vec<&str> = first
        .iter()
        .filter(|(_, v)| !v.is_array() && !v.is_object())
        .map(|(k, _)| k.as_str())
        .collect();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            header
                .iter()
                .map(|h| match &r[*h] {
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::String(s) => s.clone(),
                    v => v.to_string(),
                })
                .collect()
        })
        .collect();
    let csv = osa_view::format::csv(&header, &cells)
        .map_err(|e| AppError::data("could not tabulate the results", e))?;
    let name = path
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let title = format!("{}: {name}", kind_of(first));
    let html = osa_view::html::table_page(&title, &csv, &[]);
    Ok(Analysis {
        title,
        source: format!("{} ({} rows)", path.display(), rows.len()),
        csv,
        html,
    })
}

/// An analysis from a named scenario (or scenario file) run with `draws` Monte Carlo draws on
/// its ecosystem.
pub fn from_scenario(name: &str, draws: usize) -> Result<Answer<Analysis>> {
    let a = crate::simulate::assemble(&crate::simulate::ScenarioSpec {
        scenario: Some(name.to_string()),
        ..Default::default()
    })?;
    let loaded = crate::simulate::ecosystem_for(None, &a.scenario)?;
    let mut warnings = loaded.warnings;
    let loaded = loaded.value;
    let blocs = crate::ecosystem::blocs(&loaded, &[])?;
    let run = osa_disrupt::simulate::RunOptions {
        draws,
        seed: osa_disrupt::simulate::DEFAULT_SEED,
        threads: 1,
    };
    let out = crate::simulate::run(&loaded, &blocs, &a.scenario, &Default::default(), &run)?;
    warnings.extend(out.warnings);
    let rows = crate::simulate::rows(&loaded, &out.value);
    let render = |f| {
        osa_view::disrupt::render_simulate(&rows, f)
            .map_err(|e| AppError::data("could not render the run", e))
    };
    let title = format!("Disruption: {}", a.scenario.name);
    Ok(Answer {
        value: Analysis {
            title,
            source: format!(
                "scenario {} on ecosystem {}, {draws} Monte Carlo draws (seed {})",
                a.scenario.id,
                loaded.checked.ecosystem().id,
                run.seed
            ),
            csv: render(Format::Csv)?,
            html: render(Format::Html)?,
        },
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_rows_become_a_table() {
        let dir = tempfile::tempdir().expect("temp dir");
        let f = dir.path().join("crm.json");
        std::fs::write(
            &f,
            r#"[{"material":"Gallium","sr":3.74,"stage":"P","terms":[1,2]},{"material":"Neon","sr":null,"stage":"P","terms":[]}]"#,
        )
        .expect("write");
        let a = from_json_file(&f).expect("analysis");
        assert_eq!(a.title, "Critical raw materials supply risk: crm.json");
        assert_eq!(a.csv, "material,sr,stage\nGallium,3.74,P\nNeon,,P\n");
        assert!(a.html.contains("<td>Gallium</td>"));
        std::fs::write(&f, "{}").expect("write");
        assert!(from_json_file(&f).is_err());
    }

    #[test]
    fn a_named_scenario_runs_for_the_report() {
        let a = from_scenario("noble-gas-shortage", 50).expect("runs").value;
        assert!(a.title.starts_with("Disruption: "));
        assert!(a.csv.starts_with("id,name,kind,order,availability"));
        assert!(a.html.contains("<svg"), "the availability chart");
    }
}
