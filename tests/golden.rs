//! Golden files: plain text at widths 80 and 40, and `render --format text` at 80×24 and 120×40.
//!
//! A deliberate change to the output is accepted with `UPDATE_GOLDEN=1 cargo test --test golden`,
//! then reviewed in the diff of `tests/golden/`.

use std::path::{Path, PathBuf};

use resume_ssh::content::SectionId;
use resume_ssh::export::plain;
use resume_ssh::render::{self, Options};
use resume_ssh::resume::Resume;
use resume_ssh::terminal::Size;

fn resume() -> Resume {
    Resume::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/resume.toml"
    )))
    .unwrap()
}

fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

fn check(name: &str, actual: &str) {
    let path = golden(name);
    if std::env::var("UPDATE_GOLDEN").is_ok_and(|v| !v.is_empty()) {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_GOLDEN=1 to create)",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the golden file at line {}:\n  expected: {:?}\n  actual:   {:?}\n\
             (UPDATE_GOLDEN=1 cargo test --test golden accepts the new output)",
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

#[test]
fn plain_80_and_40() {
    let r = resume();
    check("plain-80.txt", &plain::render(&r, 80));
    check("plain-40.txt", &plain::render(&r, 40));
}

#[test]
fn render_text_80x24_and_120x40() {
    let r = resume();
    for (w, h, tab, name) in [
        (80, 24, SectionId::About, "render-80x24.txt"),
        (120, 40, SectionId::Experience, "render-120x40.txt"),
    ] {
        let opts = Options {
            size: Size::new(w, h),
            tab,
            term: "xterm-256color".into(),
            help: false,
        };
        let text = String::from_utf8(render::text(&r, &opts)).unwrap();
        assert_eq!(text.lines().count(), usize::from(h));
        check(name, &text);
    }
}
