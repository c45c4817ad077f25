//! Pipeline errors and their classification, which decides ack, retry or dead-letter.

use tujie_model::ValidationError;
use tujie_render::RenderError;
use tujie_store::StoreError;

/// Why an event could not be processed.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The message is not a valid event. Never retried: it goes to the dead-letter queue.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("rendering the draft failed: {0}")]
    Render(#[from] RenderError),
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
            PipelineError::Render(e) => e.is_retryable(),
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
            PipelineError::Render(_) => "render_error",
            PipelineError::Task(_) => "task_failed",
        }
    }
}
