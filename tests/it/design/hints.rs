//! The public command (`[site] ssh` in resume.toml) in every hint, `ssh <this host>` without
//! it; and the small ones: argument ranges, ASCII dashes on ASCII terminals, underlines only
//! on links under NO_COLOR.

use crate::common::{self, *};
use resume_ssh::resume::Resume;

const PUBLIC: &str = "ssh resume.example.com";

fn with_site() -> Resume {
    let text = shipped_text().replacen("[site]\n", &format!("[site]\nssh = \"{PUBLIC}\"\n"), 1);
    Resume::parse(&text, std::path::Path::new("resume.toml")).expect("the resume with [site]")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_hint_shows_the_public_command() {
    let _gate = common::shared().await;
    for (resume, ssh, scp) in [
        (with_site(), PUBLIC, "scp resume.example.com:resume.pdf ."),
        (
            shipped_resume(),
            "ssh <this host>",
            "scp <this host>:resume.pdf .",
        ),
    ] {
        let server = TestServer::with(resume, test_limits()).await;
        let client = server.connect().await;
        // `help`, and the list after an unknown command.
        let help = client.exec("help").await.text();
        assert!(
            help.contains(&format!("Commands ({ssh} COMMAND)")),
            "{help}"
        );
        assert!(help.contains(&format!("{ssh} pdf > resume.pdf")), "{help}");
        assert!(help.contains(scp), "{help}");
        assert!(!help.contains("HOST") && !help.contains('…'), "{help}");
        // The PDF hint on a terminal.
        let pty = Pty {
            term: "xterm-256color",
            cols: 80,
            rows: 24,
        };
        let pdf = client.run(Some(b"pdf"), Some(pty)).await;
        assert!(
            pdf.stderr_text()
                .contains(&format!("save it with: {ssh} pdf > resume.pdf")),
            "{}",
            pdf.stderr_text()
        );
        // The footer (where there is room for it) and the help overlay.
        let term = client
            .tui(TuiOpts {
                cols: 200,
                rows: 40,
                ..TuiOpts::default()
            })
            .await;
        term.first_frame().await;
        let footer = term.rows().last().cloned().unwrap_or_default();
        assert!(
            footer.contains(&format!("text version: {ssh} plain")),
            "{footer:?}"
        );
        term.send(b"?").await;
        term.wait_text("Help (").await;
        for cmd in ["plain", "pdf > resume.pdf", "help"] {
            let line = format!("{ssh} {cmd}");
            assert!(
                term.contents().contains(&line),
                "{line}\n{}",
                term.contents()
            );
        }
        assert!(!term.contents().contains('…'), "{}", term.contents());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_width_out_of_range_says_the_range() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;
    let out = client.exec("plain --width 20").await;
    assert_eq!(out.exit, Some(2));
    assert!(out.stdout.is_empty());
    let err = out.stderr_text();
    assert!(err.contains("width must be 40-200"), "{err}");
    assert!(!err.contains("unknown command"), "{err}");
    let out = client.exec("plain --width 200").await;
    assert_eq!(out.exit, Some(0), "{}", out.stderr_text());
}

/// The cells on screen whose character is not ASCII, and the rows of underlined text.
fn scan(term: &Term) -> (Vec<String>, Vec<String>) {
    let s = term.state.lock().unwrap();
    let screen = s.parser.screen();
    let (rows, cols) = screen.size();
    let (mut wide, mut underlined) = (Vec::new(), Vec::new());
    for y in 0..rows.get() {
        let mut under = String::new();
        for x in 0..cols.get() {
            let Some(c) = screen.cell(y, x) else { continue };
            if !c.contents().is_ascii() {
                wide.push(c.contents().to_owned());
            }
            if c.underline() {
                under.push_str(c.contents());
            } else if !under.ends_with(' ') && !under.is_empty() {
                under.push(' ');
            }
        }
        if !under.trim().is_empty() {
            underlined.push(under.trim().to_owned());
        }
    }
    (wide, underlined)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ascii_terminals_get_ascii_dashes_and_no_colour_underlines_only_links() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;
    // vt100: ASCII borders and ASCII text (the summary's em dash is "--").
    let term = client
        .tui(TuiOpts {
            term: "vt100",
            cols: 100,
            rows: 30,
            ..TuiOpts::default()
        })
        .await;
    term.first_frame().await;
    let (wide, _) = scan(&term);
    assert!(wide.is_empty(), "non-ASCII on a vt100: {wide:?}");
    assert!(
        term.contents().contains("matter--designing"),
        "{}",
        term.contents()
    );
    // NO_COLOR: on Experience, the company is not underlined; the e-mail (a link) may be.
    let term = client
        .tui(TuiOpts {
            env: &[("NO_COLOR", "1")],
            cols: 100,
            rows: 30,
            exec: Some("experience"),
            ..TuiOpts::default()
        })
        .await;
    term.wait_text("SaaS Labs").await;
    term.settle(std::time::Duration::from_millis(150)).await;
    let (_, underlined) = scan(&term);
    for u in &underlined {
        assert!(
            u.contains('@') || u.starts_with("http"),
            "underlined but not a link: {u:?}\n{}",
            term.contents()
        );
    }
}

/// `serve --public-command` sets the command over resume.toml's (the shipped one has none), and
/// is checked like `[site] ssh`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_serve_flag_sets_the_public_command() {
    let _gate = common::shared().await;
    let served = crate::listen::serve(&["127.0.0.1:0"], &["--public-command", PUBLIC]);
    let client = common::connect(served.addrs[0]).await;
    let help = client.exec("help").await.text();
    assert!(
        help.contains(&format!("{PUBLIC} pdf > resume.pdf")),
        "{help}"
    );
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_resume-ssh"))
        .args(["serve", "--public-command", "resume.example.com"])
        .env_remove("RESUME_SSH_PUBLIC_COMMAND")
        .output()
        .expect("run resume-ssh");
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("must start with 'ssh '"), "{err}");
}
