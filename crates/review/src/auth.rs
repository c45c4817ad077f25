//! Login tokens, session cookies and who is asking.
//!
//! An account gets a random login token once (`tujie user add` prints it); the login page exchanges the account
//! name and token for a session cookie (`HttpOnly`, `SameSite=Lax`, `Secure` when configured). Only SHA-256
//! hashes of either are stored: both are 160-bit random values, so a fast hash is enough, and a leaked database
//! opens no session. `SameSite=Lax` alone does not stop a page on another port of the same host, so forms also
//! carry a CSRF token and state-changing requests pass an origin check ([`crate::security`]).
//! API clients send `Authorization: Bearer <login token>`; a JSON call made with the session cookie instead must
//! carry the CSRF token in `X-CSRF-Token` when it changes anything. A service account (`[review] intake_accounts`)
//! is refused everything but `POST /api/events` ([`crate::intake`]).

use axum::extract::FromRequestParts;
use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};
use tujie_store::{Role, User};

use crate::error::{ApiError, PageError, ReviewError};
use crate::state::AppState;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "tujie_session";

/// A new random secret (a login token or a session id): 20 bytes from the OS generator as 40 hex digits.
pub fn new_secret() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes)?;
    Ok(hex::encode(bytes))
}

/// What is stored instead of a secret. Surrounding white space is ignored: tokens get pasted.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.trim().as_bytes()))
}

/// `Set-Cookie` value opening a session.
pub fn session_cookie(secret: &str, max_age_secs: u64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

/// `Set-Cookie` value ending a session.
pub fn clear_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// The session secret in a request's cookies.
pub fn session_secret(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|v| !v.is_empty())
}

/// How a request proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Credential {
    /// The session cookie: sent by the browser on its own, so a state change also needs the CSRF token.
    Session,
    /// `Authorization: Bearer`: only sent by a client that was given the token.
    Bearer,
}

async fn user_of(parts: &Parts, state: &AppState) -> Result<(User, Credential), ReviewError> {
    if let Some(secret) = session_secret(&parts.headers)
        && let Some(user) = state.store.session_user(&hash_secret(&secret)).await?
    {
        return refuse_service_account(user, Credential::Session, state);
    }
    let bearer = parts.headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if let Some(token) = bearer
        && let Some(user) = state.store.user_by_token(&hash_secret(token)).await?
    {
        return refuse_service_account(user, Credential::Bearer, state);
    }
    Err(ReviewError::Unauthenticated)
}

/// A service account of the event intake (`[review] intake_accounts`) may post events and do nothing else.
fn refuse_service_account(
    user: User,
    credential: Credential,
    state: &AppState,
) -> Result<(User, Credential), ReviewError> {
    if state.config.is_intake_account(&user.name) {
        return Err(ReviewError::Forbidden(format!(
            "「{}」是事件接收服务账号，只能调用 POST /api/events 提交事件",
            user.name
        )));
    }
    Ok((user, credential))
}

/// The logged-in user of a page request; without one the browser is sent to the login page, which returns it to
/// the page it asked for.
#[derive(Debug, Clone)]
pub struct PageUser(pub User);

impl FromRequestParts<AppState> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match user_of(parts, state).await {
            Ok((user, _)) => Ok(PageUser(user)),
            Err(ReviewError::Unauthenticated) if parts.method == Method::GET => {
                let next = parts.uri.path_and_query().map_or("/drafts", |p| p.as_str());
                Err(Redirect::to(&format!("/login?next={}", crate::pages::url_part(next))).into_response())
            }
            Err(e) => Err(PageError(e).into_response()),
        }
    }
}

/// The authenticated user of an API request; without one, 401 with a JSON error. A state change made with the
/// session cookie needs the CSRF token in `X-CSRF-Token`.
#[derive(Debug, Clone)]
pub struct ApiUser(pub User);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let (user, credential) = user_of(parts, state).await?;
        if credential == Credential::Session && !matches!(parts.method, Method::GET | Method::HEAD) {
            let token = parts.headers.get(crate::security::CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
            if !crate::security::csrf_matches(&parts.headers, token) {
                return Err(ApiError(ReviewError::Forbidden(
                    "用登录会话调用接口修改数据时，须在 X-CSRF-Token 请求头中带上页面的安全校验码".into(),
                )));
            }
        }
        Ok(ApiUser(user))
    }
}

/// Where a request came from: the peer address of the connection (`None` when the server was not started with
/// connection info, as in tests that call the router directly).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())))
    }
}

/// Whether `user` may see and act on drafts of `department`: supervisors everywhere, editors in their own
/// department only (a policy without a department is for supervisors).
pub fn may_access(user: &User, department: Option<&str>) -> bool {
    match user.role {
        Role::Supervisor => true,
        Role::Editor => user.department.is_some() && user.department.as_deref() == department,
    }
}

/// Refuses `user` a department's drafts with a message naming both departments.
pub fn check_access(user: &User, department: Option<&str>) -> Result<(), ReviewError> {
    if may_access(user, department) {
        return Ok(());
    }
    Err(ReviewError::Forbidden(format!(
        "您（{}，{}）只能审核本部门的草稿；该草稿属于「{}」",
        user.name,
        user.department.as_deref().unwrap_or("未设部门"),
        department.unwrap_or(tujie_store::UNASSIGNED_DEPARTMENT)
    )))
}

/// Refuses anyone but supervisors.
pub fn require_supervisor(user: &User) -> Result<(), ReviewError> {
    match user.role {
        Role::Supervisor => Ok(()),
        Role::Editor => Err(ReviewError::Forbidden("统计报表仅供督查人员查看".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_and_hashes_ignore_pasted_spaces() {
        let a = new_secret().unwrap();
        assert_eq!(a.len(), 40);
        assert_ne!(a, new_secret().unwrap());
        assert_eq!(hash_secret(&a), hash_secret(&format!(" {a}\n")));
        assert_ne!(hash_secret(&a), a);
    }

    #[test]
    fn editors_see_only_their_department() {
        let user = |role, department: Option<&str>| User {
            id: 1,
            name: "x".into(),
            department: department.map(str::to_owned),
            role,
            created_at: String::new(),
        };
        assert!(may_access(&user(Role::Editor, Some("甲局")), Some("甲局")));
        assert!(!may_access(&user(Role::Editor, Some("甲局")), Some("乙局")));
        assert!(!may_access(&user(Role::Editor, Some("甲局")), None));
        assert!(!may_access(&user(Role::Editor, None), None));
        assert!(may_access(&user(Role::Supervisor, None), Some("乙局")));
    }
}
