//! The one write path of the pipeline: everything an event changes, in one transaction.
//!
//! The transaction records the event id first; if it was already there, the event is a redelivery and the
//! transaction is rolled back with no effect. It then takes the next value of the change counter, which locks the
//! counter row until commit: applies are serialised (on PostgreSQL across processes too), so coverage and draft
//! superseding, decided here from what is committed, cannot be raced into a pending draft beside a rich
//! interpretation, and document revisions commit in counter order for the match index's catch-up. Everything slow
//! (matching, extraction, rendering) happens before the transaction, so the serialised part is short.
//!
//! A document version older than the stored one (a retried event overtaken by a newer one) is *stale*: the event
//! is recorded, and nothing else changes.

use sqlx::Row;
use tujie_model::{
    CoverageChanged, CoverageStatus, Document, DraftCreated, DraftSuperseded, Form, InfographicContent, Link,
    NoDraftReason, OutboundEvent, SupersedeReason, Timestamp,
};

use crate::assets::AssetRef;
use crate::rows::{db_time, now, parse_coverage, to_json};
use crate::{Store, StoreError};

/// A document to insert or update, with its derived form.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub document: Document,
    pub form: Option<Form>,
    pub form_cue: Option<String>,
    /// Why the pipeline made no draft for this version of a policy; `None` when it made one (or for an
    /// interpretation).
    pub no_draft: Option<NoDraftReason>,
    /// The URLs whose text became the body, when the CMS sent none and it was fetched.
    pub fetched_from: Vec<String>,
}

/// What happens to the event's document.
#[derive(Debug, Clone)]
pub enum DocumentAction {
    Upsert(Box<NewDocument>),
    Withdraw(String),
}

/// A rendered draft to store.
#[derive(Debug, Clone)]
pub struct NewDraft {
    pub id: String,
    pub policy_id: String,
    pub template: String,
    pub content: InfographicContent,
    pub warnings: Vec<String>,
    pub missing_glyphs: Vec<String>,
    pub source_text: String,
    pub svg: String,
    pub png: Vec<u8>,
    pub preview_png: Vec<u8>,
}

/// Everything one consumed event changes.
#[derive(Debug, Clone)]
pub struct Change {
    pub event_id: String,
    pub event_type: String,
    pub occurred_at: Timestamp,
    pub action: DocumentAction,
    pub links: Vec<Link>,
    pub draft: Option<NewDraft>,
}

/// A policy whose coverage status changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageChange {
    pub policy_id: String,
    pub before: CoverageStatus,
    pub after: CoverageStatus,
}

/// The result of [`Store::apply`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// The event id was already recorded; nothing changed.
    Duplicate,
    /// The event carried a version older than the stored one (or of a document withdrawn since); it was recorded
    /// and nothing else changed.
    Stale,
    Done {
        draft_created: Option<String>,
        superseded: Vec<String>,
        coverage: Vec<CoverageChange>,
    },
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

