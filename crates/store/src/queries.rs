//! Reads: documents for the match index, links, coverage and drafts. The outbox is in `outbox.rs`, editors'
//! decisions in `decisions.rs`, the write path of the pipeline in `apply.rs`.

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use tujie_model::{CoverageStatus, DraftStatus, Form, Link, NoDraftReason, RenderedDraft};

use crate::rows::{DOCUMENT_COLUMNS, corrupt, parse_coverage};
use crate::{Store, StoreError, StoredDocument};

/// One interpretation in a coverage line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageInterpretation {
    pub id: String,
    pub title: String,
    pub form: Option<Form>,
    pub score: f64,
    pub method: String,
}

/// One line of `tujie coverage`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageRow {
    pub policy_id: String,
    pub site: Option<String>,
    pub title: String,
    pub department: Option<String>,
    pub published_at: String,
    pub status: CoverageStatus,
    pub interpretations: Vec<CoverageInterpretation>,
    pub draft_id: Option<String>,
    /// Why there is no `draft_id`; `None` exactly when there is one.
    pub no_draft: Option<NoDraftReason>,
    /// The URLs whose text became the body, when the CMS sent none and it was fetched.
    pub fetched_from: Vec<String>,
}

/// Why a policy without a pending or approved draft has none. What changes without a new version of the policy
/// (a rich interpretation arriving, an editor's rejection) is derived here; what the pipeline decided for the
/// current version (`no_text`, `fetch_failed`, …) was stored with it.
fn no_draft_reason(
    interpretations: &[CoverageInterpretation],
    stored: Option<NoDraftReason>,
    rejected_id: Option<String>,
    has_body: bool,
) -> NoDraftReason {
    if let Some(rich) = interpretations.iter().find(|i| i.form.is_some_and(Form::is_rich)) {
        return NoDraftReason::CoveredBy(rich.id.clone());
    }
    // Those two are never stored as the current decision: they are read afresh above and below.
    let stored = stored.filter(|r| !matches!(r, NoDraftReason::CoveredBy(_) | NoDraftReason::Rejected(_)));
    match (stored, rejected_id) {
        (Some(reason), _) => reason,
        (None, Some(id)) => NoDraftReason::Rejected(id),
        (None, None) if !has_body => NoDraftReason::NoText,
        (None, None) => NoDraftReason::AwaitingDraft,
    }
}

/// One line of `tujie drafts list`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DraftSummary {
    pub draft_id: String,
    pub policy_id: String,
    pub status: DraftStatus,
    pub template: String,
    pub warnings: Vec<String>,
    pub created_at: String,
}

/// A draft's rendered files.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftAssets {
    pub summary: DraftSummary,
    pub content_json: String,
    pub rendered: RenderedDraft,
}

impl Store {
    /// Whether an event id has been applied (a fast pre-check; [`Store::apply`] is the authority).
    pub async fn is_processed(&self, event_id: &str) -> Result<bool, StoreError> {
        Ok(sqlx::query("SELECT 1 FROM processed_events WHERE event_id = $1")
            .bind(event_id)
            .fetch_optional(&self.pool)
            .await?
            .is_some())
    }

