//! The 音视频解读 of drafts (issue 15): one `draft_videos` row per draft, beside the image draft, which nothing here
//! touches. A row holds the editors' 口播稿 (when edited), the state of the latest render request (`pending`,
//! `done`, `failed` with its reason) and the files of the last finished render: MP4 and M4A through the asset
//! store (inline or a shared folder, like the image's PNGs), subtitles and the spoken script as text.
//!
//! Renders run long and outside any transaction. Each request bumps `attempt`, and a render stores its outcome
//! only while its attempt is still the current one ([`Store::finish_video`], [`Store::fail_video`]), so a render
//! overtaken by a newer request, or left behind by a process that died, changes nothing.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;
use tujie_model::{ApprovedVideo, MediaAsset};

use crate::assets::AssetRef;
use crate::rows::{corrupt, now};
use crate::{Store, StoreError};

/// Where a draft's video stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VideoStatus {
    /// No render asked for yet (the script may have been edited).
    None,
    /// A render was asked for and has not finished.
    Pending,
    Done,
    /// The latest render failed; `reason` says why.
    Failed,
}

impl VideoStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VideoStatus::None => "none",
            VideoStatus::Pending => "pending",
            VideoStatus::Done => "done",
            VideoStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [VideoStatus::None, VideoStatus::Pending, VideoStatus::Done, VideoStatus::Failed]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// A draft's video row, without its files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DraftVideo {
    pub draft_id: String,
    pub status: VideoStatus,
    /// Why the latest render failed.
    pub reason: Option<String>,
    /// Bumped by every render request; a render stores its outcome only under its own attempt.
    pub attempt: i64,
    pub requested_by: Option<String>,
    pub requested_at: Option<String>,
    /// The editors' 口播稿 as JSON (`tujie_narrate::Script`), `None` until edited.
    pub script_json: Option<String>,
    /// How many times the script was edited (0: the script made from the content).
    pub script_revision: i64,
    /// What the last finished render used and made.
    pub made: Option<VideoMade>,
    pub updated_at: String,
}

/// What the last finished render of a draft used and made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VideoMade {
    /// The draft revision whose content was narrated.
    pub content_revision: i64,
    /// The script revision spoken.
    pub script_revision: i64,
    /// Drawn without the draft mark, on approval.
    pub approved: bool,
    /// Length of the narration, the video and the audio version.
    pub duration_ms: i64,
    pub speech_ms: i64,
    pub slides_ms: i64,
    pub encoding_ms: i64,
    pub video_sha256: String,
    pub video_bytes: i64,
    pub audio_sha256: String,
    pub audio_bytes: i64,
    pub finished_at: String,
}

/// A finished render, to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoFiles {
    pub content_revision: i64,
    pub script_revision: i64,
    pub approved: bool,
    pub duration_ms: u64,
    pub speech_ms: u64,
    pub slides_ms: u64,
    pub encoding_ms: u64,
    pub mp4: Vec<u8>,
    pub m4a: Vec<u8>,
    pub vtt: String,
    pub srt: String,
    /// The script as spoken, with its subtitle cues (`script.json` of `tujie video`).
    pub spoken_json: String,
}

/// One file of a draft's video.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VideoFile {
    Mp4,
    M4a,
    Vtt,
    Srt,
}

impl VideoFile {
    /// The file by its workspace name ([`MediaAsset::VIDEO`] …).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            MediaAsset::VIDEO => Some(VideoFile::Mp4),
            MediaAsset::AUDIO => Some(VideoFile::M4a),
            MediaAsset::VTT => Some(VideoFile::Vtt),
            MediaAsset::SRT => Some(VideoFile::Srt),
            _ => None,
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            VideoFile::Mp4 => "video/mp4",
            VideoFile::M4a => "audio/mp4",
            VideoFile::Vtt => "text/vtt; charset=utf-8",
            VideoFile::Srt => "application/x-subrip; charset=utf-8",
        }
    }
}

/// What became of a script edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptSave {
    Saved {
        revision: i64,
    },
    /// Someone saved another script revision since the edit's base; nothing was stored.
    Stale {
        current: i64,
    },
}

