//! Process-wide Prometheus metrics and the `/metrics`, `/healthz`, `/readyz` server.
//!
//! The metrics are the Prometheus project's `prometheus-client` types in one registry, exposed in the Prometheus
//! text format (0.0.4). The registry is a process global because a process runs one worker, one relay and one
//! server; tests in one binary share it, so they assert on deltas. Metric names are part of the operators'
//! contract (dashboards, alerts): `tujie_*_total` counters, gauges and the `tujie_stage_seconds` histogram.

use std::sync::LazyLock;
use std::time::Duration;

use axum::{Router, http::StatusCode, routing::get};
use prometheus_client::encoding::prometheus_text;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use tujie_model::draft::LATENCY_BUCKETS_SECONDS;

use crate::{QueueError, Shutdown};

/// Labels of a dead letter: why it was dead-lettered and the last attempt's reason.
type DeadLetterLabels = [(&'static str, String); 2];
/// Label of a failure: the handler's reason.
type ReasonLabel = [(&'static str, String); 1];
/// Label of a draft: its template.
type TemplateLabel = [(&'static str, String); 1];
/// Label of a latency: the stage (`handle`, `ack`, `publish`, `extract`, `render`).
type StageLabel = [(&'static str, &'static str); 1];

/// Every metric the process exports, and the registry that encodes them.
#[derive(Debug)]
struct Metrics {
    registry: Registry,
    deliveries: Counter,
    acks: Counter,
    duplicates: Counter,
    retries: Counter,
    transient: Counter,
    acks_not_sent: Counter,
    reconnects: Counter,
    /// By `(reason, last_reason)`: `delivery_limit` alone would hide what kept failing.
    dead_letters: Family<DeadLetterLabels, Counter>,
    /// Failed attempts (retried or dead-lettered) by the handler's reason, so a rising failure shows before its
    /// messages reach the dead queue.
    failures: Family<ReasonLabel, Counter>,
    drafts_made: Counter,
    /// Drafts made, by the template they were drawn with (`long/v1`).
    drafts_by_template: Family<TemplateLabel, Counter>,
    outbox_published: Counter,
    outbox_backlog: Gauge,
    stage_latency: Family<StageLabel, Histogram, fn() -> Histogram>,
    consumer_ready: Gauge,
    /// Deliveries taken from the input queue and not yet settled, over every worker of the process.
    deliveries_held: Gauge,
}

fn latency_histogram() -> Histogram {
    Histogram::new(LATENCY_BUCKETS_SECONDS)
}

impl Metrics {
    fn new() -> Self {
        let mut m = Metrics {
            registry: Registry::default(),
            deliveries: Counter::default(),
            acks: Counter::default(),
            duplicates: Counter::default(),
            retries: Counter::default(),
            transient: Counter::default(),
            acks_not_sent: Counter::default(),
            reconnects: Counter::default(),
            dead_letters: Family::default(),
            failures: Family::default(),
            drafts_made: Counter::default(),
            drafts_by_template: Family::default(),
            outbox_published: Counter::default(),
            outbox_backlog: Gauge::default(),
            stage_latency: Family::new_with_constructor(latency_histogram),
            consumer_ready: Gauge::default(),
            deliveries_held: Gauge::default(),
        };
        m.register_all();
        m
    }

    fn register_all(&mut self) {
        // Counters are registered without `_total`, which the encoder appends; the registry ends every help text
        // with a full stop itself.
        let r = &mut self.registry;
        r.register("tujie_deliveries", "Deliveries received from the input queue", self.deliveries.clone());
        r.register("tujie_acks", "Deliveries acknowledged (handled, retried or dead-lettered)", self.acks.clone());
        r.register("tujie_duplicates", "Deliveries whose event id was already processed", self.duplicates.clone());
        r.register("tujie_retries", "Deliveries sent to a retry queue", self.retries.clone());
        r.register("tujie_transient_errors", "Handler reports of an unavailable dependency", self.transient.clone());
        r.register(
            "tujie_acks_not_sent",
            "Acks that could not be sent because the channel had closed; the broker redelivers",
            self.acks_not_sent.clone(),
        );
        r.register("tujie_reconnects", "Times the supervisor rebuilt broker connections", self.reconnects.clone());
        r.register("tujie_drafts_made", "Infographic drafts created", self.drafts_made.clone());
        r.register(
            "tujie_drafts_by_template",
            "Infographic drafts created, by the template they were drawn with",
            self.drafts_by_template.clone(),
        );
        r.register("tujie_outbox_published", "Outbox events confirmed by the broker", self.outbox_published.clone());
        r.register(
            "tujie_dead_letters",
            "Messages sent to the dead queue, by reason and the last attempt's reason",
            self.dead_letters.clone(),
        );
        r.register(
            "tujie_failures",
            "Failed handler attempts (retried or dead-lettered), by reason",
            self.failures.clone(),
        );
        r.register(
            "tujie_outbox_backlog",
            "Outbox rows this process's relay claimed in its last poll (capped by the batch size)",
            self.outbox_backlog.clone(),
        );
        r.register(
            "tujie_consumer_ready",
            "1 while a consumer is attached to the input queue",
            self.consumer_ready.clone(),
        );
        r.register(
            "tujie_deliveries_held",
            "Deliveries taken and not yet settled (unacknowledged on the broker)",
            self.deliveries_held.clone(),
        );
        r.register(
            "tujie_stage_seconds",
            "Latency per stage: handle, ack, publish, and a new draft's extract and render",
            self.stage_latency.clone(),
        );
    }
}

static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);

/// Counts one draft made with `template`, and the time its extraction and its rendering took (called by the
/// binary's adapter of the pipeline).
pub fn draft_made(template: &str, extraction: Duration, rendering: Duration) {
    METRICS.drafts_made.inc();
    METRICS.drafts_by_template.get_or_create(&[("template", template.to_owned())]).inc();
    observe("extract", extraction);
    observe("render", rendering);
}

pub(crate) fn inc_deliveries() {
    METRICS.deliveries.inc();
}
pub(crate) fn inc_acks() {
    METRICS.acks.inc();
}
pub(crate) fn inc_duplicates() {
    METRICS.duplicates.inc();
}
pub(crate) fn inc_retries() {
    METRICS.retries.inc();
}
pub(crate) fn inc_transient() {
    METRICS.transient.inc();
}
pub(crate) fn inc_acks_not_sent() {
    METRICS.acks_not_sent.inc();
}
pub(crate) fn inc_reconnects() {
    METRICS.reconnects.inc();
}
pub(crate) fn inc_dead_letter(reason: &str, last_reason: &str) {
    METRICS.dead_letters.get_or_create(&[("reason", reason.to_owned()), ("last_reason", last_reason.to_owned())]).inc();
}
pub(crate) fn inc_failure(reason: &str) {
    METRICS.failures.get_or_create(&[("reason", reason.to_owned())]).inc();
}
pub(crate) fn add_outbox_published(n: usize) {
    METRICS.outbox_published.inc_by(n as u64);
}
pub(crate) fn set_outbox_backlog(n: usize) {
    METRICS.outbox_backlog.set(n as i64);
}
fn observe(stage: &'static str, d: Duration) {
    METRICS.stage_latency.get_or_create(&[("stage", stage)]).observe(d.as_secs_f64());
}
pub(crate) fn observe_handle(d: Duration) {
    observe("handle", d);
}
pub(crate) fn observe_ack(d: Duration) {
    observe("ack", d);
}
pub(crate) fn observe_publish(d: Duration) {
    observe("publish", d);
}
pub(crate) fn add_deliveries_held(delta: i64) {
    METRICS.deliveries_held.inc_by(delta);
}
pub(crate) fn set_consumer_ready(ready: bool) {
    METRICS.consumer_ready.set(i64::from(ready));
}

/// Whether a consumer is currently attached to the input queue (what `/readyz` reports).
pub fn consumer_ready() -> bool {
    METRICS.consumer_ready.get() == 1
}

/// Failed attempts counted so far with the handler's `reason`.
pub fn failures(reason: &str) -> u64 {
    METRICS.failures.get(&[("reason", reason.to_owned())]).map_or(0, |c| c.get())
}

/// The Prometheus text exposition (format 0.0.4) of every metric.
pub fn render() -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = prometheus_text::encode(&mut out, &METRICS.registry);
    out
}

/// The metrics and health routes, for embedding in another axum server.
pub fn router() -> Router {
    Router::new()
        .route("/metrics", get(|| async { ([("content-type", prometheus_text::CONTENT_TYPE)], render()) }))
        .route("/healthz", get(|| async { "ok\n" }))
        .route(
            "/readyz",
            get(|| async {
                if consumer_ready() {
                    (StatusCode::OK, "ready\n")
                } else {
                    (StatusCode::SERVICE_UNAVAILABLE, "consumer not connected\n")
                }
            }),
        )
}

/// Serves `router()` on `addr` until `shutdown` fires. An empty `addr` disables the server (returns at once).
pub async fn serve(addr: &str, shutdown: Shutdown) -> Result<(), QueueError> {
    if addr.is_empty() {
        return Ok(());
    }
    let err = |source| QueueError::Metrics { addr: addr.to_owned(), source };
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(err)?;
    tracing::info!(addr = %listener.local_addr().map_err(err)?, "metrics server listening");
    axum::serve(listener, router()).with_graceful_shutdown(async move { shutdown.wait().await }).await.map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposition_has_counters_labels_and_histograms() {
        inc_dead_letter("malformed_json", "malformed_json");
        inc_failure("render_error");
        observe_handle(Duration::from_millis(3));
        draft_made("short/v1", Duration::from_millis(20), Duration::from_millis(300));
        let text = render();
        assert!(
            text.contains("tujie_dead_letters_total{reason=\"malformed_json\",last_reason=\"malformed_json\"}"),
            "{text}"
        );
        assert!(text.contains("tujie_failures_total{reason=\"render_error\"}"), "{text}");
        assert!(text.contains("tujie_stage_seconds_bucket{stage=\"handle\",le=\"0.005\"}"), "{text}");
        assert!(text.contains("# TYPE tujie_drafts_made_total counter"), "{text}");
        assert!(text.contains("tujie_drafts_by_template_total{template=\"short/v1\"} "), "{text}");
        assert!(text.contains("tujie_stage_seconds_bucket{stage=\"render\",le=\"0.5\"}"), "{text}");
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let value = line.rsplit(' ').next().unwrap();
            assert!(value.parse::<f64>().is_ok(), "bad sample line {line}");
        }
    }
}
