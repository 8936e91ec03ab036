//! Propose and review: the form that proposes a change to one cell (level or silence, rationale,
//! evidence with its source, a range, a required note), the reviewer's queue, one proposal with
//! the cell before and after side by side and the approve/reject form, and a cell's history as a
//! timeline. Who may do what is the application layer's rule; the pages only hide what a role
//! cannot use.

use crate::{Ctx, Page};
use maud::{Markup, html};
use osa_app::workbench::cells::{CellChange, EvidenceInput, RangeInput, SignalInput};
use osa_app::workbench::entries::SectionChange;
use osa_app::workbench::impact::{Impact, TechnologyImpact};
use osa_app::workbench::review::{ProposalReview, TimelineStep};
use osa_store::proposals::Proposal;
use osa_view::assess::MatrixCell;
use osa_view::html::lvl;
use serde::{Deserialize, Serialize};

/// How many evidence rows the form offers.
pub const EVIDENCE_ROWS: usize = 3;

/// A form's problem: the field at fault and what is wrong.
#[derive(Debug, Clone, Serialize)]
pub struct FieldError {
    /// The field (`level`, `evidence[0].source`, `note`, ...).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// The cell form as posted (every field a string, as browsers send them).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CellForm {
    /// The version of the technology the analyst saw.
    pub base_version: i64,
    /// `0`-`4`, or `silent`.
    pub level: String,
    /// The new rationale (empty: keep).
    #[serde(default)]
    pub rationale: String,
    /// Evidence rows (empty rows are ignored).
    #[serde(default)]
    pub evidence_text_1: String,
    #[serde(default)]
    #[allow(missing_docs)]
    pub evidence_source_1: String,
    #[serde(default)]
    #[allow(missing_docs)]
    pub evidence_text_2: String,
    #[serde(default)]
    #[allow(missing_docs)]
    pub evidence_source_2: String,
    #[serde(default)]
    #[allow(missing_docs)]
    pub evidence_text_3: String,
    #[serde(default)]
    #[allow(missing_docs)]
    pub evidence_source_3: String,
    /// A range's low level (empty: no new range).
    #[serde(default)]
    pub range_low: String,
    /// A range's high level.
    #[serde(default)]
    pub range_high: String,
    /// Why the level is contestable.
    #[serde(default)]
    pub range_reason: String,
    /// The range's sources, separated by `;`.
    #[serde(default)]
    pub range_sources: String,
    /// `on` to remove the cell's range.
    #[serde(default)]
    pub clear_range: String,
    /// `on` to replace the cell's signals with the rows below (none filled: remove them).
    #[serde(default)]
    pub set_signals: String,
    /// Signal rows: kind (`risk`, `benefit`, or empty: no signal), level, text, sources (`;`).
    #[serde(default)]
    pub signal_kind_1: String,
    #[serde(default)]
    #[allow(missing_docs)]
    pub signal_level_1: String,
    #[serde(default)]
    #[allow(missing_docs)]
    pub signal_text_1: String,
    #[serde(default)]
    #[allow(missing_docs)]
    pub signal_sources_1: String,
    #[serde(default)]
    #[allow(missing_docs)]
    pub signal_kind_2: String,
    #[serde(default)]
    #[allow(missing_docs)]
    pub signal_level_2: String,
    #[serde(default)]
    #[allow(missing_docs)]
    pub signal_text_2: String,
    #[serde(default)]
    #[allow(missing_docs)]
    pub signal_sources_2: String,
    /// Why (required).
    #[serde(default)]
    pub note: String,
}

/// How many signal rows the form offers.
pub const SIGNAL_ROWS: usize = 2;

