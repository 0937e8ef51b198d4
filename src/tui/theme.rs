//! Palettes per colour depth (truecolor, 256, 16, none) and dark/light, from what the client tells.

use ratatui::style::{Color, Modifier, Style};

use crate::resume::ThemeConfig;

/// How many colours the client's terminal can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColorDepth {
    TrueColor,
    Ansi256,
    Ansi16,
    /// The eight basic colours only (SGR 30-37: `linux`, `xterm-color`, `ansi`, `*-8color`).
    Ansi8,
    /// No colour. `attributes` says whether bold/reverse/underline may be used (not on `dumb`).
    None {
        attributes: bool,
    },
}

/// What the terminal can do, from TERM, COLORTERM, NO_COLOR and LANG/LC_*.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Capabilities {
    pub depth: ColorDepth,
    /// Box drawing and symbols (•, ─, ▲); otherwise ASCII.
    pub unicode: bool,
    /// OSC strings (hyperlinks, window title, clipboard, background query): not on dumb, vt*
    /// or the Linux console, which would print them.
    pub osc: bool,
}

impl Default for Capabilities {
    fn default() -> Self {
        Capabilities {
            depth: ColorDepth::Ansi256,
            unicode: true,
            osc: true,
        }
    }
}

/// The environment a client declared (pty-req TERM and env requests).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientEnv {
    pub term: Option<String>,
    pub colorterm: Option<String>,
    pub no_color: bool,
    /// LC_ALL, else LC_CTYPE, else LANG (the POSIX precedence).
    pub lc_all: Option<String>,
    pub lc_ctype: Option<String>,
    pub lang: Option<String>,
}

impl ClientEnv {
    /// Picks colour depth and character set.
    pub fn capabilities(&self) -> Capabilities {
        let term = self.term.as_deref().unwrap_or("xterm").to_ascii_lowercase();
        let colorterm = self.colorterm.as_deref().unwrap_or("").to_ascii_lowercase();
        let plain_term = matches!(
            term.as_str(),
            "dumb" | "unknown" | "" | "vt52" | "vt100" | "vt102" | "vt220" | "vt320" | "ansi.sys"
        );
        let depth = if term == "dumb" || term == "unknown" || term.is_empty() {
            ColorDepth::None { attributes: false }
        } else if self.no_color || plain_term {
            ColorDepth::None { attributes: true }
        } else if colorterm == "truecolor"
            || colorterm == "24bit"
            || term.ends_with("-direct")
            || term.contains("truecolor")
            || matches!(
                term.as_str(),
                "xterm-kitty" | "alacritty" | "wezterm" | "foot"
            )
        {
            ColorDepth::TrueColor
        } else if term.contains("256") {
            ColorDepth::Ansi256
        } else if term.ends_with("-8color")
            || matches!(
                term.as_str(),
                "linux" | "xterm-color" | "ansi" | "rxvt" | "cygwin" | "cons25" | "sun-color"
            )
        {
            ColorDepth::Ansi8
        } else {
            ColorDepth::Ansi16
        };
        let locale = self
            .lc_all
            .as_deref()
            .or(self.lc_ctype.as_deref())
            .or(self.lang.as_deref());
        let locale_utf8 = locale.is_none_or(|l| {
            let l = l.to_ascii_lowercase();
            l.contains("utf-8") || l.contains("utf8")
        });
        let unicode = locale_utf8 && !plain_term && term != "linux";
        let osc = !plain_term && term != "linux";
        Capabilities {
            depth,
            unicode,
            osc,
        }
    }
}

/// Every style the view uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    pub name: Style,
    pub label: Style,
    pub tagline: Style,
    pub tab: Style,
    pub tab_selected: Style,
    /// Whether the selected tab needs brackets because no attribute can show it.
    pub tab_brackets: bool,
    pub heading: Style,
    pub subheading: Style,
    pub meta: Style,
    pub text: Style,
    pub bullet: Style,
    pub figure: Style,
    /// A stat card's label under its figure.
    pub figure_label: Style,
    /// A label in a left gutter ("CHALLENGE").
    pub gutter_label: Style,
    /// A skill tag: a chip where the terminal has background colours.
    pub tag: Style,
    /// A node on the Experience timeline, and the line between nodes.
    pub node: Style,
    pub rule: Style,
    pub keyword: Style,
    pub link: Style,
    pub border: Style,
    pub scrollbar: Style,
    pub key: Style,
    pub footer: Style,
    /// The text and background colours a palette the visitor picked paints every cell with
    /// (`None`: the terminal's own, for the palette that follows the terminal).
    pub paint: Option<(Color, Color)>,
    /// Whether faint text (SGR 2) may be used: colour terminals only (a VT100 has none).
    pub dim: bool,
}

