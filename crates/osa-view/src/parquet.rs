//! Parquet output for pandas and Polars users: a command's table (its CSV rendering) as one row
//! group of typed, optional columns: booleans, doubles (numbers written as numbers), UTF-8 text
//! (codes such as HS6 keep their leading zeros). Empty cells are nulls.

use crate::format::RenderError;
use crate::xlsx::{is_text_column, number};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Bool,
    Double,
    Text,
}

fn err(e: impl std::fmt::Display) -> RenderError {
    RenderError(format!("could not write Parquet: {e}"))
}

/// A column's name as a Parquet field: letters, digits and underscores.
fn field(name: &str, k: usize) -> String {
    let f: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if f.is_empty() || f.starts_with(|c: char| c.is_ascii_digit()) {
        format!("c{k}_{f}")
    } else {
        f
    }
}

fn kind(header: &str, cells: &[&str]) -> Kind {
    let present = || cells.iter().filter(|c| !c.is_empty());
    if present().count() > 0 && present().all(|c| *c == "true" || *c == "false") {
        Kind::Bool
    } else if !is_text_column(header) && present().all(|c| number(c).is_some()) {
        Kind::Double
    } else {
        Kind::Text
    }
}

/// The CSV table as a Parquet file.
pub fn from_csv(csv_text: &str) -> Result<Vec<u8>, RenderError> {
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = r
        .headers()
        .map_err(err)?
        .iter()
        .map(str::to_string)
        .collect();
    let records: Vec<csv::StringRecord> = r.records().collect::<Result<_, _>>().map_err(err)?;
    let columns: Vec<Vec<&str>> = (0..header.len())
        .map(|c| records.iter().map(|rec| rec.get(c).unwrap_or("")).collect())
        .collect();
    let kinds: Vec<Kind> = header
        .iter()
        .zip(&columns)
        .map(|(h, c)| kind(h, c))
        .collect();
    let fields: Vec<String> = header
        .iter()
        .zip(&kinds)
        .enumerate()
        .map(|(k, (h, kind))| {
            let name = field(h, k);
            match kind {
                Kind::Bool => format!("OPTIONAL BOOLEAN {name};"),
                Kind::Double => format!("OPTIONAL DOUBLE {name};"),
                Kind::Text => format!("OPTIONAL BYTE_ARRAY {name} (UTF8);"),
            }
        })
        .collect();
    let schema =
        parse_message_type(&format!("message osa {{ {} }}", fields.join(" "))).map_err(err)?;
    let props = WriterProperties::builder()
        .set_created_by(format!("osa {}", env!("CARGO_PKG_VERSION")))
        .build();
    let mut w =
        SerializedFileWriter::new(Vec::new(), Arc::new(schema), Arc::new(props)).map_err(err)?;
    let mut rg = w.next_row_group().map_err(err)?;
    for (cells, kind) in columns.iter().zip(&kinds) {
        let mut col = rg
            .next_column()
            .map_err(err)?
            .ok_or_else(|| err("schema mismatch"))?;
        let def: Vec<i16> = cells.iter().map(|c| i16::from(!c.is_empty())).collect();
        let present = cells.iter().filter(|c| !c.is_empty());
        match kind {
            Kind::Bool => {
                let v: Vec<bool> = present.map(|c| *c == "true").collect();
                col.typed::<BoolType>().write_batch(&v, Some(&def), None)
            }
            Kind::Double => {
                let v: Vec<f64> = present.filter_map(|c| number(c)).collect();
                col.typed::<DoubleType>().write_batch(&v, Some(&def), None)
            }
            Kind::Text => {
                let v: Vec<ByteArray> = present.map(|c| ByteArray::from(*c)).collect();
                col.typed::<ByteArrayType>()
                    .write_batch(&v, Some(&def), None)
            }
        }
        .map_err(err)?;
        col.close().map_err(err)?;
    }
    rg.close().map_err(err)?;
    w.into_inner().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};

    #[test]
    fn typed_columns_read_back() {
        let csv = "product,hhi,dependent,top supplier\n010121,0.5,true,CHN\n260400,,false,\n";
        let bytes = from_csv(csv).expect("parquet");
        let reader = SerializedFileReader::new(bytes::Bytes::from(bytes)).expect("reads");
        let meta = reader.metadata();
        assert_eq!(meta.file_metadata().num_rows(), 2);
        let schema = meta.file_metadata().schema_descr();
        let names: Vec<&str> = schema.columns().iter().map(|c| c.name()).collect();
        assert_eq!(names, ["product", "hhi", "dependent", "top_supplier"]);
        let rows: Vec<String> = reader
            .get_row_iter(None)
            .expect("rows")
            .map(|r| r.expect("row").to_string())
            .collect();
        assert_eq!(
            rows[0],
            "{product: \"010121\", hhi: 0.5, dependent: true, top_supplier: \"CHN\"}"
        );
        assert!(rows[1].contains("hhi: null"));
    }
}
