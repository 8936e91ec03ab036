//! Panel screenings (`osa screen --importer all --years ...`): one row per importer, product and
//! year; churn per importer and year; spells of dependency; their printers, the typed Parquet
//! file of panel rows (schema in docs/trade.md) and the chart of dependent products per year by
//! top supplier.

use super::{ratio_text, screen_no_exports, value_m};
use crate::format::{self, Format, RenderError, r6};
use serde::Serialize;

/// One importer, product and year.
#[derive(Debug, Clone, Serialize)]
pub struct PanelRow {
    /// Importer: ISO3 or bloc id.
    pub importer: String,
    /// Year.
    pub year: u16,
    /// HS6 code.
    pub product: String,
    /// Imports from outside the importer, thousand USD.
    pub import_value: f64,
    /// Imports of members from members (blocs), thousand USD.
    pub intra_imports: f64,
    /// Exports to outside, thousand USD.
    pub exports: f64,
    /// HHI of the importer's suppliers.
    pub import_hhi: f64,
    /// import_value / (import_value + intra_imports).
    pub extra_share: f64,
    /// import_value / exports (9999 when exports are nil).
    pub import_export_ratio: f64,
    /// HHI of the world's exporters of the product.
    pub world_export_hhi: f64,
    /// Every criterion of the method holds in the year.
    pub meets: bool,
    /// The method's verdict (with persistence).
    pub dependent: bool,
    /// Largest supplier.
    pub top_supplier: String,
    /// Its share of import_value.
    pub top_share: f64,
    /// Suppliers.
    pub n_suppliers: u32,
    /// Other exporters of the product to the world (rows that meet the criteria).
    pub n_alternatives: u32,
    /// Of them, those exporting at least import_value.
    pub n_can_cover: u32,
}

/// One importer and year of a panel.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct ChurnRow {
    /// Importer.
    pub importer: String,
    /// Year t.
    pub year: u16,
    /// Dependent products in t.
    pub n_dependent: usize,
    /// Dependent in t, not in t-1.
    pub entered: Option<usize>,
    /// Dependent in t-1, not in t.
    pub left: Option<usize>,
    /// Share of t's dependent products not dependent in t+1.
    pub churn_1: Option<f64>,
    /// Share not dependent in t+5.
    pub churn_5: Option<f64>,
    /// Products dependent in t-1 and t whose top supplier changed.
    pub top_changes: Option<usize>,
}

/// A spell of dependency.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct SpellRow {
    /// Importer.
    pub importer: String,
    /// HS6 code.
    pub product: String,
    /// First year.
    pub from: u16,
    /// Last year.
    pub to: u16,
    /// Years.
    pub years: u16,
    /// Runs to the panel's last year.
    pub open: bool,
    /// Changes of top supplier within the spell.
    pub top_changes: usize,
    /// Top supplier each year, `CHN>CHN>USA`.
    pub top_suppliers: String,
}

const PANEL_HEADER: [&str; 18] = [
    "importer",
    "year",
    "product",
    "import_value",
    "intra_imports",
    "exports",
    "import_hhi",
    "extra_share",
    "import_export_ratio",
    "no_exports",
    "world_export_hhi",
    "meets",
    "dependent",
    "top_supplier",
    "top_share",
    "n_suppliers",
    "n_alternatives",
    "n_can_cover",
];

fn rounded(r: &PanelRow) -> PanelRow {
    PanelRow {
        import_value: r6(r.import_value),
        intra_imports: r6(r.intra_imports),
        exports: r6(r.exports),
        import_hhi: r6(r.import_hhi),
        extra_share: r6(r.extra_share),
        import_export_ratio: r6(r.import_export_ratio),
        world_export_hhi: r6(r.world_export_hhi),
        top_share: r6(r.top_share),
        ..r.clone()
    }
}

