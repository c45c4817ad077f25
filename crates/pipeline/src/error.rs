//! Pipeline errors and their classification, which decides ack, retry or dead-letter.
//!
//! An event that was processed (even one that made no draft) is acked. An error is one of three kinds:
//! - *invalid* ([`PipelineError::is_invalid`]): the message is bad; it goes to the dead-letter queue at once;
//! - *transient* ([`PipelineError::is_transient`]): the database is unavailable or busy; retried without counting
//!   towards the delivery limit;
//! - otherwise *failed*: retried up to the delivery limit, then dead-lettered with [`PipelineError::reason`].
//!
//! Extraction and rendering are deterministic, so their failures are no errors here: the policy is stored with
//! `NoDraftReason::TextUnusable` or `RenderFailed` and the event is acked. Fetch failures likewise become
//! `NoDraftReason::FetchFailed` after the fetcher's own retries.

use tujie_model::ValidationError;
use tujie_store::StoreError;

/// Why an event could not be processed.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The message is not a valid event. Never retried: it goes to the dead-letter queue.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// Transient when the database is unavailable or busy, a failure otherwise (a constraint race among them,
    /// which the retry resolves).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The blocking extraction and rendering task did not finish (it panicked or was cancelled).
    #[error("a processing task failed: {0}")]
    Task(String),
}

impl PipelineError {
    /// The message itself is bad; retrying cannot help.
    pub fn is_invalid(&self) -> bool {
        matches!(self, PipelineError::Invalid(_))
    }

    /// The environment failed (database unavailable or busy); the same message should succeed later and must not
    /// count as poison.
    pub fn is_transient(&self) -> bool {
        match self {
            PipelineError::Store(e) => e.is_retryable(),
            PipelineError::Invalid(_) | PipelineError::Task(_) => false,
        }
    }

    /// Short machine-readable reason for dead-letter headers and metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            PipelineError::Invalid(v) => v.reason(),
            PipelineError::Store(e) if e.is_retryable() => "database_unavailable",
            PipelineError::Store(e) if e.is_constraint_race() => "conflict",
            PipelineError::Store(_) => "store_error",
            PipelineError::Task(_) => "task_failed",
        }
    }
}