    /// Documents changed after `rev`, oldest change first (withdrawn ones included, flagged).
    pub async fn documents_since(&self, rev: i64) -> Result<Vec<StoredDocument>, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {DOCUMENT_COLUMNS} FROM documents WHERE rev > $1 ORDER BY rev"));
        sqlx::query(sql).bind(rev).fetch_all(&self.pool).await?.iter().map(StoredDocument::from_row).collect()
    }

    pub async fn document(&self, id: &str) -> Result<Option<StoredDocument>, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id = $1"));
        sqlx::query(sql).bind(id).fetch_optional(&self.pool).await?.as_ref().map(StoredDocument::from_row).transpose()
    }

    /// Live policies without a rich interpretation, oldest first: what a reconciliation pass looks at again.
    pub async fn uncovered_policies(&self) -> Result<Vec<StoredDocument>, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {DOCUMENT_COLUMNS} FROM documents
             WHERE kind = 'policy' AND withdrawn = 0 AND (coverage IS NULL OR coverage <> 'rich')
             ORDER BY published_at, id"
        ));
        sqlx::query(sql).fetch_all(&self.pool).await?.iter().map(StoredDocument::from_row).collect()
    }

    /// Forms of the live interpretations linked to a policy.
    pub async fn linked_forms(&self, policy_id: &str) -> Result<Vec<Form>, StoreError> {
        linked_forms_with(&self.pool, policy_id).await
    }

    /// Stored links of a policy.
    pub async fn links_of(&self, policy_id: &str) -> Result<Vec<Link>, StoreError> {
        let rows = sqlx::query(
            "SELECT policy_id, interpretation_id, score, method, evidence_json FROM links WHERE policy_id = $1
             ORDER BY score DESC, interpretation_id",
        )
        .bind(policy_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let evidence: String = r.try_get("evidence_json")?;
                Ok(Link {
                    policy_id: r.try_get("policy_id")?,
                    interpretation_id: r.try_get("interpretation_id")?,
                    score: r.try_get("score")?,
                    method: r.try_get("method")?,
                    evidence: serde_json::from_str(&evidence)
                        .map_err(|e| corrupt("links.evidence_json", e.to_string()))?,
                })
            })
            .collect()
    }

    /// Whether a draft with this id is pending, approved or rejected. A superseded one does not count: the same
    /// text published again deserves its draft back.
    pub async fn draft_is_live(&self, draft_id: &str) -> Result<bool, StoreError> {
        Ok(sqlx::query("SELECT 1 FROM drafts WHERE id = $1 AND status <> 'superseded'")
            .bind(draft_id)
            .fetch_optional(&self.pool)
            .await?
            .is_some())
    }

    /// Coverage of every live policy, ordered by publication.
    pub async fn coverage(&self) -> Result<Vec<CoverageRow>, StoreError> {
        let policies = sqlx::query(
            "SELECT p.id, p.site, p.title, p.department, p.published_at, p.coverage,
                 (SELECT d.id FROM drafts d WHERE d.policy_id = p.id AND d.status IN ('pending', 'approved')
                  ORDER BY d.created_at DESC, d.id LIMIT 1) AS draft_id,
                 (SELECT d.id FROM drafts d WHERE d.policy_id = p.id AND d.status = 'rejected'
                  ORDER BY d.updated_at DESC, d.id LIMIT 1) AS rejected_id,
                 p.draft_reason, p.fetched_from,
                 CASE WHEN p.body_text IS NULL AND p.body_html IS NULL THEN 0 ELSE 1 END AS has_body
             FROM documents p WHERE p.kind = 'policy' AND p.withdrawn = 0 ORDER BY p.published_at, p.id",
        )
        .fetch_all(&self.pool)
        .await?;
        let links = sqlx::query(
            "SELECT l.policy_id, i.id, i.title, i.form, l.score, l.method FROM links l
             JOIN documents i ON i.id = l.interpretation_id WHERE i.withdrawn = 0
             ORDER BY l.policy_id, l.score DESC, i.id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut by_policy: std::collections::HashMap<String, Vec<CoverageInterpretation>> = Default::default();
        for r in &links {
            let form: Option<String> = r.try_get(3)?;
            by_policy.entry(r.try_get(0)?).or_default().push(CoverageInterpretation {
                id: r.try_get(1)?,
                title: r.try_get(2)?,
                form: form.as_deref().and_then(Form::parse),
                score: r.try_get(4)?,
                method: r.try_get(5)?,
            });
        }
        policies
            .iter()
            .map(|r| {
                let id: String = r.try_get("id")?;
                let interpretations = by_policy.remove(&id).unwrap_or_default();
                let stored: Option<String> = r.try_get("coverage")?;
                let status = stored
                    .as_deref()
                    .and_then(parse_coverage)
                    .unwrap_or_else(|| CoverageStatus::from_forms(interpretations.iter().filter_map(|i| i.form)));
                let draft_id: Option<String> = r.try_get("draft_id")?;
                let stored_reason: Option<String> = r.try_get("draft_reason")?;
                let rejected_id: Option<String> = r.try_get("rejected_id")?;
                let has_body = r.try_get::<i64, _>("has_body")? != 0;
                let no_draft = draft_id.is_none().then(|| {
                    no_draft_reason(
                        &interpretations,
                        stored_reason.as_deref().and_then(NoDraftReason::parse),
                        rejected_id,
                        has_body,
                    )
                });
                let fetched_from: Option<String> = r.try_get("fetched_from")?;
                Ok(CoverageRow {
                    policy_id: id,
                    site: r.try_get("site")?,
                    title: r.try_get("title")?,
                    department: r.try_get("department")?,
                    published_at: r.try_get("published_at")?,
                    status,
                    interpretations,
                    draft_id,
                    no_draft,
                    fetched_from: fetched_from.map(|f| f.lines().map(str::to_owned).collect()).unwrap_or_default(),
                })
            })
            .collect()
    }

    /// Drafts, newest first, optionally only those with `status`.
    pub async fn drafts(&self, status: Option<DraftStatus>) -> Result<Vec<DraftSummary>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, policy_id, status, template, warnings_json, created_at FROM drafts
             WHERE $1 = '' OR status = $1 ORDER BY created_at DESC, id",
        )
        .bind(status.map(|s| s.as_str()).unwrap_or(""))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(draft_summary).collect()
    }

    pub async fn draft_assets(&self, draft_id: &str) -> Result<Option<DraftAssets>, StoreError> {
        let Some(r) = sqlx::query(
            "SELECT id, policy_id, status, template, warnings_json, created_at, content_json, missing_glyphs_json,
                 svg, png, preview_png, png_key, preview_key FROM drafts WHERE id = $1",
        )
        .bind(draft_id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let glyphs: String = r.try_get("missing_glyphs_json")?;
        let png = self.asset_bytes(&r, "png", "png_key").await?;
        let preview_png = self.asset_bytes(&r, "preview_png", "preview_key").await?;
        let summary = draft_summary(&r)?;
        let rendered = RenderedDraft {
            template: summary.template.clone(),
            warnings: summary.warnings.clone(),
            missing_glyphs: serde_json::from_str(&glyphs)
                .map_err(|e| corrupt("drafts.missing_glyphs_json", e.to_string()))?,
            svg: r.try_get("svg")?,
            png,
            preview_png,
        };
        Ok(Some(DraftAssets { summary, content_json: r.try_get("content_json")?, rendered }))
    }

    /// A file of a draft row: inline bytes, or the file its key names in the asset folder.
    async fn asset_bytes(&self, r: &AnyRow, bytes_column: &str, key_column: &str) -> Result<Vec<u8>, StoreError> {
        if let Some(bytes) = r.try_get::<Option<Vec<u8>>, _>(bytes_column)? {
            return Ok(bytes);
        }
        match r.try_get::<Option<String>, _>(key_column)? {
            Some(key) => self.assets.get(&key).await,
            None => Err(corrupt(&format!("drafts.{bytes_column}"), "neither bytes nor a file key".into())),
        }
    }
}

