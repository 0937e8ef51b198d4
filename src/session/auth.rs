//! Authentication: every method is offered and every attempt succeeds (the resume is public).

use russh::{MethodKind, MethodSet};

/// The authentication methods offered: all of them, and all succeed.
pub fn auth_methods() -> MethodSet {
    MethodSet::from(
        &[
            MethodKind::None,
            MethodKind::PublicKey,
            MethodKind::KeyboardInteractive,
            MethodKind::Password,
        ][..],
    )
}
