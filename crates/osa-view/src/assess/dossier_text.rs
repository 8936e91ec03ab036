//! The dossier printed: JSON, the instruments as CSV, and readable text or Markdown step by step.

use super::{
    ACTORS_NOTE, DossierView, InputSharesView, InstrumentView, NO_COUNTERPARTS, NO_ECOSYSTEM,
};
use crate::format::{self, Format, RenderError, cut, table, words};
use osa_assess::Dimension;

/// Prints a dossier as readable text (table) or Markdown.
pub fn render_dossier(v: &DossierView, format: Format) -> Result<String, RenderError> {
    render_dossier_signed(v, format).map(|s| format::unsigned_zero(&s))
}

fn render_dossier_signed(v: &DossierView, format: Format) -> Result<String, RenderError> {
    match format {
        Format::Json => format::json(v),
        Format::Html => Ok(crate::html::dossier_page(v)),
        Format::Csv | Format::Xlsx | Format::Parquet => {
            let rows: Vec<Vec<String>> = v
                .instruments
                .iter()
                .enumerate()
                .map(|(k, i)| {
                    vec![
                        (k + 1).to_string(),
                        i.id.clone(),
                        i.name.clone(),
                        i.tier.to_string(),
                        i.score.to_string(),
                        i.rationale.clone(),
                    ]
                })
                .collect();
            format::csv(&["rank", "id", "name", "tier", "score", "rationale"], &rows)
        }
        Format::Table | Format::Md => Ok(dossier_text(v, format == Format::Md)),
    }
}

fn dossier_text(v: &DossierView, md: bool) -> String {
    let mut out = String::new();
    out.push_str(&if md || v.seed_lines.is_empty() {
        format!("{}{} ({})\n\n", if md { "# " } else { "" }, v.name, v.kind)
    } else {
        format!(
            "{} ({}, the report's lines {})\n",
            v.name,
            v.kind,
            v.seed_lines.trim_start_matches('L')
        )
    });
    out.push_str(&format!("{}\n", v.summary));
    out.push_str(&format!(
        "Judged by {} on {}: {}\n",
        v.judgment["author"].as_str().unwrap_or(""),
        v.judgment["date"].as_str().unwrap_or(""),
        v.judgment["method"].as_str().unwrap_or("")
    ));
    if let Some(f) = &v.osa_construction {
        out.push_str(&format!(
            "osa's construction, not the report's assessment: {} [{}]\n",
            f.why, f.source
        ));
    }

    text_step1(v, md, &mut out);
    text_step2(v, md, &mut out);
    text_step3(v, md, &mut out);
    text_step4(v, md, &mut out);
    out
}

/// A section heading: Markdown `#`s, or an underlined upper-case title.
fn heading(level: usize, s: &str, md: bool) -> String {
    if md {
        format!("\n{} {s}\n\n", "#".repeat(level))
    } else {
        format!(
            "\n{}\n{}\n",
            s.to_uppercase(),
            "=".repeat(s.chars().count())
        )
    }
}

/// Step 1 of the dossier text: scope, EU chokepoints, major suppliers.
fn text_step1(v: &DossierView, md: bool, out: &mut String) {
    let h = |level: usize, s: &str| heading(level, s, md);
    if v.ecosystem.is_none() {
        out.push_str(&h(2, "Step 1 - Ecosystem"));
        out.push_str(NO_ECOSYSTEM);
        out.push('\n');
    }
    if let Some(e) = &v.ecosystem {
        out.push_str(&h(2, "Step 1 - Ecosystem"));
        out.push_str(&format!(
            "ecosystem `{}`, scope: {}\n",
            e.id,
            e.scope.join(", ")
        ));
        let choke: Vec<String> = e
            .eu_chokepoints
            .iter()
            .map(|c| {
                // The input's name for people, its code for the data (ETO codes say nothing).
                format!(
                    "{} ({}) {:.0}%",
                    c["name"].as_str().unwrap_or(""),
                    c["id"].as_str().unwrap_or(""),
                    c["share"].as_f64().unwrap_or(0.0) * 100.0
                )
            })
            .collect();
        out.push_str(&format!(
            "EU holds half or more of: {}\n",
            if choke.is_empty() {
                "nothing in scope".to_string()
            } else {
                choke.join(", ")
            }
        ));
        let sup: Vec<String> = e
            .major_suppliers
            .iter()
            .map(|c| {
                format!(
                    "{} {:.0}% ({})",
                    c["country"].as_str().unwrap_or(""),
                    c["share"].as_f64().unwrap_or(0.0) * 100.0,
                    c["input"].as_str().unwrap_or("")
                )
            })
            .collect();
        out.push_str(&format!(
            "major non-EU suppliers ({:.0}% or more of an input in scope): {}\n",
            e.major_supplier_min_share * 100.0,
            if sup.is_empty() {
                "none".to_string()
            } else {
                sup.join(", ")
            }
        ));
        text_concentration(&e.supplier_shares, md, out);
    }
}

