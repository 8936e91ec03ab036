//! The analysts' records as pages: actors to watch with a filter, dated events (with a form to add
//! one), a user's watchlists (with a form to set one) and the changes each follows, the change log
//! with what changed since the user's last visit, and one change with its evidence.

use crate::{Ctx, Page};
use maud::{Markup, html};
use osa_app::workbench::Workbench;
use osa_app::workbench::records::{Event, SinceLastVisit, Stored, Watchlist};
use osa_store::changes::Change;
use osa_view::assess::ActorView;
use serde::Serialize;

/// A form's problem: the field at fault and why.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FieldError {
    /// The field (`date`, `technologies[0]`, `ratings[2].source`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl FieldError {
    /// The message when it concerns `field` (or a part of it: `technologies[0]`).
    pub fn at(e: &Option<FieldError>, field: &str) -> Option<String> {
        e.as_ref()
            .filter(|e| e.field == field || e.field.starts_with(&format!("{field}[")))
            .map(|e| format!("{}: {}", e.field, e.message))
    }
}

/// A field's error next to it (with an id the control points to with `aria-describedby`).
pub fn field_error(e: &Option<FieldError>, field: &str) -> Markup {
    html! { @if let Some(m) = FieldError::at(e, field) { span.error id={"err-" (field)} role="alert" { (m) } } }
}

fn described(e: &Option<FieldError>, field: &str) -> Option<String> {
    FieldError::at(e, field).map(|_| format!("err-{field}"))
}

/// An option of a select: (value, label).
pub type Choice = (String, String);

fn select(id: &str, label: &str, choices: &[Choice], chosen: Option<&str>) -> Markup {
    html! {
        span.rec-field {
            label for=(id) { (label) }
            select #(id) name=(id) {
                option value="" selected[chosen.is_none()] { "any" }
                @for (v, l) in choices { option value=(v) selected[chosen == Some(v.as_str())] { (l) } }
            }
        }
    }
}

/// The actors filter (the `osa actors` flags).
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct ActorQuery {
    /// A technology id.
    pub technology: Option<String>,
    /// Actor kind.
    pub kind: Option<String>,
    /// ISO3, EU27 or INT.
    pub country: Option<String>,
    /// `high`, `medium`, `low` or `context`.
    pub relevance: Option<String>,
    /// `prc` (actors to watch) or `context`.
    pub prc: Option<String>,
    /// Words in the actor's name, role, kind, country or technology.
    pub text: Option<String>,
}

/// Actors to watch, filtered on the server.
#[derive(Debug, Clone, Serialize)]
pub struct ActorsPage {
    /// The filter applied.
    pub filter: ActorQuery,
    /// The actors it keeps.
    pub actors: Vec<ActorView>,
    /// Technologies to filter by.
    pub technologies: Vec<Choice>,
    /// Kinds to filter by.
    pub kinds: Vec<String>,
    /// Countries to filter by.
    pub countries: Vec<String>,
    /// The record's events about each actor shown, newest first: (actor, date, title).
    pub events: Vec<(String, String, String)>,
}

impl ActorsPage {
    /// The page with the record's events about the actors it shows (see [`ActorsPage::events`]).
    pub fn with_events(mut self, events: &[Stored<Event>]) -> ActorsPage {
        for e in events {
            for a in &e.value.actors {
                if self.actors.iter().any(|x| x.name == *a) {
                    self.events
                        .push((a.clone(), e.value.date.clone(), e.value.title.clone()));
                }
            }
        }
        self
    }
}

impl ActorQuery {
    /// The application layer's filter (empty fields are no filter).
    pub fn to_filter(&self) -> osa_app::assess::ActorFilter {
        let some = |o: &Option<String>| o.clone().filter(|s| !s.trim().is_empty());
        osa_app::assess::ActorFilter {
            technology: some(&self.technology),
            country: some(&self.country),
            kind: some(&self.kind),
            relevance: some(&self.relevance),
            prc: match self.prc.as_deref() {
                Some("prc") => Some(true),
                Some("context") => Some(false),
                _ => None,
            },
            text: some(&self.text),
        }
    }
}