impl Store {
    /// Applies `change` atomically. See the module docs for what is decided here.
    pub async fn apply(&self, change: Change) -> Result<Applied, StoreError> {
        // Files first: once the transaction commits, the row must not name a file that is not there.
        let files = match &change.draft {
            Some(d) => Some(self.assets.put_all([&d.png, &d.preview_png]).await?),
            None => None,
        };
        let mut tx = self.begin_write().await?;
        let now = now();
        let recorded = sqlx::query(
            "INSERT INTO processed_events (event_id, event_type, document_id, processed_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
        )
        .bind(&change.event_id)
        .bind(&change.event_type)
        .bind(match &change.action {
            DocumentAction::Upsert(d) => d.document.id.clone(),
            DocumentAction::Withdraw(id) => id.clone(),
        })
        .bind(&now)
        .fetch_optional(&mut *tx)
        .await?;
        if recorded.is_none() {
            tx.rollback().await?;
            return Ok(Applied::Duplicate);
        }

        let rev = next_rev(&mut tx).await?;
        let source_at = db_time(&change.occurred_at);
        let mut affected: Vec<String> = Vec::new();
        let mut withdrawn_policy = None;
        match &change.action {
            DocumentAction::Upsert(new) => {
                if !upsert_document(&mut tx, new, rev, &source_at, &now).await? {
                    tx.commit().await?;
                    return Ok(Applied::Stale);
                }
                if new.document.kind == tujie_model::DocumentKind::Policy {
                    affected.push(new.document.id.clone());
                } else {
                    // A re-published interpretation is matched afresh: links it no longer earns must go, and the
                    // policies it covered must be recomputed.
                    affected.extend(linked_policies(&mut tx, &new.document.id).await?);
                    sqlx::query("DELETE FROM links WHERE interpretation_id = $1")
                        .bind(&new.document.id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            DocumentAction::Withdraw(id) => {
                let withdrawn = sqlx::query(
                    "UPDATE documents SET withdrawn = 1, rev = $2, source_at = $3, updated_at = $4
                     WHERE id = $1 AND (source_at IS NULL OR source_at <= $3) RETURNING kind",
                )
                .bind(id)
                .bind(rev)
                .bind(&source_at)
                .bind(&now)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(row) = withdrawn else {
                    // Unknown, or withdrawn "before" a newer version: nothing to undo.
                    tx.commit().await?;
                    return Ok(Applied::Stale);
                };
                let kind: String = row.try_get(0)?;
                affected.extend(linked_policies(&mut tx, id).await?);
                sqlx::query("DELETE FROM links WHERE interpretation_id = $1 OR policy_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                if kind == "policy" {
                    withdrawn_policy = Some(id.clone());
                    affected.push(id.clone());
                }
            }
        }

        for link in &change.links {
            sqlx::query(
                "INSERT INTO links (policy_id, interpretation_id, score, method, evidence_json, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (policy_id, interpretation_id)
                 DO UPDATE SET score = excluded.score, method = excluded.method, evidence_json = excluded.evidence_json",
            )
            .bind(&link.policy_id)
            .bind(&link.interpretation_id)
            .bind(link.score)
            .bind(&link.method)
            .bind(to_json(&link.evidence))
            .bind(&now)
            .execute(&mut *tx)
            .await?;
            affected.push(link.policy_id.clone());
        }
        affected.sort();
        affected.dedup();

        let mut outbox = Vec::new();
        let mut superseded = Vec::new();
        let mut coverage = Vec::new();
        let mut rich_now = Vec::new();
        for policy_id in &affected {
            let before: Option<String> = sqlx::query("SELECT coverage FROM documents WHERE id = $1")
                .bind(policy_id)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get(0))
                .transpose()?
                .flatten();
            let before = before.as_deref().and_then(parse_coverage).unwrap_or(CoverageStatus::None);
            let forms = crate::queries::linked_forms_with(&mut *tx, policy_id).await?;
            let after = CoverageStatus::from_forms(forms);
            sqlx::query("UPDATE documents SET coverage = $2 WHERE id = $1")
                .bind(policy_id)
                .bind(after.as_str())
                .execute(&mut *tx)
                .await?;
            if after != before {
                outbox.push(OutboundEvent::of(
                    &format!("{policy_id}:{}", change.event_id),
                    change.occurred_at,
                    &CoverageChanged {
                        policy_id: policy_id.clone(),
                        before,
                        after,
                        caused_by: change.event_id.clone(),
                    },
                ));
                coverage.push(CoverageChange { policy_id: policy_id.clone(), before, after });
            }
            if after == CoverageStatus::Rich || withdrawn_policy.as_deref() == Some(policy_id.as_str()) {
                rich_now.push(policy_id.clone());
                let reason = if after == CoverageStatus::Rich {
                    SupersedeReason::RichInterpretation
                } else {
                    SupersedeReason::PolicyWithdrawn
                };
                superseded
                    .extend(supersede_pending(&mut tx, policy_id, None, reason, &change, &now, &mut outbox).await?);
            }
        }

        let mut draft_created = None;
        if let (Some(draft), Some(files)) = (&change.draft, &files)
            && !rich_now.contains(&draft.policy_id)
        {
            // A re-published policy gets a fresh draft; the one made from the old text is superseded.
            superseded.extend(
                supersede_pending(
                    &mut tx,
                    &draft.policy_id,
                    Some(&draft.id),
                    SupersedeReason::PolicyUpdated,
                    &change,
                    &now,
                    &mut outbox,
                )
                .await?,
            );
            if insert_draft(&mut tx, draft, files, &now).await? {
                outbox.push(OutboundEvent::of(
                    &format!("{}:{}", draft.id, change.event_id),
                    change.occurred_at,
                    &DraftCreated {
                        draft_id: draft.id.clone(),
                        policy_id: draft.policy_id.clone(),
                        template: draft.template.clone(),
                        warnings: draft.warnings.clone(),
                        missing_glyphs: draft.missing_glyphs.clone(),
                    },
                ));
                draft_created = Some(draft.id.clone());
            }
        }

        for event in &outbox {
            insert_outbox(&mut tx, event, &now).await?;
        }
        tx.commit().await?;
        Ok(Applied::Done { draft_created, superseded, coverage })
    }
}

/// The next change number; the counter row stays locked until the transaction ends (see the module docs).
async fn next_rev(tx: &mut Tx) -> Result<i64, StoreError> {
    Ok(sqlx::query("UPDATE change_counter SET value = value + 1 WHERE id = 1 RETURNING value")
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?)
}

/// Policies an interpretation is linked to.
async fn linked_policies(tx: &mut Tx, interpretation_id: &str) -> Result<Vec<String>, StoreError> {
    sqlx::query("SELECT policy_id FROM links WHERE interpretation_id = $1")
        .bind(interpretation_id)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| Ok(r.try_get::<String, _>(0)?))
        .collect()
}

/// Inserts or updates the document; returns false when the stored version is newer (the write is skipped).
async fn upsert_document(
    tx: &mut Tx,
    new: &NewDocument,
    rev: i64,
    source_at: &str,
    now: &str,
) -> Result<bool, StoreError> {
    let d = &new.document;
    Ok(sqlx::query(
        "INSERT INTO documents (id, kind, site, url, title, doc_number, index_no, issuer, department, written_at,
             published_at, column_name, topic, body_text, body_html, document_json, content_hash, form, form_cue,
             withdrawn, rev, source_at, first_seen_at, updated_at, draft_reason, fetched_from, site_kind)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, 0, $20, $22,
             $21, $21, $23, $24, $25)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, site = excluded.site, url = excluded.url,
             title = excluded.title, doc_number = excluded.doc_number, index_no = excluded.index_no,
             issuer = excluded.issuer, department = excluded.department, written_at = excluded.written_at,
             published_at = excluded.published_at, column_name = excluded.column_name, topic = excluded.topic,
             body_text = excluded.body_text, body_html = excluded.body_html, document_json = excluded.document_json,
             content_hash = excluded.content_hash, form = excluded.form, form_cue = excluded.form_cue,
             withdrawn = 0, rev = excluded.rev, source_at = excluded.source_at, updated_at = excluded.updated_at,
             draft_reason = excluded.draft_reason, fetched_from = excluded.fetched_from,
             site_kind = excluded.site_kind
         WHERE documents.source_at IS NULL OR documents.source_at <= excluded.source_at
         RETURNING id",
    )
    .bind(&d.id)
    .bind(d.kind.as_str())
    .bind(&d.site)
    .bind(&d.url)
    .bind(&d.title)
    .bind(&d.doc_number)
    .bind(&d.index_no)
    .bind(&d.issuer)
    .bind(&d.department)
    .bind(d.written_at.as_ref().map(db_time))
    .bind(db_time(&d.published_at))
    .bind(&d.column)
    .bind(&d.topic)
    .bind(&d.body_text)
    .bind(&d.body_html)
    .bind(to_json(d))
    .bind(d.content_hash())
    .bind(new.form.map(|f| f.as_str().to_owned()))
    .bind(&new.form_cue)
    .bind(rev)
    .bind(now)
    .bind(source_at)
    .bind(new.no_draft.as_ref().map(ToString::to_string))
    .bind((!new.fetched_from.is_empty()).then(|| new.fetched_from.join("\n")))
    .bind(d.site_kind.map(|k| k.as_str()))
    .fetch_optional(&mut **tx)
    .await?
    .is_some())
}

