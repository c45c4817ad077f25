//! The 音视频解读 of a draft in the workspace: the draft page plays the video with its WebVTT subtitles, offers the
//! MP4, the M4A (音频解读) and the subtitle files, shows why a render failed, lets editors edit the 口播稿 and asks
//! for a new render. The JSON API has the same actions (`GET|POST /api/drafts/{id}/video`, `POST
//! /api/drafts/{id}/script`, `GET /api/drafts/{id}/video.mp4|audio.m4a|subtitles.vtt|subtitles.srt`).
//!
//! A script edit follows the image's rules: a sentence's text may change and sentences may go, but a sentence keeps
//! its spans, and a text with a number, date or 文号 the source lacks is refused (`tujie_narrate::check`, which runs
//! `tujie_text::faithful`). Rendering is [`tujie_media::VideoDrafts`]' job: in the background, recorded in the
//! store, never touching the image draft.

use std::collections::HashMap;
use std::fmt::Write as _;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header::{ACCEPT_RANGES, CONTENT_DISPOSITION, CONTENT_RANGE, CONTENT_TYPE, RANGE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use tujie_media::VideoDrafts;
use tujie_model::{DraftStatus, MediaAsset};
use tujie_narrate::{EditError, Part, Script, SentenceEdit};
use tujie_store::{DraftDetail, DraftVideo, ScriptSave, User, VideoFile, VideoStatus};

use crate::actions::{load_draft, status_label};
use crate::auth::{ApiUser, PageUser};
use crate::edit::{Excerpt, excerpt};
use crate::error::{ApiError, PageError, ReviewError};
use crate::pages::{self, Refusal, Viewer, esc, url_part};
use crate::security::{Csrf, CsrfForm};
use crate::state::AppState;

/// A render asked for less than this long ago is taken to be still running: asking again is refused.
const RUNNING_FOR_MINUTES: i64 = 15;

/// A draft's video as pages and the API show it.
#[derive(Debug, Clone, Serialize)]
pub struct VideoView {
    pub status: VideoStatus,
    pub reason: Option<String>,
    /// The stored row (attempt, who asked, what the last render used and made); `None` before any request.
    pub record: Option<DraftVideo>,
    /// The 口播稿 a render would speak now: the editors' or the one made from the content.
    pub script: Script,
    pub script_revision: i64,
    /// The finished video no longer shows the draft's current content or script.
    pub outdated: bool,
    /// Workspace paths of the finished render's files.
    pub files: Option<VideoPaths>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VideoPaths {
    pub video: String,
    pub audio: String,
    pub subtitles_vtt: String,
    pub subtitles_srt: String,
}

fn videos(state: &AppState) -> Result<&VideoDrafts, ReviewError> {
    state.videos.as_ref().ok_or_else(|| ReviewError::Unavailable("本服务没有启用音视频解读".into()))
}

fn view_of(videos: &VideoDrafts, detail: &DraftDetail, record: Option<DraftVideo>) -> Result<VideoView, ReviewError> {
    let script = videos.script(detail, record.as_ref()).map_err(|e| ReviewError::Internal(e.to_string()))?;
    let script_revision = record.as_ref().map_or(0, |r| r.script_revision);
    let made = record.as_ref().and_then(|r| r.made.as_ref());
    let outdated = made.is_some_and(|m| m.content_revision != detail.revision || m.script_revision != script_revision);
    let files = made.map(|_| VideoPaths {
        video: MediaAsset::api_path(&detail.draft_id, MediaAsset::VIDEO),
        audio: MediaAsset::api_path(&detail.draft_id, MediaAsset::AUDIO),
        subtitles_vtt: MediaAsset::api_path(&detail.draft_id, MediaAsset::VTT),
        subtitles_srt: MediaAsset::api_path(&detail.draft_id, MediaAsset::SRT),
    });
    Ok(VideoView {
        status: record.as_ref().map_or(VideoStatus::None, |r| r.status),
        reason: record.as_ref().and_then(|r| r.reason.clone()),
        record,
        script,
        script_revision,
        outdated,
        files,
    })
}

/// The video of a draft `user` may see.
pub async fn video_view(state: &AppState, user: &User, draft_id: &str) -> Result<VideoView, ReviewError> {
    let videos = videos(state)?;
    let detail = load_draft(state, user, draft_id).await?;
    let record = state.store.draft_video(draft_id).await?;
    view_of(videos, &detail, record)
}

fn require_pending(detail: &DraftDetail) -> Result<(), ReviewError> {
    if detail.status == DraftStatus::Pending {
        Ok(())
    } else {
        Err(ReviewError::Conflict(format!(
            "该草稿{}，只有待审核的草稿可以生成视频或修改口播稿",
            status_label(detail.status)
        )))
    }
}

/// 生成视频: records the request and renders in the background. Refused while a render asked for in the last
/// [`RUNNING_FOR_MINUTES`] minutes is still pending.
pub async fn request(state: &AppState, user: &User, draft_id: &str) -> Result<DraftVideo, ReviewError> {
    let videos = videos(state)?;
    let detail = load_draft(state, user, draft_id).await?;
    require_pending(&detail)?;
    if let Some(r) = state.store.draft_video(draft_id).await?
        && r.status == VideoStatus::Pending
        && let Some(at) = &r.requested_at
        && minutes_since(at) < RUNNING_FOR_MINUTES
    {
        return Err(ReviewError::Conflict(format!(
            "视频正在生成中（{} 于 {} 发起），请稍候刷新页面查看",
            r.requested_by.as_deref().unwrap_or("其他人"),
            tujie_model::display_time(at)
        )));
    }
    let row = videos.request(draft_id, &user.name).await.map_err(|e| match e {
        tujie_media::VideoDraftError::NotFound(_) => ReviewError::NotFound(format!("找不到草稿 `{draft_id}`")),
        other => ReviewError::Internal(other.to_string()),
    })?;
    tracing::info!(draft_id, attempt = row.attempt, actor = %user.name, "video requested");
    Ok(row)
}

fn minutes_since(rfc3339: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map_or(i64::MAX, |t| (chrono::Utc::now() - t.with_timezone(&chrono::Utc)).num_minutes())
}

/// An edit of the 口播稿: sentence texts and removals, based on script revision `base_script_revision`; `reset`
/// brings back the script made from the content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptEdit {
    pub base_script_revision: i64,
    #[serde(default)]
    pub sentences: Vec<SentenceEdit>,
    #[serde(default)]
    pub reset: bool,
    #[serde(default)]
    pub note: Option<String>,
}

/// What a script save did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ScriptSaved {
    pub script_revision: i64,
    pub changed: bool,
}

