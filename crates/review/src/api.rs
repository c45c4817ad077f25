//! The JSON API beside the pages, for scripts and other front ends: the same actions and rules, answers as JSON,
//! refusals as `{"error": "…", "code": "…"}` with the matching 4xx status.
//!
//! Every `POST` must be `Content-Type: application/json` ([`require_json`]): a form or `text/plain` body, which
//! another page can send without a CORS preflight, is refused with 415 before any handler runs.

use std::collections::HashMap;

use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, Request, State};
use axum::http::Method;
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tujie_store::{DraftDetail, HistoryEntry, ReviewItem, User};

use crate::actions::{self, Saved};
use crate::auth::ApiUser;
use crate::edit::{ContentView, DraftEdit, content_view};
use crate::error::{ApiError, ReviewError};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/drafts", get(list))
        .route("/drafts/{id}", get(show))
        .route("/drafts/{id}/edit", post(edit))
        .route("/drafts/{id}/video", get(crate::video::api_view).post(crate::video::api_request))
        .route("/drafts/{id}/script", post(crate::video::api_script))
        // POST: approve, reject, regenerate; GET: the files of the draft's video.
        .route("/drafts/{id}/{action}", get(crate::video::api_file).post(decide))
        .route("/report", get(report))
        .fallback(|| async { ApiError(ReviewError::NotFound("没有这个接口".into())) })
        .layer(axum::middleware::from_fn(require_json))
}

/// Refuses a state-changing call whose body is not declared as JSON.
async fn require_json(request: Request, next: Next) -> Response {
    let json = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if request.method() == Method::POST && !json {
        return ApiError(ReviewError::UnsupportedMediaType(
            "接口只接受 JSON 请求体（Content-Type: application/json）；通过草稿时可发送 {}".into(),
        ))
        .into_response();
    }
    next.run(request).await
}

fn body<T>(result: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    result
        .map(|Json(v)| v)
        .map_err(|e| ApiError(ReviewError::BadRequest(format!("请求体不是有效的 JSON：{}", e.body_text()))))
}

async fn me(ApiUser(user): ApiUser) -> Json<User> {
    Json(user)
}

async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Vec<ReviewItem>>, ApiError> {
    let status = actions::parse_status(query.get("status").map(String::as_str))?;
    let department = query.get("department").map(String::as_str);
    Ok(Json(actions::queue(&state, &user, status, department).await?))
}

/// A draft with its items (ids and source excerpts) and audit trail.
#[derive(Debug, Serialize)]
struct DraftResponse {
    #[serde(flatten)]
    detail: DraftDetail,
    items: ContentView,
    history: Vec<HistoryEntry>,
}

async fn show(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<DraftResponse>, ApiError> {
    let detail = actions::load_draft(&state, &user, &id).await?;
    let items = content_view(&detail.content, &detail.source_text);
    let history = state.store.draft_history(&id).await?;
    Ok(Json(DraftResponse { detail, items, history }))
}

async fn edit(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    edit: Result<Json<DraftEdit>, JsonRejection>,
) -> Result<Json<Saved>, ApiError> {
    let edit = body(edit)?;
    Ok(Json(actions::save_edit(&state, &user, &id, &edit).await?))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Decision {
    #[serde(default)]
    comment: Option<String>,
}

/// `approve`, `reject` or `regenerate` (a rejected draft, extracted again), named by the last path segment. An
/// approval takes `{}`; a rejection needs `{"comment": "…"}`.
async fn decide(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, verb)): Path<(String, String)>,
    decision: Result<Json<Decision>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    if verb == "regenerate" {
        let revision = actions::regenerate(&state, &user, &id).await?;
        return Ok(Json(json!({ "draft_id": id, "status": "pending", "revision": revision, "actor": user.name })));
    }
    let action = actions::parse_action(&verb)?;
    let decision = body(decision)?;
    let status = actions::decide(&state, &user, &id, action, decision.comment.as_deref()).await?;
    Ok(Json(json!({ "draft_id": id, "status": status, "actor": user.name })))
}

/// Without parameters the all-time figures by department; with `from`, `to` or `department` the period report
/// of the report page.
async fn report(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let json = if ["from", "to", "department"].iter().any(|k| query.contains_key(*k)) {
        serde_json::to_value(actions::period_report(&state, &user, &query, actions::today_cst()).await?)
    } else {
        serde_json::to_value(actions::report(&state, &user).await?)
    };
    Ok(Json(json.map_err(|e| ReviewError::Internal(e.to_string()))?))
}
