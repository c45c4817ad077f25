//! What approval does to a draft's files: the approved content is drawn again without the 草稿 banner and
//! watermark, and those images are stored with the decision, so the preview, PNG, SVG and `tujie drafts export`
//! of an approved draft are publishable; so is its 音视频解读, made again without the mark when it shows the
//! approved content and script. The workspace and `tujie drafts approve` both approve through here.

use std::sync::Arc;

use tujie_model::DraftStatus;
use tujie_render::{Mode, Renderer};
use tujie_store::{DraftDetail, PublishedImages, Store};

use crate::error::ReviewError;

/// Draws `detail`'s content for publication, on the blocking pool (rendering is CPU-bound).
pub async fn render_published(renderer: &Arc<Renderer>, detail: &DraftDetail) -> Result<PublishedImages, ReviewError> {
    let renderer = renderer.clone();
    let content = detail.content.clone();
    let site = detail.policy.site.clone();
    let rendered = tokio::task::spawn_blocking(move || renderer.render(&content, site.as_deref(), Mode::Approved))
        .await
        .map_err(|e| ReviewError::Internal(format!("render task failed: {e}")))?
        .map_err(|e| ReviewError::Internal(format!("cannot render draft {}: {e}", detail.draft_id)))?;
    Ok(PublishedImages { revision: detail.revision, rendered })
}

/// Approves `detail` (a pending draft as it was read) as `actor`, storing its publishable images; queues
/// `draft.approved`. A draft edited since it was read is refused as a conflict.
pub async fn approve(
    store: &Store,
    renderer: &Arc<Renderer>,
    detail: &DraftDetail,
    actor: &str,
    comment: Option<&str>,
) -> Result<DraftStatus, ReviewError> {
    approve_with_video(store, renderer, None, detail, actor, comment).await
}

/// [`approve`], publishing the draft's 音视频解读 too when `videos` is given and the draft has a finished video of
/// its current content and script: it is made again without the draft mark and `draft.approved` carries its files.
/// A video that cannot be made then is recorded as failed on the video; the image is approved all the same.
pub async fn approve_with_video(
    store: &Store,
    renderer: &Arc<Renderer>,
    videos: Option<&tujie_media::VideoDrafts>,
    detail: &DraftDetail,
    actor: &str,
    comment: Option<&str>,
) -> Result<DraftStatus, ReviewError> {
    let images = render_published(renderer, detail).await?;
    let video = match videos {
        Some(v) => v.for_approval(detail).await,
        None => None,
    };
    Ok(store.approve_published_with_video(&detail.draft_id, actor, comment, &images, video.as_ref()).await?)
}
