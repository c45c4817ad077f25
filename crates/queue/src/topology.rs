//! The exchanges, queues and bindings tujie needs, as one plan used both to declare them and to write
//! `deploy/rabbitmq-definitions.json`, so the two cannot drift apart.
//!
//! ```text
//!  CMS ──(policy.published …)──▶ {p}.events (topic) ──bind 3 consumed types──▶ {p}.input ──▶ worker
//!  relay ──(draft.created …)───▶ {p}.events ──▶ downstream queues (never {p}.input: it binds exact keys)
//!  worker ──retry──▶ {p}.retry.N (TTL) ──dead-letter via default exchange──▶ {p}.input
//!  worker ──invalid / limit──▶ {p}.dlx (fanout) ──▶ {p}.dead
//!  {p}.input ──x-delivery-limit (worker crash loop)──▶ {p}.dlx
//! ```
//!
//! Produced events share the events exchange because downstream systems already subscribe there by routing
//! key; the input queue binds exactly the three consumed types (no wildcards), so tujie never eats its own
//! output. Retry queues rather than delayed requeue: RabbitMQ 3.10 has no per-message delay for quorum queues
//! (that came in 4.x), and a nack-requeue would spin a failing message at full speed.
//!
//! Quorum queues are declared with `x-overflow=reject-publish` and `x-dead-letter-strategy=at-least-once`
//! (both in 3.10), so a message the broker dead-letters (TTL expiry out of a retry queue, the delivery limit)
//! is not lost if the target is briefly unavailable; classic queues dead-letter at most once.

use lapin::{
    Channel, ExchangeKind,
    options::{
        ExchangeDeclareOptions, ExchangeDeleteOptions, QueueBindOptions, QueueDeclareOptions, QueueDeleteOptions,
    },
    types::{AMQPValue, FieldTable, LongString, ShortString},
};
use serde_json::{Map, Value, json};
use tujie_model::EventType;

use crate::{AmqpConfig, QueueError};

/// Header carrying the machine-readable reason a message was dead-lettered.
pub const HEADER_REASON: &str = "x-tujie-reason";
/// Header carrying the human-readable error text (of the last failed attempt, on retries and dead letters).
pub const HEADER_ERROR: &str = "x-tujie-error";
/// Header carrying the handler's reason for the last failed attempt (`store_error`, `conflict`, ...): on retries,
/// and on dead letters, where `x-tujie-reason` may only say `delivery_limit`.
pub const HEADER_LAST_REASON: &str = "x-tujie-last-reason";
/// Header carrying the routing key the message originally had (retry queues rewrite it).
pub const HEADER_ROUTING_KEY: &str = "x-tujie-routing-key";
/// Header counting failed attempts (`HandleError::Failed`), which count towards `delivery_limit`.
pub const HEADER_ATTEMPTS: &str = "x-tujie-attempts";
/// Header counting transient failures, which pick the retry delay but never lead to the dead queue.
pub const HEADER_TRANSIENT: &str = "x-tujie-transient";

/// One exchange of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct ExchangeSpec {
    pub name: String,
    /// `topic` or `fanout`.
    pub kind: &'static str,
}

/// One queue of the plan, with its `x-` arguments as JSON (the definitions-file form).
#[derive(Debug, Clone, PartialEq)]
pub struct QueueSpec {
    pub name: String,
    pub arguments: Map<String, Value>,
}

/// One binding of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct BindingSpec {
    pub exchange: String,
    pub queue: String,
    pub routing_key: String,
}

/// Everything `declare_topology` declares, in declaration order.
#[derive(Debug, Clone, PartialEq)]
pub struct Topology {
    pub exchanges: Vec<ExchangeSpec>,
    pub queues: Vec<QueueSpec>,
    pub bindings: Vec<BindingSpec>,
}

impl Topology {
    /// The plan for `cfg`.
    pub fn plan(cfg: &AmqpConfig) -> Self {
        let quorum = cfg.is_quorum();
        let base = |extra: Value| {
            let mut args = Map::new();
            args.insert("x-queue-type".into(), json!(cfg.queue_type));
            if let Value::Object(extra) = extra {
                args.extend(extra);
            }
            args
        };
        // Safe dead-lettering on quorum queues; classic queues in 3.10 know only at-most-once.
        let at_least_once = || {
            if quorum {
                json!({"x-overflow": "reject-publish", "x-dead-letter-strategy": "at-least-once"})
            } else {
                json!({})
            }
        };

        let mut input = base(json!({ "x-dead-letter-exchange": cfg.dlx_exchange() }));
        if quorum {
            input.extend(at_least_once().as_object().cloned().unwrap_or_default());
            // Explicit: 3.10 has no default limit, and the backstop matters for a worker that crashes mid-message.
            input.insert("x-delivery-limit".into(), json!(cfg.delivery_limit));
        }
        let mut queues = vec![
            QueueSpec { name: cfg.input_queue(), arguments: input },
            QueueSpec { name: cfg.dead_queue(), arguments: base(json!({})) },
        ];
        for (i, delay) in cfg.retry_delays_ms.iter().enumerate() {
            let mut args = base(json!({
                "x-message-ttl": delay,
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": cfg.input_queue(),
            }));
            args.extend(at_least_once().as_object().cloned().unwrap_or_default());
            queues.push(QueueSpec { name: cfg.retry_queue(i + 1), arguments: args });
        }
        let mut bindings: Vec<BindingSpec> = EventType::ALL
            .iter()
            .map(|t| BindingSpec {
                exchange: cfg.events_exchange(),
                queue: cfg.input_queue(),
                routing_key: t.as_str().into(),
            })
            .collect();
        bindings.push(BindingSpec {
            exchange: cfg.dlx_exchange(),
            queue: cfg.dead_queue(),
            routing_key: String::new(),
        });
        Topology {
            exchanges: vec![
                ExchangeSpec { name: cfg.events_exchange(), kind: "topic" },
                ExchangeSpec { name: cfg.dlx_exchange(), kind: "fanout" },
            ],
            queues,
            bindings,
        }
    }

