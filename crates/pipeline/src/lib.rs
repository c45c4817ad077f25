//! The one processing path for a consumed event, shared by the queue worker and `tujie ingest`.
//!
//! For each event: validate it; bring the in-memory match index up to date with the database (other workers may
//! have stored documents since); classify the interpretation's form; find links; for a policy still lacking a rich
//! interpretation, extract content and render a draft (on a blocking thread, outside any lock or transaction);
//! then hand everything to [`tujie_store::Store::apply`], which commits it in one transaction keyed by the event
//! id. Whether the bytes came from RabbitMQ or a JSON Lines file makes no difference past this point.
//!
//! Architecture invariant: one path for every event, whichever edge delivered it; the pipeline decides, the store
//! commits, and neither knows about RabbitMQ.

mod error;
mod process;

pub use error::PipelineError;
pub use process::{DraftCost, Outcome, Pipeline, PipelineOptions, RECONCILE_EVENT_TYPE, Reconciliation};
