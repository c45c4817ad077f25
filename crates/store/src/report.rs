//! The per-department coverage report for supervisors, shared by `tujie report` and the review workspace so
//! the two can never disagree, and the facts the period reports of `tujie-report` are computed from.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use sqlx::Row;
use tujie_model::{CoverageStatus, DraftStatus, Form, NoDraftReason, SiteKind};
use tujie_report::{InterpretationFacts, PolicyFacts, Publication};

use crate::rows::parse_db_time;
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
    /// Why it has no draft, when it has none.
    pub no_draft: Option<NoDraftReason>,
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
    /// Policies without a rich interpretation whose text is missing (none was sent and none could be fetched):
    /// no draft can be made for them until the CMS sends or serves it.
    pub text_missing: usize,
    /// Policies whose status is not `rich`, oldest first.
    pub missing: Vec<MissingPolicy>,
}

impl Store {
    /// Pending and approved drafts per policy id.
    async fn draft_counts(&self) -> Result<HashMap<String, (usize, usize)>, StoreError> {
        let mut drafts: HashMap<String, (usize, usize)> = HashMap::new();
        for d in self.drafts(None).await? {
            let counts = drafts.entry(d.policy_id).or_default();
            match d.status {
                DraftStatus::Pending => counts.0 += 1,
                DraftStatus::Approved => counts.1 += 1,
                DraftStatus::Rejected | DraftStatus::Superseded => {}
            }
        }
        Ok(drafts)
    }

    /// Coverage and draft counts of live policies, by department (departments in name order, the unassigned
    /// ones under [`UNASSIGNED_DEPARTMENT`]).
    pub async fn department_report(&self) -> Result<Vec<DepartmentReport>, StoreError> {
        let drafts = self.draft_counts().await?;
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
                line.text_missing += usize::from(row.no_draft.as_ref().is_some_and(NoDraftReason::text_missing));
                line.missing.push(MissingPolicy {
                    policy_id: row.policy_id.clone(),
                    title: row.title,
                    published_at: row.published_at,
                    status: row.status,
                    draft_id: row.draft_id,
                    no_draft: row.no_draft,
                });
            }
            let (pending, approved) = drafts.get(&row.policy_id).copied().unwrap_or_default();
            line.drafts_pending_review += pending;
            line.drafts_approved += approved;
        }
        Ok(by_department.into_values().collect())
    }
}

/// What the period reports of `tujie-report` are computed from: every live policy with its live linked
/// interpretations and draft counts, and every live document's place of publication (site, kind, column, date).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportFacts {
    pub policies: Vec<PolicyFacts>,
    pub publications: Vec<Publication>,
}

impl Store {
    /// The facts of [`ReportFacts`]. Dates are China Standard Time calendar dates.
    pub async fn report_facts(&self) -> Result<ReportFacts, StoreError> {
        let mut interpretations: HashMap<String, Vec<InterpretationFacts>> = HashMap::new();
        let links = sqlx::query(
            "SELECT l.policy_id, i.id, i.form, i.published_at FROM links l
             JOIN documents i ON i.id = l.interpretation_id WHERE i.withdrawn = 0 ORDER BY l.policy_id, i.id",
        )
        .fetch_all(&self.pool)
        .await?;
        for r in &links {
            let form: Option<String> = r.try_get(2)?;
            interpretations.entry(r.try_get(0)?).or_default().push(InterpretationFacts {
                id: r.try_get(1)?,
                form: form.as_deref().and_then(Form::parse),
                published: cst_date("documents.published_at", r.try_get(3)?)?,
            });
        }
        let drafts = self.draft_counts().await?;
        let rows = sqlx::query(
            "SELECT p.id, p.title, p.department, p.doc_number, p.published_at, p.draft_reason,
                 (SELECT d.id FROM drafts d WHERE d.policy_id = p.id AND d.status IN ('pending', 'approved')
                  ORDER BY d.created_at DESC, d.id LIMIT 1) AS draft_id
             FROM documents p WHERE p.kind = 'policy' AND p.withdrawn = 0 ORDER BY p.published_at, p.id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut policies = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: String = r.try_get("id")?;
            let (drafts_pending, drafts_approved) = drafts.get(&id).copied().unwrap_or_default();
            policies.push(PolicyFacts {
                interpretations: interpretations.remove(&id).unwrap_or_default(),
                title: r.try_get("title")?,
                department: r.try_get("department")?,
                doc_number: r.try_get("doc_number")?,
                published: cst_date("documents.published_at", r.try_get("published_at")?)?,
                drafts_pending,
                drafts_approved,
                draft_id: r.try_get("draft_id")?,
                no_draft: r.try_get::<Option<String>, _>("draft_reason")?.as_deref().and_then(NoDraftReason::parse),
                id,
            });
        }
        Ok(ReportFacts { policies, publications: self.publications().await? })
    }

    async fn publications(&self) -> Result<Vec<Publication>, StoreError> {
        let rows = sqlx::query(
            "SELECT site, site_kind, column_name, published_at FROM documents WHERE withdrawn = 0 AND site IS NOT NULL",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: Option<String> = r.try_get(1)?;
                Ok(Publication {
                    site: r.try_get(0)?,
                    site_kind: kind.as_deref().and_then(SiteKind::parse).unwrap_or_default(),
                    column: r.try_get(2)?,
                    published: cst_date("documents.published_at", r.try_get(3)?)?,
                })
            })
            .collect()
    }
}

fn cst_date(what: &str, stored: String) -> Result<chrono::NaiveDate, StoreError> {
    Ok(parse_db_time(what, &stored)?.date_cst())
}
