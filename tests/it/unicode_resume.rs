//! A resume written in Japanese, with emoji and combining characters: every screen fits its
//! terminal in display columns, nothing is cut silently (text wraps, a title that cannot wrap
//! ends with an ellipsis), and `render --format text` prints what a terminal shows.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use ratatui::buffer::Buffer;
use resume_ssh::content::SectionId;
use resume_ssh::render::{self, Options};
use resume_ssh::resume::Resume;
use resume_ssh::terminal::Size;
use resume_ssh::tui::app::App;
use resume_ssh::tui::layout;
use resume_ssh::tui::theme::{ClientEnv, Theme};
use resume_ssh::tui::view::{self, ViewCtx};
use unicode_width::UnicodeWidthStr;

/// A long title without spaces: 36 wide characters, 72 columns.
const TITLE: &str = "分散型連絡先管理システムの大規模設計と運用における信頼性向上の取り組み";
/// A title too long for the header line at 45 columns.
const LABEL: &str = "バックエンドプラットフォームエンジニアリング責任者";
const NAME: &str = "山田太郎";

fn resume_toml() -> String {
    format!(
        r#"
[basics]
name = "{NAME}"
label = "{LABEL}"
tagline = "大規模分散システムの設計者。運用の信頼性とチームの実行力を重視し、毎日数十億件の処理を支えるプラットフォームを作っています。"
summary = "六年以上にわたりバックエンド基盤を設計してきました 🚀 Café\u0301 naïve résumé — 東京と大阪のチームを率いています。"
email = "taro@example.com"

[about]
paragraphs = ["👨‍👩‍👧 家族向けサービスの基盤も担当。状態を持たないアーキテクチャへの移行を五十以上のサービスで主導し、稼働率九九・九％を維持しました。"]

[[work]]
position = "{TITLE}"
name = "株式会社サンプル"
startDate = "2023-10"
highlights = ["連絡先管理システムを設計し、数十億件のエンティティをミリ秒未満で検索できるようにしました。", "Mixed text: 日本語 and English, with emoji 🎉🎉🎉 and e\u0301\u0301."]

[[projects]]
name = "{TITLE}"
challenge = "数千の顧客のために数十億の連絡先を管理する分散システムを設計し運用すること。"
solution = "PostgreSQL の索引戦略、Redis のキャッシュ層、Kafka によるイベント駆動の更新。"
impact = {{ figure = "数十億件", label = "管理している連絡先の数とその内訳の長いラベル", detail = "同時利用者一万人以上でも遅延はミリ秒未満。" }}

[contact]
heading = "一緒に作りましょう"
title = "{TITLE}"
message = "バックエンドとプラットフォームの仕事に関心があります。"
email_lead = "メールはこちら"
"#
    )
}

fn resume() -> Resume {
    Resume::parse(&resume_toml(), Path::new("unicode.toml")).expect("the test resume parses")
}

fn opts(cols: u16, rows: u16, tab: SectionId) -> Options {
    Options {
        size: Size::new(cols, rows),
        tab,
        term: "xterm-256color".into(),
        help: false,
    }
}

/// The characters of a screen without spaces, borders and scrollbars (U+2500 to U+25FF), so
/// wrapped text reads on.
fn letters(screen: &str) -> String {
    screen
        .chars()
        .filter(|c| !c.is_whitespace() && !('\u{2500}'..='\u{25ff}').contains(c))
        .collect()
}

