//! The CEPII BACI CSV (`t,i,j,k,v,q`), parsed byte by byte and in parallel.
//!
//! A reader thread reads the file in segments (32 MB, cut at a line end) while the previous
//! segment is parsed: each segment is split at line ends into one part per worker, and each worker
//! parses its part into its own [`RowSink`]. Line numbers of rejected rows are made absolute after
//! the workers join, so the parse itself shares nothing.
//!
//! Field rules: `t` a year; `i` and `j` BACI country codes that the country table resolves; `k` an
//! HS6 code of at most six digits (leading zeros may be missing); `v` a non-negative number (thousand
//! US dollars) up to [`MAX_FLOW_VALUE`](crate::rows::MAX_FLOW_VALUE); `q` a non-negative number up
//! to [`MAX_FLOW_QUANTITY`](crate::rows::MAX_FLOW_QUANTITY), or empty or `NA` (unknown). Fields may be quoted and
//! space-padded (BACI pads `q`). A row that breaks a rule is rejected, counted and (the first
//! [`MAX_REPORTED`]) reported with its line; the scan goes on. Blank lines are skipped.

use super::countries::{CODE_LIMIT, CountryTable};
use crate::error::{Error, Rejected, Result};
use crate::rows::{Row, RowSink};
use std::io::Read;
use std::path::Path;

/// How many rejected rows are kept with their line and reason (all are counted).
pub const MAX_REPORTED: usize = 20;

/// Bytes per segment handed to the workers.
pub const SEGMENT_BYTES: usize = 32 << 20;

/// What a scan read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanStats {
    /// Data rows read (non-blank lines after the header).
    pub rows_read: u64,
    /// Rows rejected.
    pub rows_rejected: u64,
    /// The first [`MAX_REPORTED`] rejected rows, in file order.
    pub rejected: Vec<Rejected>,
    /// Bytes read.
    pub bytes: u64,
    /// Rows not decoded because row-group statistics exclude the year asked for (Parquet only;
    /// included in `rows_read`).
    pub rows_skipped: u64,
}

impl ScanStats {
    /// Adds another scan's counts (keeps the first reported rows).
    pub fn absorb(&mut self, other: ScanStats) {
        self.rows_read += other.rows_read;
        self.rows_rejected += other.rows_rejected;
        self.bytes += other.bytes;
        self.rows_skipped += other.rows_skipped;
        for r in other.rejected {
            if self.rejected.len() < MAX_REPORTED {
                self.rejected.push(r);
            }
        }
    }
}

/// Most worker threads of a scan: each holds its own dense accumulator (about 12 MB for a full BACI
/// country table), so 64 of them stay under 1 GB. More are not faster on any machine osa targets.
pub const MAX_THREADS: usize = 64;

/// The threads to run: `requested` (a flag), else [`default_threads`]; at least 1, at most
/// [`MAX_THREADS`] (the output does not depend on the number).
pub fn threads(requested: Option<usize>) -> usize {
    requested
        .filter(|&t| t > 0)
        .unwrap_or_else(default_threads)
        .min(MAX_THREADS)
}

/// The number of worker threads to use: `OSA_THREADS` when set, else the machine's parallelism
/// (at most [`MAX_THREADS`]).
pub fn default_threads() -> usize {
    std::env::var("OSA_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .min(MAX_THREADS)
}

/// Scans a BACI CSV into `sinks` (one per worker thread). After each segment, `after_segment` sees
/// the sinks in part order (the Parquet writer drains them there, keeping file order).
/// `progress` is told the bytes of each segment done.
pub fn scan<S: RowSink>(
    path: &Path,
    table: &CountryTable,
    sinks: &mut [S],
    progress: &(dyn Fn(u64) + Sync),
    after_segment: impl FnMut(&mut [S]) -> Result<()>,
) -> Result<ScanStats> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    scan_reader(file, path, table, sinks, progress, after_segment)
}

