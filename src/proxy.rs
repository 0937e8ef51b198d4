//! PROXY protocol v2 (behind HAProxy or a cloud load balancer): the client's real address.
//!
//! With `--proxy-protocol` every connection must start with a valid v2 header, read here before
//! SSH begins (bounded in size and time); the parsing is the `ppp` crate's. A LOCAL header (a load
//! balancer's health check) keeps the socket's own address.

use std::net::SocketAddr;

use ppp::v2::{Addresses, Command, Header, PROTOCOL_PREFIX};
use tokio::io::{AsyncRead, AsyncReadExt};

/// Largest header accepted (addresses plus a few TLVs).
const MAX_HEADER: usize = 1024;

/// Why a header was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    #[error("no PROXY protocol v2 header")]
    Missing,
    #[error("PROXY header too long ({0} bytes)")]
    TooLong(usize),
    #[error("invalid PROXY header: {0}")]
    Invalid(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// What a header said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    /// The client's address (the socket's own for LOCAL or unspecified).
    pub addr: SocketAddr,
    /// A LOCAL header: the load balancer itself, e.g. a health check.
    pub local: bool,
}

/// Reads exactly one v2 header from `stream` and returns where the connection comes from.
/// Reads nothing past the header.
pub async fn read_header<S: AsyncRead + Unpin>(
    stream: &mut S,
    socket_peer: SocketAddr,
) -> Result<Origin, ProxyError> {
    let mut head = [0u8; 16];
    stream.read_exact(&mut head).await?;
    if &head[..12] != PROTOCOL_PREFIX {
        return Err(ProxyError::Missing);
    }
    let len = usize::from(u16::from_be_bytes([head[14], head[15]]));
    if 16 + len > MAX_HEADER {
        return Err(ProxyError::TooLong(16 + len));
    }
    let mut buf = Vec::with_capacity(16 + len);
    buf.extend_from_slice(&head);
    buf.resize(16 + len, 0);
    stream.read_exact(&mut buf[16..]).await?;
    let header = Header::try_from(&buf[..]).map_err(|e| ProxyError::Invalid(e.to_string()))?;
    if header.command == Command::Local {
        return Ok(Origin {
            addr: socket_peer,
            local: true,
        });
    }
    let addr = match header.addresses {
        Addresses::IPv4(a) => SocketAddr::from((a.source_address, a.source_port)),
        Addresses::IPv6(a) => SocketAddr::from((a.source_address, a.source_port)),
        Addresses::Unspecified | Addresses::Unix(_) => socket_peer,
    };
    Ok(Origin { addr, local: false })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ppp::v2::{Builder, Protocol, Version};

    fn header(addrs: impl Into<Addresses>, command: Command) -> Vec<u8> {
        Builder::with_addresses(Version::Two | command, Protocol::Stream, addrs)
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn reads_the_client_address_and_nothing_more() {
        let src: SocketAddr = "203.0.113.9:4242".parse().unwrap();
        let dst: SocketAddr = "192.0.2.1:22".parse().unwrap();
        let mut bytes = header((src, dst), Command::Proxy);
        bytes.extend_from_slice(b"SSH-2.0-x\r\n");
        let mut r = &bytes[..];
        let peer = "127.0.0.1:1".parse().unwrap();
        assert_eq!(read_header(&mut r, peer).await.unwrap().addr, src);
        assert_eq!(r, b"SSH-2.0-x\r\n");
    }

    #[tokio::test]
    async fn local_keeps_the_socket_address() {
        let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let bytes = header(Addresses::Unspecified, Command::Local);
        let o = read_header(&mut &bytes[..], peer).await.unwrap();
        assert_eq!(o.addr, peer);
        assert!(o.local);
    }

    #[tokio::test]
    async fn missing_or_bad_headers_are_errors() {
        let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let e = read_header(&mut &b"SSH-2.0-OpenSSH_9.2\r\nxxxxxxxx"[..], peer).await;
        assert!(matches!(e, Err(ProxyError::Missing)));
        let mut bad = PROTOCOL_PREFIX.to_vec();
        bad.extend_from_slice(&[0x21, 0x11, 0xff, 0xff]);
        assert!(matches!(
            read_header(&mut &bad[..], peer).await,
            Err(ProxyError::TooLong(_))
        ));
        let mut short = PROTOCOL_PREFIX.to_vec();
        short.extend_from_slice(&[0x21, 0x11, 0x00, 0x04, 1, 2, 3, 4]);
        assert!(read_header(&mut &short[..], peer).await.is_err());
    }
}
