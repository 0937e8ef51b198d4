//! How many messages a second the store takes with full sync (the writer thread committing
//! each one before it is acknowledged), on this machine's disk: a measurement, run by hand
//! (`cargo test --test it messages::throughput -- --ignored --nocapture`); BENCHMARKS.md has
//! the figures.

use super::*;

use std::sync::Arc;

use resume_ssh::messages::{Limits, Service, Submission, writer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: cargo test --test it messages::throughput -- --ignored --nocapture"]
async fn messages_per_second_with_full_sync() {
    let _g = common::exclusive().await;
    let d = dirs();
    let opts = writer::Options {
        limits: Limits {
            per_address_per_hour: u32::MAX,
            global_per_hour: u32::MAX,
            max_messages: u64::MAX,
            max_bytes: u64::MAX,
        },
        targets: Vec::new(),
    };
    let service = Arc::new(Service::start(&d.data, opts, None).expect("store"));
    for senders in [1usize, 8, 32] {
        let n = 400;
        let started = Instant::now();
        let tasks: Vec<_> = (0..senders)
            .map(|s| {
                let service = Arc::clone(&service);
                tokio::spawn(async move {
                    let mut refused = 0;
                    for i in 0..n / senders {
                        let sub = Submission {
                            from: format!("sender {s}"),
                            body: format!("{senders} senders, message {i}: {}", "x".repeat(300)),
                        };
                        let ip = std::net::IpAddr::from([10, 0, (s / 256) as u8, (s % 256) as u8]);
                        if service.submit(sub, Some(ip)).await.is_err() {
                            refused += 1;
                        }
                    }
                    refused
                })
            })
            .collect();
        let mut refused = 0;
        for t in tasks {
            refused += t.await.unwrap();
        }
        let secs = started.elapsed().as_secs_f64();
        let stored = n - refused;
        println!(
            "{senders:>2} senders: {stored} stored, {refused} refused (busy), {:.0} messages/s, {:.2} ms each",
            stored as f64 / secs,
            secs * 1000.0 / stored.max(1) as f64
        );
        assert!(stored > 0);
    }
}
