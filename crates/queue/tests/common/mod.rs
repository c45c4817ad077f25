//! Shared pieces of the integration tests: the real broker's address, a per-test prefix that is torn down
//! afterwards, and an in-memory `EventHandler` / `OutboxSource` (test doubles for *our* traits; the broker
//! itself is always the real one).
#![allow(dead_code)] // reason: each test binary uses a different subset

use std::{
    collections::{HashMap, HashSet},
    sync::{
        Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use serde_json::json;
use tujie_queue::{
    AmqpConfig, EventHandler, HandleError, Handled, OutboxMessage, OutboxSource,
    lapin::{
        BasicProperties, Connection, ConnectionProperties,
        options::{BasicPublishOptions, QueueBindOptions, QueueDeclareOptions, QueueDeleteOptions},
        types::FieldTable,
    },
};

pub use tujie_test_support::amqp_url;

/// A config with a fresh prefix and delays short enough for tests.
pub fn test_config(name: &str) -> AmqpConfig {
    let prefix = format!("t-{name}-{}", tujie_test_support::unique('-'));
    AmqpConfig {
        url: amqp_url(),
        prefix,
        prefetch: 10,
        concurrency: 2,
        delivery_limit: 3,
        retry_delays_ms: vec![100, 200],
        shutdown_grace_secs: 5,
        outbox_poll_ms: 50,
        transient_backoff_max_ms: 400,
        metrics_addr: String::new(),
        ..AmqpConfig::default()
    }
}

/// Fails (never skips) when the broker is not there, saying how to start it.
pub async fn connect() -> Connection {
    match Connection::connect(&amqp_url(), ConnectionProperties::default()).await {
        Ok(c) => c,
        Err(e) => panic!(
            "RabbitMQ is not reachable at {} ({e}). These tests need a real broker: start it with \
             `rabbitmq-server -detached` (or set TUJIE_AMQP_URL)",
            tujie_queue::AmqpConfig { url: amqp_url(), ..AmqpConfig::default() }.redacted().url
        ),
    }
}

/// Declares the topology for `cfg` and deletes it (plus `extra_queues`) when dropped, even if the test panics.
pub struct Broker {
    pub cfg: AmqpConfig,
    pub conn: Connection,
    pub extra_queues: Mutex<Vec<String>>,
}

impl Broker {
    pub async fn new(cfg: AmqpConfig) -> Self {
        let conn = connect().await;
        let ch = conn.create_channel().await.unwrap();
        tujie_queue::declare_topology(&ch, &cfg).await.unwrap();
        Broker { cfg, conn, extra_queues: Mutex::new(Vec::new()) }
    }

    /// Publishes raw bytes to the events exchange, as the CMS would.
    pub async fn publish_raw(&self, routing_key: &str, body: &[u8]) {
        let ch = self.conn.create_channel().await.unwrap();
        ch.confirm_select(Default::default()).await.unwrap();
        let confirm = ch
            .basic_publish(
                self.cfg.events_exchange().as_str().into(),
                routing_key.into(),
                BasicPublishOptions { mandatory: true, ..Default::default() },
                body,
                BasicProperties::default().with_delivery_mode(2),
            )
            .await
            .unwrap()
            .await
            .unwrap();
        assert!(confirm.is_ack() && confirm.take_message().is_none(), "publish to {routing_key} not routed");
    }

    /// Declares `{prefix}.observer` bound to the events exchange with `binding_key`, as a downstream system
    /// would, and returns its name; it is deleted with the topology.
    pub async fn observe(&self, binding_key: &str) -> String {
        let ch = self.conn.create_channel().await.unwrap();
        let observer = format!("{}.observer", self.cfg.prefix);
        self.extra_queues.lock().unwrap().push(observer.clone());
        ch.queue_declare(observer.as_str().into(), QueueDeclareOptions::default(), FieldTable::default())
            .await
            .unwrap();
        let exchange = self.cfg.events_exchange();
        ch.queue_bind(
            observer.as_str().into(),
            exchange.as_str().into(),
            binding_key.into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await
        .unwrap();
        observer
    }

    /// Ready messages in `queue`.
    pub async fn count(&self, queue: &str) -> u32 {
        let ch = self.conn.create_channel().await.unwrap();
        let opts = QueueDeclareOptions { passive: true, ..Default::default() };
        ch.queue_declare(queue.into(), opts, FieldTable::default()).await.unwrap().message_count()
    }
}

impl Broker {
    /// Waits up to 3 s for `queue` to hold `n` ready messages: returns into a quorum queue go through its log,
    /// so a count taken right after a nack or a channel close can lag.
    pub async fn eventually_count(&self, queue: &str, n: u32) {
        let mut last = 0;
        for _ in 0..60 {
            last = self.count(queue).await;
            if last == n {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("{queue} holds {last} messages, expected {n}");
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        let cfg = self.cfg.clone();
        let extra = std::mem::take(&mut *self.extra_queues.lock().unwrap());
        // Async cleanup from Drop: a separate runtime on a separate thread, so it also runs after a panic.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                let Ok(conn) = Connection::connect(&cfg.url, ConnectionProperties::default()).await else { return };
                let Ok(ch) = conn.create_channel().await else { return };
                for q in extra {
                    let _ = ch.queue_delete(q.as_str().into(), QueueDeleteOptions::default()).await;
                }
                if let Err(e) = tujie_queue::delete_topology(&ch, &cfg).await {
                    eprintln!("cleanup of {} failed: {e}", cfg.prefix);
                }
                let _ = conn.close(200, "bye".into()).await;
            });
        })
        .join();
    }
}

/// The reason `TestHandler` fails `fail-*` events with, as the pipeline would classify a rendering bug.
pub const FAIL_REASON: &str = "render_error";

/// A valid `policy.published` event.
pub fn event(event_id: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "event_id": event_id,
        "type": "policy.published",
        "document": {"id": format!("doc-{event_id}"), "title": "关于印发某某实施方案的通知", "published_at": "2024-03-01"}
    }))
    .unwrap()
}

