//! The delivery thread: posts every pending outbox row to its `--notify-url` with an
//! `Idempotency-Key` header (the message's reference, the same on every attempt), records what
//! happened, and sleeps until the next row is due or the writer says a new one is there. Its own
//! thread and its own database connection: a slow receiver never holds an async worker or the
//! writer. The number of pending rows is the `message_deliveries_pending` metric.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender};
use std::time::Duration;

use super::notify::{self, GIVE_UP_MS, Target};
use super::outbox::Due;
use super::store::Store;

/// Rows taken per round.
const BATCH: usize = 16;
/// The longest sleep between rounds (so a row whose time came is never missed for long).
const MAX_SLEEP: Duration = Duration::from_secs(60);
/// One request's whole time: connect, send, answer.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// How the delivery thread runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The database to read the outbox from.
    pub path: PathBuf,
    /// The first wait after a failure (doubling from there; see [`notify::backoff`]).
    pub base_backoff: Duration,
}

/// A sender the writer wakes the delivery thread with, and its receiving end.
pub fn wake_channel() -> (SyncSender<()>, Receiver<()>) {
    std::sync::mpsc::sync_channel(1)
}

/// Starts the delivery thread.
pub fn spawn(opts: Options, wake: Receiver<()>) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("messages-delivery".into())
        .spawn(move || {
            let store = match Store::open_file(&opts.path) {
                Ok(s) => s,
                Err(e) => {
                    tracing::error!(error = %format!("{e:#}"), "message delivery cannot open the store; no webhooks will be sent");
                    return;
                }
            };
            run(&store, &opts, &wake);
        })?;
    Ok(())
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(REQUEST_TIMEOUT))
        .http_status_as_error(true)
        .user_agent("resume-ssh")
        .build()
        .into()
}

fn run(store: &Store, opts: &Options, wake: &Receiver<()>) {
    let agent = agent();
    let base_ms = u64::try_from(opts.base_backoff.as_millis())
        .unwrap_or(1_000)
        .max(1);
    loop {
        let now = super::now_ms();
        match store.due(now, BATCH) {
            Ok(rows) => {
                for row in rows {
                    attempt(store, &agent, &row, base_ms);
                }
            }
            Err(e) => tracing::error!(error = %format!("{e:#}"), "cannot read the outbox"),
        }
        if let Ok(n) = store.pending() {
            crate::metrics::get().messages.pending.set(n);
        }
        let now = super::now_ms();
        let sleep = match store.next_due() {
            Ok(Some(at)) => Duration::from_millis(u64::try_from(at - now).unwrap_or(0)),
            _ => MAX_SLEEP,
        }
        .min(MAX_SLEEP);
        if sleep.is_zero() {
            continue;
        }
        match wake.recv_timeout(sleep) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            // The server is stopping; rows left are taken up at the next start.
            Err(RecvTimeoutError::Disconnected) => std::thread::sleep(sleep),
        }
    }
}

/// One delivery attempt of `row`, and its outcome recorded.
fn attempt(store: &Store, agent: &ureq::Agent, row: &Due, base_ms: u64) {
    let attempts = row.attempts.saturating_add(1);
    let reference = &row.message.id;
    let result = match Target::parse(&row.target) {
        Ok(target) => post(agent, &target, row).map_err(|e| (e, target.host().to_owned())),
        Err(e) => Err((e, String::new())),
    };
    let recorded = match result {
        Ok(host) => {
            tracing::info!(%reference, %host, attempts, "message delivered");
            crate::metrics::get().messages.delivery("delivered");
            store.delivered(row.row)
        }
        Err((error, host)) => {
            let now = super::now_ms();
            let age = now - row.created_at;
            if age >= GIVE_UP_MS {
                tracing::warn!(%reference, %host, attempts, %error, "message delivery given up after three days");
                crate::metrics::get().messages.delivery("failed");
                store.give_up(row.row, attempts, &error)
            } else {
                let wait = notify::backoff(attempts, age, base_ms);
                tracing::info!(%reference, %host, attempts, %error, retry_in_ms = wait, "message delivery failed; will retry");
                crate::metrics::get().messages.delivery("retry");
                let next = now.saturating_add(i64::try_from(wait).unwrap_or(i64::MAX));
                store.retry(row.row, attempts, next, &error)
            }
        }
    };
    if let Err(e) = recorded {
        tracing::error!(%reference, error = %format!("{e:#}"), "cannot record a delivery attempt");
    }
}

/// POSTs the row's message to `target`; the host on success, a short error otherwise.
fn post(agent: &ureq::Agent, target: &Target, row: &Due) -> Result<String, String> {
    let req = notify::request(target.format, &row.message);
    let mut call = agent
        .post(&target.url)
        .header("Idempotency-Key", &row.message.id)
        .content_type(req.content_type);
    for (name, value) in &req.headers {
        call = call.header(*name, value);
    }
    match call.send(&req.body) {
        Ok(_) => Ok(target.host().to_owned()),
        Err(ureq::Error::StatusCode(code)) => Err(format!("HTTP {code}")),
        Err(e) => Err(crate::sanitize::clean(&e.to_string(), 200)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The TLS stack is built in (rustls with ring): an https URL fails for want of a server,
    /// not for want of a crypto provider.
    #[test]
    fn https_urls_are_supported() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let err = agent()
            .post(&format!("https://127.0.0.1:{port}/hook"))
            .send("{}")
            .unwrap_err()
            .to_string();
        assert!(!err.to_lowercase().contains("provider"), "{err}");
        assert!(
            err.to_lowercase().contains("refused") || err.to_lowercase().contains("connect"),
            "{err}"
        );
    }
}