/// Forms of the live interpretations linked to a policy, read through any executor: the pool for the pipeline's
/// pre-check, the open transaction when [`Store::apply`] recomputes coverage.
pub(crate) async fn linked_forms_with<'e, E>(executor: E, policy_id: &str) -> Result<Vec<Form>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows = sqlx::query(
        "SELECT d.form FROM links l JOIN documents d ON d.id = l.interpretation_id
         WHERE l.policy_id = $1 AND d.withdrawn = 0 AND d.form IS NOT NULL",
    )
    .bind(policy_id)
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().filter_map(|r| r.try_get::<String, _>(0).ok()).filter_map(|f| Form::parse(&f)).collect())
}

fn draft_summary(r: &AnyRow) -> Result<DraftSummary, StoreError> {
    let status: String = r.try_get("status")?;
    let warnings: String = r.try_get("warnings_json")?;
    Ok(DraftSummary {
        draft_id: r.try_get("id")?,
        policy_id: r.try_get("policy_id")?,
        status: DraftStatus::parse(&status).ok_or_else(|| corrupt("drafts.status", status.clone()))?,
        template: r.try_get("template")?,
        warnings: serde_json::from_str(&warnings).map_err(|e| corrupt("drafts.warnings_json", e.to_string()))?,
        created_at: r.try_get("created_at")?,
    })
}
