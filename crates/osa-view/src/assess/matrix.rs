//! The matrix of technologies x dimensions (osa's reading of the report's text, not its Figure
//! 0.1): its cells and rows, and its table, Markdown and CSV printers. Every cell says what its
//! level rests on (judged, computed from step 1's data, or both, and whether the two agree), and a
//! row that is osa's construction rather than the report's assessment says so.

use crate::format::{self, Format, RenderError};
use osa_assess::agreement::{Agreement, Basis};
use osa_assess::technology::{Flag, Technology};
use osa_assess::{Dimension, Level};
use serde::Serialize;
use std::collections::BTreeMap;

/// Where the matrix comes from and the report's own caveat on reading it, carried by every matrix
/// output (table, Markdown, CSV, HTML, and the JSON field `caveat`).
pub const MATRIX_CAVEAT: &str = "These levels are osa's readings of the report's text, chapter by chapter; they are not the report's Figure 0.1 (an image of which the text gives only the caption). The report's own caveat applies: risk is hard to compare across technologies, ranking within one technology is easier, the cross-technology summary 'needs to be taken with a pinch of salt', and there is no clearly defined ranking of concerns across technologies (seed L139-148).";

/// An evidence item.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceView {
    /// What the source says.
    pub text: String,
    /// Where (e.g. `seed L1649-1655`).
    pub source: String,
}

/// A dimension in the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixCell {
    /// Level 0-4, or null where the report is silent.
    pub level: Option<u8>,
    /// The scale's words for the level.
    pub label: Option<&'static str>,
    /// Whether the report is silent.
    pub silent: bool,
    /// Why.
    pub rationale: String,
    /// Evidence.
    pub evidence: Vec<EvidenceView>,
    /// Defensible levels where the level is contestable, or null.
    pub range: Option<RangeView>,
    /// Divergent signals within the cell (several notifications in one box); empty when one level
    /// says it all.
    pub signals: Vec<SignalView>,
    /// What the level rests on: judged, computed from step 1's data, or both, and whether they
    /// agree.
    pub basis: BasisView,
}

/// What a cell's level rests on.
#[derive(Debug, Clone, Serialize)]
pub struct BasisView {
    /// `judged_only`, `computed_only`, `both` or `neither`.
    pub kind: &'static str,
    /// The level computed from step 1's ecosystem data, or null where there is none.
    pub computed: Option<u8>,
    /// Where both exist: `agree` (equal), `close` (one level apart) or `disagree` (two or more
    /// apart); otherwise null.
    pub agreement: Option<&'static str>,
}

impl BasisView {
    /// Of a judged and a computed level.
    pub fn of(judged: Option<Level>, computed: Option<Level>) -> BasisView {
        BasisView {
            kind: Basis::of(judged, computed).as_str(),
            computed: computed.map(Level::value),
            agreement: Agreement::of(judged, computed).comparison(),
        }
    }
}

/// A flag on a row with its reason and lines.
#[derive(Debug, Clone, Serialize)]
pub struct FlagView {
    /// Why.
    pub why: String,
    /// Where the report says so.
    pub source: String,
}

impl FlagView {
    /// The view of a technology's flag.
    pub fn of(f: &Flag) -> FlagView {
        FlagView {
            why: f.why.clone(),
            source: f.source.to_string(),
        }
    }
}

/// Where a level is contestable.
#[derive(Debug, Clone, Serialize)]
pub struct RangeView {
    /// Lowest defensible level.
    pub low: u8,
    /// Highest defensible level.
    pub high: u8,
    /// Why.
    pub reason: String,
    /// Lines supporting the other reading.
    pub sources: Vec<String>,
}

/// One of several signals in a cell.
#[derive(Debug, Clone, Serialize)]
pub struct SignalView {
    /// `risk` or `benefit`.
    pub kind: &'static str,
    /// The level this signal alone gives.
    pub level: u8,
    /// What it is.
    pub text: String,
    /// Where the report says it.
    pub sources: Vec<String>,
}

impl MatrixCell {
    /// The cell in a few characters: `3`, `2 (1-2)` with a range, `0 [benefit 0, risk 2]` with
    /// signals, `–` where the report is silent.
    pub fn short(&self) -> String {
        let mut out = level_str(self.level);
        if let Some(r) = &self.range {
            out.push_str(&format!(" ({}-{})", r.low, r.high));
        }
        if !self.signals.is_empty() {
            let sig: Vec<String> = self
                .signals
                .iter()
                .map(|x| format!("{} {}", x.kind, x.level))
                .collect();
            out.push_str(&format!(" [{}]", sig.join(", ")));
        }
        out
    }

    /// What the level rests on, in a few characters: `J` judged only, `C2` computed only (level 2),
    /// `J=C3`, `J~C2` or `J≠C1` both (agree, close, disagree), nothing where there is neither.
    pub fn basis_mark(&self) -> String {
        let computed = self.basis.computed.map_or(String::new(), |c| c.to_string());
        match (self.basis.kind, self.basis.agreement) {
            ("judged_only", _) => "J".into(),
            ("computed_only", _) => format!("C{computed}"),
            ("both", Some("agree")) => format!("J=C{computed}"),
            ("both", Some("close")) => format!("J~C{computed}"),
            ("both", _) => format!("J≠C{computed}"),
            _ => String::new(),
        }
    }