/// Marks the policy's pending draft (other than `keep`) superseded and queues `draft.superseded`.
async fn supersede_pending(
    tx: &mut Tx,
    policy_id: &str,
    keep: Option<&str>,
    reason: SupersedeReason,
    change: &Change,
    now: &str,
    outbox: &mut Vec<OutboundEvent>,
) -> Result<Vec<String>, StoreError> {
    let ids: Vec<String> = sqlx::query(
        "UPDATE drafts SET status = 'superseded', updated_at = $3
         WHERE policy_id = $1 AND status = 'pending' AND id <> $2 RETURNING id",
    )
    .bind(policy_id)
    .bind(keep.unwrap_or(""))
    .bind(now)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| r.try_get::<String, _>(0))
    .collect::<Result<_, _>>()?;
    for id in &ids {
        sqlx::query(
            "INSERT INTO review_actions (draft_id, action, actor, comment, created_at) VALUES ($1, 'supersede', 'system', $2, $3)",
        )
        .bind(id)
        .bind(format!("{reason} ({})", change.event_id))
        .bind(now)
        .execute(&mut **tx)
        .await?;
        outbox.push(OutboundEvent::of(
            &format!("{id}:{}", change.event_id),
            change.occurred_at,
            &DraftSuperseded {
                draft_id: id.clone(),
                policy_id: policy_id.to_owned(),
                reason,
                caused_by: change.event_id.clone(),
            },
        ));
    }
    Ok(ids)
}

