//! The 音视频解读 of stored drafts: made on request (the workspace, `tujie video DRAFT_ID`) or automatically after a
//! new image draft (`[video] auto`), from the draft's current content and 口播稿, and recorded in the store's
//! `draft_videos` (pending, done or failed with its reason; the files through the asset store).
//!
//! Rendering blocks for seconds (speech, frames, ffmpeg): it runs on the blocking pool, at most `[video]
//! max_concurrent` at once per process, never inside a transaction. A request is recorded first (the next
//! attempt) and the render stores its outcome under that attempt only, so a newer request overtakes an older
//! render. Nothing here touches the image draft: a failed video is a reason on the video row.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::{Semaphore, watch};
use tujie_narrate::Script;
use tujie_render::{Mode, Renderer};
use tujie_store::{DraftDetail, DraftVideo, Store, StoreError, VideoFiles, VideoStatus};

use crate::config::{MediaConfig, VideoConfig};
use crate::video::{self, Made, Request};
use crate::{MediaError, from_config};

/// Why a draft's video could not be made.
#[derive(Debug, thiserror::Error)]
pub enum VideoDraftError {
    #[error("draft {0} not found")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the stored 口播稿 of draft {draft_id} cannot be read: {detail}")]
    BadScript { draft_id: String, detail: String },
    #[error(transparent)]
    Media(#[from] MediaError),
    #[error("cannot {action} {path}: {source}")]
    Io { action: &'static str, path: String, source: std::io::Error },
    #[error("the video task stopped: {0}")]
    Task(String),
}

impl VideoDraftError {
    /// Whether the same request could succeed later (a database or speech service outage).
    pub fn is_retryable(&self) -> bool {
        match self {
            VideoDraftError::Store(e) => e.is_retryable(),
            VideoDraftError::Media(e) => e.is_retryable(),
            _ => false,
        }
    }

    /// The reason recorded with a failed video and shown to editors: a Chinese summary, then the detail.
    pub fn reason(&self) -> String {
        let what = match self {
            VideoDraftError::Media(e) if e.is_setup() => "音视频环境未就绪（请管理员安装或配置）",
            VideoDraftError::Media(MediaError::Tts { .. } | MediaError::BadAudio { .. }) => "语音合成失败",
            VideoDraftError::Media(MediaError::Unfaithful(_)) => "口播稿与政策原文不符",
            VideoDraftError::Media(MediaError::Ffmpeg { .. }) => "视频编码失败",
            VideoDraftError::BadScript { .. } => "保存的口播稿无法读取",
            _ => "生成失败",
        };
        format!("{what}：{self}")
    }
}

/// Makes and records the videos of stored drafts. Cheap to clone: clones share the limit.
#[derive(Debug, Clone)]
pub struct VideoDrafts {
    store: Store,
    renderer: Arc<Renderer>,
    media: Arc<MediaConfig>,
    limit: Arc<Semaphore>,
    /// Renders started in the background and not finished, for [`VideoDrafts::wait_idle`].
    busy: Arc<watch::Sender<usize>>,
}

/// A finished render: what `tujie-media` made and what was stored.
#[derive(Debug, Clone)]
pub struct MadeVideo {
    pub made: Made,
    pub files: VideoFiles,
    /// `false` when a newer request overtook this render, so its files were not stored.
    pub stored: bool,
}

impl VideoDrafts {
    pub fn new(store: Store, renderer: Arc<Renderer>, media: MediaConfig, video: &VideoConfig) -> Self {
        Self {
            store,
            renderer,
            media: Arc::new(media),
            limit: Arc::new(Semaphore::new(video.max_concurrent.max(1))),
            busy: Arc::new(watch::channel(0).0),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn media(&self) -> &MediaConfig {
        &self.media
    }

    /// The 口播稿 a render of `detail` speaks: the editors' (from `video`), else the one built from the content.
    pub fn script(&self, detail: &DraftDetail, video: Option<&DraftVideo>) -> Result<Script, VideoDraftError> {
        match video.and_then(|v| v.script_json.as_deref()) {
            Some(json) => serde_json::from_str(json)
                .map_err(|e| VideoDraftError::BadScript { draft_id: detail.draft_id.clone(), detail: e.to_string() }),
            None => Ok(tujie_narrate::build(&detail.content, &video::script_options(&self.media))),
        }
    }

    /// Records a request by `by` and renders in the background; returns the row as recorded (pending).
    pub async fn request(&self, draft_id: &str, by: &str) -> Result<DraftVideo, VideoDraftError> {
        let row = self.store.request_video(draft_id, by).await.map_err(not_found(draft_id))?;
        let (this, id, attempt) = (self.clone(), draft_id.to_owned(), row.attempt);
        self.busy.send_modify(|n| *n += 1);
        tokio::spawn(async move {
            if let Err(e) = this.run(&id, attempt, None, Mode::Draft).await {
                tracing::warn!(draft_id = %id, attempt, error = %e, "video draft failed");
            }
            this.busy.send_modify(|n| *n -= 1);
        });
        Ok(row)
    }

    /// Records a request by `by` and renders now, writing the files to `out` too (`tujie video DRAFT_ID`).
    pub async fn make(&self, draft_id: &str, by: &str, out: &Path) -> Result<MadeVideo, VideoDraftError> {
        let row = self.store.request_video(draft_id, by).await.map_err(not_found(draft_id))?;
        self.run(draft_id, row.attempt, Some(out.to_path_buf()), Mode::Draft).await
    }

    /// Waits until every background render has finished (a one-shot command before it exits).
    pub async fn wait_idle(&self) {
        let mut rx = self.busy.subscribe();
        let _ = rx.wait_for(|n| *n == 0).await;
    }

    /// The video to publish with `detail` on approval, drawn without the draft mark: only when the draft has a
    /// finished video of its current content and script. A failure is recorded on the video and gives `None`:
    /// the approval of the image goes on.
    pub async fn for_approval(&self, detail: &DraftDetail) -> Option<VideoFiles> {
        let row = match self.store.draft_video(&detail.draft_id).await {
            Ok(row) => row?,
            Err(e) => {
                tracing::warn!(draft_id = %detail.draft_id, error = %e, "cannot read the video row on approval");
                return None;
            }
        };
        let made = row.made.as_ref()?;
        let current = row.status == VideoStatus::Done
            && made.content_revision == detail.revision
            && made.script_revision == row.script_revision;
        if !current {
            return None;
        }
        match self.render(detail, &row, None, Mode::Approved).await {
            Ok(done) => Some(done.files),
            Err(e) => {
                let reason = format!("通过时重新生成无草稿标记的视频失败，视频未随图解发布。{}", e.reason());
                if let Err(e) = self.store.fail_video(&detail.draft_id, row.attempt, &reason).await {
                    tracing::warn!(draft_id = %detail.draft_id, error = %e, "cannot record the video failure");
                }
                None
            }
        }
    }

    /// Renders attempt `attempt` of `draft_id` and records its outcome.
    async fn run(
        &self,
        draft_id: &str,
        attempt: i64,
        out: Option<PathBuf>,
        mode: Mode,
    ) -> Result<MadeVideo, VideoDraftError> {
        let result: Result<MadeVideo, VideoDraftError> = async {
            let detail = self
                .store
                .draft_detail(draft_id)
                .await?
                .ok_or_else(|| VideoDraftError::NotFound(draft_id.to_owned()))?;
            let row =
                self.store.draft_video(draft_id).await?.ok_or_else(|| VideoDraftError::NotFound(draft_id.into()))?;
            self.render(&detail, &row, out, mode).await
        }
        .await;
        match result {
            Ok(mut done) => {
                done.stored = self.store.finish_video(draft_id, attempt, &done.files).await?;
                Ok(done)
            }
            Err(e) => {
                self.store.fail_video(draft_id, attempt, &e.reason()).await?;
                Err(e)
            }
        }
    }

    /// Makes the files of `detail` with the script `row` holds, on the blocking pool under the limit.
    async fn render(
        &self,
        detail: &DraftDetail,
        row: &DraftVideo,
        out: Option<PathBuf>,
        mode: Mode,
    ) -> Result<MadeVideo, VideoDraftError> {
        let script = self.script(detail, Some(row))?;
        let _permit = self.limit.acquire().await.map_err(|e| VideoDraftError::Task(e.to_string()))?;
        let (renderer, media, detail) = (self.renderer.clone(), self.media.clone(), detail.clone());
        let script_revision = row.script_revision;
        tokio::task::spawn_blocking(move || -> Result<MadeVideo, VideoDraftError> {
            let work = WorkDir::new(out)?;
            let tts = from_config(&media);
            let req = Request {
                content: &detail.content,
                source_text: Some(&detail.source_text),
                site: detail.policy.site.as_deref(),
                mode,
                out_dir: work.path(),
                script: Some(&script),
            };
            let made = video::make(&media, tts.as_ref(), &renderer, &req)?;
            let files = read_files(work.path(), &made, detail.revision, script_revision, mode)?;
            Ok(MadeVideo { made, files, stored: false })
        })
        .await
        .map_err(|e| VideoDraftError::Task(e.to_string()))?
    }
}

fn not_found(draft_id: &str) -> impl FnOnce(StoreError) -> VideoDraftError + '_ {
    move |e| match e {
        StoreError::NotFound(_) => VideoDraftError::NotFound(draft_id.to_owned()),
        other => other.into(),
    }
}

/// The folder a render writes into: the one asked for, else a temporary one removed afterwards.
#[derive(Debug)]
enum WorkDir {
    Kept(PathBuf),
    Temporary(tempfile::TempDir),
}

impl WorkDir {
    fn new(out: Option<PathBuf>) -> Result<Self, VideoDraftError> {
        match out {
            Some(dir) => Ok(WorkDir::Kept(dir)),
            None => {
                tempfile::Builder::new().prefix("tujie-video-").tempdir().map(WorkDir::Temporary).map_err(|source| {
                    VideoDraftError::Io { action: "create", path: std::env::temp_dir().display().to_string(), source }
                })
            }
        }
    }

    fn path(&self) -> &Path {
        match self {
            WorkDir::Kept(p) => p,
            WorkDir::Temporary(t) => t.path(),
        }
    }
}

/// The stored form of what [`video::make`] wrote into `dir`.
fn read_files(
    dir: &Path,
    made: &Made,
    content_revision: i64,
    script_revision: i64,
    mode: Mode,
) -> Result<VideoFiles, VideoDraftError> {
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read(&path).map_err(|source| VideoDraftError::Io {
            action: "read",
            path: path.display().to_string(),
            source,
        })
    };
    let text = |name: &str| read(name).map(|b| String::from_utf8_lossy(&b).into_owned());
    let ms = |d: std::time::Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
    Ok(VideoFiles {
        content_revision,
        script_revision,
        approved: mode == Mode::Approved,
        duration_ms: made.duration_ms,
        speech_ms: ms(made.timings.speech),
        slides_ms: ms(made.timings.slides),
        encoding_ms: ms(made.timings.encoding),
        mp4: read(video::MP4)?,
        m4a: read(video::M4A)?,
        vtt: text(video::VTT)?,
        srt: text(video::SRT)?,
        spoken_json: text(video::SCRIPT_JSON)?,
    })
}