/// [`scan`] of bytes read from `file` (a file, or an upload as it arrives), named `path` in
/// messages. A read error ends the scan with that error.
pub fn scan_reader<S: RowSink>(
    file: impl Read + Send,
    path: &Path,
    table: &CountryTable,
    sinks: &mut [S],
    progress: &(dyn Fn(u64) + Sync),
    mut after_segment: impl FnMut(&mut [S]) -> Result<()>,
) -> Result<ScanStats> {
    let file_name = path.display().to_string();
    let n_workers = sinks.len().max(1);
    let mut stats = ScanStats::default();
    std::thread::scope(|scope| -> Result<()> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<std::io::Result<Vec<u8>>>(1);
        // Used buffers go back to the reader, so that their pages are not faulted in again.
        let (back_tx, back_rx) = std::sync::mpsc::channel::<Vec<u8>>();
        scope.spawn(move || read_segments(file, SEGMENT_BYTES, tx, back_rx));
        let mut next_line = 1usize;
        let mut header_seen = false;
        for segment in rx {
            let segment = segment.map_err(|e| Error::io(path, e))?;
            stats.bytes += segment.len() as u64;
            let mut body: &[u8] = &segment;
            if !header_seen {
                let end = memchr::memchr(b'\n', body).map_or(body.len(), |e| e + 1);
                check_header(&body[..end], &file_name)?;
                body = &body[end..];
                header_seen = true;
                next_line = 2;
            }
            let parts = split_lines(body, n_workers);
            let results: Vec<Part> = std::thread::scope(|s| {
                let handles: Vec<_> = parts
                    .iter()
                    .zip(sinks.iter_mut())
                    .map(|(part, sink)| s.spawn(move || parse_part(part, table, sink)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                    .collect()
            });
            for part in results {
                stats.rows_read += part.rows;
                stats.rows_rejected += part.rejected;
                for mut r in part.reports {
                    if stats.rejected.len() < MAX_REPORTED {
                        r.line += next_line;
                        stats.rejected.push(r);
                    }
                }
                next_line += part.lines;
            }
            after_segment(sinks)?;
            progress(segment.len() as u64);
            let _ = back_tx.send(segment);
        }
        if !header_seen {
            return Err(Error::data(
                &file_name,
                1,
                "header",
                "the file is empty (expected the header t,i,j,k,v,q)",
            ));
        }
        Ok(())
    })?;
    Ok(stats)
}

fn read_segments(
    mut file: impl Read,
    size: usize,
    tx: std::sync::mpsc::SyncSender<std::io::Result<Vec<u8>>>,
    recycled: std::sync::mpsc::Receiver<Vec<u8>>,
) {
    let mut carry: Vec<u8> = Vec::new();
    // Three buffers circulate: one being parsed, one queued, one being filled.
    let mut allocated = 0;
    loop {
        let mut buf = if allocated < 3 {
            allocated += 1;
            Vec::new()
        } else {
            match recycled.recv() {
                Ok(b) => b,
                Err(_) => return,
            }
        };
        buf.clear();
        buf.reserve(carry.len() + size + 1);
        buf.append(&mut carry);
        let want = size as u64;
        let got = match (&mut file).take(want).read_to_end(&mut buf) {
            Ok(n) => n,
            Err(e) => {
                let _ = tx.send(Err(e));
                return;
            }
        };
        let eof = (got as u64) < want;
        if eof {
            if !buf.is_empty() {
                let _ = tx.send(Ok(buf));
            }
            return;
        }
        match memchr::memrchr(b'\n', &buf) {
            Some(p) => {
                carry = buf[p + 1..].to_vec();
                buf.truncate(p + 1);
                if tx.send(Ok(buf)).is_err() {
                    return;
                }
            }
            // A line longer than a segment (BACI lines are under 100 bytes): not a BACI CSV,
            // and reading on would hold the whole file in memory.
            None => {
                let _ = tx.send(Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("a line longer than {size} bytes: not a BACI CSV"),
                )));
                return;
            }
        }
    }
}

fn check_header(line: &[u8], file: &str) -> Result<()> {
    let text = String::from_utf8_lossy(line);
    let text = text.trim_start_matches('\u{feff}').trim_end();
    let cols: Vec<String> = text
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_string())
        .collect();
    if cols == ["t", "i", "j", "k", "v", "q"] {
        Ok(())
    } else {
        Err(Error::data(
            file,
            1,
            "header",
            format!(
                "expected `t,i,j,k,v,q` (the BACI layout), found `{}`",
                shown(text)
            ),
        ))
    }
}

