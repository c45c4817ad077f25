//! The HTML side: login, the queue, the draft page and its forms, the images, the report. Forms post and then
//! redirect (303) back to a page, so a reload never repeats an action.

use std::collections::HashMap;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::actions;
use crate::auth::{ClientAddr, PageUser, clear_cookie, hash_secret, new_secret, session_cookie, session_secret};
use crate::edit::{DraftEdit, ItemEdit, content_view};
use crate::error::{PageError, ReviewError};
use crate::pages::{self, Viewer, url_part};
use crate::security::{Csrf, CsrfForm};
use crate::state::AppState;

type Fields = Vec<(String, String)>;

fn form(result: Result<Form<Fields>, FormRejection>) -> Result<Fields, ReviewError> {
    result.map(|Form(f)| f).map_err(|e| ReviewError::BadRequest(format!("表单无法读取：{e}")))
}

fn field<'a>(fields: &'a Fields, name: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// `next` of a login: a path on this server only (`/drafts/…`), never another site (`//evil`, `https://…`).
fn local_path(next: Option<&str>) -> &str {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\')).unwrap_or("/drafts")
}

pub async fn login_form(Query(query): Query<HashMap<String, String>>) -> Html<String> {
    pages::login_page(None, local_path(query.get("next").map(String::as_str)))
}

fn login_refused(status: StatusCode, message: &str, next: &str) -> Response {
    (status, pages::login_page(Some(message), next)).into_response()
}

