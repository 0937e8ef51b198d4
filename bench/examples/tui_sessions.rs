//! The TUI part of N visits, in this process and on one thread, for profiling (callgrind, perf):
//! each visitor's first frame, then its `q` (and what the server does then). No SSH.
//!
//! ```text
//! cargo build --release --example tui_sessions -p resume-ssh-bench
//! valgrind --tool=callgrind target/release/examples/tui_sessions mixed 2000
//! valgrind --tool=callgrind target/release/examples/tui_sessions 200x60 200
//! ```
//!
//! `mixed`: visitors of the mixed workload (seed 1). `COLSxROWS`: every visitor that size with
//! xterm-256color, each with its own copy of the resume, so no per-thread cache ever hits (the
//! uncached path, wrapping included).

use std::path::Path;
use std::sync::Arc;

use resume_ssh::content::SectionId;
use resume_ssh::resume::Resume;
use resume_ssh::terminal::Size;
use resume_ssh::tui::Tui;
use resume_ssh::tui::theme::ClientEnv;
use resume_ssh_bench::workload;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_else(|| "mixed".into());
    let n: u64 = args.next().map_or(Ok(1000), |s| s.parse())?;
    let resume = Arc::new(Resume::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../resume.toml"
    )))?);
    let fixed = what
        .split_once('x')
        .and_then(|(c, r)| Some((c.parse::<u16>().ok()?, r.parse::<u16>().ok()?)));
    let mut out = Vec::with_capacity(64 * 1024);
    let mut bytes = 0usize;
    for i in 0..n {
        let (v, r) = match fixed {
            Some((cols, rows)) => (
                workload::Visitor {
                    cols,
                    rows,
                    term: "xterm-256color",
                    no_color: false,
                },
                Arc::new(Resume::clone(&resume)),
            ),
            None => (workload::mixed(1, i), Arc::clone(&resume)),
        };
        let caps = ClientEnv {
            term: Some(v.term.into()),
            no_color: v.no_color,
            ..ClientEnv::default()
        }
        .capabilities();
        let mut tui = Tui::new(SectionId::About, Size::new(v.cols, v.rows), caps);
        out.clear();
        tui.frame(&r, &mut out);
        tui.input(b"q", &r);
        // As the server's pump does: a visitor who quit gets the restore bytes, no frame.
        if !tui.wants_quit() {
            tui.frame(&r, &mut out);
        }
        tui.leave(&mut out);
        bytes += out.len();
    }
    eprintln!("{n} visits, {bytes} bytes");
    Ok(())
}
