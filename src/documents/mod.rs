//! Documents generated once per resume version (the PDF, A4 and US Letter, and every exec
//! command's reply) and served from memory, one shared buffer for every channel.
//!
//! PDF generation starts on a background thread as soon as a version is set, so neither start-up
//! nor a reload waits for it; a request that arrives before it is done waits for that one
//! generation. The text replies are made on first request.

use std::sync::{Arc, OnceLock};

use bytes::Bytes;

use crate::commands::Command;
use crate::export::pdf::{self, Paper};
use crate::resume::Resume;
pub mod replies;

use crate::terminal::{DEFAULT_SIZE, Size};
use replies::{Replies, Reply};

type Doc = Result<Bytes, String>;

/// The generated documents of one resume version.
pub struct Documents {
    resume: Arc<Resume>,
    a4: OnceLock<Doc>,
    letter: OnceLock<Doc>,
    replies: Replies,
}

impl Documents {
    /// Starts generating the documents of `resume` in the background.
    pub fn new(resume: Arc<Resume>) -> Arc<Documents> {
        let docs = Arc::new(Documents {
            resume,
            a4: OnceLock::new(),
            letter: OnceLock::new(),
            replies: Replies::default(),
        });
        let bg = Arc::clone(&docs);
        let spawned = std::thread::Builder::new()
            .name("pdf-render".into())
            .spawn(move || {
                bg.pdf(Paper::A4).ok();
                bg.pdf(Paper::Letter).ok();
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "cannot start the PDF thread; rendering on first request");
        }
        docs
    }

    /// What the exec command `cmd` sends back (with a PTY or not), made at most once for this
    /// version (`plain --width N`: see [`replies::MAX_WIDTHS`]).
    pub fn reply(&self, cmd: &Command, pty: bool) -> Reply {
        self.reply_in(cmd, pty.then_some(DEFAULT_SIZE))
    }

    /// What `cmd` sends back on a channel with a PTY of size `window`, or none (`qr` fits the
    /// window: one reply per size class).
    pub fn reply_in(&self, cmd: &Command, window: Option<Size>) -> Reply {
        match cmd {
            Command::Pdf(paper) => {
                Reply::pdf(window.is_some(), &self.resume.site, || self.pdf(*paper))
            }
            _ => self.replies.get_in(cmd, window, &self.resume),
        }
    }

    /// The PDF on `paper` (generated at most once), or why there is none.
    pub fn pdf(&self, paper: Paper) -> Doc {
        let cell = match paper {
            Paper::A4 => &self.a4,
            Paper::Letter => &self.letter,
        };
        cell.get_or_init(|| {
            let started = std::time::Instant::now();
            // A panic inside the PDF code must not take the server down: it becomes an error.
            let r = std::panic::catch_unwind(|| pdf::render(&self.resume, paper));
            let doc = match r {
                Ok(Ok(bytes)) => Ok(Bytes::from(bytes)),
                Ok(Err(e)) => Err(format!("{e:#}")),
                Err(_) => Err("the PDF renderer failed".to_owned()),
            };
            match &doc {
                Ok(b) => tracing::info!(
                    ?paper,
                    bytes = b.len(),
                    ms = started.elapsed().as_millis() as u64,
                    "PDF generated"
                ),
                Err(e) => tracing::warn!(?paper, error = %e, "PDF not generated"),
            }
            doc
        })
        .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn generated_once_and_shared() {
        let r = Resume::parse(include_str!("../../resume.toml"), Path::new("resume.toml")).unwrap();
        let docs = Documents::new(Arc::new(r));
        let a = docs.pdf(Paper::A4).unwrap();
        let b = docs.pdf(Paper::A4).unwrap();
        // The same buffer both times: served from memory, not rendered again.
        assert_eq!(a.as_ptr(), b.as_ptr());
        let letter = docs.pdf(Paper::Letter).unwrap();
        assert_ne!(a, letter);
    }

    #[test]
    fn a_new_resume_version_gets_a_new_pdf() {
        use crate::shared::Shared;
        let text = include_str!("../../resume.toml");
        let r = Resume::parse(text, Path::new("resume.toml")).unwrap();
        let shared = Shared::new(r, crate::config::Limits::default());
        let before = shared.documents().pdf(Paper::A4).unwrap();
        let edited = text.replacen("Arunav Malhotra", "Arunav Q. Malhotra", 1);
        shared.set_resume(Resume::parse(&edited, Path::new("resume.toml")).unwrap());
        let after = shared.documents().pdf(Paper::A4).unwrap();
        assert_ne!(before, after);
        let title = |pdf: &[u8]| String::from_utf8_lossy(pdf).contains("Arunav Q. Malhotra");
        assert!(!title(&before));
        // The title is in the (uncompressed) XMP metadata of the new version only.
        assert!(title(&after));
    }

    #[test]
    fn replies_are_per_version_and_shared_within_one() {
        use crate::shared::Shared;
        let text = include_str!("../../resume.toml");
        let r = Resume::parse(text, Path::new("resume.toml")).unwrap();
        let shared = Shared::new(r, crate::config::Limits::default());
        let docs = shared.documents();
        let pdf = docs.reply(&Command::Pdf(Paper::A4), false);
        assert_eq!(pdf.stdout.as_ptr(), docs.pdf(Paper::A4).unwrap().as_ptr());
        let qr = Command::Qr { colour: true };
        let before = docs.reply(&qr, false);
        assert_eq!(
            before.stdout.as_ptr(),
            docs.reply(&qr, false).stdout.as_ptr()
        );
        let edited = text.replacen("arunavmalhotra1998@gmail.com", "a.m@example.com", 1);
        shared.set_resume(Resume::parse(&edited, Path::new("resume.toml")).unwrap());
        let after = shared.documents().reply(&qr, false);
        assert_ne!(before.stdout, after.stdout);
        let json = shared.documents().reply(&Command::Json, false).stdout;
        assert!(String::from_utf8_lossy(&json).contains("a.m@example.com"));
    }
}
