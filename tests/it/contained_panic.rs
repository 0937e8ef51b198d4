//! A panic that the input parser contains: the session goes on, other sessions are untouched,
//! and the log says what really happened ("input sequence dropped, session continues"), once,
//! at WARN — not that the connection was closed.
//!
//! No client input is known to reach the contained panic (inputs that crashed terminput are
//! filtered before it), so the server here is built with test hooks, which arm a test-only
//! sequence that panics inside the parser's contained call. The test shares its process with the
//! others, so it runs alone (the exclusive gate): the global log subscriber it installs (once)
//! hands lines to the test only while it runs, and the panic hook is put back when it ends.

use crate::common;

use std::sync::{Arc, Mutex, Once};

use common::*;
use resume_ssh::tui::input::TEST_PANIC_SEQUENCE;

/// Everything the server logs in this process.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// Where the process's log lines go: the running test's capture, or nowhere (as in a process
/// without a subscriber).
static SINK: Mutex<Option<Captured>> = Mutex::new(None);

/// Writes to [`SINK`].
struct ToSink;

impl std::io::Write for ToSink {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        if let Some(c) = SINK.lock().unwrap().as_mut() {
            std::io::Write::write_all(c, b)?;
        }
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Until dropped, the process's log goes to a capture and panics go to the server's hook.
struct Capturing;

impl Capturing {
    fn start(log: Captured) -> Capturing {
        static SUBSCRIBER: Once = Once::new();
        SUBSCRIBER.call_once(|| {
            tracing_subscriber::fmt()
                .with_ansi(false)
                .with_writer(|| ToSink)
                .init();
        });
        *SINK.lock().unwrap() = Some(log);
        resume_ssh::logging::panic::install_hook();
        Capturing
    }
}

impl Drop for Capturing {
    fn drop(&mut self) {
        *SINK
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
        // The default hook back, for the other tests (take_hook may not run on a panicking thread).
        let _ = std::thread::spawn(|| drop(std::panic::take_hook())).join();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contained_parser_panic_drops_the_sequence_and_says_so() {
    let _gate = exclusive().await;
    let log = Captured::default();
    let _capturing = Capturing::start(log.clone());

    let server = TestServer::start().await;
    let bystander = server.connect().await;
    let other = bystander.tui(TuiOpts::default()).await;
    other.wait_text(NAME).await;

    let client = server.connect().await;
    let term = client.tui(TuiOpts::default()).await;
    term.wait_text(NAME).await;
    // The sequence that panics, split over two packets, then a key in the same packet as its end.
    let (a, b) = TEST_PANIC_SEQUENCE.split_at(3);
    term.send(a).await;
    let mut rest = b.to_vec();
    rest.extend_from_slice(b"2");
    term.send(&rest).await;
    // The session goes on: the key after the dropped sequence switches to Experience.
    term.wait_text("╭ Experience").await;
    term.send(b"q").await;
    assert_eq!(term.wait_closed().await, Some(0));

    // The bystander never noticed.
    other.send(b"3").await;
    other.wait_text("╭ Case Studies").await;
    other.send(b"q").await;
    assert_eq!(other.wait_closed().await, Some(0));

    let text = log.text();
    let contained: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("panic contained"))
        .collect();
    assert_eq!(contained.len(), 1, "{text}");
    assert!(
        contained[0].contains("input sequence dropped, session continues")
            && contained[0].contains("WARN")
            && contained[0].contains("test-only parser panic"),
        "{text}"
    );
    assert!(!text.contains("is closed"), "{text}");
    assert!(!text.contains("ERROR"), "{text}");
}
