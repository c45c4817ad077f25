//! What the workspace does, independent of how it is asked: the HTML pages and the JSON API both call these, so
//! access rules, the faithfulness check and optimistic concurrency are enforced in one place.

use serde::Serialize;
use tujie_model::DraftStatus;
use tujie_render::Mode;
use tujie_store::{DepartmentReport, DraftDetail, EditedDraft, ReviewAction, ReviewItem, Role, SaveOutcome, User};

use crate::auth::{check_access, require_supervisor};
use crate::edit::{DraftEdit, PolicyText, apply_edit};
use crate::error::ReviewError;
use crate::state::AppState;

/// The Chinese name of a draft status.
pub fn status_label(s: DraftStatus) -> &'static str {
    match s {
        DraftStatus::Pending => "待审核",
        DraftStatus::Approved => "已通过",
        DraftStatus::Rejected => "已退回",
        DraftStatus::Superseded => "已作废",
    }
}

/// Reads the `status` filter: absent means pending, `all` means every status.
pub fn parse_status(s: Option<&str>) -> Result<Option<DraftStatus>, ReviewError> {
    match s.map(str::trim) {
        None | Some("") => Ok(Some(DraftStatus::Pending)),
        Some("all") => Ok(None),
        Some(other) => DraftStatus::parse(other).map(Some).ok_or_else(|| {
            ReviewError::BadRequest(format!(
                "状态 `{other}` 无效，可选：pending（待审核）、approved（已通过）、rejected（已退回）、superseded（已作废）、all（全部）"
            ))
        }),
    }
}

/// The review action the last segment of a path names (`…/approve`, `…/reject`).
pub fn parse_action(verb: &str) -> Result<ReviewAction, ReviewError> {
    match verb {
        "approve" => Ok(ReviewAction::Approve),
        "reject" => Ok(ReviewAction::Reject),
        _ => Err(ReviewError::NotFound(format!("没有 `{verb}` 这个操作，可选 approve、reject"))),
    }
}

/// The drafts `user` may see with `status`, optionally of one department. Editors get their own department; asking
/// for another is refused rather than silently answered with nothing.
pub async fn queue(
    state: &AppState,
    user: &User,
    status: Option<DraftStatus>,
    department: Option<&str>,
) -> Result<Vec<ReviewItem>, ReviewError> {
    let department = department.map(str::trim).filter(|d| !d.is_empty());
    let department = match user.role {
        Role::Supervisor => department.map(str::to_owned),
        Role::Editor => {
            let own = user
                .department
                .clone()
                .ok_or_else(|| ReviewError::Forbidden("您的账号没有设置部门，请联系管理员".into()))?;
            if let Some(asked) = department {
                check_access(user, Some(asked))?;
            }
            Some(own)
        }
    };
    Ok(state.store.review_queue(status, department.as_deref()).await?)
}

/// A draft `user` may see; unknown → 404, another department → 403.
pub async fn load_draft(state: &AppState, user: &User, draft_id: &str) -> Result<DraftDetail, ReviewError> {
    let detail = state
        .store
        .draft_detail(draft_id)
        .await?
        .ok_or_else(|| ReviewError::NotFound(format!("找不到草稿 `{draft_id}`")))?;
    check_access(user, detail.policy.department.as_deref())?;
    Ok(detail)
}

/// What a saved edit produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Saved {
    pub revision: i64,
    pub template: String,
    pub warnings: Vec<String>,
    pub missing_glyphs: Vec<String>,
}

fn not_pending(status: DraftStatus) -> ReviewError {
    ReviewError::Conflict(format!("该草稿{}，不能再修改或审核", status_label(status)))
}

async fn stale(state: &AppState, draft_id: &str, base: i64, current: i64) -> ReviewError {
    let who = match state.store.draft_revisions(draft_id).await {
        Ok(revisions) => revisions.last().map(|(_, author)| author.clone()),
        Err(_) => None,
    };
    ReviewError::Conflict(format!(
        "保存失败：在您编辑期间，{}已修改了这份草稿（您修改的是第 {base} 版，现在是第 {current} 版）。请刷新页面，在最新版本上重新修改。",
        who.map_or_else(|| "其他人".to_owned(), |w| format!("其他人（{w}）"))
    ))
}

