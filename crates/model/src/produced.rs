//! The produced half of the event contract: what tujie tells downstream systems.
//!
//! Produced events are written to the outbox in the same transaction as the change they describe and published
//! later by the relay. Their ids are derived from what they describe, never random, so a relay that publishes
//! twice after a crash sends the same id twice and consumers can drop the duplicate.
//!
//! The `data` of each event the store produces is a type here ([`DraftCreated`], [`DraftSuperseded`],
//! [`DraftApproved`], [`DraftRejected`], [`CoverageChanged`]), turned into an [`OutboundEvent`] only by
//! [`OutboundEvent::of`], so the field names of the contract (`schemas/`) are written down once. The
//! `report.weekly` digest's `data` is built by `tujie_report::weekly::digest` from the report's own types.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{CoverageStatus, Timestamp};

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

    /// The event whose `data` is `payload`, of the type that payload belongs to; the id as in [`OutboundEvent::new`].
    pub fn of<P: ProducedData>(key: &str, occurred_at: Timestamp, payload: &P) -> Self {
        // The payloads are structs of strings, lists of strings and string enums: serialising cannot fail.
        let data = serde_json::to_value(payload).expect("a produced event's data serialises to JSON");
        Self::new(P::TYPE, key, occurred_at, data)
    }
}

/// The `data` of a produced event of type [`ProducedData::TYPE`].
pub trait ProducedData: Serialize {
    const TYPE: OutboundType;
}

/// `draft.created`: a pending draft was stored for a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftCreated {
    pub draft_id: String,
    pub policy_id: String,
    pub template: String,
    pub warnings: Vec<String>,
    pub missing_glyphs: Vec<String>,
}

impl ProducedData for DraftCreated {
    const TYPE: OutboundType = OutboundType::DraftCreated;
}

/// `draft.superseded`: a pending draft is no longer needed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftSuperseded {
    pub draft_id: String,
    pub policy_id: String,
    pub reason: SupersedeReason,
    /// The id of the consumed event that made the draft unnecessary.
    pub caused_by: String,
}

impl ProducedData for DraftSuperseded {
    const TYPE: OutboundType = OutboundType::DraftSuperseded;
}

/// Why a pending draft was superseded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupersedeReason {
    /// A rich interpretation (not text) now covers the policy.
    RichInterpretation,
    /// The policy was withdrawn.
    PolicyWithdrawn,
    /// The policy was published again with other text; the new text has its own draft.
    PolicyUpdated,
}

impl SupersedeReason {
    /// The wire name, also written in the supersede record of `review_actions`.
    pub fn as_str(self) -> &'static str {
        match self {
            SupersedeReason::RichInterpretation => "rich_interpretation",
            SupersedeReason::PolicyWithdrawn => "policy_withdrawn",
            SupersedeReason::PolicyUpdated => "policy_updated",
        }
    }
}

impl std::fmt::Display for SupersedeReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `draft.approved`: an editor approved a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftApproved {
    pub draft_id: String,
    pub policy_id: String,
    pub approved_by: String,
    /// The 音视频解读 approved with it: present only when the draft had a finished video of its current content
    /// and script (drawn again without the draft mark on approval).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<ApprovedVideo>,
}

/// The video, audio version and subtitles of an approved draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovedVideo {
    /// 1080×1920 H.264/AAC MP4 with burned-in subtitles.
    pub video: MediaAsset,
    /// The 音频解读: AAC in M4A.
    pub audio: MediaAsset,
    /// WebVTT side file.
    pub subtitles: MediaAsset,
    /// Length of the narration, which is the length of both files, in milliseconds.
    pub duration_ms: u64,
    /// Which edit of the 口播稿 was spoken: 0 is the script made from the draft's content.
    pub script_revision: i64,
}

/// One file of an approved 音视频解读, served by the review workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaAsset {
    /// Path on the review workspace (`GET` with `Authorization: Bearer <login token>`), e.g.
    /// `/api/drafts/dr-1/video.mp4`.
    pub path: String,
    pub media_type: String,
    /// SHA-256 of the file, lowercase hex.
    pub sha256: String,
    pub bytes: u64,
}

impl MediaAsset {
    /// File names of a draft's 音视频解读 on the workspace: `/api/drafts/{id}/{name}` and `/drafts/{id}/{name}`.
    pub const VIDEO: &'static str = "video.mp4";
    pub const AUDIO: &'static str = "audio.m4a";
    pub const VTT: &'static str = "subtitles.vtt";
    pub const SRT: &'static str = "subtitles.srt";