pub async fn login(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    body: Result<Form<Fields>, FormRejection>,
) -> Response {
    let fields = match form(body) {
        Ok(f) => f,
        Err(e) => return PageError(e).into_response(),
    };
    let next = local_path(field(&fields, "next")).to_owned();
    let name = field(&fields, "name").unwrap_or("").trim();
    let token = field(&fields, "token").unwrap_or("").trim();
    if name.is_empty() || token.is_empty() {
        return login_refused(StatusCode::UNPROCESSABLE_ENTITY, "请输入用户名和登录码", &next);
    }
    let now = std::time::Instant::now();
    if let Some(wait) = state.throttle.locked(name, address, now) {
        tracing::warn!(account = name, address = ?address, "login refused: too many failed attempts");
        let message = format!("登录失败次数过多，请 {} 分钟后再试", crate::throttle::minutes(wait));
        return login_refused(StatusCode::TOO_MANY_REQUESTS, &message, &next);
    }
    let result = async {
        let user = state.store.user_by_token(&hash_secret(token)).await?;
        let Some(user) = user.filter(|u| u.name == name) else {
            return Err(ReviewError::BadLogin);
        };
        let secret = new_secret().map_err(|e| ReviewError::Internal(format!("no randomness: {e}")))?;
        state.store.create_session(&hash_secret(&secret), user.id, state.config.session_ttl()).await?;
        tracing::info!(user = %user.name, address = ?address, "logged in");
        Ok(secret)
    }
    .await;
    match result {
        Ok(secret) => {
            state.throttle.succeeded(name);
            let cookie = session_cookie(&secret, state.config.session_ttl().as_secs(), state.config.secure_cookie);
            ([(SET_COOKIE, cookie)], Redirect::to(&next)).into_response()
        }
        Err(ReviewError::BadLogin) => {
            state.throttle.failed(name, address, now);
            tracing::warn!(account = name, address = ?address, "login failed: wrong name or login code");
            login_refused(StatusCode::UNAUTHORIZED, &ReviewError::BadLogin.to_string(), &next)
        }
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap, _: CsrfForm) -> Result<Response, PageError> {
    if let Some(secret) = session_secret(&headers) {
        state.store.delete_session(&hash_secret(&secret)).await?;
    }
    Ok(([(SET_COOKIE, clear_cookie())], Redirect::to("/login")).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Csrf(csrf): Csrf,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let status = actions::parse_status(query.get("status").map(String::as_str))?;
    let department = query.get("department").map(String::as_str).filter(|d| !d.trim().is_empty());
    let items = actions::queue(&state, &user, status, department).await?;
    // The filter's choices: every known department and 未指定单位. Not the department report, which computes
    // every policy's coverage (seconds with 10,000 drafts) only to be reduced to names.
    let departments = if user.role == tujie_store::Role::Supervisor {
        let mut known = crate::departments::known(&state.store, &state.config).await?;
        known.push(tujie_store::UNASSIGNED_DEPARTMENT.to_owned());
        known
    } else {
        Vec::new()
    };
    Ok(pages::list_page(Viewer { user: &user, csrf: &csrf }, &items, status, department, &departments))
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Csrf(csrf): Csrf,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let detail = actions::load_draft(&state, &user, &id).await?;
    let view = content_view(&detail.content, &detail.source_text);
    let history = state.store.draft_history(&id).await?;
    let viewer = Viewer { user: &user, csrf: &csrf };
    let video = crate::video::section_html(&state, viewer, &detail, None).await?;
    let msg = query.get("msg").map(String::as_str);
    Ok(pages::draft_page(viewer, &detail, &view, &history, msg, None, &video))
}

/// Reads the edit form: `base_revision`, `note`, and `{item id}.{field}` for text fields, `.remove` and `.order`.
fn edit_from_form(fields: &Fields) -> Result<DraftEdit, ReviewError> {
    let base = field(fields, "base_revision")
        .ok_or_else(|| ReviewError::BadRequest("表单缺少 base_revision（所依据的版本号）".into()))?;
    let base_revision =
        base.trim().parse().map_err(|_| ReviewError::BadRequest(format!("版本号 `{base}` 不是整数")))?;
    let mut items: Vec<ItemEdit> = Vec::new();
    for (key, value) in fields {
        if key == "base_revision" || key == "note" || key == "at" {
            continue;
        }
        let Some((id, name)) = key.rsplit_once('.') else {
            return Err(ReviewError::BadRequest(format!("无法识别的表单字段 `{key}`")));
        };
        let at = match items.iter().position(|i| i.id == id) {
            Some(at) => at,
            None => {
                items.push(ItemEdit { id: id.to_owned(), ..Default::default() });
                items.len() - 1
            }
        };
        let item = &mut items[at];
        match name {
            "text" => item.text = Some(value.clone()),
            "value" => item.value = Some(value.clone()),
            "unit" => item.unit = Some(value.clone()),
            "label" => item.label = Some(value.clone()),
            "date" => item.date = Some(value.clone()),
            "remove" => item.remove = !value.is_empty(),
            "order" => {
                item.order = Some(
                    value
                        .trim()
                        .parse()
                        .map_err(|_| ReviewError::BadRequest(format!("条目 `{id}` 的顺序 `{value}` 不是正整数")))?,
                )
            }
            _ => return Err(ReviewError::BadRequest(format!("无法识别的表单字段 `{key}`"))),
        }
    }
    Ok(DraftEdit { base_revision, note: field(fields, "note").map(str::to_owned), items })
}

/// The part of the draft page to return to after a save: a section id the page gave (`s3`, `title`, `figures`).
fn anchor(fields: &Fields) -> String {
    field(fields, "at")
        .filter(|a| !a.is_empty() && a.len() <= 12 && a.bytes().all(|b| b.is_ascii_alphanumeric()))
        .map(|a| format!("#{a}"))
        .unwrap_or_default()
}

/// Saves an edit and returns to the section being edited. A refused edit (a number not in the source, an empty
/// text, someone else's newer revision) shows the draft page again with the reason and the editor's input.
pub async fn edit(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Csrf(csrf): Csrf,
    Path(id): Path<String>,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, PageError> {
    let saved = match edit_from_form(&fields) {
        Ok(edit) => actions::save_edit(&state, &user, &id, &edit).await,
        Err(e) => Err(e),
    };
    let back = saved.map(|s| format!("{}{}", if s.changed { "saved" } else { "unchanged" }, anchor(&fields)));
    after_save(&state, Viewer { user: &user, csrf: &csrf }, &id, back, &fields, RefusedForm::Content).await
}

/// Which form of the draft page a refusal concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RefusedForm {
    /// The image's content.
    Content,
    /// The 口播稿 of the video.
    Script,
}

/// Where a form post of the draft page ends: back at the draft (`back` is the message and anchor to show, such as
/// `saved#s3`) after a save, or the draft page again with the reason after a refusal (`refused_page`).
pub(crate) async fn after_save(
    state: &AppState,
    viewer: Viewer<'_>,
    id: &str,
    back: Result<String, ReviewError>,
    fields: &Fields,
    form: RefusedForm,
) -> Result<Response, PageError> {
    match back {
        Ok(back) => Ok(Redirect::to(&format!("/drafts/{}?msg={back}", url_part(id))).into_response()),
        Err(e) => refused_page(state, viewer, id, e, fields, form).await,
    }
}

/// The draft page again after a refused form post (a number not in the source, an empty text, someone else's newer
/// revision, a malformed field), with the reason beside the editor's input `fields`; any other error is an error
/// page.
async fn refused_page(
    state: &AppState,
    viewer: Viewer<'_>,
    id: &str,
    error: ReviewError,
    fields: &Fields,
    form: RefusedForm,
) -> Result<Response, PageError> {
    let shown = matches!(
        error,
        ReviewError::Unfaithful { .. }
            | ReviewError::Unprocessable(_)
            | ReviewError::Conflict(_)
            | ReviewError::BadRequest(_)
    );
    if !shown {
        return Err(error.into());
    }
    let detail = actions::load_draft(state, viewer.user, id).await?;
    let view = content_view(&detail.content, &detail.source_text);
    let history = state.store.draft_history(id).await?;
    let refusal = pages::Refusal { error: &error, fields };
    let (content, script) = match form {
        RefusedForm::Content => (Some(refusal), None),
        RefusedForm::Script => (None, Some(refusal)),
    };
    let video = crate::video::section_html(state, viewer, &detail, script).await?;
    let page = pages::draft_page(viewer, &detail, &view, &history, None, content, &video);
    Ok((error.status(), page).into_response())
}

/// `approve`, `reject` or `regenerate`, named by the last path segment; a rejection's form carries the comment.
pub async fn decide(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, verb)): Path<(String, String)>,
    CsrfForm(fields): CsrfForm,
) -> Result<Redirect, PageError> {
    if verb == "regenerate" {
        actions::regenerate(&state, &user, &id).await?;
        return Ok(Redirect::to(&format!("/drafts/{}?msg=regenerated", url_part(&id))));
    }
    let action = actions::parse_action(&verb)?;
    let status = actions::decide(&state, &user, &id, action, field(&fields, "comment")).await?;
    Ok(Redirect::to(&format!("/drafts/{}?msg={}", url_part(&id), status.as_str())))
}

