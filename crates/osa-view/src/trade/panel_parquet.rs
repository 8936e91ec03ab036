//! The typed Parquet file of panel rows (schema in docs/trade.md, "Panel Parquet"), written as a
//! panel's years come: [`PanelBatch`]es of rows whose texts are indices into the batch's labels
//! (importers and suppliers) and HS6 codes, so that no row carries a text of its own. Each row
//! group's columns are encoded on two threads, each column into a buffer of its own, then
//! spliced into the file in the schema's order; a text column shares one buffer per distinct
//! text among its rows.

use super::panel::PanelRow;
use super::screen_no_exports;
use crate::format::{RenderError, r6};
use parquet::column::writer::{ColumnCloseResult, get_column_writer};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int32Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{WriterProperties, WriterPropertiesPtr};
use parquet::file::writer::{
    SerializedColumnWriter, SerializedFileWriter, SerializedPageWriter, TrackedWrite,
};
use parquet::schema::parser::parse_message_type;
use parquet::schema::types::ColumnDescPtr;
use std::sync::Arc;

/// The Parquet schema of panel rows (docs/trade.md, "Panel Parquet").
pub const PANEL_SCHEMA: &str = "message osa_panel {
  REQUIRED BYTE_ARRAY importer (UTF8);
  REQUIRED INT32 year;
  REQUIRED BYTE_ARRAY product (UTF8);
  REQUIRED DOUBLE import_value;
  REQUIRED DOUBLE intra_imports;
  REQUIRED DOUBLE exports;
  REQUIRED DOUBLE import_hhi;
  REQUIRED DOUBLE extra_share;
  OPTIONAL DOUBLE import_export_ratio;
  REQUIRED BOOLEAN no_exports;
  REQUIRED DOUBLE world_export_hhi;
  REQUIRED BOOLEAN meets;
  REQUIRED BOOLEAN dependent;
  REQUIRED BYTE_ARRAY top_supplier (UTF8);
  REQUIRED DOUBLE top_share;
  REQUIRED INT32 n_suppliers;
  REQUIRED INT32 n_alternatives;
  REQUIRED INT32 n_can_cover;
}";

/// Rows per row group of a panel file.
const GROUP_ROWS: usize = 1 << 20;

/// HS6 codes are below this.
const HS_LIMIT: u32 = 1_000_000;

/// A [`PanelRow`] with its texts as indices into its batch's labels and its product as a code.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PanelFigures {
    /// Importer: an index into the labels.
    pub importer: u32,
    /// Year.
    pub year: u16,
    /// HS6 code.
    pub product: u32,
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
    /// Largest supplier: an index into the labels.
    pub top_supplier: u32,
    /// Its share of import_value.
    pub top_share: f64,
    /// Suppliers.
    pub n_suppliers: u32,
    /// Other exporters of the product to the world.
    pub n_alternatives: u32,
    /// Of them, those exporting at least import_value.
    pub n_can_cover: u32,
}

impl PanelFigures {
    /// The row with its texts (an index without a label reads `?`).
    pub fn row(&self, labels: &[String]) -> PanelRow {
        let label = |i: u32| {
            labels
                .get(i as usize)
                .map_or("?", String::as_str)
                .to_string()
        };
        PanelRow {
            importer: label(self.importer),
            year: self.year,
            product: format!("{:06}", self.product),
            import_value: self.import_value,
            intra_imports: self.intra_imports,
            exports: self.exports,
            import_hhi: self.import_hhi,
            extra_share: self.extra_share,
            import_export_ratio: self.import_export_ratio,
            world_export_hhi: self.world_export_hhi,
            meets: self.meets,
            dependent: self.dependent,
            top_supplier: label(self.top_supplier),
            top_share: self.top_share,
            n_suppliers: self.n_suppliers,
            n_alternatives: self.n_alternatives,
            n_can_cover: self.n_can_cover,
        }
    }
}

/// Rows of a panel with the labels their indices point to.
#[derive(Debug, Clone, Default)]
pub struct PanelBatch {
    /// Importer and supplier names, by index.
    pub labels: Arc<[String]>,
    /// The rows.
    pub rows: Vec<PanelFigures>,
}

