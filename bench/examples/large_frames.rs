//! What a frame costs at the largest size (400×200) while a visitor types in the search line,
//! with the scratch frames reused from the process's pool of large frames and with them freed
//! after every frame (as before the pool), side by side in one run: CPU time and minor page
//! faults per frame.
//!
//! ```text
//! cargo run --release --example large_frames -p resume-ssh-bench [FRAMES]
//! ```

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use resume_ssh::content::SectionId;
use resume_ssh::resume::Resume;
use resume_ssh::terminal::Size;
use resume_ssh::tui::Tui;
use resume_ssh::tui::frames;
use resume_ssh::tui::theme::ClientEnv;

/// This process's minor page faults so far (/proc/self/stat field 10).
fn minor_faults() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rfind(')').map_or("", |i| &stat[i + 2..]);
    rest.split_whitespace()
        .nth(7)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Draws `n` frames of search typing (`e`, Backspace, …); `keep` false frees the large frames
/// after each one. Returns (time, faults) per frame.
fn run(resume: &Arc<Resume>, n: u32, keep: bool) -> (Duration, f64) {
    let env = ClientEnv {
        term: Some("xterm-256color".into()),
        ..ClientEnv::default()
    };
    let mut tui = Tui::new(
        SectionId::Experience,
        Size::new(400, 200),
        env.capabilities(),
    );
    let mut out = Vec::new();
    tui.frame(resume, &mut out);
    tui.input(b"/", resume);
    tui.frame(resume, &mut out);
    let (t0, f0) = (Instant::now(), minor_faults());
    for i in 0..n {
        tui.input(if i % 2 == 0 { b"e" } else { b"\x7f" }, resume);
        out.clear();
        tui.frame(resume, &mut out);
        if !keep {
            frames::trim_large(Instant::now() + frames::LARGE_IDLE);
        }
    }
    let faults = (minor_faults() - f0) as f64 / f64::from(n);
    (t0.elapsed() / n, faults)
}

fn main() -> anyhow::Result<()> {
    let n: u32 = std::env::args().nth(1).map_or(Ok(200), |s| s.parse())?;
    let resume = Arc::new(Resume::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../resume.toml"
    )))?);
    // Alternate, so drift on a shared machine hits both the same.
    let (mut kept, mut freed) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        kept.push(run(&resume, n, true));
        freed.push(run(&resume, n, false));
    }
    for (name, v) in [("pool (kept)", &kept), ("freed each frame", &freed)] {
        let ms: Vec<f64> = v.iter().map(|(d, _)| d.as_secs_f64() * 1000.0).collect();
        let faults: Vec<f64> = v.iter().map(|(_, f)| *f).collect();
        println!(
            "400x200 search typing, {name}: {ms:.2?} ms/frame, {faults:.0?} minor faults/frame"
        );
    }
    Ok(())
}
