//! The seams to the rest of tujie: what the consumer calls per delivery, and the outbox the relay drains.
//!
//! Both traits use return-position `impl Future + Send` (stable since Rust 1.75) rather than `async-trait`: no
//! boxing, and the explicit `Send` lets the worker spawn handler futures on the multi-threaded runtime.

use std::future::Future;

/// What the consumer calls for each delivery (implemented by the pipeline crate).
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
    #[error("processing failed: {0}")]
    Failed(String),
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
            HandleError::Failed(_) => "failed",
        }
    }

    /// The detail text, without the reason prefix.
    pub fn message(&self) -> &str {
        match self {
            HandleError::Invalid { message, .. } => message,
            HandleError::Transient(m) | HandleError::Failed(m) => m,
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

/// The transactional outbox, implemented by the store crate.
pub trait OutboxSource: Send + Sync + 'static {
    /// Up to `limit` unsent rows, oldest first.
    fn fetch_unsent(&self, limit: usize) -> impl Future<Output = Result<Vec<OutboxMessage>, String>> + Send;
    /// Marks rows as published; called only after the broker confirmed them.
    fn mark_sent(&self, ids: &[i64]) -> impl Future<Output = Result<(), String>> + Send;
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
        assert_eq!(HandleError::Failed("bug".into()).reason(), "failed");
    }
}
