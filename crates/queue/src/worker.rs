//! The consumer: pulls deliveries from `{prefix}.input`, hands each body to the `EventHandler`, and settles it.
//!
//! Fates, per `HandleError` variant:
//! - `Ok(_)`: ack.
//! - `Invalid`: published to `{prefix}.dlx` with `x-tujie-reason`/`x-tujie-error`/`x-tujie-routing-key`, confirmed,
//!   then acked. A plain `basic.reject` would dead-letter too, but cannot add headers.
//! - `Failed`: republished to `{prefix}.retry.N` with `x-tujie-attempts` + 1 and the attempt's reason and error
//!   (`x-tujie-last-reason`, `x-tujie-error`), confirmed, then acked; when the attempts reach `delivery_limit` it
//!   is dead-lettered with reason `delivery_limit` instead, keeping the last attempt's reason and error.
//! - `Transient` (a dependency such as the database is down, so the message is not to blame): held and retried
//!   in place with exponential backoff while the whole worker stops taking new deliveries. It never counts
//!   towards the limit. If shutdown comes, or it has been held for `TRANSIENT_HOLD_MAX`, it is parked in retry
//!   queue 1 with `x-tujie-transient` + 1 (still not an attempt), so restart loops during an outage do not burn
//!   the broker-side `x-delivery-limit`, and the broker's `consumer_timeout` (30 min) never fires.
//!
//! Every republish happens before the ack, so a crash in between duplicates rather than loses; the handler
//! deduplicates by event id (`Handled::Duplicate`).
//!
//! Resilience: one recovery mechanism, the supervising loop in `run_worker`. Any connection or channel failure
//! ends the session, which is rebuilt from scratch (new connections, topology, qos, consumer) with backoff.
//! lapin's own auto-recovery is off (see `amqp::connect`): running both once left a revived old consumer holding
//! a prefetch window nothing read. Unacked deliveries of a dead channel come back from the broker, so nothing is
//! lost, at the price of a redelivery the handler sees as a duplicate.
//!
//! Idleness (`until_idle`) needs every message accounted for: none ready in the input and retry queues (the
//! broker's count), and none held unacknowledged by this worker (its own count of deliveries taken and not yet
//! settled, `State::held`). Unacked messages of *other* live consumers are theirs to settle or to return.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicU32, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use futures::{FutureExt, StreamExt};
use lapin::{
    Channel,
    message::Delivery,
    options::{BasicAckOptions, BasicCancelOptions, BasicConsumeOptions, BasicQosOptions, QueueDeclareOptions},
    types::FieldTable,
};
use tokio::task::JoinSet;
use tracing::{debug, info, warn};

use crate::{
    AmqpConfig, EventHandler, HandleError, Handled, QueueError, Shutdown,
    amqp::{self, header_str, header_u32},
    metrics,
    topology::{
        self, HEADER_ATTEMPTS, HEADER_ERROR, HEADER_LAST_REASON, HEADER_REASON, HEADER_ROUTING_KEY, HEADER_TRANSIENT,
    },
};

/// Longest a delivery is held while its handler reports `Transient`, before it is parked in a retry queue.
const TRANSIENT_HOLD_MAX: Duration = Duration::from_secs(300);
/// Longest pause between reconnect attempts.
const RECONNECT_BACKOFF_MAX: Duration = Duration::from_secs(10);

/// What one `run_worker` call did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkerStats {
    pub deliveries: u64,
    pub applied: u64,
    pub duplicates: u64,
    /// Sent to a retry queue after `Failed` (or parked after a long `Transient`).
    pub retried: u64,
    /// `Transient` results, each followed by a backoff.
    pub transient: u64,
    pub dead_lettered: u64,
    /// Acks that could not be sent because their channel had closed; those deliveries come again.
    pub acks_not_sent: u64,
    /// Sessions rebuilt by the supervisor after a failure.
    pub reconnects: u64,
}

#[derive(Debug, Default)]
struct Counters {
    deliveries: AtomicU64,
    applied: AtomicU64,
    duplicates: AtomicU64,
    retried: AtomicU64,
    transient: AtomicU64,
    dead_lettered: AtomicU64,
    acks_not_sent: AtomicU64,
    reconnects: AtomicU64,
}

