//! Errors of the workspace and how they become responses: a Chinese HTML page for people, `{"error": …}` for the
//! JSON API. Every refusal says what is wrong in words an editor understands; internal failures are logged with
//! their detail and shown without it.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tujie_store::StoreError;

/// Why a request was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// No valid session or token.
    #[error("请先登录")]
    Unauthenticated,
    /// A login attempt with a token that belongs to nobody.
    #[error("登录码无效，请检查后重试")]
    BadLogin,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    /// The request itself is malformed: a missing field, an unknown status, bad JSON.
    #[error("{0}")]
    BadRequest(String),
    /// A body in a format the route does not take (a form posted to the JSON API).
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Well-formed but refused: an empty text, a missing comment.
    #[error("{0}")]
    Unprocessable(String),
    /// An edit brings numbers, dates or 文号 the policy does not contain.
    #[error("「{field}」中的 {} 在政策原文中找不到。图解中的数字、日期和文号都必须来自原文，请改正后再保存。", .tokens.join("、"))]
    Unfaithful {
        /// Where, in words: `第1节「补贴对象」第1条要点的文字`.
        field: String,
        /// The form field that holds it: `s0.b0.text`.
        input: String,
        tokens: Vec<String>,
    },
    /// Someone else changed or decided the draft first.
    #[error("{0}")]
    Conflict(String),
    /// A machine client's credential is missing or belongs to nobody; the message says what to send.
    #[error("{0}")]
    Unauthorized(String),
    /// A body over the route's size limit.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// A dependency (the broker, the database) cannot take the request now; the same request may succeed later.
    #[error("{0}")]
    Unavailable(String),
    #[error("服务器内部错误，请稍后重试或联系管理员")]
    Internal(String),
}

impl ReviewError {
    pub fn status(&self) -> StatusCode {
        match self {
            ReviewError::Unauthenticated | ReviewError::BadLogin | ReviewError::Unauthorized(_) => {
                StatusCode::UNAUTHORIZED
            }
            ReviewError::Forbidden(_) => StatusCode::FORBIDDEN,
            ReviewError::NotFound(_) => StatusCode::NOT_FOUND,
            ReviewError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ReviewError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ReviewError::Unprocessable(_) | ReviewError::Unfaithful { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ReviewError::Conflict(_) => StatusCode::CONFLICT,
            ReviewError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ReviewError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ReviewError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable machine-readable name for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            ReviewError::Unauthenticated => "unauthenticated",
            ReviewError::BadLogin => "bad_login",
            ReviewError::Forbidden(_) => "forbidden",
            ReviewError::NotFound(_) => "not_found",
            ReviewError::BadRequest(_) => "bad_request",
            ReviewError::UnsupportedMediaType(_) => "unsupported_media_type",
            ReviewError::Unprocessable(_) => "unprocessable",
            ReviewError::Unfaithful { .. } => "not_in_source",
            ReviewError::Conflict(_) => "conflict",
            ReviewError::Unauthorized(_) => "unauthorized",
            ReviewError::PayloadTooLarge(_) => "payload_too_large",
            ReviewError::Unavailable(_) => "unavailable",
            ReviewError::Internal(_) => "internal",
        }
    }

    fn log(&self) {
        if let ReviewError::Internal(detail) = self {
            tracing::error!(%detail, "review request failed");
        }
    }
}

impl From<StoreError> for ReviewError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => ReviewError::NotFound(format!("找不到 {what}")),
            StoreError::Conflict(detail) => ReviewError::Conflict(format!("操作未执行：{detail}")),
            other => ReviewError::Internal(other.to_string()),
        }
    }
}

/// A refusal shown as a page (the HTML side).
#[derive(Debug)]
pub struct PageError(pub ReviewError);

impl<E: Into<ReviewError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.0.log();
        if matches!(self.0, ReviewError::Unauthenticated) {
            return Redirect::to("/login").into_response();
        }
        (self.0.status(), crate::pages::error_page(&self.0)).into_response()
    }
}

/// A refusal as JSON (the API side): `{"error": message, "code": name}`, plus `tokens` for [`ReviewError::Unfaithful`].
#[derive(Debug)]
pub struct ApiError(pub ReviewError);

impl<E: Into<ReviewError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let mut body = serde_json::json!({ "error": self.0.to_string(), "code": self.0.code() });
        if let ReviewError::Unfaithful { field, input, tokens } = &self.0 {
            body["field"] = field.clone().into();
            body["input"] = input.clone().into();
            body["tokens"] = tokens.clone().into();
        }
        (self.0.status(), Json(body)).into_response()
    }
}
