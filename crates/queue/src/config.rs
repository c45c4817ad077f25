//! Broker settings (`[amqp]` in pipeline.toml) and the names derived from them.
//!
//! Every exchange and queue name comes from `prefix`, so two deployments (or two test runs) on one broker never
//! share anything. `validate` collects every problem at once, keyed by the config path, so `tujie check-config`
//! can print them all in one go.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Connection, topology and flow-control settings for the queue edge.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct AmqpConfig {
    /// AMQP URI, credentials included (`redacted()` masks the password for logs).
    pub url: String,
    /// Prefix of every exchange and queue name; lets several deployments share a vhost.
    pub prefix: String,
    /// `quorum` (replicated, delivery limit, at-least-once dead-lettering) or `classic` (single node).
    pub queue_type: String,
    /// Deliveries the broker may push to one consumer before acks come back (`basic.qos`, per consumer).
    pub prefetch: u16,
    /// Deliveries handled at the same time by one worker.
    pub concurrency: usize,
    /// Failed attempts before a message is dead-lettered with reason `delivery_limit`; also the quorum queue's
    /// own `x-delivery-limit`, the backstop for a worker that dies while holding a message.
    pub delivery_limit: u32,
    /// Delay before each retry, one TTL'd retry queue per entry; attempts past the end reuse the last one.
    pub retry_delays_ms: Vec<u64>,
    /// Messages larger than this are dead-lettered as `too_large` without being parsed.
    pub max_message_bytes: usize,
    /// How long shutdown waits for in-flight deliveries before abandoning them to redelivery.
    pub shutdown_grace_secs: u64,
    /// How often the outbox relay polls when the outbox was empty.
    pub outbox_poll_ms: u64,
    /// Rows the relay publishes per batch (one confirm wait per batch).
    pub outbox_batch: usize,
    /// How long a relay's claim on a batch of outbox rows lasts. Other relays (every worker runs one) leave the
    /// rows alone meanwhile; a relay that died holding them is replaced once it has passed. It should comfortably
    /// exceed the time to publish and confirm one batch, or a slow relay and its successor both publish.
    pub outbox_lease_ms: u64,
    /// Longest pause after the database reported itself unavailable (`HandleError::Transient`).
    pub transient_backoff_max_ms: u64,
    /// `host:port` for `/metrics`, `/healthz` and `/readyz`; empty disables the server.
    pub metrics_addr: String,
    /// How this process names itself in the outbox rows its relay claims (`claimed_by`), so an operator sees where
    /// a relay runs. Empty: the host name, filled in by `tujie_config::load` (the one place that reads the
    /// environment).
    pub instance: String,
}

impl Default for AmqpConfig {
    fn default() -> Self {
        Self {
            url: "amqp://guest:guest@127.0.0.1:5672/%2f".into(),
            prefix: "tujie".into(),
            queue_type: "quorum".into(),
            prefetch: 50,
            concurrency: 4,
            delivery_limit: 5,
            retry_delays_ms: vec![1_000, 5_000, 30_000],
            max_message_bytes: 4 * 1024 * 1024,
            shutdown_grace_secs: 30,
            outbox_poll_ms: 500,
            outbox_batch: 100,
            outbox_lease_ms: 60_000,
            transient_backoff_max_ms: 30_000,
            metrics_addr: "127.0.0.1:9187".into(),
            instance: String::new(),
        }
    }
}