/// Saves an edit of the 口播稿 under the image's rules; the video is made again only when asked.
pub async fn save_script(
    state: &AppState,
    user: &User,
    draft_id: &str,
    edit: &ScriptEdit,
) -> Result<ScriptSaved, ReviewError> {
    let videos = videos(state)?;
    let detail = load_draft(state, user, draft_id).await?;
    require_pending(&detail)?;
    let record = state.store.draft_video(draft_id).await?;
    let current = view_of(videos, &detail, record.clone())?;
    if edit.base_script_revision != current.script_revision {
        return Err(stale_script(edit.base_script_revision, current.script_revision));
    }
    let edited = record.as_ref().is_some_and(|r| r.script_json.is_some());
    let json = if edit.reset {
        if !edited {
            return Ok(ScriptSaved { script_revision: current.script_revision, changed: false });
        }
        None
    } else {
        let script = checked_script(&current.script, &edit.sentences, &detail, videos.media().line_chars)?;
        if script == current.script {
            return Ok(ScriptSaved { script_revision: current.script_revision, changed: false });
        }
        Some(serde_json::to_string(&script).map_err(|e| ReviewError::Internal(e.to_string()))?)
    };
    let note = edit.note.as_deref();
    match state.store.save_script(draft_id, edit.base_script_revision, json.as_deref(), &user.name, note).await? {
        ScriptSave::Saved { revision } => {
            tracing::info!(draft_id, script_revision = revision, actor = %user.name, "script edited");
            Ok(ScriptSaved { script_revision: revision, changed: true })
        }
        ScriptSave::Stale { current } => Err(stale_script(edit.base_script_revision, current)),
    }
}