#[test]
fn render_text_prints_wide_characters_as_a_terminal_does() {
    let _gate = crate::common::shared_blocking();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("unicode.toml");
    std::fs::write(&path, resume_toml()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_resume-ssh"))
        .args(["render", "--width", "45", "--height", "30"])
        .args(["--section", "case-studies", "--resume"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 30, "{text}");
    for l in text.lines() {
        assert!(l.width() <= 45, "wider than 45 ({}): {l:?}", l.width());
    }
    // No blank printed after a wide character: the name reads as written.
    assert!(text.contains(NAME), "{text}");
    assert!(!text.contains("山 田"), "{text}");
    // The long title is wrapped, whole, onto lines of the body.
    assert!(letters(&text).contains(TITLE), "title cut:\n{text}");
}

#[test]
fn every_size_fits_in_display_columns_and_titles_are_not_cut() {
    let _gate = crate::common::shared_blocking();
    let r = resume();
    for cols in [40u16, 41, 45, 52, 60, 80, 119, 120, 200] {
        for rows in [12u16, 16, 24, 30, 40] {
            for tab in SectionId::ALL {
                let bytes = render::text(&r, &opts(cols, rows, tab));
                let text = String::from_utf8(bytes).unwrap();
                for l in text.lines() {
                    assert!(
                        l.width() <= usize::from(cols),
                        "{cols}x{rows} {tab:?}: {l:?}"
                    );
                }
                // The name shows; the title shows whole (on a line or wrapped in the rail) or
                // ends with an ellipsis.
                assert!(text.contains(NAME), "{cols}x{rows}: {text}");
                let head: String = LABEL.chars().take(3).collect();
                // Wide screens: the title is in the rail, the left columns.
                let rail: String = text
                    .lines()
                    .map(|l| {
                        let mut w = 0;
                        l.chars()
                            .take_while(|c| {
                                w += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
                                w <= usize::from(layout::rail_width(Size::new(cols, rows)))
                            })
                            .collect::<String>()
                    })
                    .collect();
                assert!(
                    letters(&text).contains(LABEL)
                        || cols >= layout::WIDE_COLS && letters(&rail).contains(LABEL)
                        || text
                            .lines()
                            .any(|l| l.contains(&head) && l.trim_end().ends_with('…')),
                    "{cols}x{rows}: title cut: {text}"
                );
                // Tall enough for the title to be on the first screen of these tabs.
                if rows >= 24 && matches!(tab, SectionId::Experience | SectionId::CaseStudies) {
                    assert!(
                        letters(&text).contains(TITLE),
                        "{cols}x{rows} {tab:?}:\n{text}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_tagline_that_needs_more_lines_than_it_has_ends_with_an_ellipsis() {
    let _gate = crate::common::shared_blocking();
    let r = resume();
    // 60 columns: the tagline takes more than the two header lines it is given at 30 rows.
    let text = String::from_utf8(render::text(&r, &opts(60, 30, SectionId::About))).unwrap();
    let tagline: Vec<&str> = text.lines().skip(1).take(2).collect();
    assert!(tagline[0].trim().starts_with("大規模"), "{text}");
    assert!(tagline[1].trim_end().ends_with('…'), "{text}");
    assert!(tagline[1].width() <= 60);
    // 45 columns: a two-line header, and the whole tagline opens About instead.
    let text = String::from_utf8(render::text(&r, &opts(45, 30, SectionId::About))).unwrap();
    let tagline = r.basics.tagline.to_string();
    assert!(letters(&text).contains(&letters(&tagline)), "{text}");
}

/// Every wrapped line of every tab, scrolled through, is drawn whole: the view cuts nothing.
#[test]
fn scrolling_through_every_tab_shows_every_line_whole() {
    let _gate = crate::common::shared_blocking();
    let r = Arc::new(resume());
    let caps = ClientEnv {
        term: Some("xterm-256color".into()),
        ..ClientEnv::default()
    }
    .capabilities();
    let theme = Theme::new(caps, false, &r.theme);
    let ctx = ViewCtx {
        resume: &r,
        theme: &theme,
        unicode: caps.unicode,
    };
    for (cols, rows) in [(40u16, 12u16), (45, 30), (80, 24), (200, 60)] {
        let size = Size::new(cols, rows);
        for tab in SectionId::ALL {
            let lines = layout::body_lines(size, &r, caps.unicode, tab);
            let max = layout::max_scroll(size, &r, caps.unicode, tab);
            let mut seen = String::new();
            for offset in 0..=max {
                let mut app = App::new(tab, size);
                app.scroll[tab.index()] = offset;
                let mut buf = Buffer::empty(size.rect());
                view::render(&app, &ctx, &mut buf);
                for y in 0..rows {
                    seen.push_str(&render::row_text(&buf, y));
                    seen.push('\n');
                }
            }
            for l in lines.iter() {
                assert!(l.text.width() <= layout::text_width(size), "{l:?}");
                assert!(
                    seen.contains(l.text.trim()),
                    "{cols}x{rows} {tab:?}: {:?}",
                    l.text
                );
            }
        }
    }
}

#[test]
fn a_sweep_of_sizes_never_panics_and_always_fits() {
    let _gate = crate::common::shared_blocking();
    let r = resume();
    for cols in (1u16..=400).step_by(37).chain([1, 39, 40, 45, 400]) {
        for rows in (1u16..=200).step_by(19).chain([1, 11, 12, 200]) {
            for tab in [SectionId::About, SectionId::CaseStudies, SectionId::Contact] {
                for help in [false, true] {
                    let mut o = opts(cols, rows, tab);
                    o.help = help;
                    let text = String::from_utf8(render::text(&r, &o)).unwrap();
                    assert_eq!(text.lines().count(), usize::from(rows));
                    for l in text.lines() {
                        assert!(l.width() <= usize::from(cols), "{cols}x{rows}: {l:?}");
                    }
                }
            }
        }
    }
}
