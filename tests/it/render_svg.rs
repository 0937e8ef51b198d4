//! `resume-ssh render --format svg`, black box: the real binary's picture of every section at
//! several sizes parses as XML (roxmltree), is the frame's grid of cells, shows exactly the
//! characters `--format text` shows at the same cells (box drawing as paths instead), and uses
//! exactly the colours `--format ansi` uses.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use unicode_width::UnicodeWidthChar;

const BIN: &str = env!("CARGO_BIN_EXE_resume-ssh");
const RESUME: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/resume.toml");
const CELL_W: f64 = 9.0;
const CELL_H: f64 = 18.0;
/// The picture's own background and text colour (cells that leave them to the terminal).
const DEFAULT_BG: &str = "#1c1e24";
const DEFAULT_FG: &str = "#d4d4d4";

fn render(format: &str, cols: u16, rows: u16, section: &str, term: &str) -> String {
    render_of(RESUME, format, cols, rows, section, term)
}

fn render_of(
    resume: &str,
    format: &str,
    cols: u16,
    rows: u16,
    section: &str,
    term: &str,
) -> String {
    let out = Command::new(BIN)
        .args([
            "render", "--resume", resume, "--format", format, "--term", term,
        ])
        .args(["--width", &cols.to_string(), "--height", &rows.to_string()])
        .args(["--section", section])
        .env_remove("RESUME_SSH_RESUME")
        .output()
        .expect("run resume-ssh render");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// Cells (row, col) → what is drawn there.
type Grid = BTreeMap<(usize, usize), String>;

/// Puts `text` on the grid from `col`, each character on the cell it starts; a zero-width
/// character, and one joined to the one before by a zero-width joiner (an emoji sequence),
/// stays on the cell before.
fn place(grid: &mut Grid, row: usize, mut col: usize, text: &str) {
    let mut last = (col, '\0');
    for c in text.chars() {
        let joined = last.1 == '\u{200d}' || c.width() == Some(0);
        let at = if joined && last.1 != '\0' {
            last.0
        } else {
            col
        };
        if c != ' ' {
            grid.entry((row, at)).or_default().push(c);
        }
        if at == col {
            col += c.width().unwrap_or(0);
        }
        last = (at, c);
    }
}

fn is_shape(c: char) -> bool {
    ('\u{2500}'..='\u{259f}').contains(&c)
}

/// xterm's palette for the 16 named colours (SGR 30–37, 90–97).
const ANSI16: [&str; 16] = [
    "#000000", "#cd0000", "#00cd00", "#cdcd00", "#0000ee", "#cd00cd", "#00cdcd", "#e5e5e5",
    "#7f7f7f", "#ff0000", "#00ff00", "#ffff00", "#5c5cff", "#ff00ff", "#00ffff", "#ffffff",
];

/// `#rrggbb` of the SGR colours (38/48;2;r;g;b and the named ones) in ANSI output: (foregrounds, backgrounds).
fn sgr_colours(ansi: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let (mut fg, mut bg) = (BTreeSet::new(), BTreeSet::new());
    for seq in ansi.split("\x1b[").skip(1) {
        let Some(end) = seq.find(|c: char| !(c.is_ascii_digit() || c == ';')) else {
            continue;
        };
        if !seq[end..].starts_with('m') {
            continue;
        }
        let p: Vec<u32> = seq[..end]
            .split(';')
            .filter_map(|n| n.parse().ok())
            .collect();
        let mut i = 0;
        while i < p.len() {
            match p[i..] {
                [which @ (38 | 48), 2, r, g, b, ..] => {
                    let hex = format!("#{r:02x}{g:02x}{b:02x}");
                    if which == 38 {
                        fg.insert(hex)
                    } else {
                        bg.insert(hex)
                    };
                    i += 5;
                }
                [38 | 48, 5, _, ..] => panic!("an indexed colour in truecolor output: {p:?}"),
                [n @ (30..=37 | 90..=97), ..] => {
                    fg.insert(ANSI16[(n % 10 + if n >= 90 { 8 } else { 0 }) as usize].into());
                    i += 1;
                }
                [n @ (40..=47 | 100..=107), ..] => {
                    bg.insert(ANSI16[(n % 10 + if n >= 100 { 8 } else { 0 }) as usize].into());
                    i += 1;
                }
                _ => i += 1,
            }
        }
    }
    (fg, bg)
}

fn check(resume: &str, cols: u16, rows: u16, section: &str) {
    let term = "xterm-direct";
    let render = |format: &str, cols, rows, section: &str, term: &str| {
        render_of(resume, format, cols, rows, section, term)
    };
    let svg = render("svg", cols, rows, section, term);
    let doc = roxmltree::Document::parse(&svg)
        .unwrap_or_else(|e| panic!("{cols}x{rows} {section}: not XML: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    let num = |n: roxmltree::Node, a: &str| -> f64 {
        n.attribute(a)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{a} of {n:?}"))
    };
    assert_eq!(num(root, "width"), f64::from(cols) * CELL_W);
    assert_eq!(num(root, "height"), f64::from(rows) * CELL_H);

    // The characters, cell by cell, against the text rendering.
    let mut drawn = Grid::new();
    for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let row = (num(t, "y") / CELL_H) as usize;
        let col = (num(t, "x") / CELL_W + 0.01) as usize;
        place(&mut drawn, row, col, t.text().unwrap_or(""));
    }
    let text = render("text", cols, rows, section, term);
    let mut shown = Grid::new();
    for (row, line) in text.lines().enumerate() {
        place(&mut shown, row, 0, line);
    }
    let mut shapes = 0;
    for (cell, s) in &shown {
        if s.chars().all(is_shape) {
            shapes += 1;
            assert_eq!(
                drawn.get(cell),
                None,
                "{section} {cell:?}: {s} drawn as text"
            );
        } else {
            assert_eq!(
                drawn.get(cell),
                Some(s),
                "{section} {cols}x{rows} at {cell:?}"
            );
        }
    }
    assert_eq!(
        drawn.len(),
        shown.len() - shapes,
        "{section} {cols}x{rows}: text where the frame has none"
    );
    let box_groups = doc
        .descendants()
        .filter(|n| n.attribute("data-shapes") == Some("box"))
        .count();
    assert_eq!(
        box_groups > 0,
        shapes > 0,
        "{section}: box drawing as paths"
    );

    // The colours, against the ANSI rendering.
    let (fg, bg) = sgr_colours(&render("ansi", cols, rows, section, term));
    let fills: BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.attribute("fill").map(str::to_owned))
        .collect();
    for f in &fills {
        assert!(
            fg.contains(f) || f == DEFAULT_FG,
            "{section}: text in {f}, not in {fg:?}"
        );
    }
    assert!(
        fills.len() > 1,
        "{section}: the frame has colours: {fills:?}"
    );
    let rects: BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("x").is_some())
        .filter_map(|n| n.attribute("fill").map(str::to_owned))
        .collect();
    let mut bg = bg;
    bg.remove(DEFAULT_BG);
    assert_eq!(rects, bg, "{section}: background colours");
}

