//! Small helpers over lapin shared by the worker, the relay and the CLI commands: connecting, confirmed
//! publishing, and reading and writing headers.

use std::time::{Duration, Instant};

use lapin::{
    BasicProperties, Channel, Confirmation, Connection, ConnectionProperties,
    options::{BasicPublishOptions, ConfirmSelectOptions},
    types::{AMQPValue, FieldTable, LongString, ShortString},
};

use crate::{AmqpConfig, QueueError, metrics};

/// Longest wait for the broker to accept a connection or answer a close: a broker that is starting up may accept
/// TCP and then say nothing, and without a limit a session would wait for it forever.
pub(crate) const BROKER_ANSWER_MAX: Duration = Duration::from_secs(20);

/// AMQP delivery mode 2: the broker writes the message to disk.
pub(crate) const PERSISTENT: u8 = 2;

/// Opens a connection, with lapin's auto-recovery deliberately off: the callers' supervising loops are the one
/// recovery mechanism. With both, a session that ended while lapin was still reconnecting left its connection
/// behind; lapin revived it later and replayed its consumer and qos, and the broker then delivered a prefetch
/// window to a consumer nothing read any more: unacked messages stranded until the process exited (issue 14).
/// Without it, a broken connection is simply dead: its unacked deliveries go back to the queue, and the
/// supervising loop opens a new session. `role` names the connection in the management UI and in
/// `rabbitmqctl list_connections` (`tujie-consumer`, `tujie-publisher`), which helps during an incident and
/// lets the broker-restart tests check that no connection outlives its session.
pub(crate) async fn connect(cfg: &AmqpConfig, role: &str) -> Result<Connection, QueueError> {
    cfg.check()?;
    let props =
        ConnectionProperties::default().with_connection_name(LongString::from(format!("{}-{role}", cfg.prefix)));
    match tokio::time::timeout(BROKER_ANSWER_MAX, Connection::connect(&cfg.url, props)).await {
        Ok(connected) => connected.map_err(|source| QueueError::Connect { url: cfg.redacted().url, source }),
        Err(_) => Err(QueueError::Lost(format!("{} did not answer within {BROKER_ANSWER_MAX:?}", cfg.redacted().url))),
    }
}

/// Runs the setup of a session (channels, topology, qos, consume) within [`BROKER_ANSWER_MAX`]: a broker that
/// accepted the connection while it was still starting can leave a channel request unanswered, and a session
/// stuck there neither consumes nor ends (seen in `tests/broker_restart.rs`: every event applied, no consumer
/// attached, a worker that never returned). Timing out makes it a lost connection, which the supervisor retries.
pub(crate) async fn answered<T>(
    what: &str,
    setup: impl Future<Output = Result<T, QueueError>>,
) -> Result<T, QueueError> {
    match tokio::time::timeout(BROKER_ANSWER_MAX, setup).await {
        Ok(done) => done,
        Err(_) => Err(QueueError::Lost(format!("the broker did not answer within {BROKER_ANSWER_MAX:?} ({what})"))),
    }
}

/// A channel in publisher-confirm mode.
pub(crate) async fn confirm_channel(conn: &Connection) -> Result<Channel, QueueError> {
    let channel = conn.create_channel().await.map_err(QueueError::amqp("create channel"))?;
    channel.confirm_select(ConfirmSelectOptions::default()).await.map_err(QueueError::amqp("confirm.select"))?;
    Ok(channel)
}

/// Closes a connection, ignoring errors: used when tearing down after a failure, where it may be half dead. A
/// connection that is not connected any more has already ended (no auto-recovery revives it).
pub(crate) async fn close_quietly(conn: &Connection) {
    if conn.status().connected() {
        let _ = tokio::time::timeout(BROKER_ANSWER_MAX, conn.close(200, ShortString::from("tujie closing"))).await;
    }
}

/// Publishes and waits for the broker's confirm. `mandatory` turns "no queue bound" into an error instead of a
/// silent drop.
pub(crate) async fn publish_confirmed(
    channel: &Channel,
    exchange: &str,
    routing_key: &str,
    body: &[u8],
    properties: BasicProperties,
    mandatory: bool,
) -> Result<(), QueueError> {
    let confirm = start_publish(channel, exchange, routing_key, body, properties, mandatory).await?;
    finish_publish(confirm, exchange, routing_key).await
}

/// Sends a publish without waiting for its confirm (the relay pipelines a batch and then waits).
pub(crate) async fn start_publish(
    channel: &Channel,
    exchange: &str,
    routing_key: &str,
    body: &[u8],
    properties: BasicProperties,
    mandatory: bool,
) -> Result<(Instant, lapin::PublisherConfirm), QueueError> {
    let opts = BasicPublishOptions { mandatory, ..BasicPublishOptions::default() };
    let started = Instant::now();
    let confirm = channel
        .basic_publish(exchange.into(), routing_key.into(), opts, body, properties)
        .await
        .map_err(QueueError::amqp(format!("publish to {exchange:?} with key {routing_key}")))?;
    Ok((started, confirm))
}

