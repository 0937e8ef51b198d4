//! Unit tests of the frame encoder: diffs, SGR, wide characters, links.

use super::*;
use ratatui::style::Style;

#[test]
fn sizes_are_clamped() {
    assert_eq!(Size::clamped(0, 0), DEFAULT_SIZE);
    assert_eq!(Size::clamped(1, 1), Size { cols: 1, rows: 1 });
    assert_eq!(
        Size::clamped(u32::MAX, u32::MAX),
        Size {
            cols: MAX_COLS,
            rows: MAX_ROWS
        }
    );
    assert_eq!(Size::clamped(65536 + 80, 24).cols, MAX_COLS);
}

fn nz(v: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(v).unwrap()
}

fn screen(bytes: &[u8], size: Size) -> vt100::Parser {
    let mut p = vt100::Parser::new(nz(size.rows), nz(size.cols), 0);
    p.process(bytes);
    p
}

#[test]
fn diff_reproduces_the_frame_on_a_real_emulator() {
    let size = Size::new(20, 3);
    let mut a = Buffer::empty(size.rect());
    a.set_string(0, 0, "hello world", Style::new().fg(Color::Indexed(74)));
    a.set_string(
        2,
        2,
        "tab 日本 x",
        Style::new().add_modifier(Modifier::BOLD),
    );
    let mut out = Vec::new();
    encode_full(&a, &mut out);
    let mut p = screen(&out, size);
    assert_eq!(p.screen().contents(), "hello world\n\n  tab 日本 x");
    let cell = p.screen().cell(0, 0).unwrap();
    assert_eq!(cell.fgcolor(), vt100::Color::Idx(74));
    assert!(p.screen().cell(2, 2).unwrap().bold());

    let mut b = a.clone();
    b.set_string(6, 0, "there", Style::new().fg(Color::Rgb(1, 2, 3)));
    let mut diff = Vec::new();
    encode_diff(&a, &b, &mut diff);
    assert!(diff.len() < 40, "{}", String::from_utf8_lossy(&diff));
    p.process(&diff);
    assert_eq!(p.screen().contents(), "hello there\n\n  tab 日本 x");
    assert_eq!(
        p.screen().cell(0, 6).unwrap().fgcolor(),
        vt100::Color::Rgb(1, 2, 3)
    );
    // The same cells as ratatui's own diff.
    let mut wide = a.clone();
    wide.set_string(0, 0, "日本語 wide", Style::new());
    for (p, n) in [(&a, &wide), (&wide, &a), (&wide, &b)] {
        let mut ours = Vec::new();
        encode_diff(p, n, &mut ours);
        let mut emu = screen(
            &{
                let mut full = Vec::new();
                encode_full(p, &mut full);
                full
            },
            size,
        );
        emu.process(&ours);
        let mut expect = Vec::new();
        encode_full(n, &mut expect);
        assert_eq!(
            emu.screen().contents(),
            screen(&expect, size).screen().contents()
        );
    }
    // Identical frames cost nothing.
    let mut none = Vec::new();
    encode_diff(&b, &b, &mut none);
    assert!(none.is_empty());
}

#[test]
fn enter_and_leave_restore_the_screen() {
    let mut p = vt100::Parser::new(nz(5), nz(20), 0);
    p.process(b"shell$ ");
    p.process(ENTER);
    assert!(p.screen().alternate_screen());
    assert!(p.screen().hide_cursor());
    assert_ne!(
        p.screen().mouse_protocol_mode(),
        vt100::MouseProtocolMode::None
    );
    p.process(b"\x1b[2J\x1b[Hui");
    p.process(LEAVE);
    assert!(!p.screen().alternate_screen());
    assert!(!p.screen().hide_cursor());
    assert_eq!(
        p.screen().mouse_protocol_mode(),
        vt100::MouseProtocolMode::None
    );
    assert!(!p.screen().bracketed_paste());
    assert_eq!(p.screen().contents(), "shell$ ");
}