fn sources_list(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn bad(field: &str, message: &str) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

fn level_of(field: &str, s: &str) -> Result<i64, FieldError> {
    s.trim()
        .parse::<i64>()
        .map_err(|_| bad(field, "choose a level 0-4"))
}

impl CellForm {
    /// The evidence rows filled in: (text, source).
    fn evidence(&self) -> [(&str, &str); EVIDENCE_ROWS] {
        [
            (&self.evidence_text_1, &self.evidence_source_1),
            (&self.evidence_text_2, &self.evidence_source_2),
            (&self.evidence_text_3, &self.evidence_source_3),
        ]
        .map(|(t, s)| (t.as_str(), s.as_str()))
    }

    /// The signal rows: (kind, level, text, sources).
    fn signal_rows(&self) -> [(&str, &str, &str, &str); SIGNAL_ROWS] {
        [
            (
                &self.signal_kind_1,
                &self.signal_level_1,
                &self.signal_text_1,
                &self.signal_sources_1,
            ),
            (
                &self.signal_kind_2,
                &self.signal_level_2,
                &self.signal_text_2,
                &self.signal_sources_2,
            ),
        ]
        .map(|(k, l, t, s)| (k.as_str(), l.as_str(), t.as_str(), s.as_str()))
    }

    /// The form's values for a cell as published (its level and signals).
    pub fn for_cell(c: &MatrixCell, base_version: i64) -> CellForm {
        let mut f = CellForm {
            base_version,
            level: c
                .level
                .map_or_else(|| "silent".to_string(), |l| l.to_string()),
            ..CellForm::default()
        };
        let rows = [
            (
                &mut f.signal_kind_1,
                &mut f.signal_level_1,
                &mut f.signal_text_1,
                &mut f.signal_sources_1,
            ),
            (
                &mut f.signal_kind_2,
                &mut f.signal_level_2,
                &mut f.signal_text_2,
                &mut f.signal_sources_2,
            ),
        ];
        for (x, (k, l, t, s)) in c.signals.iter().zip(rows) {
            *k = x.kind.to_string();
            *l = x.level.to_string();
            *t = x.text.clone();
            *s = x.sources.join("; ");
        }
        f
    }

    fn signals(&self) -> Result<Option<Vec<SignalInput>>, FieldError> {
        if self.set_signals != "on" {
            return Ok(None);
        }
        let mut out = Vec::new();
        for (k, (kind, level, text, sources)) in self.signal_rows().into_iter().enumerate() {
            if kind.trim().is_empty() {
                continue;
            }
            out.push(SignalInput {
                kind: kind.trim().to_string(),
                level: level_of(&format!("signals[{k}].level"), level)?,
                text: text.trim().to_string(),
                sources: sources_list(sources),
            });
        }
        Ok(Some(out))
    }

    /// The change the form asks for (the application layer checks it further).
    pub fn to_change(&self) -> Result<CellChange, FieldError> {
        let (level, silent) = match self.level.trim() {
            "silent" => (None, true),
            l => (Some(level_of("level", l)?), false),
        };
        let mut evidence = Vec::new();
        for (k, (text, source)) in self.evidence().into_iter().enumerate() {
            match (text.trim().is_empty(), source.trim().is_empty()) {
                (true, true) => {}
                (false, false) => evidence.push(EvidenceInput {
                    text: text.trim().to_string(),
                    source: source.trim().to_string(),
                }),
                (false, true) => {
                    return Err(bad(
                        &format!("evidence[{k}].source"),
                        "evidence needs its source",
                    ));
                }
                (true, false) => {
                    return Err(bad(
                        &format!("evidence[{k}].text"),
                        "say what the source says",
                    ));
                }
            }
        }
        let range = if self.range_low.trim().is_empty() && self.range_high.trim().is_empty() {
            None
        } else {
            Some(RangeInput {
                low: level_of("range.low", &self.range_low)?,
                high: level_of("range.high", &self.range_high)?,
                reason: self.range_reason.trim().to_string(),
                sources: sources_list(&self.range_sources),
            })
        };
        Ok(CellChange {
            level,
            silent,
            rationale: Some(self.rationale.trim().to_string()).filter(|r| !r.is_empty()),
            evidence,
            range,
            clear_range: self.clear_range == "on",
            signals: self.signals()?,
            note: self.note.trim().to_string(),
        })
    }
}

/// The form to propose a change to one cell.
#[derive(Debug, Clone, Serialize)]
pub struct ProposePage {
    /// The technology's id.
    pub technology: String,
    /// Its name.
    pub name: String,
    /// The dimension's id.
    pub dimension: String,
    /// The dimension's name.
    pub dimension_name: String,
    /// The cell as published.
    pub current: MatrixCell,
    /// The form's values (the published level, or what was posted).
    pub form: CellForm,
    /// Why the last post was refused.
    pub error: Option<FieldError>,
    /// Proposals open on this cell (one at a time is reviewed).
    pub open: Vec<Proposal>,
}

/// A cell's state: its level, rationale, range, signals and evidence.
pub fn cell(c: &MatrixCell, ctx: &Ctx) -> Markup {
    cell_vs(c, None, ctx)
}

/// A cell's state, what differs from `before` marked (`ins.changed`, a "new" tag on evidence).
pub fn cell_vs(c: &MatrixCell, before: Option<&MatrixCell>, ctx: &Ctx) -> Markup {
    let changed = |same: bool| before.is_some() && !same;
    let level_changed = changed(before.is_some_and(|b| b.level == c.level && b.silent == c.silent));
    let rationale_changed = changed(before.is_some_and(|b| b.rationale == c.rationale));
    let is_new = |e: &osa_view::assess::EvidenceView| {
        before.is_some_and(|b| {
            !b.evidence
                .iter()
                .any(|x| x.text == e.text && x.source == e.source)
        })
    };
    html! {
        div.cell {
            p class=[level_changed.then_some("changed")] { "Level " (lvl(c.level)) " " @if let Some(l) = c.label { (l) } @if c.silent { "the report is silent" }
                @if level_changed { " " span.tag.new { "changed" } } }
            @if !c.rationale.is_empty() { p class=[rationale_changed.then_some("changed")] { (c.rationale) @if rationale_changed { " " span.tag.new { "changed" } } } }
            @if let Some(r) = &c.range {
                p { "Range " (r.low) "–" (r.high) ": " (r.reason) " " @for s in &r.sources { (ctx.links.cite(s)) " " } }
            }
            @if !c.signals.is_empty() {
                ul.signals { @for s in &c.signals { li { (s.kind) " " (lvl(Some(s.level))) " " (s.text) " " @for x in &s.sources { (ctx.links.cite(x)) " " } } } }
            }
            @if c.evidence.is_empty() { p.muted { "No evidence." } }
            @else { ul.evidence { @for e in &c.evidence {
                @if is_new(e) { li.changed { span.tag.new { "new" } " " (e.text) " " (ctx.links.cite(&e.source)) } }
                @else { li { (e.text) " " (ctx.links.cite(&e.source)) } }
            } } }
        }
    }
}

fn error_for(err: &Option<FieldError>, prefix: &str) -> Markup {
    html! {
        @if let Some(e) = err.as_ref().filter(|e| e.field.starts_with(prefix)) {
            span.field-error id={"err-" (prefix.replace(['[', ']', '.'], "-"))} role="alert" { (e.field) ": " (e.message) }
        }
    }
}

fn evidence_rows(p: &ProposePage) -> Markup {
    html! {
        fieldset {
            legend { "Evidence to add (each with its source: seed L…, pub: …, data: … or judgment: …)" }
            @for (k, (text, source)) in p.form.evidence().into_iter().enumerate() {
                div.row {
                    label for={"evidence_text_" (k + 1)} { "Evidence " (k + 1) }
                    textarea id={"evidence_text_" (k + 1)} name={"evidence_text_" (k + 1)} rows="2" maxlength="20000" { (text) }
                    label for={"evidence_source_" (k + 1)} { "Source of evidence " (k + 1) }
                    input id={"evidence_source_" (k + 1)} name={"evidence_source_" (k + 1)} type="text" value=(source) maxlength="500" placeholder="seed L2062-2063";
                    (error_for(&p.error, &format!("evidence[{k}]")))
                }
            }
        }
    }
}

fn signal_rows(p: &ProposePage) -> Markup {
    html! {
        fieldset {
            legend { "Signals: where risks diverge within the dimension (seed L134-138)" }
            p { input #set_signals name="set_signals" type="checkbox" checked[p.form.set_signals == "on"];
                " " label for="set_signals" { "Replace the cell's signals with these (leave every kind empty to remove them)" } }
            @for (k, (kind, level, text, sources)) in p.form.signal_rows().into_iter().enumerate() {
                div.row {
                    label for={"signal_kind_" (k + 1)} { "Signal " (k + 1) ": kind" }
                    select id={"signal_kind_" (k + 1)} name={"signal_kind_" (k + 1)} {
                        @for (v, label) in [("", "none"), ("risk", "risk"), ("benefit", "benefit")] {
                            option value=(v) selected[kind == v] { (label) }
                        }
                    }
                    label for={"signal_level_" (k + 1)} { "Signal " (k + 1) ": level" }
                    input id={"signal_level_" (k + 1)} name={"signal_level_" (k + 1)} type="number" min="0" max="4" value=(level);
                    label for={"signal_text_" (k + 1)} { "Signal " (k + 1) ": what it is" }
                    textarea id={"signal_text_" (k + 1)} name={"signal_text_" (k + 1)} rows="2" maxlength="20000" { (text) }
                    label for={"signal_sources_" (k + 1)} { "Signal " (k + 1) ": sources (separated by ;)" }
                    input id={"signal_sources_" (k + 1)} name={"signal_sources_" (k + 1)} type="text" value=(sources) maxlength="2000";
                    (error_for(&p.error, &format!("signals[{k}]")))
                }
            }
        }
    }
}

fn propose_form(p: &ProposePage) -> Markup {
    let levels = ["0", "1", "2", "3", "4", "silent"];
    html! {
        form.propose method="post" action={"/tech/" (p.technology) "/" (p.dimension) "/propose"} {
            input type="hidden" name="base_version" value=(p.form.base_version);
            p {
                label for="level" { "Level" }
                select #level name="level" {
                    @for l in levels {
                        option value=(l) selected[p.form.level == l] { (if l == "silent" { "the report is silent" } else { l }) }
                    }
                }
                (error_for(&p.error, "level"))
                (error_for(&p.error, "silent"))
            }
            p { label for="rationale" { "Rationale (empty: keep the current one)" } br;
                textarea #rationale name="rationale" rows="3" maxlength="20000" { (p.form.rationale) } }
            (evidence_rows(p))
            fieldset {
                legend { "Range a second reader could defend (optional)" }
                label for="range_low" { "Low" } input #range_low name="range_low" type="number" min="0" max="4" value=(p.form.range_low);
                label for="range_high" { "High" } input #range_high name="range_high" type="number" min="0" max="4" value=(p.form.range_high);
                label for="range_reason" { "Why" } input #range_reason name="range_reason" type="text" value=(p.form.range_reason) maxlength="2000";
                label for="range_sources" { "Sources (separated by ;)" } input #range_sources name="range_sources" type="text" value=(p.form.range_sources) maxlength="2000";
                label for="clear_range" { "Remove the current range" } input #clear_range name="clear_range" type="checkbox" checked[p.form.clear_range == "on"];
                (error_for(&p.error, "range"))
            }
            (signal_rows(p))
            p { label for="note" { "Note: why this change (required, kept with the revision)" } br;
                textarea #note name="note" rows="2" required maxlength="20000" { (p.form.note) } (error_for(&p.error, "note")) }
            @if let Some(e) = p.error.as_ref().filter(|e| !["level", "silent", "evidence", "range", "note", "signals["].iter().any(|f| e.field.starts_with(f))) {
                p.error role="alert" { (e.field) ": " (e.message) }
            }
            p { button type="submit" { "Propose for review" } }
        }
    }
}

impl Page for ProposePage {
    fn title(&self) -> String {
        format!("Propose: {} · {}", self.name, self.dimension_name)
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        html! {
            h1 { "Propose a change: " (self.name) " · " (self.dimension_name) }
            p.muted { "A reviewer other than you approves or rejects it; until then the published level stands." }
            @if !self.open.is_empty() {
                div.stale role="note" aria-label="Open proposals on this cell" {
                    p { strong { "A proposal on this cell awaits review." } " Open it to read or discuss it; a new one can be made once it is decided." }
                    ul.open-proposals { @for o in &self.open { li { a href={"/review/" (o.id)} { "Proposal #" (o.id) } " by " (o.author) " on " (o.created_at) ": " (osa_view::format::cut(&o.note, 120)) } } }
                }
            }
            div.side-by-side {
                section { h2 { "As published" } (cell(&self.current, ctx)) }
                section { h2 { "Your change" } (propose_form(self)) }
            }
        }
    }
}

/// The reviewer's queue.
#[derive(Debug, Clone, Serialize)]
pub struct QueuePage {
    /// Proposals awaiting review, oldest first.
    pub open: Vec<Proposal>,
    /// The latest decided proposals, newest first.
    pub decided: Vec<Proposal>,
}

fn proposal_rows(ps: &[Proposal]) -> Markup {
    html! {
        div.scroll tabindex="0" role="region" aria-label="Proposals" { table {
            thead { tr { th { "#" } th { "Subject" } th { "By" } th { "When" } th { "Note" } th { "Status" } } }
            tbody { @for p in ps { tr {
                td { a href={"/review/" (p.id)} { "#" (p.id) } }
                td { (p.subject) } td { (p.author) } td { (p.created_at) } td { (osa_view::format::cut(&p.note, 120)) }
                td { (p.status) @if let Some(r) = &p.reviewer { " by " (r) } }
            } } }
        } }
    }
}

impl Page for QueuePage {
    fn title(&self) -> String {
        "Review".into()
    }
    fn body(&self, _ctx: &Ctx) -> Markup {
        html! {
            h1 { "Review" }
            h2 { "Awaiting review (" (self.open.len()) ")" }
            @if self.open.is_empty() { p.muted { "Nothing awaits review." } } @else { (proposal_rows(&self.open)) }
            h2 { "Decided lately" }
            @if self.decided.is_empty() { p.muted { "No proposal has been decided yet." } } @else { (proposal_rows(&self.decided)) }
        }
    }
}

/// One proposal, before and after, with the review form.
#[derive(Debug, Clone, Serialize)]
pub struct ProposalPage {
    /// The proposal and its cell.
    pub review: ProposalReview,
    /// Why the last decision was refused.
    pub error: Option<FieldError>,
}

fn review_form(p: &Proposal, ctx: &Ctx, error: &Option<FieldError>) -> Markup {
    let own = ctx.user.as_ref().is_some_and(|u| u.name == p.author);
    html! {
        @if p.status != "open" {
            p { "Status: " strong { (p.status) } @if let Some(r) = &p.reviewer { " by " (r) } @if let Some(at) = &p.reviewed_at { " on " (at) }
                @if let Some(c) = &p.review_comment { ": " (c) } @if let Some(r) = p.revision_id { " (revision " (r) ")" } }
        } @else if own {
            p.muted { "You proposed this change: another reviewer decides (four eyes)." }
        } @else if ctx.can("reviewer") {
            form.review method="post" action={"/review/" (p.id)} {
                p { label for="comment" { "Comment (required to reject)" } br; textarea #comment name="comment" rows="2" maxlength="20000" {} }
                @if let Some(e) = error { p.error role="alert" { (e.field) ": " (e.message) } }
                p { button type="submit" name="decision" value="approve" { "Approve and publish" } " "
                    button type="submit" name="decision" value="reject" { "Reject" } }
            }
        } @else {
            p.muted { "A reviewer decides." }
        }
    }
}

/// One section of a file's change: each entry a heading row, then its fields before and after;
/// an unchanged field once across both columns, changed fields marked.
fn section_table(sec: &SectionChange) -> Markup {
    html! {
        h3 { (sec.title) }
        @if sec.unchanged > 0 { p.muted { (sec.unchanged) " unchanged " (if sec.unchanged == 1 { "entry is" } else { "entries are" }) " not shown." } }
        @if sec.entries.is_empty() { p.muted { "No change here." } } @else {
            div.scroll tabindex="0" role="region" aria-label={ (sec.title) ": before and after" } { table.changes {
                thead { tr { th scope="col" { "Field" } th scope="col" { "Before" } th scope="col" { "After" } } }
                @for e in &sec.entries { tbody {
                    tr.entry { th colspan="3" scope="colgroup" { (e.entry) @if e.status != "unchanged" { " " span.tag.new { (e.status) } } } }
                    @for f in &e.fields {
                        tr class=[f.changed.then_some("changed")] {
                            th scope="row" { (f.field) }
                            @if f.changed {
                                td { @match &f.before { Some(v) => (v), None => span.muted { "—" } } }
                                td { @match &f.after { Some(v) => (v), None => span.muted { "removed" } } @if f.before.is_some() && f.after.is_some() { " " span.tag.new { "changed" } } }
                            } @else {
                                td colspan="2" { (f.after.as_deref().unwrap_or_default()) " " span.muted { "(unchanged)" } }
                            }
                        }
                    }
                } }
            } }
        }
    }
}

/// `a → b` where they differ, `a (unchanged)` where not.
fn moved(a: &str, b: &str) -> Markup {
    html! { @if a == b { (a) " " span.muted { "(unchanged)" } } @else { (a) " → " strong { (b) } } }
}

fn level_words(l: Option<u8>) -> String {
    l.map_or_else(|| "none".to_string(), |l| l.to_string())
}

fn technology_impact(t: &TechnologyImpact, ctx: &Ctx) -> Markup {
    html! {
        h3 { a href={"/tech/" (t.id)} { (t.name) } }
        @if !t.cells.is_empty() {
            div.scroll tabindex="0" role="region" aria-label={ (t.name) ": levels before and after" } { table {
                thead { tr { th { "Dimension" } th { "Judged" } th { "Computed" } th { "Agreement" } } }
                tbody { @for c in &t.cells { tr {
                    th scope="row" { (c.dimension) }
                    td { (moved(&level_words(c.judged.0), &level_words(c.judged.1))) }
                    td { (moved(&level_words(c.computed.0), &level_words(c.computed.1))) }
                    td { (moved(&c.agreement.0.replace('_', " "), &c.agreement.1.replace('_', " "))) }
                } } }
            } }
        }
        @if let Some((b, a)) = &t.priority {
            p.changed { strong { "Step 4 priority. " }
                @match (&t.priority_dimension.0, &t.priority_dimension.1) {
                    (Some(d), None) => { "Loses its " (d.to_lowercase()) " priority. " },
                    (None, Some(d)) => { "Gains a priority: " (d.to_lowercase()) ". " },
                    (Some(x), Some(y)) if x != y => { "Moves from " (x.to_lowercase()) " to " (y.to_lowercase()) ". " },
                    _ => {},
                }
                "Before: " (osa_view::html::for_browser(&ctx.links, b)) " After: " (osa_view::html::for_browser(&ctx.links, a)) }
        }
        @if !t.tensions_added.is_empty() || !t.tensions_removed.is_empty() {
            p { strong { "Tensions" } }
            ul { @for x in &t.tensions_added { li.changed { span.tag.new { "new" } " " (x) } } @for x in &t.tensions_removed { li { span.tag { "gone" } " " (x) } } }
        }
        @if t.instruments.is_empty() {
            p { strong { "Instrument ranking: " } "no instrument moves (" (t.ranked) " instruments, in the same order with the same scores)." }
        } @else {
            p { strong { "Instrument ranking: what moves" } }
            ul { @for m in &t.instruments { li {
                (m.name) ": "
                @match (m.before, m.after) {
                    (Some(b), Some(a)) if a != b => { "place " (b) " → " strong { (a) } },
                    (Some(b), Some(_)) => { "stays at place " (b) },
                    (None, Some(a)) => { "new at place " (a) },
                    (Some(b), None) => { "was place " (b) ", no longer suggested" },
                    (None, None) => {},
                }
                @if let (Some(x), Some(y)) = m.score { @if x != y { "; score " (x) " → " (y) } }
                @if !m.rules_removed.is_empty() { "; rules no longer firing: " (m.rules_removed.join(", ").replace('_', " ")) }
                @if !m.rules_added.is_empty() { "; rules now firing: " (m.rules_added.join(", ").replace('_', " ")) }
            } } }
        }
    }
}

fn impact_section(i: &Impact, open: bool, ctx: &Ctx) -> Markup {
    html! {
        section.impact aria-labelledby="impact-h" {
            h2 #impact-h { "What approving it changes in what is published" }
            @if !open { p.muted { "The proposal is decided; its effect is in the record's history." } }
            @else if let Some(why) = &i.unavailable { p.error { (why) } }
            @else {
                @if !i.stale.is_empty() {
                    div.stale role="note" aria-label="Text to fix before approval" {
                        h3 { "Text the change leaves stale" }
                        ul { @for s in &i.stale { li { strong { (s.place) } ": “" (osa_view::format::cut(&s.text, 300)) "” — " (s.why) } } }
                    }
                }
                @if let Some(j) = &i.judge_on_approval { p { "Approval records the new judge: " (j) "." } }
                @if i.technologies.is_empty() && i.scenario.is_empty() {
                    p { "No published level, priority, tension or instrument ranking changes"
                        @if i.compared > 0 { " (" (i.compared) " " (if i.compared == 1 { "dossier" } else { "dossiers" }) " compared)" } "." }
                }
                @for t in &i.technologies { (technology_impact(t, ctx)) }
                @if !i.scenario.is_empty() {
                    h3 { "Scenario results (availability at the worst point, central values)" }
                    div.scroll tabindex="0" role="region" aria-label="Scenario results before and after" { table {
                        thead { tr { th { "Input" } th { "Published" } th { "Proposed" } } }
                        tbody { @for r in &i.scenario { tr {
                            th scope="row" { (r.input) }
                            td { (osa_view::format::pct(Some(r.before))) } td { (osa_view::format::pct(Some(r.after))) }
                        } } }
                    } }
                }
            }
        }
    }
}

fn stale_notice(r: &ProposalReview, ctx: &Ctx, error: &Option<FieldError>) -> Markup {
    let p = &r.proposal;
    let own = ctx.user.as_ref().is_some_and(|u| u.name == p.author);
    html! {
        @if r.stale {
            div.stale role="note" aria-label="The record moved" {
                @if let Some(e) = error.as_ref().filter(|_| own) { p.error role="alert" { "Not brought up to date: " (e.message) } }
                p { "The published file moved since this proposal was made (version " (p.base_version) ", now " (r.current_version) "): it is brought up to date before anyone can approve it." }
                @if own && r.rebasable {
                    form.rebase method="post" action={"/review/" (p.id) "/rebase"} {
                        button type="submit" { "Bring up to date" }
                        " " span.muted { @if r.cell.is_some() { "re-applies your change to the file as published now" }
                            @else { "carries the entries you changed onto the file as published now; refused, naming them, where the published file changed the same entries" } }
                    }
                } @else if own {
                    p { "Propose the file again from the version published now." }
                } @else {
                    p.muted { "Its author, " (p.author) ", brings it up to date." }
                }
            }
        }
    }
}

fn change_section(r: &ProposalReview, ctx: &Ctx) -> Markup {
    html! {
        section.change aria-labelledby="change-h" {
            h2 #change-h { "The change: " (r.what) }
            @match (&r.before, &r.after) {
                (Some(b), Some(a)) => {
                    div.side-by-side {
                        section { h3 { "Before" } (cell(b, ctx)) }
                        section { h3 { "After" } (cell_vs(a, Some(b), ctx)) }
                    }
                },
                _ => {
                    @if let Some(why) = &r.changes_unreadable { p.error { "The change cannot be read entry by entry: " (why) } }
                    @else if r.changes.is_empty() { p.muted { "The text is the same as published." } }
                    @for sec in &r.changes { (section_table(sec)) }
                },
            }
        }
    }
}

impl ProposalPage {
    /// The page's parts in order: heading, the record moved, the change, its impact, the
    /// decision. A further part (a comment thread) is one more entry of this list.
    pub fn parts(&self, ctx: &Ctx) -> Vec<Markup> {
        let r = &self.review;
        let p = &r.proposal;
        vec![
            html! {
                h1 { "Proposal #" (p.id) ": " (r.name.as_deref().unwrap_or(&p.subject)) }
                p { "By " strong { (p.author) } " on " (p.created_at) ", against version " (p.base_version) ". Note: " (p.note) }
                @if let Some((t, d)) = &r.cell {
                    p { a href={"/tech/" (t)} { "Dossier" } " · " a href={"/tech/" (t) "/" (d) "/history"} { "History of this cell" } }
                }
            },
            stale_notice(r, ctx, &self.error),
            change_section(r, ctx),
            impact_section(&r.impact, p.status == "open", ctx),
            review_form(p, ctx, &self.error),
        ]
    }
}

impl Page for ProposalPage {
    fn title(&self) -> String {
        format!("Proposal #{}", self.review.proposal.id)
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        html! { @for part in self.parts(ctx) { (part) } }
    }
}

/// A cell's history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryPage {
    /// The technology's id.
    pub technology: String,
    /// Its name.
    pub name: String,
    /// The dimension's id.
    pub dimension: String,
    /// The dimension's name.
    pub dimension_name: String,
    /// The steps, oldest first.
    pub steps: Vec<TimelineStep>,
}

impl Page for HistoryPage {
    fn title(&self) -> String {
        format!("History: {} · {}", self.name, self.dimension_name)
    }
    fn body(&self, _ctx: &Ctx) -> Markup {
        html! {
            h1 { "History: " a href={"/tech/" (self.technology)} { (self.name) } " · " (self.dimension_name) }
            ol.timeline {
                @for s in &self.steps {
                    li class={"step " (s.what)} {
                        span.when { (s.at) } " "
                        strong { (s.what) } " by " (s.who)
                        @if let Some(c) = &s.cell { " — level " (lvl(c.level)) }
                        @if let Some(r) = s.revision { " · " a href={"/?as_of=r" (r)} { "revision " (r) } }
                        @if let Some(p) = s.proposal { " · " a href={"/review/" (p)} { "proposal #" (p) } }
                        @if !s.text.is_empty() { br; span.note { (s.text) } }
                    }
                }
            }
        }
    }
}
