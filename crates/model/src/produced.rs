//! The produced half of the event contract: what tujie tells downstream systems.
//!
//! Produced events are written to the outbox in the same transaction as the change they describe and published
//! later by the relay. Their ids are derived from what they describe, never random, so a relay that publishes
//! twice after a crash sends the same id twice and consumers can drop the duplicate.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Timestamp;

/// Types of events tujie produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OutboundType {
    #[serde(rename = "draft.created")]
    DraftCreated,
    #[serde(rename = "draft.superseded")]
    DraftSuperseded,
    #[serde(rename = "draft.approved")]
    DraftApproved,
    #[serde(rename = "draft.rejected")]
    DraftRejected,
    #[serde(rename = "coverage.changed")]
    CoverageChanged,
    /// The weekly digest for supervisors: the week's figures and the stale and blank columns.
    #[serde(rename = "report.weekly")]
    ReportWeekly,
}

impl OutboundType {
    /// The wire name, which is also the AMQP routing key.
    pub fn as_str(self) -> &'static str {
        match self {
            OutboundType::DraftCreated => "draft.created",
            OutboundType::DraftSuperseded => "draft.superseded",
            OutboundType::DraftApproved => "draft.approved",
            OutboundType::DraftRejected => "draft.rejected",
            OutboundType::CoverageChanged => "coverage.changed",
            OutboundType::ReportWeekly => "report.weekly",
        }
    }
}

/// A produced event: `{"event_id", "type", "occurred_at", "data": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboundEvent {
    pub event_id: String,
    #[serde(rename = "type")]
    pub event_type: OutboundType,
    pub occurred_at: Timestamp,
    pub data: Value,
}

impl OutboundEvent {
    /// An event whose id is `<type>:<key>`, where `key` names what changed (a draft id, or a policy id plus the
    /// id of the event that caused the change), so retries produce the same id.
    pub fn new(event_type: OutboundType, key: &str, occurred_at: Timestamp, data: Value) -> Self {
        Self { event_id: format!("{}:{key}", event_type.as_str()), event_type, occurred_at, data }
    }
}
