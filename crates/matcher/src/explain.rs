//! The answer to `tujie match explain POLICY_ID`: every candidate the matcher considered for a policy, its score,
//! its evidence, and why it was or was not linked.

use serde::Serialize;
use tujie_model::Evidence;

/// Every candidate considered for one policy.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub policy_id: String,
    /// The policy title with wrappers removed, as the matcher compares it.
    pub policy_core: String,
    pub accept_score: f64,
    /// Best first.
    pub candidates: Vec<CandidateExplanation>,
}

/// One candidate interpretation and the verdict on it.
#[derive(Debug, Clone, Serialize)]
pub struct CandidateExplanation {
    pub interpretation_id: String,
    pub interpretation_core: String,
    pub score: f64,
    /// The strongest signal, or `none`.
    pub method: String,
    pub accepted: bool,
    /// `linked`, `score below accept_score`, or `the interpretation is linked to …, which scores higher`.
    pub reason: String,
    pub evidence: Vec<Evidence>,
}
