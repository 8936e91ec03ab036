//! Watching, notifications and discussion over HTTP, on SQLite and PostgreSQL, with mail sent to
//! an SMTP sink this test starts on a local port (no mail leaves the machine): a reviewer approves
//! 6G national security 4 -> 3 in the form; the analyst's inbox says so, a watchlist on 6G lists
//! the change in words with a link to the cell's history, its Atom feed has the entry, and the
//! sink receives one mail for the analyst. An analyst comments on the proposal mentioning `@rev`:
//! rev's inbox shows it, and the thread shows under the proposal, escaped.

mod common;

use common::{Server, form_sign_in, page_text as text};
use reqwest::StatusCode;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// A mail the sink kept: (recipients, data).
type Kept = (Vec<String>, String);

/// A tiny SMTP server that accepts every message and keeps it.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<Kept>>>);

impl Sink {
    async fn start() -> (Sink, String) {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("smtp://{}", l.local_addr().unwrap());
        let sink = Sink::default();
        let kept = sink.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = l.accept().await {
                tokio::spawn(kept.clone().session(stream));
            }
        });
        (sink, url)
    }

    async fn session(self, stream: tokio::net::TcpStream) {
        let (r, mut w) = stream.into_split();
        let mut lines = BufReader::new(r).lines();
        let _ = w.write_all(b"220 sink ESMTP\r\n").await;
        let (mut to, mut data, mut in_data) = (Vec::new(), String::new(), false);
        while let Ok(Some(line)) = lines.next_line().await {
            if in_data {
                if line == "." {
                    in_data = false;
                    self.0
                        .lock()
                        .unwrap()
                        .push((std::mem::take(&mut to), std::mem::take(&mut data)));
                    let _ = w.write_all(b"250 kept\r\n").await;
                } else {
                    data.push_str(&line);
                    data.push('\n');
                }
                continue;
            }
            let up = line.to_ascii_uppercase();
            let reply: &[u8] = if up.starts_with("EHLO") || up.starts_with("HELO") {
                b"250 sink\r\n"
            } else if up.starts_with("RCPT TO:") {
                to.push(line[8..].trim().to_string());
                b"250 ok\r\n"
            } else if up.starts_with("DATA") {
                in_data = true;
                b"354 go on\r\n"
            } else if up.starts_with("QUIT") {
                let _ = w.write_all(b"221 bye\r\n").await;
                break;
            } else {
                b"250 ok\r\n"
            };
            let _ = w.write_all(reply).await;
        }
    }

    fn mails(&self) -> Vec<Kept> {
        self.0.lock().unwrap().clone()
    }
}