/// Step 1's concentration table: per input in scope with country shares, its largest supplier,
/// its HHI and the sources of the rows behind them.
fn text_concentration(inputs: &[InputSharesView], md: bool, out: &mut String) {
    if inputs.is_empty() {
        return;
    }
    out.push_str("concentration of each input in scope (country shares of the world market):\n");
    let rows: Vec<Vec<String>> = inputs
        .iter()
        .map(|i| {
            vec![
                format!("{} ({})", i.name, i.id),
                i.year.to_string(),
                i.shares
                    .first()
                    .map_or("–".to_string(), |(c, s)| format!("{c} {:.0}%", s * 100.0)),
                format!("{:.2}", i.hhi),
                i.sources.join("; "),
            ]
        })
        .collect();
    out.push_str(&table(
        &["input", "year", "largest supplier", "HHI", "sources"],
        &rows,
        md,
    ));
    out.push('\n');
}

/// Step 2 of the dossier text: judged and computed levels, ranges, signals, evidence, tensions.
fn text_step2(v: &DossierView, md: bool, out: &mut String) {
    let h = |level: usize, s: &str| heading(level, s, md);
    out.push_str(&h(2, "Step 2 - Four dimensions"));
    let rows: Vec<Vec<String>> = Dimension::ALL
        .iter()
        .map(|d| {
            let x = &v.dimensions[d.id()];
            vec![
                d.name().to_string(),
                x.judged.short(),
                x.computed
                    .as_ref()
                    .map_or("–".to_string(), |c| c.level.to_string()),
                format!("{} ({})", words(x.judged.basis.kind), words(x.agreement)),
                cut(&x.judged.rationale, 90),
            ]
        })
        .collect();
    out.push_str(&format::table(
        &[
            "dimension",
            "judged",
            "computed",
            "basis (agreement)",
            "rationale",
        ],
        &rows,
        md,
    ));
    out.push_str(&format!("{}\n", osa_assess::agreement::DEFINITION));
    for d in Dimension::ALL {
        let x = &v.dimensions[d.id()];
        out.push_str(&format!("\n{} evidence:\n", d.name()));
        if x.judged.evidence.is_empty() && x.computed.is_none() {
            out.push_str("  none recorded\n");
        }
        for n in x.judged.notes() {
            out.push_str(&format!("  * {n}\n"));
        }
        for e in &x.judged.evidence {
            out.push_str(&format!("  - {} [{}]\n", e.text, e.source));
        }
        if let Some(c) = &x.computed {
            out.push_str(&format!("  computed level {} ({}):\n", c.level, c.formula));
            for i in &c.indicators {
                // An indicator without detail (none of the inputs counts) ends at its value.
                let detail = match i.detail.trim() {
                    "" => String::new(),
                    d => format!(": {d}"),
                };
                out.push_str(&format!("    {} = {:.3}{detail}\n", i.name, i.value));
            }
        }
    }
    if !v.tensions.is_empty() {
        out.push_str(&h(3, "Tensions"));
        for t in &v.tensions {
            out.push_str(&format!(
                "  - [{}, {}] {}: {}{}\n",
                words(t.kind),
                words(t.relation),
                t.dimensions
                    .iter()
                    .map(|d| words(d))
                    .collect::<Vec<_>>()
                    .join(" vs "),
                t.text,
                t.source
                    .as_ref()
                    .map_or(String::new(), |s| format!(" [{s}]"))
            ));
        }
    }
}