impl PanelBatch {
    /// The batch of [`PanelRow`]s (labels interned, products parsed; a product that is not an
    /// HS6 code is refused).
    pub fn of_rows(rows: &[PanelRow]) -> Result<PanelBatch, RenderError> {
        let mut labels: Vec<String> = Vec::new();
        let mut index: std::collections::HashMap<String, u32> = Default::default();
        let mut intern = |s: &str| -> u32 {
            *index.entry(s.to_string()).or_insert_with(|| {
                labels.push(s.to_string());
                labels.len() as u32 - 1
            })
        };
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let product = r
                .product
                .parse::<u32>()
                .ok()
                .filter(|c| *c < HS_LIMIT && r.product.len() == 6)
                .ok_or_else(|| pq(format!("`{}` is not an HS6 code", r.product)))?;
            out.push(PanelFigures {
                importer: intern(&r.importer),
                year: r.year,
                product,
                import_value: r.import_value,
                intra_imports: r.intra_imports,
                exports: r.exports,
                import_hhi: r.import_hhi,
                extra_share: r.extra_share,
                import_export_ratio: r.import_export_ratio,
                world_export_hhi: r.world_export_hhi,
                meets: r.meets,
                dependent: r.dependent,
                top_supplier: intern(&r.top_supplier),
                top_share: r.top_share,
                n_suppliers: r.n_suppliers,
                n_alternatives: r.n_alternatives,
                n_can_cover: r.n_can_cover,
            });
        }
        Ok(PanelBatch {
            labels: labels.into(),
            rows: out,
        })
    }
}

fn pq(e: impl std::fmt::Display) -> RenderError {
    RenderError(format!("could not write Parquet: {e}"))
}

/// Panel rows as a typed Parquet file ([`PANEL_SCHEMA`]), with the method, its source and the
/// schema version in the key-value metadata (`osa.method`, `osa.method_source`, `osa.format`).
pub fn panel_parquet(
    rows: &[PanelRow],
    method: &str,
    source: &str,
) -> Result<Vec<u8>, RenderError> {
    let mut w = PanelParquetWriter::new(Vec::new(), method, source)?;
    w.write(rows)?;
    w.finish()
}

/// A panel's Parquet file written as its rows come (a year at a time), in row groups of at most
/// 2^20 rows: the same file as [`panel_parquet`] of all the rows when they come in one call.
pub struct PanelParquetWriter<W: std::io::Write + Send> {
    w: SerializedFileWriter<W>,
    rows: u64,
}

impl<W: std::io::Write + Send> std::fmt::Debug for PanelParquetWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PanelParquetWriter")
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

impl<W: std::io::Write + Send> PanelParquetWriter<W> {
    /// Starts a file on `out`.
    pub fn new(out: W, method: &str, source: &str) -> Result<Self, RenderError> {
        let schema = Arc::new(parse_message_type(PANEL_SCHEMA).map_err(pq)?);
        let props = WriterProperties::builder()
            .set_created_by(format!("osa {}", env!("CARGO_PKG_VERSION")))
            .set_key_value_metadata(Some(vec![
                KeyValue::new("osa.format".into(), "osa-screen-panel/1".to_string()),
                KeyValue::new("osa.method".into(), method.to_string()),
                KeyValue::new("osa.method_source".into(), source.to_string()),
            ]))
            .build();
        let w = SerializedFileWriter::new(out, schema, Arc::new(props)).map_err(pq)?;
        Ok(PanelParquetWriter { w, rows: 0 })
    }

    /// Writes rows (values rounded to 6 decimals, as every panel output).
    pub fn write(&mut self, rows: &[PanelRow]) -> Result<(), RenderError> {
        self.write_batch(&PanelBatch::of_rows(rows)?)
    }

    /// Writes a batch of rows, in row groups of at most 2^20 rows ([`encode_columns`]).
    pub fn write_batch(&mut self, batch: &PanelBatch) -> Result<(), RenderError> {
        for chunk in batch.rows.chunks(GROUP_ROWS) {
            let columns = self.w.schema_descr().columns().to_vec();
            let props = Arc::clone(self.w.properties());
            let encoded = encode_columns(&columns, &props, &batch.labels, chunk)?;
            let mut rg = self.w.next_row_group().map_err(pq)?;
            for (bytes, close) in encoded {
                rg.append_column(&bytes, close).map_err(pq)?;
            }
            rg.close().map_err(pq)?;
            self.rows += chunk.len() as u64;
        }
        Ok(())
    }