fn version(page: &str) -> String {
    let key = r#"name="base_version" value=""#;
    let at = page.find(key).expect("base_version") + key.len();
    page[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

async fn post(
    c: &reqwest::Client,
    s: &Server,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    c.post(s.url(path)).form(form).send().await.unwrap()
}

#[tokio::test]
async fn an_approval_reaches_the_inbox_the_watchlist_its_feed_and_the_mail() {
    let (sink, url) = Sink::start().await;
    for s in Server::all_mailing(&url).await {
        let label = s.label;
        let before = sink.mails().len();
        let ana = form_sign_in(&s, "ana", "/inbox").await;
        let r = post(
            &ana,
            &s,
            "/inbox/mail",
            &[("email", "ana@unit.example"), ("delivery", "immediate")],
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{label}");
        let bad = post(
            &ana,
            &s,
            "/inbox/mail",
            &[("email", "not an address"), ("delivery", "daily")],
        )
        .await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY, "{label}");
        assert!(
            bad.text()
                .await
                .unwrap()
                .contains("is not an e-mail address")
        );
        let vic = form_sign_in(&s, "vic", "/watchlists").await;
        let r = post(
            &vic,
            &s,
            "/watchlists",
            &[("name", "six-g"), ("subjects", "technology/6g")],
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{label}");
        let (_, form) = text(&ana, &s, "/tech/6g/national_security/propose").await;
        let r = post(
            &ana,
            &s,
            "/tech/6g/national_security/propose",
            &[
                ("base_version", &version(&form)),
                ("level", "3"),
                (
                    "evidence_text_1",
                    "The abstract ranks national security first within the chapter.",
                ),
                ("evidence_source_1", "seed L2062-2063"),
                ("note", "second reading of L2062-2063"),
            ],
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{label}");
        let at = r.headers()["location"].to_str().unwrap().to_string();
        let rev = form_sign_in(&s, "rev", "/review").await;
        let ok = post(
            &rev,
            &s,
            &at,
            &[("decision", "approve"), ("comment", "agreed")],
        )
        .await;
        assert_eq!(ok.status(), StatusCode::SEE_OTHER, "{label}");
        let n = at.trim_start_matches("/review/");
        // The analyst's inbox.
        let (st, page) = text(&ana, &s, "/inbox").await;
        assert_eq!(st, 200);
        let said = format!(
            "rev approved your proposal {n}: 6G, national security: level 4 (critical) to 3 (high)"
        );
        assert!(page.contains(&said), "{label}: {page}");
        assert!(
            page.contains(r#"<span class="badge" aria-label="1 unread">1</span>"#),
            "{page}"
        );
        let j = s.get_json(&ana, "/inbox?format=json").await;
        assert_eq!(j["notes"][0]["kind"], "decision");
        assert_eq!(j["unread"], 1);
        let theirs = s.get_json(&vic, "/inbox?format=json").await;
        assert!(
            theirs["notes"]
                .as_array()
                .unwrap()
                .iter()
                .all(|n| n["kind"] == "watchlist"),
            "{label}: only vic's own"
        );
        // The watchlist page, in words, linking to the cell's history.
        let (_, page) = text(&vic, &s, "/watchlists/six-g").await;
        let words = "6G, national security: level 4 (critical) to 3 (high), proposed by ana and approved by rev";
        assert!(page.contains(words), "{label}: {page}");
        assert!(
            page.contains(r#"<a href="/tech/6g/national_security/history">6G, national security"#),
            "{page}"
        );
        // Its Atom feed.
        let atom = vic
            .get(s.url("/api/v1/watchlists/six-g/changes.atom"))
            .send()
            .await
            .unwrap();
        assert_eq!(atom.status(), 200);
        let atom = atom.text().await.unwrap();
        assert!(atom.contains(&format!("<title>{words}")), "{atom}");
        assert!(
            atom.contains("/tech/6g/national_security/history\"/>"),
            "{atom}"
        );
        assert!(atom.contains("<author><name>rev</name></author>"));
        // The change log counts it since the last visit.
        let (_, page) = text(&rev, &s, "/changes").await;
        assert!(
            page.contains("2 changes</strong> recorded so far")
                || page.contains("<strong>2 changes</strong>"),
            "{label}: {page}"
        );
        // The overview: what each cell rests on, and the cells changed since revision 1.
        let (_, page) = text(&rev, &s, "/?changed_since=r1").await;
        assert!(
            page.contains("14 of 40 cells also have a level computed from step 1"),
            "{page}"
        );
        assert!(
            page.contains("Chip design · supply-chain resilience (J"),
            "{page}"
        );
        assert!(
            page.contains("Semiconductor front-end manufacturing · supply-chain resilience (J")
        );
        assert!(page.contains("Every other cell is judgment alone"));
        assert!(page.contains("1 cell changed since r1"), "{label}: {page}");
        assert!(page.contains(r#"<a href="/tech/6g/national_security/history">6g · national security</a> 4 → 3 (ana, rev)"#), "{page}");
        assert_eq!(page.matches(r#"<rect class="changed""#).count(), 1);
        assert_eq!(
            page.matches(r#"<span class="tag">changed</span>"#).count(),
            1
        );
        let (_, page) = text(&rev, &s, "/").await;
        assert!(!page.contains(r#"<rect class="changed""#));
        compared_in_words(&s, &vic, label).await;
        let (st, _) = text(&rev, &s, "/?changed_since=yesterday").await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{label}");
        // One mail for the analyst (vic asked for none).
        let mut waited = 0;
        while sink.mails().len() < before + 1 && waited < 100 {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            waited += 1;
        }
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let mails = sink.mails()[before..].to_vec();
        assert_eq!(mails.len(), 1, "{label}: {mails:?}");
        assert_eq!(mails[0].0, ["<ana@unit.example>"]);
        assert!(
            mails[0].1.contains("rev approved your proposal"),
            "{}",
            mails[0].1
        );
        assert!(
            mails[0].1.contains(&format!("http://osa.test/review/{n}")),
            "{}",
            mails[0].1
        );
        s.stop().await;
    }
}

#[tokio::test]
async fn a_comment_mentioning_rev_reaches_rev_and_shows_under_the_proposal() {
    for s in Server::all().await {
        let label = s.label;
        let ana = form_sign_in(&s, "ana", "/review").await;
        let (_, form) = text(&ana, &s, "/tech/6g/national_security/propose").await;
        let r = post(
            &ana,
            &s,
            "/tech/6g/national_security/propose",
            &[
                ("base_version", &version(&form)),
                ("level", "3"),
                ("note", "second reading"),
            ],
        )
        .await;
        let at = r.headers()["location"].to_str().unwrap().to_string();
        let n = at.trim_start_matches("/review/").to_string();
        let subject = format!("proposal/{n}");
        let text_ = "@rev could you look? <script>x</script> see https://example.org/a";
        let r = post(
            &ana,
            &s,
            "/discussion/comment",
            &[("subject", &subject), ("text", text_)],
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{label}");
        assert_eq!(
            r.headers()["location"],
            format!("/review/{n}#discussion").as_str()
        );
        let empty = post(
            &ana,
            &s,
            "/discussion/comment",
            &[("subject", &subject), ("text", " ")],
        )
        .await;
        assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let vic = form_sign_in(&s, "vic", "/review").await;
        let no = post(
            &vic,
            &s,
            "/discussion/comment",
            &[("subject", &subject), ("text", "hi")],
        )
        .await;
        assert_eq!(no.status(), StatusCode::FORBIDDEN, "{label}: viewers read");
        let r = post(
            &ana,
            &s,
            "/discussion/request-review",
            &[("subject", &subject), ("reviewer", "rex")],
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let rev = form_sign_in(&s, "rev", "/inbox").await;
        let (_, page) = text(&rev, &s, "/inbox").await;
        assert!(
            page.contains(&format!(
                "ana mentioned you on proposal {n}: @rev could you look? &lt;script&gt;"
            )),
            "{label}: {page}"
        );
        let (_, page) = text(&rev, &s, &at).await;
        assert!(page.contains(r#"<h2 id="discussion">Discussion"#), "{page}");
        assert!(page.contains("&lt;script&gt;x&lt;/script&gt;") && !page.contains("<script>x"));
        assert!(page.contains(r#"<a href="https://example.org/a" rel="nofollow noopener">"#));
        assert!(page.contains("ana asked rex"));
        let j = s.get_json(&rev, &format!("{at}?format=json")).await;
        assert_eq!(j["discussion"]["comments"][0]["mentions"][0], "rev");
        let r = post(
            &rev,
            &s,
            "/discussion/resolve",
            &[("subject", &subject), ("resolved", "true")],
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let j = s.get_json(&rev, &format!("{at}?format=json")).await;
        assert_eq!(j["discussion"]["resolved"], true);
        let rex = form_sign_in(&s, "rex", "/inbox").await;
        let j = s.get_json(&rex, "/inbox?format=json").await;
        assert_eq!(j["notes"][0]["kind"], "review_request", "{label}");
        // The comment is found by search, as a comment linking to its proposal.
        let j = s
            .get_json(&vic, "/search?q=could+you+look&kind=comment&format=json")
            .await;
        assert_eq!(j["results"]["hits"][0]["kind"], "comment", "{label}: {j}");
        assert_eq!(
            j["results"]["hits"][0]["title"],
            format!("ana on proposal {n}")
        );
        assert_eq!(j["results"]["hits"][0]["link"], at.as_str());
        let (_, page) = text(&rev, &s, "/tech/6g/national_security/history").await;
        assert!(
            page.contains("No comment on 6g, national security yet."),
            "{page}"
        );
        s.stop().await;
    }
}

/// `/changes/compare` from r1 to the head after 6G national security was approved 4 -> 3: the
/// cell, both levels, who proposed and approved it and why, as HTML and as JSON.
async fn compared_in_words(s: &Server, c: &reqwest::Client, label: &str) {
    let (st, page) = text(c, s, "/changes/compare").await;
    assert_eq!(st, 200, "{label}");
    assert!(page.contains(r#"<datalist id="revisions">"#), "{page}");
    assert!(page.contains(r#"<option value="r1">r1 · "#), "{page}");
    let (st, page) = text(c, s, "/changes/compare?from=r1").await;
    assert_eq!(st, 200, "{label}: {page}");
    assert!(
        page.contains(r#"<a href="/tech/6g/national_security/history">6G, national security</a>"#),
        "{label}: {page}"
    );
    assert!(page.contains("4 (critical) → 3 (high)"), "{page}");
    assert!(
        page.contains("added: The abstract ranks national security first within the chapter. (seed L2062-2063)"),
        "{page}"
    );
    assert!(
        page.contains("proposed by ana, approved by rev in r3: second reading of L2062-2063 (reviewer: agreed)"),
        "{label}: {page}"
    );
    let j = s.get_json(c, "/changes/compare?from=r1&format=json").await;
    let cell = &j["comparison"]["cells"][0];
    assert_eq!(j["comparison"]["from"], 1, "{label}");
    assert_eq!(cell["technology"], "6g");
    assert_eq!(cell["dimension"], "national_security");
    assert_eq!(
        (cell["before"].as_u64(), cell["after"].as_u64()),
        (Some(4), Some(3))
    );
    assert_eq!(cell["why"][0]["proposed_by"], "ana");
    assert_eq!(cell["why"][0]["approved_by"], "rev");
    assert_eq!(cell["why"][0]["rationale"], "second reading of L2062-2063");
    assert_eq!(j["comparison"]["cells"].as_array().map(Vec::len), Some(1));
    let (st, _) = text(c, s, "/changes/compare?from=someday").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{label}");
}