impl Counters {
    fn snapshot(&self) -> WorkerStats {
        let g = |a: &AtomicU64| a.load(Ordering::Relaxed);
        WorkerStats {
            deliveries: g(&self.deliveries),
            applied: g(&self.applied),
            duplicates: g(&self.duplicates),
            retried: g(&self.retried),
            transient: g(&self.transient),
            dead_lettered: g(&self.dead_lettered),
            acks_not_sent: g(&self.acks_not_sent),
            reconnects: g(&self.reconnects),
        }
    }
}

/// State shared by the session loop and its delivery tasks, surviving reconnects.
#[derive(Debug)]
struct State {
    counters: Counters,
    last_activity: Mutex<Instant>,
    /// While set and in the future, no new deliveries are taken (a dependency is down).
    paused_until: Mutex<Option<Instant>>,
    consecutive_transient: AtomicU32,
    /// Deliveries taken from the consumer and not yet settled: this worker's unacknowledged messages.
    held: AtomicU64,
}

/// One held delivery, from the moment the consumer hands it over until its task ends (settled, or abandoned to
/// broker redelivery when the channel closes: an aborted task drops it too).
struct Held(Arc<State>);

impl Held {
    fn take(state: &Arc<State>) -> Self {
        state.held.fetch_add(1, Ordering::Relaxed);
        metrics::add_deliveries_held(1);
        Held(state.clone())
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.0.held.fetch_sub(1, Ordering::Relaxed);
        metrics::add_deliveries_held(-1);
    }
}

impl State {
    fn touch(&self) {
        *self.last_activity.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
    }
    fn quiet_for(&self) -> Duration {
        self.last_activity.lock().unwrap_or_else(|p| p.into_inner()).elapsed()
    }
    fn paused_until(&self) -> Option<Instant> {
        let until = *self.paused_until.lock().unwrap_or_else(|p| p.into_inner());
        until.filter(|t| *t > Instant::now())
    }
    /// Records a transient failure and returns how long to wait before the next try.
    fn note_transient(&self, cfg: &AmqpConfig) -> Duration {
        let n = self.consecutive_transient.fetch_add(1, Ordering::Relaxed).min(16);
        let base = cfg.retry_delays_ms.first().copied().unwrap_or(1_000);
        let wait = Duration::from_millis(base.saturating_mul(1 << n).min(cfg.transient_backoff_max_ms.max(base)));
        let until = Instant::now() + wait;
        let mut paused = self.paused_until.lock().unwrap_or_else(|p| p.into_inner());
        if paused.is_none_or(|p| p < until) {
            *paused = Some(until);
        }
        wait
    }
    fn note_healthy(&self) {
        if self.consecutive_transient.swap(0, Ordering::Relaxed) > 0 {
            *self.paused_until.lock().unwrap_or_else(|p| p.into_inner()) = None;
            info!("handler healthy again; resuming consumption");
        }
    }
}

/// Everything a delivery task needs.
struct Ctx<H> {
    cfg: AmqpConfig,
    handler: Arc<H>,
    publisher: Channel,
    state: Arc<State>,
    shutdown: Shutdown,
}

/// The arguments of one `run_worker` call, shared by every session it runs.
struct Run<'a, H> {
    cfg: &'a AmqpConfig,
    handler: &'a Arc<H>,
    state: &'a Arc<State>,
    shutdown: &'a Shutdown,
    until_idle: Option<Duration>,
}

/// How a session ended without error.
enum End {
    Shutdown,
    Idle,
}

