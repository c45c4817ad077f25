//! The outbox relay: moves rows of the transactional outbox to `{prefix}.events`.
//!
//! A row is marked sent only after the broker confirmed it, so a crash between publish and mark publishes it
//! again; the AMQP `message_id` is the row's stable `event_id`, which lets downstream consumers drop that
//! duplicate. Each batch is published pipelined and then confirmed, which costs one round trip per batch
//! rather than per message. Produced events go non-mandatory: an event nobody has subscribed to yet is not an
//! error of ours.
//!
//! Every worker process runs a relay over the same outbox, so each `run_relay` call has its own owner id and
//! *claims* its batches (`OutboxSource::claim_unsent`) for `[amqp] outbox_lease_ms`: concurrent relays publish
//! disjoint rows instead of each publishing all of them. Rows the broker did not confirm stay claimed by this
//! relay and come back in its next claim; when the relay stops it releases what it still holds, and when it dies
//! its rows wait out the lease and go to another relay.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
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

/// Publishes outbox rows until `shutdown` fires or, with `until_idle`, nothing was claimable for that long and
/// no row is left unsent.
/// Broker and outbox failures are retried with backoff; with `until_idle`, failing to reach the broker at all
/// is returned as an error instead.
pub async fn run_relay<O: OutboxSource>(
    cfg: &AmqpConfig,
    outbox: Arc<O>,
    shutdown: Shutdown,
    until_idle: Option<Duration>,
) -> Result<RelayStats, QueueError> {
    cfg.check()?;
    let relay = Relay { cfg, outbox: &*outbox, owner: relay_owner(&cfg.instance), shutdown: &shutdown, until_idle };
    info!(owner = %relay.owner, lease = ?cfg.outbox_lease(), "outbox relay starting");
    let result = relay.supervise().await;
    // Best effort: claims left behind only delay their rows until the lease ends.
    if let Err(e) = outbox.release(&relay.owner).await {
        warn!(owner = %relay.owner, error = %e, "could not release outbox claims; they expire with their lease");
    }
    result
}

/// An owner id no other relay uses. The instance name (the host, unless configured) tells an operator reading
/// `claimed_by` where a relay runs; the process id, a counter and the clock tell apart relays of one process and a
/// restarted process that got the same pid.
fn relay_owner(instance: &str) -> String {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let host = if instance.is_empty() { "localhost" } else { instance };
    let started = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or_default();
    format!("{host}:{}:{}:{started}", std::process::id(), SEQ.fetch_add(1, Ordering::Relaxed))
}

/// What one `run_relay` call works with, shared by its sessions.
struct Relay<'a, O> {
    cfg: &'a AmqpConfig,
    outbox: &'a O,
    /// Written into the rows this relay claims.
    owner: String,
    shutdown: &'a Shutdown,
    until_idle: Option<Duration>,
}

impl<O: OutboxSource> Relay<'_, O> {
    /// The reconnect loop: one session per broker connection.
    async fn supervise(&self) -> Result<RelayStats, QueueError> {
        let mut stats = RelayStats::default();
        let mut backoff = Duration::from_millis(250);
        let mut ever_connected = false;
        let mut last_activity = Instant::now();
        while !self.shutdown.is_triggered() {
            let result = async {
                let conn = amqp::connect(self.cfg, "relay").await?;
                ever_connected = true;
                let result = self.session(&conn, &mut stats, &mut last_activity).await;
                amqp::close_quietly(&conn).await;
                result
            }
            .await;
            match result {
                Ok(()) => break,
                Err(e) if e.is_retryable() && (ever_connected || self.until_idle.is_none()) => {
                    warn!(error = %e, retry_in = ?backoff, "outbox relay failed; retrying");
                    stats.reconnects += 1;
                    metrics::inc_reconnects();
                    tokio::select! {
                        _ = tokio::time::sleep(backoff) => {}
                        _ = self.shutdown.wait() => {}
                    }
                    backoff = (backoff * 2).min(RECONNECT_BACKOFF_MAX);
                }
                Err(e) => return Err(e),
            }
        }
        Ok(stats)
    }

    /// With `until_idle`: true once nothing was claimable for that long *and* no row is left unsent. Rows another
    /// relay still holds (perhaps a dead one, whose lease has not run out) keep this relay polling until they come
    /// back to it or are sent.
    async fn idle_long_enough(&self, last_activity: &Instant) -> Result<bool, QueueError> {
        if self.until_idle.is_none_or(|idle| last_activity.elapsed() < idle) {
            return Ok(false);
        }
        Ok(self.outbox.unsent().await.map_err(QueueError::Outbox)? == 0)
    }

    async fn session(
        &self,
        conn: &lapin::Connection,
        stats: &mut RelayStats,
        last_activity: &mut Instant,
    ) -> Result<(), QueueError> {
        let cfg = self.cfg;
        let setup = async {
            let channel = amqp::confirm_channel(conn).await?;
            topology::declare_topology(&channel, cfg).await?;
            Ok(channel)
        };
        let channel = amqp::answered("relay setup", setup).await?;
        let exchange = cfg.events_exchange();
        info!(exchange = %exchange, "outbox relay running");
        loop {
            if self.shutdown.is_triggered() {
                return Ok(());
            }
            let batch = self
                .outbox
                .claim_unsent(&self.owner, cfg.outbox_batch, cfg.outbox_lease())
                .await
                .map_err(QueueError::Outbox)?;
            metrics::set_outbox_backlog(batch.len());
            if batch.is_empty() {
                if self.idle_long_enough(last_activity).await? {
                    return Ok(());
                }
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(cfg.outbox_poll_ms)) => {}
                    _ = self.shutdown.wait() => return Ok(()),
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
                self.outbox.mark_sent(&sent).await.map_err(QueueError::Outbox)?;
                stats.published += sent.len() as u64;
                metrics::add_outbox_published(sent.len());
            }
            if sent.len() < batch.len() {
                // Something was refused; do not spin on it. The rows stay ours and return with the next claim.
                tokio::time::sleep(Duration::from_millis(cfg.outbox_poll_ms)).await;
            }
        }
    }
}
