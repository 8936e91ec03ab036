//! The typst "world" a brief is typeset in: one main source written by [`crate::typeset`], the
//! charts as in-memory SVG files, typst's bundled fonts (embedded in the PDF), and a fixed date.
//! Nothing is read from disk or the network.

use crate::BriefError;
use std::collections::HashMap;
use std::sync::OnceLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, Source, VirtualPath};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// typst's bundled fonts, parsed once per process.
fn fonts() -> &'static (LazyHash<FontBook>, Vec<Font>) {
    static FONTS: OnceLock<(LazyHash<FontBook>, Vec<Font>)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
    })
}

fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

/// A brief's sources.
pub struct BriefWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: (i32, u8, u8),
}

impl std::fmt::Debug for BriefWorld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BriefWorld {{ {} files }}", self.files.len())
    }
}

impl BriefWorld {
    /// The main source, the files it may read (`chart-1.svg`, ...), and today's date.
    pub fn new(source: String, files: Vec<(String, Vec<u8>)>, today: (i32, u8, u8)) -> Self {
        let id = FileId::new(None, VirtualPath::new("main.typ"));
        BriefWorld {
            main: Source::new(id, source),
            files: files
                .into_iter()
                .map(|(name, data)| (FileId::new(None, VirtualPath::new(&name)), Bytes::new(data)))
                .collect(),
            today,
        }
    }

    /// Typesets the brief as a PDF.
    pub fn pdf(&self) -> Result<Vec<u8>, BriefError> {
        let doc = typst::compile::<typst::layout::PagedDocument>(self)
            .output
            .map_err(|e| BriefError::Typeset(messages(&e)))?;
        typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default())
            .map_err(|e| BriefError::Typeset(messages(&e)))
    }
}

fn messages(errors: &[typst::diag::SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| e.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

impl World for BriefWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotFound(id.vpath().as_rootless_path().into()))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.vpath().as_rootless_path().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().1.get(index).cloned()
    }

    fn today(&self, _offset: Option<i64>) -> Option<Datetime> {
        let (y, m, d) = self.today;
        Datetime::from_ymd(y, m, d)
    }
}
