//! Decoding latin-1 (ISO 8859-1) files: the BACI country table and the EU CRM tables are not
//! UTF-8. A file that is valid UTF-8 is taken as UTF-8 (later BACI releases switched).

use crate::error::Result;
use std::path::Path;

/// Decodes bytes: UTF-8 when valid (BOM dropped), otherwise latin-1 (every byte is a code point).
pub fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.strip_prefix('\u{feff}').unwrap_or(s).to_string(),
        Err(_) => bytes.iter().map(|&b| b as char).collect(),
    }
}

/// Reads and decodes a file.
pub fn read(path: &Path) -> Result<String> {
    Ok(decode(&super::read_bytes(path)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_bytes_become_their_code_points() {
        assert_eq!(decode(b"C\xf4te d'Ivoire"), "Côte d'Ivoire");
        assert_eq!(decode("Côte".as_bytes()), "Côte");
        assert_eq!(decode(b"\xef\xbb\xbfabc"), "abc");
    }
}
