//! Excel output: a command's table (its CSV rendering) as a workbook, one sheet per table, with
//! numbers written as numbers, shares formatted as percentages, and a Sources sheet that says
//! where the figures come from (the command, its inputs and the sources the rows cite).

use crate::format::RenderError;
use rust_xlsxwriter::{Format as CellFormat, Workbook, Worksheet, XlsxError};

/// One table of a workbook: the sheet's name and the table as CSV (header first).
#[derive(Debug, Clone)]
pub struct SheetCsv<'a> {
    /// Sheet name (Excel allows 31 characters; longer names are cut).
    pub name: &'a str,
    /// The table, as `--format csv` prints it.
    pub csv: &'a str,
}

/// The formula behind a command's figures, for the Sources sheet.
pub fn formula_of(command: &str) -> Option<&'static str> {
    Some(match command {
        "metrics" => crate::ecosystem::HHI_FORMULA,
        "chokepoints" => crate::ecosystem::CHOKEPOINT_FORMULA,
        "leverage" => crate::ecosystem::LEVERAGE_FORMULA,
        "assess" => crate::assess::LIKELIHOOD_MODEL,
        "screen" => crate::trade::SCREEN_FORMULA,
        "crm" => crate::trade::CRM_FORMULA,
        "geopolrisk" => crate::trade::GPR_FORMULA,
        _ => return None,
    })
}

/// A CSV column's name as a workbook's header shows it, in words: `import_export_ratio` ->
/// `import export ratio`, `chn_share` -> `CHN share`, `hhi` -> `HHI` (CSV and JSON keep the field
/// names, a contract in docs/json.md).
pub fn header_in_words(h: &str) -> String {
    const UPPER: [&str; 14] = [
        "hhi", "chn", "eu", "hs6", "wgi", "usd", "iso3", "sr", "gs", "eol", "rir", "cf", "gdp", "m",
    ];
    crate::format::words(h)
        .split(' ')
        .map(|w| {
            if UPPER.contains(&w) {
                w.to_ascii_uppercase()
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Columns that hold codes or names, never numbers (HS6 codes keep their leading zeros).
pub(crate) fn is_text_column(header: &str) -> bool {
    let h = header.to_ascii_lowercase();
    h == "id"
        || h.ends_with("_id")
        || h == "#"
        || h.contains("code")
        || [
            "product", "hs6", "key", "input", "sector", "country", "holder",
        ]
        .contains(&h.as_str())
}

/// Columns that hold shares (fractions 0-1), shown as percentages.
fn is_share_column(header: &str) -> bool {
    let h = header.to_ascii_lowercase();
    h.contains("share") || h == "availability" || h == "unattributed"
}

/// A workbook of `sheets`, then a Sources sheet of (what, value) rows.
pub fn workbook(sheets: &[SheetCsv], sources: &[(String, String)]) -> Result<Vec<u8>, RenderError> {
    let err = |e: XlsxError| RenderError(format!("could not write the workbook: {e}"));
    let mut wb = Workbook::new();
    let bold = CellFormat::new().set_bold();
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(s.name)).map_err(err)?;
        fill(ws, s.csv, &bold)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("Sources").map_err(err)?;
    ws.write_string_with_format(0, 0, "what", &bold)
        .map_err(err)?;
    ws.write_string_with_format(0, 1, "value", &bold)
        .map_err(err)?;
    for (k, (what, value)) in sources.iter().enumerate() {
        let r = k as u32 + 1;
        ws.write_string(r, 0, what).map_err(err)?;
        ws.write_string(r, 1, value).map_err(err)?;
    }
    ws.set_column_width(0, 28).map_err(err)?;
    ws.set_column_width(1, 100).map_err(err)?;
    wb.save_to_buffer().map_err(err)
}

fn sheet_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c })
        .take(31)
        .collect();
    if clean.trim().is_empty() {
        "Table".into()
    } else {
        clean
    }
}

/// Writes a CSV table into a sheet: header bold and frozen, numbers as numbers.
fn fill(ws: &mut Worksheet, csv_text: &str, bold: &CellFormat) -> Result<(), RenderError> {
    let err = |e: XlsxError| RenderError(format!("could not write the workbook: {e}"));
    let pct = CellFormat::new().set_num_format("0.0%");
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(csv_text.as_bytes());
    let header: Vec<String> = r
        .headers()
        .map_err(|e| RenderError(format!("could not read the table: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, header_in_words(h), bold)
            .map_err(err)?;
    }
    for (k, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| RenderError(format!("could not read the table: {e}")))?;
        let row = k as u32 + 1;
        for (c, cell) in rec.iter().enumerate() {
            let col = c as u16;
            let h = header.get(c).map_or("", String::as_str);
            if cell.is_empty() {
                continue;
            }
            match number(cell).filter(|_| !is_text_column(h)) {
                Some(v) if is_share_column(h) => ws.write_number_with_format(row, col, v, &pct),
                Some(v) => ws.write_number(row, col, v),
                None if cell == "true" || cell == "false" => {
                    ws.write_boolean(row, col, cell == "true")
                }
                None => ws.write_string(row, col, cell),
            }
            .map_err(err)?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(err)?;
    ws.autofit();
    Ok(())
}

/// A cell's number: plain decimals only (not `inf`, `NaN` or `1e5`-like codes).
pub(crate) fn number(cell: &str) -> Option<f64> {
    let ok = cell
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == '-');
    if !ok || cell == "-" || cell == "." {
        return None;
    }
    cell.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_shares_and_codes() {
        assert_eq!(number("0.25"), Some(0.25));
        assert_eq!(number("-3"), Some(-3.0));
        assert_eq!(number("1e5"), None);
        assert_eq!(number("NaN"), None);
        assert!(is_text_column("product"));
        assert!(is_share_column("top_share"));
        assert!(!is_share_column("hhi"));
        assert_eq!(sheet_name("a/b"), "a b");
        let bytes = workbook(
            &[SheetCsv {
                name: "rows",
                csv: "product,share,n\n010121,0.5,3\n",
            }],
            &[("command".into(), "osa x".into())],
        )
        .expect("workbook");
        // A zip file (xlsx is one) whose styles hold the percentage format, applied to the share.
        assert_eq!(&bytes[..2], b"PK");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
        let mut read = |name: &str| {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut zip.by_name(name).expect(name), &mut text)
                .expect("UTF-8");
            text
        };
        assert!(read("xl/styles.xml").contains("formatCode=\"0.0%\""));
        let sheet = read("xl/worksheets/sheet1.xml");
        // 010121 stays text (a shared string), 0.5 is a styled number, 3 a plain number.
        assert!(sheet.contains("<c r=\"A2\" t=\"s\">"), "{sheet}");
        assert!(sheet.contains("<c r=\"B2\" s=\""), "{sheet}");
        assert!(sheet.contains("<c r=\"C2\"><v>3</v></c>"), "{sheet}");
        assert!(read("xl/workbook.xml").contains("name=\"Sources\""));
    }
}
