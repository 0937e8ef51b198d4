//! `keys`: in each session, one-line scrolls and tab switches: the bytes and latency of each update,
//! and whether it changed the screen.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::bail;
use russh::ChannelMsg;
use serde_json::json;

use crate::cli::KeysArgs;
use crate::client::{Open, Wire, client_config, close_session, open_session};
use crate::expected::Plan;
use crate::procfs::proc_cpu_ms;
use crate::stats::{emit, lat_json};

struct Update {
    latency_ms: f64,
    bytes: usize,
    changed: bool,
}

/// Sends `key`, then reads until the server has been quiet for `quiet`.
async fn press(
    s: &mut Open,
    key: &[u8],
    quiet: Duration,
    limit: Duration,
) -> anyhow::Result<Update> {
    let before = s.screen.screen().contents();
    let sent = Instant::now();
    if !key.is_empty() {
        s.write.data(key).await?;
    }
    let mut bytes = 0usize;
    let mut last = None;
    let hard = tokio::time::Instant::now() + limit;
    loop {
        let wait = if last.is_some() { quiet } else { limit };
        let until = (tokio::time::Instant::now() + wait).min(hard);
        match tokio::time::timeout_at(until, s.read.wait()).await {
            Err(_) => break,
            Ok(Some(ChannelMsg::Data { data })) => {
                bytes += data.len();
                s.screen.process(&data);
                last = Some(Instant::now());
            }
            Ok(Some(ChannelMsg::Close)) | Ok(None) => bail!("channel closed after a key"),
            Ok(Some(_)) => {}
        }
    }
    let latency_ms = match last {
        Some(t) => (t - sent).as_secs_f64() * 1000.0,
        None => f64::NAN,
    };
    Ok(Update {
        latency_ms,
        bytes,
        changed: s.screen.screen().contents() != before,
    })
}

pub async fn keys(args: KeysArgs) -> anyhow::Result<()> {
    let a = Plan::new(&args.session, None)?.session(0);
    let cfg = client_config(a.force_kex.as_deref())?;
    let global = Arc::new(Wire::default());
    let steps: [(&str, &[u8]); 4] = [
        ("scroll_j", b"j"),
        ("tab_right", b"\x1b[C"),
        ("tab_left", b"\x1b[D"),
        ("scroll_k", b"k"),
    ];
    let mut lat: Vec<Vec<f64>> = vec![Vec::new(); steps.len()];
    let mut bytes: Vec<Vec<usize>> = vec![Vec::new(); steps.len()];
    let mut unchanged = vec![0usize; steps.len()];
    let mut wire_rx: Vec<Vec<u64>> = vec![Vec::new(); steps.len()];
    let mut first = Vec::new();
    let mut errors = 0usize;
    let mut first_errors = Vec::new();
    let quiet = Duration::from_millis(args.quiet_ms);
    let limit = Duration::from_millis(args.no_update_ms);
    let cpu0 = args.out.server_pid.and_then(proc_cpu_ms);
    for _ in 0..args.sessions {
        let r: anyhow::Result<()> = async {
            let mut s = open_session(&a, &cfg, &global).await?;
            first.push(s.frame_bytes);
            // Anything else the server sends at start (none expected) is not an update.
            let _ = press(&mut s, b"", quiet, quiet).await;
            if !args.first_keys.is_empty() {
                press(&mut s, args.first_keys.as_bytes(), quiet, limit).await?;
            }
            for (i, (_, key)) in steps.iter().enumerate() {
                let rx0 = s.wire.rx.load(Ordering::SeqCst);
                let u = press(&mut s, key, quiet, limit).await?;
                wire_rx[i].push(s.wire.rx.load(Ordering::SeqCst) - rx0);
                lat[i].push(u.latency_ms);
                bytes[i].push(u.bytes);
                if !u.changed {
                    unchanged[i] += 1;
                }
            }
            close_session(&a, s).await
        }
        .await;
        if let Err(e) = r {
            errors += 1;
            if first_errors.len() < 5 {
                first_errors.push(format!("{e:#}"));
            }
        }
    }
    let cpu1 = args.out.server_pid.and_then(proc_cpu_ms);
    let mut per_step = serde_json::Map::new();
    for (i, (name, _)) in steps.iter().enumerate() {
        let mut b = bytes[i].clone();
        b.sort_unstable();
        let mut w = wire_rx[i].clone();
        w.sort_unstable();
        per_step.insert(
            (*name).to_owned(),
            json!({
                "latency_ms": lat_json(&lat[i]),
                "data_bytes": {"min": b.first(), "median": b.get(b.len() / 2), "max": b.last()},
                "wire_rx_bytes_median": w.get(w.len() / 2),
                "screen_unchanged": unchanged[i],
            }),
        );
    }
    first.sort_unstable();
    let v = json!({
        "mode": "keys",
        "label": args.out.label,
        "addr": a.addr.to_string(),
        "sessions": args.sessions,
        "cols": a.cols,
        "rows": a.rows,
        "first_keys": args.first_keys,
        "errors": errors,
        "first_errors": first_errors,
        "first_frame_bytes_median": first.get(first.len() / 2),
        "steps": per_step,
        "server_cpu_ms_total": match (cpu0, cpu1) { (Some(a), Some(b)) => Some(b - a), _ => None },
    });
    emit(args.out.json, &v);
    Ok(())
}
