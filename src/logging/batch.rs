//! The log's writer: lines go into a bounded in-memory batch, and one thread writes each batch
//! to stderr with one `write` at most every [`BATCH_WINDOW`]. A slow or stuck reader of the log
//! costs dropped lines (counted), never a stalled session.
//!
//! Written here because `tracing_appender::non_blocking` (which this replaces) sends every line
//! through a channel whose worker wakes for each one: a futex wake, a spinning receive
//! (`sched_yield`), a context switch and a `write` per line. At two lines per visit that was
//! ~14% of a visit's server CPU next to a bare russh server (bench/ab runs, identical visitors).
//! Batching keeps the wake and the `write` per batch: at hundreds of visits a second, a
//! handful of writes a second.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// How long the writer waits after the first line of a batch before writing it.
pub const BATCH_WINDOW: Duration = Duration::from_millis(25);
/// Bytes that may wait for the log's reader; past this, new lines are dropped and counted.
pub const MAX_PENDING_BYTES: usize = 1 << 20;
/// How long dropping the guard waits for the last batch to be written.
const FLUSH_TIMEOUT: Duration = Duration::from_secs(1);

#[derive(Default)]
struct Pending {
    buf: Vec<u8>,
    closing: bool,
    done: bool,
}

struct Inner {
    pending: Mutex<Pending>,
    /// Signalled when a batch gets its first line, when closing, and when the writer is done.
    wake: Condvar,
    dropped: AtomicUsize,
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, Pending> {
        // A panic while holding this lock can only happen in `Vec::extend` (allocation
        // failure aborts instead): the batch is still valid.
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The `MakeWriter` for the fmt layer (cheap to clone: one `Arc`).
#[derive(Clone)]
pub struct BatchWriter {
    inner: Arc<Inner>,
}

/// Keep until exit: dropping it writes what is pending (waiting at most a second).
pub struct FlushGuard {
    inner: Arc<Inner>,
}

/// A writer for `out` on a thread named `name`, its counter of dropped lines, and its guard.
pub fn spawn(out: impl Write + Send + 'static, name: &str) -> (BatchWriter, FlushGuard) {
    let inner = Arc::new(Inner {
        pending: Mutex::new(Pending::default()),
        wake: Condvar::new(),
        dropped: AtomicUsize::new(0),
    });
    let worker = Arc::clone(&inner);
    let spawned = std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || run(&worker, out));
    if spawned.is_err() {
        // No thread: nothing will ever write; lines are dropped (and counted) from the start.
        inner.lock().done = true;
    }
    (
        BatchWriter {
            inner: Arc::clone(&inner),
        },
        FlushGuard { inner },
    )
}

fn run(inner: &Inner, mut out: impl Write) {
    let mut spare = Vec::new();
    loop {
        let mut p = inner.lock();
        while p.buf.is_empty() && !p.closing {
            p = inner.wake.wait(p).unwrap_or_else(PoisonError::into_inner);
        }
        if p.buf.is_empty() {
            break;
        }
        if !p.closing {
            // Let the batch fill: the lines of this window go out in one write.
            drop(p);
            std::thread::sleep(BATCH_WINDOW);
            p = inner.lock();
        }
        std::mem::swap(&mut p.buf, &mut spare);
        drop(p);
        // A broken stderr loses the batch; there is nowhere else to say so.
        let _ = out.write_all(&spare).and_then(|()| out.flush());
        spare.clear();
        if spare.capacity() > MAX_PENDING_BYTES / 4 {
            spare = Vec::new();
        }
    }
    inner.lock().done = true;
    inner.wake.notify_all();
}

impl BatchWriter {
    /// Lines dropped so far because the reader was behind.
    pub fn dropped(&self) -> usize {
        self.inner.dropped.load(Ordering::Relaxed)
    }
}

impl Write for BatchWriter {
    /// Takes one formatted event (the fmt layer writes each event with one call).
    fn write(&mut self, line: &[u8]) -> std::io::Result<usize> {
        let mut p = self.inner.lock();
        if p.done || p.buf.len() + line.len() > MAX_PENDING_BYTES {
            drop(p);
            self.inner.dropped.fetch_add(1, Ordering::Relaxed);
            return Ok(line.len());
        }
        let first = p.buf.is_empty();
        p.buf.extend_from_slice(line);
        drop(p);
        if first {
            self.inner.wake.notify_one();
        }
        Ok(line.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for BatchWriter {
    type Writer = BatchWriter;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl Drop for FlushGuard {
    fn drop(&mut self) {
        let mut p = self.inner.lock();
        p.closing = true;
        self.inner.wake.notify_all();
        let deadline = std::time::Instant::now() + FLUSH_TIMEOUT;
        while !p.done {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                break;
            }
            p = match self.inner.wake.wait_timeout(p, left) {
                Ok((p, _)) => p,
                Err(e) => e.into_inner().0,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<(Vec<u8>, usize)>>);

    impl Write for Sink {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            let mut s = self.0.lock().unwrap();
            s.0.extend_from_slice(b);
            s.1 += 1;
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn lines_come_out_whole_in_order_in_few_writes_and_the_guard_flushes() {
        let sink = Sink::default();
        let (w, guard) = spawn(sink.clone(), "test-log");
        let mut expected = Vec::new();
        for i in 0..500 {
            let line = format!("line {i}\n");
            w.clone().write_all(line.as_bytes()).unwrap();
            expected.extend_from_slice(line.as_bytes());
        }
        drop(guard);
        let s = sink.0.lock().unwrap();
        assert_eq!(s.0, expected);
        assert!(s.1 < 50, "{} writes for 500 lines", s.1);
        assert_eq!(w.dropped(), 0);
    }

    /// A reader that never reads: the writer thread blocks, lines past the cap are dropped
    /// and counted, writing never blocks, and the guard gives up after its timeout.
    #[test]
    fn a_stuck_reader_costs_dropped_lines_not_a_stall() {
        struct Stuck;
        impl Write for Stuck {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                std::thread::sleep(Duration::from_secs(3600));
                Ok(0)
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let (w, guard) = spawn(Stuck, "test-stuck");
        let line = [b'x'; 1000];
        let started = std::time::Instant::now();
        for _ in 0..5000 {
            w.clone().write_all(&line).unwrap();
        }
        assert!(started.elapsed() < Duration::from_secs(5));
        // At most the first batch plus the cap were kept.
        let kept = 5000 - w.dropped();
        assert!(w.dropped() > 0, "nothing dropped");
        assert!(
            kept * line.len() <= 2 * MAX_PENDING_BYTES,
            "kept {kept} lines"
        );
        let started = std::time::Instant::now();
        drop(guard);
        assert!(started.elapsed() < FLUSH_TIMEOUT + Duration::from_secs(2));
    }
}
