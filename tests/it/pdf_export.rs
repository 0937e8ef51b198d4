//! The PDF export checked with real tools (qpdf, poppler's pdftotext/pdffonts/pdfinfo), through the
//! binary (`resume-ssh export pdf`) and through the real server (`ssh HOST pdf`), and `check`
//! refusing a character no PDF font has.
//!
//! The tools are required: without them these tests fail with how to install them
//! (`apt-get install qpdf poppler-utils`), unless RESUME_SSH_SKIP_PDF_TOOLS=1 is set.

use crate::common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::*;
use resume_ssh::export::pdf::{self, Paper};
use resume_ssh::export::plain;

const BIN: &str = env!("CARGO_BIN_EXE_resume-ssh");

/// Runs a PDF tool on `file` (then `after`); `None` only when the tool is missing and skipping
/// is allowed.
fn tool(name: &str, args: &[&str], file: &Path, after: &[&str]) -> Option<(bool, String)> {
    let out = Command::new(name)
        .args(args)
        .arg(file)
        .args(after)
        .stdin(Stdio::null())
        .output();
    match out {
        Ok(o) => Some((
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if std::env::var("RESUME_SSH_SKIP_PDF_TOOLS").as_deref() == Ok("1") {
                eprintln!("{name} not installed; skipped (RESUME_SSH_SKIP_PDF_TOOLS=1)");
                None
            } else {
                panic!(
                    "{name} is not installed: apt-get install qpdf poppler-utils \
                     (or set RESUME_SSH_SKIP_PDF_TOOLS=1 to skip the PDF tool checks)"
                );
            }
        }
        Err(e) => panic!("cannot run {name}: {e}"),
    }
}

fn export(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("export")
        .args(args)
        .args(["--resume", RESUME_PATH])
        .stdin(Stdio::null())
        .output()
        .expect("run resume-ssh export")
}

fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The plain export's lines without their Markdown-style markers ("# ", "## ", "- ").
pub fn plain_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            let l = l.trim_start_matches('#').trim_start();
            let l = l.strip_prefix("- ").unwrap_or(l);
            normalise(l)
        })
        .filter(|l| !l.is_empty())
        .collect()
}

/// Asserts every line is in `haystack`, in order (whitespace aside).
fn assert_in_order(lines: &[String], haystack: &str, what: &str) {
    let hay = normalise(haystack);
    let mut from = 0;
    for l in lines {
        match hay[from..].find(l.as_str()) {
            Some(i) => from += i + l.len(),
            None => panic!("{what}: missing or out of order: {l:?}\n(after byte {from})"),
        }
    }
}

