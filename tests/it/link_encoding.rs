//! The diff encoder's hyperlinks on hand-made frames: a redraw of part of a link, a link that
//! goes while its text stays, and a wide character inside a link, each read back with the
//! raw-byte parser (tests/seqs) and compared cell by cell with where the links should be.

use crate::seqs;

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Style};
use resume_ssh::terminal::{LinkSpan, Links, Size, encode_diff_linked};

const URI: &str = "mailto:a@b.c";

fn frame(text: &str) -> Buffer {
    let mut b = Buffer::empty(Size::new(30, 3).rect());
    b.set_string(2, 1, text, Style::new());
    b
}

/// One link on row 1 from column `a` to `b`.
fn span(a: usize, b: usize) -> Vec<LinkSpan> {
    vec![LinkSpan {
        start: 30 + a,
        end: 30 + b,
        target: 0,
    }]
}

/// Applies `prev → next` after a full draw of `prev`, checks the bytes, returns the link runs.
fn runs(prev: (&Buffer, &[LinkSpan]), next: (&Buffer, &[LinkSpan])) -> Vec<(usize, usize, usize)> {
    let uris = vec![URI.to_owned()];
    let blank = Buffer::empty(prev.0.area);
    let mut screen = seqs::LinkScreen::new(30, 3);
    let mut first = b"\x1b[?2026h".to_vec();
    encode_diff_linked(
        &blank,
        prev.0,
        &Links {
            prev: &[],
            next: prev.1,
            uris: &uris,
        },
        &mut first,
    );
    first.extend_from_slice(b"\x1b[?2026l");
    seqs::check_update(&first, &[URI]).expect("first draw");
    screen.apply(&first);
    let mut diff = b"\x1b[?2026h".to_vec();
    encode_diff_linked(
        prev.0,
        next.0,
        &Links {
            prev: prev.1,
            next: next.1,
            uris: &uris,
        },
        &mut diff,
    );
    diff.extend_from_slice(b"\x1b[?2026l");
    seqs::check_update(&diff, &[URI]).unwrap_or_else(|e| panic!("{e}: {diff:?}"));
    screen.apply(&diff);
    screen
        .runs()
        .into_iter()
        .map(|(y, a, b, uri)| {
            assert_eq!(uri, URI);
            (y, a, b)
        })
        .collect()
}

#[test]
fn part_of_a_link_redrawn_is_inside_the_link() {
    let _gate = crate::common::shared_blocking();
    // Three letters in the middle change colour: only they are written, inside their own
    // open/close pair, and the link stays whole.
    let a = frame("mail a@b.c now");
    let mut b = a.clone();
    for x in 8..11 {
        b[(x, 1)].set_fg(Color::Red);
    }
    assert_eq!(runs((&a, &span(7, 12)), (&b, &span(7, 12))), [(1, 7, 12)]);
}

#[test]
fn a_link_that_goes_leaves_no_linked_cell() {
    let _gate = crate::common::shared_blocking();
    // Same text, no link any more (another resume's addresses): every cell is rewritten bare.
    let a = frame("mail a@b.c now");
    assert_eq!(runs((&a, &span(7, 12)), (&a, &[])), []);
    // And the reverse: the text was there, now it is a link.
    assert_eq!(runs((&a, &[]), (&a, &span(7, 12))), [(1, 7, 12)]);
}

#[test]
fn half_covered_links_and_wide_characters() {
    let _gate = crate::common::shared_blocking();
    // An overlay covers the end of the link: the covered cells lose it, the rest keep it.
    let a = frame("x 日本a@b.c");
    let mut b = a.clone();
    b.set_string(9, 1, "[]", Style::new());
    assert_eq!(runs((&a, &span(4, 11)), (&b, &span(4, 9))), [(1, 4, 9)]);
    // Uncovered again.
    assert_eq!(runs((&b, &span(4, 9)), (&a, &span(4, 11))), [(1, 4, 11)]);
}
