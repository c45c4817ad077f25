//! The outbox: produced events written in the transaction of the change they describe, and the relays' side of
//! it (reading, claiming under a lease, releasing, marking as sent). [`insert_outbox`] is the one place rows are
//! written; [`Store::apply`], editors' decisions and [`Store::enqueue`] go through it.

use sqlx::Row;
use sqlx::any::AnyRow;
use tujie_model::OutboundEvent;

use crate::rows::{lease_time, now, to_json};
use crate::{Backend, Store, StoreError};

/// A produced event waiting for the relay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: i64,
    pub event_id: String,
    pub routing_key: String,
    pub payload: String,
}

impl Store {
    /// Oldest unsent produced events.
    pub async fn outbox_unsent(&self, limit: usize) -> Result<Vec<OutboxRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, event_id, routing_key, payload FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1",
        )
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(outbox_row).collect()
    }

    /// Claims up to `limit` unsent produced events, oldest first, for the relay `owner` until `lease` from now,
    /// and returns them. A row can be claimed when no relay holds it, when its claim has expired (its relay died
    /// or stalled), or when `owner` holds it already (a relay that reconnected resumes its own batch at once).
    ///
    /// One statement for both backends. The `UPDATE` repeats the candidates' conditions on purpose: under
    /// PostgreSQL's READ COMMITTED a claimer that waited for another's row lock re-evaluates them on the row as
    /// the other left it, finds it claimed, and skips it. That alone is correct, but the waiting claimer would
    /// come away with nothing, and two claimers locking overlapping rows in different orders could deadlock; so
    /// on PostgreSQL the candidates are also taken `FOR UPDATE SKIP LOCKED`, and concurrent claimers lock
    /// disjoint rows without waiting. The candidates are a `MATERIALIZED` CTE because a locking subquery that
    /// the plan re-executes skips the rows this very statement just updated and hands out further ones, which
    /// took more than `limit` rows in testing. SQLite has no row locks and needs none of this: the statement
    /// runs under the database write lock (`BEGIN IMMEDIATE`), so claimers are serialised.
    pub async fn outbox_claim(
        &self,
        owner: &str,
        limit: usize,
        lease: std::time::Duration,
    ) -> Result<Vec<OutboxRow>, StoreError> {
        let now = chrono::Utc::now();
        // Capped at a year so that the end stays a four-digit year, whose text sorts as time.
        let lease = chrono::TimeDelta::from_std(lease.min(std::time::Duration::from_secs(366 * 86_400)))
            .unwrap_or(chrono::TimeDelta::days(366));
        let until = now + lease;
        let lock = match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let claimable = "sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < $3 OR claimed_by = $1)";
        let sql = sqlx::AssertSqlSafe(format!(
            "WITH candidates AS MATERIALIZED (SELECT id FROM outbox WHERE {claimable} ORDER BY id LIMIT $4{lock})
             UPDATE outbox SET claimed_by = $1, claimed_until = $2
             WHERE id IN (SELECT id FROM candidates) AND {claimable}
             RETURNING id, event_id, routing_key, payload"
        ));
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(sql)
            .bind(owner)
            .bind(lease_time(until))
            .bind(lease_time(now))
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        // RETURNING follows no ORDER BY; the relay publishes oldest first.
        let mut rows = rows.iter().map(outbox_row).collect::<Result<Vec<_>, _>>()?;
        rows.sort_by_key(|r| r.id);
        Ok(rows)
    }

    /// Gives up `owner`'s claims on rows still unsent, so that another relay need not wait for the lease to
    /// run out. Returns how many rows were released.
    pub async fn outbox_release(&self, owner: &str) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let released = sqlx::query(
            "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = $1 AND sent_at IS NULL",
        )
        .bind(owner)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(released)
    }

    /// Marks produced events as confirmed by the broker.
    pub async fn outbox_mark_sent(&self, ids: &[i64]) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let now = now();
        for id in ids {
            sqlx::query("UPDATE outbox SET sent_at = $2 WHERE id = $1").bind(id).bind(&now).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// How many produced events wait for the relay.
    pub async fn outbox_backlog(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").fetch_one(&self.pool).await?.try_get(0)?)
    }

    /// Queues a produced event that no stored change caused (the weekly digest) unless one with its id is
    /// queued already; true when it was queued now.
    pub async fn enqueue(&self, event: &OutboundEvent) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let written = insert_outbox(&mut tx, event, &now()).await?;
        tx.commit().await?;
        Ok(written)
    }
}

/// Writes a produced event unless one with its id is there; true when it was written.
pub(crate) async fn insert_outbox(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    event: &OutboundEvent,
    now: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO outbox (event_id, routing_key, payload, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (event_id) DO NOTHING",
    )
    .bind(&event.event_id)
    .bind(event.event_type.as_str())
    .bind(to_json(event))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// An outbox row from `SELECT id, event_id, routing_key, payload`.
fn outbox_row(r: &AnyRow) -> Result<OutboxRow, StoreError> {
    Ok(OutboxRow { id: r.try_get(0)?, event_id: r.try_get(1)?, routing_key: r.try_get(2)?, payload: r.try_get(3)? })
}