impl Theme {
    /// The theme for a terminal, light or dark background, with the owner's accents, painting
    /// its own background if the visitor picked it.
    pub fn picked(caps: Capabilities, light: bool, picked: bool, cfg: &ThemeConfig) -> Theme {
        let mut t = Theme::new(caps, light, cfg);
        if picked {
            t.paint = canvas(caps.depth, light);
        }
        t
    }

    /// The theme for a terminal, light or dark background, with the owner's accents.
    pub fn new(caps: Capabilities, light: bool, cfg: &ThemeConfig) -> Theme {
        let rgb = |c: &Option<crate::resume::HexColor>, dark: (u8, u8, u8), lite: (u8, u8, u8)| {
            c.as_ref()
                .map(|c| c.rgb())
                .unwrap_or(if light { lite } else { dark })
        };
        // Mid-tone defaults that read on either background; the light variant is darker.
        let a1 = rgb(&cfg.accent, (0x4f, 0xa3, 0xe0), (0x00, 0x5a, 0x9e));
        let a2 = rgb(&cfg.accent2, (0xe0, 0x8a, 0x4f), (0xa8, 0x4a, 0x10));
        // A quiet background for tags: a shade off the terminal's own, where colours allow.
        let chip = match caps.depth {
            ColorDepth::TrueColor if light => Some(Color::Rgb(0xe6, 0xec, 0xf2)),
            ColorDepth::TrueColor => Some(Color::Rgb(0x26, 0x2d, 0x36)),
            ColorDepth::Ansi256 => Some(Color::Indexed(if light { 254 } else { 236 })),
            _ => None,
        };
        let (accent, accent2, muted) = match caps.depth {
            ColorDepth::TrueColor => (
                Color::Rgb(a1.0, a1.1, a1.2),
                Color::Rgb(a2.0, a2.1, a2.2),
                if light {
                    Color::Rgb(0x5c, 0x5c, 0x5c)
                } else {
                    Color::Rgb(0x9a, 0x9a, 0x9a)
                },
            ),
            ColorDepth::Ansi256 => (
                Color::Indexed(rgb_to_256(a1)),
                Color::Indexed(rgb_to_256(a2)),
                Color::Indexed(if light { 240 } else { 246 }),
            ),
            // Judged in xterm's default palette beside the 256-colour one (issue 26). Dark: plain
            // cyan and the soft bright blue, calmer than bright cyan and yellow. Light: blue
            // alone with the terminal's own black (bold, not brightened) and grey, where
            // magenta and red shouted and yellow, green and cyan do not read on white.
            ColorDepth::Ansi16 => {
                if light {
                    (Color::Blue, Color::Reset, Color::DarkGray)
                } else {
                    (Color::Cyan, Color::LightBlue, Color::DarkGray)
                }
            }
            // No bright colours: plain blue is too dark on black, so yellow (brown on the Linux
            // console) beside cyan; the muted tone is the one grey there is (none on light).
            ColorDepth::Ansi8 => {
                if light {
                    (Color::Blue, Color::Reset, Color::Reset)
                } else {
                    (Color::Cyan, Color::Yellow, Color::Gray)
                }
            }
            ColorDepth::None { attributes } => return Theme::monochrome(attributes),
        };
        let plain = Style::new();
        let bold = Modifier::BOLD;
        Theme {
            name: plain.fg(accent).add_modifier(bold),
            label: plain.add_modifier(bold),
            tagline: plain.fg(muted),
            tab: plain.fg(muted),
            // Black and white that bold does not brighten (xterm's boldColors turns bold black
            // into grey); with 16 colours there are none, so no bold there.
            tab_selected: match caps.depth {
                ColorDepth::TrueColor | ColorDepth::Ansi256 => {
                    let (black, white) = if caps.depth == ColorDepth::TrueColor {
                        (Color::Rgb(0, 0, 0), Color::Rgb(0xff, 0xff, 0xff))
                    } else {
                        (Color::Indexed(16), Color::Indexed(231))
                    };
                    plain
                        .fg(if light { white } else { black })
                        .bg(accent)
                        .add_modifier(bold)
                }
                ColorDepth::Ansi8 => plain
                    .fg(if light { Color::Gray } else { Color::Black })
                    .bg(accent),
                _ => plain
                    .fg(if light { Color::White } else { Color::Black })
                    .bg(accent),
            },
            tab_brackets: false,
            heading: plain.fg(accent).add_modifier(bold),
            subheading: plain.fg(accent2).add_modifier(bold),
            meta: plain.fg(muted).add_modifier(Modifier::ITALIC),
            text: plain,
            bullet: plain.fg(accent2),
            figure: plain.fg(accent2).add_modifier(bold),
            figure_label: plain.fg(muted),
            gutter_label: plain.fg(muted).add_modifier(bold),
            tag: match chip {
                Some(bg) => plain.fg(accent).bg(bg),
                None => plain.fg(accent),
            },
            node: plain.fg(accent2).add_modifier(bold),
            rule: plain.fg(accent2),
            keyword: plain.fg(accent),
            link: plain.fg(accent).add_modifier(Modifier::UNDERLINED),
            border: plain.fg(muted),
            scrollbar: plain.fg(accent),
            key: plain.fg(accent2).add_modifier(bold),
            footer: plain.fg(muted),
            paint: None,
            dim: true,
        }
    }