    /// The cell with its basis: [`MatrixCell::short`] then [`MatrixCell::basis_mark`].
    pub fn short_with_basis(&self) -> String {
        let mark = self.basis_mark();
        if mark.is_empty() {
            self.short()
        } else {
            format!("{} {mark}", self.short())
        }
    }

    /// Lines explaining the range and signals of a cell (empty when it has neither).
    pub fn notes(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(r) = &self.range {
            out.push(format!(
                "range {}-{}: {} [{}]",
                r.low,
                r.high,
                r.reason,
                r.sources.join(", ")
            ));
        }
        for x in &self.signals {
            out.push(format!(
                "{} (level {}): {} [{}]",
                x.kind,
                x.level,
                x.text,
                x.sources.join(", ")
            ));
        }
        out
    }
}

/// A technology row of the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// `case` or `example`.
    pub kind: &'static str,
    /// Chapter lines.
    pub seed_lines: String,
    /// Dimension id to cell.
    pub dimensions: BTreeMap<&'static str, MatrixCell>,
    /// Set where the row is osa's construction rather than the report's assessment (the AI-ethics
    /// chapter, which the report keeps outside its risk assessment, seed L160-164); null otherwise.
    pub osa_construction: Option<FlagView>,
}

/// The matrix (`osa matrix --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct MatrixView {
    /// Rows.
    pub technologies: Vec<MatrixRow>,
    /// The level scale.
    pub scale: BTreeMap<u8, &'static str>,
    /// What the matrix is (osa's readings) and the report's caveat on comparing across rows.
    pub caveat: &'static str,
    /// How a cell's basis and agreement are defined.
    pub basis: &'static str,
}

/// A cell: the judgment, with the level computed from step 1's data where there is one.
fn cell(t: &Technology, d: Dimension, computed: Option<Level>) -> MatrixCell {
    let mut c = judged_cell(t.judged(d));
    c.basis = BasisView::of(t.level(d), computed);
    c
}

/// A cell as judged (level, rationale, evidence, range, signals), with no computed level.
pub fn judged_cell(j: &osa_assess::technology::DimensionJudgment) -> MatrixCell {
    MatrixCell {
        level: j.level.map(|l| l.value()),
        label: j.level.map(|l| l.label()),
        silent: j.is_silent(),
        rationale: j.rationale.clone(),
        evidence: j
            .evidence
            .iter()
            .map(|e| EvidenceView {
                text: e.text.clone(),
                source: e.source.to_string(),
            })
            .collect(),
        range: j.range.as_ref().map(|r| RangeView {
            low: r.low.value(),
            high: r.high.value(),
            reason: r.reason.clone(),
            sources: r.sources.iter().map(ToString::to_string).collect(),
        }),
        signals: j
            .signals
            .iter()
            .map(|x| SignalView {
                kind: x.kind.as_str(),
                level: x.level.value(),
                text: x.text.clone(),
                sources: x.sources.iter().map(ToString::to_string).collect(),
            })
            .collect(),
        basis: BasisView::of(j.level, None),
    }
}

/// Builds the matrix of the given technologies; `computed[k]` holds the levels step 1's data
/// computes for `techs[k]`, in [`Dimension::ALL`] order (none where it has no data; a shorter
/// slice means none for the rest).
pub fn matrix(techs: &[&Technology], computed: &[[Option<Level>; 4]]) -> MatrixView {
    MatrixView {
        technologies: techs
            .iter()
            .enumerate()
            .map(|(k, t)| {
                let levels = computed.get(k).copied().unwrap_or([None; 4]);
                MatrixRow {
                    id: t.id.clone(),
                    name: t.name.clone(),
                    kind: t.kind.as_str(),
                    seed_lines: t.seed_lines.clone(),
                    dimensions: Dimension::ALL
                        .iter()
                        .map(|&d| (d.id(), cell(t, d, levels[d.index()])))
                        .collect(),
                    osa_construction: t.osa_construction.as_ref().map(FlagView::of),
                }
            })
            .collect(),
        scale: (0..=4u8)
            .filter_map(|v| osa_assess::Level::new(i64::from(v)).map(|l| (v, l.label())))
            .collect(),
        caveat: MATRIX_CAVEAT,
        basis: osa_assess::agreement::DEFINITION,
    }
}

/// A row's name as printed: with a dagger where the row is osa's construction.
pub fn row_name(t: &MatrixRow) -> String {
    if t.osa_construction.is_some() {
        format!("{} †", t.name)
    } else {
        t.name.clone()
    }
}

