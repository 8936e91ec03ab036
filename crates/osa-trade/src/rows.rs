//! One bilateral flow of a BACI file as the scans hand it over, and the trait every consumer of a
//! scan implements (the screening accumulator, the Parquet writer, a filter).

/// Largest plausible value of one flow, in thousand US dollars (`v`): 10 trillion dollars, about
/// 40% of a year's world trade in one product between two countries. BACI's largest flows are
/// below 2e8. A larger value is a corrupt or hostile row and is rejected with its line; with it,
/// no sum of a year's flows can reach the limits of the screening's integer arithmetic.
pub const MAX_FLOW_VALUE: f64 = 1e10;

/// Largest plausible quantity of one flow, in tonnes (`q`): ten billion tonnes, more than a
/// year's world output of any commodity.
pub const MAX_FLOW_QUANTITY: f64 = 1e10;

/// Whether a value is a number in 0..=[`MAX_FLOW_VALUE`] (the hot path of the readers).
#[inline(always)]
pub fn plausible_value(v: f64) -> bool {
    (0.0..=MAX_FLOW_VALUE).contains(&v)
}

/// Whether a known quantity is a number in 0..=[`MAX_FLOW_QUANTITY`].
#[inline(always)]
pub fn plausible_quantity(q: f64) -> bool {
    (0.0..=MAX_FLOW_QUANTITY).contains(&q)
}

/// Checks a value (`v`) against [`MAX_FLOW_VALUE`]; the message quotes it.
#[cold]
pub fn check_value(v: f64) -> Result<f64, String> {
    if !(v.is_finite() && v >= 0.0) {
        return Err(format!("`{v}` is not a non-negative value"));
    }
    if v > MAX_FLOW_VALUE {
        return Err(format!(
            "`{v}` thousand USD is beyond the plausible bound of {MAX_FLOW_VALUE:e} (10 trillion dollars in one flow)"
        ));
    }
    Ok(v)
}

/// Checks a known quantity (`q`) against [`MAX_FLOW_QUANTITY`].
#[cold]
pub fn check_quantity(q: f64) -> Result<f64, String> {
    if !(q.is_finite() && q >= 0.0) {
        return Err(format!("`{q}` is not a non-negative quantity, empty or NA"));
    }
    if q > MAX_FLOW_QUANTITY {
        return Err(format!(
            "`{q}` tonnes is beyond the plausible bound of {MAX_FLOW_QUANTITY:e} tonnes in one flow"
        ));
    }
    Ok(q)
}

/// One flow: exporter `i` ships product `k` to importer `j` in year `t` (BACI's columns).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    /// Year (`t`).
    pub year: u16,
    /// Exporter's BACI numeric code (`i`).
    pub exporter: u16,
    /// Importer's BACI numeric code (`j`).
    pub importer: u16,
    /// Exporter's entity in the country table (see `ingest::countries`).
    pub exporter_idx: u32,
    /// Importer's entity in the country table.
    pub importer_idx: u32,
    /// HS6 product code as an integer (`k`; `90122` is HS6 `090122`).
    pub product: u32,
    /// Value in thousand US dollars (`v`).
    pub value: f64,
    /// Quantity in metric tonnes (`q`); NaN when unknown (`NA` or empty).
    pub quantity: f64,
}

/// A consumer of rows. One sink per worker thread; sinks are merged (or drained in order) by
/// the scan's caller.
pub trait RowSink: Send {
    /// Takes one valid row.
    fn row(&mut self, row: &Row);
}

/// Formats an HS6 code with its leading zeros (`90122` -> `090122`).
pub fn hs6(code: u32) -> String {
    format!("{code:06}")
}

/// Parses an HS6 code written with six digits (or fewer: leading zeros may be lost in CSV).
pub fn parse_hs6(text: &str) -> Option<u32> {
    let t = text.trim();
    if t.is_empty() || t.len() > 6 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hs6_keeps_leading_zeros() {
        assert_eq!(hs6(90122), "090122");
        assert_eq!(parse_hs6("090122"), Some(90122));
        assert_eq!(parse_hs6("90122"), Some(90122));
        assert_eq!(parse_hs6("8486200"), None);
        assert_eq!(parse_hs6("84x620"), None);
    }
}
