//! Process-wide Prometheus metrics and the `/metrics`, `/healthz`, `/readyz` server.
//!
//! Hand-rolled rather than a metrics crate: a dozen atomics and one text renderer are less code than wiring a
//! registry through every call site, and add no dependency. The registry is a process global because a process
//! runs one worker, one relay and one server; tests in one binary share it, so they assert on deltas.

use std::{
    collections::BTreeMap,
    fmt::Write as _,
    sync::{
        LazyLock, Mutex,
        atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering},
    },
    time::Duration,
};

use axum::{Router, http::StatusCode, routing::get};

use crate::{QueueError, Shutdown};

/// Upper bounds of the latency histogram buckets, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// A cumulative latency histogram with fixed buckets.
#[derive(Debug, Default)]
struct Histogram {
    counts: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl Histogram {
    fn observe(&self, d: Duration) {
        let secs = d.as_secs_f64();
        for (bound, count) in BUCKETS.iter().zip(&self.counts) {
            if secs <= *bound {
                count.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros.fetch_add(d.as_micros() as u64, Ordering::Relaxed);
    }

    fn render(&self, out: &mut String, name: &str, stage: &str) {
        for (bound, count) in BUCKETS.iter().zip(&self.counts) {
            let _ =
                writeln!(out, "{name}_bucket{{stage=\"{stage}\",le=\"{bound}\"}} {}", count.load(Ordering::Relaxed));
        }
        let total = self.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{stage=\"{stage}\",le=\"+Inf\"}} {total}");
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "{name}_sum{{stage=\"{stage}\"}} {sum}");
        let _ = writeln!(out, "{name}_count{{stage=\"{stage}\"}} {total}");
    }
}

/// Every metric the process exports.
#[derive(Debug, Default)]
struct Registry {
    deliveries: AtomicU64,
    acks: AtomicU64,
    duplicates: AtomicU64,
    retries: AtomicU64,
    transient: AtomicU64,
    acks_not_sent: AtomicU64,
    reconnects: AtomicU64,
    /// By `(reason, last_reason)`: `delivery_limit` alone would hide what kept failing.
    dead_letters: Mutex<BTreeMap<(String, String), u64>>,
    /// Failed attempts (retried or dead-lettered) by the handler's reason, so a rising failure shows before its
    /// messages reach the dead queue.
    failures: Mutex<BTreeMap<String, u64>>,
    drafts_made: AtomicU64,
    outbox_published: AtomicU64,
    outbox_backlog: AtomicI64,
    handle_latency: Histogram,
    ack_latency: Histogram,
    publish_latency: Histogram,
    consumer_ready: AtomicBool,
    /// Deliveries taken from the input queue and not yet settled, over every worker of the process.
    deliveries_held: AtomicI64,
}

static REGISTRY: LazyLock<Registry> = LazyLock::new(Registry::default);

/// Counts one draft made (called by the pipeline crate).
pub fn inc_drafts_made() {
    REGISTRY.drafts_made.fetch_add(1, Ordering::Relaxed);
}

pub(crate) fn inc_deliveries() {
    REGISTRY.deliveries.fetch_add(1, Ordering::Relaxed);
}
pub(crate) fn inc_acks() {
    REGISTRY.acks.fetch_add(1, Ordering::Relaxed);
}
pub(crate) fn inc_duplicates() {
    REGISTRY.duplicates.fetch_add(1, Ordering::Relaxed);
}
pub(crate) fn inc_retries() {
    REGISTRY.retries.fetch_add(1, Ordering::Relaxed);
}
pub(crate) fn inc_transient() {
    REGISTRY.transient.fetch_add(1, Ordering::Relaxed);
}
pub(crate) fn inc_acks_not_sent() {
    REGISTRY.acks_not_sent.fetch_add(1, Ordering::Relaxed);
}
pub(crate) fn inc_reconnects() {
    REGISTRY.reconnects.fetch_add(1, Ordering::Relaxed);
}
pub(crate) fn inc_dead_letter(reason: &str, last_reason: &str) {
    let mut map = REGISTRY.dead_letters.lock().unwrap_or_else(|p| p.into_inner());
    *map.entry((reason.to_owned(), last_reason.to_owned())).or_default() += 1;
}
pub(crate) fn inc_failure(reason: &str) {
    *REGISTRY.failures.lock().unwrap_or_else(|p| p.into_inner()).entry(reason.to_owned()).or_default() += 1;
}
pub(crate) fn add_outbox_published(n: usize) {
    REGISTRY.outbox_published.fetch_add(n as u64, Ordering::Relaxed);
}
pub(crate) fn set_outbox_backlog(n: usize) {
    REGISTRY.outbox_backlog.store(n as i64, Ordering::Relaxed);
}
pub(crate) fn observe_handle(d: Duration) {
    REGISTRY.handle_latency.observe(d);
}
pub(crate) fn observe_ack(d: Duration) {
    REGISTRY.ack_latency.observe(d);
}
pub(crate) fn observe_publish(d: Duration) {
    REGISTRY.publish_latency.observe(d);
}
pub(crate) fn add_deliveries_held(delta: i64) {
    REGISTRY.deliveries_held.fetch_add(delta, Ordering::Relaxed);
}
pub(crate) fn set_consumer_ready(ready: bool) {
    REGISTRY.consumer_ready.store(ready, Ordering::Relaxed);
}

/// Whether a consumer is currently attached to the input queue (what `/readyz` reports).
pub fn consumer_ready() -> bool {
    REGISTRY.consumer_ready.load(Ordering::Relaxed)
}

/// Dead letters counted so far for `reason`, whatever their last reason (for tests and `tujie status`).
pub fn dead_letters(reason: &str) -> u64 {
    let map = REGISTRY.dead_letters.lock().unwrap_or_else(|p| p.into_inner());
    map.iter().filter(|((r, _), _)| r == reason).map(|(_, n)| n).sum()
}

/// Failed attempts counted so far with the handler's `reason`.
pub fn failures(reason: &str) -> u64 {
    REGISTRY.failures.lock().unwrap_or_else(|p| p.into_inner()).get(reason).copied().unwrap_or(0)
}

/// The Prometheus text exposition (format 0.0.4) of every metric.
pub fn render() -> String {
    let r = &*REGISTRY;
    let mut out = String::new();
    let mut counter = |name: &str, help: &str, v: &AtomicU64| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}", v.load(Ordering::Relaxed));
    };
    counter("tujie_deliveries_total", "Deliveries received from the input queue.", &r.deliveries);
    counter("tujie_acks_total", "Deliveries acknowledged (handled, retried or dead-lettered).", &r.acks);
    counter("tujie_duplicates_total", "Deliveries whose event id was already processed.", &r.duplicates);
    counter("tujie_retries_total", "Deliveries sent to a retry queue.", &r.retries);
    counter("tujie_transient_errors_total", "Handler reports of an unavailable dependency.", &r.transient);
    counter(
        "tujie_acks_not_sent_total",
        "Acks that could not be sent because the channel had closed; the broker redelivers.",
        &r.acks_not_sent,
    );
    counter("tujie_reconnects_total", "Times the supervisor rebuilt broker connections.", &r.reconnects);
    counter("tujie_drafts_made_total", "Infographic drafts created.", &r.drafts_made);
    counter("tujie_outbox_published_total", "Outbox events confirmed by the broker.", &r.outbox_published);
    let _ = writeln!(
        out,
        "# HELP tujie_dead_letters_total Messages sent to the dead queue, by reason and the last attempt's reason."
    );
    let _ = writeln!(out, "# TYPE tujie_dead_letters_total counter");
    for ((reason, last), n) in r.dead_letters.lock().unwrap_or_else(|p| p.into_inner()).iter() {
        let (reason, last) = (escape_label(reason), escape_label(last));
        let _ = writeln!(out, "tujie_dead_letters_total{{reason=\"{reason}\",last_reason=\"{last}\"}} {n}");
    }
    let _ = writeln!(out, "# HELP tujie_failures_total Failed handler attempts (retried or dead-lettered), by reason.");
    let _ = writeln!(out, "# TYPE tujie_failures_total counter");
    for (reason, n) in r.failures.lock().unwrap_or_else(|p| p.into_inner()).iter() {
        let _ = writeln!(out, "tujie_failures_total{{reason=\"{}\"}} {n}", escape_label(reason));
    }
    let mut gauge = |name: &str, help: &str, v: i64| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
    };
    gauge(
        "tujie_outbox_backlog",
        "Outbox rows this process's relay claimed in its last poll (capped by the batch size).",
        r.outbox_backlog.load(Ordering::Relaxed),
    );
    gauge(
        "tujie_consumer_ready",
        "1 while a consumer is attached to the input queue.",
        i64::from(u8::from(consumer_ready())),
    );
    gauge(
        "tujie_deliveries_held",
        "Deliveries taken and not yet settled (unacknowledged on the broker).",
        r.deliveries_held.load(Ordering::Relaxed),
    );
    let _ = writeln!(out, "# HELP tujie_stage_seconds Latency per stage: handle, ack, publish.");
    let _ = writeln!(out, "# TYPE tujie_stage_seconds histogram");
    r.handle_latency.render(&mut out, "tujie_stage_seconds", "handle");
    r.ack_latency.render(&mut out, "tujie_stage_seconds", "ack");
    r.publish_latency.render(&mut out, "tujie_stage_seconds", "publish");
    out
}

fn escape_label(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// The metrics and health routes, for embedding in another axum server.
pub fn router() -> Router {
    Router::new()
        .route("/metrics", get(|| async { ([("content-type", "text/plain; version=0.0.4; charset=utf-8")], render()) }))
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
        inc_drafts_made();
        let text = render();
        assert!(
            text.contains("tujie_dead_letters_total{reason=\"malformed_json\",last_reason=\"malformed_json\"}"),
            "{text}"
        );
        assert!(text.contains("tujie_failures_total{reason=\"render_error\"}"), "{text}");
        assert!(text.contains("tujie_stage_seconds_bucket{stage=\"handle\",le=\"0.005\"}"), "{text}");
        assert!(text.contains("# TYPE tujie_drafts_made_total counter"), "{text}");
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let value = line.rsplit(' ').next().unwrap();
            assert!(value.parse::<f64>().is_ok(), "bad sample line {line}");
        }
    }
}
