//! The head of the record as one process knows it, on PostgreSQL kept fresh by the database's
//! notifications, so that reads need not ask for it each time. Every write transaction sends
//! `NOTIFY osa_record` ([`CHANNEL`]; delivered when it commits); a process that called
//! [`Store::watch_head`] listens on its own connection and moves its *generation* on each
//! notification, on its own commits, and whenever the listener is lost or back. The head is
//! cached under the generation it was read at, and used only while the listener is up: when the
//! listener drops, every read asks the database again (the fallback) until it is listening again.
//! Everything else a process caches is keyed by revision, and revisions never change.
//!
//! A read in one process right after a write committed in another sees the write once the
//! notification has arrived (the database sends it as the writer's commit returns); writes
//! themselves never rely on the cache (they check versions in their transaction).

use crate::{Backend, Result, Store};
use sqlx::postgres::PgListener;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The channel write transactions notify.
pub const CHANNEL: &str = "osa_record";

/// What one process knows of the head.
#[derive(Debug, Default)]
pub(crate) struct HeadWatch {
    generation: AtomicU64,
    live: AtomicBool,
    head: Mutex<Option<(u64, i64)>>,
    task: Mutex<Option<tokio::task::AbortHandle>>,
    lost: AtomicU64,
}

impl HeadWatch {
    /// Something may have moved: the cached head is stale.
    pub(crate) fn moved(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// The generation, while listening (`None`: do not cache).
    pub(crate) fn generation(&self) -> Option<u64> {
        self.live
            .load(Ordering::SeqCst)
            .then(|| self.generation.load(Ordering::SeqCst))
    }

    /// The head read at generation `g`, if that is still the generation.
    pub(crate) fn cached(&self, g: u64) -> Option<i64> {
        let c = *self.head.lock().ok()?;
        c.filter(|(at, _)| *at == g).map(|(_, h)| h)
    }

    pub(crate) fn remember(&self, g: u64, head: i64) {
        if let Ok(mut c) = self.head.lock() {
            *c = Some((g, head));
        }
    }

    fn set_live(&self, live: bool) {
        if !live {
            self.live.store(false, Ordering::SeqCst);
            self.lost.fetch_add(1, Ordering::SeqCst);
        }
        self.moved();
        if live {
            self.live.store(true, Ordering::SeqCst);
        }
    }

    pub(crate) fn stop(&self) {
        self.live.store(false, Ordering::SeqCst);
        if let Some(t) = self.task.lock().ok().and_then(|mut t| t.take()) {
            t.abort();
        }
    }
}

impl Store {
    /// Listens for the notifications of writes (PostgreSQL; nothing on SQLite, where every read
    /// asks for the head), so the head is cached between writes. Fails when the first listener
    /// cannot connect; a listener lost later is reconnected in the background.
    pub async fn watch_head(&self) -> Result<()> {
        if self.backend != Backend::Postgres || self.watch.task.lock().is_ok_and(|t| t.is_some()) {
            return Ok(());
        }
        let listener = listen(&self.url).await?;
        self.watch.set_live(true);
        let (watch, url) = (self.watch.clone(), self.url.clone());
        let task = tokio::spawn(keep_listening(listener, watch, url));
        if let Ok(mut t) = self.watch.task.lock() {
            *t = Some(task.abort_handle());
        }
        Ok(())
    }

    /// Whether the head is cached now (the listener is up).
    pub fn watching_head(&self) -> bool {
        self.watch.generation().is_some()
    }

    /// How many times the listener was lost since [`Store::watch_head`].
    pub fn head_watch_lost(&self) -> u64 {
        self.watch.lost.load(Ordering::SeqCst)
    }
}

async fn listen(url: &str) -> Result<PgListener> {
    let mut l = PgListener::connect(url).await?;
    l.listen(CHANNEL).await?;
    Ok(l)
}

/// Moves the generation on each notification; when the connection is lost, stops caching,
/// reconnects (every second until it can), then caches again.
async fn keep_listening(mut l: PgListener, watch: Arc<HeadWatch>, url: Arc<str>) {
    loop {
        match l.try_recv().await {
            Ok(Some(_)) => watch.moved(),
            Ok(None) | Err(_) => {
                watch.set_live(false);
                l = loop {
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    if let Ok(l) = listen(&url).await {
                        break l;
                    }
                };
                watch.set_live(true);
            }
        }
    }
}
