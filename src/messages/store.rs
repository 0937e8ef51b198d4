//! The message store: one SQLite database in `--data-dir` (created 0700, the file 0600), in WAL
//! mode with `synchronous=FULL`, so a committed message survives a SIGKILL or a power cut. The
//! server writes only from its writer thread ([`super::writer`]); `inbox` opens the same file,
//! or a copy of it, from the command line.

use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use rusqlite::{Connection, OpenFlags, OptionalExtension as _, TransactionBehavior, params};
use serde::Serialize;

use super::limits::{Limits, Refusal, Submission};
use super::{id, schema};

/// How long a write waits for another writer (the delivery thread, an `inbox delete`).
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);
/// Duplicates (same address, same body) within this many milliseconds get the first reference.
const DUPLICATE_WINDOW_MS: i64 = 24 * 3600 * 1000;
const HOUR_MS: i64 = 3600 * 1000;

/// One stored message, as the inbox shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub id: String,
    /// RFC 3339, UTC (`2026-12-08T00:31:07Z`).
    pub received_at: String,
    pub from: String,
    pub body: String,
    pub read: bool,
}

/// What storing a submission gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub id: String,
    /// The same address sent the same text within a day: this is the first one's reference.
    pub duplicate: bool,
}

/// An open message database.
pub struct Store {
    pub(super) conn: Connection,
}

const SELECT: &str = "SELECT id, strftime('%Y-%m-%dT%H:%M:%SZ', received_at / 1000, 'unixepoch'),
    sender, body, read FROM messages";

fn row_message(r: &rusqlite::Row<'_>) -> rusqlite::Result<Message> {
    Ok(Message {
        id: r.get(0)?,
        received_at: r.get(1)?,
        from: r.get(2)?,
        body: r.get(3)?,
        read: r.get::<_, i64>(4)? != 0,
    })
}

impl Store {
    /// Opens (creating if needed) `dir/messages.db` for the server: the directory 0700, the
    /// file 0600, WAL with full sync, the schema migrated.
    pub fn open(dir: &Path) -> anyhow::Result<Store> {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
        // The directory may have come from a checkout (0755): messages are the owner's only.
        if let Ok(meta) = std::fs::metadata(dir)
            && meta.permissions().mode() & 0o077 != 0
        {
            let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
        }
        let path = dir.join(super::DB_FILE);
        // Created 0600 before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(&path)
            .with_context(|| format!("cannot create the message database {}", path.display()))?;
        Store::open_file(&path)
    }

