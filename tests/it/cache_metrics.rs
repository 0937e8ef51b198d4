//! The render caches are counted in the server's metrics, through the real server and a real
//! client: a visitor at a size the server has not drawn is a frame-cache miss, the next visitor
//! with the same size and terminal on the same worker thread is a hit, and both show in the
//! Prometheus text.

use crate::common;

use common::*;

#[tokio::test]
async fn frame_and_layout_cache_hits_and_misses_are_counted() {
    // Alone in the process: the metrics are the process's, other tests' servers would count too.
    let _gate = exclusive().await;
    // One worker thread: the caches are per thread, so the second visitor must meet the first
    // one's cache.
    let server = TestServer::isolated_on(test_limits(), 1);
    let m = resume_ssh::metrics::get();
    let opts = TuiOpts {
        cols: 97,
        rows: 31,
        ..TuiOpts::default()
    };
    let misses0 = m.frame_cache_misses.get();
    let first = server.connect().await;
    let t = first.tui(opts).await;
    t.first_frame().await;
    assert!(m.frame_cache_misses.get() > misses0, "a new size is drawn");
    let hits0 = m.frame_cache_hits.get();
    let layout0 = m.layout_cache_hits.get() + m.layout_cache_misses.get();
    let second = server.connect().await;
    let t2 = second.tui(opts).await;
    t2.first_frame().await;
    assert!(
        m.frame_cache_hits.get() > hits0,
        "the same first frame is copied"
    );
    // A key that needs the layout (scroll bounds) looks it up.
    t2.send(b"j").await;
    t2.wait_for("the layout look-up", WAIT, |_| {
        m.layout_cache_hits.get() + m.layout_cache_misses.get() > layout0
    })
    .await;
    let text = m.encode();
    for name in [
        "resume_ssh_frame_cache_hits_total",
        "resume_ssh_frame_cache_misses_total",
        "resume_ssh_layout_cache_hits_total",
        "resume_ssh_layout_cache_misses_total",
    ] {
        assert!(text.contains(name), "{name} in\n{text}");
    }
}
