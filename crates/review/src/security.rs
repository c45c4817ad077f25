//! Defences for a workspace that shares its host with other sites of an intranet (see `docs/security.md`).
//!
//! - **Cross-site and same-site request forgery.** `SameSite=Lax` does not stop a page on another port of the same
//!   host, so every state-changing request must also pass [`check_origin`]: a browser's `Sec-Fetch-Site` must say
//!   `same-origin`, and `Origin` (or, without it, `Referer`) must be this server's own origin (the `Host` header) or
//!   one of `[review] allowed_origins`. Every form also carries a per-session token ([`csrf_token`], checked by
//!   [`CsrfForm`]); a JSON call authenticated by the session cookie carries it in `X-CSRF-Token`.
//! - **Clickjacking.** `Content-Security-Policy: frame-ancestors 'none'` and `X-Frame-Options: DENY`.
//! - **Leaks after logout.** `Cache-Control: no-store` on every dynamic response, so Back shows nothing cached.
//! - **Script injection.** The CSP allows scripts and styles from this server only (`/static/…`), no inline ones.
//!
//! [`guard`] is the middleware that does the origin check and sets the headers on every response.

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, FromRequest, FromRequestParts, Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, HOST, ORIGIN, REFERER, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::auth::session_secret;
use crate::error::{ApiError, PageError, ReviewError};
use crate::state::AppState;

/// Name of the hidden form field that carries the CSRF token.
pub const CSRF_FIELD: &str = "_csrf";
/// Header that carries the CSRF token on JSON calls authenticated by the session cookie.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The policy of every page and JSON answer: nothing but this server's own scripts, styles and images, forms that
/// post back here only, and never inside a frame.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; \
                       form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The CSRF token of a session: derived from the session secret, which only the browser holding the `HttpOnly`
/// cookie knows, so another site can neither read nor guess it, and nothing needs storing.
pub fn csrf_token(session_secret: &str) -> String {
    hex::encode(Sha256::digest(format!("tujie-csrf\0{}", session_secret.trim())))
}

