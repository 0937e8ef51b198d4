//! The visitor metrics' label values: each a fixed enum, so nothing a client sends (its version
//! string, its TERM, its size) can add a label value, and no address, key or name is a label.

use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue, LabelValueEncoder};

use crate::content::SectionId;
use crate::terminal::Size;
use crate::tui::theme::{Capabilities, ColorDepth};

/// Implements [`EncodeLabelValue`] for a type with a `label(self) -> &'static str`.
macro_rules! label_value {
    ($t:ty) => {
        impl EncodeLabelValue for $t {
            fn encode(&self, encoder: &mut LabelValueEncoder) -> Result<(), std::fmt::Error> {
                EncodeLabelValue::encode(&self.label(), encoder)
            }
        }
    };
}

/// A section's label is its slug (the `ssh host SECTION` name).
impl EncodeLabelValue for SectionId {
    fn encode(&self, encoder: &mut LabelValueEncoder) -> Result<(), std::fmt::Error> {
        EncodeLabelValue::encode(&self.slug(), encoder)
    }
}

/// Which SSH implementation a client runs, from its version string (`SSH-2.0-OpenSSH_9.2p1`).
#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq)]
pub enum ClientFamily {
    OpenSsh,
    /// PuTTY and the tools built on its code (plink, WinSCP).
    Putty,
    Dropbear,
    /// libssh and libssh2.
    Libssh,
    /// golang.org/x/crypto/ssh.
    Go,
    /// paramiko and AsyncSSH.
    Python,
    Russh,
    Other,
}

impl ClientFamily {
    pub const ALL: [ClientFamily; 8] = [
        ClientFamily::OpenSsh,
        ClientFamily::Putty,
        ClientFamily::Dropbear,
        ClientFamily::Libssh,
        ClientFamily::Go,
        ClientFamily::Python,
        ClientFamily::Russh,
        ClientFamily::Other,
    ];

    /// The family of the identification line a client sent (RFC 4253 4.2:
    /// `SSH-protoversion-softwareversion SP comments`); anything unrecognised is `Other`.
    pub fn of(sshid: &[u8]) -> ClientFamily {
        let rest = sshid
            .strip_prefix(b"SSH-2.0-")
            .or_else(|| sshid.strip_prefix(b"SSH-1.99-"))
            .unwrap_or(b"");
        let software = rest.split(|&b| b == b' ').next().unwrap_or(b"");
        let starts = |p: &str| {
            software.len() >= p.len() && software[..p.len()].eq_ignore_ascii_case(p.as_bytes())
        };
        if starts("OpenSSH") {
            ClientFamily::OpenSsh
        } else if starts("PuTTY") || starts("plink") || starts("WinSCP") {
            ClientFamily::Putty
        } else if starts("dropbear") {
            ClientFamily::Dropbear
        } else if starts("libssh") {
            ClientFamily::Libssh
        } else if software.eq_ignore_ascii_case(b"Go") || starts("Go_") {
            ClientFamily::Go
        } else if starts("paramiko") || starts("AsyncSSH") {
            ClientFamily::Python
        } else if starts("russh") {
            ClientFamily::Russh
        } else {
            ClientFamily::Other
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ClientFamily::OpenSsh => "openssh",
            ClientFamily::Putty => "putty",
            ClientFamily::Dropbear => "dropbear",
            ClientFamily::Libssh => "libssh",
            ClientFamily::Go => "go",
            ClientFamily::Python => "python",
            ClientFamily::Russh => "russh",
            ClientFamily::Other => "other",
        }
    }
}
label_value!(ClientFamily);

/// The width class of the client's terminal when the session started (the layout's classes).
#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq)]
pub enum SizeClass {
    /// Under 60 columns: phones, split panes.
    Narrow,
    /// 60 to 119 columns.
    Standard,
    /// 120 columns and more.
    Wide,
}

impl SizeClass {
    pub fn of(size: Size) -> SizeClass {
        match size.cols {
            0..60 => SizeClass::Narrow,
            60..120 => SizeClass::Standard,
            _ => SizeClass::Wide,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SizeClass::Narrow => "narrow",
            SizeClass::Standard => "standard",
            SizeClass::Wide => "wide",
        }
    }
}
label_value!(SizeClass);

/// The colour depth the session is drawn in (from [`ColorDepth`]).
#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq)]
pub enum Depth {
    TrueColor,
    Ansi256,
    Ansi16,
    Ansi8,
    /// No colour, but bold/underline/reverse.
    Monochrome,
    /// No colour and no attributes (`TERM=dumb`).
    Dumb,
}

impl Depth {
    pub fn of(depth: ColorDepth) -> Depth {
        match depth {
            ColorDepth::TrueColor => Depth::TrueColor,
            ColorDepth::Ansi256 => Depth::Ansi256,
            ColorDepth::Ansi16 => Depth::Ansi16,
            ColorDepth::Ansi8 => Depth::Ansi8,
            ColorDepth::None { attributes: true } => Depth::Monochrome,
            ColorDepth::None { attributes: false } => Depth::Dumb,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Depth::TrueColor => "truecolor",
            Depth::Ansi256 => "256",
            Depth::Ansi16 => "16",
            Depth::Ansi8 => "8",
            Depth::Monochrome => "monochrome",
            Depth::Dumb => "dumb",
        }
    }
}
label_value!(Depth);

