//! Refusing a connection before key exchange: the reasons, and the bytes that tell the client
//! (a line people read, the version line, and an unencrypted SSH_MSG_DISCONNECT).

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::ssh_config::SERVER_ID;

/// Why a connection was refused at accept time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    ServerFull,
    TooManyFromAddress,
    RateLimited,
    ShuttingDown,
}

impl Refusal {
    /// What the client is told.
    pub fn message(self) -> &'static str {
        match self {
            Refusal::ServerFull => "The server is busy right now; please try again in a minute.",
            Refusal::TooManyFromAddress => {
                "Too many open connections from your address; close some and try again."
            }
            Refusal::RateLimited => {
                "Too many new connections from your address; please wait a minute and try again."
            }
            Refusal::ShuttingDown => "The server is restarting; please try again in a moment.",
        }
    }

    /// How logs and metrics name it.
    pub fn label(self) -> &'static str {
        match self {
            Refusal::ServerFull => "server_full",
            Refusal::TooManyFromAddress => "per_ip",
            Refusal::RateLimited => "rate",
            Refusal::ShuttingDown => "shutdown",
        }
    }
}

/// The bytes that refuse a connection before key exchange: a human-readable line, the version
/// line, and an unencrypted SSH_MSG_DISCONNECT (reason 12, too many connections) that OpenSSH
/// prints as "Received disconnect from ...: <reason>".
pub fn refusal_bytes(message: &str) -> Vec<u8> {
    let mut payload = vec![1u8]; // SSH_MSG_DISCONNECT
    payload.extend_from_slice(&12u32.to_be_bytes());
    payload.extend_from_slice(&(message.len() as u32).to_be_bytes());
    payload.extend_from_slice(message.as_bytes());
    payload.extend_from_slice(&0u32.to_be_bytes()); // language tag
    let unpadded = 4 + 1 + payload.len();
    let mut padding = 8 - unpadded % 8;
    if padding < 4 {
        padding += 8;
    }
    let mut out = format!("{message}\r\n{SERVER_ID}\r\n").into_bytes();
    out.extend_from_slice(&((1 + payload.len() + padding) as u32).to_be_bytes());
    out.push(padding as u8);
    out.extend_from_slice(&payload);
    out.extend(std::iter::repeat_n(0u8, padding));
    out
}

/// Writes the refusal, then lets the client read it before the socket closes (bounded in bytes
/// and time).
pub(super) async fn send(mut stream: TcpStream, why: Refusal) {
    let _ = stream.set_nodelay(true);
    let write = async {
        stream.write_all(&refusal_bytes(why.message())).await?;
        stream.shutdown().await?;
        // Drain what the client sent so closing does not reset the connection under our words.
        let mut sink = [0u8; 1024];
        let mut total = 0;
        while total < 16 * 1024 {
            let n = stream.read(&mut sink).await?;
            if n == 0 {
                break;
            }
            total += n;
        }
        Ok::<_, std::io::Error>(())
    };
    let _ = tokio::time::timeout(Duration::from_secs(2), write).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_packet_is_well_formed() {
        let b = refusal_bytes("busy");
        let text_end = b.windows(2).position(|w| w == b"\r\n").unwrap();
        assert_eq!(&b[..text_end], b"busy");
        let rest = &b[text_end + 2..];
        let id_end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
        assert_eq!(&rest[..id_end], SERVER_ID.as_bytes());
        let pkt = &rest[id_end + 2..];
        let len = u32::from_be_bytes(pkt[..4].try_into().unwrap()) as usize;
        assert_eq!(pkt.len(), 4 + len);
        assert_eq!(pkt.len() % 8, 0);
        let pad = pkt[4] as usize;
        assert!(pad >= 4);
        assert_eq!(pkt[5], 1);
        assert_eq!(u32::from_be_bytes(pkt[6..10].try_into().unwrap()), 12);
    }
}
