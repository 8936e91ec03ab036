//! `osa serve` as a child process, on every configured backend.
//!
//! - The crash-consistency acceptance test of "The continual record": the server is killed with
//!   SIGKILL at a random moment of a burst of concurrent writes (proposals on several
//!   technologies at once, each approved or rejected by a reviewer), `OSA_CRASH_ITERATIONS` times
//!   per backend (default 50) on one database whose state accumulates. After each kill `osa audit
//!   verify` must pass on the database as the crash left it; the server restarts, every write
//!   answered 2xx is there with its content, nothing half-written is visible (checked over HTTP
//!   and on the database itself), the matrix and the touched dossiers read, and
//!   `GET /api/v1/audit/verify` finds no problem.
//! - A third-party `sqlite3` client opening the database 20 times during a burst of writes loses
//!   none of them (the server holds the one handle to the database's files).
//! - SIGTERM: a request in flight finishes, new connections are refused, idle and silent
//!   connections do not hold the stop up, the process exits 0 with `osa serve: stopped`.
//!
//! Environment: `OSA_CRASH_ITERATIONS` (kills per backend; default 50), `OSA_CRASH_SEED` (the seed
//! of every random choice and kill moment; default 2026, printed with each run so a failure can be
//! replayed), `OSA_TEST_PG_URL` (the PostgreSQL half; without it that half prints `SKIP`, and
//! fails under `CI=true`).

use osa_store::Store;
use osa_store::testkit::TestDb;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const OSA: &str = env!("CARGO_BIN_EXE_osa");

/// The test users: (name, role); every password is `NAME-password-long`.
const USERS: [(&str, &str); 4] = [
    ("ana", "analyst"),
    ("bea", "analyst"),
    ("rev", "reviewer"),
    ("adm", "admin"),
];

const DIMENSIONS: [&str; 4] = [
    "supply_resilience",
    "competitiveness",
    "national_security",
    "values_sustainability",
];

/// Technologies written at once in a burst (one lane each, so a lane's approvals do not go stale).
const LANES: usize = 3;

/// The kill comes this long after the burst starts: a random moment in [MIN, MIN + SPAN).
const KILL_MIN_MS: u64 = 120;
const KILL_SPAN_MS: u64 = 480;

/// A small seeded generator (SplitMix64): the same seed, the same choices.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v}: not a number")),
        Err(_) => default,
    }
}

/// A database for `osa`: the flags that name it and the URL the test opens it with.
struct Record {
    label: &'static str,
    flags: Vec<String>,
    url: String,
    db: Option<TestDb>,
    _dir: Option<tempfile::TempDir>,
}

impl Record {
    /// SQLite in a temporary folder, named the way a user names it (`--data DIR`).
    fn sqlite() -> Record {
        let dir = tempfile::tempdir().expect("a temporary folder");
        Record {
            label: "sqlite",
            flags: vec!["--data".into(), dir.path().display().to_string()],
            url: format!("sqlite:{}", dir.path().join("osa.db").display()),
            db: None,
            _dir: Some(dir),
        }
    }

    /// A fresh PostgreSQL database (`--database URL`), or `None` with a SKIP notice.
    async fn postgres() -> Option<Record> {
        let db = TestDb::postgres().await?;
        Some(Record {
            label: "postgres",
            flags: vec!["--database".into(), db.url.clone()],
            url: db.url.clone(),
            db: Some(db),
            _dir: None,
        })
    }

    /// `osa ARGS` on this database.
    fn osa(&self, args: &[&str]) -> Command {
        let mut c = Command::new(OSA);
        c.args(args).args(&self.flags);
        c
    }

