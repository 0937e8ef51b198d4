//! `idle`: N TUI sessions opened (at most `--ramp` at once) and held: the server's RSS growth per
//! session, and its CPU and the bytes on the wire while they idle (both should be nothing).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use russh::{ChannelMsg, Disconnect};
use serde_json::json;
use tokio::sync::{Semaphore, watch};

use crate::cli::IdleArgs;
use crate::client::{Wire, client_config, open_session};
use crate::expected::Plan;
use crate::procfs::{proc_cpu_ms, proc_rss_kib, self_cpu_ms};
use crate::stats::emit;

pub async fn idle(args: IdleArgs) -> anyhow::Result<()> {
    let a = Arc::new(args.session.clone());
    let plan = Arc::new(Plan::new(&args.session, Some(&args.workload))?);
    let cfg = client_config(a.force_kex.as_deref())?;
    let global = Arc::new(Wire::default());
    let pid = args.out.server_pid;
    let rss0 = pid.and_then(proc_rss_kib);
    let n = args.sessions;
    let ramp = Arc::new(Semaphore::new(args.ramp.max(1)));
    let (stop_tx, stop_rx) = watch::channel(false);
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::unbounded_channel::<Result<(), String>>();
    let hold_data = Arc::new(AtomicU64::new(0));
    let ramp_started = Instant::now();
    let mut tasks = Vec::with_capacity(n);
    for i in 0..n {
        let (a, cfg, global, ramp, ready_tx, hold_data) = (
            plan.session(i as u64),
            Arc::clone(&cfg),
            Arc::clone(&global),
            Arc::clone(&ramp),
            ready_tx.clone(),
            Arc::clone(&hold_data),
        );
        let mut stop = stop_rx.clone();
        tasks.push(tokio::spawn(async move {
            let permit = ramp.acquire_owned().await;
            let opened = open_session(&a, &cfg, &global).await;
            drop(permit);
            let mut s = match opened {
                Ok(s) => {
                    let _ = ready_tx.send(Ok(()));
                    s
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(format!("{e:#}")));
                    return;
                }
            };
            drop(ready_tx);
            loop {
                tokio::select! {
                    msg = s.read.wait() => match msg {
                        Some(ChannelMsg::Data { data }) | Some(ChannelMsg::ExtendedData { data, .. }) => {
                            hold_data.fetch_add(data.len() as u64, Ordering::Relaxed);
                        }
                        Some(ChannelMsg::Close) | None => { s.closed = true; break; }
                        Some(_) => {}
                    },
                    _ = stop.changed() => break,
                }
            }
            let _ = tokio::time::timeout(Duration::from_secs(5), s.handle.disconnect(Disconnect::ByApplication, "", "en")).await;
        }));
    }
    drop(ready_tx);
    let mut ok = 0usize;
    let mut errors = 0usize;
    let mut first_errors = Vec::new();
    let ramp_deadline = tokio::time::Instant::now() + Duration::from_secs(args.ramp_timeout);
    while ok + errors < n {
        match tokio::time::timeout_at(ramp_deadline, ready_rx.recv()).await {
            Ok(Some(Ok(()))) => ok += 1,
            Ok(Some(Err(e))) => {
                errors += 1;
                if first_errors.len() < 5 {
                    first_errors.push(e);
                }
            }
            Ok(None) => break,
            Err(_) => {
                first_errors.push(format!(
                    "ramp timed out with {} sessions not ready",
                    n - ok - errors
                ));
                break;
            }
        }
        if (ok + errors) % 1000 == 0 && !args.out.json {
            eprintln!(
                "  {} open, {} errors, {:.1} s",
                ok,
                errors,
                ramp_started.elapsed().as_secs_f64()
            );
        }
    }
    let ramp_s = ramp_started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs_f64(args.settle)).await;
    let rss1 = pid.and_then(proc_rss_kib);
    // The hold: nothing should happen.
    hold_data.store(0, Ordering::SeqCst);
    let rx0 = global.rx.load(Ordering::SeqCst);
    let tx0 = global.tx.load(Ordering::SeqCst);
    let cpu0 = pid.and_then(proc_cpu_ms);
    let self0 = self_cpu_ms();
    tokio::time::sleep(Duration::from_secs_f64(args.hold)).await;
    let cpu1 = pid.and_then(proc_cpu_ms);
    let self1 = self_cpu_ms();
    let rx1 = global.rx.load(Ordering::SeqCst);
    let tx1 = global.tx.load(Ordering::SeqCst);
    let rss2 = pid.and_then(proc_rss_kib);
    let held_data = hold_data.load(Ordering::SeqCst);
    let _ = stop_tx.send(true);
    let close_deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    for t in tasks {
        let _ = tokio::time::timeout_at(close_deadline, t).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss3 = pid.and_then(proc_rss_kib);
    let growth = match (rss0, rss1) {
        (Some(a), Some(b)) => Some(b as f64 - a as f64),
        _ => None,
    };
    let v = json!({
        "mode": "idle",
        "label": args.out.label,
        "workload": plan.workload().label(),
        "seed": args.workload.seed,
        "addr": a.addr.to_string(),
        "sessions_requested": n,
        "sessions_open": ok,
        "errors": errors,
        "first_errors": first_errors,
        "ramp_s": ramp_s,
        "server_rss_kib": {"before": rss0, "after_ramp": rss1, "after_hold": rss2, "after_close": rss3},
        "server_rss_growth_kib_per_session": growth.map(|g| if ok > 0 { g / ok as f64 } else { f64::NAN }),
        "hold_s": args.hold,
        "server_cpu_ms_during_hold": match (cpu0, cpu1) { (Some(a), Some(b)) => Some(b - a), _ => None },
        "client_cpu_ms_during_hold": self1 - self0,
        "wire_bytes_during_hold": {"rx": rx1 - rx0, "tx": tx1 - tx0},
        "channel_data_bytes_during_hold": held_data,
    });
    emit(args.out.json, &v);
    Ok(())
}
