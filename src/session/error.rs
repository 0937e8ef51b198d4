//! The handler's error type, and which of its errors are just the client going away.

/// The handler's error: russh's, or a refused request.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Russh(#[from] russh::Error),
}

impl SessionError {
    /// Whether this is just the client going away (closing the socket without a goodbye).
    pub fn is_disconnect(&self) -> bool {
        match self {
            SessionError::Russh(russh::Error::Disconnect | russh::Error::HUP) => true,
            SessionError::Russh(russh::Error::IO(e)) => matches!(
                e.kind(),
                std::io::ErrorKind::UnexpectedEof
                    | std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::BrokenPipe
                    | std::io::ErrorKind::ConnectionAborted
            ),
            _ => false,
        }
    }
}
