//! A small parser of the raw bytes a client received: text, CSI, OSC and other escapes, and a
//! model of the screen's hyperlinks (which cell belongs to which OSC 8 link) that follows the
//! cursor moves and text the server sends. vt100 keeps no links, so this is how tests see them.

#![allow(dead_code)]

use unicode_width::UnicodeWidthChar;

/// One piece of the byte stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    Text(char),
    /// `ESC [ private? params final`.
    Csi {
        private: Option<u8>,
        params: String,
        fin: u8,
    },
    /// `ESC ] body (BEL | ESC \)`.
    Osc(String),
    /// Any other `ESC x`, or a control byte.
    Other(Vec<u8>),
}

/// Splits `bytes` into tokens; an unfinished sequence at the end is an error (the server must
/// never send half a sequence in one update).
pub fn tokens(bytes: &[u8]) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == 0x1b {
            match bytes.get(i + 1) {
                Some(b'[') => {
                    let mut j = i + 2;
                    let private = bytes
                        .get(j)
                        .filter(|c| matches!(c, b'?' | b'<' | b'>' | b'='))
                        .copied();
                    if private.is_some() {
                        j += 1;
                    }
                    let start = j;
                    while j < bytes.len() && (0x20..0x40).contains(&bytes[j]) {
                        j += 1;
                    }
                    let Some(&fin) = bytes.get(j) else {
                        return Err(format!("unfinished CSI at {i}"));
                    };
                    out.push(Tok::Csi {
                        private,
                        params: String::from_utf8_lossy(&bytes[start..j]).into_owned(),
                        fin,
                    });
                    i = j + 1;
                }
                Some(b']') => {
                    let mut j = i + 2;
                    let end = loop {
                        match bytes.get(j) {
                            None => return Err(format!("unfinished OSC at {i}")),
                            Some(0x07) => break j + 1,
                            Some(0x1b) if bytes.get(j + 1) == Some(&b'\\') => break j + 2,
                            Some(0x1b) => return Err(format!("ESC inside OSC at {j}")),
                            Some(_) => j += 1,
                        }
                    };
                    out.push(Tok::Osc(
                        String::from_utf8_lossy(&bytes[i + 2..j]).into_owned(),
                    ));
                    i = end;
                }
                Some(&c) => {
                    out.push(Tok::Other(vec![0x1b, c]));
                    i += 2;
                }
                None => return Err("a lone ESC at the end".into()),
            }
        } else if b < 0x20 || b == 0x7f {
            out.push(Tok::Other(vec![b]));
            i += 1;
        } else {
            let len = match b {
                0..0x80 => 1,
                0xc0..0xe0 => 2,
                0xe0..0xf0 => 3,
                _ => 4,
            };
            let s = std::str::from_utf8(bytes.get(i..i + len).ok_or("cut UTF-8")?)
                .map_err(|e| format!("bad UTF-8 at {i}: {e}"))?;
            out.push(Tok::Text(s.chars().next().unwrap_or('\u{fffd}')));
            i += len;
        }
    }
    Ok(out)
}

/// The OSC 8 link a token opens (`Some(uri)`) or closes (`Some("")`); `None` if not OSC 8.
pub fn osc8(t: &Tok) -> Option<&str> {
    let Tok::Osc(body) = t else { return None };
    let rest = body.strip_prefix("8;")?;
    let (_params, uri) = rest.split_once(';')?;
    Some(uri)
}

/// Whether a CSI moves the cursor or rewrites the screen (anything a link must not span).
pub fn moves(t: &Tok) -> bool {
    matches!(t, Tok::Csi { private: None, fin, .. }
        if matches!(fin, b'A'..=b'H' | b'J' | b'K' | b'd' | b'f' | b'S' | b'T' | b'r'))
        || matches!(t, Tok::Other(b) if matches!(b.as_slice(), [b'\r'] | [b'\n'] | [0x1b, b'M']))
}

/// Checks one update: links are opened and closed in pairs, only with `uris`, never open across
/// a cursor move, and closed at the end; a synchronized update (?2026h … ?2026l) wraps it all.
pub fn check_update(bytes: &[u8], uris: &[&str]) -> Result<(), String> {
    let toks = tokens(bytes)?;
    let mut open: Option<&str> = None;
    let mut sync = false;
    for (n, t) in toks.iter().enumerate() {
        if let Tok::Csi {
            private: Some(b'?'),
            params,
            fin,
        } = t
            && params == "2026"
        {
            match (fin, sync) {
                (b'h', false) => sync = true,
                (b'l', true) => sync = false,
                _ => return Err(format!("unpaired mode 2026 at token {n}")),
            }
        } else if !sync {
            return Err(format!("token {n} {t:?} outside a synchronized update"));
        }
        match osc8(t) {
            Some("") if open.is_none() => return Err(format!("close without open at {n}")),
            Some("") => open = None,
            Some(uri) if open.is_some() => return Err(format!("open {uri} inside a link at {n}")),
            Some(uri) if !uris.contains(&uri) => return Err(format!("unknown link {uri}")),
            Some(uri) => open = Some(uri),
            None if moves(t) && open.is_some() => {
                return Err(format!("cursor move {t:?} inside link {open:?} at {n}"));
            }
            None => {}
        }
    }
    if let Some(uri) = open {
        return Err(format!("link {uri} left open at the end"));
    }
    if sync {
        return Err("synchronized update left open".into());
    }
    Ok(())
}

