//! Binding the listening sockets: several addresses, and dual-stack by default.
//!
//! `[::]:PORT` is bound with IPV6_V6ONLY off, so one socket takes IPv6 and IPv4 (as
//! `::ffff:a.b.c.d`) whatever the host's `net.ipv6.bindv6only`; a host without IPv6 falls back
//! to `0.0.0.0:PORT`. socket2 is used because std and tokio cannot set IPV6_V6ONLY.

use std::net::{Ipv4Addr, SocketAddr};

use anyhow::Context as _;
use socket2::{Domain, Protocol, Socket, Type};
use tokio::net::TcpListener;

/// The default: every address, IPv6 and IPv4, on port 2222.
pub const DEFAULT_LISTEN: &str = "[::]:2222";

/// Binds every address in `addrs` (at least one).
pub fn bind_all(addrs: &[SocketAddr]) -> anyhow::Result<Vec<TcpListener>> {
    anyhow::ensure!(!addrs.is_empty(), "no address to listen on");
    addrs.iter().map(|&a| bind(a)).collect()
}

/// Binds one address; the IPv6 wildcard also takes IPv4, or falls back to it without IPv6.
pub fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    match bind_socket(addr) {
        Ok(l) => Ok(l),
        Err(e) if addr.is_ipv6() && addr.ip().is_unspecified() && no_ipv6(&e) => {
            let v4 = SocketAddr::from((Ipv4Addr::UNSPECIFIED, addr.port()));
            tracing::warn!(%addr, error = %e, "no IPv6 on this host; listening on {v4} only");
            bind_socket(v4).with_context(|| format!("cannot listen on {v4}"))
        }
        Err(e) => Err(e).with_context(|| format!("cannot listen on {addr}")),
    }
}

/// The errors of a host without IPv6: the family or protocol is not supported, or no address.
fn no_ipv6(e: &std::io::Error) -> bool {
    use rustix::io::Errno;
    matches!(
        Errno::from_io_error(e),
        Some(Errno::AFNOSUPPORT | Errno::ADDRNOTAVAIL | Errno::PROTONOSUPPORT)
    )
}

fn bind_socket(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    if addr.is_ipv6() {
        // Only the wildcard is dual-stack; a specific IPv6 address cannot take IPv4 anyway.
        socket.set_only_v6(!addr.ip().is_unspecified())?;
    }
    socket.set_reuse_address(true)?;
    socket.set_nonblocking(true)?;
    socket.bind(&addr.into())?;
    socket.listen(1024)?;
    TcpListener::from_std(socket.into())
}

/// The sockets systemd passed to this process (socket activation, see [`crate::activation`]),
/// or else every address in `addrs`, bound here.
pub fn inherited_or_bind(addrs: &[SocketAddr]) -> anyhow::Result<Vec<TcpListener>> {
    let inherited = crate::activation::inherited()?;
    if inherited.is_empty() {
        return bind_all(addrs);
    }
    tracing::info!(
        sockets = inherited.len(),
        "serving on the sockets passed by systemd (socket activation); --listen is not used"
    );
    inherited
        .into_iter()
        .map(|l| TcpListener::from_std(l).context("socket activation"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::no_ipv6;
    use rustix::io::Errno;

    #[test]
    fn only_a_missing_ipv6_falls_back() {
        for e in [
            Errno::AFNOSUPPORT,
            Errno::ADDRNOTAVAIL,
            Errno::PROTONOSUPPORT,
        ] {
            assert!(no_ipv6(&e.into()), "{e:?}");
        }
        for e in [Errno::ACCESS, Errno::ADDRINUSE, Errno::INVAL] {
            assert!(!no_ipv6(&e.into()), "{e:?}");
        }
        assert!(!no_ipv6(&std::io::Error::other("not an OS error")));
    }
}