/// The actors page of a baseline, filtered.
pub fn actors(b: &osa_assess::Baseline, filter: ActorQuery) -> osa_app::Result<ActorsPage> {
    let every = osa_app::assess::actors_view(b, &Default::default())?;
    let mut kinds: Vec<String> = every.iter().map(|a| a.kind.to_string()).collect();
    let mut countries: Vec<String> = every.iter().map(|a| a.country.clone()).collect();
    kinds.sort();
    kinds.dedup();
    countries.sort();
    countries.dedup();
    Ok(ActorsPage {
        actors: osa_app::assess::actors_view(b, &filter.to_filter())?,
        filter,
        technologies: technologies(b),
        kinds,
        countries,
        events: Vec::new(),
    })
}

fn technologies(b: &osa_assess::Baseline) -> Vec<Choice> {
    b.technologies
        .iter()
        .map(|t| (t.id.clone(), t.name.clone()))
        .collect()
}

impl Page for ActorsPage {
    fn title(&self) -> String {
        "Actors".into()
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        let f = &self.filter;
        let words = |v: &[String]| -> Vec<Choice> {
            v.iter().map(|k| (k.clone(), k.replace('_', " "))).collect()
        };
        let levels: Vec<Choice> = ["high", "medium", "low", "context"]
            .iter()
            .map(|l| (l.to_string(), l.to_string()))
            .collect();
        let prc = vec![
            ("prc".to_string(), "in the PRC (to watch)".to_string()),
            (
                "context".to_string(),
                "context (outside the PRC)".to_string(),
            ),
        ];
        html! {
            h1 { "Actors to watch" }
            p.muted { "The party-state organs, ministries, firms, standards bodies and research institutes each chapter names, with their role where the report states it, and a rough indication of their relevance from the chapter's text. Actors outside the PRC are context, not actors to watch (seed L221-225)." }
            form.rec-filters method="get" action=(ctx.plain("actors")) aria-label="Filter actors" {
                @if let Some(a) = &ctx.as_of { input type="hidden" name="as_of" value=(a); }
                (select("technology", "Technology", &self.technologies, f.technology.as_deref()))
                (select("kind", "Kind", &words(&self.kinds), f.kind.as_deref()))
                (select("country", "Country", &words(&self.countries), f.country.as_deref()))
                (select("relevance", "Relevance", &levels, f.relevance.as_deref()))
                (select("prc", "PRC or context", &prc, f.prc.as_deref()))
                label for="actor-text" { "Words" }
                input #actor-text type="search" name="text" maxlength="200" value=(f.text.as_deref().unwrap_or(""));
                button type="submit" { "Filter" }
                " " a href=(ctx.href("actors")) { "Clear" }
            }
            p.muted role="status" { (self.actors.len()) " actors" }
            (actors_table(&self.actors, ctx))
            (actor_events(&self.events, ctx))
        }
    }
}

/// The actors' table (as `osa_view::html::actors_body`'s, scrolling inside its wrapper, with the
/// same text filter).
fn actors_table(actors: &[ActorView], ctx: &Ctx) -> Markup {
    let links = &ctx.links;
    html! {
        p { input #filter type="search" placeholder="Filter by name, country, kind, technology…" aria-label="Filter the actors shown"; " " span #count .muted {} }
        div.scroll { table #filtered {
            thead { tr { th { "Technology" } th { "Actor" } th { "Kind" } th { "Country" } th { "Relevance" } th { "Role" } th { "Source" } } }
            tbody { @for a in actors { tr {
                td { @if let Some(t) = &a.technology { a href=(ctx.href(&format!("tech/{t}"))) { (t) } } }
                td { (a.name) } td { (osa_view::format::words(a.kind)) } td { (a.country) }
                td title=(a.relevance.why) { (a.relevance.level) " " (links.cite(&a.relevance.source)) }
                td { (a.role) } td { (links.cite(&a.source)) }
            } } }
        } }
    }
}

