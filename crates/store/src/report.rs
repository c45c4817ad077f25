//! The per-department coverage report for supervisors, shared by `tujie report` and the review workspace so
//! the two can never disagree.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use tujie_model::{CoverageStatus, DraftStatus};

use crate::{Store, StoreError};

/// The department shown for policies whose event named none.
pub const UNASSIGNED_DEPARTMENT: &str = "未指定单位";

/// A policy without a rich interpretation, for follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingPolicy {
    pub policy_id: String,
    pub title: String,
    pub published_at: String,
    pub status: CoverageStatus,
    /// Its pending or approved draft, if any.
    pub draft_id: Option<String>,
}

/// One department's line of the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DepartmentReport {
    pub department: String,
    /// Live (not withdrawn) policies.
    pub policies: usize,
    pub rich: usize,
    pub text_only: usize,
    pub none: usize,
    pub drafts_pending_review: usize,
    pub drafts_approved: usize,
    /// Policies whose status is not `rich`, oldest first.
    pub missing: Vec<MissingPolicy>,
}

impl Store {
    /// Coverage and draft counts of live policies, by department (departments in name order, the unassigned
    /// ones under [`UNASSIGNED_DEPARTMENT`]).
    pub async fn department_report(&self) -> Result<Vec<DepartmentReport>, StoreError> {
        let mut drafts: HashMap<String, (usize, usize)> = HashMap::new();
        for d in self.drafts(None).await? {
            let counts = drafts.entry(d.policy_id).or_default();
            match d.status {
                DraftStatus::Pending => counts.0 += 1,
                DraftStatus::Approved => counts.1 += 1,
                DraftStatus::Rejected | DraftStatus::Superseded => {}
            }
        }
        let mut by_department: BTreeMap<String, DepartmentReport> = BTreeMap::new();
        for row in self.coverage().await? {
            let department = row.department.clone().unwrap_or_else(|| UNASSIGNED_DEPARTMENT.to_owned());
            let line = by_department
                .entry(department.clone())
                .or_insert_with(|| DepartmentReport { department, ..Default::default() });
            line.policies += 1;
            match row.status {
                CoverageStatus::Rich => line.rich += 1,
                CoverageStatus::TextOnly => line.text_only += 1,
                CoverageStatus::None => line.none += 1,
            }
            if row.status != CoverageStatus::Rich {
                line.missing.push(MissingPolicy {
                    policy_id: row.policy_id.clone(),
                    title: row.title,
                    published_at: row.published_at,
                    status: row.status,
                    draft_id: row.draft_id,
                });
            }
            let (pending, approved) = drafts.get(&row.policy_id).copied().unwrap_or_default();
            line.drafts_pending_review += pending;
            line.drafts_approved += approved;
        }
        Ok(by_department.into_values().collect())
    }
}