/// Which link each cell of the screen belongs to, as the server's bytes leave it.
pub struct LinkScreen {
    pub cols: usize,
    pub rows: usize,
    pub cells: Vec<Option<String>>,
    x: usize,
    y: usize,
    open: Option<String>,
}

impl LinkScreen {
    pub fn new(cols: usize, rows: usize) -> LinkScreen {
        LinkScreen {
            cols,
            rows,
            cells: vec![None; cols * rows],
            x: 0,
            y: 0,
            open: None,
        }
    }

    /// Applies the bytes (as far as links go: text, CUP, clear, OSC 8).
    pub fn apply(&mut self, bytes: &[u8]) {
        for t in tokens(bytes).unwrap_or_default() {
            if let Some(uri) = osc8(&t) {
                self.open = (!uri.is_empty()).then(|| uri.to_owned());
                continue;
            }
            match t {
                Tok::Text(c) => {
                    let w = c.width().unwrap_or(0).max(1);
                    for dx in 0..w {
                        if self.x + dx < self.cols && self.y < self.rows {
                            self.cells[self.y * self.cols + self.x + dx] = self.open.clone();
                        }
                    }
                    self.x += w;
                }
                Tok::Csi {
                    private: None,
                    params,
                    fin: b'H',
                } => {
                    let mut p = params.split(';').map(|n| n.parse::<usize>().unwrap_or(1));
                    self.y = p.next().unwrap_or(1).max(1) - 1;
                    self.x = p.next().unwrap_or(1).max(1) - 1;
                }
                Tok::Csi {
                    private: None,
                    params,
                    fin: b'C',
                } => self.x += params.parse::<usize>().unwrap_or(1).max(1),
                Tok::Other(b) if b.as_slice() == b"\r" => self.x = 0,
                Tok::Other(b) if b.as_slice() == b"\n" => self.y += 1,
                Tok::Csi {
                    private: None,
                    params,
                    fin: b'J',
                } if params == "2" => self.cells.iter_mut().for_each(|c| *c = None),
                _ => {}
            }
        }
    }

    /// A new size: the screen is redrawn from scratch.
    pub fn resize(&mut self, cols: usize, rows: usize) {
        *self = LinkScreen::new(cols, rows);
    }

    /// Each run of linked cells: (row, first column, end column, uri).
    pub fn runs(&self) -> Vec<(usize, usize, usize, String)> {
        let mut out = Vec::new();
        for y in 0..self.rows {
            let row = &self.cells[y * self.cols..(y + 1) * self.cols];
            let mut x = 0;
            while x < self.cols {
                if let Some(uri) = &row[x] {
                    let start = x;
                    while x < self.cols && row[x].as_ref() == Some(uri) {
                        x += 1;
                    }
                    out.push((y, start, x, uri.clone()));
                } else {
                    x += 1;
                }
            }
        }
        out
    }
}

/// Where `text` shows in full on the vt100 screen: (row, first column, end column).
pub fn visible(screen: &vt100::Screen, text: &str) -> Vec<(usize, usize, usize)> {
    let (rows, cols) = screen.size();
    let mut out = Vec::new();
    for y in 0..rows.get() {
        // The row's text, and the column each byte is in.
        let mut row = String::new();
        let mut col_of = Vec::new();
        let mut x = 0;
        while x < cols.get() {
            let cell = screen.cell(y, x);
            let s = cell.map(|c| c.contents()).unwrap_or("");
            let s = if s.is_empty() { " " } else { s };
            let w = if cell.is_some_and(|c| c.is_wide()) {
                2
            } else {
                1
            };
            row.push_str(s);
            col_of.extend(std::iter::repeat_n(usize::from(x), s.len()));
            x += w;
        }
        for (at, _) in row.match_indices(text) {
            let start = col_of[at];
            let end = col_of[at + text.len() - 1] + 1;
            out.push((usize::from(y), start, end));
        }
    }
    out
}