    /// Rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Writes the footer; gives the output back.
    pub fn finish(self) -> Result<W, RenderError> {
        self.w.into_inner().map_err(pq)
    }
}

/// The text columns (the costly ones, encoded first) then the others.
const ENCODING_ORDER: [usize; 18] = [0, 13, 2, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17];

/// Every column of a chunk encoded, in the schema's order: two threads take the next column in
/// [`ENCODING_ORDER`] until none is left.
fn encode_columns(
    columns: &[ColumnDescPtr],
    props: &WriterPropertiesPtr,
    labels: &[String],
    chunk: &[PanelFigures],
) -> Result<Vec<Encoded>, RenderError> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || -> Vec<(usize, Result<Encoded, RenderError>)> {
        let mut done = Vec::new();
        loop {
            let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(&i) = ENCODING_ORDER.get(k) else {
                return done;
            };
            done.push((i, encode_column(&columns[i], props, i, (labels, chunk))));
        }
    };
    let mut all = std::thread::scope(|s| {
        let other = s.spawn(work);
        let mut mine = work();
        mine.extend(
            other
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p)),
        );
        mine
    });
    all.sort_unstable_by_key(|(i, _)| *i);
    if all.len() != columns.len() {
        return Err(pq("the schema and the encoder disagree on the columns"));
    }
    all.into_iter().map(|(_, r)| r).collect()
}

/// One column chunk encoded on its own: its bytes and what the file's row group needs of it.
type Encoded = (bytes::Bytes, ColumnCloseResult);

/// Encodes column `n` of a chunk into a buffer of its own.
fn encode_column(
    descr: &ColumnDescPtr,
    props: &WriterPropertiesPtr,
    n: usize,
    rows: (&[String], &[PanelFigures]),
) -> Result<Encoded, RenderError> {
    let mut buf = TrackedWrite::new(Vec::new());
    let mut closed = None;
    {
        let pages = Box::new(SerializedPageWriter::new(&mut buf));
        let writer = get_column_writer(Arc::clone(descr), Arc::clone(props), pages);
        let mut col = SerializedColumnWriter::new(
            writer,
            Some(Box::new(|c| {
                closed = Some(c);
                Ok(())
            })),
        );
        write_column(&mut col, n, rows).map_err(pq)?;
        col.close().map_err(pq)?;
    }
    let bytes = bytes::Bytes::from(buf.into_inner().map_err(pq)?);
    let close = closed.ok_or_else(|| pq("a column was not closed"))?;
    Ok((bytes, close))
}

/// The texts of a label column: one buffer per label, shared by its rows.
fn label_texts(
    labels: &[String],
    chunk: &[PanelFigures],
    f: fn(&PanelFigures) -> u32,
) -> Vec<ByteArray> {
    let shared: Vec<ByteArray> = labels.iter().map(|l| ByteArray::from(l.as_str())).collect();
    let unknown = ByteArray::from("?");
    chunk
        .iter()
        .map(|r| shared.get(f(r) as usize).unwrap_or(&unknown).clone())
        .collect()
}

/// The HS6 texts of a chunk: one buffer per code, shared by its rows.
fn product_texts(chunk: &[PanelFigures]) -> Vec<ByteArray> {
    let mut at: std::collections::HashMap<u32, ByteArray> = Default::default();
    chunk
        .iter()
        .map(|r| {
            at.entry(r.product)
                .or_insert_with(|| ByteArray::from(format!("{:06}", r.product).as_str()))
                .clone()
        })
        .collect()
}