fn csv_row(r: &PanelRow) -> Vec<String> {
    let none = r.import_export_ratio >= screen_no_exports();
    vec![
        r.importer.clone(),
        r.year.to_string(),
        r.product.clone(),
        r.import_value.to_string(),
        r.intra_imports.to_string(),
        r.exports.to_string(),
        r.import_hhi.to_string(),
        r.extra_share.to_string(),
        if none {
            String::new()
        } else {
            r.import_export_ratio.to_string()
        },
        none.to_string(),
        r.world_export_hhi.to_string(),
        r.meets.to_string(),
        r.dependent.to_string(),
        r.top_supplier.clone(),
        r.top_share.to_string(),
        r.n_suppliers.to_string(),
        r.n_alternatives.to_string(),
        r.n_can_cover.to_string(),
    ]
}

/// Renders panel rows (JSON, CSV, or a table).
pub fn render_panel(rows: &[PanelRow], format: Format) -> Result<String, RenderError> {
    let rows: Vec<PanelRow> = rows.iter().map(rounded).collect();
    match format {
        Format::Json => format::json(&rows),
        Format::Csv | Format::Xlsx | Format::Parquet => {
            format::csv(&PANEL_HEADER, &rows.iter().map(csv_row).collect::<Vec<_>>())
        }
        Format::Table | Format::Md | Format::Html => Ok(format::table(
            &[
                "importer",
                "year",
                "HS6",
                "imp. HHI",
                "world HHI",
                "M/X",
                "meets",
                "dependent",
                "top",
                "top %",
                "alternatives",
                "can cover",
                "imports USD m",
            ],
            &rows
                .iter()
                .map(|r| {
                    vec![
                        r.importer.clone(),
                        r.year.to_string(),
                        r.product.clone(),
                        format!("{:.3}", r.import_hhi),
                        format!("{:.3}", r.world_export_hhi),
                        ratio_text(r.import_export_ratio),
                        yes(r.meets),
                        yes(r.dependent),
                        r.top_supplier.clone(),
                        format::pct(Some(r.top_share)),
                        r.n_alternatives.to_string(),
                        r.n_can_cover.to_string(),
                        value_m(r.import_value),
                    ]
                })
                .collect::<Vec<_>>(),
            format == Format::Md,
        )),
    }
}

fn yes(b: bool) -> String {
    if b { "yes".into() } else { String::new() }
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map_or(String::new(), T::to_string)
}

/// Renders churn rows.
pub fn render_churn(rows: &[ChurnRow], format: Format) -> Result<String, RenderError> {
    let header = [
        "importer",
        "year",
        "n_dependent",
        "entered",
        "left",
        "churn_1",
        "churn_5",
        "top_changes",
    ];
    let rounded: Vec<ChurnRow> = rows
        .iter()
        .map(|r| ChurnRow {
            churn_1: r.churn_1.map(r6),
            churn_5: r.churn_5.map(r6),
            ..r.clone()
        })
        .collect();
    let cells = |r: &ChurnRow, pct: bool| {
        let share = |v: Option<f64>| {
            if pct {
                v.map_or(String::new(), |v| format::pct(Some(v)))
            } else {
                opt(&v)
            }
        };
        vec![
            r.importer.clone(),
            r.year.to_string(),
            r.n_dependent.to_string(),
            opt(&r.entered),
            opt(&r.left),
            share(r.churn_1),
            share(r.churn_5),
            opt(&r.top_changes),
        ]
    };
    match format {
        Format::Json => format::json(&rounded),
        Format::Csv | Format::Xlsx | Format::Parquet => format::csv(
            &header,
            &rounded.iter().map(|r| cells(r, false)).collect::<Vec<_>>(),
        ),
        _ => Ok(format::table(
            &header,
            &rounded.iter().map(|r| cells(r, true)).collect::<Vec<_>>(),
            format == Format::Md,
        )),
    }
}