/// At most 80 characters of `text`, control characters (a binary file's NULs) shown as `?`.
fn shown(text: &str) -> String {
    let mut s: String = text
        .chars()
        .take(80)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if text.chars().nth(80).is_some() {
        s.push_str("...");
    }
    s
}

/// Splits `body` into at most `n` parts that end at line ends.
fn split_lines(body: &[u8], n: usize) -> Vec<&[u8]> {
    let mut parts = Vec::with_capacity(n);
    let mut start = 0;
    for w in 1..n {
        let target = body.len() * w / n;
        if target <= start {
            continue;
        }
        let end = match memchr::memchr(b'\n', &body[target..]) {
            Some(e) => target + e + 1,
            None => body.len(),
        };
        parts.push(&body[start..end]);
        start = end;
    }
    parts.push(&body[start..]);
    parts
}

struct Part {
    lines: usize,
    rows: u64,
    rejected: u64,
    reports: Vec<Rejected>,
}

fn parse_part<S: RowSink>(part: &[u8], table: &CountryTable, sink: &mut S) -> Part {
    let mut out = Part {
        lines: 0,
        rows: 0,
        rejected: 0,
        reports: Vec::new(),
    };
    let mut pos = 0;
    while pos < part.len() {
        let end = memchr::memchr(b'\n', &part[pos..]).map_or(part.len(), |e| pos + e);
        let mut line = &part[pos..end];
        if let [rest @ .., b'\r'] = line {
            line = rest;
        }
        if !line.is_empty() {
            out.rows += 1;
            match parse_row(line, table) {
                Ok(row) => sink.row(&row),
                Err((field, message)) => {
                    out.rejected += 1;
                    if out.reports.len() < MAX_REPORTED {
                        out.reports.push(Rejected {
                            line: out.lines,
                            field,
                            message,
                        });
                    }
                }
            }
        }
        out.lines += 1;
        pos = end + 1;
    }
    out
}

type RowError = (&'static str, String);

/// A cursor over one line, for the fast path of [`parse_row`].
struct Cursor<'a> {
    b: &'a [u8],
    p: usize,
}

impl Cursor<'_> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.p).copied()
    }

    #[inline(always)]
    fn spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.p += 1;
        }
    }

    /// Skips spaces and an opening quote (and the spaces after it); returns whether quoted.
    #[inline(always)]
    fn open(&mut self) -> bool {
        self.spaces();
        if self.peek() == Some(b'"') {
            self.p += 1;
            self.spaces();
            true
        } else {
            false
        }
    }

    #[inline(always)]
    fn close(&mut self, quoted: bool) -> Option<()> {
        self.spaces();
        if quoted {
            if self.peek() != Some(b'"') {
                return None;
            }
            self.p += 1;
            self.spaces();
        }
        Some(())
    }

    #[inline(always)]
    fn comma(&mut self) -> Option<()> {
        if self.peek() == Some(b',') {
            self.p += 1;
            Some(())
        } else {
            None
        }
    }

    #[inline(always)]
    fn digits(&mut self, max: usize) -> Option<(u64, usize)> {
        let start = self.p;
        let mut v: u64 = 0;
        while let Some(c) = self.peek() {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            v = v.wrapping_mul(10).wrapping_add(d as u64);
            self.p += 1;
        }
        let n = self.p - start;
        (n <= max).then_some((v, n))
    }

    #[inline(always)]
    fn int(&mut self, max: usize) -> Option<u64> {
        let quoted = self.open();
        let (v, n) = self.digits(max)?;
        if n == 0 {
            return None;
        }
        self.close(quoted)?;
        Some(v)
    }

    /// A plain decimal (`123.456`), exactly rounded; anything else is left to the slow path.
    #[inline(always)]
    fn float_body(&mut self) -> Option<f64> {
        let (int, n_int) = self.digits(18)?;
        let (mut mant, mut n_frac) = (int, 0);
        if self.peek() == Some(b'.') {
            self.p += 1;
            let (frac, n) = self.digits(18)?;
            if n_int + n > 18 {
                return None;
            }
            mant = int * POW10_INT[n] + frac;
            n_frac = n;
        }
        if n_int + n_frac == 0 || mant >= (1u64 << 53) {
            return None;
        }
        Some(mant as f64 / POW10[n_frac])
    }

    #[inline(always)]
    fn float(&mut self) -> Option<f64> {
        let quoted = self.open();
        let v = self.float_body()?;
        self.close(quoted)?;
        Some(v)
    }

    /// A quantity: a plain decimal, `NA`, or empty (NaN for the last two).
    #[inline(always)]
    fn quantity(&mut self) -> Option<f64> {
        let quoted = self.open();
        let v = match self.peek() {
            Some(b'N') if self.b.get(self.p + 1) == Some(&b'A') => {
                self.p += 2;
                f64::NAN
            }
            None => f64::NAN,
            Some(b'"') if quoted => f64::NAN,
            _ => self.float_body()?,
        };
        self.close(quoted)?;
        Some(v)
    }
}

