//! The discussion under a proposal or a cell's history: the comment thread (plain text, links
//! shown as links, everything through maud's escaping), whether it is resolved, the reviews asked
//! for, and the forms to comment, resolve or reopen, and (on a proposal) request a review.
//! [`Discussed`] wraps any page with its thread, so a page gets its discussion by one call.

use crate::{Ctx, Page};
use maud::{Markup, html};
use osa_app::workbench::discussion::{Subject, Thread};
use serde::Serialize;

/// A thread as shown.
#[derive(Debug, Clone, Serialize)]
pub struct ThreadView {
    /// What it discusses (`proposal/3`, `cell/6g/national_security`).
    pub subject: String,
    /// In words.
    pub words: String,
    /// The thread.
    #[serde(flatten)]
    pub thread: Thread,
    /// Who may be asked to review (proposals only; reviewers but the author).
    pub reviewers: Vec<String>,
}

impl ThreadView {
    /// A thread with its subject.
    pub fn new(s: &Subject, thread: Thread, reviewers: Vec<String>) -> ThreadView {
        ThreadView {
            subject: s.id.clone(),
            words: s.words.clone(),
            thread,
            reviewers,
        }
    }
}

/// A page with its discussion under it (the JSON view: the page's fields and `discussion`).
#[derive(Debug, Clone, Serialize)]
pub struct Discussed<P> {
    /// The page.
    #[serde(flatten)]
    pub page: P,
    /// Its thread.
    pub discussion: ThreadView,
}

impl<P: Page> Page for Discussed<P> {
    fn title(&self) -> String {
        self.page.title()
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        html! { (self.page.body(ctx)) (section(ctx, &self.discussion)) }
    }
}

/// A text with its `http://` and `https://` addresses as links (every part escaped by maud).
pub fn linked(text: &str) -> Markup {
    let mut parts: Vec<(bool, &str)> = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("http://").or_else(|| rest.find("https://")) {
        let i = match (rest.find("http://"), rest.find("https://")) {
            (Some(a), Some(b)) => a.min(b),
            _ => i,
        };
        let end = rest[i..]
            .find(|c: char| c.is_whitespace() || "<>\"".contains(c))
            .map_or(rest.len(), |e| i + e);
        let url = rest[i..end].trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
        parts.push((false, &rest[..i]));
        parts.push((true, url));
        rest = &rest[i + url.len()..];
    }
    parts.push((false, rest));
    html! { @for (link, p) in parts { @if link { a href=(p) rel="nofollow noopener" { (p) } } @else { (p) } } }
}

/// The thread and its forms.
pub fn section(ctx: &Ctx, t: &ThreadView) -> Markup {
    let writer = ctx.is_live() && ctx.user.as_ref().is_some_and(|u| u.at_least("analyst"));
    let th = &t.thread;
    html! {
        section.discussion aria-labelledby="discussion" {
            h2 #discussion { "Discussion"
                @if th.resolved { " " span.tag { "resolved" } } @else if !th.comments.is_empty() { " " span.tag { "open" } } }
            @if th.comments.is_empty() { p.muted { "No comment on " (t.words) " yet." } }
            @else {
                ol.comments { @for c in &th.comments { li #{"comment-" (c.n)} {
                    p.meta { strong { (c.author) } " · " (crate::layout::time(&c.at))
                        @if !c.mentions.is_empty() { " · mentions " (c.mentions.join(", ")) } }
                    @for para in c.text.split("\n\n") { p { (linked(para)) } }
                } } }
            }
            @if !th.review_requests.is_empty() {
                p { "Reviews asked: " @for (i, (by, of)) in th.review_requests.iter().enumerate() {
                    @if i > 0 { "; " } (by) " asked " (of) } "." }
            }
            @if writer { (forms(t)) }
        }
    }
}

fn forms(t: &ThreadView) -> Markup {
    let th = &t.thread;
    html! {
        form.record method="post" action="/discussion/comment" {
            input type="hidden" name="subject" value=(t.subject);
            p { label for="comment-text" { "Comment (plain text; @name tells a colleague; links are shown as links)" }
                textarea #comment-text name="text" rows="3" required maxlength="10000" {} }
            button type="submit" { "Comment" }
        }
        form.inline method="post" action="/discussion/resolve" {
            input type="hidden" name="subject" value=(t.subject);
            input type="hidden" name="resolved" value=(if th.resolved { "false" } else { "true" });
            button type="submit" { @if th.resolved { "Reopen the thread" } @else { "Mark the thread resolved" } }
        }
        @if !t.reviewers.is_empty() {
            form.inline method="post" action="/discussion/request-review" {
                input type="hidden" name="subject" value=(t.subject);
                label for="reviewer" { "Request a review from" }
                select #reviewer name="reviewer" { @for r in &t.reviewers { option value=(r) { (r) } } }
                button type="submit" { "Ask" }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_links_and_everything_is_escaped() {
        let m = linked("see https://example.org/a?b=1&c=2. and <script>x</script> http://h")
            .into_string();
        assert!(
            m.contains("<a href=\"https://example.org/a?b=1&amp;c=2\""),
            "{m}"
        );
        assert!(m.contains("&lt;script&gt;"), "{m}");
        assert!(m.contains("<a href=\"http://h\""), "{m}");
        assert!(!m.contains("<script>"));
    }
}