/// What kind of link a visitor copied, from its URL (never the URL itself).
#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq)]
pub enum LinkKind {
    Email,
    Phone,
    Github,
    Linkedin,
    /// Any other http(s) address.
    Web,
    Other,
}

impl LinkKind {
    /// The kind of `url` (`mailto:`, `tel:`, a GitHub or LinkedIn address, another web page).
    pub fn of(url: &str) -> LinkKind {
        let lower = url.trim().to_ascii_lowercase();
        let host = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
            .map(|rest| rest.split(['/', '?', '#', ':']).next().unwrap_or(""));
        let on = |h: &str, domain: &str| h == domain || h.ends_with(&format!(".{domain}"));
        if lower.starts_with("mailto:") {
            LinkKind::Email
        } else if lower.starts_with("tel:") {
            LinkKind::Phone
        } else if let Some(h) = host {
            if on(h, "github.com") {
                LinkKind::Github
            } else if on(h, "linkedin.com") {
                LinkKind::Linkedin
            } else {
                LinkKind::Web
            }
        } else {
            LinkKind::Other
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LinkKind::Email => "email",
            LinkKind::Phone => "phone",
            LinkKind::Github => "github",
            LinkKind::Linkedin => "linkedin",
            LinkKind::Web => "web",
            LinkKind::Other => "other",
        }
    }
}
label_value!(LinkKind);

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct SectionLabel {
    pub section: SectionId,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct FamilyLabel {
    pub family: ClientFamily,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct TerminalLabel {
    pub size: SizeClass,
    pub colour: Depth,
}

impl TerminalLabel {
    pub fn of(size: Size, caps: Capabilities) -> TerminalLabel {
        TerminalLabel {
            size: SizeClass::of(size),
            colour: Depth::of(caps.depth),
        }
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct LinkLabel {
    pub kind: LinkKind,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_families_from_real_version_strings() {
        for (id, family) in [
            (&b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"[..], "openssh"),
            (b"SSH-2.0-OpenSSH_for_Windows_8.1", "openssh"),
            (b"SSH-2.0-PuTTY_Release_0.78", "putty"),
            (b"SSH-2.0-PuTTY_Local:_Jan_1_2026", "putty"),
            (b"SSH-2.0-WinSCP_release_6.1", "putty"),
            (b"SSH-2.0-dropbear_2022.83", "dropbear"),
            (b"SSH-2.0-libssh_0.10.4", "libssh"),
            (b"SSH-2.0-libssh2_1.10.0", "libssh"),
            (b"SSH-2.0-Go", "go"),
            (b"SSH-2.0-paramiko_3.4.0", "python"),
            (b"SSH-2.0-AsyncSSH_2.14.2", "python"),
            (b"SSH-2.0-russh_0.65.1", "russh"),
            (b"SSH-2.0-Gopher", "other"),
            (b"SSH-2.0-", "other"),
            (b"", "other"),
            (b"HTTP/1.1 200 OK", "other"),
            (b"SSH-2.0-evil\"} 1\nresume_ssh_x{a=\"b", "other"),
            (b"SSH-2.0-\xff\xfe OpenSSH_9.2", "other"),
        ] {
            assert_eq!(
                ClientFamily::of(id).label(),
                family,
                "{}",
                String::from_utf8_lossy(id)
            );
        }
    }

    #[test]
    fn client_family_labels_are_distinct_and_plain() {
        let labels: std::collections::BTreeSet<_> =
            ClientFamily::ALL.iter().map(|f| f.label()).collect();
        assert_eq!(labels.len(), ClientFamily::ALL.len());
        assert!(
            labels
                .iter()
                .all(|l| l.bytes().all(|b| b.is_ascii_lowercase()))
        );
    }

    #[test]
    fn size_classes_at_their_edges() {
        for (cols, class) in [
            (1, "narrow"),
            (59, "narrow"),
            (60, "standard"),
            (119, "standard"),
            (120, "wide"),
            (400, "wide"),
        ] {
            assert_eq!(SizeClass::of(Size::new(cols, 24)).label(), class, "{cols}");
        }
    }

    #[test]
    fn link_kinds_from_urls() {
        for (url, kind) in [
            ("mailto:ada@example.com", "email"),
            ("MAILTO:ada@example.com", "email"),
            ("tel:+44 20 7946 0000", "phone"),
            ("https://github.com/ada", "github"),
            ("https://gist.github.com/ada", "github"),
            ("https://www.linkedin.com/in/ada", "linkedin"),
            ("https://github.com.evil.example/ada", "web"),
            ("https://notgithub.com/", "web"),
            ("http://example.com:8080/x", "web"),
            ("ftp://example.com", "other"),
            ("", "other"),
        ] {
            assert_eq!(LinkKind::of(url).label(), kind, "{url}");
        }
    }
}
