//! Unpacking what a release comes in. An ETO release arrives as a .zip or .tar.gz of its folder
//! (the CSV files at any depth), or an osa ecosystem as its TOML text; a BACI year as its CSV or
//! as the .zip CEPII distributes. Entry names are only compared with the file names a format
//! knows: the files are written under those known names into a fresh temporary folder, so no
//! entry name ever becomes a path. The entry count and the bytes unpacked are bounded (a zip bomb
//! stops at the bound), and links, devices and FIFOs inside archives are ignored.

use super::{Area, Blob, MAX_ENTRIES, MAX_RELEASE_UNPACKED, MAX_TRADE_UNPACKED};
use crate::{AppError, Result};
use osa_io::Loaded;
use osa_io::resolve::Origin;
use std::io::{Read, Write};
use std::path::Path;

/// The files of an ETO release, by the only names they are written under.
pub const ETO_FILES: [&str; 6] = [
    "inputs.csv",
    "stages.csv",
    "providers.csv",
    "provision.csv",
    "sequence.csv",
    "images.csv",
];

/// What an uploaded release held, validated.
#[derive(Debug)]
pub struct Unpacked {
    /// The checked ecosystem.
    pub loaded: Loaded,
    /// `eto-zip`, `eto-tar-gz` or `osa-toml`.
    pub format: &'static str,
}

/// The kind of bytes, by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Magic {
    Zip,
    Gzip,
    Other,
}

fn magic(path: &Path) -> Result<Magic> {
    let mut head = [0u8; 4];
    let mut f =
        std::fs::File::open(path).map_err(|e| AppError::data("could not read the upload", e))?;
    let n = f
        .read(&mut head)
        .map_err(|e| AppError::data("could not read the upload", e))?;
    Ok(match &head[..n] {
        [b'P', b'K', 3, 4] => Magic::Zip,
        [0x1f, 0x8b, ..] => Magic::Gzip,
        _ => Magic::Other,
    })
}

fn bad(message: impl Into<String>) -> AppError {
    AppError::invalid("body", message)
}

/// The base name of an archive entry (after its last `/` or `\`), compared, never opened.
fn base_name(entry: &str) -> &str {
    entry.rsplit(['/', '\\']).next().unwrap_or(entry)
}

/// Copies at most what is left of `budget` bytes from `r` into `dir/name` (a known name).
fn copy_bounded(r: &mut dyn Read, dir: &Path, name: &str, budget: &mut u64) -> Result<()> {
    let path = dir.join(name);
    let mut out = std::fs::File::create_new(&path).map_err(|_| {
        bad(format!(
            "the archive holds `{name}` twice (one release folder per upload)"
        ))
    })?;
    let n = std::io::copy(&mut r.take(*budget + 1), &mut out)
        .map_err(|e| bad(format!("could not unpack `{name}`: {e}")))?;
    if n > *budget {
        return Err(AppError::TooLarge(format!(
            "the archive unpacks to more than {MAX_RELEASE_UNPACKED} bytes"
        )));
    }
    *budget -= n;
    out.flush()
        .map_err(|e| AppError::data("could not unpack the upload", e))
}

fn known(entry: &str) -> Option<&'static str> {
    let b = base_name(entry);
    ETO_FILES
        .iter()
        .copied()
        .find(|k| k.eq_ignore_ascii_case(b))
}

fn unzip_release(file: &Path, dir: &Path) -> Result<()> {
    let f =
        std::fs::File::open(file).map_err(|e| AppError::data("could not read the upload", e))?;
    let mut zip =
        zip::ZipArchive::new(f).map_err(|e| bad(format!("not a valid .zip archive: {e}")))?;
    if zip.len() > MAX_ENTRIES {
        return Err(bad(format!(
            "more than {MAX_ENTRIES} entries in the archive"
        )));
    }
    let mut budget = MAX_RELEASE_UNPACKED;
    for i in 0..zip.len() {
        let mut e = zip
            .by_index(i)
            .map_err(|e| bad(format!("not a valid .zip archive: {e}")))?;
        if !e.is_file() {
            continue;
        }
        if let Some(name) = known(e.name()) {
            copy_bounded(&mut e, dir, name, &mut budget)?;
        }
    }
    Ok(())
}

fn untar_release(file: &Path, dir: &Path) -> Result<()> {
    let f =
        std::fs::File::open(file).map_err(|e| AppError::data("could not read the upload", e))?;
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(std::io::BufReader::new(f)));
    let entries = tar
        .entries()
        .map_err(|e| bad(format!("not a valid .tar.gz archive: {e}")))?;
    let mut budget = MAX_RELEASE_UNPACKED;
    for (i, e) in entries.enumerate() {
        if i >= MAX_ENTRIES {
            return Err(bad(format!(
                "more than {MAX_ENTRIES} entries in the archive"
            )));
        }
        let mut e = e.map_err(|e| bad(format!("not a valid .tar.gz archive: {e}")))?;
        if e.header().entry_type() != tar::EntryType::Regular {
            continue;
        }
        let name = e
            .path_bytes()
            .iter()
            .map(|&b| b as char)
            .collect::<String>();
        if let Some(name) = known(&name) {
            copy_bounded(&mut e, dir, name, &mut budget)?;
        }
    }
    Ok(())
}

/// Validates an uploaded release whole: unpacks an ETO archive into `scratch` and imports it, or
/// parses an osa ecosystem's TOML. Nothing is registered here.
pub fn unpack_release(blob: &Blob, scratch: &Path) -> Result<Unpacked> {
    unpack_file(blob.path(), &format!("upload {}", blob.sha256), scratch)
}