/// Consumes `{prefix}.input` until `shutdown` fires or, with `until_idle`, until the input and retry queues have
/// been empty with nothing in flight for that long. Reconnects after broker failures; returns an error only for
/// what reconnecting cannot fix (bad topology arguments), or, with `until_idle`, when the broker cannot be
/// reached at all (a one-shot run should fail, not wait forever).
pub async fn run_worker<H: EventHandler>(
    cfg: &AmqpConfig,
    handler: Arc<H>,
    shutdown: Shutdown,
    until_idle: Option<Duration>,
) -> Result<WorkerStats, QueueError> {
    cfg.check()?;
    let state = Arc::new(State {
        counters: Counters::default(),
        last_activity: Mutex::new(Instant::now()),
        paused_until: Mutex::new(None),
        consecutive_transient: AtomicU32::new(0),
        held: AtomicU64::new(0),
    });
    let run = Run { cfg, handler: &handler, state: &state, shutdown: &shutdown, until_idle };
    let mut backoff = Duration::from_millis(250);
    let mut ever_connected = false;
    while !shutdown.is_triggered() {
        let started = Instant::now();
        match session(&run, &mut ever_connected).await {
            Ok(End::Shutdown) => info!("worker stopped on shutdown"),
            Ok(End::Idle) => info!(idle = ?until_idle, "worker stopping: input idle"),
            Err(e) if e.is_retryable() && (ever_connected || until_idle.is_none()) => {
                if started.elapsed() > RECONNECT_BACKOFF_MAX {
                    backoff = Duration::from_millis(250);
                }
                warn!(error = %e, retry_in = ?backoff, "worker session failed; reconnecting");
                state.counters.reconnects.fetch_add(1, Ordering::Relaxed);
                metrics::inc_reconnects();
                tokio::select! {
                    _ = tokio::time::sleep(backoff) => {}
                    _ = shutdown.wait() => {}
                }
                backoff = (backoff * 2).min(RECONNECT_BACKOFF_MAX);
                continue;
            }
            Err(e) => return Err(e),
        }
        break;
    }
    Ok(state.counters.snapshot())
}

/// One connection lifetime: connect, declare, consume until shutdown, idle, or failure.
async fn session<H: EventHandler>(run: &Run<'_, H>, ever_connected: &mut bool) -> Result<End, QueueError> {
    let cfg = run.cfg;
    // Separate connections: a publisher blocked by a broker memory alarm must not stall the consumer's acks.
    let consume_conn = amqp::connect(cfg, "consumer").await?;
    let publish_conn = match amqp::connect(cfg, "publisher").await {
        Ok(c) => c,
        Err(e) => {
            amqp::close_quietly(&consume_conn).await;
            return Err(e);
        }
    };
    *ever_connected = true;
    let result = consume(run, &consume_conn, &publish_conn).await;
    metrics::set_consumer_ready(false);
    amqp::close_quietly(&consume_conn).await;
    amqp::close_quietly(&publish_conn).await;
    result
}

