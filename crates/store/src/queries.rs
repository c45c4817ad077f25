//! Reads: documents for the match index, coverage, drafts, and the outbox the relay drains.

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use tujie_model::{
    CoverageStatus, DraftApproved, DraftRejected, DraftStatus, Form, Link, NoDraftReason, OutboundEvent,
};

use crate::rows::{DOCUMENT_COLUMNS, corrupt, lease_time, now, parse_coverage, parse_db_time};
use crate::{Backend, Store, StoreError, StoredDocument};

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
    pub missing_glyphs: Vec<String>,
    pub svg: String,
    pub png: Vec<u8>,
    pub preview_png: Vec<u8>,
}

/// A produced event waiting for the relay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: i64,
    pub event_id: String,
    pub routing_key: String,
    pub payload: String,
}

/// An editor's decision on a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewAction {
    Approve,
    Reject,
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
        Ok(Some(DraftAssets {
            summary: draft_summary(&r)?,
            content_json: r.try_get("content_json")?,
            missing_glyphs: serde_json::from_str(&glyphs)
                .map_err(|e| corrupt("drafts.missing_glyphs_json", e.to_string()))?,
            svg: r.try_get("svg")?,
            png,
            preview_png,
        }))
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

    /// Oldest unsent produced events.
    pub async fn outbox_unsent(&self, limit: usize) -> Result<Vec<OutboxRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, event_id, routing_key, payload FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1",
        )
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(outbox_row).collect()
    }

    /// Claims up to `limit` unsent produced events, oldest first, for the relay `owner` until `lease` from now,
    /// and returns them. A row can be claimed when no relay holds it, when its claim has expired (its relay died
    /// or stalled), or when `owner` holds it already (a relay that reconnected resumes its own batch at once).
    ///
    /// One statement for both backends. The `UPDATE` repeats the candidates' conditions on purpose: under
    /// PostgreSQL's READ COMMITTED a claimer that waited for another's row lock re-evaluates them on the row as
    /// the other left it, finds it claimed, and skips it. That alone is correct, but the waiting claimer would
    /// come away with nothing, and two claimers locking overlapping rows in different orders could deadlock; so
    /// on PostgreSQL the candidates are also taken `FOR UPDATE SKIP LOCKED`, and concurrent claimers lock
    /// disjoint rows without waiting. The candidates are a `MATERIALIZED` CTE because a locking subquery that
    /// the plan re-executes skips the rows this very statement just updated and hands out further ones, which
    /// took more than `limit` rows in testing. SQLite has no row locks and needs none of this: the statement
    /// runs under the database write lock (`BEGIN IMMEDIATE`), so claimers are serialised.
    pub async fn outbox_claim(
        &self,
        owner: &str,
        limit: usize,
        lease: std::time::Duration,
    ) -> Result<Vec<OutboxRow>, StoreError> {
        let now = chrono::Utc::now();
        // Capped at a year so that the end stays a four-digit year, whose text sorts as time.
        let lease = chrono::TimeDelta::from_std(lease.min(std::time::Duration::from_secs(366 * 86_400)))
            .unwrap_or(chrono::TimeDelta::days(366));
        let until = now + lease;
        let lock = match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let claimable = "sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < $3 OR claimed_by = $1)";
        let sql = sqlx::AssertSqlSafe(format!(
            "WITH candidates AS MATERIALIZED (SELECT id FROM outbox WHERE {claimable} ORDER BY id LIMIT $4{lock})
             UPDATE outbox SET claimed_by = $1, claimed_until = $2
             WHERE id IN (SELECT id FROM candidates) AND {claimable}
             RETURNING id, event_id, routing_key, payload"
        ));
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(sql)
            .bind(owner)
            .bind(lease_time(until))
            .bind(lease_time(now))
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        // RETURNING follows no ORDER BY; the relay publishes oldest first.
        let mut rows = rows.iter().map(outbox_row).collect::<Result<Vec<_>, _>>()?;
        rows.sort_by_key(|r| r.id);
        Ok(rows)
    }

    /// Gives up `owner`'s claims on rows still unsent, so that another relay need not wait for the lease to
    /// run out. Returns how many rows were released.
    pub async fn outbox_release(&self, owner: &str) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let released = sqlx::query(
            "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = $1 AND sent_at IS NULL",
        )
        .bind(owner)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(released)
    }

    /// Marks produced events as confirmed by the broker.
    pub async fn outbox_mark_sent(&self, ids: &[i64]) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let now = now();
        for id in ids {
            sqlx::query("UPDATE outbox SET sent_at = $2 WHERE id = $1").bind(id).bind(&now).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// How many produced events wait for the relay.
    pub async fn outbox_backlog(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").fetch_one(&self.pool).await?.try_get(0)?)
    }

    /// Records an editor's decision on a pending draft; approving queues `draft.approved`, rejecting
    /// `draft.rejected`. The draft's images stay as they are; [`Store::approve_published`] also replaces them.
    pub async fn review(
        &self,
        draft_id: &str,
        action: ReviewAction,
        actor: &str,
        comment: Option<&str>,
    ) -> Result<DraftStatus, StoreError> {
        self.decide(draft_id, action, actor, comment, None).await
    }

    /// Approves a pending draft and stores `images`, drawn without the draft mark from revision
    /// `images.revision`: what an approved draft serves and exports is publishable. Refused as a conflict when
    /// the draft was edited since that revision (the images would not show the stored content).
    pub async fn approve_published(
        &self,
        draft_id: &str,
        actor: &str,
        comment: Option<&str>,
        images: &PublishedImages,
    ) -> Result<DraftStatus, StoreError> {
        self.decide(draft_id, ReviewAction::Approve, actor, comment, Some(images)).await
    }

    async fn decide(
        &self,
        draft_id: &str,
        action: ReviewAction,
        actor: &str,
        comment: Option<&str>,
        images: Option<&PublishedImages>,
    ) -> Result<DraftStatus, StoreError> {
        // Files before the row, as in `apply`: a committed row never names a file that is not there.
        let files = match images {
            Some(i) => Some(self.assets.put_all([&i.png, &i.preview_png]).await?),
            None => None,
        };
        let mut tx = self.begin_write().await?;
        let now = now();
        let (status, verb) = match action {
            ReviewAction::Approve => (DraftStatus::Approved, "approve"),
            ReviewAction::Reject => (DraftStatus::Rejected, "reject"),
        };
        let updated = match (images, &files) {
            (Some(i), Some([png, preview])) => sqlx::query(
                "UPDATE drafts SET status = $2, updated_at = $3, svg = $5, png = $6, preview_png = $7, png_key = $8,
                     preview_key = $9
                 WHERE id = $1 AND status = 'pending' AND revision = $4 RETURNING policy_id, revision",
            )
            .bind(draft_id)
            .bind(status.as_str())
            .bind(&now)
            .bind(i.revision)
            .bind(&i.svg)
            .bind(png.bytes())
            .bind(preview.bytes())
            .bind(png.key())
            .bind(preview.key())
            .fetch_optional(&mut *tx)
            .await?,
            _ => {
                sqlx::query(
                    "UPDATE drafts SET status = $2, updated_at = $3 WHERE id = $1 AND status = 'pending'
                 RETURNING policy_id, revision",
                )
                .bind(draft_id)
                .bind(status.as_str())
                .bind(&now)
                .fetch_optional(&mut *tx)
                .await?
            }
        };
        let Some(row) = updated else {
            let exists = sqlx::query("SELECT status FROM drafts WHERE id = $1")
                .bind(draft_id)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get::<String, _>(0))
                .transpose()?;
            tx.rollback().await?;
            return Err(match exists {
                None => StoreError::NotFound(format!("draft {draft_id}")),
                Some(s) if s == "pending" => {
                    StoreError::Conflict(format!("draft {draft_id} was edited meanwhile; review the new revision"))
                }
                Some(s) => {
                    StoreError::Conflict(format!("draft {draft_id} is {s}, only pending drafts can be reviewed"))
                }
            });
        };
        let policy_id: String = row.try_get(0)?;
        let revision: i64 = row.try_get(1)?;
        sqlx::query(
            "INSERT INTO review_actions (draft_id, action, actor, comment, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(draft_id)
        .bind(verb)
        .bind(actor)
        .bind(comment)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        let at = parse_db_time("review time", &now)?;
        let event = match action {
            ReviewAction::Approve => OutboundEvent::of(
                draft_id,
                at,
                &DraftApproved { draft_id: draft_id.to_owned(), policy_id, approved_by: actor.to_owned() },
            ),
            // A draft can be rejected again after it was regenerated; each rejection is of another revision.
            ReviewAction::Reject => OutboundEvent::of(
                &format!("{draft_id}:{revision}"),
                at,
                &DraftRejected {
                    draft_id: draft_id.to_owned(),
                    policy_id,
                    rejected_by: actor.to_owned(),
                    comment: comment.map(str::to_owned),
                },
            ),
        };
        crate::apply::insert_outbox(&mut tx, &event, &now).await?;
        tx.commit().await?;
        Ok(status)
    }
}

/// The images of a draft drawn for publication (without the draft mark), and the revision they show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedImages {
    pub revision: i64,
    pub svg: String,
    pub png: Vec<u8>,
    pub preview_png: Vec<u8>,
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

/// An outbox row from `SELECT id, event_id, routing_key, payload`.
fn outbox_row(r: &AnyRow) -> Result<OutboxRow, StoreError> {
    Ok(OutboxRow { id: r.try_get(0)?, event_id: r.try_get(1)?, routing_key: r.try_get(2)?, payload: r.try_get(3)? })
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
