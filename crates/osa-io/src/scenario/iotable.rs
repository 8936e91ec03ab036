//! Reading input-output tables (CSV) for the Leontief, Ghosh and inoperability models: the
//! sector rows and columns, final demand, and the optional gross-output and value-added lines.

use crate::error::{Error, Result};
use crate::text::read_text;
use osa_disrupt::IoTable;
use std::path::Path;

/// Row label of the optional value-added row.
pub const VALUE_ADDED: &str = "value_added";
/// Label of the optional gross-output column (or row).
pub const OUTPUT: &str = "output";

fn is_label(cell: &str, label: &str) -> bool {
    let c = cell.trim().to_ascii_lowercase().replace(' ', "_");
    c == label || (label == OUTPUT && c == "total_output")
}

/// Reads an input-output table from a CSV file.
pub fn read_iotable(path: &Path) -> Result<IoTable> {
    parse_iotable(&read_text(path)?, &path.display().to_string())
}

/// A non-empty row of the table: its line and its cells (trimmed).
type Row = (usize, Vec<String>);

/// Parses an input-output table: a header `sector,<sector names...>,<final-demand columns...>
/// [,output]`, one row per sector in the header's order, and an optional `value_added` row (and
/// `output` row instead of the column). Empty cells count as 0.
///
/// The steps: read the rows, sort them into sector, value-added and output rows, check the
/// header repeats the sectors, find the final-demand and output columns, read the flows, the
/// gross output and value added, and check that output is known and (where given twice) adds up.
pub fn parse_iotable(text: &str, file: &str) -> Result<IoTable> {
    let rows = read_rows(text, file)?;
    let Some(((header_line, header), body)) = rows.split_first() else {
        return Err(Error::one(file, None, "", "", "the table is empty".into()));
    };
    let table = Cells {
        file,
        header_line: *header_line,
        header,
    };
    let sheet = table.sort_rows(body)?;
    table.check_sectors(&sheet.sectors)?;
    let columns = Columns::of(header, sheet.sectors.len());
    let mut flows = table.read_flows(&sheet, &columns)?;
    let output = table.gross_output(&sheet, flows.output_column.take())?;
    let value_added = match sheet.value_added {
        Some(r) => Some(table.sector_numbers(r, sheet.sectors.len())?),
        None => None,
    };
    table.check_output_known(&columns, output.is_some())?;
    if let Some(x) = &output
        && !columns.final_demand.is_empty()
    {
        table.check_balance(&sheet, &flows, x)?;
    }
    IoTable::new(
        sheet.sectors,
        flows.z,
        flows.final_demand,
        output,
        value_added,
    )
    .map_err(|e| Error::one(file, None, "table", "", e.to_string()))
}

/// The non-empty rows of the CSV text, each with its line.
fn read_rows(text: &str, file: &str) -> Result<Vec<Row>> {
    crate::csvtable::check_quotes(text, file)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line() as usize);
            Error::one(file, line, "", "", format!("not valid CSV: {e}"))
        })?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        if rec.iter().all(str::is_empty) {
            continue;
        }
        rows.push((line, rec.iter().map(str::to_string).collect::<Vec<_>>()));
    }
    Ok(rows)
}

/// The table's file and header, which every error and number read needs.
struct Cells<'a> {
    file: &'a str,
    header_line: usize,
    header: &'a [String],
}

/// The body rows by role.
struct Sheet<'a> {
    /// Sector names, in row order.
    sectors: Vec<String>,
    /// The sector rows.
    flows: Vec<&'a Row>,
    value_added: Option<&'a Row>,
    output: Option<&'a Row>,
}

/// Where the final-demand columns and the optional output column are.
struct Columns {
    output: Option<usize>,
    final_demand: Vec<usize>,
}

impl Columns {
    /// The columns after the `n` sector columns: `output` (or `total_output`), the others final
    /// demand.
    fn of(header: &[String], n: usize) -> Columns {
        let extra: Vec<(usize, &String)> = header.iter().enumerate().skip(n + 1).collect();
        let output = extra.iter().find(|(_, h)| is_label(h, OUTPUT)).map(|e| e.0);
        let final_demand = extra
            .iter()
            .map(|e| e.0)
            .filter(|&c| Some(c) != output)
            .collect();
        Columns {
            output,
            final_demand,
        }
    }
}

/// The numbers of the sector rows: flows (row-major, n x n), final demand summed per row, and
/// the output column when there is one.
struct Flows {
    z: Vec<f64>,
    final_demand: Vec<f64>,
    output_column: Option<Vec<f64>>,
}