async fn consume<H: EventHandler>(
    run: &Run<'_, H>,
    consume_conn: &lapin::Connection,
    publish_conn: &lapin::Connection,
) -> Result<End, QueueError> {
    let Run { cfg, handler, state, shutdown, until_idle } = *run;
    let setup = async {
        let channel = consume_conn.create_channel().await.map_err(QueueError::amqp("create consumer channel"))?;
        topology::declare_topology(&channel, cfg).await?;
        let publisher = amqp::confirm_channel(publish_conn).await?;
        // Per-consumer prefetch, set before consuming: quorum queues refuse global QoS.
        let qos = BasicQosOptions { global: false };
        channel.basic_qos(cfg.prefetch, qos).await.map_err(QueueError::amqp("basic.qos"))?;
        let consumer = channel
            .basic_consume(
                cfg.input_queue().as_str().into(),
                "".into(),
                BasicConsumeOptions::default(),
                FieldTable::default(),
            )
            .await
            .map_err(QueueError::amqp("basic.consume"))?;
        Ok((channel, publisher, consumer))
    };
    let (channel, publisher, mut consumer) = amqp::answered("consumer setup", setup).await?;
    let tag = consumer.tag();
    metrics::set_consumer_ready(true);
    info!(queue = %cfg.input_queue(), prefetch = cfg.prefetch, concurrency = cfg.concurrency, "consuming");

    let ctx = Arc::new(Ctx {
        cfg: cfg.clone(),
        handler: handler.clone(),
        publisher,
        state: state.clone(),
        shutdown: shutdown.clone(),
    });
    let mut tasks: JoinSet<Result<(), QueueError>> = JoinSet::new();
    let mut tick = tokio::time::interval(Duration::from_millis(200));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let outcome: Result<End, QueueError> = loop {
        let paused = state.paused_until();
        let can_take = tasks.len() < cfg.concurrency && paused.is_none();
        tokio::select! {
            biased;
            _ = shutdown.wait() => break Ok(End::Shutdown),
            Some(joined) = tasks.join_next(), if !tasks.is_empty() => {
                match joined {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => break Err(e),
                    Err(join) if join.is_panic() => warn!("delivery task panicked; its delivery will be redelivered"),
                    Err(_) => {}
                }
            }
            next = consumer.next(), if can_take => match next {
                // lapin still hands out what it had buffered after the channel died; those deliveries cannot be
                // acked any more and the broker has already taken them back, so handling them is wasted work.
                Some(Ok(_)) if !channel.status().connected() => {
                    break Err(QueueError::Lost("the consumer channel closed".into()));
                }
                Some(Ok(delivery)) => {
                    state.touch();
                    let ctx = ctx.clone();
                    let held = Held::take(state);
                    tasks.spawn(async move {
                        let settled = process(&ctx, delivery).await;
                        drop(held);
                        settled
                    });
                }
                Some(Err(e)) => break Err(QueueError::Amqp { context: "consumer stream".into(), source: e }),
                None => break Err(QueueError::ConsumerCancelled(cfg.input_queue())),
            },
            _ = async { tokio::time::sleep_until(paused.unwrap_or_else(Instant::now).into()).await }, if paused.is_some() => {}
            _ = tick.tick(), if until_idle.is_some() && tasks.is_empty() => {
                let idle = until_idle.unwrap_or_default();
                if state.quiet_for() >= idle && nothing_left(&channel, cfg, state).await? {
                    break Ok(End::Idle);
                }
            }
        }
    };

    // Stop new deliveries first, then give in-flight ones the grace period.
    metrics::set_consumer_ready(false);
    if channel.status().connected() {
        let cancel = channel.basic_cancel(tag, BasicCancelOptions::default());
        let _ = tokio::time::timeout(amqp::BROKER_ANSWER_MAX, cancel).await;
    }
    if !tasks.is_empty() {
        info!(in_flight = tasks.len(), grace = ?cfg.shutdown_grace(), "waiting for in-flight deliveries");
        let drained = tokio::time::timeout(cfg.shutdown_grace(), async {
            while let Some(joined) = tasks.join_next().await {
                if let Ok(Err(e)) = joined {
                    warn!(error = %e, "in-flight delivery failed during shutdown; it will be redelivered");
                }
            }
        })
        .await;
        if drained.is_err() {
            warn!(abandoned = tasks.len(), "grace period over; abandoning deliveries to broker redelivery");
            tasks.abort_all();
        }
    }
    outcome
}

/// Whether every message is accounted for: this worker holds no unacknowledged delivery, and the input and retry
/// queues hold no ready message (a retry in waiting is not idleness). The broker's count is of ready messages
/// only; unacknowledged ones of other consumers on the input queue are theirs (they settle them, or the broker
/// returns them when they go), so they are logged, not waited for.
async fn nothing_left(channel: &Channel, cfg: &AmqpConfig, state: &State) -> Result<bool, QueueError> {
    let held = state.held.load(Ordering::Relaxed);
    if held > 0 {
        debug!(held, "not idle: deliveries still held");
        return Ok(false);
    }
    let names = std::iter::once(cfg.input_queue()).chain((1..=cfg.retry_delays_ms.len()).map(|n| cfg.retry_queue(n)));
    for name in names {
        let opts = QueueDeclareOptions { passive: true, ..QueueDeclareOptions::default() };
        let inspect = channel.queue_declare(name.as_str().into(), opts, FieldTable::default());
        let q = tokio::time::timeout(amqp::BROKER_ANSWER_MAX, inspect)
            .await
            .map_err(|_| QueueError::Lost(format!("no answer inspecting {name}")))?
            .map_err(QueueError::amqp(format!("inspect {name}")))?;
        if q.message_count() > 0 {
            return Ok(false);
        }
        if name == cfg.input_queue() {
            debug!(consumers = q.consumer_count(), "input queue has no ready message and this worker holds none");
        }
    }
    Ok(true)
}