const POW10_INT: [u64; 19] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
    10_000_000_000,
    100_000_000_000,
    1_000_000_000_000,
    10_000_000_000_000,
    100_000_000_000_000,
    1_000_000_000_000_000,
    10_000_000_000_000_000,
    100_000_000_000_000_000,
    1_000_000_000_000_000_000,
];

/// The fast path: one pass over the bytes for the common forms; `None` sends the line to the
/// general parser (which accepts a superset and explains rejections).
#[inline(always)]
fn fast_row(line: &[u8], table: &CountryTable) -> Option<Row> {
    let mut c = Cursor { b: line, p: 0 };
    let year = c.int(4)?;
    c.comma()?;
    let exporter = c.int(3)?;
    c.comma()?;
    let importer = c.int(3)?;
    c.comma()?;
    let product = c.int(6)?;
    c.comma()?;
    let value = c.float()?;
    c.comma()?;
    let quantity = c.quantity()?;
    if c.p != line.len()
        || year < 1000
        || value > crate::rows::MAX_FLOW_VALUE
        || quantity > crate::rows::MAX_FLOW_QUANTITY
    {
        return None;
    }
    let exporter_idx = table.entity_of(exporter as u16)?;
    let importer_idx = table.entity_of(importer as u16)?;
    Some(Row {
        year: year as u16,
        exporter: exporter as u16,
        importer: importer as u16,
        exporter_idx,
        importer_idx,
        product: product as u32,
        value,
        quantity,
    })
}

/// Parses one data line (without its line end).
#[inline]
pub fn parse_row(line: &[u8], table: &CountryTable) -> std::result::Result<Row, RowError> {
    if let Some(row) = fast_row(line, table) {
        return Ok(row);
    }
    parse_row_general(line, table)
}

#[cold]
fn parse_row_general(line: &[u8], table: &CountryTable) -> std::result::Result<Row, RowError> {
    let mut fields: [&[u8]; 6] = [&[]; 6];
    let mut n = 0;
    let mut start = 0;
    for (p, &b) in line.iter().enumerate() {
        if b == b',' {
            if n < 6 {
                fields[n] = &line[start..p];
            }
            n += 1;
            start = p + 1;
        }
    }
    if n < 6 {
        fields[n] = &line[start..];
    }
    n += 1;
    if n != 6 {
        return Err(("row", format!("expected 6 fields (t,i,j,k,v,q), found {n}")));
    }
    let year = uint(fields[0])
        .filter(|y| (1000..=9999).contains(y))
        .ok_or_else(|| ("t", format!("`{}` is not a year", show(fields[0]))))?;
    let country = |k: usize, name: &'static str, role: &str| {
        let code = uint(fields[k])
            .filter(|&c| (c as usize) < CODE_LIMIT)
            .ok_or_else(|| (name, format!("`{}` is not a country code", show(fields[k]))))?;
        let idx = table.entity_of(code as u16).ok_or_else(|| {
            (
                name,
                format!(
                    "unknown {role} code {code} (neither in the country table nor an ISO 3166-1 numeric code)"
                ),
            )
        })?;
        Ok::<_, RowError>((code as u16, idx))
    };
    let (exporter, exporter_idx) = country(1, "i", "exporter")?;
    let (importer, importer_idx) = country(2, "j", "importer")?;
    let product = hs6_field(fields[3])
        .ok_or_else(|| ("k", format!("`{}` is not an HS6 code", show(fields[3]))))?;
    let value = number(fields[4])
        .ok_or_else(|| format!("`{}` is not a non-negative value", show(fields[4])))
        .and_then(crate::rows::check_value)
        .map_err(|m| ("v", m))?;
    let q = trim(fields[5]);
    let quantity = if q.is_empty() || q == b"NA" {
        f64::NAN
    } else {
        number(q)
            .ok_or_else(|| {
                format!(
                    "`{}` is not a non-negative quantity, empty or NA",
                    show(fields[5])
                )
            })
            .and_then(crate::rows::check_quantity)
            .map_err(|m| ("q", m))?
    };
    Ok(Row {
        year: year as u16,
        exporter,
        importer,
        exporter_idx,
        importer_idx,
        product: product as u32,
        value,
        quantity,
    })
}

