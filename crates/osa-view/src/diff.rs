//! View and printers of the comparison of two ecosystem snapshots (`osa diff OLD NEW`): inputs added
//! and removed, and per input present in both its top holder, HHI, watched holders' shares and
//! chokepoints in each snapshot, with the changes beyond the thresholds and the provision rows behind
//! them. JSON fields are documented in docs/json.md.

use crate::ecosystem::{SourceRow, source_rows};
use crate::format::{self, Format, RenderError, cut, num3, pct, r6, r6o};
use osa_ecosystem::{EcosystemDiff, InputChange, InputComparison, Reading, Standing, YearChoice};
use osa_model::Checked;
use serde::Serialize;
use std::collections::BTreeMap;

/// The rules a change follows (stated in every output).
pub const DIFF_RULES: &str = "inputs matched by id; each snapshot read at its own year (latest unless chosen); a change when the top holder changes (no country leads, alone or tied, in both), a watched holder's share moves by at least min_share_points, the HHI moves by at least min_hhi, the input becomes or stops being a chokepoint of a watched holder (share >= min_share), or it has shares in one snapshot only (coverage); shares, HHI and chokepoints compared only where both snapshots have shares";

/// One snapshot as the diff names it.
#[derive(Debug, Clone, Serialize)]
pub struct SnapshotInfo {
    /// The ECOSYSTEM argument as given (file, ETO directory, built-in name).
    pub source: String,
    /// Ecosystem id.
    pub id: String,
    /// Ecosystem name.
    pub name: String,
    /// Number of inputs.
    pub n_inputs: usize,
    /// The year asked for; `null`: the latest year each input has.
    pub year: Option<i32>,
}

/// The thresholds applied.
#[derive(Debug, Clone, Serialize)]
pub struct ThresholdView {
    /// Chokepoint threshold, 0-1.
    pub min_share: f64,
    /// Share move threshold, percentage points.
    pub min_share_points: f64,
    /// HHI move threshold, 0-1.
    pub min_hhi: f64,
}

/// An input in one snapshot only.
#[derive(Debug, Clone, Serialize)]
pub struct InputRef {
    /// Input id.
    pub id: String,
    /// Input name.
    pub name: String,
}

/// What one snapshot says about an input.
#[derive(Debug, Clone, Serialize)]
pub struct StandingView {
    /// Year of the shares; `null` without share data.
    pub year: Option<i32>,
    /// Largest supplier country (or region).
    pub top_holder: Option<String>,
    /// Its share, 0-1.
    pub top_share: Option<f64>,
    /// Country HHI, 0-1.
    pub hhi: Option<f64>,
    /// Watched holder to share, 0-1.
    pub holder_shares: BTreeMap<String, f64>,
    /// Watched holders holding the input as a chokepoint.
    pub chokepoints: Vec<String>,
}

/// One side of a change.
#[derive(Debug, Clone, Serialize)]
pub struct ReadingView {
    /// Year of the shares; `null` without share data.
    pub year: Option<i32>,
    /// The top holder, for `top_holder` and `coverage` changes.
    pub place: Option<String>,
    /// The share (0-1) or HHI; `null` without share data.
    pub value: Option<f64>,
    /// The provision rows the value rests on, as written in that snapshot.
    pub rows: Vec<SourceRow>,
}

/// One change.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    /// `coverage`, `top_holder`, `share`, `hhi`, `new_chokepoint` or `lost_chokepoint`.
    pub kind: &'static str,
    /// The holder, for share and chokepoint changes.
    pub holder: Option<String>,
    /// The old snapshot's reading.
    pub before: ReadingView,
    /// The new snapshot's reading.
    pub after: ReadingView,
}

/// An input present in both snapshots.
#[derive(Debug, Clone, Serialize)]
pub struct InputDiffRow {
    /// Input id.
    pub id: String,
    /// Input name in the new snapshot.
    pub name: String,
    /// Input name in the old snapshot, when it differs.
    pub old_name: Option<String>,
    /// Whether any change passed the thresholds.
    pub changed: bool,
    /// The old snapshot.
    pub before: StandingView,
    /// The new snapshot.
    pub after: StandingView,
    /// The changes.
    pub changes: Vec<ChangeView>,
}