fn stale_script(base: i64, current: i64) -> ReviewError {
    ReviewError::Conflict(format!(
        "保存失败：在您编辑期间，其他人已修改了口播稿（您修改的是第 {base} 版，现在是第 {current} 版）。请刷新页面，在最新版本上重新修改。"
    ))
}

/// `script` with `edits` applied, refused (naming the sentence) when a text is empty or says a number, date or 文号
/// the source lacks.
fn checked_script(
    script: &Script,
    edits: &[SentenceEdit],
    detail: &DraftDetail,
    line_chars: usize,
) -> Result<Script, ReviewError> {
    let edited = tujie_narrate::edit::apply(script, edits, line_chars).map_err(|e| match e {
        EditError::NoSentence { index, len } => {
            ReviewError::BadRequest(format!("口播稿没有第 {} 句（共 {len} 句），请刷新页面后再修改", index + 1))
        }
        EditError::Empty { index } => {
            ReviewError::Unprocessable(format!("口播稿第 {} 句不能为空；不需要的句子请勾选“删除”", index + 1))
        }
        EditError::TooLong { index } => ReviewError::Unprocessable(format!(
            "口播稿第 {} 句超过 {} 字，请拆短",
            index + 1,
            tujie_narrate::edit::MAX_SENTENCE_CHARS
        )),
        EditError::NothingLeft => ReviewError::Unprocessable("口播稿至少要保留一句".into()),
    })?;
    // Which sentence of the original each kept one is, to name the field the editor typed in.
    let removed: Vec<usize> = edits.iter().filter(|e| e.remove).map(|e| e.index).collect();
    let kept: Vec<usize> = (0..script.sentences.len()).filter(|i| !removed.contains(i)).collect();
    if let Some(bad) = tujie_narrate::check(&edited, &detail.content, &detail.source_text).into_iter().next() {
        let index = kept.get(bad.sentence).copied().unwrap_or(bad.sentence);
        return Err(ReviewError::Unfaithful {
            field: format!("口播稿第 {} 句", index + 1),
            input: format!("script.{index}.text"),
            tokens: bad.tokens,
        });
    }
    Ok(edited)
}

/// A file of the draft's finished video, as stored; `Range: bytes=…` is answered with 206 so players can seek.
pub async fn file(
    state: &AppState,
    user: &User,
    draft_id: &str,
    which: VideoFile,
    download: bool,
    headers: &HeaderMap,
) -> Result<Response, ReviewError> {
    load_draft(state, user, draft_id).await?;
    let bytes = state
        .store
        .video_file(draft_id, which)
        .await?
        .ok_or_else(|| ReviewError::NotFound("这份草稿还没有生成好的视频".into()))?;
    let mut out = HeaderMap::new();
    out.insert(CONTENT_TYPE, HeaderValue::from_static(which.media_type()));
    out.insert(ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if download {
        let stem: String = draft_id
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_') { c } else { '_' })
            .collect();
        let ext = match which {
            VideoFile::Mp4 => "mp4",
            VideoFile::M4a => "m4a",
            VideoFile::Vtt => "vtt",
            VideoFile::Srt => "srt",
        };
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{stem}.{ext}\"")) {
            out.insert(CONTENT_DISPOSITION, v);
        }
    }
    let total = bytes.len();
    match headers.get(RANGE).and_then(|v| v.to_str().ok()).map(|r| byte_range(r, total)) {
        None => Ok((out, bytes).into_response()),
        Some(Some((start, end))) => {
            if let Ok(v) = HeaderValue::from_str(&format!("bytes {start}-{end}/{total}")) {
                out.insert(CONTENT_RANGE, v);
            }
            Ok((StatusCode::PARTIAL_CONTENT, out, bytes[start..=end].to_vec()).into_response())
        }
        Some(None) => {
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{total}")) {
                out.insert(CONTENT_RANGE, v);
            }
            Ok((StatusCode::RANGE_NOT_SATISFIABLE, out).into_response())
        }
    }
}