impl AmqpConfig {
    /// Every problem with the settings, as `(key, problem)`; empty when the config is usable.
    pub fn validate(&self) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        let mut bad = |key: &str, problem: String| problems.push((format!("amqp.{key}"), problem));
        if !(self.url.starts_with("amqp://") || self.url.starts_with("amqps://")) {
            bad("url", format!("must start with amqp:// or amqps://, got `{}`", self.redacted().url));
        } else if self.url.parse::<lapin::uri::AMQPUri>().is_err() {
            bad("url", format!("`{}` is not a valid AMQP URI", self.redacted().url));
        }
        if self.prefix.is_empty() {
            bad("prefix", "must not be empty".into());
        } else if !self.prefix.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
            bad("prefix", format!("`{}` may only contain ASCII letters, digits, `-`, `_` and `.`", self.prefix));
        } else if self.prefix.len() > 200 {
            bad("prefix", "must be at most 200 bytes (queue names are limited to 255)".into());
        }
        if !matches!(self.queue_type.as_str(), "quorum" | "classic") {
            bad("queue_type", format!("must be `quorum` or `classic`, got `{}`", self.queue_type));
        }
        if self.prefetch == 0 {
            bad("prefetch", "must be at least 1 (0 means unlimited to RabbitMQ)".into());
        }
        if self.concurrency == 0 {
            bad("concurrency", "must be at least 1".into());
        } else if self.concurrency > usize::from(self.prefetch.max(1)) {
            bad(
                "concurrency",
                format!("{} exceeds prefetch {}; extra workers would idle", self.concurrency, self.prefetch),
            );
        }
        if self.delivery_limit == 0 {
            bad("delivery_limit", "must be at least 1".into());
        }
        if self.retry_delays_ms.is_empty() {
            bad("retry_delays_ms", "needs at least one delay".into());
        }
        if self.retry_delays_ms.iter().any(|&d| d == 0 || d > u64::from(u32::MAX)) {
            bad("retry_delays_ms", "each delay must be between 1 and 4294967295 ms".into());
        }
        if self.max_message_bytes == 0 {
            bad("max_message_bytes", "must be at least 1".into());
        }
        if self.outbox_poll_ms == 0 {
            bad("outbox_poll_ms", "must be at least 1".into());
        }
        if self.outbox_batch == 0 {
            bad("outbox_batch", "must be at least 1".into());
        }
        if self.outbox_lease_ms < 1_000 {
            bad(
                "outbox_lease_ms",
                format!(
                    "{} is too short; at least 1000 so a claim outlives publishing one batch",
                    self.outbox_lease_ms
                ),
            );
        }
        if !self.metrics_addr.is_empty() && self.metrics_addr.parse::<std::net::SocketAddr>().is_err() {
            bad("metrics_addr", format!("`{}` is not host:port (use an IP address) or empty", self.metrics_addr));
        }
        problems
    }

    /// `validate` as a `Result`, for entry points that refuse to start on a bad config.
    pub fn check(&self) -> Result<(), crate::QueueError> {
        let problems = self.validate();
        if problems.is_empty() {
            return Ok(());
        }
        Err(crate::QueueError::Config(problems.iter().map(|(k, p)| format!("{k}: {p}")).collect::<Vec<_>>().join("; ")))
    }

    /// A copy safe to log: the password in `url` is replaced by `***`.
    pub fn redacted(&self) -> Self {
        Self { url: redact_url(&self.url), ..self.clone() }
    }

    /// Topic exchange the CMS publishes to and tujie publishes its own events to (routing key = event type).
    pub fn events_exchange(&self) -> String {
        format!("{}.events", self.prefix)
    }
    /// The queue the worker consumes.
    pub fn input_queue(&self) -> String {
        format!("{}.input", self.prefix)
    }
    /// Fanout exchange in front of the dead queue.
    pub fn dlx_exchange(&self) -> String {
        format!("{}.dlx", self.prefix)
    }
    /// Where messages that will never succeed wait for an operator.
    pub fn dead_queue(&self) -> String {
        format!("{}.dead", self.prefix)
    }
    /// Retry queue `n` (1-based), holding messages for `retry_delays_ms[n-1]`.
    pub fn retry_queue(&self, n: usize) -> String {
        format!("{}.retry.{n}", self.prefix)
    }
    pub fn outbox_lease(&self) -> Duration {
        Duration::from_millis(self.outbox_lease_ms)
    }
    pub fn shutdown_grace(&self) -> Duration {
        Duration::from_secs(self.shutdown_grace_secs)
    }
    pub fn is_quorum(&self) -> bool {
        self.queue_type == "quorum"
    }
}

/// Replaces the password of `scheme://user:password@host` with `***`; anything else is returned unchanged.
fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else { return url.to_owned() };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else { return url.to_owned() };
    let userinfo = &rest[..at];
    match userinfo.find(':') {
        Some(colon) => format!("{}{}:***{}", &url[..scheme_end + 3], &userinfo[..colon], &rest[at..]),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        assert_eq!(AmqpConfig::default().validate(), Vec::<(String, String)>::new());
    }

    #[test]
    fn every_problem_is_reported_by_key() {
        let cfg = AmqpConfig {
            url: "http://x".into(),
            prefix: "a b".into(),
            queue_type: "stream".into(),
            prefetch: 0,
            retry_delays_ms: vec![],
            outbox_lease_ms: 10,
            metrics_addr: "nowhere".into(),
            ..AmqpConfig::default()
        };
        let keys: Vec<_> = cfg.validate().into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            keys,
            [
                "amqp.url",
                "amqp.prefix",
                "amqp.queue_type",
                "amqp.prefetch",
                "amqp.concurrency",
                "amqp.retry_delays_ms",
                "amqp.outbox_lease_ms",
                "amqp.metrics_addr"
            ]
        );
    }

    #[test]
    fn unknown_keys_are_refused() {
        let err = serde_json::from_str::<AmqpConfig>(r#"{"prefech": 10}"#).unwrap_err().to_string();
        assert!(err.contains("unknown field `prefech`"), "{err}");
    }

    #[test]
    fn redaction_masks_only_the_password() {
        let cfg = AmqpConfig { url: "amqp://svc:s3cr%40t@mq.internal:5672/%2f".into(), ..AmqpConfig::default() };
        assert_eq!(cfg.redacted().url, "amqp://svc:***@mq.internal:5672/%2f");
        let no_password = AmqpConfig { url: "amqp://mq/%2f".into(), ..AmqpConfig::default() };
        assert_eq!(no_password.redacted().url, "amqp://mq/%2f");
    }
}
