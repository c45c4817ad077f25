//! `POST /api/events`: event intake over HTTP for a CMS that cannot speak AMQP.
//!
//! The body is one event (a JSON object) or many (JSON Lines: `Content-Type: application/x-ndjson`, or any body
//! that is not one JSON value as a whole). Each non-blank line is checked by the consumed contract's own validator,
//! [`InboundEvent::from_slice`] with the `[amqp] max_message_bytes` limit, so a line fails here exactly as it
//! would be dead-lettered from the queue, with the same field paths and wording. Good lines go on even when
//! others are bad; they are handed to an [`EventSink`] that the binary provides: with a broker, a publisher that
//! answers after the broker's confirms; without, the same pipeline path as `tujie ingest`. This crate does no
//! AMQP and no processing itself.
//!
//! Who may call it: a *service account*, an ordinary account (`tujie user add`) whose name is listed in
//! `[review] intake_accounts`, sending `Authorization: Bearer <login token>`. Such an account can do nothing
//! else in the workspace ([`crate::auth`] refuses it every page and every other API call).
//!
//! Answers (JSON, messages in Chinese, `results` one entry per non-blank line, in order):
//!
//! | status | when |
//! |--------|------|
//! | 202 | every line was accepted (published and confirmed, or processed) |
//! | 400 | at least one line is not a valid event; the other lines were still accepted as `results` says |
//! | 503 | the broker or database is unavailable, or a valid line could not be delivered; send again later |
//! | 401 / 403 | no or a wrong token / an account that is not a service account |
//! | 413 | the body is over `[review] intake_max_body_bytes`; nothing was read or accepted |
//!
//! Sending the same event again is harmless: the store records each `event_id` once, and a repeated one has no
//! second effect, so a client that got no answer (or a 503) simply sends the whole body again.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequestParts, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tujie_model::{EventType, FieldError, InboundEvent, ValidationError};
use tujie_store::User;

use crate::auth::hash_secret;
use crate::error::{ApiError, ReviewError};
use crate::state::AppState;

/// One valid event of a request, as handed to the sink.
#[derive(Debug, Clone)]
pub struct IntakeEvent {
    /// 1-based line of the request body (1 for a single JSON object).
    pub line: usize,
    /// The validated event.
    pub event: InboundEvent,
    /// The bytes as the CMS sent them (white space around them trimmed): what is published or processed, so
    /// fields tujie ignores today travel on unchanged.
    pub body: Vec<u8>,
}

/// Why a sink did not take events. `Unavailable` concerns the whole batch; `Refused` only the lines it names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SinkError {
    /// The broker or database cannot be reached now. Some events of the batch may have been delivered; sending
    /// the batch again is safe because event ids are recorded once.
    #[error("事件暂时无法送达（{0}），请稍后重新发送")]
    Unavailable(String),
    /// These lines (line number, reason) were not taken; all other lines of the batch were.
    #[error("{} 条事件未能送达", .0.len())]
    Refused(Vec<(usize, String)>),
}

impl SinkError {
    /// Whether sending the same events again later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, SinkError::Unavailable(_))
    }
}

/// The future a sink returns; boxed so that the router can hold any sink as `Arc<dyn EventSink>`.
pub type SinkFuture<'a> = Pin<Box<dyn Future<Output = Result<(), SinkError>> + Send + 'a>>;

/// Where accepted events go. The binary implements it (`crates/tujie/src/commands/intake.rs`): a RabbitMQ
/// publisher with confirms, or the embedded pipeline. `submit` returns only once the events are safe: confirmed
/// by the broker, or committed.
pub trait EventSink: Send + Sync + 'static {
    fn submit(&self, events: Vec<IntakeEvent>) -> SinkFuture<'_>;
}

/// The intake a router serves at `POST /api/events`.
#[derive(Clone)]
pub struct Intake {
    pub sink: Arc<dyn EventSink>,
    /// The per-event limit of the queue path (`[amqp] max_message_bytes`), applied to each line.
    pub max_event_bytes: usize,
}

impl std::fmt::Debug for Intake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Intake").field("max_event_bytes", &self.max_event_bytes).finish_non_exhaustive()
    }
}

/// The result of one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineResult {
    pub line: usize,
    /// `accepted`, `invalid` (the line is not a valid event) or `failed` (valid, but could not be delivered).
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", rename = "type")]
    pub event_type: Option<EventType>,
    /// `第3行：invalid event: document.title: is required`; the part after `：` is the queue path's wording.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Every field problem by JSON path, for programs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

/// The whole answer.
#[derive(Debug, Clone, Serialize)]
pub struct IntakeReply {
    pub message: String,
    pub accepted: usize,
    pub invalid: usize,
    pub failed: usize,
    pub results: Vec<LineResult>,
}

/// The non-blank lines of a body as `(1-based line, bytes)`: the whole body as line 1 when it is one JSON value
/// and not declared as JSON Lines, else each line.
pub fn split_events(body: &[u8], declared_lines: bool) -> Vec<(usize, &[u8])> {
    let trimmed = body.trim_ascii();
    if trimmed.is_empty() {
        return Vec::new();
    }
    if !declared_lines && serde_json::from_slice::<serde::de::IgnoredAny>(trimmed).is_ok() {
        return vec![(1, trimmed)];
    }
    body.split(|b| *b == b'\n')
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim_ascii()))
        .filter(|(_, line)| !line.is_empty())
        .collect()
}