/// The same for a file (an upload's blob, or an operator's archive on this host); `origin` is
/// what the record says it came from.
pub fn unpack_file(file: &Path, origin: &str, scratch: &Path) -> Result<Unpacked> {
    let origin = origin.to_string();
    let (format, imported) = match magic(file)? {
        Magic::Zip => {
            unzip_release(file, scratch)?;
            ("eto-zip", import_eto(scratch)?)
        }
        Magic::Gzip => {
            untar_release(file, scratch)?;
            ("eto-tar-gz", import_eto(scratch)?)
        }
        Magic::Other => {
            let bytes =
                std::fs::read(file).map_err(|e| AppError::data("could not read the upload", e))?;
            let text = String::from_utf8(bytes).map_err(|e| {
                bad(format!(
                    "neither a .zip or .tar.gz of an ETO release nor an osa ecosystem (TOML): not UTF-8 text ({e})"
                ))
            })?;
            let checked = osa_io::toml_eco::parse(&text, "the uploaded ecosystem").map_err(|e| {
                AppError::data(
                    "neither a .zip or .tar.gz of an ETO release nor a valid osa ecosystem (TOML)",
                    e,
                )
            })?;
            let loaded = Loaded {
                checked,
                origin: Origin::File(origin),
                warnings: Vec::new(),
            };
            return Ok(Unpacked {
                loaded,
                format: "osa-toml",
            });
        }
    };
    Ok(Unpacked {
        loaded: Loaded {
            checked: imported.checked,
            origin: Origin::Eto(origin, imported.layout),
            warnings: imported.warnings,
        },
        format,
    })
}

fn import_eto(dir: &Path) -> Result<osa_io::eto::Imported> {
    if !osa_io::eto::is_eto_dir(dir) {
        let missing: Vec<&str> = ETO_FILES[..5]
            .iter()
            .copied()
            .filter(|f| !dir.join(f).is_file())
            .collect();
        return Err(bad(format!(
            "not an ETO release: the archive lacks {}",
            missing.join(", ")
        )));
    }
    osa_io::eto::import(dir).map_err(|e| {
        // Diagnostics name the unpacked files: by their names in the release, not the folder.
        let text = e.to_string().replace(&format!("{}/", dir.display()), "");
        bad(format!("the uploaded ETO release is invalid: {text}"))
    })
}

/// A BACI upload as the CSV to ingest, with the country table when CEPII's .zip holds one: the
/// blob itself, or the one BACI CSV (and `country_codes*.csv`) inside the .zip, copied (bounded)
/// into the area under their own SHA-256.
pub fn trade_csv(area: &Area, blob: &Blob) -> Result<(Blob, Option<Blob>)> {
    match magic(blob.path())? {
        Magic::Zip => {}
        Magic::Gzip => return Err(bad("a BACI year is a CSV or CEPII's .zip, not a .gz")),
        Magic::Other => return Ok((blob.clone(), None)),
    }
    let f = std::fs::File::open(blob.path())
        .map_err(|e| AppError::data("could not read the upload", e))?;
    let mut zip =
        zip::ZipArchive::new(f).map_err(|e| bad(format!("not a valid .zip archive: {e}")))?;
    if zip.len() > MAX_ENTRIES {
        return Err(bad(format!(
            "more than {MAX_ENTRIES} entries in the archive"
        )));
    }
    let named = |zip: &zip::ZipArchive<std::fs::File>, prefix: &str| -> Vec<usize> {
        (0..zip.len())
            .filter(|&i| {
                zip.name_for_index(i).is_some_and(|n| {
                    let b = base_name(n).to_ascii_lowercase();
                    b.starts_with(prefix) && b.ends_with(".csv")
                })
            })
            .collect()
    };
    let [year] = named(&zip, "baci")[..] else {
        return Err(bad(format!(
            "the .zip holds {} BACI CSV files (BACI_*.csv); upload one year",
            named(&zip, "baci").len()
        )));
    };
    let tables = named(&zip, "country_codes");
    let csv = copy_member(area, &mut zip, year)?;
    let countries = match tables[..] {
        [t] => Some(copy_member(area, &mut zip, t)?),
        _ => None,
    };
    Ok((csv, countries))
}

fn copy_member(area: &Area, zip: &mut zip::ZipArchive<std::fs::File>, i: usize) -> Result<Blob> {
    let mut e = zip
        .by_index(i)
        .map_err(|e| bad(format!("not a valid .zip archive: {e}")))?;
    area.accept_with(MAX_TRADE_UNPACKED, |inc| {
        std::io::copy(&mut (&mut e).take(MAX_TRADE_UNPACKED + 1), inc).map_err(|e| {
            match e.into_inner().and_then(|i| i.downcast::<AppError>().ok()) {
                Some(app) => *app,
                None => bad("could not unpack a CSV from the .zip"),
            }
        })?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpacking_stops_at_the_bound_and_only_known_names_are_written() {
        let dir = tempfile::tempdir().unwrap();
        let mut budget = 10;
        let mut big: &[u8] = &[b'x'; 11];
        let r = copy_bounded(&mut big, dir.path(), "inputs.csv", &mut budget);
        assert!(matches!(r, Err(AppError::TooLarge(_))), "{r:?}");
        assert_eq!(known("../../etc/inputs.csv"), Some("inputs.csv"));
        assert_eq!(known("C:\\x\\Provision.CSV"), Some("provision.csv"));
        assert_eq!(known("../../etc/passwd"), None);
        assert_eq!(known("__MACOSX/._inputs.csv"), None);
    }
}
