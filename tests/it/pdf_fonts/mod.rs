//! The PDF's fallback fonts, through the binary: a resume in Japanese, Arabic and Hebrew passes
//! `check` and exports a PDF carrying its words (pdftotext, pdffonts, qpdf) when the system has
//! fonts for them; with the system's fonts hidden (RESUME_SSH_SYSTEM_FONT_DIRS = an empty
//! directory) `check` names the Debian package to install, and an owner's font
//! (`--pdf-fonts` or RESUME_SSH_PDF_FONTS) is used.
//!
//! Needs fonts-noto-core and fonts-noto-cjk (and qpdf, poppler-utils) installed: without them these
//! tests fail with how to install them, unless RESUME_SSH_SKIP_PDF_TOOLS=1 is set.

use crate::common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_resume-ssh");
const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/multiscript.toml"
);

/// Runs `resume-ssh ARGS` with the given font settings (`None`: the variable unset).
fn run(args: &[&str], system_dirs: Option<&Path>, owner: Option<&Path>) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .stdin(Stdio::null())
        .env_remove("RESUME_SSH_SYSTEM_FONT_DIRS")
        .env_remove("RESUME_SSH_PDF_FONTS");
    if let Some(d) = system_dirs {
        cmd.env("RESUME_SSH_SYSTEM_FONT_DIRS", d);
    }
    if let Some(o) = owner {
        cmd.env("RESUME_SSH_PDF_FONTS", o);
    }
    cmd.output().expect("run resume-ssh")
}

/// The output of a tool, or `None` when it (or the fonts) may be missing and skipping is allowed.
fn tool(name: &str, args: &[&str]) -> Option<String> {
    match Command::new(name).args(args).stdin(Stdio::null()).output() {
        Ok(o) => {
            assert!(o.status.success(), "{name} {args:?}: {o:?}");
            Some(String::from_utf8_lossy(&o.stdout).into_owned())
        }
        Err(e) if std::env::var_os("RESUME_SSH_SKIP_PDF_TOOLS").is_some() => {
            eprintln!("skipping: {name}: {e}");
            None
        }
        Err(e) => panic!("cannot run {name}: {e} (apt-get install qpdf poppler-utils fontconfig)"),
    }
}

/// The first installed font file for a fontconfig language, or `None` when skipping is allowed.
fn font_for_lang(lang: &str) -> Option<String> {
    let list = tool("fc-list", &[&format!(":lang={lang}"), "file"])?;
    let files: Vec<String> = list
        .lines()
        .map(|l| l.trim().trim_end_matches(':').to_owned())
        .filter(|l| !l.is_empty())
        .collect();
    // A Noto face when there is one (what the image installs); else any.
    let file = files
        .iter()
        .find(|f| f.contains("Noto"))
        .or(files.first())
        .cloned();
    if file.is_none() && std::env::var_os("RESUME_SSH_SKIP_PDF_TOOLS").is_none() {
        panic!("no font for {lang}: apt-get install fonts-noto-core fonts-noto-cjk");
    }
    file
}

/// pdftotext marks right-to-left runs with embedding controls; the words are what matter.
fn words(text: &str) -> String {
    text.chars()
        .filter(|c| !('\u{202A}'..='\u{202E}').contains(c))
        .collect()
}

#[test]
fn multiscript_resume_exports_with_system_fonts() {
    let _gate = common::shared_blocking();
    if ["ja", "ar", "he"]
        .iter()
        .any(|l| font_for_lang(l).is_none())
    {
        return;
    }
    let check = run(&["check", FIXTURE], None, None);
    assert!(check.status.success(), "{check:?}");
    let out = run(&["export", "pdf", "--resume", FIXTURE], None, None);
    assert!(out.status.success(), "{out:?}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("multi.pdf");
    std::fs::write(&file, &out.stdout).unwrap();
    let path = file.to_str().unwrap();
    let Some(text) = tool("pdftotext", &[path, "-"]) else {
        return;
    };
    let text = words(&text);
    for want in [
        "山田 太郎",
        "バックエンド エンジニア",
        "東京",
        "مهندس برمجيات في الخلفية",
        "מהנדס תוכנה בצוות התשתיות",
        "צור קשר",
        "تواصل معي",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
    // Inter plus at least one fallback face, every one embedded as a subset.
    let fonts = tool("pdffonts", &[path]).unwrap_or_default();
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(rows.len() >= 3, "{fonts}");
    assert!(rows.iter().any(|r| !r.contains("Inter")), "{fonts}");
    assert!(rows.iter().all(|r| r.contains("yes yes yes")), "{fonts}");
    tool("qpdf", &["--check", path]);
}

#[test]
fn check_names_the_package_when_no_font_has_the_character() {
    let _gate = common::shared_blocking();
    let empty = tempfile::tempdir().unwrap();
    let out = run(&["check", FIXTURE], Some(empty.path()), None);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    // basics.name is Japanese, basics.summary Arabic, about.paragraphs[0] Hebrew.
    assert!(err.contains("'山' (U+5C71)"), "{err}");
    assert!(err.contains("fonts-noto-cjk"), "{err}");
    assert!(
        err.contains("basics.summary") && err.contains("fonts-noto-core"),
        "{err}"
    );
    assert!(err.contains("RESUME_SSH_PDF_FONTS"), "{err}");
    // Each at its own line and column, though the summary and the contact message start with
    // letters the tagline has before them.
    let summary = format!("{FIXTURE}:8:12: basics.summary: the character 'م' (U+0645)");
    let message = format!("{FIXTURE}:16:12: contact.message: the character 'ت' (U+062A)");
    assert!(err.contains(&summary), "{err}");
    assert!(err.contains(&message), "{err}");
    let export = run(
        &["export", "pdf", "--resume", FIXTURE],
        Some(empty.path()),
        None,
    );
    assert!(!export.status.success());
}

#[test]
fn an_owner_font_is_used_before_the_system_has_any() {
    let _gate = common::shared_blocking();
    let Some(ja) = font_for_lang("ja") else {
        return;
    };
    let empty = tempfile::tempdir().unwrap();
    let out = run(
        &["check", FIXTURE],
        Some(empty.path()),
        Some(Path::new(&ja)),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    // The Japanese is covered by the owner's font now; Arabic and Hebrew still are not.
    assert!(!err.contains("U+5C71"), "{err}");
    assert!(err.contains("basics.summary"), "{err}");
    // The same through the command line's flag.
    let out = run(
        &["check", "--pdf-fonts", &ja, FIXTURE],
        Some(empty.path()),
        None,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("U+5C71"), "{err}");
    assert!(err.contains("basics.summary"), "{err}");
}
