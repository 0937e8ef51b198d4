//! The outbox's queries: the rows due for delivery (with their message), and recording what an
//! attempt gave: delivered, tried again at a later time, or given up. Each row's next attempt
//! time is in the table, so retries go on across restarts.

use rusqlite::{OptionalExtension as _, params};

use super::store::{Message, Store};

/// One delivery to make.
#[derive(Debug, Clone)]
pub struct Due {
    pub row: i64,
    /// The `--notify-url` as given when the message arrived.
    pub target: String,
    pub attempts: u32,
    pub created_at: i64,
    pub message: Message,
}

impl Store {
    /// Up to `limit` pending rows due at `now`, oldest due first.
    pub fn due(&self, now: i64, limit: usize) -> anyhow::Result<Vec<Due>> {
        let mut stmt = self.conn.prepare(
            "SELECT o.id, o.target, o.attempts, o.created_at, m.id,
                strftime('%Y-%m-%dT%H:%M:%SZ', m.received_at / 1000, 'unixepoch'),
                m.sender, m.body, m.read
             FROM outbox o JOIN messages m ON m.id = o.message_id
             WHERE o.state = 'pending' AND o.next_at <= ?1
             ORDER BY o.next_at LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![now, i64::try_from(limit).unwrap_or(64)], |r| {
            Ok(Due {
                row: r.get(0)?,
                target: r.get(1)?,
                attempts: r.get(2)?,
                created_at: r.get(3)?,
                message: Message {
                    id: r.get(4)?,
                    received_at: r.get(5)?,
                    from: r.get(6)?,
                    body: r.get(7)?,
                    read: r.get::<_, i64>(8)? != 0,
                },
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The row was accepted by its receiver.
    pub fn delivered(&self, row: i64) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE outbox SET state = 'delivered', attempts = attempts + 1, last_error = NULL
             WHERE id = ?1",
            [row],
        )?;
        Ok(())
    }

    /// The attempt failed: the next one at `next_at`.
    pub fn retry(&self, row: i64, attempts: u32, next_at: i64, error: &str) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE outbox SET attempts = ?2, next_at = ?3, last_error = ?4 WHERE id = ?1",
            params![row, attempts, next_at, error],
        )?;
        Ok(())
    }

    /// The row is given up (too old): kept, with its last error, for the owner to see.
    pub fn give_up(&self, row: i64, attempts: u32, error: &str) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE outbox SET state = 'failed', attempts = ?2, last_error = ?3 WHERE id = ?1",
            params![row, attempts, error],
        )?;
        Ok(())
    }

    /// Rows not delivered yet (and not given up).
    pub fn pending(&self) -> anyhow::Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM outbox WHERE state = 'pending'",
            [],
            |r| r.get(0),
        )?)
    }

    /// When the earliest pending row is due, if any is.
    pub fn next_due(&self) -> anyhow::Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT min(next_at) FROM outbox WHERE state = 'pending'",
                [],
                |r| r.get::<_, Option<i64>>(0),
            )
            .optional()?
            .flatten())
    }

    /// A message's delivery rows: target, state, attempts (for `inbox show`).
    pub fn deliveries(&self, reference: &str) -> anyhow::Result<Vec<(String, String, u32)>> {
        let mut stmt = self.conn.prepare(
            "SELECT target, state, attempts FROM outbox WHERE message_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([reference], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