/// Step 3 of the dossier text: stance, likelihood and risk per counterpart and dimension.
fn text_step3(v: &DossierView, md: bool, out: &mut String) {
    let h = |level: usize, s: &str| heading(level, s, md);
    out.push_str(&h(2, "Step 3 - Geopolitical context"));
    if v.geopolitics.counterparts.is_empty() {
        out.push_str(NO_COUNTERPARTS);
        out.push('\n');
        return;
    }
    let rows: Vec<Vec<String>> = v
        .geopolitics
        .counterparts
        .iter()
        .flat_map(|c| {
            Dimension::ALL.iter().map(move |d| {
                let r = &c.dimensions[d.id()];
                vec![
                    c.country.clone(),
                    words(d.id()),
                    words(r.stance),
                    format!("{:.2}", r.likelihood),
                    format!("{:.2}", r.risk),
                    format!("{:.2}", r.tolerance),
                    if r.beyond_tolerance {
                        "BEYOND".into()
                    } else {
                        "within".into()
                    },
                ]
            })
        })
        .collect();
    out.push_str(&format::table(
        &[
            "country",
            "dimension",
            "stance",
            "likelihood",
            "risk",
            "tolerance",
            "verdict",
        ],
        &rows,
        md,
    ));
    for c in &v.geopolitics.counterparts {
        out.push_str(&format!(
            "{} ({}): {}, regime {}, member of {}, ally {}, EU share of mutual leverage {}{}\n",
            c.country,
            c.name,
            words(c.relationship),
            words(c.regime.unwrap_or("unknown")),
            if c.memberships.is_empty() {
                "no listed bloc".to_string()
            } else {
                c.memberships.join(", ")
            },
            c.security_ally.as_deref().unwrap_or("no"),
            c.eu_leverage
                .map_or("unknown".to_string(), |l| format!("{:.0}%", l * 100.0)),
            if c.default_profile {
                " [no osa profile: default partner]"
            } else {
                ""
            }
        ));
    }
    out.push_str(&format!("model: {}\n", v.geopolitics.model));
}

/// What the report's tier of step 4 says before its instruments.
pub const REPORT_TIER: &str = "The report recommends (the chapter's own recommendations for this technology, quoted with their lines):";
/// What osa's tier of step 4 says before its instruments.
pub const OSA_TIER: &str = "osa's inference (rule-based suggestions, not the report's recommendations; each with the rule that fired):";

/// Step 4 of the dossier text: the priority, the instruments in two tiers (what the report
/// recommends, then osa's inference), the report's recommendations that name no instrument, the
/// actors to watch.
fn text_step4(v: &DossierView, md: bool, out: &mut String) {
    let h = |level: usize, s: &str| heading(level, s, md);
    out.push_str(&h(2, "Step 4 - Toolkit"));
    out.push_str(&format!(
        "Priority: {}\n({})\n",
        v.priority.text, v.priority.rule
    ));
    let mut tier = "";
    for (k, i) in v.instruments.iter().enumerate() {
        if i.tier != tier {
            tier = i.tier;
            let title = if tier == "report" {
                REPORT_TIER
            } else {
                OSA_TIER
            };
            out.push_str(&format!("\n{title}\n"));
        }
        out.push_str(&instrument_text(k + 1, i));
    }
    let untagged: Vec<String> = v
        .recommendations
        .iter()
        .filter(|r| r.instruments.is_empty())
        .map(|r| {
            format!(
                "  - \u{201c}{}\u{201d} ({})\n",
                r.quote.as_deref().unwrap_or(&r.text),
                r.source
            )
        })
        .collect();
    if !untagged.is_empty() {
        out.push_str("\nThe report also recommends (no instrument of osa's toolkit named):\n");
        out.push_str(&untagged.concat());
    }
    if !v.actors.is_empty() {
        out.push_str(&h(2, "Actors to watch"));
        let rows: Vec<Vec<String>> = v
            .actors
            .iter()
            .map(|a| {
                vec![
                    a.name.clone(),
                    words(a.kind),
                    a.country.clone(),
                    format!("{} [{}]", a.relevance.level, a.relevance.source),
                    cut(&a.role, 70),
                    a.source.clone(),
                ]
            })
            .collect();
        out.push_str(&format::table(
            &["actor", "kind", "country", "relevance", "role", "source"],
            &rows,
            md,
        ));
        out.push_str(ACTORS_NOTE);
    }
}

/// One instrument of step 4: its rank, name and label (with the score in osa's tier), then its
/// rationale.
fn instrument_text(rank: usize, i: &InstrumentView) -> String {
    let label = if i.tier == "report" {
        format!("[{}]", i.label)
    } else {
        format!("[{}, score {:.1}]", i.label, i.score)
    };
    format!("{rank}. {} {label}\n   {}\n", i.name, i.rationale)
}