/// The record's events about the actors shown, each linking to the actor's events.
fn actor_events(events: &[(String, String, String)], ctx: &Ctx) -> Markup {
    html! {
        h2 #actor-events { "Events about these actors" }
        @if events.is_empty() { p.muted { "No event recorded about the actors shown." } }
        @else { ul { @for (a, date, title) in events.iter().take(100) { li {
            a href={(ctx.plain("events")) "?actor=" (crate::layout::encode(a))} { (a) } ", " (date) ": " (title)
        } } } }
    }
}

/// Dated events, with the form to add one.
#[derive(Debug, Clone, Serialize)]
pub struct EventsPage {
    /// Only events about this technology.
    pub technology: Option<String>,
    /// Only events about this actor.
    pub actor: Option<String>,
    /// The events, newest first.
    pub events: Vec<Stored<Event>>,
    /// Technologies (for the filter and the form).
    pub technologies: Vec<Choice>,
    /// The actors to watch (names, for the filter and the form).
    pub actors: Vec<String>,
    /// The form's values (shown again with its problem).
    pub form: Option<Event>,
    /// The form's problem.
    pub error: Option<FieldError>,
}

/// The events page as of an as-of argument.
pub async fn events(
    wb: &Workbench,
    as_of: Option<&str>,
    technology: Option<String>,
    actor: Option<String>,
) -> osa_app::Result<(i64, EventsPage)> {
    let rev = wb.revision_of(as_of).await?;
    let b = wb.baseline_at(rev).await?;
    let technology = technology.filter(|s| !s.is_empty());
    let actor = actor.filter(|s| !s.is_empty());
    let events = wb
        .events(as_of, technology.as_deref(), actor.as_deref())
        .await?;
    let mut actors: Vec<String> = b
        .technologies
        .iter()
        .flat_map(|t| t.actors.iter().map(|a| a.name.clone()))
        .collect();
    actors.sort();
    actors.dedup();
    Ok((
        rev,
        EventsPage {
            technology,
            actor,
            events,
            technologies: technologies(&b),
            actors,
            form: None,
            error: None,
        },
    ))
}

impl Page for EventsPage {
    fn title(&self) -> String {
        "Events".into()
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        let actors: Vec<Choice> = self.actors.iter().map(|a| (a.clone(), a.clone())).collect();
        html! {
            h1 { "Events" }
            p.muted { "Dated events about the actors to watch and the technologies, as analysts record them, each with its source." }
            form.rec-filters method="get" action=(ctx.plain("events")) aria-label="Filter events" {
                @if let Some(a) = &ctx.as_of { input type="hidden" name="as_of" value=(a); }
                (select("technology", "Technology", &self.technologies, self.technology.as_deref()))
                (select("actor", "Actor", &actors, self.actor.as_deref()))
                button type="submit" { "Filter" }
            }
            @if self.events.is_empty() { p { "No events recorded" @if self.technology.is_some() || self.actor.is_some() { " for this filter" } "." } }
            @else {
                div.scroll { table {
                    thead { tr { th { "Date" } th { "Event" } th { "Actors" } th { "Technologies" } th { "Source" } } }
                    tbody { @for e in &self.events { tr {
                        td { (e.value.date) }
                        td { strong { (e.value.title) } @if !e.value.text.is_empty() { br; (e.value.text) } }
                        td { @for (i, a) in e.value.actors.iter().enumerate() { @if i > 0 { "; " }
                            a href={(ctx.plain("events")) "?actor=" (crate::layout::encode(a))} title="Events about this actor" { (a) } } }
                        td { @for t in &e.value.technologies { a href=(ctx.href(&format!("tech/{t}"))) { (t) } " " } }
                        td { (ctx.links.cite(&e.value.source)) }
                    } } }
                } }
            }
            @if ctx.is_live() && ctx.can("analyst") && ctx.as_of.is_none() { (self.form(ctx, &actors)) }
        }
    }
}

