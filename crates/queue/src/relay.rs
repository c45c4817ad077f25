//! The outbox relay: moves rows of the transactional outbox to `{prefix}.events`.
//!
//! A row is marked sent only after the broker confirmed it, so a crash between publish and mark publishes it
//! again; the AMQP `message_id` is the row's stable `event_id`, which lets downstream consumers drop that
//! duplicate. Each batch is published pipelined and then confirmed, which costs one round trip per batch
//! rather than per message. Produced events go non-mandatory: an event nobody has subscribed to yet is not an
//! error of ours.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use lapin::BasicProperties;
use tracing::{info, warn};

use crate::{AmqpConfig, OutboxSource, QueueError, Shutdown, amqp, metrics, topology};

/// What one `run_relay` call did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RelayStats {
    /// Rows confirmed by the broker and marked sent.
    pub published: u64,
    /// Rows the broker did not confirm; they stay unsent and are retried.
    pub unconfirmed: u64,
    pub reconnects: u64,
}

const RECONNECT_BACKOFF_MAX: Duration = Duration::from_secs(10);

/// Publishes outbox rows until `shutdown` fires or, with `until_idle`, the outbox has been empty that long.
/// Broker and outbox failures are retried with backoff; with `until_idle`, failing to reach the broker at all
/// is returned as an error instead.
pub async fn run_relay<O: OutboxSource>(
    cfg: &AmqpConfig,
    outbox: Arc<O>,
    shutdown: Shutdown,
    until_idle: Option<Duration>,
) -> Result<RelayStats, QueueError> {
    cfg.check()?;
    let mut stats = RelayStats::default();
    let mut backoff = Duration::from_millis(250);
    let mut ever_connected = false;
    let mut last_activity = Instant::now();
    while !shutdown.is_triggered() {
        let result = async {
            let conn = amqp::connect(cfg, "relay").await?;
            ever_connected = true;
            let result =
                relay_session(cfg, &*outbox, &shutdown, until_idle, &conn, &mut stats, &mut last_activity).await;
            amqp::close_quietly(&conn).await;
            result
        }
        .await;
        match result {
            Ok(()) => break,
            Err(e) if e.is_retryable() && (ever_connected || until_idle.is_none()) => {
                warn!(error = %e, retry_in = ?backoff, "outbox relay failed; retrying");
                stats.reconnects += 1;
                metrics::inc_reconnects();
                tokio::select! {
                    _ = tokio::time::sleep(backoff) => {}
                    _ = shutdown.wait() => {}
                }
                backoff = (backoff * 2).min(RECONNECT_BACKOFF_MAX);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(stats)
}

async fn relay_session<O: OutboxSource>(
    cfg: &AmqpConfig,
    outbox: &O,
    shutdown: &Shutdown,
    until_idle: Option<Duration>,
    conn: &lapin::Connection,
    stats: &mut RelayStats,
    last_activity: &mut Instant,
) -> Result<(), QueueError> {
    let channel = amqp::confirm_channel(conn).await?;
    topology::declare_topology(&channel, cfg).await?;
    let exchange = cfg.events_exchange();
    info!(exchange = %exchange, "outbox relay running");
    loop {
        if shutdown.is_triggered() {
            return Ok(());
        }
        let batch = outbox.fetch_unsent(cfg.outbox_batch).await.map_err(QueueError::Outbox)?;
        metrics::set_outbox_backlog(batch.len());
        if batch.is_empty() {
            if until_idle.is_some_and(|idle| last_activity.elapsed() >= idle) {
                return Ok(());
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(cfg.outbox_poll_ms)) => {}
                _ = shutdown.wait() => return Ok(()),
            }
            continue;
        }
        *last_activity = Instant::now();
        let mut pending = Vec::with_capacity(batch.len());
        for msg in &batch {
            let props = BasicProperties::default()
                .with_message_id(msg.event_id.as_str().into())
                .with_type(msg.routing_key.as_str().into())
                .with_content_type("application/json".into())
                .with_delivery_mode(amqp::PERSISTENT);
            let confirm =
                amqp::start_publish(&channel, &exchange, &msg.routing_key, &msg.payload, props, false).await?;
            pending.push((msg, confirm));
        }
        let mut sent = Vec::with_capacity(pending.len());
        for (msg, confirm) in pending {
            match amqp::finish_publish(confirm, &exchange, &msg.routing_key).await {
                Ok(()) => sent.push(msg.id),
                Err(e @ QueueError::NotConfirmed { .. }) => {
                    warn!(event_id = %msg.event_id, error = %e, "outbox event not confirmed; will retry");
                    stats.unconfirmed += 1;
                }
                Err(e) => return Err(e),
            }
        }
        if !sent.is_empty() {
            // A failure here republishes the batch later: duplicates with the same message_id, never a loss.
            outbox.mark_sent(&sent).await.map_err(QueueError::Outbox)?;
            stats.published += sent.len() as u64;
            metrics::add_outbox_published(sent.len());
        }
        if sent.len() < batch.len() {
            // Something was refused; do not spin on it.
            tokio::time::sleep(Duration::from_millis(cfg.outbox_poll_ms)).await;
        }
    }
}