/// The footnote of every row that is osa's construction (`† name: why [source]`).
pub fn construction_notes(m: &MatrixView) -> Vec<String> {
    m.technologies
        .iter()
        .filter_map(|t| {
            t.osa_construction.as_ref().map(|f| {
                format!(
                    "† {}: osa's construction, not the report's assessment. {} [{}]",
                    t.name, f.why, f.source
                )
            })
        })
        .collect()
}

fn level_str(l: Option<u8>) -> String {
    l.map_or("–".to_string(), |v| v.to_string())
}

/// Prints the matrix.
pub fn render_matrix(m: &MatrixView, format: Format) -> Result<String, RenderError> {
    render_matrix_signed(m, format).map(|s| format::unsigned_zero(&s))
}

fn render_matrix_signed(m: &MatrixView, format: Format) -> Result<String, RenderError> {
    let header = [
        "technology",
        "kind",
        "supply resilience",
        "national security",
        "values & sust.",
        "competitiveness",
    ];
    let rows: Vec<Vec<String>> = m
        .technologies
        .iter()
        .map(|t| {
            let mut r = vec![row_name(t), t.kind.to_string()];
            r.extend(
                Dimension::ALL
                    .iter()
                    .map(|d| t.dimensions[d.id()].short_with_basis()),
            );
            r
        })
        .collect();
    match format {
        Format::Json => format::json(m),
        Format::Csv | Format::Xlsx | Format::Parquet => matrix_csv(m),
        Format::Html => Ok(crate::html::matrix_page(m)),
        Format::Table | Format::Md => {
            let md = format == Format::Md;
            let mut out = if md {
                format!("*{}*\n\n", m.caveat)
            } else {
                format!("{}\n\n", m.caveat)
            };
            out.push_str(&format::table(&header, &rows, md));
            out.push_str(&format!("\n{MATRIX_LEGEND}\n{BASIS_LEGEND}\n"));
            for n in construction_notes(m) {
                out.push_str(&format!("{n}\n"));
            }
            let notes = matrix_notes(m);
            if !notes.is_empty() {
                out.push_str("\nContested levels and divergent signals:\n");
                for n in notes {
                    out.push_str(&format!("{}{n}\n", if md { "- " } else { "  - " }));
                }
            }
            Ok(out)
        }
    }
}

/// The legend under every matrix.
pub const MATRIX_LEGEND: &str = "Levels: 0 none or negligible (or a net benefit), 1 low, 2 moderate or conditional, 3 high, 4 critical; – the report is silent; (a-b) the range a second reader could defend; [risk n, benefit n] divergent signals in one cell.";

/// The legend of the basis marks, under every matrix.
pub const BASIS_LEGEND: &str = "Basis: J judged only (osa's reading of the report); C2 computed only (level 2 from step 1's ecosystem data); J=C3 judged and computed agree (equal), J~C2 close (one level apart), J≠C1 disagree (two or more apart).";

/// "Technology / dimension: note" for every cell with a range or signals.
pub fn matrix_notes(m: &MatrixView) -> Vec<String> {
    let mut out = Vec::new();
    for t in &m.technologies {
        for d in Dimension::ALL {
            for n in t.dimensions[d.id()].notes() {
                out.push(format!("{} / {}: {n}", t.name, d.name()));
            }
        }
    }
    out
}

/// The matrix as CSV: per dimension its level, range (`low-high`), signals (`risk 2; benefit
/// 0`), computed level, basis and agreement; whether the row is osa's construction; the caveat in a
/// last column on every row.
fn matrix_csv(m: &MatrixView) -> Result<String, RenderError> {
    let mut header = vec!["id".to_string(), "name".into(), "kind".into()];
    for d in Dimension::ALL {
        header.extend([
            d.id().to_string(),
            format!("{}_range", d.id()),
            format!("{}_signals", d.id()),
            format!("{}_computed", d.id()),
            format!("{}_basis", d.id()),
            format!("{}_agreement", d.id()),
        ]);
    }
    header.extend(["osa_construction".into(), "caveat".into()]);
    let rows: Vec<Vec<String>> = m
        .technologies
        .iter()
        .map(|t| {
            let mut r = vec![t.id.clone(), t.name.clone(), t.kind.to_string()];
            for d in Dimension::ALL {
                let c = &t.dimensions[d.id()];
                r.push(c.level.map(|v| v.to_string()).unwrap_or_default());
                r.push(
                    c.range
                        .as_ref()
                        .map(|x| format!("{}-{}", x.low, x.high))
                        .unwrap_or_default(),
                );
                r.push(
                    c.signals
                        .iter()
                        .map(|x| format!("{} {}", x.kind, x.level))
                        .collect::<Vec<_>>()
                        .join("; "),
                );
                r.push(c.basis.computed.map(|v| v.to_string()).unwrap_or_default());
                r.push(c.basis.kind.to_string());
                r.push(c.basis.agreement.unwrap_or_default().to_string());
            }
            r.push(
                t.osa_construction
                    .as_ref()
                    .map_or(String::new(), |f| format!("{} [{}]", f.why, f.source)),
            );
            r.push(m.caveat.to_string());
            r
        })
        .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    format::csv(&header, &rows)
}