/// The first range of `bytes=a-b`, `bytes=a-` or `bytes=-n` within `total` bytes, inclusive; `None` when it cannot
/// be served.
fn byte_range(header: &str, total: usize) -> Option<(usize, usize)> {
    let spec = header.trim().strip_prefix("bytes=")?.split(',').next()?.trim();
    let (a, b) = spec.split_once('-')?;
    let last = total.checked_sub(1)?;
    let (start, end) = match (a.trim(), b.trim()) {
        ("", n) => {
            let n: usize = n.parse().ok()?;
            (total.saturating_sub(n), last)
        }
        (a, "") => (a.parse().ok()?, last),
        (a, b) => (a.parse().ok()?, b.parse::<usize>().ok()?.min(last)),
    };
    (start <= end && end <= last).then_some((start, end))
}

// ---- pages ----

fn part_label(p: Part) -> &'static str {
    match p {
        Part::Opening => "开场",
        Part::Who => "适用对象",
        Part::HowMuch => "标准",
        Part::How => "怎么办",
        Part::When => "时间",
        Part::Main => "主要内容",
        Part::Closing => "结尾",
    }
}

fn seconds(ms: i64) -> String {
    format!("{:.1}", ms as f64 / 1000.0)
}

/// The 音视频解读 part of the draft page; empty when the server has no video maker. With `refusal`, a refused script
/// edit is shown again with its reason.
pub async fn section_html(
    state: &AppState,
    viewer: Viewer<'_>,
    detail: &DraftDetail,
    refusal: Option<Refusal<'_>>,
) -> Result<String, ReviewError> {
    let Some(videos) = state.videos.as_ref() else { return Ok(String::new()) };
    let record = state.store.draft_video(&detail.draft_id).await?;
    let view = view_of(videos, detail, record)?;
    let mut body = String::from("<fieldset id=\"video\"><legend>音视频解读（竖屏短视频与音频）</legend>");
    status_html(&mut body, viewer, detail, &view);
    script_form(&mut body, viewer, detail, &view, refusal);
    body.push_str("</fieldset>");
    Ok(body)
}