/// Waits for the confirm of a `start_publish`.
pub(crate) async fn finish_publish(
    (started, confirm): (Instant, lapin::PublisherConfirm),
    exchange: &str,
    routing_key: &str,
) -> Result<(), QueueError> {
    let target = || format!("exchange {exchange:?} key {routing_key}");
    // A confirm on a connection that died without lapin noticing would never come: bounded like every other
    // answer the broker owes, so the session is rebuilt instead of a task waiting forever.
    let confirmation = tokio::time::timeout(BROKER_ANSWER_MAX, confirm)
        .await
        .map_err(|_| QueueError::Lost(format!("no confirm of {} within {BROKER_ANSWER_MAX:?}", target())))?
        .map_err(QueueError::amqp(format!("confirm of {}", target())))?;
    metrics::observe_publish(started.elapsed());
    match confirmation {
        Confirmation::Ack(None) => Ok(()),
        Confirmation::Ack(Some(_)) => {
            Err(QueueError::NotConfirmed { target: target(), why: "unroutable: no queue is bound for it".into() })
        }
        Confirmation::Nack(_) => Err(QueueError::NotConfirmed { target: target(), why: "broker nacked".into() }),
        // Only happens on a channel without confirm mode, which we never publish on; treat as unconfirmed.
        Confirmation::NotRequested => {
            Err(QueueError::NotConfirmed { target: target(), why: "channel is not in confirm mode".into() })
        }
    }
}

/// A header's value as text, if it is a string.
pub(crate) fn header_str(props: &BasicProperties, key: &str) -> Option<String> {
    match props.headers().as_ref()?.inner().get(key)? {
        AMQPValue::LongString(s) => Some(String::from_utf8_lossy(s.as_bytes()).into_owned()),
        AMQPValue::ShortString(s) => Some(s.as_str().to_owned()),
        _ => None,
    }
}

/// A header's value as a count, if it is an integer.
pub(crate) fn header_u32(props: &BasicProperties, key: &str) -> Option<u32> {
    let v = match props.headers().as_ref()?.inner().get(key)? {
        AMQPValue::ShortShortInt(v) => i64::from(*v),
        AMQPValue::ShortShortUInt(v) => i64::from(*v),
        AMQPValue::ShortInt(v) => i64::from(*v),
        AMQPValue::ShortUInt(v) => i64::from(*v),
        AMQPValue::LongInt(v) => i64::from(*v),
        AMQPValue::LongUInt(v) => i64::from(*v),
        AMQPValue::LongLongInt(v) => *v,
        _ => return None,
    };
    u32::try_from(v).ok()
}

/// The routing key from the first `x-death` entry, which is how a message the broker dead-lettered by itself
/// (the quorum delivery limit) still tells where it came from.
pub(crate) fn x_death_routing_key(props: &BasicProperties) -> Option<String> {
    let AMQPValue::FieldArray(deaths) = props.headers().as_ref()?.inner().get("x-death")? else { return None };
    let AMQPValue::FieldTable(first) = deaths.as_slice().first()? else { return None };
    let AMQPValue::FieldArray(keys) = first.inner().get("routing-keys")? else { return None };
    match keys.as_slice().first()? {
        AMQPValue::LongString(s) => Some(String::from_utf8_lossy(s.as_bytes()).into_owned()),
        AMQPValue::ShortString(s) => Some(s.as_str().to_owned()),
        _ => None,
    }
}

/// The `reason` of the first `x-death` entry (`rejected`, `expired`, `delivery_limit`, ...).
pub(crate) fn x_death_reason(props: &BasicProperties) -> Option<String> {
    let AMQPValue::FieldArray(deaths) = props.headers().as_ref()?.inner().get("x-death")? else { return None };
    let AMQPValue::FieldTable(first) = deaths.as_slice().first()? else { return None };
    match first.inner().get("reason")? {
        AMQPValue::LongString(s) => Some(String::from_utf8_lossy(s.as_bytes()).into_owned()),
        AMQPValue::ShortString(s) => Some(s.as_str().to_owned()),
        _ => None,
    }
}

/// Copies `props`' headers, minus `x-death` (the broker's own history, which it rebuilds) and minus `drop`.
pub(crate) fn headers_without(props: &BasicProperties, drop: &[&str]) -> FieldTable {
    let mut table = FieldTable::default();
    if let Some(headers) = props.headers() {
        for (k, v) in headers.inner() {
            if k.as_str() != "x-death" && !drop.contains(&k.as_str()) {
                table.insert(k.clone(), v.clone());
            }
        }
    }
    table
}

pub(crate) fn set_str(table: &mut FieldTable, key: &str, value: &str) {
    table.insert(ShortString::from(key), AMQPValue::LongString(LongString::from(value.as_bytes().to_vec())));
}

pub(crate) fn set_u32(table: &mut FieldTable, key: &str, value: u32) {
    table.insert(ShortString::from(key), AMQPValue::LongLongInt(i64::from(value)));
}

/// Properties for a republished message: the original's, with new headers and persistent delivery.
pub(crate) fn republish_properties(original: &BasicProperties, headers: FieldTable) -> BasicProperties {
    original.clone().with_headers(headers).with_delivery_mode(PERSISTENT)
}
