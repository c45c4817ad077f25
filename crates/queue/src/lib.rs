//! tujie's RabbitMQ edge: topology, the consumer that feeds the pipeline, the outbox relay that publishes
//! produced events, dead-letter tools, and Prometheus metrics.
//!
//! The crate knows nothing of storage or processing: the pipeline plugs in through [`EventHandler`] and the
//! store through [`OutboxSource`]. Delivery is at least once everywhere; the handler deduplicates by event id
//! and produced events carry their stable id as `message_id`.
//!
//! Entry points: [`run_worker`], [`run_relay`], [`publish_events`], [`dlq`], [`declare_topology`],
//! [`metrics::serve`]. Long-running loops stop when their [`Shutdown`] fires ([`shutdown_on_signals`] wires
//! SIGTERM and SIGINT) and reconnect by themselves after broker restarts.
//!
//! Architecture invariant: the only crate that speaks AMQP; it knows the pipeline and the store only through
//! `EventHandler` and `OutboxSource`.

mod amqp;
mod config;
pub mod dlq;
mod error;
mod handler;
pub mod metrics;
mod publish;
mod relay;
mod shutdown;
pub mod topology;
mod worker;

pub use config::AmqpConfig;
pub use error::QueueError;
pub use handler::{EventHandler, HandleError, Handled, OutboxMessage, OutboxSource};
pub use publish::{PublishReport, publish_events};
pub use relay::{RelayStats, run_relay};
pub use shutdown::{Shutdown, ShutdownTrigger, shutdown_on_signals, shutdown_pair};
pub use topology::{Topology, declare_topology, delete_topology};
pub use worker::{WorkerStats, run_worker};

/// Re-exported so callers (tests, the binary) can open channels without a direct lapin dependency.
pub use lapin;