fn status_html(body: &mut String, viewer: Viewer<'_>, d: &DraftDetail, view: &VideoView) {
    let id = url_part(&d.draft_id);
    let record = view.record.as_ref();
    let status = match view.status {
        VideoStatus::None => "未生成".to_owned(),
        VideoStatus::Pending => format!(
            "生成中（{} 于 {} 发起，完成后刷新页面查看）",
            esc(record.and_then(|r| r.requested_by.as_deref()).unwrap_or("")),
            esc(&record.and_then(|r| r.requested_at.as_deref()).map(tujie_model::display_time).unwrap_or_default())
        ),
        VideoStatus::Done => "已生成".to_owned(),
        VideoStatus::Failed => "生成失败".to_owned(),
    };
    let _ = write!(body, "<p>状态：<strong id=\"video-status\">{status}</strong></p>");
    if let Some(reason) = &view.reason {
        let _ = write!(body, "<div class=\"msg bad\" id=\"video-reason\">失败原因：{}</div>", esc(reason));
    }
    if let Some(made) = record.and_then(|r| r.made.as_ref()) {
        let v = record.map_or(0, |r| r.attempt);
        let _ = write!(
            body,
            "<video id=\"player\" controls preload=\"metadata\" src=\"/drafts/{id}/video.mp4?v={v}\">\
             <track kind=\"subtitles\" srclang=\"zh-CN\" label=\"中文字幕\" src=\"/drafts/{id}/subtitles.vtt?v={v}\" default>\
             您的浏览器不能播放视频，请下载 MP4 观看。</video>\
             <p>时长 {} 秒 · 口播稿第 {} 版 · 图解第 {} 版{} · 生成于 {}（语音 {} 秒，画面 {} 秒，编码 {} 秒）</p>\
             <p><a href=\"/drafts/{id}/video.mp4?download=1\">下载视频（MP4）</a> · \
             <a href=\"/drafts/{id}/audio.m4a?download=1\">下载音频解读（M4A）</a> · \
             <a href=\"/drafts/{id}/subtitles.srt?download=1\">字幕 SRT</a> · \
             <a href=\"/drafts/{id}/subtitles.vtt?download=1\">字幕 WebVTT</a></p>",
            seconds(made.duration_ms),
            made.script_revision,
            made.content_revision,
            if made.approved { " · 已通过（无草稿标记）" } else { "" },
            esc(&tujie_model::display_time(&made.finished_at)),
            seconds(made.speech_ms),
            seconds(made.slides_ms),
            seconds(made.encoding_ms),
        );
        if view.outdated {
            body.push_str(
                "<p class=\"msg warn\" id=\"video-outdated\">视频生成后，图解或口播稿又有修改：请重新生成视频，通过时才会随图解一起发布。</p>",
            );
        }
    }
    if d.status == DraftStatus::Pending {
        let label =
            if view.record.as_ref().is_some_and(|r| r.made.is_some()) { "重新生成视频" } else { "生成视频" };
        let _ = write!(
            body,
            "<form method=\"post\" action=\"/drafts/{id}/video\" class=\"inline\">{}<button class=\"primary\" \
             id=\"make-video\">{label}</button></form> <span class=\"muted\">按当前图解和口播稿生成竖屏视频（带字幕）\
             和音频解读，约需十几秒到一分钟，可以先继续审核。通过草稿时，已生成的最新视频会去掉草稿标记一并发布。</span>",
            pages::csrf_field(viewer.csrf)
        );
    }
}

fn script_form(body: &mut String, viewer: Viewer<'_>, d: &DraftDetail, view: &VideoView, refusal: Option<Refusal<'_>>) {
    let pending = d.status == DraftStatus::Pending;
    let disabled = if pending { "" } else { " disabled" };
    let edited = view.record.as_ref().is_some_and(|r| r.script_json.is_some());
    let _ = write!(
        body,
        "<h3 id=\"script\">口播稿（第 {} 版{}）</h3>",
        view.script_revision,
        if edited { "，已由编辑修改" } else { "，按图解内容生成" }
    );
    if let Some(r) = refusal {
        let _ = write!(
            body,
            "<div class=\"msg bad\" role=\"alert\"><strong>口播稿未保存：</strong>{}<br>您的修改仍在下面的表单中，改正后可再次保存。</div>",
            r.message_html()
        );
    }
    let _ = write!(
        body,
        "<form method=\"post\" action=\"/drafts/{}/script\" class=\"script\">{}\
         <input type=\"hidden\" name=\"base_script_revision\" value=\"{}\">\
         <table><thead><tr><th>部分</th><th>句子（字幕写法；下方为朗读写法）</th><th></th><th>原文出处</th></tr></thead><tbody>",
        url_part(&d.draft_id),
        pages::csrf_field(viewer.csrf),
        view.script_revision
    );
    for (i, s) in view.script.sentences.iter().enumerate() {
        let name = format!("script.{i}.text");
        let value = refusal.and_then(|r| r.value(&name)).unwrap_or(&s.written);
        let refused =
            refusal.is_some_and(|r| matches!(r.error, ReviewError::Unfaithful { input, .. } if *input == name));
        let class = if refused { " bad\" autofocus=\"autofocus" } else { "" };
        let removed = refusal.and_then(|r| r.value(&format!("script.{i}.remove"))).is_some_and(|v| !v.is_empty());
        let sources: Vec<Excerpt> = s.spans.iter().map(|span| excerpt(&d.source_text, *span)).collect();
        let _ = write!(
            body,
            "<tr><td>{}</td><td><textarea class=\"grow{class}\" name=\"{name}\" rows=\"{}\"{disabled}>{}</textarea>\
             <div class=\"muted\">读作：{}</div></td><td><label><input type=\"checkbox\" name=\"script.{i}.remove\" \
             value=\"1\"{}{disabled}> 删除</label></td><td class=\"src\">{}</td></tr>",
            part_label(s.part),
            pages::rows_for(value),
            esc(value),
            esc(&s.spoken),
            if removed { " checked" } else { "" },
            if s.spans.is_empty() {
                "<span class=\"muted\">（由标题和发文机关生成）</span>".to_owned()
            } else {
                pages::excerpts_html(&sources)
            },
        );
    }
    body.push_str("</tbody></table>");
    if pending {
        let note = refusal.and_then(|r| r.value("note")).unwrap_or("");
        let reset = if edited {
            "<button name=\"reset\" value=\"1\" id=\"reset-script\">恢复为按图解生成的口播稿</button> "
        } else {
            ""
        };
        let _ = write!(
            body,
            "<p><label>修改说明（可选）<input type=\"text\" name=\"note\" value=\"{}\"></label></p>\
             <p><button class=\"primary\" id=\"save-script\">保存口播稿</button> {reset}\
             <span class=\"muted\">数字、日期和文号必须与原文一致；每句的原文出处不变。保存后请重新生成视频。</span></p>",
            esc(note)
        );
    }
    body.push_str("</form>");
}

