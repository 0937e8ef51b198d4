//! The database's schema, versioned with `PRAGMA user_version`: each migration runs once, in its
//! own transaction, when a store opens a database older than this build. A database newer than
//! this build is refused rather than misread.

use rusqlite::Connection;

/// The migrations in order; the schema's version is how many have run.
const MIGRATIONS: &[&str] = &[
    // 1: the messages. Times are milliseconds since the Unix epoch (UTC); `addr` is the sender's
    // address key (an IPv4 address or an IPv6 /64), kept for the rate limits only; `size` is the
    // bytes of `sender` and `body`, for the store quota.
    "CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        received_at INTEGER NOT NULL,
        sender TEXT NOT NULL,
        body TEXT NOT NULL,
        size INTEGER NOT NULL,
        addr TEXT NOT NULL,
        read INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX messages_addr_time ON messages(addr, received_at);
    CREATE INDEX messages_time ON messages(received_at);",
    // 2: the outbox: one row per message and notify target, written in the message's
    // transaction; `next_at` is when the next attempt is due (so retries survive a restart).
    "CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        target TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        last_error TEXT
    );
    CREATE INDEX outbox_due ON outbox(state, next_at);
    CREATE INDEX outbox_message ON outbox(message_id);",
];

/// The schema version this build writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// The database's schema version.
pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Brings the database to [`VERSION`], one migration (and transaction) at a time. Each step
/// takes the write lock first and reads the version under it, so processes opening the same
/// new database at once (replicas sharing a directory, `inbox` beside the server) migrate it
/// once.
pub fn migrate(conn: &mut Connection) -> anyhow::Result<()> {
    loop {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let at = version(&tx)?;
        if at > VERSION {
            anyhow::bail!(
                "the message database has schema version {at}; this resume-ssh knows up to {VERSION} (a newer release wrote it)"
            );
        }
        let Some(sql) = usize::try_from(at).ok().and_then(|i| MIGRATIONS.get(i)) else {
            return Ok(());
        };
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", at + 1)?;
        tx.commit()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_from_any_older_version_and_refuses_a_newer_one() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(version(&conn).unwrap(), VERSION);
        conn.query_row("SELECT count(*) FROM outbox", [], |r| r.get::<_, i64>(0))
            .unwrap();
        migrate(&mut conn).unwrap();
        conn.pragma_update(None, "user_version", VERSION + 1)
            .unwrap();
        assert!(migrate(&mut conn).is_err());
    }
}
