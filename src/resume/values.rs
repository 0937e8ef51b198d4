//! Validated values (text, e-mail, URL, `YYYY-MM`, `#rrggbb`): each checks itself when deserialized.

use std::fmt;

use serde::{Deserialize, Deserializer};

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
    /// A `YYYY-MM` date.
    YearMonth,
    check_year_month
);
validated_string!(
    /// A `#rrggbb` colour.
    HexColor,
    check_hex_color
);

const MAX_TEXT_CHARS: usize = 4000;

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

fn check_year_month(s: &str) -> Result<(), String> {
    let bad = || format!("'{s}' is not a date of the form YYYY-MM (e.g. 2023-10)");
    let (y, m) = s.split_once('-').ok_or_else(bad)?;
    if y.len() != 4 || m.len() != 2 {
        return Err(bad());
    }
    let y: u32 = y.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if !(1900..=2200).contains(&y) || !(1..=12).contains(&m) {
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

impl YearMonth {
    /// "2023-10" → "Oct 2023".
    pub fn display(&self) -> String {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let (y, m) = self.0.split_once('-').unwrap_or((&self.0, "01"));
        let idx = m.parse::<usize>().unwrap_or(1).clamp(1, 12) - 1;
        format!("{} {y}", MONTHS[idx])
    }
}

impl HexColor {
    /// The colour as (r, g, b).
    pub fn rgb(&self) -> (u8, u8, u8) {
        let v = u32::from_str_radix(self.0.trim_start_matches('#'), 16).unwrap_or(0);
        ((v >> 16) as u8, (v >> 8) as u8, v as u8)
    }
}
