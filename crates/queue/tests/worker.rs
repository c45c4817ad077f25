//! Integration tests of the consumer, relay, publisher and dead-letter tools against the real RabbitMQ.

mod common;

use std::{sync::Arc, time::Duration};

use common::{Broker, FAIL_REASON, TestHandler, TestOutbox, event, test_config};
use tujie_queue::{
    OutboxMessage, OutboxSource, Shutdown, dlq, lapin::options::BasicGetOptions, publish_events, run_relay, run_worker,
    shutdown_pair,
};

const IDLE: Option<Duration> = Some(Duration::from_millis(700));

#[tokio::test]
async fn published_events_are_handled_and_acked() {
    let broker = Broker::new(test_config("ack")).await;
    let report =
        publish_events(&broker.cfg, vec![event("e-1"), event("e-2"), b"  ".to_vec(), event("e-3")]).await.unwrap();
    assert_eq!((report.published, report.blank, report.failed.len()), (3, 1, 0), "{report:?}");

    let handler = Arc::new(TestHandler::default());
    let stats = run_worker(&broker.cfg, handler.clone(), Shutdown::never(), IDLE).await.unwrap();
    let mut applied = handler.applied();
    applied.sort();
    assert_eq!(applied, ["e-1", "e-2", "e-3"]);
    assert_eq!((stats.deliveries, stats.applied, stats.dead_lettered), (3, 3, 0), "{stats:?}");
    assert_eq!(broker.count(&broker.cfg.input_queue()).await, 0);
    assert!(dlq::list(&broker.cfg, 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn malformed_message_is_dead_lettered_and_the_next_one_still_processed() {
    let broker = Broker::new(test_config("bad")).await;
    broker.publish_raw("policy.published", b"{not json").await;
    broker.publish_raw("interpretation.published", br#"{"event_id": "x", "type": "interpretation.published"}"#).await;
    broker.publish_raw("policy.published", &event("good-1")).await;

    let handler = Arc::new(TestHandler::default());
    let stats = run_worker(&broker.cfg, handler.clone(), Shutdown::never(), IDLE).await.unwrap();
    assert_eq!(handler.applied(), ["good-1"]);
    assert_eq!(stats.dead_lettered, 2, "{stats:?}");

    let mut dead = dlq::list(&broker.cfg, 10).await.unwrap();
    dead.sort_by(|a, b| a.reason.cmp(&b.reason));
    assert_eq!(dead.len(), 2, "{dead:?}");
    assert_eq!(dead[0].reason, "malformed_json");
    assert_eq!(dead[0].last_reason.as_deref(), Some("malformed_json"));
    assert_eq!(dead[0].routing_key, "policy.published");
    assert_eq!(dead[0].body, b"{not json");
    assert_eq!(dead[1].reason, "schema_violation");
    assert!(dead[1].error.contains("document: is required"), "{}", dead[1].error);
    assert_eq!(dead[1].routing_key, "interpretation.published");

    // Listing is non-destructive.
    broker.eventually_count(&broker.cfg.dead_queue(), 2).await;
    assert_eq!(dlq::list(&broker.cfg, 10).await.unwrap().len(), 2);
    broker.eventually_count(&broker.cfg.dead_queue(), 2).await;
}

#[tokio::test]
async fn failing_handler_ends_in_the_dead_queue_after_the_limit_with_its_reason() {
    let broker = Broker::new(test_config("fail")).await;
    broker.publish_raw("policy.published", &event("fail-1")).await;
    broker.publish_raw("policy.published", &event("ok-1")).await;

    let failures_before = tujie_queue::metrics::failures(FAIL_REASON);
    let handler = Arc::new(TestHandler::default());
    let stats = run_worker(&broker.cfg, handler.clone(), Shutdown::never(), IDLE).await.unwrap();
    assert_eq!(handler.calls_for("fail-1"), broker.cfg.delivery_limit);
    assert_eq!(handler.applied(), ["ok-1"]);
    assert_eq!(stats.retried, u64::from(broker.cfg.delivery_limit - 1), "{stats:?}");
    let dead = dlq::list(&broker.cfg, 10).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].reason, "delivery_limit");
    // What kept failing survives the retries: the handler's reason and the last attempt's text.
    assert_eq!(dead[0].last_reason.as_deref(), Some(FAIL_REASON), "{dead:?}");
    assert!(dead[0].error.contains("boom #3"), "{}", dead[0].error);
    // Other tests of this binary share the registry, so count the delta (at least: they use other reasons).
    assert!(tujie_queue::metrics::failures(FAIL_REASON) >= failures_before + u64::from(broker.cfg.delivery_limit));
    // The retry queues rewrite the routing key; the header keeps the original.
    assert_eq!(dead[0].routing_key, "policy.published");
}

#[tokio::test]
async fn a_panicking_handler_is_a_failed_attempt_and_the_message_is_not_stuck() {
    let broker = Broker::new(test_config("panic")).await;
    broker.publish_raw("policy.published", &event("panic-1")).await;
    broker.publish_raw("policy.published", &event("ok-1")).await;

    let handler = Arc::new(TestHandler::default());
    let stats = run_worker(&broker.cfg, handler.clone(), Shutdown::never(), IDLE).await.unwrap();
    assert_eq!(handler.calls_for("panic-1"), broker.cfg.delivery_limit);
    assert_eq!(handler.applied(), ["ok-1"]);
    let dead = dlq::list(&broker.cfg, 10).await.unwrap();
    assert_eq!(dead.len(), 1, "{dead:?}");
    assert_eq!(dead[0].reason, "delivery_limit");
    assert_eq!(dead[0].last_reason.as_deref(), Some("handler_panicked"));
    assert!(dead[0].error.contains("handler panicked: handler bug"), "{}", dead[0].error);
    assert_eq!(stats.dead_lettered, 1, "{stats:?}");
}

#[tokio::test]
async fn transient_errors_are_retried_until_success_without_counting_as_poison() {
    let broker = Broker::new(test_config("transient")).await;
    // More transient failures than the delivery limit: they must not count towards it.
    broker.publish_raw("policy.published", &event("flaky-4-a")).await;

    let handler = Arc::new(TestHandler::default());
    let stats =
        run_worker(&broker.cfg, handler.clone(), Shutdown::never(), Some(Duration::from_secs(2))).await.unwrap();
    assert_eq!(handler.applied(), ["flaky-4-a"]);
    assert_eq!(handler.calls_for("flaky-4-a"), 5);
    assert_eq!((stats.transient, stats.dead_lettered), (4, 0), "{stats:?}");
    assert_eq!(broker.count(&broker.cfg.dead_queue()).await, 0);
}

#[tokio::test]
async fn dead_letters_can_be_requeued_and_purged() {
    let broker = Broker::new(test_config("dlq")).await;
    broker.publish_raw("policy.published", b"[1,2").await;
    broker.publish_raw("document.withdrawn", b"nope").await;
    let handler = Arc::new(TestHandler::default());
    run_worker(&broker.cfg, handler.clone(), Shutdown::never(), IDLE).await.unwrap();
    broker.eventually_count(&broker.cfg.dead_queue(), 2).await;

    assert_eq!(dlq::requeue(&broker.cfg, 1).await.unwrap(), 1);
    // Back through the events exchange under its original routing key, into the input queue.
    broker.eventually_count(&broker.cfg.input_queue(), 1).await;
    broker.eventually_count(&broker.cfg.dead_queue(), 1).await;
    assert_eq!(dlq::purge(&broker.cfg).await.unwrap(), 1);
    assert!(dlq::list(&broker.cfg, 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn publish_reports_bad_lines_by_number_and_sends_the_rest() {
    let broker = Broker::new(test_config("publish")).await;
    let lines = vec![
        event("p-1"),
        br#"{"event_id": "no-type"}"#.to_vec(),
        b"{broken".to_vec(),
        br#"{"event_id": "q", "type": "nobody.listens"}"#.to_vec(),
        event("p-2"),
    ];
    let report = publish_events(&broker.cfg, lines).await.unwrap();
    assert_eq!(report.published, 2);
    let numbers: Vec<_> = report.failed.iter().map(|(n, _)| *n).collect();
    assert_eq!(numbers, [2, 3, 4], "{report:?}");
    assert!(report.failed[2].1.contains("unroutable"), "{report:?}");
    assert_eq!(broker.count(&broker.cfg.input_queue()).await, 2);
}

#[tokio::test]
async fn relay_publishes_confirmed_outbox_rows_with_stable_message_ids() {
    let broker = Broker::new(test_config("relay")).await;
    // An observer like a downstream system: bound to produced types only.
    let observer = broker.observe("draft.*").await;
    let ch = broker.conn.create_channel().await.unwrap();

    let outbox = Arc::new(TestOutbox::default());
    for (id, key) in [(1, "draft.created"), (2, "draft.superseded")] {
        let event_id = format!("{key}:d-{id}");
        let payload = serde_json::to_vec(&serde_json::json!({"event_id": event_id, "type": key})).unwrap();
        outbox.rows.lock().unwrap().push((OutboxMessage { id, event_id, routing_key: key.into(), payload }, false));
    }
    let stats =
        run_relay(&broker.cfg, outbox.clone(), Shutdown::never(), Some(Duration::from_millis(300))).await.unwrap();
    assert_eq!(stats.published, 2);
    assert!(outbox.rows.lock().unwrap().iter().all(|(_, sent)| *sent));

    let mut seen = Vec::new();
    while let Some(msg) = ch.basic_get(observer.as_str().into(), BasicGetOptions { no_ack: true }).await.unwrap() {
        let d = msg.delivery;
        seen.push((d.routing_key.to_string(), d.properties.message_id().as_ref().map(|m| m.to_string())));
        assert_eq!(d.properties.delivery_mode(), &Some(2));
    }
    assert_eq!(
        seen,
        [
            ("draft.created".to_string(), Some("draft.created:d-1".to_string())),
            ("draft.superseded".to_string(), Some("draft.superseded:d-2".to_string()))
        ]
    );
    // Produced events never reach our own input queue.
    assert_eq!(broker.count(&broker.cfg.input_queue()).await, 0);
}

/// Every worker process runs a relay over the same outbox: two at once must publish each row once, not twice.
#[tokio::test]
async fn two_relays_over_one_outbox_publish_each_event_once() {
    let broker = Broker::new(test_config("relays")).await;
    let observer = broker.observe("draft.*").await;
    let ch = broker.conn.create_channel().await.unwrap();

    let rows = 300;
    let outbox = Arc::new(TestOutbox::default());
    for id in 1..=rows {
        let event_id = format!("draft.created:d-{id}");
        let payload = serde_json::to_vec(&serde_json::json!({"event_id": event_id, "type": "draft.created"})).unwrap();
        let msg = OutboxMessage { id, event_id, routing_key: "draft.created".into(), payload };
        outbox.rows.lock().unwrap().push((msg, false));
    }
    // Small batches, so the two relays take turns many times instead of one finishing before the other starts.
    let cfg = tujie_queue::AmqpConfig { outbox_batch: 10, ..broker.cfg.clone() };
    let idle = Some(Duration::from_millis(500));
    let (a, b) = tokio::join!(
        run_relay(&cfg, outbox.clone(), Shutdown::never(), idle),
        run_relay(&cfg, outbox.clone(), Shutdown::never(), idle)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.published + b.published, rows as u64, "{a:?} {b:?}");
    assert!(outbox.rows.lock().unwrap().iter().all(|(_, sent)| *sent));

    broker.eventually_count(&observer, rows as u32).await;
    let mut ids = std::collections::BTreeSet::new();
    while let Some(msg) = ch.basic_get(observer.as_str().into(), BasicGetOptions { no_ack: true }).await.unwrap() {
        let id = msg.delivery.properties.message_id().as_ref().map(|m| m.to_string()).unwrap_or_default();
        assert!(ids.insert(id.clone()), "{id} published twice");
    }
    assert_eq!(ids.len(), rows as usize);
}

/// A relay that died leaves its rows leased. A relay told to stop when idle must not stop before the lease runs
/// out and it has sent them (the SIGKILL case of `tests/queue_e2e.rs` once ended with rows unsent).
#[tokio::test]
async fn an_idle_relay_waits_for_rows_a_dead_relay_leased() {
    let broker = Broker::new(test_config("leased")).await;
    let observer = broker.observe("draft.*").await;
    let outbox = Arc::new(TestOutbox::default());
    let event_id = "draft.created:d-1".to_string();
    let payload = serde_json::to_vec(&serde_json::json!({"event_id": event_id, "type": "draft.created"})).unwrap();
    outbox
        .rows
        .lock()
        .unwrap()
        .push((OutboxMessage { id: 1, event_id, routing_key: "draft.created".into(), payload }, false));
    let lease = Duration::from_millis(1500);
    let dead = outbox.claim_unsent("dead-relay", 10, lease).await.unwrap();
    assert_eq!(dead.len(), 1);

    let stats =
        run_relay(&broker.cfg, outbox.clone(), Shutdown::never(), Some(Duration::from_millis(200))).await.unwrap();
    assert_eq!(stats.published, 1, "the leased row was left behind");
    assert!(outbox.rows.lock().unwrap().iter().all(|(_, sent)| *sent));
    broker.eventually_count(&observer, 1).await;
}

#[tokio::test]
async fn shutdown_stops_the_worker_within_the_grace_period() {
    let broker = Broker::new(test_config("stop")).await;
    for i in 0..20 {
        broker.publish_raw("policy.published", &event(&format!("slow-{i}"))).await;
    }
    let (trigger, shutdown) = shutdown_pair();
    let handler = Arc::new(TestHandler::default());
    let cfg = broker.cfg.clone();
    let h = handler.clone();
    let worker = tokio::spawn(async move { run_worker(&cfg, h, shutdown, None).await });
    tokio::time::sleep(Duration::from_millis(150)).await;
    let asked = std::time::Instant::now();
    trigger.trigger();
    let stats = tokio::time::timeout(Duration::from_secs(10), worker).await.unwrap().unwrap().unwrap();
    assert!(asked.elapsed() < broker.cfg.shutdown_grace(), "took {:?}", asked.elapsed());
    let handled = handler.applied().len();
    assert!(handled < 20, "the worker did not stop early: {stats:?}");
    assert!(stats.deliveries >= handled as u64, "{stats:?}");

    // Nothing was lost and nothing is applied twice: a second worker finds every event not handled yet still in
    // the queue. Delivery is at least once, so an event handled just before the stop may come again (the broker can
    // drop a settle still buffered in the closing channel and return the message); the handler's idempotence turns
    // that into a duplicate, acked without effects.
    let rest = run_worker(&broker.cfg, handler.clone(), Shutdown::never(), IDLE).await.unwrap();
    let mut applied = handler.applied();
    applied.sort();
    applied.dedup();
    assert_eq!(applied.len(), 20, "events lost or applied twice: {applied:?}");
    assert_eq!(handler.applied().len(), 20, "an event was applied twice");
    assert_eq!(rest.applied + rest.duplicates, rest.deliveries, "{rest:?}");
    assert_eq!(broker.count(&broker.cfg.input_queue()).await, 0);
    assert_eq!(broker.count(&broker.cfg.dead_queue()).await, 0);
}

#[tokio::test]
async fn metrics_and_health_endpoints_answer() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, tujie_queue::metrics::router()).await });
    tujie_queue::metrics::draft_made("long/v1", Duration::from_millis(30), Duration::from_millis(400));
    let by_template = r#"tujie_drafts_by_template_total{template="long/v1"}"#;
    for (path, expect) in [("/metrics", by_template), ("/healthz", "ok"), ("/readyz", "")] {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes()).await.unwrap();
        let mut resp = String::new();
        s.read_to_string(&mut resp).await.unwrap();
        assert!(resp.starts_with("HTTP/1.1 200") || (path == "/readyz" && resp.starts_with("HTTP/1.1 503")), "{resp}");
        assert!(resp.contains(expect), "{resp}");
        if path == "/metrics" {
            assert!(resp.contains("content-type: text/plain; version=0.0.4"), "{resp}");
            // The names dashboards and alerts use (docs/deploy.md), each declared with its type.
            for declared in [
                "tujie_deliveries_total counter",
                "tujie_acks_total counter",
                "tujie_duplicates_total counter",
                "tujie_retries_total counter",
                "tujie_transient_errors_total counter",
                "tujie_acks_not_sent_total counter",
                "tujie_reconnects_total counter",
                "tujie_drafts_made_total counter",
                "tujie_drafts_by_template_total counter",
                "tujie_outbox_published_total counter",
                "tujie_dead_letters_total counter",
                "tujie_failures_total counter",
                "tujie_outbox_backlog gauge",
                "tujie_consumer_ready gauge",
                "tujie_deliveries_held gauge",
                "tujie_stage_seconds histogram",
            ] {
                assert!(resp.contains(&format!("# TYPE {declared}\n")), "{declared} missing:\n{resp}");
            }
            // A draft's extraction and rendering are stages of their own.
            for stage in ["extract", "render"] {
                assert!(resp.contains(&format!("tujie_stage_seconds_count{{stage=\"{stage}\"}}")), "{stage}:\n{resp}");
            }
        }
    }
}

#[test]
fn deploy_definitions_match_the_declared_topology() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../deploy/rabbitmq-definitions.json");
    let expected = tujie_queue::Topology::plan(&tujie_queue::AmqpConfig::default()).definitions();
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let actual: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    if actual != expected {
        if std::env::var_os("TUJIE_BLESS").is_some() {
            std::fs::write(path, serde_json::to_string_pretty(&expected).unwrap() + "\n").unwrap();
        } else {
            panic!(
                "{path} disagrees with Topology::plan(default); rerun with TUJIE_BLESS=1 to rewrite it.\nexpected:\n{}",
                serde_json::to_string_pretty(&expected).unwrap()
            );
        }
    }
}
