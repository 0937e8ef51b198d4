//! `resume-ssh preview`: the same TUI in the local terminal, for editing resume.toml.
//!
//! Uses the very same [`Tui`] (parser, app, view, diff) as SSH sessions, with the local tty as the
//! client: crossterm only switches raw mode and reads the size. The file is re-read when it
//! changes; the terminal is restored on quit, on Ctrl-C (a key in raw mode) and on panic.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::{Duration, SystemTime};

use crate::content::SectionId;
use crate::resume::Resume;
use crate::terminal::{self, Size};
use crate::tui::Tui;
use crate::tui::theme::ClientEnv;

/// Puts the terminal back however the preview ends.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        restore();
    }
}

fn restore() {
    let mut out = std::io::stdout();
    let _ = out.write_all(terminal::LEAVE);
    let _ = out.flush();
    let _ = crossterm::terminal::disable_raw_mode();
}

fn local_env() -> ClientEnv {
    let var = |k: &str| std::env::var(k).ok();
    ClientEnv {
        term: var("TERM"),
        colorterm: var("COLORTERM"),
        no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        lc_all: var("LC_ALL"),
        lc_ctype: var("LC_CTYPE"),
        lang: var("LANG"),
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Runs the preview until the user quits.
pub fn run(path: &Path, tab: SectionId) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    anyhow::ensure!(
        std::io::stdin().is_terminal() && std::io::stdout().is_terminal(),
        "preview needs a terminal (use `resume-ssh render` to print a frame)"
    );
    let mut resume = Arc::new(Resume::load(path)?);
    let mut stamp = modified(path);
    let size = || {
        crossterm::terminal::size()
            .map(|(c, r)| Size::new(c, r))
            .unwrap_or(terminal::DEFAULT_SIZE)
    };
    let mut tui = Tui::new(tab, size(), local_env().capabilities());

    crossterm::terminal::enable_raw_mode()?;
    let _restore = Restore;
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));

    let (tx, rx) = channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin();
        let mut buf = [0u8; 1024];
        while let Ok(n) = stdin.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });

    let mut stdout = std::io::stdout();
    loop {
        let mut out = Vec::new();
        tui.frame(&resume, &mut out);
        stdout.write_all(&out)?;
        stdout.flush()?;
        if tui.wants_quit() {
            break;
        }
        match rx.recv_timeout(Duration::from_millis(150)) {
            Ok(bytes) => tui.input(&bytes, &resume),
            Err(RecvTimeoutError::Timeout) => {
                if tui.input_pending() {
                    tui.flush_input(&resume);
                }
            }
            Err(RecvTimeoutError::Disconnected) => break,
        }
        let now = size();
        if now != tui.app().size {
            tui.resize(now);
        }
        let m = modified(path);
        if m != stamp {
            stamp = m;
            // A bad or half-saved file keeps the last good version on screen.
            if let Ok(new) = Resume::load(path) {
                resume = Arc::new(new);
                tui.reload(&resume);
            }
        }
    }
    Ok(())
}
