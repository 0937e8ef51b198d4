//! `serve`'s message store: opened in `--data-dir` with the limits from the command line, its
//! writer and delivery threads started (see the library's `messages` module).

use std::sync::Arc;

use anyhow::Context as _;

use crate::cli::ServeArgs;

/// Opens the message store in `--data-dir` and starts its writer and, with `--notify-url`, its
/// delivery thread; `None` with `--no-messages`.
pub fn start(args: &ServeArgs) -> anyhow::Result<Option<Arc<resume_ssh::messages::Service>>> {
    use resume_ssh::messages::{Limits, Service, delivery, notify, writer};
    if args.no_messages {
        return Ok(None);
    }
    let targets: Vec<String> = args
        .notify_urls
        .iter()
        .filter(|u| !u.is_empty())
        .cloned()
        .collect();
    for t in &targets {
        notify::Target::parse(t).map_err(anyhow::Error::msg)?;
    }
    let (wake, woken) = delivery::wake_channel();
    let opts = writer::Options {
        limits: Limits {
            per_address_per_hour: args.messages_per_address,
            global_per_hour: args.messages_per_hour,
            max_messages: args.max_messages,
            max_bytes: args.max_message_bytes,
        },
        targets,
    };
    let service = Service::start(&args.data_dir, opts, Some(wake)).with_context(
        || "cannot open the message store (--data-dir; or --no-messages to take none)",
    )?;
    // Also started without --notify-url: rows left by an earlier run with one are still sent.
    delivery::spawn(
        delivery::Options {
            path: service.path().to_owned(),
            base_backoff: std::time::Duration::from_millis(args.notify_backoff_ms.max(1)),
        },
        woken,
    )?;
    tracing::info!(data_dir = %args.data_dir.display(), "messages are kept in {}", service.path().display());
    Ok(Some(Arc::new(service)))
}
