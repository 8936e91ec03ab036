//! Data in by upload in a real browser: an analyst uploads the ETO 2026 release as a .zip through
//! the releases form (the shared script sends it to `/api/v1/uploads` with a progress bar), a
//! reviewer approves it with the page's button, and the explorer compares it with ETO 2025
//! (integrated assembly tools: CHN 98% -> SGP 100%); a reviewer uploads a trade file and its
//! country table through the trade page's form and the job page follows the ingest to its end.
//! axe-core checks the new pages at 1280 and 420 px.

use crate::axe::{self, axe_source};
use crate::common::Server;
use crate::flows::sign_in;
use crate::harness::Browser;

/// Chooses a file in an `input[type=file]` (chromedriver reads it from this machine).
async fn choose(b: &Browser, css: &str, file: &std::path::Path) {
    let file = file.canonicalize().expect("the file exists");
    b.find(css)
        .await
        .send_keys(&file.display().to_string())
        .await
        .unwrap_or_else(|e| panic!("choose {} in `{css}`: {e}", file.display()));
}

async fn sign_out(b: &Browser) {
    b.click("form.signout button").await;
    b.wait_for_path("/signin").await;
}

async fn accessible(b: &Browser, what: &str) {
    let Some(src) = axe_source() else { return };
    for (w, h) in [(1280, 900), (420, 900)] {
        b.resize(w, h).await;
        axe::assert_accessible(b, &src, &format!("{what} at {w} px")).await;
    }
    b.resize(1280, 900).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_eto_2026_zip_uploaded_in_the_form_is_approved_and_compared() {
    let Some(data) = osa_io::shared::data_dir_or_skip(
        "the_eto_2026_zip_uploaded_in_the_form_is_approved_and_compared",
    ) else {
        return;
    };
    let s = Server::sqlite_with_users().await;
    let (ana, rev) = (s.client("ana").await, s.client("rev").await);
    let eto = data.join("eto");
    crate::common::release(
        &s,
        (&ana, &rev),
        ("eto-semiconductors", "eto-2025"),
        crate::common::zip_folder(&eto.join("v2025_supply_chain")),
    )
    .await;
    let Some(b) = Browser::open(&s.url("")).await else {
        s.stop().await;
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("v2026_chip_explorer.zip");
    std::fs::write(
        &zip,
        crate::common::zip_folder(&eto.join("v2026_chip_explorer")),
    )
    .unwrap();
    sign_in(&b, "ana").await;
    b.goto("/releases").await;
    accessible(&b, "/releases").await;
    choose(&b, "#upload", &zip).await;
    b.fill("#ecosystem", "eto-semiconductors").await;
    b.fill("#label", "eto-2026").await;
    b.fill("#note", "CSET ETO chip explorer, 2026").await;
    b.click("form.upload-form button[type=submit]").await;
    b.wait_for_text("eto-semiconductors @ eto-2026").await;
    let text = b.body_text().await;
    assert!(
        text.contains("eto-zip") && text.contains("126 inputs") && text.contains("uploaded by ana"),
        "{text}"
    );
    assert!(
        b.find_all("form.approve-form").await.is_empty(),
        "an analyst does not approve"
    );
    sign_out(&b).await;
    sign_in(&b, "rex").await;
    b.goto("/releases").await;
    b.click("form.approve-form button").await;
    b.wait_for_path("/ecosystems/eto-semiconductors").await;
    b.goto("/ecosystems/eto-semiconductors/compare?from=eto-2025&to=eto-2026")
        .await;
    let row = b
        .script(
            "return Array.from(document.querySelectorAll('tr')).map(r => r.innerText).filter(t => t.includes('Integrated assembly tools')).join('\\n')",
            vec![],
        )
        .await;
    let row = row.as_str().unwrap_or_default();
    assert!(
        row.contains("CHN 98% (2019)") && row.contains("SGP 100% (2025)"),
        "{row}"
    );
    b.goto("/releases").await;
    b.wait_for_text("No release is waiting.").await;
    b.close().await;
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trade_file_uploaded_in_the_form_is_ingested_with_progress() {
    let s = Server::sqlite_with_users().await;
    let Some(b) = Browser::open(&s.url("")).await else {
        s.stop().await;
        return;
    };
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../osa-trade/tests/data");
    sign_in(&b, "rev").await;
    b.goto("/trade").await;
    choose(&b, "#upload", &data.join("screen_fixture.csv")).await;
    choose(&b, "#countries", &data.join("country_codes_fixture.csv")).await;
    b.fill("#id", "fixture").await;
    b.fill("#note", "the screening fixture").await;
    b.click("form.upload-form button[type=submit]").await;
    b.wait_for_path("/trade/jobs/1").await;
    b.find("#job[data-phase=done]").await;
    let pct = b
        .script(
            "return document.getElementById('job-progress').value",
            vec![],
        )
        .await;
    assert_eq!(pct.as_f64(), Some(100.0), "the bar is full at the end");
    let hidden = b.find("#job-done").await.attr("hidden").await.unwrap();
    assert!(hidden.is_none(), "the end is shown");
    accessible(&b, "/trade/jobs/1").await;
    b.goto("/trade").await;
    b.wait_for_text("fixture").await;
    let text = b.body_text().await;
    assert!(text.contains("parquet"), "{text}");
    b.close().await;
    s.stop().await;
}