    /// The workspace API path of file `name` of draft `draft_id` (the id percent-encoded as a path segment).
    pub fn api_path(draft_id: &str, name: &str) -> String {
        let mut id = String::new();
        for b in draft_id.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                id.push(b as char);
            } else {
                id.push_str(&format!("%{b:02X}"));
            }
        }
        format!("/api/drafts/{id}/{name}")
    }
}

impl ProducedData for DraftApproved {
    const TYPE: OutboundType = OutboundType::DraftApproved;
}

/// `draft.rejected`: an editor rejected a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftRejected {
    pub draft_id: String,
    pub policy_id: String,
    pub rejected_by: String,
    /// The editor's reason; written as `null` when there is none (the field is always present).
    pub comment: Option<String>,
}

impl ProducedData for DraftRejected {
    const TYPE: OutboundType = OutboundType::DraftRejected;
}

/// `coverage.changed`: a policy's coverage status changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageChanged {
    pub policy_id: String,
    pub before: CoverageStatus,
    pub after: CoverageStatus,
    /// The id of the consumed event that changed it.
    pub caused_by: String,
}

impl ProducedData for CoverageChanged {
    const TYPE: OutboundType = OutboundType::CoverageChanged;
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn at() -> Timestamp {
        serde_json::from_value(json!("2023-04-05T09:30:00+08:00")).unwrap()
    }

    /// The typed payloads write exactly what the `json!` literals they replaced wrote.
    #[test]
    fn typed_data_is_the_json_it_replaced() {
        let s = |x: &str| x.to_owned();
        let cases = [
            (
                OutboundEvent::of(
                    "dr-1:e1",
                    at(),
                    &DraftCreated {
                        draft_id: s("dr-1"),
                        policy_id: s("p1"),
                        template: s("long/v1"),
                        warnings: vec![s("w")],
                        missing_glyphs: vec![],
                    },
                ),
                OutboundType::DraftCreated,
                json!({ "draft_id": "dr-1", "policy_id": "p1", "template": "long/v1", "warnings": ["w"],
                        "missing_glyphs": [] }),
            ),
            (
                OutboundEvent::of(
                    "dr-1:e2",
                    at(),
                    &DraftSuperseded {
                        draft_id: s("dr-1"),
                        policy_id: s("p1"),
                        reason: SupersedeReason::PolicyUpdated,
                        caused_by: s("e2"),
                    },
                ),
                OutboundType::DraftSuperseded,
                json!({ "draft_id": "dr-1", "policy_id": "p1", "reason": "policy_updated", "caused_by": "e2" }),
            ),
            (
                OutboundEvent::of(
                    "dr-1",
                    at(),
                    &DraftApproved { draft_id: s("dr-1"), policy_id: s("p1"), approved_by: s("ed"), video: None },
                ),
                OutboundType::DraftApproved,
                json!({ "draft_id": "dr-1", "policy_id": "p1", "approved_by": "ed" }),
            ),
            (
                OutboundEvent::of(
                    "dr-1:1",
                    at(),
                    &DraftRejected { draft_id: s("dr-1"), policy_id: s("p1"), rejected_by: s("ed"), comment: None },
                ),
                OutboundType::DraftRejected,
                json!({ "draft_id": "dr-1", "policy_id": "p1", "rejected_by": "ed", "comment": null }),
            ),
            (
                OutboundEvent::of(
                    "p1:e3",
                    at(),
                    &CoverageChanged {
                        policy_id: s("p1"),
                        before: CoverageStatus::None,
                        after: CoverageStatus::TextOnly,
                        caused_by: s("e3"),
                    },
                ),
                OutboundType::CoverageChanged,
                json!({ "policy_id": "p1", "before": "none", "after": "text_only", "caused_by": "e3" }),
            ),
        ];
        for (event, event_type, data) in cases {
            assert_eq!(event.event_type, event_type);
            assert!(event.event_id.starts_with(&format!("{}:", event_type.as_str())), "{}", event.event_id);
            assert_eq!(serde_json::to_string(&event.data).unwrap(), serde_json::to_string(&data).unwrap());
        }
        assert_eq!(MediaAsset::api_path("dr-县 1", MediaAsset::VIDEO), "/api/drafts/dr-%E5%8E%BF%201/video.mp4");
        for reason in [SupersedeReason::RichInterpretation, SupersedeReason::PolicyWithdrawn] {
            assert_eq!(serde_json::to_value(reason).unwrap(), json!(reason.as_str()));
        }
    }
}