const VIDEO_COLUMNS: &str = "draft_id, status, reason, attempt, requested_by, requested_at, script_json, \
     script_revision, content_revision, rendered_script_revision, approved, duration_ms, speech_ms, slides_ms, \
     encoding_ms, video_sha256, video_bytes, audio_sha256, audio_bytes, finished_at, updated_at";

impl Store {
    /// The video row of a draft, if any.
    pub async fn draft_video(&self, draft_id: &str) -> Result<Option<DraftVideo>, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {VIDEO_COLUMNS} FROM draft_videos WHERE draft_id = $1"));
        sqlx::query(sql).bind(draft_id).fetch_optional(&self.pool).await?.as_ref().map(video_from_row).transpose()
    }

    /// Records a render request by `by`: the row becomes `pending` under the next attempt, which the render
    /// must name when it stores its outcome. The files of an earlier render stay until the new one finishes.
    pub async fn request_video(&self, draft_id: &str, by: &str) -> Result<DraftVideo, StoreError> {
        let mut tx = self.begin_write_for_draft(draft_id).await?;
        let now = now();
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO draft_videos (draft_id, status, attempt, requested_by, requested_at, updated_at)
             VALUES ($1, 'pending', 1, $2, $3, $3)
             ON CONFLICT (draft_id) DO UPDATE SET status = 'pending', reason = NULL,
                 attempt = draft_videos.attempt + 1, requested_by = $2, requested_at = $3, updated_at = $3
             RETURNING {VIDEO_COLUMNS}"
        ));
        let row = sqlx::query(sql).bind(draft_id).bind(by).bind(&now).fetch_one(&mut *tx).await?;
        tx.commit().await?;
        video_from_row(&row)
    }

    /// Stores a finished render of `attempt`; `false` (nothing stored) when a newer request overtook it.
    pub async fn finish_video(&self, draft_id: &str, attempt: i64, files: &VideoFiles) -> Result<bool, StoreError> {
        // Files before the row, as in `apply`: a committed row never names a file that is not there.
        let refs = self.assets.put_all([&files.mp4, &files.m4a]).await?;
        let mut tx = self.begin_write().await?;
        let stored = write_files(&mut tx, draft_id, Some(attempt), files, &refs).await?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Records why the render of `attempt` failed; `false` when a newer request overtook it.
    pub async fn fail_video(&self, draft_id: &str, attempt: i64, reason: &str) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "UPDATE draft_videos SET status = 'failed', reason = $3, updated_at = $4
             WHERE draft_id = $1 AND attempt = $2 RETURNING 1",
        )
        .bind(draft_id)
        .bind(attempt)
        .bind(reason)
        .bind(now())
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(row.is_some())
    }

    /// A write transaction, once the draft is known to exist (`NotFound` otherwise).
    async fn begin_write_for_draft(&self, draft_id: &str) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        let mut tx = self.begin_write().await?;
        let exists = sqlx::query("SELECT 1 FROM drafts WHERE id = $1").bind(draft_id).fetch_optional(&mut *tx).await?;
        if exists.is_none() {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!("draft {draft_id}")));
        }
        Ok(tx)
    }

    /// A file of the last finished render of a draft; `None` when there is none.
    pub async fn video_file(&self, draft_id: &str, file: VideoFile) -> Result<Option<Vec<u8>>, StoreError> {
        let Some(r) = sqlx::query(
            "SELECT video, video_key, audio, audio_key, subtitles_vtt, subtitles_srt FROM draft_videos
             WHERE draft_id = $1 AND finished_at IS NOT NULL",
        )
        .bind(draft_id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let text = |column: &str| -> Result<Option<Vec<u8>>, StoreError> {
            Ok(r.try_get::<Option<String>, _>(column)?.map(String::into_bytes))
        };
        match file {
            VideoFile::Vtt => text("subtitles_vtt"),
            VideoFile::Srt => text("subtitles_srt"),
            VideoFile::Mp4 => self.video_bytes(&r, "video", "video_key").await.map(Some),
            VideoFile::M4a => self.video_bytes(&r, "audio", "audio_key").await.map(Some),
        }
    }

    async fn video_bytes(&self, r: &AnyRow, bytes_column: &str, key_column: &str) -> Result<Vec<u8>, StoreError> {
        if let Some(bytes) = r.try_get::<Option<Vec<u8>>, _>(bytes_column)? {
            return Ok(bytes);
        }
        match r.try_get::<Option<String>, _>(key_column)? {
            Some(key) => self.assets.get(&key).await,
            None => Err(corrupt(&format!("draft_videos.{bytes_column}"), "neither bytes nor a file key".into())),
        }
    }

    /// Stores an edited 口播稿 (`None`: back to the script made from the content) as the next script revision,
    /// if nobody saved one since `base_revision`; the edit is recorded in the draft's audit trail as `script`.
    pub async fn save_script(
        &self,
        draft_id: &str,
        base_revision: i64,
        script_json: Option<&str>,
        author: &str,
        note: Option<&str>,
    ) -> Result<ScriptSave, StoreError> {
        let mut tx = self.begin_write_for_draft(draft_id).await?;
        let now = now();
        let mut saved = None;
        if base_revision == 0 {
            saved = sqlx::query(
                "INSERT INTO draft_videos (draft_id, status, attempt, script_json, script_revision, updated_at)
                 VALUES ($1, 'none', 0, $2, 1, $3) ON CONFLICT (draft_id) DO NOTHING RETURNING script_revision",
            )
            .bind(draft_id)
            .bind(script_json)
            .bind(&now)
            .fetch_optional(&mut *tx)
            .await?;
        }
        if saved.is_none() {
            saved = sqlx::query(
                "UPDATE draft_videos SET script_json = $3, script_revision = script_revision + 1, updated_at = $4
                 WHERE draft_id = $1 AND script_revision = $2 RETURNING script_revision",
            )
            .bind(draft_id)
            .bind(base_revision)
            .bind(script_json)
            .bind(&now)
            .fetch_optional(&mut *tx)
            .await?;
        }
        let Some(row) = saved else {
            let current = sqlx::query("SELECT script_revision FROM draft_videos WHERE draft_id = $1")
                .bind(draft_id)
                .fetch_optional(&mut *tx)
                .await?;
            tx.rollback().await?;
            return Ok(ScriptSave::Stale { current: current.map(|r| r.try_get(0)).transpose()?.unwrap_or(0) });
        };
        let comment = note.map(str::trim).filter(|n| !n.is_empty());
        sqlx::query(
            "INSERT INTO review_actions (draft_id, action, actor, comment, created_at) VALUES ($1, 'script', $2, $3, $4)",
        )
        .bind(draft_id)
        .bind(author)
        .bind(comment)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(ScriptSave::Saved { revision: row.try_get(0)? })
    }
}

