//! The one layout of every page: the head (the stylesheet and script as files, no inline code),
//! the navigation (the exported report's pages, or the workbench's with the user, the review
//! badge and a sign-out button), the reader pane for seed citations, and the page's content.

use maud::{DOCTYPE, Markup, PreEscaped, html};
use osa_view::html::Links;

/// Who is signed in.
#[derive(Debug, Clone, serde::Serialize)]
pub struct User {
    /// The user's name.
    pub name: String,
    /// The role in force (`viewer`, `analyst`, `reviewer`, `admin`).
    pub role: String,
}

impl User {
    /// Whether the role is at least `role`.
    pub fn at_least(&self, role: &str) -> bool {
        rank(&self.role) >= rank(role)
    }
}

fn rank(role: &str) -> u8 {
    match role {
        "viewer" => 1,
        "analyst" => 2,
        "reviewer" => 3,
        "admin" => 4,
        _ => 0,
    }
}

/// What a page is rendered for.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// Where links point.
    pub links: Links,
    /// The signed-in user (`None`: the exported report, or the sign-in page).
    pub user: Option<User>,
    /// Proposals awaiting review (the badge on "Review").
    pub pending: Option<u64>,
    /// The as-of argument the page was read with (`None`: the latest).
    pub as_of: Option<String>,
    /// The revision read.
    pub revision: Option<i64>,
    /// The request's path (marks the current navigation entry).
    pub path: String,
    /// An Atom feed of the page (`<link rel="alternate">` in the head).
    pub feed: Option<String>,
    /// Changes recorded since the user's last visit to the change log (the badge on "Changes").
    pub since: Option<u64>,
    /// The user's unread notifications (the badge on "Inbox").
    pub unread: Option<u64>,
}

impl Ctx {
    /// The exported report: links between files, `root` the way up to the folder's top.
    pub fn export(root: &str) -> Ctx {
        Ctx {
            links: Links::files(root),
            user: None,
            pending: None,
            as_of: None,
            revision: None,
            path: String::new(),
            feed: None,
            since: None,
            unread: None,
        }
    }

    /// The workbench, for a signed-in user (or none: the sign-in page).
    pub fn live(user: Option<User>, as_of: Option<String>, path: &str) -> Ctx {
        let mut links = Links::server();
        if let Some(a) = &as_of {
            links.query = format!("?as_of={}", encode(a));
        }
        Ctx {
            links,
            user,
            pending: None,
            as_of,
            revision: None,
            path: path.to_string(),
            feed: None,
            since: None,
            unread: None,
        }
    }

    /// Whether this is the live workbench (forms, reader pane), not the exported report.
    pub fn is_live(&self) -> bool {
        self.links.reader
    }

    /// A link to a page (keeps the as-of query).
    pub fn href(&self, page: &str) -> String {
        self.links.to(page)
    }

    /// A link to a page without the as-of query (forms and the record's latest state).
    pub fn plain(&self, page: &str) -> String {
        format!("{}{page}{}", self.links.root, self.links.ext)
    }

    /// Whether the user may act with `role`.
    pub fn can(&self, role: &str) -> bool {
        self.user.as_ref().is_some_and(|u| u.at_least(role))
    }
}

/// Links to the page as a brief (PDF and Word), as of the page's revision.
pub fn brief_links(ctx: &Ctx) -> Markup {
    brief_links_with(ctx, None)
}

