//! A real `osa serve` on a free port over a fresh database, with users of every role.
#![allow(dead_code)] // each test file uses its own part of the harness

use osa_server::AppState;
use osa_server::serve::{ServeConfig, prepare, serve};
use osa_store::Actor;
use osa_store::testkit::TestDb;
use osa_store::users::Role;
use std::net::SocketAddr;

/// The test users: (name, role). Every password is `NAME-password-long`.
pub const fn users() -> [(&'static str, Role); 6] {
    [
        ("vic", Role::Viewer),
        ("ana", Role::Analyst),
        ("bea", Role::Analyst),
        ("rev", Role::Reviewer),
        ("rex", Role::Reviewer),
        ("adm", Role::Admin),
    ]
}

/// A running server.
pub struct Server {
    pub label: &'static str,
    pub addr: SocketAddr,
    pub link: Option<String>,
    /// The database's URL.
    pub database: String,
    /// The test database, dropped at [`Server::stop`] (`None`: a server beside another).
    db: Option<TestDb>,
    /// The data folder (uploads land in its `uploads/`).
    pub data: tempfile::TempDir,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Servers on every configured backend.
    pub async fn all() -> Vec<Server> {
        let mut v = Vec::new();
        for db in TestDb::all().await {
            v.push(Server::start(db, true).await);
        }
        v
    }

    /// A server on PostgreSQL with the test users (`None` where PostgreSQL cannot be had).
    pub async fn postgres_with_users() -> Option<Server> {
        Some(Server::start(TestDb::postgres().await?, true).await)
    }

    /// A server on SQLite with the test users.
    pub async fn sqlite_with_users() -> Server {
        Server::start(TestDb::sqlite(), true).await
    }

    /// A server on SQLite without users (first run).
    pub async fn sqlite() -> Server {
        Server::start(TestDb::sqlite(), false).await
    }

    /// Servers on every configured backend that mail through `smtp` (checked every 100 ms).
    pub async fn all_mailing(smtp: &str) -> Vec<Server> {
        let mut v = Vec::new();
        for db in TestDb::all().await {
            let mut m =
                osa_server::mail::Mailer::new(smtp, "osa <osa@localhost>", "http://osa.test")
                    .expect("a mailer");
            m.every = std::time::Duration::from_millis(100);
            v.push(Server::start_with(db, true, Some(m)).await);
        }
        v
    }

    async fn start(db: TestDb, with_users: bool) -> Server {
        Server::start_with(db, with_users, None).await
    }

    async fn start_with(
        db: TestDb,
        with_users: bool,
        mail: Option<osa_server::mail::Mailer>,
    ) -> Server {
        Server::start_tuned(db, with_users, mail, |_, _| {}).await
    }

    /// A server with the test users whose configuration and state `tune` adjusts first (a
    /// public origin, connection limits).
    pub async fn tuned(db: TestDb, tune: impl FnOnce(&mut ServeConfig, &mut AppState)) -> Server {
        Server::start_tuned(db, true, None, tune).await
    }

    async fn start_tuned(
        db: TestDb,
        with_users: bool,
        mail: Option<osa_server::mail::Mailer>,
        tune: impl FnOnce(&mut ServeConfig, &mut AppState),
    ) -> Server {
        if with_users {
            let s = db.store().await.expect("store");
            for (n, r) in users() {
                s.add_user(&Actor::system(), n, r, Some(format!("{n}-password-long")))
                    .await
                    .unwrap();
            }
            s.close().await;
        }
        Server::launch(db.label, db.url.clone(), (Some(db), mail), tune).await
    }

    /// A second server on this one's database, as another process would be: its own pools,
    /// caches, counters and listener (scale out).
    pub async fn beside(&self) -> Server {
        Server::launch(self.label, self.database.clone(), (None, None), |_, _| {}).await
    }

    async fn launch(
        label: &'static str,
        database: String,
        (db, mail): (Option<TestDb>, Option<osa_server::mail::Mailer>),
        tune: impl FnOnce(&mut ServeConfig, &mut AppState),
    ) -> Server {
        let data = tempfile::tempdir().expect("a data folder");
        let mut cfg = ServeConfig {
            data: Some(data.path().to_path_buf()),
            ..ServeConfig::new("127.0.0.1:0".parse().unwrap(), database.clone())
        };
        let wb = prepare(&cfg).await.expect("prepare");
        let mut state = AppState::new(wb);
        state.seed = seed_text();
        state.mail = mail.map(std::sync::Arc::new);
        tune(&mut cfg, &mut state);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let (atx, arx) = tokio::sync::oneshot::channel::<(SocketAddr, Option<String>)>();
        let task = tokio::spawn(async move {
            let _ = serve(
                cfg,
                state,
                move |a, link| {
                    let _ = atx.send((a, link));
                },
                async {
                    let _ = rx.await;
                },
            )
            .await;
        });
        let (addr, link) = arx.await.expect("the server starts");
        // The link is a full address; tests use its path.
        let link = link.map(|l| l.replacen(&format!("http://{addr}"), "", 1));
        Server {
            label,
            addr,
            link,
            database,
            db,
            data,
            stop: tx,
            task,
        }
    }

    /// A URL on the server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A client signed in as `name`.
    pub async fn client(&self, name: &str) -> reqwest::Client {
        let c = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let r = c
            .post(self.url("/api/v1/session"))
            .json(&serde_json::json!({ "name": name, "password": format!("{name}-password-long") }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "sign in as {name}");
        c
    }

    /// GETs a path as `client` and reads the JSON answer.
    pub async fn get_json(
        &self,
        client: &reqwest::Client,
        path: impl AsRef<str>,
    ) -> serde_json::Value {
        let r = client
            .get(self.url(path.as_ref()))
            .send()
            .await
            .expect("the server answers");
        r.json().await.expect("a JSON answer")
    }

    /// The server's database, opened beside it (to change it behind osa's back).
    pub async fn store(&self) -> osa_store::Store {
        let s = osa_store::Store::open(&self.database)
            .await
            .expect("the test database");
        s.migrate().await.expect("the test database migrates");
        s
    }

    /// Stops the server and drops its database.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
        if let Some(db) = self.db {
            db.drop_db().await;
        }
    }
}

/// The report's text from `../shared/seed` (beside `OSA_SHARED_DATA`), when present.
pub fn seed_text() -> Option<std::sync::Arc<osa_app::reader::SeedText>> {
    let shared = std::env::var_os("OSA_SHARED_DATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
        });
    let file = shared.join("../seed/000_0bfe460a9d94b6ca.compact.txt");
    osa_app::reader::SeedText::load(&file)
        .ok()
        .map(std::sync::Arc::new)
}