impl EventsPage {
    fn form(&self, ctx: &Ctx, actors: &[Choice]) -> Markup {
        let v = self.form.clone().unwrap_or(Event {
            date: String::new(),
            title: String::new(),
            text: String::new(),
            actors: Vec::new(),
            technologies: Vec::new(),
            source: String::new(),
        });
        let e = &self.error;
        html! {
            h2 #add { "Add an event" }
            form.record method="post" action=(ctx.plain("events")) {
                @if let Some(m) = e.as_ref().map(|e| format!("{}: {}", e.field, e.message)) { p.error role="alert" { "Not recorded. " (m) } }
                p { label for="date" { "Date (YYYY-MM-DD)" } input #date name="date" type="date" required value=(v.date) aria-describedby=[described(e, "date")]; (field_error(e, "date")) }
                p { label for="title" { "What happened (one line)" } input #title name="title" type="text" required maxlength="500" value=(v.title) aria-describedby=[described(e, "title")]; (field_error(e, "title")) }
                p { label for="text" { "More (optional)" } textarea #text name="text" rows="3" aria-describedby=[described(e, "text")] { (v.text) } (field_error(e, "text")) }
                p { label for="actors" { "Actors it concerns (select several with Ctrl or Shift)" }
                    select #actors name="actors" multiple size="6" aria-describedby=[described(e, "actors")] {
                        @for (a, l) in actors { option value=(a) selected[v.actors.contains(a)] { (l) } } }
                    (field_error(e, "actors")) }
                fieldset { legend { "Technologies it concerns" }
                    @for (id, name) in &self.technologies {
                        span.check { input type="checkbox" name="technologies" value=(id) id={"tech-" (id)} checked[v.technologies.contains(id)];
                            label for={"tech-" (id)} { (name) } } }
                    (field_error(e, "technologies")) }
                p { label for="source" { "Source (required: pub: ..., data: ..., seed L..., judgment: ...)" }
                    input #source name="source" type="text" required value=(v.source) aria-describedby=[described(e, "source")]; (field_error(e, "source")) }
                button type="submit" { "Add the event" }
            }
        }
    }
}

/// A watchlist as shown: its name and what it follows.
#[derive(Debug, Clone, Serialize)]
pub struct WatchlistView {
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: i64,
    /// What it follows (`technology/6g`, `ecosystem/semiconductors`, `trade/baci-2023`).
    pub subjects: Vec<String>,
}

/// The user's watchlists, with the form to set one.
#[derive(Debug, Clone, Serialize)]
pub struct WatchlistsPage {
    /// The user's watchlists.
    pub watchlists: Vec<WatchlistView>,
    /// Subjects to choose from: (subject, label).
    pub subjects: Vec<Choice>,
    /// The form's name and subjects (editing one, or shown again with its problem).
    pub form: Option<WatchlistView>,
    /// The form's problem.
    pub error: Option<FieldError>,
}

/// The user's watchlists page (`edit`: the one the form starts from).
pub async fn watchlists(
    wb: &Workbench,
    who: &osa_store::users::Principal,
    edit: Option<&str>,
) -> osa_app::Result<WatchlistsPage> {
    let prefix = format!("{}/", who.name);
    let watchlists: Vec<WatchlistView> = wb
        .watchlists(who)
        .await?
        .into_iter()
        .map(|w: Stored<Watchlist>| WatchlistView {
            name: w.key.strip_prefix(&prefix).unwrap_or(&w.key).to_string(),
            version: w.version,
            subjects: w.value.subjects,
        })
        .collect();
    let b = wb.baseline_at(wb.store().head().await?).await?;
    let mut subjects: Vec<Choice> = b
        .technologies
        .iter()
        .map(|t| {
            (
                format!("technology/{}", t.id),
                format!("Technology: {}", t.name),
            )
        })
        .collect();
    for d in osa_assess::Dimension::ALL {
        subjects.push((
            format!("dimension/{}", d.id()),
            format!("Dimension: {}", d.name()),
        ));
    }
    for e in wb.ecosystems(None).await? {
        subjects.push((
            format!("ecosystem/{}", e.name),
            format!("Ecosystem: {}", e.name),
        ));
    }
    for d in wb.trade_datasets(None).await? {
        subjects.push((format!("trade/{}", d.key), format!("Trade data: {}", d.key)));
    }
    for (numeral, _) in osa_app::trade::HS_SECTIONS {
        subjects.push((
            format!("hs/{numeral}"),
            format!("HS section: {}", osa_app::trade::hs_section_words(numeral)),
        ));
    }
    let form = edit.and_then(|n| watchlists.iter().find(|w| w.name == n).cloned());
    Ok(WatchlistsPage {
        watchlists,
        subjects,
        form,
        error: None,
    })
}

impl Page for WatchlistsPage {
    fn title(&self) -> String {
        "Watchlists".into()
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        html! {
            h1 { "Your watchlists" }
            p.muted { "A watchlist follows technologies, dimensions, actors, ecosystems, inputs, HS sections and trade datasets; its page lists the changes recorded about them (published cells, proposals, events, releases), also as an Atom feed, and each new one reaches your inbox. Everyone may keep watchlists; they are yours alone. "
                a href=(ctx.plain("changes")) { "Every change, and what changed since your last visit" } }
            @if self.watchlists.is_empty() { p { "You have no watchlist yet." } }
            @else {
                ul.cards { @for w in &self.watchlists { li {
                    a href=(ctx.plain(&format!("watchlists/{}", w.name))) { strong { (w.name) } }
                    " follows " (w.subjects.join(", ")) ". "
                    a href=(ctx.plain(&format!("watchlists?edit={}", crate::layout::encode(&w.name)))) { "Edit " span.sr { (w.name) } }
                    " · " a href={"/api/v1/watchlists/" (w.name) "/changes.atom"} { "Atom feed" }
                } } }
            }
            @if ctx.is_live() { (self.form(ctx)) }
        }
    }
}

impl WatchlistsPage {
    fn form(&self, ctx: &Ctx) -> Markup {
        let e = &self.error;
        let (name, chosen) = self.form.as_ref().map_or((String::new(), Vec::new()), |w| {
            (w.name.clone(), w.subjects.clone())
        });
        let known: Vec<&String> = self.subjects.iter().map(|(s, _)| s).collect();
        let other: Vec<&String> = chosen.iter().filter(|s| !known.contains(s)).collect();
        html! {
            h2 #set { @if self.form.is_some() && e.is_none() { "Edit a watchlist" } @else { "Create or replace a watchlist" } }
            form.record method="post" action=(ctx.plain("watchlists")) {
                @if let Some(m) = e.as_ref().map(|e| format!("{}: {}", e.field, e.message)) { p.error role="alert" { "Not saved. " (m) } }
                p { label for="name" { "Name (letters, digits, '.', '_' or '-')" }
                    input #name name="name" type="text" required maxlength="64" pattern="[A-Za-z0-9._-]+" value=(name) aria-describedby=[described(e, "name")]; (field_error(e, "name")) }
                fieldset { legend { "What it follows" }
                    @for (s, label) in &self.subjects {
                        span.check { input type="checkbox" name="subjects" value=(s) id={"s-" (s.replace('/', "-"))} checked[chosen.contains(s)];
                            label for={"s-" (s.replace('/', "-"))} { (label) } } }
                    (field_error(e, "subjects")) }
                p { label for="other" { "Other subjects, one a line (technology/ID, dimension/ID, actor/NAME, ecosystem/NAME, input/ID, hs/SECTION such as hs/XV, trade/DATASET)" }
                    textarea #other name="other" rows="2" { @for o in &other { (o) "\n" } } }
                button type="submit" { "Save the watchlist" }
            }
        }
    }
}

/// Changes as shown in a list: when, who, what (in words, linking to its page) and its details.
fn changes_table(ctx: &Ctx, items: &[Change], after: Option<i64>) -> Markup {
    html! {
        div.scroll { table {
            thead { tr { th { "When" } th { "Who" } th { "Change" } th { "Details" } } }
            tbody { @for c in items { tr {
                td { (crate::layout::time(&c.at)) }
                td { (c.actor) }
                td { @if after.is_some_and(|a| c.id > a) { span.tag { "new" } " " }
                     @if c.link.is_empty() { (c.title) } @else { a href=(c.link) { (c.title) } } }
                td { a href=(ctx.plain(&format!("changes/{}", c.id))) { "change " (c.id) } }
            } } }
        } }
    }
}

/// A change's details in words: each field named, nested values as nested lists (depth-bounded).
pub fn detail_html(v: &serde_json::Value) -> Markup {
    detail_at(v, 0)
}

fn detail_at(v: &serde_json::Value, depth: usize) -> Markup {
    use serde_json::Value;
    let name = |k: &str| {
        let k = k.replace('_', " ");
        let mut c = k.chars();
        c.next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
            .unwrap_or_default()
    };
    html! { @match v {
        Value::Null => { "none" }
        Value::String(s) => { (s) }
        Value::Object(m) if depth < 6 => { dl.facts { @for (k, x) in m { dt { (name(k)) } dd { (detail_at(x, depth + 1)) } } } }
        Value::Array(a) if depth < 6 && a.iter().all(|x| !x.is_object() && !x.is_array()) => {
            (a.iter().map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string)).collect::<Vec<_>>().join(", ")) }
        Value::Array(a) if depth < 6 => { ul { @for x in a.iter().take(100) { li { (detail_at(x, depth + 1)) } } } }
        other => { (other.to_string()) }
    } }
}

/// One watchlist and the changes it follows.
#[derive(Debug, Clone, Serialize)]
pub struct WatchlistPage {
    /// The watchlist.
    pub watchlist: WatchlistView,
    /// The changes about what it follows, newest first.
    pub changes: Vec<Change>,
    /// The Atom feed's path.
    pub atom: String,
}

impl Page for WatchlistPage {
    fn title(&self) -> String {
        format!("Watchlist {}", self.watchlist.name)
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        let w = &self.watchlist;
        html! {
            h1 { "Watchlist " (w.name) }
            p { "Follows: " (w.subjects.join(", ")) ". "
                a href=(ctx.plain(&format!("watchlists?edit={}", crate::layout::encode(&w.name)))) { "Edit" } " · "
                a href=(self.atom) type="application/atom+xml" { "Atom feed of these changes" } }
            @if self.changes.is_empty() { p { "No change recorded about what it follows yet." } }
            @else { (changes_table(ctx, &self.changes, None)) }
        }
    }
}

/// The change log, with what changed since the user's last visit.
#[derive(Debug, Clone, Serialize)]
pub struct ChangesPage {
    /// Only changes about these subjects (comma-separated), if given.
    pub subject: Option<String>,
    /// The page (from 1).
    pub page: u32,
    /// Changes per page.
    pub per_page: u32,
    /// The changes, newest first.
    pub items: Vec<Change>,
    /// What changed since the user's last visit.
    pub since: SinceLastVisit,
    /// The Atom feed's path.
    pub atom: String,
}

impl Page for ChangesPage {
    fn title(&self) -> String {
        "What changed".into()
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        let s = &self.since;
        let q = self
            .subject
            .as_deref()
            .map(|x| format!("&subject={}", crate::layout::encode(x)))
            .unwrap_or_default();
        html! {
            h1 { "What changed" }
            p.status role="status" { @match &s.last_visit {
                Some(d) => { strong { (s.changes) (plural(s.changes)) } " since your last visit on " (d.get(..10).unwrap_or(d)) "." },
                None => { "Your first visit: " strong { (s.changes) (plural(s.changes)) } " recorded so far." },
            } }
            p.muted { "The record's changes: published cells and files (before and after, who proposed and who approved), proposals made and rejected, events, data releases and what monitoring found in them (chokepoints, shares, computed levels), trade datasets. Each links to its page. "
                a href=(self.atom) type="application/atom+xml" { "Atom feed" } }
            form.rec-filters method="get" action=(ctx.plain("changes")) aria-label="Filter changes" {
                span.rec-field { label for="subject" { "Subjects (comma-separated, e.g. technology/6g,ecosystem/semiconductors)" }
                    input #subject name="subject" type="text" value=(self.subject.clone().unwrap_or_default()); }
                button type="submit" { "Filter" }
            }
            @if self.items.is_empty() { p { "No change on this page." } }
            @else { (changes_table(ctx, &self.items, s.last_visit.as_ref().map(|_| s.after))) }
            nav.pages aria-label="Pages" {
                @if self.page > 1 { a href={"/changes?page=" (self.page - 1) (q)} { "Newer" } " " }
                @if self.items.len() as u32 == self.per_page { a href={"/changes?page=" (self.page + 1) (q)} { "Older" } }
            }
        }
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { " change" } else { " changes" }
}

/// One change with its evidence.
#[derive(Debug, Clone, Serialize)]
pub struct ChangePage {
    /// The change.
    pub change: Change,
}

impl Page for ChangePage {
    fn title(&self) -> String {
        format!("Change {}", self.change.id)
    }
    fn body(&self, ctx: &Ctx) -> Markup {
        let c = &self.change;
        html! {
            h1 { "Change " (c.id) }
            dl.facts {
                dt { "What" } dd { @if c.link.is_empty() { (c.title) } @else { a href=(c.link) { (c.title) } } }
                @if !c.actor.is_empty() { dt { "Who" } dd { (c.actor) } }
                dt { "About" } dd { (c.subject) }
                dt { "Kind" } dd { (c.kind.replace('_', " ")) }
                dt { "Recorded" } dd { (c.at) " with revision " (c.revision_id) " ("
                    a href=(format!("{}?as_of=r{}", ctx.plain(""), c.revision_id)) { "the record as of it" } ")" }
            }
            h2 { "Evidence" }
            p.muted { "Before and after, with the rows of the data each side rests on (also as " a href={"/api/v1/changes/" (c.id)} { "JSON" } ")." }
            div.evidence { (detail_html(&c.detail)) }
            p { a href=(ctx.plain("changes")) { "Back to what changed" } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_error_is_shown_beside_its_field_and_its_items() {
        let e = Some(FieldError {
            field: "technologies[0]".into(),
            message: "no technology `quantum`".into(),
        });
        assert_eq!(
            FieldError::at(&e, "technologies").as_deref(),
            Some("technologies[0]: no technology `quantum`")
        );
        assert_eq!(FieldError::at(&e, "tech"), None);
        assert_eq!(FieldError::at(&None, "technologies"), None);
    }

    #[test]
    fn the_actor_filter_reads_prc_or_context_and_ignores_empty_fields() {
        let q = ActorQuery {
            technology: Some(String::new()),
            kind: Some("firm".into()),
            prc: Some("context".into()),
            ..Default::default()
        };
        let f = q.to_filter();
        assert_eq!(
            (f.technology, f.kind.as_deref(), f.prc),
            (None, Some("firm"), Some(false))
        );
        let all = ActorQuery {
            prc: Some(String::new()),
            ..Default::default()
        };
        assert_eq!(all.to_filter().prc, None);
    }

    #[test]
    fn a_change_s_evidence_is_escaped() {
        let page = ChangePage {
            change: Change {
                id: 7,
                at: "2026-11-30T12:00:00Z".into(),
                revision_id: 3,
                subject: "technology/6g".into(),
                kind: "share_moved".into(),
                title: "<b>x</b>".into(),
                detail: serde_json::json!({ "before": "<script>" }),
                actor: "rev".into(),
                link: String::new(),
                topics: Vec::new(),
            },
        };
        let html = page
            .body(&Ctx::live(None, None, "/changes/7"))
            .into_string();
        assert!(html.contains("&lt;b&gt;x&lt;/b&gt;") && html.contains("&lt;script&gt;"));
        assert!(html.contains("href=\"/?as_of=r3\""));
    }
}
