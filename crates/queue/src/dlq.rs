//! Operator commands for `{prefix}.dead`: look, send back, throw away.
//!
//! `list` is non-destructive: it takes messages with `basic.get` without acking and then nacks them all with
//! requeue, so they stay in the queue (on a quorum queue the returns pass through its log, so a count taken
//! at once can briefly read low). `requeue` republishes each message to `{prefix}.events` under its
//! original routing key with the tujie headers and the broker's `x-death` history stripped, waits for the
//! confirm, and only then acks it out of the dead queue (a crash in between leaves a copy in both places,
//! which the handler's event-id deduplication absorbs).

use lapin::{
    message::BasicGetMessage,
    options::{BasicAckOptions, BasicGetOptions, BasicNackOptions, QueuePurgeOptions},
    types::ShortString,
};

use crate::{
    AmqpConfig, QueueError, amqp,
    topology::{
        self, HEADER_ATTEMPTS, HEADER_ERROR, HEADER_LAST_REASON, HEADER_REASON, HEADER_ROUTING_KEY, HEADER_TRANSIENT,
    },
};

/// One message in the dead queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetter {
    /// `x-tujie-reason`, or the broker's own `x-death` reason (e.g. `delivery_limit`) for messages it moved.
    pub reason: String,
    /// `x-tujie-last-reason`: the handler's reason for the last failed attempt (`store_error`, `conflict`, ...).
    /// Also set on messages the broker moved after their last retry; absent on those that never failed in a
    /// handler (a worker that crashed on every delivery).
    pub last_reason: Option<String>,
    /// `x-tujie-error`, the last failure's text; empty when the message never failed in a handler.
    pub error: String,
    /// The routing key the message was first published with.
    pub routing_key: String,
    pub message_id: Option<String>,
    pub body: Vec<u8>,
}

/// Up to `limit` dead letters, oldest first, leaving them in the queue.
pub async fn list(cfg: &AmqpConfig, limit: usize) -> Result<Vec<DeadLetter>, QueueError> {
    let conn = amqp::connect(cfg, "dlq").await?;
    let result = async {
        let channel = conn.create_channel().await.map_err(QueueError::amqp("create channel"))?;
        topology::declare_topology(&channel, cfg).await?;
        let mut out = Vec::new();
        let mut last_tag = None;
        while out.len() < limit {
            let Some(msg) = next_dead(&channel, cfg).await? else { break };
            last_tag = Some(msg.delivery.delivery_tag);
            out.push(describe(&msg.delivery));
        }
        if let Some(tag) = last_tag {
            channel
                .basic_nack(tag, BasicNackOptions { multiple: true, requeue: true })
                .await
                .map_err(QueueError::amqp("basic.nack"))?;
        }
        let _ = channel.close(200, ShortString::from("done")).await;
        Ok(out)
    }
    .await;
    amqp::close_quietly(&conn).await;
    result
}

/// Sends up to `limit` dead letters back through `{prefix}.events`; returns how many went.
pub async fn requeue(cfg: &AmqpConfig, limit: usize) -> Result<usize, QueueError> {
    let conn = amqp::connect(cfg, "dlq").await?;
    let result = async {
        let channel = amqp::confirm_channel(&conn).await?;
        topology::declare_topology(&channel, cfg).await?;
        let exchange = cfg.events_exchange();
        let mut moved = 0;
        while moved < limit {
            let Some(msg) = next_dead(&channel, cfg).await? else { break };
            let delivery = msg.delivery;
            let dead = describe(&delivery);
            let headers = amqp::headers_without(
                &delivery.properties,
                &[
                    HEADER_REASON,
                    HEADER_LAST_REASON,
                    HEADER_ERROR,
                    HEADER_ROUTING_KEY,
                    HEADER_ATTEMPTS,
                    HEADER_TRANSIENT,
                ],
            );
            let props = amqp::republish_properties(&delivery.properties, headers);
            // Mandatory: a message whose type is no longer bound anywhere stays dead rather than vanishing.
            match amqp::publish_confirmed(&channel, &exchange, &dead.routing_key, &delivery.data, props, true).await {
                Ok(()) => {
                    delivery.ack(BasicAckOptions::default()).await.map_err(QueueError::amqp("basic.ack"))?;
                    moved += 1;
                }
                Err(e) => {
                    let _ = delivery.nack(BasicNackOptions { multiple: false, requeue: true }).await;
                    return Err(e);
                }
            }
        }
        Ok(moved)
    }
    .await;
    amqp::close_quietly(&conn).await;
    result
}

/// Deletes every message in the dead queue; returns how many there were.
pub async fn purge(cfg: &AmqpConfig) -> Result<usize, QueueError> {
    let conn = amqp::connect(cfg, "dlq").await?;
    let result = async {
        let channel = conn.create_channel().await.map_err(QueueError::amqp("create channel"))?;
        topology::declare_topology(&channel, cfg).await?;
        let n = channel
            .queue_purge(cfg.dead_queue().as_str().into(), QueuePurgeOptions::default())
            .await
            .map_err(QueueError::amqp("queue.purge"))?;
        Ok(n as usize)
    }
    .await;
    amqp::close_quietly(&conn).await;
    result
}

/// Takes the next dead letter without acking it.
async fn next_dead(channel: &lapin::Channel, cfg: &AmqpConfig) -> Result<Option<BasicGetMessage>, QueueError> {
    channel
        .basic_get(cfg.dead_queue().as_str().into(), BasicGetOptions { no_ack: false })
        .await
        .map_err(QueueError::amqp("basic.get"))
}

fn describe(delivery: &lapin::message::Delivery) -> DeadLetter {
    let p = &delivery.properties;
    DeadLetter {
        reason: amqp::header_str(p, HEADER_REASON)
            .or_else(|| amqp::x_death_reason(p))
            .unwrap_or_else(|| "unknown".into()),
        last_reason: amqp::header_str(p, HEADER_LAST_REASON),
        error: amqp::header_str(p, HEADER_ERROR).unwrap_or_default(),
        routing_key: amqp::header_str(p, HEADER_ROUTING_KEY)
            .or_else(|| amqp::x_death_routing_key(p))
            .unwrap_or_else(|| delivery.routing_key.as_str().to_owned()),
        message_id: p.message_id().as_ref().map(|s| s.as_str().to_owned()),
        body: delivery.data.clone(),
    }
}