/// Inserts the draft, or brings back a superseded draft with the same id (the same text published again after a
/// withdrawal or an edit that was undone); returns whether a pending draft was created.
async fn insert_draft(
    tx: &mut Tx,
    draft: &NewDraft,
    [png, preview]: &[AssetRef<'_>; 2],
    now: &str,
) -> Result<bool, StoreError> {
    let inserted = sqlx::query(
        "INSERT INTO drafts (id, policy_id, status, template, content_json, warnings_json, missing_glyphs_json,
             source_text, svg, png, preview_png, revision, created_at, updated_at, png_key, preview_key)
         VALUES ($1, $2, 'pending', $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11, $12, $13)
         ON CONFLICT (id) DO UPDATE SET status = 'pending', updated_at = excluded.updated_at
         WHERE drafts.status = 'superseded'
         RETURNING id, revision",
    )
    .bind(&draft.id)
    .bind(&draft.policy_id)
    .bind(&draft.template)
    .bind(to_json(&draft.content))
    .bind(to_json(&draft.warnings))
    .bind(to_json(&draft.missing_glyphs))
    .bind(&draft.source_text)
    .bind(&draft.svg)
    .bind(png.bytes())
    .bind(preview.bytes())
    .bind(now)
    .bind(png.key())
    .bind(preview.key())
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = inserted else { return Ok(false) };
    let revision: i64 = row.try_get(1)?;
    if revision == 1 {
        sqlx::query(
            "INSERT INTO draft_revisions (draft_id, revision, content_json, svg, author, created_at)
             VALUES ($1, 1, $2, $3, 'system', $4) ON CONFLICT (draft_id, revision) DO NOTHING",
        )
        .bind(&draft.id)
        .bind(to_json(&draft.content))
        .bind(&draft.svg)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(true)
}

/// Writes a produced event unless one with its id is there; true when it was written.
pub(crate) async fn insert_outbox(tx: &mut Tx, event: &OutboundEvent, now: &str) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO outbox (event_id, routing_key, payload, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (event_id) DO NOTHING",
    )
    .bind(&event.event_id)
    .bind(event.event_type.as_str())
    .bind(to_json(event))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}