#[test]
fn pdf_passes_qpdf_and_poppler_checks() {
    let _gate = common::shared_blocking();
    let dir = tempfile::tempdir().unwrap();
    let out = export(&["pdf"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = dir.path().join("resume.pdf");
    std::fs::write(&file, &out.stdout).unwrap();

    let Some((ok, _)) = tool("qpdf", &["--check"], &file, &[]) else {
        return;
    };
    assert!(ok, "qpdf --check failed");

    let (ok, text) = tool("pdftotext", &["-enc", "UTF-8"], &file, &["-"]).unwrap();
    assert!(ok, "pdftotext failed");
    let plain = plain::render(&shipped_resume(), plain::DEFAULT_WIDTH);
    assert_in_order(&plain_lines(&plain), &text, "pdftotext");
    // Unicode punctuation survives as text: the em dash of the summary, the dates' middle dot.
    assert!(text.contains("matter—designing"), "em dash");
    assert!(text.contains("Present · 2+ years"), "middle dot");

    let (_, fonts) = tool("pdffonts", &[], &file, &[]).unwrap();
    let rows: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(rows.len() >= 2, "{fonts}");
    for row in rows {
        // name type encoding emb sub uni: every font embedded and subset.
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert!(n >= 6, "{row}");
        assert_eq!(
            &cols[n - 5..n - 2],
            ["yes", "yes", "yes"],
            "not embedded/subset: {row}"
        );
        assert!(cols[0].contains("Inter"), "{row}");
    }

    let (_, info) = tool("pdfinfo", &[], &file, &[]).unwrap();
    let field = |k: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(k).map(|v| v.trim().to_owned()))
            .unwrap_or_else(|| panic!("no {k} in:\n{info}"))
    };
    assert_eq!(
        field("Title:"),
        format!("{NAME} — Backend Platform Engineer")
    );
    assert_eq!(field("Author:"), NAME);
    assert!(field("Subject:").starts_with("Lead Software Development Engineer."));
    assert_eq!(field("Tagged:"), "yes");
    let pages: usize = field("Pages:").parse().unwrap();
    // Three pages at 9 pt (two would need type under 7.5 pt; see README).
    assert_eq!(pages, 3, "{pages} pages");
    assert!(field("Page size:").contains("(A4)"));

    // The e-mail is a mailto: link annotation.
    let qdf = dir.path().join("qdf.pdf");
    let status = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(&file)
        .arg(&qdf)
        .status()
        .unwrap();
    assert!(status.success());
    let raw = std::fs::read(&qdf).unwrap();
    let raw = String::from_utf8_lossy(&raw);
    assert!(
        raw.contains("/URI (mailto:arunavmalhotra1998@gmail.com)"),
        "no mailto link"
    );
    assert!(raw.contains("/Subtype /Link"), "no link annotation");
    // Structure: headings, lists and paragraphs in the tag tree, the language, the outline.
    for needle in ["/S /L\n", "/S /P\n", "/Lang (en)", "/Outlines"] {
        assert!(raw.contains(needle), "{needle:?} missing from the PDF");
    }
    let count = |needle: &str| raw.matches(needle).count();
    let r = shipped_resume();
    let bullets: usize = resume_ssh::content::SectionId::ALL
        .iter()
        .map(|&id| {
            resume_ssh::content::section(&r, id)
                .iter()
                .filter(|b| matches!(b, resume_ssh::content::Block::Bullet(_)))
                .count()
        })
        .sum();
    assert_eq!(count("/S /H1\n"), 1, "one H1: the name");
    assert_eq!(count("/S /H2\n"), 6, "an H2 per section");
    assert_eq!(count("/S /Sect\n"), 6, "a Sect per section");
    assert_eq!(
        count("/S /LI\n"),
        bullets,
        "a list item per achievement and focus item"
    );
    assert_eq!(
        count("/S /Link\n"),
        2,
        "the two e-mail links in the structure tree"
    );
    // A bookmark per section (and per role, case study and heading under it).
    for id in resume_ssh::content::SectionId::ALL {
        assert!(
            raw.contains(&format!("/Title ({})", id.title())),
            "no bookmark for {}",
            id.title()
        );
    }
}

#[test]
fn letter_paper_on_request() {
    let _gate = common::shared_blocking();
    let dir = tempfile::tempdir().unwrap();
    let out = export(&["pdf", "--paper", "letter"]);
    assert!(out.status.success());
    let file = dir.path().join("letter.pdf");
    std::fs::write(&file, &out.stdout).unwrap();
    let Some((_, info)) = tool("pdfinfo", &[], &file, &[]) else {
        return;
    };
    assert!(info.contains("612 x 792 pts (letter)"), "{info}");
    // The shorter page still holds the shipped resume in three pages.
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(str::trim);
    assert_eq!(pages, Some("3"), "{info}");
}

#[tokio::test]
async fn pdf_over_ssh_is_the_same_document() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;
    let out = client.exec("pdf").await;
    assert_eq!(out.exit, Some(0), "{}", out.stderr_text());
    assert!(out.stderr.is_empty());
    let expected = pdf::render(&shipped_resume(), Paper::A4).unwrap();
    assert!(out.stdout.starts_with(b"%PDF-"));
    assert_eq!(out.stdout.len(), expected.len());
    assert!(
        out.stdout == expected,
        "the PDF over SSH differs from the export"
    );
    let letter = client.exec("pdf --paper letter").await;
    assert_eq!(letter.exit, Some(0));
    assert_eq!(
        letter.stdout,
        pdf::render(&shipped_resume(), Paper::Letter).unwrap()
    );
}

#[tokio::test]
async fn pdf_on_a_pty_is_refused_with_a_hint() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;
    let pty = Pty {
        term: "xterm-256color",
        cols: 80,
        rows: 24,
    };
    let out = client.run(Some(b"pdf"), Some(pty)).await;
    assert_eq!(out.exit, Some(2));
    assert!(out.stdout.is_empty(), "binary sent to a terminal");
    let err = out.stderr_text();
    assert!(err.contains("ssh <this host> pdf > "), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
}

