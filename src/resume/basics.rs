//! The resume's fixed parts: who (`[basics]`, profiles), the About text, the closing contact, the theme and
//! the site's public address.

use serde::{Deserialize, Serialize};

use super::values::{Email, HexColor, SshCommand, Text, Url};

/// Name, title, tagline and contact details.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Basics {
    pub name: Text,
    /// The job title shown under the name (JSON Resume `label`).
    pub label: Text,
    /// One line that sums the person up.
    pub tagline: Text,
    /// The short summary paragraph (JSON Resume `summary`).
    pub summary: Text,
    pub email: Email,
    /// A telephone number, as the owner writes it (vCard `TEL`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profiles: Vec<Profile>,
}

/// A social profile link.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub network: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<Text>,
    pub url: Url,
}

/// The About section: paragraphs and the title over the focus lists.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct About {
    /// Shown after the summary; may be empty (an imported resume's summary can be all there is).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paragraphs: Vec<Text>,
    /// Heading over the `[[focus]]` lists (e.g. "Core Technologies").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus_title: Option<Text>,
}

/// The closing call to action.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub heading: Text,
    pub title: Text,
    pub message: Text,
    /// Words before the e-mail address ("Or reach out directly at").
    pub email_lead: Text,
}

/// Accent colours (`[theme]`), as `#rrggbb`. Defaults read well on dark and light backgrounds.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct ThemeConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accent: Option<HexColor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accent2: Option<HexColor>,
}

impl ThemeConfig {
    /// No colour set: left out of a written `resume.toml`.
    pub fn is_default(&self) -> bool {
        self.accent.is_none() && self.accent2.is_none()
    }
}

/// How visitors reach this server (`[site]`): what the hints show as the command to type.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// `ssh resume.example.com`; without it the hints say `ssh <this host>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh: Option<SshCommand>,
}

/// What the hints say when the owner has not set `[site] ssh`.
pub const NO_SSH_COMMAND: &str = "ssh <this host>";

impl Site {
    /// Nothing set: left out of a written `resume.toml`.
    pub fn is_default(&self) -> bool {
        self.ssh.is_none()
    }

    /// The command to type, without a remote command (`ssh resume.example.com`).
    pub fn ssh(&self) -> &str {
        self.ssh.as_ref().map_or(NO_SSH_COMMAND, |s| s.as_str())
    }

    /// The host an `scp HOST:file .` line names: the one word after `ssh` when the command is
    /// that simple (options such as `-p 2222` have other spellings in scp), else `<this host>`.
    pub fn scp_host(&self) -> &str {
        match self.ssh.as_ref().map(|s| s.as_str()["ssh ".len()..].trim()) {
            Some(host) if !host.is_empty() && !host.contains(' ') && !host.starts_with('-') => host,
            _ => "<this host>",
        }
    }
}
