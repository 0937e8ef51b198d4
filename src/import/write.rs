//! Writing the imported `resume.toml`: to standard output, or to a file that must not exist
//! yet (unless forced). The file is written next to its final name and renamed into place, so
//! an existing file is replaced whole or not at all.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Where the TOML goes.
#[derive(Debug, Clone)]
pub enum Output {
    Stdout,
    File { path: PathBuf, force: bool },
}

/// Writes `text` to `out`.
pub fn write_output(text: &str, out: &Output) -> anyhow::Result<()> {
    match out {
        Output::Stdout => {
            let mut o = std::io::stdout().lock();
            o.write_all(text.as_bytes())?;
            o.flush()?;
            Ok(())
        }
        Output::File { path, force } => write_file(text, path, *force),
    }
}

fn write_file(text: &str, path: &Path, force: bool) -> anyhow::Result<()> {
    use anyhow::Context as _;
    if !force && path.symlink_metadata().is_ok() {
        anyhow::bail!(
            "{} already exists; not overwritten (pass --force to replace it)",
            path.display()
        );
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    // Readable by the service's user, like a resume.toml written by hand (a temp file is 0600).
    let mode = std::os::unix::fs::PermissionsExt::from_mode(0o644);
    tmp.write_all(text.as_bytes())
        .and_then(|_| tmp.as_file().set_permissions(mode))
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", tmp.path().display()))?;
    if force {
        tmp.persist(path)
            .map_err(|e| e.error)
            .with_context(|| format!("cannot write {}", path.display()))?;
    } else {
        // Fails if the file appeared meanwhile: still nothing is overwritten.
        tmp.persist_noclobber(path)
            .map_err(|e| e.error)
            .with_context(|| format!("cannot write {} (does it exist now?)", path.display()))?;
    }
    Ok(())
}
