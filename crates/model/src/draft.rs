//! Drafts: generated infographics waiting for, or past, an editor's decision.

use serde::{Deserialize, Serialize};

use crate::{InfographicContent, Timestamp};

/// Where a draft is in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DraftStatus {
    /// Waiting for an editor.
    Pending,
    Approved,
    Rejected,
    /// A rich interpretation appeared (or the policy was withdrawn), so the draft is no longer needed.
    Superseded,
}

impl DraftStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DraftStatus::Pending => "pending",
            DraftStatus::Approved => "approved",
            DraftStatus::Rejected => "rejected",
            DraftStatus::Superseded => "superseded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Approved, Self::Rejected, Self::Superseded].into_iter().find(|x| x.as_str() == s)
    }
}

/// A draft as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub id: String,
    pub policy_id: String,
    pub status: DraftStatus,
    /// The layout the renderer chose (`long`, `dashboard`, `flow`, `timeline` or a combination).
    pub template: String,
    pub content: InfographicContent,
    pub warnings: Vec<String>,
    pub missing_glyphs: Vec<String>,
    pub created_at: Timestamp,
}
