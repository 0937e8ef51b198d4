//! The resume's files as a read-only virtual directory (`/` and the home `.` are one): each file
//! holds the same bytes as its exec command (`pdf`, `pdf --paper letter`, `json`, `vcard`, `md`,
//! `plain`), taken from the current resume version. Shared by the SFTP subsystem (`sftp`) and the
//! legacy scp protocol (`scp`).

use bytes::Bytes;

use crate::commands::Command;
use crate::export::pdf::Paper;
use crate::export::plain;
use crate::shared::Shared;

/// The directory's files, in listing order.
pub const NAMES: [&str; 6] = [
    "resume.pdf",
    "resume-letter.pdf",
    "resume.json",
    "resume.vcf",
    "resume.md",
    "resume.txt",
];

/// Why every write, remove, rename, mkdir and the like is refused.
pub const READ_ONLY: &str = "read-only: this server only serves the resume files";

/// The message for a name that is not one of [`NAMES`].
pub fn no_such_file() -> String {
    format!("no such file; available: {}", NAMES.join(", "))
}

/// The message for an upload (scp's sink mode).
pub fn uploads_refused() -> String {
    format!(
        "read-only: uploads are refused; available: {}",
        NAMES.join(", ")
    )
}

/// The exec command whose output a file holds.
fn command(name: &str) -> Option<Command> {
    Some(match name {
        "resume.pdf" => Command::Pdf(Paper::A4),
        "resume-letter.pdf" => Command::Pdf(Paper::Letter),
        "resume.json" => Command::Json,
        "resume.vcf" => Command::Vcard,
        "resume.md" => Command::Markdown,
        "resume.txt" => Command::Plain {
            width: plain::DEFAULT_WIDTH,
        },
        _ => return None,
    })
}

/// The bytes of file `name` now (the exec command's reply, the same shared buffer), or why there
/// are none. May wait for the PDF's first generation.
pub fn content(shared: &Shared, name: &str) -> Result<Bytes, String> {
    let cmd = command(name).ok_or_else(no_such_file)?;
    let reply = shared.documents().reply(&cmd, false);
    if reply.exit == 0 {
        return Ok(reply.stdout);
    }
    let why = String::from_utf8_lossy(&reply.stderr[0]);
    Err(why.trim_end().to_owned())
}

/// What a client's path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Path {
    /// The directory (`/`, `.`, `~`, `/..`, empty).
    Root,
    /// One of [`NAMES`].
    File(&'static str),
    /// Some other name directly in the directory (a file that does not exist).
    Missing(String),
    /// Deeper than the directory: nothing is there.
    Nowhere,
}

/// Resolves `path` lexically: `/`, `.`, a leading `~` and `..` at the top are the directory.
pub fn resolve(path: &str) -> Path {
    let mut parts: Vec<&str> = Vec::new();
    for (i, part) in path.split('/').enumerate() {
        match part {
            "" | "." => {}
            "~" if i == 0 => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    match parts.as_slice() {
        [] => Path::Root,
        [name] => match NAMES.iter().find(|n| *n == name) {
            Some(n) => Path::File(n),
            None => Path::Missing((*name).to_owned()),
        },
        _ => Path::Nowhere,
    }
}

/// Every file's bytes at one moment, so one session sees consistent sizes and contents.
pub struct Snapshot {
    pub files: Vec<(&'static str, Bytes)>,
    /// Seconds since the epoch: when the snapshot was taken (the files' mtime).
    pub mtime: u32,
}

impl Snapshot {
    /// Takes the current resume version's files (a PDF that cannot be generated is left out).
    pub fn take(shared: &Shared) -> Snapshot {
        let files = NAMES
            .iter()
            .filter_map(|n| content(shared, n).ok().map(|b| (*n, b)))
            .collect();
        let mtime = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| u32::try_from(d.as_secs()).unwrap_or(u32::MAX))
            .unwrap_or(0);
        Snapshot { files, mtime }
    }

    /// The bytes of `name`, if the snapshot has it.
    pub fn get(&self, name: &str) -> Option<&Bytes> {
        self.files.iter().find(|(n, _)| *n == name).map(|(_, b)| b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_lexically() {
        for root in ["", "/", ".", "./", "~", "~/", "/..", "/./.", "a/.."] {
            assert_eq!(resolve(root), Path::Root, "{root:?}");
        }
        for p in [
            "resume.pdf",
            "/resume.pdf",
            "./resume.pdf",
            "~/resume.pdf",
            "/x/../resume.pdf",
        ] {
            assert_eq!(resolve(p), Path::File("resume.pdf"), "{p:?}");
        }
        assert_eq!(resolve("/etc"), Path::Missing("etc".to_owned()));
        assert_eq!(resolve("/etc/passwd"), Path::Nowhere);
        assert_eq!(resolve("a/~"), Path::Nowhere);
    }

    #[test]
    fn messages_name_every_file() {
        for n in NAMES {
            assert!(no_such_file().contains(n));
            assert!(uploads_refused().contains(n));
        }
    }
}
