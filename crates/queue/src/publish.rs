//! `tujie publish FILE...`: sends JSON-lines events to `{prefix}.events`, the way the CMS would.
//!
//! Each line's `type` becomes the routing key and its `event_id` the message id. Publishes are mandatory and
//! confirmed, so a line whose type nothing is bound to is reported as unroutable rather than silently dropped.
//! A bad line is reported with its number and the rest still go.

use lapin::BasicProperties;
use serde_json::Value;

use crate::{AmqpConfig, QueueError, amqp, topology};

/// The outcome of `publish_events`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublishReport {
    /// Lines confirmed by the broker.
    pub published: usize,
    /// Blank lines, skipped without complaint.
    pub blank: usize,
    /// `(1-based line number, problem)` for every line not published.
    pub failed: Vec<(usize, String)>,
}

/// Publishes each non-blank line as one persistent message. Only broker-level failures (cannot connect,
/// connection lost) are errors; per-line problems go into the report.
pub async fn publish_events(cfg: &AmqpConfig, lines: Vec<Vec<u8>>) -> Result<PublishReport, QueueError> {
    let conn = amqp::connect(cfg, "publish").await?;
    let result = async {
        let channel = amqp::confirm_channel(&conn).await?;
        topology::declare_topology(&channel, cfg).await?;
        let exchange = cfg.events_exchange();
        let mut report = PublishReport::default();
        let mut pending = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let number = i + 1;
            if line.iter().all(u8::is_ascii_whitespace) {
                report.blank += 1;
                continue;
            }
            let (routing_key, event_id) = match serde_json::from_slice::<Value>(line) {
                Ok(v) => match v.get("type").and_then(Value::as_str).filter(|t| !t.trim().is_empty()) {
                    Some(t) => (t.to_owned(), v.get("event_id").and_then(Value::as_str).map(str::to_owned)),
                    None => {
                        report.failed.push((number, "no string `type` field to route by".into()));
                        continue;
                    }
                },
                Err(e) => {
                    report.failed.push((number, format!("not JSON: {e}")));
                    continue;
                }
            };
            let mut props = BasicProperties::default()
                .with_content_type("application/json".into())
                .with_delivery_mode(amqp::PERSISTENT)
                .with_type(routing_key.as_str().into());
            if let Some(id) = event_id {
                props = props.with_message_id(id.into());
            }
            let confirm = amqp::start_publish(&channel, &exchange, &routing_key, line, props, true).await?;
            pending.push((number, routing_key, confirm));
        }
        for (number, routing_key, confirm) in pending {
            match amqp::finish_publish(confirm, &exchange, &routing_key).await {
                Ok(()) => report.published += 1,
                Err(QueueError::NotConfirmed { why, .. }) => {
                    report.failed.push((number, format!("type `{routing_key}`: {why}")))
                }
                Err(e) => return Err(e),
            }
        }
        report.failed.sort();
        Ok(report)
    }
    .await;
    amqp::close_quietly(&conn).await;
    result
}
