//! The user's inbox: their notifications (mentions, review requests, decisions on their
//! proposals, changes their watchlists follow), newest first, unread ones marked, each linking to
//! its page; the form to mark them read, and how they are mailed (off, each at once, or a daily
//! digest). Only its owner reads it.

use crate::{Ctx, Page};
use maud::{Markup, html};
use osa_app::workbench::inbox::Inbox;
use serde::Serialize;

/// The inbox page.
#[derive(Debug, Clone, Serialize)]
pub struct InboxPage {
    /// The inbox.
    #[serde(flatten)]
    pub inbox: Inbox,
    /// Whether the server can send mail (`osa serve --smtp`).
    pub mail_configured: bool,
    /// A problem with the mail form (field, message).
    pub error: Option<(String, String)>,
}

fn kind_words(kind: &str) -> &'static str {
    match kind {
        "mention" => "Mention",
        "review_request" => "Review asked",
        "decision" => "Decision",
        "watchlist" => "Watchlist",
        _ => "Notice",
    }
}

impl Page for InboxPage {
    fn title(&self) -> String {
        "Inbox".into()
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        let i = &self.inbox;
        html! {
            h1 { "Inbox" }
            p.status role="status" { strong { (i.unread) " unread" } " of your notifications: mentions, reviews asked of you, decisions on your proposals and changes your "
                a href="/watchlists" { "watchlists" } " follow. Only you see them." }
            @if i.notes.is_empty() { p { "Nothing yet." } }
            @else {
                div.scroll { table {
                    thead { tr { th { "When" } th { "What" } th { "Notice" } th { "From" } } }
                    tbody { @for n in &i.notes { tr {
                        td { (crate::layout::time(&n.at)) }
                        td { (kind_words(&n.kind)) }
                        td { @if n.read_at.is_none() { span.tag { "new" } " " }
                             a href=(n.link) { (n.text) } }
                        td { (n.actor) }
                    } } }
                } }
                @if let Some(top) = i.notes.first().filter(|_| i.unread > 0) {
                    form.inline method="post" action="/inbox/read" {
                        input type="hidden" name="up_to" value=(top.id);
                        button type="submit" { "Mark all read" }
                    }
                }
                nav.pages aria-label="Pages" {
                    @if i.page > 1 { a href={"/inbox?page=" (i.page - 1)} { "Newer" } " " }
                    @if i.notes.len() as i64 == osa_app::workbench::inbox::PER_PAGE { a href={"/inbox?page=" (i.page + 1)} { "Older" } }
                }
            }
            @if ctx.is_live() { (self.mail_form()) }
        }
    }
}

impl InboxPage {
    fn mail_form(&self) -> Markup {
        let (email, delivery) = self
            .inbox
            .mail
            .as_ref()
            .map_or((String::new(), "off"), |m| {
                (m.email.clone(), m.delivery.as_str())
            });
        let choices = [
            ("off", "No mail"),
            ("immediate", "One mail for each notification"),
            ("daily", "A daily digest"),
        ];
        html! {
            h2 #mail { "Mail" }
            @if !self.mail_configured { p.muted { "This server sends no mail (it was started without --smtp); your choice is kept for when it does." } }
            form.record method="post" action="/inbox/mail" {
                @if let Some((f, m)) = &self.error { p.error role="alert" { "Not saved. " (f) ": " (m) } }
                p { label for="email" { "Address" }
                    input #email name="email" type="email" maxlength="254" value=(email); }
                fieldset { legend { "Send" }
                    @for (v, label) in choices {
                        span.check { input type="radio" name="delivery" value=(v) id={"d-" (v)} checked[v == delivery];
                            label for={"d-" (v)} { (label) } } }
                }
                button type="submit" { "Save" }
            }
        }
    }
}