#[test]
fn every_section_at_every_size_is_the_frame_as_a_picture() {
    let _gate = crate::common::shared_blocking();
    for (cols, rows) in [(80, 24), (200, 60), (45, 30), (120, 40)] {
        for section in [
            "about",
            "experience",
            "case-studies",
            "initiatives",
            "skills",
            "contact",
        ] {
            check(RESUME, cols, rows, section);
        }
    }
}

/// Wide characters (CJK, emoji) cover two cells each; combining marks stay on their letter.
#[test]
fn wide_and_combining_characters_keep_the_grid() {
    let _gate = crate::common::shared_blocking();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("resume.toml");
    std::fs::write(
        &path,
        r#"
[basics]
name = "山田太郎"
label = "バックエンドエンジニア"
tagline = "大規模分散システムの設計者 🚀 Café́ naïve résumé"
summary = "六年以上にわたりバックエンド基盤を設計してきました。"
email = "taro@example.com"

[about]
paragraphs = ["👨‍👩‍👧 家族向けサービスの基盤も担当。状態を持たないアーキテクチャへの移行を主導しました。é́"]

[contact]
heading = "一緒に作りましょう"
title = "連絡先"
message = "バックエンドとプラットフォームの仕事に関心があります。"
email_lead = "メールはこちら"
"#,
    )
    .expect("write resume");
    let path = path.to_str().expect("UTF-8 path");
    let svg = render_of(path, "svg", 80, 24, "about", "xterm-direct");
    assert!(svg.contains("山") && svg.contains("🚀"), "{svg}");
    for (cols, rows) in [(80, 24), (45, 30)] {
        check(path, cols, rows, "about");
    }
}

#[test]
fn colour_depths_and_ascii_terminals_render() {
    let _gate = crate::common::shared_blocking();
    for term in ["xterm-256color", "xterm", "vt100", "dumb"] {
        let svg = render("svg", 80, 24, "about", term);
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{term}: {e}"));
        let fills: BTreeSet<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.attribute("fill"))
            .collect();
        match term {
            "vt100" | "dumb" => {
                // No colour: every character in the default colour (or, reversed, the background).
                assert!(
                    fills.iter().all(|f| *f == DEFAULT_FG || *f == DEFAULT_BG),
                    "{term}: {fills:?}"
                );
                assert!(
                    !svg.contains("data-shapes"),
                    "{term}: ASCII borders are text"
                );
            }
            _ => assert!(fills.len() > 1, "{term}: {fills:?}"),
        }
    }
}