/// Checks each line and hands the good ones to the sink; the per-line results in line order.
pub async fn take(intake: &Intake, body: &[u8], declared_lines: bool) -> Result<Vec<LineResult>, SinkError> {
    let mut results = Vec::new();
    let mut good = Vec::new();
    for (line, bytes) in split_events(body, declared_lines) {
        match InboundEvent::from_slice(bytes, intake.max_event_bytes) {
            Ok(event) => {
                results.push(LineResult {
                    line,
                    status: "accepted",
                    event_id: Some(event.event_id.clone()),
                    event_type: Some(event.event_type),
                    error: None,
                    fields: Vec::new(),
                });
                good.push(IntakeEvent { line, event, body: bytes.to_vec() });
            }
            Err(e) => results.push(LineResult {
                line,
                status: "invalid",
                event_id: None,
                event_type: None,
                error: Some(format!("第{line}行：{e}")),
                fields: match e {
                    ValidationError::Fields(fields) => fields,
                    ValidationError::Json(_) | ValidationError::TooLarge { .. } => Vec::new(),
                },
            }),
        }
    }
    if good.is_empty() {
        return Ok(results);
    }
    match intake.sink.submit(good).await {
        Ok(()) => {}
        Err(SinkError::Refused(lines)) => {
            for (line, reason) in lines {
                if let Some(r) = results.iter_mut().find(|r| r.line == line) {
                    r.status = "failed";
                    r.error = Some(format!("第{line}行：{reason}"));
                }
            }
        }
        Err(e) => return Err(e),
    }
    Ok(results)
}

/// Whether the request declares JSON Lines.
fn declares_lines(headers: &HeaderMap) -> bool {
    let media = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).and_then(|v| v.split(';').next());
    media.is_some_and(|m| {
        ["application/x-ndjson", "application/jsonl", "application/jsonlines", "application/json-lines"]
            .iter()
            .any(|t| m.trim().eq_ignore_ascii_case(t))
    })
}

/// A service account named in `[review] intake_accounts`, by its bearer token.
#[derive(Debug, Clone)]
pub struct ServiceAccount(pub User);

impl FromRequestParts<AppState> for ServiceAccount {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token =
            parts.headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        let Some(token) = token.filter(|t| !t.trim().is_empty()) else {
            return Err(ApiError(ReviewError::Unauthorized(
                "请在 Authorization 请求头中带上服务账号的登录码：Authorization: Bearer 登录码".into(),
            )));
        };
        let Some(user) = state.store.user_by_token(&hash_secret(token)).await? else {
            return Err(ApiError(ReviewError::Unauthorized("登录码无效：没有使用这个登录码的账号".into())));
        };
        if !state.config.is_intake_account(&user.name) {
            return Err(ApiError(ReviewError::Forbidden(format!(
                "账号「{}」不是事件接收服务账号，不能提交事件（服务账号须列入 [review] intake_accounts）",
                user.name
            ))));
        }
        Ok(ServiceAccount(user))
    }
}

/// `POST /api/events`.
pub async fn receive(
    State(state): State<AppState>,
    ServiceAccount(account): ServiceAccount,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let limit = state.config.intake_max_body_bytes;
    let body = match body {
        Ok(body) => body,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return ApiError(ReviewError::PayloadTooLarge(format!(
                "请求体超过 {limit} 字节的上限（[review] intake_max_body_bytes），未接收任何事件；请分批发送"
            )))
            .into_response();
        }
        Err(e) => {
            return ApiError(ReviewError::BadRequest(format!("无法读取请求体：{}", e.body_text()))).into_response();
        }
    };
    let Some(intake) = state.intake.clone() else {
        return ApiError(ReviewError::Unavailable("本服务未开启事件接收".into())).into_response();
    };
    let results = match take(&intake, &body, declares_lines(&headers)).await {
        Ok(results) => results,
        Err(e) => {
            tracing::warn!(account = %account.name, error = %e, "event intake failed");
            return ApiError(ReviewError::Unavailable(e.to_string())).into_response();
        }
    };
    let count = |status: &str| results.iter().filter(|r| r.status == status).count();
    let (accepted, invalid, failed) = (count("accepted"), count("invalid"), count("failed"));
    tracing::info!(account = %account.name, accepted, invalid, failed, "events received over HTTP");
    let (status, message) = if results.is_empty() {
        (StatusCode::BAD_REQUEST, "请求体中没有事件：请发送一个 JSON 对象，或每行一个事件（JSON Lines）".to_owned())
    } else if invalid > 0 {
        (
            StatusCode::BAD_REQUEST,
            format!(
                "共 {} 条事件：{accepted} 条已接收，{invalid} 条有错误{}；有错误的行见 results，改正后只需重发这些行",
                results.len(),
                if failed > 0 { format!("，{failed} 条未能送达") } else { String::new() }
            ),
        )
    } else if failed > 0 {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("共 {} 条事件：{accepted} 条已接收，{failed} 条未能送达，请稍后重发", results.len()),
        )
    } else {
        (StatusCode::ACCEPTED, format!("已接收全部 {accepted} 条事件"))
    };
    (status, Json(IntakeReply { message, accepted, invalid, failed, results })).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_object_is_one_event_and_lines_keep_their_numbers() {
        let pretty = b"{\n  \"event_id\": \"e1\"\n}\n";
        assert_eq!(split_events(pretty, false), vec![(1, &pretty[..pretty.len() - 1])]);
        let lines = b"{\"a\":1}\n\n{bad\r\n{\"b\":2}";
        let split = split_events(lines, false);
        assert_eq!(split, vec![(1, &b"{\"a\":1}"[..]), (3, &b"{bad"[..]), (4, &b"{\"b\":2}"[..])]);
        assert_eq!(split_events(b"{\"a\":1}", true), vec![(1, &b"{\"a\":1}"[..])]);
        assert!(split_events(b" \n\t\n", false).is_empty());
    }
}