/// The diff view (`osa diff --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct DiffView {
    /// The old snapshot.
    pub old: SnapshotInfo,
    /// The new snapshot.
    pub new: SnapshotInfo,
    /// The thresholds applied.
    pub thresholds: ThresholdView,
    /// The configured holders watched for every input.
    pub holders: Vec<String>,
    /// Whether each input's top holders (in either snapshot) were watched too.
    pub top_holders: bool,
    /// The rules.
    pub rules: &'static str,
    /// Inputs present in both snapshots.
    pub n_compared: usize,
    /// Of those, inputs with a change.
    pub n_changed: usize,
    /// Inputs in the new snapshot only.
    pub added: Vec<InputRef>,
    /// Inputs in the old snapshot only.
    pub removed: Vec<InputRef>,
    /// Inputs present in both, in the new snapshot's order.
    pub inputs: Vec<InputDiffRow>,
}

/// Builds the diff view; `sources` are the two ECOSYSTEM arguments as given.
pub fn diff_view(
    old: &Checked,
    new: &Checked,
    sources: (&str, &str),
    diff: &EcosystemDiff,
) -> DiffView {
    let input_ref = |c: &Checked, i: usize| InputRef {
        id: c.ecosystem().inputs[i].id.clone(),
        name: c.ecosystem().inputs[i].name.clone(),
    };
    let t = &diff.thresholds;
    DiffView {
        old: snapshot(old, sources.0, diff.old_year),
        new: snapshot(new, sources.1, diff.new_year),
        thresholds: ThresholdView {
            min_share: r6(t.min_share),
            min_share_points: r6(t.min_share_points),
            min_hhi: r6(t.min_hhi),
        },
        holders: diff.holders.clone(),
        top_holders: diff.top_holders,
        rules: DIFF_RULES,
        n_compared: diff.inputs.len(),
        n_changed: diff.n_changed(),
        added: diff.added.iter().map(|&j| input_ref(new, j)).collect(),
        removed: diff.removed.iter().map(|&i| input_ref(old, i)).collect(),
        inputs: diff.inputs.iter().map(|c| input_row(old, new, c)).collect(),
    }
}

fn snapshot(c: &Checked, source: &str, year: YearChoice) -> SnapshotInfo {
    SnapshotInfo {
        source: source.to_string(),
        id: c.ecosystem().id.clone(),
        name: c.ecosystem().name.clone(),
        n_inputs: c.n_inputs(),
        year: match year {
            YearChoice::Latest => None,
            YearChoice::Exact(y) => Some(y),
        },
    }
}

fn input_row(old: &Checked, new: &Checked, c: &InputComparison) -> InputDiffRow {
    let name = &new.ecosystem().inputs[c.after.input].name;
    let was = &old.ecosystem().inputs[c.before.input].name;
    InputDiffRow {
        id: c.id.clone(),
        name: name.clone(),
        old_name: (was != name).then(|| was.clone()),
        changed: !c.is_unchanged(),
        before: standing(&c.before),
        after: standing(&c.after),
        changes: c.changes.iter().map(|ch| change(old, new, c, ch)).collect(),
    }
}

fn standing(s: &Standing) -> StandingView {
    StandingView {
        year: s.year(),
        top_holder: s.top().map(|t| t.0.code().to_string()),
        top_share: r6o(s.top().map(|t| t.1)),
        hhi: r6o(s.hhi()),
        holder_shares: s
            .holder_shares
            .iter()
            .map(|(h, v)| (h.clone(), r6(*v)))
            .collect(),
        chokepoints: s.chokepoints.clone(),
    }
}

fn change(old: &Checked, new: &Checked, c: &InputComparison, ch: &InputChange) -> ChangeView {
    let reading = |checked: &Checked, input: usize, r: &Reading| ReadingView {
        year: r.year,
        place: r.place.map(|p| p.code().to_string()),
        value: r6o(r.value),
        rows: source_rows(&checked.ecosystem().inputs[input].provision, &r.rows),
    };
    ChangeView {
        kind: ch.kind.as_str(),
        holder: ch.kind.holder().map(str::to_string),
        before: reading(old, c.before.input, &ch.before),
        after: reading(new, c.after.input, &ch.after),
    }
}

/// A label for a change kind in tables.
fn label(kind: &str) -> &'static str {
    match kind {
        "coverage" => "coverage",
        "top_holder" => "top holder",
        "share" => "share",
        "hhi" => "HHI",
        "new_chokepoint" => "new chokepoint",
        "lost_chokepoint" => "lost chokepoint",
        _ => "change",
    }
}

/// A reading as table text: `CHN 98.0% (2019)`, `0.961 (2019)` or `no shares`.
fn reading_text(kind: &str, r: &ReadingView) -> String {
    let Some(year) = r.year else {
        return "no shares".to_string();
    };
    let value = if kind == "hhi" {
        num3(r.value)
    } else {
        pct(r.value)
    };
    match &r.place {
        Some(p) => format!("{p} {value} ({year})"),
        None => format!("{value} ({year})"),
    }
}