/// A client as a browser is: it keeps cookies and does not follow redirects (tests read them).
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Signs `name` in through the sign-in form, as a browser does; the form goes on to `next`.
pub async fn form_sign_in(s: &Server, name: &str, next: &str) -> reqwest::Client {
    let c = browser();
    let r = c
        .post(s.url("/signin"))
        .form(&[
            ("name", name),
            ("password", &format!("{name}-password-long")),
            ("next", next),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        reqwest::StatusCode::SEE_OTHER,
        "{name} signs in"
    );
    assert_eq!(r.headers()["location"], next);
    c
}

/// GETs a page: its status and text.
pub async fn page_text(
    c: &reqwest::Client,
    s: &Server,
    path: &str,
) -> (reqwest::StatusCode, String) {
    let r = c.get(s.url(path)).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

/// GETs a page's JSON, which must answer 200.
pub async fn page_json(c: &reqwest::Client, s: &Server, path: &str) -> serde_json::Value {
    let r = c.get(s.url(path)).send().await.unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::OK, "{path}");
    r.json().await.unwrap()
}

/// Uploads bytes as `client`; answers the upload's SHA-256.
pub async fn upload(s: &Server, client: &reqwest::Client, bytes: Vec<u8>) -> String {
    let r = client
        .post(s.url("/api/v1/uploads"))
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(r.status(), 201, "{}: {}", s.label, r.text().await.unwrap());
    let v: serde_json::Value = r.json().await.unwrap();
    v["upload"].as_str().unwrap().to_string()
}

/// A .zip of the files of a folder (under a folder named like it, as an archiver makes it).
pub fn zip_folder(dir: &std::path::Path) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        let top = dir.file_name().unwrap().to_string_lossy().to_string();
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        names.sort();
        for p in names {
            let name = format!("{top}/{}", p.file_name().unwrap().to_string_lossy());
            z.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(&std::fs::read(&p).unwrap()).unwrap();
        }
        z.finish().unwrap();
    }
    out.into_inner()
}

/// Registers a release through the API: uploaded by `uploader`, staged, approved by `reviewer`;
/// answers the release report.
pub async fn release(
    s: &Server,
    (uploader, reviewer): (&reqwest::Client, &reqwest::Client),
    (ecosystem, label): (&str, &str),
    bytes: Vec<u8>,
) -> serde_json::Value {
    let sha = upload(s, uploader, bytes).await;
    let r = uploader
        .post(s.url("/api/v1/releases"))
        .json(
            &serde_json::json!({ "upload": sha, "ecosystem": ecosystem, "label": label,
            "note": format!("release {label}") }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}: {}", s.label, r.text().await.unwrap());
    let r = reviewer
        .post(s.url(&format!("/api/v1/releases/{sha}/approve")))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}: {}", s.label, r.text().await.unwrap());
    r.json().await.unwrap()
}

/// Registers a trade dataset through the API: the CSV and its country table uploaded, the ingest
/// job followed to its end; answers the job.
pub async fn trade_dataset(
    s: &Server,
    reviewer: &reqwest::Client,
    id: &str,
    (csv, countries): (&std::path::Path, &std::path::Path),
) -> serde_json::Value {
    let csv = upload(s, reviewer, std::fs::read(csv).unwrap()).await;
    let countries = upload(s, reviewer, std::fs::read(countries).unwrap()).await;
    let r = reviewer
        .put(s.url(&format!("/api/v1/trade-datasets/{id}")))
        .json(&serde_json::json!({ "upload": csv, "countries": countries, "note": "a test file" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202, "{}: {}", s.label, r.text().await.unwrap());
    let job: serde_json::Value = r.json().await.unwrap();
    wait_job(s, reviewer, job["id"].as_u64().unwrap()).await
}

/// Polls a job until it ends.
pub async fn wait_job(s: &Server, c: &reqwest::Client, id: u64) -> serde_json::Value {
    for _ in 0..600 {
        let j = s.get_json(c, format!("/api/v1/jobs/{id}")).await;
        if j["phase"] == "done" || j["phase"] == "failed" {
            return j;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{}: job {id} did not end within 60 s", s.label)
}

/// Registers osa-trade's screening fixture (and its country table) as dataset `id`, uploaded by
/// the reviewer `rev`; answers the ended job.
pub async fn trade_fixture(s: &Server, id: &str) -> serde_json::Value {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../osa-trade/tests/data");
    let rev = s.client("rev").await;
    let job = trade_dataset(
        s,
        &rev,
        id,
        (
            &dir.join("screen_fixture.csv"),
            &dir.join("country_codes_fixture.csv"),
        ),
    )
    .await;
    assert_eq!(job["phase"], "done", "{}: {job}", s.label);
    job
}