    /// No colour at all; bold/reverse/underline only where the terminal shows them.
    fn monochrome(attributes: bool) -> Theme {
        let p = Style::new();
        let (b, r, u) = if attributes {
            (
                p.add_modifier(Modifier::BOLD),
                p.add_modifier(Modifier::REVERSED),
                p.add_modifier(Modifier::UNDERLINED),
            )
        } else {
            (p, p, p)
        };
        Theme {
            name: b,
            label: p,
            tagline: p,
            tab: p,
            tab_selected: r,
            tab_brackets: !attributes,
            heading: b,
            // Not underlined: only links are (a company name is not one).
            subheading: b,
            meta: p,
            text: p,
            bullet: p,
            figure: b,
            figure_label: p,
            gutter_label: b,
            tag: p,
            node: b,
            rule: p,
            keyword: p,
            link: u,
            border: p,
            scrollbar: p,
            key: b,
            footer: p,
            paint: None,
            dim: false,
        }
    }
}

/// The (text, background) colours a picked palette paints with; none without colours.
fn canvas(depth: ColorDepth, light: bool) -> Option<(Color, Color)> {
    Some(match (depth, light) {
        (ColorDepth::TrueColor, false) => {
            (Color::Rgb(0xd4, 0xd4, 0xd4), Color::Rgb(0x1c, 0x1e, 0x24))
        }
        (ColorDepth::TrueColor, true) => {
            (Color::Rgb(0x1f, 0x23, 0x28), Color::Rgb(0xfb, 0xfb, 0xf9))
        }
        (ColorDepth::Ansi256, false) => (Color::Indexed(252), Color::Indexed(234)),
        (ColorDepth::Ansi256, true) => (Color::Indexed(235), Color::Indexed(231)),
        (ColorDepth::Ansi16, false) => (Color::Gray, Color::Black),
        (ColorDepth::Ansi16, true) => (Color::Black, Color::White),
        (ColorDepth::Ansi8, false) => (Color::Gray, Color::Black),
        (ColorDepth::Ansi8, true) => (Color::Black, Color::Gray),
        (ColorDepth::None { .. }, _) => return None,
    })
}

/// Nearest colour of the xterm 6×6×6 cube.
fn rgb_to_256((r, g, b): (u8, u8, u8)) -> u8 {
    let q = |v: u8| -> u8 {
        const STEPS: [u8; 6] = [0, 95, 135, 175, 215, 255];
        let mut best = 0u8;
        for (i, s) in STEPS.iter().enumerate() {
            if v.abs_diff(*s) < v.abs_diff(STEPS[best as usize]) {
                best = i as u8;
            }
        }
        best
    };
    16 + 36 * q(r) + 6 * q(g) + q(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(term: &str) -> ClientEnv {
        ClientEnv {
            term: Some(term.into()),
            ..Default::default()
        }
    }

    #[test]
    fn depth_from_term_and_env() {
        assert_eq!(
            env("xterm-256color").capabilities().depth,
            ColorDepth::Ansi256
        );
        assert_eq!(env("xterm").capabilities().depth, ColorDepth::Ansi16);
        assert_eq!(
            env("dumb").capabilities().depth,
            ColorDepth::None { attributes: false }
        );
        assert_eq!(
            env("vt100").capabilities(),
            Capabilities {
                depth: ColorDepth::None { attributes: true },
                unicode: false,
                osc: false,
            }
        );
        let mut e = env("xterm-256color");
        e.colorterm = Some("truecolor".into());
        assert_eq!(e.capabilities().depth, ColorDepth::TrueColor);
        e.no_color = true;
        assert_eq!(
            e.capabilities().depth,
            ColorDepth::None { attributes: true }
        );
        let mut e = env("xterm-256color");
        e.lang = Some("C".into());
        assert!(!e.capabilities().unicode);
        e.lc_all = Some("en_US.UTF-8".into());
        assert!(e.capabilities().unicode);
        assert!(!env("linux").capabilities().unicode);
        for t in ["dumb", "vt100", "linux"] {
            assert!(!env(t).capabilities().osc, "{t}");
        }
        assert!(env("xterm-256color").capabilities().osc);
        assert!(env("screen").capabilities().osc);
    }

    #[test]
    fn cube_mapping() {
        assert_eq!(rgb_to_256((0, 0, 0)), 16);
        assert_eq!(rgb_to_256((255, 255, 255)), 231);
        assert_eq!(rgb_to_256((0x5f, 0xaf, 0xd7)), 74);
    }
}