    /// The plan in RabbitMQ's definitions format (`rabbitmqctl import_definitions`, management UI import).
    pub fn definitions(&self) -> Value {
        json!({
            "exchanges": self.exchanges.iter().map(|e| json!({
                "name": e.name, "vhost": "/", "type": e.kind, "durable": true, "auto_delete": false,
                "internal": false, "arguments": {}
            })).collect::<Vec<_>>(),
            "queues": self.queues.iter().map(|q| json!({
                "name": q.name, "vhost": "/", "durable": true, "auto_delete": false, "arguments": q.arguments
            })).collect::<Vec<_>>(),
            "bindings": self.bindings.iter().map(|b| json!({
                "source": b.exchange, "vhost": "/", "destination": b.queue, "destination_type": "queue",
                "routing_key": b.routing_key, "arguments": {}
            })).collect::<Vec<_>>(),
        })
    }
}

/// Declares the plan for `cfg`. Idempotent: declaring what exists with the same arguments is a no-op.
/// Different arguments on an existing queue close the channel with PRECONDITION_FAILED, reported as
/// `QueueError::Topology` (not retryable; the old queue must be migrated by hand).
pub async fn declare_topology(channel: &Channel, cfg: &AmqpConfig) -> Result<(), QueueError> {
    let plan = Topology::plan(cfg);
    for e in &plan.exchanges {
        let kind = if e.kind == "fanout" { ExchangeKind::Fanout } else { ExchangeKind::Topic };
        let opts = ExchangeDeclareOptions { durable: true, ..ExchangeDeclareOptions::default() };
        channel
            .exchange_declare(e.name.as_str().into(), kind, opts, FieldTable::default())
            .await
            .map_err(|err| topology_error(&e.name, err))?;
    }
    for q in &plan.queues {
        channel
            .queue_declare(q.name.as_str().into(), QueueDeclareOptions::durable(), field_table(&q.arguments))
            .await
            .map_err(|err| topology_error(&q.name, err))?;
    }
    for b in &plan.bindings {
        channel
            .queue_bind(
                b.queue.as_str().into(),
                b.exchange.as_str().into(),
                b.routing_key.as_str().into(),
                QueueBindOptions::default(),
                FieldTable::default(),
            )
            .await
            .map_err(|err| topology_error(&b.queue, err))?;
    }
    Ok(())
}

/// Deletes every queue and exchange of the plan (tests, and tearing down a trial deployment). Messages in them
/// are lost.
pub async fn delete_topology(channel: &Channel, cfg: &AmqpConfig) -> Result<(), QueueError> {
    let plan = Topology::plan(cfg);
    for q in &plan.queues {
        channel
            .queue_delete(q.name.as_str().into(), QueueDeleteOptions::default())
            .await
            .map_err(QueueError::amqp(format!("delete queue {}", q.name)))?;
    }
    for e in &plan.exchanges {
        channel
            .exchange_delete(e.name.as_str().into(), ExchangeDeleteOptions::default())
            .await
            .map_err(QueueError::amqp(format!("delete exchange {}", e.name)))?;
    }
    Ok(())
}

fn topology_error(name: &str, err: lapin::Error) -> QueueError {
    match err.kind() {
        lapin::ErrorKind::ProtocolError(amqp) if amqp.get_id() == 406 => {
            QueueError::Topology { name: name.to_owned(), message: amqp.get_message().to_string() }
        }
        _ => QueueError::Amqp { context: format!("declare {name}"), source: err },
    }
}

/// JSON arguments to an AMQP field table (strings, integers and booleans are all the plan uses).
pub(crate) fn field_table(args: &Map<String, Value>) -> FieldTable {
    let mut table = FieldTable::default();
    for (k, v) in args {
        let value = match v {
            Value::String(s) => AMQPValue::LongString(LongString::from(s.as_bytes().to_vec())),
            Value::Bool(b) => AMQPValue::Boolean(*b),
            Value::Number(n) => AMQPValue::LongLongInt(n.as_i64().unwrap_or_default()),
            _ => continue,
        };
        table.insert(ShortString::from(k.as_str()), value);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_binds_only_consumed_types() {
        let plan = Topology::plan(&AmqpConfig::default());
        let keys: Vec<_> =
            plan.bindings.iter().filter(|b| b.queue == "tujie.input").map(|b| b.routing_key.as_str()).collect();
        assert_eq!(keys, ["policy.published", "interpretation.published", "document.withdrawn"]);
        assert!(keys.iter().all(|k| !k.contains('*') && !k.contains('#')));
    }

    #[test]
    fn classic_queues_get_no_quorum_arguments() {
        let plan = Topology::plan(&AmqpConfig { queue_type: "classic".into(), ..AmqpConfig::default() });
        for q in &plan.queues {
            for k in ["x-delivery-limit", "x-overflow", "x-dead-letter-strategy"] {
                assert!(!q.arguments.contains_key(k), "{} has {k}", q.name);
            }
        }
    }
}
