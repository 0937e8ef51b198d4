//! The resume as plain text: UTF-8, no escape codes, Markdown-style headings, wrapped to a width.
//!
//! This is the linear version for pipes, scripts and screen readers (`ssh host plain`).

use crate::content::{self, SectionId, Style};
use crate::resume::Resume;

/// Default and bounds of `plain --width`.
pub const DEFAULT_WIDTH: usize = 80;
pub const MIN_WIDTH: usize = 40;
pub const MAX_WIDTH: usize = 200;

/// The whole resume: header, then every section in tab order. Ends with a newline.
pub fn render(resume: &Resume, width: usize) -> String {
    let mut out = header(resume, width);
    for id in SectionId::ALL {
        out.push('\n');
        out.push_str(&render_section(resume, id, width));
    }
    out
}

/// The name, title, tagline and e-mail, wrapped.
pub fn header(resume: &Resume, width: usize) -> String {
    let [name, label, tagline] = content::header(resume);
    let mut out = format!("# {name}\n{label}\n");
    for l in content::wrap_text(&tagline, width) {
        out.push_str(&l);
        out.push('\n');
    }
    out.push_str(resume.basics.email.as_str());
    out.push('\n');
    out
}

/// One section with its `# Title` heading. Ends with a newline.
pub fn render_section(resume: &Resume, id: SectionId, width: usize) -> String {
    let mut out = format!("# {}\n\n", id.title());
    for line in content::wrap(&content::section(resume, id), width, Style::PLAIN) {
        out.push_str(&line.text);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use unicode_width::UnicodeWidthStr;

    fn resume() -> Resume {
        Resume::parse(include_str!("../../resume.toml"), Path::new("resume.toml")).unwrap()
    }

    #[test]
    fn plain_is_clean_and_bounded() {
        let r = resume();
        for width in [MIN_WIDTH, DEFAULT_WIDTH, MAX_WIDTH] {
            let text = render(&r, width);
            assert!(text.ends_with('\n'));
            assert!(!text.contains('\x1b'));
            assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
            for l in text.lines() {
                assert!(l.width() <= width, "{width}: {l}");
            }
        }
    }

    #[test]
    fn every_seed_line_is_in_plain() {
        // Each line of the seed, less bullet markers, appears in the export after whitespace
        // normalisation: nothing of the resume is lost.
        let seed = include_str!("../../tests/fixtures/resume-source.txt");
        let r = resume();
        for width in [MIN_WIDTH, DEFAULT_WIDTH] {
            let plain = normalise(&render(&r, width));
            for line in seed.lines() {
                let l = line.trim_start_matches("- →").trim_start_matches("- ▹");
                let l = normalise(l);
                if !l.is_empty() {
                    assert!(plain.contains(&l), "missing at width {width}: {l}");
                }
            }
        }
    }

    #[test]
    fn fixture_matches_the_shared_seed() {
        // The fixture is a copy of ../shared/seed/resume-source.txt so a clone builds alone;
        // where the shared folder is present (CI), the copy must be identical.
        let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/seed/resume-source.txt");
        match std::fs::read_to_string(&shared) {
            Ok(seed) => assert_eq!(seed, include_str!("../../tests/fixtures/resume-source.txt")),
            Err(_) => eprintln!("{} not present; fixture not compared", shared.display()),
        }
    }

    fn normalise(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}
