//! Briefs of the record: a technology's dossier or the matrix as of a revision, as PDF or Word
//! (`crate::brief`), with the revision and its date on the title page.

use super::Workbench;
use crate::Result;
use crate::brief::{self, BriefContext, BriefFormat};
use crate::reader::SeedText;

impl Workbench {
    /// The words a brief's title page gives the record's state: "The record as of revision 12
    /// (2026-12-07 10:00 UTC, by rev)".
    async fn brief_context(&self, rev: i64) -> Result<BriefContext> {
        let words = match self.store.revision(rev).await? {
            Some(r) => format!(
                "The record as of revision {rev} ({}, by {})",
                r.at, r.author
            ),
            None => format!("The record as of revision {rev}"),
        };
        Ok(BriefContext::now(words))
    }

    /// A technology's dossier as a brief, step 4 led by `priority` when given (as the page); the
    /// revision read comes back with it.
    pub async fn dossier_brief(
        &self,
        (id, priority): (&str, Option<osa_assess::Dimension>),
        as_of: Option<&str>,
        format: BriefFormat,
        seed: Option<&SeedText>,
    ) -> Result<(i64, Vec<u8>)> {
        let a = self.dossier_with_priority(id, as_of, priority).await?.value;
        let ctx = self.brief_context(a.revision).await?;
        Ok((a.revision, brief::dossier(&a.value, &ctx, format, seed)?))
    }

    /// The matrix as a brief.
    pub async fn matrix_brief(
        &self,
        as_of: Option<&str>,
        format: BriefFormat,
        seed: Option<&SeedText>,
    ) -> Result<(i64, Vec<u8>)> {
        let a = self.matrix(as_of).await?;
        let ctx = self.brief_context(a.revision).await?;
        Ok((a.revision, brief::matrix(&a.value, &ctx, format, seed)?))
    }
}
