//! The workbench's pages, one view layer for two interfaces: `osa serve` renders them live (a
//! signed-in user, as of a revision, with forms) and `osa report` exports the same pages as files.
//!
//! Each page is a view model (`Serialize`: the server also answers it as JSON) with a renderer
//! ([`Page::body`]); [`render`] puts a body in the one layout ([`layout`]). Builders that read the
//! record are `async fn build(...)` in each page's module, over the application layer
//! (`osa-app::workbench`); nothing here writes. The fragments shared with single-command HTML
//! output (matrix, dossier, actors, checklist) are `osa_view::html`'s.

pub mod account;
pub mod apps;
pub mod assets;
pub mod compare;
pub mod discussion;
pub mod dossier;
pub mod explorer;
pub mod export;
pub mod files;
pub mod inbox;
pub mod layout;
pub mod library;
pub mod overview;
pub mod panels;
pub mod reader;
pub mod records;
pub mod review;
pub mod scenarios;
pub mod search;
pub mod signin;
pub mod trade;
pub mod uploads;

pub use layout::{Ctx, User};
use maud::Markup;

/// A page: its view model is what the server answers as JSON, its body what it shows.
pub trait Page: serde::Serialize {
    /// The page's title (in the browser's tab, and its `h1` unless the body has its own).
    fn title(&self) -> String;
    /// The page's content, inside the layout.
    fn body(&self, ctx: &Ctx) -> Markup;
}

/// A whole HTML document: the page's body in the layout.
pub fn render(ctx: &Ctx, page: &impl Page) -> String {
    layout::document(ctx, &page.title(), page.body(ctx))
}
