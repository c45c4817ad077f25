//! What the workspace does, independent of how it is asked: the HTML pages and the JSON API both call these, so
//! access rules, the faithfulness check and optimistic concurrency are enforced in one place.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use tujie_model::DraftStatus;
use tujie_render::Mode;
use tujie_report::{CalendarError, Report, ReportError, ReportRequest, WorkCalendar};
use tujie_store::{
    DepartmentFilter, DepartmentReport, DraftDetail, EditedDraft, ReviewAction, ReviewItem, Role, SaveOutcome,
    UNASSIGNED_DEPARTMENT, User,
};

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

/// The drafts `user` may see with `status`, optionally of one department ([`UNASSIGNED_DEPARTMENT`] selects the
/// policies whose events named none). Editors get their own department; asking for another is refused rather than
/// silently answered with nothing.
pub async fn queue(
    state: &AppState,
    user: &User,
    status: Option<DraftStatus>,
    department: Option<&str>,
) -> Result<Vec<ReviewItem>, ReviewError> {
    let department = department.map(str::trim).filter(|d| !d.is_empty());
    let filter = match user.role {
        Role::Supervisor => match department {
            None => DepartmentFilter::All,
            Some(UNASSIGNED_DEPARTMENT) => DepartmentFilter::Unassigned,
            Some(d) => DepartmentFilter::Named(d),
        },
        Role::Editor => {
            let own = user
                .department
                .as_deref()
                .ok_or_else(|| ReviewError::Forbidden("您的账号没有设置部门，请联系管理员".into()))?;
            if let Some(asked) = department {
                check_access(user, Some(asked))?;
            }
            DepartmentFilter::Named(own)
        }
    };
    Ok(state.store.review_queue(status, filter).await?)
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
    /// The draft's revision now: a new one, or the same when the edit changed nothing.
    pub revision: i64,
    /// `false` when the edit left the content as it was: nothing was rendered or stored.
    pub changed: bool,
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
    if content == detail.content {
        return Ok(Saved {
            revision: detail.revision,
            changed: false,
            template: detail.template,
            warnings: detail.warnings,
            missing_glyphs: detail.missing_glyphs,
        });
    }
    let renderer = state.renderer.clone();
    let site = detail.policy.site.clone();
    let started = std::time::Instant::now();
    let (content, rendered) = tokio::task::spawn_blocking(move || {
        let rendered = renderer.render(&content, site.as_deref(), Mode::Draft);
        (content, rendered)
    })
    .await
    .map_err(|e| ReviewError::Internal(format!("render task failed: {e}")))?;
    state.metrics.observe_draw("edit", "render", started.elapsed());
    let rendered = rendered.map_err(|e| ReviewError::Internal(format!("cannot render draft {draft_id}: {e}")))?;
    let edited = EditedDraft { content, rendered };
    match state.store.save_edit(draft_id, edit.base_revision, &edited, &user.name, edit.note.as_deref()).await? {
        SaveOutcome::Saved { revision } => {
            tracing::info!(draft_id, revision, actor = %user.name, "draft edited");
            Ok(Saved {
                revision,
                changed: true,
                template: edited.rendered.template,
                warnings: edited.rendered.warnings,
                missing_glyphs: edited.rendered.missing_glyphs,
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
    let decided = match action {
        ReviewAction::Approve => {
            let videos = state.videos.as_ref();
            crate::publish::approve_with_video(&state.store, &state.renderer, videos, &detail, &user.name, comment)
                .await
        }
        ReviewAction::Reject => state.store.review(draft_id, action, &user.name, comment).await.map_err(Into::into),
    };
    match decided {
        Ok(status) => {
            tracing::info!(draft_id, status = status.as_str(), actor = %user.name, "draft reviewed");
            Ok(status)
        }
        // Someone decided or edited between our read and the update.
        Err(ReviewError::Conflict(_)) => {
            match state.store.draft_detail(draft_id).await?.map_or(DraftStatus::Superseded, |d| d.status) {
                DraftStatus::Pending => Err(ReviewError::Conflict(
                    "在您审核期间，其他人修改了这份草稿。请刷新页面，核对最新版本后再审核。".into(),
                )),
                now => Err(not_pending(now)),
            }
        }
        Err(e) => Err(e),
    }
}

/// 重新生成: extracts a rejected draft's policy again with the current code and puts the new draft back into
/// review as its next revision.
pub async fn regenerate(state: &AppState, user: &User, draft_id: &str) -> Result<i64, ReviewError> {
    let detail = load_draft(state, user, draft_id).await?;
    if detail.status != DraftStatus::Rejected {
        return Err(ReviewError::Conflict(format!(
            "该草稿{}，只有已退回的草稿可以重新生成",
            status_label(detail.status)
        )));
    }
    let stored = state
        .store
        .document(&detail.policy.id)
        .await?
        .ok_or_else(|| ReviewError::NotFound(format!("找不到草稿所依据的政策 `{}`", detail.policy.id)))?;
    let (renderer, text, metrics) = (state.renderer.clone(), state.text.clone(), state.metrics.clone());
    let source_text = detail.source_text.clone();
    let made = tokio::task::spawn_blocking(move || -> Result<EditedDraft, String> {
        let doc = &stored.document;
        let started = std::time::Instant::now();
        let extraction = tujie_text::extract(doc, &text).map_err(|e| format!("政策原文无法提取：{e}"))?;
        metrics.observe_draw("regenerate", "extract", started.elapsed());
        // The draft's spans point into its stored source text; a policy whose text changed has its own draft.
        if extraction.source_text != source_text {
            return Err("政策原文在这份草稿生成后已更新，请审核按新原文生成的草稿".into());
        }
        let started = std::time::Instant::now();
        let rendered =
            renderer.render(&extraction.content, doc.site.as_deref(), Mode::Draft).map_err(|e| e.to_string())?;
        metrics.observe_draw("regenerate", "render", started.elapsed());
        Ok(EditedDraft { content: extraction.content, rendered })
    })
    .await
    .map_err(|e| ReviewError::Internal(format!("regenerate task failed: {e}")))?
    .map_err(ReviewError::Unprocessable)?;
    let revision = state.store.regenerate_draft(draft_id, &made, &user.name).await.map_err(|e| match e {
        tujie_store::StoreError::Conflict(_) => ReviewError::Conflict(
            "无法重新生成：这份政策已有另一份待审核的草稿（可能因政策更新而生成），请在草稿列表中审核那一份".into(),
        ),
        other => other.into(),
    })?;
    tracing::info!(draft_id, revision, actor = %user.name, "draft regenerated");
    Ok(revision)
}

/// The per-department report, for supervisors.
pub async fn report(state: &AppState, user: &User) -> Result<Vec<DepartmentReport>, ReviewError> {
    require_supervisor(user)?;
    Ok(state.store.department_report().await?)
}

/// The period report of `request` (`tujie report`'s figures, charts and lists), for supervisors.
/// `query` holds `from`, `to` (年-月-日) and `department`, any of them absent or empty; `today` ends the default
/// period.
pub async fn period_report(
    state: &AppState,
    user: &User,
    query: &HashMap<String, String>,
    today: NaiveDate,
) -> Result<Report, ReviewError> {
    require_supervisor(user)?;
    let get = |key: &str| query.get(key).map(String::as_str);
    let request = &report_request(get("from"), get("to"), get("department"), today)?;
    let facts = state.store.report_facts().await?;
    tujie_report::build(&state.report, WorkCalendar::official(), request, &facts.policies, &facts.publications).map_err(
        |e| match e {
            ReportError::Period { from, to } => {
                ReviewError::BadRequest(format!("开始日期 {from} 晚于结束日期 {to}，请调整统计期间"))
            }
            ReportError::Calendar(CalendarError::OutOfRange { date, first, last }) => ReviewError::BadRequest(format!(
                "日期 {date} 超出了工作日历覆盖的年份（{first}–{last} 年），无法计算工作日"
            )),
            other => ReviewError::Internal(other.to_string()),
        },
    )
}

/// The period asked for; the defaults (this quarter up to `today`) are [`ReportRequest::with_defaults`]'s.
fn report_request(
    from: Option<&str>,
    to: Option<&str>,
    department: Option<&str>,
    today: NaiveDate,
) -> Result<ReportRequest, ReviewError> {
    let department = department.map(str::trim).filter(|d| !d.is_empty()).map(str::to_owned);
    Ok(ReportRequest::with_defaults(parse_date("开始日期", from)?, parse_date("结束日期", to)?, department, today))
}

fn parse_date(label: &str, value: Option<&str>) -> Result<Option<NaiveDate>, ReviewError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d").map(Some).map_err(|_| {
            ReviewError::BadRequest(format!("{label}「{v}」不是有效的日期，请按 年-月-日 填写，例如 2026-10-01"))
        }),
    }
}

/// Today in China Standard Time, the default end of a report period.
pub fn today_cst() -> NaiveDate {
    chrono::Utc::now().with_timezone(&tujie_model::Timestamp::cst()).date_naive()
}

/// Whole days since an RFC 3339 time (0 when it cannot be read or lies ahead).
pub fn days_since(rfc3339: &str, now: chrono::DateTime<chrono::Utc>) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339).map_or(0, |t| (now - t.with_timezone(&chrono::Utc)).num_days().max(0))
}
