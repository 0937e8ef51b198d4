//! Validated values (text, e-mail, URL, `YYYY-MM`, `#rrggbb`): each checks itself when deserialized.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! validated_string {
    ($(#[$doc:meta])* $name:ident, $check:path) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $check(&s).map_err(serde::de::Error::custom)?;
                Ok(Self(s))
            }
        }

        impl TryFrom<&str> for $name {
            type Error = String;
            fn try_from(s: &str) -> Result<Self, String> {
                $check(s)?;
                Ok(Self(s.to_owned()))
            }
        }
    };
}

validated_string!(
    /// Non-empty, printable text (no control characters other than none at all).
    Text,
    check_text
);
validated_string!(
    /// An e-mail address (`local@domain.tld`, no spaces).
    Email,
    check_email
);
validated_string!(
    /// An absolute `http(s)://` URL.
    Url,
    check_url
);
validated_string!(
    /// A date as JSON Resume writes one: `YYYY-MM` (the usual), `YYYY` or `YYYY-MM-DD`.
    Date,
    check_date
);

/// The name the model first had for [`Date`], when only `YYYY-MM` was accepted.
pub type YearMonth = Date;
validated_string!(
    /// A `#rrggbb` colour.
    HexColor,
    check_hex_color
);

validated_string!(
    /// The command a visitor types to reach this server (`ssh resume.example.com`): one short
    /// line of printable ASCII that starts with `ssh `.
    SshCommand,
    check_ssh_command
);

const MAX_TEXT_CHARS: usize = 4000;

/// Longest [`SshCommand`]: it is shown in the footer beside the keys.
pub const MAX_SSH_COMMAND_CHARS: usize = 60;

fn check_ssh_command(s: &str) -> Result<(), String> {
    let Some(rest) = s.strip_prefix("ssh ") else {
        return Err(format!(
            "'{}' must start with 'ssh ' (for example \"ssh resume.example.com\")",
            s.escape_default()
        ));
    };
    if rest.trim().is_empty() {
        return Err("must name the host after 'ssh '".into());
    }
    if s.len() > MAX_SSH_COMMAND_CHARS {
        return Err(format!(
            "is longer than {MAX_SSH_COMMAND_CHARS} characters (one short line)"
        ));
    }
    if let Some(c) = s.chars().find(|c| !(c.is_ascii_graphic() || *c == ' ')) {
        return Err(format!(
            "contains U+{:04X}; use printable ASCII on one line",
            c as u32
        ));
    }
    Ok(())
}

fn check_text(s: &str) -> Result<(), String> {
    if s.trim().is_empty() {
        return Err("must not be empty".into());
    }
    if s.chars().count() > MAX_TEXT_CHARS {
        return Err(format!("is longer than {MAX_TEXT_CHARS} characters"));
    }
    if let Some(c) = s.chars().find(|c| c.is_control()) {
        return Err(format!(
            "contains the control character U+{:04X}; use plain text (one paragraph per string)",
            c as u32
        ));
    }
    Ok(())
}

fn check_email(s: &str) -> Result<(), String> {
    let bad = || format!("'{s}' is not an e-mail address (expected name@domain.tld)");
    let (local, domain) = s.split_once('@').ok_or_else(bad)?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && s.chars()
            .all(|c| c.is_ascii_graphic() && c != '<' && c != '>' && c != '"');
    if ok { Ok(()) } else { Err(bad()) }
}

fn check_url(s: &str) -> Result<(), String> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or_else(|| format!("'{s}' is not an http(s):// URL"))?;
    if rest.is_empty() || !s.chars().all(|c| c.is_ascii_graphic()) {
        return Err(format!("'{s}' is not a valid URL"));
    }
    Ok(())
}

fn check_date(s: &str) -> Result<(), String> {
    let bad =
        || format!("'{s}' is not a date of the form YYYY-MM (e.g. 2023-10), YYYY or YYYY-MM-DD");
    let mut parts = s.split('-');
    let y = parts.next().filter(|y| y.len() == 4).ok_or_else(bad)?;
    let y: u32 = y.parse().map_err(|_| bad())?;
    if !(1900..=2200).contains(&y) {
        return Err(bad());
    }
    let Some(m) = parts.next() else {
        return Ok(());
    };
    let m: u32 = Some(m)
        .filter(|m| m.len() == 2)
        .and_then(|m| m.parse().ok())
        .filter(|m| (1..=12).contains(m))
        .ok_or_else(bad)?;
    let Some(d) = parts.next() else {
        return Ok(());
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    Some(d)
        .filter(|d| d.len() == 2)
        .and_then(|d| d.parse::<u32>().ok())
        .filter(|d| (1..=days).contains(d))
        .ok_or_else(bad)?;
    if parts.next().is_some() {
        return Err(bad());
    }
    Ok(())
}

fn check_hex_color(s: &str) -> Result<(), String> {
    let hex = s
        .strip_prefix('#')
        .filter(|h| h.len() == 6 && h.chars().all(|c| c.is_ascii_hexdigit()));
    if hex.is_some() {
        Ok(())
    } else {
        Err(format!("'{s}' is not a colour of the form #rrggbb"))
    }
}

impl Date {
    /// "2023-10" → "Oct 2023"; "2023-10-05" → "Oct 2023"; "2023" → "2023".
    pub fn display(&self) -> String {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let mut parts = self.0.split('-');
        let y = parts.next().unwrap_or_default();
        match parts.next() {
            Some(m) => {
                let idx = m.parse::<usize>().unwrap_or(1).clamp(1, 12) - 1;
                format!("{} {y}", MONTHS[idx])
            }
            None => y.to_owned(),
        }
    }

    /// Whether this date is certainly before `other`: compared on the parts both give, so
    /// "2023" is not before "2023-05" nor after it.
    pub fn before(&self, other: &Date) -> bool {
        let n = self.0.len().min(other.0.len());
        self.0.get(..n) < other.0.get(..n)
    }
}

impl HexColor {
    /// The colour as (r, g, b).
    pub fn rgb(&self) -> (u8, u8, u8) {
        let v = u32::from_str_radix(self.0.trim_start_matches('#'), 16).unwrap_or(0);
        ((v >> 16) as u8, (v >> 8) as u8, v as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_of_every_json_resume_form() {
        for ok in ["2023", "2023-10", "2024-02-29", "2023-12-31"] {
            assert!(check_date(ok).is_ok(), "{ok}");
        }
        for bad in [
            "23",
            "2023-1",
            "2023-13",
            "2023-00",
            "2023-02-29",
            "2023-04-31",
            "2023-10-1",
            "October 2023",
            "2023-10-01-01",
            "",
            "1800",
        ] {
            assert!(check_date(bad).is_err(), "{bad}");
        }
        let d = |s: &str| Date::try_from(s).unwrap();
        assert_eq!(d("2023").display(), "2023");
        assert_eq!(d("2023-10-05").display(), "Oct 2023");
        assert!(d("2021-10").before(&d("2023")));
        assert!(!d("2023").before(&d("2023-05")) && !d("2023-05").before(&d("2023")));
        assert!(d("2023-05-01").before(&d("2023-05-02")));
    }
}