/// Applies an edit, re-renders the draft on the blocking pool, and stores it as the next revision if nobody
/// saved one since `edit.base_revision`.
pub async fn save_edit(state: &AppState, user: &User, draft_id: &str, edit: &DraftEdit) -> Result<Saved, ReviewError> {
    let detail = load_draft(state, user, draft_id).await?;
    if detail.status != DraftStatus::Pending {
        return Err(not_pending(detail.status));
    }
    // Checked here to spare a render; the conditional update below is what guarantees it.
    if edit.base_revision != detail.revision {
        return Err(stale(state, draft_id, edit.base_revision, detail.revision).await);
    }
    let policy = PolicyText {
        title: &detail.policy.title,
        doc_number: detail.policy.doc_number.as_deref(),
        issuer: detail.policy.issuer.as_deref(),
    };
    let content = apply_edit(&detail.content, edit, &detail.source_text, policy)?;
    let renderer = state.renderer.clone();
    let site = detail.policy.site.clone();
    let (content, rendered) = tokio::task::spawn_blocking(move || {
        let rendered = renderer.render(&content, site.as_deref(), Mode::Draft);
        (content, rendered)
    })
    .await
    .map_err(|e| ReviewError::Internal(format!("render task failed: {e}")))?;
    let rendered = rendered.map_err(|e| ReviewError::Internal(format!("cannot render draft {draft_id}: {e}")))?;
    let edited = EditedDraft {
        content,
        template: rendered.template,
        warnings: rendered.warnings,
        missing_glyphs: rendered.missing_glyphs,
        svg: rendered.svg,
        png: rendered.png,
        preview_png: rendered.preview_png,
    };
    match state.store.save_edit(draft_id, edit.base_revision, &edited, &user.name, edit.note.as_deref()).await? {
        SaveOutcome::Saved { revision } => {
            tracing::info!(draft_id, revision, actor = %user.name, "draft edited");
            Ok(Saved {
                revision,
                template: edited.template,
                warnings: edited.warnings,
                missing_glyphs: edited.missing_glyphs,
            })
        }
        SaveOutcome::Stale { current } => Err(stale(state, draft_id, edit.base_revision, current).await),
        SaveOutcome::NotPending(status) => Err(not_pending(status)),
    }
}

/// Approves or rejects a pending draft as `user`. A rejection needs a comment saying why.
pub async fn decide(
    state: &AppState,
    user: &User,
    draft_id: &str,
    action: ReviewAction,
    comment: Option<&str>,
) -> Result<DraftStatus, ReviewError> {
    let comment = comment.map(str::trim).filter(|c| !c.is_empty());
    if action == ReviewAction::Reject && comment.is_none() {
        return Err(ReviewError::Unprocessable("退回草稿时必须填写退回意见，说明需要怎样修改".into()));
    }
    let detail = load_draft(state, user, draft_id).await?;
    if detail.status != DraftStatus::Pending {
        return Err(not_pending(detail.status));
    }
    match state.store.review(draft_id, action, &user.name, comment).await {
        Ok(status) => {
            tracing::info!(draft_id, status = status.as_str(), actor = %user.name, "draft reviewed");
            Ok(status)
        }
        // Someone decided between our read and the update.
        Err(tujie_store::StoreError::Conflict(_)) => {
            let now = state.store.draft_detail(draft_id).await?.map_or(DraftStatus::Superseded, |d| d.status);
            Err(not_pending(now))
        }
        Err(e) => Err(e.into()),
    }
}

/// The per-department report, for supervisors.
pub async fn report(state: &AppState, user: &User) -> Result<Vec<DepartmentReport>, ReviewError> {
    require_supervisor(user)?;
    Ok(state.store.department_report().await?)
}

/// Whole days since an RFC 3339 time (0 when it cannot be read or lies ahead).
pub fn days_since(rfc3339: &str, now: chrono::DateTime<chrono::Utc>) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339).map_or(0, |t| (now - t.with_timezone(&chrono::Utc)).num_days().max(0))
}