/// Stores `files` (whose MP4 and M4A the asset store already holds as `refs`) as the draft's last finished
/// render, under `attempt` when given; `false` when that attempt is no longer the current one.
pub(crate) async fn write_files(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    draft_id: &str,
    attempt: Option<i64>,
    files: &VideoFiles,
    refs: &[AssetRef<'_>; 2],
) -> Result<bool, StoreError> {
    let [video, audio] = refs;
    let now = now();
    let row = sqlx::query(
        "UPDATE draft_videos SET status = 'done', reason = NULL, content_revision = $3, rendered_script_revision = $4,
             approved = $5, duration_ms = $6, speech_ms = $7, slides_ms = $8, encoding_ms = $9, video = $10,
             video_key = $11, video_sha256 = $12, video_bytes = $13, audio = $14, audio_key = $15, audio_sha256 = $16,
             audio_bytes = $17, subtitles_vtt = $18, subtitles_srt = $19, spoken_json = $20, finished_at = $21,
             updated_at = $21
         WHERE draft_id = $1 AND ($2 < 0 OR attempt = $2) RETURNING 1",
    )
    .bind(draft_id)
    .bind(attempt.unwrap_or(-1))
    .bind(files.content_revision)
    .bind(files.script_revision)
    .bind(i64::from(files.approved))
    .bind(as_i64(files.duration_ms))
    .bind(as_i64(files.speech_ms))
    .bind(as_i64(files.slides_ms))
    .bind(as_i64(files.encoding_ms))
    .bind(video.bytes())
    .bind(video.key())
    .bind(sha256(&files.mp4))
    .bind(as_i64(files.mp4.len() as u64))
    .bind(audio.bytes())
    .bind(audio.key())
    .bind(sha256(&files.m4a))
    .bind(as_i64(files.m4a.len() as u64))
    .bind(&files.vtt)
    .bind(&files.srt)
    .bind(&files.spoken_json)
    .bind(&now)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.is_some())
}