// ---- handlers ----

fn script_edit_from_form(fields: &[(String, String)]) -> Result<ScriptEdit, ReviewError> {
    let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let base = get("base_script_revision")
        .ok_or_else(|| ReviewError::BadRequest("表单缺少 base_script_revision（所依据的口播稿版本）".into()))?;
    let base_script_revision =
        base.trim().parse().map_err(|_| ReviewError::BadRequest(format!("口播稿版本号 `{base}` 不是整数")))?;
    let mut sentences: Vec<SentenceEdit> = Vec::new();
    for (key, value) in fields {
        if matches!(key.as_str(), "base_script_revision" | "note" | "reset") {
            continue;
        }
        let parsed = key.strip_prefix("script.").and_then(|k| k.split_once('.'));
        let Some((index, field)) = parsed.and_then(|(i, f)| Some((i.parse::<usize>().ok()?, f))) else {
            return Err(ReviewError::BadRequest(format!("无法识别的表单字段 `{key}`")));
        };
        let at = match sentences.iter().position(|s| s.index == index) {
            Some(at) => at,
            None => {
                sentences.push(SentenceEdit { index, ..Default::default() });
                sentences.len() - 1
            }
        };
        match field {
            "text" => sentences[at].written = Some(value.clone()),
            "remove" => sentences[at].remove = !value.is_empty(),
            _ => return Err(ReviewError::BadRequest(format!("无法识别的表单字段 `{key}`"))),
        }
    }
    Ok(ScriptEdit {
        base_script_revision,
        sentences,
        reset: get("reset").is_some_and(|v| !v.is_empty()),
        note: get("note").map(str::to_owned),
    })
}

/// `POST /drafts/{id}/video` (生成视频).
pub async fn page_request(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm,
) -> Result<Redirect, PageError> {
    request(&state, &user, &id).await?;
    Ok(Redirect::to(&format!("/drafts/{}?msg=video_requested#video", url_part(&id))))
}

