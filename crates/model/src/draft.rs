//! Drafts: generated infographics waiting for, or past, an editor's decision, and what rendering one yields.

use serde::{Deserialize, Serialize};

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

/// The rendered part of a draft: what the renderer drew from its content and what the reviewer must be told.
/// The renderer returns it, the pipeline stores it with a new draft, and the workspace stores it with an edit and
/// reads it back with the draft's files.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RenderedDraft {
    /// Template name and the section kinds used, e.g. `long/v1:figures+bullets+steps`.
    pub template: String,
    /// Human-readable problems: text cut, characters replaced, limits hit. Empty for a clean draft.
    pub warnings: Vec<String>,
    /// Characters no loaded font can draw, in order of first appearance; each was drawn as `〓`.
    pub missing_glyphs: Vec<String>,
    pub svg: String,
    /// The full-width PNG (`[render] width` pixels wide).
    pub png: Vec<u8>,
    /// The small PNG the lists show (`[render] preview_width` pixels wide).
    pub preview_png: Vec<u8>,
}

impl RenderedDraft {
    /// A template's name without the section kinds it drew (`long/v1:figures+bullets` gives `long/v1`): few enough
    /// values to label metrics with.
    pub fn template_name(template: &str) -> &str {
        template.split(':').next().unwrap_or(template)
    }
}

/// Upper bounds, in seconds, of the latency histograms: the worker's stages (handle, ack, publish, and a new draft's
/// extract and render) and the workspace's requests and redrawings. One list, so that the worker's and the
/// workspace's drawing times fall in the same buckets on one dashboard.
pub const LATENCY_BUCKETS_SECONDS: [f64; 12] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