/// An in-memory handler driven by the event id: `fail-*` always fails with reason [`FAIL_REASON`], `flaky-N-*` is
/// transient N times, `slow-*` takes 30 ms; everything else is applied. Ids seen before come back as duplicates.
#[derive(Debug, Default)]
pub struct TestHandler {
    pub calls: Mutex<HashMap<String, u32>>,
    pub applied: Mutex<Vec<String>>,
    seen: Mutex<HashSet<String>>,
    pub duplicates: AtomicU64,
}

impl TestHandler {
    pub fn calls_for(&self, id: &str) -> u32 {
        self.calls.lock().unwrap().get(id).copied().unwrap_or(0)
    }
    pub fn applied(&self) -> Vec<String> {
        self.applied.lock().unwrap().clone()
    }
}

impl EventHandler for TestHandler {
    async fn handle(&self, body: &[u8]) -> Result<Handled, HandleError> {
        let event = tujie_model::InboundEvent::from_slice(body, 1 << 20)?;
        let id = event.event_id.clone();
        let calls = {
            let mut calls = self.calls.lock().unwrap();
            let c = calls.entry(id.clone()).or_default();
            *c += 1;
            *c
        };
        if id.starts_with("fail-") {
            return Err(HandleError::Failed { reason: FAIL_REASON.into(), message: format!("boom #{calls}") });
        }
        if id.starts_with("panic-") {
            panic!("handler bug #{calls}");
        }
        if let Some(rest) = id.strip_prefix("flaky-") {
            let n: u32 = rest.split('-').next().unwrap().parse().unwrap();
            if calls <= n {
                return Err(HandleError::Transient("database is down".into()));
            }
        }
        if id.starts_with("slow-") {
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
        if !self.seen.lock().unwrap().insert(id.clone()) {
            self.duplicates.fetch_add(1, Ordering::Relaxed);
            return Ok(Handled::Duplicate);
        }
        self.applied.lock().unwrap().push(id);
        Ok(Handled::Applied)
    }
}

/// An in-memory outbox with the store's claim rules.
#[derive(Debug, Default)]
pub struct TestOutbox {
    pub rows: Mutex<Vec<(OutboxMessage, bool)>>,
    /// Row id → (owner, claimed until).
    claims: Mutex<HashMap<i64, (String, Instant)>>,
}

impl OutboxSource for TestOutbox {
    async fn claim_unsent(&self, owner: &str, limit: usize, lease: Duration) -> Result<Vec<OutboxMessage>, String> {
        let rows = self.rows.lock().unwrap();
        let mut claims = self.claims.lock().unwrap();
        let now = Instant::now();
        let claimable = |id: &i64| claims.get(id).is_none_or(|(by, until)| *until < now || by == owner);
        let batch: Vec<OutboxMessage> =
            rows.iter().filter(|(m, sent)| !sent && claimable(&m.id)).take(limit).map(|(m, _)| m.clone()).collect();
        for m in &batch {
            claims.insert(m.id, (owner.to_owned(), now + lease));
        }
        Ok(batch)
    }
    async fn release(&self, owner: &str) -> Result<(), String> {
        self.claims.lock().unwrap().retain(|_, (by, _)| by != owner);
        Ok(())
    }
    async fn unsent(&self) -> Result<u64, String> {
        Ok(self.rows.lock().unwrap().iter().filter(|(_, sent)| !sent).count() as u64)
    }
    async fn mark_sent(&self, ids: &[i64]) -> Result<(), String> {
        for (m, sent) in self.rows.lock().unwrap().iter_mut() {
            if ids.contains(&m.id) {
                *sent = true;
            }
        }
        Ok(())
    }
}