/// The `video` of `draft.approved`: the files of the draft's last finished render, read in `tx`.
pub(crate) async fn approved_video(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    draft_id: &str,
) -> Result<Option<ApprovedVideo>, StoreError> {
    let Some(r) = sqlx::query(
        "SELECT rendered_script_revision, duration_ms, video_sha256, video_bytes, audio_sha256, audio_bytes,
             subtitles_vtt FROM draft_videos WHERE draft_id = $1 AND finished_at IS NOT NULL",
    )
    .bind(draft_id)
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(None);
    };
    let vtt: String = r.try_get("subtitles_vtt")?;
    let asset = |name: &str, media_type: &str, sha256: String, bytes: i64| MediaAsset {
        path: MediaAsset::api_path(draft_id, name),
        media_type: media_type.to_owned(),
        sha256,
        bytes: u64::try_from(bytes).unwrap_or(0),
    };
    Ok(Some(ApprovedVideo {
        video: asset(MediaAsset::VIDEO, "video/mp4", r.try_get("video_sha256")?, r.try_get("video_bytes")?),
        audio: asset(MediaAsset::AUDIO, "audio/mp4", r.try_get("audio_sha256")?, r.try_get("audio_bytes")?),
        subtitles: asset(MediaAsset::VTT, "text/vtt", sha256(vtt.as_bytes()), vtt.len() as i64),
        duration_ms: u64::try_from(r.try_get::<i64, _>("duration_ms")?).unwrap_or(0),
        script_revision: r.try_get("rendered_script_revision")?,
    }))
}

fn sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

fn as_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn video_from_row(r: &AnyRow) -> Result<DraftVideo, StoreError> {
    let status: String = r.try_get("status")?;
    let content_revision: Option<i64> = r.try_get("content_revision")?;
    let finished_at: Option<String> = r.try_get("finished_at")?;
    let made = match (content_revision, finished_at) {
        (Some(content_revision), Some(finished_at)) => Some(VideoMade {
            content_revision,
            script_revision: r.try_get::<Option<i64>, _>("rendered_script_revision")?.unwrap_or(0),
            approved: r.try_get::<i64, _>("approved")? != 0,
            duration_ms: r.try_get::<Option<i64>, _>("duration_ms")?.unwrap_or(0),
            speech_ms: r.try_get::<Option<i64>, _>("speech_ms")?.unwrap_or(0),
            slides_ms: r.try_get::<Option<i64>, _>("slides_ms")?.unwrap_or(0),
            encoding_ms: r.try_get::<Option<i64>, _>("encoding_ms")?.unwrap_or(0),
            video_sha256: r.try_get::<Option<String>, _>("video_sha256")?.unwrap_or_default(),
            video_bytes: r.try_get::<Option<i64>, _>("video_bytes")?.unwrap_or(0),
            audio_sha256: r.try_get::<Option<String>, _>("audio_sha256")?.unwrap_or_default(),
            audio_bytes: r.try_get::<Option<i64>, _>("audio_bytes")?.unwrap_or(0),
            finished_at,
        }),
        _ => None,
    };
    Ok(DraftVideo {
        draft_id: r.try_get("draft_id")?,
        status: VideoStatus::parse(&status).ok_or_else(|| corrupt("draft_videos.status", status.clone()))?,
        reason: r.try_get("reason")?,
        attempt: r.try_get("attempt")?,
        requested_by: r.try_get("requested_by")?,
        requested_at: r.try_get("requested_at")?,
        script_json: r.try_get("script_json")?,
        script_revision: r.try_get("script_revision")?,
        made,
        updated_at: r.try_get("updated_at")?,
    })
}
