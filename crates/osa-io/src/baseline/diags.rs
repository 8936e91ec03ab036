//! Diagnostics for one baseline file: every problem with its file, line, record and field, collected
//! before failing, and the small checks (source, dimension, country, date) shared by every file.

use super::S;
use crate::error::{Diagnostic, Error, Result};
use crate::lines::LineIndex;
use osa_assess::{Dimension, Source};
use osa_model::{CountryCode, Date};

/// Collects diagnostics for one file.
pub(super) struct Diags<'a> {
    file: &'a str,
    lines: LineIndex,
    out: Vec<Diagnostic>,
}

impl<'a> Diags<'a> {
    pub(super) fn new(file: &'a str, text: &str) -> Diags<'a> {
        Diags {
            file,
            lines: LineIndex::new(text),
            out: Vec::new(),
        }
    }
    pub(super) fn push(&mut self, at: Option<usize>, record: &str, field: &str, message: String) {
        self.out.push(Diagnostic {
            file: self.file.to_string(),
            line: at.map(|o| self.lines.line(o)),
            record: record.to_string(),
            field: field.to_string(),
            message,
        });
    }
    pub(super) fn source(&mut self, s: &S<String>, record: &str, field: &str) -> Source {
        match Source::parse(s.get_ref()) {
            Ok(src) => src,
            Err(m) => {
                self.push(Some(s.span().start), record, field, m);
                Source::Judgment("invalid source".into())
            }
        }
    }
    pub(super) fn dimension(
        &mut self,
        s: &S<String>,
        record: &str,
        field: &str,
    ) -> Option<Dimension> {
        match s.get_ref().parse::<Dimension>() {
            Ok(d) => Some(d),
            Err(m) => {
                self.push(Some(s.span().start), record, field, m);
                None
            }
        }
    }
    pub(super) fn country(
        &mut self,
        s: &S<String>,
        record: &str,
        field: &str,
    ) -> Option<CountryCode> {
        let c = CountryCode::parse(s.get_ref());
        if c.is_none() {
            self.push(
                Some(s.span().start),
                record,
                field,
                format!(
                    "unknown country code `{}` (not ISO 3166-1 alpha-3)",
                    s.get_ref()
                ),
            );
        }
        c
    }
    pub(super) fn date(&mut self, s: &S<String>, record: &str, field: &str) -> Option<Date> {
        let d = Date::parse(s.get_ref());
        if d.is_none() {
            self.push(
                Some(s.span().start),
                record,
                field,
                format!("`{}` is not a date (YYYY-MM-DD)", s.get_ref()),
            );
        }
        d
    }
    pub(super) fn finish<T>(self, value: T) -> Result<T> {
        if self.out.is_empty() {
            Ok(value)
        } else {
            Err(Error::Invalid(self.out))
        }
    }
}