/// Whether `given` is the CSRF token of the session in `headers`, compared without an early exit.
pub fn csrf_matches(headers: &HeaderMap, given: &str) -> bool {
    let Some(secret) = session_secret(headers) else { return false };
    let expected = csrf_token(&secret);
    expected.len() == given.len() && expected.bytes().zip(given.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

const CROSS_SITE: &str = "请求来自其他网站或页面，已拒绝。请在本系统的页面中重新操作。";

/// Refuses a state-changing request that a browser says comes from elsewhere. Requests without any of these
/// headers (scripts with a bearer token, `curl`) pass: they carry no ambient credentials a forger could borrow.
pub fn check_origin(headers: &HeaderMap, allowed: &[String]) -> Result<(), ReviewError> {
    let header = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok()).map(str::trim);
    if let Some(site) = header("sec-fetch-site")
        && !matches!(site, "same-origin" | "none")
    {
        return Err(ReviewError::Forbidden(CROSS_SITE.into()));
    }
    let origin = match (header(ORIGIN.as_str()), header(REFERER.as_str())) {
        (Some(origin), _) => origin.to_owned(),
        (None, Some(referer)) => origin_of(referer).ok_or_else(|| ReviewError::Forbidden(CROSS_SITE.into()))?,
        (None, None) => return Ok(()),
    };
    let host = header(HOST.as_str()).unwrap_or("");
    let own = ["http://", "https://"].iter().any(|scheme| origin.eq_ignore_ascii_case(&format!("{scheme}{host}")));
    if (own && !host.is_empty()) || allowed.iter().any(|a| a.trim_end_matches('/').eq_ignore_ascii_case(&origin)) {
        Ok(())
    } else {
        Err(ReviewError::Forbidden(CROSS_SITE.into()))
    }
}

/// `scheme://authority` of a URL, or `None` when it is not an absolute http(s) URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !matches!(scheme, "http" | "https") {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().filter(|a| !a.is_empty())?;
    Some(format!("{scheme}://{authority}"))
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Middleware over the whole router: refuses forged state-changing requests, then sets the security headers on
/// whatever the handler answered (keeping a stricter CSP or a cache policy the handler chose).
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let mut response = if !is_safe(request.method())
        && let Err(e) = check_origin(request.headers(), &state.config.allowed_origins)
    {
        tracing::warn!(path = %request.uri().path(), "refused a cross-origin request");
        if api { ApiError(e).into_response() } else { PageError(e).into_response() }
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    headers.entry(CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(CSP));
    headers.entry(CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // `same-origin` rather than `no-referrer`: the latter would make browsers send `Origin: null` on our own forms.
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    response
}

/// The CSRF token of the request's session (empty without one), for the forms of a page.
#[derive(Debug, Clone)]
pub struct Csrf(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Csrf {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Csrf(session_secret(&parts.headers).map(|s| csrf_token(&s)).unwrap_or_default()))
    }
}

/// The fields of a form posted by a logged-in page, after its CSRF token was checked and removed.
#[derive(Debug, Clone)]
pub struct CsrfForm(pub Vec<(String, String)>);

impl FromRequest<AppState> for CsrfForm {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let headers = request.headers().clone();
        let fields = Form::<Vec<(String, String)>>::from_request(request, state)
            .await
            .map(|Form(f)| f)
            .map_err(|e: FormRejection| ReviewError::BadRequest(format!("表单无法读取：{e}")))?;
        let token = fields.iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.as_str()).unwrap_or("");
        if !csrf_matches(&headers, token) {
            return Err(PageError(ReviewError::Forbidden(
                "页面已过期或请求来源不明（缺少有效的安全校验码），操作未执行。请刷新页面后重试。".into(),
            )));
        }
        Ok(CsrfForm(fields.into_iter().filter(|(k, _)| k != CSRF_FIELD).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn only_the_own_origin_may_change_things() {
        let own = [("host", "127.0.0.1:8080")];
        assert!(check_origin(&headers(&own), &[]).is_ok(), "no browser headers: a script");
        let ok = [("host", "127.0.0.1:8080"), ("origin", "http://127.0.0.1:8080"), ("sec-fetch-site", "same-origin")];
        assert!(check_origin(&headers(&ok), &[]).is_ok());
        for bad in [
            vec![("host", "127.0.0.1:8080"), ("origin", "http://127.0.0.1:9090")],
            vec![("host", "127.0.0.1:8080"), ("origin", "null")],
            vec![("host", "127.0.0.1:8080"), ("sec-fetch-site", "same-site")],
            vec![("host", "127.0.0.1:8080"), ("referer", "http://127.0.0.1:9090/attack.html")],
            vec![("host", "127.0.0.1:8080"), ("referer", "about:blank")],
        ] {
            let err = check_origin(&headers(&bad), &[]).unwrap_err();
            assert!(matches!(err, ReviewError::Forbidden(_)), "{bad:?}");
        }
        let proxied = [("host", "10.0.0.5:8080"), ("origin", "https://tujie.example.gov.cn")];
        assert!(check_origin(&headers(&proxied), &["https://tujie.example.gov.cn/".into()]).is_ok());
        assert!(check_origin(&headers(&proxied), &[]).is_err());
    }

    #[test]
    fn the_csrf_token_belongs_to_its_session() {
        let secret = "0123456789abcdef0123456789abcdef01234567";
        let cookie = [("cookie", format!("tujie_session={secret}"))];
        let h = headers(&cookie.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>());
        assert!(csrf_matches(&h, &csrf_token(secret)));
        assert!(!csrf_matches(&h, &csrf_token("another session")));
        assert!(!csrf_matches(&h, ""));
        assert!(!csrf_matches(&HeaderMap::new(), &csrf_token(secret)), "no session, no token");
        assert_ne!(csrf_token(secret), secret, "the token does not reveal the session");
    }
}