/// `POST /drafts/{id}/script`: saves the 口播稿 and returns to it; a refused edit shows the page again with the
/// reason and the editor's input.
pub async fn page_script(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Csrf(csrf): Csrf,
    Path(id): Path<String>,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, PageError> {
    let saved = match script_edit_from_form(&fields) {
        Ok(edit) => save_script(&state, &user, &id, &edit).await,
        Err(e) => Err(e),
    };
    let back = saved.map(|s| format!("{}#script", if s.changed { "script_saved" } else { "script_unchanged" }));
    let viewer = Viewer { user: &user, csrf: &csrf };
    crate::web::after_save(&state, viewer, &id, back, &fields, crate::web::RefusedForm::Script).await
}

/// `GET /drafts/{id}/video.mp4|audio.m4a|subtitles.vtt|subtitles.srt` for a logged-in editor.
pub async fn page_file(
    state: &AppState,
    user: &User,
    id: &str,
    which: VideoFile,
    query: &HashMap<String, String>,
    headers: &HeaderMap,
) -> Result<Response, PageError> {
    Ok(file(state, user, id, which, query.contains_key("download"), headers).await?)
}

/// `GET /api/drafts/{id}/video`.
pub async fn api_view(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<VideoView>, ApiError> {
    Ok(Json(video_view(&state, &user, &id).await?))
}

/// `POST /api/drafts/{id}/video`: 202 with the recorded request.
pub async fn api_request(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<DraftVideo>), ApiError> {
    Ok((StatusCode::ACCEPTED, Json(request(&state, &user, &id).await?)))
}

/// `POST /api/drafts/{id}/script`.
pub async fn api_script(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    edit: Result<Json<ScriptEdit>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<ScriptSaved>, ApiError> {
    let edit = edit
        .map(|Json(e)| e)
        .map_err(|e| ReviewError::BadRequest(format!("请求体不是有效的口播稿修改：{}", e.body_text())))?;
    Ok(Json(save_script(&state, &user, &id, &edit).await?))
}

/// `GET /api/drafts/{id}/{file}`: a file of the finished video.
pub async fn api_file(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, name)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let which = VideoFile::from_name(&name).ok_or_else(|| {
        ReviewError::NotFound(format!(
            "草稿没有文件 `{name}`，可选 {}、{}、{}、{}",
            MediaAsset::VIDEO,
            MediaAsset::AUDIO,
            MediaAsset::VTT,
            MediaAsset::SRT
        ))
    })?;
    Ok(file(&state, &user, &id, which, query.contains_key("download"), &headers).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(byte_range("bytes=0-", 10), Some((0, 9)));
        assert_eq!(byte_range("bytes=2-4", 10), Some((2, 4)));
        assert_eq!(byte_range("bytes=8-100", 10), Some((8, 9)));
        assert_eq!(byte_range("bytes=-3", 10), Some((7, 9)));
        assert_eq!(byte_range("bytes=10-", 10), None);
        assert_eq!(byte_range("bytes=5-2", 10), None);
        assert_eq!(byte_range("items=0-1", 10), None);
        assert_eq!(byte_range("bytes=0-", 0), None);
    }

    #[test]
    fn the_script_form_becomes_an_edit() {
        let f = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
        };
        let edit = script_edit_from_form(&f(&[
            ("base_script_revision", "2"),
            ("script.0.text", "甲"),
            ("script.3.remove", "1"),
            ("note", "改"),
        ]))
        .unwrap();
        assert_eq!(edit.base_script_revision, 2);
        assert_eq!(edit.sentences.len(), 2);
        assert_eq!((edit.sentences[0].index, edit.sentences[0].written.as_deref()), (0, Some("甲")));
        assert!(edit.sentences[1].remove && !edit.reset);
        for (pairs, needle) in [
            (vec![("script.0.text", "x")], "base_script_revision"),
            (vec![("base_script_revision", "1"), ("script.x.text", "y")], "script.x.text"),
            (vec![("base_script_revision", "1"), ("script.0.colour", "y")], "script.0.colour"),
        ] {
            let err = script_edit_from_form(&f(&pairs)).unwrap_err();
            assert!(matches!(err, ReviewError::BadRequest(_)) && err.to_string().contains(needle), "{err}");
        }
    }
}
