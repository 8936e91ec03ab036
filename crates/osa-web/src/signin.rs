//! The sign-in page: a name and password form (rate-limited by the server), and the note on the
//! first run's one-time link.

use crate::{Ctx, Page};
use maud::{Markup, html};
use serde::Serialize;

/// The sign-in page.
#[derive(Debug, Clone, Serialize)]
pub struct SigninPage {
    /// Where to go after signing in (a path of this server).
    pub next: String,
    /// Why the last attempt failed.
    pub error: Option<String>,
}

impl Page for SigninPage {
    fn title(&self) -> String {
        "Sign in".into()
    }
    fn body(&self, _ctx: &Ctx) -> Markup {
        html! {
            h1 { "Sign in to osa" }
            @if let Some(e) = &self.error { p.error role="alert" { (e) } }
            form.signin method="post" action="/signin" {
                input type="hidden" name="next" value=(self.next);
                p { label for="name" { "Name" } br; input #name name="name" type="text" autocomplete="username" required maxlength="64"; }
                p { label for="password" { "Password" } br; input #password name="password" type="password" autocomplete="current-password" required maxlength="1024"; }
                p { button type="submit" { "Sign in" } }
            }
            p.muted { "On its first run, osa serve prints a one-time sign-in link for the user admin. An administrator adds users with osa user add and can print a link for one with osa user link." }
        }
    }
}