    /// Adds the test users at the terminal (so the server does not do its first-run admin).
    fn add_users(&self) {
        for (name, role) in USERS {
            let mut child = self
                .osa(&["user", "add", name, "--role", role, "--password-stdin"])
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("osa user add runs");
            let mut stdin = child.stdin.take().expect("stdin");
            writeln!(stdin, "{name}-password-long").expect("the password is written");
            drop(stdin);
            let out = child.wait_with_output().expect("osa user add ends");
            assert!(
                out.status.success(),
                "{}: osa user add {name}: {}",
                self.label,
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }

    /// `osa audit verify` on this database must exit 0.
    fn audit_verifies(&self, when: &str) {
        let out = self
            .osa(&["audit", "verify"])
            .output()
            .expect("osa audit verify runs");
        assert!(
            out.status.success(),
            "{}: osa audit verify {when} exited {}: {}{}",
            self.label,
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    async fn store(&self) -> Store {
        Store::open(&self.url)
            .await
            .expect("the test opens the store")
    }

    async fn drop_db(self) {
        if let Some(db) = &self.db {
            db.drop_db().await;
        }
    }
}

/// A running `osa serve` child process.
struct Serve {
    child: Child,
    addr: SocketAddr,
    stderr: Arc<Mutex<String>>,
    stderr_reader: Option<JoinHandle<()>>,
}

impl Serve {
    /// Starts `osa serve --bind 127.0.0.1:0` and waits for the address it prints. The write
    /// budget is raised: these clients write faster than people, and on PostgreSQL the budget,
    /// kept in the database, outlives a restart.
    fn start(rec: &Record) -> Serve {
        let mut child = rec
            .osa(&[
                "serve",
                "--bind",
                "127.0.0.1:0",
                "--write-budget",
                "1000000/100000",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("osa serve runs");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut e = child.stderr.take().expect("stderr");
        let sink = stderr.clone();
        let stderr_reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = e.read(&mut buf) {
                if let Ok(mut s) = sink.lock() {
                    s.push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            }
        });
        // The first line says where it listens; a server that hangs at start fails the test.
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = out.read_line(&mut line);
            let _ = tx.send(line);
            let _ = std::io::copy(&mut out, &mut std::io::sink());
        });
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| "(nothing within 60 s)".into());
        let addr = line
            .strip_prefix("osa serve: listening on http://")
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|a| a.parse().ok());
        let Some(addr) = addr else {
            let _ = child.kill();
            let _ = child.wait();
            let _ = stderr_reader.join();
            panic!(
                "{}: osa serve did not start: {line:?}; stderr: {}",
                rec.label,
                stderr.lock().map(|s| s.clone()).unwrap_or_default()
            );
        };
        Serve {
            child,
            addr,
            stderr,
            stderr_reader: Some(stderr_reader),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// SIGKILL (`Child::kill` on unix), then reaps the process.
    fn kill(&mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("the killed server is reaped");
    }

    /// What the server wrote on standard error (complete once it has exited).
    fn stderr(&mut self) -> String {
        if let Ok(Some(_)) = self.child.try_wait()
            && let Some(h) = self.stderr_reader.take()
        {
            let _ = h.join();
        }
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Signs in over HTTP (a session cookie) and makes an API token, which the rest of the test
/// sends as `Authorization: Bearer` (it outlives the server process, like the session would).
async fn client_for(s: &Serve, name: &str) -> reqwest::Client {
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a client");
    let r = c
        .post(s.url("/api/v1/session"))
        .json(&json!({ "name": name, "password": format!("{name}-password-long") }))
        .send()
        .await
        .expect("sign in");
    assert_eq!(r.status(), 200, "sign in as {name}");
    let r = c
        .post(s.url("/api/v1/tokens"))
        .json(&json!({ "label": "crash test", "days": 1 }))
        .send()
        .await
        .expect("a token");
    assert_eq!(r.status(), 201, "a token for {name}");
    let tok: Value = r.json().await.expect("the token");
    let mut h = reqwest::header::HeaderMap::new();
    h.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {}", tok["token"].as_str().expect("token"))
            .parse()
            .expect("a header"),
    );
    // No pooled connections: each restart has a new port, possibly an old one.
    reqwest::Client::builder()
        .default_headers(h)
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a client")
}

struct Clients {
    ana: reqwest::Client,
    bea: reqwest::Client,
    rev: reqwest::Client,
    adm: reqwest::Client,
}

/// A proposal answered 201.
#[derive(Debug, Clone)]
struct AckedProposal {
    id: i64,
    author: &'static str,
    subject: String,
    change: Value,
}

/// An approval (with its revision) or a rejection answered 200.
#[derive(Debug, Clone)]
struct AckedReview {
    proposal: i64,
    revision: Option<i64>,
    technology: String,
    dimension: &'static str,
    level: i64,
}

/// What the clients of one burst saw.
#[derive(Debug, Default)]
struct Seen {
    proposals: Vec<AckedProposal>,
    reviews: Vec<AckedReview>,
    refused: usize,
    /// Failures before the kill: a bug (5xx, a dropped connection, ...).
    unexpected: Vec<String>,
}

struct Burst {
    /// The servers' addresses: a lane proposes on one and has it reviewed on the next.
    bases: Vec<String>,
    iteration: u64,
    killed: AtomicBool,
    seen: Mutex<Seen>,
}

impl Burst {
    /// A request failed: expected after the kill, a bug before it.
    fn failed(&self, what: String) {
        if !self.killed.load(Ordering::SeqCst)
            && let Ok(mut s) = self.seen.lock()
        {
            s.unexpected.push(what);
        }
    }

    fn record(&self, f: impl FnOnce(&mut Seen)) {
        if let Ok(mut s) = self.seen.lock() {
            f(&mut s);
        }
    }
}

/// One lane of a burst: on one technology, read its ETag, propose a change to a random cell,
/// have it approved (7 in 8) or rejected; again, until the server dies.
async fn lane(b: Arc<Burst>, c: Arc<Clients>, technology: String, n: usize, mut rng: Rng) {
    let (author, analyst) = if n.is_multiple_of(2) {
        ("ana", &c.ana)
    } else {
        ("bea", &c.bea)
    };
    let mut write = 0;
    let write_at = b.bases[n % b.bases.len()].clone();
    let review_at = b.bases[(n + 1) % b.bases.len()].clone();
    // The ETag: read from the dossier at first and after a refusal; after an approval it is the
    // new revision (what the dossier would say), which saves a read and so packs more writes
    // into a burst.
    let mut next_etag: Option<String> = None;
    while !b.killed.load(Ordering::SeqCst) {
        write += 1;
        let current = match next_etag.take() {
            Some(e) => e,
            None => {
                let r = match analyst
                    .get(format!("{write_at}/api/v1/technologies/{technology}"))
                    .send()
                    .await
                {
                    Ok(r) if r.status() == 200 => r,
                    Ok(r) => return b.failed(format!("GET {technology}: {}", r.status())),
                    Err(e) => return b.failed(format!("GET {technology}: {e}")),
                };
                let e = r.headers()["etag"].to_str().expect("an ETag").to_string();
                if let Err(e) = r.bytes().await {
                    return b.failed(format!("GET {technology}: {e}"));
                }
                e
            }
        };
        let dimension = DIMENSIONS[rng.below(4) as usize];
        let level = rng.below(5) as i64;
        let note = format!(
            "crash test: iteration {}, lane {n}, write {write}",
            b.iteration
        );
        let change = json!({
            "level": level,
            "rationale": format!("Level {level} for the {note}."),
            "evidence": [{ "text": format!("Evidence of the {note}."), "source": "judgment: crash test, 2026-11-30, written under kill -9" }],
            // A random level may fall outside a cell's recorded range: the change drops it.
            "clear_range": true,
            "note": note,
        });
        let r = analyst
            .post(format!(
                "{write_at}/api/v1/technologies/{technology}/dimensions/{dimension}/proposals"
            ))
            .header("if-match", &current)
            .json(&change)
            .send()
            .await;
        let id = match r {
            Err(e) => return b.failed(format!("propose {technology}/{dimension}: {e}")),
            // An open proposal left by an earlier burst on the same cell and version.
            Ok(r) if r.status() == 412 => {
                b.record(|s| s.refused += 1);
                continue;
            }
            Ok(r) if r.status() == 201 => {
                // The status line came after the commit: the proposal is acknowledged even if
                // the body is cut off by the kill (then the lane cannot go on).
                let Ok(p) = r.json::<Value>().await else {
                    return b.failed(format!("propose {technology}/{dimension}: body cut"));
                };
                let id = p["id"].as_i64().expect("a proposal id");
                b.record(|s| {
                    s.proposals.push(AckedProposal {
                        id,
                        author,
                        subject: format!("{technology}/{dimension}"),
                        change: change.clone(),
                    });
                });
                id
            }
            Ok(r) => {
                let st = r.status();
                let body = r.text().await.unwrap_or_default();
                return b.failed(format!("propose {technology}/{dimension}: {st} {body}"));
            }
        };
        let approve = rng.below(8) != 0;
        let verb = if approve { "approve" } else { "reject" };
        let r = c
            .rev
            .post(format!("{review_at}/api/v1/proposals/{id}/{verb}"))
            .json(&json!({ "comment": format!("{verb}d in the crash test") }))
            .send()
            .await;
        match r {
            Err(e) => return b.failed(format!("{verb} {id}: {e}")),
            Ok(r) if r.status() == 200 => {
                let Ok(v) = r.json::<Value>().await else {
                    return b.failed(format!("{verb} {id}: body cut"));
                };
                let revision = v["revision"]["id"].as_i64();
                assert_eq!(revision.is_some(), approve, "{verb} {id}: {v}");
                next_etag = Some(match revision {
                    Some(r) => format!("\"{r}\""),
                    None => current.clone(),
                });
                b.record(|s| {
                    s.reviews.push(AckedReview {
                        proposal: id,
                        revision,
                        technology: technology.clone(),
                        dimension,
                        level,
                    });
                });
            }
            Ok(r) if r.status() == 412 => b.record(|s| s.refused += 1),
            Ok(r) => {
                let st = r.status();
                let body = r.text().await.unwrap_or_default();
                return b.failed(format!("{verb} {id}: {st} {body}"));
            }
        }
    }
}

/// The level of a cell in a matrix (null: silent).
fn matrix_level(m: &Value, technology: &str, dimension: &str) -> Value {
    m["technologies"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["id"] == technology))
        .map(|t| t["dimensions"][dimension]["level"].clone())
        .unwrap_or_else(|| panic!("no {technology} in the matrix"))
}

async fn get_json(c: &reqwest::Client, url: String) -> Value {
    let r = c
        .get(&url)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    let st = r.status();
    let body = r.text().await.unwrap_or_else(|e| panic!("{url}: {e}"));
    assert_eq!(st, 200, "{url}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{url}: not JSON ({e}): {body}"))
}

/// What the database holds, checked for anything half-written. Returns the proposals by id.
async fn check_record(
    label: &str,
    store: &Store,
    all_proposals: &[AckedProposal],
    all_reviews: &[AckedReview],
) -> BTreeMap<i64, osa_store::proposals::Proposal> {
    let head = store.head().await.expect("head");
    let revisions = store.revisions_between(0, head).await.expect("revisions");
    let ids: Vec<i64> = revisions.iter().map(|r| r.id).collect();
    assert_eq!(ids, (1..=head).collect::<Vec<_>>(), "{label}: revision ids");
    let with_documents: BTreeSet<i64> = store
        .writes_between(0, head)
        .await
        .expect("documents")
        .into_iter()
        .map(|(_, _, r)| r)
        .collect();
    let proposals: BTreeMap<i64, _> = store
        .proposals(None, None, 1_000_000, 0)
        .await
        .expect("proposals")
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    assert_eq!(
        proposals.keys().copied().collect::<Vec<_>>(),
        (1..=proposals.len() as i64).collect::<Vec<_>>(),
        "{label}: proposal ids"
    );
    for r in &revisions {
        assert!(
            with_documents.contains(&r.id),
            "{label}: revision {} has no documents",
            r.id
        );
        if let Some(pid) = r.proposal_id {
            let p = &proposals
                .get(&pid)
                .unwrap_or_else(|| panic!("{label}: revision {} of no proposal {pid}", r.id));
            assert_eq!(
                (p.status.as_str(), p.revision_id),
                ("approved", Some(r.id)),
                "{label}: revision {} of proposal {pid}",
                r.id
            );
        }
    }
    for p in proposals.values() {
        match p.status.as_str() {
            "approved" => {
                let rid = p.revision_id.unwrap_or_else(|| {
                    panic!("{label}: approved proposal {} lacks its revision", p.id)
                });
                let r = revisions
                    .get((rid - 1) as usize)
                    .unwrap_or_else(|| panic!("{label}: proposal {}: no revision {rid}", p.id));
                assert_eq!(
                    (
                        r.proposal_id,
                        r.author.as_str(),
                        r.reviewer.as_deref(),
                        r.note.as_str()
                    ),
                    (
                        Some(p.id),
                        p.author.as_str(),
                        p.reviewer.as_deref(),
                        p.note.as_str()
                    ),
                    "{label}: revision {rid} of proposal {}",
                    p.id
                );
                let d = store
                    .doc(&p.kind, &p.key, rid)
                    .await
                    .expect("a document")
                    .unwrap_or_else(|| panic!("{label}: revision {rid} lacks {}", p.key));
                assert_eq!(d.version, rid, "{label}: {} at revision {rid}", p.key);
                assert!(
                    d.body == p.body,
                    "{label}: {} at revision {rid} is not proposal {}'s",
                    p.key,
                    p.id
                );
            }
            "open" | "rejected" => assert_eq!(
                p.revision_id, None,
                "{label}: {} proposal {} has a revision",
                p.status, p.id
            ),
            other => panic!("{label}: proposal {} is {other}", p.id),
        }
    }
    // Each write and its audit row commit together.
    let entries = store.audit_entries(None, 10_000_000).await.expect("audit");
    let audited = |action: &str| -> BTreeSet<i64> {
        entries
            .iter()
            .filter(|e| e.action == action && e.outcome == "ok")
            .filter_map(|e| e.target.strip_prefix("proposal/")?.parse().ok())
            .collect()
    };
    let with = |status: &str| -> BTreeSet<i64> {
        proposals
            .values()
            .filter(|p| p.status == status)
            .map(|p| p.id)
            .collect()
    };
    assert_eq!(
        audited("proposal.create"),
        proposals.keys().copied().collect(),
        "{label}: proposals and their audit rows"
    );
    assert_eq!(
        audited("proposal.approve"),
        with("approved"),
        "{label}: approvals and their audit rows"
    );
    assert_eq!(
        audited("proposal.reject"),
        with("rejected"),
        "{label}: rejections and their audit rows"
    );
    let v = store.verify_audit().await.expect("verify");
    assert!(v.problems.is_empty(), "{label}: {:?}", v.problems);
    // Every acknowledged write, as it was acknowledged.
    for a in all_proposals {
        let p = proposals
            .get(&a.id)
            .unwrap_or_else(|| panic!("{label}: acknowledged proposal {} is lost", a.id));
        assert_eq!(
            (p.author.as_str(), p.subject.as_str(), p.note.as_str()),
            (
                a.author,
                a.subject.as_str(),
                a.change["note"].as_str().unwrap_or("")
            ),
            "{label}: proposal {}",
            a.id
        );
        for k in ["level", "rationale", "evidence", "note"] {
            assert_eq!(p.change[k], a.change[k], "{label}: proposal {}: {k}", a.id);
        }
    }
    for a in all_reviews {
        let p = &proposals[&a.proposal];
        let status = if a.revision.is_some() {
            "approved"
        } else {
            "rejected"
        };
        assert_eq!(
            (p.status.as_str(), p.revision_id),
            (status, a.revision),
            "{label}: acknowledged review of proposal {}",
            a.proposal
        );
    }
    proposals
}

/// Starts `n` servers on the record.
fn start_all(rec: &Record, n: usize) -> Vec<Serve> {
    (0..n).map(|_| Serve::start(rec)).collect()
}

/// What the servers wrote on standard error.
fn stderr_of(servers: &mut [Serve]) -> String {
    servers
        .iter_mut()
        .enumerate()
        .map(|(i, s)| format!("server {i}: {}", s.stderr()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// How long a burst runs before the kill: at least `.0` ms, plus up to `.1` ms.
type KillAfter = (u64, u64);

/// The crash test on one backend, with `n` servers on the record (writes proposed on one are
/// reviewed on the next), all killed at once.
async fn crash_test(rec: Record, n: usize, iterations: u64, (kill_min, kill_span): KillAfter) {
    let iterations = env_number("OSA_CRASH_ITERATIONS", iterations);
    let seed = env_number("OSA_CRASH_SEED", 2026);
    let label = rec.label;
    eprintln!("crash test {label}: {iterations} kills, OSA_CRASH_SEED={seed}");
    let started = Instant::now();
    rec.add_users();
    let mut servers = start_all(&rec, n);
    let clients = Arc::new(Clients {
        ana: client_for(&servers[0], "ana").await,
        bea: client_for(&servers[n - 1], "bea").await,
        rev: client_for(&servers[0], "rev").await,
        adm: client_for(&servers[n - 1], "adm").await,
    });
    let server = &servers[0];
    let technologies: Vec<String> = get_json(&clients.ana, server.url("/api/v1/technologies"))
        .await
        .as_array()
        .expect("technologies")
        .iter()
        .map(|t| t["id"].as_str().expect("an id").to_string())
        .collect();
    assert_eq!(technologies.len(), 10, "{label}");
    let mut rng = Rng(seed);
    let (mut all_proposals, mut all_reviews) = (Vec::new(), Vec::new());
    let mut refused = 0;
    let mut versions: BTreeMap<String, i64> = BTreeMap::new();
    // The first revision not checked yet.
    let mut head = 1;
    for iteration in 1..=iterations {
        let delay = Duration::from_millis(kill_min + rng.below(kill_span));
        let mut pick = technologies.clone();
        let burst = Arc::new(Burst {
            bases: servers.iter().map(|s| s.url("")).collect(),
            iteration,
            killed: AtomicBool::new(false),
            seen: Mutex::default(),
        });
        let lanes: Vec<_> = (0..LANES)
            .map(|n| {
                let t = pick.remove(rng.below(pick.len() as u64) as usize);
                let lane_rng = Rng(rng.next());
                tokio::spawn(lane(burst.clone(), clients.clone(), t, n, lane_rng))
            })
            .collect();
        tokio::time::sleep(delay).await;
        burst.killed.store(true, Ordering::SeqCst);
        for s in &mut servers {
            s.kill();
        }
        for l in lanes {
            l.await.expect("a lane");
        }
        let seen = std::mem::take(&mut *burst.seen.lock().expect("seen"));
        let context = format!(
            "{label}, iteration {iteration} (OSA_CRASH_SEED={seed}, killed after {delay:?})"
        );
        assert!(
            seen.unexpected.is_empty(),
            "{context}: failures before the kill: {:?}\n{}",
            seen.unexpected,
            stderr_of(&mut servers)
        );
        eprintln!(
            "{label} {iteration}: killed after {delay:?}: {} proposals, {} reviews acknowledged, {} refused",
            seen.proposals.len(),
            seen.reviews.len(),
            seen.refused
        );
        // The database as the kill left it.
        rec.audit_verifies(&format!("after the kill ({context})"));
        servers = start_all(&rec, n);
        let server = &servers[iteration as usize % n];
        let health = get_json(&clients.ana, server.url("/api/v1/health")).await;
        for other in &servers {
            let h = get_json(&clients.bea, other.url("/api/v1/health")).await;
            assert_eq!(h["revision"], health["revision"], "{context}: one head");
        }
        // Over HTTP: this burst's acknowledged writes.
        for a in &seen.proposals {
            let p = get_json(
                &clients.ana,
                server.url(&format!("/api/v1/proposals/{}", a.id)),
            )
            .await;
            assert_eq!(p["change"]["level"], a.change["level"], "{context}: {p}");
            assert_eq!(p["note"], a.change["note"], "{context}: {p}");
        }
        let matrix = get_json(&clients.ana, server.url("/api/v1/matrix")).await;
        // Every revision written since the last check, acknowledged or not, reads as a whole
        // baseline (the matrix as of it), and shows each acknowledged approval's level.
        let new_head = health["revision"].as_i64().expect("the revision");
        for rid in head..=new_head {
            let m = get_json(
                &clients.ana,
                server.url(&format!("/api/v1/matrix?as_of={rid}")),
            )
            .await;
            for a in seen.reviews.iter().filter(|a| a.revision == Some(rid)) {
                assert_eq!(
                    matrix_level(&m, &a.technology, a.dimension),
                    json!(a.level),
                    "{context}: the matrix as of revision {rid} (proposal {})",
                    a.proposal
                );
            }
        }
        head = new_head + 1;
        // Every technology whose file moved reads (its dossier and the latest matrix's cells).
        let listed = get_json(&clients.ana, server.url("/api/v1/technologies")).await;
        for t in listed.as_array().expect("technologies") {
            let id = t["id"].as_str().expect("id").to_string();
            let version = t["version"].as_i64().expect("version");
            if versions.get(&id) != Some(&version) || iteration == iterations {
                let d = get_json(
                    &clients.ana,
                    server.url(&format!("/api/v1/technologies/{id}")),
                )
                .await;
                assert_eq!(d["id"], json!(id), "{context}");
                versions.insert(id, version);
            }
        }
        let verify = get_json(&clients.adm, server.url("/api/v1/audit/verify")).await;
        assert_eq!(verify["problems"], json!([]), "{context}: {verify}");
        // On the database: nothing half-written, nothing acknowledged lost.
        all_proposals.extend(seen.proposals.iter().cloned());
        all_reviews.extend(seen.reviews.iter().cloned());
        refused += seen.refused;
        let store = rec.store().await;
        let proposals = check_record(&context, &store, &all_proposals, &all_reviews).await;
        assert_eq!(
            health["revision"],
            json!(store.head().await.expect("head")),
            "{context}"
        );
        store.close().await;
        // The latest matrix shows each cell's last approved level.
        let mut last: BTreeMap<&str, (i64, &Value)> = BTreeMap::new();
        for p in proposals.values() {
            if let Some(rid) = p.revision_id
                && last.get(p.subject.as_str()).is_none_or(|(r, _)| *r < rid)
            {
                last.insert(p.subject.as_str(), (rid, &p.change["level"]));
            }
        }
        for (subject, (rid, level)) in last {
            let (t, d) = subject.split_once('/').expect("technology/dimension");
            assert_eq!(
                &matrix_level(&matrix, t, d),
                level,
                "{context}: {subject} (revision {rid})"
            );
        }
    }
    let store = rec.store().await;
    let revisions = store.head().await.expect("head");
    let total = store
        .proposals(None, None, 1_000_000, 0)
        .await
        .expect("proposals")
        .len();
    store.close().await;
    eprintln!(
        "crash test {label}: {iterations} kills in {:.1?}: {} proposals and {} reviews acknowledged \
         ({} proposals in the record, {} revisions), {refused} refused as stale",
        started.elapsed(),
        all_proposals.len(),
        all_reviews.len(),
        total,
        revisions,
    );
    for mut s in servers {
        s.kill();
    }
    if n > 1 {
        // Proposed on one process, reviewed on the other: writes of both were acknowledged.
        assert!(
            !all_reviews.is_empty(),
            "{label}: no review acknowledged: the bursts were too short to test anything"
        );
    }
    rec.drop_db().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_writes_on_sqlite_loses_nothing_acknowledged() {
    crash_test(Record::sqlite(), 1, 50, (KILL_MIN_MS, KILL_SPAN_MS)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_writes_on_postgres_loses_nothing_acknowledged() {
    if let Some(rec) = Record::postgres().await {
        crash_test(rec, 1, 50, (KILL_MIN_MS, KILL_SPAN_MS)).await;
    }
}

/// Two `osa serve` on one PostgreSQL database, a lane proposing on one and reviewed on the
/// other, both killed at once: no acknowledged write lost, one history, one audit chain. Longer
/// bursts than with one server: two processes start slower, and the test must see writes
/// acknowledged by both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_of_two_servers_on_one_postgres_loses_nothing_acknowledged() {
    if let Some(rec) = Record::postgres().await {
        crash_test(rec, 2, 12, (1500, 2000)).await;
    }
}

/// Sends SIGTERM.
fn terminate(child: &Child) {
    let st = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(st.success(), "kill -TERM");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_requests_in_flight_finish_and_exits_0() {
    let rec = Record::sqlite();
    rec.add_users();
    let mut server = Serve::start(&rec);
    // Signed in over HTTP; the request in flight is written by hand with the session cookie.
    let c = reqwest::Client::new();
    let r = c
        .post(server.url("/api/v1/session"))
        .json(&json!({ "name": "ana", "password": "ana-password-long" }))
        .send()
        .await
        .expect("sign in");
    assert_eq!(r.status(), 200);
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .expect("a cookie")
        .split(';')
        .next()
        .expect("name=value")
        .to_string();
    let r = c
        .get(server.url("/api/v1/technologies/6g"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("6g");
    assert_eq!(r.status(), 200);
    let etag = r.headers()["etag"].to_str().expect("an ETag").to_string();
    // `c` keeps an idle keep-alive connection open across the SIGTERM: it must not delay the exit.
    // A proposal in flight: headers and half the body sent, the rest after SIGTERM.
    let body = json!({
        "level": 3,
        "evidence": [{ "text": "National security is still the greatest concern.", "source": "seed L2062-2063" }],
        "note": "sent across a SIGTERM",
    })
    .to_string();
    let (first, rest) = body.split_at(body.len() / 2);
    let mut conn = TcpStream::connect(server.addr).expect("connect");
    write!(
        conn,
        "POST /api/v1/technologies/6g/dimensions/national_security/proposals HTTP/1.1\r\n\
         Host: {}\r\nCookie: {cookie}\r\nIf-Match: {etag}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{first}",
        server.addr,
        body.len()
    )
    .expect("the request's first half");
    conn.flush().expect("flush");
    // A connection that never says anything (a browser's preconnect): it must not hold up the stop.
    let silent = TcpStream::connect(server.addr).expect("connect");
    std::thread::sleep(Duration::from_millis(500));
    terminate(&server.child);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        server.child.try_wait().expect("try_wait").is_none(),
        "the server exited with a request in flight: {}",
        server.stderr()
    );
    assert!(
        TcpStream::connect(server.addr).is_err(),
        "the server still accepts connections after SIGTERM"
    );
    conn.write_all(rest.as_bytes()).expect("the request's rest");
    let mut answer = String::new();
    conn.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("a timeout");
    let _ = conn.read_to_string(&mut answer);
    assert!(
        answer.starts_with("HTTP/1.1 201"),
        "the request in flight: {answer}\nserver: {}",
        server.stderr()
    );
    // At once: nothing else is in flight (the idle keep-alive connection of `c` and the silent
    // one are not requests; the silent one used to hold the stop up for the 10 s header timeout).
    let deadline = Instant::now() + Duration::from_secs(3);
    let status = loop {
        if let Some(st) = server.child.try_wait().expect("try_wait") {
            break st;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not exit after its last request"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let stderr = server.stderr();
    assert!(status.success(), "exit status {status}: {stderr}");
    assert!(stderr.contains("osa serve: stopped"), "{stderr}");
    // The proposal made across the SIGTERM is in the record, and the audit log verifies.
    let store = rec.store().await;
    let p = store.proposals(None, None, 10, 0).await.expect("proposals");
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].note, "sent across a SIGTERM");
    store.close().await;
    rec.audit_verifies("after SIGTERM");
    drop((c, silent));
}

/// The acceptance's tampering: `osa audit verify` passes, then fails after a row is edited with the
/// `sqlite3` tool (which must first drop the trigger that refuses the edit).
#[test]
fn audit_verify_fails_after_an_edit_with_the_sqlite3_tool() {
    if std::process::Command::new("sqlite3")
        .arg("-version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI=true but the sqlite3 tool is missing (.ci/run installs it)"
        );
        eprintln!("SKIP: audit_verify_fails_after_an_edit_with_the_sqlite3_tool (no sqlite3 tool)");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().display().to_string();
    for name in ["ana", "rev"] {
        let out = crate::util::osa()
            .args(["user", "add", name, "--role", "analyst", "--data", &data])
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let verify = || {
        crate::util::osa()
            .args(["audit", "verify", "--data", &data])
            .output()
            .expect("runs")
    };
    let ok = verify();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let db = dir.path().join("osa.db");
    let sql = |q: &str| {
        std::process::Command::new("sqlite3")
            .arg(&db)
            .arg(q)
            .output()
            .expect("sqlite3 runs")
    };
    let refused = sql("UPDATE audit SET actor = 'mallory' WHERE seq = 2;");
    assert!(
        !refused.status.success()
            || String::from_utf8_lossy(&refused.stderr).contains("append-only"),
        "the trigger refuses the edit"
    );
    let edit =
        sql("DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'mallory' WHERE seq = 2;");
    assert!(
        edit.status.success(),
        "{}",
        String::from_utf8_lossy(&edit.stderr)
    );
    let bad = verify();
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("row 2") && err.contains("edited"), "{err}");
}

/// Issue 16's "one database handle per process": while the server takes a burst of writes, a
/// third-party `sqlite3` client opens and closes the database 20 times (`sqlite3 osa.db 'select
/// 1'`). Nothing in the server opens the database's files a second time (which would drop
/// SQLite's POSIX locks for the whole process and let the client delete the WAL under the live
/// server), so after a restart every write answered 2xx is there and the audit chain verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite3_client_beside_the_server_loses_no_write() {
    if Command::new("sqlite3").arg("-version").output().is_err() {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI=true but the sqlite3 tool is missing (.ci/run installs it)"
        );
        eprintln!("SKIP: a_sqlite3_client_beside_the_server_loses_no_write (no sqlite3 tool)");
        return;
    }
    let rec = Record::sqlite();
    let db = rec.url.trim_start_matches("sqlite:").to_string();
    rec.add_users();
    let mut server = Serve::start(&rec);
    let clients = Arc::new(Clients {
        ana: client_for(&server, "ana").await,
        bea: client_for(&server, "bea").await,
        rev: client_for(&server, "rev").await,
        adm: client_for(&server, "adm").await,
    });
    let burst = Arc::new(Burst {
        bases: vec![server.url("")],
        iteration: 1,
        killed: AtomicBool::new(false),
        seen: Mutex::default(),
    });
    let lanes: Vec<_> = ["6g", "chip-design", "blockchain"]
        .iter()
        .enumerate()
        .map(|(n, t)| {
            tokio::spawn(lane(
                burst.clone(),
                clients.clone(),
                t.to_string(),
                n,
                Rng(2026 + n as u64),
            ))
        })
        .collect();
    let client = std::thread::spawn(move || {
        for i in 0..20 {
            std::thread::sleep(Duration::from_millis(150));
            let out = Command::new("sqlite3")
                .args([db.as_str(), "select 1"])
                .output()
                .expect("sqlite3 runs");
            assert!(
                out.status.success() && out.stdout.starts_with(b"1"),
                "sqlite3 run {i}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    });
    tokio::task::spawn_blocking(move || client.join().expect("the sqlite3 runs"))
        .await
        .expect("joined");
    burst.killed.store(true, Ordering::SeqCst);
    for l in lanes {
        l.await.expect("a lane");
    }
    let seen = std::mem::take(&mut *burst.seen.lock().expect("seen"));
    assert!(seen.unexpected.is_empty(), "{:?}", seen.unexpected);
    assert!(
        seen.reviews.len() >= 3,
        "a burst of writes: {} reviews",
        seen.reviews.len()
    );
    server.kill();
    rec.audit_verifies("after the burst beside sqlite3");
    let server = Serve::start(&rec);
    for a in &seen.proposals {
        let p = get_json(
            &clients.ana,
            server.url(&format!("/api/v1/proposals/{}", a.id)),
        )
        .await;
        assert_eq!(p["change"]["level"], a.change["level"], "{p}");
        assert_eq!(p["note"], a.change["note"], "{p}");
    }
    for a in seen.reviews.iter().filter(|a| a.revision.is_some()) {
        let rid = a.revision.expect("approved");
        let m = get_json(
            &clients.ana,
            server.url(&format!("/api/v1/matrix?as_of={rid}")),
        )
        .await;
        assert_eq!(
            matrix_level(&m, &a.technology, a.dimension),
            json!(a.level),
            "revision {rid} (proposal {})",
            a.proposal
        );
    }
    let store = rec.store().await;
    check_record("sqlite3 beside", &store, &seen.proposals, &seen.reviews).await;
    store.close().await;
    let verify = get_json(&clients.adm, server.url("/api/v1/audit/verify")).await;
    assert_eq!(verify["problems"], json!([]), "{verify}");
    eprintln!(
        "sqlite3 beside the server: {} proposals and {} reviews acknowledged, all there",
        seen.proposals.len(),
        seen.reviews.len()
    );
    drop(server);
}

/// The restore of docs/deploy.md, on both backends: `osa db backup` of a record with writes,
/// restored into a fresh database (SQLite: the copy is the database; PostgreSQL: `psql -f` of the
/// dump into a new database), serves the same head and its audit chain verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_restores_into_a_fresh_database_whose_chain_verifies() {
    let mut records = vec![Record::sqlite()];
    records.extend(Record::postgres().await);
    for rec in records {
        let label = rec.label;
        rec.add_users();
        let server = Serve::start(&rec);
        let ana = client_for(&server, "ana").await;
        let r = ana
            .post(server.url("/api/v1/events"))
            .json(&json!({
                "date": "2026-12-08",
                "title": "Written before the backup",
                "text": "A revision the restore must hold.",
                "actors": [],
                "technologies": [],
                "source": "judgment: backup test, 2026-12-08"
            }))
            .send()
            .await
            .expect("an event");
        assert_eq!(r.status(), 201, "{label}");
        drop(server);
        let store = rec.store().await;
        let (head, entries) = (
            store.head().await.expect("head"),
            store
                .audit_entries(None, 1_000_000)
                .await
                .expect("audit")
                .len(),
        );
        store.close().await;
        let dir = tempfile::tempdir().expect("a folder");
        let file = dir.path().join(if label == "sqlite" {
            "osa-backup.db"
        } else {
            "osa-backup.sql"
        });
        let out = rec
            .osa(&["db", "backup", &file.display().to_string()])
            .output()
            .expect("osa db backup runs");
        assert!(
            out.status.success(),
            "{label}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The restore, into a database osa never saw.
        let fresh = match label {
            "sqlite" => {
                let url = format!("sqlite:{}", dir.path().join("restored.db").display());
                std::fs::copy(&file, dir.path().join("restored.db")).expect("the copy");
                (url, None)
            }
            _ => {
                let db = TestDb::postgres().await.expect("a second database");
                let out = Command::new("psql")
                    .args([
                        "-v",
                        "ON_ERROR_STOP=1",
                        "--quiet",
                        "--dbname",
                        &db.url,
                        "-f",
                    ])
                    .arg(&file)
                    .output()
                    .expect("psql runs");
                assert!(
                    out.status.success(),
                    "psql: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                (db.url.clone(), Some(db))
            }
        };
        let out = Command::new(OSA)
            .args(["audit", "verify", "--database", &fresh.0])
            .output()
            .expect("osa audit verify runs");
        assert!(
            out.status.success(),
            "{label}: the restored chain: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let restored = Store::open(&fresh.0).await.expect("the restored database");
        assert_eq!(restored.head().await.expect("head"), head, "{label}");
        assert_eq!(
            restored
                .audit_entries(None, 1_000_000)
                .await
                .expect("audit")
                .len(),
            entries,
            "{label}"
        );
        restored.close().await;
        if let Some(db) = fresh.1 {
            db.drop_db().await;
        }
        rec.drop_db().await;
    }
}
