//! Data that comes in as bytes: the managed upload area of a data folder (`area`: each upload
//! written under the SHA-256 of its content, never a name a client chose, bounded in size and
//! removed when refused) and the archives a release comes in (`archive`: a .zip or .tar.gz of an
//! ETO release folder, the .zip CEPII distributes BACI in), whose entry names never become paths
//! outside a fresh temporary folder; and the pipe (`pipe`) that hands a body's bytes to a
//! blocking parser as they arrive. Nothing here opens a path a client sent: the server only
//! hands over bytes; the operator's CLI hands over the operator's own files.

pub mod archive;
pub mod area;
pub mod pipe;

pub use archive::{Unpacked, unpack_release};
pub use area::{Area, Blob, Incoming};

/// At most this many bytes in an uploaded data release (ETO archive or CSV, osa TOML).
pub const MAX_RELEASE_BYTES: u64 = 64 * 1024 * 1024;
/// At most this many bytes unpacked from one release archive (zip bombs stop here).
pub const MAX_RELEASE_UNPACKED: u64 = 256 * 1024 * 1024;
/// At most this many entries in one archive.
pub const MAX_ENTRIES: usize = 1000;
/// At most this many bytes in an uploaded trade file (a BACI year is about 0.5-1 GB as CSV).
pub const MAX_TRADE_BYTES: u64 = 4 * 1024 * 1024 * 1024;
/// At most this many bytes unpacked from the CEPII .zip of one BACI year.
pub const MAX_TRADE_UNPACKED: u64 = 8 * 1024 * 1024 * 1024;

/// Lowercase hex of a digest.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `s` is a SHA-256 in lowercase hex (the only name an upload has).
pub fn is_digest(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}