/// Which rendered file of a draft.
#[derive(Debug, Clone, Copy)]
enum Asset {
    Png,
    Preview,
    Svg,
}

/// `image.png`, `preview.png` or `image.svg` of a draft, as stored, or a file of its video ([`crate::video`]).
pub async fn asset(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, file)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    if let Some(which) = tujie_store::VideoFile::from_name(&file) {
        return crate::video::page_file(&state, &user, &id, which, &query, &headers).await;
    }
    let which = match file.as_str() {
        "image.png" => Asset::Png,
        "preview.png" => Asset::Preview,
        "image.svg" => Asset::Svg,
        _ => {
            return Err(ReviewError::NotFound(format!(
                "草稿没有文件 `{file}`，可选 image.png、preview.png、image.svg"
            ))
            .into());
        }
    };
    actions::load_draft(&state, &user, &id).await?;
    let assets =
        state.store.draft_assets(&id).await?.ok_or_else(|| ReviewError::NotFound(format!("找不到草稿 `{id}`")))?;
    let (content_type, bytes) = match which {
        Asset::Png => ("image/png", assets.rendered.png),
        Asset::Preview => ("image/png", assets.rendered.preview_png),
        Asset::Svg => ("image/svg+xml", assets.rendered.svg.into_bytes()),
    };
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    if query.contains_key("download") {
        // Draft ids are ASCII (`dr-<policy id>-<hash>`); anything else is replaced so the header stays valid.
        let stem: String =
            id.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_') { c } else { '_' }).collect();
        let value =
            format!("attachment; filename=\"{stem}.{}\"", if matches!(which, Asset::Svg) { "svg" } else { "png" });
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(CONTENT_DISPOSITION, v);
        }
    }
    // Pages add ?v=revision; `no-store` (set by the security middleware) keeps images out of caches after logout.
    // An SVG opened on its own is a document: allow it nothing but its own inline styles, and no framing.
    headers.insert(
        "content-security-policy",
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"),
    );
    Ok((headers, bytes).into_response())
}

pub async fn report(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Csrf(csrf): Csrf,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let report = actions::period_report(&state, &user, &query, actions::today_cst()).await?;
    let mut departments = crate::departments::known(&state.store, &state.config).await?;
    departments.extend(report.departments.iter().map(|f| f.department.clone()));
    departments.sort();
    departments.dedup();
    Ok(pages::report_page(Viewer { user: &user, csrf: &csrf }, &report, &departments))
}

pub async fn not_found() -> PageError {
    PageError(ReviewError::NotFound("没有这个页面".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn the_edit_form_becomes_an_edit() {
        let edit = edit_from_form(&fields(&[
            ("base_revision", "3"),
            ("title.text", "标题"),
            ("s0.b1.text", "要点"),
            ("s0.b1.order", "1"),
            ("s0.b2.remove", "1"),
            ("h0.value", "100"),
            ("note", "改了"),
        ]))
        .unwrap();
        assert_eq!(edit.base_revision, 3);
        assert_eq!(edit.note.as_deref(), Some("改了"));
        let ids: Vec<&str> = edit.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["title", "s0.b1", "s0.b2", "h0"]);
        assert_eq!((edit.items[1].text.as_deref(), edit.items[1].order), (Some("要点"), Some(1)));
        assert!(edit.items[2].remove);
        assert_eq!(edit.items[3].value.as_deref(), Some("100"));
    }

    #[test]
    fn bad_forms_name_the_field() {
        for (pairs, needle) in [
            (vec![("title.text", "x")], "base_revision"),
            (vec![("base_revision", "x1")], "x1"),
            (vec![("base_revision", "1"), ("s0.b0.colour", "red")], "s0.b0.colour"),
            (vec![("base_revision", "1"), ("s0.b0.order", "-2")], "s0.b0"),
        ] {
            let err = edit_from_form(&fields(&pairs)).unwrap_err();
            assert!(matches!(err, ReviewError::BadRequest(_)), "{err:?}");
            assert!(err.to_string().contains(needle), "{err} should name {needle}");
        }
    }
}