/// Handles one delivery and settles it. An `Err` means the broker could not take a republish: the session is
/// rebuilt and the delivery, still unacked, comes back.
/// The message of a panic payload, which is a `&str` or a `String` for every `panic!` with a message.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

async fn process<H: EventHandler>(ctx: &Ctx<H>, delivery: Delivery) -> Result<(), QueueError> {
    let counters = &ctx.state.counters;
    counters.deliveries.fetch_add(1, Ordering::Relaxed);
    metrics::inc_deliveries();
    let held_since = Instant::now();
    loop {
        let started = Instant::now();
        let outcome = if delivery.data.len() > ctx.cfg.max_message_bytes {
            // Not even handed over: parsing a huge body is the cost the limit exists to avoid.
            Err(HandleError::Invalid {
                reason: "too_large".into(),
                message: format!(
                    "message is {} bytes, over the limit of {}",
                    delivery.data.len(),
                    ctx.cfg.max_message_bytes
                ),
            })
        } else {
            // A panicking handler is a failed attempt like any other: the delivery is retried and in the end
            // dead-lettered, instead of staying unacked (holding a prefetch slot) until the channel closes.
            match std::panic::AssertUnwindSafe(ctx.handler.handle(&delivery.data)).catch_unwind().await {
                Ok(outcome) => outcome,
                Err(panic) => Err(HandleError::Failed {
                    reason: "handler_panicked".into(),
                    message: format!("handler panicked: {}", panic_text(panic.as_ref())),
                }),
            }
        };
        metrics::observe_handle(started.elapsed());
        match outcome {
            Ok(handled) => {
                ctx.state.note_healthy();
                if handled == Handled::Duplicate {
                    counters.duplicates.fetch_add(1, Ordering::Relaxed);
                    metrics::inc_duplicates();
                    debug!("duplicate event acked without effects");
                } else {
                    counters.applied.fetch_add(1, Ordering::Relaxed);
                }
                ack(ctx, &delivery).await;
            }
            Err(e @ HandleError::Invalid { .. }) => {
                warn!(reason = e.reason(), error = e.message(), "invalid message; dead-lettering");
                dead_letter(ctx, &delivery, e.reason(), &e).await?;
            }
            Err(e @ HandleError::Failed { .. }) => {
                ctx.state.note_healthy();
                metrics::inc_failure(e.reason());
                let attempts = header_u32(&delivery.properties, HEADER_ATTEMPTS).unwrap_or(0) + 1;
                if attempts >= ctx.cfg.delivery_limit {
                    warn!(attempts, reason = e.reason(), error = e.message(), "delivery limit reached; dead-lettering");
                    dead_letter(ctx, &delivery, "delivery_limit", &e).await?;
                } else {
                    warn!(attempts, reason = e.reason(), error = e.message(), "handler failed; scheduling retry");
                    retry(ctx, &delivery, HEADER_ATTEMPTS, attempts, &e).await?;
                }
            }
            Err(e @ HandleError::Transient(_)) => {
                let message = e.message();
                counters.transient.fetch_add(1, Ordering::Relaxed);
                metrics::inc_transient();
                let wait = ctx.state.note_transient(&ctx.cfg);
                if ctx.shutdown.is_triggered() || held_since.elapsed() + wait > TRANSIENT_HOLD_MAX {
                    let n = header_u32(&delivery.properties, HEADER_TRANSIENT).unwrap_or(0) + 1;
                    warn!(error = %message, "dependency still unavailable; parking message in a retry queue");
                    retry(ctx, &delivery, HEADER_TRANSIENT, n, &e).await?;
                } else {
                    warn!(error = %message, backoff = ?wait, "dependency unavailable; backing off");
                    tokio::select! {
                        _ = tokio::time::sleep(wait) => continue,
                        _ = ctx.shutdown.wait() => {
                            let n = header_u32(&delivery.properties, HEADER_TRANSIENT).unwrap_or(0) + 1;
                            retry(ctx, &delivery, HEADER_TRANSIENT, n, &e).await?;
                        }
                    }
                }
            }
        }
        ctx.state.touch();
        return Ok(());
    }
}