#[test]
fn check_fails_on_a_character_the_font_lacks() {
    let _gate = common::shared_blocking();
    let dir = tempfile::tempdir().unwrap();
    // No system fonts: only Inter (a machine with Noto CJK would set '平').
    let no_fonts = tempfile::tempdir().unwrap();
    for (bad, ch) in [
        ("Backend 平台 Engineer", '平'),
        ("Backend Platform Engineer 🦀", '🦀'),
    ] {
        let text = shipped_text().replacen(
            "label = \"Backend Platform Engineer\"",
            &format!("label = \"{bad}\""),
            1,
        );
        let file = dir.path().join("resume.toml");
        std::fs::write(&file, &text).unwrap();
        let out = Command::new(BIN)
            .arg("check")
            .arg(&file)
            .env("RESUME_SSH_SYSTEM_FONT_DIRS", no_fonts.path())
            .env_remove("RESUME_SSH_PDF_FONTS")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        let line = text.lines().position(|l| l.contains(ch)).unwrap() + 1;
        let col = text
            .lines()
            .nth(line - 1)
            .unwrap()
            .chars()
            .position(|c| c == ch)
            .unwrap()
            + 1;
        let want = format!("{}:{line}:{col}: basics.label: ", file.display());
        assert!(err.starts_with(&want), "{err}\nwanted {want}");
        assert!(err.contains(&format!("U+{:04X}", ch as u32)), "{err}");
    }
    // The shipped resume passes.
    let out = Command::new(BIN)
        .arg("check")
        .arg(RESUME_PATH)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_seed_fact_is_in_the_pdf() {
    let _gate = common::shared_blocking();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("resume.pdf");
    std::fs::write(&file, pdf::render(&shipped_resume(), Paper::A4).unwrap()).unwrap();
    let Some((ok, text)) = tool("pdftotext", &["-enc", "UTF-8"], &file, &["-"]) else {
        return;
    };
    assert!(ok);
    let text = normalise(&text);
    for line in include_str!("../fixtures/resume-source.txt").lines() {
        let l = normalise(line.trim_start_matches("- →").trim_start_matches("- ▹"));
        if !l.is_empty() {
            assert!(text.contains(&l), "seed line missing from the PDF: {l}");
        }
    }
}

#[test]
fn no_page_ends_with_a_heading() {
    let _gate = common::shared_blocking();
    // The shipped resume, and variants with one to about 30 lines more in the summary (17 words
    // a line), so that headings come to the foot of a page in some of them.
    let base = shipped_text();
    for extra in (0..=500).step_by(17) {
        let words = " filler".repeat(extra);
        let text = base.replacen(
            "ship with confidence.\"",
            &format!("ship with confidence.{words}\""),
            1,
        );
        assert!(extra == 0 || text != base);
        let r = resume_ssh::resume::Resume::parse(&text, Path::new("resume.toml")).unwrap();
        if !headings_stay_with_their_text(&r) {
            return;
        }
    }
}

/// Checks every page of both paper sizes; false when the tools are missing (and skipping is on).
fn headings_stay_with_their_text(r: &resume_ssh::resume::Resume) -> bool {
    use resume_ssh::content::{self, Block, SectionId};
    let mut headings: Vec<String> = SectionId::ALL
        .iter()
        .map(|s| s.title().to_owned())
        .collect();
    for id in SectionId::ALL {
        for b in content::section(r, id) {
            if let Block::Heading(t) | Block::Subheading(t) = b {
                headings.push(t);
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    for paper in [Paper::A4, Paper::Letter] {
        let file = dir.path().join("resume.pdf");
        std::fs::write(&file, pdf::render(r, paper).unwrap()).unwrap();
        let Some((_, info)) = tool("pdfinfo", &[], &file, &[]) else {
            return false;
        };
        let pages: usize = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap();
        for n in 1..=pages {
            let n_s = n.to_string();
            let (ok, text) = tool(
                "pdftotext",
                &["-enc", "UTF-8", "-f", &n_s, "-l", &n_s],
                &file,
                &["-"],
            )
            .unwrap();
            assert!(ok);
            let mut lines: Vec<&str> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.contains('\u{c}'))
                .collect();
            // The footer: the name and "Page n of N".
            assert_eq!(lines.pop(), Some(format!("Page {n} of {pages}").as_str()));
            assert_eq!(lines.pop(), Some(NAME));
            let last = lines.last().copied().unwrap_or_default();
            assert!(
                !headings.iter().any(|h| h == last),
                "{paper:?} page {n} ends with the heading {last:?}"
            );
        }
    }
    true
}
