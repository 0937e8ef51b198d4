//! The server's Ed25519 host key: load it, or create it once (0600 in a 0700 directory).
//!
//! An existing file is never overwritten: if it cannot be read or parsed, start-up fails with a
//! message and the file stays as it was. A new key is written to a temporary file and linked into
//! place, so a crash never leaves half a key and two racing starts agree on one key.

use std::io::Write as _;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use russh::keys::ssh_key::LineEnding;
use russh::keys::ssh_key::private::{Ed25519Keypair, KeypairData};
use russh::keys::{Algorithm, HashAlg, PrivateKey};

/// Why the host key could not be had.
#[derive(Debug, thiserror::Error)]
pub enum HostKeyError {
    #[error(
        "host key {path}: cannot read it: {source}. Refusing to start; the file was left untouched"
    )]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "host key {path}: not a valid unencrypted OpenSSH private key ({detail}). Refusing to start; \
         the file was left untouched. Restore it from a backup, or move it away to create a new one \
         (returning visitors will then see a host-key warning)"
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error("host key {path}: is a {algorithm} key; resume-ssh serves Ed25519 keys only")]
    WrongAlgorithm { path: PathBuf, algorithm: String },
    #[error("host key {path}: cannot create it: {source}")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// How the key was obtained, for the start-up message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Loaded,
    Created,
}

/// Loads the key at `path`, creating it if (and only if) no file exists there.
pub fn load_or_create(path: &Path) -> Result<(PrivateKey, Origin), HostKeyError> {
    match std::fs::symlink_metadata(path) {
        Ok(_) => load(path).map(|k| (k, Origin::Loaded)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => match create(path) {
            Ok(k) => Ok((k, Origin::Created)),
            // Another process created it first: use theirs.
            Err(HostKeyError::Create { source, .. })
                if source.kind() == std::io::ErrorKind::AlreadyExists =>
            {
                load(path).map(|k| (k, Origin::Loaded))
            }
            Err(e) => Err(e),
        },
        Err(source) => Err(HostKeyError::Unreadable {
            path: path.to_owned(),
            source,
        }),
    }
}

/// Loads an existing key.
pub fn load(path: &Path) -> Result<PrivateKey, HostKeyError> {
    let text = std::fs::read(path).map_err(|source| HostKeyError::Unreadable {
        path: path.to_owned(),
        source,
    })?;
    let key = PrivateKey::from_openssh(&text).map_err(|e| HostKeyError::Corrupt {
        path: path.to_owned(),
        detail: e.to_string(),
    })?;
    if key.is_encrypted() {
        return Err(HostKeyError::Corrupt {
            path: path.to_owned(),
            detail: "it is encrypted with a passphrase".into(),
        });
    }
    if key.algorithm() != Algorithm::Ed25519 {
        return Err(HostKeyError::WrongAlgorithm {
            path: path.to_owned(),
            algorithm: key.algorithm().to_string(),
        });
    }
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(
            path = %path.display(),
            "host key is readable by group or others; chmod 600 it"
        );
    }
    Ok(key)
}

fn create(path: &Path) -> Result<PrivateKey, HostKeyError> {
    let err = |source| HostKeyError::Create {
        path: path.to_owned(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(err)?;
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| err(std::io::Error::other(e.to_string())))?;
    let key = PrivateKey::new(
        KeypairData::Ed25519(Ed25519Keypair::from_seed(&seed)),
        "resume-ssh host key",
    )
    .map_err(|e| err(std::io::Error::other(e.to_string())))?;
    let pem = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| err(std::io::Error::other(e.to_string())))?;
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("key"),
        std::process::id()
    ));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(pem.as_bytes())?;
        f.sync_all()?;
        // Fails with AlreadyExists if someone else won the race: never replaces a key.
        std::fs::hard_link(&tmp, path)
    })();
    let _ = std::fs::remove_file(&tmp);
    result.map_err(err)?;
    Ok(key)
}

/// `SHA256:…` as OpenSSH prints it.
pub fn fingerprint(key: &PrivateKey) -> String {
    key.public_key().fingerprint(HashAlg::Sha256).to_string()
}

/// The SSHFP DNS record (RFC 4255/7479: algorithm 4 = Ed25519, type 2 = SHA-256) for `name`.
pub fn sshfp(key: &PrivateKey, name: &str) -> String {
    let fp = key.public_key().fingerprint(HashAlg::Sha256);
    let hex: String = fp.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
    format!("{name}. IN SSHFP 4 2 {hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_once_then_loads_the_same_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/ssh_host_ed25519_key");
        let (a, origin) = load_or_create(&path).unwrap();
        assert_eq!(origin, Origin::Created);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let dmode = std::fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(dmode & 0o777, 0o700);
        let (b, origin) = load_or_create(&path).unwrap();
        assert_eq!(origin, Origin::Loaded);
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert!(fingerprint(&a).starts_with("SHA256:"));
        // No temporary files are left behind.
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1
        );
    }

    #[test]
    fn corrupt_key_is_an_error_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ssh_host_ed25519_key");
        // A PEM header with garbage after it (built so no key-shaped literal is in the source).
        let junk = format!("-----BEGIN OPENSSH {}-----\ngarbage\n", "PRIVATE KEY");
        std::fs::write(&path, junk).unwrap();
        let before = std::fs::read(&path).unwrap();
        let e = load_or_create(&path).unwrap_err();
        assert!(matches!(e, HostKeyError::Corrupt { .. }), "{e}");
        assert!(e.to_string().contains("left untouched"));
        assert_eq!(std::fs::read(&path).unwrap(), before);
        // An empty file too.
        std::fs::write(&path, b"").unwrap();
        assert!(load_or_create(&path).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"");
    }

    #[test]
    fn sshfp_record_shape() {
        let dir = tempfile::tempdir().unwrap();
        let (k, _) = load_or_create(&dir.path().join("k")).unwrap();
        let rec = sshfp(&k, "resume.example.com");
        assert!(rec.starts_with("resume.example.com. IN SSHFP 4 2 "));
        assert_eq!(rec.rsplit(' ').next().unwrap().len(), 64);
    }
}
