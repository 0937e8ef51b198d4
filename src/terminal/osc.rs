//! The OSC strings the server sends: hyperlinks (8, and where they are on a frame), window
//! title (2), clipboard (52) and the background-colour query (11), each built from owner data
//! made safe to embed.
//!
//! Every string ends with ST (`ESC \`) except the background query, which ends with BEL because
//! terminals answer in the terminator they were asked with and BEL is the one all of them know.

use base64::Engine;

/// Asks the terminal for its background colour; the answer is parsed by [`crate::tui::input`].
pub const QUERY_BACKGROUND: &[u8] = b"\x1b]11;?\x07";
/// Saves the window and icon titles on the terminal's title stack (XTWINOPS 22).
pub const PUSH_TITLE: &[u8] = b"\x1b[22;0t";
/// Restores the titles saved by [`PUSH_TITLE`] (XTWINOPS 23).
pub const POP_TITLE: &[u8] = b"\x1b[23;0t";
/// Ends the hyperlink the following text belongs to.
pub const LINK_CLOSE: &[u8] = b"\x1b]8;;\x1b\\";

/// Longest URI linked; longer ones are drawn as text only (terminals cap them too: VTE at 2083).
pub const MAX_URI: usize = 2048;
/// Longest title sent, in characters.
const MAX_TITLE: usize = 120;
/// Longest text put on the clipboard, in bytes (a few KB is what terminals accept).
const MAX_CLIP: usize = 1024;

/// Appends the OSC 8 sequence that opens a link to `uri` (already made safe by [`safe_uri`]).
/// `id` groups the cells of one link that are written in separate runs.
pub fn link_open(out: &mut Vec<u8>, id: usize, uri: &str) {
    out.extend_from_slice(b"\x1b]8;id=resume-ssh-");
    out.extend_from_slice(id.to_string().as_bytes());
    out.push(b';');
    out.extend_from_slice(uri.as_bytes());
    out.extend_from_slice(b"\x1b\\");
}

/// A URI that can sit inside an OSC string: every byte outside printable ASCII is
/// percent-encoded, so no control character (ESC, BEL) can end the string early. `None` if it is
/// empty or longer than [`MAX_URI`].
pub fn safe_uri(uri: &str) -> Option<String> {
    let mut s = String::with_capacity(uri.len());
    for b in uri.bytes() {
        if b.is_ascii_graphic() {
            s.push(char::from(b));
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    (!s.is_empty() && s.len() <= MAX_URI).then_some(s)
}

/// Appends OSC 2 (window title) with `title` cleaned of control characters and shortened.
pub fn set_title(out: &mut Vec<u8>, title: &str) {
    out.extend_from_slice(b"\x1b]2;");
    let clean: String = title
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_TITLE)
        .collect();
    out.extend_from_slice(clean.as_bytes());
    out.extend_from_slice(b"\x1b\\");
}

/// Appends OSC 52, which puts `text` on the system clipboard (`c`) where the terminal allows it.
pub fn copy(out: &mut Vec<u8>, text: &str) {
    let text = &text.as_bytes()[..text.len().min(MAX_CLIP)];
    out.extend_from_slice(b"\x1b]52;c;");
    out.extend_from_slice(
        base64::engine::general_purpose::STANDARD
            .encode(text)
            .as_bytes(),
    );
    out.extend_from_slice(b"\x1b\\");
}

/// A run of cells (indices into a buffer's content, `start..end`, within one row) that is a
/// hyperlink to `uris[target]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkSpan {
    pub start: usize,
    pub end: usize,
    pub target: usize,
}

/// Where the links are on the two frames of a diff (each list sorted, not overlapping), and
/// what they point to (URIs already made safe by [`safe_uri`]).
#[derive(Debug, Default, Clone, Copy)]
pub struct Links<'a> {
    pub prev: &'a [LinkSpan],
    pub next: &'a [LinkSpan],
    pub uris: &'a [String],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_cannot_end_the_string() {
        assert_eq!(safe_uri("mailto:a@b.c").as_deref(), Some("mailto:a@b.c"));
        let s = safe_uri("https://x/\x1b\\\x07 é").unwrap();
        assert!(s.bytes().all(|b| b.is_ascii_graphic()), "{s}");
        assert_eq!(s, "https://x/%1B\\%07%20%C3%A9");
        assert_eq!(safe_uri(""), None);
        assert_eq!(safe_uri(&"a".repeat(MAX_URI + 1)), None);
    }

    #[test]
    fn title_and_clipboard_are_clean() {
        let mut out = Vec::new();
        set_title(&mut out, "Ann\x1b]0;evil\x07 — Eng");
        assert_eq!(out, "\x1b]2;Ann]0;evil — Eng\x1b\\".as_bytes());
        let mut out = Vec::new();
        copy(&mut out, "a@b.c");
        assert_eq!(out, b"\x1b]52;c;YUBiLmM=\x1b\\");
    }
}