fn show(b: &[u8]) -> String {
    String::from_utf8_lossy(b).trim().to_string()
}

/// Strips surrounding spaces and one pair of double quotes (and spaces inside them).
#[inline]
fn trim(mut b: &[u8]) -> &[u8] {
    while let [b' ', rest @ ..] = b {
        b = rest;
    }
    while let [rest @ .., b' '] = b {
        b = rest;
    }
    if let [b'"', inner @ .., b'"'] = b {
        b = inner;
        while let [b' ', rest @ ..] = b {
            b = rest;
        }
        while let [rest @ .., b' '] = b {
            b = rest;
        }
    }
    b
}

#[inline]
fn uint(field: &[u8]) -> Option<u64> {
    let b = trim(field);
    if b.is_empty() || b.len() > 10 {
        return None;
    }
    let mut v: u64 = 0;
    for &c in b {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + d as u64;
    }
    Some(v)
}

#[inline]
fn hs6_field(field: &[u8]) -> Option<u64> {
    let b = trim(field);
    if b.len() > 6 {
        return None;
    }
    uint(b)
}

const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Parses a decimal number. Plain decimals (`123.456`) take the exact fast path: an integer
/// mantissa below 2^53 divided by a power of ten up to 10^22 is correctly rounded (Clinger), so the
/// result equals the standard library's; anything else (exponents, long mantissas) goes to
/// `str::parse`.
#[inline]
pub fn number(field: &[u8]) -> Option<f64> {
    let b = trim(field);
    if b.is_empty() {
        return None;
    }
    let mut mant: u64 = 0;
    let mut digits = 0u32;
    let mut frac = 0u32;
    let mut seen_dot = false;
    let mut simple = true;
    for &c in b {
        match c {
            b'0'..=b'9' if digits < 19 => {
                mant = mant * 10 + (c - b'0') as u64;
                if mant != 0 {
                    digits += 1;
                }
                if seen_dot {
                    frac += 1;
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => {
                simple = false;
                break;
            }
        }
    }
    if simple && mant < (1u64 << 53) && (frac as usize) < POW10.len() && b != b"." {
        return Some(mant as f64 / POW10[frac as usize]);
    }
    std::str::from_utf8(b).ok()?.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn table() -> CountryTable {
        CountryTable::parse(
            "country_code,country_name,country_iso2,country_iso3\n4,Afghanistan,AF,AFG\n24,Angola,AO,AGO\n710,South Africa,ZA,ZAF\n",
            "c.csv",
        )
        .expect("table")
    }

    #[test]
    fn rows_parse_with_baci_quirks() {
        let t = table();
        let r = parse_row(b"2021,4,24,382390,52.051,\"       13.235\"", &t).expect("row");
        assert_eq!(
            (r.year, r.exporter, r.importer, r.product),
            (2021, 4, 24, 382390)
        );
        assert_eq!(r.value, 52.051);
        assert_eq!(r.quantity, 13.235);
        let r = parse_row(b"2021,4,56,90122,0.244,\"           NA\"", &t).expect("NA row");
        assert_eq!(r.product, 90122);
        assert!(r.quantity.is_nan());
        let r = parse_row(b"2021,4,24,\"010121\",1,", &t).expect("quoted k, empty q");
        assert_eq!(r.product, 10121);
        assert!(r.quantity.is_nan());
        // ISO numeric fallback: 840 is not in this table but is the USA.
        assert!(parse_row(b"2021,4,840,010121,1e3,2", &t).is_ok_and(|r| r.value == 1000.0));
    }

    #[test]
    fn bad_rows_name_their_field() {
        let t = table();
        let field = |l: &[u8]| parse_row(l, &t).map(|_| ()).map_err(|e| e.0);
        assert_eq!(field(b"2021,4,24,382390,52.051"), Err("row"));
        assert_eq!(field(b"2021,4,24,382390,52.051,1,2"), Err("row"));
        assert_eq!(field(b"20x1,4,24,382390,1,1"), Err("t"));
        assert_eq!(field(b"2021,999,24,382390,1,1"), Err("i"));
        assert_eq!(field(b"2021,4,1234,382390,1,1"), Err("j"));
        assert_eq!(field(b"2021,4,24,3823901,1,1"), Err("k"));
        assert_eq!(field(b"2021,4,24,382390,-1,1"), Err("v"));
        assert_eq!(field(b"2021,4,24,382390,abc,1"), Err("v"));
        assert_eq!(field(b"2021,4,24,382390,1,-2"), Err("q"));
        // Implausible values (observed: 1e308 gave an HHI of 2.0).
        assert_eq!(field(b"2021,4,24,382390,1e308,1"), Err("v"));
        assert_eq!(field(b"2021,4,24,382390,5000000000000,1"), Err("v"));
        assert_eq!(field(b"2021,4,24,382390,1,1e11"), Err("q"));
        assert!(field(b"2021,4,24,382390,10000000000,1").is_ok());
        assert_eq!(
            parse_row(b"2021,999,24,382390,1,1", &t).map(|_| ()),
            Err((
                "i",
                "unknown exporter code 999 (neither in the country table nor an ISO 3166-1 numeric code)"
                    .to_string()
            ))
        );
    }

    #[test]
    fn threads_are_bounded() {
        assert_eq!(threads(Some(1_000_000)), MAX_THREADS);
        assert_eq!(threads(Some(3)), 3);
        assert!((1..=MAX_THREADS).contains(&threads(Some(0))));
    }

    #[test]
    fn split_keeps_whole_lines() {
        let body = b"a\nbb\nccc\ndddd\n";
        for n in 1..6 {
            let parts = split_lines(body, n);
            assert_eq!(parts.concat(), body.to_vec());
            assert!(parts.iter().all(|p| p.is_empty() || p.ends_with(b"\n")));
        }
    }

    proptest! {
        #[test]
        fn fast_row_equals_general_parser(
            t in 1990u32..2030, i in prop::sample::select(vec![4u32, 24, 710, 840, 999]),
            k in 0u32..1_000_000, int in 0u64..100_000_000, frac in 0u64..1000, w in 0usize..4,
            q in prop::sample::select(vec!["", "NA", "\"   NA\"", "\"   12.5\"", "7", "\"\"", "1e3", "-1"]),
        ) {
            let t_ = table();
            let v = if w == 0 { format!("{int}") } else { format!("{int}.{frac:0w$}") };
            let line = format!("{t},{i},24,{k},{v},{q}");
            let fast = fast_row(line.as_bytes(), &t_);
            let general = parse_row_general(line.as_bytes(), &t_);
            if let Some(f) = fast {
                let g = general.expect("general accepts what fast accepts");
                prop_assert_eq!((f.year, f.exporter, f.product, f.value.to_bits()), (g.year, g.exporter, g.product, g.value.to_bits()));
                prop_assert!(f.quantity == g.quantity || (f.quantity.is_nan() && g.quantity.is_nan()));
            }
        }

        #[test]
        fn fast_float_path_equals_std(int in 0u64..10_000_000_000, frac in 0u64..1_000_000, w in 1usize..7) {
            let text = format!("{int}.{frac:0w$}");
            prop_assert_eq!(number(text.as_bytes()), text.parse::<f64>().ok());
        }
    }
}