/// Renders spells.
pub fn render_spells(rows: &[SpellRow], format: Format) -> Result<String, RenderError> {
    let header = [
        "importer",
        "product",
        "from",
        "to",
        "years",
        "open",
        "top_changes",
        "top_suppliers",
    ];
    let cells = |r: &SpellRow| {
        vec![
            r.importer.clone(),
            r.product.clone(),
            r.from.to_string(),
            r.to.to_string(),
            r.years.to_string(),
            r.open.to_string(),
            r.top_changes.to_string(),
            r.top_suppliers.clone(),
        ]
    };
    match format {
        Format::Json => format::json(rows),
        Format::Csv | Format::Xlsx | Format::Parquet => {
            format::csv(&header, &rows.iter().map(cells).collect::<Vec<_>>())
        }
        _ => Ok(format::table(
            &header,
            &rows.iter().map(cells).collect::<Vec<_>>(),
            format == Format::Md,
        )),
    }
}

/// The chart of dependent products per year by top supplier: one stacked bar per year, a series
/// per supplier (`None`: the others).
pub fn dependent_chart(title: &str, counts: &[(u16, Option<String>, usize)]) -> Option<String> {
    use crate::chart::{Bars, GREY, Series, bars_svg, color};
    let mut years: Vec<u16> = counts.iter().map(|c| c.0).collect();
    years.dedup();
    let mut suppliers: Vec<Option<String>> = Vec::new();
    for (_, s, _) in counts {
        if !suppliers.contains(s) {
            suppliers.push(s.clone());
        }
    }
    // Named suppliers first (as ranked by the caller), "other" last.
    suppliers.sort_by_key(|s| s.is_none());
    let mut start = vec![0.0; years.len()];
    let mut series = Vec::new();
    for (k, s) in suppliers.iter().enumerate() {
        let mut bars = Vec::new();
        for (row, y) in years.iter().enumerate() {
            let n = counts
                .iter()
                .filter(|c| c.0 == *y && &c.1 == s)
                .map(|c| c.2)
                .sum::<usize>() as f64;
            if n > 0.0 {
                bars.push((row, start[row], start[row] + n));
                start[row] += n;
            }
        }
        let (label, fill) = match s {
            Some(name) => (name.clone(), color(k)),
            None => ("other suppliers".to_string(), GREY),
        };
        series.push(Series::new(label, fill, bars));
    }
    let max = start.iter().copied().fold(0.0, f64::max).max(1.0);
    bars_svg(&Bars {
        title: title.to_string(),
        x_desc: "dependent products (by top supplier)".into(),
        x_range: (0.0, max * 1.05),
        percent: false,
        rows: years.iter().map(|y| y.to_string()).collect(),
        series,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trade::panel_parquet::panel_parquet;
    use parquet::file::reader::{FileReader, SerializedFileReader};

    #[test]
    fn panel_parquet_has_the_documented_schema() {
        let row = PanelRow {
            importer: "FRA".into(),
            year: 2004,
            product: "100110".into(),
            import_value: 100.0,
            intra_imports: 0.0,
            exports: 0.0,
            import_hhi: 1.0,
            extra_share: 1.0,
            import_export_ratio: 9999.0,
            world_export_hhi: 0.5,
            meets: true,
            dependent: true,
            top_supplier: "CHN".into(),
            top_share: 1.0,
            n_suppliers: 1,
            n_alternatives: 2,
            n_can_cover: 0,
        };
        let bytes = panel_parquet(&[row], "geodep2024", "CEPII PB 47").expect("writes");
        let reader = SerializedFileReader::new(bytes::Bytes::from(bytes)).expect("reads");
        let meta = reader.metadata().file_metadata();
        let names: Vec<&str> = meta
            .schema_descr()
            .columns()
            .iter()
            .map(|c| c.name())
            .collect();
        assert_eq!(names, PANEL_HEADER);
        let kv = meta.key_value_metadata().expect("metadata");
        assert!(
            kv.iter()
                .any(|k| k.key == "osa.method" && k.value.as_deref() == Some("geodep2024"))
        );
        let first = reader
            .get_row_iter(None)
            .expect("rows")
            .next()
            .expect("row")
            .expect("ok");
        let text = first.to_string();
        assert!(
            text.contains("year: 2004")
                && text.contains("import_export_ratio: null")
                && text.contains("no_exports: true"),
            "{text}"
        );
    }
}
