//! The files every page loads, served by `osa serve` under `/assets/` and written by `osa report`
//! beside its pages: one stylesheet and one script (progressive: every page works without it).
//! Nothing is fetched from elsewhere; the workbench works offline.

/// (file name, media type, content).
pub const ASSETS: &[(&str, &str, &str)] = &[
    ("osa.css", "text/css; charset=utf-8", osa_view::html::CSS),
    (
        "osa.js",
        "text/javascript; charset=utf-8",
        osa_view::html::JS,
    ),
];

/// An asset by file name.
pub fn asset(name: &str) -> Option<(&'static str, &'static str)> {
    ASSETS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, t, c)| (*t, *c))
}
