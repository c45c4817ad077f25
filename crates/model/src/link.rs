//! Links between a policy and its interpretations, and the coverage status they add up to.

use serde::{Deserialize, Serialize};

use crate::Form;

/// One signal that supported (or weakened) a match, kept so `tujie coverage` and `match explain` can say why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Signal name, e.g. `explicit_link`, `doc_number`, `quoted_title`, `core_title`, `date_gap`.
    pub signal: String,
    pub detail: String,
    /// Contribution to the score; negative for guards.
    pub weight: f64,
}

/// An accepted policy–interpretation link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub policy_id: String,
    pub interpretation_id: String,
    pub score: f64,
    /// The strongest signal, e.g. `explicit_link` or `core_title`.
    pub method: String,
    pub evidence: Vec<Evidence>,
}

/// Whether a policy has the interpretation it is owed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverageStatus {
    /// At least one interpretation in a form other than text.
    Rich,
    /// Only text interpretations.
    TextOnly,
    /// No interpretation at all.
    None,
}

impl CoverageStatus {
    /// Coverage from the forms of a policy's linked interpretations.
    pub fn from_forms(forms: impl IntoIterator<Item = Form>) -> Self {
        let mut status = CoverageStatus::None;
        for f in forms {
            if f.is_rich() {
                return CoverageStatus::Rich;
            }
            status = CoverageStatus::TextOnly;
        }
        status
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CoverageStatus::Rich => "rich",
            CoverageStatus::TextOnly => "text_only",
            CoverageStatus::None => "none",
        }
    }
}
