//! `winch`: window-change floods. Each of `--sessions` TUI sessions sends `--changes`
//! window-changes of ever-new sizes, one every `--every-ms` (or as fast as the connection takes
//! them), while its output is read (a client that reads, so the flood is what is measured, not a full
//! window). Reports the server's CPU per change from /proc/PID/stat, so the same flood against
//! resume-ssh and against bench's bare russh server gives the ratio to the floor.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::cli::WinchArgs;
use crate::client::{Wire, client_config, open_session};
use crate::expected::Plan;
use crate::procfs::proc_cpu_ms;
use crate::stats::emit;

pub async fn winch(args: WinchArgs) -> anyhow::Result<()> {
    let a = Plan::new(&args.session, None)?.session(0);
    let cfg = client_config(a.force_kex.as_deref())?;
    let global = Arc::new(Wire::default());
    let mut open = Vec::with_capacity(args.sessions);
    for _ in 0..args.sessions {
        open.push(open_session(&a, &cfg, &global).await?);
    }
    // What the server still sends after the first frames is not part of the flood.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let cpu0 = args.out.server_pid.and_then(proc_cpu_ms);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, s) in open.into_iter().enumerate() {
        let changes = args.changes;
        let every = Duration::from_millis(args.every_ms);
        tasks.push(tokio::spawn(async move {
            let mut tick = (!every.is_zero()).then(|| tokio::time::interval(every));
            let mut read = s.read;
            // Reads (and drops) the output for as long as the session lasts.
            let reader = tokio::spawn(async move { while read.wait().await.is_some() {} });
            let mut sent = 0u32;
            for k in 0..changes {
                if let Some(t) = tick.as_mut() {
                    t.tick().await;
                }
                // Every size differs from every other in the run (per session and across them).
                let n = k + changes * i as u32;
                let (cols, rows) = (40 + n % 361, 10 + (n / 361) % 191);
                if s.write.window_change(cols, rows, 0, 0).await.is_err() {
                    break;
                }
                sent += 1;
            }
            (s.handle, s.write, reader, sent)
        }));
    }
    let mut total = 0u64;
    let mut held = Vec::new();
    for t in tasks {
        let (handle, write, reader, sent) = t.await?;
        total += u64::from(sent);
        held.push((handle, write, reader));
    }
    let flood = started.elapsed();
    // The server handles what is still queued; a frame may follow the last change.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let cpu1 = args.out.server_pid.and_then(proc_cpu_ms);
    for (handle, _write, reader) in held {
        let _ = handle
            .disconnect(russh::Disconnect::ByApplication, "", "")
            .await;
        reader.abort();
    }
    let cpu_ms = match (cpu0, cpu1) {
        (Some(a), Some(b)) => Some(b - a),
        _ => None,
    };
    let v = json!({
        "mode": "winch",
        "label": args.out.label,
        "addr": a.addr.to_string(),
        "sessions": args.sessions,
        "changes": total,
        "flood_ms": flood.as_secs_f64() * 1000.0,
        "server_cpu_ms_total": cpu_ms,
        "server_cpu_us_per_change": cpu_ms.map(|ms| ms * 1000.0 / total.max(1) as f64),
    });
    emit(args.out.json, &v);
    Ok(())
}
