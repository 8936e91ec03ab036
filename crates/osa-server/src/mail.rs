//! Mail (`osa serve --smtp smtp://HOST:PORT`): a task that, every few seconds, asks the workbench
//! for the mails due (each notification of a user who wants them at once, one daily digest for a
//! user who wants a digest), sends them over SMTP with lettre, and records each as sent. Mails
//! leave only after the writes that made them committed (the notifications are an outbox), and a
//! mail that fails is tried again on the next round.

use lettre::message::Mailbox;
use lettre::{Message, SmtpTransport, Transport};
use osa_app::workbench::Workbench;
use std::time::Duration;

/// The host and port of `smtp://HOST[:PORT]` (port 25 by default). Plain SMTP only: this build
/// has no TLS (relay through a local MTA that speaks TLS onward).
pub fn relay(url: &str) -> Result<(String, u16), String> {
    let rest = url
        .strip_prefix("smtp://")
        .ok_or("only smtp:// is supported (no TLS in this build)")?;
    let rest = rest.trim_end_matches('/');
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) => (h, p.parse::<u16>().map_err(|_| format!("bad port `{p}`"))?),
        None => (rest, 25),
    };
    if host.is_empty() || host.contains(['/', '@', '?']) {
        return Err(format!("bad host `{host}`"));
    }
    Ok((host.to_string(), port))
}

/// Where and how mail is sent.
#[derive(Debug, Clone)]
pub struct Mailer {
    /// The SMTP URL (`smtp://127.0.0.1:2525`).
    pub url: String,
    /// The sender.
    pub from: Mailbox,
    /// The server's address, for the links in mails.
    pub base: String,
    /// How often the outbox is looked at.
    pub every: Duration,
}

/// A mail setting that cannot work.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The URL.
    #[error("--smtp `{0}`: {1} (expected smtp://HOST:PORT)")]
    Url(String, String),
    /// The sender.
    #[error("--smtp-from `{0}`: {1}")]
    From(String, String),
}

impl Mailer {
    /// A mailer; the URL and the sender are checked now.
    pub fn new(url: &str, from: &str, base: &str) -> Result<Mailer, MailError> {
        relay(url).map_err(|e| MailError::Url(url.into(), e))?;
        let from = from.parse().map_err(|e: lettre::address::AddressError| {
            MailError::From(from.into(), e.to_string())
        })?;
        Ok(Mailer {
            url: url.into(),
            from,
            base: base.trim_end_matches('/').into(),
            every: Duration::from_secs(5),
        })
    }

    /// Sends the mails due now; returns how many went out. Errors are printed and retried later.
    pub async fn round(&self, wb: &Workbench) -> usize {
        let now = osa_store::clock::now();
        let due = match wb.due_mails(&now, &self.base).await {
            Ok(d) => d,
            Err(e) => {
                eprintln!("warning: mail: could not read the outbox: {e}");
                return 0;
            }
        };
        let mut sent = 0;
        for m in due {
            let msg = match self.message(&m) {
                Ok(msg) => msg,
                Err(e) => {
                    eprintln!("warning: mail to {}: {e}", m.user);
                    continue;
                }
            };
            let url = self.url.clone();
            let r = tokio::task::spawn_blocking(move || {
                let (host, port) = relay(&url)?;
                SmtpTransport::builder_dangerous(host)
                    .port(port)
                    .timeout(Some(Duration::from_secs(20)))
                    .build()
                    .send(&msg)
                    .map_err(|e| e.to_string())
            })
            .await;
            match r {
                Ok(Ok(_)) => match wb.mailed(&m).await {
                    Ok(()) => sent += 1,
                    Err(e) => eprintln!("warning: mail to {} sent but not recorded: {e}", m.user),
                },
                Ok(Err(e)) => eprintln!("warning: mail to {}: {e}", m.user),
                Err(e) => eprintln!("warning: mail to {}: {e}", m.user),
            }
        }
        sent
    }

    fn message(&self, m: &osa_app::workbench::inbox::Mail) -> Result<Message, String> {
        let to: Mailbox =
            m.to.parse()
                .map_err(|e: lettre::address::AddressError| e.to_string())?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .body(m.body.clone())
            .map_err(|e| e.to_string())
    }

    /// Runs rounds until the task is aborted.
    pub fn spawn(self, wb: Workbench) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(self.every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                self.round(&wb).await;
            }
        })
    }
}