/// Writes column `n` of the panel schema for a chunk of rows (doubles rounded to 6 decimals).
fn write_column(
    col: &mut SerializedColumnWriter<'_>,
    n: usize,
    (labels, chunk): (&[String], &[PanelFigures]),
) -> parquet::errors::Result<usize> {
    let dbl =
        |f: fn(&PanelFigures) -> f64| -> Vec<f64> { chunk.iter().map(|r| r6(f(r))).collect() };
    let int = |f: fn(&PanelFigures) -> i32| -> Vec<i32> { chunk.iter().map(f).collect() };
    let boo = |f: fn(&PanelFigures) -> bool| -> Vec<bool> { chunk.iter().map(f).collect() };
    let none = |r: &PanelFigures| r6(r.import_export_ratio) >= screen_no_exports();
    match n {
        0 => col.typed::<ByteArrayType>().write_batch(
            &label_texts(labels, chunk, |r| r.importer),
            None,
            None,
        ),
        1 => col
            .typed::<Int32Type>()
            .write_batch(&int(|r| i32::from(r.year)), None, None),
        2 => col
            .typed::<ByteArrayType>()
            .write_batch(&product_texts(chunk), None, None),
        3 => col
            .typed::<DoubleType>()
            .write_batch(&dbl(|r| r.import_value), None, None),
        4 => col
            .typed::<DoubleType>()
            .write_batch(&dbl(|r| r.intra_imports), None, None),
        5 => col
            .typed::<DoubleType>()
            .write_batch(&dbl(|r| r.exports), None, None),
        6 => col
            .typed::<DoubleType>()
            .write_batch(&dbl(|r| r.import_hhi), None, None),
        7 => col
            .typed::<DoubleType>()
            .write_batch(&dbl(|r| r.extra_share), None, None),
        8 => {
            let def: Vec<i16> = chunk.iter().map(|r| i16::from(!none(r))).collect();
            let v: Vec<f64> = chunk
                .iter()
                .filter(|r| !none(r))
                .map(|r| r6(r.import_export_ratio))
                .collect();
            col.typed::<DoubleType>().write_batch(&v, Some(&def), None)
        }
        9 => col.typed::<BoolType>().write_batch(&boo(none), None, None),
        10 => col
            .typed::<DoubleType>()
            .write_batch(&dbl(|r| r.world_export_hhi), None, None),
        11 => col
            .typed::<BoolType>()
            .write_batch(&boo(|r| r.meets), None, None),
        12 => col
            .typed::<BoolType>()
            .write_batch(&boo(|r| r.dependent), None, None),
        13 => col.typed::<ByteArrayType>().write_batch(
            &label_texts(labels, chunk, |r| r.top_supplier),
            None,
            None,
        ),
        14 => col
            .typed::<DoubleType>()
            .write_batch(&dbl(|r| r.top_share), None, None),
        15 => col
            .typed::<Int32Type>()
            .write_batch(&int(|r| r.n_suppliers as i32), None, None),
        16 => col
            .typed::<Int32Type>()
            .write_batch(&int(|r| r.n_alternatives as i32), None, None),
        _ => col
            .typed::<Int32Type>()
            .write_batch(&int(|r| r.n_can_cover as i32), None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(importer: &str, product: &str, top: &str) -> PanelRow {
        PanelRow {
            importer: importer.into(),
            year: 2021,
            product: product.into(),
            import_value: 12.5,
            intra_imports: 0.0,
            exports: 3.0,
            import_hhi: 0.61,
            extra_share: 1.0,
            import_export_ratio: 12.5 / 3.0,
            world_export_hhi: 0.42,
            meets: true,
            dependent: false,
            top_supplier: top.into(),
            top_share: 0.7,
            n_suppliers: 4,
            n_alternatives: 9,
            n_can_cover: 2,
        }
    }

    #[test]
    fn rows_go_to_label_indexed_figures_and_back() {
        let rows = [
            row("FRA", "010110", "CHN"),
            row("CHN", "854231", "FRA"),
            row("FRA", "854231", "USA"),
        ];
        let batch = PanelBatch::of_rows(&rows).expect("HS6 codes");
        assert_eq!(&*batch.labels, ["FRA", "CHN", "USA"]);
        assert_eq!(
            (
                batch.rows[1].importer,
                batch.rows[1].top_supplier,
                batch.rows[0].product
            ),
            (1, 0, 10110)
        );
        for (r, f) in rows.iter().zip(&batch.rows) {
            let back = serde_json::to_value(f.row(&batch.labels)).expect("json");
            assert_eq!(back, serde_json::to_value(r).expect("json"));
        }
        let bad = PanelBatch::of_rows(&[row("FRA", "8542", "CHN")]);
        assert!(bad.is_err_and(|e| e.0.contains("`8542` is not an HS6 code")));
    }
}
