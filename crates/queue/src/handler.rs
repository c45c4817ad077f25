//! The seams to the rest of tujie: what the consumer calls per delivery, and the outbox the relay drains.
//!
//! Both traits use return-position `impl Future + Send` (stable since Rust 1.75) rather than `async-trait`: no
//! boxing, and the explicit `Send` lets the worker spawn handler futures on the multi-threaded runtime.

use std::future::Future;
use std::time::Duration;

/// What the consumer calls for each delivery. The binary adapts the pipeline to it (`PipelineHandler` in
/// `crates/tujie/src/commands/worker.rs`), so this crate knows nothing of the pipeline.
pub trait EventHandler: Send + Sync + 'static {
    fn handle(&self, body: &[u8]) -> impl Future<Output = Result<Handled, HandleError>> + Send;
}

/// A delivery that was dealt with; both are acked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    /// Processed and stored.
    Applied,
    /// The event id was already processed (a redelivery or an upstream duplicate): acked without effects.
    Duplicate,
}

/// Why a delivery was not handled. The variant decides its fate:
///
/// | variant     | meaning                                     | fate                                               |
/// |-------------|---------------------------------------------|----------------------------------------------------|
/// | `Invalid`   | the bytes are wrong; they always will be    | dead-lettered at once with `reason`                |
/// | `Transient` | a dependency is down (database, disk)       | retried later, worker backs off, never dead-lettered |
/// | `Failed`    | processing failed for this message (a bug?) | retried, dead-lettered after `delivery_limit`      |
///
/// The handler is the one that can tell a database outage (`Transient`: a pool timeout, a refused connection)
/// from a message that breaks processing (`Failed`), so the distinction is made there, not guessed here.
/// `Failed` carries the handler's own classification (`store_error`, `conflict`, ...): the dead letter of a
/// message that used up its attempts says `delivery_limit`, and without the last attempt's reason an operator
/// could not tell a crashed processing task from a constraint race without reading logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandleError {
    #[error("invalid message ({reason}): {message}")]
    Invalid {
        /// Short machine-readable reason such as `malformed_json`, `schema_violation` or `too_large`.
        reason: String,
        message: String,
    },
    #[error("temporarily unavailable: {0}")]
    Transient(String),
    #[error("processing failed ({reason}): {message}")]
    Failed {
        /// Short machine-readable reason such as `store_error`, `conflict` or `task_failed`; kept through the
        /// retries and written to the dead letter as `x-tujie-last-reason`.
        reason: String,
        message: String,
    },
}

impl HandleError {
    /// Whether trying the same message again may succeed.
    pub fn is_retryable(&self) -> bool {
        !matches!(self, HandleError::Invalid { .. })
    }

    /// The label used in dead-letter headers and metrics.
    pub fn reason(&self) -> &str {
        match self {
            HandleError::Invalid { reason, .. } => reason,
            HandleError::Transient(_) => "transient",
            HandleError::Failed { reason, .. } => reason,
        }
    }

    /// The detail text, without the reason prefix.
    pub fn message(&self) -> &str {
        match self {
            HandleError::Invalid { message, .. } | HandleError::Failed { message, .. } => message,
            HandleError::Transient(m) => m,
        }
    }
}

impl From<tujie_model::ValidationError> for HandleError {
    fn from(e: tujie_model::ValidationError) -> Self {
        HandleError::Invalid { reason: e.reason().to_owned(), message: e.to_string() }
    }
}

/// One row of the transactional outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    /// Outbox row id, passed back to `mark_sent`.
    pub id: i64,
    /// Stable event id; becomes the AMQP `message_id` so downstream consumers can drop duplicates.
    pub event_id: String,
    /// The produced event type, e.g. `draft.created`.
    pub routing_key: String,
    /// JSON body.
    pub payload: Vec<u8>,
}

/// The transactional outbox. The binary adapts the store to it (`StoreOutbox` in `crates/tujie/src/commands/worker.rs`).
///
/// Every worker process runs a relay over the same outbox, so rows are *claimed* before they are published:
/// concurrent relays get disjoint rows. A claim is a lease, not a lock: when its relay dies, the rows become
/// claimable again once `lease` has passed, so nothing is lost (at worst a stalled relay and its successor both
/// publish a row, with the same `message_id`).
pub trait OutboxSource: Send + Sync + 'static {
    /// Claims up to `limit` unsent rows, oldest first, for the relay `owner` until `lease` from now: rows that no
    /// relay holds, rows whose claim has expired, and rows `owner` already holds (so that a relay that
    /// reconnected resumes its own batch at once).
    fn claim_unsent(
        &self,
        owner: &str,
        limit: usize,
        lease: Duration,
    ) -> impl Future<Output = Result<Vec<OutboxMessage>, String>> + Send;
    /// Marks rows as published; called only after the broker confirmed them.
    fn mark_sent(&self, ids: &[i64]) -> impl Future<Output = Result<(), String>> + Send;
    /// Gives up `owner`'s claims on rows still unsent (a relay that stops), so that other relays need not wait for
    /// the lease to run out.
    fn release(&self, owner: &str) -> impl Future<Output = Result<(), String>> + Send;
    /// How many rows are still unsent, whoever holds them. A relay told to stop when idle asks this before it
    /// stops, so that rows leased by a relay that died are not left behind until the next worker starts.
    fn unsent(&self) -> impl Future<Output = Result<u64, String>> + Send;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_errors_become_invalid_with_the_contract_reason() {
        let err: HandleError = tujie_model::InboundEvent::from_slice(b"{oops", 100).unwrap_err().into();
        assert_eq!(err.reason(), "malformed_json");
        assert!(!err.is_retryable());
        assert!(HandleError::Transient("db down".into()).is_retryable());
        let failed = HandleError::Failed { reason: "render_error".into(), message: "bug".into() };
        assert_eq!((failed.reason(), failed.message()), ("render_error", "bug"));
        assert!(failed.is_retryable());
    }
}
