//! Editors' decisions on drafts: approving and rejecting a pending draft, shared by `tujie drafts
//! approve|reject` and the review workspace. Each decision is recorded in `review_actions` and queues
//! `draft.approved` or `draft.rejected` in the same transaction.

use sqlx::Row;
use tujie_model::{DraftApproved, DraftRejected, DraftStatus, OutboundEvent, RenderedDraft};

use crate::outbox::insert_outbox;
use crate::rows::{now, parse_db_time};
use crate::videos::{VideoFiles, approved_video, write_files};
use crate::{Store, StoreError};

/// An editor's decision on a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewAction {
    Approve,
    Reject,
}

/// A draft drawn for publication (without the draft mark), and the content revision it shows. Its SVG, PNG and
/// preview replace the draft's; the rest of the bundle (template, warnings, missing glyphs) is the draft's already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedImages {
    pub revision: i64,
    pub rendered: RenderedDraft,
}

impl Store {
    /// Records an editor's decision on a pending draft; approving queues `draft.approved`, rejecting
    /// `draft.rejected`. The draft's images stay as they are; [`Store::approve_published`] also replaces them.
    pub async fn review(
        &self,
        draft_id: &str,
        action: ReviewAction,
        actor: &str,
        comment: Option<&str>,
    ) -> Result<DraftStatus, StoreError> {
        self.decide(draft_id, action, actor, comment, None, None).await
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
        self.decide(draft_id, ReviewAction::Approve, actor, comment, Some(images), None).await
    }

    /// [`Store::approve_published`], also storing `video`, the draft's 音视频解读 drawn without the draft mark, as
    /// its finished render: `draft.approved` then carries its files (`video`).
    pub async fn approve_published_with_video(
        &self,
        draft_id: &str,
        actor: &str,
        comment: Option<&str>,
        images: &PublishedImages,
        video: Option<&VideoFiles>,
    ) -> Result<DraftStatus, StoreError> {
        self.decide(draft_id, ReviewAction::Approve, actor, comment, Some(images), video).await
    }

    async fn decide(
        &self,
        draft_id: &str,
        action: ReviewAction,
        actor: &str,
        comment: Option<&str>,
        images: Option<&PublishedImages>,
        video: Option<&VideoFiles>,
    ) -> Result<DraftStatus, StoreError> {
        // Files before the row, as in `apply`: a committed row never names a file that is not there.
        let files = match images {
            Some(i) => Some(self.assets.put_all([&i.rendered.png, &i.rendered.preview_png]).await?),
            None => None,
        };
        let video_refs = match video {
            Some(v) => Some(self.assets.put_all([&v.mp4, &v.m4a]).await?),
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
            .bind(&i.rendered.svg)
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
        let mut published_video = None;
        if let (Some(v), Some(refs)) = (video, &video_refs)
            && write_files(&mut tx, draft_id, None, v, refs).await?
        {
            published_video = approved_video(&mut tx, draft_id).await?;
        }
        let event = match action {
            ReviewAction::Approve => OutboundEvent::of(
                draft_id,
                at,
                &DraftApproved {
                    draft_id: draft_id.to_owned(),
                    policy_id,
                    approved_by: actor.to_owned(),
                    video: published_video,
                },
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
        insert_outbox(&mut tx, &event, &now).await?;
        tx.commit().await?;
        Ok(status)
    }
}
