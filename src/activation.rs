//! Listening sockets handed over by systemd socket activation (`LISTEN_FDS`, `LISTEN_PID`).
//!
//! With a socket unit (deploy/resume-ssh.socket) systemd binds port 22 itself, dual-stack, and
//! passes the listening sockets to the service as file descriptors 3, 4, …: the service then
//! needs no privilege to bind and starts on the first visit. `sd_notify::listen_fds` reads the
//! variables (and only when `LISTEN_PID` is this process, as sd_listen_fds(3) says); this module
//! checks that each descriptor really is a listening TCP socket before the server uses it, so a
//! misconfigured unit (a datagram or a Unix socket, a file) is a clear start-up error rather
//! than a server that never accepts anyone.

use std::net::TcpListener;
use std::os::fd::{FromRawFd, RawFd};

use anyhow::{Context, bail};
use socket2::{Domain, Socket, Type};

/// The listening sockets systemd passed to this process, or an empty list when it passed none
/// (the server then binds `--listen` itself). The variables are unset so that nothing started
/// later inherits them.
pub fn inherited() -> anyhow::Result<Vec<TcpListener>> {
    let fds: Vec<RawFd> = sd_notify::listen_fds()
        .context("cannot read the sockets passed by systemd (LISTEN_FDS)")?
        .collect();
    fds.into_iter().map(adopt).collect()
}

/// Takes ownership of `fd` as a non-blocking listening TCP socket.
fn adopt(fd: RawFd) -> anyhow::Result<TcpListener> {
    // SAFETY: sd_listen_fds(3) hands descriptors 3 .. 3+LISTEN_FDS to this process (checked
    // against LISTEN_PID) for it to own; nothing else in the process uses them, and each is
    // adopted exactly once here.
    let socket = unsafe { Socket::from_raw_fd(fd) };
    let ty = socket
        .r#type()
        .with_context(|| format!("socket activation: fd {fd} is not a socket"))?;
    let domain = socket
        .domain()
        .with_context(|| format!("socket activation: fd {fd} is not a socket"))?;
    if ty != Type::STREAM || !(domain == Domain::IPV4 || domain == Domain::IPV6) {
        bail!(
            "socket activation: fd {fd} is not a TCP socket (use ListenStream= with an address or port in the .socket unit)"
        );
    }
    if !socket.is_listener().unwrap_or(false) {
        bail!("socket activation: fd {fd} is a TCP socket but not listening");
    }
    socket
        .set_nonblocking(true)
        .with_context(|| format!("socket activation: fd {fd}"))?;
    Ok(socket.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::IntoRawFd;

    #[test]
    fn a_listening_tcp_socket_is_adopted() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        let got = adopt(l.into_raw_fd()).unwrap();
        assert_eq!(got.local_addr().unwrap(), addr);
        // Non-blocking, as tokio needs: accept with nobody waiting returns at once.
        let e = got.accept().unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::WouldBlock);
    }

    #[test]
    fn other_descriptors_are_refused_with_a_reason() {
        let udp = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        let e = adopt(udp.into_raw_fd()).unwrap_err().to_string();
        assert!(e.contains("not a TCP socket"), "{e}");

        let not_listening = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        let e = adopt(not_listening.into_raw_fd()).unwrap_err().to_string();
        assert!(e.contains("not listening"), "{e}");

        let file = std::fs::File::open("Cargo.toml").unwrap();
        let e = adopt(file.into_raw_fd()).unwrap_err().to_string();
        assert!(e.contains("is not a socket"), "{e}");
    }

    #[test]
    fn no_variables_means_no_sockets() {
        // The test process was not started by systemd (LISTEN_PID is never this test's pid).
        if std::env::var_os("LISTEN_PID").is_none() {
            assert!(inherited().unwrap().is_empty());
        }
    }
}
