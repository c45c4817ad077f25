//! Errors of the queue edge, classified so supervisors know whether to reconnect or give up.

/// What can go wrong talking to the broker.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    /// The configuration cannot work; fix it, retrying will not help.
    #[error("invalid amqp config: {0}")]
    Config(String),
    /// Could not reach or log into the broker.
    #[error("cannot connect to RabbitMQ at {url}: {source}")]
    Connect { url: String, source: lapin::Error },
    /// An AMQP operation failed (channel or connection closed, broker restarting, ...).
    #[error("amqp {context}: {source}")]
    Amqp { context: String, source: lapin::Error },
    /// Declared arguments disagree with an existing queue or exchange (PRECONDITION_FAILED): an operator must
    /// delete or migrate the old one.
    #[error("topology mismatch declaring {name}: {message}")]
    Topology { name: String, message: String },
    /// The broker refused a publish (nack) or returned it as unroutable.
    #[error("broker did not accept publish to {target}: {why}")]
    NotConfirmed { target: String, why: String },
    /// The connection or channel went away, or the broker did not answer in time: the session is rebuilt.
    #[error("broker connection lost: {0}")]
    Lost(String),
    /// The broker cancelled our consumer (queue deleted, node going down).
    #[error("consumer on {0} was cancelled by the broker")]
    ConsumerCancelled(String),
    /// The outbox store failed.
    #[error("outbox: {0}")]
    Outbox(String),
    /// The metrics server could not bind or serve.
    #[error("metrics server on {addr}: {source}")]
    Metrics { addr: String, source: std::io::Error },
}

impl QueueError {
    /// Whether reconnecting and trying again may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            QueueError::Config(_) | QueueError::Topology { .. } | QueueError::Metrics { .. } => false,
            QueueError::Connect { .. }
            | QueueError::Amqp { .. }
            | QueueError::NotConfirmed { .. }
            | QueueError::ConsumerCancelled(_)
            | QueueError::Lost(_)
            | QueueError::Outbox(_) => true,
        }
    }

    pub(crate) fn amqp(context: impl Into<String>) -> impl FnOnce(lapin::Error) -> QueueError {
        let context = context.into();
        move |source| QueueError::Amqp { context, source }
    }
}
