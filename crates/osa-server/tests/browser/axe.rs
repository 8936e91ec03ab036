//! Accessibility checks with axe-core. The script comes from npm, for tests only:
//! `crates/osa-server/tests/browser/package.json` pins it and `npm ci` there installs it into
//! `node_modules/` (`.ci/run` does). The harness injects it into the page through WebDriver's
//! execute-script, which Chromium runs outside the page's Content-Security-Policy (osa's CSP
//! forbids inline script; the test `axe_runs_under_the_servers_csp` checks that injection works
//! on a page served with that very header), then awaits `axe.run()`.
//!
//! Without the package: a SKIP line locally, a failure under CI=true.

use crate::harness::{Browser, skip};
use serde_json::{Value, json};
use std::path::PathBuf;

/// Where `npm ci` puts axe-core.
pub fn axe_path() -> PathBuf {
    std::env::var_os("OSA_AXE_JS").map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/browser/node_modules/axe-core/axe.min.js")
        },
        PathBuf::from,
    )
}

/// The axe-core script, or None (with a SKIP line; a failure under CI=true).
pub fn axe_source() -> Option<String> {
    let p = axe_path();
    match std::fs::read_to_string(&p) {
        Ok(s) => Some(s),
        Err(e) => {
            skip(&format!(
                "axe-core missing at {} ({e}); run `npm ci` in crates/osa-server/tests/browser",
                p.display()
            ));
            None
        }
    }
}

/// One axe violation, as the report prints it.
#[derive(Debug, Clone)]
pub struct Violation {
    pub id: String,
    pub impact: String,
    pub help: String,
    pub targets: Vec<String>,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "[{}] {}: {} -- at {}",
            self.impact,
            self.id,
            self.help,
            self.targets.join(", ")
        )
    }
}

/// Injects axe into the current page (if it is not there yet) and runs it over the document.
pub async fn violations(b: &Browser, axe: &str) -> Vec<Violation> {
    let have = b
        .script("return typeof window.axe === 'object'", vec![])
        .await;
    if have != json!(true) {
        b.script(&format!("{axe}\n;return true;"), vec![]).await;
        let have = b
            .script("return typeof window.axe === 'object'", vec![])
            .await;
        assert_eq!(
            have,
            json!(true),
            "axe-core did not load into {} (blocked by the page's CSP?)",
            b.url().await
        );
    }
    let r = b
        .script_async(
            r"const done = arguments[arguments.length - 1];
              axe.run(document, { resultTypes: ['violations'] })
                .then(r => done({ ok: r.violations.map(v => ({
                    id: v.id, impact: v.impact || '', help: v.help,
                    targets: v.nodes.map(n => n.target.join(' ')) })) }))
                .catch(e => done({ err: String(e) }));",
            vec![],
        )
        .await;
    if let Some(e) = r.get("err") {
        panic!("axe.run failed at {}: {e}", b.url().await);
    }
    r["ok"]
        .as_array()
        .expect("axe's violations")
        .iter()
        .map(|v| {
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            Violation {
                id: s("id"),
                impact: s("impact"),
                help: s("help"),
                targets: v["targets"]
                    .as_array()
                    .map(|t| {
                        t.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// The serious and critical violations of the current page.
pub async fn serious(b: &Browser, axe: &str) -> Vec<Violation> {
    violations(b, axe)
        .await
        .into_iter()
        .filter(|v| v.impact == "serious" || v.impact == "critical")
        .collect()
}

/// Fails listing every serious or critical violation of the current page (`what` names it).
pub async fn assert_accessible(b: &Browser, axe: &str, what: &str) {
    let bad = serious(b, axe).await;
    assert!(
        bad.is_empty(),
        "{what} ({}): {} serious or critical accessibility violations:\n{}",
        b.url().await,
        bad.len(),
        bad.iter()
            .map(|v| format!("  {v}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}
