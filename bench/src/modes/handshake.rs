//! `handshake`: full sessions in a loop (TCP, key exchange, auth none, PTY, shell, first complete
//! frame, close) from `--concurrency` workers, bounded by `--duration` and `--max-sessions`:
//! sessions/s, connect→frame latency, first-frame bytes, and the server's CPU per session.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use russh::client;
use serde_json::json;

use crate::cli::{HandshakeArgs, SessionArgs};
use crate::client::{Wire, client_config, close_session, open_session};
use crate::expected::Plan;
use crate::procfs::{clk_tck, proc_cpu_ms, self_cpu_ms};
use crate::stats::{emit, lat_json};

#[derive(Default)]
struct Tally {
    latencies_ms: Vec<f64>,
    frame_bytes: Vec<usize>,
    wire_rx: Vec<u64>,
    wire_tx: Vec<u64>,
    errors: usize,
    first_errors: Vec<String>,
}

async fn run_one(
    a: &SessionArgs,
    cfg: &Arc<client::Config>,
    global: &Arc<Wire>,
) -> anyhow::Result<(f64, usize, Arc<Wire>)> {
    let s = open_session(a, cfg, global).await?;
    let (lat, bytes, wire) = (
        s.latency.as_secs_f64() * 1000.0,
        s.frame_bytes,
        Arc::clone(&s.wire),
    );
    close_session(a, s).await?;
    Ok((lat, bytes, wire))
}

pub async fn handshake(args: HandshakeArgs) -> anyhow::Result<()> {
    let a = Arc::new(args.session.clone());
    let plan = Arc::new(Plan::new(&args.session, Some(&args.workload))?);
    let cfg = client_config(a.force_kex.as_deref())?;
    let global = Arc::new(Wire::default());
    // Visitor numbers: warm-up sessions take the first ones, measured sessions the rest.
    let next = Arc::new(AtomicU64::new(0));
    // Warm-up: fills caches, the server's thread-locals and allocator pools.
    for _ in 0..args.warmup {
        let s = plan.session(next.fetch_add(1, Ordering::SeqCst));
        run_one(&s, &cfg, &global)
            .await
            .context("warm-up session")?;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let pid = args.out.server_pid;
    let cpu0 = pid.and_then(proc_cpu_ms);
    let self0 = self_cpu_ms();
    let started = Instant::now();
    let stop_at = started + Duration::from_secs_f64(args.duration);
    let remaining = Arc::new(AtomicUsize::new(args.max_sessions));
    let tally = Arc::new(std::sync::Mutex::new(Tally::default()));
    let mut workers = Vec::new();
    for _ in 0..args.concurrency.max(1) {
        let (plan, next, cfg, global, remaining, tally) = (
            Arc::clone(&plan),
            Arc::clone(&next),
            Arc::clone(&cfg),
            Arc::clone(&global),
            Arc::clone(&remaining),
            Arc::clone(&tally),
        );
        workers.push(tokio::spawn(async move {
            while Instant::now() < stop_at
                && remaining
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok()
            {
                let s = plan.session(next.fetch_add(1, Ordering::SeqCst));
                let r = run_one(&s, &cfg, &global).await;
                let mut t = tally.lock().unwrap_or_else(|p| p.into_inner());
                match r {
                    Ok((lat, bytes, wire)) => {
                        t.latencies_ms.push(lat);
                        t.frame_bytes.push(bytes);
                        t.wire_rx.push(wire.rx.load(Ordering::Relaxed));
                        t.wire_tx.push(wire.tx.load(Ordering::Relaxed));
                    }
                    Err(e) => {
                        t.errors += 1;
                        if t.first_errors.len() < 5 {
                            t.first_errors.push(format!("{e:#}"));
                        }
                    }
                }
            }
        }));
    }
    for w in workers {
        let _ = w.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    // Let the server finish closing (and reap children, for sshd) before reading its CPU.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let cpu1 = pid.and_then(proc_cpu_ms);
    let self1 = self_cpu_ms();
    let t = tally.lock().unwrap_or_else(|p| p.into_inner());
    let n = t.latencies_ms.len();
    let server_cpu_ms = match (cpu0, cpu1) {
        (Some(a), Some(b)) => Some(b - a),
        _ => None,
    };
    let per = |x: f64| if n > 0 { x / n as f64 } else { f64::NAN };
    let mut fb = t.frame_bytes.clone();
    fb.sort_unstable();
    let mut rx = t.wire_rx.clone();
    rx.sort_unstable();
    let mut tx = t.wire_tx.clone();
    tx.sort_unstable();
    let v = json!({
        "mode": "handshake",
        "label": args.out.label,
        "workload": plan.workload().label(),
        "seed": args.workload.seed,
        "addr": a.addr.to_string(),
        "force_kex": a.force_kex,
        "concurrency": args.concurrency,
        "sessions": n,
        "errors": t.errors,
        "first_errors": t.first_errors,
        "elapsed_s": elapsed,
        "sessions_per_s": n as f64 / elapsed,
        "latency_ms": lat_json(&t.latencies_ms),
        "first_frame_bytes": {"min": fb.first(), "median": fb.get(fb.len() / 2), "max": fb.last()},
        "wire_bytes_per_session": {"rx_median": rx.get(rx.len() / 2), "tx_median": tx.get(tx.len() / 2)},
        "server_cpu_ms_total": server_cpu_ms,
        "server_cpu_ms_per_session": server_cpu_ms.map(per),
        "client_cpu_ms_per_session": per(self1 - self0),
        "clk_tck": clk_tck(),
    });
    emit(args.out.json, &v);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