impl Cells<'_> {
    fn err(&self, line: usize, record: &str, field: &str, m: String) -> Error {
        Error::one(self.file, Some(line), record, field, m)
    }

    /// Sorts the body into sector rows, the value-added row and the output row; every row must be
    /// as wide as the header and every sector named.
    fn sort_rows<'r>(&self, body: &'r [Row]) -> Result<Sheet<'r>> {
        let width = self.header.len();
        let mut sheet = Sheet {
            sectors: Vec::new(),
            flows: Vec::new(),
            value_added: None,
            output: None,
        };
        for r in body {
            let label = r.1.first().map_or("", String::as_str);
            if r.1.len() != width {
                return Err(self.err(
                    r.0,
                    &format!("row `{label}`"),
                    "",
                    format!("{} cells, the header has {width}", r.1.len()),
                ));
            }
            if is_label(label, VALUE_ADDED) {
                sheet.value_added = Some(r);
            } else if is_label(label, OUTPUT) {
                sheet.output = Some(r);
            } else {
                if label.is_empty() {
                    return Err(self.err(r.0, "row", "sector", "the sector name is empty".into()));
                }
                sheet.sectors.push(label.to_string());
                sheet.flows.push(r);
            }
        }
        Ok(sheet)
    }

    /// At least one sector, no more than osa models, and the header's sector columns repeating
    /// the row sectors in order.
    fn check_sectors(&self, sectors: &[String]) -> Result<()> {
        let n = sectors.len();
        if n == 0 {
            return Err(self.err(self.header_line, "table", "", "no sector rows".into()));
        }
        osa_disrupt::limits::check_sectors(n)
            .map_err(|e| self.err(self.header_line, "table", "", e.to_string()))?;
        for (k, s) in sectors.iter().enumerate() {
            match self.header.get(k + 1) {
                Some(h) if h == s => {}
                other => {
                    return Err(self.err(
                        self.header_line,
                        "header",
                        &format!("column {}", k + 2),
                        format!(
                            "`{}` where the sector columns must repeat the row sectors in order (expected `{s}`)",
                            other.map_or("", String::as_str)
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The number in column `c` of a row; empty is 0.
    fn number(&self, r: &Row, c: usize) -> Result<f64> {
        let cell = r.1[c].trim();
        if cell.is_empty() {
            return Ok(0.0);
        }
        cell.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| {
                self.err(
                    r.0,
                    &format!("row `{}`", r.1[0]),
                    &self.header[c],
                    format!("`{cell}` is not a number"),
                )
            })
    }

    /// The numbers of a row's `n` sector columns.
    fn sector_numbers(&self, r: &Row, n: usize) -> Result<Vec<f64>> {
        (1..=n).map(|c| self.number(r, c)).collect()
    }

    /// Reads the sector rows, row by row: flows, final demand, output column.
    fn read_flows(&self, sheet: &Sheet, columns: &Columns) -> Result<Flows> {
        let n = sheet.sectors.len();
        let mut z = Vec::with_capacity(n * n);
        let mut final_demand = Vec::with_capacity(n);
        let mut col_output = Vec::with_capacity(n);
        for r in &sheet.flows {
            for c in 1..=n {
                z.push(self.number(r, c)?);
            }
            let mut f = 0.0;
            for &c in &columns.final_demand {
                f += self.number(r, c)?;
            }
            final_demand.push(f);
            if let Some(c) = columns.output {
                col_output.push(self.number(r, c)?);
            }
        }
        Ok(Flows {
            z,
            final_demand,
            output_column: columns.output.map(|_| col_output),
        })
    }

    /// Gross output from the output column or the output row (not both), if given.
    fn gross_output(&self, sheet: &Sheet, column: Option<Vec<f64>>) -> Result<Option<Vec<f64>>> {
        let Some(r) = sheet.output else {
            return Ok(column);
        };
        if column.is_some() {
            return Err(self.err(
                r.0,
                "row `output`",
                "",
                "gross output is given both as a column and as a row".into(),
            ));
        }
        Ok(Some(self.sector_numbers(r, sheet.sectors.len())?))
    }

    /// Without final demand, gross output must be given.
    fn check_output_known(&self, columns: &Columns, has_output: bool) -> Result<()> {
        if columns.final_demand.is_empty() && !has_output {
            return Err(self.err(
                self.header_line,
                "header",
                "",
                "no final-demand column and no output column: gross output cannot be known".into(),
            ));
        }
        Ok(())
    }

    /// Where both are given, flows plus final demand must add up to output (1% tolerance).
    fn check_balance(&self, sheet: &Sheet, flows: &Flows, output: &[f64]) -> Result<()> {
        let n = sheet.sectors.len();
        for (i, r) in sheet.flows.iter().enumerate() {
            let sum: f64 = flows.z[i * n..(i + 1) * n].iter().sum::<f64>() + flows.final_demand[i];
            if (sum - output[i]).abs() > 0.01 * output[i].abs().max(1e-9) {
                return Err(self.err(
                    r.0,
                    &format!("row `{}`", sheet.sectors[i]),
                    OUTPUT,
                    format!(
                        "flows plus final demand sum to {sum}, but output is {} (leave the output column out to use the sum)",
                        output[i]
                    ),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_tables_are_read_with_their_rows_and_columns() {
        let text = "sector,agri,manu,households,exports\n\
                    agri,10,40,30,10\n\
                    manu,20,60,50,30\n\
                    value_added,60,60,,\n";
        let t = parse_iotable(text, "t.csv").expect("valid");
        assert_eq!(t.sectors(), &["agri".to_string(), "manu".to_string()]);
        assert_eq!(t.final_demand(), &[40.0, 80.0]);
        // Output = flows plus final demand: 10 + 40 + 30 + 10, 20 + 60 + 50 + 30.
        assert_eq!(t.output(), &[90.0, 160.0]);
        assert_eq!(t.value_added(), &[60.0, 60.0]);
        let bad = "sector,agri,manu,fd\nagri,1,2,3\nmanu,4,x,6\n";
        let e = parse_iotable(bad, "b.csv").expect_err("not a number");
        let d = &e.diagnostics()[0];
        assert_eq!((d.line, d.field.as_str()), (Some(3), "manu"));
        let swapped = "sector,manu,agri,fd\nagri,1,2,3\nmanu,4,5,6\n";
        let e = parse_iotable(swapped, "s.csv").expect_err("order");
        assert!(e.to_string().contains("expected `agri`"), "{e}");
        let off = "sector,agri,fd,output\nagri,1,2,10\n";
        let e = parse_iotable(off, "o.csv").expect_err("does not add up");
        assert!(e.to_string().contains("sum to 3"), "{e}");
    }
}
