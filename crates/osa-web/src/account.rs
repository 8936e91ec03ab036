//! The account page: who you are, your API tokens (made here, shown once, listed, revoked one by
//! one) and your feed key (the secret in the URL of your Atom feeds, so a feed reader can fetch
//! them; made, replaced and revoked here). Secrets are shown once, on the answer to the form that
//! made them, and never stored in the clear.

use crate::{Ctx, Page};
use maud::{Markup, html};
use osa_store::keys::TokenInfo;
use serde::Serialize;

/// A secret just made, shown once.
#[derive(Debug, Clone, Serialize)]
pub struct NewSecret {
    /// What it is (`API token "scripts"`, `feed key`).
    pub what: String,
    /// The secret.
    pub secret: String,
    /// The addresses that use it (a feed key's feeds), if any.
    pub addresses: Vec<(String, String)>,
}

/// The account page.
#[derive(Debug, Clone, Serialize)]
pub struct AccountPage {
    /// The user's name.
    pub name: String,
    /// Their role.
    pub role: String,
    /// Their API tokens, newest first.
    pub tokens: Vec<TokenInfo>,
    /// When their live feed key was made, if they have one.
    pub feed_key_created: Option<String>,
    /// Their watchlists' names (each has a feed).
    pub watchlists: Vec<String>,
    /// A secret just made.
    #[serde(skip)]
    pub new_secret: Option<NewSecret>,
    /// Why the last form was refused.
    pub error: Option<String>,
}

/// Roles a token may have, least first.
const ROLES: [&str; 4] = ["viewer", "analyst", "reviewer", "admin"];

fn token_rows(p: &AccountPage) -> Markup {
    html! {
        @if p.tokens.is_empty() { p.muted { "You have no API token." } } @else {
            div.scroll tabindex="0" role="region" aria-label="Your API tokens" { table {
                thead { tr { th { "Label" } th { "Role" } th { "Made" } th { "Expires" } th { "State" } } }
                tbody { @for t in &p.tokens { tr {
                    td { (t.label) } td { (t.role) } td { (t.created_at.get(..10).unwrap_or(&t.created_at)) }
                    td { (t.expires_at.get(..10).unwrap_or(&t.expires_at)) }
                    td { @if t.revoked { "revoked" } @else {
                        form.inline method="post" action={"/account/tokens/" (t.id) "/revoke"} {
                            button type="submit" aria-label={"Revoke the token " (t.label)} { "Revoke" } }
                    } }
                } } }
            } }
        }
    }
}

fn token_form(p: &AccountPage) -> Markup {
    let mine = ROLES.iter().position(|r| *r == p.role).unwrap_or(0);
    html! {
        form.token method="post" action="/account/tokens" {
            p { label for="label" { "Label (what the token is for)" } br;
                input #label name="label" type="text" required maxlength="100" placeholder="nightly export"; }
            p { label for="token_role" { "Role (at most yours)" } " "
                select #token_role name="role" { @for r in &ROLES[..=mine] { option value=(r) selected[*r == "viewer"] { (r) } } }
                " " label for="days" { "Valid for (days)" } " "
                input #days name="days" type="number" min="1" max="365" value="90"; }
            p { button type="submit" { "Make an API token" } }
        }
    }
}

fn feed_section(p: &AccountPage) -> Markup {
    html! {
        section aria-labelledby="feed-h" {
            h2 #feed-h { "Feed key" }
            p { "A feed reader cannot sign in: it fetches your feeds with your feed key in their address. The key reads feeds only; revoke it when a reader should stop." }
            @match &p.feed_key_created {
                Some(at) => p { "You have a feed key, made " (at.get(..10).unwrap_or(at)) ". Its addresses were shown when it was made; make a new one to see them again (the old one stops working)." },
                None => p.muted { "You have no feed key." },
            }
            form.inline method="post" action="/account/feed-key" {
                button type="submit" { @if p.feed_key_created.is_some() { "Make a new feed key" } @else { "Make a feed key" } } }
            @if p.feed_key_created.is_some() {
                " " form.inline method="post" action="/account/feed-key/revoke" { button type="submit" { "Revoke the feed key" } }
            }
        }
    }
}

impl Page for AccountPage {
    fn title(&self) -> String {
        "Your account".into()
    }
    fn body(&self, _ctx: &Ctx) -> Markup {
        html! {
            h1 { "Your account" }
            p { "Signed in as " strong { (self.name) } " (" (self.role) ")." }
            @if let Some(e) = &self.error { p.error role="alert" { (e) } }
            @if let Some(s) = &self.new_secret {
                div.stale role="status" {
                    p { strong { "Your new " (s.what) ": " } code.secret { (s.secret) } }
                    p { "Copy it now: it is shown this once (osa keeps only a fingerprint of it)." }
                    @if !s.addresses.is_empty() {
                        ul { @for (label, url) in &s.addresses { li { (label) ": " code.secret { (url) } } } }
                    }
                }
            }
            section aria-labelledby="tokens-h" {
                h2 #tokens-h { "API tokens" }
                p { "A script sends a token as " code { "Authorization: Bearer osa_…" } "; it acts as you, with the role you give it." }
                (token_rows(self))
                (token_form(self))
            }
            (feed_section(self))
        }
    }
}