    /// Opens an existing database file for reading and writing (the server, `inbox read` and
    /// `inbox delete`), migrating its schema.
    pub fn open_file(path: &Path) -> anyhow::Result<Store> {
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("cannot open the message database {}", path.display()))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        schema::migrate(&mut conn)
            .with_context(|| format!("cannot prepare the message database {}", path.display()))?;
        Ok(Store { conn })
    }

    /// Opens a database file read-only (a copy, or one on a read-only disk): first as a live
    /// database, then, if that is not possible, as an immutable file.
    pub fn open_read_only(path: &Path) -> anyhow::Result<Store> {
        if !path.is_file() {
            anyhow::bail!("no message database at {}", path.display());
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let live = Connection::open_with_flags(path, flags).and_then(|c| {
            schema::version(&c)?;
            c.query_row("SELECT count(*) FROM messages", [], |r| r.get::<_, i64>(0))?;
            Ok(c)
        });
        let conn = match live {
            Ok(c) => c,
            Err(_) => {
                let uri = format!("file:{}?immutable=1", uri_path(path));
                Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)
                    .with_context(|| format!("cannot read {}", path.display()))?
            }
        };
        let v = schema::version(&conn)?;
        if !(1..=schema::VERSION).contains(&v) {
            anyhow::bail!(
                "{} is not a message database this resume-ssh can read (schema version {v})",
                path.display()
            );
        }
        Ok(Store { conn })
    }

    /// Stores a submission from `addr` unless a limit says no, with one outbox row per notify
    /// target, all in one transaction committed before this returns.
    pub fn insert(
        &mut self,
        sub: &Submission,
        addr: &str,
        limits: &Limits,
        targets: &[String],
        now: i64,
    ) -> Result<Stored, Refusal> {
        self.try_insert(sub, addr, limits, targets, now)
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "cannot store a message");
                Err(Refusal::Failed)
            })
    }

    fn try_insert(
        &mut self,
        sub: &Submission,
        addr: &str,
        limits: &Limits,
        targets: &[String],
        now: i64,
    ) -> rusqlite::Result<Result<Stored, Refusal>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let duplicate: Option<String> = tx
            .query_row(
                "SELECT id FROM messages WHERE addr = ?1 AND body = ?2 AND received_at > ?3
                 ORDER BY received_at LIMIT 1",
                params![addr, sub.body, now - DUPLICATE_WINDOW_MS],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = duplicate {
            return Ok(Ok(Stored {
                id,
                duplicate: true,
            }));
        }
        let count = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> rusqlite::Result<i64> {
            tx.query_row(sql, p, |r| r.get(0))
        };
        let hour_ago = now - HOUR_MS;
        let from_addr = count(
            "SELECT count(*) FROM messages WHERE addr = ?1 AND received_at > ?2",
            &[&addr, &hour_ago],
        )?;
        if from_addr >= i64::from(limits.per_address_per_hour) {
            return Ok(Err(Refusal::AddressLimit));
        }
        let from_all = count(
            "SELECT count(*) FROM messages WHERE received_at > ?1",
            &[&hour_ago],
        )?;
        if from_all >= i64::from(limits.global_per_hour) {
            return Ok(Err(Refusal::GlobalLimit));
        }
        let (held, bytes): (i64, i64) = tx.query_row(
            "SELECT count(*), coalesce(sum(size), 0) FROM messages",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let size = i64::try_from(sub.size()).unwrap_or(i64::MAX);
        let max_bytes = i64::try_from(limits.max_bytes).unwrap_or(i64::MAX);
        let max_messages = i64::try_from(limits.max_messages).unwrap_or(i64::MAX);
        if held >= max_messages || bytes.saturating_add(size) > max_bytes {
            return Ok(Err(Refusal::Full));
        }
        let mut id = id::new_reference();
        let mut tries = 0;
        loop {
            let taken: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM messages WHERE id = ?1)",
                [&id],
                |r| r.get(0),
            )?;
            if !taken || tries >= 8 {
                break;
            }
            id = id::new_reference();
            tries += 1;
        }
        tx.execute(
            "INSERT INTO messages (id, received_at, sender, body, size, addr) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, now, sub.from, sub.body, size, addr],
        )?;
        for target in targets {
            tx.execute(
                "INSERT INTO outbox (message_id, target, created_at, next_at) VALUES (?1, ?2, ?3, ?3)",
                params![id, target, now],
            )?;
        }
        tx.commit()?;
        Ok(Ok(Stored {
            id,
            duplicate: false,
        }))
    }

    /// Every message, newest first.
    pub fn list(&self) -> anyhow::Result<Vec<Message>> {
        let mut stmt = self
            .conn
            .prepare(&format!("{SELECT} ORDER BY received_at DESC, rowid DESC"))?;
        let rows = stmt.query_map([], row_message)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One message by its reference.
    pub fn get(&self, reference: &str) -> anyhow::Result<Option<Message>> {
        Ok(self
            .conn
            .query_row(&format!("{SELECT} WHERE id = ?1"), [reference], row_message)
            .optional()?)
    }

    /// Marks a message read; false if there is none with this reference.
    pub fn mark_read(&self, reference: &str) -> anyhow::Result<bool> {
        let n = self
            .conn
            .execute("UPDATE messages SET read = 1 WHERE id = ?1", [reference])?;
        Ok(n > 0)
    }

    /// Deletes a message (and its outbox rows); false if there is none with this reference.
    pub fn delete(&self, reference: &str) -> anyhow::Result<bool> {
        let n = self
            .conn
            .execute("DELETE FROM messages WHERE id = ?1", [reference])?;
        Ok(n > 0)
    }
}

/// The path of `dir/messages.db`.
pub fn db_path(dir: &Path) -> PathBuf {
    dir.join(super::DB_FILE)
}

/// `path` for a `file:` URI: the characters a URI gives meaning to, percent-encoded.
fn uri_path(path: &Path) -> String {
    let mut s = String::new();
    for b in path.as_os_str().as_encoded_bytes() {
        match b {
            b'?' | b'#' | b'%' | 0x80.. => s.push_str(&format!("%{b:02X}")),
            _ => s.push(char::from(*b)),
        }
    }
    s
}

#[cfg(test)]
mod tests;