/// The routing key the message was first published with (retry queues rewrite the delivery's own).
fn original_routing_key(delivery: &Delivery) -> String {
    header_str(&delivery.properties, HEADER_ROUTING_KEY)
        .or_else(|| amqp::x_death_routing_key(&delivery.properties).filter(|_| delivery.exchange.as_str().is_empty()))
        .unwrap_or_else(|| delivery.routing_key.as_str().to_owned())
}

/// Republishes to the retry queue for `count` (the last one for counts past the end), with `counter` set to
/// `count` and `error` as the last failure, then acks.
async fn retry<H>(
    ctx: &Ctx<H>,
    delivery: &Delivery,
    counter: &str,
    count: u32,
    error: &HandleError,
) -> Result<(), QueueError> {
    let n = (count as usize).clamp(1, ctx.cfg.retry_delays_ms.len());
    let queue = ctx.cfg.retry_queue(n);
    let mut headers = amqp::headers_without(&delivery.properties, &[counter, HEADER_ERROR, HEADER_LAST_REASON]);
    amqp::set_u32(&mut headers, counter, count);
    amqp::set_str(&mut headers, HEADER_LAST_REASON, error.reason());
    amqp::set_str(&mut headers, HEADER_ERROR, &truncate(error.message(), 1024));
    amqp::set_str(&mut headers, HEADER_ROUTING_KEY, &original_routing_key(delivery));
    let props = amqp::republish_properties(&delivery.properties, headers);
    amqp::publish_confirmed(&ctx.publisher, "", &queue, &delivery.data, props, true).await?;
    ctx.state.counters.retried.fetch_add(1, Ordering::Relaxed);
    metrics::inc_retries();
    ack(ctx, delivery).await;
    Ok(())
}

/// Publishes to `{prefix}.dlx` with the reason headers, waits for the confirm, then acks. `reason` is why it is
/// dead (`delivery_limit`, or the invalid message's own reason); `last` is the failure that decided it.
async fn dead_letter<H>(ctx: &Ctx<H>, delivery: &Delivery, reason: &str, last: &HandleError) -> Result<(), QueueError> {
    let routing_key = original_routing_key(delivery);
    let mut headers = amqp::headers_without(&delivery.properties, &[HEADER_REASON, HEADER_ERROR, HEADER_LAST_REASON]);
    amqp::set_str(&mut headers, HEADER_REASON, reason);
    amqp::set_str(&mut headers, HEADER_LAST_REASON, last.reason());
    amqp::set_str(&mut headers, HEADER_ERROR, &truncate(last.message(), 4096));
    amqp::set_str(&mut headers, HEADER_ROUTING_KEY, &routing_key);
    let props = amqp::republish_properties(&delivery.properties, headers);
    amqp::publish_confirmed(&ctx.publisher, &ctx.cfg.dlx_exchange(), &routing_key, &delivery.data, props, true).await?;
    ctx.state.counters.dead_lettered.fetch_add(1, Ordering::Relaxed);
    metrics::inc_dead_letter(reason, last.reason());
    ack(ctx, delivery).await;
    Ok(())
}

/// Acks; a channel that closed meanwhile cannot take the ack, and the broker will redeliver.
async fn ack<H>(ctx: &Ctx<H>, delivery: &Delivery) {
    let started = Instant::now();
    // Bounded: an ack on a connection that died unnoticed must not hold the task, and with it the worker, forever.
    let not_sent = match tokio::time::timeout(amqp::BROKER_ANSWER_MAX, delivery.ack(BasicAckOptions::default())).await {
        Ok(Ok(true)) => None,
        Ok(Ok(false)) => Some("the channel has closed".to_owned()),
        Ok(Err(e)) => Some(e.to_string()),
        Err(_) => Some(format!("no answer within {:?}", amqp::BROKER_ANSWER_MAX)),
    };
    match not_sent {
        None => metrics::inc_acks(),
        Some(why) => {
            warn!(tag = delivery.delivery_tag, why, "ack not sent; the broker will redeliver");
            ctx.state.counters.acks_not_sent.fetch_add(1, Ordering::Relaxed);
            metrics::inc_acks_not_sent();
        }
    }
    metrics::observe_ack(started.elapsed());
}

/// Header values have no hard limit, but a stack trace in every dead letter is not useful past a screenful.
fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}
