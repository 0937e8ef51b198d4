//! Fuzz target: client bytes through the input parser and the whole TUI (update, render, diff).
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use resume_ssh::content::SectionId;
use resume_ssh::resume::Resume;
use resume_ssh::terminal::Size;
use resume_ssh::tui::Tui;
use resume_ssh::tui::input::InputParser;
use resume_ssh::tui::theme::Capabilities;

fn resume() -> Arc<Resume> {
    static R: OnceLock<Arc<Resume>> = OnceLock::new();
    R.get_or_init(|| {
        let text = include_str!("../../resume.toml");
        Arc::new(Resume::parse(text, std::path::Path::new("resume.toml")).expect("valid"))
    })
    .clone()
}

fuzz_target!(|data: &[u8]| {
    // The first bytes pick packet sizes and a terminal size; the rest is input.
    if data.len() < 3 {
        return;
    }
    let (head, input) = data.split_at(3);
    let chunk = usize::from(head[0] % 16) + 1;
    let mut parser = InputParser::new();
    let mut events = Vec::new();
    for c in input.chunks(chunk) {
        parser.feed(c, &mut events);
    }
    parser.flush(&mut events);

    let resume = resume();
    let size = Size::clamped(u32::from(head[1]) * 2, u32::from(head[2]));
    let mut tui = Tui::new(SectionId::About, size, Capabilities::default());
    let mut out = Vec::new();
    tui.frame(&resume, &mut out);
    for c in input.chunks(chunk) {
        tui.input(c, &resume);
        out.clear();
        tui.frame(&resume, &mut out);
        if tui.wants_quit() {
            break;
        }
    }
});
