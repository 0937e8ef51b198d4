//! `capture`: the channel data of one session's first complete frame, written to a file (what
//! bare_server's `--frame` sends).

use std::sync::Arc;

use anyhow::bail;
use russh::{ChannelMsg, Disconnect};

use crate::cli::{CaptureArgs, Until};
use crate::client::{Counted, Wire, client_config, last_row_has, nz, start_session, step};

pub async fn capture(args: CaptureArgs) -> anyhow::Result<()> {
    let a = crate::expected::Plan::new(&args.session, None)?.session(0);
    let cfg = client_config(a.force_kex.as_deref())?;
    let global = Arc::new(Wire::default());
    let t = a.step_timeout;
    let tcp = step(t, "connect", tokio::net::TcpStream::connect(a.addr)).await??;
    let stream = Counted {
        inner: tcp,
        session: Arc::new(Wire::default()),
        global,
    };
    let (handle, channel) = start_session(&a, cfg, stream).await?;
    let (mut read, write) = channel.split();
    let mut screen = vt100::Parser::new(nz(a.rows), nz(a.cols), 0);
    let mut bytes = Vec::new();
    loop {
        match step(t, "first frame", read.wait()).await? {
            Some(ChannelMsg::Data { data }) | Some(ChannelMsg::ExtendedData { data, .. }) => {
                bytes.extend_from_slice(&data);
                screen.process(&data);
                let done = match a.until {
                    Until::Marker => last_row_has(&screen, &a.marker),
                    Until::Frame => a.expect_bytes.is_some_and(|n| bytes.len() >= n),
                    Until::Close => false,
                };
                if done {
                    break;
                }
            }
            Some(ChannelMsg::Close) | None if a.until == Until::Close => break,
            None => bail!("channel closed before the frame was complete"),
            Some(_) => {}
        }
    }
    std::fs::write(&args.out, &bytes)?;
    eprintln!("wrote {} bytes to {}", bytes.len(), args.out.display());
    let _ = write.data(&b"q"[..]).await;
    let _ = handle.disconnect(Disconnect::ByApplication, "", "en").await;
    Ok(())
}