/// A standing's top holder as table text.
fn top_text(s: &StandingView) -> String {
    match (&s.top_holder, s.year) {
        (Some(p), Some(y)) => format!("{p} {} ({y})", pct(s.top_share)),
        (None, Some(y)) => format!("none attributed ({y})"),
        _ => "no shares".to_string(),
    }
}

/// Prints the diff view.
pub fn render_diff(v: &DiffView, format: Format) -> Result<String, RenderError> {
    match format {
        Format::Json => format::json(v),
        Format::Csv | Format::Xlsx | Format::Parquet => format::csv(&CSV_HEADER, &csv_rows(v)),
        Format::Table | Format::Md | Format::Html => Ok(text(v, format == Format::Md)),
    }
}

const CSV_HEADER: [&str; 10] = [
    "kind",
    "id",
    "name",
    "holder",
    "before_year",
    "before_place",
    "before_value",
    "after_year",
    "after_place",
    "after_value",
];

/// One CSV row per change, per unchanged input (`unchanged`, with its top holders) and per added or
/// removed input (`added`, `removed`).
fn csv_rows(v: &DiffView) -> Vec<Vec<String>> {
    let opt = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let year = |y: Option<i32>| y.map(|y| y.to_string()).unwrap_or_default();
    let mut rows = Vec::new();
    for r in &v.inputs {
        for c in &r.changes {
            rows.push(vec![
                c.kind.to_string(),
                r.id.clone(),
                r.name.clone(),
                c.holder.clone().unwrap_or_default(),
                year(c.before.year),
                c.before.place.clone().unwrap_or_default(),
                opt(c.before.value),
                year(c.after.year),
                c.after.place.clone().unwrap_or_default(),
                opt(c.after.value),
            ]);
        }
        if !r.changed {
            rows.push(vec![
                "unchanged".to_string(),
                r.id.clone(),
                r.name.clone(),
                String::new(),
                year(r.before.year),
                r.before.top_holder.clone().unwrap_or_default(),
                opt(r.before.top_share),
                year(r.after.year),
                r.after.top_holder.clone().unwrap_or_default(),
                opt(r.after.top_share),
            ]);
        }
    }
    for (kind, list) in [("added", &v.added), ("removed", &v.removed)] {
        for i in list {
            let mut row = vec![kind.to_string(), i.id.clone(), i.name.clone()];
            row.resize(CSV_HEADER.len(), String::new());
            rows.push(row);
        }
    }
    rows
}

/// The header lines: the two snapshots, the thresholds, the counts.
fn summary(v: &DiffView) -> String {
    let snap = |s: &SnapshotInfo| {
        let year = s
            .year
            .map_or("latest year of each input".to_string(), |y| y.to_string());
        format!("{} ({}, {} inputs, {year})", s.source, s.id, s.n_inputs)
    };
    let mut watched = v.holders.join(", ");
    if v.top_holders {
        if !watched.is_empty() {
            watched.push_str(", and ");
        }
        watched.push_str("each input's top holder in either snapshot");
    }
    format!(
        "Ecosystem diff: {} -> {}\n\
         thresholds: top holder changes; holder share moves >= {} points; HHI moves >= {}; chokepoint: share >= {}\n\
         watched holders: {watched}\n\
         {} inputs in both: {} changed, {} unchanged; {} added, {} removed\n",
        snap(&v.old),
        snap(&v.new),
        v.thresholds.min_share_points,
        v.thresholds.min_hhi,
        pct(Some(v.thresholds.min_share)),
        v.n_compared,
        v.n_changed,
        v.n_compared - v.n_changed,
        v.added.len(),
        v.removed.len(),
    )
}

