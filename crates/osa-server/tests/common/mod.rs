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
    db: TestDb,
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
        let cfg = ServeConfig {
            bind: "127.0.0.1:0".parse().unwrap(),
            database: db.url.clone(),
            secure_cookies: false,
        };
        if with_users {
            let s = db.store().await.expect("store");
            for (n, r) in users() {
                s.add_user(&Actor::system(), n, r, Some(format!("{n}-password-long")))
                    .await
                    .unwrap();
            }
            s.close().await;
        }
        let (wb, link) = prepare(&cfg).await.expect("prepare");
        let mut state = AppState::new(wb);
        state.seed = seed_text();
        state.mail = mail.map(std::sync::Arc::new);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let (atx, arx) = tokio::sync::oneshot::channel::<SocketAddr>();
        let task = tokio::spawn(async move {
            let _ = serve(
                cfg,
                state,
                move |a| {
                    let _ = atx.send(a);
                },
                async {
                    let _ = rx.await;
                },
            )
            .await;
        });
        let addr = arx.await.expect("the server starts");
        Server {
            label: db.label,
            addr,
            link,
            db,
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
        self.db.store().await.expect("the test database")
    }

    /// Stops the server and drops its database.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
        self.db.drop_db().await;
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