/// Links to the page as a brief, with step 4's priority where the reader chose one (a dossier).
pub fn brief_links_with(ctx: &Ctx, priority: Option<&str>) -> Markup {
    let mut as_of = ctx
        .as_of
        .as_deref()
        .map(|a| format!("&as_of={}", encode(a)))
        .unwrap_or_default();
    if let Some(p) = priority.filter(|p| !p.is_empty()) {
        as_of.push_str(&format!("&priority={}", encode(p)));
    }
    html! {
        p.downloads { "Download as a brief: "
            a href={"?format=pdf" (as_of)} download { "PDF" } " · "
            a href={"?format=docx" (as_of)} download { "Word" } }
    }
}

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The navigation: (page, label, least role; "" for the export's pages too).
const LIVE_NAV: &[(&str, &str)] = &[
    ("", "Overview"),
    ("ecosystems", "Ecosystems"),
    ("scenarios", "Scenarios"),
    ("trade", "Trade"),
    ("actors", "Actors"),
    ("events", "Events"),
    ("watchlists", "Watchlists"),
    ("apps", "AI apps"),
    ("sources", "Sources"),
    ("method", "Method"),
];

const EXPORT_NAV: &[(&str, &str)] = &[
    ("index", "Overview"),
    ("actors", "Actors"),
    ("checklist", "AI checklist"),
    ("sources", "Sources"),
    ("method", "Method"),
];

fn nav(ctx: &Ctx) -> Markup {
    let current = ctx.path.trim_start_matches('/');
    let here = |p: &str| {
        if (p.is_empty() && current.is_empty())
            || (!p.is_empty() && (current == p || current.starts_with(&format!("{p}/"))))
        {
            Some("page")
        } else {
            None
        }
    };
    html! {
        header.top {
            a.brand href=(if ctx.is_live() { "/".to_string() } else { ctx.href("index") }) { "osa · Open Strategic Autonomy workbench" }
            nav aria-label="Main" {
                @if ctx.is_live() {
                    @if ctx.user.is_some() {
                        @for (p, label) in LIVE_NAV {
                            a href=(ctx.href(p)) aria-current=[here(p)] { (label) }
                        }
                        a href="/changes" aria-current=[here("changes")] { "Changes"
                            @if let Some(n) = ctx.since.filter(|n| *n > 0) { " " span.badge aria-label={(n) " new since your last visit"} { (n) } } }
                        a href="/inbox" aria-current=[here("inbox")] { "Inbox"
                            @if let Some(n) = ctx.unread.filter(|n| *n > 0) { " " span.badge aria-label={(n) " unread"} { (n) } } }
                        a href="/review" aria-current=[here("review")] {
                            "Review"
                            @if let Some(n) = ctx.pending.filter(|n| *n > 0) {
                                " " span.badge aria-label={(n) " awaiting review"} { (n) }
                            }
                        }
                    }
                } @else {
                    @for (p, label) in EXPORT_NAV { a href=(ctx.href(p)) { (label) } }
                }
            }
            @if ctx.is_live() && ctx.user.is_some() { (crate::search::nav_box()) }
            @if let Some(u) = &ctx.user {
                form.signout method="post" action="/signout" {
                    a.who href="/account" title="Your account, API tokens and feed key" { (u.name) " · " (u.role) }
                    button type="submit" { "Sign out" }
                }
            }
        }
    }
}

/// The whole document.
pub fn document(ctx: &Ctx, title: &str, body: Markup) -> String {
    let root = &ctx.links.root;
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · osa" }
                link rel="stylesheet" href={(root) "assets/osa.css"};
                script src={(root) "assets/osa.js"} defer {}
                @if let Some(f) = &ctx.feed { link rel="alternate" type="application/atom+xml" href=(f) title="Atom feed"; }
            }
            body {
                a.skip href="#main" { "Skip to content" }
                (nav(ctx))
                div.shell {
                    main #main {
                        @if let (Some(a), Some(r)) = (&ctx.as_of, ctx.revision) {
                            p.asof role="status" { "Reading the record as of " strong { (a) } " (revision " (r) "). "
                                a href=(ctx.plain(ctx.path.trim_start_matches('/'))) { "Back to the latest" } }
                        }
                        (PreEscaped(osa_view::format::unsigned_zero(&body.into_string())))
                    }
                    @if ctx.is_live() {
                        aside #reader hidden aria-label="The report's text" aria-live="polite" {}
                    }
                }
            }
        }
    }
    .into_string()
}

/// A time as the server knows it (UTC, to the minute) inside `<time datetime>`: the page's script
/// shows it in the reader's time zone, to the minute; without the script the UTC time stays.
pub fn time(at: &str) -> Markup {
    html! { time datetime=(at) { (at.get(..16).unwrap_or(at).replace('T', " ")) " UTC" } }
}