/// The table (or Markdown) printout: summary, changes, added, removed, unchanged.
fn text(v: &DiffView, md: bool) -> String {
    let heading = |title: String| {
        if md {
            format!("\n## {title}\n\n")
        } else {
            format!("\n{title}\n")
        }
    };
    let mut out = summary(v);
    let changes: Vec<Vec<String>> = v
        .inputs
        .iter()
        .flat_map(|r| {
            r.changes.iter().map(|c| {
                vec![
                    r.id.clone(),
                    cut(&r.name, 36),
                    label(c.kind).to_string(),
                    c.holder.clone().unwrap_or_default(),
                    reading_text(c.kind, &c.before),
                    reading_text(c.kind, &c.after),
                ]
            })
        })
        .collect();
    out.push_str(&heading(format!("Changes ({})", changes.len())));
    let header = ["id", "input", "change", "holder", "before", "after"];
    out.push_str(&format::table(&header, &changes, md));
    for (title, list) in [
        ("Added inputs, in NEW only", &v.added),
        ("Removed inputs, in OLD only", &v.removed),
    ] {
        out.push_str(&heading(format!("{title} ({})", list.len())));
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|i| vec![i.id.clone(), cut(&i.name, 60)])
            .collect();
        out.push_str(&format::table(&["id", "input"], &rows, md));
    }
    let unchanged: Vec<Vec<String>> = v
        .inputs
        .iter()
        .filter(|r| !r.changed)
        .map(|r| {
            vec![
                r.id.clone(),
                cut(&r.name, 36),
                top_text(&r.before),
                top_text(&r.after),
                num3(r.before.hhi),
                num3(r.after.hhi),
            ]
        })
        .collect();
    out.push_str(&heading(format!("Unchanged inputs ({})", unchanged.len())));
    let header = [
        "id",
        "input",
        "top before",
        "top after",
        "HHI before",
        "HHI after",
    ];
    out.push_str(&format::table(&header, &unchanged, md));
    out.push_str(&format!("\nrules: {}\n", v.rules));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use osa_ecosystem::{CompareOptions, compare};
    use osa_model::{Ecosystem, Input, Provision, validate};

    fn snapshot(iat: (&str, f64, i32), name: &str) -> Checked {
        let prov = |provider: &str, share: f64, year: i32| Provision {
            provider: provider.into(),
            share: Some(share),
            year: Some(year),
            source: format!("test {year}"),
            negligible: false,
        };
        let input = |id: &str, name: &str, provision: Vec<Provision>| Input {
            id: id.into(),
            name: name.into(),
            provision,
            ..Input::default()
        };
        validate(Ecosystem {
            id: "t".into(),
            inputs: vec![
                input(
                    "iat",
                    "Integrated assembly tools",
                    vec![prov(iat.0, iat.1, iat.2)],
                ),
                input("euv", name, vec![prov("NLD", 100.0, iat.2)]),
            ],
            ..Ecosystem::default()
        })
        .expect("valid")
    }

    fn view() -> DiffView {
        let old = snapshot(("CHN", 98.0, 2019), "EUV scanners");
        let new = snapshot(("SGP", 100.0, 2025), "EUV lithography tools");
        let diff = compare(&old, &new, &CompareOptions::default());
        diff_view(&old, &new, ("old.toml", "new.toml"), &diff)
    }

    #[test]
    fn the_view_carries_readings_provenance_and_names() {
        let v = view();
        assert_eq!((v.n_compared, v.n_changed), (2, 1));
        let iat = &v.inputs[0];
        assert_eq!(iat.changes[0].kind, "top_holder");
        assert_eq!(iat.changes[0].before.place.as_deref(), Some("CHN"));
        assert_eq!(iat.changes[0].before.value, Some(0.98));
        assert_eq!(iat.changes[0].after.rows[0].source, "test 2025");
        let euv = &v.inputs[1];
        assert!(!euv.changed);
        assert_eq!(euv.old_name.as_deref(), Some("EUV scanners"));
        assert_eq!(euv.after.top_holder.as_deref(), Some("NLD"));
    }

    #[test]
    fn every_format_states_the_thresholds_and_the_unchanged() {
        let v = view();
        let table = render_diff(&v, Format::Table).expect("table");
        assert!(table.contains(
            "holder share moves >= 10 points; HHI moves >= 0.1; chokepoint: share >= 50.0%"
        ));
        assert!(table.contains("CHN 98.0% (2019)"), "{table}");
        assert!(table.contains("SGP 100.0% (2025)"), "{table}");
        assert!(table.contains("NLD 100.0% (2019)"), "{table}");
        let md = render_diff(&v, Format::Md).expect("md");
        assert!(md.contains("## Unchanged inputs (1)"), "{md}");
        let csv = render_diff(&v, Format::Csv).expect("csv");
        assert!(csv.starts_with("kind,id,name,holder,before_year"));
        assert!(csv.contains("top_holder,iat,Integrated assembly tools,,2019,CHN,0.98,2025,SGP,1"));
        assert!(csv.contains("unchanged,euv,EUV lithography tools,,2019,NLD,1,2025,NLD,1"));
        let json = render_diff(&v, Format::Json).expect("json");
        assert!(json.contains("\"min_share_points\": 10.0"), "{json}");
    }
}
